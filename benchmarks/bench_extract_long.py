"""Seconds to extract one text of 1.2 million characters (more than spaCy takes at once).

The text is tests/support/longtext.py's: the sample articles' paragraphs repeated, one of
them 150,000 characters without a line break. Model loading is not timed.

    PYTHONPATH=$PWD /work/main/.venv/bin/python benchmarks/bench_extract_long.py [--chars 1200000]
"""

from __future__ import annotations

import argparse
import time

from briefing_app.core.extract.pipeline import MAX_CHUNK_CHARS, Extractor, text_chunks
from tests.support.longtext import long_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_200_000)
    args = parser.parse_args()
    text = long_text(args.chars)
    extractor = Extractor()
    extractor.extract("The model loads here, untimed.")
    start = time.perf_counter()
    extraction = extractor.extract(text, "2024-01-01")
    seconds = time.perf_counter() - start
    chunks = len(text_chunks(text, MAX_CHUNK_CHARS))
    print(
        f"{len(text):,} characters, {len(text.split()):,} words in {chunks} chunks: {seconds:.1f} s; "
        f"{len(extraction.mentions):,} mentions, {len(extraction.timexes):,} dates, "
        f"{len(extraction.events):,} events"
    )


if __name__ == "__main__":
    main()
