"""The entity index: counts, dates, aliases, facets, order and pages, and the summary
tables behind it staying right through extraction, corrections and deletions."""

from __future__ import annotations

import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.core import migrations
from briefing_app.core.entity_index import (
    CSV_HEADER,
    EntityQuery,
    count_entities,
    find_entity,
    index_csv,
    iter_entities,
    list_entities,
    sources,
    type_counts,
)
from briefing_app.core.store import ArticleFilter, Library, _filter_sql
from tests.support.entities import add_article, assert_summary_matches_mentions
from tests.support.fuzz import default_fuzz

MOSCOW_TALKS = "Sergey Lavrov met Abdoulaye Diop in Moscow. Lavrov spoke of Mali. Lavrov left."
ECOWAS_PIECE = "The Economic Community of West African States (ECOWAS) met in Niger. ECOWAS and Mali."
MALI_NOTE = "Mali and Niger signed. Abdoulaye Diop of Mali was there."


def three_articles(library: Library) -> None:
    add_article(library, MOSCOW_TALKS, "Talks", source="TASS", published="2023-09-06")
    add_article(library, ECOWAS_PIECE, "Bloc", source="Le Monde", published="2024-01-28")
    add_article(library, MALI_NOTE, "Pact", source="TASS", published="2023-07-01")


def row_named(rows, name):
    (row,) = [r for r in rows if r.name == name]
    return row


def test_each_entity_has_its_type_counts_dates_and_aliases(library):
    three_articles(library)
    rows = list_entities(library)
    lavrov = row_named(rows, "Sergey Lavrov")
    assert (lavrov.label, lavrov.articles, lavrov.mentions) == ("PERSON", 1, 3)
    assert lavrov.aliases == ("Lavrov",)
    mali = row_named(rows, "Mali")
    assert (mali.articles, mali.mentions, mali.first_seen, mali.last_seen) == (
        3,
        4,
        "2023-07-01",
        "2024-01-28",
    )
    ecowas = row_named(rows, "Economic Community of West African States")
    assert ecowas.aliases == ("ECOWAS",)
    # Most articles first by default; each entity listed once.
    assert rows[0].name == "Mali"
    assert len({r.entity_id for r in rows}) == len(rows) == count_entities(library) == 6


def test_every_column_sorts_both_ways_and_pages_do_not_overlap(library):
    three_articles(library)
    for order in ("name", "type", "articles", "mentions", "first_seen", "last_seen"):
        for descending in (False, True):
            query = EntityQuery(order=order, descending=descending)
            rows = list_entities(library, query)
            key = {"type": "label"}.get(order, order)
            values = [getattr(r, key) for r in rows if getattr(r, key) is not None]
            if order == "name":
                values = [v.casefold() for v in values]
            assert values == sorted(values, reverse=descending), (order, descending)
            paged = [r for offset in range(0, 6, 2) for r in list_entities(library, query, offset, 2)]
            assert paged == rows


def test_facets_by_type_source_dates_and_the_library_filter(library):
    three_articles(library)
    names = lambda query: sorted(r.name for r in list_entities(library, query))  # noqa: E731
    assert names(EntityQuery(label="PERSON")) == ["Abdoulaye Diop", "Sergey Lavrov"]
    tass = EntityQuery(source="TASS")
    assert "Economic Community of West African States" not in names(tass)
    mali_in_tass = row_named(list_entities(library, tass), "Mali")
    assert (mali_in_tass.articles, mali_in_tass.mentions) == (2, 3)
    assert (mali_in_tass.first_seen, mali_in_tass.last_seen) == ("2023-07-01", "2023-09-06")
    assert names(EntityQuery(date_from="2024-01-01")) == [
        "Economic Community of West African States",
        "Mali",
        "Niger",
    ]
    assert names(EntityQuery(date_to="2023-08-01")) == ["Abdoulaye Diop", "Mali", "Niger"]
    assert names(EntityQuery(articles=ArticleFilter(query="Moscow"))) == [
        "Abdoulaye Diop",
        "Mali",
        "Moscow",
        "Sergey Lavrov",
    ]
    assert type_counts(library, EntityQuery(label="GPE")) == {"GPE": 3, "PERSON": 2, "ORG": 1}
    assert count_entities(library, EntityQuery(label="GPE", source="Le Monde")) == 2
    assert sources(library) == ["Le Monde", "TASS"]


