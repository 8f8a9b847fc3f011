"""The briefing as a PDF (and as an ODT), made from its HTML with QTextDocument.

The document is laid out once as one long column the width of the page's text; the pages are
then cut from it here, so that they read like a briefing: a heading (or byline) is never the
last thing on a page, and a note (one table: quote, body, tags) moves whole to the next page
unless it is longer than a page; elsewhere a page ends between two lines. Each page is painted
with the handling line at its top and bottom and "page N of M" at its foot.

Timeline figures are painted as vectors onto the page when the layout draws the figure's image
(BriefingFigures replaces Qt's image handler): nothing is rasterised nor kept once the page is
done. They are the only images the document has: it loads no resource of its own (a note's
image is "image omitted" already, and a title is escaped; this is the second lock).

The export itself (where, what, checked and moved into place) is core's write_export; write_pdf
and write_odt are the renderers it is given.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRect, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPyTextObject,
    QTextDocument,
    QTextDocumentWriter,
    QTextFormat,
)

from briefing_app.core.export.briefing import DEFAULT_TITLE, Briefing, BriefingOptions
from briefing_app.core.export.entry import Selection, write_export
from briefing_app.core.export.html import ALL_ARTICLES, KEEP_WITH_NEXT, render_html
from briefing_app.core.export.pdfinfo import PdfInfo, PdfStructureError, add_pdf_info
from briefing_app.core.model import Event
from briefing_app.core.store import Library
from briefing_app.ui.briefingfigure import FigureRows, paint_timeline, timeline_image
from briefing_app.ui.inert import InertTextDocument
from briefing_app.ui.qtstart import use_offscreen_platform

RESOLUTION = 300  # dots per inch of the layout; text and drawings stay vectors whatever it is
_MM_PER_INCH = 25.4
_CSS_PIXELS_PER_INCH = 96  # the unit of image sizes in the document
# The body's fonts come from the HTML's CSS (Georgia, then DejaVu Serif). DejaVu carries
# accented Latin, Greek and Cyrillic, and ships with nearly every Linux.
FOOTER_FONT_FAMILY = "DejaVu Sans"
FOOTER_POINT_SIZE = 7.5
# Left, top, right, bottom, in millimetres; the handling line and footer sit in the margins.
PAGE_MARGINS_MM = QMarginsF(20, 18, 20, 22)
HEADER_BASELINE_MM = 11  # from the top edge of the page
FOOTER_BASELINE_MM = 12  # from the bottom edge of the page
TIMELINE_URL = "briefing-timeline:{}"
# A heading stays with at least this many lines of what follows it when that is too long to
# move whole to the next page.
LINES_KEPT_WITH_HEADING = 3
_HAIR = 0.01  # device pixels
# A table's border is drawn centred on its edge: a page that ends just above the table must
# stop short of it by half the line's width or more (device pixels, at RESOLUTION).
_BORDER_ROOM = 4.0
FIGURE_SHARE = 0.98  # of the text's width: the line an image sits on takes a little room

_application: QGuiApplication | None = None


def export_pdf(
    library: Library,
    out_path: str | os.PathLike[str],
    article_ids: Sequence[int] | None = None,
    tag: str | None = None,
    title: str = DEFAULT_TITLE,
    options: BriefingOptions | None = None,
) -> int:
    """Write the briefing on the given articles (or on every article with notes; with `tag`
    only the notes so tagged) as an A4 PDF, and return its number of pages.

    Through write_export: a failed export leaves no file, and an older file at out_path stays
    as it was.
    """
    selection = Selection(tuple(article_ids) if article_ids is not None else None, tag)
    result = write_export(library, "pdf", selection, out_path, write_pdf, title, options=options)
    assert result.pages is not None  # a PDF export counts its pages
    return result.pages


def write_pdf(briefing: Briefing, path: Path) -> int:
    """The PDF renderer for write_export: paints the briefing into the file at path and
    returns its number of pages. The file is closed when this returns."""
    ensure_gui_application()
    pages = _write_pdf(briefing, path)
    try:
        add_pdf_info(path, pdf_info(briefing))
    except PdfStructureError:
        pass  # a PDF cut short (a full disk): write_export's check says so in its own words
    return pages


def write_odt(briefing: Briefing, path: Path) -> None:
    """The ODT renderer for write_export: the same document, as OpenDocument text (Qt's
    QTextDocumentWriter), which Word and LibreOffice open and the analyst can edit."""
    ensure_gui_application()
    document = InertTextDocument()
    width = _body_width_css()
    images = {}
    for key, events in _timelines(briefing).items():
        image = timeline_image(events, width)
        if image is not None:
            url = TIMELINE_URL.format(key)
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
            images[key] = url
    document.setHtml(render_html(briefing, images, handling_in_text=True))
    writer = QTextDocumentWriter(str(path), b"odf")
    if not writer.write(document):
        raise OSError(f"cannot write the ODT {path}")


def pdf_info(briefing: Briefing) -> PdfInfo:
    # The summary's first paragraph as plain words, else what the briefing is on.
    subject = re.sub(r"[*_`#>]+", "", briefing.summary.strip().split("\n\n")[0])
    if not subject:
        titles = [article.title for article in briefing.articles]
        subject = "; ".join(titles[:5]) + (f"; and {len(titles) - 5} more" if len(titles) > 5 else "")
    return PdfInfo(
        title=briefing.title,
        author=briefing.author,
        subject=" ".join(subject.split()),
        keywords=", ".join(briefing.tags),
        creator="Briefing Reader",
    )


def ensure_gui_application() -> None:
    """Fonts and painting need a QGuiApplication; the CLI has none of its own. Printing needs
    no display: none is touched (offscreen, chosen before the application starts)."""
    global _application
    if QGuiApplication.instance() is None:
        use_offscreen_platform()
        _application = QGuiApplication([])


_ensure_gui_application = ensure_gui_application  # the name older callers know


def _pixels(margins_mm: QMarginsF) -> QMarginsF:
    return margins_mm * (RESOLUTION / _MM_PER_INCH)


def _page_rects() -> tuple[QRect, QRectF]:
    """The A4 page and its text area, in device pixels."""
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(),
        QPageLayout.Unit.Millimeter,
    )
    page = layout.fullRectPixels(RESOLUTION)
    margins = _pixels(PAGE_MARGINS_MM)
    body = QRectF(page).adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
    return page, body


def _body_width_css() -> float:
    _, body = _page_rects()
    return body.width() / RESOLUTION * _CSS_PIXELS_PER_INCH


def _write_pdf(briefing: Briefing, path: Path) -> int:
    """Print the briefing into the PDF file at path; returns the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setTitle(briefing.title)
    if briefing.author:
        writer.setAuthor(briefing.author)
    writer.setCreator("Briefing Reader")
    writer.setResolution(RESOLUTION)
    # No margins for the writer: the page is painted whole, header and footer included.
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(),
            QPageLayout.Unit.Millimeter,
        )
    )
    page, body = _page_rects()
    figures = BriefingFigures(_timelines(briefing))
    document = briefing_document(briefing, writer, body.width(), figures)
    pages = paginate(document, body.height())
    margins = _Margins(briefing, page)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write the PDF {path}")
    try:
        for index, (top, bottom) in enumerate(pages):
            if index:
                writer.newPage()
            _paint_page(painter, document, body, top, bottom)
            margins.paint(painter, index + 1, len(pages))
    finally:
        painter.end()
    return len(pages)


