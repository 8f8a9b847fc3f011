"""apply_registry: the analyst's corrections on extracted mentions (pure, no model)."""

from __future__ import annotations

from briefing_app.core.extract.registry import ANY_LABEL, Registry, apply_registry, registry_key
from briefing_app.core.model import Mention

TEXT = "Sergey Lavrov met ECOWAS envoys. Lavrov said the Wagner Group left Mali."


def mention(
    text: str, label: str, canonical: str | None = None, origin: str = "model", nth: int = 0
) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(text, start + 1)
    return Mention(start, start + len(text), text, label, canonical or text, origin)


MENTIONS = (
    mention("Sergey Lavrov", "PERSON"),
    mention("ECOWAS", "ORG", "Economic Community of West African States", "rule"),
    mention("Lavrov", "PERSON", "Sergey Lavrov", "rule", nth=1),
    mention("Mali", "PERSON"),
)


def by_text(mentions):
    return {m.text: m for m in mentions}


def test_registry_key_ignores_case_and_spacing():
    assert registry_key("  Sergey \n LAVROV ") == "sergey lavrov"


def test_empty_registry_changes_nothing():
    assert apply_registry(TEXT, MENTIONS, Registry()) == MENTIONS


def test_rename_reaches_short_names_through_their_canonical():
    registry = Registry(aliases={("sergey lavrov", "PERSON"): ("Sergei Lavrov", "PERSON")})
    out = by_text(apply_registry(TEXT, MENTIONS, registry))
    assert out["Sergey Lavrov"].canonical == "Sergei Lavrov"
    assert out["Lavrov"].canonical == "Sergei Lavrov"
    assert out["Sergey Lavrov"].origin == "analyst"


def test_merge_maps_an_alias_onto_another_entity():
    registry = Registry(aliases={("ecowas", ANY_LABEL): ("ECOWAS Commission", "ORG")})
    out = by_text(apply_registry(TEXT, MENTIONS, registry))
    assert (out["ECOWAS"].canonical, out["ECOWAS"].label) == ("ECOWAS Commission", "ORG")


def test_relabel_changes_the_label_for_that_label_only():
    registry = Registry(aliases={("mali", "PERSON"): ("Mali", "GPE")})
    out = by_text(apply_registry(TEXT, MENTIONS, registry))
    assert (out["Mali"].label, out["Mali"].origin) == ("GPE", "analyst")
    assert out["Sergey Lavrov"].label == "PERSON"


def test_rejection_by_text_and_label():
    registry = Registry(rejections=frozenset({("mali", "PERSON")}))
    assert "Mali" not in by_text(apply_registry(TEXT, MENTIONS, registry))
    registry = Registry(rejections=frozenset({("mali", "GPE")}))
    assert "Mali" in by_text(apply_registry(TEXT, MENTIONS, registry))


def test_rejection_of_any_label():
    registry = Registry(rejections=frozenset({("ecowas", ANY_LABEL)}))
    assert "ECOWAS" not in by_text(apply_registry(TEXT, MENTIONS, registry))


def test_analyst_entity_found_wherever_it_occurs_whole_words_only():
    text = "The Wagner Group left. WAGNER GROUP fighters; not Wagner Groupies."
    out = apply_registry(text, (), Registry(analyst_entities={"Wagner Group": "ORG"}))
    assert [(m.text, m.label, m.canonical, m.origin) for m in out] == [
        ("Wagner Group", "ORG", "Wagner Group", "analyst"),
        ("WAGNER GROUP", "ORG", "Wagner Group", "analyst"),
    ]


def test_analyst_entity_wins_over_overlapping_mentions():
    overlapping = (mention("Group", "ORG"), mention("Mali", "PERSON"))
    registry = Registry(analyst_entities={"Wagner Group": "ORG"})
    out = apply_registry(TEXT, overlapping, registry)
    assert [(m.text, m.origin) for m in out] == [("Wagner Group", "analyst"), ("Mali", "model")]


def test_output_is_in_text_order():
    registry = Registry(analyst_entities={"Wagner Group": "ORG"})
    out = apply_registry(TEXT, MENTIONS, registry)
    assert [m.start for m in out] == sorted(m.start for m in out)


def test_analyst_entity_keeps_its_case_except_in_capitals():
    text = "Will arrived. He will stay. WILL SPEAKS."
    out = apply_registry(text, (), Registry(analyst_entities={"Will": "PERSON"}))
    assert [m.text for m in out] == ["Will", "WILL"]


def test_a_rejection_wins_over_an_earlier_mark():
    registry = Registry(analyst_entities={"Sahel": "LOC"}, rejections=frozenset({("sahel", ANY_LABEL)}))
    assert apply_registry("The Sahel states.", (), registry) == ()