def test_the_csv_lists_every_entity_once_with_all_its_aliases(library):
    three_articles(library)
    lines = list(index_csv(iter_entities(library, page=2)))
    assert lines[0] == ",".join(CSV_HEADER) + "\n"
    assert lines[0] == "name,type,articles,mentions,first_seen,last_seen,aliases\n"
    ecowas = [line for line in lines if "ECOWAS" in line]
    assert ecowas == ["Economic Community of West African States,ORG,1,3,2024-01-28,2024-01-28,ECOWAS\n"]
    assert len(lines) == 7


def test_an_entity_is_found_by_name_alias_or_short_name(library):
    three_articles(library)
    for asked in ("Sergey Lavrov", "sergey lavrov", "Lavrov", " Lavrov "):
        assert find_entity(library, asked).name == "Sergey Lavrov"
    assert find_entity(library, "ecowas").name == "Economic Community of West African States"
    assert find_entity(library, "Diop").name == "Abdoulaye Diop"
    assert find_entity(library, "Putin") is None
    assert find_entity(library, "") is None
    assert find_entity(library, "%") is None


def test_the_summary_follows_extraction_corrections_and_deletions(library):
    three_articles(library)
    assert_summary_matches_mentions(library)

    # Extracted again with fewer mentions.
    talks = library.list_ids(ArticleFilter(query="Moscow"))[0]
    from briefing_app.core.model import Extraction

    library.save_extraction(talks, Extraction(engine="test/2"))
    assert_summary_matches_mentions(library)
    assert find_entity(library, "Lavrov") is None
    add_article(library, MOSCOW_TALKS + " Again.", "Talks 2", source="TASS", published="2022-01-01")
    assert_summary_matches_mentions(library)

    library.rename_entity("Sergey Lavrov", "PERSON", "S. V. Lavrov")
    assert_summary_matches_mentions(library)
    renamed = row_named(list_entities(library), "S. V. Lavrov")
    assert set(renamed.aliases) == {"Sergey Lavrov", "Lavrov"}
    assert find_entity(library, "Sergey Lavrov").name == "S. V. Lavrov"

    library.merge_entities("Niger", "GPE", "Mali", "GPE")
    assert_summary_matches_mentions(library)
    mali = row_named(list_entities(library), "Mali")
    assert "Niger" in mali.aliases and mali.articles == 3

    library.reject("Moscow", "GPE")
    assert_summary_matches_mentions(library)
    assert find_entity(library, "Moscow") is None

    # An article's date changes (a dateline found later): first and last seen follow.
    library.db.execute("UPDATE articles SET published = '2025-05-05' WHERE title = 'Pact'")
    assert_summary_matches_mentions(library)
    assert row_named(list_entities(library), "Mali").last_seen == "2025-05-05"

    # An edited text replaces an article: its old extraction goes.
    add_article(library, ECOWAS_PIECE + " More words about ECOWAS.", "Bloc", source="Le Monde")
    assert_summary_matches_mentions(library)

    with library.write():
        library.db.execute("DELETE FROM articles WHERE title = 'Bloc'")
    assert_summary_matches_mentions(library)
    assert find_entity(library, "ECOWAS") is None


def test_articles_mentioning_an_entity_come_from_the_summary(library):
    three_articles(library)
    mentioning_mali = library.list_articles(ArticleFilter(entity="Mali"), order="title")
    assert [a.title for a in mentioning_mali] == ["Bloc", "Pact", "Talks"]
    assert library.count_articles(ArticleFilter(entity="Sergey Lavrov")) == 1
    assert library.count_articles(ArticleFilter(entity="Nobody")) == 0


def test_a_library_of_the_previous_schema_gets_its_index_on_upgrade(db_path):
    previous = migrations.SCHEMA_VERSION - 1
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=previous)
    old["articles"].insert(
        {
            "id": 1,
            "uid": "u1",
            "title": "Old",
            "text": MOSCOW_TALKS,
            "published": "2023-09-06",
            "imported_at": "2020-01-01T00:00:00",
        }  # fmt: skip
    )
    old["entities"].insert_all([{"id": 1, "name": "Sergey Lavrov", "label": "PERSON"}])
    old["mentions"].insert_all(
        [
            {
                "article_id": 1,
                "entity_id": 1,
                "start": 0,
                "end": 13,
                "text": "Sergey Lavrov",
                "label": "PERSON",
            },
            {"article_id": 1, "entity_id": 1, "start": 44, "end": 50, "text": "Lavrov", "label": "PERSON"},
        ]
    )
    old.conn.commit()
    old.close()

    with Library(db_path) as library:
        assert library.schema_version == migrations.SCHEMA_VERSION
        assert_summary_matches_mentions(library)
        (lavrov,) = list_entities(library)
        assert (lavrov.name, lavrov.articles, lavrov.mentions, lavrov.aliases) == (
            "Sergey Lavrov",
            1,
            2,
            ("Lavrov",),
        )


