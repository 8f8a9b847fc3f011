"""Conflicting dates: two articles that report the same happening with different dates.

Two event sentences (from two different articles) tell the same happening when

- they name at least MIN_SHARED_ENTITIES of the same key entities (PERSON, ORG, GPE: who
  acted, and where; one shared name is any two stories about Moscow), and
- they use the same event words: the content words of the sentence (stop-words, numbers,
  date words, people's titles and every name's own words out), reduced to a base form, overlap by at least
  half of the shorter sentence's words.

Their dates conflict when the intervals they cover do not overlap at all ("January 2023"
and "31 January 2023" agree; "6 September" and "12 October" do not). Open ranges ("since
2024") reach to the end of time.

The event words are not spaCy lemmas: tagging every event sentence of a 10,000-article
library again would take minutes and a model in the window's process. A stop-word list and
a small suffix and irregular-verb table give the same base forms for the words news
sentences share ("met" and "meets" -> "meet", "talks" -> "talk"), which is all the rule
compares.

Detection runs over the whole library (in the background in the window) and stores its
pairs in `conflicts`; the analyst's "these are different events" goes to
`conflict_dismissals`, keyed by each side's article uid and normalised sentence, so a
dismissal survives re-extraction (events get new ids) and detection running again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from briefing_app.core import timeaxis
from briefing_app.core.extract.registry import registry_key
from briefing_app.core.model import Event
from briefing_app.core.store import Library, now_iso

KEY_LABELS = ("PERSON", "ORG", "GPE")
MIN_SHARED_ENTITIES = 2
MIN_WORD_OVERLAP = 1 / 3  # of each sentence's event words
# Entities per sentence that pair up in the candidate index (pairs grow as n²): a sentence
# naming more is a list of names, compared on the first of them (by id: stable across runs).
MAX_KEY_ENTITIES = 6
# A (two entities, one rare word) key shared by more sentences than this is boilerplate (a
# stock phrase about the same two names, in hundreds of articles); it pairs nothing, lest
# detection spend minutes on pairs an analyst would not read through anyway.
MAX_BUCKET = 60
ARTICLES_PER_READ = 500  # detection reads the library in slices: memory stays small
CHECKED_SETTING = "conflicts_checked"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

STOP_WORDS = frozenset(
    """
    a about above after again against all almost also although am among an and another any
    are around as at be became because been before being below between both but by can
    could did do does doing done down during each either else even ever every few for from
    further had has have having he her here hers herself him himself his how however i if in
    into is it its itself just least less like many may me might more most much must my
    myself neither no nor not now of off often on once one only or other others our ours
    ourselves out over own per perhaps quite rather said same say says she should since so
    some still such than that the their theirs them themselves then there these they this
    those though through thus to too under until up upon us very via was we were what when
    where whether which while who whom whose why will with within without would yet you your
    yours yourself according also amid told reported reportedly say saying stated statement
    new former first last next latest earlier later already
    """.split()
)
# Words that say who someone is ("Foreign Minister X"), not what happened.
TITLE_WORDS = frozenset(
    """
    minister ministers president vice prime foreign secretary general spokesman spokeswoman
    spokesperson chief head leader official officials ambassador envoy chairman director ceo
    king queen prince mr mrs ms dr deputy senior junta
    """.split()
)
# Words that say when, not what: the date is compared on its own.
DATE_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday today yesterday tomorrow tonight morning afternoon evening night day days
    week weeks month months year years decade decades century centuries spring summer autumn
    fall winter early mid late ago annual quarter
    """.split()
)
IRREGULAR = {
    "met": "meet", "meets": "meet", "meeting": "meet", "meetings": "meet", "held": "hold",
    "holds": "hold", "took": "take", "taken": "take", "went": "go", "gone": "go", "began": "begin",
    "begun": "begin", "won": "win", "lost": "lose", "fought": "fight", "led": "lead", "left": "leave",
    "made": "make", "came": "come", "sold": "sell", "bought": "buy", "struck": "strike",
    "signed": "sign", "spoke": "speak", "spoken": "speak", "wrote": "write", "written": "write",
    "flew": "fly", "flown": "fly", "brought": "bring", "sent": "send", "paid": "pay", "built": "build",
    "fell": "fall", "fallen": "fall", "rose": "rise", "risen": "rise", "gave": "give", "given": "give",
    "chose": "choose", "chosen": "choose", "ran": "run", "seized": "seize", "shot": "shoot",
    "hit": "hit", "agreed": "agree", "talks": "talk", "died": "die", "dies": "die", "elected": "elect",
    "visited": "visit", "arrived": "arrive", "launched": "launch", "announced": "announce",
}  # fmt: skip


