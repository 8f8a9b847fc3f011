"""The Notes view: every note in the library in one table, filtered, opened, exported.

Filters (search of quote and body, tag, colour, an entity inside the quote, the article's
source and dates) are core/notes_query.NoteFilter. Which notes match is read off the window's
thread (it grows with the library), each read numbered so that only the latest is shown; rows
then come a page at a time by key. A double-click opens the article at the note; the selected
notes export as they are, through the one export entry point (core/export/entry.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core.export import ExportKind
from briefing_app.core.export.entry import Selection
from briefing_app.core.model import Note
from briefing_app.core.notes import NOTE_COLORS
from briefing_app.core.notes_query import NoteFilter, NoteRow, matching_note_ids, note_rows, note_sources
from briefing_app.core.store import Library, LibraryError
from briefing_app.ui.inert import plain_tooltip
from briefing_app.ui.ops import Changes
from briefing_app.ui.workers import BackgroundRead, ReadResults

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

PAGE_SIZE = 200  # rows per fetch: a screenful or two
FILTER_DELAY_MS = 250  # after the last keystroke in a text filter
_NO_DATE = QDate(1900, 1, 1)  # the date edits' minimum, shown as "any"
_COLUMNS = ("Noted", "Article", "Source", "Date", "Quote", "Note", "Tags")
_EXPORTS: tuple[tuple[ExportKind, str, str, str], ...] = (
    ("pdf", "Briefing as PDF…", "PDF (*.pdf)", ".pdf"),
    ("md", "Briefing as Markdown…", "Markdown (*.md)", ".md"),
    ("w3c", "W3C JSON-LD…", "JSON-LD (*.jsonld *.json)", ".jsonld"),
)
# What one read brings: the filter, every match's key in order, the first page, the choices
# of the tag and source filters.
NotesRead = tuple[NoteFilter, list[int], list[NoteRow], list[str], list[str]]


def read_notes(library: Library, note_filter: NoteFilter) -> NotesRead:
    """What the view shows for a filter (on a pool thread: one SQLite connection there)."""
    ids = matching_note_ids(library, note_filter)
    return note_filter, ids, note_rows(library, ids[:PAGE_SIZE]), library.notes.tags(), note_sources(library)


def _one_line(text: str, limit: int = 160) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class NotesTableModel(QAbstractTableModel):
    """The notes passing a filter: every key read once, rows fetched PAGE_SIZE at a time."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.note_filter = NoteFilter()
        self._ids: list[int] = []
        self._rows: list[NoteRow] = []

    @property
    def total(self) -> int:
        return len(self._ids)

    def show_result(self, note_filter: NoteFilter, ids: list[int], first_page: list[NoteRow]) -> None:
        self.beginResetModel()
        self.note_filter = note_filter
        self._ids = list(ids)
        self._rows = list(first_page)
        self.endResetModel()

    def note_row(self, row: int) -> NoteRow:
        return self._rows[row]

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < len(self._ids)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        loaded = len(self._rows)
        # Lookups by primary key of notes already known to match: as quick at any depth.
        batch = note_rows(self.library, self._ids[loaded : loaded + PAGE_SIZE])
        if not batch:  # deleted since the read: nothing more to show
            self._ids = self._ids[:loaded]
            return
        self.beginInsertRows(QModelIndex(), loaded, loaded + len(batch) - 1)
        self._rows.extend(batch)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        note = row.note
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(NOTE_COLORS.get(note.color, NOTE_COLORS["yellow"]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(row))
        if role == Qt.ItemDataRole.ForegroundRole and row.article_title is None and column == 1:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.UserRole:
            return note
        return None

    @staticmethod
    def _shown(row: NoteRow, column: int) -> str:
        note = row.note
        if column == 0:
            return note.created[:10]
        if column == 1:
            return row.article_title if row.article_title is not None else "(article removed)"
        if column == 2:
            return row.source or ""
        if column == 3:
            return (row.published or "")[:10]
        if column == 4:
            if not note.quote:
                return "(on the whole article)"
            return ("(not placed) " if note.anchor_state == "orphaned" else "") + _one_line(note.quote)
        if column == 5:
            return _one_line(note.body)
        return ", ".join(note.tags)

    @staticmethod
    def _tooltip(row: NoteRow) -> str:
        note = row.note
        lines = [row.article_title or "(article removed)"]
        lines.append(" · ".join(part for part in (row.source, row.published, note.color) if part))
        if note.quote:
            lines.append(f"“{note.quote}”")
        if note.body.strip():
            lines.append(note.body.strip())
        if note.tags:
            lines.append("Tags: " + ", ".join(note.tags))
        return "\n".join(lines)


class NotesView(QWidget):
    """Every note in the library, with filters; a double-click opens it in the reader."""

    loaded = Signal()  # a read has landed in the table

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.library = window.library
        self.model = NotesTableModel(window.library, self)
        self._read_number = 0
        self._shown_number = 0  # the number of the read on show (0: none yet)
        self._stale = False  # notes changed while the view was hidden
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(1)
        self._read_results = ReadResults()
        self._read_results.arrived.connect(self._read_arrived)
        self._read_results.failed.connect(self._read_failed)
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.refresh)

        self.search_field = QLineEdit(placeholderText="Search notes…", clearButtonEnabled=True)
        self.search_field.setToolTip('Quotes and note text: words, "a phrase", pre*, AND / OR / NOT')
        self.entity_field = QLineEdit(placeholderText="Quote mentions…", clearButtonEnabled=True)
        self.entity_field.setToolTip("Only notes whose quoted passage mentions this entity (name or alias)")
        for field in (self.search_field, self.entity_field):
            field.textChanged.connect(self._filter_timer.start)
        self.tag_box = self._choice_box("Any tag")
        self.color_box = self._choice_box("Any colour")
        for color, shade in NOTE_COLORS.items():
            self.color_box.addItem(color.capitalize(), color)
            self.color_box.setItemData(
                self.color_box.count() - 1, QColor(shade), Qt.ItemDataRole.DecorationRole
            )
        self.source_box = self._choice_box("Any source")
        self.date_from = self._date_edit("from: any")
        self.date_to = self._date_edit("to: any")
        clear = QToolButton(text="Clear", autoRaise=True)  # type: ignore[call-arg]
        clear.setToolTip("Clear every filter")
        clear.clicked.connect(self.clear_filters)

        filters = QHBoxLayout()
        filters.addWidget(self.search_field, 3)
        filters.addWidget(self.entity_field, 2)
        for widget in (self.tag_box, self.color_box, self.source_box, self.date_from, self.date_to, clear):
            filters.addWidget(widget)

        self.count_label = QLabel()
        self.message = QLabel(wordWrap=True)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.message.hide()
        self.export_button = QToolButton(text="Export Selected")  # type: ignore[call-arg]
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        export_menu = QMenu(self.export_button)
        for kind, text, _pattern, _suffix in _EXPORTS:
            action = export_menu.addAction(text)
            action.triggered.connect(lambda _checked=False, chosen=kind: self.choose_export(chosen))
        self.export_button.setMenu(export_menu)
        self.export_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.export_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):  # dates and source names: short, shown whole
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 260)
        header.resizeSection(6, 120)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)  # Enter on a row
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        window.ops.changed.connect(self._library_changed)
        window.notes_pane.notes_changed.connect(self._notes_changed)
        window.notes_pane.save_state_changed.connect(self._save_state_changed)
        self.refresh()

    # -- filters -----------------------------------------------------------------------

    def _choice_box(self, any_text: str) -> QComboBox:
        box = QComboBox()
        box.addItem(any_text, "")
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        box.currentIndexChanged.connect(self.refresh)
        return box

    def _date_edit(self, empty_text: str) -> QDateEdit:
        # PySide6 takes Qt properties as keywords; the stubs' overloads of QDateEdit omit them.
        edit = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")  # type: ignore[call-overload]
        edit.setMinimumDate(_NO_DATE)
        edit.setSpecialValueText(empty_text)
        edit.setDate(_NO_DATE)
        edit.setToolTip("The article's publication date")
        edit.dateChanged.connect(self.refresh)
        return edit

    def current_filter(self) -> NoteFilter:
        def iso(edit: QDateEdit) -> str:
            return "" if edit.date() == _NO_DATE else edit.date().toString(Qt.DateFormat.ISODate)

        return NoteFilter(
            text=self.search_field.text().strip(),
            tag=self.tag_box.currentData() or "",
            color=self.color_box.currentData() or "",
            entity=self.entity_field.text().strip(),
            source=self.source_box.currentData() or "",
            date_from=iso(self.date_from),
            date_to=iso(self.date_to),
        )

    def clear_filters(self) -> None:
        widgets = (self.search_field, self.entity_field, self.tag_box, self.color_box, self.source_box,
                   self.date_from, self.date_to)  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        self.search_field.clear()
        self.entity_field.clear()
        for box in (self.tag_box, self.color_box, self.source_box):
            box.setCurrentIndex(0)
        for edit in (self.date_from, self.date_to):
            edit.setDate(_NO_DATE)
        for widget in widgets:
            widget.blockSignals(False)
        self.refresh()

    # -- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the notes for the filters as they are now, off the window's thread."""
        self._filter_timer.stop()
        self._read_number += 1
        note_filter = self.current_filter()
        if self.library.path == ":memory:":  # no file another connection could read
            try:
                self._show(self._read_number, read_notes(self.library, note_filter))
            except LibraryError as exc:
                self._read_failed("notes", self._read_number, str(exc))
            return

        def read(library: Library) -> object:
            return read_notes(library, note_filter)

        self._reads.start(
            BackgroundRead(self.library.path, "notes", self._read_number, read, self._read_results)
        )

    def _read_arrived(self, _what: str, number: int, result: object) -> None:
        if number == self._read_number:  # else stale: something newer was asked for since
            self._show(number, cast(NotesRead, result))

    def _show(self, number: int, result: NotesRead) -> None:
        note_filter, ids, first_page, tags, sources = result
        self.model.show_result(note_filter, ids, first_page)
        self._set_choices(self.tag_box, tags, tags)
        self._set_choices(self.source_box, sources, sources)
        self.message.setVisible(not ids)
        if not ids:
            self.message.setText(
                "No note yet: select a passage in an article and press Ctrl+Shift+N."
                if note_filter.is_empty()
                else "No note matches these filters."
            )
        self._shown_number = number
        self._update_count()
        self.loaded.emit()

    def _read_failed(self, _what: str, number: int, message: str) -> None:
        if number != self._read_number:
            return
        self._shown_number = number
        self.message.setText(message)
        self.message.show()
        self.loaded.emit()

    def _set_choices(self, box: QComboBox, texts: list[str], values: list[str]) -> None:
        """The box's choices after its first ("any"), keeping the chosen one chosen."""
        chosen = box.currentData()
        wanted = [box.itemData(i) for i in range(1, box.count())]
        if wanted == values:
            return
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for text, value in zip(texts, values, strict=True):
            box.addItem(text, value)
        if chosen and chosen not in values:
            box.addItem(chosen, chosen)  # still filtering by it: keep it shown
        box.setCurrentIndex(max(0, box.findData(chosen)) if chosen else 0)
        box.blockSignals(False)

    def wait_until_loaded(self, timeout_s: float = 30.0) -> bool:
        """Process events until the latest read has landed; False if it did not in time."""
        deadline = time.monotonic() + timeout_s
        while self._shown_number != self._read_number:
            if time.monotonic() > deadline:
                return False
            QApplication.processEvents()
            time.sleep(0.005)
        return True

    def _library_changed(self, changes: Changes) -> None:
        if changes.notes or changes.entities:
            self._notes_changed()

    def _save_state_changed(self, state: str) -> None:
        if state == "All notes saved":  # a body edit landed: what the table shows changed
            self._notes_changed()

    def _notes_changed(self) -> None:
        if self.isVisible():
            self._filter_timer.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    # -- what is selected --------------------------------------------------------------

    def selected_notes(self) -> list[Note]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.note_row(row).note for row in rows]

    def _selection_changed(self) -> None:
        self.export_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.total
        text = f"{total:,} note{'s' if total != 1 else ''}"
        selected = len(self.table.selectionModel().selectedRows())
        if selected:
            text += f", {selected:,} selected"
        self.count_label.setText(text)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_note(self.model.note_row(index.row()).note)

    def open_note(self, note: Note) -> None:
        """The reader, with the note's article open and the note chosen (its passage shown)."""
        if note.article_id is None:
            self.window_.statusBar().showMessage(
                "The article of this note was removed from the library.", 6000
            )
            return
        self.window_.show_view("reader")
        self.window_.open_note(note.article_id, note.uuid)

    # -- export ------------------------------------------------------------------------

    def choose_export(self, kind: ExportKind) -> None:
        """Ask where, then export the selected notes (kind: pdf, md or w3c)."""
        title, pattern, suffix = next((t, p, s) for k, t, p, s in _EXPORTS if k == kind)
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export Selected Notes: {title}", f"notes{suffix}", pattern
        )
        if path:
            self.export_selected(kind, Path(path))

    def export_selected(self, kind: ExportKind, path: Path) -> bool | None:
        """Write exactly the selected notes to path; the outcome is said in the window
        (returns as MainWindow.export_selection)."""
        chosen = self.selected_notes()
        if not chosen:
            self.window_.statusBar().showMessage("Select the notes to export first.", 4000)
            return False
        return self.window_.export_selection(
            kind, Selection(note_uuids=tuple(note.uuid for note in chosen)), path
        )


def make_notes_view(window: MainWindow, _argument: str) -> QWidget:
    return NotesView(window)
