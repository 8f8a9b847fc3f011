"""Notes as W3C Web Annotations (JSON-LD), out and back in.

Each note is an Annotation: its Markdown body a TextualBody with purpose "commenting", each
tag a TextualBody with purpose "tagging", its passage a SpecificResource on the article with a
TextQuoteSelector and a TextPositionSelector (as Hypothesis writes them), its colour a
styleClass defined by the annotation's CSS stylesheet (model section 4.4). The article is its
URL when it has one, else urn:briefing:article:<content hash>. A note's uuid is its id
(urn:uuid:...), so importing what was exported changes nothing, and an export of the imported
notes is the same JSON.

An import never fails on a hostile file: what cannot become a note is skipped with the reason,
and the search for passages that are no longer in their article is bounded in time
(IMPORT_SEARCH_SECONDS for the whole file); their notes are kept as orphans.
"""

from __future__ import annotations

import json
import time
import uuid as uuidlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefing_app.core.anchoring import ORPHANED, Anchor, make_anchor, reanchor
from briefing_app.core.display import printable
from briefing_app.core.model import AnchorState, Note
from briefing_app.core.notes import (
    DEFAULT_COLOR,
    NOTE_COLORS,
    NoteNotFound,
    NoteStore,
    clean_tags,
    format_timestamp,
    utc_now,
)
from briefing_app.core.store import Library

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_URN_PREFIX = "urn:briefing:article:"
COLLECTION_LABEL = "Briefing Reader notes"
MARKDOWN = "text/markdown"
# Collection and page ids derive from their annotations' ids, so the same notes always give
# the same JSON.
_ID_NAMESPACE = uuidlib.UUID("5d0c4a7e-1f0b-4c47-9a7f-6b1c8e2f3a90")
# Seconds one import may spend looking for passages that are not where their annotation says
# (the approximate search); after that, a passage not found exactly makes an orphan.
IMPORT_SEARCH_SECONDS = 5.0


@dataclass
class W3CImportReport:
    """What an import did with each annotation; ids are note uuids."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (annotation id, reason)
    # Notes kept without a place: their passage was not found in the article. (uuid, reason)
    orphaned: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        counts = (
            f"{len(self.imported)} imported, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )
        return f"{counts}; {len(self.orphaned)} orphaned" if self.orphaned else counts


class _Skip(Exception):
    """An annotation that cannot become a note; the message says why."""


# -- export ------------------------------------------------------------------------------


def export_w3c(library: Library, notes: Iterable[Note], label: str = COLLECTION_LABEL) -> dict:
    """An AnnotationCollection of the notes, in the order given.

    A note whose article was removed from the library has nothing left to point at and is
    left out, as are tombstones.
    """
    sources: dict[int, str] = {}
    items = []
    for note in notes:
        if note.article_id is None or note.deleted:
            continue
        if note.article_id not in sources:
            sources[note.article_id] = _article_source(library, note.article_id)
        items.append(note_to_annotation(note, sources[note.article_id]))
    collection_uuid = uuidlib.uuid5(_ID_NAMESPACE, "\n".join(item["id"] for item in items))
    collection: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:uuid:{collection_uuid}",
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
    }
    if items:  # an empty collection has no pages (model section 5.1)
        collection["first"] = {
            "id": f"urn:uuid:{uuidlib.uuid5(collection_uuid, 'page 1')}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
    return collection


def note_to_annotation(note: Note, source: str) -> dict:
    bodies: list[dict[str, str]] = []
    if note.body:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": note.body, "format": MARKDOWN}
        )
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in note.tags]
    target: dict[str, Any] = {"source": source}
    if note.quote:
        selectors: list[dict[str, Any]] = [
            {
                "type": "TextQuoteSelector",
                "exact": note.quote,
                "prefix": note.prefix,
                "suffix": note.suffix,
            }
        ]
        if note.start is not None and note.end is not None:
            selectors.append({"type": "TextPositionSelector", "start": note.start, "end": note.end})
        target["selector"] = selectors
    target["styleClass"] = note.color
    annotation: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:uuid:{note.uuid}",
        "type": "Annotation",
        "motivation": "commenting" if note.body else "highlighting",
        "created": note.created,
        "modified": note.updated,
    }
    if bodies:
        annotation["body"] = bodies
    annotation["target"] = target
    shade = NOTE_COLORS.get(note.color, "transparent")
    annotation["stylesheet"] = {
        "type": "CssStylesheet",
        "value": f".{note.color} {{ background-color: {shade}; }}",
    }
    return annotation


def _article_source(library: Library, article_id: int) -> str:
    uid, url = library.article_uid_and_url(article_id)
    return url or f"{ARTICLE_URN_PREFIX}{uid}"


# -- import ------------------------------------------------------------------------------


def read_annotation_file(path: Path) -> Any:
    """The parsed JSON of an annotations file; ValueError with one line naming it if it cannot
    be read (missing, not UTF-8, not JSON, nested too deeply, an integer over 4,300 digits)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read W3C annotations ({exc})") from None
    except RecursionError:
        raise ValueError(f"{path}: cannot read W3C annotations (JSON nested too deeply)") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise ValueError(f"{path}: cannot read W3C annotations ({exc})") from None


