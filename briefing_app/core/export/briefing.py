"""What a briefing says, gathered once for every format that writes it out."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

from briefing_app.core.anchoring import ORPHANED
from briefing_app.core.model import Article, Event, Mention, Note
from briefing_app.core.store import Library
from briefing_app.core.timeaxis import readable

KEY_ENTITIES = 8  # how many of an article's entities a briefing lists
KEY_ENTITIES_ACROSS = 12  # how many a briefing grouped by tag or entity lists for all its articles
DEFAULT_TITLE = "Briefing"
SHORT_LABEL_CHARS = 48  # an event's label on a timeline figure's row
# "On September 6, 2023, " / "In January 2024, " / "Since 2024, " at the head of a sentence.
_LEADING_DATE = re.compile(
    r"^(?:on|in|since|by|from|until|as of|between|during)\s+[^.;]{0,30}?\d{4},\s+", re.IGNORECASE
)

# How the notes follow one another: under their article, under their (first) tag, under the
# entity their passage is most about, or in the order the analyst listed them.
GroupBy = Literal["article", "tag", "entity", "listed"]
GROUPINGS: tuple[GroupBy, ...] = get_args(GroupBy)

# spaCy's OntoNotes labels in words, for readers who never saw "NORP".
LABEL_WORDS = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Country",
    "LOC": "Place",
    "NORP": "Nationality or group",
    "FAC": "Building or site",
    "EVENT": "Event",
    "LAW": "Law",
    "PRODUCT": "Product",
    "WORK_OF_ART": "Work",
    "LANGUAGE": "Language",
    "MONEY": "Money",
    "QUANTITY": "Quantity",
}
# People and organisations first (whom the article is about), then places, then the rest.
_ROLE_RANK = {"PERSON": 0, "ORG": 0, "GPE": 1, "LOC": 1, "NORP": 2, "FAC": 2}
_OTHER_ROLE = 3
NO_TAG = "Untagged"
NO_ENTITY = "Other notes"


@dataclass(frozen=True)
class BriefingOptions:
    """What the analyst composes around the notes: the title block, grouping and sections."""

    title: str = DEFAULT_TITLE
    author: str = ""
    date: str | None = None  # ISO date printed on the briefing; None: the day it is written
    handling: str = ""  # e.g. "INTERNAL": printed at the top and bottom of every page
    summary: str = ""  # the executive summary, Markdown
    group_by: GroupBy = "article"
    key_entities: bool = True
    timeline: bool = True
    sources: bool = True


@dataclass(frozen=True)
class KeyEntity:
    name: str
    label: str  # the OntoNotes label ("PERSON")
    mentions: int  # in the article (or in all the briefing's articles)
    in_notes: int = 0  # inside the passages the notes quote

    @property
    def label_words(self) -> str:
        return label_words(self.label)


@dataclass(frozen=True)
class ArticleSection:
    article: Article
    article_notes: tuple[Note, ...]  # on the whole article
    passage_notes: tuple[Note, ...]  # in text order (or in the order listed)
    orphans: tuple[Note, ...]  # their passage is no longer in the text
    key_entities: tuple[KeyEntity, ...]
    timeline: tuple[Event, ...]  # by date; undated last


@dataclass(frozen=True)
class NoteGroup:
    """Notes under one heading when a briefing is grouped by tag or entity (or listed)."""

    heading: str
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Briefing:
    title: str
    date: str  # ISO date
    sections: tuple[ArticleSection, ...]
    # Notes whose article was removed from the library: still the analyst's work.
    unattached: tuple[Note, ...] = ()
    author: str = ""
    handling: str = ""
    summary: str = ""
    group_by: GroupBy = "article"
    groups: tuple[NoteGroup, ...] = ()  # when not grouped by article
    show_key_entities: bool = True
    show_timeline: bool = True
    show_sources: bool = True
    # Where each note's passage comes from ("TASS, 2023-09-06, paragraph 3"), by note uuid.
    citations: dict[str, str] = field(default_factory=dict)

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(section.article for section in self.sections)

    @property
    def tags(self) -> tuple[str, ...]:
        """Every tag of the briefing's notes, in the order first met."""
        seen = dict.fromkeys(tag for note in self.all_notes() for tag in note.tags)
        return tuple(seen)

    def all_notes(self) -> list[Note]:
        notes = [n for s in self.sections for n in s.article_notes + s.passage_notes + s.orphans]
        return notes + list(self.unattached)

    def key_entities_across(self, limit: int = KEY_ENTITIES_ACROSS) -> tuple[KeyEntity, ...]:
        """The key entities of all the briefing's articles together, ranked as for one."""
        totals: dict[tuple[str, str], list[int]] = {}
        for section in self.sections:
            for entity in section.key_entities:
                counts = totals.setdefault((entity.name, entity.label), [0, 0])
                counts[0] += entity.mentions
                counts[1] += entity.in_notes
        ranked = sorted(totals.items(), key=lambda item: _entity_rank(item[0], item[1][1], item[1][0]))
        return tuple(KeyEntity(name, label, m, n) for (name, label), (m, n) in ranked[:limit])

    def timeline_across(self) -> tuple[Event, ...]:
        """The events the notes' passages touch, in all the briefing's articles, by date: the
        timeline of a briefing grouped by tag or entity (every event of twenty articles ran
        to pages of dates no note was about)."""
        touched = []
        for section in self.sections:
            spans = [
                (n.start, n.end) for n in section.passage_notes if n.start is not None and n.end is not None
            ]
            touched += [
                e for e in section.timeline if any(e.start < end and start < e.end for start, end in spans)
            ]
        return tuple(sorted(touched, key=_event_order))