@lru_cache(maxsize=100_000)
def base_form(word: str) -> str:
    """A word's base form for comparison: "meets", "met" -> "meet"; "agreements" -> "agreement"."""
    word = word.casefold().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word in IRREGULAR:
        return IRREGULAR[word]
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            stem = word[: len(word) - len(suffix)] + replacement
            if suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2]:
                stem = stem[:-1]  # "planned" -> "plan"
            return stem
    return word


def event_words(sentence: str, skip_spans: Iterable[tuple[int, int]] = ()) -> frozenset[str]:
    """The sentence's event words: its content words, in base form, with the words inside
    `skip_spans` (offsets into the sentence: the entities' mentions) left out."""
    pieces, position = [], 0
    for start, end in sorted(skip_spans):
        pieces.append(sentence[position:start])
        position = max(position, end)
    pieces.append(sentence[position:])
    words = set()
    for word in _WORD.findall(" ".join(pieces).casefold()):
        if len(word) >= 3 and word not in STOP_WORDS and word not in DATE_WORDS and word not in TITLE_WORDS:
            words.add(base_form(word))
    return frozenset(words - STOP_WORDS)


def _needed(words: int) -> int:
    """How many of a sentence's event words another must share to tell the same happening."""
    return max(1, math.ceil(words * MIN_WORD_OVERLAP - 1e-9))


