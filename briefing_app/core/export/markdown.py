"""The briefing as Markdown: quoted passages as blockquotes, note bodies with their formatting
but inert (notebody.py: no raw HTML, no images, links only to http(s) and mailto)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from briefing_app.core.export.briefing import (
    DEFAULT_TITLE,
    ArticleSection,
    Briefing,
    article_byline,
    collect_briefing,
    event_when,
)
from briefing_app.core.export.notebody import escape_markdown, link_allowed, note_markdown
from briefing_app.core.model import Note
from briefing_app.core.store import Library


def notes_to_markdown(
    library: Library,
    article_ids: Sequence[int] | None = None,
    tag: str | None = None,
    title: str = DEFAULT_TITLE,
    today: date | None = None,
) -> str:
    """A Markdown briefing on the given articles, or on every article with notes."""
    return render_markdown(collect_briefing(library, article_ids, tag, title, today))


def render_markdown(briefing: Briefing) -> str:
    lines = [f"# {escape(briefing.title)}", "", f"*{briefing.date}*", ""]
    if briefing.sections:
        lines += ["Articles covered:", ""]
        lines += [f"- {_article_heading(section)}" for section in briefing.sections]
        lines.append("")
    for section in briefing.sections:
        lines += _section(section)
    if briefing.unattached:
        lines += ["## Notes whose article was removed", ""]
        for note in briefing.unattached:
            lines += _note(note)
    return "\n".join(lines).rstrip("\n") + "\n"


def escape(text: str) -> str:
    """Article text made literal in Markdown, on one line."""
    return escape_markdown(" ".join(text.split()))


def _link(url: str) -> str:
    """An autolink when the URL can be one and goes to http(s) or mailto, else literal text."""
    return f"<{url}>" if link_allowed(url) and re.fullmatch(r"[^\s<>]+", url) else escape(url)


def _article_heading(section: ArticleSection) -> str:
    byline = article_byline(section.article)
    return escape(section.article.title) + (f" ({escape(byline)})" if byline else "")


def _section(section: ArticleSection) -> list[str]:
    article = section.article
    lines = [f"## {escape(article.title)}", ""]
    byline = article_byline(article)
    if byline:
        lines += [escape(byline), ""]
    if article.url:
        lines += [_link(article.url), ""]
    if section.article_notes or section.passage_notes:
        lines += ["### Notes", ""]
        for note in section.article_notes + section.passage_notes:
            lines += _note(note)
    if section.orphans:
        lines += ["### Notes whose passage is no longer in the text", ""]
        for note in section.orphans:
            lines += _note(note)
    if section.key_entities:
        lines += ["### Key entities", ""]
        lines += [
            f"- {escape(e.name)} ({e.label}): {e.mentions} mention{'s' if e.mentions != 1 else ''}"
            for e in section.key_entities
        ]
        lines.append("")
    if section.timeline:
        lines += ["### Timeline", ""]
        lines += [f"- {event_when(e)} — {escape(e.text)}" for e in section.timeline]
        lines.append("")
    return lines


def _note(note: Note) -> list[str]:
    lines = []
    if note.quote:
        lines += [f"> {escape(line)}" if line.strip() else ">" for line in note.quote.split("\n")]
        lines.append("")
    if note.body.strip():
        lines += [note_markdown(note.body), ""]
    if note.tags:
        lines += ["*Tags:* " + ", ".join(escape(tag) for tag in note.tags), ""]
    return lines