# -- any sequence of writes leaves the summary equal to counting the mentions again ------

_WORDS = ["Sergey Lavrov", "Lavrov", "Mali", "Niger", "Moscow", "ECOWAS", "Abdoulaye Diop", "and", "met"]
_texts = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8).map(lambda words: " ".join(words) + ".")
_dates = st.sampled_from([None, "2023-01-01", "2023-06-30", "2024-02-29"])
_writes = st.one_of(
    st.tuples(st.just("add"), _texts, _dates, st.sampled_from(["TASS", "Le Monde"])),
    st.tuples(st.just("clear"), st.integers(0, 5)),
    st.tuples(st.just("date"), st.integers(0, 5), _dates),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(
        st.just("rename"),
        st.sampled_from(["Mali", "Moscow", "Sergey Lavrov"]),
        st.sampled_from(["X", "Mali"]),
    ),
    st.tuples(
        st.just("merge"), st.sampled_from(["Niger", "Moscow"]), st.sampled_from(["Mali", "Sergey Lavrov"])
    ),
    st.tuples(st.just("reject"), st.sampled_from(["Lavrov", "Mali", "ECOWAS"])),
)


# Each example writes a library up to ten times: fewer examples than the default.
@settings(default_fuzz, max_examples=60)
@given(st.lists(_writes, max_size=10))
def test_the_summary_always_matches_the_mentions(writes):
    from briefing_app.core.model import Extraction

    with Library(":memory:") as library:
        for write in writes:
            ids = library.list_ids(order="imported")
            kind = write[0]
            if kind == "add":
                add_article(library, write[1], source=write[3], published=write[2])
            elif ids and kind == "clear":
                library.save_extraction(ids[write[1] % len(ids)], Extraction(engine="test/2"))
            elif ids and kind == "date":
                with library.write():
                    library.db.execute(
                        "UPDATE articles SET published = ? WHERE id = ?", [write[2], ids[write[1] % len(ids)]]
                    )
            elif ids and kind == "delete":
                with library.write():
                    library.db.execute("DELETE FROM articles WHERE id = ?", [ids[write[1] % len(ids)]])
            elif kind == "rename" and write[1] != write[2]:
                library.rename_entity(write[1], "GPE" if write[1] != "Sergey Lavrov" else "PERSON", write[2])
            elif kind == "merge":
                labels = {"Niger": "GPE", "Moscow": "GPE", "Mali": "GPE", "Sergey Lavrov": "PERSON"}
                library.merge_entities(write[1], labels[write[1]], write[2], labels[write[2]])
            elif kind == "reject":
                library.reject(write[1])
            assert_summary_matches_mentions(library)


@default_fuzz
@given(
    st.lists(
        st.tuples(st.sampled_from([None, "", "2024-01-05", "2024-03-01", "2023-12-31"]), st.booleans()),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
    st.sampled_from([("", ""), ("2024-01-01", ""), ("", "2024-02-01")]),
)
def test_articles_mentioning_an_entity_by_date_keep_the_list_order(articles, descending, dates):
    """The entity's own date index answers "articles mentioning X" by date; the ids and
    their order are what the general query over the library list gives."""
    library = Library()
    for n, (published, mentions_mali) in enumerate(articles):
        text = f"Article {n}. " + ("Mali met Niger." if mentions_mali else "Niger alone.")
        add_article(library, text, title=f"A{n}", published=published)
    general = ArticleFilter(entity="Mali", query="", date_from=dates[0], date_to=dates[1])
    by_index = library.list_ids(general, "published", descending)
    # The general query, forced: the same filter through _filter_sql, sorted by article_list.
    where, params = _filter_sql(general)
    direction = "DESC" if descending else "ASC"
    key = "published_desc_key" if descending else "published_asc_key"
    expected = [
        row[0]
        for row in library.db.execute(
            f"SELECT a.id FROM article_list a{where} ORDER BY a.{key} {direction}, a.id {direction}", params
        )
    ]
    assert by_index == expected
    library.close()
