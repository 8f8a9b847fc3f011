"""Correcting a date from the timeline and the text pane; inferred years drawn as such."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from briefing_app.core.datecorrections import CORRECTED, corrections_for
from briefing_app.core.model import ArticleDraft, Event, Extraction, TimeExpr
from tests.support.ui import FAKE_ENGINE, FakeExtractor, wait_for_writes

TEXT = (
    "Ferry talks stall\nThe two ports said talks would resume in October.\nA deal was signed on 3 May 2009."
)
OCTOBER = TEXT.index("October")
DEAL = TEXT.index("3 May 2009")


@pytest.fixture
def article_id(ui_library):
    """An article whose "October" got its year from the future tense."""
    added = ui_library.add_draft(ArticleDraft(TEXT, title="Ferry talks stall", published="2009-06-05"))
    october = TimeExpr(OCTOBER, OCTOBER + 7, "October", "2009-10", "month", None, "tense:future")
    deal = TimeExpr(DEAL, DEAL + 10, "3 May 2009", "2009-05-03", "day", None, "absolute")
    talks = (TEXT.index("The two"), TEXT.index("October.") + 8)
    signed = (TEXT.index("A deal"), len(TEXT))
    events = (
        Event(*signed, TEXT[signed[0] : signed[1]], "2009-05-03", "2009-05-03", "day", None, (1,)),
        Event(*talks, TEXT[talks[0] : talks[1]], "2009-10", "2009-10", "month", None, (0,)),
    )
    ui_library.save_extraction(added.article_id, Extraction((), (october, deal), events, FAKE_ENGINE))
    return added.article_id


@pytest.fixture
def window(qtbot, ui_library, settings, article_id):
    """The window with that article open."""
    from briefing_app.ui.mainwindow import MainWindow

    win = MainWindow(ui_library, settings, make_extractor=FakeExtractor)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.library_pane.select_article(article_id)
    qtbot.waitUntil(lambda: any(e.article_id == article_id for e in win.timeline_pane.entries))
    yield win
    win.jobs.shutdown()


def entry_index(pane, phrase):
    return next(i for i, e in enumerate(pane.entries) if any(t.text == phrase for t in e.timexes))


def test_an_inferred_year_is_dashed_with_its_reason(window, article_id):
    pane = window.timeline_pane
    markers = pane.marker_items()
    october, deal = markers[entry_index(pane, "October")], markers[entry_index(pane, "3 May 2009")]
    assert october.pen().style() == Qt.PenStyle.DashLine
    assert deal.pen().style() == Qt.PenStyle.SolidLine  # written in full
    assert "October: year from future tense; published 2009-06-05" in october.toolTip()


def test_a_date_corrected_from_the_timeline(window, article_id, ui_library, qtbot, monkeypatch):
    monkeypatch.setattr("briefing_app.ui.mainwindow.ask_date", lambda *args: ("2010-10", "month"))
    pane = window.timeline_pane
    menu = pane.date_menu(entry_index(pane, "October"))
    (means,) = [a for a in menu.actions() if a.text() == "This Date Means…"]
    means.trigger()
    wait_for_writes(qtbot, window)

    october = next(t for t in ui_library.timexes(article_id) if t.start == OCTOBER)
    assert (october.value, october.anchor) == ("2010-10", CORRECTED)
    qtbot.waitUntil(lambda: any(e.event.date_start == "2010-10" for e in pane.entries))
    corrected = pane.entries[entry_index(pane, "October")]
    marker = pane.marker_items()[entry_index(pane, "October")]
    assert marker.pen().style() == Qt.PenStyle.SolidLine  # no longer inferred
    assert "corrected by the analyst" in marker.toolTip()
    assert corrected.corrected


def test_not_a_date_from_the_text_pane(window, article_id, ui_library, qtbot):
    view = window.text_pane.view
    cursor = view.textCursor()
    start = window.text_pane.positions.to_qt(DEAL)
    cursor.setPosition(start)
    cursor.setPosition(start + len("3 May 2009"), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    menu = view.context_menu(view.cursorRect().center())
    (not_a_date,) = [a for a in menu.actions() if a.text() == "Not a Date"]
    not_a_date.trigger()
    wait_for_writes(qtbot, window)

    assert [c.value for c in corrections_for(ui_library, article_id)] == [None]
    assert all(t.start != DEAL for t in ui_library.timexes(article_id))
    qtbot.waitUntil(lambda: len(window.timeline_pane.entries) == 1)
