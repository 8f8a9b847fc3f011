"""The library pane: search, filters and the lazily loaded article list."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core.store import ArticleFilter, ArticleSummary, Library, LibraryError

SEARCH_DELAY_MS = 200
_COLUMNS = (("Title", "title"), ("Source", "source"), ("Date", "published"))
# Rows per fetch: a screenful or two; deep scrolling asks for more as it goes.
FETCH_SIZE = 200
_NO_DATE = QDate(1900, 1, 1)  # the date edits' minimum, shown as "any"


class ArticleListModel(QAbstractTableModel):
    """Articles matching a filter, fetched from the library FETCH_SIZE rows at a time."""

    def __init__(self, library: Library, parent=None) -> None:
        super().__init__(parent)
        self.library = library
        self.article_filter = ArticleFilter()
        self.order = "published"
        self.descending = True
        self._rows: list[ArticleSummary] = []
        self._exhausted = False
        self.total = 0

    # -- what is listed ----------------------------------------------------------------

    def set_filter(self, article_filter: ArticleFilter) -> None:
        """Raises LibraryError for a malformed search query, leaving the list as it was."""
        total = self.library.count_articles(article_filter)
        self.article_filter = article_filter
        self._reset(total)

    def reload(self) -> None:
        self._reset(self.library.count_articles(self.article_filter))

    def _reset(self, total: int) -> None:
        self.beginResetModel()
        self.total = total
        self._rows = []
        self._exhausted = total == 0
        self.endResetModel()
        self.fetchMore()  # the first screenful now, so the list is never briefly empty

    def article_id(self, row: int) -> int:
        return self._rows[row].id

    def row_of(self, article_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == article_id), None)

    def loaded_ids(self) -> list[int]:
        return [r.id for r in self._rows]

    # -- lazy loading ------------------------------------------------------------------

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        # After the last row loaded, by key: a page deep in the list costs what the first does.
        batch = self.library.list_articles(
            self.article_filter,
            self.order,
            self.descending,
            limit=FETCH_SIZE,
            after=self._rows[-1] if self._rows else None,
        )
        self._exhausted = len(batch) < FETCH_SIZE
        if batch:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()

    # -- the table ---------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, row.source or "", row.published or "")[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n{row.source or 'unknown source'} · {row.word_count:,} words"
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[section][0]
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.order = _COLUMNS[column][1]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._reset(self.total)


class LibraryPane(QWidget):
    """Entity and date filters over the article list, and a search field that the window
    places in its toolbar."""

    article_activated = Signal(int)
    filter_changed = Signal()

    def __init__(self, library: Library, parent=None) -> None:
        super().__init__(parent)
        self.library = library
        self.model = ArticleListModel(library, self)

        self.search_field = QLineEdit(placeholderText="Search articles…", clearButtonEnabled=True)
        self.search_field.setToolTip('Full-text search: words, "a phrase", pre*, AND / OR / NOT')
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search_field.textChanged.connect(self._search_timer.start)

        self.entity_field = QLineEdit(placeholderText="Mentioning entity…", clearButtonEnabled=True)
        self.entity_field.editingFinished.connect(self.apply_filter)
        self.entity_field.textChanged.connect(self._entity_text_changed)
        self._entity_completer = QCompleter([], self.entity_field)
        self._entity_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._entity_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._entity_completer.activated.connect(lambda _text: self.apply_filter())
        self.entity_field.setCompleter(self._entity_completer)

        self.date_from = self._date_edit("from: any")
        self.date_to = self._date_edit("to: any")
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(self.date_to)

        self.message = QLabel(wordWrap=True)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.message.hide()

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 90)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        # PySide6 takes inherited Qt properties as keywords; its stubs list only the class's own.
        clear = QToolButton(text="Clear filters", autoRaise=True)  # type: ignore[call-arg]
        clear.clicked.connect(self.clear_filters)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.entity_field)
        layout.addLayout(dates)
        layout.addWidget(clear, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        self.model.reload()
        self.refresh_entity_names()

    def _date_edit(self, empty_text: str) -> QDateEdit:
        # PySide6 takes Qt properties as keywords; the stubs' overloads of QDateEdit omit them.
        edit = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")  # type: ignore[call-overload]
        edit.setMinimumDate(_NO_DATE)
        edit.setSpecialValueText(empty_text)
        edit.setDate(_NO_DATE)
        edit.dateChanged.connect(self.apply_filter)
        return edit

    # -- filtering ---------------------------------------------------------------------

    def current_filter(self) -> ArticleFilter:
        def iso(edit: QDateEdit) -> str:
            return "" if edit.date() == _NO_DATE else edit.date().toString(Qt.DateFormat.ISODate)

        return ArticleFilter(
            query=self.search_field.text().strip(),
            entity=self.entity_field.text().strip(),
            date_from=iso(self.date_from),
            date_to=iso(self.date_to),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        article_filter = self.current_filter()
        if article_filter == self.model.article_filter:
            return
        try:
            self.model.set_filter(article_filter)
        except LibraryError as exc:  # a busy library, or a query even the translation refused
            self.message.setText(str(exc))
            self.message.show()
            return
        self.message.setVisible(self.model.total == 0)
        self.message.setText("No article matches." if self.model.total == 0 else "")
        self.filter_changed.emit()

    def _entity_text_changed(self, text: str) -> None:
        if not text:  # cleared: list everything again at once; typing waits for Enter
            self.apply_filter()

    def show_mentioning(self, entity_name: str) -> None:
        self.entity_field.setText(entity_name)
        self.apply_filter()

    def clear_filters(self) -> None:
        for field in (self.search_field, self.entity_field):
            field.blockSignals(True)
            field.clear()
            field.blockSignals(False)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
            edit.setDate(_NO_DATE)
            edit.blockSignals(False)
        self.apply_filter()

    def refresh_entity_names(self) -> None:
        # QCompleter(list) keeps its strings in a QStringListModel.
        cast(QStringListModel, self._entity_completer.model()).setStringList(self.library.entity_names())

    def reload(self) -> None:
        """After an import: the same filter over the library as it is now."""
        current = self.current_article_id()
        self.model.reload()
        self.refresh_entity_names()
        if current is not None:
            self.select_article(current, activate=False)

    # -- the current article -----------------------------------------------------------

    def current_article_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.article_id(index.row()) if index.isValid() else None

    def select_article(self, article_id: int, activate: bool = True) -> bool:
        """Make the article current if it is among the rows loaded so far."""
        row = self.model.row_of(article_id)
        if row is None:
            return False
        if not activate:
            self.view.selectionModel().blockSignals(True)
        self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.selectionModel().blockSignals(False)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.article_activated.emit(self.model.article_id(current.row()))
