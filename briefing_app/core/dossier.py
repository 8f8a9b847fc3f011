"""An entity's dossier: its aliases, every mention in context (keyword in context), the
entities most often in the same sentence, its dated events across the library and the notes
that quote it.

Mentions page through the entity's articles newest first (entity_articles by date: an index
seek however common the entity). The co-mentions and events read the articles' texts, so
they are counted over the entity's newest SCOPE_ARTICLES articles; the dossier says so when
the entity is in more.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from briefing_app.core.entity_index import EntityRef, EntityRow, entity_row
from briefing_app.core.store import Library

# Characters of text shown each side of a mention in a keyword-in-context line.
CONTEXT_CHARS = 60
# The articles whose mention lines a dossier opens with; the rest come a page at a time.
FIRST_MENTIONS = 40
# The newest articles of the entity whose sentences are read for co-mentions and events.
SCOPE_ARTICLES = 60
CO_MENTIONS_SHOWN = 25


@dataclass(frozen=True)
class MentionLine:
    """One keyword-in-context line: where, then the mention with its context."""

    article_id: int
    published: str | None
    source: str | None
    title: str
    start: int
    end: int
    left: str
    mention: str
    right: str


@dataclass(frozen=True)
class CoMention:
    name: str
    label: str
    sentences: int  # sentences in which both are mentioned


@dataclass(frozen=True)
class DossierEvent:
    article_id: int
    title: str
    source: str | None
    published: str | None
    start: int  # the event's sentence in the article
    end: int
    text: str
    date_start: str | None
    date_end: str | None


@dataclass(frozen=True)
class NoteQuote:
    """A note whose quote holds the entity."""

    uuid: str
    article_id: int | None
    title: str
    start: int | None
    end: int | None
    quote: str
    body: str


@dataclass(frozen=True)
class Dossier:
    entity: EntityRow
    mentions: list[MentionLine]  # the first page, newest articles first
    co_mentions: list[CoMention]
    events: list[DossierEvent]
    notes: list[NoteQuote]
    scope_articles: int  # how many (newest) articles the co-mentions and events come from

    @property
    def scope_is_partial(self) -> bool:
        return self.scope_articles < self.entity.articles

    def to_json(self) -> dict:
        data = asdict(self)
        data["entity"]["aliases"] = list(self.entity.aliases)
        data["mentions_total"] = self.entity.mentions
        return data


def _squash(text: str) -> str:
    return " ".join(text.split())


def _newest_articles(library: Library, entity_id: int, offset: int, limit: int) -> list[tuple[int, int]]:
    """(article id, mentions) of the entity's articles, newest first (undated last)."""
    return library.db.execute(
        "SELECT article_id, mentions FROM entity_articles WHERE entity_id = ? "
        # NULL sorts lowest in SQLite: undated articles come last, and the order is the index's.
        "ORDER BY published DESC, article_id DESC LIMIT ? OFFSET ?",
        [entity_id, limit, offset],
    ).fetchall()


