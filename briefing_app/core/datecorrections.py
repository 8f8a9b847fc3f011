"""The analyst's corrections of dates: "this date means ..." and "not a date".

A correction names the phrase and where it stood in the article's text, not a timex row:
extraction replaces every row, and the correction is applied again to each new extraction
(runner.py, before it is saved). When the text moved (a re-imported edition), the phrase's
occurrence nearest to where it stood is taken; a phrase gone from the text is left alone.

Corrected time expressions carry the anchor CORRECTED and are shown as such. Dates whose year
(or week) was inferred from the tense carry a "tense:..." anchor (extract/anchors.py);
`inference_reason` words it for the timeline's tooltip.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefing_app.core.extract.anchors import INFERRED_ANCHORS
from briefing_app.core.model import Article, Extraction, TimeExpr
from briefing_app.core.store import Library

CORRECTED = "corrected"  # the anchor of a time expression the analyst corrected

# The precisions the analyst can give a date, and what a value of each looks like.
PRECISIONS = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
    "year": re.compile(r"^\d{4}$"),
}


@dataclass(frozen=True)
class DateCorrection:
    start: int
    end: int
    phrase: str
    value: str | None  # None: "not a date"
    granularity: str | None = None


def value_for(day: dt.date, precision: str) -> str:
    """The TIMEX value of `day` at a precision: (2009-10-12, "month") -> "2009-10"."""
    if precision == "day":
        return day.isoformat()
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if precision == "year":
        return f"{day.year:04d}"
    raise ValueError(f"unknown precision {precision!r} (day, month, quarter or year)")


def check_value(value: str, precision: str) -> None:
    """Raises ValueError with one clear line when `value` is not a date of that precision."""
    pattern = PRECISIONS.get(precision)
    if pattern is None:
        raise ValueError(f"unknown precision {precision!r} (day, month, quarter or year)")
    if not pattern.match(value):
        raise ValueError(f"{value!r} is not a {precision} (like {value_for(dt.date(2009, 6, 5), precision)})")
    if precision in ("day", "month"):
        try:
            dt.date.fromisoformat(value if precision == "day" else value + "-01")
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the calendar") from None


def corrections_for(library: Library, article_id: int) -> list[DateCorrection]:
    rows = library.db.execute(
        'SELECT start, "end", phrase, value, granularity FROM date_corrections '
        "WHERE article_id = ? ORDER BY start",
        [article_id],
    ).fetchall()
    return [DateCorrection(*row) for row in rows]


def save_correction(library: Library, article_id: int, correction: DateCorrection) -> None:
    """Store (or replace) the correction of the phrase at its place; one transaction."""
    if correction.value is not None:
        check_value(correction.value, correction.granularity or "")
    with library.write():
        library.db.execute(
            'INSERT INTO date_corrections (article_id, start, "end", phrase, value, granularity, created_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            'ON CONFLICT (article_id, start, phrase) DO UPDATE SET "end" = excluded."end", '
            "value = excluded.value, granularity = excluded.granularity, created_at = excluded.created_at",
            [
                article_id,
                correction.start,
                correction.end,
                correction.phrase,
                correction.value,
                correction.granularity,
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            ],
        )


def _locate(text: str, correction: DateCorrection) -> tuple[int, int] | None:
    """Where the corrected phrase is now: its old place, else its nearest occurrence."""
    phrase = correction.phrase
    if text[correction.start : correction.end] == phrase:
        return correction.start, correction.end
    found = [m.start() for m in re.finditer(re.escape(phrase), text)] if phrase else []
    if not found:
        return None
    start = min(found, key=lambda position: abs(position - correction.start))
    return start, start + len(phrase)


def apply_corrections(text: str, extraction: Extraction, corrections: Sequence[DateCorrection]) -> Extraction:
    """The extraction with the analyst's corrections in place of what the tagger found.

    A correction replaces every time expression overlapping its phrase; "not a date" leaves
    none. Events are rebuilt over the same sentences.
    """
    if not corrections:
        return extraction
    timexes = list(extraction.timexes)
    for correction in corrections:
        where = _locate(text, correction)
        if where is None:
            continue
        start, end = where
        timexes = [t for t in timexes if t.end <= start or t.start >= end]
        if correction.value is not None:
            timexes.append(
                TimeExpr(
                    start,
                    end,
                    text[start:end],
                    correction.value,
                    correction.granularity or "day",
                    None,
                    CORRECTED,
                )  # fmt: skip
            )
    timexes.sort(key=lambda t: t.start)
    # Imported here: the window imports this module at start, and the extraction rules (their
    # pattern tables) are needed only when a correction is applied.
    from briefing_app.core.extract.events import build_events

    events = build_events(text, timexes, _sentences(text, extraction))
    return dataclasses.replace(extraction, timexes=tuple(timexes), events=tuple(events))


def _sentences(text: str, extraction: Extraction) -> list[tuple[int, int]]:
    """The sentences the events were built on, and the plain splitter's elsewhere."""
    from briefing_app.core.extract.timex import split_sentences  # see apply_corrections' import

    known = sorted({(e.start, e.end) for e in extraction.events})
    spans: list[tuple[int, int]] = []
    for span in sorted(known + split_sentences(text)):
        if not spans or span[0] >= spans[-1][1]:
            spans.append(span)
        elif span in known and spans[-1] not in known:
            spans[-1] = span  # the parser's sentence wins over the splitter's
    return spans


def corrected(library: Library, article: Article, extraction: Extraction) -> Extraction:
    """The extraction of `article` with the analyst's date corrections applied (runner.py)."""
    return apply_corrections(article.text, extraction, corrections_for(library, article.id))


def correct_stored(library: Library, article_id: int, correction: DateCorrection) -> bool:
    """Save a correction and apply it to the article's stored extraction at once (no model
    needed), in one transaction; returns whether the article had an extraction to correct."""
    with library.write():
        save_correction(library, article_id, correction)
        article = library.get_article(article_id)
        if not article.extracted_with:
            return False
        stored = Extraction(
            tuple(library.mentions(article_id)),
            tuple(library.timexes(article_id)),
            tuple(library.events(article_id)),
            article.extracted_with,
        )
        return library.save_extraction(article_id, corrected(library, article, stored), text_uid=article.uid)


def inference_reason(timex: TimeExpr, published: str | None) -> str | None:
    """Why the date is what it is, when its year or week was not written: "year from future
    tense; published 2009-06-05". None for dates written in full, and corrected ones."""
    if timex.anchor == CORRECTED:
        return "corrected by the analyst"
    reason = INFERRED_ANCHORS.get(timex.anchor)
    if reason is None:
        return "counted from the date before it in the text" if timex.anchor == "previous" else None
    if timex.granularity == "day" and _is_weekday_name(timex.text):
        reason = reason.replace("year", "week")
        if timex.anchor == "tense:none":
            reason = "no tense to go by: the last such day up to publication"
    return f"{reason}; published {published}" if published else reason


def _is_weekday_name(text: str) -> bool:
    return bool(re.search(r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", text)) and not re.search(
        r"\d", text
    )


def is_inferred(timex: TimeExpr) -> bool:
    """Whether the year (or week) of the date was inferred rather than written."""
    return timex.anchor in INFERRED_ANCHORS or (
        timex.anchor == "previous" and timex.granularity in ("day", "month")
    )
