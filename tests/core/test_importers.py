import shutil
import socket
from pathlib import Path

import feedparser
import pytest

from briefing_app.core.importers import SUPPORTED_SUFFIXES, count_inputs, input_files, read_file, read_path
from briefing_app.core.importers import files as importer_files
from briefing_app.core.model import ArticleDraft, ImportFailure
from briefing_app.core.textnorm import normalize_text

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "seed" / "russia-sahel-talks.txt"
WIKINEWS_GAO = (
    ROOT
    / "data"
    / "wikinews"
    / "108294_Government_Accountability_Office_requests_rerun_of_US_Air_Force_tanker_bid.txt"
)
FIXTURES = ROOT / "tests" / "data" / "importers"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""


def read_all(path):
    items = list(read_path(path))
    drafts = [item for item in items if isinstance(item, ArticleDraft)]
    failures = [item for item in items if isinstance(item, ImportFailure)]
    return drafts, failures


def only_failure(path):
    drafts, failures = read_all(path)
    assert drafts == []
    assert len(failures) == 1
    assert failures[0].origin == str(path)
    return failures[0].reason


def write(tmp_path, name, data):
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach the network fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --- plain text -----------------------------------------------------------------------


def test_seed_article_metadata():
    (draft,) = read_path(SEED)
    assert draft.text == normalize_text(SEED.read_text(encoding="utf-8"))
    assert draft.title == "Russian Foreign Minister Sergey Lavrov is set to hold negotiations in Moscow…"
    assert draft.source == "TASS"
    assert draft.url is None
    assert draft.published is None
    assert draft.origin == str(SEED)


def test_wikinews_article_metadata():
    (draft,) = read_path(WIKINEWS_GAO)
    assert draft.title == "Government Accountability Office requests rerun of US Air Force tanker bid"
    assert draft.published == "2008-07-02"
    assert draft.source == "Wikinews"
    assert draft.url == (
        "http://en.wikinews.org/wiki/Government_Accountability_Office_requests_rerun_of_US_Air_Force_tanker_bid"
    )
    # The whole file is the text, title and source lines included, so offsets match the file.
    assert draft.text == WIKINEWS_GAO.read_text(encoding="utf-8").rstrip("\n")


def test_text_with_bom_and_crlf_is_read(tmp_path):
    path = write(tmp_path, "a.txt", b"\xef\xbb\xbfTalks in Moscow\r\nMarch 01, 2008\r\nThe talks began.\r\n")
    (draft,) = read_path(path)
    assert draft.text == "Talks in Moscow\nMarch 01, 2008\nThe talks began."
    assert (draft.title, draft.published) == ("Talks in Moscow", "2008-03-01")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n", "empty file (only whitespace)"),
        (b"PNG\x00\x01\x02", "binary file (NUL byte at offset 3)"),
        (b"\xef\xbb\xbfok \xff", "not UTF-8 text (byte 0xff at offset 6)"),
        (bytes(range(1, 256)), "not UTF-8 text (byte 0x80 at offset 127), nor text in a legacy encoding"),
    ],
)
def test_unreadable_text_files(tmp_path, data, reason):
    assert only_failure(write(tmp_path, "broken.txt", data)) == reason


def test_file_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(importer_files, "MAX_FILE_BYTES", 10)
    reason = only_failure(write(tmp_path, "big.txt", "x" * 11))
    assert reason.startswith("file too large")


# --- Markdown -------------------------------------------------------------------------


def test_markdown_article():
    (draft,) = read_path(FIXTURES / "briefing.md")
    assert draft.title == "Sahel ministers in Moscow"
    assert (draft.published, draft.author) == ("2024-09-25", "Jane Analyst")
    assert (draft.source, draft.url) == ("Desk notes", "https://example.org/notes/sahel")
    assert draft.headings == ("Sahel ministers in Moscow", "Agenda")
    lines = draft.text.split("\n")
    assert lines[0] == "Sahel ministers in Moscow"
    # Emphasis and links reduced to their words, soft breaks joined.
    assert "The foreign ministers of Burkina Faso, Mali and Niger meet Sergey Lavrov in Moscow." in lines
    assert lines[6:10] == [
        "1. Security cooperation",
        "2. Trade and grain deliveries",
        "  - wheat",
        "  - fertilizer",
    ]
    assert ["Line with a hard break", "after it."] == lines[11:13]
    assert 'raw = "kept as is"' in lines
    assert "---" not in draft.text and "*" not in draft.text and "](" not in draft.text


