"""Hostile input to every importer: nothing escapes, every failure has a reason, and what the
library held before is byte-identical after.

Files of every supported kind are generated (random text, but above all structured hostility:
dates out of the calendar, odd and huge numbers, deep nesting, lone surrogates, NULs, odd
encodings, entity declarations), written to a folder, read with `read_paths` and stored with
`Library.import_items`, as `briefing import` does.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.core.importers import SUPPORTED_SUFFIXES, read_paths
from briefing_app.core.importers.files import UNEXPECTED_ERROR
from briefing_app.core.model import ArticleDraft, ImportFailure
from briefing_app.core.store import Library
from tests.support.fuzz import default_fuzz, slow_fuzz

SENTENCE = "The ministers of Mali and Niger met in Bamako on Monday to discuss the grain deliveries."

BAD_DATES = [
    "0000-01-01",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "10000-01-01",
    "-0001-01-01",
    "2024-02-30",
    "2024-13-01",
    "2024-00-00",
    "Sat, 01 Jan 0000 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 -1400",
    "March 45, 2008",
    "February 29, 1900",
    "２０２４-０９-２５",
    "²⁰²⁴-09-25",
    "1e309",
    "NaN",
    "",
    " ",
    "2024-09-25",  # a good one among them
    "Wed, 25 Sep 2024 10:00:00 GMT",
]
ODD_NUMBERS = ["²", "①", "٣", "Ⅻ", "-1", "0", "00", "9" * 5000, "1e999", "-0", "0x1F", " 7 ", "", "NaN"]
HOSTILE_SNIPPETS = [
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\ufeff",
    "\u2028",
    "\r",
    "\x85",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "&#x110000;",
    "&#99999999999;",
    "&lol;",
    "]]>",
    "<![CDATA[",
    "-->",
    "<!--",
    "\\ud800",
    "\\u0000",
    "\U0001f1f2",
    "e\u0301",
    SENTENCE,
]

snippets = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE_SNIPPETS + BAD_DATES + ODD_NUMBERS[:-3]),
)
hostile_text = st.lists(snippets, max_size=6).map(" ".join)
# Mostly shallow, sometimes around the parsers' limits (markdown-it 100, libxml2 256 / 2048).
depths = st.sampled_from([*range(9)] * 4 + [20, 21, 99, 100, 101, 255, 256, 257, 1000, 2047, 2100])


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    tag = draw(
        st.sampled_from(["div", "blockquote", "ol", "ul", "li", "p", "span", "table", "tr", "td", "b", "pre"])
    )
    start = draw(st.sampled_from(ODD_NUMBERS))
    depth = draw(depths)
    inner = draw(st.sampled_from([SENTENCE, ""])) + draw(hostile_text)
    opening = f'<{tag} start="{start}">' if tag == "ol" else f"<{tag}>"
    return draw(hostile_text) + opening * depth + inner + f"</{tag}>" * draw(st.sampled_from([depth, 0, 1]))


@st.composite
def plain_texts(draw: st.DrawFn) -> str:
    lines = [draw(hostile_text)]
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(BAD_DATES)))
    lines += [draw(st.sampled_from([SENTENCE, ""])), draw(hostile_text)]
    return "\n".join(lines)


@st.composite
def markdown_texts(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(f"---\ntitle: {draw(hostile_text)}\ndate: {draw(st.sampled_from(BAD_DATES))}\n---\n")
    depth = draw(depths)
    nesting = draw(st.sampled_from(["> ", "- ", "1. ", "  - ", "> - "]))
    parts.append(nesting * depth + draw(st.sampled_from([SENTENCE, ""])) + draw(hostile_text))
    parts.append(f"{draw(st.sampled_from(ODD_NUMBERS))}. {draw(hostile_text)}")
    parts.append("[" * draw(depths) + draw(hostile_text) + "](x)" * draw(st.integers(0, 3)))
    parts.append(draw(html_fragments()))
    return "\n\n".join(parts)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    prolog = draw(
        st.sampled_from(
            [
                "",
                "<!DOCTYPE html>",
                '<!DOCTYPE html [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>',
                '<?xml version="1.0" encoding="utf-16"?>',
                '<meta charset="utf-32">',
            ]
        )
    )
    date = draw(st.sampled_from(BAD_DATES))
    head = f'<head><title>{draw(hostile_text)}</title><meta property="article:published_time" content="{date}"></head>'
    body = "".join(
        f"<p>{draw(hostile_text)}</p>{draw(html_fragments())}" for _ in range(draw(st.integers(1, 3)))
    )
    return f"{prolog}<html>{head}<body><article>{body}</article></body></html>"


@st.composite
def feeds(draw: st.DrawFn) -> str:
    prolog = draw(
        st.sampled_from(
            [
                '<?xml version="1.0"?>',
                '<?xml version="1.0" encoding="utf-16"?>',
                '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">]>',
                '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd">',
                "<!-- <!DOCTYPE x [ --><?xml version='1.0'?>",
                "",
            ]
        )
    )
    entries = []
    atom = draw(st.booleans())
    for _ in range(draw(st.integers(0, 3))):
        title = draw(st.sampled_from([xml_escape, lambda t: t]))(draw(hostile_text))
        date = draw(st.sampled_from(BAD_DATES))
        fragment = draw(html_fragments())
        content = (f"<![CDATA[{fragment}]]>" if draw(st.booleans()) else xml_escape(fragment)) + draw(
            st.sampled_from(["", "&#0;", "&#xD800;", "&lol;", SENTENCE])
        )
        if atom:
            entries.append(
                f"<entry><title>{title}</title><updated>{date}</updated><published>{date}</published>"
                f'<content type="html">{content}</content></entry>'
            )
        else:
            entries.append(
                f"<item><title>{title}</title><pubDate>{date}</pubDate><description>{content}</description></item>"
            )
    if atom:
        return f'{prolog}<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(hostile_text)}</title>{"".join(entries)}</feed>'
    return f'{prolog}<rss version="2.0"><channel><title>Desk</title>{"".join(entries)}</channel></rss>'


json_strings = st.one_of(
    hostile_text.map(lambda text: json.dumps(text, ensure_ascii=False)),
    hostile_text.map(json.dumps),
    st.sampled_from(['"\\ud800"', '"a\\udfffb"', '"\\u0000"', '"\\ud83c\\uddf2"', '"\\x"', '"unterminated']),
    st.sampled_from(BAD_DATES).map(json.dumps),
)
json_numbers = st.sampled_from(
    ["9" * 4400, "-" + "9" * 5000, "1e999", "-0", "0.0000001", "NaN", "Infinity", "1" * 400]
)


@st.composite
def json_values(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["string", "string", "string", "number", "constant", "nested"]))
    if kind == "string":
        return draw(json_strings)
    if kind == "number":
        return draw(json_numbers)
    if kind == "constant":
        return draw(st.sampled_from(["true", "false", "null", "[]", "{}"]))
    depth = draw(depths)
    return "[" * depth + draw(json_strings) + "]" * depth


@st.composite
def json_records(draw: st.DrawFn) -> str:
    fields = []
    if draw(st.integers(0, 9)):  # mostly with a text
        text = json.dumps(SENTENCE) if draw(st.booleans()) else draw(json_values())
        fields.append(f'"text": {text}')
    names = st.sampled_from(["title", "published", "source", "url", "author", "extra", "text"])
    for name in draw(st.lists(names, max_size=4)):
        fields.append(f'"{name}": {draw(json_values())}')
    return "{" + ", ".join(fields) + "}"


@st.composite
def jsonl_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(json_records(), json_values(), hostile_text), min_size=1, max_size=5))
    return draw(st.sampled_from(["\n", "\r\n", "\u2028", "\n\n"])).join(lines)


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    records = draw(st.lists(st.one_of(json_records(), json_values()), max_size=4))
    return draw(
        st.sampled_from(
            ["[" + ", ".join(records) + "]", records[0] if records else "", "[" + ", ".join(records)]
        )
    )


@st.composite
def mime_messages(draw: st.DrawFn) -> str:
    """An e-mail (or a saved page) with hostile headers, parts, boundaries and encodings."""
    headers = []
    for name in draw(
        st.lists(st.sampled_from(["From", "Subject", "Date", "List-Id", "To", "X"]), max_size=5)
    ):
        value = draw(st.sampled_from(BAD_DATES)) if name == "Date" else draw(hostile_text)
        headers.append(f"{name}: {draw(st.sampled_from(['', '=?utf-8?q?', '=?x-unknown?b?']))}{value}")
    boundary = draw(st.sampled_from(["b", "", '"', "x" * 80, SENTENCE]))
    charset = draw(st.sampled_from(["utf-8", "latin-1", "x-unknown", "utf-16", ""]))
    encoding = draw(st.sampled_from(["7bit", "base64", "quoted-printable", "x-uuencode", ""]))
    subtype = draw(st.sampled_from(["plain", "html"]))
    body = draw(html_fragments()) if subtype == "html" else draw(plain_texts())
    part = (
        f"Content-Type: text/{subtype}; charset={charset}\nContent-Transfer-Encoding: {encoding}\n\n{body}\n"
    )
    attachment = (
        f'Content-Type: application/pdf; name="a.pdf"\nContent-Disposition: attachment; filename="a.'
        f'{draw(st.sampled_from(["pdf", "docx", "odt", "txt", "html", "md"]))}"\n'
        f"Content-Transfer-Encoding: base64\n\n{draw(st.sampled_from(['JVBERi0xLjQ=', '', '!!!', 'UEsDBA==']))}\n"
    )
    if draw(st.booleans()):
        parts = [part] + ([attachment] if draw(st.booleans()) else [])
        closing = draw(st.sampled_from([f"--{boundary}--\n", ""]))
        mime = f'MIME-Version: 1.0\nContent-Type: multipart/{draw(st.sampled_from(["mixed", "related", "alternative"]))}; boundary="{boundary}"\n\n'
        body_text = "".join(f"--{boundary}\n{p}" for p in parts) + closing
        message = "\n".join(headers) + "\n" + mime + body_text
    else:
        message = "\n".join(headers) + "\n" + part
    return message


@st.composite
def mailboxes(draw: st.DrawFn) -> str:
    messages = draw(st.lists(mime_messages(), max_size=3))
    separator = draw(st.sampled_from(["From desk@example.org Tue Mar  5 09:30:00 2024\n", "From \n", ""]))
    return "".join(separator + message + "\n" for message in messages)


@st.composite
def pdf_files(draw: st.DrawFn) -> str:
    """A small PDF by hand (latin-1 text), its offsets, objects and text hostile."""
    text = draw(hostile_text).replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 {draw(st.sampled_from(['11', '0', '-5', '1e9']))} Tf 72 700 Td ({text}) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [3 0 R] /Count {draw(st.sampled_from(['1', '0', '99', '-1']))} >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        f"<< /Length {draw(st.sampled_from([len(stream), 0, 99999]))} >>\nstream\n{stream}\nendstream",
    ]
    info = f"<< /Title ({text}) /CreationDate (D:{draw(st.sampled_from(BAD_DATES))}) >>"
    out = "%PDF-1.4\n"
    for number, body in enumerate([*objects, info], 1):
        out += f"{number} 0 obj\n{body}\nendobj\n"
    out += f"trailer\n<< /Root 1 0 R /Info 5 0 R >>\nstartxref\n{draw(st.integers(0, 10**6))}\n%%EOF\n"
    return out


@st.composite
def office_documents(draw: st.DrawFn, suffix: str) -> bytes:
    """A .docx or .odt zip whose main XML part is hostile (or missing, or not XML)."""
    import io
    import zipfile

    text = draw(st.sampled_from([xml_escape, lambda t: t]))(draw(hostile_text))
    depth = draw(depths)
    if suffix == ".docx":
        name = "word/document.xml"
        xml = (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + "<w:tbl><w:tr><w:tc>" * min(depth, 50)
            + f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
            + "</w:tc></w:tr></w:tbl>" * min(depth, 50)
            + "</w:body></w:document>"
        )
        extra = {
            "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
            "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        }
    else:
        name = "content.xml"
        xml = (
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
            + "<text:list><text:list-item>" * depth
            + f'<text:p>{text}<text:s text:c="{draw(st.sampled_from(ODD_NUMBERS))}"/></text:p>'
            + "</text:list-item></text:list>" * depth
            + "</office:text></office:body></office:document-content>"
        )
        extra = {"meta.xml": f"<x>{text}</x>"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if draw(st.integers(0, 5)):
            archive.writestr(name, xml.encode("utf-8", "surrogatepass"))
        for part_name, part in extra.items():
            if draw(st.booleans()):
                archive.writestr(part_name, part.encode("utf-8", "surrogatepass"))
    data = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:
        data = data[: draw(st.integers(0, len(data)))]  # cut short
    return data


GENERATORS = {
    ".txt": plain_texts(),
    ".md": markdown_texts(),
    ".markdown": markdown_texts(),
    ".html": html_pages(),
    ".htm": html_pages(),
    ".xml": feeds(),
    ".rss": feeds(),
    ".atom": feeds(),
    ".json": json_texts(),
    ".jsonl": jsonl_texts(),
    ".eml": mime_messages(),
    ".mhtml": mime_messages(),
    ".mht": mime_messages(),
    ".mbox": mailboxes(),
    ".pdf": pdf_files(),
}
# Formats that are zip archives: generated as bytes, not as text in an encoding.
BINARY_GENERATORS = {".docx": office_documents(".docx"), ".odt": office_documents(".odt")}
assert set(GENERATORS) | set(BINARY_GENERATORS) == set(SUPPORTED_SUFFIXES), "every importer is fuzzed"


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """The text in UTF-8 mostly; else in an odd encoding, or damaged."""
    how = draw(
        st.sampled_from(
            ["utf-8"] * 6
            + ["utf-8-sig", "utf-16", "utf-32", "utf-16-be", "latin-1", "surrogates", "nul", "cut", "random"]
        )
    )
    if how == "surrogates":  # lone surrogates written as (invalid) UTF-8 bytes
        return (text + "\ud800").encode("utf-8", "surrogatepass")
    if how == "random":
        return draw(st.binary(max_size=200))
    data = (
        text.encode("utf-8", "surrogatepass")
        if how in ("nul", "cut")
        else text.encode(how, "surrogatepass" if how.startswith("utf") else "replace")
    )
    if how == "nul":
        at = draw(st.integers(0, len(data)))
        return data[:at] + b"\x00" + data[at:]
    if how == "cut":  # in the middle of a multi-byte character, say
        return data[: draw(st.integers(0, len(data)))]
    return data


@dataclass(frozen=True)
class InputFile:
    suffix: str
    data: bytes


@st.composite
def input_files(draw: st.DrawFn) -> InputFile:
    suffix = draw(st.sampled_from(sorted([*GENERATORS, *BINARY_GENERATORS])))
    if suffix in BINARY_GENERATORS:
        return InputFile(suffix, draw(BINARY_GENERATORS[suffix]))
    text = draw(GENERATORS[suffix])
    return InputFile(suffix, draw(encoded(text)))


SEED_ARTICLES = [
    ArticleDraft(
        text=f"Seed article {n}.\n\n{SENTENCE}\n\nIt was stored before the hostile import {n}.",
        title=f"Seed article {n}",
        source="Seed desk 5f0c",
        url=f"urn:briefing-test:seed-{n}",
        published="2024-09-25",
        origin=f"seed {n}",
    )
    for n in (1, 2)
]


def stored_rows(library: Library) -> dict[int, tuple[object, ...]]:
    return {row[0]: row for row in library.db.execute("SELECT * FROM articles")}


def check_batch(library: Library, folder: Path, batch: list[InputFile]) -> None:
    """The library is shared by the examples of a run: what earlier ones stored is "stored
    before" too, and may change only as an update by the valid input of this one."""
    for number, item in enumerate(batch):
        (folder / f"input-{number}{item.suffix}").write_bytes(item.data)
    if not library.count_articles():
        for seed in SEED_ARTICLES:
            library.add_draft(seed)
    before = stored_rows(library)

    items = list(read_paths([folder]))
    report = library.import_items(items)

    for item in items:
        assert isinstance(item, ArticleDraft | ImportFailure)
    for failure in report.failed:
        assert isinstance(failure, ImportFailure)
        assert isinstance(failure.reason, str) and failure.reason.strip()
        assert failure.origin.startswith(str(folder))
        assert UNEXPECTED_ERROR not in failure.reason, failure
    drafts = [item for item in items if isinstance(item, ArticleDraft)]
    assert len(report.imported) + len(report.duplicates) + len(report.updated) + len(report.failed) == len(
        items
    )
    assert len(report.failed) >= len(items) - len(drafts)
    after = stored_rows(library)
    changed = {article_id for article_id, row in before.items() if after.get(article_id) != row}
    assert changed <= set(report.updated), "an article changed without an update by valid input"
    seeds = {article_id for article_id, row in before.items() if article_id <= len(SEED_ARTICLES)}
    assert not changed & seeds, "a seed article changed"
    assert set(after) - set(before) == set(report.imported)
    for article_id in report.imported:
        assert library.get_article(article_id).text.strip()


@default_fuzz
@given(batch=st.lists(input_files(), min_size=1, max_size=4))
def test_hostile_input_to_every_importer(tmp_path, library, batch):
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        check_batch(library, Path(folder), batch)


@pytest.mark.slow
@slow_fuzz
@given(batch=st.lists(input_files(), min_size=1, max_size=4))
def test_hostile_input_to_every_importer_thoroughly(tmp_path, library, batch):
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        check_batch(library, Path(folder), batch)
