"""Qt text that reaches nothing outside the article.

Titles, article text and note bodies come from anywhere. Qt takes any text that looks like HTML
as rich text in labels and tooltips, and its text documents load the images they name, from the
analyst's disk too. So what the window shows from an article or a note goes through here, or into
a widget set to plain text.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget


def plain_tooltip(text: str) -> str:
    """A tooltip that shows text as written (Qt would render "<img src=...>" in it as an image)."""
    return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


class InertTextDocument(QTextDocument):
    """A document that shows only the resources given to it with addResource: an <img> or a
    stylesheet naming a file or a URL loads nothing (QTextDocument would read local files)."""

    def loadResource(self, type: int, name: QUrl | str) -> object:
        return None


class InertTextBrowser(QTextBrowser):
    """A QTextBrowser that loads no resource and follows no link (it would open a local file
    named by a link in itself).

    The document is an InertTextDocument: overriding the browser's loadResource alone is not
    enough, as a QTextDocument reads a local file itself when its widget loads nothing.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(InertTextDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        return None
