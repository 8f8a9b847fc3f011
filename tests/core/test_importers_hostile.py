"""One bad field, entry or folder costs only itself, with a reason that says what is wrong."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from briefing_app.core import importers
from briefing_app.core.display import printable
from briefing_app.core.importers import read_path, read_paths
from briefing_app.core.importers.files import UNEXPECTED_ERROR
from briefing_app.core.importers.html import fragment_to_text
from briefing_app.core.model import ArticleDraft, ImportFailure
from tests.support.shared_folders import shared_temp_folder
from tests.support.subprocesses import run_python

SENTENCE = "The ministers of Mali and Niger met in Bamako on Monday."


def read_all(path: Path) -> tuple[list[ArticleDraft], list[ImportFailure]]:
    items = list(read_path(path))
    return (
        [item for item in items if isinstance(item, ArticleDraft)],
        [item for item in items if isinstance(item, ImportFailure)],
    )


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def atom(*entries: tuple[str, str, str]) -> str:
    """An Atom feed of (title, text, updated) entries."""
    body = "".join(
        f"<entry><title>{title}</title><content>{text}</content><updated>{updated}</updated></entry>"
        for title, text, updated in entries
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>{body}</feed>'


# --- item 5: one bad field --------------------------------------------------------------


@pytest.mark.parametrize(
    "updated",
    ["0001-01-01T00:00:00+14:00", "0000-01-01T00:00:00Z", "9999-12-31T23:00:00-14:00"],
)
def test_a_feed_date_out_of_range_costs_only_its_entry(tmp_path, updated):
    path = write(
        tmp_path / "desk.atom",
        atom(
            ("Before", "Text before.", "2024-09-25T10:00:00Z"),
            ("Odd date", "Text of the odd one.", updated),
            ("After", "Text after.", "2024-09-26T10:00:00Z"),
        ),
    )
    drafts, failures = read_all(path)
    assert [(d.title, d.published) for d in drafts] == [("Before", "2024-09-25"), ("After", "2024-09-26")]
    assert failures == [ImportFailure(str(path), f"entry 2 ('Odd date'): date out of range: {updated!r}")]


def test_references_to_no_character_cost_no_entry(tmp_path):
    """Found by the hostile-input test: feedparser's loose parser crashed on them."""
    path = write(
        tmp_path / "desk.atom",
        atom(
            ("Bad &#xD800; and &#x110000; and &#99999999999;", "First text.", "2024-09-25T10:00:00Z"),
            ("Good &#x263A;", "Second text.", "2024-09-26T10:00:00Z"),
        ),
    )
    drafts, failures = read_all(path)
    assert failures == []
    assert [(d.title, d.text) for d in drafts] == [
        ("Bad \ufffd and \ufffd and \ufffd", "First text."),
        ("Good \u263a", "Second text."),
    ]


def test_an_entry_lost_to_malformed_xml_says_the_feed_is_malformed(tmp_path):
    """Found by the hostile-input test: read loosely, the entry's summary was None."""
    path = write(
        tmp_path / "desk.atom",
        atom(("<![", "Text the loose parser loses.", "2024-09-25T10:00:00Z")),
    )
    assert read_all(path) == (
        [],
        [
            ImportFailure(
                str(path),
                "entry 1 (untitled): entry has no text "
                "(the feed is malformed XML, read loosely: not well-formed (invalid token))",
            )
        ],
    )


@pytest.mark.parametrize("start", ["²", "①", "9" * 5000, "-3", "x"])
def test_an_odd_list_start_in_a_feed_entry_numbers_from_one(tmp_path, start):
    content = f'&lt;p&gt;Agenda:&lt;/p&gt;&lt;ol start="{start}"&gt;&lt;li&gt;grain&lt;/li&gt;&lt;li&gt;fuel&lt;/li&gt;&lt;/ol&gt;'
    path = write(
        tmp_path / "desk.atom",
        atom(("Agenda", content, "2024-09-25T10:00:00Z")).replace("<content>", '<content type="html">'),
    )
    drafts, failures = read_all(path)
    assert failures == []
    assert [d.text for d in drafts] == ["Agenda:\n\n1. grain\n2. fuel"]


def test_a_plain_list_start_is_kept():
    assert fragment_to_text('<ol start="7"><li>grain</li><li>fuel</li></ol>')[0] == "7. grain\n8. fuel"


@pytest.mark.parametrize("start", ["²", "①"])
def test_an_odd_list_start_in_a_page_does_not_fail_it(tmp_path, start):
    page = (
        f"<html><body><article><p>{SENTENCE}</p><p>{SENTENCE}</p>"
        f'<ol start="{start}"><li>grain</li><li>fuel</li></ol></article></body></html>'
    )
    (draft,) = read_path(write(tmp_path / "page.html", page))
    assert SENTENCE in draft.text


