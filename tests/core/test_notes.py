"""Notes: creation from passages, edits, tombstones, tags, search, re-anchoring."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from briefing_app.core.model import ArticleDraft
from briefing_app.core.notes import NoteNotFound, NoteStore, clean_tags, format_timestamp
from briefing_app.core.store import ArticleNotFound, Library

TEXT = (
    "Russian Foreign Minister Sergey Lavrov is set to hold negotiations in Moscow with the "
    "foreign ministers of Burkina Faso, Mali, and Niger. The three nations, which form the "
    "Alliance of Sahel States, have been strengthening their ties with Russia amid shifting "
    "geopolitical dynamics. On January 28, 2024, they withdrew from ECOWAS."
)


class FakeClock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(library):
    return NoteStore(library, clock=FakeClock())


@pytest.fixture
def article_id(library):
    return library.add_draft(ArticleDraft(text=TEXT, title="Sahel talks", origin="t")).article_id


def span(passage: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


def test_create_takes_quote_and_context_from_the_article(store, article_id):
    note = store.create(article_id, *span("Sergey Lavrov"), body="Lead negotiator", tags=["Russia"])
    assert note.quote == "Sergey Lavrov"
    assert note.prefix == TEXT[max(0, note.start - 32) : note.start]
    assert note.suffix == TEXT[note.end : note.end + 32]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", note.uuid)
    assert note.created == note.updated == "2024-05-01T09:00:01.000Z"
    assert note.anchor_state == "anchored" and not note.deleted
    assert store.get(note.uuid) == note


def test_create_refuses_bad_input(store, article_id):
    with pytest.raises(ArticleNotFound):
        store.create(999, 0, 5)
    with pytest.raises(ValueError):
        store.create(article_id, 10, 10)
    with pytest.raises(ValueError):
        store.create(article_id, 0, 5, color="ultraviolet")


def test_article_note_has_no_passage(store, article_id):
    note = store.create_article_note(article_id, "Worth a follow-up")
    assert (note.start, note.end, note.quote) == (None, None, "")
    assert store.get(note.uuid).body == "Worth a follow-up"


def test_edits_change_the_updated_timestamp_only(store, article_id):
    note = store.create(article_id, *span("Mali"))
    edited = store.update_body(note.uuid, "Bamako's line")
    assert edited.body == "Bamako's line"
    assert edited.created == note.created and edited.updated > note.updated
    coloured = store.set_color(note.uuid, "green")
    assert coloured.color == "green" and coloured.updated > edited.updated


def test_unknown_note_is_an_error(store):
    with pytest.raises(NoteNotFound):
        store.get("no-such-note")
    with pytest.raises(NoteNotFound):
        store.update_body("no-such-note", "x")


def test_delete_leaves_a_tombstone_that_undelete_lifts(store, article_id):
    kept = store.create(article_id, *span("Mali"))
    gone = store.create(article_id, *span("Niger"), body="Niamey")
    store.delete(gone.uuid)
    assert [n.uuid for n in store.for_article(article_id)] == [kept.uuid]
    assert store.get(gone.uuid).deleted
    assert {n.uuid for n in store.for_article(article_id, include_deleted=True)} == {
        kept.uuid,
        gone.uuid,
    }
    assert store.search("Niamey") == []
    restored = store.undelete(gone.uuid)
    assert not restored.deleted and restored.body == "Niamey"
    assert [n.uuid for n in store.search("Niamey")] == [gone.uuid]


def test_for_article_lists_article_notes_then_passages_in_text_order(store, article_id):
    late = store.create(article_id, *span("ECOWAS"))
    early = store.create(article_id, *span("Sergey Lavrov"))
    general = store.create_article_note(article_id, "Overall: important")
    assert [n.uuid for n in store.for_article(article_id)] == [general.uuid, early.uuid, late.uuid]


def test_tags_are_cleaned_listed_and_filtered(store, article_id):
    first = store.create(article_id, *span("Mali"), tags=[" Sahel ", "security  policy", "sahel"])
    assert first.tags == ("Sahel", "security policy")
    second = store.create(article_id, *span("Niger"), tags=["ECOWAS"])
    assert store.tags() == ["ECOWAS", "Sahel", "security policy"]
    assert [n.uuid for n in store.all_notes(tag="Sahel")] == [first.uuid]
    store.set_tags(second.uuid, ["Sahel"])
    assert [n.uuid for n in store.all_notes(tag="Sahel")] == [first.uuid, second.uuid]
    store.delete(first.uuid)
    assert store.tags() == ["Sahel"]


def test_clean_tags():
    assert clean_tags(["a", "", "  ", "A", "b  c"]) == ("a", "b c")


def test_search_covers_quote_and_body(store, article_id):
    on_quote = store.create(article_id, *span("negotiations in Moscow"))
    on_body = store.create(article_id, *span("Mali"), body="Junta in Bamako negotiates")
    assert {n.uuid for n in store.search("negotiations")} == {on_quote.uuid, on_body.uuid}
    assert [n.uuid for n in store.search("Bamako")] == [on_body.uuid]
    assert store.search("   ") == []


def test_any_typed_search_finds_notes_by_their_words(store, article_id):
    note = store.create(article_id, *span("Mali"), body="U.S. view")
    assert [n.uuid for n in store.search('"Mali')] == [note.uuid]
    assert [n.uuid for n in store.search("U.S.")] == [note.uuid]


def test_notes_survive_reopening_the_library(db_path):
    with Library(db_path) as library:
        article = library.add_draft(ArticleDraft(text=TEXT, title="T", origin="t")).article_id
        note = NoteStore(library).create(article, *span("Mali"), body="kept")
    with Library(db_path) as library:
        assert NoteStore(library).get(note.uuid).body == "kept"


def test_reanchor_article_after_an_edit(store, article_id, library):
    before = store.create(article_id, *span("Sergey Lavrov"))
    after = store.create(article_id, *span("Alliance of Sahel States"))
    edited = store.create(article_id, *span("strengthening their ties with Russia"))
    removed = store.create(article_id, *span("On January 28, 2024, they withdrew from ECOWAS."))
    general = store.create_article_note(article_id, "whole article")
    new_text = (
        TEXT.replace("Mali, and Niger.", "Mali and Niger, three juntas.")
        .replace("strengthening their ties", "strengthening their close ties")
        .replace(" On January 28, 2024, they withdrew from ECOWAS.", "")
    )
    results = dict(store.reanchor_article(article_id, TEXT, new_text))
    assert results == {
        before.uuid: "anchored",
        after.uuid: "moved",
        edited.uuid: "moved",
        removed.uuid: "orphaned",
    }
    moved = store.get(after.uuid)
    assert new_text[moved.start : moved.end] == moved.quote == "Alliance of Sahel States"
    assert moved.prefix == new_text[moved.start - 32 : moved.start]
    assert moved.updated == after.updated  # the analyst did not edit it
    rewritten = store.get(edited.uuid)
    assert rewritten.quote == "strengthening their close ties with Russia"
    orphan = store.get(removed.uuid)
    assert (orphan.start, orphan.end, orphan.anchor_state) == (None, None, "orphaned")
    assert orphan.quote == "On January 28, 2024, they withdrew from ECOWAS."
    listed = store.for_article(article_id)
    assert listed[0].uuid == general.uuid and listed[-1].uuid == removed.uuid


def test_orphan_is_placed_again_when_its_passage_returns(store, article_id):
    note = store.create(article_id, *span("Sergey Lavrov"))
    without = TEXT.replace("Sergey Lavrov", "the minister")
    assert store.reanchor_article(article_id, TEXT, without) == [(note.uuid, "orphaned")]
    assert store.reanchor_article(article_id, without, TEXT) == [(note.uuid, "moved")]
    assert store.get(note.uuid).start == TEXT.index("Sergey Lavrov")


def test_reanchor_article_tells_repeated_passages_apart(store, library):
    text = "Talks resumed. " * 4
    article = library.add_draft(ArticleDraft(text=text, title="Repeats", origin="t")).article_id
    third = store.create(article, 30, 43)
    new_text = text[:15] + "Then " + text[15:]  # after the first sentence
    assert store.reanchor_article(article, text, new_text) == [(third.uuid, "moved")]
    assert store.get(third.uuid).start == 35


def test_timestamps_are_iso_utc():
    moment = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(moment) == "2024-01-02T01:04:05.678Z"


def test_default_clock_gives_current_time(library, article_id):
    note = NoteStore(library).create(article_id, *span("Mali"))
    created = datetime.fromisoformat(note.created)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)
