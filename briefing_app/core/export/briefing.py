"""What a briefing says, gathered once for every format that writes it out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from briefing_app.core.anchoring import ORPHANED
from briefing_app.core.model import Article, Event, Note
from briefing_app.core.store import Library

KEY_ENTITIES = 8  # how many of an article's most mentioned entities a briefing lists
DEFAULT_TITLE = "Briefing"


@dataclass(frozen=True)
class KeyEntity:
    name: str
    label: str
    mentions: int


@dataclass(frozen=True)
class ArticleSection:
    article: Article
    article_notes: tuple[Note, ...]  # on the whole article
    passage_notes: tuple[Note, ...]  # in text order
    orphans: tuple[Note, ...]  # their passage is no longer in the text
    key_entities: tuple[KeyEntity, ...]
    timeline: tuple[Event, ...]  # by date; undated last


@dataclass(frozen=True)
class Briefing:
    title: str
    date: str  # ISO date
    sections: tuple[ArticleSection, ...]
    # Notes whose article was removed from the library: still the analyst's work.
    unattached: tuple[Note, ...] = ()


def collect_briefing(
    library: Library,
    article_ids: Sequence[int] | None = None,
    tag: str | None = None,
    title: str = DEFAULT_TITLE,
    today: date | None = None,
    notes: Sequence[Note] | None = None,
) -> Briefing:
    """The briefing on the given articles (in that order), or on every article with notes.

    With `tag`, only notes carrying that tag are included and, without article_ids, only the
    articles that have such notes. `notes`: those notes, when the caller has read them already.
    """
    if notes is None:
        notes = library.notes.all_notes(tag=tag)
    by_article: dict[int | None, list[Note]] = {}
    for note in notes:
        by_article.setdefault(note.article_id, []).append(note)
    if article_ids is None:
        article_ids = [article_id for article_id in by_article if article_id is not None]
        unattached = tuple(by_article.get(None, ()))
    else:
        unattached = ()
    sections = tuple(
        _section(library, library.get_article(article_id), by_article.get(article_id, []))
        for article_id in article_ids
    )
    return Briefing(
        title=title,
        date=(today or date.today()).isoformat(),
        sections=sections,
        unattached=unattached,
    )


def _section(library: Library, article: Article, notes: list[Note]) -> ArticleSection:
    return ArticleSection(
        article=article,
        article_notes=tuple(n for n in notes if not n.quote),
        passage_notes=tuple(n for n in notes if n.quote and n.anchor_state != ORPHANED),
        orphans=tuple(n for n in notes if n.quote and n.anchor_state == ORPHANED),
        key_entities=key_entities(library, article.id),
        timeline=tuple(sorted(library.events(article.id), key=_event_order)),
    )


def key_entities(library: Library, article_id: int, limit: int = KEY_ENTITIES) -> tuple[KeyEntity, ...]:
    """The article's most mentioned entities, by canonical name."""
    counts = Counter((m.canonical or m.text, m.label) for m in library.mentions(article_id))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].casefold()))
    return tuple(KeyEntity(name, label, count) for (name, label), count in ranked[:limit])


def _event_order(event: Event) -> tuple[bool, str, int]:
    return (event.date_start is None, event.date_start or "", event.start)


def event_when(event: Event) -> str:
    """The date or span of an event as a briefing prints it."""
    if event.date_start is None:
        return "undated"
    if event.mod == "BEFORE":
        return f"until {event.date_end or event.date_start}"
    if event.date_end is None:
        return f"since {event.date_start}"
    if event.date_end != event.date_start:
        return f"{event.date_start} – {event.date_end}"
    return event.date_start


def article_byline(article: Article) -> str:
    """Source and publication date, as far as they are known."""
    return " · ".join(part for part in (article.source, article.published) if part)
