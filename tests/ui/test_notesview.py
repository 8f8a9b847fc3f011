"""The Notes view: every note of the library, filtered, opened in the reader, exported."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from briefing_app.core.notes_query import NoteFilter
from briefing_app.ui.notesview import NotesView
from tests.support.ui import ARTICLE_ID, ARTICLE_TEXT, exported


def _span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


@pytest.fixture
def notes(ui_library):
    """Three notes on the extracted article (TASS), one on another (no source), one deleted."""
    store = ui_library.notes
    other = next(a for a in ui_library.list_articles() if a.title == "Airbus orders")
    made = {
        "lavrov": store.create(
            ARTICLE_ID,
            *_span(ARTICLE_TEXT, "Foreign Minister Sergey Lavrov"),
            body="the host",
            tags=["sahel"],
        ),
        "alliance": store.create(
            ARTICLE_ID,
            *_span(ARTICLE_TEXT, "founded the Alliance of Sahel States"),
            body="founding date",
            color="green",
        ),
        "spring": store.create(
            ARTICLE_ID,
            *_span(ARTICLE_TEXT, "next spring"),
            body="vague on purpose",
            color="blue",
            tags=["Sahel"],
        ),
        "airbus": store.create(other.id, 0, 6, body="orders **booming**", color="blue"),
        "gone": store.create(other.id, 7, 13, body="never mind"),
    }
    store.delete(made["gone"].uuid)
    return made


@pytest.fixture
def view(window, notes, qtbot) -> NotesView:
    shown = window.show_view("notes")
    assert isinstance(shown, NotesView)
    assert shown.wait_until_loaded()
    return shown


def _listed(view: NotesView) -> list[str]:
    return [view.model.note_row(row).note.uuid for row in range(view.model.rowCount())]


def _settle(view: NotesView, qtbot) -> None:
    """Let a typed filter's delay pass and its read land."""
    qtbot.waitUntil(lambda: not view._filter_timer.isActive(), timeout=5000)
    assert view.wait_until_loaded()


def test_model(view, qtmodeltester):
    qtmodeltester.check(view.model)


def test_the_view_opens_from_the_view_menu_and_lists_every_live_note(window, notes, qtbot):
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    action = next(a for a in view_menu.actions() if a.text() == "Notes")
    assert action.shortcut().toString() == "Ctrl+5"
    action.trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, NotesView) and window.tabs.tabText(window.tabs.currentIndex()) == "Notes"
    assert view.wait_until_loaded()
    assert set(_listed(view)) == {notes[k].uuid for k in ("lavrov", "alliance", "spring", "airbus")}
    assert view.count_label.text() == "4 notes"
    row = _listed(view).index(notes["airbus"].uuid)
    shown = [view.model.index(row, column).data() for column in range(view.model.columnCount())]
    assert shown[1] == "Airbus orders" and shown[3] == "2008-03-01" and shown[5] == "orders **booming**"


def test_typing_a_search_narrows_the_list(view, notes, qtbot):
    qtbot.keyClicks(view.search_field, "vague")
    _settle(view, qtbot)
    assert _listed(view) == [notes["spring"].uuid]
    view.search_field.clear()
    qtbot.keyClicks(view.search_field, "Sergey")  # in the quote, not the body
    _settle(view, qtbot)
    assert _listed(view) == [notes["lavrov"].uuid]


def test_tag_colour_and_source_are_chosen_from_what_the_notes_have(view, notes, qtbot):
    tags = [view.tag_box.itemText(i) for i in range(view.tag_box.count())]
    assert tags == ["Any tag", "sahel", "Sahel"] or tags == ["Any tag", "Sahel", "sahel"]
    view.tag_box.setCurrentIndex(1)
    assert view.wait_until_loaded()
    assert set(_listed(view)) == {notes["lavrov"].uuid, notes["spring"].uuid}  # any case
    view.color_box.setCurrentIndex(view.color_box.findData("blue"))
    assert view.wait_until_loaded()
    assert _listed(view) == [notes["spring"].uuid]
    view.clear_filters()
    assert view.wait_until_loaded() and len(_listed(view)) == 4
    assert [view.source_box.itemText(i) for i in range(view.source_box.count())] == ["Any source", "TASS"]
    view.source_box.setCurrentIndex(1)
    assert view.wait_until_loaded()
    assert notes["airbus"].uuid not in _listed(view) and len(_listed(view)) == 3


