"""The app on a library, typing into a note key by key: the crash-safety test's driver.

    python -m tests.support.type_into_note LIBRARY TEXT      (from the repository root)

Opens the window as `briefing` does, types TEXT at the end of the open article's first note
(or of a new note on it), printing "typed N T" after each key (T: time.monotonic()) and
"done T" at the end, then waits to be killed. No background extraction runs meanwhile.
The typing lives here, on the tests' side, so the package carries no test hook.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from briefing_app.logs import setup_logging
from briefing_app.ui.app import run

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

TYPING_INTERVAL_MS = 10


def type_into_note(window: MainWindow, text: str) -> None:
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


def main(argv: list[str]) -> int:
    db_path, text = Path(argv[0]), argv[1]
    setup_logging()  # as `briefing` does: saves are logged while typing
    return run(db_path, after_show=lambda window: type_into_note(window, text))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
