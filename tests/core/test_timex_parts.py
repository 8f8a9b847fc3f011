"""Dates built from parts, names that look like dates, and datelines."""

from __future__ import annotations

import pytest

from briefing_app.core.extract.events import build_events
from briefing_app.core.extract.timex import DATELINE, extract_timexes

PUBLISHED = "2013-04-17"  # a Wednesday


def values(text, published=PUBLISHED):
    return {t.text: t.value for t in extract_timexes(text, published)}


@pytest.mark.parametrize(
    "text, phrase, value",
    [
        ("Exports fell 4% from the same month a year ago.", "the same month a year ago", "2012-04"),
        ("Margins were thinner than in the same period last year.", "the same period last year", "2012"),
        ("Revenue beat the same quarter of last year.", "the same quarter of last year", "2012-Q2"),
        ("The terminal will open in October of next year.", "October of next year", "2014-10"),
        ("Crews will finish in the last week of May.", "the last week of May", "2013-W22"),
        ("Crews finished in the first week of March 2011.", "the first week of March 2011", "2011-W09"),
        ("Sales in the final quarter of 2012 slowed.", "the final quarter of 2012", "2012-Q4"),
        ("The strike began a week ago.", "a week ago", "2013-04-10"),
        ("Fares have risen since the start of this year.", "the start of this year", "2013"),
        ("Output had dropped in the previous year.", "the previous year", "2012"),
    ],
)
def test_expressions_built_from_parts(text, phrase, value):
    assert values(text)[phrase] == value


def test_the_year_before_counts_from_the_last_date_of_the_text():
    found = values("The bridge closed in 2007. The year before, it had been repainted.")
    assert found["The year before"] == "2006"


def test_that_day_and_late_in_the_day_refer_back_to_the_last_full_date():
    text = (
        "The fire started on August 2, 2010. Late in the day the wind turned; on that day the town emptied."
    )
    found = {t.text: (t.value, t.mod) for t in extract_timexes(text, PUBLISHED)}
    assert found["Late in the day"] == ("2010-08-02", "END")
    assert found["that day"] == ("2010-08-02", None)


def test_that_day_as_a_subject_is_no_date():
    assert values("He said he feared that day would come.") == {}


def test_the_same_period_is_the_period_just_named_a_year_earlier():
    found = values("Profit in the second quarter of 2012 fell from the same period last year.")
    assert found["the same period last year"] == "2011-Q2"


def test_late_in_the_day_without_a_date_before_it_is_the_publication_day():
    assert values("Bond yields rose late in the day.")["late in the day"] == PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Traders still talk about Black Monday and Super Tuesday.",
        "The September 11 attacks changed airport security.",
        "The Russell 2000 index slipped.",
        "Old servers ran Windows 2000.",
        "He restored the '82 model himself.",
    ],
)
def test_names_that_look_like_dates_are_not_dates(text):
    assert extract_timexes(text, PUBLISHED) == []


def test_a_year_in_the_name_of_an_event_is_still_a_date():
    text = "Prices doubled in 2008. 2009 was calmer. Delegates met at WWDC 2010 and at Expo 2010."
    assert [t.value for t in extract_timexes(text, PUBLISHED)] == ["2008", "2009", "2010", "2010"]


def test_a_dateline_dates_the_article_and_is_no_event():
    text = "Harbour reopens\nThursday, May 14, 2015\nThe harbour reopened on Monday after repairs."
    timexes = extract_timexes(text, None)  # the article has no publication date of its own
    dateline, monday = timexes
    assert (dateline.text, dateline.value, dateline.anchor) == (
        "Thursday, May 14, 2015",
        "2015-05-14",
        DATELINE,
    )
    assert monday.value == "2015-05-11"  # counted from the dateline
    assert [e.date_start for e in build_events(text, timexes)] == ["2015-05-11"]


def test_a_dateline_with_a_place_and_a_publication_date_of_its_own():
    text = "LISBON, March 3, 2016\nThe port will close next week."
    (dateline, week) = extract_timexes(text, "2016-03-04")
    assert dateline.anchor == DATELINE and dateline.value == "2016-03-03"
    assert week.value == "2016-W10"  # from the article's own date


def test_a_full_date_inside_the_text_is_no_dateline():
    text = "Harbour reopens\nThe harbour reopened on May 14, 2015 after repairs."
    (timex,) = extract_timexes(text, None)
    assert timex.anchor == "absolute"
    assert len(build_events(text, [timex])) == 1
