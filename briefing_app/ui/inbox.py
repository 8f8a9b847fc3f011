"""The inbox folder in the window (Settings > Watch Inbox Folder), and File > Show Original.

The watcher looks at the folder when QFileSystemWatcher says it changed, at start (files that
came while the app was closed), and again a second later while a file is still growing
(core/inbox.py decides what is ready). Ready files are imported by a background job, one at a
time with the window's other jobs; the summary goes to the status bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QSettings, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu

from briefing_app.core import inbox, provenance
from briefing_app.core.model import ImportReport
from briefing_app.core.store import Library
from briefing_app.ui.workers import Job, JobQueue

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

ENABLED_KEY = "inbox/enabled"
FOLDER_KEY = "inbox/folder"
SCAN_DELAY_MS = int(inbox.SCAN_INTERVAL * 1000)


class InboxWatcher(QObject):
    """Imports what appears in a folder, in the background."""

    imported = Signal(object)  # the ImportReport of files that came in
    failed = Signal(str)  # a job's traceback (the library could not be written, say)

    def __init__(self, folder: Path, db_path: str, jobs: JobQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.db_path = db_path
        self.jobs = jobs
        self.scanner = inbox.InboxScanner(folder)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._changed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SCAN_DELAY_MS)
        self.timer.timeout.connect(self.scan)
        self._job: Job | None = None
        self._look_again = False  # the folder changed while a look was under way

    def start(self) -> None:
        """Create the folder if needed, watch it, and look at what is already there."""
        inbox.ensure_folder(self.folder)
        self.watcher.addPath(str(self.folder))
        self.scan()

    def stop(self) -> None:
        self.timer.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())

    def _changed(self, _path: str) -> None:
        if not self.timer.isActive():
            self.timer.start()

    def scan(self) -> None:
        """Look at the folder and import what is ready, both on the job thread: the listing
        and a stat per file grow with the folder (and a network folder answers slowly)."""
        if self._job is not None:  # one look at a time: look again when it is done
            self._look_again = True
            return
        scanner = self.scanner  # used by one thread at a time: the job's, then this one's

        def work(library: Library, job: Job) -> tuple[list[Path], bool, ImportReport | None]:
            ready, changing = scanner.scan()
            report = inbox.import_files(library, ready, cancelled=job.is_cancelled) if ready else None
            return ready, changing, report

        job = Job(self.db_path, work)
        job.finished.connect(self._scanned)
        job.failed.connect(self._failed)
        self._job = job
        self._look_again = False
        self.jobs.submit(job)

    def _scanned(self, outcome: tuple[list[Path], bool, ImportReport | None]) -> None:
        self._job = None
        files, changing, report = outcome
        if report is not None:
            self.scanner.handled(files)
            if report.imported or report.updated or report.duplicates or report.failed:
                self.imported.emit(report)
        if report is not None or changing or self._look_again:
            self.timer.start()  # more may have come meanwhile, or a file was still being written

    def _failed(self, details: str) -> None:
        self._job = None
        self.failed.emit(details)


def inbox_folder(settings: QSettings | None) -> Path:
    value = settings.value(FOLDER_KEY) if settings is not None else None
    return Path(str(value)) if value else inbox.default_inbox()


def inbox_enabled(settings: QSettings | None) -> bool:
    return settings is not None and str(settings.value(ENABLED_KEY, "false")).lower() == "true"


class InboxSettings(QObject):
    """Settings > Watch Inbox Folder (on or off) and Settings > Inbox Folder…, kept in the
    window's settings; the watcher they start reports to the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.watcher: InboxWatcher | None = None
        self.watch_action = QAction("&Watch Inbox Folder", window)
        self.watch_action.setCheckable(True)
        self.watch_action.toggled.connect(self.set_watching)
        self.folder_action = QAction("Inbox &Folder…", window)
        self.folder_action.triggered.connect(self.choose_folder)
        self._describe()

    def install(self, before: QAction) -> QMenu:
        menu = QMenu("&Settings", self.window)
        menu.addActions([self.watch_action, self.folder_action])
        self.window.menuBar().insertMenu(before, menu)
        if inbox_enabled(self.window.settings):
            self.watch_action.setChecked(True)  # starts the watcher
        return menu

    @property
    def folder(self) -> Path:
        return inbox_folder(self.window.settings)

    def _describe(self) -> None:
        self.watch_action.setToolTip(f"Import the files that appear in {self.folder}")
        self.watch_action.setStatusTip(f"Import the files that appear in {self.folder}")

    def set_watching(self, on: bool) -> None:
        if self.window.settings is not None:
            self.window.settings.setValue(ENABLED_KEY, "true" if on else "false")
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
        if not on:
            return
        watcher = InboxWatcher(self.folder, self.window.library.path, self.window.jobs, self)
        watcher.imported.connect(self.window.inbox_imported)
        watcher.failed.connect(self.window.inbox_failed)
        try:
            watcher.start()
        except OSError as exc:
            watcher.deleteLater()
            self.window.statusBar().showMessage(
                f"Cannot watch the inbox {self.folder}: {exc.strerror or exc}"
            )
            self.watch_action.setChecked(False)
            return
        self.watcher = watcher
        self.window.statusBar().showMessage(f"Watching the inbox {self.folder}", 5000)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self.window, "Inbox Folder", str(self.folder))
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path) -> None:
        if self.window.settings is not None:
            self.window.settings.setValue(FOLDER_KEY, str(folder))
        self._describe()
        if self.watch_action.isChecked():
            self.set_watching(True)  # the new folder
        else:
            self.watch_action.setChecked(True)


# --- File > Show Original -------------------------------------------------------------------


def original_of(library: Library, article_id: int) -> Path | None:
    """The kept copy of the file the article was last imported from, if there is one (an
    indexed lookup of a few rows: fine on the GUI thread)."""
    for record in reversed(provenance.provenance_of(library.db.conn, article_id)):
        path = provenance.original_file(library.path, record)
        if path is not None:
            return path
    return None


def show_original(window: QMainWindow, library: Library, article_id: int | None) -> bool:
    """Open the article's original with the desktop's default application; say in the status
    bar when there is none."""
    path = original_of(library, article_id) if article_id is not None else None
    if path is None:
        window.statusBar().showMessage("No original file is kept for this article", 5000)
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        window.statusBar().showMessage(f"No application could open {path}", 8000)
        return False
    return True
