"""The composer: what goes in (a choice, ticks, order), the title block and sections, saved
in the library and opened again, exported."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from briefing_app.core.export.saved import BriefingStore
from briefing_app.core.store import Library
from briefing_app.ui.composer import ComposerDialog
from briefing_app.ui.ops import LibraryOps
from tests.ui.test_briefing_export import make_library


def listed(dialog: ComposerDialog) -> list[tuple[str, bool]]:
    """(the note's marker "N0x1", whether it is ticked), in the list's order."""
    markers = {note.uuid: note.body.split()[0] for note in dialog.library.notes.all_notes()}
    items = [dialog.notes_list.item(row) for row in range(dialog.notes_list.count())]
    return [
        (markers[item.data(Qt.ItemDataRole.UserRole)], item.checkState() == Qt.CheckState.Checked)
        for item in items
    ]


def make_dialog(qtbot, library: Library, **kwargs) -> ComposerDialog:
    window = QMainWindow()
    qtbot.addWidget(window)
    dialog = ComposerDialog(library, LibraryOps(library, window), window, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_compose_choose_reorder_save_and_open_again(qtbot, tmp_path):
    library = make_library(tmp_path / "library.db", articles=2, notes_each=3)
    dialog = make_dialog(qtbot, library, open_article_id=1)
    qtbot.waitUntil(lambda: dialog.notes_list.count() == 6)  # every note, read in the background
    dialog.source_box.setCurrentIndex(dialog.source_box.findData("article"))
    qtbot.waitUntil(lambda: dialog.notes_list.count() == 3)
    assert listed(dialog) == [("N0x0", True), ("N0x1", True), ("N0x2", True)]
    assert dialog.selection().note_uuids is None  # as the choice gives them: new notes join too

    # Leave one out and move the last to the top (what a drag does).
    dialog.notes_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.notes_list.insertItem(0, dialog.notes_list.takeItem(2))
    dialog.title_field.setText("Mali, this week")
    dialog.author_field.setText("J. Analyst")
    dialog.handling_field.setText("INTERNAL")
    dialog.summary_field.setPlainText("Two points.")
    dialog.group_box.setCurrentIndex(dialog.group_box.findData("listed"))
    dialog.timeline_box.setChecked(False)
    assert dialog.save() is True
    (saved,) = BriefingStore(library).all()
    uuids = [dialog.notes_list.item(row).data(Qt.ItemDataRole.UserRole) for row in (0, 1)]
    assert saved.selection.article_ids == (1,) and saved.selection.note_uuids == tuple(uuids)
    assert (saved.options.title, saved.options.author, saved.options.handling) == (
        "Mali, this week",
        "J. Analyst",
        "INTERNAL",
    )
    assert saved.options.group_by == "listed" and not saved.options.timeline and saved.options.sources

    again = make_dialog(qtbot, library)
    again.saved_box.setCurrentIndex(1)
    again.saved_box.activated.emit(1)
    qtbot.waitUntil(lambda: again.notes_list.count() == 3)
    assert listed(again) == [("N0x2", True), ("N0x0", True), ("N0x1", False)]
    assert again.title_field.text() == "Mali, this week" and not again.timeline_box.isChecked()
    composed = again.composed()  # unchanged: saving again keeps it as it was
    assert (composed.id, composed.options, composed.selection) == (saved.id, saved.options, saved.selection)


def written(qtbot, dialog, kind, out) -> bool:
    """Export from the composer (in the background, on a library file) and wait until it has
    landed, its buttons off meanwhile; whether the file was written."""
    dialog.message = None
    started = dialog.export_to(kind, out)
    if started is not None:
        return started
    assert not dialog.pdf_button.isEnabled() and dialog.export_status.text() == f"Writing {out.name}…"
    qtbot.waitUntil(lambda: not dialog.exporting, timeout=20000)
    assert dialog.pdf_button.isEnabled() and not dialog.export_status.isVisible()
    return dialog.message is not None and dialog.message.icon() == QMessageBox.Icon.Information


def test_composer_exports_the_briefing_as_composed(qtbot, tmp_path):
    library = make_library(tmp_path / "library.db", articles=2, notes_each=2)
    dialog = make_dialog(qtbot, library)
    qtbot.waitUntil(lambda: dialog.notes_list.count() == 4)
    dialog.source_box.setCurrentIndex(dialog.source_box.findData("tag"))
    dialog.tag_box.setCurrentText("t1x0")
    qtbot.waitUntil(lambda: dialog.notes_list.count() == 1)
    dialog.title_field.setText("One note")
    for kind in ("pdf", "odt", "md"):
        out = tmp_path / f"briefing.{kind}"
        assert written(qtbot, dialog, kind, out)
        assert dialog.last_result is not None and dialog.last_result.notes == 1
    assert (tmp_path / "briefing.pdf").read_bytes().startswith(b"%PDF-")
    markdown = (tmp_path / "briefing.md").read_text(encoding="utf-8")
    assert markdown.startswith("# One note\n") and "N1x0 begins" in markdown and "N0x0" not in markdown


def test_an_export_of_nothing_is_said_in_the_window(qtbot, tmp_path):
    library = make_library(tmp_path / "library.db", articles=1, notes_each=1)
    dialog = make_dialog(qtbot, library)
    dialog.source_box.setCurrentIndex(dialog.source_box.findData("entity"))
    dialog.entity_field.setText("Kremlin")
    dialog.entity_field.editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.notes_count.text() == "0 notes")
    out = tmp_path / "briefing.pdf"
    assert not written(qtbot, dialog, "pdf", out)
    assert (
        dialog.message is not None
        and "no notes on articles mentioning 'Kremlin'" in dialog.message.informativeText()
    )
    assert not out.exists()


def test_the_file_menu_opens_the_composer_on_the_open_article(qtbot, window):
    from briefing_app.core.notes import NoteStore

    article_id = window.article.id
    NoteStore(window.library).create_article_note(article_id, body="Overall: watch this.", tags=["sahel"])
    window.compose_action.trigger()
    composer = window.composer
    qtbot.waitUntil(lambda: composer.notes_list.count() == 1)
    assert composer.isVisible() and composer.open_article_id == article_id
    composer.source_box.setCurrentIndex(composer.source_box.findData("article"))
    assert composer.base_selection().article_ids == (article_id,)
    composer.reject()