HUGE_NUMBER = "9" * 4400  # over Python's 4300-digit limit of int() on a string


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_huge_integer_in_an_ignored_field_costs_nothing(tmp_path, suffix):
    records = [f'{{"text": "Record {n}."}}' for n in range(1, 6)]
    records += [f'{{"text": "Record 6.", "words": {HUGE_NUMBER}}}', '{"text": "Record 7."}']
    data = "\n".join(records) if suffix == ".jsonl" else "[" + ",\n".join(records) + "]"
    drafts, failures = read_all(write(tmp_path / f"records{suffix}", data))
    assert failures == []
    assert [d.text for d in drafts] == [f"Record {n}." for n in range(1, 8)]


def test_a_huge_integer_as_text_is_named(tmp_path):
    path = write(
        tmp_path / "r.jsonl", f'{{"text": "Fine."}}\n{{"text": {HUGE_NUMBER}}}\n{{"text": "Also fine."}}'
    )
    drafts, failures = read_all(path)
    assert [d.text for d in drafts] == ["Fine.", "Also fine."]
    assert failures == [ImportFailure(str(path), "line 2: 'text' must be a string, found a number")]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (r'{"text": "a\ud800b"}', r"'text' holds a lone surrogate (\ud800), which is not text"),
        (
            r'{"text": "ok", "title": "a\udfffb"}',
            r"'title' holds a lone surrogate (\udfff), which is not text",
        ),
        (r'{"text": "a\u0000b"}', "'text' holds a NUL character, which is not text"),
    ],
)
def test_json_escapes_that_are_not_text_are_named(tmp_path, record, reason):
    path = write(tmp_path / "r.jsonl", '{"text": "Fine."}\n' + record)
    drafts, failures = read_all(path)
    assert [d.text for d in drafts] == ["Fine."]
    assert failures == [ImportFailure(str(path), f"line 2: {reason}")]


def test_a_json_surrogate_pair_is_one_character(tmp_path):
    (draft,) = read_path(write(tmp_path / "r.json", r'{"text": "Flag \ud83c\uddf2\ud83c\uddf1."}'))
    assert draft.text == "Flag \U0001f1f2\U0001f1f1."