def _articles(library: Library, article_ids: list[int]) -> dict[int, tuple[str, str | None, str | None, str]]:
    """id -> (title, source, published, text)."""
    if not article_ids:
        return {}
    marks = ", ".join("?" * len(article_ids))
    rows = library.db.execute(
        f"SELECT id, title, source, published, text FROM articles WHERE id IN ({marks})", article_ids
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def _entity_mentions(
    library: Library, entity_id: int, article_ids: list[int]
) -> dict[int, list[tuple[int, int]]]:
    if not article_ids:
        return {}
    marks = ", ".join("?" * len(article_ids))
    rows = library.db.execute(
        # "+entity_id": by article (a few hundred rows), never by the entity (all its mentions).
        f'SELECT article_id, start, "end" FROM mentions WHERE article_id IN ({marks}) AND +entity_id = ? '
        "ORDER BY article_id, start",
        [*article_ids, entity_id],
    ).fetchall()
    found: dict[int, list[tuple[int, int]]] = {}
    for article_id, start, end in rows:
        found.setdefault(article_id, []).append((start, end))
    return found


def mention_lines(
    library: Library, entity_id: int, offset_articles: int = 0, max_articles: int = FIRST_MENTIONS
) -> list[MentionLine]:
    """The keyword-in-context lines of the entity's mentions in its articles from
    `offset_articles` on (newest first), up to `max_articles` articles, in text order within
    each article."""
    pairs = _newest_articles(library, entity_id, offset_articles, max_articles)
    ids = [article_id for article_id, _count in pairs]
    return _lines(ids, _articles(library, ids), _entity_mentions(library, entity_id, ids))


def _lines(
    ids: list[int],
    articles: dict[int, tuple[str, str | None, str | None, str]],
    spans: dict[int, list[tuple[int, int]]],
) -> list[MentionLine]:
    lines = []
    for article_id in ids:
        if article_id not in articles:
            continue
        title, source, published, text = articles[article_id]
        for start, end in spans.get(article_id, []):
            left = _squash(text[max(0, start - CONTEXT_CHARS) : start])
            right = _squash(text[end : end + CONTEXT_CHARS])
            lines.append(
                MentionLine(
                    article_id, published, source, title, start, end, left, _squash(text[start:end]), right
                )
            )
    return lines


def iter_mention_lines(library: Library, entity_id: int, page: int = 500) -> Iterator[MentionLine]:
    """Every mention line of the entity, newest articles first."""
    offset = 0
    while True:
        pairs = _newest_articles(library, entity_id, offset, page)
        yield from mention_lines(library, entity_id, offset, page)
        if len(pairs) < page:
            return
        offset += page


# Where a sentence ends: these, unless after an abbreviation or an initial ("Mr.", "U.S.").
_SENTENCE_ENDS = (". ", "! ", "? ", ".\n", "!\n", "?\n", "\n")
_SENTENCE_REACH = 1000
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr gen col lt sgt capt gov sen rep prof inc corp co ltd no vs".split()
)


def _is_break(text: str, at: int) -> bool:
    """Whether the punctuation at text[at] ends a sentence."""
    if text[at] == "\n" or text[at] != ".":
        return True
    last_words = text[max(0, at - 6) : at].rsplit(None, 1)[-1:] or [""]
    word = last_words[0].lstrip("(\"'").rsplit(".", 1)[-1]
    return not (len(word) == 1 and word.isupper()) and word.lower() not in _ABBREVIATIONS


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding text[start:end]: from the break before it to the one after it,
    looked for within _SENTENCE_REACH characters. (str.find per kind of break rather than a
    sentence splitter: a dossier looks at thousands of mentions.)"""
    floor, ceiling = max(0, start - _SENTENCE_REACH), min(len(text), end + _SENTENCE_REACH)
    low = start
    while True:
        low = max(text.rfind(mark, floor, low) for mark in _SENTENCE_ENDS)
        if low < 0:
            low = floor - 1
            break
        if _is_break(text, low):
            break
    high = end
    while True:
        found = [at for at in (text.find(mark, high, ceiling) for mark in _SENTENCE_ENDS) if at >= 0]
        high = min(found, default=ceiling)
        if high == ceiling or _is_break(text, high):
            break
        high += 1
    return low + 1, high


def _sentences_around(text: str, spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The sentences of the text that hold one of the spans."""
    return {_sentence_around(text, start, end) for start, end in spans}


def _scope(
    library: Library, entity_id: int
) -> tuple[list[int], dict[int, tuple[str, str | None, str | None, str]], dict[int, list[tuple[int, int]]]]:
    ids = [article_id for article_id, _n in _newest_articles(library, entity_id, 0, SCOPE_ARTICLES)]
    return ids, _articles(library, ids), _entity_mentions(library, entity_id, ids)


