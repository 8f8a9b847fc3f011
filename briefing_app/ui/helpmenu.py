"""The Help menu: the log folder (what to send with a problem) and About, with versions."""

from __future__ import annotations

import html
from collections.abc import Callable

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from briefing_app.core.store import Library
from briefing_app.logs import log_dir


def about_versions(library: Library | None) -> list[tuple[str, str]]:
    """The core's versions with Qt's and PySide6's after Python's."""
    # Here, not at the top: reading package metadata (importlib.metadata) is for About, not a start.
    from briefing_app.core.about import component_versions

    versions = component_versions(library)
    at = next(i for i, (name, _) in enumerate(versions) if name == "Python") + 1
    versions[at:at] = [("Qt", qVersion()), ("PySide6", PySide6.__version__)]
    return versions


def about_html(library: Library | None) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(version)}</td></tr>"
        for name, version in about_versions(library)
    )
    folder = html.escape(str(log_dir()))
    return (
        "<p><b>Briefing Reader</b>: an offline reading and annotation desk for analysts.</p>"
        f"<table cellspacing='6'>{rows}</table>"
        f"<p>Log folder: {folder}</p>"
    )


class HelpMenu(QMenu):
    def __init__(self, window: QMainWindow, library: Library | None) -> None:
        super().__init__("&Help", window)
        self.library = library
        self.about_box: QMessageBox | None = None  # the last About shown (tests read it)
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl  # tests replace it
        self.open_log_action = QAction("Open &Log Folder", self)
        self.open_log_action.setToolTip(
            "The log of imports, extraction, saves and exports, and their failures"
        )
        self.open_log_action.triggered.connect(self._open_log_folder)
        self.about_action = QAction("&About Briefing Reader", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.addActions([self.open_log_action, self.about_action])

    def _open_log_folder(self) -> None:
        """Show the log folder in the desktop's file manager (made first if no log was written)."""
        folder = log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            opened = self.open_url(QUrl.fromLocalFile(str(folder)))
        except OSError:
            opened = False
        if not opened:
            QMessageBox.information(
                self.parentWidget(),
                "Log Folder",
                f"The log folder could not be opened here. It is:\n{log_dir()}",
            )

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "About Briefing Reader", "", parent=self.parentWidget())
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(about_html(self.library))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to paste in a report
        self.about_box = box
        box.open()


def install_help_menu(window: QMainWindow, library: Library | None = None) -> HelpMenu:
    """Add the Help menu at the end of the window's menu bar."""
    menu = HelpMenu(window, library)
    window.menuBar().addMenu(menu)
    return menu
