"""The library list at scale: pages by key, in every order, and the list table kept in step."""

from __future__ import annotations

import pytest
import sqlite_utils

from briefing_app.core import migrations
from briefing_app.core.model import ArticleDraft
from briefing_app.core.store import ArticleFilter, ArticleSummary, Library

ORDERS = [
    (order, descending)
    for order in ("published", "title", "source", "imported")
    for descending in (False, True)
]


def add_articles(library: Library) -> None:
    """Ties, missing dates and sources, and titles differing only in case: what paging trips on."""
    for i in range(23):
        title = "Same title" if i % 4 == 0 else f"{'abc'[i % 3]}title {i % 5}"
        library.add_draft(
            ArticleDraft(
                f"Report {i} on Mali." if i % 3 else f"Report {i} on Niger.",
                title=title.upper() if i % 2 else title,
                source=None if i % 5 == 0 else f"Source {'xyz'[i % 3]}",
                published=None if i % 6 == 0 else f"2024-0{1 + i % 3}-01",
                url=f"https://example.org/{i}",
            )
        )


def page_by_page(library: Library, size: int, **kw: object) -> list[ArticleSummary]:
    rows: list[ArticleSummary] = []
    while True:
        page = library.list_articles(limit=size, after=rows[-1] if rows else None, **kw)  # type: ignore[arg-type]
        rows += page
        if len(page) < size:
            return rows


@pytest.mark.parametrize(("order", "descending"), ORDERS)
@pytest.mark.parametrize("size", [1, 4, 7])
def test_pages_by_key_give_the_whole_list_once_in_order(library, order, descending, size):
    add_articles(library)
    whole = library.list_articles(order=order, descending=descending)
    assert len(whole) == 23
    assert page_by_page(library, size, order=order, descending=descending) == whole


@pytest.mark.parametrize(("order", "descending"), ORDERS)
def test_pages_by_key_of_a_filtered_list(library, order, descending):
    add_articles(library)
    mali = ArticleFilter(query="mali")
    whole = library.list_articles(mali, order=order, descending=descending)
    assert 0 < len(whole) == library.count_articles(mali) < 23
    paged = page_by_page(library, 3, article_filter=mali, order=order, descending=descending)
    assert paged == whole


def test_missing_dates_and_sources_come_last_either_way(library):
    add_articles(library)
    for descending in (False, True):
        dates = [a.published for a in library.list_articles(order="published", descending=descending)]
        assert dates[-4:] == [None] * 4 and None not in dates[:-4]
        assert dates[:-4] == sorted(dates[:-4], reverse=descending)
        sources = [a.source for a in library.list_articles(order="source", descending=descending)]
        assert sources[-5:] == [None] * 5 and None not in sources[:-5]


def test_titles_sort_regardless_of_case(library):
    add_articles(library)
    titles = [a.title for a in library.list_articles(order="title")]
    assert titles == sorted(titles, key=str.casefold)


def test_the_list_follows_edits_and_deletions(library):
    story = "Mali and Niger met in Bamako to talk about security along the border this week."
    first = library.add_draft(ArticleDraft(story, title="First", url="https://x/1")).article_id
    library.add_draft(ArticleDraft("Four five six.", title="Second", published="2020-01-01"))
    # An edited text of the same url replaces the article in place: the list shows the new one.
    edited = library.add_draft(ArticleDraft(story + " More soon.", title="First", url="https://x/1"))
    assert (edited.status, edited.article_id) == ("updated", first)
    library.db.execute("UPDATE articles SET title = 'First, edited' WHERE id = ?", [first])
    listed = {a.id: a for a in library.list_articles()}
    assert listed[first].title == "First, edited" and listed[first].word_count == len(story.split()) + 2
    library.db.execute("DELETE FROM articles WHERE id = ?", [first])
    assert [a.title for a in library.list_articles()] == ["Second"]
    assert library.count_articles() == 1


