"""The conflicts view: the two sentences side by side; "different events" is remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from briefing_app.core import conflicts
from tests.support.dated_articles import extraction_for, two_reports_of_one_meeting
from tests.support.ui import wait_for_jobs


@pytest.fixture
def meetings(ui_library):
    return two_reports_of_one_meeting(ui_library)


@pytest.fixture
def view(window, meetings, qtbot):
    conflicts_view = window.show_view("conflicts")
    wait_for_jobs(qtbot, window)
    conflicts_view.wait_until_loaded()
    return conflicts_view


def test_model(view, qtmodeltester):
    qtmodeltester.check(view.model)


def test_the_two_sentences_and_their_sources_side_by_side(view):
    assert view.model.rowCount() == 1
    assert view.status.text() == "1 conflicting date"
    shown = {view.first.sentence.text(), view.second.sentence.text()}
    assert any(s.startswith("Sergey Lavrov met Assimi Goïta") for s in shown)
    assert any(s.startswith("Russian Foreign Minister Sergey Lavrov meets") for s in shown)
    assert {view.first.date.text(), view.second.date.text()} == {"2023-09-06", "2023-10-12"}
    assert {view.first.where.text().split(" — ")[0], view.second.where.text().split(" — ")[0]} == {
        "Reuters",
        "TASS",
    }
    assert "Assimi Goïta" in view.shared.text() and "meet" in view.shared.text()


def test_open_goes_to_the_sentence_in_the_reader(window, view, qtbot):
    side = view.second.side
    qtbot.mouseClick(view.second.open_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentIndex() == 0
    assert window.article.id == side.article_id
    assert window.text_pane.view.textCursor().selectedText() == side.text


def test_different_events_is_remembered_through_reextraction(window, view, qtbot, meetings):
    qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
    wait_for_jobs(qtbot, window)
    view.wait_until_loaded()
    assert view.model.rowCount() == 0
    assert view.status.text() == "No conflicting dates."
    for article_id in meetings:  # extracted again: new events, same sentences
        text = window.library.get_article(article_id).text
        window.library.save_extraction(article_id, extraction_for(text))
    assert conflicts.is_stale(window.library)
    window.extraction_landed.emit()  # as when the window's extraction lands
    wait_for_jobs(qtbot, window)
    view.wait_until_loaded()
    assert not conflicts.is_stale(window.library)
    assert view.model.rowCount() == 0
    view.show_dismissed.setChecked(True)
    view.wait_until_loaded()
    assert view.model.rowCount() == 1
    assert "dismissed" in view.shared.text()
    assert not view.dismiss_button.isEnabled()


def test_the_entity_filter(view):
    view.entity.setText("Boeing")
    view.reload()
    view.wait_until_loaded()
    assert view.model.rowCount() == 0
    view.entity.setText("Bamako")
    view.reload()
    view.wait_until_loaded()
    assert view.model.rowCount() == 1
