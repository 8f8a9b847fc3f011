"""Dated events: the sentence around one time expression, or around a range of two.

- "between 2022 and 2023", "from 2022 to 2023", "2022-2023": one event from 2022 to 2023.
- "since 2024" (also "from 2024" with no end, "after 2024"): date_start 2024, date_end None,
  mod "since".
- "until 2025" ("till", "through", "by", "before"): date_start None, date_end 2025, mod "until".
- Otherwise a point: date_start == date_end, mod the expression's own (START for "early 2009").
- Several mentions of the same date in one sentence make one event.
- Reference words (PRESENT_REF, "recent years") make no event; relative expressions that could
  not be resolved make events with no date, which sort last.

Order (event_sort_key): by start date; at the same start the coarser comes first ("2024" before
"2024-01-28", as a year heading its days); then by position in the text; unresolved last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from briefing_app.core.extract.timex import DATELINE, split_sentences
from briefing_app.core.model import Event, TimeExpr

# Between the two ends of a range, and before its first end.
_RANGE_JOIN = re.compile(r"\s*(?:[-–—/]|to|through|until|till|and)\s*", re.IGNORECASE)
_RANGE_OPENER = re.compile(r"(?i)\b(?:between|from)\s+$")
_SINCE = re.compile(r"(?i)\b(?:since|from|after|starting(?:\s+in)?|beginning(?:\s+in)?)\s+$")
_UNTIL = re.compile(r"(?i)\b(?:until|till|through|by|before|prior\s+to|up\s+to)\s+$")
_SIGNAL_WINDOW = 30

# Coarse before fine at the same start date.
_GRANULARITY_RANK = {"century": 0, "decade": 1, "year": 2, "half": 3, "quarter": 4,
                     "season": 5, "month": 6, "week": 7, "day": 8}  # fmt: skip
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_VALUE = re.compile(
    r"^(?P<y>\d{2,4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2}))?|Q(?P<q>[1-4])|H(?P<h>[12])"
    r"|(?P<s>SP|SU|FA|WI)|W(?P<w>\d{2})))?"
)


def value_sort_key(value: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) where a TIMEX value starts, 0 for unknown parts; None if not a date.

    "199" (the 1990s) -> (1990, 0, 0); "2023-Q3" -> (2023, 7, 0); "2004-W47" -> its Monday;
    "2008-01-09TMO" -> (2008, 1, 9).
    """
    m = _VALUE.match(value or "")
    if m is None:
        return None
    digits = m["y"]
    year = int(digits) * 10 ** (4 - len(digits))  # decades "199", centuries "19"
    if m["m"]:
        return year, int(m["m"]), int(m["d"] or 0)
    if m["q"]:
        return year, int(m["q"]) * 3 - 2, 0
    if m["h"]:
        return year, 1 if m["h"] == "1" else 7, 0
    if m["s"]:
        return year, _SEASON_MONTH[m["s"]], 0
    if m["w"]:
        try:
            monday = date.fromisocalendar(year, int(m["w"]), 1)
        except ValueError:
            return year, 0, 0
        return monday.year, monday.month, monday.day
    return year, 0, 0


def event_sort_key(event: Event) -> tuple:
    """Chronological by start (the end for "until" events), coarser first, unresolved last."""
    when = value_sort_key(event.date_start or event.date_end)
    rank = _GRANULARITY_RANK.get(event.granularity, len(_GRANULARITY_RANK))
    if when is None:
        return (1, (0, 0, 0), rank, event.start)
    return (0, when, rank, event.start)


def _is_dated(timex: TimeExpr) -> bool:
    """Whether a time expression belongs on a timeline (reference words and the dateline,
    which dates the article, not an event of it, do not)."""
    return timex.granularity != "ref" and timex.anchor != DATELINE


def _joined_as_range(text: str, first: TimeExpr, second: TimeExpr) -> bool:
    """ "2022-2023", "from 2022 to 2023", "between 2022 and 2023"; not "in 2022 and 2023"."""
    join = _RANGE_JOIN.fullmatch(text, first.end, second.start)
    if join is None:
        return False
    if join.group().strip().lower() == "and":
        return bool(_RANGE_OPENER.search(text, max(0, first.start - _SIGNAL_WINDOW), first.start))
    return True


def _signal_before(text: str, timex: TimeExpr) -> str | None:
    """ "since" or "until" when such a word (TimeML's signal) leads to the expression."""
    window = max(0, timex.start - _SIGNAL_WINDOW)
    if _SINCE.search(text, window, timex.start):
        return "since"
    if _UNTIL.search(text, window, timex.start):
        return "until"
    return None


# (date_start, date_end, granularity, mod): the Event fields between its text and indexes.
_EventDates = tuple[str | None, str | None, str, str | None]


def _dates(text: str, timex: TimeExpr, following: TimeExpr | None) -> tuple[_EventDates, bool]:
    """(date_start, date_end, granularity, mod) of the event `timex` starts, and whether it
    takes `following` as its end."""
    if following is not None and _joined_as_range(text, timex, following):
        return (timex.value, following.value, timex.granularity, None), True
    signal = _signal_before(text, timex)
    if signal == "since":
        return (timex.value, None, timex.granularity, "since"), False
    if signal == "until":
        return (None, timex.value, timex.granularity, "until"), False
    return (timex.value, timex.value, timex.granularity, timex.mod), False


def build_events(
    text: str, timexes: Sequence[TimeExpr], sentences: Sequence[tuple[int, int]] | None = None
) -> list[Event]:
    """One event per date (or range) and sentence, sorted by `event_sort_key`."""
    spans = list(sentences) if sentences is not None else split_sentences(text)
    order = sorted((i for i, t in enumerate(timexes) if _is_dated(t)), key=lambda i: timexes[i].start)
    events: dict[tuple, Event] = {}
    sentence_index = 0
    position = 0
    while position < len(order):
        i = order[position]
        timex = timexes[i]
        while sentence_index < len(spans) and spans[sentence_index][1] <= timex.start:
            sentence_index += 1
        if sentence_index < len(spans) and spans[sentence_index][0] <= timex.start:
            start, end = spans[sentence_index]
        else:  # between sentences (a parser's gap): the expression alone
            start, end = timex.start, timex.end
        following = timexes[order[position + 1]] if position + 1 < len(order) else None
        in_sentence = following if following is not None and following.start < end else None
        dates, is_range = _dates(text, timex, in_sentence)
        indexes = (i, order[position + 1]) if is_range else (i,)
        position += len(indexes)
        # Unresolved expressions stay apart even when they look alike ("Monday" twice).
        key = (start, dates) if dates[0] or dates[1] else (start, indexes)
        if key in events:  # the same date again in this sentence
            known = events[key]
            events[key] = Event(known.start, known.end, known.text, *dates,
                                known.timex_indexes + indexes)  # fmt: skip
        else:
            events[key] = Event(start, end, text[start:end], *dates, indexes)
    return sorted(events.values(), key=event_sort_key)
