"""The briefing as one HTML document, styled for print: the PDF is printed from it.

Everything from articles and notes is escaped. Note bodies are Markdown, rendered inert by
notebody.py: HTML typed into a note shows as text, an image in a note is "image omitted" (the only
image is the timeline figure the app draws), and links go only to http(s) and mailto.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from briefing_app.core.export.briefing import (
    DEFAULT_TITLE,
    ArticleSection,
    Briefing,
    article_byline,
    collect_briefing,
    event_when,
)
from briefing_app.core.export.notebody import note_html
from briefing_app.core.model import Note
from briefing_app.core.notes import NOTE_COLORS
from briefing_app.core.store import Library

# Simple CSS: Qt's rich text (the PDF) understands only part of CSS, and browsers all of it.
# For Qt: lengths in px (it ignores pt margins), margins rather than padding and borders
# (which it draws only on tables), page breaks before headings (<section> is no block to it),
# and the figure's image inside a <div> (<figure> neither: the image would run into the
# heading's line).
_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: Georgia, "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.45;
       color: #111; margin: 0 auto; max-width: 44em; }
header h1 { font-size: 22pt; margin: 0 0 4px 0; line-height: 1.2; }
header .date { font-size: 10.5pt; margin: 0 0 40px 0; }
ol.covered li { margin: 0 0 6px 0; }
h2 { font-size: 15pt; margin: 0 0 2px 0; line-height: 1.25; border-bottom: 1px solid #999; }
h3 { font-size: 9pt; margin: 22px 0 6px 0; text-transform: uppercase; letter-spacing: 0.08em;
     color: #555; font-family: "DejaVu Sans", Verdana, sans-serif; }
.date, .byline, .url, .tags { color: #555; font-size: 9pt; }
.byline, .url { margin: 0; }
.url { word-break: break-all; }
section.article h2 { page-break-before: always; break-before: page; }
.note { page-break-inside: avoid; break-inside: avoid; margin: 12px 0 16px 14px;
        padding-left: 10px; border-left: 4px solid #bbb; }
.note blockquote { margin: 0 0 5px 0; padding: 4px 8px; font-style: italic; }
.note .body p { margin: 3px 0; }
.note .body ul, .note .body ol { margin: 3px 0; }
.note .tags { margin: 4px 0 0 0; font-size: 8.5pt; }
.image-omitted { color: #555; font-style: italic; }
.orphan blockquote { text-decoration: line-through; text-decoration-color: #999; }
.timeline-figure { margin: 4px 0 14px 0; }
.timeline-figure div { margin: 4px 0 14px 0; line-height: 1; }
.timeline-figure img { max-width: 100%; }
ul.entities, ul.timeline { padding-left: 18px; margin: 2px 0; }
ul.entities li, ul.timeline li { margin: 0 0 3px 0; }
.label { color: #555; }
.when { font-weight: bold; white-space: nowrap; }
"""


def _color_css() -> str:
    return "\n".join(
        f".note-{name} {{ border-left-color: {shade}; }}\n"
        f".note-{name} blockquote {{ background-color: {shade}; }}"
        for name, shade in NOTE_COLORS.items()
    )


def notes_to_html(
    library: Library,
    article_ids: Sequence[int] | None = None,
    tag: str | None = None,
    title: str = DEFAULT_TITLE,
    today: date | None = None,
    timeline_images: Mapping[int, str] | None = None,
) -> str:
    """An HTML briefing on the given articles, or on every article with notes.

    timeline_images maps an article id to the path or URL of its timeline figure, which is
    placed at the head of the article's timeline.
    """
    briefing = collect_briefing(library, article_ids, tag, title, today)
    return render_html(briefing, timeline_images)


def render_html(briefing: Briefing, timeline_images: Mapping[int, str] | None = None) -> str:
    images = timeline_images or {}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(briefing.title)}</title>",
        f"<style>{_CSS}{_color_css()}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(briefing.title)}</h1>",
        f'<p class="date">{escape(briefing.date)}</p>',
    ]
    if briefing.sections:
        parts.append('<p>Articles covered:</p><ol class="covered">')
        parts += [f"<li>{_article_heading(section)}</li>" for section in briefing.sections]
        parts.append("</ol>")
    parts.append("</header>")
    for section in briefing.sections:
        parts += _section(section, images.get(section.article.id))
    if briefing.unattached:
        parts.append('<section class="article"><h2>Notes whose article was removed</h2>')
        parts += [_note(note) for note in briefing.unattached]
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _article_heading(section: ArticleSection) -> str:
    byline = article_byline(section.article)
    heading = escape(section.article.title)
    return heading + (f' <span class="byline">({escape(byline)})</span>' if byline else "")


def _section(section: ArticleSection, timeline_image: str | None) -> list[str]:
    article = section.article
    parts = ['<section class="article">', f"<h2>{escape(article.title)}</h2>"]
    byline = article_byline(article)
    if byline:
        parts.append(f'<p class="byline">{escape(byline)}</p>')
    if article.url:
        parts.append(f'<p class="url">{escape(article.url)}</p>')
    if section.article_notes or section.passage_notes:
        parts.append("<h3>Notes</h3>")
        parts += [_note(note) for note in section.article_notes + section.passage_notes]
    if section.orphans:
        parts.append("<h3>Notes whose passage is no longer in the text</h3>")
        parts += [_note(note, "orphan") for note in section.orphans]
    if section.key_entities:
        parts.append('<h3>Key entities</h3><ul class="entities">')
        parts += [
            f'<li>{escape(e.name)} <span class="label">({escape(e.label)})</span>: '
            f"{e.mentions} mention{'s' if e.mentions != 1 else ''}</li>"
            for e in section.key_entities
        ]
        parts.append("</ul>")
    if section.timeline or timeline_image:
        parts.append("<h3>Timeline</h3>")
    if timeline_image:
        parts.append(
            f'<figure class="timeline-figure"><div><img src="{escape(timeline_image)}" '
            f'alt="Timeline of {escape(article.title)}"></div></figure>'
        )
    if section.timeline:
        parts.append('<ul class="timeline">')
        parts += [
            f'<li><span class="when">{escape(event_when(e))}</span> — {escape(e.text)}</li>'
            for e in section.timeline
        ]
        parts.append("</ul>")
    parts.append("</section>")
    return parts


def _note(note: Note, extra_class: str = "") -> str:
    color = note.color if note.color in NOTE_COLORS else "none"
    classes = " ".join(c for c in ("note", f"note-{color}", extra_class) if c)
    parts = [f'<div class="{classes}">']
    if note.quote:
        quote = "<br>".join(escape(line) for line in note.quote.split("\n"))
        parts.append(f"<blockquote>{quote}</blockquote>")
    if note.body.strip():
        parts.append(f'<div class="body">{note_html(note.body)}</div>')
    if note.tags:
        parts.append(f'<p class="tags">Tags: {escape(", ".join(note.tags))}</p>')
    parts.append("</div>")
    return "".join(parts)
