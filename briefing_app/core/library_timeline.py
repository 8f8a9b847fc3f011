"""The library timeline: the dated events of many articles, grouped and laid out in lanes.

Everything the timeline view shows is read and laid out here, off the GUI thread: the
events that pass the filters (an entity named in the sentence, a source, words of the
sentence, the library's own filter), the same happening dated the same by several articles
drawn once, the conflict marks, and the rows of each lane in date order. The view then only
draws the rows that are visible (pure, no Qt).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from briefing_app.core import conflicts, timeaxis
from briefing_app.core.model import Event
from briefing_app.core.store import ArticleFilter, Library, _filter_sql

# At most this many events are drawn (the newest): an unfiltered library of 100,000 articles
# holds over a million, which no one reads on one axis; the view says to filter.
MAX_EVENTS = 5_000
CLAUSE_CHARS = 110  # a label's sentence is cut to this, at a word
Lanes = Literal["source", "article"]
NO_SOURCE = "(no source)"


@dataclass(frozen=True)
class TimelineQuery:
    entity: str = ""  # an entity the event's sentence names (any of its names)
    source: str = ""  # the article's source, exactly
    text: str = ""  # words the sentence contains (case does not count)
    articles: ArticleFilter = field(default_factory=ArticleFilter)  # the library's filter
    lanes: Lanes = "source"


@dataclass(frozen=True)
class LibraryEvent:
    article_id: int
    start: int
    end: int
    text: str
    date_start: str | None
    date_end: str | None
    granularity: str
    mod: str | None
    title: str
    source: str | None
    published: str | None

    def as_event(self) -> Event:
        return Event(
            self.start, self.end, self.text, self.date_start, self.date_end, self.granularity, self.mod
        )


@dataclass(frozen=True)
class TimelineItem:
    """One mark on the axis: an event, or the same happening dated the same by several articles."""

    events: tuple[LibraryEvent, ...]
    span: timeaxis.EventSpan
    conflict: str = ""  # why its date is disputed ("Reuters dates it 2023-10-12"), or ""

    @property
    def first(self) -> LibraryEvent:
        return self.events[0]

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def date_label(self) -> str:
        """ "2023-09-06", "2022 – 2023", "since 2024", "1990s" (a decade's value is "199")."""
        label = timeaxis.label(self.first.as_event())
        return " ".join(
            f"{word}0s" if word.isdigit() and len(word) == 3 else word for word in label.split(" ")
        )

    def caption(self) -> str:
        """ "2023-09-06  Lavrov met Goïta in Bamako …  ×3 sources" """
        text = f"{self.date_label}  {clause(self.first.text)}"
        if self.count > 1:
            text += f"  ×{self.count} sources"
        return text

    def sources(self) -> list[str]:
        return [event.source or NO_SOURCE for event in self.events]


@dataclass(frozen=True)
class Row:
    """A row of the timeline: a lane's heading (item None) or one item in it."""

    lane: str
    item: TimelineItem | None = None


@dataclass(frozen=True)
class TimelineRead:
    query: TimelineQuery
    rows: list[Row]
    first: dt.date  # the axis' first and last day (every drawn span fits)
    last: dt.date
    items: int
    events: int
    undated: int  # events passing the filters whose date could not be placed
    truncated: bool  # more than MAX_EVENTS passed: the newest are shown


def clause(text: str, limit: int = CLAUSE_CHARS) -> str:
    """The sentence on one line, cut at a word when longer than `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:—-") + "…"


def read_events(
    library: Library, query: TimelineQuery, limit: int = MAX_EVENTS
) -> tuple[list[LibraryEvent], bool]:
    """The events passing the query's filters, newest first, at most `limit`; and whether
    there were more."""
    where, params = _filter_sql(query.articles)
    clauses = [where.removeprefix(" WHERE ")] if where else []
    if query.entity.strip():
        names = conflicts.entity_names_for(library, query.entity)
        # From the entity's mentions to the sentences around them: an index walk, whatever
        # the size of the library.
        clauses.append(
            "e.id IN (SELECT s.id FROM mentions m JOIN events s ON s.article_id = m.article_id "
            'AND s.start <= m.start AND m."end" <= s."end" '
            f"WHERE m.entity_id IN (SELECT id FROM entities WHERE name IN ({', '.join('?' * len(names))})))"
        )
        params.extend(names)
    if query.source.strip():
        clauses.append("a.source = ?")
        params.append(query.source.strip())
    if query.text.strip():
        clauses.append("e.text LIKE ? ESCAPE '\\'")
        escaped = query.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    where_sql = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = library._query(
        'SELECT e.article_id, e.start, e."end", e.text, e.date_start, e.date_end, e.granularity, e.mod, '
        f"a.title, a.source, a.published FROM events e JOIN article_list a ON a.id = e.article_id{where_sql} "
        "ORDER BY e.date_start DESC, e.article_id, e.start LIMIT ?",
        [*params, limit + 1],
        query.articles,
    )
    events = [LibraryEvent(*row) for row in rows[:limit]]
    return events, len(rows) > limit


def _key_entities(library: Library, events: Iterable[LibraryEvent]) -> dict[tuple[int, int], frozenset[int]]:
    """(article id, sentence start) -> the key entities (PERSON, ORG, GPE) its sentence names."""
    by_article: dict[int, list[LibraryEvent]] = defaultdict(list)
    for event in events:
        by_article[event.article_id].append(event)
    found: dict[tuple[int, int], set[int]] = defaultdict(set)
    ids = sorted(by_article)
    labels = ", ".join("?" * len(conflicts.KEY_LABELS))
    for low in range(0, len(ids), 500):
        chunk = ids[low : low + 500]
        rows = library.db.execute(
            f'SELECT article_id, start, "end", entity_id FROM mentions WHERE article_id IN '
            f"({', '.join('?' * len(chunk))}) AND entity_id IS NOT NULL AND label IN ({labels})",
            [*chunk, *conflicts.KEY_LABELS],
        )
        for article_id, start, end, entity_id in rows:
            for event in by_article[article_id]:
                if event.start <= start and end <= event.end:
                    found[(article_id, event.start)].add(entity_id)
    return {key: frozenset(value) for key, value in found.items()}


def _same_happening(
    a: LibraryEvent, b: LibraryEvent, entities: dict[tuple[int, int], frozenset[int]]
) -> bool:
    """Two sentences of different articles telling one happening: the same sentence, or the
    conflicts rule (two key entities and the event words in common)."""
    if a.article_id == b.article_id:
        return False
    if conflicts.sentence_key(a.text) == conflicts.sentence_key(b.text):
        return True
    shared = entities.get((a.article_id, a.start), frozenset()) & entities.get(
        (b.article_id, b.start), frozenset()
    )
    if len(shared) < conflicts.MIN_SHARED_ENTITIES:
        return False
    return bool(conflicts.words_agree(conflicts.event_words(a.text), conflicts.event_words(b.text)))


def group_same_happenings(
    library: Library, events: list[LibraryEvent]
) -> list[tuple[list[LibraryEvent], timeaxis.EventSpan]]:
    """The events with a placeable date, those that several articles date the same (same
    values, same precision) and tell as the same happening together; the rest alone."""
    by_date: dict[tuple, list[tuple[LibraryEvent, timeaxis.EventSpan]]] = defaultdict(list)
    for event in events:
        span = timeaxis.event_span(event.as_event())
        if span is not None:
            by_date[(event.date_start, event.date_end, event.mod, event.granularity)].append((event, span))
    shared_dates = [
        dated for dated in by_date.values() if len({event.article_id for event, _span in dated}) > 1
    ]
    entities = _key_entities(library, (event for dated in shared_dates for event, _span in dated))
    groups: list[tuple[list[LibraryEvent], timeaxis.EventSpan]] = []
    for dated in by_date.values():
        here: list[tuple[list[LibraryEvent], timeaxis.EventSpan]] = []
        for event, span in dated:
            group = next((g for g in here if _same_happening(g[0][0], event, entities)), None)
            if group is None or any(other.article_id == event.article_id for other in group[0]):
                here.append(([event], span))
            else:
                group[0].append(event)
        groups.extend(here)
    return groups


def lay_out(items: list[TimelineItem], lanes: Lanes) -> list[Row]:
    """One lane per source (or article), in name (or date) order, each headed by a row of
    its own and listing its items by date."""
    by_lane: dict[str, list[TimelineItem]] = defaultdict(list)
    lane_order: dict[str, tuple] = {}
    for item in items:
        first = item.first
        if lanes == "source":
            lane = first.source or NO_SOURCE
            lane_order[lane] = (lane == NO_SOURCE, lane.casefold())
        else:
            lane = f"{first.title} ({first.source or NO_SOURCE}, {first.published or 'undated'})"
            lane_order[lane] = (first.published or "9999", first.title.casefold(), first.article_id)
        by_lane[lane].append(item)
    rows: list[Row] = []
    for lane in sorted(by_lane, key=lane_order.__getitem__):
        rows.append(Row(lane))
        rows.extend(
            Row(lane, item)
            for item in sorted(by_lane[lane], key=lambda i: (i.span.start, i.span.end, i.first.start))
        )
    return rows


def read_timeline(library: Library, query: TimelineQuery, limit: int = MAX_EVENTS) -> TimelineRead:
    """Everything the timeline view draws for `query`, laid out."""
    events, truncated = read_events(library, query, limit)
    groups = group_same_happenings(library, events)
    marks = conflicts.conflicting_sentences(library, ((event.article_id, event.start) for event in events))
    items = []
    for members, span in groups:
        conflict = next(
            (marks[(e.article_id, e.start)] for e in members if (e.article_id, e.start) in marks), ""
        )
        items.append(TimelineItem(tuple(members), span, conflict))
    placed = sum(item.count for item in items)
    if items:
        first = min(item.span.start for item in items)
        last = max(item.span.end for item in items)
    else:
        first = last = dt.date.today()
    pad = max(dt.timedelta(days=3), (last - first) / 40)
    return TimelineRead(
        query,
        lay_out(items, query.lanes),
        first - pad,
        last + pad,
        len(items),
        placed,
        len(events) - placed,
        truncated,
    )


# -- the axis --------------------------------------------------------------------------------

MIN_TICK_GAP = 70  # pixels between labelled ticks
_YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def axis_ticks(first: dt.date, last: dt.date, px_per_day: float) -> list[tuple[dt.date, str]]:
    """Labelled ticks between two days (the visible part of the axis only), at least
    MIN_TICK_GAP pixels apart: days, weeks, months or 1, 2, 5, 10... years."""
    ticks: list[tuple[dt.date, str]] = []
    if px_per_day >= MIN_TICK_GAP:
        day = first
        while day <= last:
            ticks.append(
                (day, day.strftime("%-d %b %Y") if day.day == 1 or not ticks else day.strftime("%-d %b"))
            )
            day += dt.timedelta(days=1)
        return ticks
    if px_per_day * 7 >= MIN_TICK_GAP:
        day = first + dt.timedelta(days=(7 - first.weekday()) % 7)  # Mondays
        while day <= last:
            ticks.append(
                (
                    day,
                    day.strftime("%-d %b %Y")
                    if not ticks or day.day <= 7 and day.month == 1
                    else day.strftime("%-d %b"),
                )
            )
            day += dt.timedelta(days=7)
        return ticks
    for months in (1, 3, 6):
        if px_per_day * 30.4 * months >= MIN_TICK_GAP:
            year, month = first.year, first.month
            while (year, month) <= (last.year, last.month):
                day = dt.date(year, month, 1)
                if first <= day and (month - 1) % months == 0:
                    ticks.append(
                        (day, day.strftime("%b %Y") if month == 1 or not ticks else day.strftime("%b"))
                    )
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            return ticks
    step = next((s for s in _YEAR_STEPS if px_per_day * 365.25 * s >= MIN_TICK_GAP), _YEAR_STEPS[-1])
    for year in range(max(first.year - first.year % step, step), last.year + 1, step):
        day = dt.date(year, 1, 1)
        if first <= day <= last:
            ticks.append((day, str(year)))
    return ticks
