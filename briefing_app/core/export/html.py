"""The briefing as one HTML document, styled for print: the PDF and the ODT are made from it.

Everything from articles and notes is escaped. Note bodies are Markdown, rendered inert by
notebody.py: HTML typed into a note shows as text, an image in a note is "image omitted" (the only
images are the timeline figures the app draws), and links go only to http(s) and mailto.

How it reads: a title block (title, author, date, handling line, summary) at the head of the
first page; the notes under their article (or tag, or entity) one after another; each note's
source quote in a ruled box with its citation, the analyst's words below it in the body face;
then key entities, timeline and the sources appendix. The PDF keeps a heading with what follows
it and a note in one piece: blocks that must not end a page carry KEEP_WITH_NEXT as Qt's block
user state (`-qt-user-state`), and every note is one top-level table (ui/pdf.py paginates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from briefing_app.core.export.briefing import (
    DEFAULT_TITLE,
    ArticleSection,
    Briefing,
    KeyEntity,
    article_byline,
    collect_briefing,
    event_when,
)
from briefing_app.core.export.notebody import note_html
from briefing_app.core.model import Article, Event, Note
from briefing_app.core.notes import NOTE_COLORS
from briefing_app.core.store import Library
from briefing_app.core.timeaxis import event_span

# A block with this user state is kept on the page of the block after it (ui/pdf.py).
KEEP_WITH_NEXT = 1
_KEEP = f' style="-qt-user-state: {KEEP_WITH_NEXT}"'
# The key of timeline_images for the one timeline of a briefing grouped by tag or entity
# (article ids start at 1).
ALL_ARTICLES = 0
QUOTE_BOX_BORDER = "#8a8a8a"
FIGURE_ROWS = 24  # the dated events a timeline figure shows (ui/timelinefigure.MAX_ROWS)

# Simple CSS: Qt's rich text (the PDF) understands only part of CSS, and browsers all of it.
# For Qt: lengths in px (it ignores pt margins), margins rather than padding, and borders only
# on tables (hence the ruled box is a table); <section> is no block to it. Every selector names
# its element ("p.byline", not ".byline"): Qt files such a rule under the element and tries it
# on those elements only, where a bare class is tried on every element of the document (a
# sixth of setHtml's time on a briefing of 500 notes).
_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: Georgia, "DejaVu Serif", serif; font-size: 10.5pt;
       color: #111; margin: 0 auto; max-width: 44em; line-height: 1.3; }
h1 { font-size: 20pt; margin: 0 0 2px 0; line-height: 1.15; }
p.meta { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 9pt; color: #444;
         margin: 0 0 6px 0; }
p.handling { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 8.5pt; font-weight: bold;
             letter-spacing: 0.1em; margin: 0 0 6px 0; }
div.summary { margin: 0 0 8px 0; }
div.summary p { margin: 3px 0; }
h2 { font-size: 14pt; margin: 14px 0 2px 0; line-height: 1.2; }
h3 { font-size: 8.5pt; margin: 10px 0 3px 0; text-transform: uppercase; letter-spacing: 0.08em;
     color: #555; font-family: "DejaVu Sans", Verdana, sans-serif; }
p.byline, p.url, p.tags, p.cite, span.label, .sources span.detail { color: #555; font-size: 8.5pt;
     font-family: "DejaVu Sans", Verdana, sans-serif; }
p.byline, p.url { margin: 0; }
p.url { word-break: break-all; }
table.note { margin: 4px 0 8px 0; }
table.quote { margin: 0 0 3px 0; }
td.quote-text { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 9pt; color: #222; }
p.cite { margin: 2px 0 0 0; }
.body p { margin: 2px 0; }
.body ul, .body ol { margin: 2px 0; }
.body blockquote { margin: 4px 0 4px 28px; color: #333; font-style: italic; }
p.tags { margin: 2px 0 0 0; }
p.on-article { margin: 0 0 2px 0; }
span.image-omitted { color: #555; font-style: italic; }
.orphan td.quote-text { text-decoration: line-through; }
p.timeline-figure { margin: 4px 0 6px 0; line-height: 1; }
p.entities { margin: 2px 0; font-size: 9.5pt; line-height: 1.3; }
ul.timeline, ol.sources { margin: 2px 0; font-size: 9pt; line-height: 1.25; }
ul.timeline li, ol.sources li { margin: 0 0 1px 0; }
span.when { font-weight: bold; }
"""


