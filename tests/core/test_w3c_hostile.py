"""W3C annotation import of hostile files: it always finishes, and changes only what it should.

Unplaceable passages end as orphans (kept, reported) whatever their length; the search for
them is bounded in time; what cannot become a note is skipped with the reason.
"""

from __future__ import annotations

import json
import uuid as uuidlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.cli import UserError, _import_w3c_notes, main
from briefing_app.core.anchoring import MAX_FUZZY_QUOTE_CHARS, MOVED, ORPHANED
from briefing_app.core.export.w3c import ARTICLE_URN_PREFIX, import_w3c
from briefing_app.core.model import ArticleDraft
from briefing_app.core.notes import NoteStore
from briefing_app.core.store import ArticleNotFound, Library
from tests.support.fuzz import default_fuzz, slow_fuzz

TEXT = (
    "Russian Foreign Minister Sergey Lavrov is set to hold negotiations in Moscow with the "
    "foreign ministers of Burkina Faso, Mali, and Niger. The three nations, which form the "
    "Alliance of Sahel States, have been strengthening their ties with Russia."
)
URL = "https://example.org/sahel"


def add_article(library: Library, text: str = TEXT, url: str | None = URL) -> int:
    return library.add_draft(ArticleDraft(text=text, title="Sahel talks", url=url, origin="t")).article_id


def annotation(quote: str, start: int | None = None, note_id: str | None = None, **extra) -> dict:
    selectors: list[dict] = [{"type": "TextQuoteSelector", "exact": quote, "prefix": "", "suffix": ""}]
    if start is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": start + len(quote)})
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": note_id or f"urn:uuid:{uuidlib.uuid4()}",
        "type": "Annotation",
        "target": {"source": URL, "selector": selectors},
        **extra,
    }


def uuid_of(item: dict) -> str:
    return item["id"].removeprefix("urn:uuid:")


def all_rows(library: Library) -> list[tuple]:
    return sorted(library.db.execute("SELECT * FROM notes").fetchall())


# -- orphans and the search's bounds --------------------------------------------------


def test_a_huge_quote_not_in_the_article_is_kept_as_an_orphan(library):
    add_article(library)
    quote = " ".join(["Lavrov Mali Niger ties"] * 10_000)  # 230,000 characters
    item = annotation(quote, start=10, bodyValue="gone")
    report = import_w3c(library, item)
    assert report.imported == [uuid_of(item)]
    assert report.orphaned == [
        (uuid_of(item), "its passage is not in the article; the note is kept without a place")
    ]
    assert report.summary() == "1 imported, 0 updated, 0 unchanged, 0 skipped; 1 orphaned"
    note = NoteStore(library).get(uuid_of(item))
    assert (note.start, note.end, note.anchor_state, note.quote, note.body) == (
        None,
        None,
        ORPHANED,
        quote,
        "gone",
    )


def test_a_long_edited_quote_is_found_only_exactly(library):
    """Above MAX_FUZZY_QUOTE_CHARS no approximate search: a changed word makes an orphan."""
    paragraph = " ".join(f"Sentence {i} of a long passage on the Sahel talks." for i in range(40))
    add_article(library, f"{TEXT}\n{paragraph}")
    assert len(paragraph) > MAX_FUZZY_QUOTE_CHARS
    exact = annotation(paragraph, start=len(TEXT) + 1)
    edited = annotation(paragraph.replace("Sentence 7 ", "Line 7 "), start=len(TEXT) + 1)
    report = import_w3c(library, [exact, edited])
    assert [uuid for uuid, _ in report.orphaned] == [uuid_of(edited)]
    assert NoteStore(library).get(uuid_of(exact)).start == len(TEXT) + 1


def test_after_the_search_budget_only_exact_passages_are_placed(library):
    add_article(library)
    exact = annotation("Alliance of Sahel States", start=0)
    edited = annotation("Alliance of the Sahel States", start=0)
    report = import_w3c(library, [exact, edited], search_seconds=0)
    assert report.orphaned == [
        (
            uuid_of(edited),
            "its passage was not found in the time an import may search; the note is kept without a place",
        )
    ]
    notes = NoteStore(library)
    assert notes.get(uuid_of(exact)).quote == "Alliance of Sahel States"
    # With time to search, the edited passage is found.
    again = import_w3c(library, edited)
    assert again.orphaned == [] and notes.get(uuid_of(edited)).anchor_state == MOVED


