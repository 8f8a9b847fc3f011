"""Notes across the library: filters by tag, colour, entity in the quote, source, dates, text."""

from __future__ import annotations

import pytest

from briefing_app.core import notes_query
from briefing_app.core.errors import LibraryError
from briefing_app.core.model import ArticleDraft, Extraction, Mention
from briefing_app.core.notes_query import (
    NoteFilter,
    list_notes,
    matching_note_ids,
    note_rows,
    note_sources,
)

MOSCOW_TEXT = (
    "Foreign Minister Sergey Lavrov received the ministers of Mali and Niger in Moscow. "
    "The talks covered grain deliveries and security."
)
BOEING_TEXT = "Boeing delivered its final 747 to Atlas Air. The plane left Everett on Tuesday."


def _span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


@pytest.fixture
def notes(library):
    """Two articles (TASS, 2023; Reuters, 2022) with five notes, one of them deleted."""
    moscow = library.add_draft(
        ArticleDraft(MOSCOW_TEXT, title="Lavrov meets Sahel ministers", source="TASS", published="2023-09-06")
    ).article_id
    boeing = library.add_draft(
        ArticleDraft(BOEING_TEXT, title="Last 747", source="Reuters", published="2022-12-06")
    ).article_id
    lavrov = _span(MOSCOW_TEXT, "Sergey Lavrov")
    mali = _span(MOSCOW_TEXT, "Mali")
    library.save_extraction(
        moscow,
        Extraction(
            mentions=(
                Mention(*lavrov, "Sergey Lavrov", "PERSON", "Sergey Lavrov"),
                Mention(*mali, "Mali", "GPE", "Mali"),
            ),
            engine="test/1",
        ),
    )
    store = library.notes
    made = {
        "lavrov": store.create(
            moscow,
            *_span(MOSCOW_TEXT, "Foreign Minister Sergey Lavrov received"),
            body="who hosts",
            tags=["sahel"],
        ),
        "grain": store.create(
            moscow,
            *_span(MOSCOW_TEXT, "grain deliveries"),
            body="**wheat** again",
            color="green",
            tags=["Food"],
        ),
        "boeing": store.create(boeing, *_span(BOEING_TEXT, "final 747"), body="end of an era", color="blue"),
        "article": store.create_article_note(boeing, body="aviation background", tags=["sahel"]),
        "gone": store.create(boeing, *_span(BOEING_TEXT, "Atlas Air"), body="deleted wheat"),
    }
    store.delete(made["gone"].uuid)
    return made


def _listed(library, **fields) -> list[str]:
    return [row.note.uuid for row in list_notes(library, NoteFilter(**fields))]


def test_every_live_note_newest_first_with_its_article(library, notes):
    rows = list_notes(library, NoteFilter())
    assert [row.note.uuid for row in rows] == [
        notes[key].uuid for key in ("article", "boeing", "grain", "lavrov")
    ]
    assert (rows[0].article_title, rows[0].source, rows[0].published) == ("Last 747", "Reuters", "2022-12-06")


def test_filters_by_tag_in_any_case_and_by_colour(library, notes):
    assert _listed(library, tag="SAHEL") == [notes["article"].uuid, notes["lavrov"].uuid]
    assert _listed(library, tag="food") == [notes["grain"].uuid]
    assert _listed(library, color="blue") == [notes["boeing"].uuid]
    assert _listed(library, color="blue", tag="sahel") == []


@pytest.fixture(params=["from the entity's mentions", "from each note's passage"])
def entity_plan(request, monkeypatch):
    """Both ways the entity filter finds notes (notes_query._few_mentions picks one)."""
    if request.param == "from each note's passage":
        monkeypatch.setattr(notes_query, "MENTIONS_PER_NOTE_BREAK_EVEN", 0)
    return request.param


def test_filters_by_an_entity_mentioned_inside_the_quote(library, notes, entity_plan):
    assert _listed(library, entity="Sergey Lavrov") == [notes["lavrov"].uuid]
    assert _listed(library, entity="sergey  LAVROV") == [notes["lavrov"].uuid]
    # Mali is mentioned in the article, but outside every quoted passage.
    assert _listed(library, entity="Mali") == []


def test_entity_filter_finds_the_entity_by_an_alias(library, notes, entity_plan):
    library.add_alias("the Russian minister", "Sergey Lavrov", "PERSON")
    assert _listed(library, entity="The Russian Minister") == [notes["lavrov"].uuid]


def test_filters_by_source_and_article_dates(library, notes):
    assert _listed(library, source="Reuters") == [notes["article"].uuid, notes["boeing"].uuid]
    assert _listed(library, date_from="2023-01-01") == [notes["grain"].uuid, notes["lavrov"].uuid]
    assert _listed(library, date_to="2022-12-06") == [notes["article"].uuid, notes["boeing"].uuid]
    assert _listed(library, date_from="2022-12-07", date_to="2023-09-05") == []


def test_text_search_covers_quote_and_body_but_not_deleted_notes(library, notes):
    assert _listed(library, text="wheat") == [notes["grain"].uuid]
    assert _listed(library, text="grain") == [notes["grain"].uuid]
    assert _listed(library, text="747 OR aviation") == [notes["article"].uuid, notes["boeing"].uuid]
    assert _listed(library, text="...") == []


def test_filters_combine(library, notes, entity_plan):
    assert _listed(library, text="who", tag="sahel", source="TASS", entity="Sergey Lavrov") == [
        notes["lavrov"].uuid
    ]


def test_a_search_fts_refuses_is_one_line_naming_it(library, notes, monkeypatch):
    # The translation makes every typed text valid; should FTS5 refuse one all the same:
    monkeypatch.setattr(notes_query, "to_fts_query", lambda text, columns: '"wheat" AND')
    with pytest.raises(LibraryError, match="cannot search for 'wheat and'") as caught:
        matching_note_ids(library, NoteFilter(text="wheat and"))
    assert "\n" not in str(caught.value)


def test_pages_come_by_rowid_in_the_order_asked(library, notes):
    ids = matching_note_ids(library, NoteFilter())
    assert [row.rowid for row in note_rows(library, ids[2:])] == ids[2:]
    assert [row.rowid for row in note_rows(library, [ids[1], 9999, ids[0]])] == [ids[1], ids[0]]
    assert note_rows(library, []) == []


def test_a_note_whose_article_was_removed_is_listed_without_one(library, notes):
    with library.write():
        library.db.execute("DELETE FROM articles WHERE source = 'Reuters'")
    rows = list_notes(library, NoteFilter())
    orphaned = [row for row in rows if row.note.uuid == notes["boeing"].uuid]
    assert orphaned and orphaned[0].article_title is None and orphaned[0].source is None
    assert notes["boeing"].uuid not in _listed(library, source="Reuters")


def test_sources_are_those_of_articles_with_live_notes(library, notes):
    library.add_draft(ArticleDraft("No notes here at all.", title="Quiet", source="AFP"))
    assert note_sources(library) == ["Reuters", "TASS"]


def test_empty_filter():
    assert NoteFilter().is_empty()
    assert not NoteFilter(text=" x ").is_empty()
    assert NoteFilter(text="  ").is_empty()
