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


def fetch_all(model, qtbot):
    """Scroll to the end as the view does: each page is read in the background."""
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.page_pending)


def test_model(pane, qtmodeltester):
    qtmodeltester.check(pane.model)


def test_rows_load_lazily(pane, qtbot):
    model = pane.model
    assert model.total == 2 * FETCH_SIZE + 50
    assert model.rowCount() == FETCH_SIZE and model.canFetchMore()
    pane.view.scrollToBottom()
    model.fetchMore()
    model.fetchMore()  # the page asked for first is still being read: not asked twice
    qtbot.waitUntil(lambda: model.rowCount() == 2 * FETCH_SIZE)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == model.total)
    assert not model.canFetchMore() and len(set(model.loaded_ids())) == model.total


def test_sort_by_header_click(pane, qtbot):
    header = pane.view.horizontalHeader()
    title_section = QPoint(header.sectionViewportPosition(0) + 5, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title_section)
    qtbot.waitUntil(lambda: titles(pane)[0] == "Article 0000")  # sorted in the background
    first = titles(pane)[:3]
    assert first == sorted(first)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title_section)
    qtbot.waitUntil(lambda: titles(pane)[0] == "Article 0449")
    pane.view.scrollToBottom()
    fetch_all(pane.model, qtbot)
    assert titles(pane) == sorted(titles(pane), reverse=True)  # later pages in the same order


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


def test_date_range(pane, qtbot):
    from PySide6.QtCore import QDate

    pane.date_from.setDate(QDate(2020, 1, 1))
    pane.date_to.setDate(QDate(2020, 12, 31))
    qtbot.waitUntil(lambda: pane.model.total == 30)  # read in the background
    years = {pane.model.index(r, 2).data()[:4] for r in range(pane.model.rowCount())}
    assert years == {"2020"} and pane.model.total == 30
    pane.clear_filters()
    qtbot.waitUntil(lambda: pane.model.total == 2 * FETCH_SIZE + 50)


def test_entity_filter(window, qtbot):
    pane = window.library_pane
    pane.entity_field.setText("Moscow")
    pane.apply_filter()
    assert pane.model.total == 1 and pane.model.article_id(0) == window.article.id
    pane.entity_field.clear()
    qtbot.waitUntil(lambda: pane.model.total == 3)  # read in the background


@pytest.fixture
def held_search(monkeypatch):
    """A search that waits until the test lets it go (a slow query stood in by a fake): reading
    the list of a filter whose query is in `held` blocks on the returned event."""
    import threading

    from briefing_app.core.store import Library

    release = threading.Event()
    held: set[str] = set()
    list_ids = Library.list_ids

    def slow_list_ids(self, article_filter=None, *args):
        if article_filter is not None and article_filter.query in held:
            release.wait(30)
        return list_ids(self, article_filter, *args)

    monkeypatch.setattr(Library, "list_ids", slow_list_ids)
    yield held, release
    release.set()  # never leave a pool thread waiting


def test_a_slow_search_does_not_block_the_window(pane, qtbot, held_search):
    from PySide6.QtCore import QTimer

    held, release = held_search
    held.add("Niamey")
    qtbot.keyClicks(pane.search_field, "Niamey")
    qtbot.waitUntil(lambda: pane.searches_running == 1)
    # The search is under way and the window goes on: timers fire, typing is taken, the list
    # still shows what it showed. On the window's thread this would wait for the release.
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: fired == [True])
    qtbot.keyClicks(pane.entity_field, "Sahel")
    assert pane.entity_field.text() == "Sahel" and pane.model.total == 2 * FETCH_SIZE + 50
    release.set()
    qtbot.waitUntil(lambda: pane.model.total == 150)
    assert all(int(t.split()[1]) % 3 == 0 for t in titles(pane))


def test_a_stale_search_result_is_dropped(pane, qtbot, held_search):
    held, release = held_search
    held.add("Niamey")
    pane.search_field.setText("Niamey")
    pane.apply_filter_in_background()
    pane.search_field.setText("Bamako")  # typed on before the first search came back
    pane.apply_filter_in_background()
    qtbot.waitUntil(lambda: pane.model.total == 300)
    release.set()
    qtbot.waitUntil(lambda: pane.searches_running == 0)
    assert pane.model.total == 300 and pane.model.article_filter.query == "Bamako"
    assert not any(int(t.split()[1]) % 3 == 0 for t in titles(pane))


