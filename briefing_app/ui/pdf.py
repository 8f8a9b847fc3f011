"""The briefing as a PDF, printed from its HTML with QTextDocument onto a QPdfWriter.

QTextDocument.print_ lays pages out but cannot add anything around them, so the pages are
painted here one by one, each with a "page N of M" footer. Each article's timeline is drawn
as a figure (timelinefigure.py) and given to the document as an image resource, which the
HTML refers to through its timeline_images hook. Those figures are the only images the document
has: it loads no resource of its own (a note's image is "image omitted" already, and a title is
escaped; this is the second lock).

The export itself (where, what, checked and moved into place) is core's write_export; write_pdf
is the renderer it is given.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRect, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
)

from briefing_app.core.export.briefing import DEFAULT_TITLE, Briefing
from briefing_app.core.export.entry import Selection, write_export
from briefing_app.core.export.html import render_html
from briefing_app.core.store import Library
from briefing_app.ui.inert import InertTextDocument
from briefing_app.ui.timelinefigure import timeline_figure

RESOLUTION = 300  # dots per inch of the layout; text and drawings stay vectors whatever it is
_MM_PER_INCH = 25.4
_CSS_PIXELS_PER_INCH = 96  # the unit of image sizes in the document
# The body's fonts come from the HTML's CSS (Georgia, then DejaVu Serif). DejaVu carries
# accented Latin, Greek and Cyrillic, and ships with nearly every Linux.
FOOTER_FONT_FAMILY = "DejaVu Sans"
FOOTER_POINT_SIZE = 7.5
# Left, top, right, bottom, in millimetres; the footer sits in the bottom margin.
PAGE_MARGINS_MM = QMarginsF(20, 18, 20, 22)
FOOTER_BASELINE_MM = 12  # from the bottom edge of the page
TIMELINE_URL = "briefing-timeline:article-{}"

_application: QGuiApplication | None = None


def export_pdf(
    library: Library,
    out_path: str | os.PathLike[str],
    article_ids: Sequence[int] | None = None,
    tag: str | None = None,
    title: str = DEFAULT_TITLE,
) -> int:
    """Write the briefing on the given articles (or on every article with notes; with `tag`
    only the notes so tagged) as an A4 PDF, and return its number of pages.

    Through write_export: a failed export leaves no file, and an older file at out_path stays
    as it was.
    """
    selection = Selection(tuple(article_ids) if article_ids is not None else None, tag)
    result = write_export(library, "pdf", selection, out_path, write_pdf, title)
    assert result.pages is not None  # a PDF export counts its pages
    return result.pages


def write_pdf(briefing: Briefing, path: Path) -> int:
    """The PDF renderer for write_export: paints the briefing into the file at path and
    returns its number of pages. The file is closed when this returns."""
    _ensure_gui_application()
    return _write_pdf(briefing, path)


def _ensure_gui_application() -> None:
    """Fonts and painting need a QGuiApplication; the CLI has none of its own."""
    global _application
    if QGuiApplication.instance() is None:
        _application = QGuiApplication([])


def _write_pdf(briefing: Briefing, path: Path) -> int:
    """Print the briefing into the PDF file at path; returns the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setTitle(briefing.title)
    writer.setCreator("Briefing Reader")
    writer.setResolution(RESOLUTION)
    # No margins for the writer: the page is painted whole, footer included.
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(),
            QPageLayout.Unit.Millimeter,
        )
    )
    page = writer.pageLayout().fullRectPixels(RESOLUTION)
    margins = _pixels(PAGE_MARGINS_MM)
    body = QRectF(page).adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
    document = briefing_document(briefing, writer, body.size())
    page_count = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write the PDF {path}")
    try:
        for index in range(page_count):
            if index:
                writer.newPage()
            _paint_page(painter, document, body, index)
            _paint_footer(painter, briefing.title, page, index + 1, page_count)
    finally:
        painter.end()
    return page_count


def briefing_document(briefing: Briefing, paint_device: QPdfWriter, page_size: QSizeF) -> QTextDocument:
    """The briefing laid out in pages of page_size (device pixels of paint_device)."""
    document = InertTextDocument()
    # Measured with the writer's fonts and resolution, so what is laid out is what prints.
    document.documentLayout().setPaintDevice(paint_device)
    document.setDocumentMargin(0)
    figure_width = page_size.width() / RESOLUTION * _CSS_PIXELS_PER_INCH
    images = {}
    for section in briefing.sections:
        figure = timeline_figure(section.timeline, figure_width)
        if figure is not None:
            url = TIMELINE_URL.format(section.article.id)
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), figure)
            images[section.article.id] = url
    document.setHtml(render_html(briefing, images))
    document.setPageSize(page_size)
    return document


def _paint_page(painter: QPainter, document: QTextDocument, body: QRectF, index: int) -> None:
    """Paint the index-th page of the laid-out document into the body rectangle."""
    page_height = body.height()
    painter.save()
    painter.translate(body.left(), body.top() - index * page_height)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = QRectF(0, index * page_height, body.width(), page_height)
    context.palette.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.black)
    painter.setClipRect(context.clip)
    document.documentLayout().draw(painter, context)
    painter.restore()


def _paint_footer(painter: QPainter, title: str, page: QRect, number: int, count: int) -> None:
    margins = _pixels(PAGE_MARGINS_MM)
    font = QFont(FOOTER_FONT_FAMILY)
    font.setPointSizeF(FOOTER_POINT_SIZE)
    painter.save()
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.darkGray)
    baseline = page.height() - FOOTER_BASELINE_MM / _MM_PER_INCH * RESOLUTION
    left, right = margins.left(), page.width() - margins.right()
    painter.drawText(QPointF(left, baseline), title)
    label = f"page {number} of {count}"
    painter.drawText(QPointF(right - painter.fontMetrics().horizontalAdvance(label), baseline), label)
    painter.restore()


def _pixels(margins_mm: QMarginsF) -> QMarginsF:
    return margins_mm * (RESOLUTION / _MM_PER_INCH)
