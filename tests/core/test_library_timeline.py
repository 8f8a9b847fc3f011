"""The library timeline's reading and layout (no Qt)."""

from __future__ import annotations

import datetime as dt

from briefing_app.core import conflicts
from briefing_app.core.library_timeline import TimelineQuery, axis_ticks, clause, read_timeline
from briefing_app.core.store import ArticleFilter
from tests.support.dated_articles import add_dated_article, two_reports_of_one_meeting


def items(read):
    return [row.item for row in read.rows if row.item is not None]


def test_events_in_lanes_by_source_dated_and_labelled(library):
    two_reports_of_one_meeting(library)
    read = read_timeline(library, TimelineQuery())
    assert [row.lane for row in read.rows if row.item is None] == ["Reuters", "TASS"]
    captions = [item.caption() for item in items(read)]
    assert "2023  Boeing delivered a jet to Atlas Air in 2023.  ×2 sources" in captions
    assert read.first <= dt.date(2023, 1, 1) and read.last >= dt.date(2023, 12, 31)


def test_same_date_but_another_happening_is_not_grouped(library):
    add_dated_article(
        library, "Boeing delivered a jet to Atlas Air in 2023.", {"Boeing": ("2023", "2023")}, "A", "X"
    )
    add_dated_article(
        library, "Sergey Lavrov met Assimi Goïta in 2023.", {"Sergey": ("2023", "2023")}, "B", "Y"
    )
    assert [item.count for item in items(read_timeline(library, TimelineQuery()))] == [1, 1]


def test_the_entity_filter_takes_the_sentences_naming_it(library):
    two_reports_of_one_meeting(library)
    read = read_timeline(library, TimelineQuery(entity="atlas air"))
    assert [item.first.text.split()[0] for item in items(read)] == ["Boeing"]
    assert read.events == 2


def test_the_library_filter_and_words(library):
    two_reports_of_one_meeting(library)
    read = read_timeline(library, TimelineQuery(articles=ArticleFilter(query="security"), text="ASSIMI"))
    assert [item.first.source for item in items(read)] == ["Reuters"]
    assert items(read_timeline(library, TimelineQuery(text="50%_"))) == []  # LIKE wildcards are text


def test_conflict_marks(library):
    two_reports_of_one_meeting(library)
    conflicts.refresh_conflicts(library)
    marks = {
        item.first.source: item.conflict
        for item in items(read_timeline(library, TimelineQuery()))
        if item.conflict
    }
    assert marks == {"Reuters": "TASS dates it 2023-10-12", "TASS": "Reuters dates it 2023-09-06"}


def test_too_many_events_keeps_the_newest(library):
    two_reports_of_one_meeting(library)
    read = read_timeline(library, TimelineQuery(), limit=2)
    assert read.truncated
    assert sorted(item.first.date_start for item in items(read)) == ["2023-09-06", "2023-10-12"]


def test_axis_ticks_from_centuries_to_days():
    first, last = dt.date(1900, 1, 1), dt.date(2025, 12, 31)
    assert [text for _day, text in axis_ticks(first, last, 0.01)][:3] == [
        "1900",
        "1920",
        "1940",
    ]  # 20 years: 73 px
    days = axis_ticks(dt.date(2023, 9, 5), dt.date(2023, 9, 8), 100)
    assert [text for _day, text in days] == ["5 Sep 2023", "6 Sep", "7 Sep", "8 Sep"]
    months = axis_ticks(dt.date(2023, 1, 1), dt.date(2023, 4, 30), 3)
    assert [text for _day, text in months] == ["Jan 2023", "Feb", "Mar", "Apr"]


def test_a_long_sentence_is_cut_at_a_word():
    text = "word " * 40
    cut = clause(text, 50)
    assert cut.endswith("word…") and len(cut) <= 50
