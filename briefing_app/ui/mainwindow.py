"""The main window: the library list and the open article's text.

A first, minimal window; the reader window issue adds the entity, timeline and notes panes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMainWindow, QSplitter, QTextBrowser

from briefing_app.core.store import Library


class MainWindow(QMainWindow):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.setWindowTitle("Briefing Reader")
        self.resize(1200, 800)
        self.article_list = QListWidget()
        self.text_view = QTextBrowser()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.article_list)
        splitter.addWidget(self.text_view)
        splitter.setSizes([350, 850])
        self.setCentralWidget(splitter)
        self.article_list.currentItemChanged.connect(self._open_current)
        self.reload()

    def reload(self) -> None:
        self.article_list.clear()
        for summary in self.library.list_articles():
            item = QListWidgetItem(summary.title)
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.article_list.addItem(item)
        self.statusBar().showMessage(f"{self.library.count_articles():,} articles")
        if self.article_list.count():
            self.article_list.setCurrentRow(0)

    def _open_current(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        article = self.library.get_article(item.data(Qt.ItemDataRole.UserRole))
        self.text_view.setPlainText(article.text)
