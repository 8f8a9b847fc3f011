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
    KeyEntity,
    article_byline,
    collect_briefing,
    event_when,
)
from briefing_app.core.export.notebody import escape_markdown, link_allowed, note_markdown
from briefing_app.core.model import Event, Note
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
    lines = []
    if briefing.handling:
        lines += [f"**{escape(briefing.handling)}**", ""]
    lines += [f"# {escape(briefing.title)}", ""]
    lines += [f"*{' · '.join(escape(part) for part in (briefing.author, briefing.date) if part)}*", ""]
    if briefing.summary.strip():
        lines += ["## Summary", "", note_markdown(briefing.summary), ""]
    if briefing.group_by == "article":
        for section in briefing.sections:
            lines += _section(section, briefing)
        if briefing.unattached:
            lines += ["## Notes whose article was removed", ""]
            for note in briefing.unattached:
                lines += _note(note)
    else:
        for group in briefing.groups:
            lines += [f"## {escape(group.heading)}", ""]
            for note in group.notes:
                lines += _note(note, briefing.citations.get(note.uuid, ""))
        if briefing.show_key_entities:
            lines += _key_entities(briefing.key_entities_across(), "##")
        if briefing.show_timeline:
            lines += _timeline(briefing.timeline_across(), "##")
    if briefing.show_sources and briefing.sections:
        lines += ["## Sources", ""]
        for number, section in enumerate(briefing.sections, 1):
            article = section.article
            lines.append(
                f"{number}. {_article_heading(section)}" + (f" {_link(article.url)}" if article.url else "")
            )
        lines.append("")
    if briefing.handling:
        lines += [f"**{escape(briefing.handling)}**", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _key_entities(entities: Sequence[KeyEntity], heading: str = "###") -> list[str]:
    if not entities:
        return []
    lines = [f"{heading} Key entities", ""]
    lines += [
        f"- {escape(e.name)} ({e.label_words}): {e.mentions} mention{'s' if e.mentions != 1 else ''}"
        for e in entities
    ]
    return lines + [""]


def _timeline(events: Sequence[Event], heading: str = "###") -> list[str]:
    if not events:
        return []
    lines = [f"{heading} Timeline", ""]
    lines += [f"- {event_when(e)} — {escape(e.text)}" for e in events]
    return lines + [""]


def escape(text: str) -> str:
    """Article text made literal in Markdown, on one line."""
    return escape_markdown(" ".join(text.split()))


def _link(url: str) -> str:
    """An autolink when the URL can be one and goes to http(s) or mailto, else literal text."""
    return f"<{url}>" if link_allowed(url) and re.fullmatch(r"[^\s<>]+", url) else escape(url)


def _article_heading(section: ArticleSection) -> str:
    byline = article_byline(section.article)
    return escape(section.article.title) + (f" ({escape(byline)})" if byline else "")


def _section(section: ArticleSection, briefing: Briefing) -> list[str]:
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
    if briefing.show_key_entities:
        lines += _key_entities(section.key_entities)
    if briefing.show_timeline:
        lines += _timeline(section.timeline)
    return lines


def _note(note: Note, cite: str = "") -> list[str]:
    lines = []
    if note.quote:
        lines += [f"> {escape(line)}" if line.strip() else ">" for line in note.quote.split("\n")]
        if cite:
            lines += [">", f"> — {escape(cite)}"]
        lines.append("")
    if note.body.strip():
        lines += [note_markdown(note.body), ""]
    if note.tags:
        lines += ["*Tags:* " + ", ".join(escape(tag) for tag in note.tags), ""]
    return lines
