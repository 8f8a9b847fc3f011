"""An entity's dossier as a view (`dossier:NAME`): its aliases, every mention in context (a
keyword-in-context list: click a line to open the article at that mention), the entities
most often in the same sentence, its dated events across the library and the notes that
quote it. Read in the background (core/dossier.py); more mention lines come as the list
scrolls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core.dossier import FIRST_MENTIONS, Dossier, MentionLine, build_dossier, mention_lines
from briefing_app.core.entity_index import find_entity
from briefing_app.core.store import Library
from briefing_app.core.timeaxis import readable
from briefing_app.ui.entityindex import Reader, compact_rows, plural
from briefing_app.ui.entitypane import TYPE_NAMES
from briefing_app.ui.inert import plain_tooltip
from briefing_app.ui.ops import Changes

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

MENTION_HEADERS = ("Date", "Source", "Before", "Mention", "After")
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1  # (article id, start, end) or a name to open


def make_dossier_view(window: MainWindow, argument: str) -> QWidget:
    return DossierView(window, argument)


class MentionModel(QAbstractTableModel):
    """Keyword-in-context lines; fetchMore asks for the next articles' lines."""

    more_wanted = Signal(int)  # the entity's next article offset

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: list[MentionLine] = []
        self.total = 0  # the entity's mentions
        self.articles_read = 0
        self._asked = -1
        self.bold = QFont()
        self.bold.setBold(True)

    def set_lines(self, lines: list[MentionLine], total: int, articles_read: int) -> None:
        self.beginResetModel()
        self.lines, self.total, self.articles_read, self._asked = list(lines), total, articles_read, -1
        self.endResetModel()

    def add_lines(self, offset: int, lines: list[MentionLine], articles_read: int) -> None:
        if offset != self.articles_read:
            return
        self.articles_read += articles_read
        if lines:
            self.beginInsertRows(QModelIndex(), len(self.lines), len(self.lines) + len(lines) - 1)
            self.lines += lines
            self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(MENTION_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 5
        ):
            return MENTION_HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (line.published or "", line.source or "", line.left, line.mention, line.right)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column == 2 else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 3:
            return self.bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{line.title}\n…{line.left} {line.mention} {line.right}…")
        if role == TARGET_ROLE:
            return (line.article_id, line.start, line.end)
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and len(self.lines) < self.total and self._asked != self.articles_read

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if self.canFetchMore(parent):
            self._asked = self.articles_read
            self.more_wanted.emit(self.articles_read)


class ElideLeftDelegate(QStyledItemDelegate):
    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


def _read(library: Library, name: str) -> Dossier | None:
    entity = find_entity(library, name)
    return build_dossier(library, entity) if entity else None


