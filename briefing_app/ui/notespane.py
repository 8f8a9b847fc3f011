"""The notes pane: a place held for the notes issue (note list and editor)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class NotesPane(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        label = QLabel("Notes on passages will appear here.", wordWrap=True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
