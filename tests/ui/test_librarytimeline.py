"""The library timeline view, driven as an analyst would: filters, lanes, zoom, a click that
opens the article at the sentence, one mark for a happening several sources date the same."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from briefing_app.core import conflicts
from tests.support.dated_articles import two_reports_of_one_meeting
from tests.support.ui import ARTICLE_ID, wait_for_jobs


@pytest.fixture
def meetings(ui_library):
    """The UI library plus two articles dating one meeting apart and Boeing's delivery alike."""
    return two_reports_of_one_meeting(ui_library)


@pytest.fixture
def view(window, meetings, qtbot):
    window.resize(1280, 800)
    timeline = window.show_view("timeline")
    wait_for_jobs(qtbot, window)
    timeline.wait_until_loaded()
    return timeline


def item_rows(view):
    return [i for i, row in enumerate(view.canvas.rows) if row.item is not None]


def captions(view):
    return [view.canvas.rows[i].item.caption() for i in item_rows(view)]


def click_row(qtbot, view, row):
    point = view.canvas.marker_point(row)
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_the_pane_button_opens_the_library_timeline(window, meetings, qtbot):
    qtbot.mouseClick(window.timeline_pane.all_articles, Qt.MouseButton.LeftButton)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Timeline"
    window.tabs.currentWidget().wait_until_loaded()
    wait_for_jobs(qtbot, window)


def test_lanes_by_source_with_date_and_sentence_labels(view):
    lanes = [row.lane for row in view.canvas.rows if row.item is None]
    assert lanes == ["Reuters", "TASS"]  # the UI library's own article is TASS's too
    assert any(c.startswith("2023-09-06  Sergey Lavrov met Assimi Goïta in Bamako") for c in captions(view))


def test_the_same_happening_dated_the_same_is_one_mark_listing_its_sources(window, view, qtbot, meetings):
    [boeing] = [i for i in item_rows(view) if "Boeing delivered" in view.canvas.rows[i].item.caption()]
    assert view.canvas.rows[boeing].item.count == 2
    assert "×2 sources" in view.canvas.rows[boeing].item.caption()
    click_row(qtbot, view, boeing)
    menu = view.sources_menu
    assert menu is not None
    choices = [action for action in menu.actions() if action.isEnabled()]
    assert [a.text().split(" — ")[0] for a in choices] == ["Reuters", "TASS"]
    choices[1].trigger()
    assert window.tabs.currentIndex() == 0
    assert window.article.id == meetings[1]
    assert "Boeing delivered" in window.text_pane.view.textCursor().selectedText()


def test_a_click_opens_the_article_at_the_sentence(window, view, qtbot, meetings):
    [meeting] = [i for i in item_rows(view) if "met Assimi" in view.canvas.rows[i].item.caption()]
    click_row(qtbot, view, meeting)
    assert window.tabs.currentIndex() == 0
    assert window.article.id == meetings[0]
    assert window.text_pane.view.textCursor().selectedText().startswith("Sergey Lavrov met Assimi Goïta")


def test_filters_by_entity_source_and_words(view, qtbot):
    view.entity.setText("Assimi Goïta")
    view.reload()
    view.wait_until_loaded()
    assert len(captions(view)) == 2 and all("Assimi" in c for c in captions(view))
    view.entity.clear()
    view.source.setCurrentText("TASS")
    view.reload()
    view.wait_until_loaded()
    assert {row.lane for row in view.canvas.rows} == {"TASS"}
    view.source.setCurrentText("")
    view.words.setText("delivered")
    view.reload()
    view.wait_until_loaded()
    assert len(captions(view)) == 1 and "Boeing" in captions(view)[0]


def test_the_library_filter_seeds_the_view(window, meetings, qtbot):
    window.library_pane.search_field.setText("security")  # only the Reuters article says it
    window.library_pane.apply_filter()
    view = window.show_view("timeline")
    wait_for_jobs(qtbot, window)
    view.wait_until_loaded()
    assert view.listed_only.isChecked()
    assert {row.item.first.source for row in view.canvas.rows if row.item} == {"Reuters"}
    view.listed_only.setChecked(False)
    view.wait_until_loaded()
    assert {row.item.first.source for row in view.canvas.rows if row.item} == {"Reuters", "TASS"}


def test_lanes_by_article(view):
    view.lanes.setCurrentIndex(1)
    view.wait_until_loaded()
    lanes = [row.lane for row in view.canvas.rows if row.item is None]
    assert any(lane.startswith("Lavrov in the Sahel (Reuters") for lane in lanes)
    assert any(lane.startswith("Moscow and Bamako (TASS") for lane in lanes)


def test_zoom_from_decades_to_days_keeps_the_middle_day(view, qtbot):
    canvas = view.canvas
    canvas.fit()
    fitted = canvas.px_per_day
    for _ in range(30):
        canvas.zoom(1.5)
    assert canvas.px_per_day == pytest.approx(240.0)  # days, each with room for its label
    canvas.fit()
    assert canvas.px_per_day == fitted
    for _ in range(30):
        canvas.zoom(1 / 1.5)
    assert canvas.px_per_day == pytest.approx(canvas.min_px_per_day())
    assert (canvas.viewport().width() - 48) / canvas.px_per_day >= 365 * 100  # a century on the width
    # Ctrl+wheel zooms in at the pointer.
    before = canvas.px_per_day
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    event = QWheelEvent(
        QPointF(200, 100), QPointF(canvas.viewport().mapToGlobal(QPoint(200, 100))), QPoint(0, 0), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    canvas.wheelEvent(event)
    assert canvas.px_per_day == pytest.approx(before * 1.5)


def test_only_the_visible_rows_are_painted(view, qtbot):
    canvas = view.canvas
    canvas.resize(800, 5 * 24 + 30)
    canvas.viewport().repaint()
    assert 0 < canvas.painted_rows <= 7
    assert len(canvas.rows) >= canvas.painted_rows


def test_a_conflicting_date_is_marked(window, view, qtbot):
    marked = [view.canvas.rows[i].item for i in item_rows(view) if view.canvas.rows[i].item.conflict]
    assert {item.first.source for item in marked} == {"Reuters", "TASS"}
    assert any(item.conflict == "TASS dates it 2023-10-12" for item in marked)


def test_a_dismissed_conflict_loses_its_mark(window, view, qtbot):
    [conflict] = conflicts.list_conflicts(window.library)
    conflicts.dismiss(window.library, conflict.a_key, conflict.b_key)
    view.reload()
    view.wait_until_loaded()
    assert not any(view.canvas.rows[i].item.conflict for i in item_rows(view))


def test_nothing_matches(view):
    view.words.setText("no such words anywhere")
    view.reload()
    view.wait_until_loaded()
    assert item_rows(view) == []
    assert view.message.text() == "No dated events match."


def test_the_reader_pane_keeps_its_own_article_timeline(window, view):
    window.show_view("reader")
    window.open_article(ARTICLE_ID)
    assert {entry.article_id for entry in window.timeline_pane.entries} == {ARTICLE_ID}
