"""TIMEX-style values as date intervals, for drawing events on a time axis (pure, no Qt)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from briefing_app.core.model import Event

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_HALF = re.compile(r"(\d{4})-H([12])")
_SEASON = re.compile(r"(\d{4})-(SP|SU|FA|WI)")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_DECADE = re.compile(r"\d{3}")
_CENTURY = re.compile(r"\d{2}")

# Northern meteorological seasons as (first month, last month); winter runs into next year.
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _months(year: int, first: int, last: int) -> tuple[dt.date, dt.date]:
    """From the first day of month `first` to the last day of month `last` (> 12 runs on)."""
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    return dt.date(year, first, 1), dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])


def interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day (inclusive) a TIMEX value covers; None for references
    (PRESENT_REF...), unresolved and malformed values."""
    if not value:
        return None
    try:
        if m := _DAY.fullmatch(value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _MONTH.fullmatch(value):
            return _months(int(m[1]), int(m[2]), int(m[2]))
        if _YEAR.fullmatch(value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if m := _QUARTER.fullmatch(value):
            first = 3 * int(m[2]) - 2
            return _months(int(m[1]), first, first + 2)
        if m := _HALF.fullmatch(value):
            first = 6 * int(m[2]) - 5
            return _months(int(m[1]), first, first + 5)
        if m := _SEASON.fullmatch(value):
            return _months(int(m[1]), *_SEASON_MONTHS[m[2]])
        if m := _WEEK.fullmatch(value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6)
        if _DECADE.fullmatch(value):
            return dt.date(int(value) * 10, 1, 1), dt.date(int(value) * 10 + 9, 12, 31)
        if _CENTURY.fullmatch(value) and int(value) > 0:
            return dt.date(int(value) * 100, 1, 1), dt.date(int(value) * 100 + 99, 12, 31)
    except ValueError:  # month 13, day 31 of a 30-day month, week 54...
        return None
    return None


@dataclass(frozen=True)
class EventSpan:
    """Where an event sits on the axis: inclusive days, and which ends are open."""

    start: dt.date
    end: dt.date
    open_start: bool = False  # "until 2024": known end, no known beginning
    open_end: bool = False  # "since 2024": known beginning, still going

    @property
    def is_point(self) -> bool:
        return self.start == self.end and not (self.open_start or self.open_end)


def event_span(event: Event) -> EventSpan | None:
    """The span of an event, or None when its date is unresolved."""
    first = interval(event.date_start)
    if first is None:
        return None
    mod = (event.mod or "").upper()
    if mod in ("BEFORE", "UNTIL"):
        return EventSpan(first[0], first[1], open_start=True)
    if event.date_end is None:  # the model's open range: "since 2024"
        return EventSpan(first[0], first[1], open_end=True)
    last = interval(event.date_end) or first
    return EventSpan(min(first[0], last[0]), max(first[1], last[1]))


_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}
_PART_OF_DAY = re.compile(r"(.+)T(MO|AF|EV|NI)")


def readable(value: str) -> str:
    """A TIMEX value as the analyst reads it: "198" is "1980s", "19" is "1900s", "2024-SU"
    is "summer 2024", "2008-01-09TMO" is "2008-01-09 morning"; dates stay ISO."""
    if _DECADE.fullmatch(value):
        return f"{value}0s"
    if _CENTURY.fullmatch(value):
        return f"{value}00s"
    if m := _SEASON.fullmatch(value):
        return f"{_SEASON_NAMES[m[2]]} {m[1]}"
    if m := _WEEK.fullmatch(value):
        return f"{m[1]}, week {int(m[2])}"
    if m := _HALF.fullmatch(value):
        return f"{m[1]}, {'first' if m[2] == '1' else 'second'} half"
    if m := _QUARTER.fullmatch(value):
        return f"{m[1]} Q{m[2]}"
    if m := _PART_OF_DAY.fullmatch(value):
        return f"{m[1]} {_PARTS_OF_DAY[m[2]]}"
    return value


def label(event: Event) -> str:
    """The event's dates as the analyst reads them: "2022 – 2023", "since 2024", "1980s", "?"."""
    start = readable(event.date_start) if event.date_start else "?"
    mod = (event.mod or "").upper()
    if mod in ("BEFORE", "UNTIL"):
        return f"until {start}"
    if event.date_end is None:
        return f"since {start}" if event.date_start else "?"
    if event.date_end != event.date_start:
        return f"{start} – {readable(event.date_end)}"
    return start