def label_words(label: str) -> str:
    """PERSON -> "Person"; an unknown label is shown capitalised ("Weapon")."""
    return LABEL_WORDS.get(label, label.replace("_", " ").capitalize())


def collect_briefing(
    library: Library,
    article_ids: Sequence[int] | None = None,
    tag: str | None = None,
    title: str = DEFAULT_TITLE,
    today: date | None = None,
    notes: Sequence[Note] | None = None,
    options: BriefingOptions | None = None,
) -> Briefing:
    """The briefing on the given articles (in that order), or on every article with notes.

    With `tag`, only notes carrying that tag are included and, without article_ids, only the
    articles that have such notes. `notes`: those notes, when the caller has read them already
    (in the order they are to be read when grouped "listed"). `options` override `title`.
    """
    options = options or BriefingOptions(title=title)
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
    sections = []
    citations: dict[str, str] = {}
    all_mentions: dict[int, list[Mention]] = {}
    for article_id in article_ids:
        article = library.get_article(article_id)
        article_notes = by_article.get(article_id, [])
        mentions = (
            library.mentions(article_id) if options.key_entities or options.group_by == "entity" else []
        )
        all_mentions[article_id] = mentions
        sections.append(_section(library, article, article_notes, mentions, options.timeline))
        for note in article_notes:
            citations[note.uuid] = citation(article, note)
    groups: tuple[NoteGroup, ...] = ()
    if options.group_by == "tag":
        groups = group_by_tag(notes)
    elif options.group_by == "entity":
        groups = group_by_entity(notes, all_mentions)
    elif options.group_by == "listed":
        groups = (NoteGroup("Notes", tuple(notes)),) if notes else ()
    return Briefing(
        title=options.title or DEFAULT_TITLE,
        date=options.date or (today or date.today()).isoformat(),
        sections=tuple(sections),
        unattached=unattached,
        author=options.author,
        handling=options.handling,
        summary=options.summary,
        group_by=options.group_by,
        groups=groups,
        show_key_entities=options.key_entities,
        show_timeline=options.timeline,
        show_sources=options.sources,
        citations=citations,
    )


def _section(
    library: Library, article: Article, notes: list[Note], mentions: list[Mention], with_timeline: bool
) -> ArticleSection:
    passage_notes = tuple(n for n in notes if n.quote and n.anchor_state != ORPHANED)
    return ArticleSection(
        article=article,
        article_notes=tuple(n for n in notes if not n.quote),
        passage_notes=passage_notes,
        orphans=tuple(n for n in notes if n.quote and n.anchor_state == ORPHANED),
        key_entities=rank_entities(mentions, passage_notes),
        timeline=tuple(sorted(library.events(article.id), key=_event_order)) if with_timeline else (),
    )


def key_entities(library: Library, article_id: int, limit: int = KEY_ENTITIES) -> tuple[KeyEntity, ...]:
    """The article's key entities, ranked as rank_entities does, by canonical name."""
    notes = [n for n in library.notes.for_article(article_id) if n.quote and n.anchor_state != ORPHANED]
    return rank_entities(library.mentions(article_id), notes, limit)


def rank_entities(
    mentions: Iterable[Mention], notes: Sequence[Note] = (), limit: int = KEY_ENTITIES
) -> tuple[KeyEntity, ...]:
    """People and organisations first, then places, then the rest; within each, the entities
    most mentioned inside the notes' passages, then most mentioned in the article."""
    spans = [(n.start, n.end) for n in notes if n.start is not None and n.end is not None]
    in_article: Counter[tuple[str, str]] = Counter()
    in_notes: Counter[tuple[str, str]] = Counter()
    for mention in mentions:
        key = (mention.canonical or mention.text, mention.label)
        in_article[key] += 1
        if any(start <= mention.start and mention.end <= end for start, end in spans):
            in_notes[key] += 1
    ranked = sorted(in_article, key=lambda key: _entity_rank(key, in_notes[key], in_article[key]))
    return tuple(
        KeyEntity(name, label, in_article[(name, label)], in_notes[(name, label)])
        for name, label in ranked[:limit]
    )


