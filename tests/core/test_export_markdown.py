"""Briefings in Markdown and HTML: content, order, escaping."""

from __future__ import annotations

from datetime import date

import pytest

from briefing_app.core.export.html import notes_to_html
from briefing_app.core.export.markdown import notes_to_markdown
from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention
from briefing_app.core.notes import NoteStore

TEXT = (
    "Russian Foreign Minister Sergey Lavrov met the ministers of Mali and Niger in Moscow. "
    "Lavrov said the Alliance of Sahel States was founded on September 6, 2023. "
    "The states left ECOWAS in January 2024. Security ties have grown since 2022."
)
TODAY = date(2024, 5, 2)


def span(passage: str) -> tuple[int, int]:
    start = TEXT.index(passage)
    return start, start + len(passage)


def mention(passage: str, label: str, canonical: str) -> Mention:
    start, end = span(passage)
    return Mention(start, end, passage, label, canonical)


def event(sentence: str, date_start, date_end, mod=None) -> Event:
    start, end = span(sentence)
    return Event(start, end, sentence, date_start, date_end, "day", mod)


@pytest.fixture
def briefing_library(library):
    article = library.add_draft(
        ArticleDraft(
            text=TEXT,
            title="Lavrov <hosts> Sahel & friends",
            source="TASS",
            url="https://example.org/sahel?a=1&b=2",
            published="2024-04-03",
            origin="t",
        )
    ).article_id
    library.save_extraction(
        article,
        Extraction(
            mentions=(
                mention("Sergey Lavrov", "PERSON", "Sergey Lavrov"),
                mention("Lavrov", "PERSON", "Sergey Lavrov"),
                mention("Mali", "GPE", "Mali"),
                mention("ECOWAS", "ORG", "Economic Community of West African States"),
            ),
            events=(
                event("The states left ECOWAS in January 2024.", "2024-01", "2024-01"),
                event(
                    "Lavrov said the Alliance of Sahel States was founded on September 6, 2023.",
                    "2023-09-06",
                    "2023-09-06",
                ),
                event("Security ties have grown since 2022.", "2022", None, "AFTER"),
            ),
            engine="test",
        ),
    )
    store = NoteStore(library)
    store.create_article_note(article, "Overall: *watch* this", tags=["Sahel"])
    store.create(article, *span("Alliance of Sahel States"), body="New bloc; see **AES**.", tags=["AES"])
    store.create(article, *span("Sergey Lavrov"), body="<script>alert('x')</script> & more")
    orphan = store.create(article, *span("left ECOWAS"), body="Exit", tags=["Sahel"])
    store.reanchor_article(article, TEXT, TEXT.replace("left ECOWAS", "quit the bloc"))
    other = library.add_draft(
        ArticleDraft(text="Niger expels French troops.", title="Niger", origin="t")
    ).article_id
    store.create(other, 0, 5, body="Niamey", tags=["Sahel"])
    library.add_draft(ArticleDraft(text="Unrelated article.", title="Unrelated", origin="t"))
    return library, article, other, orphan


def test_markdown_briefing_has_everything_for_each_article(briefing_library):
    library, article, other, _ = briefing_library
    markdown = notes_to_markdown(library, title="Morning brief", today=TODAY)
    assert markdown.startswith("# Morning brief\n\n*2024-05-02*\n")
    assert "1. Lavrov \\<hosts\\> Sahel & friends (TASS · 2024-04-03)" in markdown  # sources
    assert "Unrelated" not in markdown  # no notes on it
    assert "## Lavrov \\<hosts\\> Sahel & friends" in markdown
    assert "<https://example.org/sahel?a=1&b=2>" in markdown
    assert "> Alliance of Sahel States\n\nNew bloc; see **AES**.\n\n*Tags:* AES" in markdown
    assert "Overall: *watch* this" in markdown
    # Article notes first, then passages in text order.
    assert (
        markdown.index("Overall")
        < markdown.index("> Sergey Lavrov")
        < markdown.index("> Alliance of Sahel States")
    )
    # Entities by role (people and organisations first) with labels in words, timeline by date.
    assert "- Sergey Lavrov (Person): 2 mentions\n- Economic Community" in markdown
    assert "- Mali (Country): 1 mention\n" in markdown
    timeline = markdown[markdown.index("### Timeline") :]
    assert (
        timeline.index("since 2022 —")
        < timeline.index("2023-09-06 —")
        < timeline.index("2024-01 — The states left ECOWAS in January 2024.")
    )
    assert "## Niger" in markdown and "Niamey" in markdown


def test_markdown_lists_orphans_apart_with_their_quote(briefing_library):
    library, *_ = briefing_library
    markdown = notes_to_markdown(library, today=TODAY)
    orphans = markdown.index("### Notes whose passage is no longer in the text")
    assert markdown.index("> left ECOWAS\n\nExit") > orphans
    assert markdown.index("> Alliance of Sahel States") < orphans


def test_markdown_for_chosen_articles_and_tags(briefing_library):
    library, article, other, _ = briefing_library
    only_other = notes_to_markdown(library, article_ids=[other], today=TODAY)
    assert "## Niger" in only_other and "Lavrov" not in only_other
    tagged = notes_to_markdown(library, tag="Sahel", today=TODAY)
    assert "Overall" in tagged and "Exit" in tagged and "Niamey" in tagged
    assert "New bloc" not in tagged and "Sergey Lavrov (Person)" in tagged


def test_markdown_of_an_empty_library_is_a_bare_briefing(library):
    assert notes_to_markdown(library, today=TODAY) == "# Briefing\n\n*2024-05-02*\n"


def test_html_escapes_article_text_and_note_markup(briefing_library):
    library, *_ = briefing_library
    html = notes_to_html(library, title="Brief <1> & co", today=TODAY)
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Brief &lt;1&gt; &amp; co</title>" in html
    assert "Lavrov &lt;hosts&gt; Sahel &amp; friends</h2>" in html
    assert "https://example.org/sahel?a=1&amp;b=2" in html
    assert "<script>" not in html
    assert "<p>&lt;script&gt;alert('x')&lt;/script&gt; &amp; more</p>" in html
    assert "<p>New bloc; see <strong>AES</strong>.</p>" in html
    assert "<p>Overall: <em>watch</em> this</p>" in html


def test_html_has_print_css_sections_and_orphans(briefing_library):
    library, *_ = briefing_library
    html = notes_to_html(library, today=TODAY)
    assert "@page" in html
    assert html.count("<h2") == 2  # the two articles
    assert "Sources</h3>" in html  # the appendix
    # Each note is one table (kept on one page); its source quote sits in a ruled box.
    assert (
        '<td class="quote-text">Alliance of Sahel States<p class="cite">— TASS, 2024-04-03, paragraph 1</p>'
        in html
    )
    assert '<table class="note orphan"' in html and "left ECOWAS" in html
    assert '<span class="when">since 2022</span>' in html
    assert 'Sergey Lavrov <span class="label">(Person, 2' in html  # 2 mentions in the article


def test_html_places_the_timeline_figure_when_given(briefing_library):
    library, article, other, _ = briefing_library
    html = notes_to_html(library, today=TODAY, timeline_images={other: 'timeline "2".png'})
    assert '<img src="timeline &quot;2&quot;.png" alt="Timeline of Niger">' in html
    assert html.count("<img") == 1
    assert "<img" not in notes_to_html(library, today=TODAY)
