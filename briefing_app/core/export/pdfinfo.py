"""A PDF's document information (Title, Author, Subject, Keywords, CreationDate), written by
an incremental update: a new Info dictionary, a one-entry cross-reference section and a
trailer appended to the file, which readers take over the first (PDF 1.7, 7.5.6).

Qt's QPdfWriter writes Title, Author, Creator and CreationDate only; pdfinfo, file managers
and document stores read Subject and Keywords from the Info dictionary too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_TAIL = 4096  # the last trailer and startxref sit within the file's last bytes


class PdfStructureError(ValueError):
    """The PDF has no classic trailer this module can extend."""


@dataclass(frozen=True)
class PdfInfo:
    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    creator: str = ""
    created: datetime | None = None  # now when None


def pdf_text_string(text: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, as hex (no escaping needed)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def pdf_date(moment: datetime) -> bytes:
    moment = moment.astimezone(UTC)
    return b"(D:" + moment.strftime("%Y%m%d%H%M%S").encode("ascii") + b"Z)"


def add_pdf_info(path: Path, info: PdfInfo) -> None:
    """Append an Info dictionary with these fields to the PDF at path."""
    size = path.stat().st_size
    with open(path, "rb") as pdf:
        pdf.seek(max(0, size - _TAIL))
        tail = pdf.read()
    startxref = re.findall(rb"startxref\s+(\d+)", tail)
    trailer = re.findall(rb"trailer\s*<<(.*?)>>\s*startxref", tail, flags=re.DOTALL)
    if not startxref or not trailer:
        raise PdfStructureError(f"{path}: no trailer found")
    last = trailer[-1]
    objects = re.search(rb"/Size\s+(\d+)", last)
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", last)
    if objects is None or root is None:
        raise PdfStructureError(f"{path}: the trailer has no /Size or /Root")
    number = int(objects.group(1))
    fields = [
        (b"Title", info.title),
        (b"Author", info.author),
        (b"Subject", info.subject),
        (b"Keywords", info.keywords),
        (b"Creator", info.creator),
        (b"Producer", info.creator),
    ]
    entries = b"".join(b"/" + key + b" " + pdf_text_string(value) + b"\n" for key, value in fields if value)
    entries += b"/CreationDate " + pdf_date(info.created or datetime.now(UTC)) + b"\n"
    ids = re.search(rb"/ID\s*\[[^\]]*\]", last)
    with open(path, "r+b") as pdf:
        pdf.seek(0, 2)
        offset = pdf.tell() + 1  # after the newline written first
        update = b"\n%d 0 obj\n<<\n" % number + entries + b">>\nendobj\n"
        xref = offset + len(update) - 1
        update += b"xref\n%d 1\n%010d 00000 n \n" % (number, offset)
        update += b"trailer\n<<\n/Size %d\n/Root %s\n/Info %d 0 R\n/Prev %s\n" % (
            number + 1,
            root.group(1),
            number,
            startxref[-1],
        )
        if ids is not None:
            update += ids.group(0) + b"\n"
        update += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
        pdf.write(update)
