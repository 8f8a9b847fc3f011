"""The text pane: an article's canonical text with its structure, entity marks and note marks.

The document is built from the canonical text itself (setPlainText), then formatted, so every
Qt position is a UTF-16 position of that text; qtoffsets converts to and from the store's code
point offsets. Nothing here reads offsets back from the widget's text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core.model import Article, Mention, Note, NoteColor
from briefing_app.core.notes import NOTE_COLORS
from briefing_app.ui.qtoffsets import Utf16Positions

# displaCy's colours, so marks look like what analysts know from spaCy's visualizer.
ENTITY_COLOURS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "NORP": "#c887fb",
    "FAC": "#9cc9cc",
    "DATE": "#bfe1d9",
    "TIME": "#bfe1d9",
    "EVENT": "#ffeb80",
    "LAW": "#ff8197",
    "LANGUAGE": "#ff8197",
    "PRODUCT": "#bfeeb7",
    "WORK_OF_ART": "#f0d0ff",
}
OTHER_ENTITY_COLOUR = "#e4e7d2"  # displaCy's colour for numbers and anything unlisted

DEFAULT_POINT_SIZE = 11
MIN_POINT_SIZE, MAX_POINT_SIZE = 7, 32


def entity_colour(label: str) -> QColor:
    return QColor(ENTITY_COLOURS.get(label, OTHER_ENTITY_COLOUR))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def mention_format(label: str, palette: QPalette) -> QTextCharFormat:
    """A mark readable on the palette: displaCy's colour behind dark text on a light palette;
    on a dark one a dim tint of it behind the palette's light text, and a coloured underline."""
    colour = entity_colour(label)
    fmt = QTextCharFormat()
    if is_dark(palette):
        base = palette.color(QPalette.ColorRole.Base)
        tint = QColor(
            # PySide6's stubs type QColor.getRgb() as object; it is an (r, g, b, a) tuple.
            *(round(b + (c - b) * 0.35) for b, c in zip(base.getRgb()[:3], colour.getRgb()[:3], strict=False))  # type: ignore[index]
        )
        fmt.setBackground(tint)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(colour)
    else:
        fmt.setBackground(colour)
        fmt.setForeground(QColor("#000000"))
    return fmt


def _passage(note: Note) -> range:
    """The offsets of a note's passage; TextPane.notes holds only notes on passages."""
    assert note.start is not None and note.end is not None, note.uuid
    return range(note.start, note.end)


def note_format(color: NoteColor, palette: QPalette) -> QTextCharFormat:
    """A note's mark: a highlighter's pale colour behind the passage (on a dark palette a dim
    tint of it, so the palette's light text stays readable), with a dotted underline."""
    colour = QColor(NOTE_COLORS[color])
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    if is_dark(palette):
        base = palette.color(QPalette.ColorRole.Base)
        fmt.setBackground(
            QColor(
                *(
                    round(b + (c - b) * 0.3)
                    # PySide6's stubs type QColor.getRgb() as object; it is an (r, g, b, a) tuple.
                    for b, c in zip(base.getRgb()[:3], colour.getRgb()[:3], strict=False)  # type: ignore[index]
                )
            )
        )
        fmt.setUnderlineColor(colour)
    else:
        fmt.setBackground(colour)
        fmt.setForeground(QColor("#000000"))
        fmt.setUnderlineColor(colour.darker(250))
    return fmt


def mention_in_note_format(label: str, palette: QPalette) -> QTextCharFormat:
    """An entity inside a noted passage: the note's colour lies behind it, so the entity keeps
    a solid underline in its own colour (deepened on a light palette, to show on the pale)."""
    colour = entity_colour(label)
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setUnderlineColor(colour if is_dark(palette) else colour.darker(170))
    return fmt


