"""Briefings kept in the library (the `briefings` table): what the composer saves, so a
briefing can be opened, edited and exported again, from the window or `briefing briefings`."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from briefing_app.core.export.briefing import GROUPINGS, BriefingOptions
from briefing_app.core.export.entry import Selection
from briefing_app.core.notes import format_timestamp, utc_now
from briefing_app.core.store import Library, LibraryError

SECTIONS = ("key_entities", "timeline", "sources")


class BriefingNotFound(LibraryError):
    """No saved briefing has that id."""


@dataclass(frozen=True)
class SavedBriefing:
    id: int | None  # None until it is saved
    options: BriefingOptions
    selection: Selection
    created: str = ""
    updated: str = ""

    def describe_selection(self) -> str:
        """e.g. "tag 'wagner', 12 chosen notes" or "every note"."""
        s = self.selection
        parts = []
        if s.article_ids is not None:
            parts.append(
                f"article{'s' if len(s.article_ids) != 1 else ''} {', '.join(map(str, s.article_ids))}"
            )
        if s.tag is not None:
            parts.append(f"tag {s.tag!r}")
        if s.entity is not None:
            parts.append(f"entity {s.entity!r}")
        if s.date_from or s.date_to:
            parts.append(f"published {s.date_from or '…'} to {s.date_to or '…'}")
        if s.note_uuids is not None:
            parts.append(f"{len(s.note_uuids)} chosen note{'s' if len(s.note_uuids) != 1 else ''}")
        return ", ".join(parts) or "every note"


class BriefingStore:
    """Save, read, list and delete the library's briefings."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def save(self, briefing: SavedBriefing) -> SavedBriefing:
        """Insert it (id None) or replace the one with its id; returns it as stored."""
        now = format_timestamp(utc_now())
        row = _row(briefing)
        with self.library.write() as library:
            if briefing.id is None:
                cursor = library.db.execute(
                    f"INSERT INTO briefings ({', '.join(row)}, created, updated) "
                    f"VALUES ({', '.join('?' for _ in row)}, ?, ?)",
                    [*row.values(), now, now],
                )
                return replace(briefing, id=cursor.lastrowid, created=now, updated=now)
            assignments = ", ".join(f"{column} = ?" for column in row)
            cursor = library.db.execute(
                f"UPDATE briefings SET {assignments}, updated = ? WHERE id = ?",
                [*row.values(), now, briefing.id],
            )
            if cursor.rowcount == 0:
                raise BriefingNotFound(f"no briefing {briefing.id} in {self.library.path}")
        return replace(briefing, updated=now)

    def get(self, briefing_id: int) -> SavedBriefing:
        row = self.library.db.execute(
            f"SELECT {_COLUMNS} FROM briefings WHERE id = ?", [briefing_id]
        ).fetchone()
        if row is None:
            raise BriefingNotFound(f"no briefing {briefing_id} in {self.library.path}")
        return _saved(row)

    def all(self) -> list[SavedBriefing]:
        """Every saved briefing, the last changed first."""
        rows = self.library.db.execute(f"SELECT {_COLUMNS} FROM briefings ORDER BY updated DESC, id DESC")
        return [_saved(row) for row in rows.fetchall()]

    def delete(self, briefing_id: int) -> None:
        with self.library.write() as library:
            if library.db.execute("DELETE FROM briefings WHERE id = ?", [briefing_id]).rowcount == 0:
                raise BriefingNotFound(f"no briefing {briefing_id} in {self.library.path}")


_COLUMNS = "id, title, author, date, handling, summary, selection, group_by, sections, created, updated"


def _row(briefing: SavedBriefing) -> dict[str, Any]:
    options, selection = briefing.options, briefing.selection
    chosen = {
        "article_ids": list(selection.article_ids) if selection.article_ids is not None else None,
        "tag": selection.tag,
        "entity": selection.entity,
        "date_from": selection.date_from,
        "date_to": selection.date_to,
        "note_uuids": list(selection.note_uuids) if selection.note_uuids is not None else None,
    }
    return {
        "title": options.title,
        "author": options.author,
        "date": options.date,
        "handling": options.handling,
        "summary": options.summary,
        "selection": json.dumps({key: value for key, value in chosen.items() if value is not None}),
        "group_by": options.group_by,
        "sections": json.dumps([name for name in SECTIONS if getattr(options, name)]),
    }


def _saved(row: tuple[Any, ...]) -> SavedBriefing:
    (briefing_id, title, author, day, handling, summary, selection, group_by, sections, created, updated) = (
        row
    )
    chosen = json.loads(selection or "{}")
    shown = set(json.loads(sections or "[]"))
    options = BriefingOptions(
        title=title,
        author=author,
        date=day,
        handling=handling,
        summary=summary,
        group_by=group_by if group_by in GROUPINGS else "article",
        key_entities="key_entities" in shown,
        timeline="timeline" in shown,
        sources="sources" in shown,
    )
    article_ids = chosen.get("article_ids")
    note_uuids = chosen.get("note_uuids")
    return SavedBriefing(
        briefing_id,
        options,
        Selection(
            article_ids=tuple(article_ids) if article_ids is not None else None,
            tag=chosen.get("tag"),
            entity=chosen.get("entity"),
            date_from=chosen.get("date_from"),
            date_to=chosen.get("date_to"),
            note_uuids=tuple(note_uuids) if note_uuids is not None else None,
        ),
        created,
        updated,
    )
