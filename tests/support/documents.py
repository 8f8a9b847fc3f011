"""Input documents built in code for the importer tests: PDF (written by QPdfWriter), e-mail,
mbox, MHTML, .docx and .odt, so no binary test file has to be checked in.

The PDF builder needs a QGuiApplication (pytest-qt's `qapp` fixture); the others need nothing.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape


def write_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    title: str = "",
    author: str = "",
    header: str = "",
    footer: str = "",
    heading: str = "",
    line_width_chars: int = 0,
) -> Path:
    """A text PDF: each page's lines drawn one under the other (an empty string leaves a
    paragraph gap), `header` at the top and `footer` plus "Page N" at the bottom of every
    page, `heading` in a large font above the first page's lines."""
    from PySide6.QtCore import QMarginsF, QRectF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(72)
    if title:
        writer.setTitle(title)
    if author:
        writer.setAuthor(author)
    painter = QPainter(writer)
    body_font = QFont("DejaVu Serif", 11)
    heading_font = QFont("DejaVu Sans", 20)
    small_font = QFont("DejaVu Sans", 8)
    area = painter.viewport()
    width, height = area.width(), area.height()
    for number, lines in enumerate(pages, 1):
        if number > 1:
            writer.newPage()
        y = 0.0
        if header:
            painter.setFont(small_font)
            painter.drawText(QRectF(0, y, width, 14), header)
        y = 40.0
        if heading and number == 1:
            painter.setFont(heading_font)
            painter.drawText(QRectF(0, y, width, 30), heading)
            y += 44
        painter.setFont(body_font)
        for line in lines:
            if line:
                painter.drawText(QRectF(0, y, width, 16), line)
                y += 15
            else:
                y += 12  # a paragraph gap
        painter.setFont(small_font)
        if footer:
            painter.drawText(QRectF(0, height - 30, width, 14), footer)
        painter.drawText(QRectF(0, height - 16, width, 14), f"Page {number}")
    painter.end()
    return path


def write_eml(path: Path, message: EmailMessage) -> Path:
    path.write_bytes(bytes(message))
    return path


def mail(
    subject: str,
    body: str,
    *,
    sender: str = "Aminata Sangaré <a.sangare@sahel-monitor.org>",
    to: str = "desk@example.org",
    date: datetime = datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
    html: str | None = None,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    list_id: str | None = None,
) -> EmailMessage:
    """An e-mail: a text/plain body (and an HTML alternative if given), then attachments
    (file name, MIME type "main/sub", bytes)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(date)
    message["Message-ID"] = f"<{abs(hash(subject))}@example.org>"
    if list_id:
        message["List-Id"] = list_id
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, mime, data in attachments:
        main, sub = mime.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message


def write_mhtml(path: Path, html: str, url: str = "https://news.example.org/sahel/talks") -> Path:
    """A page saved by a browser as a single file: multipart/related with the HTML first."""
    message = EmailMessage()
    message["From"] = "<Saved by Blink>"
    message["Snapshot-Content-Location"] = url
    message["Subject"] = "saved page"
    message["MIME-Version"] = "1.0"
    message.make_related()
    page = EmailMessage()
    page.set_content(html, subtype="html", cte="quoted-printable")
    page["Content-Location"] = url
    message.attach(page)
    image = EmailMessage()
    image.set_content(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png")
    image["Content-Location"] = "https://news.example.org/logo.png"
    message.attach(image)
    path.write_bytes(bytes(message))
    return path


def write_docx(
    path: Path,
    paragraphs: Sequence[tuple[str, str]],
    *,
    title: str = "",
    author: str = "",
    created: datetime | None = None,
) -> Path:
    """A .docx by python-docx: (style, text) paragraphs, style "Title", "Heading 1", ... or
    "" for body text; the core properties given."""
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style or None)
    properties = document.core_properties
    properties.title = title
    properties.author = author
    if created is not None:
        properties.created = created
    document.save(str(path))
    return path


_ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def write_odt(
    path: Path,
    paragraphs: Sequence[tuple[int, str]],
    *,
    title: str = "",
    author: str = "",
    created: str = "",
) -> Path:
    """An .odt as LibreOffice writes it (the parts the importer reads): (heading level, text)
    paragraphs, level 0 for body text; title, initial creator and creation date in meta.xml."""
    body = []
    for level, text in paragraphs:
        if level:
            body.append(f'<text:h text:outline-level="{level}">{escape(text)}</text:h>')
        else:
            # A span and a soft space inside, as office suites write them.
            first, _, rest = text.partition(" ")
            body.append(f"<text:p><text:span>{escape(first)}</text:span><text:s/>{escape(rest)}</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta>'
        f"<dc:title>{escape(title)}</dc:title><meta:initial-creator>{escape(author)}</meta:initial-creator>"
        f"<meta:creation-date>{escape(created)}</meta:creation-date></office:meta></office:document-meta>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", _ODT_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", meta, compress_type=zipfile.ZIP_DEFLATED)
    return path


def set_pdf_creation_date(path: Path, stamp: str) -> Path:
    """Rewrite the creation date QPdfWriter put in the document info ("20240305093000", as
    many characters as it wrote, so every byte offset in the file stays right)."""
    data = path.read_bytes()
    match = re.search(rb"/CreationDate \(D:(\d{14})", data)
    assert match is not None and len(stamp) == 14
    path.write_bytes(data[: match.start(1)] + stamp.encode() + data[match.end(1) :])
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF of one page that is only a picture (no text layer), as a scanner makes."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QImage, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    for x in range(20, 180):
        image.setPixelColor(x, 50, QColor("black"))  # a "line of text", as pixels
    painter = QPainter(writer)
    painter.drawImage(QPoint(0, 0), image)
    painter.end()
    return path


_PDF_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def write_encrypted_pdf(path: Path, user_password: bytes = b"secret") -> Path:
    """A one-page PDF encrypted with the standard security handler (revision 2, RC4 40-bit)
    and a user password, so it cannot be opened without it."""
    padded_user = (user_password + _PDF_PASSWORD_PAD)[:32]
    padded_owner = (b"owner" + _PDF_PASSWORD_PAD)[:32]
    owner_entry = _rc4(hashlib.md5(padded_owner).digest()[:5], padded_user)
    permissions = -44
    file_id = hashlib.md5(b"briefing test").digest()
    key = hashlib.md5(padded_user + owner_entry + struct.pack("<i", permissions) + file_id).digest()[:5]
    user_entry = _rc4(key, _PDF_PASSWORD_PAD)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + owner_entry.hex().encode()
        + b"> /U <"
        + user_entry.hex().encode()
        + b"> /P "
        + str(permissions).encode()
        + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Encrypt 4 0 R "
        f"/ID [<{file_id.hex()}> <{file_id.hex()}>] >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(out))
    return path