def test_entity_filter_takes_notes_whose_quote_mentions_it(view, notes, qtbot):
    qtbot.keyClicks(view.entity_field, "sergey lavrov")
    _settle(view, qtbot)
    assert _listed(view) == [notes["lavrov"].uuid]
    view.entity_field.clear()
    qtbot.keyClicks(view.entity_field, "Alliance of Sahel States")
    _settle(view, qtbot)
    assert _listed(view) == [notes["alliance"].uuid]


def test_dates_filter_by_the_articles_publication(view, notes, qtbot):
    view.date_from.setDate(view.date_from.date().fromString("2009-01-01", Qt.DateFormat.ISODate))
    assert view.wait_until_loaded()
    assert set(_listed(view)) == {notes[k].uuid for k in ("lavrov", "alliance", "spring")}
    view.date_to.setDate(view.date_to.date().fromString("2020-01-01", Qt.DateFormat.ISODate))
    assert view.wait_until_loaded()
    assert _listed(view) == [] and view.message.isVisible()
    assert view.message.text() == "No note matches these filters."


def test_double_click_opens_the_article_at_the_note(window, view, notes, qtbot):
    window.library_pane.select_article(
        next(a.id for a in window.library.list_articles() if a.id != ARTICLE_ID)
    )
    window.show_view("notes")
    row = _listed(view).index(notes["alliance"].uuid)
    rect = view.table.visualRect(view.model.index(row, 4))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == 0
    assert window.article.id == ARTICLE_ID
    assert window.notes_pane.current is not None and window.notes_pane.current.uuid == notes["alliance"].uuid
    cursor = window.text_pane.view.textCursor()
    assert cursor.selectedText() == "founded the Alliance of Sahel States"


def test_export_takes_exactly_the_selected_notes(window, view, notes, qtbot, tmp_path):
    assert not view.export_button.isEnabled()
    selection = view.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for key in ("spring", "airbus"):
        selection.select(view.model.index(_listed(view).index(notes[key].uuid), 0), flags)
    assert view.export_button.isEnabled() and view.count_label.text() == "4 notes, 2 selected"
    out = tmp_path / "chosen.md"
    assert exported(qtbot, window, lambda: view.export_selected("md", out))
    text = out.read_text(encoding="utf-8")
    assert "vague on purpose" in text and "orders **booming**" in text
    assert "the host" not in text and "founding date" not in text
    assert "2 notes on 2 articles" in window.statusBar().currentMessage()
    jsonld = tmp_path / "chosen.jsonld"
    assert exported(qtbot, window, lambda: view.export_selected("w3c", jsonld))
    assert json.loads(jsonld.read_text(encoding="utf-8"))["total"] == 2


def test_an_export_that_fails_is_a_message(view, notes, qtbot, tmp_path):
    view.table.selectRow(0)
    assert not exported(
        qtbot, view.window_, lambda: view.export_selected("md", tmp_path / "no such folder" / "out.md")
    )
    message = view.window_.export_message
    assert message is not None and "Could not write out.md" in message.text()


def test_a_note_added_in_the_reader_is_listed_when_the_view_comes_back(window, view, notes, qtbot):
    window.show_view("reader")
    window.add_note(*_span(ARTICLE_TEXT, "Bakary Yaou Sangaré"))
    qtbot.waitUntil(lambda: window.notes_pane.current is not None, timeout=5000)
    added = window.notes_pane.current.uuid
    window.show_view("notes")
    qtbot.waitUntil(lambda: added in _listed(view), timeout=5000)


def test_a_stale_read_is_not_shown(view, notes):
    before = _listed(view)
    stale = (NoteFilter(text="nothing"), [], [], [], [])
    view._read_arrived("notes", view._read_number - 1, stale)
    assert _listed(view) == before


def test_rows_come_a_page_at_a_time(window, notes, qtbot, monkeypatch, qtmodeltester):
    from briefing_app.ui import notesview

    monkeypatch.setattr(notesview, "PAGE_SIZE", 3)
    view = window.show_view("notes")
    assert view.wait_until_loaded()
    assert view.model.total == 4 and view.model.rowCount() == 3
    assert view.count_label.text() == "4 notes"
    qtmodeltester.check(view.model)
    while view.model.canFetchMore():
        view.model.fetchMore()
    assert set(_listed(view)) == {notes[k].uuid for k in ("lavrov", "alliance", "spring", "airbus")}
