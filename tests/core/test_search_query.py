"""Whatever an analyst types searches: the typed query becomes an FTS5 query SQLite runs."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.core.migrations import FTS_TOKENIZER
from briefing_app.core.search_query import short_prefix, to_fts_query
from tests.support.fuzz import default_fuzz, slow_fuzz

TEXTS = {
    1: ("U.S. talks", "The U.S. envoy met Lavrov's deputy; the A380-800 flew. Sergey Lavrov said so."),
    2: ("Airbus order", "Airbus sold aircraft to airlines, said the report, and the air show opened."),
    3: ("Mali and Niger", "Mali and Niger signed; NOT a word about Burkina Faso. Or so they said."),
}


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='{FTS_TOKENIZER}')")
    conn.executemany(
        "INSERT INTO docs (rowid, title, text) VALUES (?, ?, ?)", [(k, *v) for k, v in TEXTS.items()]
    )
    return conn


def hits(fts: sqlite3.Connection, typed: str) -> set[int]:
    query = to_fts_query(typed)
    if not query:
        return set()
    return {row[0] for row in fts.execute("SELECT rowid FROM docs WHERE docs MATCH ?", [query])}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("U.S.", {1}),
        ("Lavrov's", {1}),
        ("Lavrov\u2019s", {1}),
        ("A380-800", {1}),
        ('"unclosed', set()),
        ("AND", {2, 3}),  # searched as the word "and"
        ("NOT", {3}),
        ("-", set()),
        ("'", set()),
        ("", set()),
        ("Lavrov", {1}),
        ("lavrov", {1}),
    ],
)
def test_typed_text_searches_as_words(fts, typed, expected):
    assert hits(fts, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Airbus OR Mali", {2, 3}),
        ("said AND Lavrov", {1}),
        ("said NOT Lavrov", {2, 3}),
        ('"Sergey Lavrov"', {1}),
        ('"Lavrov Sergey"', set()),
        ("air*", {2}),
        ("title:Airbus", {2}),
        ("title:said", set()),
        ("(Airbus OR Niger) AND said", {2, 3}),
        ("NEAR(Mali Niger, 2)", {3}),
        ("NEAR(U.S. envoy)", {1}),
        ("NEAR(Mali Faso, 1)", set()),
    ],
)
def test_operators_used_on_purpose_apply(fts, typed, expected):
    assert hits(fts, typed) == expected


@pytest.mark.parametrize(
    "typed", ["AND Mali", "Mali AND", "Mali AND OR Niger", "( Mali", ")( Mali", "((Mali)", "Mali )"]
)
def test_dangling_operators_and_brackets_do_not_break_the_query(fts, typed):
    assert 3 in hits(fts, typed)


@pytest.mark.parametrize("typed", ["(", ")(", "- ' .", "\u0000"])
def test_a_query_with_nothing_to_find_finds_nothing(fts, typed):
    assert to_fts_query(typed) == ""


QUERY_PIECES = st.sampled_from(
    [
        "a",
        "b",
        "Mali",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        ")",
        "(",
        '"',
        "*",
        ":",
        "title:",
        "text:",
        "-",
        "'",
        ".",
        ", 5",
        "’",
        "é",
        "1",
        " ",
        "\t",
        "\u0000",
        "\ud7ff",
    ]
)
QUERY_TEXT = st.lists(QUERY_PIECES, max_size=16).map("".join) | st.text(max_size=40)


def _never_a_syntax_error(fts: sqlite3.Connection, typed: str) -> None:
    query = to_fts_query(typed)
    if query:
        fts.execute("SELECT rowid FROM docs WHERE docs MATCH ?", [query]).fetchall()


@default_fuzz
@given(QUERY_TEXT)
def test_no_typed_text_is_a_syntax_error(fts, typed):
    _never_a_syntax_error(fts, typed)


@pytest.mark.slow
@slow_fuzz
@given(QUERY_TEXT)
def test_no_typed_text_is_a_syntax_error_thoroughly(fts, typed):
    _never_a_syntax_error(fts, typed)


@pytest.mark.parametrize(
    ("typed", "too_short"),
    [
        ("a*", "a*"),
        ("air* t*", "t*"),
        ('"the f"*', "the f*"),
        ("title:é*", "é*"),
        ("ai*", None),
        ("air*", None),
        ("a", None),  # a word, not a prefix
        ("*", None),
    ],
)
def test_a_prefix_of_one_letter_is_found(typed, too_short):
    assert short_prefix(to_fts_query(typed), 2) == too_short


def test_the_library_refuses_a_one_letter_prefix_with_its_reason(library):
    from briefing_app.core.model import ArticleDraft
    from briefing_app.core.store import ArticleFilter, LibraryError

    library.add_draft(ArticleDraft("Airbus sold aircraft.", title="Airbus"))
    assert [hit.title for hit in library.search("ai*")] == ["Airbus"]
    for read in (
        lambda: library.search("a*"),
        lambda: library.list_ids(ArticleFilter(query="sold a*")),
        lambda: library.newest_matching(ArticleFilter(query="a*"), 10),
    ):
        with pytest.raises(
            LibraryError, match=r"cannot search for '.*a\*': a prefix needs 2 letters or more \(a\*\)"
        ):
            read()
