"""Search and the library list at scale, each figure next to the raw SQL it rests on.

    PYTHONPATH=. python -m benchmarks.bench_search [--articles 10000]

Uses the generated library of benchmarks/libgen.py (built into benchmarks/.cache on first
use). Prints medians and p95 in milliseconds; asserts nothing. Targets (issue #14): the
first page of results under 20 ms p95, any list page under 5 ms, the whole list scrolled in
under 5 s, sorting by any column under 50 ms.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.libgen import cached_library

try:
    from briefing_app.core.listing import read_list
except ImportError:  # an older checkout, measured for comparison
    read_list = None  # type: ignore[assignment]
from briefing_app.core.search_query import to_fts_query
from briefing_app.core.store import ArticleFilter, ArticleSummary, Library

PAGE = 200  # rows the library list fetches at a time (ui/library.py FETCH_SIZE)
FIRST_PAGE = 50
COMMON_QUERIES = ["said", "the", "air*", "company", "aircraft", "the AND said", "new OR first", '"the first"']
FIXED_QUERIES = ['"maiden flight"', "contract NOT boeing", "fly*", "announced", "tanker OR tankers", "ipod"]


def queries(db: Path, count: int = 50) -> list[str]:
    """Common words, phrases and operators, and names from the head to the far tail."""
    conn = sqlite3.connect(db)
    by_mentions = [
        name
        for (name,) in conn.execute(
            "SELECT e.name FROM entities e JOIN mentions m ON m.entity_id = e.id "
            "GROUP BY e.id ORDER BY count(*) DESC"
        )
    ]
    conn.close()
    out = COMMON_QUERIES + FIXED_QUERIES
    step = max(1, len(by_mentions) // (count - len(out)))
    out += by_mentions[::step][: count - len(out)]
    return out[:count]


def timed(function: Callable[[], object], repeat: int = 1) -> float:
    """Best of `repeat` runs, in ms (the first run of a query warms the page cache)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def line(name: str, ours: list[float], raw_name: str, raw: list[float]) -> None:
    print(
        f"{name:<44} p50 {statistics.median(ours):8.2f}  p95 {percentile(ours, 0.95):8.2f} ms   |  "
        f"{raw_name:<36} p50 {statistics.median(raw):8.2f}  p95 {percentile(raw, 0.95):8.2f} ms"
    )


def bench_search(library: Library, conn: sqlite3.Connection, qs: list[str]) -> None:
    ours, bare, raw, listed, raw_listed, sorted_all = [], [], [], [], [], []
    for q in qs:
        fts = to_fts_query(q)
        ours.append(timed(lambda q=q: library.search(q, limit=FIRST_PAGE), 2))
        bare.append(timed(lambda q=q: search_without_snippets(library, q), 2))
        raw.append(
            timed(
                lambda fts=fts: conn.execute(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                    [fts, FIRST_PAGE],
                ).fetchall(),
                2,
            )
        )
        listed.append(timed(lambda q=q: filtered_first_page(library, q), 2))
        sorted_all.append(timed(lambda q=q: every_match_sorted(library, q), 2))
        raw_listed.append(
            timed(
                lambda fts=fts: conn.execute(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [fts]
                ).fetchall(),
                2,
            )
        )
    line(f"Library.search, {len(qs)} queries, first {FIRST_PAGE}", ours, "raw FTS5 ORDER BY rank (bm25)", raw)
    line("  the same without snippets", bare, "raw FTS5 ORDER BY rank (bm25)", raw)
    line(f"list filtered by query: first {PAGE} shown", listed, "raw FTS5 MATCH, every rowid", raw_listed)
    line("  sorted by a column: all ids + first page", sorted_all, "raw FTS5 MATCH, every rowid", raw_listed)
    common = [i for i, q in enumerate(qs) if q in COMMON_QUERIES]
    shaped = [i for i, q in enumerate(qs) if q.endswith("*") or q.startswith('"')]
    bm25, every_rowid = ("raw FTS5 ORDER BY rank (bm25)", raw), ("raw FTS5 MATCH, every rowid", raw_listed)
    for name, (ours_of, (raw_name, raw_of), picked) in {
        "  very common terms: search": (ours, bm25, common),
        "  very common terms, no snippets": (bare, bm25, common),
        "  prefixes and phrases: search": (ours, bm25, shaped),
        "  prefixes and phrases, no snippets": (bare, bm25, shaped),
        "  very common terms: list's first page": (listed, every_rowid, common),
    }.items():
        line(name, [ours_of[i] for i in picked], raw_name, [raw_of[i] for i in picked])


def filtered_first_page(library: Library, query: str) -> object:
    """What the library pane reads (on a worker) for a typed query before the list shows: a
    very common query's newest page, else every matching id in list order and the first page."""
    if read_list is None:  # a library from before the list read a very common search newest first
        ids = library.list_ids(ArticleFilter(query=query))
        return library.summaries(ids[:PAGE])
    return read_list(
        library, ArticleFilter(query=query), "published", True, PAGE, newest_first_if_common=True
    )