def _timelines(briefing: Briefing) -> dict[int, tuple[Event, ...]]:
    """The events of each timeline figure the briefing shows, by article id (or ALL_ARTICLES)."""
    if not briefing.show_timeline:
        return {}
    if briefing.group_by != "article":
        return {ALL_ARTICLES: briefing.timeline_across()}
    return {section.article.id: section.timeline for section in briefing.sections if section.timeline}


class BriefingFigures(QPyTextObject):
    """Qt's handler of the document's images, replaced: each timeline figure is painted as
    vectors where its image is laid out, from the events (nothing rasterised, nothing kept).

    Each figure's rows and size are worked out once, here: the layout asks a figure's size
    several times (eight in Qt 6.11) and its rows come from parsing every event's dates."""

    def __init__(self, timelines: dict[int, tuple[Event, ...]]) -> None:
        super().__init__()
        self.figures = {TIMELINE_URL.format(key): FigureRows.of(events) for key, events in timelines.items()}
        self.width_css = _body_width_css() * FIGURE_SHARE
        scale = RESOLUTION / _CSS_PIXELS_PER_INCH
        self.sizes = {
            url: QSizeF(self.width_css * scale, figure.height * scale) for url, figure in self.figures.items()
        }
        self.no_figure = QSizeF(self.width_css * scale, 0)

    def image_urls(self) -> dict[int, str]:
        return {int(url.split(":")[1]): url for url, figure in self.figures.items() if figure.height > 0}

    def intrinsicSize(self, doc: QTextDocument, posInDocument: int, format: QTextFormat) -> QSizeF:  # noqa: N802, A002
        return self.sizes.get(format.toImageFormat().name(), self.no_figure)

    def drawObject(  # noqa: N802
        self,
        painter: QPainter,
        rect: QRectF | QRect,
        doc: QTextDocument,
        posInDocument: int,
        format: QTextFormat,  # noqa: N803, A002
    ) -> None:
        figure = self.figures.get(format.toImageFormat().name())
        if figure is None:
            return
        painter.save()
        painter.translate(rect.topLeft())
        painter.scale(RESOLUTION / _CSS_PIXELS_PER_INCH, RESOLUTION / _CSS_PIXELS_PER_INCH)
        paint_timeline(painter, figure, self.width_css)
        painter.restore()