def test_a_refused_search_in_the_background_says_why(pane, qtbot, monkeypatch):
    from briefing_app.core.store import Library, LibraryError

    def busy(self, *args):
        raise LibraryError("the library is busy, try again")

    monkeypatch.setattr(Library, "list_ids", busy)
    pane.search_field.setText("Niamey")
    pane.apply_filter_in_background()
    qtbot.waitUntil(lambda: pane.searches_running == 0)
    assert pane.message.isVisible() and "busy" in pane.message.text()
    assert pane.model.total == 2 * FETCH_SIZE + 50  # the list as it was


def test_entity_names_load_when_the_field_is_first_used(window, qtbot):
    pane = window.library_pane
    completions = pane.entity_field.completer().model()
    assert completions.rowCount() == 0  # nothing read at start
    pane.entity_field.setFocus()
    qtbot.waitUntil(lambda: completions.rowCount() > 0)
    names = [completions.index(r, 0).data() for r in range(completions.rowCount())]
    assert "Moscow" in names


def test_the_open_article_marks_the_hits_of_the_search(window, qtbot, ui_library):
    boeing = ui_library.add_draft(
        ArticleDraft("Boeing news\nBoeing said the Boeing 787 flew. Airbus did not.", title="Boeing news")
    ).article_id
    pane = window.library_pane
    pane.search_field.setText("boeing")
    pane.apply_filter()
    assert pane.select_article(boeing)
    text_pane = window.text_pane
    text = text_pane.article.text
    assert [text[s:e] for s, e in text_pane.search_hits] == ["Boeing", "Boeing", "Boeing"]
    assert len(text_pane.view.extraSelections()) == 3
    assert text_pane.view.textCursor().selectedText() == "Boeing"
    starts = [s for s, _ in text_pane.search_hits]
    window.next_hit_action.trigger()
    assert text_pane.view.textCursor().selectionStart() == starts[1]
    window.previous_hit_action.trigger()
    window.previous_hit_action.trigger()  # wraps around to the last
    assert text_pane.view.textCursor().selectionStart() == starts[2]
    text_pane.mark_spans([(starts[0], starts[0] + 6)])  # an entity's mention
    assert len(text_pane.view.extraSelections()) == 4  # the hits stay marked beside it
    pane.clear_filters()  # no search: no hit marks, the entity's mark stays
    qtbot.waitUntil(lambda: text_pane.search_hits == [])
    assert len(text_pane.view.extraSelections()) == 1


def test_the_count_arriving_later_leaves_the_reader_at_the_hit_it_went_to(window, qtbot, ui_library):
    boeing = ui_library.add_draft(
        ArticleDraft("Boeing news\nBoeing said the Boeing 787 flew. Airbus did not.", title="Boeing news")
    ).article_id
    pane = window.library_pane
    pane.search_field.setText("boeing")
    pane.apply_filter()
    assert pane.select_article(boeing)
    text_pane = window.text_pane
    starts = [s for s, _ in text_pane.search_hits]
    window.next_hit_action.trigger()
    pane.filter_changed.emit()  # what a very common search's count does when it lands
    assert text_pane.view.textCursor().selectionStart() == starts[1]
    assert len(text_pane.search_hits) == 3


def test_while_searching_a_row_shows_where_it_matched(pane, qtbot):
    pane.search_field.setText("Niamey")
    pane.apply_filter()
    tip = pane.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "<b>Niamey</b>" in tip and "from" in tip
    pane.clear_filters()
    qtbot.waitUntil(lambda: pane.model.article_filter.is_empty())
    assert "<b>" not in pane.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_filtered_list_scrolls_to_its_end_in_order(pane, qtbot):
    pane.search_field.setText("Bamako")
    pane.apply_filter()
    model = pane.model
    fetch_all(model, qtbot)
    assert model.rowCount() == model.total == 300
    dates = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    assert len(set(model.loaded_ids())) == 300


def test_a_search_tooltip_shows_markup_in_a_title_or_text_as_written(qtbot, make_library):
    from PySide6 import QtGui
    from PySide6.QtGui import QTextDocument

    from briefing_app.core.store import ArticleFilter
    from briefing_app.ui.library import ArticleListModel

    library = make_library("markup.db")
    title = '<img src="/tmp/x.png"> Sahel'
    library.add_draft(ArticleDraft('Mali <b>and</b> Niger met in Sahel <img src="/tmp/y.png">.', title=title))
    model = ArticleListModel(library)
    model.set_filter(ArticleFilter(query="sahel"))
    tooltip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert QtGui.Qt.mightBeRichText(tooltip)  # rich text: the hits are bold
    document = QTextDocument()
    document.setHtml(tooltip)
    shown = document.toPlainText()
    assert shown.startswith(title) and "<b>and</b>" in shown and '<img src="/tmp/y.png">' in shown


