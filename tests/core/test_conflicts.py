"""Conflicting dates: the same happening dated apart by two articles is found once, and the
analyst's "different events" is remembered through re-extraction."""

from __future__ import annotations

import datetime as dt

from briefing_app.core import conflicts
from briefing_app.core.migrations import SCHEMA_VERSION
from briefing_app.core.timeaxis import EventSpan
from tests.support.dated_articles import (
    MEETING_REUTERS,
    add_dated_article,
    extraction_for,
    two_reports_of_one_meeting,
)


def test_two_articles_dating_one_meeting_differently_yield_one_conflict(library):
    reuters, tass = two_reports_of_one_meeting(library)
    assert conflicts.refresh_conflicts(library) == 1
    [conflict] = conflicts.list_conflicts(library)
    assert {conflict.a.article_id, conflict.b.article_id} == {reuters, tass}
    assert {conflict.a.date_label, conflict.b.date_label} == {"2023-09-06", "2023-10-12"}
    assert {conflict.a.source, conflict.b.source} == {"Reuters", "TASS"}
    assert set(conflict.entities) == {"Sergey Lavrov", "Assimi Goïta", "Bamako"}
    assert conflict.words == ("meet",)
    # Boeing's delivery is dated 2023 by both: they agree, so it is no conflict.
    assert all("Boeing" not in side.text for side in (conflict.a, conflict.b))


def test_a_dismissed_conflict_stays_dismissed_after_reextraction(library):
    reuters, tass = two_reports_of_one_meeting(library)
    conflicts.refresh_conflicts(library)
    [conflict] = conflicts.list_conflicts(library)
    conflicts.dismiss(library, conflict.a_key, conflict.b_key)
    assert conflicts.list_conflicts(library) == []
    for article_id in (reuters, tass):  # extracted again: new event ids, same sentences
        text = library.get_article(article_id).text
        library.save_extraction(article_id, extraction_for(text))
    assert conflicts.is_stale(library)
    assert conflicts.refresh_conflicts(library) == 1  # found again...
    assert conflicts.list_conflicts(library) == []  # ...and still dismissed
    [kept] = conflicts.list_conflicts(library, include_dismissed=True)
    assert kept.dismissed


def test_dates_that_overlap_are_no_conflict(library):
    add_dated_article(library, MEETING_REUTERS, {"met Assimi": ("2023-09", "2023-09")}, "A", "Reuters")
    add_dated_article(
        library,
        MEETING_REUTERS.replace("met", "meets"),
        {"meets Assimi": ("2023-09-06", "2023-09-06")},
        "B",
        "AP",
    )
    assert conflicts.refresh_conflicts(library) == 0


def test_one_shared_name_or_other_event_words_are_other_happenings(library):
    add_dated_article(
        library, "Sergey Lavrov met Assimi Goïta in Bamako in 2022.", {"met": ("2022", "2022")}, "A", "X"
    )
    # Two names in common, but a signing, not a meeting.
    add_dated_article(
        library, "Sergey Lavrov signed a treaty in Bamako in 2020.", {"signed": ("2020", "2020")}, "B", "Y"
    )
    # A meeting, but only one name in common.
    add_dated_article(
        library, "Sergey Lavrov met officials in Moscow in 2019.", {"met": ("2019", "2019")}, "C", "Z"
    )
    assert conflicts.refresh_conflicts(library) == 0


def test_the_entity_filter_finds_conflicts_by_any_name_of_the_entity(library):
    two_reports_of_one_meeting(library)
    conflicts.refresh_conflicts(library)
    assert len(conflicts.list_conflicts(library, entity="assimi goïta")) == 1
    assert conflicts.list_conflicts(library, entity="Boeing") == []


def test_detection_runs_again_only_when_the_library_changed(library, monkeypatch):
    two_reports_of_one_meeting(library)
    conflicts.refresh_conflicts(library)
    assert not conflicts.is_stale(library)
    calls = []
    monkeypatch.setattr(conflicts, "find_conflicts", lambda *a, **k: calls.append(1) or [])
    assert conflicts.refresh_conflicts(library) == 1
    assert calls == []


def test_event_words_leave_out_names_dates_titles_and_stop_words():
    sentence = "Foreign Minister Sergey Lavrov met Assimi Goïta in Bamako on 6 September 2023 for talks."
    names = [
        (sentence.index(n), sentence.index(n) + len(n)) for n in ("Sergey Lavrov", "Assimi Goïta", "Bamako")
    ]
    assert conflicts.event_words(sentence, names) == {"meet", "talk"}
    assert conflicts.base_form("planned") == "plan"
    assert conflicts.base_form("agreements") == "agreement"


def test_open_ranges_reach_to_the_end_of_time():
    since_2020 = EventSpan(dt.date(2020, 1, 1), dt.date(2020, 12, 31), open_end=True)
    day_2023 = EventSpan(dt.date(2023, 5, 1), dt.date(2023, 5, 1))
    day_2019 = EventSpan(dt.date(2019, 5, 1), dt.date(2019, 5, 1))
    assert not conflicts.dates_disagree(since_2020, day_2023)
    assert conflicts.dates_disagree(since_2020, day_2019)


def test_a_dismissal_outlives_a_library_reopened_at_the_current_schema(db_path):
    from briefing_app.core.store import Library

    with Library(db_path) as library:
        two_reports_of_one_meeting(library)
        conflicts.refresh_conflicts(library)
        [conflict] = conflicts.list_conflicts(library)
        conflicts.dismiss(library, conflict.b_key, conflict.a_key)  # either order
    with Library(db_path) as library:
        assert library.schema_version == SCHEMA_VERSION
        assert conflicts.list_conflicts(library) == []


def test_a_library_of_the_previous_schema_upgrades_with_empty_conflict_tables(db_path):
    import sqlite_utils

    from briefing_app.core import migrations
    from briefing_app.core.store import Library

    db = sqlite_utils.Database(db_path)
    migrations.migrate(db, target=SCHEMA_VERSION - 1)
    db.conn.execute(
        "INSERT INTO articles (uid, title, imported_at, text) VALUES ('u', 'Kept', 'now', 'Text')"
    )
    db.conn.commit()
    db.close()
    with Library(db_path) as library:
        assert library.schema_version == SCHEMA_VERSION
        assert [a.title for a in library.list_articles()] == ["Kept"]
        assert conflicts.refresh_conflicts(library) == 0
        assert conflicts.list_conflicts(library) == []
