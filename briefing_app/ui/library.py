"""The library pane: search, filters and the lazily loaded article list."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette, QResizeEvent
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

from briefing_app.core.listing import ListRead, read_list
from briefing_app.core.store import RANKED_CANDIDATES, ArticleFilter, ArticleSummary, Library, LibraryError
from briefing_app.ui.inert import plain_tooltip
from briefing_app.ui.workers import BackgroundRead, ReadResults

SEARCH_DELAY_MS = 200
_COLUMNS = (("Title", "title"), ("Source", "source"), ("Date", "published"))
# Rows per fetch: a screenful or two; deep scrolling asks for more as it goes.
FETCH_SIZE = 200
_NO_DATE = QDate(1900, 1, 1)  # the date edits' minimum, shown as "any"
SOURCE_COLUMN_MIN_LIST_WIDTH = 300  # narrower, the list shows title and date only
_ROLES_ANSWERED = frozenset(
    {Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole}
)


class ArticleListModel(QAbstractTableModel):
    """Articles matching a filter, fetched from the library FETCH_SIZE rows at a time."""

    def __init__(self, library: Library, parent=None) -> None:
        super().__init__(parent)
        self.library = library
        self.article_filter = ArticleFilter()
        self.order = "published"
        self.descending = True
        self._rows: list[ArticleSummary] = []
        # A filtered list's ids in order (read once, then paged by position); None unfiltered.
        self._ids: list[int] | None = None
        # Set by the pane: reads the list again in the new order off the window's thread.
        self.sort_in_background: Callable[[], None] | None = None
        # Set by the pane: reads a page off the window's thread, read(library) on a pool
        # thread, then arrived(generation, rows) back on this one. Unset, pages are read here.
        self.read_page_in_background: Callable[[int, Callable[[Library], object]], None] | None = None
        # Which listing is shown: a page read for an earlier one is dropped when it arrives.
        self._generation = 0
        self.page_pending = False
        self._exhausted = False
        # How many articles pass the filter; None while a very common search is counted.
        self.total: int | None = 0
        # A very common search, listed newest imported first (ListRead.newest_first).
        self.newest_first = False

    # -- what is listed ----------------------------------------------------------------

    def set_filter(self, article_filter: ArticleFilter, newest_first_if_common: bool = False) -> None:
        """Raises LibraryError for a malformed search query, leaving the list as it was."""
        self.show_result(
            read_list(
                self.library, article_filter, self.order, self.descending, FETCH_SIZE, newest_first_if_common
            )
        )

    def reload(self) -> None:
        self.set_filter(self.article_filter, self.newest_first)

    def show_result(self, listed: ListRead) -> None:
        """What was read for a filter (read_list): its first page, and its count or every id."""
        self.beginResetModel()
        self._generation += 1
        self.page_pending = False
        self.article_filter = listed.article_filter
        self.total = listed.total
        self.newest_first = listed.newest_first
        self._rows = list(listed.first_page)
        self._ids = listed.ids
        self._exhausted = listed.total is not None and len(listed.first_page) >= listed.total
        self.endResetModel()

    def count_arrived(self, article_filter: ArticleFilter, total: int) -> bool:
        """The count of a very common search listed newest first; whether it is still shown."""
        if article_filter != self.article_filter or not self.newest_first:
            return False
        self.total = total
        return True

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
        if parent.isValid() or self._exhausted or self.page_pending:
            return
        read = self._next_page_read()
        if self.read_page_in_background is None:
            self.page_arrived(self._generation, cast(list[ArticleSummary], read(self.library)))
            return
        self.page_pending = True
        self.read_page_in_background(self._generation, read)

    def _next_page_read(self) -> Callable[[Library], object]:
        """The read of the page after the rows loaded, as a function of a library (which may
        be another connection, on another thread)."""
        loaded = len(self._rows)
        if self.newest_first:  # the next matches imported before the last row, by key
            article_filter, before = self.article_filter, self._rows[-1].id
            return lambda library: library.newest_matching(article_filter, FETCH_SIZE, before)
        if self._ids is not None:  # filtered: the next ids in order, by primary key
            next_ids = self._ids[loaded : loaded + FETCH_SIZE]
            return lambda library: library.summaries(next_ids)
        # Unfiltered: after the last row loaded, by key; a deep page costs what the first does.
        order, descending = self.order, self.descending
        after = self._rows[-1] if self._rows else None
        return lambda library: library.list_articles(None, order, descending, limit=FETCH_SIZE, after=after)

    def page_arrived(self, generation: int, batch: list[ArticleSummary]) -> None:
        """A page read by fetchMore: appended, unless the list changed since it was asked for."""
        if generation != self._generation:
            return
        self.page_pending = False
        loaded = len(self._rows)
        if self._ids is not None:
            self._exhausted = loaded + FETCH_SIZE >= len(self._ids)
        else:
            self._exhausted = len(batch) < FETCH_SIZE
            if self._exhausted and self.total is None:  # every match is listed: that is the count
                self.total = loaded + len(batch)
        if batch:
            self.beginInsertRows(QModelIndex(), loaded, loaded + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()

    def page_failed(self, generation: int) -> None:
        if generation == self._generation:
            self.page_pending = False  # the view asks again when it next needs rows

    # -- the table ---------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # The view asks each cell for some eight roles, for every loaded row as it sizes the
        # Date column (several times while the window is first laid out): answer the roles
        # not shown here at once.
        if role not in _ROLES_ANSWERED or not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, row.source or "", row.published or "")[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            about = f"{row.source or 'unknown source'} · {row.word_count:,} words"
            if not self.article_filter.query:
                return plain_tooltip(f"{row.title}\n{about}")
            # Searching: where it matched, the hits in bold (every piece of the article escaped,
            # so nothing in it is taken as markup). One article's snippet, read when the
            # pointer rests on the row: a couple of milliseconds.
            return f"<b>{html.escape(row.title)}</b><br>{html.escape(about)}<br>{self._snippet_html(row.id)}"
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _snippet_html(self, article_id: int) -> str:
        try:
            pieces = self.library.search_snippet(article_id, self.article_filter.query)
        except LibraryError:
            return ""
        return "".join(f"<b>{html.escape(text)}</b>" if hit else html.escape(text) for text, hit in pieces)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[section][0]
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # A first click on Date lists the newest first, as the list starts; names go A-Z.
            descending = _COLUMNS[section][1] == "published"
            return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.order = _COLUMNS[column][1]
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self.sort_in_background is None:
            self.reload()
            return
        self._exhausted = True  # no page in the new order follows rows of the old one
        self._generation += 1  # nor is a page of the old order still on its way wanted
        self.page_pending = False
        self.sort_in_background()


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
        self._search_timer.timeout.connect(self.apply_filter_in_background)
        # Searches while typing run on these threads, never the window's: a common word over
        # a large library takes long enough to freeze typing. Each request has a number; only
        # the latest one's result is shown, whatever order they finish in.
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._read_results = ReadResults()
        self._read_results.arrived.connect(self._read_arrived)
        self._read_results.failed.connect(self._read_failed)
        self._search_number = 0
        self.searches_running = 0
        self._select_when_read: int | None = None  # see reload()
        # The user chose the order (clicked a column) for the search shown: a very common
        # search is then sorted in full rather than listed newest imported first.
        self._sorted_by_user = False
        self.search_field.textChanged.connect(self._search_timer.start)

        self.entity_field = QLineEdit(placeholderText="Mentioning entity…", clearButtonEnabled=True)
        self.entity_field.editingFinished.connect(self.apply_filter_in_background)
        self.entity_field.textChanged.connect(self._entity_text_changed)
        self._entity_completer = QCompleter([], self.entity_field)
        self._entity_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._entity_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._entity_completer.activated.connect(lambda _text: self.apply_filter_in_background())
        self.entity_field.setCompleter(self._entity_completer)
        # The names load when the field is first used, not at start: there is one per entity
        # in the library, and reading them all held up the window's first showing.
        self._entity_names_stale = True
        self.entity_field.installEventFilter(self)

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
        # The view sorts as it is set up (three times): the order is noted, the list read once below.
        self.model.sort_in_background = lambda: None
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        # A narrow list still shows how a title starts and ends; the tooltip has all of it.
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        # The dates are all as wide as "2024-03-03": a fixed width, where fitting the column
        # to its contents measured all the rows loaded at every layout of the pane (~10 ms
        # for 200 rows each time a search showed or hid the line above the list).
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, self._date_column_width())
        header.resizeSection(1, 76)
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
        self.model.sort_in_background = self._sort_chosen
        if self.library.path != ":memory:":  # else no other connection could read the file
            self.model.read_page_in_background = self._read_page_in_background

    def _date_column_width(self) -> int:
        """Room for an ISO date or the header's "Date", with its sort arrow, and the cell margins."""
        cell = self.view.fontMetrics().horizontalAdvance("0000-00-00")
        title = self.view.horizontalHeader().fontMetrics().horizontalAdvance("Date") + 24  # the arrow
        return max(cell, title) + 16

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A narrow list gives the title the Source column's room (the tooltip names the source).
        self.view.setColumnHidden(1, self.width() < SOURCE_COLUMN_MIN_LIST_WIDTH)

    def _date_edit(self, empty_text: str) -> QDateEdit:
        # PySide6 takes Qt properties as keywords; the stubs' overloads of QDateEdit omit them.
        edit = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")  # type: ignore[call-overload]
        edit.setMinimumDate(_NO_DATE)
        edit.setSpecialValueText(empty_text)
        edit.setDate(_NO_DATE)
        edit.dateChanged.connect(self.apply_filter_in_background)
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

    def _forget_sort_choice_for_a_new_search(self, article_filter: ArticleFilter) -> None:
        """A column clicked for one search says nothing of the next: a very common new search
        is listed newest first again (unless the list is sorted by another column)."""
        if article_filter.query != self.model.article_filter.query:
            self._sorted_by_user = False

    def _newest_first_if_common(self) -> bool:
        """Whether a very common search is listed newest imported first: when the list is in
        its first order (newest date first) and the user has not asked for an order since the
        search was typed."""
        in_first_order = (self.model.order, self.model.descending) == ("published", True)
        return in_first_order and not self._sorted_by_user

    def _sort_chosen(self) -> None:
        self._sorted_by_user = True
        self.apply_filter_in_background(resorted=True)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self._search_number += 1  # what is still being searched in the background is stale now
        article_filter = self.current_filter()
        if article_filter == self.model.article_filter:
            return
        try:
            self._forget_sort_choice_for_a_new_search(article_filter)
            self.model.set_filter(article_filter, self._newest_first_if_common())
            if self.model.total is None:  # a very common search: its count, read here too
                self.model.count_arrived(article_filter, self.library.count_articles(article_filter))
        except LibraryError as exc:  # a busy library, or a query even the translation refused
            self._show_message(str(exc))
            return
        self._filter_shown()

    def apply_filter_in_background(self, resorted: bool = False) -> None:
        """The filter as typed so far, read on a pool thread; the list changes when it arrives.
        resorted: the model's order changed, so the same filter is read again."""
        self._search_timer.stop()
        self._search_number += 1
        article_filter = self.current_filter()
        if article_filter == self.model.article_filter and not resorted:
            return
        if self.library.path == ":memory:":  # no file another connection could read
            if resorted:
                self.model.reload()
            else:
                self.apply_filter()
            return
        order, descending = self.model.order, self.model.descending
        self._forget_sort_choice_for_a_new_search(article_filter)
        newest_first_if_common = self._newest_first_if_common()

        def read(library: Library) -> object:
            return read_list(library, article_filter, order, descending, FETCH_SIZE, newest_first_if_common)

        self.searches_running += 1
        self._reads.start(
            BackgroundRead(self.library.path, "list", self._search_number, read, self._read_results)
        )

    def _read_page_in_background(self, generation: int, read: Callable[[Library], object]) -> None:
        self._reads.start(BackgroundRead(self.library.path, "page", generation, read, self._read_results))

    def _read_arrived(self, what: str, number: int, result: object) -> None:
        if what == "entity names":
            cast(QStringListModel, self._entity_completer.model()).setStringList(cast(list[str], result))
            return
        if what == "page":
            self.model.page_arrived(number, cast(list[ArticleSummary], result))
            return
        if what == "count":
            self.searches_running -= 1
            counted_filter, total = cast(tuple[ArticleFilter, int], result)
            if number == self._search_number and self.model.count_arrived(counted_filter, total):
                self._filter_shown()
            return
        self.searches_running -= 1
        if number != self._search_number:
            return  # stale: something newer was asked for since
        listed = cast(ListRead, result)
        self.model.show_result(listed)
        if listed.total is None:  # a very common search: counted next, the list already shown
            self._count_in_background(listed.article_filter)
        if self._select_when_read is not None:  # read again after an import: same article current
            self.select_article(self._select_when_read, activate=False)
            self._select_when_read = None
        self._filter_shown()

    def _count_in_background(self, article_filter: ArticleFilter) -> None:
        def count(library: Library) -> object:
            return article_filter, library.count_articles(article_filter)

        self.searches_running += 1  # a read under way, as the search was
        self._reads.start(
            BackgroundRead(self.library.path, "count", self._search_number, count, self._read_results)
        )

    def _read_failed(self, what: str, number: int, message: str) -> None:
        if what == "entity names":
            self._entity_names_stale = True  # asked again next time the field is used
            return
        if what == "count":
            self.searches_running -= 1
            return  # the list stays as shown, its count "counting…" (the search is read again on the next change)
        if what == "page":
            self.model.page_failed(number)
            self._show_message(message)
            return
        self.searches_running -= 1
        if number == self._search_number:
            self._show_message(message)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _filter_shown(self) -> None:
        if self.model.total == 0:
            self.message.setText("No article matches.")
        elif self.model.newest_first:
            self.message.setText(
                f"In over {RANKED_CANDIDATES:,} articles: newest imported first. "
                "Click a column to sort them all."
            )
        shown = self.model.total == 0 or self.model.newest_first
        if shown == self.message.isHidden():  # each change lays the pane out again
            self.message.setVisible(shown)
        self._show_sort_indicator()
        self.filter_changed.emit()

    def _show_sort_indicator(self) -> None:
        """The header marks the column the list is sorted by; none while a very common search
        is listed newest imported first. Set quietly: the view would sort again on the signal."""
        header = self.view.horizontalHeader()
        column = next((i for i, (_, key) in enumerate(_COLUMNS) if key == self.model.order), -1)
        order = Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
        section = -1 if self.model.newest_first else column
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (section, order):
            return  # unchanged: setting it again re-measures the columns (10 ms at 200 rows)
        header.blockSignals(True)
        header.setSortIndicator(section, order)
        header.blockSignals(False)

    def _entity_text_changed(self, text: str) -> None:
        if not text:  # cleared: list everything again at once; typing waits for Enter
            self.apply_filter_in_background()

    def show_mentioning(self, entity_name: str) -> None:
        self.entity_field.setText(entity_name)
        self.apply_filter_in_background()

    def clear_filters(self) -> None:
        for field in (self.search_field, self.entity_field):
            field.blockSignals(True)
            field.clear()
            field.blockSignals(False)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
            edit.setDate(_NO_DATE)
            edit.blockSignals(False)
        self.apply_filter_in_background()

    def refresh_entity_names(self) -> None:
        """The entity names changed: read them again, now if the field is in use, else when
        it next is."""
        self._entity_names_stale = True
        if self.entity_field.hasFocus():
            self._load_entity_names()

    def _load_entity_names(self) -> None:
        self._entity_names_stale = False
        if self.library.path == ":memory:":
            names = self.library.entity_names()
            cast(QStringListModel, self._entity_completer.model()).setStringList(names)
            return
        self._reads.start(
            BackgroundRead(self.library.path, "entity names", 0, Library.entity_names, self._read_results)
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.entity_field and event.type() == QEvent.Type.FocusIn and self._entity_names_stale:
            self._load_entity_names()
        return super().eventFilter(watched, event)

    def reload(self) -> None:
        """After an import: the same filter over the library as it is now. Unfiltered, that is
        a count and a page by key, read here; a filter is read again in the background."""
        current = self.current_article_id()
        self.refresh_entity_names()
        if self.model.article_filter.is_empty() or self.library.path == ":memory:":
            self.model.reload()
            if current is not None:
                self.select_article(current, activate=False)
            return
        self._select_when_read = current
        self.apply_filter_in_background(resorted=True)

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
