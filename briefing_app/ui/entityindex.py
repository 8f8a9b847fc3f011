"""The Entities view: every entity in the library, with facets by type, source and date
range (and the library's filter, when asked), sortable columns, pages fetched as the list
scrolls, and merge / rename / not an entity on the whole library through window.ops.

Every read runs on the view's own background thread (a page at 100,000 articles is an index
seek, a faceted one a grouping over the chosen articles); a result for an older question is
dropped when it lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core.entity_index import (
    PAGE_SIZE,
    EntityQuery,
    EntityRow,
    count_entities,
    list_entities,
    sources,
    surfaces,
    type_counts,
)
from briefing_app.core.store import Library
from briefing_app.core.textnorm import iso_date
from briefing_app.ui.entityops import merge_entity, reject_entity, rename_entity
from briefing_app.ui.entitypane import TYPE_NAMES
from briefing_app.ui.inert import plain_tooltip
from briefing_app.ui.ops import Changes
from briefing_app.ui.workers import Job, JobQueue

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

HEADERS = ("Name", "Type", "Articles", "Mentions", "First seen", "Last seen", "Aliases")
SORT_KEYS = ("name", "type", "articles", "mentions", "first_seen", "last_seen", "")
NUMERIC = (2, 3)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the EntityRow of a row


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def compact_rows(table: QTableView) -> None:
    """Rows as high as a line of text needs (a table's default is taller)."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)


def make_entity_index_view(window: MainWindow, _argument: str) -> QWidget:
    return EntityIndexView(window)


class Reader(QObject):
    """Runs reads of the library off the GUI thread, on connections of their own; each
    answer goes to its callback unless a newer read of the same kind was asked for since."""

    def __init__(self, library: Library, parent: QObject) -> None:
        super().__init__(parent)
        self.library = library
        self.queue = JobQueue(self)
        self._latest: dict[str, int] = {}
        self._pending = 0

    def read(self, kind: str, work: Callable[[Library], Any], done: Callable[[Any], None]) -> None:
        number = self._latest.get(kind, 0) + 1
        self._latest[kind] = number

        def landed(result: Any) -> None:
            self._pending -= 1
            if self._latest.get(kind) == number:
                done(result)

        self._pending += 1
        if self.library.path == ":memory:":  # no second connection to an in-memory library
            landed(work(self.library))
            return
        job = Job(self.library.path, lambda library, _job: work(library))
        job.finished.connect(landed)
        job.raised.connect(lambda error: landed(error))
        self.queue.submit(job)

    def is_busy(self) -> bool:
        return self._pending > 0


@dataclass(frozen=True)
class Page:
    """What one read of the index brings: its rows and, for a first page, the totals."""

    query: EntityQuery
    offset: int
    rows: list[EntityRow]
    total: int = -1  # -1: not counted (a later page)
    types: dict[str, int] | None = None
    sources: list[str] | None = None


def read_page(library: Library, query: EntityQuery, offset: int, first: bool) -> Page:
    rows = list_entities(library, query, offset, PAGE_SIZE)
    if not first:
        return Page(query, offset, rows)
    return Page(
        query, offset, rows, count_entities(library, query), type_counts(library, query), sources(library)
    )


class EntityIndexModel(QAbstractTableModel):
    """The index's rows, a page at a time; sorting asks the view for a new first page."""

    sort_requested = Signal(str, bool)  # order, descending
    more_wanted = Signal(int)  # the offset of the next page

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[EntityRow] = []
        self.total = 0
        self._asked_offset = -1

    def set_rows(self, rows: list[EntityRow], total: int) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.total = total
        self._asked_offset = -1
        self.endResetModel()

    def add_rows(self, offset: int, rows: list[EntityRow]) -> None:
        if offset != len(self.rows) or not rows:
            return  # a page for another list, or nothing more
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
        self.rows += rows
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                row.name,
                row.label,
                f"{row.articles:,}",
                f"{row.mentions:,}",
                row.first_seen or "",
                row.last_seen or "",
                ", ".join(row.aliases),
            )
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return TYPE_NAMES.get(row.label, row.label)
            if column in (0, 6):
                also = f"\nalso: {', '.join(row.aliases)}" if row.aliases else ""
                return plain_tooltip(f"{row.name} ({row.label}){also}")
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and len(self.rows) < self.total and self._asked_offset != len(self.rows)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if self.canFetchMore(parent):
            self._asked_offset = len(self.rows)
            self.more_wanted.emit(len(self.rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(SORT_KEYS) and SORT_KEYS[column]:
            self.sort_requested.emit(SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)


class EntityIndexView(QWidget):
    """Facets above, the index below; double-click an entity for its dossier."""

    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.ops = window.ops
        self.reader = Reader(window.library, self)
        self.query = EntityQuery()
        self._first_loaded = False

        self.type_box = QComboBox()
        self.type_box.setToolTip("Only entities of this type")
        self.source_box = QComboBox()
        self.source_box.setToolTip("Count only the articles of this source")
        self.source_box.setMinimumContentsLength(14)
        self.source_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.date_from = QLineEdit(placeholderText="from YYYY-MM-DD")
        self.date_to = QLineEdit(placeholderText="to YYYY-MM-DD")
        for field in (self.date_from, self.date_to):
            field.setMaximumWidth(130)
            field.setClearButtonEnabled(True)
            field.editingFinished.connect(self._facets_changed)
        self.use_library_filter = QCheckBox("Listed articles only")
        self.use_library_filter.setToolTip(
            "Count only the articles the library list shows (its search and filters)"
        )
        self.use_library_filter.toggled.connect(self._facets_changed)
        self.type_box.activated.connect(self._facets_changed)
        self.source_box.activated.connect(self._facets_changed)
        self.summary = QLabel("Reading the entities…")

        facets = QHBoxLayout()
        facets.addWidget(QLabel("Type"))
        facets.addWidget(self.type_box)
        facets.addWidget(QLabel("Source"))
        facets.addWidget(self.source_box)
        facets.addWidget(QLabel("Dates"))
        facets.addWidget(self.date_from)
        facets.addWidget(self.date_to)
        facets.addWidget(self.use_library_filter)
        facets.addStretch(1)
        facets.addWidget(self.summary)

        self.model = EntityIndexModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        # Before the model's signals are connected: setting these sorts once, to no purpose.
        self.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.model.sort_requested.connect(self._sort)
        self.model.more_wanted.connect(self._read_more)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # names: both ends tell
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((260, 80, 70, 80, 95, 95)):
            header.resizeSection(column, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda index: self.open_dossier(self.row_at(index)))

        layout = QVBoxLayout(self)
        layout.addLayout(facets)
        layout.addWidget(self.table, 1)
        self.ops.changed.connect(self._library_changed)
        self.reload()

    # -- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        """The first page again, for the current facets and order."""
        query = self.query
        self.reader.read("page", lambda library: read_page(library, query, 0, first=True), self._first_page)

    def _first_page(self, page: Page | Exception) -> None:
        if isinstance(page, Exception):
            self.summary.setText(f"Could not read the entities: {page}")
            self._first_loaded = True
            self.loaded.emit()
            return
        self.model.set_rows(page.rows, page.total)
        self._fill_facets(page)
        filtered = " (in the chosen articles)" if page.query.is_filtered() else ""
        self.summary.setText(f"{plural(page.total, 'entity').replace('entitys', 'entities')}{filtered}")
        self._first_loaded = True
        self.loaded.emit()

    def _read_more(self, offset: int) -> None:
        query = self.query
        self.reader.read(
            "more", lambda library: read_page(library, query, offset, first=False), self._more_landed
        )

    def _more_landed(self, page: Page | Exception) -> None:
        if isinstance(page, Page) and page.query == self.query:
            self.model.add_rows(page.offset, page.rows)

    def wait_until_loaded(self, timeout_ms: int = 30000) -> None:
        """Until the first page has landed (for screenshots and tests)."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        from PySide6.QtWidgets import QApplication

        deadline = QDeadlineTimer(timeout_ms)
        while not (self._first_loaded and not self.reader.is_busy()) and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def _fill_facets(self, page: Page) -> None:
        if page.types is not None:
            self.type_box.clear()
            self.type_box.addItem(f"All types ({sum(page.types.values()):,})", "")
            shown = dict(page.types)
            if self.query.label and self.query.label not in shown:
                shown[self.query.label] = 0
            for label, count in shown.items():
                self.type_box.addItem(f"{TYPE_NAMES.get(label, label)} ({count:,})", label)
            self.type_box.setCurrentIndex(max(0, self.type_box.findData(self.query.label)))
        if page.sources is not None:
            self.source_box.clear()
            self.source_box.addItem("All sources", "")
            for source in page.sources:
                self.source_box.addItem(source, source)
            self.source_box.setCurrentIndex(max(0, self.source_box.findData(self.query.source)))

    # -- facets and order ----------------------------------------------------------------

    def _date(self, field: QLineEdit) -> str | None:
        """The field's ISO date, "" when empty, None (and said) when it is not a date."""
        text = field.text().strip()
        if not text:
            return ""
        if iso_date(text) != text:
            self.ops.refuse(f"“{text}” is not a date: write it as YYYY-MM-DD.")
            return None
        return text

    def _facets_changed(self, *_args: object) -> None:
        date_from, date_to = self._date(self.date_from), self._date(self.date_to)
        if date_from is None or date_to is None:
            return
        library_filter = self.window_.library_pane.model.article_filter
        query = replace(
            self.query,
            label=self.type_box.currentData() or "",
            source=self.source_box.currentData() or "",
            date_from=date_from,
            date_to=date_to,
            articles=library_filter if self.use_library_filter.isChecked() else type(library_filter)(),
        )
        if query != self.query:
            self.query = query
            self.summary.setText("Counting…")
            self.reload()

    def set_query(self, query: EntityQuery) -> None:
        """Show the index for `query` (facets set as it says)."""
        self.query = query
        self.date_from.setText(query.date_from)
        self.date_to.setText(query.date_to)
        self.reload()

    def _sort(self, order: str, descending: bool) -> None:
        if (order, descending) != (self.query.order, self.query.is_descending()):
            self.query = replace(self.query, order=order, descending=descending)
            self.reload()

    def _library_changed(self, changes: Changes) -> None:
        if changes.entities or changes.extraction:
            self.reload()

    # -- acting on an entity -----------------------------------------------------------

    def row_at(self, index: QModelIndex) -> EntityRow | None:
        return index.siblingAtColumn(0).data(ROW_ROLE) if index.isValid() else None

    def selected(self) -> EntityRow | None:
        return self.row_at(self.table.currentIndex())

    def open_dossier(self, row: EntityRow | None) -> None:
        if row is not None:
            self.window_.show_view(f"dossier:{row.name}")

    def _context_menu(self, point: QPoint) -> None:
        row = self.row_at(self.table.indexAt(point))
        if row is None:
            return
        menu = QMenu(self)
        menu.addAction("Open Dossier", lambda: self.open_dossier(row))
        menu.addAction("Articles Mentioning It", lambda: self.show_mentioning(row))
        menu.addSeparator()
        menu.addAction("Rename…", lambda: self.rename(row))
        menu.addAction("Merge Into…", lambda: self.merge(row))
        menu.addAction("Not an Entity", lambda: self.reject(row))
        menu.exec(self.table.viewport().mapToGlobal(point))
        menu.deleteLater()

    def show_mentioning(self, row: EntityRow) -> None:
        self.window_.library_pane.show_mentioning(row.name)
        self.window_.show_view("reader")

    def rename(self, row: EntityRow, new_name: str | None = None) -> None:
        """Rename the entity everywhere (asks for the name unless given)."""
        if new_name is None:
            new_name, ok = QInputDialog.getText(
                self, "Rename Entity", f"New name for “{row.name}”:", text=row.name
            )
            if not ok:
                return
        rename_entity(self.ops, row.name, row.label, new_name)

    def merge(self, row: EntityRow, into: str | None = None) -> None:
        """Merge the entity into another one, everywhere: picked among the listed entities or
        typed ("Name" keeps its type; "Name (TYPE)" names one)."""
        if into is None:
            others = [r for r in self.model.rows if r.entity_id != row.entity_id]
            choices = [f"{r.name} ({r.label})" for r in others]
            into, ok = QInputDialog.getItem(
                self, "Merge Into", f"Merge “{row.name}” into (pick, or type a name):", choices, 0, True
            )
            if not ok:
                return
        merge_entity(self.ops, row.name, row.label, into)

    def reject(self, row: EntityRow) -> None:
        """Not an entity (of this type): every text it appears as, in every article."""
        reject_entity(
            self.ops, row.name, row.label, lambda library: [row.name, *surfaces(library, row.entity_id)]
        )
