"""Dated events from time expressions: sentences, ranges, open ranges, order."""

from __future__ import annotations

import json
from pathlib import Path

from briefing_app.core.extract.events import build_events, event_sort_key, value_sort_key
from briefing_app.core.extract.timex import extract_timexes
from briefing_app.core.model import Event

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = Path(__file__).resolve().parents[2]


def events_of(text: str, published: str | None = None) -> list[Event]:
    return build_events(text, extract_timexes(text, published))


def test_seed_article_timeline():
    expected = json.loads((DATA / "seed-expectations.json").read_text(encoding="utf-8"))["timeline"]
    text = (REPO / "data" / "seed" / "russia-sahel-talks.txt").read_text(encoding="utf-8")
    events = events_of(text)  # the article has no publication date
    assert len(events) == len(expected)
    for event, want in zip(events, expected, strict=False):
        assert event.date_start == want["start"], (event, want)
        assert event.date_end == want.get("end", None if want.get("mod") else want["start"])
        assert event.mod == want.get("mod")
        assert want["contains"] in event.text
        assert text[event.start : event.end] == event.text


def test_range_is_one_event():
    text = "French troops withdrew between 2022 and 2023. Trade grew from 2009 to 2011."
    events = events_of(text)
    assert [(e.date_start, e.date_end, e.mod) for e in events] == [
        ("2009", "2011", None), ("2022", "2023", None)]  # fmt: skip
    assert events[1].text == "French troops withdrew between 2022 and 2023."
    assert events[1].timex_indexes == (0, 1)


def test_two_dates_joined_by_and_without_between_are_two_events():
    events = events_of("Elections were held in 2019 and 2023.")
    assert [(e.date_start, e.date_end) for e in events] == [("2019", "2019"), ("2023", "2023")]


def test_since_and_until_make_open_ranges():
    events = events_of("Militants trained in Mali since 2024. The mission runs until 2026.")
    assert [(e.date_start, e.date_end, e.mod) for e in events] == [
        ("2024", None, "since"), (None, "2026", "until")]  # fmt: skip


def test_point_event_keeps_the_expression_mod_and_granularity():
    (event,) = events_of("Sales collapsed in early 2009.")
    assert (event.date_start, event.date_end, event.granularity, event.mod) == (
        "2009", "2009", "year", "START")  # fmt: skip


def test_unresolved_dates_are_events_listed_last_and_reference_words_are_not():
    text = "Yesterday the board met. In recent years it grew, and it is now big. It began in 2001."
    events = events_of(text)
    assert [(e.date_start, e.text) for e in events] == [
        ("2001", "It began in 2001."), (None, "Yesterday the board met.")]  # fmt: skip


def test_same_date_twice_in_a_sentence_is_one_event():
    text = "On Monday, talks began; Monday was the 19th."
    (event,) = events_of(text, "2007-03-19")
    assert event.date_start == "2007-03-19" and event.timex_indexes == (0, 1)


def test_relative_dates_resolve_with_publication_date():
    events = events_of("The plane flew on Tuesday. Deliveries start next month.", "2009-12-16")
    assert [(e.date_start, e.granularity) for e in events] == [
        ("2009-12-15", "day"), ("2010-01", "month")]  # fmt: skip


def test_sort_is_chronological_with_coarser_first_at_the_same_start():
    text = "It opened on January 28, 2024. It grew since 2024. The 2020s began. In 1998 it was a plan."
    assert [e.date_start for e in events_of(text)] == ["1998", "202", "2024", "2024-01-28"]


def test_value_sort_key_reads_every_timex_value():
    assert value_sort_key("2023-09-06") == (2023, 9, 6)
    assert value_sort_key("2023-Q3") == (2023, 7, 0)
    assert value_sort_key("2023-SU") == (2023, 6, 0)
    assert value_sort_key("2004-W47") == (2004, 11, 15)
    assert value_sort_key("2008-01-09TMO") == (2008, 1, 9)
    assert value_sort_key("199") == (1990, 0, 0)
    assert value_sort_key("18") == (1800, 0, 0)
    assert value_sort_key("PRESENT_REF") is None
    assert value_sort_key(None) is None


def test_given_sentences_bound_the_events():
    text = "Talks began in 2020; they ended in 2022."
    clauses = [(0, 20), (21, len(text))]
    events = build_events(text, extract_timexes(text, None, clauses), clauses)
    assert [e.text for e in events] == ["Talks began in 2020;", "they ended in 2022."]
    assert sorted(events, key=event_sort_key) == events
