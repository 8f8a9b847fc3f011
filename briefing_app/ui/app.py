"""Start the Qt application on a library file."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing_app.core.paths import APP_NAME
from briefing_app.core.store import Library, LibraryError
from briefing_app.ui.workers import Job

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

# Set to 1, the window quits as soon as it is shown and prints when that was (the start-up
# benchmark reads it); nothing runs in the background meanwhile.
EXIT_AFTER_SHOW_ENV = "BRIEFING_EXIT_AFTER_SHOW"
# Set to some text, the window types it, key by key, at the end of the open article's first
# note (or of a new note on the article), printing "typed <n> <time.monotonic()>" after each
# key and "done <time>" at the end, then waits to be killed (the crash-safety test). Nothing
# runs in the background meanwhile.
TYPE_NOTE_ENV = "BRIEFING_TEST_TYPE_NOTE"
TYPING_INTERVAL_MS = 10


def settings_path() -> Path:
    """The window's settings file (geometry, splitter, open article), beside the user's config."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "window.ini"


def window_settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def run(db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Briefing Reader")
    app.setOrganizationName(APP_NAME)
    try:
        library = Library(db_path)
    except LibraryError as exc:
        QMessageBox.critical(None, "Briefing Reader", str(exc))
        return 2
    if not library.count_articles():
        # Only a new library needs the sample; the importers are not loaded otherwise.
        from briefing_app.core.sample import import_sample_library_once

        import_sample_library_once(library)

    from briefing_app.ui.mainwindow import MainWindow
    from briefing_app.ui.ops import install_excepthook

    window = MainWindow(library, window_settings())
    install_excepthook(window.ops)  # an exception escaping a slot is shown, not lost
    window.show()
    if os.environ.get(EXIT_AFTER_SHOW_ENV) == "1":
        QTimer.singleShot(0, lambda: _report_shown_and_quit(window))
    elif text := os.environ.get(TYPE_NOTE_ENV):
        QTimer.singleShot(0, lambda: _type_into_note(window, text))
    else:
        # After the first paint: spaCy loads in the worker, never before the window shows.
        QTimer.singleShot(0, window.start_extraction)
        QTimer.singleShot(0, lambda: _submit_daily_backup(window, db_path))
    try:
        return app.exec()
    finally:
        library.close()


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
    # The job reports a traceback; its last line, without the exception's class, says why.
    job.failed.connect(
        lambda details: window.statusBar().showMessage(
            f"The daily backup failed: {details.strip().splitlines()[-1].split(': ', 1)[-1]}", 15000
        )
    )
    window.jobs.submit(job)


def _report_shown_and_quit(window) -> None:
    print(f"shown_at={time.time():.6f} spacy_loaded={'spacy' in sys.modules}", flush=True)
    window.close()


def _type_into_note(window, text: str) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent, QTextCursor

    window.open_first_article()
    pane = window.notes_pane
    notes = pane.model.notes()
    if notes:
        pane.select_note(notes[0].uuid)
    else:
        pane.create_article_note()
    pane.body_edit.moveCursor(QTextCursor.MoveOperation.End)
    keys = iter(enumerate(text, 1))

    def type_next() -> None:
        typed = next(keys, None)
        if typed is None:
            timer.stop()
            print(f"done {time.monotonic():.6f}", flush=True)
            return
        n, key = typed
        # Key events with text, as a keyboard sends them (QTest's handle ASCII only).
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(pane.body_edit, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, key))
        print(f"typed {n} {time.monotonic():.6f}", flush=True)

    timer = QTimer(window, interval=TYPING_INTERVAL_MS)
    timer.timeout.connect(type_next)
    timer.start()
