"""The entity engine: the model plus the rules for what a small model gets wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefing_app.core.extract import entities, pipeline
from briefing_app.core.extract.entities import GAZETTEER_DIR, GAZETTEER_LABELS, gazetteer_entries
from briefing_app.core.extract.pipeline import Extractor
from briefing_app.core.extract.registry import ANY_LABEL, Registry

SEED_TEXT = (Path(__file__).resolve().parents[2] / "data" / "seed" / "russia-sahel-talks.txt").read_text(
    encoding="utf-8"
)


@pytest.fixture(scope="module")
def extractor():
    """One loaded model for the whole module (loading takes about a second)."""
    extractor = Extractor()
    _ = extractor.rules  # load now, not inside the first test
    return extractor


def mentions_of(extractor, text):
    return [(m.text, m.label) for m in extractor.extract(text).mentions]


def find(extractor, text, surface):
    return [m for m in extractor.extract(text).mentions if m.text == surface]


# -- without the model ---------------------------------------------------------------------


def test_importing_extraction_does_not_load_spacy():
    code = "import sys, briefing_app.core.extract.pipeline as p; p.Extractor().engine_version; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_engine_version_names_spacy_model_and_rules():
    version = Extractor().engine_version
    assert f"briefing-rules/{entities.RULES_VERSION}" in version
    assert "spacy/3.8" in version
    assert "en_core_web_sm" in version and "3.8.0" in version


def test_gazetteer_files_are_documented_and_parse():
    readme = (GAZETTEER_DIR / "README.md").read_text(encoding="utf-8")
    for stem in GAZETTEER_LABELS:
        assert f"{stem}.txt" in readme
    names = {name: label for name, label in gazetteer_entries()}
    assert names["Mali"] == "GPE" and names["Kyiv"] == "GPE" and names["Sahel"] == "LOC"
    assert names["Russian"] == "NORP"
    assert all(name == name.strip() and not name.startswith("#") for name in names)


# -- with the model ------------------------------------------------------------------------


def test_gazetteer_labels_override_the_model(extractor):
    text = "Burkina Faso, Mali, and Niger formally condemned Ukraine, accusing Kyiv of supporting terrorism in the Sahel."
    found = mentions_of(extractor, text)
    assert ("Mali", "GPE") in found and ("Niger", "GPE") in found
    assert ("Kyiv", "GPE") in found and ("Sahel", "LOC") in found
    assert not [m for m in found if m[1] == "PERSON"]


def test_gazetteer_does_not_split_a_longer_name(extractor):
    assert ("Russian Foreign Ministry", "ORG") in mentions_of(extractor, "Photo: Russian Foreign Ministry")


def test_acronym_definition_makes_an_alias_of_the_long_form(extractor):
    text = (
        "They withdrew from the Economic Community of West African States (ECOWAS) in January. "
        "ECOWAS said it regretted the decision."
    )
    mentions = extractor.extract(text).mentions
    long_form = [m for m in mentions if m.text == "Economic Community of West African States"]
    acronyms = [m for m in mentions if m.text == "ECOWAS"]
    assert long_form and long_form[0].label == "ORG"
    assert len(acronyms) == 2
    assert {m.canonical for m in acronyms} == {"Economic Community of West African States"}


def test_short_name_refers_to_the_full_name_and_is_a_person(extractor):
    text = "Foreign Minister Sergey Lavrov arrived on Monday. The meeting was held at Lavrov’s invitation."
    (lavrov,) = find(extractor, text, "Lavrov")
    assert (lavrov.label, lavrov.canonical) == ("PERSON", "Sergey Lavrov")


def test_title_marks_a_person_and_stays_out_of_the_name(extractor):
    text = "Russian UN Representative Vasily Nebenzya welcomed their military coordination."
    found = mentions_of(extractor, text)
    assert ("Vasily Nebenzya", "PERSON") in found
    assert ("Russian", "NORP") in found
    assert not [m for m in found if "Representative" in m[0]]


def test_title_before_a_name_cuts_a_model_org_short(extractor):
    found = mentions_of(
        extractor, "Russian Foreign Minister Sergey Lavrov is set to hold negotiations in Moscow."
    )
    assert ("Sergey Lavrov", "PERSON") in found
    assert not [m for m in found if m[0].startswith("Russian Foreign")]


def test_name_in_a_list_of_people_is_a_person(extractor):
    text = (
        "Lavrov will meet the foreign ministers of Burkina Faso, Mali, and Niger—Karamoko Jean-Marie "
        "Traoré, Abdoulaye Diop, and Bakary Yaou Sangaré."
    )
    assert ("Karamoko Jean-Marie Traoré", "PERSON") in mentions_of(extractor, text)


def test_headings_yield_no_sentence_spanning_junk(extractor):
    text = (
        "Key Discussion Topics in Moscow\nMilitary and Security Cooperation\n"
        "Russia has been assisting Sahel nations in Moscow."
    )
    found = mentions_of(extractor, text)
    assert not [m for m in found if "\n" in m[0]]
    assert not [m for m in found if m[1] == "ORG"]
    assert ("Moscow", "GPE") in found and ("Russia", "GPE") in found


def test_leading_the_and_possessive_are_not_part_of_names(extractor):
    text = "The three nations form the Alliance of Sahel States. The United Kingdom's Royal Air Force flew."
    found = mentions_of(extractor, text)
    assert ("Alliance of Sahel States", "ORG") in found
    assert ("United Kingdom", "GPE") in found


def test_maker_and_model_code_are_one_product(extractor):
    found = mentions_of(
        extractor, "The airline ordered 14 new Airbus A330-200 jets from Air France Flight 447 crews."
    )
    assert ("Airbus A330-200", "PRODUCT") in found
    assert ("Air France", "ORG") in found


def test_registry_corrections_are_applied_on_extraction():
    registry = Registry(
        aliases={
            ("tass", "ORG"): ("TASS Russian News Agency", "ORG"),
            ("le monde", ANY_LABEL): ("Le Monde", "WORK_OF_ART"),
        },
        rejections=frozenset({("gsv", ANY_LABEL)}),
        analyst_entities={"Russia-Sahel": "NORP"},
    )
    extractor = Extractor(registry)
    mentions = extractor.extract(SEED_TEXT).mentions
    by_text = {m.text: m for m in mentions}
    assert by_text["TASS"].canonical == "TASS Russian News Agency"
    assert by_text["Le Monde"].label == "WORK_OF_ART"
    assert "GSV" not in by_text
    assert by_text["Russia-Sahel"].origin == "analyst"


def test_sentences_break_at_lines_and_only_after_sentence_ends(extractor):
    text = "Background: The Shift\nIn recent years, the region changed. Anti-French sentiment grew."
    doc = extractor.nlp(entities.prepare_doc(extractor.nlp, text))
    sentences = [text[s:e] for s, e in entities.sentence_spans(doc)]
    assert sentences[0] == "Background: The Shift"
    assert "Anti-French sentiment grew." in sentences


def test_extract_many_keeps_order_and_matches_two_processes(extractor, monkeypatch):
    texts = [
        (SEED_TEXT, None),
        ("Sergey Lavrov visited Kyiv.", "2024-01-01"),
        ("", None),
        ("Mali and Niger.", None),
    ]
    single = list(extractor.extract_many(texts))
    monkeypatch.setattr(pipeline, "MIN_WORDS_FOR_PROCESSES", 0)
    double = list(extractor.extract_many(iter(texts), n_process=2))
    assert single == double
    assert single[1].mentions[0].text == "Sergey Lavrov"
    assert single[2].mentions == ()


def test_an_amount_is_not_a_name(extractor):
    # The model tags "140bn" as a person in this sentence (a Wikinews article on the 787).
    text = "The delays made the 787 worth in the region of US$140bn ($96bn, #86bn) for Boeing."
    assert [name for name, _label in mentions_of(extractor, text)] == ["Boeing"]
    assert not entities.AMOUNT.fullmatch("3M")  # a company's name, not three million


def test_a_licence_in_an_attribution_line_is_not_an_organisation(extractor):
    text = "Airbus flew the A380.\n\nSource: Wikinews, http://en.wikinews.org/wiki/A380 (CC BY 2.5)"
    assert "CC" not in [name for name, _label in mentions_of(extractor, text)]
