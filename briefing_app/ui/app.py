"""Start the Qt application on a library file."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from briefing_app.core.sample import import_sample_library_once
from briefing_app.core.store import Library, LibraryError


def run(db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Briefing Reader")
    app.setOrganizationName("briefing-reader")
    try:
        library = Library(db_path)
    except LibraryError as exc:
        QMessageBox.critical(None, "Briefing Reader", str(exc))
        return 2
    import_sample_library_once(library)

    from briefing_app.ui.mainwindow import MainWindow

    window = MainWindow(library)
    window.show()
    try:
        return app.exec()
    finally:
        library.close()
