"""Saved web pages (.html, .htm), and the HTML fragments that feed entries carry."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document

from briefing_app.core.importers.files import UnreadableInput, read_text_and_encoding
from briefing_app.core.importers.plaintext import PlainTextBuilder
from briefing_app.core.importers.text import markdown_to_text
from briefing_app.core.model import ArticleDraft, FileOrigin
from briefing_app.core.textnorm import iso_date, normalize_text

# htmldate (trafilatura's date finder) settings: the page's own metadata only, and the
# original publication date rather than the last modification.
_DATE_SEARCH = {"extensive_search": False, "original_date": True}


def read_html(path: Path) -> Iterator[ArticleDraft]:
    html, encoding = read_text_and_encoding(path)
    yield replace(
        page_draft(html, origin=str(path)), file_origin=FileOrigin(importer="html", encoding=encoding)
    )


def page_draft(html: str, origin: str) -> ArticleDraft:
    """The main text and metadata of a whole page, by trafilatura.

    trafilatura is handed the HTML string (or a tree parsed here), so it fetches nothing: it
    only downloads when given a URL to `fetch_url`, which this module never calls.
    """
    found = _main_text(html)
    if found is None:
        # trafilatura's parser stops at libxml2's default depth (256 elements), dropping the
        # text below it, which is all of the text of a page nested that deep.
        deep_tree = _deeply_nested_page(html)
        if deep_tree is not None:
            found = _main_text(deep_tree)
    if found is None:
        raise UnreadableInput("no main text found in the page")
    document, text, headings = found
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


def _main_text(page: str | lxml.html.HtmlElement) -> tuple[Document, str, tuple[str, ...]] | None:
    """(trafilatura's document, plain text, headings) of a page, or None if it has no prose."""
    try:
        document = trafilatura.bare_extraction(
            page,
            include_formatting=True,  # its text is then Markdown: headings and lists survive
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=_DATE_SEARCH,
        )
    # trafilatura parses arbitrary pages with lxml; one page it chokes on must not end the
    # import of the others, so its failure is reported as this page's reason.
    except (etree.LxmlError, ValueError, TypeError) as exc:
        raise UnreadableInput(f"HTML extraction failed: {exc}") from exc
    except RecursionError as exc:
        raise UnreadableInput("HTML extraction failed: the page is nested too deeply") from exc
    # A Document, not a dict: bare_extraction makes a dict only when asked (as_dict).
    if not isinstance(document, Document) or not document.text or not document.text.strip():
        return None
    text, headings = markdown_to_text(document.text)
    if not _has_sentence(text):
        return None
    return document, text, headings


# libxml2's default depth limit, in elements (see _parse_html).
LIBXML2_DEFAULT_DEPTH = 256


def _deeply_nested_page(html: str) -> lxml.html.HtmlElement | None:
    """The page parsed in full when the default depth limit cut it short, else None."""
    if html.count("<") < LIBXML2_DEFAULT_DEPTH:  # too few tags to be nested that deep: no parse
        return None
    if _parse_html(html, huge_tree=False)[1] is None:
        return None
    tree, depth_error = _parse_html(html, huge_tree=True)
    if depth_error is not None:
        raise UnreadableInput(depth_error)
    return tree


def _parse_html(html: str, huge_tree: bool) -> tuple[lxml.html.HtmlElement, str | None]:
    """(the document, why the parser stopped reading deeper, if it did).

    huge_tree raises libxml2's depth limit from 256 elements to 2048; past either the parser
    drops what lies deeper, telling only its error log.
    """
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        huge_tree=huge_tree,
        collect_ids=False,
        default_doctype=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        # Bytes: a string that declares its encoding is refused by lxml.
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.LxmlError, ValueError) as exc:
        raise UnreadableInput(f"unreadable HTML: {exc}") from exc
    return tree, _depth_error(parser)


_DEPTH_LIMIT_MESSAGE = re.compile(r"Excessive depth in document: (?P<limit>\d+)")


