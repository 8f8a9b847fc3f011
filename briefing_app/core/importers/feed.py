"""RSS and Atom feeds (.xml, .rss, .atom): one article per entry."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax import SAXException

import feedparser

from briefing_app.core.importers.files import UnreadableInput, read_text, unexpected_error_reason
from briefing_app.core.importers.html import fragment_to_text
from briefing_app.core.model import ArticleDraft, ImportFailure
from briefing_app.core.textnorm import normalize_text, title_from_text

# Searched in the whole file, not only before the root element: a comment in the prolog can
# hide where the root begins. A CDATA section that quotes such a declaration is refused too.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_DTD_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# A numeric character reference: "&#55296;", "&#xD800;".
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]+)|(?P<decimal>[0-9]+));")
_NO_CHARACTER = "&#xFFFD;"  # U+FFFD REPLACEMENT CHARACTER


def read_feed(path: Path) -> Iterator[ArticleDraft | ImportFailure]:
    xml = _replace_references_to_no_character(read_text(path))
    refuse_declarations(xml)
    # A file-like object: given a string, feedparser would fetch it if it looked like a URL.
    # The charset header makes feedparser decode the bytes as the UTF-8 they are, whatever
    # the XML declaration claims.
    feed = feedparser.parse(
        io.BytesIO(xml.encode("utf-8")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    if not feed.entries:
        if feed.bozo:
            raise UnreadableInput(f"malformed XML: {_parse_error(feed.bozo_exception)}")
        if not feed.version:
            raise UnreadableInput("not an RSS or Atom feed")
        raise UnreadableInput("feed has no entries")
    feed_title = _string(feed.feed, "title") or None
    # Malformed XML is read loosely, which can lose what an entry holds: its failure says so.
    malformed = ""
    if feed.bozo and isinstance(feed.bozo_exception, SAXException):
        malformed = f" (the feed is malformed XML, read loosely: {_parse_error(feed.bozo_exception)})"
    for number, entry in enumerate(feed.entries, 1):
        try:
            yield _entry_draft(entry, source=feed_title, origin=f"{path} entry {number}")
        except UnreadableInput as exc:
            yield ImportFailure(str(path), f"entry {number} ({_entry_label(entry)}): {exc.reason}{malformed}")
        except Exception as exc:  # one entry the importer fails on must not take the others with it
            reason = unexpected_error_reason(exc)
            yield ImportFailure(str(path), f"entry {number} ({_entry_label(entry)}): {reason}")


def _replace_references_to_no_character(xml: str) -> str:
    """The feed with each reference to what is no character (a surrogate, past U+10FFFF)
    made a reference to U+FFFD, as HTML parsers read it. The XML is malformed there; the
    loose parser feedparser then falls back on crashes on such a reference, which would
    cost every entry of the feed."""

    def replace(match: re.Match[str]) -> str:
        digits, base = (match["hex"], 16) if match["hex"] else (match["decimal"], 10)
        if len(digits.lstrip("0")) > 7:  # past U+10FFFF in either base
            return _NO_CHARACTER
        code = int(digits, base)
        return _NO_CHARACTER if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match[0]

    return _CHARACTER_REFERENCE.sub(replace, xml)


def refuse_declarations(xml: str) -> None:
    """Refuse entity declarations and DTD internal subsets before any parser sees them:
    nested entities expand exponentially (billion laughs), and feeds need neither."""
    if _ENTITY_DECLARATION.search(xml):
        raise UnreadableInput("XML entity declarations refused (possible entity-expansion bomb)")
    if _DTD_INTERNAL_SUBSET.search(xml):
        raise UnreadableInput("XML DTD with an internal subset refused")


def _entry_draft(entry: feedparser.FeedParserDict, source: str | None, origin: str) -> ArticleDraft:
    text, headings = _entry_text(entry)
    if not text:
        raise UnreadableInput("entry has no text")
    title = _plain(_string(entry, "title"), (entry.get("title_detail") or {}).get("type"))
    return ArticleDraft(
        text=text,
        title=" ".join(title.split()) or title_from_text(text),
        source=source,
        url=_string(entry, "link") or None,
        author=_string(entry, "author") or None,
        published=_entry_date(entry),
        headings=headings,
        origin=origin,
    )


def _entry_text(entry: feedparser.FeedParserDict) -> tuple[str, tuple[str, ...]]:
    """The entry's full content when it has any, else its summary, as plain text."""
    candidates = [(_string(part, "value"), part.get("type")) for part in entry.get("content") or ()]
    candidates.append((_string(entry, "summary"), (entry.get("summary_detail") or {}).get("type")))
    for value, content_type in candidates:
        if not value.strip():
            continue
        if content_type in _HTML_TYPES:
            text, headings = fragment_to_text(value)
        else:
            text, headings = normalize_text(value), ()
        if text:
            return text, headings
    return "", ()


def _string(fields: dict[str, Any], key: str) -> str:
    """A text field of feedparser's, "" when missing: parsing a malformed feed loosely,
    feedparser leaves None in some (an entry's summary, say)."""
    value = fields.get(key)
    return value if isinstance(value, str) else ""


def _plain(value: str, content_type: str | None) -> str:
    return fragment_to_text(value)[0] if content_type in _HTML_TYPES else value


def _entry_date(entry: feedparser.FeedParserDict) -> str | None:
    # The raw dict: feedparser's own lookup of "updated_parsed" falls back to the publication
    # date with a DeprecationWarning.
    for key in ("published", "updated"):
        parsed = dict.get(entry, f"{key}_parsed")
        if not parsed:
            continue
        try:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
        except ValueError:
            # feedparser converts to UTC, so "0001-01-01T00:00:00+14:00" lands in year 0,
            # which no calendar date has (nor has year 10000).
            raise UnreadableInput(f"date out of range: {dict.get(entry, key)!r}") from None
    return None


def _parse_error(exc: Exception) -> str:
    # A SAX error's own text starts with line and column in the document as feedparser
    # rewrote it (its DOCTYPE replaced), which would point the user to the wrong place.
    get_message = getattr(exc, "getMessage", None)
    return get_message() if get_message else str(exc)


def _entry_label(entry: feedparser.FeedParserDict) -> str:
    title = " ".join(_string(entry, "title").split())
    return repr(title) if title else "untitled"
