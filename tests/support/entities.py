"""Articles with a hand-made extraction for the entity index and dossier tests, and a check
that the index's summary tables agree with the mentions they summarise."""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention
from briefing_app.core.store import Library

# Surface text -> (canonical name, label): what the hand-made extraction "finds".
NAMES: Mapping[str, tuple[str, str]] = {
    "Sergey Lavrov": ("Sergey Lavrov", "PERSON"),
    "Lavrov": ("Sergey Lavrov", "PERSON"),
    "Abdoulaye Diop": ("Abdoulaye Diop", "PERSON"),
    "Moscow": ("Moscow", "GPE"),
    "Mali": ("Mali", "GPE"),
    "Niger": ("Niger", "GPE"),
    "Economic Community of West African States": ("Economic Community of West African States", "ORG"),
    "ECOWAS": ("Economic Community of West African States", "ORG"),
}


def mentions_in(text: str, names: Mapping[str, tuple[str, str]] = NAMES) -> tuple[Mention, ...]:
    """Every whole-word occurrence of the names, longest first, without overlaps."""
    taken: list[Mention] = []
    for surface in sorted(names, key=len, reverse=True):
        canonical, label = names[surface]
        for match in re.finditer(rf"\b{re.escape(surface)}\b", text):
            start, end = match.span()
            if not any(m.start < end and start < m.end for m in taken):
                taken.append(Mention(start, end, surface, label, canonical))
    return tuple(sorted(taken, key=lambda m: m.start))


def dated_events(text: str, dates: Mapping[str, str]) -> tuple[Event, ...]:
    """An event for each sentence (up to its full stop) that holds a key of `dates`."""
    found = []
    for needle, date in dates.items():
        at = text.index(needle)
        start = text.rfind(". ", 0, at)
        start = 0 if start < 0 else start + 2
        end = text.index(".", at) + 1
        found.append(Event(start, end, text[start:end], date, date, "day"))
    return tuple(found)


def add_article(
    library: Library,
    text: str,
    title: str = "",
    source: str | None = None,
    published: str | None = None,
    events: Mapping[str, str] | None = None,
) -> int:
    """Store the article and its extraction; returns its id."""
    result = library.add_draft(ArticleDraft(text, title or text[:40], source=source, published=published))
    stored = library.get_article(result.article_id).text
    library.save_extraction(
        result.article_id,
        Extraction(mentions_in(stored), events=dated_events(stored, events or {}), engine="test/1"),
    )
    return result.article_id


def assert_summary_matches_mentions(library: Library) -> None:
    """The summary tables hold exactly what counting the mentions again gives."""
    db = library.db
    pairs = db.execute(
        "SELECT m.entity_id, m.article_id, count(*), a.published FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.entity_id IS NOT NULL "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    assert db.execute("SELECT * FROM entity_articles ORDER BY 1, 2").fetchall() == pairs
    stats = db.execute(
        "SELECT e.id, e.name, e.label, count(DISTINCT m.article_id), count(*), min(a.published), "
        "max(a.published) FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "JOIN articles a ON a.id = m.article_id GROUP BY e.id ORDER BY e.id"
    ).fetchall()
    assert db.execute("SELECT * FROM entity_stats ORDER BY entity_id").fetchall() == stats
    texts = db.execute(
        "SELECT entity_id, text, count(*) FROM mentions WHERE entity_id IS NOT NULL "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    assert db.execute("SELECT * FROM entity_surfaces ORDER BY 1, 2").fetchall() == texts