def test_markdown_without_front_matter_takes_its_opening_heading(tmp_path):
    path = write(tmp_path, "n.md", "## Talks resume\n\nThe talks resumed on Monday.\n")
    (draft,) = read_path(path)
    assert (draft.title, draft.published, draft.headings) == ("Talks resume", None, ("Talks resume",))


def test_markdown_bad_date_and_empty_body(tmp_path):
    bad_date = write(tmp_path, "d.md", "---\ndate: next spring\n---\nText.\n")
    assert only_failure(bad_date) == "front matter: date is not a complete date: 'next spring'"
    no_body = write(tmp_path, "e.md", "---\ntitle: Nothing\n---\n")
    assert only_failure(no_body) == "no text after the front matter"


# --- HTML -----------------------------------------------------------------------------


def test_saved_web_page(no_network):
    (draft,) = read_path(FIXTURES / "page.html")
    assert draft.title == "Lavrov meets Sahel ministers"
    assert (draft.author, draft.published) == ("Ivan Petrov", "2024-09-25")
    assert (draft.source, draft.url) == ("Example Wire", "https://wire.example.org/2024/09/lavrov-sahel")
    assert draft.headings == ("Lavrov meets Sahel ministers", "Security cooperation", "Trade")
    assert "Russian Foreign Minister Sergey Lavrov held talks in Moscow" in draft.text
    assert "\nSecurity cooperation\n" in draft.text
    for boilerplate in ("TRACKING SCRIPT TEXT", "color: black", "World desk menu", "Footer boilerplate"):
        assert boilerplate not in draft.text


def test_page_without_main_text_fails(tmp_path, no_network):
    page = (
        "<html><body><nav><a href='/'>Home</a><a href='/w'>World</a></nav>"
        "<footer>(c) 2024</footer></body></html>"
    )
    assert only_failure(write(tmp_path, "menu.html", page)) == "no main text found in the page"


def test_binary_page_fails(tmp_path):
    assert (
        only_failure(write(tmp_path, "x.htm", b"<html>\x00</html>")) == "binary file (NUL byte at offset 6)"
    )


# --- feeds ----------------------------------------------------------------------------


def test_rss_feed_entries_and_an_entry_without_text(no_network):
    path = FIXTURES / "wire.rss"
    drafts, failures = read_all(path)
    assert [d.title for d in drafts] == ["Lavrov meets Sahel ministers", "ECOWAS reacts"]
    first = drafts[0]
    assert (
        first.text
        == "Russian Foreign Minister Sergey Lavrov held talks in Moscow.\n\nTrade was on the agenda."
    )
    assert (first.source, first.author, first.published) == (
        "Example Wire: World",
        "Ivan Petrov",
        "2024-09-25",
    )
    assert first.url == "https://wire.example.org/2024/09/lavrov-sahel"
    assert failures == [ImportFailure(str(path), "entry 2 ('Headline only'): entry has no text")]


def test_atom_feed_prefers_content_and_strips_html():
    (draft,) = read_path(FIXTURES / "desk.atom")
    assert draft.title == "Sahel alliance summit"
    assert draft.text == (
        "Summit\n\nThe leaders of Burkina Faso, Mali and Niger met in Niamey.\n\n- security\n- trade"
    )
    assert draft.headings == ("Summit",)
    assert (draft.source, draft.author, draft.published) == ("Analyst desk", "Jane Analyst", "2024-09-27")


def test_entity_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("the feed parser must not see a file with entity declarations")

    monkeypatch.setattr(feedparser, "parse", parse)
    reason = only_failure(write(tmp_path, "bomb.xml", BILLION_LAUGHS))
    assert reason == "XML entity declarations refused (possible entity-expansion bomb)"


def test_dtd_internal_subset_is_refused(tmp_path):
    reason = only_failure(write(tmp_path, "dtd.rss", '<!DOCTYPE rss [ <!ATTLIST rss a CDATA "x"> ]><rss/>'))
    assert reason == "XML DTD with an internal subset refused"


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        ('<rss version="2.0"><channel><title>T</title></chan', "malformed XML: unclosed token"),
        ("this is not XML at all", "malformed XML: syntax error"),
        ('<rss version="2.0"><channel><title>T</title></channel></rss>', "feed has no entries"),
        ('<?xml version="1.0"?><root><a>x</a></root>', "not an RSS or Atom feed"),
    ],
)
def test_broken_feeds(tmp_path, xml, reason):
    assert only_failure(write(tmp_path, "feed.xml", xml)) == reason


