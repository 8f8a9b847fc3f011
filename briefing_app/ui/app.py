"""Start the Qt application on a library file."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing_app.core.paths import APP_NAME
from briefing_app.core.store import Library, LibraryError

# Set to 1, the window quits as soon as it is shown and prints when that was (the start-up
# benchmark reads it); nothing runs in the background meanwhile.
EXIT_AFTER_SHOW_ENV = "BRIEFING_EXIT_AFTER_SHOW"


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

    window = MainWindow(library, window_settings())
    window.show()
    if os.environ.get(EXIT_AFTER_SHOW_ENV) == "1":
        QTimer.singleShot(0, lambda: _report_shown_and_quit(window))
    else:
        # After the first paint: spaCy loads in the worker, never before the window shows.
        QTimer.singleShot(0, window.start_extraction)
    try:
        return app.exec()
    finally:
        library.close()


def _report_shown_and_quit(window) -> None:
    print(f"shown_at={time.time():.6f} spacy_loaded={'spacy' in sys.modules}", flush=True)
    window.close()
