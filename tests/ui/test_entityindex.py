"""The Entities view and the dossier view, driven as the analyst would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from briefing_app.core.store import ArticleFilter
from briefing_app.ui import entityindex
from briefing_app.ui.dossier import DossierView
from briefing_app.ui.entityindex import EntityIndexView
from tests.support.ui import ARTICLE_ID, ARTICLE_TEXT, wait_for_jobs


@pytest.fixture
def index_view(window, qtbot) -> EntityIndexView:
    view = window.show_view("entities")
    view.wait_until_loaded()
    return view


def names(view: EntityIndexView) -> list[str]:
    return [row.name for row in view.model.rows]


def row_index(view: EntityIndexView, name: str):
    return view.model.index(names(view).index(name), 0)


def reloaded(view, qtbot, action) -> None:
    """Do `action`, then wait for the view to show what it changed."""
    with qtbot.waitSignal(view.loaded, timeout=10000):
        action()
    view.wait_until_loaded()


def test_models(index_view, qtmodeltester, window):
    qtmodeltester.check(index_view.model)
    dossier = window.show_view("dossier:Moscow")
    dossier.wait_until_loaded()
    qtmodeltester.check(dossier.mentions)


def test_lists_each_entity_with_its_counts(index_view):
    moscow = index_view.model.rows[names(index_view).index("Moscow")]
    assert (moscow.label, moscow.articles, moscow.mentions) == ("GPE", 1, 2)
    assert (moscow.first_seen, moscow.last_seen) == ("2025-02-10", "2025-02-10")
    assert index_view.summary.text() == f"{len(index_view.model.rows)} entities"
    # Most articles first (all have one here), then names A-Z; the table shows the rows.
    shown = [index_view.model.index(r, 0).data() for r in range(index_view.model.rowCount())]
    assert shown == names(index_view) == sorted(names(index_view), key=str.casefold)
    assert index_view.model.index(shown.index("Moscow"), 3).data() == "2"


def test_header_click_sorts_by_that_column(index_view, qtbot):
    reloaded(index_view, qtbot, lambda: index_view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder))
    assert names(index_view) == sorted(names(index_view), key=str.casefold)
    reloaded(index_view, qtbot, lambda: index_view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder))
    assert names(index_view) == sorted(names(index_view), key=str.casefold, reverse=True)


def test_type_and_date_facets(index_view, qtbot):
    people = index_view.type_box.findData("PERSON")
    assert index_view.type_box.itemText(people).startswith("People (")
    index_view.type_box.setCurrentIndex(people)
    reloaded(index_view, qtbot, lambda: index_view.type_box.activated.emit(people))
    assert set(names(index_view)) == {"Sergey Lavrov", "Lavrov", "Abdoulaye Diop", "Bakary Yaou Sangaré"}

    index_view.date_from.setText("2025-03-01")
    reloaded(index_view, qtbot, index_view.date_from.editingFinished.emit)
    assert names(index_view) == []
    assert index_view.summary.text() == "0 entities (in the chosen articles)"


def test_a_bad_date_is_refused_in_the_status_bar(index_view, window):
    index_view.date_to.setText("last week")
    index_view.date_to.editingFinished.emit()
    assert "“last week” is not a date" in window.statusBar().currentMessage()
    assert index_view.query.date_to == ""


def test_pages_come_as_the_list_scrolls(window, qtbot, monkeypatch):
    monkeypatch.setattr(entityindex, "PAGE_SIZE", 3)
    pages = []
    list_entities = entityindex.list_entities

    def counted(library, query, offset, limit):
        pages.append((offset, limit))
        return list_entities(library, query, offset, limit)

    monkeypatch.setattr(entityindex, "list_entities", counted)
    view = window.show_view("entities")
    view.wait_until_loaded()
    view.table.scrollToBottom()  # the table asks for more while it has room or is scrolled down
    qtbot.waitUntil(lambda: view.model.rowCount() == view.model.total, timeout=10000)
    view.wait_until_loaded()
    assert view.model.total == 10 and len(set(names(view))) == 10
    assert pages[:3] == [(0, 3), (3, 3), (6, 3)]


def test_rename_merge_and_not_an_entity_work_on_the_whole_library(index_view, window, qtbot, monkeypatch):
    moscow = index_view.model.rows[names(index_view).index("Moscow")]
    reloaded(index_view, qtbot, lambda: index_view.rename(moscow, "Moskva"))
    wait_for_jobs(qtbot, window)
    index_view.wait_until_loaded()
    assert "Moskva" in names(index_view) and "Moscow" not in names(index_view)
    assert window.library.count_articles(ArticleFilter(entity="Moskva")) == 1

    lavrov = index_view.model.rows[names(index_view).index("Lavrov")]
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Sergey Lavrov (PERSON)", True))
    reloaded(index_view, qtbot, lambda: index_view.merge(lavrov))
    wait_for_jobs(qtbot, window)
    index_view.wait_until_loaded()
    merged = index_view.model.rows[names(index_view).index("Sergey Lavrov")]
    assert "Lavrov" not in names(index_view) and merged.mentions == 3 and "Lavrov" in merged.aliases

    sahel = index_view.model.rows[names(index_view).index("Sahel")]
    reloaded(index_view, qtbot, lambda: index_view.reject(sahel))
    wait_for_jobs(qtbot, window)
    index_view.wait_until_loaded()
    assert "Sahel" not in names(index_view)
    assert all(m.canonical != "Sahel" for m in window.library.mentions(ARTICLE_ID))


def test_double_click_opens_the_dossier_and_a_mention_opens_the_article_there(index_view, window, qtbot):
    index = row_index(index_view, "Moscow")
    rect = index_view.table.visualRect(index)
    # A double click is a click, then the second press (Qt's item views want both).
    qtbot.mouseClick(index_view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(index_view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dossier = window.tabs.currentWidget()
    assert isinstance(dossier, DossierView)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Dossier: Moscow"
    dossier.wait_until_loaded()
    lines = dossier.mentions.lines
    assert [(line.mention, ARTICLE_TEXT[line.start : line.end]) for line in lines] == [
        ("Moscow", "Moscow")
    ] * 2
    assert dossier.mentions.index(0, 2).data().endswith("Sahel ministers meet Lavrov in")
    second = dossier.mentions.index(1, 3)
    rect = dossier.mention_table.visualRect(second)
    qtbot.mouseClick(dossier.mention_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == 0 and window.article.id == ARTICLE_ID
    cursor = window.text_pane.view.textCursor()
    positions = window.text_pane.positions
    assert (positions.from_qt(cursor.selectionStart()), positions.from_qt(cursor.selectionEnd())) == (
        lines[1].start,
        lines[1].end,
    )


def test_dossier_shows_co_mentions_events_and_notes(window, qtbot):
    start = ARTICLE_TEXT.index("Mali has trained")
    window.library.notes.create(ARTICLE_ID, start, start + len("Mali has trained"), "**training**")
    dossier = window.show_view("dossier:Mali")
    dossier.wait_until_loaded()
    co = [
        dossier.co_model.item(r).data(Qt.ItemDataRole.UserRole + 1)
        for r in range(dossier.co_model.rowCount())
    ]
    assert "Abdoulaye Diop" in co and "Russian" in co
    events = [dossier.event_model.item(r, 1).text() for r in range(dossier.event_model.rowCount())]
    assert events == ["Mali has trained with Russian instructors since 2024."]
    assert dossier.note_model.rowCount() == 1 and dossier.note_model.item(0, 0).text() == "Mali has trained"
    # A co-mentioned entity's dossier opens on a double click.
    index = dossier.co_model.index(co.index("Abdoulaye Diop"), 0)
    dossier.co_view.doubleClicked.emit(index)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Dossier: Abdoulaye Diop"


def test_a_short_name_finds_the_dossier_and_an_unknown_one_says_so(window):
    dossier = window.show_view("dossier:Diop")
    dossier.wait_until_loaded()
    assert dossier.title.text().startswith("Abdoulaye Diop")
    nobody = window.show_view("dossier:Nobody")
    nobody.wait_until_loaded()
    assert nobody.facts.text() == "No entity called “Nobody” in the library (any more)."


def test_entity_pane_opens_the_dossier(window):
    window.entity_pane.dossier_requested.emit("Niger")
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Dossier: Niger"


def test_show_on_timeline_filters_the_library_timeline_by_the_entity(window):
    dossier = window.show_view("dossier:Mali")
    dossier.wait_until_loaded()
    assert dossier.timeline_button.isVisibleTo(dossier)
    dossier.timeline_button.click()
    timeline = window.tabs.currentWidget()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Timeline"
    assert timeline.entity.text() == "Mali"
