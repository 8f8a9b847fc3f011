"""Plain text (.txt) and Markdown (.md) articles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing_app.core.importers.files import UnreadableInput, read_text_and_encoding
from briefing_app.core.importers.plaintext import PlainTextBuilder
from briefing_app.core.model import ArticleDraft, FileOrigin
from briefing_app.core.textnorm import (
    block_text,
    detect_blocks,
    iso_date,
    normalize_text,
    published_from_dateline,
    source_from_blocks,
    title_from_text,
)


def read_plain_text(path: Path) -> Iterator[ArticleDraft]:
    """A .txt article. The whole file is kept as its text (title, date and source lines
    included), so offsets into the file stay meaningful; metadata is read from those lines."""
    raw, encoding = read_text_and_encoding(path)
    text = normalize_text(raw)
    blocks = detect_blocks(text)
    source, url = source_from_blocks(text, blocks)
    yield ArticleDraft(
        text=text,
        title=block_text(text, blocks, "title") or title_from_text(text),
        source=source,
        url=url,
        published=published_from_dateline(text),
        origin=str(path),
        file_origin=FileOrigin(importer="text", encoding=encoding),
    )


# --- Markdown -----------------------------------------------------------------------------

# YAML-style front matter: "---" lines around "key: value" lines at the very start.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_MATTER_ITEM = re.compile(r"(?P<key>[A-Za-z][\w-]*)[ \t]*:[ \t]*(?P<value>.*)")
# Draft field <- front matter keys, first present wins.
_FRONT_MATTER_KEYS = {
    "title": ("title",),
    "published": ("date", "published", "pubdate"),
    "source": ("source", "publisher", "site"),
    "url": ("url", "link", "canonical_url"),
    "author": ("author", "authors", "byline"),
}

# markdown-it counts each block quote, list and list item as a level of nesting and, past its
# maxNesting, drops what lies deeper without a word. CommonMark's preset allows 20 levels,
# which a thread of quoted e-mails exceeds; 100 (markdown-it's default preset) still keeps its
# recursion well inside Python's limit. Past it the file is refused, saying why.
_MAX_NESTING = 100
_MARKDOWN = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable(["table", "strikethrough"])
# The blocks whose content markdown-it parses as blocks again, one level deeper.
_CONTAINERS = ("blockquote_open", "list_item_open")


def read_markdown(path: Path) -> Iterator[ArticleDraft]:
    """A .md article: the Markdown reduced to plain text, metadata from its front matter."""
    text, encoding = read_text_and_encoding(path)
    yield replace(
        markdown_draft(text, origin=str(path)), file_origin=FileOrigin(importer="markdown", encoding=encoding)
    )


def markdown_draft(source_text: str, origin: str) -> ArticleDraft:
    front, body = split_front_matter(source_text)
    text, headings = markdown_to_text(body)
    if not text:
        raise UnreadableInput("no text after the front matter")
    published = None
    if front.get("published"):
        published = iso_date(front["published"])
        if published is None:
            raise UnreadableInput(f"front matter: date is not a complete date: {front['published']!r}")
    blocks = detect_blocks(text, headings=headings)
    line_source, line_url = source_from_blocks(text, blocks)
    return ArticleDraft(
        text=text,
        title=front.get("title") or _opening_heading(text, headings) or title_from_text(text),
        source=front.get("source") or line_source,
        url=front.get("url") or line_url,
        author=front.get("author"),
        published=published,
        headings=headings,
        origin=origin,
    )


def split_front_matter(source_text: str) -> tuple[dict[str, str], str]:
    """(draft field -> value, the Markdown after the front matter).

    The Markdown is not normalized here: its trailing double spaces are hard line breaks."""
    match = _FRONT_MATTER.match(source_text)
    if not match:
        return {}, source_text
    items = {}
    for line in match.group("body").splitlines():
        item = _FRONT_MATTER_ITEM.fullmatch(line.strip())
        if item:
            items[item.group("key").lower()] = _unquote(item.group("value"))
    if not items:  # a thematic break ("---") that only looks like front matter
        return {}, source_text
    fields = {}
    for field_name, keys in _FRONT_MATTER_KEYS.items():
        value = next((items[key] for key in keys if items.get(key)), None)
        if value:
            fields[field_name] = value
    return fields, source_text[match.end() :]


def _opening_heading(text: str, headings: tuple[str, ...]) -> str | None:
    """The heading the text begins with, which is the document's title."""
    if headings and text.split("\n", 1)[0] == headings[0]:
        return headings[0]
    return None


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value.strip("[]").strip()


def markdown_to_text(markdown: str) -> tuple[str, tuple[str, ...]]:
    """(plain text, heading lines) of Markdown, from markdown-it's token stream."""
    out = PlainTextBuilder()
    list_depth = 0
    item_prefix = ""  # the marker still to print before the first line of a list item
    in_heading = False
    table_cells: list[str] | None = None
    tokens = _MARKDOWN.parse(markdown)
    if any(token.type in _CONTAINERS and token.level + 1 >= _MAX_NESTING for token in tokens):
        raise UnreadableInput(
            f"Markdown nested too deeply (block quotes and lists deeper than {_MAX_NESTING} levels, "
            "a list counting two): the text inside cannot be read"
        )
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if list_depth == 0:
                out.start_block()
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            if list_depth == 0:
                out.start_block()
        elif kind == "list_item_open":
            marker = f"{token.info}{token.markup}" if token.info else "-"
            item_prefix = "  " * (list_depth - 1) + marker + " "
        elif kind == "heading_open":
            in_heading = True
        elif kind == "heading_close":
            in_heading = False
        elif kind == "paragraph_open" and list_depth == 0:
            out.start_block()
        elif kind == "tr_open":
            table_cells = []
        elif kind == "tr_close":
            out.line(" | ".join(table_cells or ()))
            table_cells = None
        elif kind == "table_open":
            out.start_block()
        elif kind in ("fence", "code_block"):
            out.preformatted(token.content)
        elif kind == "inline":
            text = _inline_text(token)
            if in_heading:
                out.heading(text)
            elif table_cells is not None:
                table_cells.append(" ".join(text.split()))
            elif list_depth:
                indent = "  " * list_depth
                first, *rest = text.split("\n")
                out.line(first, item_prefix or indent)
                out.lines("\n".join(rest), indent)
                item_prefix = ""
            else:
                out.lines(text)
        # Raw HTML blocks, rules and the closing tokens not handled above carry no text.
    return normalize_text(out.text()), tuple(out.headings)


def _inline_text(token: Token) -> str:
    """The text of an inline token: emphasis and links reduced to their words, code spans
    kept, images as their alt text, hard breaks as "\\n"; inline HTML tags dropped."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)