def test_a_long_article_is_searched_around_the_old_position(library):
    filler = "Nothing to see in this sentence at all. " * 5_000  # 200,000 characters
    text = f"{filler}{TEXT} {filler}"
    add_article(library, text)
    edited = annotation("strengthening the ties with Russia", start=text.index("strengthening"))
    report = import_w3c(library, edited)
    assert report.orphaned == []
    note = NoteStore(library).get(uuid_of(edited))
    assert text[note.start : note.end] == "strengthening their ties with Russia"


# -- what cannot be stored is skipped ----------------------------------------------------


@pytest.mark.parametrize(
    "field, change",
    [
        ("its id", lambda a: a.update(id="urn:x:\ud800")),
        ("its source", lambda a: a["target"].update(source=URL + "\udc00")),
        ("its passage", lambda a: a["target"]["selector"][0].update(exact="\ud83d nowhere in the article")),
        ("its body", lambda a: a.update(bodyValue="note \udfff")),
    ],
)
def test_a_lone_surrogate_skips_the_annotation(library, field, change):
    add_article(library)
    bad, good = annotation("Sergey Lavrov"), annotation("Mali")
    change(bad)
    report = import_w3c(library, [bad, good])
    assert report.imported == [uuid_of(good)]
    [(_, reason)] = report.skipped
    assert reason.startswith(f"{field} is not valid Unicode (a lone surrogate at")


def test_collections_nested_as_deep_as_json_allows_are_read(library):
    add_article(library)
    item = annotation("Mali")
    data: dict = {"type": "AnnotationPage", "items": [item]}
    for _ in range(5_000):
        data = {"type": "AnnotationCollection", "first": data}
    assert import_w3c(library, data).imported == [uuid_of(item)]


# -- the command -------------------------------------------------------------------------


def run_import(capsys, db, content: bytes, tmp_path) -> tuple[int, str, str]:
    path = tmp_path / "notes.jsonld"
    path.write_bytes(content)
    code = main(["--db", str(db), "notes", "import", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "content, message",
    [
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply"),
        (b'{"type": "Annotation", "id": ' + b"9" * 5_000 + b"}", "4300 digits"),
        (b"\xff\xfe", "codec can't decode"),
        (b'"annotations"', "expected a JSON object or list"),
    ],
)
def test_an_unreadable_file_is_one_clear_line(capsys, db_path, tmp_path, content, message):
    code, out, err = run_import(capsys, db_path, content, tmp_path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"briefing: {tmp_path / 'notes.jsonld'}: ")
    assert message in err


def test_the_command_reports_orphans(capsys, db_path, tmp_path):
    with Library(db_path) as library:
        add_article(library)
    item = annotation("a passage that was never in the article", start=5)
    code, out, err = run_import(capsys, db_path, json.dumps(item).encode(), tmp_path)
    assert code == 0
    assert out == "1 imported, 0 updated, 0 unchanged, 0 skipped; 1 orphaned\n"
    assert (
        err
        == f"briefing: orphaned note {uuid_of(item)}: its passage is not in the article; the note is kept without a place\n"
    )


# -- the store's look-ups ----------------------------------------------------------------


def test_articles_are_found_by_uid_url_and_earlier_version(library):
    article_id = add_article(library)
    uid, url = library.article_uid_and_url(article_id)
    assert url == URL and library.article_text_by_url(URL) == (article_id, TEXT)
    assert library.article_text_by_uid(uid) == (article_id, TEXT)
    edited = TEXT.replace("Moscow", "Sochi")
    library.add_draft(ArticleDraft(text=edited, title="Sahel talks", url=URL, origin="t"))
    assert library.article_text_by_uid(uid) == (article_id, edited)  # through the old version
    assert library.article_text_by_uid("nope") is None and library.article_text_by_url("nope") is None
    with pytest.raises(ArticleNotFound):
        library.article_uid_and_url(article_id + 100)


# -- generated input ---------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=5,
)
# Values a hostile annotation puts where a real one has its fields.
field_values = json_values | st.sampled_from(
    ["Annotation", URL, f"{ARTICLE_URN_PREFIX}nope", "TextQuoteSelector", "TextPositionSelector", "\ud800"]
)


