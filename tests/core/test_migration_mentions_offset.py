"""The migration that indexes mentions by article and start: an older library upgrades, and
the notes' entity filter reads the mentions inside a passage by that index."""

from __future__ import annotations

import sqlite_utils

from briefing_app.core import migrations
from briefing_app.core.notes_query import NoteFilter, _filter_sql, entity_ids_named, list_notes
from briefing_app.core.store import Library

TEXT = "Sergey Lavrov met the ministers of Mali in Moscow. Lavrov spoke first."
BEFORE = migrations.MIGRATIONS.index(migrations._m10_mentions_by_offset)  # the version before it


def _indexes(library: Library) -> set[str]:
    return {row[0] for row in library.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def _library_before_the_migration(db_path) -> None:
    """A library as the version before left it: one article, its mentions, a note on it."""
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=BEFORE)
    old["articles"].insert(
        {"id": 1, "uid": "u1", "title": "Talks", "text": TEXT, "imported_at": "2020-01-01"}
    )
    for entity_id, name, label in ((1, "Sergey Lavrov", "PERSON"), (2, "Mali", "GPE")):
        old["entities"].insert({"id": entity_id, "name": name, "label": label})
    for entity_id, surface in ((1, "Sergey Lavrov"), (2, "Mali"), (1, "Lavrov")):
        start = TEXT.index("Lavrov spoke") if surface == "Lavrov" else TEXT.index(surface)
        old["mentions"].insert(
            {"article_id": 1, "entity_id": entity_id, "start": start, "end": start + len(surface),
             "text": surface, "label": "PERSON" if entity_id == 1 else "GPE"}
        )  # fmt: skip
    quote_start = TEXT.index("Lavrov spoke")
    old["notes"].insert(
        {"uuid": "n1", "article_id": 1, "start": quote_start, "end": len(TEXT), "quote": TEXT[quote_start:],
         "created": "2020-01-02T00:00:00.000Z", "updated": "2020-01-02T00:00:00.000Z"}
    )  # fmt: skip
    old.conn.commit()
    old.close()


def test_a_library_from_before_upgrades_and_its_notes_filter_by_entity(db_path):
    _library_before_the_migration(db_path)
    with Library(db_path) as library:
        assert library.schema_version == migrations.SCHEMA_VERSION
        indexes = _indexes(library)
        assert "mentions_article_start" in indexes and "mentions_article" not in indexes
        assert [m.text for m in library.mentions(1)] == ["Sergey Lavrov", "Mali", "Lavrov"]
        assert [row.note.uuid for row in list_notes(library, NoteFilter(entity="sergey lavrov"))] == ["n1"]
        assert list_notes(library, NoteFilter(entity="Mali")) == []


def test_the_entity_filter_reads_mentions_by_article_and_start(library):
    ids = entity_ids_named(library, "Anyone")
    where, params = _filter_sql(NoteFilter(entity="Anyone"), ids)
    plan = " ".join(
        str(row)
        for row in library.db.execute(f"EXPLAIN QUERY PLAN SELECT n.rowid FROM notes n{where}", params)
    )
    assert "mentions_article_start (article_id=? AND start>? AND start<?)" in plan
