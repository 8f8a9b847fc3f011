"""One name per entity: corporate suffixes, first names, organisations that a verb follows,
time zones; the analyst's registry has the last word."""

from __future__ import annotations

import pytest

from briefing_app.core.extract.names import one_name_per_entity, without_suffix
from briefing_app.core.extract.pipeline import Extractor
from briefing_app.core.extract.registry import Registry
from briefing_app.core.model import Mention


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def mention(text, label, canonical=None, origin="model", start=0):
    return Mention(start, start + len(text), text, label, canonical or text, origin)


@pytest.mark.parametrize(
    "name, canonical",
    [
        ("Orbital Freight Inc.", "Orbital Freight"),
        ("Kestrel Corp.", "Kestrel"),
        ("Harrow Foods Ltd", "Harrow Foods"),
        ("Norwick Water plc", "Norwick Water"),
        ("Brenner Stahl AG", "Brenner Stahl"),
        ("Alcora SA", "Alcora"),
        ("Quillfeather LLC", "Quillfeather"),
        ("Dunmore & Co.", "Dunmore & Co."),
        ("Velden Holdings N.V.", "Velden Holdings"),
        ("Kestrel", "Kestrel"),
    ],
)
def test_corporate_suffixes_are_not_part_of_the_canonical_name(name, canonical):
    assert without_suffix(name) == canonical


def test_a_company_and_its_suffixed_name_are_one_organisation():
    found = one_name_per_entity([mention("Orbital Freight Inc.", "ORG"), mention("Orbital Freight", "ORG")])
    assert {(m.label, m.canonical) for m in found} == {("ORG", "Orbital Freight")}


def test_a_suffixed_name_is_never_a_person():
    (found,) = one_name_per_entity([mention("Quillfeather LLC", "PERSON")])
    assert (found.label, found.canonical) == ("ORG", "Quillfeather")


def test_an_organisation_followed_by_a_verb_stays_an_organisation():
    found = one_name_per_entity(
        [mention("Kestrel", "PERSON"), mention("Kestrel Aerospace Systems", "ORG", start=40)]
    )
    assert [m.label for m in found] == ["ORG", "ORG"]


def test_a_person_named_in_full_is_left_a_person():
    found = one_name_per_entity(
        [mention("Marlow", "PERSON", canonical="Ada Marlow"), mention("Marlow Shipping", "ORG", start=30)]
    )
    assert found[0].label == "PERSON"


def test_a_gazetteer_place_is_not_turned_into_a_company():
    found = one_name_per_entity([mention("Qatar", "GPE", origin="rule"), mention("Qatar", "ORG", start=20)])
    assert found[0].label == "GPE"


@pytest.mark.parametrize("zone", ["UTC", "GMT", "EST", "PDT", "CET"])
def test_time_zones_are_not_names(zone):
    assert one_name_per_entity([mention(zone, "ORG")]) == []


def test_a_first_name_after_the_full_name_is_that_person(extractor):
    text = "Marta Oyelaran opened the new depot on Friday. Later Marta thanked the drivers."
    people = {(m.text, m.canonical) for m in extractor.extract(text).mentions if m.label == "PERSON"}
    assert ("Marta", "Marta Oyelaran") in people


def test_time_zones_in_text_are_not_organisations(extractor):
    text = "The auction closes at 17:00 GMT, which is noon EST, and opens again at 08:00 UTC."
    assert [m for m in extractor.extract(text).mentions if m.text in ("GMT", "EST", "UTC")] == []


def test_the_registry_canonical_name_wins(extractor):
    text = "Kestrel Corp. cut prices. Kestrel said demand fell."
    extractor.registry = Registry(aliases={("kestrel", "ORG"): ("Kestrel Aerospace", "ORG")})
    try:
        found = {(m.text, m.canonical) for m in extractor.extract(text).mentions if m.label == "ORG"}
    finally:
        extractor.registry = Registry()
    assert found == {("Kestrel Corp.", "Kestrel Aerospace"), ("Kestrel", "Kestrel Aerospace")}
