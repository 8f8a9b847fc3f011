"""PDF reports (.pdf), by PDFium (pypdfium2): text in PDFium's reading order, laid out as
paragraphs, one page after the other.

Each page starts a block of its own (a paragraph running over a page boundary is cut there),
and the offsets where pages begin are kept in the article's provenance, so a passage can be
cited by its page. Lines are joined into paragraphs by the gaps between them; a word hyphenated
at a line end is joined again (PDFium marks such a hyphen); running headers and footers (lines
repeated at the top or bottom of most pages) and page numbers are dropped. A line set in a
clearly larger font than the body is a heading.

No OCR: a PDF without a text layer is named as scanned. An encrypted PDF is refused as
password protected, a damaged or truncated one with PDFium's reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from briefing_app.core.importers.files import UnreadableInput, read_bytes
from briefing_app.core.model import ArticleDraft, FileOrigin
from briefing_app.core.textnorm import normalize_text, published_from_dateline

# PDFium's mark for a hyphen it found at a line end, the line break after it removed.
_SOFT_HYPHEN_MARK = "\ufffe"
# PDFium's line break in extracted text.
_LINE_BREAK = "\r\n"
# How many lines at the top and at the bottom of a page may be a running header or footer.
_EDGE_LINES = 3
# A line at a page's edge repeated (digits aside) on at least this share of pages is running.
_RUNNING_SHARE = 0.6
# A line whose glyphs are this much taller than the body text's is a heading.
_HEADING_SCALE = 1.3
# A gap between lines larger than this share of the line height separates paragraphs.
_PARAGRAPH_GAP = 0.6
# The end-of-file marker, looked for this far from the end (some writers append a little).
_EOF_MARKER, _EOF_WINDOW = b"%%EOF", 2048
_PAGE_NUMBER = re.compile(
    r"(?:(?:page|p\.|seite|página|pagina)\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?"
    r"(?:\s*(?:of|/|sur|de|von)\s*\d{1,4})?",
    re.IGNORECASE,
)
_PDF_DATE = re.compile(r"(?:D:)?(?P<year>\d{4})(?P<month>\d{2})?(?P<day>\d{2})?")


@dataclass(frozen=True)
class _Line:
    text: str
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.top - self.bottom


def read_pdf(path: Path) -> Iterator[ArticleDraft]:
    yield pdf_draft(read_bytes(path), origin=str(path))


def pdf_draft(data: bytes, origin: str) -> ArticleDraft:
    """The text and metadata of a PDF's bytes."""
    if not data.startswith(b"%PDF"):
        raise UnreadableInput("not a PDF file (it does not begin with %PDF)")
    if _EOF_MARKER not in data[-_EOF_WINDOW:]:
        raise UnreadableInput("truncated PDF (no end-of-file marker): the file was cut short")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableInput(_load_error(exc)) from exc
    try:
        pages = []
        for number in range(len(document)):
            try:
                pages.append(_page_lines(document, number))
            except pdfium.PdfiumError as exc:
                raise UnreadableInput(
                    f"damaged PDF (page {number + 1} of {len(document)} cannot be read)"
                ) from exc
        metadata = document.get_metadata_dict(skip_empty=True)
    finally:
        document.close()
    if not any(pages):
        raise UnreadableInput("scanned, no text layer (a PDF of page images; it needs OCR first)")
    pages = _without_running_lines(pages)
    body_height = _body_height(pages)
    texts: list[str] = []
    headings: list[str] = []
    for page in pages:
        text, page_headings = _page_text(page, body_height)
        texts.append(text)
        headings.extend(page_headings)
    text, page_starts = _join_pages(texts)
    if not text.strip():
        raise UnreadableInput("no text besides running headers and page numbers")
    title = " ".join(metadata.get("Title", "").split()) or (headings[0] if headings else None)
    return ArticleDraft(
        text=text,
        title=title,
        author=" ".join(metadata.get("Author", "").split()) or None,
        published=_pdf_date(metadata.get("CreationDate", "")) or published_from_dateline(texts[0]),
        headings=tuple(headings),
        origin=origin,
        file_origin=FileOrigin(importer="pdf", pages=page_starts),
    )


def _load_error(exc: pdfium.PdfiumError) -> str:
    if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
        return "password protected (encrypted PDF): save a copy without the password to import it"
    if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
        return "encrypted with an unsupported security handler"
    if exc.err_code == pdfium_c.FPDF_ERR_FORMAT:
        return "damaged PDF (PDFium cannot parse it)"
    return f"unreadable PDF ({exc})"


