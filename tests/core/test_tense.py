"""Year-less dates and weekdays take their year or week from the tense the tagger reads."""

from __future__ import annotations

import pytest

from briefing_app.core.extract.pipeline import Extractor


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def dated(extractor, text, published):
    return {t.text: (t.value, t.anchor) for t in extractor.extract(text, published).timexes}


@pytest.mark.parametrize(
    "text, published, phrase, value, anchor",
    [
        # The future: modal auxiliaries, "due/set/expected/plan ... to" + infinitive.
        (
            "Talks between the unions are due to resume in October.",
            "2011-06-20",
            "October",
            "2011-10",
            "tense:future",
        ),
        (
            "The ministry would announce its decision on Thursday.",
            "2012-03-05",
            "Thursday",
            "2012-03-08",
            "tense:future",
        ),
        ("The museum is set to reopen on March 20.", "2012-03-25", "March 20", "2013-03-20", "tense:future"),
        ("The mayor plans to sign the order in January.", "2014-11-02", "January", "2015-01", "tense:future"),
        (
            "The council shall vote on the budget in February.",
            "2014-11-02",
            "February",
            "2015-02",
            "tense:future",
        ),
        (
            "Ferries are expected to sail again on Sunday.",
            "2016-08-03",
            "Sunday",
            "2016-08-07",
            "tense:future",
        ),
        # The past: finite past verbs and the perfect.
        ("Talks between the unions resumed in October.", "2011-06-20", "October", "2010-10", "tense:past"),
        (
            "The ministry announced its decision on Thursday.",
            "2012-03-05",
            "Thursday",
            "2012-03-01",
            "tense:past",
        ),
        ("The museum reopened on April 2.", "2012-03-25", "April 2", "2011-04-02", "tense:past"),
        ("The mayor has signed the order in September.", "2014-07-02", "September", "2013-09", "tense:past"),
    ],
)
def test_tense_decides_the_year(extractor, text, published, phrase, value, anchor):
    assert dated(extractor, text, published)[phrase] == (value, anchor)


def test_the_tense_nearest_before_the_date_wins(extractor):
    # "said" is past, but the date belongs to what the board "would" do.
    found = dated(extractor, "The board said it would meet again in August.", "2013-05-14")
    assert found["August"] == ("2013-08", "tense:future")


def test_no_tense_falls_back_to_news(extractor):
    # Nothing to read the tense from: a weekday is the last one up to publication (news
    # reports what happened), a month is the one of the year of publication.
    found = dated(extractor, "Vote in the assembly on Thursday.\nHarvest festival in May.", "2012-03-05")
    assert found["Thursday"] == ("2012-03-01", "tense:none")
    assert found["May"] == ("2012-05", "tense:none")
