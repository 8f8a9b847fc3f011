import pytest
from PySide6.QtCore import QPoint, Qt

from briefing_app.core.model import ArticleDraft
from briefing_app.ui.library import FETCH_SIZE, LibraryPane


@pytest.fixture
def big_library(make_library):
    library = make_library("big.db")
    library.import_items(
        ArticleDraft(
            f"Article {n:04d}\nA report from {'Bamako' if n % 3 else 'Niamey'} about the Sahel, number {n}.",
            title=f"Article {n:04d}",
            source=f"Source {n % 7}",
            published=f"20{10 + n % 15}-0{1 + n % 9}-1{n % 10}",
        )
        for n in range(FETCH_SIZE * 2 + 50)
    )
    return library


@pytest.fixture
def pane(qtbot, big_library):
    widget = LibraryPane(big_library)
    qtbot.addWidget(widget)
    widget.resize(400, 600)
    widget.show()
    return widget


def titles(pane):
    return [pane.model.index(r, 0).data() for r in range(pane.model.rowCount())]


def test_model(pane, qtmodeltester):
    qtmodeltester.check(pane.model)


def test_rows_load_lazily(pane):
    model = pane.model
    assert model.total == 2 * FETCH_SIZE + 50
    assert model.rowCount() == FETCH_SIZE and model.canFetchMore()
    pane.view.scrollToBottom()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == model.total and not model.canFetchMore()


def test_sort_by_header_click(pane, qtbot):
    header = pane.view.horizontalHeader()
    title_section = QPoint(header.sectionViewportPosition(0) + 5, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title_section)
    first = titles(pane)[:3]
    assert first == sorted(first)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title_section)
    assert titles(pane)[0] == "Article 0449"


def test_dates_are_newest_first_by_default(pane):
    dates = [pane.model.index(r, 2).data() for r in range(pane.model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_search_as_you_type_filters_after_a_pause(pane, qtbot):
    qtbot.keyClicks(pane.search_field, "Niamey")
    assert pane.model.total == 2 * FETCH_SIZE + 50  # not yet: the search waits for a pause
    qtbot.waitUntil(lambda: pane.model.total == 150)
    assert all(int(t.split()[1]) % 3 == 0 for t in titles(pane))


def test_what_fts5_would_refuse_is_searched_as_words(pane, qtbot):
    for typed in ('"unclosed AND', "U.S.", "A380-800", "-"):
        pane.search_field.setText(typed)
        pane.apply_filter()
        assert "Cannot search" not in pane.message.text()
        assert pane.model.total == 0 and pane.message.isVisible()  # "No article matches."
    pane.search_field.setText("Bamako")
    pane.apply_filter()
    assert not pane.message.isVisible() and pane.model.total == 300


def test_date_range(pane):
    from PySide6.QtCore import QDate

    pane.date_from.setDate(QDate(2020, 1, 1))
    pane.date_to.setDate(QDate(2020, 12, 31))
    years = {pane.model.index(r, 2).data()[:4] for r in range(pane.model.rowCount())}
    assert years == {"2020"} and pane.model.total == 30
    pane.clear_filters()
    assert pane.model.total == 2 * FETCH_SIZE + 50


def test_entity_filter(window, qtbot):
    pane = window.library_pane
    pane.entity_field.setText("Moscow")
    pane.apply_filter()
    assert pane.model.total == 1 and pane.model.article_id(0) == window.article.id
    pane.entity_field.clear()
    assert pane.model.total == 3
