"""Realistic benchmark libraries: 10,000 or 100,000 articles of real length and vocabulary.

    PYTHONPATH=. python -m benchmarks.libgen --articles 10000

Articles are sentences of the sample articles (data/, benchmarks/data/) recombined, 400-2,000
words each, with the capitalised words swapped for a long tail of generated names (Zipf: a few
names in thousands of articles, most in a handful), so the index sees a varied vocabulary. Each
article comes with an extraction like spaCy's: about 100 mentions and 15 events.

Libraries are written once into benchmarks/.cache/ (ignored by git) and reused; other
benchmarks call `cached_library(n)`. Rows go in with bare executemany into the library's own
schema (migrations and FTS triggers included): the generator measures nothing, it only has to
be quick enough to run.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from briefing_app.core.store import Library, now_iso

REPO = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO / "benchmarks" / ".cache"
# Bump when the generated articles change, so a cached library of the old kind is not reused.
GENERATOR_VERSION = 2
MIN_WORDS, MAX_WORDS = 400, 2_000
EVENTS_PER_ARTICLE = 15
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP")

_SYLLABLES = (
    "ka ri mo ta le vo an sel dru bek ul ra zin po hal mer te is gor va nu lan ched ost "
    "fer mi do sar bal kov yen ith por gla ne su wen dra lo bi cas tor ham eli"
).split()
_ORG_SUFFIX = ("Group", "Holdings", "Airlines", "Institute", "Ministry", "Bank", "Systems", "Council")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)*")


@dataclass(frozen=True)
class GeneratedMention:
    start: int
    end: int
    entity: int  # index into the name pool


@dataclass(frozen=True)
class GeneratedArticle:
    title: str
    source: str
    published: str | None
    text: str
    mentions: tuple[GeneratedMention, ...]
    events: tuple[tuple[int, int, str], ...]  # start, end, ISO date


def sample_sentences() -> list[str]:
    """Every sentence of 6 words or more in the sample articles."""
    texts = [
        p.read_text(encoding="utf-8")
        for folder in ("seed", "wikinews")
        for p in (REPO / "data" / folder).glob("*.txt")
    ]
    with open(REPO / "benchmarks" / "data" / "meantime-dev.jsonl", encoding="utf-8") as f:
        texts.extend(json.loads(line)["text"] for line in f)
    sentences = []
    for text in texts:
        for line in text.splitlines():
            sentences.extend(s.strip() for s in _SENTENCE_END.split(line) if len(s.split()) >= 6)
    return sorted(set(sentences))


def name_pool(size: int, rng: random.Random) -> list[tuple[str, str]]:
    """`size` distinct (name, label) pairs made of syllables: people, organisations, places."""

    def word() -> str:
        return "".join(rng.choices(_SYLLABLES, k=rng.randint(2, 3))).capitalize()

    names: dict[str, str] = {}
    while len(names) < size:
        label = rng.choices(LABELS, weights=(40, 25, 20, 10, 5))[0]
        if label == "PERSON":
            name = f"{word()} {word()}"
        elif label == "ORG":
            name = f"{word()} {rng.choice(_ORG_SUFFIX)}"
        else:
            name = word()
        names.setdefault(name, label)
    return list(names.items())


def zipf_cumulative_weights(size: int, exponent: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, size + 1)))


def generate_articles(n: int, seed: int = 7) -> tuple[list[tuple[str, str]], Iterator[GeneratedArticle]]:
    """The name pool, and n articles drawing on it (lazily: 100,000 do not fit in memory)."""
    rng = random.Random(seed)
    sentences = sample_sentences()
    names = name_pool(max(5_000, n // 2), rng)
    weights = zipf_cumulative_weights(len(names))
    total_weight = weights[-1]
    sources = [
        f"{name.split()[0]} {kind}"
        for (name, _label), kind in zip(
            name_pool(300, rng), itertools.cycle(("Times", "Wire", "Post", "News")), strict=False
        )
    ]
    source_weights = zipf_cumulative_weights(len(sources))
    first_day = date(2000, 1, 1).toordinal()
    days = date(2025, 12, 31).toordinal() - first_day

    def pick_name() -> int:
        return bisect.bisect_left(weights, rng.random() * total_weight)

    def article(i: int) -> GeneratedArticle:
        target = int(MIN_WORDS * (MAX_WORDS / MIN_WORDS) ** rng.random())  # log-uniform length
        parts: list[str] = []
        mentions: list[GeneratedMention] = []
        sentence_spans: list[tuple[int, int]] = []
        offset, words, in_paragraph = 0, 0, 0
        title_name = pick_name()
        title = f"{names[title_name][0]}: {rng.choice(sentences)[:80].rstrip(' ,.')}"
        parts.append(title + "\n")
        mentions.append(GeneratedMention(0, len(names[title_name][0]), title_name))
        offset = len(parts[0])
        while words < target:
            sentence = rng.choice(sentences)
            last = 0
            start_of_sentence = offset
            # Capitalised words after the first become generated names: the sample articles'
            # grammar with the vocabulary of a large archive. Every name is a mention.
            for match in _CAPITALISED.finditer(sentence):
                if match.start() == 0:
                    continue
                entity = pick_name()
                name = names[entity][0]
                prefix = sentence[last : match.start()]
                offset += len(prefix)
                mentions.append(GeneratedMention(offset, offset + len(name), entity))
                offset += len(name)
                parts.append(prefix + name)
                last = match.end()
            parts.append(sentence[last:])
            offset += len(sentence) - last
            sentence_spans.append((start_of_sentence, offset))
            words += len(sentence.split())
            in_paragraph += 1
            separator = "\n" if in_paragraph >= rng.randint(3, 6) else " "
            in_paragraph = 0 if separator == "\n" else in_paragraph
            parts.append(separator)
            offset += 1
        text = "".join(parts).rstrip() + f"\nReport {i}."
        published = (
            None if rng.random() < 0.02 else date.fromordinal(first_day + rng.randrange(days)).isoformat()
        )
        base = date.fromisoformat(published) if published else date(2020, 1, 1)
        events = tuple(
            (start, end, (base - timedelta(days=rng.randrange(400))).isoformat())
            for start, end in sorted(rng.sample(sentence_spans, min(EVENTS_PER_ARTICLE, len(sentence_spans))))
        )
        source = sources[bisect.bisect_left(source_weights, rng.random() * source_weights[-1])]
        return GeneratedArticle(title, source, published, text, tuple(mentions), events)

    return names, (article(i) for i in range(n))


def build_library(path: Path, n: int, seed: int = 7, progress: Callable[[int], None] | None = None) -> None:
    """Write a new library of n generated articles, with their extraction, at path."""
    path.unlink(missing_ok=True)
    names, articles = generate_articles(n, seed)
    with Library(path) as library:
        conn = library.db.conn
        with conn:
            conn.executemany(
                "INSERT INTO entities (id, name, label) VALUES (?, ?, ?)",
                [(i + 1, name, label) for i, (name, label) in enumerate(names)],
            )
        imported = now_iso()
        for batch_start in range(0, n, 500):
            batch = list(itertools.islice(articles, 500))
            with conn:
                for a in batch:
                    article_id = conn.execute(
                        "INSERT INTO articles (uid, title, source, published, imported_at, text, blocks, "
                        "word_count, extracted_with) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'libgen/1')",
                        (hashlib.sha256(a.text.encode()).hexdigest(), a.title, a.source, a.published, imported,
                         a.text, _blocks(a.text), len(a.text.split())),
                    ).lastrowid  # fmt: skip
                    conn.executemany(
                        'INSERT INTO mentions (article_id, entity_id, start, "end", text, label) '
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [(article_id, m.entity + 1, m.start, m.end, a.text[m.start : m.end], names[m.entity][1])
                         for m in a.mentions],
                    )  # fmt: skip
                    conn.executemany(
                        'INSERT INTO events (article_id, start, "end", text, date_start, date_end, granularity) '
                        "VALUES (?, ?, ?, ?, ?, ?, 'day')",
                        [(article_id, s, e, a.text[s:e], d, d) for s, e, d in a.events],
                    )
            if progress is not None:
                progress(batch_start + len(batch))
        # Everything into the main file, so that the file alone is the library when renamed.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _blocks(text: str) -> str:
    """The first line is the title, the rest paragraphs (what detect_blocks finds, cheaper)."""
    blocks, start = [], 0
    for number, line in enumerate(text.split("\n")):
        blocks.append(["title" if number == 0 else "paragraph", start, start + len(line)])
        start += len(line) + 1
    return json.dumps(blocks)


def cached_library(n: int, seed: int = 7, verbose: bool = True) -> Path:
    """The generated library of n articles, built on first use and kept in benchmarks/.cache."""
    path = CACHE_DIR / f"library-{n}-seed{seed}-v{GENERATOR_VERSION}.db"
    if path.exists():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    started = time.perf_counter()

    def report(done: int) -> None:
        if verbose and (done % 5_000 == 0 or done == n):
            print(
                f"  generated {done:,}/{n:,} articles ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )

    build_library(building, n, seed, report)
    building.rename(path)  # only a complete library is ever reused
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(cached_library(args.articles, args.seed))


if __name__ == "__main__":
    main()
