"""The main window: library, text, entities, timeline and notes side by side, kept in step."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QTabWidget,
    QWidget,
)

from briefing_app.core.datecorrections import DateCorrection
from briefing_app.core.display import printable
from briefing_app.core.export import ExportKind
from briefing_app.core.model import Article, ImportReport, Note, TimeExpr
from briefing_app.core.store import ArticleNotFound, Library, LibraryError
from briefing_app.ui.datecorrection import ask_date
from briefing_app.ui.entitypane import EntityPane
from briefing_app.ui.helpmenu import install_help_menu
from briefing_app.ui.inbox import InboxSettings, show_original
from briefing_app.ui.library import LibraryPane
from briefing_app.ui.notespane import NotesPane
from briefing_app.ui.ops import Changes, LibraryOps, Op, date_correction_op, export_failure
from briefing_app.ui.readerlayout import DockPane, ReaderLayout
from briefing_app.ui.textpane import ENTITY_COLOURS, TextPane
from briefing_app.ui.timelinepane import TimelineEntry, TimelinePane, timeline_entries
from briefing_app.ui.views import READER, VIEWS, parse_view_name, view_names
from briefing_app.ui.workers import (
    ExtractorFactory,
    JobQueue,
    extract_pending_job,
    import_job,
    reextract_job,
    run_off_the_window,
)

if TYPE_CHECKING:
    from briefing_app.core.export.entry import ExportResult, Selection
    from briefing_app.core.export.w3c import W3CImportReport

# The first window: this big, or the screen's free area less a margin where that is smaller.
DEFAULT_WINDOW_SIZE = (1600, 1000)
SCREEN_MARGIN = 40


class MainWindow(QMainWindow):
    # An extraction stored new events and mentions: library-wide views read them again.
    extraction_landed = Signal()

    def __init__(
        self,
        library: Library,
        settings: QSettings | None = None,
        make_extractor: ExtractorFactory | None = None,
    ) -> None:
        """settings: where geometry, pane layout and the open article persist (None: nowhere)."""
        super().__init__()
        self.library = library
        self.settings = settings
        self.make_extractor = make_extractor
        self.jobs = JobQueue(self)
        # Exports, one at a time, apart from the jobs: an export must not wait behind a long
        # extraction, and a 2,000-note briefing takes seconds that the window must not freeze.
        self.exports = JobQueue(self)
        # The one write path: every change the window makes to the library goes through it.
        self.ops = LibraryOps(library, self)
        self.article: Article | None = None
        self.last_import_report: ImportReport | None = None
        self._import_progress: QProgressDialog | None = None
        self.import_summary: QMessageBox | None = None
        self.export_message: QMessageBox | None = None  # the last export's or import's outcome
        self.exports_running = 0  # exports being written in the background
        # The open article (id, text uid) and the search whose hits its text shows.
        self._search_hits_shown: tuple[int, str, str] | None = None
        self.setWindowTitle("Briefing Reader")
        self.setAcceptDrops(True)

        self.library_pane = LibraryPane(library)
        self.text_pane = TextPane()
        self.entity_pane = EntityPane(self.ops)
        self.timeline_pane = TimelinePane()
        self.notes = library.notes
        self.notes_pane = NotesPane(self.notes, self.ops)
        # The text in the middle; the other panes are docks the analyst can hide, move and
        # stack as tabs (ui/readerlayout.py says why).
        self.reader = ReaderLayout(
            self.text_pane,
            [
                DockPane("library", "Library", self.library_pane, 200, "Ctrl+Shift+L"),
                DockPane("entities", "Entities", self.entity_pane, 180),
                DockPane("timeline", "Timeline", self.timeline_pane, 220),
                DockPane("notes", "Notes", self.notes_pane, 220),
            ],
        )
        # The reader is the first tab; library-wide views (ui/views.py) open as tabs beside it.
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_view_tab)
        self.tabs.addTab(self.reader, "Reader")
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self._open_views: dict[str, QWidget] = {}  # "entities", "dossier:Sergey Lavrov", ...
        self.setCentralWidget(self.tabs)

        self._make_actions()
        self._make_status_bar()
        self.library_pane.article_activated.connect(self.open_article)
        self.library_pane.filter_changed.connect(self._library_filter_changed)
        self.text_pane.mark_entity_requested.connect(self.mark_as_entity)
        self.text_pane.add_note_requested.connect(self.add_note)
        self.text_pane.date_correction_requested.connect(self.correct_date_in_text)
        self.timeline_pane.date_correction_requested.connect(self.correct_date)
        self.text_pane.note_clicked.connect(lambda uuid: self.notes_pane.select_note(uuid, activate=False))
        self.notes_pane.note_activated.connect(self._show_note_passage)
        self.notes_pane.notes_changed.connect(
            lambda: self.text_pane.set_notes(self.notes_pane.passage_notes())
        )
        self.notes_pane.open_note_requested.connect(self.open_note)
        self.notes_pane.save_state_changed.connect(self.save_label.setText)
        self.entity_pane.mark_requested.connect(self.text_pane.mark_spans)
        self.ops.changed.connect(self._library_changed)
        self.entity_pane.show_mentioning.connect(self.library_pane.show_mentioning)
        self.entity_pane.dossier_requested.connect(lambda name: self.show_view(f"dossier:{name}"))
        self.timeline_pane.entry_clicked.connect(self._timeline_entry_clicked)
        self.timeline_pane.library_timeline_requested.connect(lambda: self.show_view("timeline"))
        self._restore_settings()
        self.library_pane.view.setFocus()
        # Settings > inbox folder: installed last, since its watcher may import at once.
        self.inbox_settings = InboxSettings(self)
        self.inbox_settings.install(before=self.help_menu.menuAction())

    # -- frame -------------------------------------------------------------------------

    def _action(self, text: str, slot, *shortcuts) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.import_action = self._action("&Import Files…", self.choose_files, QKeySequence.StandardKey.Open)
        self.import_folder_action = self._action("Import &Folder…", self.choose_folder)
        self.export_pdf_action = self._action("Export Briefing as &PDF…", lambda: self.choose_export("pdf"))
        self.export_pdf_action.setToolTip(
            "Export the briefing on the open article, or on all articles with notes"
        )
        self.export_markdown_action = self._action(
            "Export Briefing as &Markdown…", lambda: self.choose_export("md")
        )
        self.export_w3c_action = self._action(
            "Export Notes as &W3C JSON-LD…", lambda: self.choose_export("w3c")
        )
        self.compose_action = self._action("&Compose Briefing…", self.open_composer, "Ctrl+Shift+B")
        self.import_w3c_action = self._action("Import W3C &Annotations…", self.choose_w3c_import)
        self.show_original_action = self._action(
            "Show &Original",
            lambda: show_original(self, self.library, self.article.id if self.article else None),
        )
        self.show_original_action.setToolTip("Open the file the article was imported from")
        self.add_note_action = self._action("Add &Note", self.add_note_from_selection, "Ctrl+Shift+N")
        self.add_note_action.setToolTip("A note on the passage selected in the text (Ctrl+Shift+N)")
        self.add_note_action.setIconText("Note")
        self.undo_delete_action = self.notes_pane.undo_stack.createUndoAction(self, "Undo")
        self.undo_delete_action.setShortcuts(QKeySequence.StandardKey.Undo)
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.find_action = self._action(
            "&Find in Article", self.text_pane.find_bar.open_bar, QKeySequence.StandardKey.Find
        )
        self.zoom_in_action = self._action(
            "Larger Text", lambda: self.text_pane.zoom(+1), QKeySequence.StandardKey.ZoomIn, "Ctrl+="
        )
        self.zoom_out_action = self._action(
            "Smaller Text", lambda: self.text_pane.zoom(-1), QKeySequence.StandardKey.ZoomOut
        )
        self.zoom_in_action.setIconText("A+")
        self.zoom_out_action.setIconText("A−")
        search_action = self._action("&Search Library", self._focus_search, "Ctrl+K")
        self.next_hit_action = self._action(
            "Next Search &Hit", lambda: self.text_pane.next_search_hit(+1), "F4"
        )
        self.previous_hit_action = self._action(
            "Previous Search Hit", lambda: self.text_pane.next_search_hit(-1), "Shift+F4"
        )

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.import_action, self.import_folder_action, self.import_w3c_action])
        file_menu.addAction(self.show_original_action)
        file_menu.addSeparator()
        file_menu.addActions([self.compose_action, self.export_pdf_action, self.export_markdown_action])
        file_menu.addAction(self.export_w3c_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.undo_delete_action, self.add_note_action])
        edit_menu.addSeparator()
        edit_menu.addActions(
            [self.find_action, search_action, self.next_hit_action, self.previous_hit_action]
        )
        view_menu = self.menuBar().addMenu("&View")
        self.reader_action = self._action("&Reader", lambda: self.show_view(READER), "Ctrl+1")
        view_menu.addAction(self.reader_action)
        for spec in VIEWS.values():
            if spec.in_menu and not spec.takes_argument:
                action = self._action(
                    f"{spec.title}",
                    lambda _=False, key=spec.key: self.show_view(key),
                    *filter(None, [spec.shortcut]),
                )
                view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addActions(self.reader.toggle_actions())
        self.reset_layout_action = self._action("Reset Reader &Layout", self.reset_layout)
        view_menu.addAction(self.reset_layout_action)
        view_menu.addSeparator()
        view_menu.addActions([self.zoom_in_action, self.zoom_out_action])
        self.help_menu = install_help_menu(self, self.library)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.import_action)
        self.import_action.setIconText("Import")
        toolbar.addSeparator()
        self.library_pane.search_field.setMaximumWidth(420)
        toolbar.addWidget(self.library_pane.search_field)
        toolbar.addSeparator()
        toolbar.addAction(self.add_note_action)
        toolbar.addAction(self.export_pdf_action)
        self.export_pdf_action.setIconText("Export PDF")
        toolbar.addSeparator()
        toolbar.addAction(self.zoom_out_action)
        toolbar.addAction(self.zoom_in_action)

    def _make_status_bar(self) -> None:
        self.count_label = QLabel()
        self._library_total: int | None = None  # the library's article count, once known
        self.extraction_label = QLabel()
        self.save_label = QLabel("All changes saved")
        bar = self.statusBar()
        bar.addWidget(self.count_label)
        bar.addWidget(self.extraction_label)
        bar.addPermanentWidget(self.save_label)
        self._update_count()

    def _update_count(self) -> None:
        listed = self.library_pane.model.total
        # Unfiltered, the list's own count is the library's: not counted twice at start, nor
        # again for each search result (a count grows with the library); imports reset it.
        if self.library_pane.model.article_filter.is_empty():
            self._library_total = listed
        elif self._library_total is None:
            self._library_total = self.library.count_articles()
        total = self._library_total
        noun = "article" if total == 1 else "articles"
        if listed is None:  # a very common search, counted in the background
            self.count_label.setText(f"counting matches… of {total:,} {noun}")
        elif listed == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{listed:,} of {total:,} {noun}")

    def _focus_search(self) -> None:
        self.library_pane.search_field.setFocus()
        self.library_pane.search_field.selectAll()

    # -- views -------------------------------------------------------------------------

    def show_view(self, name: str) -> QWidget:
        """Bring the view called `name` forward ("reader", "entities", "dossier:Sergey Lavrov",
        ...), building it on first use. Raises KeyError naming the views there are."""
        key, argument = parse_view_name(name)
        if key == READER:
            self.tabs.setCurrentIndex(0)
            return self.reader
        spec = VIEWS.get(key)
        if spec is None or spec.takes_argument != bool(argument):
            raise KeyError(f"no view {name!r}; the views are: {', '.join(view_names())}")
        tab_key = f"{key}:{argument}" if argument else key
        view = self._open_views.get(tab_key)
        if view is None:
            view = spec.make(self, argument)
            self._open_views[tab_key] = view
            title = f"{spec.title}: {argument}" if argument else spec.title
            self.tabs.addTab(view, title)
        self.tabs.setCurrentWidget(view)
        return view

    def _close_view_tab(self, index: int) -> None:
        view = self.tabs.widget(index)
        if view is None or view is self.reader:
            return  # the reader stays
        for tab_key, open_view in list(self._open_views.items()):
            if open_view is view:
                del self._open_views[tab_key]
        self.tabs.removeTab(index)
        view.deleteLater()

    def open_article_at(self, article_id: int, start: int | None = None, end: int | None = None) -> None:
        """From a library-wide view: the reader, with the article open and the span (a mention,
        an event's sentence) selected and scrolled to."""
        self.tabs.setCurrentIndex(0)
        if self.article is None or self.article.id != article_id:
            if not self.library_pane.select_article(article_id):
                self.open_article(article_id)
        if (
            start is not None
            and end is not None
            and self.article is not None
            and self.article.id == article_id
        ):
            self.text_pane.select_span(start, end)

    # -- the open article --------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        try:
            article = self.library.get_article(article_id)
        except ArticleNotFound:
            return
        self.article = article
        self.notes_pane.set_article(article.id)  # saves what was typed on the previous article
        self._fill_panes(keep_scroll=False)

    def refresh_article(self) -> None:
        """The open article again from the store (its extraction or corrections changed)."""
        if self.article is None:
            return
        try:
            self.article = self.library.get_article(self.article.id)
        except ArticleNotFound:
            self.article = None
            self.notes_pane.set_article(None)
            self.text_pane.show_article(None, [])
            return
        self._fill_panes(keep_scroll=True)

    def _fill_panes(self, keep_scroll: bool) -> None:
        """Text, entities and timeline of self.article, as stored."""
        assert self.article is not None  # callers return first when no article is open
        mentions = self.library.mentions(self.article.id)
        notes = self.notes_pane.passage_notes()
        self.text_pane.show_article(self.article, mentions, notes, keep_scroll=keep_scroll)
        if not keep_scroll:
            self._show_search_hits()
        self.entity_pane.set_mentions(mentions, self.article.extracted_with is not None)
        self._refresh_timeline()
        self.setWindowTitle(f"{self.article.title} — Briefing Reader")

    def _refresh_timeline(self) -> None:
        if self.article is None:
            self.timeline_pane.set_entries([])
        else:
            entries = timeline_entries(self.library, self.article)
            self.timeline_pane.set_entries(entries, extracted=self.article.extracted_with is not None)

    def _library_filter_changed(self) -> None:
        self._update_count()
        query = self.library_pane.model.article_filter.query
        if self.article is not None and (self.article.id, self.article.uid, query) != self._search_hits_shown:
            # Not again for the same search: its count arriving later changes only the count,
            # and marking again would take the reader back to the first hit.
            self._show_search_hits()

    def _show_search_hits(self) -> None:
        """Mark where the library's search matches in the open article (one article: quick)."""
        if self.article is None:
            return
        query = self.library_pane.model.article_filter.query
        # The text pane keeps them while the same text of the same article is shown.
        self._search_hits_shown = (self.article.id, self.article.uid, query)
        try:
            spans = self.library.search_hit_spans(self.article.id, query) if query else []
        except LibraryError:
            spans = []  # the list pane already says why the search failed
        self.text_pane.show_search_hits(spans)

    def _timeline_entry_clicked(self, entry: TimelineEntry) -> None:
        if self.article is None or entry.article_id != self.article.id:
            if not self.library_pane.select_article(entry.article_id):
                self.open_article(entry.article_id)
        self.text_pane.mark_spans([(entry.event.start, entry.event.end)])

    # -- notes -------------------------------------------------------------------------

    def add_note_from_selection(self) -> None:
        span = self.text_pane.view.selected_span()
        if self.article is None or span is None or span[0] == span[1]:
            self.statusBar().showMessage("Select a passage in the text to add a note on it.", 4000)
            return
        self.add_note(*span)

    def add_note(self, start: int, end: int) -> None:
        self.notes_pane.create_note(start, end)

    def _show_note_passage(self, note: Note) -> None:
        if (
            note.start is not None
            and note.end is not None
            and self.article is not None
            and note.article_id == self.article.id
        ):
            self.text_pane.select_span(note.start, note.end)

    def open_note(self, article_id: int, uuid: str) -> None:
        """Open the note's article (a search result's) and show the note."""
        if self.article is None or self.article.id != article_id:
            if not self.library_pane.select_article(article_id):
                self.open_article(article_id)
        self.notes_pane.select_note(uuid)

    # -- export ------------------------------------------------------------------------

    def choose_export(self, kind: ExportKind) -> None:
        """Ask what to export and where, then export; kind: pdf, md or w3c."""
        self.notes_pane.flush()
        chosen, article_ids = self._choose_export_scope()
        if not chosen:
            return
        title, pattern, suffix = {
            "pdf": ("Export Briefing as PDF", "PDF (*.pdf)", ".pdf"),
            "md": ("Export Briefing as Markdown", "Markdown (*.md)", ".md"),
            "w3c": ("Export Notes as W3C JSON-LD", "JSON-LD (*.jsonld *.json)", ".jsonld"),
        }[kind]
        path, _ = QFileDialog.getSaveFileName(self, title, f"briefing{suffix}", pattern)
        if path:
            self.export_to(kind, Path(path), article_ids)

    def _choose_export_scope(self) -> tuple[bool, list[int] | None]:
        """(whether the analyst chose, [the open article's id] or None for every article with
        notes)."""
        if self.article is None:
            return True, None
        box = QMessageBox(QMessageBox.Icon.Question, "Export", "Export which articles?", parent=self)
        this_one = box.addButton("The Open Article", QMessageBox.ButtonRole.AcceptRole)
        every = box.addButton("All Articles with Notes", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(this_one)
        box.exec()
        if box.clickedButton() is this_one:
            return True, [self.article.id]
        return box.clickedButton() is every, None

    def export_to(self, kind: ExportKind, path: Path, article_ids: list[int] | None) -> bool | None:
        """Write the export (pdf, md or w3c) of the articles (None: all with notes) to path;
        returns as export_selection."""
        from briefing_app.core.export.entry import Selection

        return self.export_selection(
            kind, Selection(tuple(article_ids) if article_ids is not None else None), path
        )

    def export_selection(self, kind: ExportKind, selection: Selection, path: Path) -> bool | None:
        """Write the export of what `selection` takes to path, with what was just typed, off
        the window's thread; the outcome is said in the window when it lands (a failure in
        export_message). The one export path of the window's menus and views. True: written
        (a library in memory is written here); False: it failed, and the analyst was told;
        None: being written in the background."""
        # Here: the exporters (Markdown, W3C, Qt's PDF machinery) load on first use, not at start.
        from briefing_app.core.export.entry import write_export
        from briefing_app.ui.pdf import write_pdf

        self.notes_pane.flush()

        def write(library: Library) -> ExportResult:
            return write_export(library, kind, selection, path, write_pdf)

        # Counted before it starts: a library in memory is written (and counted out) at once.
        self.exports_running += 1
        started = run_off_the_window(
            self.library, self.exports, write, self._exported, lambda exc: self._export_failed(path, exc)
        )
        if started is None:
            self.statusBar().showMessage(f"Writing {path.name}…")
        return started

    def _exported(self, result: ExportResult) -> None:
        self.exports_running -= 1
        summary = result.summary()
        self.statusBar().showMessage(summary[:1].upper() + summary[1:], 8000)

    def _export_failed(self, path: Path, exc: Exception) -> None:
        self.exports_running -= 1
        self.statusBar().clearMessage()
        self._tell(QMessageBox.Icon.Critical, f"Could not write {path.name}.", export_failure(exc))

    def open_composer(self) -> None:
        """The briefing composer, on the open article and the library's filter."""
        from briefing_app.ui.composer import ComposerDialog

        self.notes_pane.flush()
        self.composer = ComposerDialog(
            self.library,
            self.ops,
            self,
            open_article_id=self.article.id if self.article is not None else None,
            library_filter=self.library_pane.model.article_filter,
        )
        self.composer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.composer.open()

    def choose_w3c_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import W3C Annotations", "", "W3C annotations (*.jsonld *.json);;All files (*)"
        )
        if path:
            self.import_w3c_from(Path(path))

    def import_w3c_from(self, path: Path) -> bool | None:
        """Import the file's annotations as notes, in the background (a large file takes
        time); its report, or why it failed, is told in a message. Returns as LibraryOps.run."""
        from briefing_app.core.export.w3c import import_w3c, read_annotation_file

        self.notes_pane.flush()

        def read_and_import(library: Library) -> W3CImportReport:
            return import_w3c(library, read_annotation_file(path))

        return self.ops.run(
            Op(
                read_and_import,
                what=f"import the annotations of {path.name}",
                changes=Changes(notes=True),
                on_success=self._w3c_imported,
            )
        )

    def _w3c_imported(self, report: W3CImportReport) -> None:
        details = "\n".join(f"{annotation}: {reason}" for annotation, reason in report.skipped)
        icon = QMessageBox.Icon.Warning if report.skipped else QMessageBox.Icon.Information
        self._tell(icon, f"Annotations: {report.summary()}.", details)

    def _tell(self, icon: QMessageBox.Icon, text: str, details: str = "") -> None:
        """A message that does not block (tests read it from export_message)."""
        box = QMessageBox(icon, "Briefing Reader", text, parent=self)
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.export_message = box

    # -- corrections -------------------------------------------------------------------

    def _library_changed(self, changes: Changes) -> None:
        """Show what an op changed (it has landed in the store)."""
        if changes.entities:
            self.library_pane.refresh_entity_names()
            self.refresh_article()
        if changes.notes:
            self.notes_pane.reload()
            self.text_pane.set_notes(self.notes_pane.passage_notes())
        if changes.extraction:
            self.reextract_open_article()
        if changes.dates and not changes.entities:
            self.refresh_article()

    def correct_date_in_text(self, start: int, end: int, means: bool) -> None:
        """ "This Date Means…" / "Not a Date" on the text selected in the text pane."""
        if self.article is None:
            return
        stored = next(
            (t for t in self.library.timexes(self.article.id) if t.start == start and t.end == end), None
        )
        text = self.article.text[start:end]
        self.correct_date(self.article.id, stored or TimeExpr(start, end, text, None, "day"), means)

    def correct_date(self, article_id: int, timex: TimeExpr, means: bool) -> None:
        """Ask what the date means (unless it is not a date) and store the correction."""
        if not timex.text.strip():
            self.ops.refuse("Select a date in the text to correct it.")
            return
        value: str | None = None
        precision: str | None = None
        if means:
            answer = ask_date(self, timex.text, timex.value, timex.granularity)
            if answer is None:
                return
            value, precision = answer
        correction = DateCorrection(timex.start, timex.end, timex.text, value, precision)
        self.ops.run(date_correction_op(article_id, correction))

    def mark_as_entity(self, start: int, end: int) -> None:
        if self.article is None:
            self.ops.refuse("Open an article and select a name in it to mark it as an entity.")
            return
        name = " ".join(self.article.text[start:end].split())
        # The store refuses such a name too; asked here, before the type is asked for.
        if not any(character.isalnum() for character in name):
            self.ops.refuse(
                f"“{name}” is not a name: select a name in the text to mark it as an entity."
                if name
                else "Select a name in the text to mark it as an entity."
            )
            return
        labels = sorted(ENTITY_COLOURS)
        label, ok = QInputDialog.getItem(self, "Mark as Entity", f"Type of “{name}”:", labels, 0, False)
        if ok:
            self.ops.run(
                Op(
                    lambda library: library.mark_entity(name, label),
                    what=f"mark “{name}” as an entity",
                    done=f"“{name}” is marked as {label}; finding it in every article…",
                    changes=Changes(extraction=True),
                )
            )

    def reextract_open_article(self) -> None:
        if self.article is None:
            return
        self.save_label.setText("Applying correction…")
        job = reextract_job(self.library.path, [self.article.id], self.make_extractor)
        job.finished.connect(self._reextracted)
        job.failed.connect(self._job_failed)
        self.jobs.submit(job)

    def _reextracted(self, article_ids: list[int]) -> None:
        self.save_label.setText("All changes saved")
        self.extraction_landed.emit()
        if self.article is not None and self.article.id in article_ids:
            self.refresh_article()
        # The open article first, for the analyst who is looking at it; then the other
        # articles the correction queued (the store marks those that contain its text).
        self.start_extraction()

    # -- import and extraction ---------------------------------------------------------

    def choose_files(self) -> None:
        from briefing_app.core.importers import SUPPORTED_SUFFIXES  # loads the importers: not at start

        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import Articles",
            "",
            f"Articles ({' '.join('*' + suffix for suffix in SUPPORTED_SUFFIXES)});;All files (*)",
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a Folder of Articles")
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        progress = QProgressDialog("Importing…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        self._import_progress = progress
        job = import_job(self.library.path, paths)
        progress.canceled.connect(job.cancel)
        job.progress.connect(self._import_progressed)
        job.finished.connect(self._imported)
        job.failed.connect(self._job_failed)
        self.jobs.submit(job)

    def _import_progressed(self, done: int, total: int, origin: str) -> None:
        if self._import_progress is None:
            return
        self._import_progress.setMaximum(max(total, done) if total else 0)
        self._import_progress.setValue(done)
        self._import_progress.setLabelText(
            f"Importing {done:,}" + (f" of {total:,}" if total else "") + f"\n{Path(origin).name}"
        )

    def _imported(self, report: ImportReport) -> None:
        self._library_total = None  # articles came in: counted again
        if self._import_progress is not None:
            self._import_progress.reset()
            self._import_progress.deleteLater()
            self._import_progress = None
        self.last_import_report = report
        self.library_pane.reload()
        self._update_count()
        if self.article is not None and self.article.id in report.updated:
            # Its text changed: the store re-anchored its notes to the new text, and the
            # offsets the panes hold belong to the old one.
            self.notes_pane.reload()
            self.refresh_article()
        if report.imported or report.updated:
            self.start_extraction()
            if self.article is None:
                self.library_pane.select_article(report.imported[0] if report.imported else report.updated[0])
        self._show_import_summary(report)

    def inbox_imported(self, report: ImportReport) -> None:
        """Files from the inbox came in: the list, the count and extraction as after any
        import; the summary in the status bar (no dialog: nobody asked for this import)."""
        self._library_total = None
        self.last_import_report = report
        self.library_pane.reload()
        self._update_count()
        if report.imported or report.updated:
            self.start_extraction()
        self.statusBar().showMessage("Inbox: " + "; ".join(report.summary().splitlines()), 15000)

    def inbox_failed(self, details: str) -> None:
        self.statusBar().showMessage("Inbox: the import failed (see the log)", 15000)

    def _show_import_summary(self, report: ImportReport) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Import")
        box.setIcon(QMessageBox.Icon.Warning if report.failed else QMessageBox.Icon.Information)
        box.setText(report.summary() + ".")  # not capitalize(): it would lowercase the titles it names
        if report.failed:
            box.setInformativeText(f"{len(report.failed)} could not be imported; details below.")
            box.setDetailedText(
                "\n".join(f"{printable(Path(f.origin).name)}: {printable(f.reason)}" for f in report.failed)
            )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.import_summary = box

    def start_extraction(self) -> None:
        """Extract, in the background, every article whose extraction is missing or old."""
        job = extract_pending_job(self.library.path, self.make_extractor)
        job.progress.connect(self._extraction_progressed)
        job.finished.connect(self._extraction_finished)
        job.failed.connect(self._job_failed)
        self.jobs.submit(job)

    def _extraction_progressed(self, done: int, total: int, _what: str) -> None:
        self.extraction_label.setText(f"extracting {done:,}/{total:,}" if done < total else "")
        self._refresh_if_extraction_landed()

    def _extraction_finished(self, stored: int) -> None:
        self.extraction_label.clear()
        if stored:
            self.extraction_landed.emit()
        self._refresh_if_extraction_landed()
        self.library_pane.refresh_entity_names()

    def _refresh_if_extraction_landed(self) -> None:
        """Show the open article again if the store's differs from the one shown (its
        extraction landed, or an import replaced its text meanwhile)."""
        if self.article is None:
            return
        try:
            stored = self.library.get_article(self.article.id)
        except ArticleNotFound:
            stored = None
        if stored != self.article:
            if stored is not None and stored.text != self.article.text:
                self.notes_pane.reload()  # re-anchored to the new text
            self.refresh_article()

    def _job_failed(self, details: str) -> None:
        if self._import_progress is not None:
            self._import_progress.reset()
            self._import_progress = None
        self.extraction_label.clear()
        self.save_label.setText("All changes saved")
        box = QMessageBox(
            QMessageBox.Icon.Critical, "Briefing Reader", "A background task failed.", parent=self
        )
        box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- settings ----------------------------------------------------------------------

    def _restore_settings(self) -> None:
        self.resize(*self.default_size())
        if self.settings is not None:
            self._apply_saved_settings()
        else:
            self.reset_layout()
        self.open_first_article()

    def default_size(self) -> tuple[int, int]:
        """DEFAULT_WINDOW_SIZE, or less on a screen that has less room (a 1280x800 laptop)."""
        width, height = DEFAULT_WINDOW_SIZE
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return width, height
        room = screen.availableGeometry()
        return min(width, room.width() - SCREEN_MARGIN), min(height, room.height() - SCREEN_MARGIN)

    def reset_layout(self) -> None:
        """The panes as they are first laid out for the window's present width."""
        self.reader.arrange(self.width())

    def _apply_saved_settings(self) -> None:
        assert self.settings is not None  # called only when there are settings
        if geometry := self.settings.value("window/geometry"):
            self.restoreGeometry(geometry)
        self.reset_layout()  # for the restored width; a saved layout then replaces it
        self.reader.restore_layout(self.settings.value("window/reader_layout"))
        if size := self.settings.value("reader/point_size"):
            self.text_pane.set_point_size(float(size))
        article_id = self.settings.value("reader/article")
        if article_id is not None and not self.library_pane.select_article(int(article_id)):
            self.open_article(int(article_id))

    def open_first_article(self) -> None:
        """On a start with no article to restore: the newest one, rather than an empty pane."""
        if self.article is None and self.library_pane.model.rowCount():
            self.library_pane.select_article(self.library_pane.model.article_id(0))

    def save_settings(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/reader_layout", self.reader.save_layout())
        self.settings.remove("window/splitter")  # the five-pane splitter of earlier versions
        self.settings.setValue("reader/point_size", self.text_pane.point_size)
        if self.article is not None:
            self.settings.setValue("reader/article", self.article.id)
        self.settings.sync()

    def _notes_saved_before_closing(self) -> bool:
        """A last save of what was typed; if it fails, the analyst chooses: try again, copy
        the unsaved text and close, or keep the window open (saving is retried). False: stay
        open."""
        while not self.notes_pane.flush():
            choice = self._ask_about_unsaved_notes()
            if choice == "copy":
                QApplication.clipboard().setText(self.notes_pane.unsaved_text())
                return True
            if choice != "retry":
                return False
        return True

    def _ask_about_unsaved_notes(self) -> str:
        """ "retry", "copy" or "cancel"."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Briefing Reader", "Some note text could not be saved.", parent=self
        )
        box.setInformativeText(
            f"{self.notes_pane.save_error}\n\n"
            "Try again, or copy the unsaved text to the clipboard and close without it."
        )
        box.setDetailedText(self.notes_pane.unsaved_text())
        retry = box.addButton(QMessageBox.StandardButton.Retry)
        copy = box.addButton("Copy Text and Close", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(retry)
        box.exec()
        clicked = box.clickedButton()
        return "retry" if clicked is retry else "copy" if clicked is copy else "cancel"

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._notes_saved_before_closing():
            event.ignore()
            return
        self.save_settings()
        self.ops.finish()
        self.exports.pool.waitForDone()  # an export under way is written, not dropped
        self.jobs.shutdown()
        super().closeEvent(event)
