"""The notes pane: notes made from a text selection, saved as typed, found, deleted, undone."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor

from briefing_app.core.notes import NOTE_COLORS
from briefing_app.ui.notespane import (
    AUTOSAVE_DELAY_MS,
    MAX_AUTOSAVE_DELAY_MS,
    RETRY_FIRST_MS,
)
from tests.support.ui import ARTICLE_ID, ARTICLE_TEXT, format_at

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def span_of(needle: str) -> tuple[int, int]:
    start = ARTICLE_TEXT.index(needle)
    return start, start + len(needle)


def select_text(window, needle: str) -> None:
    view = window.text_pane.view
    start, end = span_of(needle)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.positions.to_qt(start))
    cursor.setPosition(view.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def add_note(window, needle: str, body: str = ""):
    note = window.notes.create(ARTICLE_ID, *span_of(needle), body=body)
    window.notes_pane.reload()
    window.text_pane.set_notes(window.notes_pane.passage_notes())
    return note


def test_model(window, qtmodeltester):
    add_note(window, "instructors", "Who trains them?")
    add_note(window, "Moscow, September")
    qtmodeltester.check(window.notes_pane.model)


def test_ctrl_shift_n_makes_a_note_on_the_selection(window, qtbot):
    # After two emoji: UTF-16 positions and code points differ by two here.
    select_text(window, "Bakary Yaou Sangaré")
    qtbot.keyClick(window.text_pane.view, Qt.Key.Key_N, CTRL_SHIFT)
    pane = window.notes_pane
    [note] = pane.model.notes()
    assert (note.start, note.end, note.quote) == (*span_of("Bakary Yaou Sangaré"), "Bakary Yaou Sangaré")
    assert pane.current == note and pane.body_edit.hasFocus()
    start, end = span_of("Bakary Yaou Sangaré")
    text_pane = window.text_pane
    for offset in (start, end - 1):
        assert format_at(text_pane, offset).background().color() == QColor(NOTE_COLORS["yellow"])
    assert format_at(text_pane, end).background().color() != QColor(NOTE_COLORS["yellow"])
    # The note's colour lies over the entity's, which is underlined instead.
    assert format_at(text_pane, start).underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert text_pane.view.textCursor().hasSelection()  # marking kept the analyst's selection


def test_ctrl_shift_n_without_a_selection_makes_nothing(window, qtbot):
    window.add_note_action.trigger()
    assert window.notes.for_article(ARTICLE_ID) == []
    assert "Select a passage" in window.statusBar().currentMessage()


def test_context_menu_offers_add_note(window):
    select_text(window, "instructors")
    menu = window.text_pane.view.context_menu(window.text_pane.view.rect().center())
    next(a for a in menu.actions() if a.text() == "Add Note").trigger()
    assert [n.quote for n in window.notes.for_article(ARTICLE_ID)] == ["instructors"]


def test_typing_saves_after_a_pause(window, qtbot):
    note = add_note(window, "instructors")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    qtbot.keyClicks(pane.body_edit, "Russian *trainers*")
    assert window.save_label.text() == "Saving…"
    assert window.notes.get(note.uuid).body == ""
    qtbot.waitUntil(
        lambda: window.notes.get(note.uuid).body == "Russian *trainers*", timeout=AUTOSAVE_DELAY_MS * 3
    )
    assert window.save_label.text() == "All notes saved"
    assert pane.model.notes()[0].body == "Russian *trainers*"


def test_steady_typing_is_saved_without_a_pause(window, qtbot):
    note = add_note(window, "instructors")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    typed = 0
    while window.notes.get(note.uuid).body == "":
        qtbot.keyClicks(pane.body_edit, "x")
        typed += 1
        qtbot.wait(AUTOSAVE_DELAY_MS // 5)  # never a pause long enough for the first timer
        assert typed * AUTOSAVE_DELAY_MS // 5 < MAX_AUTOSAVE_DELAY_MS * 2, "typing was never saved"


def test_closing_saves_what_was_just_typed(window, qtbot):
    note = add_note(window, "instructors")
    window.notes_pane.select_note(note.uuid)
    qtbot.keyClicks(window.notes_pane.body_edit, "typed just before closing")
    window.close()
    assert window.notes.get(note.uuid).body == "typed just before closing"


def test_switching_article_saves_what_was_typed(window, qtbot, ui_library):
    note = add_note(window, "instructors")
    window.notes_pane.select_note(note.uuid)
    qtbot.keyClicks(window.notes_pane.body_edit, "before switching")
    other = next(a.id for a in ui_library.list_articles() if a.id != ARTICLE_ID)
    window.library_pane.select_article(other)
    assert window.notes.get(note.uuid).body == "before switching"
    assert window.notes_pane.model.rowCount() == 0


def test_tags_and_colour(window, qtbot):
    note = add_note(window, "instructors")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    qtbot.keyClicks(pane.tags_field, "training, Mali ,training,")
    pane.flush()
    assert window.notes.get(note.uuid).tags == ("training", "Mali")
    pane.findChild(type(pane.preview_button), "color-green").click()
    assert window.notes.get(note.uuid).color == "green"
    mark = format_at(window.text_pane, note.start)
    assert mark.background().color() == QColor(NOTE_COLORS["green"])
    assert mark.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine  # unlike entities


def test_preview_shows_the_markdown_formatted(window, qtbot):
    note = add_note(window, "instructors", "Some **bold** claim")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    pane.preview_button.click()
    assert pane.body_stack.currentWidget() is pane.preview
    assert pane.preview.toPlainText().strip() == "Some bold claim"


def test_article_note(window):
    window.notes_pane.article_note_button.click()
    [note] = window.notes.for_article(ARTICLE_ID)
    assert note.quote == "" and note.start is None
    assert window.notes_pane.model.data(window.notes_pane.model.index(0)).startswith(
        "Note on the whole article"
    )


def test_search_opens_the_note_in_its_article(window, qtbot, ui_library):
    other = next(a for a in ui_library.list_articles() if a.id != ARTICLE_ID)
    note = window.notes.create(other.id, 0, 6, body="Ask about drone deliveries")
    pane = window.notes_pane
    qtbot.keyClicks(pane.search_field, "dron")
    assert pane.lists.currentWidget() is pane.search_results
    assert pane.search_results.count() == 1
    pane.search_results.itemClicked.emit(pane.search_results.item(0))
    assert window.article.id == other.id
    assert pane.current.uuid == note.uuid
    assert window.text_pane.view.selected_span() == (0, 6)
    pane.search_field.clear()
    assert pane.lists.currentWidget() is not pane.search_results


def test_search_with_stray_syntax_finds_nothing_without_error(window, qtbot):
    add_note(window, "instructors", "trainers")
    qtbot.keyClicks(window.notes_pane.search_field, 'tr" OR (')
    assert window.notes_pane.search_results.item(0).text() == "No note matches."


def test_delete_then_undo(window, qtbot):
    note = add_note(window, "instructors", "keep me")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    pane.delete_button.click()
    assert pane.model.rowCount() == 0 and window.notes.get(note.uuid).deleted
    assert pane.undo_bar.isVisible()
    assert format_at(window.text_pane, note.start).background().color() != QColor(NOTE_COLORS["yellow"])
    assert window.undo_delete_action.text() == "Undo Delete Note"
    pane.list.setFocus()
    qtbot.keyClick(pane.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.notes.get(note.uuid).deleted
    assert [n.uuid for n in pane.model.notes()] == [note.uuid] and pane.current.uuid == note.uuid
    assert not pane.undo_bar.isVisible()
    assert format_at(window.text_pane, note.start).background().color() == QColor(NOTE_COLORS["yellow"])
    pane.delete_current()
    pane.undo_button.click()
    assert not window.notes.get(note.uuid).deleted


def test_orphans_are_shown_apart(window):
    placed = add_note(window, "instructors")
    lost = window.notes.create(ARTICLE_ID, *span_of("next spring"), body="lost")
    window.notes.save(dataclasses.replace(lost, start=None, end=None, anchor_state="orphaned"))
    window.open_article(ARTICLE_ID)
    pane = window.notes_pane
    assert [n.uuid for n in pane.model.notes()] == [placed.uuid]
    assert [n.uuid for n in pane.orphan_model.notes()] == [lost.uuid]
    assert pane.orphan_list.isVisible() and "could not be placed" in pane.orphan_label.text().lower()
    assert "next spring" in pane.orphan_model.data(pane.orphan_model.index(0))
    pane.select_note(lost.uuid)
    assert pane.current.uuid == lost.uuid and not pane.list.selectionModel().hasSelection()


def test_clicking_a_note_selects_its_passage(window, qtbot):
    add_note(window, "instructors")
    second = add_note(window, "Abdoulaye Diop")
    pane = window.notes_pane
    row = pane.model.row_of(second.uuid)
    rect = pane.list.visualRect(pane.model.index(row))
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.current.uuid == second.uuid
    assert window.text_pane.view.selected_span() == span_of("Abdoulaye Diop")


def test_clicking_a_noted_passage_selects_its_note(window, qtbot):
    add_note(window, "instructors")
    note = add_note(window, "Abdoulaye Diop")
    view = window.text_pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.positions.to_qt(span_of("Abdoulaye Diop")[0] + 3))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
    assert window.notes_pane.current.uuid == note.uuid


def lock_note_bodies(monkeypatch, times: int | None = None) -> list[bool]:
    """NoteStore.update_body fails as on a locked library: `times` times, or while the
    returned flag holds True."""
    import sqlite3

    from briefing_app.core.notes import NoteStore

    locked = [True]
    calls = []
    update_body = NoteStore.update_body

    def failing(self, uuid, body):
        calls.append(uuid)
        if locked[0] and (times is None or len(calls) <= times):
            raise sqlite3.OperationalError("database is locked")
        return update_body(self, uuid, body)

    monkeypatch.setattr(NoteStore, "update_body", failing)
    return locked


def test_a_failed_save_keeps_the_text_across_articles_until_it_is_saved(
    window, qtbot, ui_library, monkeypatch
):
    note = add_note(window, "instructors")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    locked = lock_note_bodies(monkeypatch)
    qtbot.keyClicks(pane.body_edit, "typed while locked")
    other = next(a.id for a in ui_library.list_articles() if a.id != ARTICLE_ID)
    window.library_pane.select_article(other)
    assert window.save_label.text() == "Note not saved: database is locked (retrying)"
    assert window.notes.get(note.uuid).body == ""
    window.library_pane.select_article(ARTICLE_ID)
    # Back on its article, the note is shown with what was typed, still unsaved.
    assert pane.current.uuid == note.uuid
    assert pane.body_edit.toPlainText() == "typed while locked"
    assert window.save_label.text().startswith("Note not saved")
    pane.body_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.body_edit, ", and more")
    locked[0] = False
    qtbot.waitUntil(lambda: window.notes.get(note.uuid).body == "typed while locked, and more", timeout=5000)
    assert window.save_label.text() == "All notes saved"
    assert pane.model.notes()[0].body == "typed while locked, and more"


def test_a_failed_save_is_retried_without_another_keystroke(window, qtbot, ui_library, monkeypatch):
    note = add_note(window, "instructors")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    lock_note_bodies(monkeypatch, times=1)
    qtbot.keyClicks(pane.body_edit, "retried")
    assert not pane.flush()
    assert window.save_label.text() == "Note not saved: database is locked (retrying)"
    qtbot.waitUntil(lambda: window.notes.get(note.uuid).body == "retried", timeout=RETRY_FIRST_MS * 3)
    assert window.save_label.text() == "All notes saved"
    assert pane.body_edit.toPlainText() == "retried"


def test_a_colour_that_fails_to_save_is_kept_too(window, qtbot, monkeypatch):
    import sqlite3

    from briefing_app.core.notes import NoteStore

    note = add_note(window, "instructors")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    set_color = NoteStore.set_color
    monkeypatch.setattr(
        NoteStore, "set_color", lambda *a: (_ for _ in ()).throw(sqlite3.OperationalError("disk I/O error"))
    )
    pane.findChild(type(pane.preview_button), "color-green").click()
    assert window.notes.get(note.uuid).color == "yellow"
    pane.reload()
    assert pane.findChild(type(pane.preview_button), "color-green").isChecked()
    monkeypatch.setattr(NoteStore, "set_color", set_color)
    qtbot.waitUntil(lambda: window.notes.get(note.uuid).color == "green", timeout=RETRY_FIRST_MS * 3)
    assert format_at(window.text_pane, note.start).background().color() == QColor(NOTE_COLORS["green"])


def test_closing_with_unsaved_text_asks_and_never_drops_it_silently(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication

    note = add_note(window, "instructors")
    pane = window.notes_pane
    pane.select_note(note.uuid)
    locked = lock_note_bodies(monkeypatch)
    qtbot.keyClicks(pane.body_edit, "cannot be saved yet")
    answers = ["retry", "cancel"]
    monkeypatch.setattr(window, "_ask_about_unsaved_notes", lambda: answers.pop(0))
    window.close()
    assert answers == [] and window.isVisible()  # asked twice, then kept open
    assert pane.body_edit.toPlainText() == "cannot be saved yet"
    monkeypatch.setattr(window, "_ask_about_unsaved_notes", lambda: "copy")
    window.close()
    assert not window.isVisible()
    copied = QApplication.clipboard().text()
    assert "cannot be saved yet" in copied and "instructors" in copied
    locked[0] = False
    assert pane.flush() and window.notes.get(note.uuid).body == "cannot be saved yet"