def every_match_sorted(library: Library, query: str) -> object:
    """What the pane reads when a column is clicked for that query: every match in order."""
    ids = library.list_ids(ArticleFilter(query=query))
    return library.summaries(ids[:PAGE])


def search_without_snippets(library: Library, query: str) -> object:
    try:
        return library.search(query, limit=FIRST_PAGE, snippets=False)  # type: ignore[call-arg]
    except TypeError:  # a library from before snippets were optional
        return library.search(query, limit=FIRST_PAGE)


def scroll(library: Library, order: str, descending: bool) -> tuple[list[float], int]:
    """Every page of the unfiltered list, as the list view fetches them; ms per page."""
    pages: list[float] = []
    after: ArticleSummary | None = None
    rows = 0
    while True:
        started = time.perf_counter()
        batch = list_page(library, order, descending, after, rows)
        pages.append((time.perf_counter() - started) * 1000)
        rows += len(batch)
        if len(batch) < PAGE:
            return pages, rows
        after = batch[-1]


def list_page(
    library: Library, order: str, descending: bool, after: ArticleSummary | None, offset: int
) -> list[ArticleSummary]:
    try:  # keyset pagination, when the library has it
        return library.list_articles(None, order, descending, limit=PAGE, after=after)  # type: ignore[call-arg]
    except TypeError:
        return library.list_articles(None, order, descending, offset, PAGE)


RAW_ORDER = {
    "published": "published IS NULL, published DESC, id DESC",
    "title": "title COLLATE NOCASE, id",
    "source": "source IS NULL, source COLLATE NOCASE, id",
    "imported": "id DESC",
}


def bench_list(library: Library, conn: sqlite3.Connection) -> None:
    pages, rows = scroll(library, "published", True)
    started = time.perf_counter()
    raw_rows = conn.execute(
        f"SELECT id, title, source, published, word_count FROM articles ORDER BY {RAW_ORDER['published']}"
    ).fetchall()
    bare = (time.perf_counter() - started) * 1000
    print(
        f"{'scroll the whole list, newest first':<44} {sum(pages) / 1000:8.2f} s ({len(pages)} pages of {PAGE}, "
        f"{rows:,} rows)  |  one bare SELECT in the same order: {bare / 1000:.2f} s ({len(raw_rows):,} rows)"
    )
    print(
        f"{'  one page':<44} p50 {statistics.median(pages):8.2f}  p95 {percentile(pages, 0.95):8.2f}  "
        f"first {pages[0]:.2f}  last {pages[-1]:.2f}  max {max(pages):.2f} ms"
    )
    for order in ("published", "title", "source", "imported"):
        for descending in (False, True):
            ours = [timed(lambda o=order, d=descending: library.list_articles(None, o, d, 0, PAGE), 3)]
            raw_order = RAW_ORDER[order]
            raw = [
                timed(
                    lambda r=raw_order: conn.execute(
                        f"SELECT id FROM articles ORDER BY {r} LIMIT {PAGE}"
                    ).fetchall(),
                    3,
                )
            ]
            line(
                f"sort by {order} {'desc' if descending else 'asc'}: first page",
                ours,
                "bare SELECT on articles, old ORDER BY",
                raw,
            )
    if hasattr(library, "list_ids"):
        ids = library.list_ids(ArticleFilter(query="the"))
        pages = [timed(lambda i=i: library.summaries(ids[i : i + PAGE])) for i in range(0, len(ids), PAGE)]
        started = time.perf_counter()
        conn.execute(
            f"SELECT id, title, source, published, word_count FROM article_list WHERE id IN ({', '.join(map(str, ids[:PAGE]))})"
        ).fetchall()
        bare_page = (time.perf_counter() - started) * 1000
        label = "  list filtered by 'the': one page by ids"
        print(
            f"{label:<44} p50 {statistics.median(pages):8.2f}  "
            f"p95 {percentile(pages, 0.95):8.2f}  max {max(pages):.2f} ms ({len(pages)} pages)  |  "
            f"bare SELECT ... WHERE id IN (200 ids): {bare_page:.2f} ms"
        )
    ours = [timed(library.count_articles, 3)]
    raw = [timed(lambda: conn.execute("SELECT count(*) FROM articles").fetchall(), 3)]
    line("count_articles()", ours, "raw count(*)", raw)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument(
        "--db", type=Path, help="a copy of a generated library (e.g. for an older version's code)"
    )
    args = parser.parse_args()
    db = args.db or cached_library(args.articles)
    qs = queries(db, args.queries)
    with Library(db) as library:
        conn = sqlite3.connect(db)
        words = conn.execute("SELECT avg(word_count) FROM articles").fetchone()[0]
        mentions = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
        print(
            f"library: {args.articles:,} articles, {words:,.0f} words and {mentions / args.articles:.0f} mentions each on average"
        )
        bench_search(library, conn, qs)
        bench_list(library, conn)
        conn.close()


if __name__ == "__main__":
    main()
