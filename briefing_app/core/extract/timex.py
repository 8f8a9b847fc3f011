"""Time expressions -> TIMEX3-style values, with HeidelTime's news strategy.

How it works, and why it is cheap:
1. A fixed set of compiled patterns proposes candidate spans (one `finditer` per pattern over
   the whole text; nothing is compiled or parsed per call or per token).
2. Of overlapping candidates the longest wins ("September 6, 2023" over "September 6").
3. A modifier right before a kept span is absorbed into it: "early 2009" (START), "mid-2011"
   (MID), "the end of March" (END), "around 2010" (APPROX). "before"/"after" set BEFORE/AFTER
   but stay outside the span: they are TimeML signals, like "since" and "until", which the
   event builder reads from the text.
4. Candidates are resolved in text order, so "two days later" can use the previous date.

Anchoring:
- "absolute": the text alone gives the value (also PRESENT_REF and the like).
- "publication": resolved against `published` ("yesterday", "last year").
- "tense:past", "tense:future", "tense:none": a bare weekday or a year-less date ("Monday",
  "September 6") resolved against `published` by the tense of the verb nearest before it in
  its sentence (else after it): past -> the most recent such day on or before publication,
  future -> the next on or after it. The tense comes from the model's tagger when the caller
  gives a tense reader (tense.py), else from word lists. With no tense cue a bare weekday is
  past (news mostly reports what happened) and a month is that of the year of publication.
- "dateline": a full date alone on one of the first lines; it dates the article (and is its
  publication date when it has none), never an event.
- "previous": resolved against the previous date in the text ("two days later", or a year-less
  date when there is no publication date).
- "unresolved": relative and no anchor; value None. Never guessed from today.

Spans and values follow MEANTIME/TimeML: "September 6, 2023" whole, "Monday" alone; weeks are
ISO weeks ("2004-W47"), parts of day are suffixes ("2008-01-09TMO"), decades "199", centuries
"18" (the 19th century).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple, TypeVar

from briefing_app.core.extract.anchors import DATELINE, inferred_anchor
from briefing_app.core.model import TimeExpr
from briefing_app.core.paths import RESOURCES_DIR

# --------------------------------------------------------------------------- vocabulary

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_ORDER = ("SP", "SU", "FA", "WI")  # a year's winter starts in its December
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

# Month names are matched capitalized only: "may", "march" and "august" are also words.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_FULL_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_PREFIX = rf"(?:{_WEEKDAY},?\s+)?"  # "Monday, March 3" is one expression


def _day(name: str) -> str:
    return rf"(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"


_YEAR = r"(?:1\d{3}|20\d{2})"
_YEAR_REF = (
    r"(?:\d{4}|(?i:(?:this|last|next|the\s+(?:current|previous|following|same|past|coming))"
    r"\s+year|the\s+year))"
)
_NUMBER = r"(?:\d{1,3}|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
_NUMBER += r"|twelve|fifteen|twenty|thirty|forty|fifty|hundred))"
_ORDINAL = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))

# Counted things a bare number is usually about: "2000 employees" is not a year.
_QUANTITY_AFTER = (
    r"(?!\s*(?:%|(?i:(?:percent|per\s*cent|km|kg|mi|ft|lbs?|mph|hp|sq|people|persons|employees"
    r"|jobs|workers|staff|troops|soldiers|officers|police|units|tons|tonnes|metres|meters|feet"
    r"|miles|kilometres|kilometers|dollars|euros|pounds|yuan|yen|roubles|rubles|barrels|acres"
    r"|hectares|votes|seats|cases|deaths|passengers|vehicles|cars|homes|houses|pages|words"
    r"|points|students|children|residents|members|copies|items|calories|hours|rpm|gmt|utc"
    r")\b)))"
)

# Words right before a bare month or an old year that make it a time expression. "May" is
# also a name ("Theresa May"), so it takes only the words that rarely precede a name.
_TEMPORAL_CUE_BEFORE = re.compile(
    r"(?i)\b(?:in|on|since|until|till|by|of|during|through|throughout|from|to|and|or|last"
    r"|next|this|early|mid|late|before|after|between|for|around|circa|c\.)[\s-]+$"
)
_MAY_CUE_BEFORE = re.compile(
    r"(?i)\b(?:in|since|until|till|during|through|throughout|of|last|next|this|early|mid|late)"
    r"[\s-]+$"
)
_MODIFIER_BEFORE = re.compile(
    r"(?i)(?:\b(?P<phrase>(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|close)\s+of)\s+"
    r"|\b(?P<edge>(?:the\s+)?(?:early|mid|late))(?:\s+|-)"
    r"|\b(?P<approx>around|about|circa|approximately|roughly)\s+|\bc\.\s*"
    r"|\b(?P<order>before|after|prior\s+to)\s+)$"
)
_MODIFIER_WINDOW = 40
_EDGE_MODS = {"early": "START", "mid": "MID", "late": "END"}
_PHRASE_MODS = {"beginning": "START", "start": "START", "middle": "MID", "end": "END",
                "close": "END"}  # fmt: skip

# Tense cues (see _Context.tense_at). Future ones are found first so that "is expected to" is
# not read as the past participle "expected".
_FUTURE_CUES = re.compile(
    r"(?i)(?:\b(?:will|won't|shall)|'ll)(?:\s+(?:not|also|then|still|be))*\s+\w+"  # "will be held"
    r"|\b(?:going\s+to|(?:is|are|be)\s+(?:set|due|scheduled|slated|expected|poised"
    r"|planning|planned|going)|plans?\s+to|to\s+be\s+\w+|upcoming|next)\b"
)
_PAST_CUES = re.compile(
    r"(?i)\b(?:was|were|had|did|said|told|began|made|took|went|came|gave|saw|won|lost|left"
    r"|met|held|sold|bought|became|got|rose|fell|paid|sent|spent|built|brought|found|struck"
    r"|flew|ran|spoke|wrote|fought|chose|drove|grew|knew|threw|broke|stole|wore|shook|forgot"
    r"|sat|stood|led|fled|kept|felt|meant|taught|caught|thought|sought|won|beat|hit|ago|last"
    r"|yesterday"
    r"|(?!(?:need|speed|indeed|hundred|proceed|exceed|succeed|united|limited|feed|seed|breed"
    r"|shed|embed)\b)\w{2,}ed)\b"
)

# Sentence ends: terminal punctuation (and closing quotes) before a capital, or a line break.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n+")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr gen col lt sgt capt gov sen rep prof inc corp co ltd no vs jan feb "
    "mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e".split()
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (whitespace trimmed), for callers that have no parser's sentences."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith(".") and _ends_with_abbreviation(text, m.start()):
            continue
        _append_trimmed(spans, text, start, m.end())
        start = m.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    last_words = text[max(0, dot - 6) : dot].rsplit(None, 1)[-1:] or [""]
    word = last_words[0].lower().lstrip("(\"'")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


# --------------------------------------------------------------------------- resolution


class _Point(NamedTuple):
    """A resolved calendar date that later expressions may be anchored to."""

    day: date  # first day of the month or year for coarser granularities
    granularity: str  # day | month | year


_CALENDAR_VALUE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?![\d])")


def _point_of(value: str | None) -> _Point | None:
    """The calendar date a value starts on, as precise as it says: "2023-Q3" gives 2023."""
    m = _CALENDAR_VALUE.match(value or "")
    if m is None:
        return None
    year, month, day = m.groups()
    granularity = "day" if day else "month" if month else "year"
    return _Point(date(int(year), int(month or 1), int(day or 1)), granularity)


class _Resolution(NamedTuple):
    value: str | None
    granularity: str
    anchor: str


_Resolver = Callable[["_Context", int, int], "_Resolution | None"]


@dataclass
class _Candidate:
    start: int
    end: int
    resolve: _Resolver
    mod: str | None = None
    # The ends of a range ("2022-2023"): they compete for the span as one, then stand alone.
    parts: tuple[_Candidate, ...] = ()


def _range(*parts: _Candidate) -> _Candidate:
    return _Candidate(parts[0].start, parts[-1].end, parts[0].resolve, parts=parts)


def _unresolved(granularity: str) -> _Resolution:
    return _Resolution(None, granularity, "unresolved")


def _day_value(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _day_resolution(d: date, anchor: str, part_of_day: str | None = None) -> _Resolution:
    suffix = f"T{PARTS_OF_DAY[part_of_day]}" if part_of_day else ""
    return _Resolution(_day_value(d) + suffix, "day", anchor)


def _month_resolution(year: int, month: int, anchor: str) -> _Resolution:
    return _Resolution(f"{year:04d}-{month:02d}", "month", anchor)


def _year_resolution(year: int, anchor: str) -> _Resolution | None:
    if not 1 <= year <= 9999:
        return None
    return _Resolution(f"{year:04d}", "year", anchor)


def _week_value(d: date) -> str:
    iso_year, iso_week, _ = d.isocalendar()
    return f"{iso_year:04d}-W{iso_week:02d}"


def _shift_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class _Context:
    """What resolution needs besides the match: anchors and the tense of sentences."""

    def __init__(
        self,
        text: str,
        published: date | None,
        sentences: Sequence[tuple[int, int]],
        tense_reader: Callable[[int, int], list[tuple[int, str]]] | None = None,
    ):
        self.text = text
        self._tense_reader = tense_reader
        self.published = published
        self.previous: _Point | None = None
        # The last value resolved, as written ("2009-Q1"), and where its expression ended.
        self.previous_value: tuple[str, int] | None = None
        self._sentences = sentences
        self._sentence_starts = [s for s, _ in sentences]
        self._tense_by_sentence: dict[int, list[tuple[int, str]]] = {}
        self._numeric_day_first: bool | None = None
        self._numeric_order_known = False

    def tense_at(self, start: int, end: int) -> str | None:
        """ "past", "future" or None for the expression at [start, end).

        The nearest cue before it in its sentence decides ("announced Friday that it will"),
        else the nearest after it ("On Monday, the company said").
        """
        i = bisect.bisect_right(self._sentence_starts, start) - 1
        if i < 0:
            return None
        cues = self._tense_by_sentence.get(i)
        if cues is None:
            cues = self._tense_by_sentence[i] = self._tense_cues(*self._sentences[i])
        before = [tense for position, tense in cues if position < start]
        if before:
            return before[-1]
        after = [tense for position, tense in cues if position >= end]
        return after[0] if after else None

    def _tense_cues(self, start: int, end: int) -> list[tuple[int, str]]:
        """(position, tense) of the sentence's cues, in text order: from the model's tagger
        when there is one (tense.py), else from the word lists below."""
        if self._tense_reader is not None:
            return self._tense_reader(start, end)
        sentence = self.text[start:end]
        future = [(m.start(), m.end()) for m in _FUTURE_CUES.finditer(sentence)]
        cues = [(start + s, "future") for s, _ in future]
        for m in _PAST_CUES.finditer(sentence):
            if not any(s <= m.start() < e for s, e in future):
                cues.append((start + m.start(), "past"))
        return sorted(cues)

    def numeric_day_first(self) -> bool | None:
        """Whether the text writes numeric dates day first, judged by its unambiguous ones."""
        if not self._numeric_order_known:
            self._numeric_order_known = True
            for m in _NUMERIC_DATE.finditer(self.text):
                first, second = int(m["a"]), int(m["b"])
                if first > 12 >= second:
                    self._numeric_day_first = True
                    break
                if second > 12 >= first:
                    self._numeric_day_first = False
                    break
        return self._numeric_day_first


# What _pick_by_tense chooses among: days, or (year, month) pairs.
_Choice = TypeVar("_Choice", date, tuple[int, int])
_Fallback = TypeVar("_Fallback")


def _pick_by_tense(
    candidates: list[_Choice], reference: _Choice, tense: str | None, fallback: _Fallback
) -> _Choice | _Fallback:
    """The candidate nearest to `reference` on the side the tense points to."""
    if tense == "past":
        earlier = [c for c in candidates if c <= reference]
        return max(earlier) if earlier else fallback
    if tense == "future":
        later = [c for c in candidates if c >= reference]
        return min(later) if later else fallback
    return fallback


def _yearless(month: int, day: int | None) -> _Resolver:
    """ "September 6" or "October": the year comes from publication (by tense) or the text."""

    def resolve(ctx: _Context, start: int, end: int) -> _Resolution | None:
        granularity = "month" if day is None else "day"
        pub = ctx.published
        if pub is not None:
            tense = ctx.tense_at(start, end)
            anchor = inferred_anchor(tense)
            years = (pub.year - 1, pub.year, pub.year + 1)
            if day is None:
                year_month = _pick_by_tense([(y, month) for y in years], (pub.year, pub.month),
                                            tense, (pub.year, month))  # fmt: skip
                return _month_resolution(year_month[0], month, anchor)
            dates = [d for y in years if (d := _safe_date(y, month, day))]
            chosen = _pick_by_tense(dates, pub, tense, _safe_date(pub.year, month, day))
            return _day_resolution(chosen, anchor) if chosen else None
        if ctx.previous is not None:
            year = ctx.previous.day.year
            if day is None:
                return _month_resolution(year, month, "previous")
            chosen = _safe_date(year, month, day)
            return _day_resolution(chosen, "previous") if chosen else None
        return _unresolved(granularity)

    return resolve


def _absolute_day(year: int, month: int, day: int) -> _Resolver | None:
    found = _safe_date(year, month, day)
    if found is None:
        return None
    return lambda ctx, start, end: _day_resolution(found, "absolute")


def _constant(value: str, granularity: str) -> _Resolver:
    return lambda ctx, start, end: _Resolution(value, granularity, "absolute")


def _weekday(weekday: int, relation: str | None, part_of_day: str | None) -> _Resolver:
    """ "last Friday", "next Monday", or a bare "Wednesday" read by the tense around it."""

    def resolve(ctx: _Context, start: int, end: int) -> _Resolution:
        pub = ctx.published
        if pub is None:
            return _unresolved("day")
        back = (pub.weekday() - weekday) % 7
        ahead = (weekday - pub.weekday()) % 7
        if relation == "last":
            found = pub - timedelta(days=back or 7)
        elif relation == "next":
            found = pub + timedelta(days=ahead or 7)
        elif relation == "coming":
            found = pub + timedelta(days=ahead)
        else:  # a bare weekday: its week is inferred from the tense
            tense = ctx.tense_at(start, end)
            found = pub + timedelta(days=ahead) if tense == "future" else pub - timedelta(days=back)
            return _day_resolution(found, inferred_anchor(tense), part_of_day)
        return _day_resolution(found, "publication", part_of_day)

    return resolve


_UNIT_GRANULARITY = {"day": "day", "week": "week", "weekend": "week", "month": "month",
                     "quarter": "quarter", "year": "year", "decade": "decade"}  # fmt: skip
# What an anchor must know for an offset in a unit: "two days later" needs a day.
_ANCHOR_NEEDS = {"day": ("day",), "week": ("day",), "weekend": ("day",),
                 "month": ("day", "month"), "quarter": ("day", "month"),
                 "year": ("day", "month", "year"), "decade": ("day", "month", "year")}  # fmt: skip


def _anchor_date(ctx: _Context, unit: str, anchor: str) -> tuple[date | None, str]:
    """The date an offset counts from, and which anchor it is; (None, "unresolved") if none.

    `anchor` is "publication", "previous", or "previous_or_publication" ("the following
    year": the previous date in the text if there is one, else the publication date).
    """
    previous = ctx.previous
    if anchor != "publication" and previous and previous.granularity in _ANCHOR_NEEDS[unit]:
        return previous.day, "previous"
    if anchor != "previous" and ctx.published is not None:
        return ctx.published, "publication"
    return None, "unresolved"


def _offset(unit: str, amount: int, anchor: str, part_of_day: str | None = None) -> _Resolver:
    """A calendar unit shifted from the publication date or from the previous date."""

    def resolve(ctx: _Context, start: int, end: int) -> _Resolution | None:
        base, used = _anchor_date(ctx, unit, anchor)
        if base is None:
            return _unresolved(_UNIT_GRANULARITY[unit])
        return _shift(base, unit, amount, used, part_of_day)

    return resolve


def _shift(base: date, unit: str, amount: int, anchor: str, part_of_day: str | None) -> _Resolution | None:
    if unit == "day":
        return _day_resolution(base + timedelta(days=amount), anchor, part_of_day)
    if unit in ("week", "weekend"):
        value = _week_value(base + timedelta(weeks=amount))
        return _Resolution(value + ("-WE" if unit == "weekend" else ""), "week", anchor)
    if unit == "month":
        return _month_resolution(*_shift_months(base.year, base.month, amount), anchor)
    if unit == "quarter":
        index = base.year * 4 + (base.month - 1) // 3 + amount
        return _Resolution(f"{index // 4:04d}-Q{index % 4 + 1}", "quarter", anchor)
    if unit == "year":
        return _year_resolution(base.year + amount, anchor)
    return _Resolution(f"{base.year // 10 + amount:03d}", "decade", anchor)


def _year_ref(text: str) -> tuple[str, int]:
    """("absolute", 2023) for "2023"; (anchor, offset) for "last year", "the same year"..."""
    words = text.lower().split()
    if words[0].isdigit():
        return "absolute", int(words[0])
    relation = " ".join(words[:-1])
    offsets = {"this": ("publication", 0), "the current": ("publication", 0),
               "the": ("publication", 0), "last": ("publication", -1),
               "the past": ("publication", -1), "next": ("publication", 1),
               "the coming": ("publication", 1),
               "the previous": ("previous_or_publication", -1),
               "the following": ("previous_or_publication", 1),
               "the same": ("previous_or_publication", 0)}  # fmt: skip
    return offsets[relation]


def _in_year(year_text: str | None, build: Callable[[int], str], granularity: str) -> _Resolver:
    """A part of a year ("the third quarter of 2023", "May of last year", "Q3")."""
    anchor, number = _year_ref(year_text) if year_text else ("publication", 0)
    if anchor == "absolute":
        return _constant(build(number), granularity)
    year_of = _offset("year", number, anchor)

    def resolve(ctx: _Context, start: int, end: int) -> _Resolution:
        year = year_of(ctx, start, end)
        if year is None or year.value is None:
            return _unresolved(granularity)
        return _Resolution(build(int(year.value)), granularity, year.anchor)

    return resolve


# --------------------------------------------------------------------------- patterns
# Each handler turns a match into a candidate, or None to drop it.

_Handler = Callable[[re.Match[str], str], "_Candidate | None"]
_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...], _Handler]] = []


def _pattern(regex: str, needs: tuple[str, ...] = ()) -> Callable[[_Handler], _Handler]:
    """Register a handler; `needs`: lowercase words one of which any match contains, so that
    a pattern is not run over texts that lack them (scanning is most of the tagger's time)."""

    def register(handler: _Handler) -> _Handler:
        _PATTERNS.append((re.compile(regex), needs, handler))
        return handler

    return register


def _month_number(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


@_pattern(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)", needs=("-",))
def _iso_date(m: re.Match[str], text: str) -> _Candidate | None:
    resolver = _absolute_day(int(m["y"]), int(m["m"]), int(m["d"]))
    return _Candidate(m.start(), m.end(), resolver) if resolver else None


_NUMERIC_DATE = re.compile(
    r"(?<![\d./])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?![\d/]|\.\d)"
)


@_pattern(_NUMERIC_DATE.pattern, needs=("/", "."))
def _numeric_date(m: re.Match[str], text: str) -> _Candidate | None:
    """01/03/2008, 7/8/07, 01.03.2008: day-first or month-first is decided per text."""
    if m["sep"] == "." and len(m["y"]) == 2:
        return None  # "1.2.12" is a version number more often than a date
    year = int(m["y"])
    if len(m["y"]) == 2:
        year += 1900 if year >= 70 else 2000
    first, second, dotted = int(m["a"]), int(m["b"]), m["sep"] == "."
    readings = [d for d in (_safe_date(year, first, second), _safe_date(year, second, first)) if d]
    if not readings:
        return None

    def resolve(ctx: _Context, start: int, end: int) -> _Resolution:
        month_first, day_first = readings[0], readings[-1]
        if len(readings) == 1 or month_first == day_first:
            chosen = readings[0]
        elif (order := ctx.numeric_day_first()) is not None:
            chosen = day_first if order else month_first
        elif dotted:
            chosen = day_first  # dotted dates are a day-first (European) convention
        elif (published := ctx.published) is not None:
            chosen = min(readings, key=lambda d: abs((d - published).days))
        else:
            chosen = month_first  # the convention of US news, and dateparser's default
        return _day_resolution(chosen, "absolute")

    return _Candidate(m.start(), m.end(), resolve)


@_pattern(rf"\b{_WEEKDAY_PREFIX}(?P<mon>{_MONTH})\s+{_day('d')}(?:\s*,\s*|\s+)(?P<y>\d{{4}})(?!\d)")
def _month_day_year(m: re.Match[str], text: str) -> _Candidate | None:
    resolver = _absolute_day(int(m["y"]), _month_number(m["mon"]), int(m["d"]))
    return _Candidate(m.start(), m.end(), resolver) if resolver else None


@_pattern(
    rf"\b{_WEEKDAY_PREFIX}(?:the\s+)?{_day('d')}(?:\s+of)?\s+(?P<mon>{_MONTH}),?\s+(?P<y>\d{{4}})"
    r"(?!\d)"
)
def _day_month_year(m: re.Match[str], text: str) -> _Candidate | None:
    return _month_day_year(m, text)


# What follows "September 11" when it names the attacks, not a day.
_ATTACKS_AFTER = re.compile(
    r"\s*(?:-\s*)?(?i:(?:terror(?:ist)?\s+|style\s+)?(?:attacks?|hijack\w*|commission|plot|terror"
    r"|victims|memorial|era|generation)\b)"
)


@_pattern(rf"\b{_WEEKDAY_PREFIX}(?P<mon>{_MONTH})\s+{_day('d')}\b")
def _month_day(m: re.Match[str], text: str) -> _Candidate | None:
    if _ATTACKS_AFTER.match(text, m.end()):
        return None  # "the September 11 attacks", "the September 11 commission"
    return _Candidate(m.start(), m.end(), _yearless(_month_number(m["mon"]), int(m["d"])))


@_pattern(rf"\b{_WEEKDAY_PREFIX}(?:the\s+)?{_day('d')}(?:\s+of)?\s+(?P<mon>{_MONTH})(?!\w)")
def _day_month(m: re.Match[str], text: str) -> _Candidate | None:
    return _month_day(m, text)


@_pattern(
    rf"\b(?P<mon>{_MONTH})\s+{_day('d1')}\s*(?:[-–—]|to|through|and|until)\s*{_day('d2')}"
    r"(?:,?\s+(?P<y>\d{4}))?\b"
)
def _month_day_range(m: re.Match[str], text: str) -> _Candidate | None:
    """ "June 3-5, 2023": two days, "June 3" and "5, 2023"."""
    month = _month_number(m["mon"])
    parts = []
    for group, start, end in (("d1", m.start(), m.end("d1")), ("d2", m.start("d2"), m.end())):
        day = int(m[group])
        resolver = _absolute_day(int(m["y"]), month, day) if m["y"] else _yearless(month, day)
        if resolver is None:
            return None
        parts.append(_Candidate(start, end, resolver))
    return _range(*parts)


@_pattern(rf"\b(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR_REF})(?!\d)")
def _month_year(m: re.Match[str], text: str) -> _Candidate | None:
    month = _month_number(m["mon"])
    return _Candidate(m.start(), m.end(),
                      _in_year(m["y"], lambda y: f"{y:04d}-{month:02d}", "month"))  # fmt: skip


@_pattern(
    rf"\b(?P<m1>{_MONTH})\s*(?:[-–—/]|to|through|and|until|till)\s*(?P<m2>{_MONTH}),?\s+"
    r"(?P<y>\d{4})(?!\d)"
)
def _month_range(m: re.Match[str], text: str) -> _Candidate | None:
    """ "June to August 2023": the year written once belongs to both months."""
    year = m["y"]
    first, second = _month_number(m["m1"]), _month_number(m["m2"])
    return _range(
        _Candidate(m.start(), m.end("m1"), _constant(f"{year}-{first:02d}", "month")),
        _Candidate(m.start("m2"), m.end(), _constant(f"{year}-{second:02d}", "month")),
    )


@_pattern(rf"\b(?P<mon>{_FULL_MONTH})\b")
def _bare_month(m: re.Match[str], text: str) -> _Candidate | None:
    """ "in October": needs a temporal word before it ("June Carter", "the March rally")."""
    cue = _MAY_CUE_BEFORE if m["mon"] == "May" else _TEMPORAL_CUE_BEFORE
    if not cue.search(text, max(0, m.start() - 20), m.start()) or text.startswith("'s", m.end()):
        return None
    return _Candidate(m.start(), m.end(), _yearless(_month_number(m["mon"]), None))


@_pattern(rf"(?<![\w$£€¥#])(?<!\d[-–.,:/])(?P<y>{_YEAR})(?![\w%]|[.,:/]\d|[-–]\d)" + _QUANTITY_AFTER)
def _bare_year(m: re.Match[str], text: str) -> _Candidate | None:
    if _is_part_of_a_name(text, m.start()):
        return None
    year = int(m["y"])
    if year < 1900 and not _TEMPORAL_CUE_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        return None  # "1500" alone is more often a count than a year
    return _Candidate(m.start(), m.end(), _constant(m["y"], "year"))


# Names whose versions or members are numbered like years: "Windows 2000", "Russell 2000".
# Events named with their year ("WWDC 2005", "Euro 2008") are dates and are not here.
_NUMBERED_NAMES = frozenset(
    "Windows Office Server Russell Nikkei FTSE Stoxx STOXX DAX CAC Wilshire Hang Seng".split()
)
_NAME_BEFORE = re.compile(r"(?P<name>[A-Z][\w&.+-]*)\s+$")


@cache
def _product_names() -> frozenset[str]:
    """Product names of the gazetteer (resources/gazetteers/products.txt)."""
    path = RESOURCES_DIR / "gazetteers" / "products.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_part_of_a_name(text: str, start: int) -> bool:
    """Whether the number at `start` is the number of a product or an index, not a year."""
    m = _NAME_BEFORE.search(text, max(0, start - 30), start)
    if m is None:
        return False
    return m["name"] in _NUMBERED_NAMES or m["name"] in _product_names()


@_pattern(
    r"\b(?P<y1>1\d{3}|20\d{2})(?P<sep>[-–—/])(?P<y2>\d{4}|\d{2})(?![-–/.]?\d)",
    needs=("-", "–", "—", "/"),
)
def _year_range(m: re.Match[str], text: str) -> _Candidate | None:
    """ "2022-2023", "2022–23": two years; "2024-07" (no range) is a month."""
    first = int(m["y1"])
    second = int(m["y2"]) if len(m["y2"]) == 4 else first // 100 * 100 + int(m["y2"])
    if first < second < first + 100:
        return _range(
            _Candidate(m.start(), m.end("y1"), _constant(m["y1"], "year")),
            _Candidate(m.start("y2"), m.end(), _constant(f"{second:04d}", "year")),
        )
    if m["sep"] == "-" and len(m["y2"]) == 2 and 1 <= int(m["y2"]) <= 12:
        return _Candidate(m.start(), m.end(), _constant(f"{m['y1']}-{m['y2']}", "month"))
    return None


# "1980s", "the '90s", and with an apostrophe, as many write it: "1980's".
@_pattern(
    r"\b(?:(?i:the)\s+)?(?:(?P<c>1\d|20)(?P<d>\d)|['’](?P<short>\d))0['’]?s\b", needs=("0s", "0's", "0’s")
)
def _decade(m: re.Match[str], text: str) -> _Candidate | None:
    if m["short"] is not None:
        digit = int(m["short"])
        value = f"{19 if digit >= 3 else 20}{digit}"  # "the '90s" -> 199, "the '20s" -> 202
    else:
        value = m["c"] + m["d"]
    return _Candidate(m.start(), m.end(), _constant(value, "decade"))


@_pattern(
    rf"(?i)\b(?:the\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{_ORDINAL}))[\s-]+century\b",
    needs=("century",),
)
def _century(m: re.Match[str], text: str) -> _Candidate | None:
    number = int(m["n"]) if m["n"] else ORDINAL_WORDS[m["w"].lower()]
    if not 1 <= number <= 30:
        return None
    return _Candidate(m.start(), m.end(), _constant(f"{number - 1:02d}", "century"))


_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "final": 4, "last": 4}  # fmt: skip


@_pattern(
    r"(?i)\b(?:the\s+)?(?P<q>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[\s-]+quarter"
    rf"\b(?:\s+of\s+(?P<y>{_YEAR_REF}))?",
    needs=("quarter",),
)
def _quarter(m: re.Match[str], text: str) -> _Candidate | None:
    q = m["q"].lower()
    if q == "last" and not m["y"]:
        return _Candidate(m.start(), m.end(), _offset("quarter", -1, "publication"))
    return _Candidate(m.start(), m.end(), _quarter_of(_QUARTERS[q], m["y"]))


def _quarter_of(number: int, year_text: str | None) -> _Resolver:
    return _in_year(year_text, lambda y: f"{y:04d}-Q{number}", "quarter")


@_pattern(r"\bQ(?P<q>[1-4])(?:(?:\s+|[-/']|\s+of\s+)?(?P<y>\d{4}))?\b", needs=("q1", "q2", "q3", "q4"))
def _quarter_short(m: re.Match[str], text: str) -> _Candidate | None:
    return _Candidate(m.start(), m.end(), _quarter_of(int(m["q"]), m["y"]))


@_pattern(
    rf"(?i)\b(?:the\s+)?(?P<h>first|second|1st|2nd)\s+half\s+of\s+(?P<y>{_YEAR_REF})",
    needs=("half",),
)
def _half(m: re.Match[str], text: str) -> _Candidate | None:
    number = 1 if m["h"].lower() in ("first", "1st") else 2
    resolver = _in_year(m["y"], lambda y: f"{y:04d}-H{number}", "half")
    return _Candidate(m.start(), m.end(), resolver)


_SEASON = r"(?P<s>spring|summer|autumn|fall|winter)"


@_pattern(rf"(?i)\b(?:the\s+)?{_SEASON}(?:\s+of)?\s+(?P<y>{_YEAR})\b", needs=tuple(SEASONS))
def _season_of_year(m: re.Match[str], text: str) -> _Candidate | None:
    season = SEASONS[m["s"].lower()]
    return _Candidate(m.start(), m.end(), _constant(f"{m['y']}-{season}", "season"))


@_pattern(rf"(?i)\b(?P<rel>last|this|next|this\s+past|this\s+coming)\s+{_SEASON}\b", needs=tuple(SEASONS))
def _relative_season(m: re.Match[str], text: str) -> _Candidate | None:
    season = SEASON_ORDER.index(SEASONS[m["s"].lower()])
    relation = m["rel"].lower().split()[-1]

    def resolve(ctx: _Context, start: int, end: int) -> _Resolution:
        pub = ctx.published
        if pub is None:
            return _unresolved("season")
        # Seasons as a running index: winter of year Y covers December Y to February Y+1.
        current = (pub.year * 12 + pub.month - 3) // 3
        options = [y * 4 + season for y in (pub.year - 1, pub.year, pub.year + 1)]
        if relation in ("last", "past"):
            chosen = max(o for o in options if o < current)
        elif relation in ("next", "coming"):
            chosen = min(o for o in options if o > current)
        else:
            chosen = min(options, key=lambda o: (abs(o - current), o < current))
        value = f"{chosen // 4:04d}-{SEASON_ORDER[chosen % 4]}"
        return _Resolution(value, "season", "publication")

    return _Candidate(m.start(), m.end(), resolve)


@_pattern(
    r"(?i)\b(?:(?P<day>today|tonight|yesterday|tomorrow)(?:\s+(?P<pod>morning|afternoon|evening"
    r"|night))?|this\s+(?P<this>morning|afternoon|evening)|last\s+(?P<night>night))\b"
)
def _relative_day(m: re.Match[str], text: str) -> _Candidate | None:
    word = (m["day"] or "").lower()
    amount = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
    part = (m["pod"] or m["this"] or "").lower() or None
    if word == "tonight":
        part = "night"
    if m["night"]:
        amount, part = -1, "night"
    return _Candidate(m.start(), m.end(), _offset("day", amount, "publication", part))


@_pattern(
    rf"\b(?:(?P<rel>(?i:last|next|this\s+past|this\s+coming|this|coming))\s+)?(?P<wd>{_WEEKDAY})"
    r"(?!s\b)(?:\s+(?P<pod>(?i:morning|afternoon|evening|night)))?\b"
)
def _weekday_name(m: re.Match[str], text: str) -> _Candidate | None:
    if not m["rel"] and _NAMED_DAY_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        return None  # "Black Monday", "Super Tuesday": names of days, not dates
    relation = m["rel"].lower().split()[-1] if m["rel"] else None
    aliases: dict[str | None, str | None] = {"past": "last", "this": None}
    relation = aliases.get(relation, relation)
    weekday = WEEKDAYS.index(m["wd"].lower())
    part = m["pod"].lower() if m["pod"] else None
    return _Candidate(m.start(), m.end(), _weekday(weekday, relation, part))


# Words that make a weekday the name of a day in history or of a custom.
_NAMED_DAY_BEFORE = re.compile(r"\b(?:Black|Bloody|Cyber|Super|Good|Ash|Holy|Maundy|Easter|Blue)\s+$")

_RELATIONS = {"last": ("publication", -1), "this": ("publication", 0), "next": ("publication", 1),
              "the previous": ("previous_or_publication", -1),
              "the preceding": ("previous_or_publication", -1),
              "the following": ("previous_or_publication", 1),
              "the next": ("previous_or_publication", 1),
              "the same": ("previous_or_publication", 0)}  # fmt: skip


@_pattern(
    r"(?i)(?<!\bthe\s)\b(?P<rel>last|this|next|the\s+(?:previous|preceding|following|same|next))"
    r"\s+(?P<unit>day|week|weekend|month|quarter|year|decade)\b",
    needs=("last", "this", "next", "previous", "preceding", "following", "same"),
)
def _relative_unit(m: re.Match[str], text: str) -> _Candidate | None:
    """ "last year", "this month", "next week", "the following day"."""
    relation = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    if unit == "day" and not relation.startswith("the "):
        return None  # "this day", "next day" are idioms
    if relation == "the next" and unit != "day":
        return None  # "the next year" is often a duration
    anchor, amount = _RELATIONS[relation]
    return _Candidate(m.start(), m.end(), _offset(unit, amount, anchor))


@_pattern(
    rf"(?i)\b(?P<n>{_NUMBER})\s+(?P<unit>day|week|month|year|decade)s?\s+"
    r"(?P<dir>ago|earlier|later)\b(?!\s+than)",
    needs=("ago", "earlier", "later"),
)
def _counted_offset(m: re.Match[str], text: str) -> _Candidate | None:
    """ "two years ago" from publication; "three days later" from the previous date."""
    raw = m["n"].lower()
    amount = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    direction = m["dir"].lower()
    if direction == "ago":
        if m["unit"].lower() == "week":  # "a week ago" names a day: seven before publication
            return _Candidate(m.start(), m.end(), _offset("day", -7 * amount, "publication"))
        return _Candidate(m.start(), m.end(), _offset(m["unit"].lower(), -amount, "publication"))
    amount = amount if direction == "later" else -amount
    return _Candidate(m.start(), m.end(), _offset(m["unit"].lower(), amount, "previous"))


@_pattern(
    r"(?i)\b(?:the\s+)?(?:very\s+)?(?P<part>beginning|start|end|middle|close)\s+of\s+"
    r"(?P<rel>the|this|last|next)\s+(?P<unit>week|month|year|decade)\b",
    needs=("beginning", "start", "end", "middle", "close"),
)
def _part_of_unit(m: re.Match[str], text: str) -> _Candidate | None:
    """ "the beginning of the year": in news, "the year" is the year of publication."""
    relation = m["rel"].lower()
    amount = {"last": -1, "next": 1}.get(relation, 0)
    candidate = _Candidate(m.start(), m.end(), _offset(m["unit"].lower(), amount, "publication"))
    candidate.mod = _PHRASE_MODS[m["part"].lower()]
    return candidate


_SAME_UNIT_UNITS = {"day": "day", "week": "week", "month": "month", "quarter": "quarter",
                    "period": "year", "time": "year"}  # fmt: skip


@_pattern(
    r"(?i)\bthe\s+same\s+(?P<unit>day|week|month|quarter|period|time)\s+(?:(?:of\s+)?(?:the\s+)?"
    r"(?:last|previous|prior)\s+year|a\s+year\s+(?:ago|earlier|before))\b",
    needs=("same",),
)
def _same_unit_last_year(m: re.Match[str], text: str) -> _Candidate | None:
    """ "the same month a year ago", "the same period last year": a year before publication,
    at the unit's precision (a period: the year)."""
    unit = _SAME_UNIT_UNITS[m["unit"].lower()]

    def resolve(ctx: _Context, start: int, end: int) -> _Resolution | None:
        if m["unit"].lower() in ("period", "time") and (named := _period_named_before(ctx, start)):
            return named
        pub = ctx.published
        if pub is None:
            return _unresolved(_UNIT_GRANULARITY[unit])
        if unit == "day":
            day = _safe_date(pub.year - 1, pub.month, pub.day) or pub - timedelta(days=365)
            return _day_resolution(day, "publication")
        if unit == "week":
            return _Resolution(_week_value(pub - timedelta(weeks=52)), "week", "publication")
        return _shift(pub, unit, {"month": -12, "quarter": -4, "year": -1}[unit], "publication", None)

    return _Candidate(m.start(), m.end(), resolve)


# How far back "the same period" looks for the period it means ("the first quarter ... the
# same period last year"): about two sentences.
_PERIOD_WINDOW = 300
_PART_OF_YEAR = re.compile(r"^(?P<y>\d{4})(?P<part>-(?:Q[1-4]|H[12]|\d{2}))$")


def _period_named_before(ctx: _Context, start: int) -> _Resolution | None:
    """The quarter, half or month named shortly before, a year earlier."""
    if ctx.previous_value is None:
        return None
    value, end = ctx.previous_value
    m = _PART_OF_YEAR.match(value)
    if m is None or start - end > _PERIOD_WINDOW:
        return None
    granularity = "quarter" if "Q" in value else "half" if "H" in value else "month"
    return _Resolution(f"{int(m['y']) - 1:04d}{m['part']}", granularity, "previous")


_WEEK_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1, "final": -1}


@_pattern(
    rf"\b(?:(?i:the)\s+)?(?P<which>(?i:first|second|third|fourth|last|final))\s+(?i:week)\s+of\s+"
    rf"(?P<mon>{_MONTH})(?:,?\s+(?P<y>\d{{4}}))?(?!\w)",
    needs=("week",),
)
def _week_of_month(m: re.Match[str], text: str) -> _Candidate | None:
    """ "the last week of March": the ISO week whose Thursday is the month's last (or first,
    second...) Thursday; the year as written, else as for "March" alone."""
    month = _month_number(m["mon"])
    which = _WEEK_ORDINALS[m["which"].lower()]
    year_of: _Resolver = _constant(m["y"], "year") if m["y"] else _yearless(month, None)

    def resolve(ctx: _Context, start: int, end: int) -> _Resolution | None:
        year = year_of(ctx, start, end)
        if year is None or year.value is None:
            return _unresolved("week")
        number = int(year.value[:4])
        thursdays = [d for day in range(1, 32) if (d := _safe_date(number, month, day)) and d.weekday() == 3]
        index = which - 1 if which > 0 else which
        if not -len(thursdays) <= index < len(thursdays):
            return _unresolved("week")
        return _Resolution(_week_value(thursdays[index]), "week", year.anchor)

    return _Candidate(m.start(), m.end(), resolve)


@_pattern(
    r"(?i)\bthe\s+(?P<unit>day|week|month|year)\s+(?P<dir>before|after)(?=\s*(?:[,.;:!?)]|$|and\b|when\b))",
    needs=("before", "after"),
)
def _unit_before(m: re.Match[str], text: str) -> _Candidate | None:
    """ "the year before", "the day after": from the date before it in the text, else the
    publication date."""
    amount = -1 if m["dir"].lower() == "before" else 1
    return _Candidate(m.start(), m.end(), _offset(m["unit"].lower(), amount, "previous_or_publication"))


@_pattern(
    r"(?i)\b(?:(?P<edge>late|early|earlier|later)\s+(?:in\s+)?(?:the|that)\s+day"
    r"|(?<=\b(?:on|by|of)\s)that\s+(?:same\s+)?day|(?<=\buntil\s)that\s+day)\b",
    needs=("day",),
)
def _that_day(m: re.Match[str], text: str) -> _Candidate | None:
    """ "that day", "late in the day": the last full date of the text, else the publication day."""
    candidate = _Candidate(m.start(), m.end(), _offset("day", 0, "previous_or_publication"))
    edge = (m["edge"] or "").lower()
    candidate.mod = {"late": "END", "later": "END", "early": "START", "earlier": "START"}.get(edge)
    return candidate


@_pattern(
    r"(?i)\b(?:(?P<present>now|currently|nowadays|at\s+present|presently|these\s+days)"
    r"|(?P<past>recently|lately|recent\s+(?:years|months|weeks)|the\s+past)"
    r"|(?P<future>the\s+future))\b(?!\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?|decades?))"
)
def _reference(m: re.Match[str], text: str) -> _Candidate | None:
    value = "PRESENT_REF" if m["present"] else "PAST_REF" if m["past"] else "FUTURE_REF"
    return _Candidate(m.start(), m.end(), _constant(value, "ref"))


# --------------------------------------------------------------------------- driver


def _candidates(text: str) -> Iterator[_Candidate]:
    lowered = text.lower()
    for regex, needs, handler in _PATTERNS:
        if needs and not any(word in lowered for word in needs):
            continue
        for m in regex.finditer(text):
            if (candidate := handler(m, text)) is not None:
                yield candidate


def _longest_non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start, c.start - c.end)):
        if kept and c.start < kept[-1].end:
            if c.end - c.start > kept[-1].end - kept[-1].start:
                kept[-1] = c
            continue
        kept.append(c)
    return kept