class _BriefingDocument(InertTextDocument):
    figures: BriefingFigures


def briefing_document(
    briefing: Briefing, paint_device: QPdfWriter, width: float, figures: BriefingFigures | None = None
) -> QTextDocument:
    """The briefing laid out as one column `width` device pixels wide (of paint_device)."""
    document = _BriefingDocument()
    # Measured with the writer's fonts and resolution, so what is laid out is what prints.
    layout = document.documentLayout()
    layout.setPaintDevice(paint_device)
    if figures is None:
        figures = BriefingFigures(_timelines(briefing))
    layout.registerHandler(int(QTextFormat.ObjectTypes.ImageObject.value), figures)
    # The handler lives as long as the document. A Qt property would not keep it: Python
    # would delete the handler it made here on return, and the figures would take no room.
    document.figures = figures
    document.setDocumentMargin(0)
    document.setHtml(render_html(briefing, figures.image_urls(), list_figure_events=False))
    document.setTextWidth(width)
    return document


@dataclass(frozen=True)
class _Item:
    """A top-level block or table of the document, as laid out."""

    top: float
    bottom: float
    keep_with_next: bool


def paginate(document: QTextDocument, page_height: float) -> list[tuple[float, float]]:
    """Where each page starts and ends in the laid-out column (device pixels).

    A page ends between two lines; before a group of blocks kept together (headings with
    what follows them, a note) when the group fits on a page but not on this one."""
    items, cuts = _items_and_cuts(document)
    end = document.size().height()
    pages: list[tuple[float, float]] = []
    top = 0.0
    previous_bottom = 0.0
    for group_top, group_bottom, keep_bottom in _groups(items, cuts):
        while group_bottom - top > page_height:
            must_keep = group_bottom if group_bottom - group_top <= page_height else keep_bottom
            if group_top > top and must_keep - top > page_height:
                # The page ends after what came before (the group's top margin is not drawn
                # on it, and the next page starts at the group's first line).
                pages.append((top, max(top, min(previous_bottom, group_top - _BORDER_ROOM))))
                top = group_top
                continue
            index = bisect_right(cuts, top + page_height) - 1
            cut = cuts[index] if index >= 0 and cuts[index] > top else top + page_height
            pages.append((top, cut))
            top = cut
        previous_bottom = group_bottom
    pages.append((top, max(end, top)))
    return pages


def _items_and_cuts(document: QTextDocument) -> tuple[list[_Item], list[float]]:
    """The top-level items in order, and every line's bottom (where a page may end), sorted."""
    layout = document.documentLayout()
    tables = [
        (t.firstPosition(), t.lastPosition(), layout.frameBoundingRect(t))
        for t in document.rootFrame().childFrames()
    ]
    items: list[_Item] = []
    cuts: list[float] = []
    table_index = 0
    block = document.firstBlock()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        text_layout = block.layout()
        for line_number in range(text_layout.lineCount()):
            line = text_layout.lineAt(line_number)
            cuts.append(rect.top() + line.y() + line.height())
        position = block.position()
        while table_index < len(tables) and tables[table_index][1] < position:
            table_index += 1
        if table_index < len(tables) and tables[table_index][0] <= position:
            first, _last, frame_rect = tables[table_index]
            if not items or items[-1].top != frame_rect.top():
                items.append(_Item(frame_rect.top(), frame_rect.bottom(), False))
        elif block.length() > 1 or block.userState() == KEEP_WITH_NEXT:
            items.append(_Item(rect.top(), rect.bottom(), block.userState() == KEEP_WITH_NEXT))
        # else: the empty block Qt puts after each table (its box reaches into the next item)
        block = block.next()
    cuts.sort()
    return items, cuts


