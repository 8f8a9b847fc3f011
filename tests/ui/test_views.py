"""Library-wide views open as tabs beside the reader, built on first use."""

import pytest
from PySide6.QtWidgets import QLabel

from briefing_app.ui import views
from briefing_app.ui.views import ViewSpec, parse_view_name
from tests.support.ui import ARTICLE_ID


@pytest.fixture
def probe_views(monkeypatch):
    """Two stand-in views: one plain, one taking an argument (as a dossier does)."""
    made = []

    def make(window, argument):
        made.append(argument)
        return QLabel(f"probe {argument}")

    monkeypatch.setitem(views.VIEWS, "probe", ViewSpec("probe", "Probe", make))
    monkeypatch.setitem(
        views.VIEWS, "about", ViewSpec("about", "About", make, takes_argument=True, in_menu=False)
    )
    return made


def test_a_view_is_built_once_and_comes_forward(window, probe_views):
    first = window.show_view("probe")
    assert window.tabs.currentWidget() is first
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Probe"
    window.show_view("reader")
    assert window.tabs.currentIndex() == 0
    assert window.show_view("PROBE") is first
    assert probe_views == [""]


def test_a_view_with_an_argument_gets_a_tab_per_argument(window, probe_views):
    lavrov = window.show_view("about:Sergey Lavrov")
    ecowas = window.show_view("about:ECOWAS")
    assert lavrov is not ecowas
    assert window.tabs.tabText(window.tabs.indexOf(lavrov)) == "About: Sergey Lavrov"
    assert window.show_view("about:Sergey Lavrov") is lavrov


def test_unknown_views_are_named_with_the_ones_there_are(window, probe_views):
    with pytest.raises(KeyError, match="no view 'nosuch'.*reader.*probe.*about:NAME"):
        window.show_view("nosuch")
    with pytest.raises(KeyError):
        window.show_view("about")  # needs an argument


def test_closing_a_view_tab_keeps_the_reader(window, probe_views, qtbot):
    view = window.show_view("probe")
    window.tabs.tabCloseRequested.emit(window.tabs.indexOf(view))
    assert window.tabs.count() == 1
    window.tabs.tabCloseRequested.emit(0)
    assert window.tabs.count() == 1 and window.tabs.widget(0) is window.reader
    window.show_view("probe")
    assert probe_views == ["", ""]  # built again after being closed


def test_open_article_at_selects_the_span_in_the_reader(window, probe_views):
    window.show_view("probe")
    other = window.library.list_articles()[0].id
    window.open_article_at(other)
    assert window.tabs.currentIndex() == 0 and window.article.id == other
    window.open_article_at(ARTICLE_ID, 0, 5)
    assert window.article.id == ARTICLE_ID
    cursor = window.text_pane.view.textCursor()
    assert cursor.hasSelection()


def test_view_names_parse():
    assert parse_view_name("dossier: Sergey Lavrov") == ("dossier", "Sergey Lavrov")
    assert parse_view_name("Timeline") == ("timeline", "")