def co_mentions(
    library: Library,
    entity_id: int,
    scope: tuple[list[int], dict, dict[int, list[tuple[int, int]]]] | None = None,
    limit: int = CO_MENTIONS_SHOWN,
) -> list[CoMention]:
    """The entities mentioned in the same sentence as this one, by the number of such
    sentences (in the entity's newest SCOPE_ARTICLES articles)."""
    ids, articles, spans = scope or _scope(library, entity_id)
    if not ids:
        return []
    sentences: dict[int, set[tuple[int, int]]] = {}
    for article_id in ids:
        text = articles.get(article_id, ("", None, None, ""))[3]
        sentences[article_id] = _sentences_around(text, spans.get(article_id, []))
    marks = ", ".join("?" * len(ids))
    rows = library.db.execute(
        f'SELECT article_id, start, "end", entity_id FROM mentions WHERE article_id IN ({marks}) '
        "AND +entity_id IS NOT NULL AND +entity_id != ?",  # by article, not by entity
        [*ids, entity_id],
    ).fetchall()
    counts: Counter[int] = Counter()
    pairs: set[tuple[int, int, int, int]] = set()  # (article, sentence start, sentence end, other)
    ordered = {article_id: sorted(found) for article_id, found in sentences.items()}
    starts = {article_id: [s for s, _e in found] for article_id, found in ordered.items()}
    for article_id, start, end, other in rows:
        at = bisect.bisect_right(starts[article_id], start) - 1
        if at >= 0:
            s, e = ordered[article_id][at]
            if end <= e:
                pairs.add((article_id, s, e, other))
    counts.update(other for _a, _s, _e, other in pairs)
    top = counts.most_common(limit)
    if not top:
        return []
    marks = ", ".join("?" * len(top))
    names = {
        row[0]: (row[1], row[2])
        for row in library.db.execute(
            f"SELECT id, name, label FROM entities WHERE id IN ({marks})", [i for i, _n in top]
        )
    }
    return sorted(
        (CoMention(*names[i], n) for i, n in top if i in names),
        key=lambda c: (-c.sentences, c.name.casefold()),
    )


def events(
    library: Library,
    entity_id: int,
    scope: tuple[list[int], dict, dict[int, list[tuple[int, int]]]] | None = None,
) -> list[DossierEvent]:
    """The dated events whose sentence mentions the entity (in its newest SCOPE_ARTICLES
    articles), by date."""
    ids, articles, spans = scope or _scope(library, entity_id)
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = library.db.execute(
        f'SELECT article_id, start, "end", text, date_start, date_end FROM events '
        f"WHERE article_id IN ({marks}) AND +date_start IS NOT NULL",  # by article, not by date
        ids,
    ).fetchall()
    found = []
    for article_id, start, end, text, date_start, date_end in rows:
        if not any(start <= s and e <= end for s, e in spans.get(article_id, [])):
            continue
        title, source, published, _text = articles[article_id]
        found.append(
            DossierEvent(
                article_id, title, source, published, start, end, _squash(text), date_start, date_end
            )
        )
    return sorted(found, key=lambda e: (e.date_start or "", e.article_id, e.start))


def quoting_notes(library: Library, entity: EntityRow) -> list[NoteQuote]:
    """Live notes whose quote holds one of the entity's mentions, or its name or an alias
    (a free note, or one whose article was extracted again since)."""
    names = [entity.name, *entity.aliases]
    text_match = " OR ".join("instr(lower(n.quote), lower(?)) > 0" for _ in names)
    rows = library.db.execute(
        'SELECT n.uuid, n.article_id, coalesce(a.title, ""), n.start, n."end", n.quote, n.body '
        "FROM notes n LEFT JOIN article_list a ON a.id = n.article_id "
        "WHERE n.deleted = 0 AND n.quote != '' AND (EXISTS (SELECT 1 FROM mentions m "
        'WHERE m.article_id = n.article_id AND +m.entity_id = ? AND m.start < n."end" AND m."end" > n.start) '
        f"OR {text_match}) ORDER BY n.updated DESC",
        [entity.entity_id, *names],
    ).fetchall()
    return [NoteQuote(*row) for row in rows]


def build_dossier(
    library: Library, entity: EntityRef, first_mentions: int = FIRST_MENTIONS
) -> Dossier | None:
    """The dossier of the entity (None once it has no mentions left)."""
    row = entity_row(library, entity.entity_id)
    if row is None:
        return None
    scope = _scope(library, entity.entity_id)
    return Dossier(
        entity=row,
        # The newest articles are read already (the scope): their lines need no second read.
        mentions=(
            _lines(scope[0][:first_mentions], scope[1], scope[2])
            if first_mentions <= SCOPE_ARTICLES
            else mention_lines(library, entity.entity_id, 0, first_mentions)
        ),
        co_mentions=co_mentions(library, entity.entity_id, scope),
        events=events(library, entity.entity_id, scope),
        notes=quoting_notes(library, row),
        scope_articles=len(scope[0]),
    )


def dossier_json(dossier: Dossier, all_mentions: list[MentionLine] | None = None) -> str:
    data = dossier.to_json()
    if all_mentions is not None:
        data["mentions"] = [asdict(line) for line in all_mentions]
    return json.dumps(data, ensure_ascii=False, indent=2)