def import_w3c(
    library: Library, data: dict | list, search_seconds: float = IMPORT_SEARCH_SECONDS
) -> W3CImportReport:
    """Bring annotations into the library as notes, all in one transaction.

    `data` is an AnnotationCollection, an AnnotationPage, one Annotation or a list of them;
    anything else (or a collection whose pages are elsewhere) raises ValueError.
    A note with the annotation's uuid is updated only when the annotation is newer; one whose
    content is the same is left as it is. Annotations on articles not in the library, or
    without a text selector this library understands, are skipped with the reason. Passages
    not found (in `search_seconds` of approximate search for the whole import) make orphans.
    """
    store = library.notes
    report = W3CImportReport()
    deadline = time.monotonic() + search_seconds
    with library.write():
        for index, annotation in enumerate(_annotations(data), 1):
            try:
                note = _note_from_annotation(library, annotation, deadline)
                _merge(store, note, report)
            except _Skip as skip:
                report.skipped.append((_annotation_label(annotation, index), printable(str(skip))))
                continue
            if note.anchor_state == ORPHANED:
                late = time.monotonic() > deadline
                report.orphaned.append((note.uuid, _ORPHAN_LATE if late else _ORPHAN_NOT_FOUND))
    return report


_ORPHAN_NOT_FOUND = "its passage is not in the article; the note is kept without a place"
_ORPHAN_LATE = "its passage was not found in the time an import may search; the note is kept without a place"


def _annotation_label(annotation: object, index: int) -> str:
    if isinstance(annotation, dict) and isinstance(annotation.get("id"), str):
        return printable(annotation["id"])
    return f"annotation {index}"


def _annotations(data: object) -> list:
    """The annotations of a collection, a page, a list or one annotation (a loop, not a
    recursion: a hostile file may nest collections as deep as the JSON parser allows)."""
    while isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        first = data.get("first")
        if first is None:
            return []
        if isinstance(first, str):
            raise ValueError(
                f"the collection's first page is elsewhere ({printable(first)}): nothing to read"
            )
        data = first
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ValueError("not W3C annotations: expected a JSON object or list")
    if data.get("type") == "AnnotationPage":
        items = data.get("items", [])
        return items if isinstance(items, list) else [items]
    return [data]


def _merge(store: NoteStore, note: Note, report: W3CImportReport) -> None:
    """Add the note, or replace the library's note of the same uuid if this one is newer."""
    try:
        existing = store.get(note.uuid)
    except NoteNotFound:
        existing = None
    if existing is None:
        store.save(note)
        report.imported.append(note.uuid)
    elif _same_content(existing, note):
        report.unchanged.append(note.uuid)
    elif _instant(existing.updated) > _instant(note.updated):
        raise _Skip("the note in the library was changed or deleted after this annotation")
    else:
        store.save(note)
        report.updated.append(note.uuid)


def _same_content(existing: Note, imported: Note) -> bool:
    """Same passage, text, colour and tags, and not a tombstone: nothing to write."""
    fields = ("article_id", "start", "end", "quote", "prefix", "suffix", "body", "color", "tags")
    return not existing.deleted and all(getattr(existing, name) == getattr(imported, name) for name in fields)


def _note_from_annotation(library: Library, annotation: object, deadline: float | None = None) -> Note:
    if not isinstance(annotation, dict) or not _is_annotation(annotation.get("type")):
        raise _Skip("not an Annotation")
    note_uuid = _note_uuid(annotation.get("id"))
    target = _single(annotation.get("target"), "target")
    if isinstance(target, str):
        target = {"source": target}
    if not isinstance(target, dict) or not isinstance(target.get("source"), str):
        raise _Skip("its target has no source")
    article_id, text = _find_article(library, target["source"])
    anchor, state = _anchor(text, _selectors(target.get("selector")), deadline)
    body, tags = _body_and_tags(annotation)
    _unicode(anchor.quote + anchor.prefix + anchor.suffix, "its passage")
    _unicode(body + "".join(tags), "its body")
    style = target.get("styleClass")
    created = _timestamp(annotation.get("created")) or format_timestamp(utc_now())
    return Note(
        uuid=note_uuid,
        article_id=article_id,
        start=anchor.start,
        end=anchor.end,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        body=body,
        color=style if isinstance(style, str) and style in NOTE_COLORS else DEFAULT_COLOR,
        tags=tags,
        created=created,
        updated=_timestamp(annotation.get("modified")) or created,
        anchor_state=state,
    )


