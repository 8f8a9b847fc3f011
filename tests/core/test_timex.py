"""The time-expression tagger: values, granularities, mods, anchors and spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.core.extract.timex import extract_timexes, split_sentences


def tagged(text: str, published: str | None = None) -> dict[str, tuple]:
    """{span text: (value, granularity, mod, anchor)}."""
    timexes = extract_timexes(text, published)
    return {t.text: (t.value, t.granularity, t.mod, t.anchor) for t in timexes}


def values(text: str, published: str | None = None) -> dict[str, str | None]:
    return {t.text: t.value for t in extract_timexes(text, published)}


# --------------------------------------------------------------------------- absolute


def test_absolute_day_formats():
    text = (
        "It began on September 6, 2023, then March 01, 2008 and 6 September 2023. "
        "Also 2008-03-01, the 5th of November 1955, and Monday, March 3, 2008."
    )
    assert values(text) == {
        "September 6, 2023": "2023-09-06",
        "March 01, 2008": "2008-03-01",
        "6 September 2023": "2023-09-06",
        "2008-03-01": "2008-03-01",
        "the 5th of November 1955": "1955-11-05",
        "Monday, March 3, 2008": "2008-03-03",
    }
    assert tagged("On September 6, 2023, they met.")["September 6, 2023"] == (
        "2023-09-06", "day", None, "absolute")  # fmt: skip


def test_month_year_decade_century_quarter_season_granularities():
    found = tagged(
        "In July 2024 and 2024, in the 1990s and the 19th century, in the third quarter of "
        "2023, in Q1 2022, in summer 2023 and in the first half of 2021."
    )
    assert found["July 2024"][:2] == ("2024-07", "month")
    assert found["2024"][:2] == ("2024", "year")
    assert found["the 1990s"][:2] == ("199", "decade")
    assert found["the 19th century"][:2] == ("18", "century")
    assert found["the third quarter of 2023"][:2] == ("2023-Q3", "quarter")
    assert found["Q1 2022"][:2] == ("2022-Q1", "quarter")
    assert found["summer 2023"][:2] == ("2023-SU", "season")
    assert found["the first half of 2021"][:2] == ("2021-H1", "half")


def test_modifiers_widen_the_span():
    found = tagged(
        "Sales fell in early 2009, recovered by mid-2011, peaked in the late 1990s, "
        "dipped at the end of March 2012 and reached around 2015 before 2020."
    )
    assert found["early 2009"] == ("2009", "year", "START", "absolute")
    assert found["mid-2011"][2] == "MID"
    assert found["the late 1990s"][:3] == ("199", "decade", "END")
    # Written with an apostrophe, as many do, it is the same decade.
    assert tagged("It peaked in the late 1980's and the '90's.")["the late 1980's"][:3] == (
        "198",
        "decade",
        "END",
    )
    assert tagged("It peaked in the '90’s.")["the '90’s"][:2] == ("199", "decade")
    assert found["the end of March 2012"][:3] == ("2012-03", "month", "END")
    assert found["around 2015"][2] == "APPROX"
    # "before" is a signal: outside the span, but it marks the expression.
    assert found["2020"][2] == "BEFORE"


def test_numeric_dates_follow_the_text_then_the_publication_date():
    # Unambiguous 25/12/2007 shows the text writes day first.
    assert values("From 25/12/2007 to 01/03/2008.")["01/03/2008"] == "2008-03-01"
    # Ambiguous alone: the reading nearest the publication date (US 7/8/07 = July 8).
    assert values("The date 7/8/07 was chosen.", "2007-07-09")["7/8/07"] == "2007-07-08"
    assert values("On 01.03.2008 it opened.")["01.03.2008"] == "2008-03-01"  # dotted: day first
    assert values("Release 1.2.12 shipped.") == {}


def test_numbers_that_are_not_years():
    text = "It hired 2000 employees, paid $2010, grew 1999% and flew Flight 1549 at 1500 ft."
    assert values(text) == {}


def test_month_names_that_are_not_dates():
    text = "June Carter sang at the March rally. Theresa May said you may go."
    assert values(text, "2019-05-01") == {}
    assert values("The vote was held in May.", "2019-06-10") == {"May": "2019-05"}


# --------------------------------------------------------------------------- relative


def test_relative_expressions_resolve_against_publication():
    text = (
        "Yesterday the board met. Today it voted. Last year profits fell, this month they "
        "rose, and last week and next month matter. Two years ago it was founded. "
        "Tomorrow morning it reports, and last quarter it lost money."
    )
    found = tagged(text, "2008-03-05")
    assert found["Yesterday"] == ("2008-03-04", "day", None, "publication")
    assert found["Today"][0] == "2008-03-05"
    assert found["Last year"][:2] == ("2007", "year")
    assert found["this month"][:2] == ("2008-03", "month")
    assert found["last week"][:2] == ("2008-W09", "week")
    assert found["next month"][0] == "2008-04"
    assert found["Two years ago"][0] == "2006"
    assert found["Tomorrow morning"][0] == "2008-03-06TMO"
    assert found["last quarter"][0] == "2007-Q4"


def test_relative_expressions_stay_unresolved_without_publication_date():
    found = tagged("Yesterday the board met; last year profits fell. On Monday it voted.")
    assert found == {
        "Yesterday": (None, "day", None, "unresolved"),
        "last year": (None, "year", None, "unresolved"),
        "Monday": (None, "day", None, "unresolved"),
    }


def test_bare_weekday_leans_past_in_past_tense_and_future_in_future_tense():
    published = "2010-10-23"  # a Saturday
    assert values("Apple unveiled laptops on Wednesday.", published) == {"Wednesday": "2010-10-20"}
    assert values("Apple will unveil laptops Wednesday.", published) == {"Wednesday": "2010-10-27"}
    assert values("The talks are set to resume Monday.", published) == {"Monday": "2010-10-25"}
    # A past verb right before the weekday wins over a future one later in the sentence.
    assert values("It announced Friday that it will give refunds.", published) == {
        "Friday": "2010-10-22"}  # fmt: skip
    # The publication day itself counts as the most recent such day.
    assert values("Jobs spoke on Saturday.", published) == {"Saturday": "2010-10-23"}
    assert values("Last Saturday and next Saturday.", published) == {
        "Last Saturday": "2010-10-16", "next Saturday": "2010-10-30"}  # fmt: skip


def test_yearless_date_takes_the_year_by_tense_or_from_the_text():
    assert values("The event will be held on October 12.", "2005-10-04") == {
        "October 12": "2005-10-12"}  # fmt: skip
    # Said in January, "11 December" in the past is last year's.
    assert values("The plane flew on 11 December.", "2010-01-25") == {"11 December": "2009-12-11"}
    # No publication date: the previous date in the text gives the year.
    found = tagged("The alliance formed in July 2024. On September 6 it met.")
    assert found["September 6"] == ("2024-09-06", "day", None, "previous")
    assert tagged("On September 6 it met.")["September 6"] == (None, "day", None, "unresolved")


def test_counted_offsets_use_the_previous_date():
    found = tagged("The jet landed on March 3, 2008. Two days later it flew again.")
    assert found["Two days later"] == ("2008-03-05", "day", None, "previous")
    assert tagged("Two days later it flew.")["Two days later"][3] == "unresolved"
    # "later than" compares; it is no date.
    text = "It will wear the livery when it arrives on November 11, three days later than planned."
    assert values(text, "2005-11-05") == {"November 11": "2005-11-11"}


def test_reference_words():
    found = tagged("It is now clear, and currently rare. In recent years it grew.")
    assert found["now"] == ("PRESENT_REF", "ref", None, "absolute")
    assert found["currently"][0] == "PRESENT_REF"
    assert found["recent years"][0] == "PAST_REF"


# --------------------------------------------------------------------------- ranges


def test_ranges_give_both_ends():
    assert values("It ran between 2022 and 2023.") == {"2022": "2022", "2023": "2023"}
    assert values("It ran from 2009 to 2011.") == {"2009": "2009", "2011": "2011"}
    assert values("It ran 2022-2023 and in the 2011–12 season.") == {
        "2022": "2022", "2023": "2023", "2011": "2011", "12": "2012"}  # fmt: skip
    assert values("It ran June 3-5, 2023.") == {"June 3": "2023-06-03", "5, 2023": "2023-06-05"}
    assert values("It ran from June to August 2023.") == {
        "June": "2023-06", "August 2023": "2023-08"}  # fmt: skip


def test_open_ranges_keep_the_signal_word_outside():
    assert values("Training has gone on since 2024.") == {"2024": "2024"}
    assert values("It must end until 2025.") == {"2025": "2025"}


# --------------------------------------------------------------------------- spans


def test_spans_slice_back_to_their_text():
    text = (
        "Boeing 787 makes maiden flight\nDecember 16, 2009\nThe 787 flew Tuesday at 18:00 UTC, "
        "almost two and a half years late; it was due in early 2008."
    )
    timexes = extract_timexes(text, "2009-12-16")
    assert [t.text for t in timexes] == ["December 16, 2009", "Tuesday", "early 2008"]
    for t in timexes:
        assert text[t.start : t.end] == t.text
    assert timexes[1].value == "2009-12-15"


def test_sentence_splitter_keeps_abbreviations_and_lines():
    text = "On Sept. 6 Mr. Smith left.\nHeading\nIt rained. Then it stopped!"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "On Sept. 6 Mr. Smith left.", "Heading", "It rained.", "Then it stopped!"]  # fmt: skip


def test_given_sentences_are_used_for_tense():
    text = "It opened Monday. It will close Monday."
    sentences = [(0, 17), (18, len(text))]
    found = [t.value for t in extract_timexes(text, "2010-10-20", sentences)]  # a Wednesday
    assert found == ["2010-10-18", "2010-10-25"]


_TEMPORAL_WORDS = st.sampled_from([
    "2023", "September 6, 2023", "early", "mid-", "Monday", "last", "year", "since", "between",
    "and", "to", "-", "/", "07", "1/2/", "the", "1990s", "quarter", "of", "ago", "two", "days",
    "later", "May", "summer", "now", " ", "\n", ".", ",", "'", "Q3", "century", "19th",
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_TEMPORAL_WORDS, st.text(max_size=8)), max_size=30).map(" ".join),
    st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
)
def test_any_text_is_tagged_without_error_and_spans_slice(text, published):
    timexes = extract_timexes(text, published)
    previous_end = 0
    for t in timexes:
        assert text[t.start : t.end] == t.text
        assert previous_end <= t.start < t.end
        previous_end = t.end
        assert (t.value is None) == (t.anchor == "unresolved")
        if published is None:
            assert t.anchor in ("absolute", "previous", "unresolved", "dateline")


@pytest.mark.parametrize(
    "text, published",
    [
        ("It ends on December 31, 9999. A day later it was over.", None),
        ("They met on Wednesday.", "0001-01-01"),
        ("They will meet next Wednesday.", "9999-12-31"),
        ("Tomorrow is the day.", "9999-12-31"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_stay_unresolved_instead_of_failing(text, published):
    timexes = extract_timexes(text, published)
    assert timexes and all(t.value is None or t.value[:1].isdigit() for t in timexes)
