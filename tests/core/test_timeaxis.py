import datetime as dt

import pytest

from briefing_app.core.model import Event
from briefing_app.core.timeaxis import EventSpan, event_span, interval, label, readable

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-09-06", (D(2023, 9, 6), D(2023, 9, 6))),
        ("2024-02", (D(2024, 2, 1), D(2024, 2, 29))),
        ("2024", (D(2024, 1, 1), D(2024, 12, 31))),
        ("2023-Q3", (D(2023, 7, 1), D(2023, 9, 30))),
        ("2023-H1", (D(2023, 1, 1), D(2023, 6, 30))),
        ("2023-SU", (D(2023, 6, 1), D(2023, 8, 31))),
        ("2023-WI", (D(2023, 12, 1), D(2024, 2, 29))),
        ("2024-W01", (D(2024, 1, 1), D(2024, 1, 7))),
        ("199", (D(1990, 1, 1), D(1999, 12, 31))),
        ("20", (D(2000, 1, 1), D(2099, 12, 31))),
    ],
)
def test_interval(value, expected):
    assert interval(value) == expected


@pytest.mark.parametrize("value", [None, "", "PRESENT_REF", "2023-13", "2023-02-30", "yesterday", "2023-W60"])
def test_no_interval(value):
    assert interval(value) is None


def event(start, end, mod=None):
    return Event(0, 1, "x", start, end, "year", mod)


def test_event_spans():
    assert event_span(event("2023-09-06", "2023-09-06")).is_point
    assert event_span(event("2022", "2023")) == EventSpan(D(2022, 1, 1), D(2023, 12, 31))
    assert event_span(event("2024", None, "since")) == EventSpan(
        D(2024, 1, 1), D(2024, 12, 31), open_end=True
    )
    assert event_span(event("2024", "2024", "BEFORE")).open_start
    assert event_span(event(None, None)) is None


def test_labels():
    assert label(event("2022", "2023")) == "2022 – 2023"
    assert label(event("2024", None, "since")) == "since 2024"
    assert label(event("2024-07", "2024-07")) == "2024-07"
    assert label(event(None, None)) == "?"
    assert label(event("198", "198")) == "1980s"
    assert label(event("198", "199")) == "1980s – 1990s"
    assert label(event("2024-SU", None, "since")) == "since summer 2024"


@pytest.mark.parametrize(
    ("value", "readable_value"),
    [
        ("198", "1980s"),
        ("19", "1900s"),
        ("2024-SU", "summer 2024"),
        ("2004-W07", "2004, week 7"),
        ("2021-H2", "2021, second half"),
        ("2023-Q3", "2023 Q3"),
        ("2008-01-09TMO", "2008-01-09 morning"),
        ("2008-01-09", "2008-01-09"),
        ("2008", "2008"),
    ],
)
def test_values_read_as_the_analyst_says_them(value, readable_value):
    assert readable(value) == readable_value