def _unicode(value: str, what: str) -> str:
    """`value`, unless it has a lone surrogate: JSON can escape one, but it is not text that
    the library (UTF-8) can store."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _Skip(f"{what} is not valid Unicode (a lone surrogate at {exc.start})") from None
    return value


def _is_annotation(kind: object) -> bool:
    # JSON-LD allows several types: ["Annotation", "oa:Annotation"].
    return kind == "Annotation" or (isinstance(kind, list) and "Annotation" in kind)


def _note_uuid(annotation_id: object) -> str:
    """The note's uuid: the one in a urn:uuid id, else one derived from the id, so that
    importing the same foreign annotations twice updates rather than duplicates."""
    if not isinstance(annotation_id, str) or not annotation_id:
        raise _Skip("the annotation has no id")
    _unicode(annotation_id, "its id")
    if annotation_id.lower().startswith("urn:uuid:"):
        try:
            return str(uuidlib.UUID(annotation_id[len("urn:uuid:") :]))
        except ValueError:
            pass
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, annotation_id))


def _single(value: object, what: str) -> object:
    if isinstance(value, list):
        if len(value) != 1:
            raise _Skip(f"it has {len(value)} {what}s; a note has one")
        return value[0]
    return value


def _find_article(library: Library, source: str) -> tuple[int, str]:
    source = _unicode(source, "its source")
    if source.startswith(ARTICLE_URN_PREFIX):
        found = library.article_text_by_uid(source.removeprefix(ARTICLE_URN_PREFIX))
    else:
        found = library.article_text_by_url(source)
    if found is None:
        raise _Skip(f"no article in the library is {source}")
    return found


def _selectors(value: object) -> dict[str, dict]:
    """The selectors by type; a SpecificResource may give one or several alternatives."""
    selectors = value if isinstance(value, list) else [value] if value else []
    return {
        selector["type"]: selector
        for selector in selectors
        if isinstance(selector, dict) and isinstance(selector.get("type"), str)
    }


def _anchor(
    text: str, selectors: dict[str, dict], deadline: float | None = None
) -> tuple[Anchor, AnchorState]:
    """Where the note goes in the article's text: (anchor, anchor state)."""
    quote_selector = selectors.get("TextQuoteSelector")
    position = _position(selectors.get("TextPositionSelector"))
    if quote_selector is None:
        if position is None:
            if selectors:
                raise _Skip(f"no text selector among {', '.join(sorted(selectors))}")
            return Anchor(quote=""), "anchored"  # a note on the whole article
        start, end = position
        if not 0 <= start < end <= len(text):
            raise _Skip(f"its position {start}:{end} is outside the article")
        return make_anchor(text, start, end), "anchored"
    exact = quote_selector.get("exact")
    if not isinstance(exact, str) or not exact:
        raise _Skip("its TextQuoteSelector has no exact text")
    old = Anchor(
        quote=exact,
        prefix=_string(quote_selector.get("prefix")),
        suffix=_string(quote_selector.get("suffix")),
        start=position[0] if position else None,
        end=position[1] if position else None,
    )
    placed = reanchor(text, old, deadline=deadline)
    if placed.start is None or placed.end is None:
        return Anchor(old.quote, old.prefix, old.suffix), ORPHANED
    return make_anchor(text, placed.start, placed.end), placed.state


def _position(selector: dict | None) -> tuple[int, int] | None:
    if selector is None:
        return None
    start, end = selector.get("start"), selector.get("end")
    if not (type(start) is int and type(end) is int):  # bool is an int subclass: not a position
        raise _Skip("its TextPositionSelector has no integer start and end")
    return start, end


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _body_and_tags(annotation: dict) -> tuple[str, tuple[str, ...]]:
    """The Markdown text of the comments and the tags of an annotation's bodies."""
    comments: list[str] = []
    tags: list[str] = []
    if isinstance(annotation.get("bodyValue"), str):
        comments.append(annotation["bodyValue"])
    bodies = annotation.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue  # an external resource: the note cannot hold it
        if body.get("purpose") == "tagging":
            tags.append(body["value"])
        else:
            comments.append(body["value"])
    return "\n\n".join(comments), clean_tags(tags)


def _timestamp(value: object) -> str | None:
    """An xsd:dateTime as notes store it (UTC, milliseconds); None when missing or invalid."""
    if not isinstance(value, str):
        return None
    try:
        return format_timestamp(_instant(value))
    except (ValueError, OverflowError):  # OverflowError: year 1 moved to UTC falls off the calendar
        return None


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    # A time without zone is taken as UTC, as notes write it.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
