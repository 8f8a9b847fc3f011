"""The notes pane: the open article's notes, an editor that saves as the analyst types, and a
search over every note.

NoteStore does the work and keeps each save one transaction; this pane only decides when to
save: half a second after the last keystroke, at the latest 0.8 s after the first unsaved one
(so steady typing is saved too), and at once before anything else happens to the note
(another note chosen, another article, the window closed, an export).

A save can fail (the library is locked by a background import, say). What was typed is then
kept, by note, until a save succeeds: retried with a growing delay, shown again when its note
is, kept across notes and articles; the status bar says so until it is saved.

Every write goes through the window's write path (ui/ops.py): creating, deleting and
restoring notes are Ops; the autosave runs each save through `LibraryOps.attempt` and keeps
its own retry, since it must keep the typed text until a save succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core.anchoring import ORPHANED
from briefing_app.core.model import Note
from briefing_app.core.notes import NOTE_COLORS, NoteNotFound, NoteStore, clean_tags
from briefing_app.core.store import Library
from briefing_app.ui.inert import InertTextBrowser, plain_tooltip
from briefing_app.ui.ops import LibraryOps, Op

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 500  # after the last keystroke
# After the first unsaved keystroke, however steady the typing: with the save's own time, a
# crash never loses an edit older than a second.
MAX_AUTOSAVE_DELAY_MS = 800
# A failed save is tried again after this, then after twice as long each time, up to the most.
RETRY_FIRST_MS = 1000
RETRY_MAX_MS = 30000
UNDO_BAR_MS = 10000  # how long "Note deleted. Undo" stays offered
QUOTE_CHARS = 140  # of a quote shown in a list row
NOTE_ROLE = Qt.ItemDataRole.UserRole  # the Note of a row
STRIPE_WIDTH = 6  # the note's colour, at the left of its row
# Below what its rows would like (the colour swatches, the buttons): the window must still fit
# a small screen with five panes; a pane this narrow cuts its swatches until it is widened.
MINIMUM_WIDTH = 80


def first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0] if stripped else ""


def short_quote(note: Note) -> str:
    if not note.quote:
        return "Note on the whole article"
    quote = " ".join(note.quote.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[: QUOTE_CHARS - 1].rstrip() + "…"
    return f"“{quote}”"


def parse_tags(text: str) -> tuple[str, ...]:
    return clean_tags(text.split(","))


def prefix_query(text: str) -> str:
    """What the analyst types, as an FTS5 query: every word, as a prefix, so results come as
    they type and stray quotes or operators never make a syntax error."""
    return " ".join('"{}"*'.format(word.replace('"', '""')) for word in text.split())


@dataclass
class PendingEdit:
    """What the analyst changed on a note and the store does not have yet (None: unchanged)."""

    article_id: int | None
    quote: str  # to name the note when its text has to be handed back to the analyst
    body: str | None = None
    tags: tuple[str, ...] | None = None
    color: str | None = None

    def is_empty(self) -> bool:
        return self.body is None and self.tags is None and self.color is None

    def as_text(self) -> str:
        lines = [self.quote]
        if self.body is not None:
            lines.append(self.body)
        if self.tags is not None:
            lines.append("Tags: " + ", ".join(self.tags))
        if self.color is not None:
            lines.append(f"Colour: {self.color}")
        return "\n".join(lines)


class NotesModel(QAbstractListModel):
    """Notes as list rows: quote, then the body's first line (NoteDelegate draws them)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._notes: list[Note] = []

    def set_notes(self, notes: list[Note]) -> None:
        self.beginResetModel()
        self._notes = list(notes)
        self.endResetModel()

    def notes(self) -> list[Note]:
        return list(self._notes)

    def note(self, row: int) -> Note:
        return self._notes[row]

    def row_of(self, uuid: str) -> int | None:
        return next((row for row, note in enumerate(self._notes) if note.uuid == uuid), None)

    def replace_note(self, note: Note) -> None:
        row = self.row_of(note.uuid)
        if row is not None:
            self._notes[row] = note
            self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._notes)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            body = first_line(note.body)
            return short_quote(note) + ("\n" + body if body else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(note.body.strip()) if note.body.strip() else None
        if role == NOTE_ROLE:
            return note
        return None


class NoteDelegate(QStyledItemDelegate):
    """A row per note: a stripe of its colour, then three elided lines: the quote (muted,
    italic), the body's first line, the tags.

    Rows all have the same height, so the list lays out 200 notes without measuring each
    (wrapped rows of varying height cost ~0.2 ms of text layout per note on every open).
    """

    LINES = 3
    PADDING = 3

    def __init__(self, view: QListView | QListWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(STRIPE_WIDTH + 120, self.LINES * line + 2 * self.PADDING)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        note = index.data(NOTE_ROLE)
        if note is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = self.view.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, self.view)
        rect = option.rect
        colour = QColor(NOTE_COLORS[note.color])
        painter.save()
        stripe = QRect(rect.left() + 2, rect.top() + 3, STRIPE_WIDTH, rect.height() - 6)
        painter.fillRect(stripe, colour)
        painter.setPen(colour.darker(160))
        painter.drawRect(stripe.adjusted(0, 0, -1, -1))

        selected = option.state & QStyle.StateFlag.State_Selected
        # On the selection's colour, muted text would be unreadable.
        text = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        italic = QFont(option.font)
        italic.setItalic(True)
        lines = [
            (short_quote(note), italic, muted),
            (first_line(note.body), option.font, text),
            (" ".join(f"#{t}" for t in note.tags), option.font, muted),
        ]
        left = rect.left() + STRIPE_WIDTH + 8
        width = max(10, rect.right() - left - 4)
        line_height = QFontMetrics(option.font).lineSpacing()
        top = rect.top() + self.PADDING
        for content, font, colour_of_text in lines:
            if content:
                painter.setFont(font)
                painter.setPen(colour_of_text)
                elided = QFontMetrics(font).elidedText(content, Qt.TextElideMode.ElideRight, width)
                painter.drawText(QRect(left, top, width, line_height), Qt.AlignmentFlag.AlignVCenter, elided)
            top += line_height
        painter.restore()


class _DeleteNote(QUndoCommand):
    """Deleting leaves a tombstone (NoteStore.delete); undoing lifts it. A delete that failed
    (the note is gone) is not kept on the undo stack: there is nothing to undo."""

    def __init__(self, pane: NotesPane, note: Note) -> None:
        super().__init__("Delete Note")
        self.pane = pane
        self.note = note

    def redo(self) -> None:
        if self.pane.set_deleted(self.note, True) is False:
            self.setObsolete(True)

    def undo(self) -> None:
        if self.pane.set_deleted(self.note, False) is False:
            self.setObsolete(True)


_NoteView = TypeVar("_NoteView", bound=QListView)  # the notes' list, or the search results'


def _note_list(view: _NoteView) -> _NoteView:
    view.setItemDelegate(NoteDelegate(view))
    view.setUniformItemSizes(True)  # see NoteDelegate
    view.setSpacing(2)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return view


class NotesPane(QWidget):
    note_activated = Signal(object)  # Note: show its passage
    notes_changed = Signal()  # the open article's notes were added, removed or recoloured
    open_note_requested = Signal(int, str)  # article id, note uuid (a search result)
    save_state_changed = Signal(str)  # for the status bar

    def __init__(self, store: NoteStore, ops: LibraryOps, parent=None) -> None:
        """store: where the notes are read; ops: the window's write path, for every write."""
        super().__init__(parent)
        self.store = store
        self.ops = ops
        self.article_id: int | None = None
        self.current: Note | None = None
        self._dirty = False  # the editor holds edits not yet in _pending
        # Unsaved edits by note uuid, until a save succeeds; they outlive note and article.
        self._pending: dict[str, PendingEdit] = {}
        self.save_error: str | None = None  # why the last save failed, while edits are unsaved
        self._retry_delay = RETRY_FIRST_MS
        self._selecting = False
        self.undo_stack = QUndoStack(self)
        self.save_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.flush)
        self.max_save_timer = QTimer(self, singleShot=True, interval=MAX_AUTOSAVE_DELAY_MS)
        self.max_save_timer.timeout.connect(self.flush)
        self.retry_timer = QTimer(self, singleShot=True)
        self.retry_timer.timeout.connect(self._retry)

        self.search_field = QLineEdit(placeholderText="Search all notes", clearButtonEnabled=True)
        self.search_field.textChanged.connect(self._search)
        self.search_results = _note_list(QListWidget())
        self.search_results.itemClicked.connect(self._result_clicked)
        self.search_results.itemActivated.connect(self._result_clicked)

        self.article_note_button = QPushButton("Note on Article")
        self.article_note_button.setToolTip("A note on the whole article, not on one passage")
        self.article_note_button.clicked.connect(self.create_article_note)
        self.model = NotesModel(self)
        self.list = _note_list(QListView())
        self.list.setModel(self.model)
        self.empty_label = QLabel("Select a passage and press Ctrl+Shift+N to add a note.", wordWrap=True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.orphan_model = NotesModel(self)
        self.orphan_list = _note_list(QListView())
        self.orphan_list.setModel(self.orphan_model)
        self.orphan_label = QLabel("<b>Could not be placed in the text</b>", wordWrap=True)
        self.orphan_label.setToolTip("The article's text changed and these passages were not found again")
        for view in (self.list, self.orphan_list):
            view.selectionModel().currentChanged.connect(self._current_changed)

        self.undo_label = QLabel("Note deleted.", wordWrap=True)
        self.undo_button = QPushButton("Undo")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_bar = QFrame(frameShape=QFrame.Shape.StyledPanel)
        bar_layout = QHBoxLayout(self.undo_bar)
        bar_layout.setContentsMargins(6, 2, 2, 2)
        bar_layout.addWidget(self.undo_label, 1)
        bar_layout.addWidget(self.undo_button)
        self.undo_bar.hide()
        self.undo_bar_timer = QTimer(self, singleShot=True, interval=UNDO_BAR_MS)
        self.undo_bar_timer.timeout.connect(self.undo_bar.hide)

        self.editor = self._make_editor()
        self._show_note(None)

        notes_page = QWidget()
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.addWidget(self.empty_label)
        notes_layout.addWidget(self.list, 3)
        notes_layout.addWidget(self.orphan_label)
        notes_layout.addWidget(self.orphan_list, 1)
        # The search results take the list's place while there is a query.
        self.lists = QStackedWidget()
        self.lists.addWidget(notes_page)
        self.lists.addWidget(self.search_results)
        self.setMinimumWidth(MINIMUM_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_field)
        layout.addWidget(self.article_note_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.lists, 3)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.editor, 2)
        self.set_article(None)

    def _make_editor(self) -> QWidget:
        self.color_buttons = QButtonGroup(self)
        colors = QHBoxLayout()
        colors.setSpacing(2)
        for name, color in NOTE_COLORS.items():
            # PySide6 takes inherited Qt properties as keywords; its stubs list only the class's own.
            button = QToolButton(checkable=True, toolTip=name.capitalize(), objectName=f"color-{name}")  # type: ignore[call-arg]
            button.setFixedSize(22, 22)
            # Checked: a dark ring, which shows on every swatch in light and dark palettes.
            button.setStyleSheet(
                f"QToolButton {{ background: {color}; border: 1px solid #888; border-radius: 11px; }}"
                "QToolButton:checked { border: 3px solid #333; }"
            )
            self.color_buttons.addButton(button)
            colors.addWidget(button)
        self.color_buttons.buttonClicked.connect(lambda button: self.set_color(button.toolTip().lower()))
        self.preview_button = QToolButton(  # type: ignore[call-arg]
            text="Preview", checkable=True, toolTip="Show the note as formatted Markdown"
        )
        self.preview_button.toggled.connect(self._toggle_preview)
        self.delete_button = QToolButton(text="Delete", toolTip="Delete the note (Undo brings it back)")  # type: ignore[call-arg]
        self.delete_button.clicked.connect(self.delete_current)
        colors.addStretch(1)
        # Below the editor, not beside the colours: the pane stays narrow enough for any window.
        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)

        self.body_edit = QPlainTextEdit(placeholderText="Your note (Markdown)")
        self.body_edit.textChanged.connect(self._edited)
        self.preview = InertTextBrowser()  # a note's images and links must not load anything
        self.body_stack = QStackedWidget()
        self.body_stack.addWidget(self.body_edit)
        self.body_stack.addWidget(self.preview)
        self.tags_field = QLineEdit(placeholderText="Tags, separated by commas")
        self.tags_field.textEdited.connect(self._edited)

        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(colors)
        layout.addWidget(self.body_stack, 1)
        layout.addWidget(self.tags_field)
        layout.addLayout(actions)
        return editor

    # -- the open article ------------------------------------------------------------------

    def set_article(self, article_id: int | None) -> None:
        """Show the article's notes; pending edits of the previous note are saved first."""
        self.flush()
        self.article_id = article_id
        self.article_note_button.setEnabled(article_id is not None)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """The article's notes again from the store; `select` (a uuid) becomes current."""
        self.flush()
        select = select or (self.current.uuid if self.current else None)
        notes = self.store.for_article(self.article_id) if self.article_id is not None else []
        self.model.set_notes([n for n in notes if n.anchor_state != ORPHANED])
        self.orphan_model.set_notes([n for n in notes if n.anchor_state == ORPHANED])
        has_orphans = bool(self.orphan_model.rowCount())
        self.orphan_label.setVisible(has_orphans)
        self.orphan_list.setVisible(has_orphans)
        self.empty_label.setVisible(self.article_id is not None and not notes)
        self.current = None
        # Coming back to an article with unsaved edits shows them again.
        unsaved = [uuid for uuid, edit in self._pending.items() if edit.article_id == self.article_id]
        candidates = [select] if select is not None else []
        if self.article_id is not None:
            candidates += unsaved
        if not any(self.select_note(uuid, activate=False) for uuid in candidates):
            self._show_note(None)

    def passage_notes(self) -> list[Note]:
        """The notes that mark a passage in the text."""
        return [note for note in self.model.notes() if note.quote]

    def select_note(self, uuid: str, activate: bool = True) -> bool:
        """Make the note current in its list; with `activate`, its passage is shown too."""
        for view, model in ((self.list, self.model), (self.orphan_list, self.orphan_model)):
            row = model.row_of(uuid)
            if row is None:
                continue
            self._selecting = True  # the selection follows; _load below does the rest once
            try:
                self._make_current(view, model.index(row))
            finally:
                self._selecting = False
            note = model.note(row)
            if self.current is None or self.current.uuid != uuid:
                self._load(note, activate)
            elif activate:
                self.note_activated.emit(note)
            return True
        return False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        view = self.list if current.model() is self.model else self.orphan_list
        self._make_current(view, current)
        self._load(cast(NotesModel, current.model()).note(current.row()), activate=True)

    def _make_current(self, view: QListView, index: QModelIndex) -> None:
        """Select the row in its list and nothing in the other list."""
        other = self.orphan_list if view is self.list else self.list
        other.selectionModel().clear()
        view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        view.scrollTo(index)

    def _load(self, note: Note, activate: bool) -> None:
        self.flush()
        self._show_note(note)
        if activate:
            self.note_activated.emit(note)

    def _show_note(self, note: Note | None) -> None:
        """The note in the editor, with its unsaved edits if it has any."""
        self._capture()  # the editor's edits of the note shown so far are kept, whatever comes
        self.current = note
        self.editor.setEnabled(note is not None)
        edit = self._pending.get(note.uuid) if note else None
        body = note.body if note else ""
        tags = note.tags if note else ()
        color: str | None = note.color if note else None
        if edit is not None:
            body = edit.body if edit.body is not None else body
            tags = edit.tags if edit.tags is not None else tags
            color = edit.color or color
        for widget in (self.body_edit, self.tags_field):
            widget.blockSignals(True)
        self.body_edit.setPlainText(body)
        self.tags_field.setText(", ".join(tags))
        for widget in (self.body_edit, self.tags_field):
            widget.blockSignals(False)
        for button in self.color_buttons.buttons():
            button.setChecked(note is not None and button.toolTip().lower() == color)
        self._update_preview()

    # -- creating --------------------------------------------------------------------------

    def create_note(self, start: int, end: int) -> Note | None:
        """A note on the open article's passage [start, end), current and ready for typing
        (None: not made now; the window says why, or makes it once the library is free)."""
        if self.article_id is None:
            return None
        article_id = self.article_id
        return self._create(lambda store: store.create(article_id, start, end))

    def create_article_note(self) -> Note | None:
        if self.article_id is None:
            return None
        article_id = self.article_id
        return self._create(lambda store: store.create_article_note(article_id))

    def _create(self, make: Callable[[NoteStore], Note]) -> Note | None:
        self.flush()
        created: list[Note] = []

        def made(note: Note) -> None:
            created.append(note)
            self._created(note)

        # Here, not in the background: one row, and the analyst types into it at once.
        self.ops.run(
            Op(lambda _library: make(self.store), what="add a note", on_success=made, background=False)
        )
        return created[0] if created else None

    def _created(self, note: Note) -> None:
        self.search_field.clear()
        self.reload(select=note.uuid)
        self.notes_changed.emit()
        self.preview_button.setChecked(False)
        self.body_edit.setFocus()

    # -- editing ---------------------------------------------------------------------------

    def _edited(self) -> None:
        if self.current is None:
            return
        if not self._dirty:
            self._dirty = True
            self.max_save_timer.start()
            if not self._pending:  # else "not saved" stays up until it is
                self.save_state_changed.emit("Saving…")
        self.save_timer.start()  # restarted by every keystroke

    def _pending_edit(self, note: Note) -> PendingEdit:
        return self._pending.setdefault(note.uuid, PendingEdit(note.article_id, short_quote(note)))

    def _drop_if_empty(self, uuid: str) -> None:
        if uuid in self._pending and self._pending[uuid].is_empty():
            del self._pending[uuid]

    def _capture(self) -> None:
        """The editor's edits of the current note into the pending edits (nothing is saved)."""
        if not self._dirty:
            return
        self._dirty = False
        note = self.current
        if note is None:
            return
        edit = self._pending_edit(note)
        body = self.body_edit.toPlainText()
        tags = parse_tags(self.tags_field.text())
        edit.body = body if body != note.body else None
        edit.tags = tags if tags != note.tags else None
        self._drop_if_empty(note.uuid)

    def has_unsaved_edits(self) -> bool:
        return self._dirty or bool(self._pending)

    def unsaved_text(self) -> str:
        """Every unsaved edit as text, for the analyst to keep when it cannot be saved."""
        self._capture()
        return "\n\n".join(edit.as_text() for edit in self._pending.values())

    def flush(self) -> bool:
        """Save every unsaved edit now: the current note's, and those an earlier save failed
        on. True when nothing is left unsaved; else they stay, and are tried again later."""
        self.save_timer.stop()
        self.max_save_timer.stop()
        if not self.has_unsaved_edits():
            return True
        self.retry_timer.stop()
        self._capture()
        failure: Exception | None = None
        recoloured = False
        for uuid, edit in list(self._pending.items()):
            had_colour = edit.color is not None
            failed = self.ops.attempt(self._saving(uuid, edit), f"save the note on {edit.quote}")
            recoloured |= had_colour and edit.color is None
            self._drop_if_empty(uuid)
            if failed is None:
                log.info("note %s saved", uuid)  # a failure is logged by ops.attempt
            else:
                failure = failed
                if isinstance(failed, NoteNotFound):
                    continue  # this note's edits cannot be saved; the others may still be
                break  # the library is locked or failing: the others would fail alike
        if recoloured:
            self.notes_changed.emit()
        if not self._pending:
            self.save_error = None
            self._retry_delay = RETRY_FIRST_MS
            self.save_state_changed.emit("All notes saved")
            return True
        self.save_error = str(failure)
        self.save_state_changed.emit(f"Note not saved: {failure} (retrying)")
        self.retry_timer.start(self._retry_delay)
        return False

    def _retry(self) -> None:
        """A retry that fails waits twice as long for the next (the analyst's own saves, on
        switching note or article, do not lengthen the wait)."""
        self._retry_delay = min(2 * self._retry_delay, RETRY_MAX_MS)
        self.flush()

    def _saving(self, uuid: str, edit: PendingEdit) -> Callable[[Library], None]:
        """The save of the edit, as a change for the write path."""
        return lambda _library: self._save(uuid, edit)

    def _save(self, uuid: str, edit: PendingEdit) -> None:
        """Store the edit's changes, forgetting each one as soon as it is stored."""
        if edit.body is not None:
            self._stored(self.store.update_body(uuid, edit.body))
            edit.body = None
        if edit.tags is not None:
            self._stored(self.store.set_tags(uuid, edit.tags))
            edit.tags = None
        if edit.color is not None:
            self._stored(self.store.set_color(uuid, edit.color))
            edit.color = None

    def set_color(self, color: str) -> None:
        if self.current is None:
            return
        self._capture()
        edit = self._pending_edit(self.current)
        edit.color = color if color != self.current.color else None
        self._drop_if_empty(self.current.uuid)
        self.flush()  # says notes_changed once the colour is stored

    def _stored(self, note: Note) -> None:
        """The note as the store now has it (the editor keeps what it shows)."""
        if self.current is not None and self.current.uuid == note.uuid:
            self.current = note
        self.model.replace_note(note)
        self.orphan_model.replace_note(note)
        self._update_preview()

    def _toggle_preview(self, on: bool) -> None:
        self._update_preview()
        self.body_stack.setCurrentWidget(self.preview if on else self.body_edit)

    def _update_preview(self) -> None:
        if self.preview_button.isChecked():
            # Here, not at the top: the Markdown parser loads with the first preview, not at start.
            from briefing_app.core.export.notebody import note_html

            self.preview.setHtml(note_html(self.body_edit.toPlainText()))

    # -- deleting --------------------------------------------------------------------------

    def delete_current(self) -> None:
        if self.current is None:
            return
        self.flush()
        self.undo_stack.push(_DeleteNote(self, self.current))

    def set_deleted(self, note: Note, deleted: bool) -> bool | None:
        """Delete the note (a tombstone) or bring it back, through the write path; returns as
        LibraryOps.run. A note that is gone meanwhile is told, and the list shown again."""
        if deleted:
            change, landed, verb = self.store.delete, self.note_deleted, "delete"
        else:
            change, landed, verb = self.store.undelete, self.note_restored, "restore"
        return self.ops.run(
            Op(
                lambda _library: change(note.uuid),
                what=f"{verb} the note on {short_quote(note)}",
                on_success=lambda _stored: landed(note),
                on_failure=lambda _error: self.reload(),
                background=False,
            )
        )

    def note_deleted(self, note: Note) -> None:
        if note.article_id == self.article_id:
            self.current = None
            self.reload()
            self.notes_changed.emit()
        self._search(self.search_field.text())
        self.undo_bar.show()
        self.undo_bar_timer.start()

    def note_restored(self, note: Note) -> None:
        self.undo_bar.hide()
        if note.article_id == self.article_id:
            self.reload(select=note.uuid)
            self.notes_changed.emit()
        self._search(self.search_field.text())

    # -- search ----------------------------------------------------------------------------

    def _search(self, text: str) -> None:
        self.search_results.clear()
        self.lists.setCurrentWidget(
            self.search_results if text.strip() else cast(QWidget, self.lists.widget(0))
        )
        if not text.strip():
            return
        for note in self.store.search(prefix_query(text)):
            if note.article_id is None:
                continue  # its article was removed: nothing to open
            item = QListWidgetItem(short_quote(note))
            item.setData(NOTE_ROLE, note)
            self.search_results.addItem(item)
        if not self.search_results.count():
            self.search_results.addItem(QListWidgetItem("No note matches."))

    def _result_clicked(self, item: QListWidgetItem) -> None:
        note = item.data(NOTE_ROLE)
        if note is not None:
            self.open_note_requested.emit(note.article_id, note.uuid)
