"""Import speed and search latency of the library, next to bare sqlite3 in the same run.

    python benchmarks/bench_import.py [--articles 10000] [--queries 200]

Prints articles/s of Library.import_items (no extraction) beside two bare sqlite3 baselines
fed the same rows with one executemany in one transaction:
  - bare-plain: the same columns in a table with no index (the physical limit of the rows);
  - bare-schema: the library's own schema, FTS triggers included (the limit for our schema).
Then the median and p95 of Library.search over the built library, and of the whole
`briefing search` command (process start included).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from briefing_app.core import migrations
from briefing_app.core.importers import read_path
from briefing_app.core.model import ArticleDraft
from briefing_app.core.store import Library, content_uid, now_iso
from briefing_app.core.textnorm import detect_blocks, normalize_text

REPO = Path(__file__).resolve().parents[1]
QUERIES = [
    "Airbus",
    "Boeing AND 787",
    '"maiden flight"',
    "iPhone",
    "Sahel OR Mali",
    "airline*",
    "Apple NOT iPod",
    "contract",
    "Jobs",
    "A380 delivered",
]


def corpus_drafts() -> list[ArticleDraft]:
    drafts = [
        d
        for folder in ("seed", "wikinews")
        for d in read_path(REPO / "data" / folder)
        if isinstance(d, ArticleDraft)
    ]
    with open(REPO / "benchmarks" / "data" / "meantime-dev.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            drafts.append(
                ArticleDraft(
                    text=row["text"],
                    title=row["title"],
                    published=row.get("published"),
                    url=row.get("url"),
                    origin=row["id"],
                )
            )
    return drafts


def make_drafts(n: int) -> list[ArticleDraft]:
    """n distinct articles: the corpus texts, each copy with its own last line and URL."""
    base = corpus_drafts()
    out = []
    for i in range(n):
        d = base[i % len(base)]
        out.append(
            ArticleDraft(
                text=f"{d.text}\nCopy {i}.",
                title=f"{d.title} ({i})",
                source=d.source,
                published=d.published,
                url=f"{d.url or 'https://example.org/a'}?copy={i}",
                origin=f"copy-{i}",
            )
        )
    return out


def generated_drafts(n: int) -> list[ArticleDraft]:
    """n articles of realistic length (400-2,000 words) from benchmarks/libgen.py."""
    from benchmarks.libgen import generate_articles

    _names, articles = generate_articles(n, seed=11)
    return [
        ArticleDraft(text=a.text, title=a.title, source=a.source, published=a.published, origin=f"gen-{i}")
        for i, a in enumerate(articles)
    ]


def bare_rows(drafts: list[ArticleDraft]) -> list[tuple]:
    # The bare baselines get rows already normalized: they measure storage alone.
    rows = []
    for d in drafts:
        text = normalize_text(d.text)
        blocks = json.dumps([[b.kind, b.start, b.end] for b in detect_blocks(text, d.title)])
        rows.append(
            (
                content_uid(text),
                d.title,
                d.source,
                d.url,
                d.author,
                d.published,
                now_iso(),
                text,
                blocks,
                len(text.split()),
            )
        )
    return rows


INSERT = (
    "INSERT INTO articles (uid, title, source, url, author, published, imported_at, text, "
    "blocks, word_count) VALUES (?,?,?,?,?,?,?,?,?,?)"
)


def time_executemany(path: Path, rows: list[tuple]) -> float:
    """Seconds for one executemany of the rows, in one transaction, into the file's table."""
    conn = sqlite3.connect(path)
    t0 = time.perf_counter()
    with conn:
        conn.executemany(INSERT, rows)
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def time_bare_plain(path: Path, rows: list[tuple]) -> float:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE articles (uid, title, source, url, author, published, imported_at, "
            "text, blocks, word_count)"
        )
    conn.close()
    return time_executemany(path, rows)


def time_bare_schema(path: Path, rows: list[tuple]) -> float:
    Library(path).close()  # our schema, empty
    return time_executemany(path, rows)


def time_library(path: Path, drafts: list[ArticleDraft]) -> float:
    with Library(path) as lib:
        t0 = time.perf_counter()
        report = lib.import_items(drafts)
        elapsed = time.perf_counter() - t0
        assert len(report.imported) == len(drafts), report.summary()
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--cli-runs", type=int, default=10)
    ap.add_argument(
        "--generated",
        action="store_true",
        help="realistic articles of benchmarks/libgen.py (400-2,000 words)",
    )
    args = ap.parse_args()

    drafts = generated_drafts(args.articles) if args.generated else make_drafts(args.articles)
    rows = bare_rows(drafts)
    words = sum(r[-1] for r in rows)
    print(f"articles: {args.articles:,} ({words / args.articles:.0f} words each on average)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain = time_bare_plain(tmp / "plain.db", rows)
        schema = time_bare_schema(tmp / "schema.db", rows)
        ours = time_library(tmp / "library.db", drafts)
        print(f"{'import':<34}{'articles/s':>12}{'vs bare-plain':>15}{'vs bare-schema':>16}")
        for name, secs in (
            ("bare-plain (sqlite3 executemany)", plain),
            ("bare-schema (same schema + FTS)", schema),
            ("Library.import_items", ours),
        ):
            print(f"{name:<34}{args.articles / secs:>12,.0f}{plain / secs:>15.2f}{schema / secs:>16.2f}")

        with Library(tmp / "library.db") as lib:
            assert lib.schema_version == migrations.SCHEMA_VERSION
            latencies = []
            for i in range(args.queries):
                q = QUERIES[i % len(QUERIES)]
                t0 = time.perf_counter()
                lib.search(q, limit=20)
                latencies.append((time.perf_counter() - t0) * 1000)
        print(
            f"Library.search over {args.articles:,} articles, {args.queries} queries: "
            f"median {statistics.median(latencies):.2f} ms, p95 {percentile(latencies, 0.95):.2f} ms"
        )

        cli = []
        briefing = [sys.executable, "-m", "briefing_app", "--db", str(tmp / "library.db"), "search"]
        for i in range(args.cli_runs):
            t0 = time.perf_counter()
            subprocess.run(briefing + [QUERIES[i % len(QUERIES)]], capture_output=True, check=False)
            cli.append((time.perf_counter() - t0) * 1000)
        print(
            f"`briefing search` command, {args.cli_runs} runs (process start included): "
            f"median {statistics.median(cli):.0f} ms, p95 {percentile(cli, 0.95):.0f} ms"
        )


if __name__ == "__main__":
    main()
