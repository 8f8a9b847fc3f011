"""Re-anchoring speed: 200 notes on a ~2,000-word article, after an edit above all of them.

Exact-quote placements (the common case: an edit elsewhere in the article) next to fuzzy ones
(each quote changed by a word), so an accidental fuzzy search on exact cases shows. Prints
the median of --runs timed runs; asserts nothing (target: under 50 ms for the 200 exact).

    python benchmarks/bench_reanchor.py [--notes 200] [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from briefing_app.core.anchoring import Anchor, make_anchor, reanchor

REPO = Path(__file__).resolve().parents[1]
SEED_ARTICLE = REPO / "data" / "seed" / "russia-sahel-talks.txt"


def long_article(min_words: int = 2000) -> str:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    return (text + "\n") * max(1, min_words // len(text.split()) + 1)


def time_placements(new_text: str, anchors: list[Anchor], runs: int) -> float:
    """Median milliseconds to re-anchor every anchor once."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        for anchor in anchors:
            reanchor(new_text, anchor)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    text = long_article()
    step = len(text) // args.notes
    anchors = [make_anchor(text, i * step, i * step + 40) for i in range(args.notes)]
    edited = "Edited lead paragraph. " + text
    exact = time_placements(edited, anchors, args.runs)
    print(f"{args.notes} notes, {len(text.split()):,} words, exact quotes: median {exact:.1f} ms")
    # Every quoted passage loses its first character: no exact match left, fuzzy search only.
    reworded = edited
    for anchor in anchors:
        reworded = reworded.replace(anchor.quote, anchor.quote[1:])
    fuzzy_anchors = anchors[: max(1, args.notes // 10)]
    fuzzy = time_placements(reworded, fuzzy_anchors, max(1, args.runs // 3))
    print(f"{len(fuzzy_anchors)} notes whose quote changed (fuzzy search): median {fuzzy:.1f} ms")


if __name__ == "__main__":
    main()
