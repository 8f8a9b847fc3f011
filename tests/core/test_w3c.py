"""W3C Web Annotation export and import: the test suite's MUST assertions, and round trips.

The assertions are the JSON Schemas of the W3C Web Annotation test suite, copied in
tests/data/w3c (see its README.md), checked the way the W3C's own runner does: each schema
of annotationMusts.test (for every annotation) and collectionMusts.test (for the collection)
must give its expected result.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from briefing_app.core.export.w3c import export_w3c, import_w3c
from briefing_app.core.model import ArticleDraft
from briefing_app.core.notes import NoteStore
from briefing_app.core.store import Library

SUITE = Path(__file__).resolve().parents[1] / "data" / "w3c"
TEXT = (
    "Russian Foreign Minister Sergey Lavrov is set to hold negotiations in Moscow with the "
    "foreign ministers of Burkina Faso, Mali, and Niger. The three nations, which form the "
    "Alliance of Sahel States, have been strengthening their ties with Russia."
)
OTHER_TEXT = "Niger expels French troops. Mali follows."


def span(passage: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


# -- the W3C test suite's MUST assertions -------------------------------------------------


@pytest.fixture(scope="module")
def registry() -> Registry:
    resources = []
    for folder in ("definitions", "annotations", "annotations/bodiesTargets", "collections"):
        for path in sorted((SUITE / folder).glob("*.json")):
            schema = json.loads(path.read_text(encoding="utf-8"))
            resource = Resource.from_contents(schema, default_specification=DRAFT4)
            resources.append((path.name, resource))
    return Registry().with_resources(resources)


def assertions(test_file: str) -> list[dict]:
    test = json.loads((SUITE / test_file).read_text(encoding="utf-8"))
    return [json.loads((SUITE / path).read_text(encoding="utf-8")) for path in test["assertions"]]


def failed_musts(instance: dict, schemas: list[dict], registry: Registry) -> list[str]:
    failures = []
    for schema in schemas:
        valid = Draft4Validator(schema, registry=registry).is_valid(instance)
        expected = schema.get("expectedResult", "valid") == "valid"
        if valid != expected and schema.get("assertionType", "must") == "must":
            failures.append(schema.get("errorMessage") or schema.get("title") or schema["id"])
    return failures


def test_the_suite_catches_a_broken_annotation(registry):
    broken = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "body": 3}
    assert failed_musts(broken, assertions("annotations/annotationMusts.test"), registry)


# -- fixtures -----------------------------------------------------------------------------


def add_articles(library: Library) -> tuple[int, int]:
    first = library.add_draft(
        ArticleDraft(text=TEXT, title="Sahel talks", url="https://example.org/sahel", origin="t")
    ).article_id
    second = library.add_draft(ArticleDraft(text=OTHER_TEXT, title="Niger", origin="t")).article_id
    return first, second


def add_notes(library: Library) -> NoteStore:
    first, second = add_articles(library)
    store = NoteStore(library)
    store.create_article_note(first, "Worth a **follow-up**", tags=["Sahel"])
    store.create(first, *span("Sergey Lavrov"), body="Lead <negotiator>", color="blue")
    store.create(first, *span("Alliance of Sahel States"), tags=["AES", "bloc"])
    store.create(first, *span("strengthening their ties with Russia"), body="ties")
    store.create(second, *span("French troops", OTHER_TEXT), body="Exit of Barkhane")
    gone = store.create(second, *span("Mali", OTHER_TEXT), body="deleted note")
    store.delete(gone.uuid)
    return store


@pytest.fixture
def exported(library):
    store = add_notes(library)
    return export_w3c(library, store.all_notes())


# -- export -------------------------------------------------------------------------------


def test_export_meets_the_w3c_musts(exported, registry):
    assert failed_musts(exported, assertions("collections/collectionMusts.test"), registry) == []
    annotation_musts = assertions("annotations/annotationMusts.test")
    items = exported["first"]["items"]
    assert len(items) == exported["total"] == 5
    for annotation in items:
        assert failed_musts(annotation, annotation_musts, registry) == [], annotation["id"]


def test_export_shape(exported, library):
    assert exported["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert exported["type"] == "AnnotationCollection"
    assert exported["id"].startswith("urn:uuid:")
    assert exported["first"]["type"] == "AnnotationPage"
    general, lavrov, alliance, ties, troops = exported["first"]["items"]
    assert general["target"] == {"source": "https://example.org/sahel", "styleClass": "yellow"}
    assert general["body"][0] == {
        "type": "TextualBody",
        "purpose": "commenting",
        "value": "Worth a **follow-up**",
        "format": "text/markdown",
    }
    start, end = span("Sergey Lavrov")
    assert lavrov["target"]["selector"] == [
        {
            "type": "TextQuoteSelector",
            "exact": "Sergey Lavrov",
            "prefix": TEXT[max(0, start - 32) : start],
            "suffix": TEXT[end : end + 32],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]
    assert lavrov["target"]["styleClass"] == "blue"
    assert lavrov["stylesheet"]["type"] == "CssStylesheet"
    assert ".blue {" in lavrov["stylesheet"]["value"]
    assert alliance["motivation"] == "highlighting" and [b["value"] for b in alliance["body"]] == [
        "AES",
        "bloc",
    ]
    assert all(b["purpose"] == "tagging" for b in alliance["body"])
    uid = library.get_article(2).uid
    assert troops["target"]["source"] == f"urn:briefing:article:{uid}"
    for annotation in exported["first"]["items"]:
        assert annotation["id"].startswith("urn:uuid:")
        for key in ("created", "modified"):
            assert datetime.fromisoformat(annotation[key]).utcoffset().total_seconds() == 0


def test_orphan_is_exported_with_its_quote_only(library, registry):
    first, _ = add_articles(library)
    store = NoteStore(library)
    note = store.create(first, *span("Sergey Lavrov"), body="who?")
    store.reanchor_article(first, TEXT, TEXT.replace("Sergey Lavrov", "the minister"))
    (annotation,) = export_w3c(library, [store.get(note.uuid)])["first"]["items"]
    assert annotation["target"]["selector"] == [
        {
            "type": "TextQuoteSelector",
            "exact": "Sergey Lavrov",
            "prefix": note.prefix,
            "suffix": note.suffix,
        }
    ]
    assert failed_musts(annotation, assertions("annotations/annotationMusts.test"), registry) == []


def test_empty_export_is_a_valid_empty_collection(library, registry):
    collection = export_w3c(library, [])
    assert collection["total"] == 0 and "first" not in collection
    assert failed_musts(collection, assertions("collections/collectionMusts.test"), registry) == []


# -- import and round trips ---------------------------------------------------------------


def note_rows(library: Library) -> list[tuple]:
    return library.db.execute("SELECT * FROM notes ORDER BY uuid").fetchall()


def test_import_into_the_same_library_changes_nothing(library, exported):
    before = note_rows(library)
    report = import_w3c(library, copy.deepcopy(exported))
    assert len(report.unchanged) == 5
    assert report.imported == report.updated == report.skipped == []
    assert note_rows(library) == before


def test_round_trip_through_a_fresh_library_gives_the_same_json(library, exported):
    with Library(":memory:") as fresh:
        add_articles(fresh)
        report = import_w3c(fresh, json.loads(json.dumps(exported)))
        assert len(report.imported) == 5 and report.skipped == []
        again = export_w3c(fresh, NoteStore(fresh).all_notes())
    assert again == exported


def test_import_places_notes_in_an_edited_article(library, exported):
    with Library(":memory:") as other:
        edited = "UPDATE: talks moved to Sochi. " + TEXT
        first = other.add_draft(
            ArticleDraft(text=edited, title="Sahel talks", url="https://example.org/sahel", origin="t")
        ).article_id
        report = import_w3c(other, exported)
        assert len(report.imported) == 4
        assert [reason for _, reason in report.skipped] == [
            f"no article in the library is urn:briefing:article:{library.get_article(2).uid}"
        ]
        notes = NoteStore(other).for_article(first)
        placed = [n for n in notes if n.quote == "Sergey Lavrov"][0]
        assert edited[placed.start : placed.end] == "Sergey Lavrov"
        assert placed.anchor_state == "moved"
        assert placed.body == "Lead <negotiator>" and placed.color == "blue"


def test_newer_annotation_updates_and_older_one_is_skipped(library, exported):
    annotation = copy.deepcopy(exported["first"]["items"][1])
    annotation["body"][0]["value"] = "Edited elsewhere"
    annotation["modified"] = "2999-01-01T00:00:00Z"
    report = import_w3c(library, annotation)
    uuid = annotation["id"].removeprefix("urn:uuid:")
    assert report.updated == [uuid]
    assert NoteStore(library).get(uuid).body == "Edited elsewhere"
    annotation["body"][0]["value"] = "Stale edit"
    annotation["modified"] = "2000-01-01T00:00:00+02:00"
    report = import_w3c(library, annotation)
    assert report.skipped == [
        (annotation["id"], "the note in the library was changed or deleted after this annotation")
    ]
    assert NoteStore(library).get(uuid).body == "Edited elsewhere"


def test_foreign_annotations_are_read_or_skipped_with_reasons(library):
    first, _ = add_articles(library)
    start, end = span("Burkina Faso")
    annotations = [
        {  # a Hypothesis-style annotation with a plain-text body and a single selector
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "https://hypothes.is/a/abc123",
            "type": "Annotation",
            "bodyValue": "Ouagadougou",
            "target": {
                "source": "https://example.org/sahel",
                "selector": {"type": "TextQuoteSelector", "exact": "Burkina Faso"},
            },
        },
        {
            "id": "urn:uuid:0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
            "type": "Annotation",
            "target": {
                "source": "https://example.org/sahel",
                "selector": {"type": "TextPositionSelector", "start": start, "end": end},
            },
        },
        {"id": "urn:x:1", "type": "Annotation", "target": "https://elsewhere.example/"},
        {
            "id": "urn:x:2",
            "type": "Annotation",
            "target": {
                "source": "https://example.org/sahel",
                "selector": {"type": "XPathSelector"},
            },
        },
        {"id": "urn:x:3", "type": "Annotation"},
        {"type": "Annotation", "target": "https://example.org/sahel"},
        "not an annotation",
    ]
    report = import_w3c(library, {"type": "AnnotationPage", "items": annotations})
    assert len(report.imported) == 2
    assert report.skipped == [
        ("urn:x:1", "no article in the library is https://elsewhere.example/"),
        ("urn:x:2", "no text selector among XPathSelector"),
        ("urn:x:3", "its target has no source"),
        ("annotation 6", "the annotation has no id"),
        ("annotation 7", "not an Annotation"),
    ]
    hypothesis_note = NoteStore(library).get(report.imported[0])
    assert hypothesis_note.body == "Ouagadougou" and hypothesis_note.quote == "Burkina Faso"
    assert NoteStore(library).get(report.imported[1]).quote == "Burkina Faso"
    # The same foreign annotations again: the derived uuids match, nothing is duplicated.
    again = import_w3c(library, annotations)
    assert again.imported == [] and len(again.unchanged) == 2


def test_import_of_something_else_is_an_error(library):
    with pytest.raises(ValueError):
        import_w3c(library, "annotations")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="elsewhere"):
        import_w3c(library, {"type": "AnnotationCollection", "first": "https://x.example/page1"})


def test_a_urlless_article_is_found_after_an_edited_reimport(library):
    text = "Mali and Niger met in Bamako. The ministers talked about security."
    article = library.add_draft(ArticleDraft(text=text, title="Bamako talks", source="TASS", origin="t"))
    NoteStore(library).create(article.article_id, *span("ministers talked", text), body="who?")
    backup = export_w3c(library, NoteStore(library).all_notes())
    edited = library.add_draft(
        ArticleDraft(text="Update. " + text, title="Bamako talks", source="TASS", origin="t")
    )
    assert edited.status == "updated"
    report = import_w3c(library, backup)
    assert report.skipped == []


def test_an_annotation_dated_year_one_is_read_without_failing(library, exported):
    annotation = copy.deepcopy(exported["first"]["items"][0])
    annotation["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    annotation["created"] = annotation["modified"] = "0001-01-01T00:00:00+05:00"
    fresh = Library(":memory:")
    add_articles(fresh)
    report = import_w3c(fresh, annotation)
    fresh.close()
    # Before, moving year 1 to UTC raised OverflowError and the whole import failed.
    assert len(report.imported) + len(report.skipped) == 1
