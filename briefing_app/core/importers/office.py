"""Word processor files: .docx (python-docx) and .odt (the OpenDocument XML, read with the
standard library: odfpy's GPL/Apache dual licence is not needed for reading a few elements).

Headings (Word's "Title" and "Heading N" styles, OpenDocument's text:h) become heading
lines; tables become "cell | cell" lines; the core properties give title, author and date.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from briefing_app.core.importers.files import UnreadableInput, read_bytes
from briefing_app.core.importers.plaintext import PlainTextBuilder
from briefing_app.core.model import ArticleDraft, FileOrigin
from briefing_app.core.textnorm import iso_date, normalize_text

# A document whose parts unpack to more than this is refused: a zip bomb, not a report.
_MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def read_docx(path: Path) -> Iterator[ArticleDraft]:
    yield docx_draft(read_bytes(path), origin=str(path))


def read_odt(path: Path) -> Iterator[ArticleDraft]:
    yield odt_draft(read_bytes(path), origin=str(path))


def _open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableInput(f"corrupt {kind} file (not a readable zip archive: {exc})") from exc
    if sum(info.file_size for info in archive.infolist()) > _MAX_UNPACKED_BYTES:
        raise UnreadableInput(f"{kind} file unpacks to more than {_MAX_UNPACKED_BYTES // 2**20} MB")
    return archive


def _draft(
    out: PlainTextBuilder,
    title: str | None,
    author: str | None,
    created: str | None,
    origin: str,
    importer: str,
) -> ArticleDraft:
    text = normalize_text(out.text())
    if not text.strip():
        raise UnreadableInput("no text in the document")
    headings = tuple(out.headings)
    return ArticleDraft(
        text=text,
        title=" ".join((title or "").split()) or (headings[0] if headings else None),
        author=" ".join((author or "").split()) or None,
        published=created,
        headings=headings,
        origin=origin,
        file_origin=FileOrigin(importer=importer),
    )


# --- .docx --------------------------------------------------------------------------------


def docx_draft(data: bytes, origin: str) -> ArticleDraft:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    archive = _open_zip(data, ".docx")  # python-docx's own errors for a bad zip say little
    if "word/document.xml" not in archive.namelist():
        raise UnreadableInput("corrupt .docx file (no word/document.xml in it)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise UnreadableInput(f"corrupt .docx file ({exc})") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and python-docx's own, for a damaged part
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise UnreadableInput(f"corrupt .docx file ({exc})") from exc
        raise
    try:
        out = _docx_text(document)
    except RecursionError as exc:
        raise UnreadableInput("document nested too deeply (tables within tables)") from exc
    properties = document.core_properties
    created = properties.created
    return _draft(
        out,
        properties.title,
        properties.author,
        created.date().isoformat() if isinstance(created, datetime) else None,
        origin,
        "docx",
    )


def _docx_text(document: Any) -> PlainTextBuilder:
    from docx.table import Table

    out = PlainTextBuilder()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            out.start_block()
            for row in block.rows:
                out.line(" | ".join(" ".join(cell.text.split()) for cell in row.cells if cell.text.strip()))
            out.start_block()
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style == "Title" or style.startswith("Heading"):
            out.heading(block.text)
        elif style.startswith("List"):
            out.line(block.text, "- ")
        else:
            out.start_block()
            out.lines(block.text)
    return out


# --- .odt ---------------------------------------------------------------------------------

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _tag(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


_H, _P, _LIST, _LIST_ITEM = (
    _tag("text", "h"),
    _tag("text", "p"),
    _tag("text", "list"),
    _tag("text", "list-item"),
)
_SPACE, _TAB, _BREAK = _tag("text", "s"), _tag("text", "tab"), _tag("text", "line-break")
_NOTE, _TABLE, _ROW, _CELL = (
    _tag("text", "note"),
    _tag("table", "table"),
    _tag("table", "table-row"),
    _tag("table", "table-cell"),
)


def odt_draft(data: bytes, origin: str) -> ArticleDraft:
    archive = _open_zip(data, ".odt")
    try:
        content = ElementTree.fromstring(archive.read("content.xml"))
        meta = ElementTree.fromstring(archive.read("meta.xml")) if "meta.xml" in archive.namelist() else None
    except KeyError as exc:
        raise UnreadableInput("corrupt .odt file (no content.xml in it)") from exc
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError) as exc:
        raise UnreadableInput(f"corrupt .odt file ({exc})") from exc
    body = content.find("office:body/office:text", _NS)
    if body is None:
        raise UnreadableInput("not a text document (no office:text in its content)")
    out = PlainTextBuilder()
    try:
        _odt_blocks(body, out, list_depth=0)
    except RecursionError as exc:
        raise UnreadableInput("document nested too deeply (lists or sections within each other)") from exc
    title = author = created = None
    if meta is not None:
        title = meta.findtext("office:meta/dc:title", default=None, namespaces=_NS)
        author = meta.findtext(
            "office:meta/meta:initial-creator", default=None, namespaces=_NS
        ) or meta.findtext("office:meta/dc:creator", default=None, namespaces=_NS)
        date = meta.findtext("office:meta/meta:creation-date", default="", namespaces=_NS)
        created = iso_date(date[:10]) if date else None
    return _draft(out, title, author, created, origin, "odt")


def _odt_blocks(element: ElementTree.Element, out: PlainTextBuilder, list_depth: int) -> None:
    for child in element:
        if child.tag == _H:
            out.heading(_odt_inline(child))
        elif child.tag == _P:
            if list_depth:
                out.lines(_odt_inline(child), "  " * (list_depth - 1) + "- ")
            else:
                out.start_block()
                out.lines(_odt_inline(child))
        elif child.tag == _LIST:
            out.start_block()
            _odt_blocks(child, out, list_depth + 1)
            out.start_block()
        elif child.tag == _TABLE:
            out.start_block()
            for row in child.iter(_ROW):
                cells = (" ".join(_odt_inline(cell).split()) for cell in row.iter(_CELL))
                out.line(" | ".join(cell for cell in cells if cell))
            out.start_block()
        else:  # sections, list items and other containers: their blocks
            _odt_blocks(child, out, list_depth)


# text:c, the count of a text:s: ASCII digits only ("²" is a digit to str.isdigit, not to int).
_SPACE_COUNT = re.compile(r"[0-9]{1,6}")


def _odt_inline(element: ElementTree.Element) -> str:
    """A paragraph's text: spans' text, text:s as its count of spaces, tabs, line breaks;
    footnotes left out (their text is not part of the sentence they are attached to)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _SPACE:
            count = _SPACE_COUNT.fullmatch(child.get(_tag("text", "c"), "1"))
            parts.append(" " * (min(int(count[0]), 100) if count else 1))
        elif child.tag == _TAB:
            parts.append("\t")
        elif child.tag == _BREAK:
            parts.append("\n")
        elif child.tag != _NOTE:
            parts.append(_odt_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
