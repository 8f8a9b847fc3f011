"""The analyst corrects a date: stored, applied at once, and again after every extraction."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlite_utils

from briefing_app.core import migrations
from briefing_app.core.datecorrections import (
    CORRECTED,
    DateCorrection,
    apply_corrections,
    check_value,
    correct_stored,
    corrections_for,
    inference_reason,
    value_for,
)
from briefing_app.core.extract import pipeline
from briefing_app.core.extract.pipeline import Extractor
from briefing_app.core.extract.runner import extract_articles, extract_pending
from briefing_app.core.model import ArticleDraft, Extraction, TimeExpr
from briefing_app.core.store import Library

TEXT = (
    "Harbour board delays ferry contract\n\n"
    "The harbour board said on Tuesday that it had postponed the ferry contract. "
    "A vote is now due in November, the chairwoman told reporters."
)
CONTRACT_DAY = TEXT.index("Tuesday")
NOVEMBER = TEXT.index("November")


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


@pytest.fixture
def article_id(library):
    report = library.import_items(
        [ArticleDraft(TEXT, title="Harbour board delays ferry contract", published="2010-06-10")]
    )
    return report.imported[0]


def timex_at(library, article_id, start):
    return next((t for t in library.timexes(article_id) if t.start == start), None)


def test_a_correction_survives_reextraction(library, extractor, article_id, monkeypatch):
    extract_pending(library, extractor)
    assert timex_at(library, article_id, NOVEMBER).value == "2010-11"  # "is due": the future

    correct_stored(
        library, article_id, DateCorrection(NOVEMBER, NOVEMBER + 8, "November", "2011-11", "month")
    )
    correct_stored(library, article_id, DateCorrection(CONTRACT_DAY, CONTRACT_DAY + 7, "Tuesday", None))
    assert timex_at(library, article_id, NOVEMBER).value == "2011-11"  # applied at once

    monkeypatch.setattr(pipeline, "RULES_VERSION", "next")  # a new engine: everything again
    assert extract_pending(library, extractor) == 1
    november = timex_at(library, article_id, NOVEMBER)
    assert (november.value, november.granularity, november.anchor) == ("2011-11", "month", CORRECTED)
    assert timex_at(library, article_id, CONTRACT_DAY) is None  # "not a date" stays so
    assert [(e.date_start, e.text.startswith("A vote")) for e in library.events(article_id)] == [
        ("2011-11", True)
    ]

    assert extract_articles(library, [article_id], extractor) == [article_id]
    assert timex_at(library, article_id, NOVEMBER).value == "2011-11"


def test_a_phrase_the_tagger_missed_can_be_made_a_date(library, extractor, article_id):
    extract_pending(library, extractor)
    phrase_start = TEXT.index("ferry contract.")
    correct_stored(
        library, article_id, DateCorrection(phrase_start, phrase_start + 5, "ferry", "2010-07-01", "day")
    )
    added = timex_at(library, article_id, phrase_start)
    assert (added.text, added.value, added.anchor) == ("ferry", "2010-07-01", CORRECTED)
    assert "2010-07-01" in {e.date_start for e in library.events(article_id)}


def test_correcting_the_same_phrase_again_replaces_the_correction(library, article_id):
    correction = DateCorrection(NOVEMBER, NOVEMBER + 8, "November", "2011-11", "month")
    correct_stored(library, article_id, correction)
    correct_stored(library, article_id, DateCorrection(NOVEMBER, NOVEMBER + 8, "November", "2009", "year"))
    assert [(c.value, c.granularity) for c in corrections_for(library, article_id)] == [("2009", "year")]


def test_a_correction_follows_its_phrase_when_the_text_moves():
    old = TimeExpr(4, 12, "November", "2010-11", "month", None, "tense:future")
    moved = "Now: the vote in November."
    at = moved.index("November")
    shifted = Extraction(
        timexes=(TimeExpr(at, at + 8, "November", "2010-11", "month", None, "tense:future"),)
    )
    fixed = apply_corrections(
        moved, shifted, [DateCorrection(old.start, old.end, "November", "2012-11", "month")]
    )
    assert [(t.start, t.value) for t in fixed.timexes] == [(at, "2012-11")]


@pytest.mark.parametrize(
    "value, precision",
    [("2009-13", "month"), ("2009-02-30", "day"), ("09", "year"), ("2009", "week"), ("2009-06-05", "month")],
)
def test_a_value_that_is_not_of_its_precision_is_refused_in_one_line(value, precision):
    with pytest.raises(ValueError) as raised:
        check_value(value, precision)
    assert "\n" not in str(raised.value)


def test_values_are_made_at_the_chosen_precision():
    day = dt.date(2009, 8, 14)
    assert [value_for(day, p) for p in ("day", "month", "quarter", "year")] == [
        "2009-08-14",
        "2009-08",
        "2009-Q3",
        "2009",
    ]


def test_inferred_dates_say_why():
    october = TimeExpr(0, 7, "October", "2009-10", "month", None, "tense:future")
    assert inference_reason(october, "2009-06-05") == "year from future tense; published 2009-06-05"
    monday = TimeExpr(0, 6, "Monday", "2009-06-01", "day", None, "tense:past")
    assert inference_reason(monday, "2009-06-05") == "week from past tense; published 2009-06-05"
    written = TimeExpr(0, 12, "June 5, 2009", "2009-06-05", "day", None, "absolute")
    assert inference_reason(written, "2009-06-05") is None


def test_a_library_of_the_previous_schema_gains_the_corrections_table(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=migrations.SCHEMA_VERSION - 1)
    old["articles"].insert(
        {"uid": "u1", "title": "Old", "text": "In May.", "imported_at": "2020-01-01T00:00:00"}
    )
    old.conn.commit()
    old.close()
    with Library(db_path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        (article,) = lib.list_articles()
        correct_stored(lib, article.id, DateCorrection(3, 6, "May", None))
        assert corrections_for(lib, article.id) == [DateCorrection(3, 6, "May", None, None)]


def test_a_correction_that_cannot_be_applied_is_not_kept_either(library, extractor, article_id, monkeypatch):
    extract_pending(library, extractor)

    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(library, "save_extraction", disk_full)
    with pytest.raises(OSError):
        correct_stored(
            library, article_id, DateCorrection(NOVEMBER, NOVEMBER + 8, "November", "2011-11", "month")
        )
    assert corrections_for(library, article_id) == []
    assert timex_at(library, article_id, NOVEMBER).value == "2010-11"