def _block_formats(palette: QPalette) -> dict[str, tuple[QTextBlockFormat, QTextCharFormat]]:
    muted = palette.color(QPalette.ColorRole.PlaceholderText)

    def make(size=0, bold=False, italic=False, faded=False, top=0.0, bottom=8.0):
        block = QTextBlockFormat()
        block.setTopMargin(top)
        block.setBottomMargin(bottom)
        block.setLineHeight(125, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        char = QTextCharFormat()
        # Relative to the document's font, so the text size buttons scale titles too.
        char.setProperty(QTextFormat.Property.FontSizeAdjustment, size)
        if bold:
            char.setFontWeight(QFont.Weight.Bold)
        char.setFontItalic(italic)
        if faded:
            char.setForeground(muted)
        return block, char

    return {
        "title": make(size=2, bold=True, bottom=6),
        "dateline": make(italic=True, faded=True),
        "heading": make(size=1, bold=True, top=8, bottom=4),
        "paragraph": make(),
        "caption": make(italic=True, faded=True),
        "source": make(size=-1, faded=True),
    }


def _title_in_text(article: Article) -> bool:
    """Whether the text starts with its title (a title line, or a title taken from the first
    sentence), which then is not shown twice."""
    return any(b.kind == "title" for b in article.blocks) or article.text.startswith(
        article.title.removesuffix("…")
    )


class ArticleView(QTextEdit):
    """Read-only article text with tooltips on marks, and "Add Note" and "Mark as Entity"
    menu entries."""

    mark_entity_requested = Signal(int, int)  # code point start, end of the selection
    add_note_requested = Signal(int, int)
    # start, end of the selection; True for "this date means…", False for "not a date"
    date_correction_requested = Signal(int, int, bool)
    clicked = Signal(int)  # code point offset of a click that selected nothing

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAcceptDrops(False)  # files dropped here go to the window's import
        self.positions = Utf16Positions("")
        self._mentions: list[Mention] = []
        self._mention_starts: list[int] = []

    def set_mentions(self, mentions: list[Mention]) -> None:
        self._mentions = sorted(mentions, key=lambda m: m.start)
        self._mention_starts = [m.start for m in self._mentions]

    def mention_at(self, offset: int) -> Mention | None:
        last = bisect_right(self._mention_starts, offset) - 1
        # The mark starting last before offset, else one around it that starts earlier.
        for mention in self._mentions[max(last - 1, 0) : last + 1][::-1]:
            if mention.start <= offset < mention.end:
                return mention
        return None

    def selected_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self.positions.from_qt(cursor.selectionStart()),
            self.positions.from_qt(cursor.selectionEnd()),
        )

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)  # what Qt sends with ToolTip
            position = self.cursorForPosition(help_event.pos()).position()
            mention = self.mention_at(self.positions.from_qt(position))
            if mention is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(help_event.globalPos(), f"{mention.label}: {mention.canonical}", self)
            return True
        return super().viewportEvent(event)

    def context_menu(self, pos) -> QMenu:
        """The standard menu, and "Mark as Entity…" when text is selected."""
        menu = self.createStandardContextMenu(pos)
        span = self.selected_span()
        if span is not None and span[1] > span[0]:
            menu.addSeparator()
            note_action = menu.addAction("Add Note")
            note_action.setShortcut(QKeySequence("Ctrl+Shift+N"))  # shown; the window's action has it
            note_action.triggered.connect(lambda: self.add_note_requested.emit(*span))
            action = menu.addAction("Mark as Entity…")
            action.triggered.connect(lambda: self.mark_entity_requested.emit(*span))
            means = menu.addAction("This Date Means…")
            means.triggered.connect(lambda: self.date_correction_requested.emit(*span, True))
            not_date = menu.addAction("Not a Date")
            not_date.triggered.connect(lambda: self.date_correction_requested.emit(*span, False))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            self.clicked.emit(
                self.positions.from_qt(self.cursorForPosition(event.position().toPoint()).position())
            )