def words_agree(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """The words two sentences share, when they are enough to call it the same happening
    (else empty)."""
    shared = a & b
    if not shared or len(shared) < max(_needed(len(a)), _needed(len(b))):
        return frozenset()
    return shared


_OPEN_START = dt.date.min
_OPEN_END = dt.date.max


def covered_days(span: timeaxis.EventSpan) -> tuple[dt.date, dt.date]:
    return (_OPEN_START if span.open_start else span.start, _OPEN_END if span.open_end else span.end)


def dates_disagree(a: timeaxis.EventSpan, b: timeaxis.EventSpan) -> bool:
    """Whether the two spans share no day (an open end reaches to the end of time)."""
    first_a, last_a = covered_days(a)
    first_b, last_b = covered_days(b)
    return last_a < first_b or last_b < first_a


def sentence_key(text: str) -> str:
    """A sentence as it is compared across extractions: case and spacing do not count."""
    return " ".join(text.casefold().split())


def side_key(article_uid: str, sentence: str) -> str:
    """What a conflict's side is remembered by: its article and its sentence, never an id."""
    digest = hashlib.sha1(f"{article_uid}\0{sentence_key(sentence)}".encode(), usedforsecurity=False)
    return digest.hexdigest()[:24]


# -- detection -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedSentence:
    """An event sentence as detection sees it."""

    article_id: int
    key: str  # side_key
    start: int
    end: int
    text: str
    date_start: str | None
    date_end: str | None
    mod: str | None
    span: timeaxis.EventSpan
    entities: frozenset[int]
    words: frozenset[str]


@dataclass(frozen=True)
class FoundConflict:
    a: DatedSentence
    b: DatedSentence
    entities: frozenset[int]
    words: frozenset[str]


def same_happening_dated_apart(a: DatedSentence, b: DatedSentence) -> FoundConflict | None:
    """The conflict between two sentences, or None when they are not one happening or their
    dates agree."""
    if a.article_id == b.article_id:
        return None
    entities = a.entities & b.entities
    if len(entities) < MIN_SHARED_ENTITIES:
        return None
    words = words_agree(a.words, b.words)
    if not words or not dates_disagree(a.span, b.span):
        return None
    first, second = (a, b) if a.key < b.key else (b, a)
    return FoundConflict(first, second, entities, words)


def _dated_sentences(library: Library, first_id: int, last_id: int) -> list[DatedSentence]:
    """The dated event sentences of articles first_id..last_id naming two key entities or more."""
    # Every mention: key ones name the sentence's entities, all of them are left out of its words.
    key_mentions: dict[int, list[tuple[int, int, int | None]]] = defaultdict(list)
    for article_id, start, end, entity_id, label in library.db.execute(
        'SELECT article_id, start, "end", entity_id, label FROM mentions WHERE article_id BETWEEN ? AND ?',
        [first_id, last_id],
    ):
        key_mentions[article_id].append((start, end, entity_id if label in KEY_LABELS else None))
    for mentions in key_mentions.values():
        mentions.sort()
    sentences = []
    rows = library.db.execute(
        'SELECT e.article_id, a.uid, e.start, e."end", e.text, e.date_start, e.date_end, '
        "e.granularity, e.mod FROM events e JOIN articles a ON a.id = e.article_id "
        "WHERE e.article_id BETWEEN ? AND ? AND e.date_start IS NOT NULL",
        [first_id, last_id],
    )
    for article_id, uid, start, end, text, date_start, date_end, granularity, mod in rows:
        mentions = key_mentions.get(article_id, [])
        first = bisect_left(mentions, (start,))
        inside = []
        for s, e, entity in mentions[first:]:
            if s >= end:
                break
            if e <= end:
                inside.append((s, e, entity))
        entities = frozenset(entity for _s, _e, entity in inside if entity is not None)
        if len(entities) < MIN_SHARED_ENTITIES:
            continue
        span = timeaxis.event_span(Event(start, end, text, date_start, date_end, granularity, mod))
        if span is None:
            continue
        words = event_words(text, [(s - start, e - start) for s, e, _entity in inside])
        if not words:
            continue
        sentences.append(
            DatedSentence(
                article_id,
                side_key(uid, text),
                start,
                end,
                text,
                date_start,
                date_end,
                mod,
                span,
                entities,
                words,
            )
        )
    return sentences


def find_conflicts(
    library: Library,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[FoundConflict] | None:
    """Every conflict in the library (None if cancelled).

    Only sentences that could be one happening are compared: candidates share a key of two
    key entities and one event word. Each sentence is filed under its rarest words only
    (prefix filtering): two sentences sharing at least the needed share of each one's words must share
    one of the rarest |words| - needed + 1 of each, so no pair is missed, and
    the common words, which would pair everything with everything, file nothing."""
    bounds = library.db.execute("SELECT min(id), max(id) FROM articles").fetchone()
    if bounds[0] is None:
        return []
    first_id, last_id = bounds
    sentences: list[DatedSentence] = []
    total = last_id - first_id + 1
    for low in range(first_id, last_id + 1, ARTICLES_PER_READ):
        if cancelled is not None and cancelled():
            return None
        sentences.extend(_dated_sentences(library, low, low + ARTICLES_PER_READ - 1))
        if progress is not None:
            progress(min(low + ARTICLES_PER_READ, last_id + 1) - first_id, total)
    frequency: Counter[str] = Counter()
    for sentence in sentences:
        frequency.update(sentence.words)
    index: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for number, sentence in enumerate(sentences):
        if cancelled is not None and number % 5000 == 0 and cancelled():
            return None
        rarest = sorted(sentence.words, key=lambda word: (frequency[word], word))
        prefix = rarest[: len(rarest) - _needed(len(rarest)) + 1]
        for first, second in combinations(sorted(sentence.entities)[:MAX_KEY_ENTITIES], 2):
            for word in prefix:
                index[(first, second, word)].append(number)
    candidates: set[tuple[int, int]] = set()
    for bucket in index.values():
        if 2 <= len(bucket) <= MAX_BUCKET:
            candidates.update(combinations(bucket, 2))
    index.clear()
    found: dict[tuple[str, str], FoundConflict] = {}
    for count, (i, j) in enumerate(candidates):
        if cancelled is not None and count % 5000 == 0 and cancelled():
            return None
        conflict = same_happening_dated_apart(sentences[i], sentences[j])
        if conflict is not None:
            found.setdefault((conflict.a.key, conflict.b.key), conflict)
    return list(found.values())


def _fingerprint(library: Library) -> str:
    """What detection depends on: the stored events and mentions and the registry; any
    extraction, import or correction changes it."""
    row = library.db.execute(
        "SELECT (SELECT max(id) FROM events), (SELECT count(*) FROM events), "
        "(SELECT max(id) FROM mentions), (SELECT count(*) FROM mentions), "
        "(SELECT count(*) FROM aliases), (SELECT count(*) FROM entities), "
        "(SELECT count(*) FROM articles)"
    ).fetchone()
    return ":".join(str(value) for value in row)


def is_stale(library: Library) -> bool:
    """Whether the library changed since conflicts were last looked for."""
    return library.get_setting(CHECKED_SETTING) != _fingerprint(library)


def refresh_conflicts(
    library: Library,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    force: bool = False,
) -> int | None:
    """Look for conflicts again if the library changed since the last look (or `force`) and
    store them; returns how many there are now (dismissed ones too), None if cancelled."""
    fingerprint = _fingerprint(library)
    if not force and library.get_setting(CHECKED_SETTING) == fingerprint:
        return library.db.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    found = find_conflicts(library, progress, cancelled)
    if found is None:
        return None
    names = _entity_names({entity for conflict in found for entity in conflict.entities}, library)
    with library.write():
        library.db.execute("DELETE FROM conflicts")
        library.db.conn.executemany(
            "INSERT INTO conflicts (a_key, b_key, a_article_id, a_start, a_end, a_text, a_date_start, "
            "a_date_end, a_mod, b_article_id, b_start, b_end, b_text, b_date_start, b_date_end, b_mod, "
            "entities, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.a.key, c.b.key,
                    c.a.article_id, c.a.start, c.a.end, c.a.text, c.a.date_start, c.a.date_end, c.a.mod,
                    c.b.article_id, c.b.start, c.b.end, c.b.text, c.b.date_start, c.b.date_end, c.b.mod,
                    json.dumps(sorted(names[e] for e in c.entities), ensure_ascii=False),
                    json.dumps(sorted(c.words), ensure_ascii=False),
                )
                for c in found
            ],
        )  # fmt: skip
        library.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [CHECKED_SETTING, fingerprint],
        )
    return len(found)