# --- JSON -----------------------------------------------------------------------------


def test_jsonl_good_lines_import_and_bad_lines_are_named():
    path = FIXTURES / "records.jsonl"
    drafts, failures = read_all(path)
    assert [d.title for d in drafts] == ["First record", "A record without a title", "Last good record"]
    assert drafts[0] == ArticleDraft(
        text="Mali and Niger cut ties with Ukraine.",
        title="First record",
        source="Desk",
        url="https://example.org/1",
        author="Jane",
        published="2024-08-06",
        origin=f"{path} line 1",
    )
    assert drafts[2].published == "2024-01-28"
    assert [f.reason for f in failures] == [
        "line 3: invalid JSON: Expecting value (column 29)",
        "line 4: missing 'text'",
        "line 6: expected an object, found a list",
        "line 7: 'published' is not a complete date: 'sometime in spring'",
    ]
    assert {f.origin for f in failures} == {str(path)}


def test_json_list_of_records():
    drafts, failures = read_all(FIXTURES / "records.json")
    assert [(d.title, d.published) for d in drafts] == [
        ("Alliance founded", "2023-09-06"),
        ("Confederation", None),
    ]
    assert [f.reason for f in failures] == ["item 2: missing 'text'"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ('{"text": "unterminated', "invalid JSON: Unterminated string starting at (column 10)"),
        (
            '{\n"text": "a",\n}',
            "invalid JSON: Expecting property name enclosed in double quotes (line 3, column 1)",
        ),
        ("[]", "empty list"),
        ("42", "expected an object or a list of objects, found a number"),
        ('{"text": ["a"]}', "'text' must be a string, found a list"),
        ('{"text": "ok", "url": 5}', "'url' must be a string, found a number"),
        ('{"text": "  "}', "empty 'text'"),
    ],
)
def test_broken_json(tmp_path, data, reason):
    assert only_failure(write(tmp_path, "r.json", data)) == reason


# --- paths and folders ----------------------------------------------------------------


def test_folder_with_broken_files_among_good_ones(tmp_path):
    for fixture in ("briefing.md", "page.html", "desk.atom"):
        shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    nested = tmp_path / "nested"
    nested.mkdir()
    shutil.copy(SEED, nested / "seed.txt")
    broken = [
        write(tmp_path, "binary.txt", b"\x00\x01"),
        write(nested, "damaged.md", b"\xef\xbb\xbfCaf\xe9"),  # says UTF-8 (BOM), is not
        write(tmp_path, "bomb.rss", BILLION_LAUGHS),
    ]
    write(tmp_path, "photo.png", b"\x89PNG\x00")  # unsupported: skipped
    write(tmp_path, ".hidden.txt", "Hidden notes are skipped.")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git", "HEAD.txt", "not an article")

    assert count_inputs([tmp_path]) == 7
    drafts, failures = read_all(tmp_path)
    assert sorted(d.origin for d in drafts) == sorted(
        [
            str(tmp_path / "briefing.md"),
            str(tmp_path / "page.html"),
            f"{tmp_path / 'desk.atom'} entry 1",
            str(nested / "seed.txt"),
        ]
    )
    assert sorted(f.origin for f in failures) == sorted(str(path) for path in broken)


def test_input_files_are_sorted_and_recursive(tmp_path):
    (tmp_path / "b").mkdir()
    paths = [
        write(tmp_path / "b", "z.txt", "Z."),
        write(tmp_path, "a.jsonl", "{}"),
        write(tmp_path, "c.MD", "C."),
    ]
    assert input_files(tmp_path) == sorted(paths)
    assert input_files(paths[0]) == [paths[0]]


def test_missing_path_and_unsupported_file(tmp_path):
    assert only_failure(tmp_path / "nope") == "no such file or folder"
    reason = only_failure(write(tmp_path, "photo.png", b"\x89PNG"))
    assert reason.startswith("unsupported file type '.png' (supported: ")
    assert set(SUPPORTED_SUFFIXES) >= {
        ".txt",
        ".md",
        ".html",
        ".htm",
        ".xml",
        ".rss",
        ".atom",
        ".jsonl",
        ".json",
    }


def test_a_folder_named_like_a_file_is_not_read_as_one(tmp_path):
    folder = tmp_path / "odd.txt"
    folder.mkdir()
    assert list(read_file(folder)) == [ImportFailure(str(folder), "not a regular file")]
