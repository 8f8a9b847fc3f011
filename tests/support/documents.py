"""Input documents built in code for the importer tests: PDF (written by QPdfWriter), e-mail,
mbox, MHTML, .docx and .odt, so no binary test file has to be checked in.

The PDF builder needs a QGuiApplication (pytest-qt's `qapp` fixture); the others need nothing.
"""

from __future__ import annotations

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