def _absorb_modifier(text: str, c: _Candidate, floor: int) -> _Candidate:
    """Widen to "early 2009", "the end of March", "around 2010"; note "before 2025"."""
    if c.mod is not None:
        return c
    m = _MODIFIER_BEFORE.search(text, max(floor, c.start - _MODIFIER_WINDOW), c.start)
    if m is None:
        return c
    if m["order"]:
        return replace(c, mod="BEFORE" if m["order"].lower() != "after" else "AFTER")
    if m["edge"]:
        mod = _EDGE_MODS[m["edge"].lower().split()[-1]]
    elif m["phrase"]:
        mod = _PHRASE_MODS[m["phrase"].lower().split()[-2]]
    else:
        mod = "APPROX"
    return replace(c, start=m.start(), mod=mod)


# How far into the text a dateline may be: after a title and a byline at most.
_DATELINE_LINES = 4
# A place before the date on a dateline: "MOSCOW, ", "Paris (Reuters) - ".
_DATELINE_PLACE = re.compile(r"\s*(?:[A-Z][\w.'’ -]{0,40}?(?:\s*\([\w .]{1,30}\))?\s*[,:–—-]\s*)?")


def _dateline(text: str, ctx: _Context, kept: list[_Candidate]) -> _Candidate | None:
    """The first date written in full alone on one of the first lines (a place before it
    allowed), in a text of more than that line."""
    for candidate in kept:
        if candidate.parts or text.count("\n", 0, candidate.start) >= _DATELINE_LINES:
            return None
        line_start = text.rfind("\n", 0, candidate.start) + 1
        line_end = text.find("\n", candidate.end)
        if line_end == -1 and line_start == 0:
            return None  # the whole text is one line: nothing for it to head
        after = text[candidate.end : len(text) if line_end == -1 else line_end]
        if after.strip(" .\t") or not _DATELINE_PLACE.fullmatch(text, line_start, candidate.start):
            continue
        resolution = candidate.resolve(ctx, candidate.start, candidate.end)
        if resolution is not None and resolution.granularity == "day" and resolution.anchor == "absolute":
            return candidate
    return None


