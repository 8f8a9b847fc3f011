"""The Qt binding keeps Python's reference counts right (PySide6 6.12.0 did not)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument


def test_void_qt_calls_do_not_steal_references_to_none(qapp):
    # With 6.12.0 each call below dropped one reference to None; on Python 3.11 the app
    # aborted ("none_dealloc") after a few thousand, e.g. while highlighting an article.
    document = QTextDocument("hello world " * 50)
    cursor = QTextCursor(document)
    char_format = QTextCharFormat()
    before = sys.getrefcount(None)
    for _ in range(1000):
        cursor.setPosition(5)
        cursor.mergeCharFormat(char_format)
    assert sys.getrefcount(None) - before > -100