@st.composite
def valid_annotations(draw: st.DrawFn) -> dict:
    start = draw(st.integers(0, len(TEXT) - 1))
    end = draw(st.integers(start + 1, min(len(TEXT), start + 80)))
    item = annotation(TEXT[start:end], start=start, note_id=f"urn:uuid:{draw(st.uuids())}")
    item["bodyValue"] = draw(st.text(st.characters(exclude_categories=["Cs"]), max_size=20))
    return item


@st.composite
def hostile_annotations(draw: st.DrawFn) -> object:
    if draw(st.booleans()):
        return draw(json_values)
    keys = st.sampled_from(["id", "type", "target", "body", "bodyValue", "created", "modified"])
    item = draw(st.dictionaries(keys, field_values))
    if draw(st.booleans()):  # shaped like an annotation, with odd selectors
        selector_keys = st.sampled_from(["type", "exact", "prefix", "suffix", "start", "end"])
        selectors = st.lists(st.dictionaries(selector_keys, field_values), max_size=3) | field_values
        item["type"] = "Annotation"
        item["target"] = draw(
            st.fixed_dictionaries(
                {"source": st.sampled_from([URL, f"{ARTICLE_URN_PREFIX}nope"]) | field_values},
                optional={"selector": selectors, "styleClass": field_values},
            )
        )
    return item


files = st.tuples(
    st.lists(valid_annotations(), max_size=4, unique_by=lambda a: a["id"]),
    st.lists(hostile_annotations(), max_size=4),
    st.randoms(use_true_random=False),
    st.sampled_from(["list", "page", "collection"]),
)


@pytest.fixture(scope="module")
def shared_library():
    """One library for all examples (a new one per example would cost most of the time)."""
    with Library(":memory:") as library:
        add_article(library)
        yield library


def check_import(library: Library, valid: list[dict], hostile: list, rng, shape: str) -> None:
    library.db.execute("DELETE FROM notes")  # each example starts from one note of the analyst's
    notes = NoteStore(library)
    existing = notes.create(library.article_text_by_url(URL)[0], 0, 7, body="mine")
    before = all_rows(library)
    items = valid + hostile
    rng.shuffle(items)
    data: object = items
    if shape != "list":
        data = {"type": "AnnotationPage", "items": items}
    if shape == "collection":
        data = {"type": "AnnotationCollection", "first": data}
    report = import_w3c(library, data)  # never raises for a list, page or collection
    handled = report.imported + report.updated + report.unchanged
    assert len(handled) + len(report.skipped) == len(items)
    for item in valid:  # every valid annotation is a note, in its place
        note = notes.get(uuid_of(item))
        assert note.quote == item["target"]["selector"][0]["exact"] and note.body == item["bodyValue"]
        assert TEXT[note.start : note.end] == note.quote
    stored = {row[0] for row in library.db.execute("SELECT uuid FROM notes")}
    assert stored == {existing.uuid, *handled}
    assert notes.get(existing.uuid) == existing  # what the file did not name is untouched
    for uuid in handled:
        note = notes.get(uuid)
        assert note.start is None or TEXT[note.start : note.end] == note.quote
    assert {uuid for uuid, _ in report.orphaned} <= set(handled)
    if not handled:
        assert all_rows(library) == before


@default_fuzz
@given(files)
def test_generated_files_change_only_what_their_valid_annotations_say(shared_library, file):
    check_import(shared_library, *file)


@pytest.mark.slow
@slow_fuzz
@given(files)
def test_generated_files_change_only_what_their_valid_annotations_say_slow(shared_library, file):
    check_import(shared_library, *file)


contents = st.binary(max_size=60) | json_values.map(lambda v: json.dumps(v).encode())


def check_command(library: Library, path, content: bytes, capsys) -> None:
    path.write_bytes(content)
    try:
        assert _import_w3c_notes(library, path) == 0
    except UserError as exc:  # main() prints it: one line naming the file
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
    else:
        assert " imported, " in capsys.readouterr().out


@default_fuzz
@given(content=contents)
def test_any_file_gives_a_result_or_one_clear_line(shared_library, tmp_path, capsys, content):
    check_command(shared_library, tmp_path / "notes.jsonld", content, capsys)


@pytest.mark.slow
@slow_fuzz
@given(content=contents)
def test_any_file_gives_a_result_or_one_clear_line_slow(shared_library, tmp_path, capsys, content):
    check_command(shared_library, tmp_path / "notes.jsonld", content, capsys)