def _entity_names(entity_ids: set[int], library: Library) -> dict[int, str]:
    names: dict[int, str] = {}
    ids = sorted(entity_ids)
    for low in range(0, len(ids), 500):
        chunk = ids[low : low + 500]
        rows = library.db.execute(
            f"SELECT id, name FROM entities WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        )
        names.update(dict(rows.fetchall()))
    return names


# -- reading what was found ----------------------------------------------------------------


@dataclass(frozen=True)
class ConflictSide:
    article_id: int
    title: str
    source: str | None
    published: str | None
    start: int
    end: int
    text: str
    date_start: str | None
    date_end: str | None
    mod: str | None

    @property
    def date_label(self) -> str:
        """ "2023-09-06", "2022 – 2023", "since 2024"."""
        return timeaxis.label(
            Event(self.start, self.end, self.text, self.date_start, self.date_end, "", self.mod)
        )


@dataclass(frozen=True)
class Conflict:
    id: int
    a_key: str
    b_key: str
    a: ConflictSide
    b: ConflictSide
    entities: tuple[str, ...]
    words: tuple[str, ...]
    dismissed: bool = False


_SIDE_COLUMNS = (
    "{s}.id, {s}.title, {s}.source, {s}.published, c.{s}_start, c.{s}_end, c.{s}_text, "
    "c.{s}_date_start, c.{s}_date_end, c.{s}_mod"
)


def list_conflicts(library: Library, entity: str = "", include_dismissed: bool = False) -> list[Conflict]:
    """The stored conflicts, newest happening first; `entity`: only those naming it (its
    canonical name, or any name the registry resolves to it, in any case)."""
    clauses, params = [], []
    if not include_dismissed:
        clauses.append("d.a_key IS NULL")
    if entity.strip():
        names = entity_names_for(library, entity)
        clauses.append(
            f"EXISTS (SELECT 1 FROM json_each(c.entities) j WHERE j.value IN ({', '.join('?' * len(names))}))"
        )
        params.extend(names)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = library.db.execute(
        f"SELECT c.id, c.a_key, c.b_key, {_SIDE_COLUMNS.format(s='a')}, {_SIDE_COLUMNS.format(s='b')}, "
        "c.entities, c.words, d.a_key IS NOT NULL FROM conflicts c "
        "JOIN article_list a ON a.id = c.a_article_id JOIN article_list b ON b.id = c.b_article_id "
        "LEFT JOIN conflict_dismissals d ON d.a_key = c.a_key AND d.b_key = c.b_key"
        f"{where} ORDER BY max(coalesce(c.a_date_start, ''), coalesce(c.b_date_start, '')) DESC, c.id",
        params,
    ).fetchall()
    return [
        Conflict(
            row[0],
            row[1],
            row[2],
            ConflictSide(*row[3:13]),
            ConflictSide(*row[13:23]),
            tuple(json.loads(row[23])),
            tuple(json.loads(row[24])),
            bool(row[25]),
        )
        for row in rows
    ]


def entity_names_for(library: Library, name: str) -> list[str]:
    """The canonical names `name` stands for: itself, and what the registry resolves it to."""
    rows = library.db.execute(
        "SELECT name FROM entities WHERE name = ? COLLATE NOCASE "
        "UNION SELECT e.name FROM aliases a JOIN entities e ON e.id = a.entity_id WHERE a.alias_key = ?",
        [name.strip(), registry_key(name.strip())],
    ).fetchall()
    return [row[0] for row in rows] or [name.strip()]


def dismiss(library: Library, a_key: str, b_key: str) -> None:
    """The analyst says the two sentences tell different events: never flagged again."""
    first, second = sorted((a_key, b_key))
    with library.write():
        library.db.execute(
            "INSERT OR IGNORE INTO conflict_dismissals (a_key, b_key, dismissed_at) VALUES (?, ?, ?)",
            [first, second, now_iso()],
        )


def conflicting_sentences(
    library: Library, sentences: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """(article id, sentence start) -> what the other side says ("Reuters dates it
    2023-10-12"), for those of these sentences that an undismissed conflict names (the
    timeline's marks)."""
    # Handed over as one JSON list; for each sentence SQLite seeks the index and stops at the
    # first undismissed conflict (a sentence may be in many).
    wanted = json.dumps(sorted(set(sentences)))
    first_conflict: dict[tuple[int, int], int] = {}
    for side in ("a", "b"):
        rows = library.db.execute(
            "SELECT article_id, start, (SELECT c.id FROM conflicts c "
            f"WHERE c.{side}_article_id = article_id AND c.{side}_start = start AND NOT EXISTS "
            "(SELECT 1 FROM conflict_dismissals d WHERE d.a_key = c.a_key AND d.b_key = c.b_key) LIMIT 1) "
            "FROM (SELECT json_extract(value, '$[0]') AS article_id, json_extract(value, '$[1]') AS start "
            "FROM json_each(?))",
            [wanted],
        )
        for article_id, start, conflict_id in rows:
            if conflict_id is not None:
                first_conflict.setdefault((article_id, start), conflict_id)
    marks: dict[tuple[int, int], str] = {}
    ids = sorted(set(first_conflict.values()))
    described: dict[tuple[int, int], str] = {}
    for low in range(0, len(ids), 500):
        chunk = ids[low : low + 500]
        rows = library.db.execute(
            "SELECT c.a_article_id, c.a_start, c.a_date_start, coalesce(a.source, a.title), "
            "c.b_article_id, c.b_start, c.b_date_start, coalesce(b.source, b.title) FROM conflicts c "
            "JOIN article_list a ON a.id = c.a_article_id JOIN article_list b ON b.id = c.b_article_id "
            f"WHERE c.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for a_id, a_start, a_date, a_source, b_id, b_start, b_date, b_source in rows:
            described[(a_id, a_start)] = f"{b_source} dates it {b_date}"
            described[(b_id, b_start)] = f"{a_source} dates it {a_date}"
    for sentence in first_conflict:
        marks[sentence] = described.get(sentence, "")
    return marks


def main(argv: list[str] | None = None) -> int:
    """`python -m briefing_app.core.conflicts LIBRARY`: look for conflicts if the library
    changed, printing "progress DONE TOTAL" lines and then "found N". The window runs
    detection so, in a child process: its minutes of Python and the freeing of its index
    at the end would hold this process's interpreter lock, and stall the window, for seconds."""
    import os
    import sys

    (path,) = sys.argv[1:] if argv is None else argv
    if hasattr(os, "nice"):
        os.nice(10)  # background work: the window (and the analyst's other programs) first
    with Library(path) as library:
        found = refresh_conflicts(
            library, progress=lambda done, total: print(f"progress {done} {total}", flush=True)
        )
    print(f"found {found}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
