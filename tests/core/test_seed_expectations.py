"""The sample article meets what the analyst expects (tests/data/seed-expectations.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing_app.core.extract.pipeline import Extractor

REPO = Path(__file__).resolve().parents[2]
EXPECTATIONS = json.loads((REPO / "tests" / "data" / "seed-expectations.json").read_text(encoding="utf-8"))
SEED_TEXT = (REPO / "data" / "seed" / "russia-sahel-talks.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def extraction():
    # The article carries no publication date.
    return Extractor().extract(SEED_TEXT, None)


@pytest.mark.parametrize("expected", EXPECTATIONS["entities"], ids=lambda e: e["name"])
def test_entity_is_found_with_its_label(extraction, expected):
    found = [m for m in extraction.mentions if m.text == expected["name"] and m.label == expected["label"]]
    assert found, f"{expected['name']} ({expected['label']}) not found"
    canonicals = {m.canonical for m in found}
    for alias in expected.get("aliases", []):
        alias_mentions = [m for m in extraction.mentions if m.text == alias]
        assert alias_mentions, f"alias {alias} not found"
        assert {m.canonical for m in alias_mentions} <= canonicals, f"{alias} resolves elsewhere"
        assert {m.label for m in alias_mentions} == {expected["label"]}


@pytest.mark.parametrize(
    "unexpected", EXPECTATIONS["not_entities"], ids=lambda e: f"{e['text']}/{e['label']}"
)
def test_not_entity_never_comes_out(extraction, unexpected):
    assert not [
        m for m in extraction.mentions if m.text == unexpected["text"] and m.label == unexpected["label"]
    ]


def test_no_entity_crosses_a_line_break(extraction):
    assert not [m for m in extraction.mentions if "\n" in m.text]


def test_timeline_events_in_order_with_their_values(extraction):
    """Each expected event is present, in the expected order, with its normalized dates."""
    events = list(extraction.events)
    position = 0
    for expected in EXPECTATIONS["timeline"]:
        for index in range(position, len(events)):
            event = events[index]
            if expected["contains"] in event.text and event.date_start == expected["start"]:
                break
        else:
            pytest.fail(
                f"no event {expected} after position {position} in {[(e.date_start, e.text[:40]) for e in events]}"
            )
        if "end" in expected:
            assert event.date_end == expected["end"]
        if expected.get("mod") == "since":
            assert event.mod in {"since", "AFTER"} and event.date_end is None  # an open range
        position = index + 1
