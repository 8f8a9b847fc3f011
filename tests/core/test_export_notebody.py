"""Note bodies rendered inert: no raw HTML, no image, links only to http(s) and mailto, in the
HTML (and so the PDF and the preview) and in the Markdown export alike."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from briefing_app.core.export.html import notes_to_html
from briefing_app.core.export.markdown import notes_to_markdown
from briefing_app.core.export.notebody import note_html, note_markdown
from briefing_app.core.model import ArticleDraft
from briefing_app.core.notes import NoteStore
from tests.support.fuzz import default_fuzz

HOSTILE_BODY = (
    "Seen in the readout.\n\n"
    "<script>alert('x')</script>\n\n"
    '<iframe src="http://evil.example/frame"></iframe>\n\n'
    "Inline <img src=http://evil.example/pixel.png> and ![map](http://evil.example/map.png) "
    "and ![secret](/home/analyst/passport.png) and ![f](file:///etc/passwd).\n\n"
    "[click](javascript:alert(1)) [local](/etc/passwd) [data](data:text/html,hi) "
    "<javascript:alert(2)> [ok](https://example.org/a) <mailto:desk@example.org>\n\n"
    "[ref]\n\n[ref]: javascript:alert(3)\n"
)
# A Markdown viewer that lets raw HTML through (as many do): what it makes of an export.
PERMISSIVE_VIEWER = MarkdownIt("commonmark", {"html": True})
TODAY = date(2024, 5, 2)


def reaches_outside(html: str) -> list[str]:
    """What in the HTML would run, load or link anywhere but http(s)/mailto."""
    found = re.findall(r"<(?:script|iframe|img|object|embed|link|style)\b[^>]*>", html, re.IGNORECASE)
    for href in re.findall(r'href="([^"]*)"', html):
        if not re.match(r"(https?://|mailto:)", href):
            found.append(f"href={href}")
    return found


def test_html_of_a_hostile_body_reaches_nothing():
    html = note_html(HOSTILE_BODY)
    assert reaches_outside(html) == []
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html  # shown, as text
    assert html.count("[image omitted") == 3  # the <img> tag is text, the three images omitted
    assert '<span class="image-omitted">[image omitted: secret]</span>' in html
    assert "passport" not in html and "passwd" not in html and "local" in html  # text, not target
    assert '<a href="https://example.org/a">ok</a>' in html
    assert '<a href="mailto:desk@example.org">mailto:desk@example.org</a>' in html
    assert ">click<" not in html and "click" in html  # a javascript: link keeps only its text


def test_markdown_of_a_hostile_body_reaches_nothing_even_in_a_permissive_viewer():
    markdown = note_markdown(HOSTILE_BODY)
    assert not re.search(r"(?<!\\)<(script|iframe|img)", markdown) and "](/" not in markdown
    shown = PERMISSIVE_VIEWER.render(markdown)
    assert reaches_outside(shown) == []
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in shown
    assert "<em>[image omitted: map]</em>" in shown
    assert '<a href="https://example.org/a">ok</a>' in shown


def test_formatting_survives_into_the_markdown_export():
    body = (
        'Both **ministers** met *twice*; see `code` and [the readout](https://example.org/r "R").\n'
        "Second line\\\nafter a hard break\n\n"
        "- one\n- two\n  - nested\n\n"
        "3) three\n4) four\n\n"
        "> quoted\n\n"
        "```python\nprint('<b>')\n```\n\n"
        "1. not 1. a list\n\n"
        "# Heading\n\n***\n\n"
        "AT&T &amp; 2 < 3, 5 > 4 #tag a_b_c ~x~ | col\n"
    )
    markdown = note_markdown(body)
    assert note_html(markdown) == note_html(body)  # the same document, written again
    assert "**ministers**" in markdown and "- nested" in markdown and "```python" in markdown


# Markdown-ish text: the characters that make blocks, code, escapes, entities and autolinks.
# Emphasis (* _) and inline links are left to the examples above: written again, a run like
# "***a*a*" may pair its delimiters differently, and a dropped link leaves spacing behind.
markdownish = st.lists(
    st.sampled_from([*"ab `[])!<>#-+=.1\\\n&;/|~", "http://x.y", "&amp;", "    ", "\n\n"]),
    max_size=40,
).map("".join)


def shown(body: str) -> str:
    """What a reader sees: the HTML, less the newline an unclosed code fence's code lacks, the
    empty paragraph and trailing spaces a link that was dropped leaves, and spaces at the end of
    a line (invisible: "\\ " before a line break is written again as "\\")."""
    html = re.sub(r"[ \n]+</(code|p)>", r"</\1>", note_html(body))
    return re.sub(r" +\n", "\n", re.sub(r"<p></p>\n", "", html))


@default_fuzz
@given(markdownish)
@example("<http://x.y&amp;>")  # an autolink keeps "&amp;" as typed; a written link would decode it
def test_markdown_written_again_renders_as_the_body_did(body):
    """Without images (which become "image omitted"), writing a body again changes nothing a
    reader sees."""
    if "![" in body:
        body = body.replace("![", "!\\[")
    assert shown(note_markdown(body)) == shown(body)


@pytest.fixture
def hostile_library(library):
    article = library.add_draft(
        ArticleDraft(
            text="Mali and Niger left ECOWAS.",
            title='Sahel <img src="/home/analyst/passport.png"> talks',
            url="javascript:alert(document.cookie)",
            origin="t",
        )
    ).article_id
    NoteStore(library).create(article, 0, 4, body=HOSTILE_BODY)
    return library


def test_markdown_export_is_inert(hostile_library):
    markdown = notes_to_markdown(hostile_library, today=TODAY)
    shown = PERMISSIVE_VIEWER.render(markdown)
    assert reaches_outside(shown) == []
    assert '## Sahel \\<img src="/home/analyst/passport.png"\\> talks' in markdown
    assert "<javascript:" not in markdown and "javascript:alert(document.cookie)" in shown  # as text


def test_html_export_is_inert(hostile_library):
    html = notes_to_html(hostile_library, today=TODAY)
    body = html[html.index("<body>") :]
    assert reaches_outside(body) == []
    assert ">Sahel &lt;img src=&quot;/home/analyst/passport.png&quot;&gt; talks</h2>" in body


@pytest.mark.parametrize("depth", [25, 150])
def test_a_deeply_nested_body_loses_no_word(depth):
    """CommonMark's parser drops what is nested past its limit without a word; a note's text
    never goes missing from an export or the preview."""
    body = "> " * depth + "the analyst's conclusion"
    assert "analyst" in note_html(body) and "conclusion" in note_html(body)
    assert "the analyst's conclusion" in note_markdown(body)
