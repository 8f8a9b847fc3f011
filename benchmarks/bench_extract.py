"""Words per second of our extraction next to bare spaCy on the same texts, in one run.

Bare = the full stock en_core_web_sm pipeline through `nlp.pipe`, nothing else: what a plain
spaCy setup would cost. Ours = Extractor.extract_many (fewer components, then the entity
rules, time expressions, events), in one process and in two. Model loading is not timed.
Each figure is the median of --runs timed runs after one warm-up run.

    /work/venv/bin/python benchmarks/bench_extract.py [--words 40000] [--runs 3]
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from briefing_app.core.extract.entities import MODEL_PACKAGES
from briefing_app.core.extract.pipeline import Extractor

REPO = Path(__file__).resolve().parents[1]


def corpus(min_words: int) -> list[tuple[str, str | None]]:
    """The 60 MEANTIME dev texts and the sample articles, repeated up to min_words."""
    base: list[tuple[str, str | None]] = []
    with open(REPO / "benchmarks" / "data" / "meantime-dev.jsonl", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
        base += [(row["text"], row.get("published")) for row in rows]
    for path in sorted((REPO / "data").glob("*/*.txt")):
        base.append((path.read_text(encoding="utf-8"), None))
    items: list[tuple[str, str | None]] = []
    words = 0
    while words < min_words:
        for item in base:
            items.append(item)
            words += len(item[0].split())
    return items


def bare_model():
    for name in MODEL_PACKAGES:
        try:
            return importlib.import_module(name).load()
        except ImportError:
            continue
    raise SystemExit("no en_core_web_sm model installed")


def median_rate(run: Callable[[], Iterable[object]], words: int, runs: int) -> float:
    for _ in run():  # warm-up: caches, lazily built tables, process pools' first start
        pass
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in run():
            pass
        rates.append(words / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=int, default=40_000, help="words per timed run (default 40000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure (default 3)")
    args = parser.parse_args()

    items = corpus(args.words)
    texts = [text for text, _ in items]
    words = sum(len(text.split()) for text in texts)
    nlp = bare_model()
    extractor = Extractor()
    _ = extractor.rules  # load before timing
    # The same, with the tense of year-less dates read from word lists: what the tagger costs.
    word_lists = Extractor()
    word_lists.tense_from_model = False
    _ = word_lists.rules  # the same loaded model (load_model is cached)

    print(f"{len(texts)} texts, {words} words per run, median of {args.runs} runs")
    print(f"bare: {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']} {nlp.pipe_names}")
    print(f"ours: {extractor.engine_version} {extractor.nlp.pipe_names} + rules, timex, events")
    figures = {
        "bare nlp.pipe, 1 process": median_rate(lambda: nlp.pipe(texts), words, args.runs),
        "bare nlp.pipe, 2 processes": median_rate(lambda: nlp.pipe(texts, n_process=2), words, args.runs),
        "ours extract_many, 1 process": median_rate(lambda: extractor.extract_many(items), words, args.runs),
        "ours extract_many, 2 processes": median_rate(
            lambda: extractor.extract_many(items, n_process=2), words, args.runs
        ),
        "ours, 1 process, no tense tagger": median_rate(
            lambda: word_lists.extract_many(items), words, args.runs
        ),
    }
    for name, rate in figures.items():
        print(f"{name:32} {rate:10.0f} words/s")
    bare = figures["bare nlp.pipe, 1 process"]
    print(f"ratio ours 2 processes / bare 1 process: {figures['ours extract_many, 2 processes'] / bare:.2f}")
    print(f"ratio ours 1 process  / bare 1 process: {figures['ours extract_many, 1 process'] / bare:.2f}")
    tagger = figures["ours extract_many, 1 process"] / figures["ours, 1 process, no tense tagger"]
    print(f"ratio ours 1 process / the same without the tense tagger: {tagger:.2f}")


if __name__ == "__main__":
    main()
