"""Notes across the whole library: which notes pass a filter, and their rows to show.

The notes view and `briefing notes list` ask the same thing: every live note, narrowed by
tag, colour, an entity named inside the quoted passage, the article's source and date, and a
full-text search of quote and body (notes_fts, through the typed-text translation of
search_query). As the article list does, a filtered list is read in two steps: every matching
note's rowid in order once (matching_note_ids, the part that grows with the library and runs
off the window's thread), then pages of rows by those keys (note_rows: primary-key lookups).
Article fields come from article_list, the list's small summary table (migration 6): the
articles table holds whole texts, and a page read through it took 9 ms instead of 1.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing_app.core.errors import LibraryError
from briefing_app.core.extract.registry import registry_key
from briefing_app.core.model import Note
from briefing_app.core.notes import note_from_row, note_select_columns
from briefing_app.core.search_query import explain_fts_error, to_fts_query

if TYPE_CHECKING:
    from briefing_app.core.store import Library

NOTE_FTS_COLUMNS = ("quote", "body")
# Mentions of an entity per live note below which its notes are found from its mentions.
MENTIONS_PER_NOTE_BREAK_EVEN = 1
# Newest note first; rowid breaks ties between notes made in the same millisecond.
_ORDER = "n.created DESC, n.rowid DESC"


@dataclass(frozen=True)
class NoteFilter:
    """Which notes to list; empty fields do not filter. Tombstones are never listed."""

    text: str = ""  # typed search over quote and body (words, "phrases", pre*, AND/OR/NOT)
    tag: str = ""  # exact tag, any case
    color: str = ""  # one of notes.NOTE_COLORS
    entity: str = ""  # an entity's name or alias, mentioned inside the quoted passage
    source: str = ""  # the article's source, exactly
    date_from: str = ""  # ISO dates, inclusive, compared with the article's publication date
    date_to: str = ""

    def is_empty(self) -> bool:
        return not any(
            (self.text.strip(), self.tag, self.color, self.entity, self.source, self.date_from, self.date_to)
        )


@dataclass(frozen=True)
class NoteRow:
    """One line of the notes view: the note and what it shows of its article."""

    rowid: int
    note: Note
    article_title: str | None  # None: the article was removed, the note kept
    source: str | None
    published: str | None


def entity_ids_named(library: Library, name: str) -> list[int]:
    """The entities called `name` (any case, any spacing) or given it as an alias."""
    name = " ".join(name.split())
    # By the (name, label) index first; a scan of every name only for another case.
    rows = library.db.execute("SELECT id FROM entities WHERE name = ?", [name]).fetchall()
    if not rows:
        rows = library.db.execute("SELECT id FROM entities WHERE name = ? COLLATE NOCASE", [name]).fetchall()
    rows += library.db.execute(
        "SELECT entity_id FROM aliases WHERE alias_key = ?", [registry_key(name)]
    ).fetchall()
    return sorted({row[0] for row in rows})


def _few_mentions(library: Library, entity_ids: list[int]) -> bool:
    """Whether reading the entity's every mention costs less than looking in every note's
    passage. Measured at 10,000 articles and 20,000 notes (bench_notes_view.py): about 2.4 µs
    per mention of the entity against 1.5 µs per note (a seek in mentions_entity_article),
    so about one mention per note is where they meet. The count stops there: it is bounded too."""
    notes = library.db.execute("SELECT count(*) FROM notes WHERE deleted = 0").fetchone()[0]
    bound = notes * MENTIONS_PER_NOTE_BREAK_EVEN
    marks = ", ".join("?" * len(entity_ids))
    counted = library.db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM mentions WHERE entity_id IN ({marks}) LIMIT ?)",
        [*entity_ids, bound + 1],
    ).fetchone()[0]
    return counted <= bound


def _filter_sql(
    note_filter: NoteFilter, entity_ids: list[int] | None = None, from_mentions: bool = False
) -> tuple[str, list[object]]:
    """entity_ids: those of note_filter.entity (entity_ids_named), when it names one;
    from_mentions: find their notes from their mentions (when they have few, _few_mentions)."""
    clauses = ["n.deleted = 0"]
    params: list[object] = []
    if note_filter.text.strip():
        fts_query = to_fts_query(note_filter.text, columns=NOTE_FTS_COLUMNS)
        if fts_query:
            clauses.append("n.rowid IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)")
            params.append(fts_query)
        else:  # only punctuation: the index holds none, so nothing matches
            clauses.append("0")
    if note_filter.tag:
        clauses.append("EXISTS (SELECT 1 FROM json_each(n.tags) WHERE json_each.value = ? COLLATE NOCASE)")
        params.append(" ".join(note_filter.tag.split()))
    if note_filter.color:
        clauses.append("n.color = ?")
        params.append(note_filter.color)
    if entity_ids is not None:
        # A mention of the entity lying inside the note's passage, found one of two ways.
        marks = ", ".join("?" * len(entity_ids)) or "NULL"
        if from_mentions:  # from each of the entity's mentions to the notes on its article
            clauses.append(
                "n.rowid IN (SELECT quoting.rowid FROM mentions m CROSS JOIN notes quoting "
                "ON quoting.article_id = m.article_id AND m.start >= quoting.start "
                f'AND m."end" <= quoting."end" WHERE m.entity_id IN ({marks}))'
            )
        else:  # per note, the entity's mentions inside its passage: a range of the index
            # mentions_entity_article (entity, article, start; migration 9)
            clauses.append(
                "EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = n.article_id "
                'AND m.start >= n.start AND m.start < n."end" AND m."end" <= n."end" '
                f"AND m.entity_id IN ({marks}))"
            )
        params += entity_ids
    # The article's source and dates: the notes on the articles that pass, which SQLite can
    # read article by article through notes_article instead of walking every note.
    article_clauses: list[str] = []
    if note_filter.source:
        article_clauses.append("source = ?")
        params.append(note_filter.source)
    if note_filter.date_from:
        article_clauses.append("published >= ?")
        params.append(note_filter.date_from)
    if note_filter.date_to:
        # A date_to of 2024-03-01 takes 2024-03-01T12:00 too: compare the date part only.
        article_clauses.append("substr(published, 1, 10) <= ?")
        params.append(note_filter.date_to)
    if article_clauses:
        clauses.append(f"n.article_id IN (SELECT id FROM article_list WHERE {' AND '.join(article_clauses)})")
    return " WHERE " + " AND ".join(clauses), params


def matching_note_ids(library: Library, note_filter: NoteFilter) -> list[int]:
    """The rowids of the live notes passing the filter, newest first. A search that FTS5
    refuses even after the translation raises LibraryError with one line saying why."""
    entity_ids = entity_ids_named(library, note_filter.entity) if note_filter.entity.strip() else None
    from_mentions = bool(entity_ids) and _few_mentions(library, entity_ids or [])
    where, params = _filter_sql(note_filter, entity_ids, from_mentions)
    sql = f"SELECT n.rowid FROM notes n{where} ORDER BY {_ORDER}"
    try:
        rows = library.db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        raise LibraryError(explain_fts_error(str(exc), note_filter.text)) from exc
    return [row[0] for row in rows]


def note_rows(library: Library, rowids: list[int]) -> list[NoteRow]:
    """The rows of these notes, in the order given; notes gone since are left out."""
    if not rowids:
        return []
    placeholders = ", ".join("?" * len(rowids))
    rows = library.db.execute(
        f"SELECT n.rowid, a.title, a.source, a.published, {note_select_columns('n')} "
        f"FROM notes n LEFT JOIN article_list a ON a.id = n.article_id WHERE n.rowid IN ({placeholders})",
        rowids,
    ).fetchall()
    by_rowid = {row[0]: NoteRow(row[0], note_from_row(row[4:]), row[1], row[2], row[3]) for row in rows}
    return [by_rowid[rowid] for rowid in rowids if rowid in by_rowid]


def list_notes(library: Library, note_filter: NoteFilter, limit: int | None = None) -> list[NoteRow]:
    """The notes passing the filter, newest first (the first `limit` of them)."""
    ids = matching_note_ids(library, note_filter)
    return note_rows(library, ids if limit is None else ids[:limit])


def note_sources(library: Library) -> list[str]:
    """The sources of the articles that have live notes, for the source filter's choices."""
    rows = library.db.execute(
        "SELECT DISTINCT a.source FROM notes n JOIN article_list a ON a.id = n.article_id "
        "WHERE n.deleted = 0 AND a.source IS NOT NULL AND a.source != ''"
    ).fetchall()
    return sorted((row[0] for row in rows), key=str.casefold)