class FindBar(QWidget):
    """Find in the article: Enter / F3 for the next match, Shift+Enter for the previous."""

    def __init__(self, view: QTextEdit, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.field = QLineEdit(placeholderText="Find in article", clearButtonEnabled=True)
        self.field.returnPressed.connect(self.find_next)
        self.field.textChanged.connect(lambda _text: self.find(from_start=True))
        self.status = QLabel()
        # PySide6 takes inherited Qt properties as keywords; its stubs list only the class's own.
        previous_button = QToolButton(text="▲", toolTip="Previous match (Shift+F3)", autoRaise=True)  # type: ignore[call-arg]
        next_button = QToolButton(text="▼", toolTip="Next match (F3)", autoRaise=True)  # type: ignore[call-arg]
        close_button = QToolButton(text="✕", toolTip="Close (Esc)", autoRaise=True)  # type: ignore[call-arg]
        previous_button.clicked.connect(self.find_previous)
        next_button.clicked.connect(self.find_next)
        close_button.clicked.connect(self.close_bar)
        for keys, slot in (
            (QKeySequence.StandardKey.FindNext, self.find_next),
            (QKeySequence.StandardKey.FindPrevious, self.find_previous),
            (QKeySequence(Qt.Key.Key_Escape), self.close_bar),
            (QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_Return), self.find_previous),
        ):
            action = QAction(self, shortcut=QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.field, self.status, previous_button, next_button, close_button):
            layout.addWidget(widget)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def find_next(self) -> None:
        self.find()

    def find_previous(self) -> None:
        self.find(backward=True)

    # Shadows QWidget.find(window id), a static lookup nothing here uses.
    def find(self, backward: bool = False, from_start: bool = False) -> bool:  # type: ignore[override]
        text = self.field.text()
        self.status.clear()
        if not text:
            return False
        if from_start:
            self.view.moveCursor(QTextCursor.MoveOperation.Start)
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.view.find(text, flags):
            return True
        # Wrap around once.
        self.view.moveCursor(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        found = self.view.find(text, flags)
        self.status.setText("" if found else "not found")
        return found


class TextPane(QWidget):
    mark_entity_requested = Signal(int, int)
    add_note_requested = Signal(int, int)
    date_correction_requested = Signal(int, int, bool)
    note_clicked = Signal(str)  # uuid of the note whose passage was clicked

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        self.mentions: list[Mention] = []
        self.notes: list[Note] = []
        # Where the library's current search matches in this article, and the one selected.
        self.search_hits: list[tuple[int, int]] = []
        self.search_hit_index = 0
        # The spans marked on request (an entity's mentions), shown together with the hits.
        self.marked_spans: list[tuple[int, int]] = []
        self.point_size: float = DEFAULT_POINT_SIZE
        # Plain text: a title or source from anywhere must not render as HTML (nor load images).
        self.title_label = QLabel(
            wordWrap=True,
            textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse,
            textFormat=Qt.TextFormat.PlainText,
        )
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.meta_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.meta_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.view = ArticleView()
        self.view.mark_entity_requested.connect(self.mark_entity_requested)
        self.view.add_note_requested.connect(self.add_note_requested)
        self.view.date_correction_requested.connect(self.date_correction_requested)
        self.view.clicked.connect(self._clicked)
        self.find_bar = FindBar(self.view)
        self._document_set: QTextDocument | None = None  # the last one _set_document set
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        self.show_article(None, [])

    @property
    def positions(self) -> Utf16Positions:
        return self.view.positions

    def show_article(
        self,
        article: Article | None,
        mentions: list[Mention],
        notes: Sequence[Note] = (),
        keep_scroll: bool = False,
    ) -> None:
        """notes: the article's notes on passages, marked in the text."""
        scroll = self.view.verticalScrollBar().value()
        if (
            article is None
            or self.article is None
            or (article.id, article.uid)
            != (
                self.article.id,
                self.article.uid,
            )
        ):  # another article, or another text of it: the marked offsets mean nothing there
            self.search_hits = []
            self.marked_spans = []
        self.article = article
        self.mentions = list(mentions)
        self.notes = [note for note in notes if note.start is not None]
        if article is None:
            self.title_label.setText("No article open")
            self.meta_label.setText("Choose one in the library, or import files (Ctrl+O, or drop them here).")
            self.view.set_mentions([])
            self.view.positions = Utf16Positions("")
            self._set_document(QTextDocument(self.view))
            return
        self.title_label.setText(article.title)
        self.title_label.setVisible(not _title_in_text(article))
        meta = [article.source or "unknown source", article.published or "undated"]
        if article.author:
            meta.insert(0, article.author)
        self.meta_label.setText(" · ".join(meta) + f" · {article.word_count:,} words")
        self.view.positions = Utf16Positions(article.text)
        self.view.set_mentions(mentions)
        self._set_document(self._build_document(article, mentions))
        self._show_marks()  # the same article again (notes changed): its marks stay
        if keep_scroll:
            self.view.verticalScrollBar().setValue(scroll)

    def show_search_hits(self, spans: list[tuple[int, int]]) -> None:
        """Mark the library search's hits in the open article and go to the first."""
        self.search_hits = list(spans)
        self.search_hit_index = 0
        self._show_marks()
        if spans:
            self.select_span(*spans[0])

    def next_search_hit(self, step: int = 1) -> None:
        """Go to the next search hit (step -1: the previous one), wrapping around."""
        if not self.search_hits:
            return
        self.search_hit_index = (self.search_hit_index + step) % len(self.search_hits)
        self.select_span(*self.search_hits[self.search_hit_index])

    def _show_marks(self) -> None:
        """The search's hits and the marked spans, as the view's extra selections."""
        hit_format = QTextCharFormat()
        hit_format.setBackground(QColor("#ffe066"))  # a highlighter's yellow, readable in both themes
        hit_format.setForeground(QColor("black"))
        mark_format = QTextCharFormat()
        mark_format.setBackground(self.palette().color(QPalette.ColorRole.Highlight).lighter(130))
        mark_format.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
        selections = []
        for spans, text_format in ((self.search_hits, hit_format), (self.marked_spans, mark_format)):
            for start, end in spans:
                selection = QTextEdit.ExtraSelection()
                selection.cursor = QTextCursor(self.view.document())
                self._select(selection.cursor, start, end)
                selection.format = text_format
                selections.append(selection)
        self.view.setExtraSelections(selections)

    def set_notes(self, notes: Sequence[Note]) -> None:
        """Mark these notes instead of the previous ones; scroll and selection stay."""
        if self.article is None:
            return
        cursor = self.view.textCursor()
        anchor, position = cursor.anchor(), cursor.position()
        self.show_article(self.article, self.mentions, notes, keep_scroll=True)
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(anchor)
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cursor)

    def note_at(self, offset: int) -> Note | None:
        """The note on the shortest passage around offset (the most specific, when they nest)."""
        around = [n for n in self.notes if offset in _passage(n)]
        return min(around, key=lambda n: len(_passage(n)), default=None)

    def _clicked(self, offset: int) -> None:
        note = self.note_at(offset)
        if note is not None:
            self.note_clicked.emit(note.uuid)

    def _set_document(self, document: QTextDocument) -> None:
        old = self.view.document()
        # Qt deletes only the document it made itself; ours (the view's children) would stay
        # in memory, one per article opened. Told apart by identity, not by old.parent(): the
        # parent of Qt's own document is a class private to Qt, which PySide took ~70 ms to
        # wrap, at every start.
        ours = old is self._document_set
        self.view.setExtraSelections([])  # they point into the old document
        self.view.setDocument(document)
        self._document_set = document
        if ours:
            old.deleteLater()

    def _build_document(self, article: Article, mentions: list[Mention]) -> QTextDocument:
        document = QTextDocument(self.view)  # the view's child: the previous one is deleted
        font = self.view.font()
        font.setPointSizeF(self.point_size)
        document.setDefaultFont(font)
        document.setDocumentMargin(12)
        document.setPlainText(article.text)
        cursor = QTextCursor(document)
        palette = self.palette()
        block_formats = _block_formats(palette)
        for block in article.blocks:
            block_format, char_format = block_formats.get(block.kind, block_formats["paragraph"])
            self._select(cursor, block.start, block.end)
            cursor.setBlockFormat(block_format)
            cursor.mergeCharFormat(char_format)
        formats: dict[str, QTextCharFormat] = {}
        for mention in mentions:
            if mention.label not in formats:
                formats[mention.label] = mention_format(mention.label, palette)
            self._select(cursor, mention.start, mention.end)
            cursor.mergeCharFormat(formats[mention.label])
        # Notes over entities: a noted passage reads as one highlighted stretch, whatever
        # entities it holds; those are underlined in their colour instead.
        for note in self.notes:
            passage = _passage(note)
            self._select(cursor, passage.start, passage.stop)
            cursor.mergeCharFormat(note_format(note.color, palette))
            for mention in mentions:
                start, end = max(mention.start, passage.start), min(mention.end, passage.stop)
                if start < end:
                    self._select(cursor, start, end)
                    cursor.mergeCharFormat(mention_in_note_format(mention.label, palette))
        return document

    def _select(self, cursor: QTextCursor, start: int, end: int) -> None:
        qt_start, qt_end = self.positions.span_to_qt(start, end)
        cursor.setPosition(qt_start)
        cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)

    def mark_spans(self, spans: list[tuple[int, int]], current: int = 0) -> None:
        """Mark every span (beside the search's hits), select span `current` and scroll to it."""
        self.marked_spans = list(spans)
        self._show_marks()
        if spans:
            self.select_span(*spans[current])

    def select_span(self, start: int, end: int) -> None:
        """Select text[start:end] and scroll to it."""
        cursor = QTextCursor(self.view.document())
        self._select(cursor, start, end)
        self.view.setTextCursor(cursor)
        self.view.ensureCursorVisible()

    def set_point_size(self, size: float) -> None:
        self.point_size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size))
        font = self.view.document().defaultFont()
        font.setPointSizeF(self.point_size)
        self.view.document().setDefaultFont(font)

    def zoom(self, steps: int) -> None:
        self.set_point_size(self.point_size + steps)
