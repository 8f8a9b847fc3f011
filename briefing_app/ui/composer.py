"""The briefing composer: title block, which notes go in and in what order, grouping and
sections; saved in the library (`briefings`) and exported as PDF, ODT or Markdown.

The notes a choice takes are read off the GUI thread (a tag over a large library is many rows);
saving goes through LibraryOps, the window's one write path; the export is core's write_export.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core.export import ExportKind
from briefing_app.core.export.briefing import BriefingOptions, GroupBy
from briefing_app.core.export.entry import ExportResult, Selection, selected_notes, write_export
from briefing_app.core.export.saved import BriefingStore, SavedBriefing
from briefing_app.core.model import Note
from briefing_app.core.store import ArticleFilter, Library, LibraryError
from briefing_app.ui.inert import plain_tooltip
from briefing_app.ui.ops import LibraryOps, Op, export_failure
from briefing_app.ui.workers import Job, JobQueue, run_off_the_window

# Where the notes come from, as the "Notes from" box lists them.
SOURCES = (
    ("all", "Every note"),
    ("article", "The open article"),
    ("filter", "The articles the library lists now"),
    ("tag", "A tag"),
    ("entity", "Articles mentioning an entity"),
    ("dates", "Articles published between dates"),
)
GROUPINGS: tuple[tuple[GroupBy, str], ...] = (
    ("article", "By article"),
    ("tag", "By tag"),
    ("entity", "By entity"),
    ("listed", "In the order listed"),
)
PREVIEW_CHARS = 100
QUOTE_PREVIEW_CHARS = 45
UUID_ROLE = Qt.ItemDataRole.UserRole


class ComposerDialog(QDialog):
    """Compose a briefing; `saved` is emitted with it once it is in the library."""

    saved = Signal(object)  # SavedBriefing

    def __init__(
        self,
        library: Library,
        ops: LibraryOps,
        parent: QWidget | None = None,
        open_article_id: int | None = None,
        library_filter: ArticleFilter | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compose Briefing")
        self.library = library
        self.ops = ops
        self.open_article_id = open_article_id
        self.library_filter = library_filter or ArticleFilter()
        self.briefing_id: int | None = None
        self.jobs = JobQueue(self)
        self._read_number = 0  # only the latest read fills the list
        self._listed_as_read: list[str] = []  # the uuids the last read gave, in its order
        self._pending_uuids: tuple[str, ...] | None = None  # a saved briefing's chosen notes
        self.last_result: ExportResult | None = None
        self.message: QMessageBox | None = None
        self.exporting = False  # an export is being written in the background
        self._build()
        self.reload_saved()
        self.read_notes()

    # -- the form ------------------------------------------------------------------------

    def _build(self) -> None:
        self.saved_box = QComboBox()
        self.saved_box.activated.connect(self._open_chosen)
        self.title_field = QLineEdit("Briefing")
        self.author_field = QLineEdit()
        self.date_field = QLineEdit()
        self.date_field.setPlaceholderText("the day it is exported (or YYYY-MM-DD)")
        self.handling_field = QLineEdit()
        self.handling_field.setPlaceholderText("e.g. INTERNAL: printed at the top and bottom of every page")
        self.summary_field = QPlainTextEdit()
        self.summary_field.setPlaceholderText("Executive summary, in Markdown")
        self.summary_field.setMaximumHeight(110)

        self.source_box = QComboBox()
        for key, text in SOURCES:
            self.source_box.addItem(text, key)
        if self.open_article_id is None:
            self.source_box.model().item(1).setEnabled(False)  # type: ignore[attr-defined]
        self.tag_box = QComboBox()
        self.tag_box.setEditable(True)
        self.tag_box.addItems(self.library.notes.tags())
        self.entity_field = QLineEdit()
        self.entity_field.setPlaceholderText("name of a person, organisation, place…")
        self.date_from_field = QLineEdit()
        self.date_from_field.setPlaceholderText("from YYYY-MM-DD")
        self.date_to_field = QLineEdit()
        self.date_to_field.setPlaceholderText("to YYYY-MM-DD")
        choice = QHBoxLayout()
        for widget in (
            self.source_box,
            self.tag_box,
            self.entity_field,
            self.date_from_field,
            self.date_to_field,
        ):
            choice.addWidget(widget)
        self.source_box.currentIndexChanged.connect(self._source_changed)
        self.tag_box.currentTextChanged.connect(lambda _text: self.read_notes())
        for field in (self.entity_field, self.date_from_field, self.date_to_field):
            field.editingFinished.connect(self.read_notes)

        self.notes_list = QListWidget()
        self.notes_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.notes_list.setToolTip("Untick a note to leave it out; drag to reorder")
        self.notes_count = QLabel()
        self.group_box = QComboBox()
        for key, text in GROUPINGS:
            self.group_box.addItem(text, key)
        self.key_entities_box = QCheckBox("Key entities")
        self.timeline_box = QCheckBox("Timeline")
        self.sources_box = QCheckBox("Sources")
        sections = QHBoxLayout()
        for box in (self.key_entities_box, self.timeline_box, self.sources_box):
            box.setChecked(True)
            sections.addWidget(box)
        sections.addStretch()

        form = QFormLayout()
        form.addRow("Open saved", self.saved_box)
        form.addRow("Title", self.title_field)
        form.addRow("Author", self.author_field)
        form.addRow("Date", self.date_field)
        form.addRow("Handling line", self.handling_field)
        form.addRow("Summary", self.summary_field)
        form.addRow("Notes from", choice)
        form.addRow(self.notes_count, self.notes_list)
        form.addRow("Order", self.group_box)
        form.addRow("Sections", sections)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("&Save")
        self.pdf_button = QPushButton("Export &PDF…")
        self.odt_button = QPushButton("Export &ODT…")
        for button in (self.save_button, self.pdf_button, self.odt_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        self.pdf_button.clicked.connect(lambda: self.choose_export("pdf"))
        self.odt_button.clicked.connect(lambda: self.choose_export("odt"))
        buttons.rejected.connect(self.reject)
        self.export_status = QLabel()  # "Writing NAME…" while an export is under way
        self.export_status.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.export_status)
        layout.addWidget(buttons)
        self._source_changed()
        self.resize(760, 720)

    def _source_changed(self) -> None:
        source = self.source_box.currentData()
        self.tag_box.setVisible(source == "tag")
        self.entity_field.setVisible(source == "entity")
        self.date_from_field.setVisible(source == "dates")
        self.date_to_field.setVisible(source == "dates")
        self.read_notes()

    # -- what goes in --------------------------------------------------------------------

    def base_selection(self) -> Selection:
        """The notes the "Notes from" choice takes, before ticks and order."""
        source = self.source_box.currentData()
        if source == "article" and self.open_article_id is not None:
            return Selection(article_ids=(self.open_article_id,))
        if source == "filter" and not self.library_filter.is_empty():
            return Selection(article_ids=tuple(self.library.list_ids(self.library_filter)))
        if source == "tag":
            return Selection(tag=self.tag_box.currentText().strip() or None)
        if source == "entity":
            return Selection(entity=self.entity_field.text().strip() or None)
        if source == "dates":
            return Selection(
                date_from=self.date_from_field.text().strip() or None,
                date_to=self.date_to_field.text().strip() or None,
            )
        return Selection()

    def selection(self) -> Selection:
        """The base choice, and the notes ticked in the order listed when the analyst changed
        either (otherwise the briefing takes what the choice gives when it is exported)."""
        base = self.base_selection()
        listed = [self.notes_list.item(row) for row in range(self.notes_list.count())]
        chosen = [item.data(UUID_ROLE) for item in listed if item.checkState() == Qt.CheckState.Checked]
        if chosen == self._listed_as_read:
            return base
        return replace(base, note_uuids=tuple(chosen))

    def read_notes(self) -> None:
        """List the notes the choice takes, read off the GUI thread (on a library file)."""
        self._read_number += 1
        number = self._read_number
        try:
            selection = self.base_selection()
        except LibraryError as exc:
            self.notes_count.setText(str(exc))
            return
        if self.library.path == ":memory:":  # no file for a worker's connection
            self._show_notes(number, selected_notes(self.library, selection))
            return
        job = Job(str(self.library.path), lambda library, _job: selected_notes(library, selection))
        job.finished.connect(lambda notes: self._show_notes(number, notes))
        job.raised.connect(lambda error: self.notes_count.setText(f"Notes: {error}"))
        self.jobs.submit(job)

    def _show_notes(self, number: int, notes: list[Note]) -> None:
        if number != self._read_number:
            return  # a later choice is being read
        pending, self._pending_uuids = self._pending_uuids, None
        if pending is not None:
            by_uuid = {note.uuid: note for note in notes}
            chosen = [by_uuid[uuid] for uuid in pending if uuid in by_uuid]
            rest = [note for note in notes if note.uuid not in set(pending)]
            notes = chosen + rest
        self.notes_list.clear()
        for note in notes:
            item = QListWidgetItem(_preview(note))
            item.setToolTip(plain_tooltip(note.body or note.quote))
            item.setData(UUID_ROLE, note.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            checked = pending is None or note.uuid in set(pending)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.notes_list.addItem(item)
        self._listed_as_read = [note.uuid for note in notes] if pending is None else ["(saved order)"]
        self.notes_count.setText(f"{len(notes)} note{'s' if len(notes) != 1 else ''}")

    # -- the title block and sections ----------------------------------------------------

    def options(self) -> BriefingOptions:
        return BriefingOptions(
            title=self.title_field.text().strip() or "Briefing",
            author=self.author_field.text().strip(),
            date=self.date_field.text().strip() or None,
            handling=self.handling_field.text().strip(),
            summary=self.summary_field.toPlainText(),
            group_by=self.group_box.currentData(),
            key_entities=self.key_entities_box.isChecked(),
            timeline=self.timeline_box.isChecked(),
            sources=self.sources_box.isChecked(),
        )

    def composed(self) -> SavedBriefing:
        return SavedBriefing(self.briefing_id, self.options(), self.selection())

    def load(self, briefing: SavedBriefing) -> None:
        """Fill the form with a saved briefing."""
        self.briefing_id = briefing.id
        options, selection = briefing.options, briefing.selection
        self.title_field.setText(options.title)
        self.author_field.setText(options.author)
        self.date_field.setText(options.date or "")
        self.handling_field.setText(options.handling)
        self.summary_field.setPlainText(options.summary)
        self.group_box.setCurrentIndex(max(0, self.group_box.findData(options.group_by)))
        self.key_entities_box.setChecked(options.key_entities)
        self.timeline_box.setChecked(options.timeline)
        self.sources_box.setChecked(options.sources)
        self.source_box.blockSignals(True)
        if selection.tag is not None:
            self.source_box.setCurrentIndex(self.source_box.findData("tag"))
            self.tag_box.setCurrentText(selection.tag)
        elif selection.entity is not None:
            self.source_box.setCurrentIndex(self.source_box.findData("entity"))
            self.entity_field.setText(selection.entity)
        elif selection.date_from or selection.date_to:
            self.source_box.setCurrentIndex(self.source_box.findData("dates"))
            self.date_from_field.setText(selection.date_from or "")
            self.date_to_field.setText(selection.date_to or "")
        elif selection.article_ids is not None and len(selection.article_ids) == 1:
            self.open_article_id = selection.article_ids[0]
            self.source_box.model().item(1).setEnabled(True)  # type: ignore[attr-defined]
            self.source_box.setCurrentIndex(self.source_box.findData("article"))
        else:
            self.source_box.setCurrentIndex(0)
        self.source_box.blockSignals(False)
        self._pending_uuids = selection.note_uuids
        self._source_changed()

    def reload_saved(self) -> None:
        self.saved_box.clear()
        self.saved_box.addItem("(a new briefing)", None)
        for briefing in BriefingStore(self.library).all():
            self.saved_box.addItem(f"{briefing.options.title} — {briefing.describe_selection()}", briefing.id)

    def _open_chosen(self, index: int) -> None:
        briefing_id = self.saved_box.itemData(index)
        if briefing_id is None:
            self.briefing_id = None
            return
        self.load(BriefingStore(self.library).get(briefing_id))

    # -- saving and exporting ------------------------------------------------------------

    def save(self) -> bool | None:
        """Keep the briefing in the library (a new one, or the one opened)."""
        briefing = self.composed()
        return self.ops.run(
            Op(
                lambda library: BriefingStore(library).save(briefing),
                what=f"save the briefing “{briefing.options.title}”",
                done="Briefing saved",
                on_success=self._saved,
                background=False,
            )
        )

    def _saved(self, briefing: SavedBriefing) -> None:
        self.briefing_id = briefing.id
        self.reload_saved()
        self.saved_box.setCurrentIndex(max(0, self.saved_box.findData(briefing.id)))
        self.saved.emit(briefing)

    def choose_export(self, kind: ExportKind) -> None:
        title, pattern, suffix = {
            "pdf": ("Export Briefing as PDF", "PDF (*.pdf)", ".pdf"),
            "odt": ("Export Briefing as ODT", "OpenDocument text (*.odt)", ".odt"),
            "md": ("Export Briefing as Markdown", "Markdown (*.md)", ".md"),
            "w3c": ("Export Notes as W3C JSON-LD", "JSON-LD (*.jsonld)", ".jsonld"),
        }[kind]
        name = (
            "".join(c if c.isalnum() or c in "-_ " else "-" for c in self.options().title).strip()
            or "briefing"
        )
        path, _ = QFileDialog.getSaveFileName(self, title, f"{name}{suffix}", pattern)
        if path:
            self.export_to(kind, Path(path))

    def export_to(self, kind: ExportKind, path: Path) -> bool | None:
        """Write the briefing as composed, off the window's thread (a long briefing takes
        seconds); the outcome is said in a message (one line) when it lands. True: written (a
        library in memory is written here); False: it failed, and the message says why; None:
        being written, with the export buttons off meanwhile."""
        from briefing_app.ui.pdf import write_odt, write_pdf  # Qt's PDF machinery on first use

        briefing = self.composed()

        def write(library: Library) -> ExportResult:
            return write_export(
                library,
                kind,
                briefing.selection,
                path,
                write_pdf,
                options=briefing.options,
                odt_renderer=write_odt,
            )

        started = run_off_the_window(
            self.library, self.jobs, write, self._exported, lambda exc: self._export_failed(path, exc)
        )
        if started is None:
            self.exporting = True
            for button in (self.pdf_button, self.odt_button):
                button.setEnabled(False)
            self.export_status.setText(f"Writing {path.name}…")
            self.export_status.show()
        return started

    def _export_done(self) -> None:
        self.exporting = False
        for button in (self.pdf_button, self.odt_button):
            button.setEnabled(True)
        self.export_status.hide()

    def _exported(self, result: ExportResult) -> None:
        self._export_done()
        self.last_result = result
        summary = result.summary()
        self._tell(QMessageBox.Icon.Information, summary[:1].upper() + summary[1:] + ".")

    def _export_failed(self, path: Path, exc: Exception) -> None:
        self._export_done()
        self._tell(QMessageBox.Icon.Critical, f"Could not write {path.name}.", export_failure(exc))

    def _tell(self, icon: QMessageBox.Icon, text: str, details: str = "") -> None:
        box = QMessageBox(icon, "Briefing Reader", text, parent=self)
        if details:
            box.setInformativeText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message = box

    def done(self, result: int) -> None:
        self.jobs.shutdown()
        super().done(result)


def _preview(note: Note) -> str:
    """One line: the start of the quote (or "on the article"), then of the body, and the tags."""
    quote = _cut(" ".join(note.quote.split()), QUOTE_PREVIEW_CHARS)
    body = _cut(" ".join(note.body.split()), PREVIEW_CHARS - len(quote))
    text = f"“{quote}” — {body}" if quote else f"(on the article) {body}"
    return text + (f"  [{', '.join(note.tags)}]" if note.tags else "")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"