def notes_to_html(
    library: Library,
    article_ids: Sequence[int] | None = None,
    tag: str | None = None,
    title: str = DEFAULT_TITLE,
    today: date | None = None,
    timeline_images: Mapping[int, str] | None = None,
) -> str:
    """An HTML briefing on the given articles, or on every article with notes.

    timeline_images maps an article id (or ALL_ARTICLES) to the path or URL of its timeline
    figure, which is placed at the head of the timeline.
    """
    briefing = collect_briefing(library, article_ids, tag, title, today)
    return render_html(briefing, timeline_images)


def render_html(
    briefing: Briefing,
    timeline_images: Mapping[int, str] | None = None,
    handling_in_text: bool = False,
    list_figure_events: bool = True,
) -> str:
    """The briefing's HTML. handling_in_text: the handling line is printed at the head and foot
    of the text (an ODT, which has no page header of ours); the PDF prints it on every page.
    list_figure_events=False: a timeline with a figure lists only the events the figure lacks
    (the PDF's figures label each row with its event)."""
    images = timeline_images or {}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(briefing.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    if briefing.handling and handling_in_text:
        parts.append(f'<p class="handling">{escape(briefing.handling)}</p>')
    parts += _title_block(briefing)
    if briefing.group_by == "article":
        for section in briefing.sections:
            parts += _article_section(briefing, section, images.get(section.article.id), list_figure_events)
    else:
        for group in briefing.groups:
            parts.append(f"<h2{_KEEP}>{escape(group.heading)}</h2>")
            parts += [_note(briefing, note, with_article=True) for note in group.notes]
        parts += _across_articles(briefing, images.get(ALL_ARTICLES), list_figure_events)
    if briefing.unattached and briefing.group_by == "article":
        parts.append(f"<h2{_KEEP}>Notes whose article was removed</h2>")
        parts += [_note(briefing, note) for note in briefing.unattached]
    if briefing.show_sources and briefing.sections:
        parts += _sources(briefing.articles)
    if briefing.handling and handling_in_text:
        parts.append(f'<p class="handling">{escape(briefing.handling)}</p>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _title_block(briefing: Briefing) -> list[str]:
    meta = " · ".join(part for part in (briefing.author, briefing.date) if part)
    notes = len(briefing.all_notes())
    articles = len(briefing.sections)
    counts = f"{notes} note{'s' if notes != 1 else ''}"
    if articles:
        counts += f" on {articles} article{'s' if articles != 1 else ''}"
    parts = [
        f"<h1{_KEEP}>{escape(briefing.title)}</h1>",
        f'<p class="meta">{escape(meta)} · {counts}</p>',
    ]
    if briefing.summary.strip():
        parts.append(f"<h3{_KEEP}>Summary</h3>")
        parts.append(f'<div class="summary">{note_html(briefing.summary)}</div>')
    return parts


def _article_section(
    briefing: Briefing, section: ArticleSection, timeline_image: str | None, list_figure_events: bool = True
) -> list[str]:
    article = section.article
    parts = [f"<h2{_KEEP}>{escape(article.title)}</h2>"]
    byline = article_byline(article)
    if byline:
        parts.append(f'<p class="byline"{_KEEP}>{escape(byline)}</p>')
    if article.url:
        parts.append(f'<p class="url"{_KEEP}>{escape(article.url)}</p>')
    notes = section.article_notes + section.passage_notes
    if notes:
        parts += [_note(briefing, note) for note in notes]
    if section.orphans:
        parts.append(f"<h3{_KEEP}>Notes whose passage is no longer in the text</h3>")
        parts += [_note(briefing, note, "orphan") for note in section.orphans]
    if briefing.show_key_entities and section.key_entities:
        parts += _key_entities(section.key_entities)
    if briefing.show_timeline:
        listed = list_figure_events or not timeline_image
        parts += _timeline(section.timeline, timeline_image, article.title, listed=listed)
    return parts


def _across_articles(
    briefing: Briefing, timeline_image: str | None, list_figure_events: bool = True
) -> list[str]:
    """Key entities and timeline of all the articles, for a briefing grouped by tag or entity."""
    parts: list[str] = []
    if briefing.show_key_entities:
        entities = briefing.key_entities_across()
        if entities:
            parts += _key_entities(entities, heading="h2")
    if briefing.show_timeline:
        listed = list_figure_events or not timeline_image
        parts += _timeline(
            briefing.timeline_across(), timeline_image, "the briefing's articles", "h2", listed
        )
    return parts


def _key_entities(entities: Sequence[KeyEntity], heading: str = "h3") -> list[str]:
    """One run-in paragraph, "Sergey Lavrov (Person, 2, 1 in notes); ...": the mentions in the
    article and in the notes' passages (a list took a line each)."""
    entries = []
    for e in entities:
        counts = f"{e.mentions}" + (f", {e.in_notes} in notes" if e.in_notes else "")
        entries.append(f'{escape(e.name)} <span class="label">({escape(e.label_words)}, {counts})</span>')
    return [f"<{heading}{_KEEP}>Key entities</{heading}>", f'<p class="entities">{"; ".join(entries)}</p>']


def _timeline(
    events: Sequence[Event], image: str | None, about: str, heading: str = "h3", listed: bool = True
) -> list[str]:
    """The figure (when given) and the list of events; listed=False: only the events the figure
    does not show (undated, or past its rows), as each of its rows has the event's label."""
    if not listed:
        in_figure = {id(e) for e in [e for e in events if event_span(e) is not None][:FIGURE_ROWS]}
        events = [e for e in events if id(e) not in in_figure]
    if not events and not image:
        return []
    parts = [f"<{heading}{_KEEP}>Timeline</{heading}>"]
    if image:
        parts.append(
            f'<p class="timeline-figure"><img src="{escape(image)}" alt="Timeline of {escape(about)}"></p>'
        )
    if events:
        parts.append('<ul class="timeline">')
        parts += [
            f'<li><span class="when">{escape(event_when(e))}</span> — {escape(e.text)}</li>' for e in events
        ]
        parts.append("</ul>")
    return parts


def _sources(articles: Sequence[Article]) -> list[str]:
    # A heading of the size of the sections' (Key entities, Timeline): it is an appendix.
    parts = [f"<h3{_KEEP}>Sources</h3>", '<ol class="sources">']
    for article in articles:
        details = [
            article.source or "",
            f"published {article.published}" if article.published else "",
            f"imported {article.imported_at[:10]}" if article.imported_at else "",
        ]
        detail = " · ".join(part for part in details if part)
        if article.url:
            detail = f"{detail} · {article.url}" if detail else article.url
        line = f"{escape(article.title)}"
        if detail:
            line += f'<br><span class="detail">{escape(detail)}</span>'
        parts.append(f"<li>{line}</li>")
    parts.append("</ol>")
    return parts


def _note(briefing: Briefing, note: Note, extra_class: str = "", with_article: bool = False) -> str:
    """One note as one borderless table (kept in one piece on a page): the source quote in a
    ruled box with its citation, the analyst's text, the tags."""
    shade = NOTE_COLORS.get(note.color, "#dddddd")
    classes = " ".join(c for c in ("note", extra_class) if c)
    cite = briefing.citations.get(note.uuid, "")
    if with_article:
        title = next((s.article.title for s in briefing.sections if s.article.id == note.article_id), "")
        cite = f"{title} — {cite}" if title and cite else title or cite
    parts = [f'<table class="{classes}" width="100%" cellspacing="0" cellpadding="0" border="0"><tr><td>']
    if note.quote:
        quote = "<br>".join(escape(line) for line in note.quote.split("\n"))
        parts.append(
            '<table class="quote" width="100%" cellspacing="0" cellpadding="4" border="1" '
            f'style="border-style: solid; border-color: {QUOTE_BOX_BORDER};">'
            f'<tr><td width="5" bgcolor="{shade}"></td>'
            f'<td class="quote-text">{quote}'
            + (f'<p class="cite">— {escape(cite)}</p>' if cite else "")
            + "</td></tr></table>"
        )
    elif cite:
        parts.append(f'<p class="on-article cite">On the whole article — {escape(cite)}</p>')
    if note.body.strip():
        parts.append(f'<div class="body">{note_html(note.body)}</div>')
    if note.tags:
        parts.append(f'<p class="tags">Tags: {escape(", ".join(note.tags))}</p>')
    parts.append("</td></tr></table>")
    return "".join(parts)
