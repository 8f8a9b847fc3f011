"""Canonical article text and its line-based structure.

Every offset the library stores (blocks, mentions, time expressions, notes) indexes the text
returned by `normalize_text`, so that function must be deterministic and idempotent.
`detect_blocks` then labels each non-empty line of that text (title, dateline, heading,
paragraph, caption, source line), and the helpers below read metadata back from those lines.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator

from briefing_app.core.model import Block

# Unicode line and paragraph separators and NEL: Qt shows them as line breaks, so they become
# "\n" like \r\n and \r, and the widget's lines stay the lines of the canonical text.
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85]")


def normalize_text(s: str) -> str:
    """NFC text with "\\n" line ends, no BOM, no trailing spaces, no blank lines at the ends.

    The line-break and NFC passes run only when a quick look finds work for them (`in` and
    is_normalized scan at C speed; a regular expression scanning 1,000 words costs 0.1 ms),
    so a text already canonical (an importer normalised it; most are) costs little.
    """
    # Byte order marks go first: one between a letter and a combining mark would otherwise
    # keep them from composing under NFC until a second pass removed it (not idempotent).
    s = s.replace("\ufeff", "")
    if "\r" in s or "\u2028" in s or "\u2029" in s or "\x85" in s:
        s = _LINE_BREAKS.sub("\n", s)
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    lines = [line.rstrip() for line in s.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# --- dates on a line of their own -------------------------------------------------------

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_DATE_ONLY_FORMS = tuple(
    re.compile(rf"{_WEEKDAY}{form}", re.IGNORECASE)
    for form in (
        rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # March 01, 2008
        rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",  # 1 March 2008
        r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})",  # 2008-03-01
    )
)
# ISO date-times ("2008-03-01T10:00:00Z", "2008-03-01 10:00") count by their date part.
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def iso_date(value: str) -> str | None:
    """ISO "YYYY-MM-DD" of a string that is only a complete date, else None.

    Only day, month and year written out count: a missing part is never filled in from
    today (so "March 2008" or "Tuesday" give None).
    """
    value = value.strip()
    # Every form ends with a digit of the year or day, or the Z of a UTC time: most lines
    # (sentences, ending in punctuation) are told apart at once.
    if not value or not (value[-1].isdigit() or value[-1] == "Z"):
        return None
    datetime_match = _ISO_DATETIME.fullmatch(value)
    if datetime_match:
        value = datetime_match.group(1)
    for form in _DATE_ONLY_FORMS:
        match = form.fullmatch(value)
        if not match:
            continue
        month_text = match.group("month")
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        if month is None:
            return None
        try:
            return dt.date(int(match.group("year")), month, int(match.group("day"))).isoformat()
        except ValueError:  # "February 30, 2008"
            return None
    return None


# --- source lines -----------------------------------------------------------------------

_URL = re.compile(r"https?://\S+")
_SOURCE_LABEL = re.compile(r"sources?\s*:\s*(?P<rest>.+)", re.IGNORECASE)
_BASED_ON = re.compile(
    r"(?:based on|adapted from|with (?:materials|reporting) from)\s+"
    r"(?:(?:the\s+)?(?:materials|reports|reporting)\s+(?:of|from|by)\s+)?"
    # A name of a few words: "Based on the evidence, the court ruled ..." is a sentence.
    r"(?P<name>[^\s,;:!?]+(?:\s+[^\s,;:!?]+){0,4}?)(?:\s+(?:materials|reports|reporting))?\.?",
    re.IGNORECASE,
)
# A wire credit alone on a line: "(Reuters)", "(AP)", "(AFP/TASS)".
_WIRE_CREDIT = re.compile(r"\((?P<name>[A-Z][\w.&/ -]{0,39})\)")
# A licence note after the URL: "(CC BY 2.5)".
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
# How many lines at the end of an article may be source lines.
_SOURCE_LINES_AT_END = 3


def parse_source_line(line: str) -> tuple[str | None, str | None] | None:
    """(source name, url) of a source line, or None if the line is not one.

    "Based on TASS materials" -> ("TASS", None);
    "Source: Wikinews, http://en.wikinews.org/wiki/X (CC BY 2.5)" ->
    ("Wikinews", "http://en.wikinews.org/wiki/X").
    """
    line = line.strip()
    labelled = _SOURCE_LABEL.fullmatch(line)
    if labelled:
        rest = labelled.group("rest")
        url_match = _URL.search(rest)
        url = _trim_url(url_match.group(0)) if url_match else None
        name_part = rest[: url_match.start()] if url_match else _TRAILING_PARENTHESIS.sub("", rest)
        name = name_part.strip(" ,;:-–—") or None
        return name, url
    for pattern in (_BASED_ON, _WIRE_CREDIT):
        match = pattern.fullmatch(line)
        if match:
            return match.group("name").strip().rstrip("."), None
    return None


def _trim_url(url: str) -> str:
    """A URL without the sentence punctuation or the closing bracket that followed it."""
    url = url.rstrip(".,;")
    if url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1]
    return url


def source_from_blocks(text: str, blocks: Iterable[Block]) -> tuple[str | None, str | None]:
    """(source name, url) from the first source line that names either, else (None, None)."""
    for block in blocks:
        if block.kind == "source":
            name, url = parse_source_line(text[block.start : block.end]) or (None, None)
            if name or url:
                return name, url
    return None, None


# --- block detection ----------------------------------------------------------------------

_CAPTION = re.compile(
    r"(?:photo(?:graph)?|image|picture|illustration|video)(?:\s+credits?)?\s*:\s*\S.*",
    re.IGNORECASE,
)
# A list item as the importers write it ("- item", "2. item"), which is no heading.
_LIST_ITEM = re.compile(r"\s*(?:[-*•]|\d+[.)])\s")
# Closing quotes and brackets are looked past when asking how a line ends.
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = ".,;:!?…"
_TITLE_END = ".,;:…"  # a title may end with "?" or "!"
_HEADING_MAX_CHARS = 100
_HEADING_MAX_WORDS = 14
_TITLE_MAX_CHARS = 150
_TITLE_MAX_WORDS = 24


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the non-empty lines of text, without surrounding whitespace."""
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped[0])
            yield start, start + len(stripped)
        offset += len(line) + 1


