"""Help: the log folder opens in the file manager; About names the versions to report."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QUrl, qVersion

from briefing_app import __version__
from briefing_app.core.migrations import SCHEMA_VERSION
from briefing_app.logs import log_dir


def help_actions(window) -> dict[str, object]:
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    return {a.text().replace("&", ""): a for a in menus["&Help"].actions()}


def test_help_is_the_last_menu_with_the_log_folder_and_about(window):
    assert [a.text() for a in window.menuBar().actions()][-1] == "&Help"
    assert set(help_actions(window)) == {"Open Log Folder", "About Briefing Reader"}


def test_open_log_folder_shows_the_log_folder(window):
    opened: list[QUrl] = []
    window.help_menu.open_url = lambda url: opened.append(url) or True
    help_actions(window)["Open Log Folder"].trigger()
    assert [url.toLocalFile() for url in opened] == [str(log_dir())]
    assert log_dir().is_dir()  # made if no log was written yet, so there is something to open


def test_a_log_folder_that_cannot_be_shown_is_named_instead(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(
        "briefing_app.ui.helpmenu.QMessageBox.information", lambda *args: shown.append(args[-1])
    )
    window.help_menu.open_url = lambda url: False
    help_actions(window)["Open Log Folder"].trigger()
    assert len(shown) == 1 and str(log_dir()) in shown[0]


def test_about_names_the_versions(window, qtbot):
    help_actions(window)["About Briefing Reader"].trigger()
    box = window.help_menu.about_box
    qtbot.waitUntil(box.isVisible)
    text = box.text()
    for expected in (
        f"<td>Briefing Reader</td><td>{__version__}</td>",
        f"<td>Qt</td><td>{qVersion()}</td>",
        f"<td>SQLite</td><td>{sqlite3.sqlite_version}</td>",
        "<td>spaCy model</td><td>en_core_web_sm",
        f"<td>Library schema</td><td>{SCHEMA_VERSION} of {SCHEMA_VERSION}</td>",
    ):
        assert expected in text
    assert str(log_dir()) in text
    box.close()
