"""Start the Qt application on a library file."""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing_app.core.paths import APP_NAME, RESOURCES_DIR
from briefing_app.core.store import Library, LibraryError, library_fault
from briefing_app.ui.opening import open_library
from briefing_app.ui.ops import describe
from briefing_app.ui.qtstart import checked_plugin_marker, install_qt_message_filter, window_platform_problem
from briefing_app.ui.workers import Job

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

log = logging.getLogger(__name__)


def settings_path() -> Path:
    """The window's settings file (geometry, splitter, open article), beside the user's config."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "window.ini"


def window_settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def start_background_work(window: MainWindow) -> None:
    """What a start does once the window shows: extraction of what is pending (spaCy loads
    in the worker, never before the window shows) and the day's backup."""
    # The backup first: the job queue runs one job at a time, and a long extraction ahead of
    # it would put the day's backup off until the window may already be closed.
    _submit_daily_backup(window, Path(window.library.path))
    window.start_extraction()


def run(db_path: Path, after_show: Callable[[MainWindow], None] = start_background_work) -> int:
    """Open the window on the library and run until it closes; returns the exit status.

    `after_show` runs once the window is shown, after its first paint. The crash-safety
    test and the start-up benchmark pass their own, from outside the package, and so run
    nothing in the background.
    """
    if QApplication.instance() is None:
        # Qt aborts the process when it cannot open a window; say why in one line instead.
        problem = window_platform_problem(remember=checked_plugin_marker())
        if problem:
            print(f"briefing: {problem}", file=sys.stderr)
            log.error("window not opened: %s", problem)
            return 1
    install_qt_message_filter()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Briefing Reader")
    app.setOrganizationName(APP_NAME)
    QApplication.setDesktopFileName(APP_NAME)  # the menu entry `briefing --install-desktop` adds
    QApplication.setWindowIcon(QIcon(str(RESOURCES_DIR / f"{APP_NAME}.svg")))
    try:
        library = open_library(db_path)  # an upgrade shows its progress meanwhile
    except LibraryError as exc:
        log.error("cannot open the library: %s", exc)
        QMessageBox.critical(None, "Briefing Reader", str(exc))
        return 2
    log.info("window opened on %s", db_path)
    try:
        window = _main_window(library)
    except (LibraryError, sqlite3.Error) as exc:
        # A library that opens but cannot be read (damaged pages, a disk error): say what it
        # means and what to do, as the command line does, instead of a traceback.
        fault = exc if isinstance(exc, LibraryError) else library_fault(exc, library.path)
        log.error("cannot show the library: %s", fault)
        QMessageBox.critical(None, "Briefing Reader", str(fault))
        library.close()
        return 2
    from briefing_app.ui.ops import install_excepthook

    install_excepthook(window.ops)  # an exception escaping a slot is shown, not lost
    window.show()
    QTimer.singleShot(0, lambda: after_show(window))
    try:
        return app.exec()
    finally:
        library.close()
        log.info("window closed")


def _main_window(library: Library) -> MainWindow:
    if not library.has_articles():
        # Only a new library needs the sample; the importers are not loaded otherwise.
        from briefing_app.core.sample import import_sample_library_once

        import_sample_library_once(library)

    from briefing_app.ui.mainwindow import MainWindow

    return MainWindow(library, window_settings())


def daily_backup_job(db_path: Path) -> Job:
    """The day's first start copies the library to backups/ (core/backup.py), on the job
    thread; finishes with the backup made, or None (one was made today, or read-only)."""
    from briefing_app.core import backup

    def work(library: Library, job: Job) -> Path | None:
        if library.read_only:
            return None
        return backup.back_up_if_due(library.db.conn, library.path)

    return Job(str(db_path), work)


def _submit_daily_backup(window: MainWindow, db_path: Path) -> None:
    job = daily_backup_job(db_path)
    job.raised.connect(
        lambda error: window.statusBar().showMessage(f"The daily backup failed: {describe(error)}", 15000)
    )
    window.jobs.submit(job)