def _squash(line: str) -> str:
    """A line reduced for comparing: whitespace collapsed, case folded."""
    return " ".join(line.split()).casefold()


def _is_short_unpunctuated(line: str, max_chars: int, max_words: int, ends: str) -> bool:
    core = line.rstrip(_CLOSERS)
    return (
        bool(core)
        and len(line) <= max_chars
        and len(line.split()) <= max_words
        and (line[0].isalnum() or line[0] in "\"“‘«'")
        and not _LIST_ITEM.match(line)
        and core[-1] not in ends
    )


def detect_blocks(text: str, title: str | None = None, headings: Iterable[str] = ()) -> tuple[Block, ...]:
    """One block per non-empty line of canonical text, labelled with a kind of BLOCK_KINDS.

    `title` and `headings` are what the importer knows: the article title, and the lines its
    markup marked as headings. When the markup gave headings, they are all the headings there
    are; otherwise (plain text) a heading is recognized by its shape: a short line without
    terminal punctuation, with more text after it.
    """
    spans = list(_lines(text))
    known_headings = {_squash(heading) for heading in headings}
    last = len(spans) - 1
    return tuple(
        Block(
            _kind_of_line(
                text[start:end],
                is_first=index == 0,
                has_next=index < last,
                near_end=index > last - _SOURCE_LINES_AT_END,
                title=title,
                known_headings=known_headings,
            ),
            start,
            end,
        )
        for index, (start, end) in enumerate(spans)
    )


def _kind_of_line(
    line: str,
    *,
    is_first: bool,
    has_next: bool,
    near_end: bool,
    title: str | None,
    known_headings: set[str],
) -> str:
    if iso_date(line):
        return "dateline"
    if _CAPTION.fullmatch(line):
        return "caption"
    if is_first and has_next and _is_title_line(line, title):
        return "title"
    if near_end and parse_source_line(line):
        return "source"
    if known_headings:
        return "heading" if _squash(line) in known_headings else "paragraph"
    if has_next and _is_short_unpunctuated(line, _HEADING_MAX_CHARS, _HEADING_MAX_WORDS, _SENTENCE_END):
        return "heading"
    return "paragraph"


def _is_title_line(line: str, title: str | None) -> bool:
    if title is not None and _squash(line) == _squash(title):
        return True
    return _is_short_unpunctuated(line, _TITLE_MAX_CHARS, _TITLE_MAX_WORDS, _TITLE_END)


def block_text(text: str, blocks: Iterable[Block], kind: str) -> str | None:
    """Text of the first block of that kind, or None."""
    for block in blocks:
        if block.kind == kind:
            return text[block.start : block.end]
    return None


# --- metadata from the text ---------------------------------------------------------------

# A dateline counts as the publication date only among the first lines of an article.
_DATELINE_WITHIN_LINES = 3


def published_from_dateline(text: str) -> str | None:
    """ISO date of a date-only line among the first lines of text, else None."""
    for index, (start, end) in enumerate(_lines(text)):
        if index >= _DATELINE_WITHIN_LINES:
            break
        value = iso_date(text[start:end])
        if value:
            return value
    return None


_TITLE_FROM_TEXT_CHARS = 80
# The end of a sentence: terminal punctuation (and closing quotes) then a space, unless the
# word before it is a single capital ("U.S.", "J. Smith") or a usual abbreviation.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")
_ABBREVIATION_BEFORE = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Gov|Sen|Rep|St|Jr|Sr|No|vs|etc|Inc|Corp|Ltd|Co))\.$"
)


def title_from_text(text: str) -> str:
    """A title for text without a title line: its first sentence, shortened to about 80
    characters at a word boundary with an ellipsis. Empty text gives ""."""
    first_line = next((text[start:end] for start, end in _lines(text)), "")
    sentence = first_line
    for match in _SENTENCE_BREAK.finditer(first_line):
        candidate = first_line[: match.start()]
        if not _ABBREVIATION_BEFORE.search(candidate):
            sentence = candidate
            break
    sentence = sentence.strip()
    if len(sentence) <= _TITLE_FROM_TEXT_CHARS:
        return sentence.rstrip(".")
    # One character more, so that a word ending right at the limit is kept whole.
    cut = sentence[: _TITLE_FROM_TEXT_CHARS + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else cut[:_TITLE_FROM_TEXT_CHARS]
    return cut.rstrip(" ,;:-–—") + "…"