def _depth_error(parser: etree._FeedParser) -> str | None:
    for entry in parser.error_log:
        match = _DEPTH_LIMIT_MESSAGE.search(entry.message)
        if match:
            return f"HTML nested more than {match['limit']} elements deep: the parser reads no deeper"
    return None


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
    parser = lxml.html.HTMLParser(huge_tree=True)  # see _parse_html
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=parser)
    except (etree.LxmlError, ValueError) as exc:
        raise UnreadableInput(f"unreadable HTML: {exc}") from exc
    depth_error = _depth_error(parser)
    if depth_error is not None:
        raise UnreadableInput(depth_error)
    walker = _FragmentWalker()
    walker.walk(root)
    return normalize_text(walker.out.text()), tuple(walker.out.headings)


# One step of the walk; it returns the steps to take next, before those already waiting.
_Step = Callable[[], list["_Step"]]
# An ordered list's numbering from its "start": ASCII digits only ("²" and "①" are digits
# to str.isdigit but not to int), and few enough to stay a plausible number.
_LIST_START = re.compile(r"\s*(?P<number>[0-9]{1,9})\s*")


class _FragmentWalker:
    """Lays out an element tree as text. The walk keeps its own stack of steps rather than
    recursing, so a fragment nested as deep as the parser reads (2048 elements) is no
    deeper than Python's recursion limit allows."""

    def __init__(self) -> None:
        self.out = PlainTextBuilder()
        self._buffer: list[str] = []  # inline text of the line being built
        self._prefix = ""  # list marker of the line being built

    def walk(self, root: etree._Element) -> None:
        waiting = self._children(root, list_depth=0)[::-1]
        while waiting:
            waiting.extend(waiting.pop()()[::-1])
        self.flush()

    def flush(self) -> None:
        """Write the line being built; a list marker waits for the item's first text."""
        line = "".join(self._buffer)
        self._buffer = []
        if line.strip():
            self.out.line(line, self._prefix)
            self._prefix = ""

    def _children(self, element: etree._Element, list_depth: int) -> list[_Step]:
        steps: list[_Step] = [partial(self._text, element.text or "")]
        for child in element:
            # Comments and processing instructions have a non-string tag; only their tail
            # is text.
            if isinstance(child.tag, str):
                steps.append(partial(self._element, child, list_depth))
            steps.append(partial(self._text, child.tail or ""))
        return steps

    def _text(self, text: str) -> list[_Step]:
        self._buffer.append(text)
        return []

    def _element(self, element: etree._Element, list_depth: int) -> list[_Step]:
        tag = str(element.tag).lower()
        if tag in _SKIPPED_TAGS:
            return []
        if tag in _HEADING_TAGS:
            self.flush()
            self.out.heading(element.text_content())
        elif tag == "pre":
            self.flush()
            self.out.preformatted(element.text_content())
        elif tag == "br":
            self.flush()
        elif tag in ("ul", "ol"):
            return self._list(element, ordered=tag == "ol", list_depth=list_depth)
        elif tag == "tr":
            self.flush()
            cells = (" ".join(cell.text_content().split()) for cell in element if cell.tag in _CELL_TAGS)
            self.out.line(" | ".join(cell for cell in cells if cell))
        elif tag == "table" or tag in _BLOCK_TAGS:
            # Inside a list item a paragraph is a line of the item, not a block of its own.
            self._end_block(list_depth)
            return [*self._children(element, list_depth), partial(self._end_block, list_depth)]
        else:  # inline markup (b, i, a, span, ...) or an element unknown here: its text
            return self._children(element, list_depth)
        return []

    def _end_block(self, list_depth: int) -> list[_Step]:
        self.flush()
        if list_depth == 0:
            self.out.start_block()
        return []

    def _list(self, element: etree._Element, ordered: bool, list_depth: int) -> list[_Step]:
        self._end_block(list_depth)
        start = _LIST_START.fullmatch(element.get("start", ""))
        number = int(start["number"]) if start else 1
        steps: list[_Step] = []
        for item in element:
            if item.tag != "li":
                continue
            marker = f"{number}." if ordered else "-"
            steps.append(partial(self._start_item, "  " * list_depth + marker + " "))
            steps.extend(self._children(item, list_depth + 1))
            steps.append(self._end_item)
            number += 1
        steps.append(partial(self._end_block, list_depth))
        return steps

    def _start_item(self, prefix: str) -> list[_Step]:
        self.flush()
        self._prefix = prefix
        return []

    def _end_item(self) -> list[_Step]:
        self.flush()
        self._prefix = ""  # an item without text leaves no marker behind
        return []