def _page_lines(document: pdfium.PdfDocument, number: int) -> list[_Line]:
    """The visual lines of a page in PDFium's reading order, with their vertical extent
    (from the loose box of their first glyph: the font's ascent to descent)."""
    page = document[number]
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
        # One index per character while no character lies outside the BMP (a surrogate
        # pair would shift them); then the positions are not known, only the text.
        positions_known = len(raw) == textpage.count_chars()
        lines: list[_Line] = []
        index = 0
        for piece in re.split(f"({_LINE_BREAK}|{_SOFT_HYPHEN_MARK})", raw):
            if piece in (_LINE_BREAK, _SOFT_HYPHEN_MARK):
                if piece == _SOFT_HYPHEN_MARK and lines:
                    lines[-1] = _Line(lines[-1].text + _SOFT_HYPHEN_MARK, lines[-1].top, lines[-1].bottom)
                index += len(piece)
                continue
            if piece.strip():
                _, bottom, _, top = (
                    textpage.get_charbox(index, loose=True) if positions_known else (0, 0, 0, 0)
                )
                lines.append(_Line(piece, top, bottom))
            index += len(piece)
        return lines
    finally:
        textpage.close()
        page.close()


def _running_key(line: str) -> str:
    """A line with its digits and spacing ignored: "Page 3" and "Page 4" are the same."""
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _without_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """The pages without page numbers and without the lines at their top and bottom that
    recur on most pages (with at least two pages to compare)."""
    counts: Counter[str] = Counter()
    for page in pages:
        edges = {_running_key(line.text) for line in page[:_EDGE_LINES] + page[-_EDGE_LINES:]}
        counts.update(edges)
    running = (
        {key for key, count in counts.items() if count >= max(2, _RUNNING_SHARE * len(pages))}
        if len(pages) >= 2
        else set()
    )
    kept_pages = []
    for page in pages:
        edge = set(range(min(_EDGE_LINES, len(page)))) | set(
            range(max(0, len(page) - _EDGE_LINES), len(page))
        )
        kept_pages.append(
            [
                line
                for number, line in enumerate(page)
                if number not in edge
                or not (_running_key(line.text) in running or _PAGE_NUMBER.fullmatch(line.text.strip()))
            ]
        )
    return kept_pages


def _body_height(pages: list[list[_Line]]) -> float:
    """The line height of the body text: the height most of the characters are set in."""
    characters: Counter[float] = Counter()
    for page in pages:
        for line in page:
            characters[round(line.height, 1)] += len(line.text)
    return characters.most_common(1)[0][0] if characters else 0.0


def _page_text(lines: list[_Line], body_height: float) -> tuple[str, list[str]]:
    """(a page's text, its heading lines): lines joined into paragraphs, a blank line
    between paragraphs; a hyphen PDFium marked at a line end removed."""
    paragraphs: list[list[str]] = []
    headings: list[str] = []
    previous: _Line | None = None
    previous_heading = False
    for line in lines:
        text = " ".join(line.text.split())
        is_heading = body_height > 0 and line.height > _HEADING_SCALE * body_height
        new_paragraph = (
            previous is None
            or is_heading
            or previous_heading
            or line.top > previous.top  # back up the page: a new column or box
            or previous.bottom - line.top > _PARAGRAPH_GAP * max(line.height, previous.height)
        )
        if new_paragraph:
            paragraphs.append([])
        paragraphs[-1].append(text)
        if is_heading:
            headings.append(text)  # a heading over two lines is counted by its first
        previous, previous_heading = line, is_heading
    texts = [_join_lines(paragraph) for paragraph in paragraphs]
    headings = [heading for heading in headings if heading in texts]
    return "\n\n".join(texts), headings


def _join_lines(lines: list[str]) -> str:
    """One paragraph of its lines: a word hyphenated at a line end becomes one again, unless
    its second part is capitalised ("Franco-\\nAfrican" keeps its hyphen)."""
    joined = ""
    for line in lines:
        if joined.endswith(_SOFT_HYPHEN_MARK):
            joined = joined[:-1] + ("-" if line[:1].isupper() else "") + line
        elif joined:
            joined += " " + line
        else:
            joined = line
    return joined.replace(_SOFT_HYPHEN_MARK, "-")


def _join_pages(texts: list[str]) -> tuple[str, tuple[int, ...]]:
    """(the article's text, the offset at which each page's text begins in it)."""
    parts = []
    starts = []
    offset = 0
    for text in texts:
        text = normalize_text(text).strip()
        starts.append(offset)
        if text:
            parts.append(text)
            offset += len(text) + 2
    return "\n\n".join(parts), tuple(min(start, max(0, offset - 2)) for start in starts)


def _pdf_date(value: str) -> str | None:
    """The ISO date (YYYY-MM-DD, or less precise) of a PDF date ("D:20240305093000Z")."""
    match = _PDF_DATE.match(value.strip())
    if not match or not match["month"] or not match["day"]:
        return None
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2999):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
