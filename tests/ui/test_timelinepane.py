from PySide6.QtCore import Qt
from PySide6.QtGui import QLinearGradient

from tests.support.ui import ARTICLE_TEXT


def selected_text(window):
    cursor = window.text_pane.view.textCursor()
    positions = window.text_pane.positions
    return ARTICLE_TEXT[positions.from_qt(cursor.selectionStart()) : positions.from_qt(cursor.selectionEnd())]


def test_events_drawn_by_extent_and_undated_listed_apart(window):
    pane = window.timeline_pane
    markers = pane.marker_items()
    assert len(markers) == 2  # the day and the open range; the undated one is in the list
    day, since = (markers[i] for i in sorted(markers))
    assert day.rect().width() == day.rect().height()  # a point
    assert isinstance(since.brush().gradient(), QLinearGradient)  # fades out: still going
    assert pane.unresolved.count() == 1
    assert "next spring" in pane.unresolved.item(0).text()


def test_click_an_event_selects_its_sentence(window, qtbot):
    pane = window.timeline_pane
    marker = pane.marker_items()[0]
    point = pane.view.mapFromScene(marker.sceneBoundingRect().center())
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert (
        selected_text(window)
        == "On September 6, 2023, the three states founded the Alliance of Sahel States."
    )
    assert len(window.text_pane.view.extraSelections()) == 1


def test_click_an_undated_event(window, qtbot):
    pane = window.timeline_pane
    item = pane.unresolved.item(0)
    qtbot.mouseClick(
        pane.unresolved.viewport(),
        Qt.MouseButton.LeftButton,
        pos=pane.unresolved.visualItemRect(item).center(),
    )
    assert selected_text(window) == "Lavrov said that the talks would go on next spring."


def test_zoom_keeps_events_and_widens_the_axis(window):
    pane = window.timeline_pane
    before = pane.px_per_day
    pane.zoom(2.0)
    assert pane.px_per_day == before * 2
    assert len(pane.marker_items()) == 2
    pane.fit()
    assert pane.px_per_day == before


def test_all_listed_articles_opens_the_library_timeline(window, qtbot):
    qtbot.mouseClick(window.timeline_pane.all_articles, Qt.MouseButton.LeftButton)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Timeline"
    window.tabs.currentWidget().wait_until_loaded()
    assert {entry.article_id for entry in window.timeline_pane.entries} <= {window.article.id}