@pytest.fixture
def held_pages(monkeypatch):
    """Reading a page after the first (scrolling down an unfiltered list) waits until the test
    sets the returned event: a slow read stood in by a fake."""
    import threading

    from briefing_app.core.store import Library

    release = threading.Event()
    list_articles = Library.list_articles

    def slow_list_articles(self, *args, **kwargs):
        if kwargs.get("after") is not None:
            release.wait(30)
        return list_articles(self, *args, **kwargs)

    monkeypatch.setattr(Library, "list_articles", slow_list_articles)
    yield release
    release.set()


def test_scrolling_down_reads_the_next_page_without_blocking_the_window(pane, qtbot, held_pages):
    from PySide6.QtTest import QTest

    pane.view.scrollToBottom()  # the view asks for more rows: read on a pool thread
    qtbot.waitUntil(lambda: pane.model.page_pending)
    QTest.keyClicks(pane.search_field, "Sahel")  # the window takes typing meanwhile
    assert pane.search_field.text() == "Sahel" and pane.model.rowCount() == FETCH_SIZE
    held_pages.set()
    qtbot.waitUntil(lambda: pane.model.rowCount() > FETCH_SIZE)


def test_a_page_of_a_list_no_longer_shown_is_dropped(pane, qtbot, held_pages):
    pane.model.fetchMore()
    assert pane.model.page_pending
    pane.search_field.setText("Niamey")
    pane.apply_filter_in_background()
    qtbot.waitUntil(lambda: pane.model.total == 150)
    held_pages.set()  # the unfiltered page arrives now, after the search's result
    qtbot.wait(200)
    assert pane.model.rowCount() == 150 and all(int(t.split()[1]) % 3 == 0 for t in titles(pane))


def test_articles_mentioning_an_entity_are_read_without_blocking_the_window(window, qtbot, monkeypatch):
    import threading

    from PySide6.QtCore import QTimer

    from briefing_app.core.store import Library

    release = threading.Event()
    list_ids = Library.list_ids

    def slow_list_ids(self, article_filter=None, *args):
        release.wait(30)
        return list_ids(self, article_filter, *args)

    monkeypatch.setattr(Library, "list_ids", slow_list_ids)
    pane = window.library_pane
    pane.show_mentioning("Moscow")
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: fired == [True])  # the event loop runs while the list is read
    assert pane.model.total == 3 and pane.searches_running == 1
    release.set()
    qtbot.waitUntil(lambda: pane.model.total == 1)
    assert pane.model.article_id(0) == window.article.id


def test_a_very_common_search_lists_newest_imported_first_until_a_column_is_clicked(pane, qtbot, monkeypatch):
    from briefing_app.core import store

    monkeypatch.setattr(store, "RANKED_CANDIDATES", 100)  # "Bamako" is in 300 articles
    header = pane.view.horizontalHeader()
    qtbot.keyClicks(pane.search_field, "Bamako")
    qtbot.waitUntil(lambda: pane.model.newest_first)
    listed = pane.model.loaded_ids()
    assert listed == sorted(listed, reverse=True) and len(listed) == FETCH_SIZE
    assert "newest imported first" in pane.message.text() and pane.message.isVisible()
    assert header.sortIndicatorSection() == -1  # not sorted by any column
    qtbot.waitUntil(lambda: pane.model.total == 300)  # counted in the background
    fetch_all(pane.model, qtbot)
    listed = pane.model.loaded_ids()
    assert len(set(listed)) == 300 and listed == sorted(listed, reverse=True)
    assert all(int(t.split()[1]) % 3 for t in titles(pane))

    date_section = QPoint(header.sectionViewportPosition(2) + 5, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=date_section)
    qtbot.waitUntil(lambda: not pane.model.newest_first)
    dates = [pane.model.index(r, 2).data() for r in range(pane.model.rowCount())]
    assert dates == sorted(dates, reverse=True) and pane.model.total == 300  # newest date first
    assert header.sortIndicatorSection() == 2 and not pane.message.isVisible()

    pane.search_field.setText("Sahel")  # a new search is listed newest imported first again
    qtbot.waitUntil(lambda: pane.model.newest_first and pane.model.article_filter.query == "Sahel")
    qtbot.waitUntil(lambda: pane.model.total == 2 * FETCH_SIZE + 50)
