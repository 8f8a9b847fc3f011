"""The analyst's notes: on passages of an article, or on a whole article.

Notes live in the library database (table `notes`, FTS5 index `notes_fts`, migration 3); the
library hands out its NoteStore as `library.notes`, their only writer. Each write is one
transaction (Library.write), so a note typed before a crash is there at the next start (the
file is WAL). This module does not import the store: the store imports it.

Like calibre and Zotero annotations, a note has a stable uuid, keeps the quoted passage beside
its offsets, and is never deleted outright: delete() leaves a tombstone that undelete() lifts.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid as uuidlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from briefing_app.core.anchoring import ORPHANED, Anchor, make_anchor, reanchor
from briefing_app.core.errors import ArticleNotFound, LibraryError
from briefing_app.core.model import AnchorState, Note, NoteColor
from briefing_app.core.search_query import explain_fts_error, to_fts_query

if TYPE_CHECKING:
    from briefing_app.core.store import Library

# Highlight colours the app offers, with the pale shade that prints well behind black text.
NOTE_COLORS: dict[NoteColor, str] = {
    "yellow": "#fff3a3",
    "green": "#c8ecc0",
    "blue": "#c4e1f6",
    "pink": "#f8c8dc",
    "purple": "#ded0f2",
    "orange": "#ffd8a8",
}
DEFAULT_COLOR: NoteColor = "yellow"

# The columns of `notes` are the fields of Note, by the same names.
_FIELDS = tuple(field.name for field in dataclasses.fields(Note))
_COLUMNS = ", ".join(f'notes."{name}"' for name in _FIELDS)
# Article notes (no passage) first, then passages in text order, then orphans.
_TEXT_ORDER = (
    "CASE WHEN anchor_state = 'orphaned' THEN 2 WHEN start IS NULL THEN 0 ELSE 1 END, "
    'start, "end", created, uuid'
)


class NoteNotFound(LibraryError):
    pass


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as notes store it and W3C exports it."""
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def check_color(color: str) -> NoteColor:
    if color not in NOTE_COLORS:
        raise ValueError(f"unknown note colour {color!r}; one of {', '.join(NOTE_COLORS)}")
    return color


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags trimmed, with inner whitespace collapsed, without empties or repeats (any case)."""
    seen: set[str] = set()
    cleaned = []
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            cleaned.append(tag)
    return tuple(cleaned)


def note_anchor(note: Note) -> Anchor:
    return Anchor(note.quote, note.prefix, note.suffix, note.start, note.end)


class NoteStore:
    """Create, edit, find and re-anchor notes in one library."""

    def __init__(self, library: Library, clock: Callable[[], datetime] = utc_now) -> None:
        self.library = library
        self.db = library.db
        self._clock = clock

    def _now(self) -> str:
        return format_timestamp(self._clock())

    # -- writing ---------------------------------------------------------------------------

    def create(
        self,
        article_id: int,
        start: int,
        end: int,
        body: str = "",
        color: str = DEFAULT_COLOR,
        tags: Iterable[str] = (),
    ) -> Note:
        """A note on the passage text[start:end] of the article."""
        anchor = make_anchor(self._article_text(article_id), start, end)
        return self._insert(article_id, anchor, body, color, tags)

    def create_article_note(
        self, article_id: int, body: str = "", color: str = DEFAULT_COLOR, tags: Iterable[str] = ()
    ) -> Note:
        """A note on the whole article, with no passage."""
        self._article_text(article_id)
        return self._insert(article_id, Anchor(quote=""), body, color, tags)

    def _insert(self, article_id: int, anchor: Anchor, body: str, color: str, tags: Iterable[str]) -> Note:
        now = self._now()
        note = Note(
            uuid=str(uuidlib.uuid4()),
            article_id=article_id,
            start=anchor.start,
            end=anchor.end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            body=body,
            color=check_color(color),
            tags=clean_tags(tags),
            created=now,
            updated=now,
        )
        self.save(note)
        return note

    def save(self, note: Note) -> None:
        """Store the note as given, replacing the one with the same uuid (imports use this)."""
        row = _row(note)
        columns = ", ".join(f'"{name}"' for name in _FIELDS)
        updates = ", ".join(f'"{name}" = excluded."{name}"' for name in _FIELDS if name != "uuid")
        with self.library.write():
            self.db.execute(
                f"INSERT INTO notes ({columns}) VALUES ({', '.join('?' * len(row))}) "
                f"ON CONFLICT(uuid) DO UPDATE SET {updates}",
                [row[name] for name in _FIELDS],
            )

    def update_body(self, uuid: str, body: str) -> Note:
        return self._update(uuid, body=body)

    def set_tags(self, uuid: str, tags: Iterable[str]) -> Note:
        return self._update(uuid, tags=json.dumps(clean_tags(tags)))

    def set_color(self, uuid: str, color: str) -> Note:
        return self._update(uuid, color=check_color(color))

    def delete(self, uuid: str) -> Note:
        """Hide the note; it stays as a tombstone that undelete() brings back."""
        return self._update(uuid, deleted=1)

    def undelete(self, uuid: str) -> Note:
        return self._update(uuid, deleted=0)

    def _update(self, uuid: str, **fields: object) -> Note:
        fields["updated"] = self._now()
        assignments = ", ".join(f'"{name}" = ?' for name in fields)
        with self.library.write():
            cursor = self.db.execute(
                f"UPDATE notes SET {assignments} WHERE uuid = ?", [*fields.values(), uuid]
            )
            if cursor.rowcount == 0:
                raise NoteNotFound(f"no note {uuid}")
        return self.get(uuid)

    def reanchor_article(
        self, article_id: int, old_text: str, new_text: str
    ) -> list[tuple[str, AnchorState]]:
        """Find every passage note of the article (tombstones too) in its new text.

        Notes found again take the offsets, quote and context of the new text; notes that
        cannot be placed become orphans with their quote kept. Returns (uuid, anchor state)
        per note. `updated` stays: it records the analyst's edits, not the text's.
        """
        shift = _TextShift(old_text, new_text)
        results: list[tuple[str, AnchorState]] = []
        with self.library.write():
            notes = self._select("article_id = ? AND quote != ''", [article_id])
            for note in notes:
                hint = None if note.start is None else shift.map(note.start)
                start, end, state = reanchor(new_text, note_anchor(note), hint)
                fields: dict[str, object]
                if state == ORPHANED or start is None or end is None:  # (an orphan has no ends)
                    fields = {"start": None, "end": None, "anchor_state": state}
                else:
                    anchor = make_anchor(new_text, start, end)
                    fields = {
                        "start": start,
                        "end": end,
                        "quote": anchor.quote,
                        "prefix": anchor.prefix,
                        "suffix": anchor.suffix,
                        "anchor_state": state,
                    }
                assignments = ", ".join(f'"{name}" = ?' for name in fields)
                self.db.execute(
                    f"UPDATE notes SET {assignments} WHERE uuid = ?", [*fields.values(), note.uuid]
                )
                results.append((note.uuid, state))
        return results

    # -- reading ---------------------------------------------------------------------------

    def get(self, uuid: str) -> Note:
        """The note, tombstone or not."""
        notes = self._select("uuid = ?", [uuid])
        if not notes:
            raise NoteNotFound(f"no note {uuid}")
        return notes[0]

    def for_article(self, article_id: int, include_deleted: bool = False) -> list[Note]:
        """Article notes first, then passage notes in text order, then orphans."""
        where = "article_id = ?" + ("" if include_deleted else " AND deleted = 0")
        return self._select(where, [article_id], order=_TEXT_ORDER)

    def all_notes(self, tag: str | None = None, include_deleted: bool = False) -> list[Note]:
        """Every note, by article and in text order within one; with `tag`, those tagged so."""
        conditions: list[str] = []
        params: list[object] = []
        if not include_deleted:
            conditions.append("deleted = 0")
        if tag is not None:
            conditions.append("EXISTS (SELECT 1 FROM json_each(notes.tags) WHERE json_each.value = ?)")
            params.append(tag)
        where = " AND ".join(conditions) or "1"
        return self._select(where, params, order="article_id IS NULL, article_id, " + _TEXT_ORDER)

    def search(self, query: str, limit: int = 50) -> list[Note]:
        """Live notes whose quote or body match the FTS5 query, best first."""
        fts_query = to_fts_query(query, columns=("quote", "body"))
        if not fts_query:
            return []
        try:
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM notes JOIN notes_fts ON notes_fts.rowid = notes.rowid "
                "WHERE notes_fts MATCH ? AND deleted = 0 ORDER BY notes_fts.rank LIMIT ?",
                [fts_query, limit],
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise LibraryError(explain_fts_error(str(exc), query)) from exc
        return [_note(row) for row in rows]

    def tags(self) -> list[str]:
        """Every tag on a live note, sorted without regard to case."""
        rows = self.db.execute(
            "SELECT DISTINCT json_each.value FROM notes, json_each(notes.tags) WHERE notes.deleted = 0"
        ).fetchall()
        return sorted((row[0] for row in rows), key=str.casefold)

    def _select(self, where: str, params: list[object], order: str = "uuid") -> list[Note]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM notes WHERE {where} ORDER BY {order}", params
        ).fetchall()
        return [_note(row) for row in rows]

    def _article_text(self, article_id: int) -> str:
        row = self.db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise ArticleNotFound(f"no article with id {article_id}")
        return row[0]


class _TextShift:
    """Maps offsets of an old text into a new one around the single stretch that changed.

    An edited article usually differs in one place: what lies before that stretch keeps its
    offsets and what lies after moves by the change in length. This gives re-anchoring the
    exact place to expect each passage, so repeated passages are told apart.
    """

    def __init__(self, old: str, new: str) -> None:
        limit = min(len(old), len(new))
        head = 0
        while head < limit and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        self.head = head
        self.old_tail_start = len(old) - tail
        self.delta = len(new) - len(old)

    def map(self, offset: int) -> int:
        if offset <= self.head:
            return offset
        if offset >= self.old_tail_start:
            return offset + self.delta
        return self.head  # inside the changed stretch: expect it where the change begins


def _row(note: Note) -> dict[str, object]:
    row = dataclasses.asdict(note)
    row["tags"] = json.dumps(list(note.tags))
    row["deleted"] = int(note.deleted)
    return row


def note_select_columns(table: str = "notes") -> str:
    """The columns of a Note, in its field order, from `table` (or its alias in a query)."""
    return ", ".join(f'{table}."{name}"' for name in _FIELDS)


def note_from_row(row: tuple) -> Note:
    """The Note of a row selected with note_select_columns."""
    return _note(row)


def _note(row: tuple) -> Note:
    data = dict(zip(_FIELDS, row, strict=False))
    data["tags"] = tuple(json.loads(data["tags"]))
    data["deleted"] = bool(data["deleted"])
    return Note(**data)
