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


def test_all_listed_articles(window, qtbot, ui_library):
    from briefing_app.core.model import Event, Extraction

    other = ui_library.list_articles(order="title")[0]  # "Airbus orders"
    ui_library.save_extraction(
        other.id,
        Extraction(events=(Event(0, 13, "Airbus orders", "2008-03", "2008-03", "month"),), engine="x"),
    )
    window.timeline_pane.all_articles.setChecked(True)
    captions = [
        item.text()
        for item in window.timeline_pane.scene.items()
        if hasattr(item, "text") and "[" in item.text()
    ]
    assert any(c.startswith("[Airbus orders] 2008-03") for c in captions)
    markers = window.timeline_pane.marker_items()
    airbus = next(i for i, e in enumerate(window.timeline_pane.entries) if e.article_id == other.id)
    window.timeline_pane.view.centerOn(markers[airbus])
    point = window.timeline_pane.view.mapFromScene(markers[airbus].sceneBoundingRect().center())
    qtbot.mouseClick(window.timeline_pane.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.article.id == other.id  # the event's article opened, at the event