def test_a_library_of_the_previous_schema_gets_its_list(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=migrations.SCHEMA_VERSION - 1)
    for i, published in enumerate(["2021-01-01", None, "2023-01-01"]):
        old["articles"].insert(
            {"uid": f"u{i}", "title": f"Old {i}", "text": "a b c", "word_count": 3, "published": published,
             "imported_at": "2020-01-01T00:00:00"}
        )  # fmt: skip
    old.conn.commit()
    old.close()

    with Library(db_path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        assert [a.title for a in lib.list_articles()] == ["Old 2", "Old 0", "Old 1"]
        assert [a.word_count for a in lib.list_articles()] == [3, 3, 3]
        lib.add_draft(ArticleDraft("New text here.", title="New", published="2024-01-01"))
        assert [a.title for a in page_by_page(lib, 2)] == ["New", "Old 2", "Old 0", "Old 1"]


def test_a_page_is_an_index_seek_not_a_sort(library):
    """Every order reads its own index: no temporary B-tree, so page cost does not grow with depth."""
    add_articles(library)
    for order, descending in ORDERS:
        after = library.list_articles(order=order, descending=descending, limit=1)[0]
        library.db.conn.set_trace_callback(None)
        captured: list[str] = []
        library.db.conn.set_trace_callback(captured.append)
        library.list_articles(order=order, descending=descending, limit=5, after=after)
        library.db.conn.set_trace_callback(None)
        (sql,) = [s for s in captured if "article_list" in s]
        plan = " ".join(row[-1] for row in library.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
        assert "TEMP B-TREE" not in plan, (order, descending, plan)


def test_a_very_common_word_lists_the_newest_matches_first_and_a_rarer_one_is_ranked(library, monkeypatch):
    from briefing_app.core import store

    monkeypatch.setattr(store, "RANKED_CANDIDATES", 3)
    best = library.add_draft(
        ArticleDraft("Said said said said.", title="Oldest", url="https://x/0")
    ).article_id
    newer = [
        library.add_draft(
            ArticleDraft(f"He said it {i} times over.", title=f"N{i}", url=f"https://x/{i}")
        ).article_id
        for i in range(1, 5)
    ]
    common = library.search_results("said", limit=3)
    assert common.newest_first
    assert [hit.id for hit in common.hits] == newer[::-1][:3]
    assert library.matches_more_than("said", 3) and not library.matches_more_than("said", 5)

    monkeypatch.setattr(store, "RANKED_CANDIDATES", 5)
    everything = library.search_results("said")
    assert not everything.newest_first
    assert everything.hits[0].id == best  # bm25: four times in four words
    assert "[said]" in everything.hits[0].snippet.lower()
    assert {hit.snippet for hit in library.search_results("said", snippets=False).hits} == {""}


def test_the_newest_matches_page_by_key_and_keep_the_other_filters(library):
    ids = [
        library.add_draft(
            ArticleDraft(
                f"Talks on grain went on, round {i}.",
                title=f"Round {i}",
                url=f"https://x/{i}",
                published=f"2024-03-{i + 1:02d}",
            )
        ).article_id
        for i in range(7)
    ]
    library.add_draft(ArticleDraft("Nothing to see.", title="Other", url="https://x/other"))
    grain = ArticleFilter(query="grain")
    first = library.newest_matching(grain, limit=3)
    assert [row.id for row in first] == ids[::-1][:3]
    second = library.newest_matching(grain, limit=3, before=first[-1].id)
    assert [row.id for row in second] == ids[::-1][3:6]
    assert [row.id for row in library.newest_matching(grain, limit=3, before=ids[0])] == []
    dated = ArticleFilter(query="grain", date_from="2024-03-02", date_to="2024-03-04")
    assert [row.id for row in library.newest_matching(dated, limit=10)] == ids[3:0:-1]
    assert library.newest_matching(ArticleFilter(query="'"), limit=3) == []


def test_search_hits_in_an_article_are_what_the_search_matched(library):
    text = "Airlines said: the airline's pilots flew.\nA new airport opened; \U0001f600 airline shares rose."
    article_id = library.add_draft(ArticleDraft(text, title="Hits")).article_id
    words = [text[s:e] for s, e in library.search_hit_spans(article_id, "airline")]
    assert words == ["Airlines", "airline", "airline"]  # stems match: airline, airlines
    assert [text[s:e] for s, e in library.search_hit_spans(article_id, "air*")] == [
        "Airlines",
        "airline",
        "airport",
        "airline",
    ]
    assert [text[s:e] for s, e in library.search_hit_spans(article_id, '"pilots flew"')] == ["pilots flew"]
    assert library.search_hit_spans(article_id, "boeing") == []
    assert library.search_hit_spans(article_id, "- '") == []


def test_a_search_snippet_marks_the_hits(library):
    text = "Quiet start. " * 30 + "Then the airline said the airlines would merge. " + "Quiet end. " * 30
    article_id = library.add_draft(ArticleDraft(text, title="Merger")).article_id
    pieces = library.search_snippet(article_id, "airline")
    assert [piece for piece, hit in pieces if hit] == ["airline", "airlines"]
    assert "".join(piece for piece, _ in pieces).strip().startswith("…")  # cut out of a long text
    assert library.search_snippet(article_id, "boeing") == []


@pytest.mark.parametrize(("order", "descending"), ORDERS)
def test_a_filtered_list_read_once_as_ids_pages_by_position(library, order, descending):
    add_articles(library)
    mali = ArticleFilter(query="mali")
    ids = library.list_ids(mali, order, descending)
    whole = library.list_articles(mali, order, descending)
    assert ids == [a.id for a in whole]
    assert library.summaries(ids[3:6]) == whole[3:6]
    library.db.execute("DELETE FROM articles WHERE id = ?", [ids[4]])  # gone since the ids were read
    assert library.summaries(ids[3:6]) == [whole[3], whole[5]]


def test_the_list_reads_a_very_common_search_newest_first_uncounted_and_a_rare_one_sorted(
    library, monkeypatch
):
    from briefing_app.core import store
    from briefing_app.core.listing import read_list

    monkeypatch.setattr(store, "RANKED_CANDIDATES", 4)
    ids = [
        library.add_draft(
            ArticleDraft(
                f"Grain talks, round {i}.", title=f"R{i}", url=f"https://x/{i}", published=f"2024-0{9 - i}-01"
            )
        ).article_id
        for i in range(6)
    ]
    grain = ArticleFilter(query="grain")
    common = read_list(library, grain, "published", True, page_size=3, newest_first_if_common=True)
    assert common.newest_first and common.total is None and common.ids is None
    assert [row.id for row in common.first_page] == ids[::-1][:3]
    sorted_in_full = read_list(library, grain, "published", True, page_size=3)
    assert not sorted_in_full.newest_first and sorted_in_full.total == 6
    assert [row.id for row in sorted_in_full.first_page] == ids[:3]  # newest date first
    whole = read_list(library, grain, "published", True, page_size=10, newest_first_if_common=True)
    assert whole.newest_first and whole.total == 6  # one short page: counted as read
    monkeypatch.setattr(store, "RANKED_CANDIDATES", 10)
    rare = read_list(library, grain, "published", True, 3, newest_first_if_common=True)
    assert not rare.newest_first and rare.total == 6 and rare.ids == ids
