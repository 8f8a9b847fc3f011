"""Saved web pages (.html, .htm), and the HTML fragments that feed entries carry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import lxml.html
import trafilatura
from lxml import etree

from briefing_app.core.importers.files import UnreadableInput, read_text
from briefing_app.core.importers.plaintext import PlainTextBuilder
from briefing_app.core.importers.text import markdown_to_text
from briefing_app.core.model import ArticleDraft
from briefing_app.core.textnorm import iso_date, normalize_text

if TYPE_CHECKING:
    from trafilatura.settings import Document

# htmldate (trafilatura's date finder) settings: the page's own metadata only, and the
# original publication date rather than the last modification.
_DATE_SEARCH = {"extensive_search": False, "original_date": True}


def read_html(path: Path) -> Iterator[ArticleDraft]:
    yield page_draft(read_text(path), origin=str(path))


def page_draft(html: str, origin: str) -> ArticleDraft:
    """The main text and metadata of a whole page, by trafilatura.

    trafilatura is handed the HTML string, so it fetches nothing: it only downloads when given
    a URL to `fetch_url`, which this module never calls.
    """
    try:
        # Without as_dict=True trafilatura gives a Document (or None), never its dict form.
        document = cast(
            "Document | None",
            trafilatura.bare_extraction(
                html,
                include_formatting=True,  # its text is then Markdown: headings and lists survive
                include_comments=False,
                include_tables=True,
                with_metadata=True,
                date_extraction_params=_DATE_SEARCH,
            ),
        )
    # trafilatura parses arbitrary pages with lxml; one page it chokes on must not end the
    # import of the others, so its failure is reported as this page's reason.
    except (etree.LxmlError, ValueError, TypeError) as exc:
        raise UnreadableInput(f"HTML extraction failed: {exc}") from exc
    if document is None or not (document.text or "").strip():
        raise UnreadableInput("no main text found in the page")
    text, headings = markdown_to_text(document.text or "")
    if not _has_sentence(text):
        raise UnreadableInput("no main text found in the page")
    return ArticleDraft(
        text=text,
        title=document.title or None,
        source=document.sitename or None,
        url=document.url or None,
        author=document.author or None,
        published=iso_date(document.date) if document.date else None,
        headings=headings,
        origin=origin,
    )


# A line of a few words that ends like a sentence.
_SENTENCE_LINE = re.compile(r"^\s*\S+(?:\s+\S+){3,}[.!?…][\"'”’)]*$", re.MULTILINE)


def _has_sentence(text: str) -> bool:
    """Whether extracted text holds prose. Finding no article, trafilatura falls back on
    the whole body, so a page of menus comes back as its menu items: no sentence, no text."""
    return bool(_SENTENCE_LINE.search(text))


# --- fragments ----------------------------------------------------------------------------

_SKIPPED_TAGS = {"script", "style", "noscript", "template", "nav", "iframe", "object", "svg", "head"}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote",
    "figure", "figcaption", "address", "dl", "dt", "dd", "form", "fieldset", "details",
    "summary", "center", "hr",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}


def fragment_to_text(fragment: str) -> tuple[str, tuple[str, ...]]:
    """(plain text, heading lines) of an HTML fragment, such as a feed entry's content.

    trafilatura is for whole pages: it drops a short fragment as not enough main text, so a
    fragment is laid out by walking its elements.
    """
    if not fragment.strip():
        return "", ()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.LxmlError, ValueError) as exc:
        raise UnreadableInput(f"unreadable HTML: {exc}") from exc
    walker = _FragmentWalker()
    walker.walk_children(root, list_depth=0)
    walker.flush()
    return normalize_text(walker.out.text()), tuple(walker.out.headings)


class _FragmentWalker:
    def __init__(self) -> None:
        self.out = PlainTextBuilder()
        self._buffer: list[str] = []  # inline text of the line being built
        self._prefix = ""  # list marker of the line being built

    def flush(self) -> None:
        """Write the line being built; a list marker waits for the item's first text."""
        line = "".join(self._buffer)
        self._buffer = []
        if line.strip():
            self.out.line(line, self._prefix)
            self._prefix = ""

    def walk_children(self, element: etree._Element, list_depth: int) -> None:
        self._buffer.append(element.text or "")
        for child in element:
            # Comments and processing instructions have a non-string tag; only their tail
            # is text.
            if isinstance(child.tag, str):
                self._walk(child, list_depth)
            self._buffer.append(child.tail or "")

    def _walk(self, element: etree._Element, list_depth: int) -> None:
        tag = element.tag.lower()
        if tag in _SKIPPED_TAGS:
            return
        if tag in _HEADING_TAGS:
            self.flush()
            self.out.heading(element.text_content())
        elif tag == "pre":
            self.flush()
            self.out.preformatted(element.text_content())
        elif tag == "br":
            self.flush()
        elif tag in ("ul", "ol"):
            self._walk_list(element, ordered=tag == "ol", list_depth=list_depth)
        elif tag == "tr":
            self.flush()
            cells = (" ".join(cell.text_content().split()) for cell in element if cell.tag in _CELL_TAGS)
            self.out.line(" | ".join(cell for cell in cells if cell))
        elif tag == "table" or tag in _BLOCK_TAGS:
            # Inside a list item a paragraph is a line of the item, not a block of its own.
            self.flush()
            if list_depth == 0:
                self.out.start_block()
            self.walk_children(element, list_depth)
            self.flush()
            if list_depth == 0:
                self.out.start_block()
        else:  # inline markup (b, i, a, span, ...) or an element unknown here: its text
            self.walk_children(element, list_depth)

    def _walk_list(self, element: etree._Element, ordered: bool, list_depth: int) -> None:
        self.flush()
        if list_depth == 0:
            self.out.start_block()
        start = element.get("start", "")
        number = int(start) if start.isdigit() else 1
        for item in element:
            if item.tag != "li":
                continue
            self.flush()
            marker = f"{number}." if ordered else "-"
            self._prefix = "  " * list_depth + marker + " "
            self.walk_children(item, list_depth + 1)
            self.flush()
            self._prefix = ""  # an item without text leaves no marker behind
            number += 1
        if list_depth == 0:
            self.out.start_block()