class DossierView(QWidget):
    loaded = Signal()

    def __init__(self, window: MainWindow, name: str) -> None:
        super().__init__()
        self.window_ = window
        self.name = name
        self.dossier: Dossier | None = None
        self.reader = Reader(window.library, self)
        self._first_loaded = False

        self.title = QLabel(name)
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.facts = QLabel("Reading the dossier…")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.timeline_button = QPushButton("Show on Timeline")
        self.timeline_button.setToolTip("The library timeline, filtered to this entity")
        self.timeline_button.clicked.connect(self.show_on_timeline)
        from briefing_app.ui.views import VIEWS

        self.timeline_button.setVisible("timeline" in VIEWS)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.timeline_button)

        self.mentions = MentionModel(self)
        self.mentions.more_wanted.connect(self._read_more)
        self.mention_table = QTableView()
        self.mention_table.setModel(self.mentions)
        self.mention_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mention_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mention_table.verticalHeader().hide()
        self.mention_table.setWordWrap(False)
        self.mention_table.setShowGrid(False)
        self.mention_table.setAlternatingRowColors(True)
        columns = self.mention_table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.resizeSection(0, 90)
        columns.resizeSection(1, 110)
        columns.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # The text before a mention is cut at its start, the text after it at its end.
        self.mention_table.setItemDelegateForColumn(2, ElideLeftDelegate(self.mention_table))
        compact_rows(self.mention_table)
        self.mention_table.clicked.connect(self._open_target)
        self.mentions_label = QLabel("Mentions")

        self.co_model = QStandardItemModel(self)
        self.co_view = self._list(self.co_model, ["Same sentence", "#"])
        self.co_view.doubleClicked.connect(self._open_target)
        self.event_model = QStandardItemModel(self)
        self.event_view = self._list(self.event_model, ["Date", "Event"])
        self.event_view.clicked.connect(self._open_target)
        self.note_model = QStandardItemModel(self)
        self.note_view = self._list(self.note_model, ["Quote", "Note"])
        self.note_view.clicked.connect(self._open_target)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.mentions_label)
        left_layout.addWidget(self.mention_table, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        self.co_label, self.events_label, self.notes_label = QLabel(), QLabel(), QLabel()
        for label, view in (
            (self.co_label, self.co_view),
            (self.events_label, self.event_view),
            (self.notes_label, self.note_view),
        ):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            label.setWordWrap(True)
            box_layout.addWidget(label)
            box_layout.addWidget(view, 1)
            right.addWidget(box)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.facts)
        layout.addWidget(self.splitter, 1)
        window.ops.changed.connect(self._library_changed)
        self.reload()

    @staticmethod
    def _list(model: QStandardItemModel, headers: list[str]) -> QTreeView:
        model.setHorizontalHeaderLabels(headers)
        view = QTreeView()
        view.setModel(model)
        view.setRootIsDecorated(False)
        view.setUniformRowHeights(True)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.header().setStretchLastSection(len(headers) > 1 and headers[1] != "#")
        if headers[1] == "#":
            view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        return view

    # -- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        name = self.name
        self.reader.read("dossier", lambda library: _read(library, name), self._show)

    def wait_until_loaded(self, timeout_ms: int = 30000) -> None:
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        from PySide6.QtWidgets import QApplication

        deadline = QDeadlineTimer(timeout_ms)
        while not (self._first_loaded and not self.reader.is_busy()) and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def _show(self, dossier: Dossier | Exception | None) -> None:
        self._first_loaded = True
        if isinstance(dossier, Exception):
            self.facts.setText(f"Could not read the dossier: {dossier}")
        elif dossier is None:
            self.dossier = None
            self.facts.setText(f"No entity called “{self.name}” in the library (any more).")
            self.mentions.set_lines([], 0, 0)
            for model in (self.co_model, self.event_model, self.note_model):
                model.removeRows(0, model.rowCount())
        else:
            self._fill(dossier)
        self.loaded.emit()

    def _fill(self, dossier: Dossier) -> None:
        self.dossier = dossier
        entity = dossier.entity
        self.title.setText(f"{entity.name}  ·  {TYPE_NAMES.get(entity.label, entity.label)}")
        seen = f", first seen {entity.first_seen}, last seen {entity.last_seen}" if entity.first_seen else ""
        also = f"\nAlso called: {', '.join(entity.aliases)}" if entity.aliases else "\nNo other names."
        counts = f"{plural(entity.mentions, 'mention')} in {plural(entity.articles, 'article')}"
        self.facts.setText(f"{counts}{seen}.{also}")
        self.mentions.set_lines(dossier.mentions, entity.mentions, min(FIRST_MENTIONS, entity.articles))
        self.mentions_label.setText(
            f"Every mention, newest articles first ({entity.mentions:,}); click one to read it"
        )
        scope = (
            f" (in the newest {dossier.scope_articles:,} of its {entity.articles:,} articles)"
            if dossier.scope_is_partial
            else ""
        )
        self.co_model.removeRows(0, self.co_model.rowCount())
        for co in dossier.co_mentions:
            name = QStandardItem(f"{co.name}  ({co.label})")
            name.setData(co.name, TARGET_ROLE)
            name.setToolTip(plain_tooltip(f"Open the dossier of {co.name}"))
            count = QStandardItem(str(co.sentences))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.co_model.appendRow([name, count])
        self.co_label.setText(f"Most often in the same sentence{scope}")
        self.event_model.removeRows(0, self.event_model.rowCount())
        for event in dossier.events:
            span = readable(event.date_start) if event.date_start else "?"
            if event.date_end and event.date_end != event.date_start:
                span += f" – {readable(event.date_end)}"
            date = QStandardItem(span)
            text = QStandardItem(event.text)
            for item in (date, text):
                item.setData((event.article_id, event.start, event.end), TARGET_ROLE)
                item.setToolTip(plain_tooltip(f"{event.text}\n— {event.source or ''} {event.title}"))
            self.event_model.appendRow([date, text])
        self.events_label.setText(
            f"Its events, by date{scope}" if dossier.events else f"No dated events{scope}"
        )
        self.event_view.resizeColumnToContents(0)
        self.note_model.removeRows(0, self.note_model.rowCount())
        for note in dossier.notes:
            quote = QStandardItem(" ".join(note.quote.split()))
            body = QStandardItem(" ".join(note.body.split()))
            for item in (quote, body):
                item.setData((note.article_id, note.start, note.end), TARGET_ROLE)
                item.setToolTip(plain_tooltip(f"“{note.quote}”\n{note.body}\n— {note.title}"))
            self.note_model.appendRow([quote, body])
        self.notes_label.setText("Notes quoting it" if dossier.notes else "No notes quote it")

    def _read_more(self, offset: int) -> None:
        if self.dossier is None:
            return
        entity_id = self.dossier.entity.entity_id

        def more(library: Library) -> tuple[int, list[MentionLine], int]:
            lines = mention_lines(library, entity_id, offset, FIRST_MENTIONS)
            return offset, lines, FIRST_MENTIONS

        self.reader.read("more", more, self._more_landed)

    def _more_landed(self, result: tuple[int, list[MentionLine], int] | Exception) -> None:
        if not isinstance(result, Exception):
            self.mentions.add_lines(*result)

    def _library_changed(self, changes: Changes) -> None:
        if changes.entities or changes.notes or changes.extraction:
            self.reload()

    # -- going somewhere -----------------------------------------------------------------

    def _open_target(self, index: QModelIndex) -> None:
        target = index.siblingAtColumn(0).data(TARGET_ROLE)
        if isinstance(target, str):
            self.window_.show_view(f"dossier:{target}")
        elif isinstance(target, tuple) and target[0] is not None:
            self.window_.open_article_at(*target)

    def show_on_timeline(self) -> None:
        """The library timeline, its entity filter set to this entity."""
        view = self.window_.show_view("timeline")
        entity_field = getattr(view, "entity", None)
        if isinstance(entity_field, QLineEdit) and self.dossier is not None:
            entity_field.setText(self.dossier.entity.name)