def _groups(items: list[_Item], cuts: list[float]) -> list[tuple[float, float, float]]:
    """(top, bottom, keep_bottom) of each run of kept-with-next items and what follows them
    (items up to LINES_KEPT_WITH_HEADING lines: a heading over a list keeps a few entries);
    keep_bottom: how far the run must stay together when it is longer than a page (its
    headings and the first lines of what follows)."""
    groups = []
    index = 0
    while index < len(items):
        start = index
        while items[index].keep_with_next and index + 1 < len(items):
            index += 1
        if index > start:  # headings: take what follows until it has enough lines
            first_cut = bisect_right(cuts, items[index].top)
            enough = cuts[min(first_cut + LINES_KEPT_WITH_HEADING - 1, len(cuts) - 1)]
            while (
                items[index].bottom < enough
                and index + 1 < len(items)
                and not items[index + 1].keep_with_next
            ):
                index += 1
            keep_bottom = min(enough, items[index].bottom)
        else:
            keep_bottom = items[index].bottom
        groups.append((items[start].top, items[index].bottom, keep_bottom))
        index += 1
    return groups


def _paint_page(painter: QPainter, document: QTextDocument, body: QRectF, top: float, bottom: float) -> None:
    """Paint the column from top to bottom into the page's text area."""
    painter.save()
    painter.translate(body.left(), body.top() - top)
    context = QAbstractTextDocumentLayout.PaintContext()
    # A hair inside the page's ends: a line ending exactly where the page starts (or starting
    # where it ends) is not drawn here at all (clipped text would still be in the PDF's text).
    context.clip = QRectF(0, top + _HAIR, body.width(), bottom - top - 2 * _HAIR)
    context.palette.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.black)
    painter.setClipRect(context.clip)
    document.documentLayout().draw(painter, context)
    painter.restore()


class _Margins:
    """The handling line at the top and bottom of each page; the title and "page N of M" at
    the foot. The fonts, their metrics on the page and the elided lines are made on the first
    page and kept: only the page number changes from one page to the next."""

    def __init__(self, briefing: Briefing, page: QRect) -> None:
        self.briefing = briefing
        self.page = page
        margins = _pixels(PAGE_MARGINS_MM)
        dots_per_mm = RESOLUTION / _MM_PER_INCH
        self.footer = page.height() - FOOTER_BASELINE_MM * dots_per_mm
        self.header = HEADER_BASELINE_MM * dots_per_mm
        self.left, self.right = margins.left(), page.width() - margins.right()
        self.font = QFont(FOOTER_FONT_FAMILY)
        self.font.setPointSizeF(FOOTER_POINT_SIZE)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.metrics: QFontMetrics | None = None  # measured with the page's painter
        self.title = ""
        self.handling = ""
        self.handling_left = 0.0

    def _measure(self, painter: QPainter) -> QFontMetrics:
        painter.setFont(self.font)
        metrics = painter.fontMetrics()
        width = self.right - self.left
        self.title = metrics.elidedText(self.briefing.title, Qt.TextElideMode.ElideRight, round(width * 0.4))
        if self.briefing.handling:
            painter.setFont(self.bold)
            bold_metrics = painter.fontMetrics()
            self.handling = bold_metrics.elidedText(
                self.briefing.handling, Qt.TextElideMode.ElideRight, round(width * 0.3)
            )
            self.handling_left = self.page.width() / 2 - bold_metrics.horizontalAdvance(self.handling) / 2
        self.metrics = metrics
        return metrics

    def paint(self, painter: QPainter, number: int, count: int) -> None:
        painter.save()
        metrics = self._measure(painter) if self.metrics is None else self.metrics
        painter.setFont(self.font)
        painter.setPen(Qt.GlobalColor.darkGray)
        painter.drawText(QPointF(self.left, self.footer), self.title)
        label = f"page {number} of {count}"
        painter.drawText(QPointF(self.right - metrics.horizontalAdvance(label), self.footer), label)
        if self.handling:
            painter.setFont(self.bold)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(QPointF(self.handling_left, self.header), self.handling)
            painter.drawText(QPointF(self.handling_left, self.footer), self.handling)
        painter.restore()
