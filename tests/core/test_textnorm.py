from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.core.model import BLOCK_KINDS
from briefing_app.core.textnorm import (
    detect_blocks,
    iso_date,
    normalize_text,
    parse_source_line,
    published_from_dateline,
    source_from_blocks,
    title_from_text,
)

DATA = Path(__file__).resolve().parents[2] / "data"
SEED = DATA / "seed" / "russia-sahel-talks.txt"
WIKINEWS = sorted((DATA / "wikinews").glob("*.txt"))

# Characters that normalization acts on, mixed into arbitrary text.
_TRICKY = st.sampled_from(
    ["\r\n", "\r", "\n", " ", "\t", "\ufeff", "\u2028", "\u2029", "\x85", "e", "\u0301", "\u0327", "A"]
)
_TEXTS = st.lists(st.one_of(_TRICKY, st.text(max_size=5)), max_size=40).map("".join)


def kinds_and_lines(text, **kwargs):
    return [(block.kind, text[block.start : block.end]) for block in detect_blocks(text, **kwargs)]


def test_normalize_line_ends_bom_trailing_spaces_and_blank_ends():
    raw = "\ufeff\r\n  \nTitle  \r\nBody\rline\t \n\n\n"
    assert normalize_text(raw) == "Title\nBody\nline"


def test_normalize_keeps_inner_blank_lines_and_indentation():
    assert normalize_text("a\n\n\n  b") == "a\n\n\n  b"


def test_normalize_composes_to_nfc():
    assert normalize_text("Traore\u0301") == "Traoré"
    # A BOM between a letter and its accent must not keep them apart.
    assert normalize_text("e\ufeff\u0301") == "é"


def test_normalize_unicode_line_separators_become_newlines():
    assert normalize_text("a\u2028b\u2029c\x85d") == "a\nb\nc\nd"


@given(_TEXTS)
def test_normalize_is_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


