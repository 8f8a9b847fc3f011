"""Note bodies (the analyst's Markdown) rendered inert, for every place that shows or exports one.

A note body is typed by the analyst, but it can hold anything pasted from anywhere, and an export
is sent on. So whatever renders a body goes through here, and the result reaches nothing outside
the article: raw HTML is text (markdown-it in CommonMark mode with HTML off), no image is loaded
("image omitted" stands in its place: the app draws its own figures, a note cannot bring one in,
neither from the web nor from the analyst's disk), and a link stays a link only to http(s) or
mailto (anything else keeps its text, not its target).

The body is parsed once; the same inert tokens are written out as HTML (the HTML and PDF exports,
the notes pane's preview) or as Markdown again (the Markdown export).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape as escape_html

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

IMAGE_OMITTED = "image omitted"
_LINK_SCHEMES = re.compile(r"(?:https?://|mailto:)\S", re.IGNORECASE)
# Characters that would turn text into Markdown markup anywhere in a line; "&" only where it
# would start an entity (a bare "&" is text in Markdown).
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>#|~])|&(?=#?\w+;)")
# What makes a line a list item, heading underline or thematic break when it starts one.
_LINE_START_MARKUP = re.compile(r"^([-+=])|^(\d{1,9})([.)])")


def _accept_every_link(url: str) -> bool:
    """Every destination parses as a link or image: which ones stay is decided on the tokens
    (an image that did not parse would show its raw Markdown instead of "image omitted")."""
    return True


# Past markdown-it's maxNesting (CommonMark's preset: 20) what lies deeper is dropped without
# a word; at 100 (as the Markdown importer) its recursion stays well inside Python's limit,
# and a body nested deeper still is shown as written, in a code block (_as_written).
MAX_NESTING = 100
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
_CONTAINERS = ("blockquote_open", "list_item_open")
_MARKDOWN.validateLink = _accept_every_link  # type: ignore[method-assign]


def link_allowed(url: str | None) -> bool:
    """Whether a link may keep its target: http(s) and mailto only."""
    return url is not None and _LINK_SCHEMES.match(url.strip()) is not None


def note_tokens(body: str) -> list[Token]:
    """The body parsed, with images and links to anything but http(s)/mailto made inert."""
    tokens = _MARKDOWN.parse(body)
    if any(token.type in _CONTAINERS and token.level + 1 >= MAX_NESTING for token in tokens):
        tokens = _MARKDOWN.parse(_as_written(body))
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _inert_inline(token.children)
    return tokens


def _as_written(body: str) -> str:
    """The body as one fenced code block: every character kept, none of it markup."""
    longest = max((len(run) for run in re.findall(r"~+", body)), default=0)
    fence = "~" * max(3, longest + 1)
    return f"{fence}\n{body}\n{fence}\n"


def _inert_inline(children: Sequence[Token]) -> list[Token]:
    kept: list[Token] = []
    open_links: list[bool] = []  # for each open link, whether it is kept
    for token in children:
        if token.type == "image":
            kept.append(_omitted_image(token))
        elif token.type == "link_open":
            allowed = link_allowed(str(token.attrGet("href") or ""))
            open_links.append(allowed)
            if allowed:
                kept.append(token)
        elif token.type == "link_close":
            if open_links.pop() if open_links else False:
                kept.append(token)
        elif token.type in ("html_inline", "html_block"):  # not with html off; text if ever
            kept.append(Token("text", "", 0, content=token.content))
        else:
            kept.append(token)
    return kept


def _omitted_image(image: Token) -> Token:
    alt = _plain_text(image.children or [])
    label = f"[{IMAGE_OMITTED}: {alt}]" if alt.strip() else f"[{IMAGE_OMITTED}]"
    return Token("image_omitted", "", 0, content=label)


def _plain_text(tokens: Sequence[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_plain_text(token.children))
    return "".join(parts)


# -- HTML ------------------------------------------------------------------------------------


def _render_omitted_image(
    self: object, tokens: Sequence[Token], idx: int, options: object, env: object
) -> str:
    return f'<span class="image-omitted">{escape_html(tokens[idx].content)}</span>'


_MARKDOWN.add_render_rule("image_omitted", _render_omitted_image)


def note_html(body: str) -> str:
    """The body as an HTML fragment that loads nothing and links only to http(s)/mailto."""
    return _MARKDOWN.renderer.render(note_tokens(body), _MARKDOWN.options, {})


# -- Markdown ----------------------------------------------------------------------------------


def escape_markdown(text: str) -> str:
    """Text made literal inside a line of Markdown."""
    return _INLINE_MARKUP.sub(lambda m: "\\" + m.group(0), text)


def note_markdown(body: str) -> str:
    """The body as Markdown again, with the same formatting, minus what `note_tokens` takes out.

    Written from the tokens rather than copied, so nothing typed as raw HTML, image or odd link
    reaches a Markdown viewer as one.
    """
    root = SyntaxTreeNode(note_tokens(body))
    return "\n".join(_blocks(root.children)).strip("\n")


def _blocks(nodes: Sequence[SyntaxTreeNode], tight: bool = False) -> list[str]:
    """Lines of a run of blocks; blank lines between them unless in a tight list item."""
    lines: list[str] = []
    for node in nodes:
        if lines and not tight:
            lines.append("")
        lines += _block(node)
    return lines


def _block(node: SyntaxTreeNode) -> list[str]:
    kind = node.type
    if kind == "paragraph":
        return _inline_lines(node.children[0] if node.children else None)
    if kind == "heading":
        level = int(node.tag[1]) if node.tag[1:].isdigit() else 1
        lines = _inline_lines(node.children[0] if node.children else None)
        if len(lines) > 1 and level <= 2:  # a heading of several lines, underlined as typed
            return [*lines, "===" if level == 1 else "---"]
        return [f"{'#' * level} {' '.join(lines)}".rstrip()]
    if kind == "blockquote":
        return [f"> {line}" if line else ">" for line in _blocks(node.children)] or [">"]
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind in ("fence", "code_block"):
        return _code(node)
    if kind == "hr":
        return ["***"]  # "---" under a line of a tight list item would make it a heading
    return [escape_markdown(line) for line in node.content.splitlines()]  # nothing else is expected


def _list(node: SyntaxTreeNode) -> list[str]:
    ordered = node.type == "ordered_list"
    start = int(str(node.attrs.get("start", 1))) if ordered else 1
    tight = all(
        child.hidden for item in node.children for child in item.children if child.type == "paragraph"
    )
    lines: list[str] = []
    for number, item in enumerate(node.children, start):
        marker = f"{number}{node.markup or '.'} " if ordered else f"{node.markup or '-'} "
        item_lines = _blocks(item.children, tight) or [""]
        if lines and not tight:
            lines.append("")
        lines.append((marker + item_lines[0]).rstrip())
        lines += [" " * len(marker) + line if line else "" for line in item_lines[1:]]
    return lines


def _code(node: SyntaxTreeNode) -> list[str]:
    # Tildes when the info string has a backtick (a backtick fence cannot carry one).
    mark = "~" if "`" in node.info else "`"
    longest = max((len(run) for run in re.findall(f"{mark}+", node.content)), default=0)
    fence = mark * max(3, longest + 1)
    info = node.info.strip()  # as typed: markdown-it unescapes it when it renders
    code_lines = node.content.split("\n")
    if code_lines[-1] == "":
        code_lines.pop()  # after the newline that ends the last line: no line of its own
    return [fence + info, *code_lines, fence]


def _inline_lines(inline: SyntaxTreeNode | None) -> list[str]:
    if inline is None:
        return [""]
    text = "".join(_inline(child) for child in inline.children)
    return [_escape_line_start(line.lstrip(" ")) for line in text.split("\n")]


def _escape_line_start(line: str) -> str:
    """A line of text that would otherwise start a list item or a heading underline."""
    return _LINE_START_MARKUP.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)


def _inline(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "text":
        return escape_markdown(node.content)
    if kind == "softbreak":
        return "\n"
    if kind == "hardbreak":
        return "\\\n"
    if kind == "code_inline":
        return _code_span(node.content)
    if kind == "image_omitted":
        return f"*{escape_markdown(node.content)}*"
    inner = "".join(_inline(child) for child in node.children)
    if kind in ("em", "strong"):
        return f"{node.markup}{inner}{node.markup}"
    if kind == "link":
        # An "&" is escaped: "&amp;" kept from an autolink would be read back as an entity.
        href = str(node.attrs.get("href", "")).replace("&", "\\&")
        destination = f"<{href}>" if re.search(r"[\s()<>]", href) else href
        title = str(node.attrs.get("title") or "")
        if title:
            title_text = title.replace("\\", "\\\\").replace('"', '\\"')
            destination += f' "{title_text}"'
        return f"[{inner}]({destination})"
    return inner


def _code_span(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    # One space each side is taken off when both have one (unless the code is only spaces); so a
    # span that starts or ends with a backtick or has a space at both ends gets one more each side.
    spaced = code.startswith(" ") and code.endswith(" ") and code.strip(" ") != ""
    padded = f" {code} " if code.startswith("`") or code.endswith("`") or spaced else code
    return f"{ticks}{padded}{ticks}"