# --- item 9: encodings, nesting ---------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_is_called_utf32(tmp_path, codec):
    bom = {"utf-32": b"", "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[codec]
    path = write(tmp_path / "a.txt", bom + SENTENCE.encode(codec))
    drafts, failures = read_all(path)
    assert drafts == []
    assert failures == [ImportFailure(str(path), "UTF-32 text is not supported (save the file as UTF-8)")]


@pytest.mark.parametrize(
    ("codec", "name"),
    [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")],
)
def test_wide_text_without_a_byte_order_mark_is_named_not_called_binary(tmp_path, codec, name):
    path = write(tmp_path / "a.md", SENTENCE.encode(codec))
    assert read_all(path) == (
        [],
        [
            ImportFailure(
                str(path), f"{name} text without a byte order mark is not supported (save the file as UTF-8)"
            )
        ],
    )


def nested(open_tag: str, close_tag: str, depth: int, inner: str) -> str:
    return open_tag * depth + inner + close_tag * depth


@pytest.mark.parametrize("depth", [21, 60, 99])
def test_text_in_deeply_nested_markdown_quotes_is_imported(tmp_path, depth):
    (draft,) = read_path(write(tmp_path / "q.md", "> " * depth + SENTENCE + "\n"))
    assert draft.text == SENTENCE


def test_markdown_nested_past_the_limit_says_so(tmp_path):
    path = write(tmp_path / "q.md", "Before.\n\n" + "> " * 150 + SENTENCE + "\n")
    drafts, failures = read_all(path)
    assert drafts == []
    assert failures == [
        ImportFailure(
            str(path),
            "Markdown nested too deeply (block quotes and lists deeper than 100 levels, a list "
            "counting two): the text inside cannot be read",
        )
    ]


@pytest.mark.parametrize("tag", ["div", "blockquote"])
@pytest.mark.parametrize("depth", [25, 300])
def test_text_in_deeply_nested_html_is_imported(tmp_path, tag, depth):
    page = "<html><body>" + nested(f"<{tag}>", f"</{tag}>", depth, f"<p>{SENTENCE}</p>") + "</body></html>"
    (draft,) = read_path(write(tmp_path / "deep.html", page))
    assert draft.text == SENTENCE


def test_html_nested_past_the_parser_limit_says_so(tmp_path):
    page = "<html><body>" + nested("<div>", "</div>", 2100, f"<p>{SENTENCE}</p>") + "</body></html>"
    path = write(tmp_path / "deep.html", page)
    drafts, failures = read_all(path)
    assert drafts == []
    assert failures == [
        ImportFailure(str(path), "HTML nested more than 2048 elements deep: the parser reads no deeper")
    ]


@pytest.mark.parametrize("depth", [25, 300, 2000])
def test_text_in_a_deeply_nested_feed_entry_is_imported(tmp_path, depth):
    content = nested("&lt;blockquote&gt;", "&lt;/blockquote&gt;", depth, SENTENCE)
    feed = atom(("Deep", content, "2024-09-25T10:00:00Z")).replace("<content>", '<content type="html">')
    drafts, failures = read_all(write(tmp_path / "deep.atom", feed))
    assert failures == []
    assert [d.text for d in drafts] == [SENTENCE]


def test_a_feed_entry_nested_past_the_parser_limit_says_so():
    with pytest.raises(importers.files.UnreadableInput) as raised:
        fragment_to_text(nested("<div>", "</div>", 2100, SENTENCE))
    assert raised.value.reason == "HTML nested more than 2048 elements deep: the parser reads no deeper"


# --- item 9: folders that cannot be read -------------------------------------------------


def outcome(paths: list[str]) -> list[list[str]]:
    """[kind, origin, reason or text] of everything read_paths yields."""
    return [
        ["failure", item.origin, item.reason]
        if isinstance(item, ImportFailure)
        else ["draft", item.origin, item.text]
        for item in read_paths(paths)
    ]


# outcome(), run by "nobody" (root reads every folder, whatever its mode).
OUTCOME_AS_NOBODY = """
import json, sys
from briefing_app.core.importers import read_paths
from briefing_app.core.model import ImportFailure
print(json.dumps([
    ["failure", item.origin, item.reason] if isinstance(item, ImportFailure) else ["draft", item.origin, item.text]
    for item in read_paths(sys.argv[1:])
]))
"""


def outcome_as_nobody(paths: list[str]) -> list[list[str]]:
    result = run_python(
        code=OUTCOME_AS_NOBODY, args=paths, unprivileged=True, preload=["json", "briefing_app.core.importers"]
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_unreadable_subfolder_is_a_named_failure():
    with shared_temp_folder() as root:
        inbox = root / "inbox"
        (inbox / "locked").mkdir(parents=True)
        (inbox / "open").mkdir()
        write(inbox / "a.txt", "First article.")
        write(inbox / "locked" / "b.txt", "Locked article.")
        write(inbox / "open" / "c.txt", "Third article.")
        (inbox / "locked").chmod(0)
        result = outcome_as_nobody([str(inbox)])
    assert result == [
        ["draft", str(inbox / "a.txt"), "First article."],
        ["failure", str(inbox / "locked"), "cannot read folder: Permission denied"],
        ["draft", str(inbox / "open" / "c.txt"), "Third article."],
    ]


def test_a_path_behind_a_locked_folder_is_a_named_failure():
    with shared_temp_folder() as root:
        (root / "locked" / "inbox").mkdir(parents=True)
        write(root / "open.txt", "Open article.")
        (root / "locked").chmod(0)
        behind = str(root / "locked" / "inbox")
        result = outcome_as_nobody([behind, str(root / "open.txt")])
    assert result == [
        ["failure", behind, "cannot read: Permission denied"],
        ["draft", str(root / "open.txt"), "Open article."],
    ]


def test_an_unreadable_subfolder_is_reported_without_real_permissions(tmp_path, monkeypatch):
    """The same through os.walk's error path, for a system where permissions cannot bite."""
    (tmp_path / "locked").mkdir()
    write(tmp_path / "a.txt", "First article.")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert outcome([str(tmp_path)]) == [
        ["draft", str(tmp_path / "a.txt"), "First article."],
        ["failure", str(tmp_path / "locked"), "cannot read folder: Permission denied"],
    ]


# --- the last resort ----------------------------------------------------------------------


def test_an_importer_fault_costs_only_its_file(tmp_path, monkeypatch):
    def broken_reader(path):  # type: ignore[no-untyped-def]
        raise KeyError("surprise")
        yield

    monkeypatch.setitem(importers._READERS, ".md", broken_reader)
    write(tmp_path / "a.md", "# A\n\nText.")
    write(tmp_path / "b.txt", "Text of b.")
    items = list(read_path(tmp_path))
    assert items[0] == ImportFailure(str(tmp_path / "a.md"), f"{UNEXPECTED_ERROR} (KeyError: 'surprise')")
    assert isinstance(items[1], ArticleDraft) and items[1].text == "Text of b."


# --- item 9: control characters shown to the user -----------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain/path/é.txt", "plain/path/é.txt"),
        ("a\x1b[2Jb.txt", "a\\x1b[2Jb.txt"),
        ("line\nforged: 0 failed", "line\\nforged: 0 failed"),
        ("tab\there\r", "tab\\there\\r"),
        ("\x7f\x85\x9b", "\\x7f\\x85\\x9b"),
        ("report\u202etxt.exe", "report\\u202etxt.exe"),
        ("iso\u2066late\u2069", "iso\\u2066late\\u2069"),
        ("para\u2029sep", "para\\u2029sep"),
        (os.fsdecode(b"caf\xe9.txt"), "caf\\xe9.txt"),
        ("lone \ud800", "lone \\ud800"),
        ("C:\\Users\\a.txt", "C:\\Users\\a.txt"),
    ],
)
def test_printable_escapes_control_characters(raw, shown):
    assert printable(raw) == shown


def test_a_failure_is_displayed_escaped():
    failure = ImportFailure("in/\x1b]0;pwned\x07.txt", "entry 1 ('a\u202eb'): entry has no text")
    assert failure.for_display() == "in/\\x1b]0;pwned\\x07.txt: entry 1 ('a\\u202eb'): entry has no text"