def _parse_published(published: str | None) -> date | None:
    if not published or not isinstance(published, str):  # a number from a JSON line: no date
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def extract_timexes(
    text: str,
    published: str | None = None,
    sentences: Sequence[tuple[int, int]] | None = None,
    hints: Sequence[tuple[int, int]] = (),
    tense_reader: Callable[[int, int], list[tuple[int, str]]] | None = None,
) -> list[TimeExpr]:
    """Time expressions of `text` in text order, resolved against `published` (YYYY-MM-DD).

    `sentences` (char spans, e.g. spaCy's) are used to read tense; split here when None.
    `hints` (spaCy DATE spans) are accepted for callers that have them; the rules above find
    what they would add, so they are not used. `tense_reader(start, end)` gives the tense cues
    of a sentence (tense.py reads them from the model); without it, word lists do.
    """
    ctx = _Context(text, _parse_published(published), sentences or split_sentences(text), tense_reader)
    timexes: list[TimeExpr] = []
    previous_end = 0
    kept = _longest_non_overlapping(list(_candidates(text)))
    dateline = _dateline(text, ctx, kept)
    dateline_value = dateline.resolve(ctx, dateline.start, dateline.end) if dateline else None
    if dateline_value is not None and ctx.published is None:
        # The article's date, when it has none: what "Monday" and "last year" count from.
        ctx.published = _parse_published(dateline_value.value)
    for candidate in (part for c in kept for part in (c.parts or (c,))):
        if candidate is dateline and dateline_value is not None:
            timexes.append(
                TimeExpr(
                    candidate.start,
                    candidate.end,
                    text[candidate.start : candidate.end],
                    dateline_value.value,
                    "day",
                    None,
                    DATELINE,
                )  # fmt: skip
            )
            previous_end = candidate.end
            continue
        candidate = _absorb_modifier(text, candidate, previous_end)
        try:
            resolution = candidate.resolve(ctx, candidate.start, candidate.end)
        except (OverflowError, ValueError):
            # Date arithmetic past year 1 or 9999 ("a day after December 31, 9999"): no
            # date to give, and one odd sentence must not stop the article's extraction.
            resolution = _unresolved("day")
        if resolution is None:
            continue
        ctx.previous = _point_of(resolution.value) or ctx.previous
        if resolution.value is not None and resolution.granularity != "ref":
            ctx.previous_value = (resolution.value, candidate.end)
        previous_end = candidate.end
        timexes.append(
            TimeExpr(
                candidate.start,
                candidate.end,
                text[candidate.start : candidate.end],
                resolution.value,
                resolution.granularity,
                candidate.mod,
                resolution.anchor,
            )  # fmt: skip
        )
    return timexes
