"""Seconds to import one W3C annotation whose quote is nowhere in the article.

The worst case of re-anchoring: no exact occurrence, so the fuzzy search runs and finds
nothing good enough; the note must end as an orphan. The quote is article words in a shuffled
order (so partial matches abound), --chars long. A fresh library holds the sample article;
the import runs through `briefing notes import`, in this process, timed once per --chars.
--notes puts that many such annotations in the file (the import's time budget then counts).

    PYTHONPATH=$PWD /work/main/.venv/bin/python benchmarks/bench_w3c_import.py --chars 5400 54000 200000
    PYTHONPATH=$PWD /work/main/.venv/bin/python benchmarks/bench_w3c_import.py --chars 1000 --notes 200
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import tempfile
import time
from pathlib import Path

from briefing_app.cli import main
from briefing_app.core.export.w3c import ARTICLE_URN_PREFIX
from briefing_app.core.importers import read_path
from briefing_app.core.store import Library

REPO = Path(__file__).resolve().parents[1]
SEED_ARTICLE = REPO / "data" / "seed" / "russia-sahel-talks.txt"


def unplaceable_quote(text: str, chars: int, seed: int = 8) -> str:
    words = text.split()
    rng = random.Random(seed)
    out: list[str] = []
    length = 0
    while length < chars:
        word = rng.choice(words)
        out.append(word)
        length += len(word) + 1
    quote = " ".join(out)[:chars]
    assert quote not in text
    return quote


def annotation_file(folder: Path, uid: str, quote: str, notes: int = 1) -> Path:
    annotations = [annotation(uid, quote, number) for number in range(notes)]
    path = folder / "notes.jsonld"
    path.write_text(json.dumps(annotations if notes > 1 else annotations[0]), encoding="utf-8")
    return path


def annotation(uid: str, quote: str, number: int) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"urn:uuid:6f1d2b1e-8a4c-4c1e-9d5e-{number:012d}",
        "type": "Annotation",
        "bodyValue": "a note on a passage that is gone",
        "target": {
            "source": f"{ARTICLE_URN_PREFIX}{uid}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": quote, "prefix": "", "suffix": ""},
                {"type": "TextPositionSelector", "start": 100, "end": 100 + len(quote)},
            ],
        },
    }


def time_import(chars: int, notes: int) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "library.db"
        with Library(db) as library:
            article_id = library.import_items(read_path(SEED_ARTICLE)).imported[0]
            article = library.get_article(article_id)
        path = annotation_file(Path(tmp), article.uid, unplaceable_quote(article.text, chars), notes)
        out = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            main(["--db", str(db), "notes", "import", str(path)])
        summary = out.getvalue().strip().split("\n")[-1]  # (one "orphaned" line per note before it)
        return time.perf_counter() - start, summary


def main_benchmark() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, nargs="+", default=[5_400, 54_000, 200_000])
    parser.add_argument("--notes", type=int, default=1, help="annotations in the file (default 1)")
    args = parser.parse_args()
    for chars in args.chars:
        seconds, output = time_import(chars, args.notes)
        print(f"{args.notes} x quote of {chars:,} characters: {seconds:.2f} s ({output})")


if __name__ == "__main__":
    main_benchmark()