def _normalized_step_by_step(s: str) -> str:
    """normalize_text as it was before its quick checks: every step on every text."""
    import re
    import unicodedata

    s = re.sub(r"\r\n|[\r\u2028\u2029\x85]", "\n", s.replace("\ufeff", ""))
    lines = [line.rstrip() for line in unicodedata.normalize("NFC", s).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


_SPACES = st.sampled_from([" ", "\t", "\x0b", "\x0c", "\x1c", "\u00a0", "\u2003", "\u3000", "\n"])


@given(st.lists(st.one_of(_TRICKY, _SPACES, st.text(max_size=5)), max_size=40).map("".join))
def test_normalize_skips_only_the_steps_that_would_change_nothing(raw):
    assert normalize_text(raw) == _normalized_step_by_step(raw)


@pytest.mark.parametrize(
    "line",
    ["1 March 2008", " March 1st, 2008 ", "Saturday, 1 Mar. 2008", "2008-03-01", "2008-03-01T10:00:00Z",
     "2008-03-01 10:00+02:00\t"],
)  # fmt: skip
def test_dates_still_found_by_how_they_end(line):
    assert iso_date(line) == "2008-03-01"
    assert iso_date(line.strip() + ".") is None  # a sentence is no date line


@given(_TEXTS)
def test_blocks_cover_every_non_empty_line(raw):
    text = normalize_text(raw)
    blocks = detect_blocks(text)
    assert [text[b.start : b.end] for b in blocks] == [
        line.strip() for line in text.split("\n") if line.strip()
    ]
    assert all(block.kind in BLOCK_KINDS for block in blocks)


def test_seed_article_blocks():
    text = normalize_text(SEED.read_text(encoding="utf-8"))
    blocks = kinds_and_lines(text)
    headings = [line for kind, line in blocks if kind == "heading"]
    assert headings == [
        "Strengthening Russia-Sahel Relations",
        "Background: The Sahel Alliance and Its Geopolitical Shift",
        "Key Discussion Topics in Moscow",
        "Military and Security Cooperation",
        "Ukraine’s Role in Sahel Instability",
        "Trade, Humanitarian Cooperation, and Economic Partnerships",
        'GSV "Russia - Islamic World"',
    ]
    # The first line is a long paragraph: the article has no title line.
    assert blocks[0][0] == "paragraph"
    assert blocks[0][1].startswith("Russian Foreign Minister Sergey Lavrov is set to hold")
    assert blocks[-2:] == [
        ("caption", "Photo: Russian Foreign Ministry"),
        ("source", "Based on TASS materials"),
    ]
    assert {kind for kind, _ in blocks} == {"paragraph", "heading", "caption", "source"}
    assert len([kind for kind, _ in blocks if kind == "paragraph"]) == 14


def test_seed_article_metadata_from_text():
    text = normalize_text(SEED.read_text(encoding="utf-8"))
    assert source_from_blocks(text, detect_blocks(text)) == ("TASS", None)
    assert published_from_dateline(text) is None
    assert (
        title_from_text(text)
        == "Russian Foreign Minister Sergey Lavrov is set to hold negotiations in Moscow…"
    )


@pytest.mark.parametrize("path", WIKINEWS, ids=lambda p: p.stem)
def test_wikinews_layout(path):
    text = normalize_text(path.read_text(encoding="utf-8"))
    blocks = detect_blocks(text)
    assert [block.kind for block in blocks] == ["title", "dateline", "paragraph", "source"]
    name, url = source_from_blocks(text, blocks)
    assert name == "Wikinews"
    assert url.startswith("http://en.wikinews.org/wiki/") and not url.endswith(")")
    assert published_from_dateline(text) is not None


def test_wikinews_sample_values():
    text = normalize_text(
        (DATA / "wikinews" / "11716_Airbus_wins_Qatar_Airways_order_worth_15bn.txt").read_text()
    )
    assert published_from_dateline(text) == "2005-06-13"
    assert text.split("\n")[0] == "Airbus wins Qatar Airways order worth $15bn"


def test_given_title_and_headings_win_over_shape():
    text = (
        "A title that ends like a sentence.\n"
        "Body text follows here, in a sentence.\n"
        "A heading, punctuated.\n"
        "More body."
    )
    blocks = kinds_and_lines(
        text, title="A title that ends like a sentence.", headings=["A heading, punctuated."]
    )
    assert [kind for kind, _ in blocks] == ["title", "paragraph", "heading", "paragraph"]


def test_a_date_or_caption_first_is_not_a_title():
    assert [kind for kind, _ in kinds_and_lines("March 01, 2008\nPhoto: Airbus\nBody.")] == [
        "dateline",
        "caption",
        "paragraph",
    ]
    assert [kind for kind, _ in kinds_and_lines("Photo: Airbus\nBody.")] == ["caption", "paragraph"]


def test_headings_from_markup_are_the_only_headings():
    text = (
        "The ministers met.\nAgenda\n\n1. Security cooperation\n2. Trade\n\nLine with a hard break\nafter it."
    )
    assert kinds_and_lines(text, headings=["Agenda"]) == [
        ("paragraph", "The ministers met."),
        ("heading", "Agenda"),
        ("paragraph", "1. Security cooperation"),
        ("paragraph", "2. Trade"),
        ("paragraph", "Line with a hard break"),
        ("paragraph", "after it."),
    ]


def test_list_items_are_not_headings_by_shape():
    text = "Intro sentence here.\n1. First item\n- second item\nClosing sentence."
    assert {kind for kind, _ in kinds_and_lines(text)} == {"paragraph"}


def test_short_first_line_is_a_title_only_when_body_follows():
    assert kinds_and_lines("Lone short line") == [("paragraph", "Lone short line")]
    kinds = [kind for kind, _ in kinds_and_lines("Talks in Moscow\nMarch 01, 2008\nBody.")]
    assert kinds == ["title", "dateline", "paragraph"]


def test_captions_and_trailing_source_lines():
    text = "\n".join(
        [
            "First paragraph of the story, with a full stop.",
            "Source: the ministry said so in a statement.",
            "Image: Map of the Sahel",
            "Picture: Lavrov in Moscow",
            "Second paragraph, also a sentence.",
            "(Reuters)",
        ]
    )
    assert [kind for kind, _ in kinds_and_lines(text)] == [
        "paragraph",
        "paragraph",  # a "Source:" line in the body is not the article's source line
        "caption",
        "caption",
        "paragraph",
        "source",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Based on TASS materials", ("TASS", None)),
        ("Based on materials from RIA Novosti.", ("RIA Novosti", None)),
        (
            "Source: Wikinews, http://en.wikinews.org/wiki/X (CC BY 2.5)",
            ("Wikinews", "http://en.wikinews.org/wiki/X"),
        ),
        ("Source: https://example.org/a_(b)", (None, "https://example.org/a_(b)")),
        ("Sources: Reuters (2024)", ("Reuters", None)),
        ("(Reuters)", ("Reuters", None)),
        ("Russia has been actively assisting Sahel nations.", None),
        ("Based on the evidence, the court ruled for Boeing.", None),
    ],
)
def test_parse_source_line(line, expected):
    assert parse_source_line(line) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("March 01, 2008", "2008-03-01"),
        ("June 13, 2005", "2005-06-13"),
        ("Wednesday, 6 September 2023", "2023-09-06"),
        ("Sept. 6th 2023", "2023-09-06"),
        ("2024-01-28", "2024-01-28"),
        ("2024-01-28T10:00:00+03:00", "2024-01-28"),
        ("March 2008", None),  # no day: not completed from today
        ("Tuesday", None),
        ("February 30, 2008", None),
        ("Smarch 1, 2008", None),
        ("On March 1, 2008, talks began.", None),
    ],
)
def test_iso_date_of_date_only_strings(value, expected):
    assert iso_date(value) == expected


def test_dateline_counts_only_near_the_top():
    assert published_from_dateline("Title\nMarch 01, 2008\nBody.") == "2008-03-01"
    assert published_from_dateline("One.\nTwo.\nThree.\nMarch 01, 2008") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. Air Force reopened the bid. Boeing welcomed it.", "The U.S. Air Force reopened the bid"),
        ("Short line without a stop", "Short line without a stop"),
        ("", ""),
        ("A" * 100, "A" * 80 + "…"),
    ],
)
def test_title_from_text(text, expected):
    assert title_from_text(text) == expected