def _entity_rank(key: tuple[str, str], in_notes: int, in_article: int) -> tuple[int, int, int, str]:
    name, label = key
    return (_ROLE_RANK.get(label, _OTHER_ROLE), -in_notes, -in_article, name.casefold())


def group_by_tag(notes: Sequence[Note]) -> tuple[NoteGroup, ...]:
    """Each note under its first tag; the tags with most notes first, untagged notes last."""
    groups: dict[str, list[Note]] = {}
    for note in notes:
        groups.setdefault(note.tags[0] if note.tags else NO_TAG, []).append(note)
    order = sorted(groups, key=lambda tag: (tag == NO_TAG, -len(groups[tag]), tag.casefold()))
    return tuple(NoteGroup(tag, tuple(groups[tag])) for tag in order)


def group_by_entity(notes: Sequence[Note], mentions: dict[int, list[Mention]]) -> tuple[NoteGroup, ...]:
    """Each note under one entity its passage names (the whole article's, for a note on an
    article): people and organisations before places and the rest, and among those the one
    most of the briefing's notes name, so that notes on Boeing gather under Boeing rather
    than under whichever name each passage repeats. Notes naming none come last."""
    candidates: list[tuple[Note, Counter[tuple[str, str]]]] = []
    notes_naming: Counter[tuple[str, str]] = Counter()
    for note in notes:
        article_mentions = mentions.get(note.article_id, []) if note.article_id is not None else []
        if note.start is not None and note.end is not None and note.quote:
            start, end = note.start, note.end
            article_mentions = [m for m in article_mentions if start <= m.start and m.end <= end]
        named = Counter((m.canonical or m.text, m.label) for m in article_mentions)
        candidates.append((note, named))
        notes_naming.update(named.keys())
    groups: dict[str, list[Note]] = {}
    for note, named in candidates:
        if not named:
            groups.setdefault(NO_ENTITY, []).append(note)
            continue
        best = min(
            named,
            key=lambda key: (
                _ROLE_RANK.get(key[1], _OTHER_ROLE),
                -notes_naming[key],
                -named[key],
                key[0].casefold(),
            ),
        )
        groups.setdefault(best[0], []).append(note)
    order = sorted(groups, key=lambda name: (name == NO_ENTITY, -len(groups[name]), name.casefold()))
    return tuple(NoteGroup(name, tuple(groups[name])) for name in order)


def citation(article: Article, note: Note) -> str:
    """Where the note's passage is: "TASS, 2023-09-06, paragraph 3" (as far as known)."""
    parts = [article.source or article.title, article.published or ""]
    if note.quote and note.start is not None and note.anchor_state != ORPHANED:
        parts.append(f"paragraph {paragraph_number(article, note.start)}")
    return ", ".join(part for part in parts if part)


def paragraph_number(article: Article, offset: int) -> int:
    """The number of the paragraph the offset is in: the text's non-empty lines up to it,
    counting only those in paragraph blocks when the importer marked some (not the title,
    dateline or headings)."""
    paragraphs = [(block.start, block.end) for block in article.blocks if block.kind == "paragraph"]
    count = 0
    for line in re.finditer(r"[^\n]*\S[^\n]*", article.text[: offset + 1]):
        if not paragraphs or any(start <= line.start() < end for start, end in paragraphs):
            count += 1
    return max(1, count)


def _event_order(event: Event) -> tuple[bool, str, int]:
    return (event.date_start is None, event.date_start or "", event.start)


def event_when(event: Event) -> str:
    """The date or span of an event as a briefing prints it ("1980s", not the value "198")."""
    if event.date_start is None:
        return "undated"
    start = readable(event.date_start)
    if event.mod == "BEFORE":
        return f"until {readable(event.date_end or event.date_start)}"
    if event.date_end is None:
        return f"since {start}"
    if event.date_end != event.date_start:
        return f"{start} – {readable(event.date_end)}"
    return start


def short_event_label(event: Event, limit: int = SHORT_LABEL_CHARS) -> str:
    """The event's sentence without a leading date ("On July 6, 2024, ...": the row shows the
    date already) and cut at a word to fit a figure's row ("they announced the formation…")."""
    text = " ".join(event.text.split()).rstrip(".")
    text = _LEADING_DATE.sub("", text, count=1) or text
    text = text[:1].upper() + text[1:]
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(",;:—– ") + "…"


def article_byline(article: Article) -> str:
    """Source and publication date, as far as they are known."""
    return " · ".join(part for part in (article.source, article.published) if part)
