"""The entity index, dossiers and "articles mentioning X" at scale, each figure next to the
raw SQL it rests on (or replaces), in the same run.

    PYTHONPATH=. python -m benchmarks.bench_entities [--articles 10000] [--repeat 7]

Uses the generated library of benchmarks/libgen.py (benchmarks/.cache); the first open in
this version runs migration 12, which fills the summary tables (timed once). Prints medians
in milliseconds; asserts nothing. Targets (issue #9) at 100,000 articles: the index's first
page under 100 ms, a dossier under 200 ms, "articles mentioning X" under 100 ms for the most
common entity.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from collections.abc import Callable

from benchmarks.libgen import cached_library
from briefing_app.core.dossier import build_dossier
from briefing_app.core.entity_index import EntityQuery, EntityRef, count_entities, list_entities, type_counts
from briefing_app.core.model import Extraction
from briefing_app.core.store import ArticleFilter, Library

PAGE = 200  # the index view's page (entity_index.PAGE_SIZE)
LIST_PAGE = 50


def median_ms(function: Callable[[], object], repeat: int) -> float:
    """Median of `repeat` runs after one warm-up run, in ms."""
    function()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def line(name: str, ours: float, raw_name: str, raw: float) -> None:
    print(f"{name:<52} {ours:9.1f} ms   |  {raw_name:<52} {raw:9.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--old-way", action="store_true", help="time the index without the summary too (once)"
    )
    args = parser.parse_args()
    path = cached_library(args.articles)
    started = time.perf_counter()
    library = Library(path)
    print(f"library {path.name}: opened (and upgraded if older) in {time.perf_counter() - started:.1f} s")
    conn = sqlite3.connect(path)
    repeat = args.repeat
    n_entities = count_entities(library)
    n_mentions = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
    print(f"{n_entities:,} entities with mentions, {n_mentions:,} mentions\n")

    # -- the index ---------------------------------------------------------------------
    raw_grouped = (
        "SELECT entity_id, count(DISTINCT article_id), count(*) FROM mentions "
        "GROUP BY entity_id ORDER BY 2 DESC LIMIT 200"
    )
    line(
        "index: first page (most articles first)",
        median_ms(lambda: list_entities(library, EntityQuery(), 0, PAGE), repeat),
        "raw: entity_stats ORDER BY articles LIMIT 200",
        median_ms(
            lambda: conn.execute("SELECT * FROM entity_stats ORDER BY articles DESC LIMIT 200").fetchall(),
            repeat,
        ),
    )
    if args.old_way:  # minutes at 100,000 articles
        started = time.perf_counter()
        conn.execute(raw_grouped).fetchall()
        line(
            "index: first page, no summary (old way, raw SQL)",
            (time.perf_counter() - started) * 1000,
            "",
            0.0,
        )
    for order in ("name", "mentions", "last_seen", "first_seen", "type"):
        line(
            f"index: first page sorted by {order}",
            median_ms(lambda order=order: list_entities(library, EntityQuery(order=order), 0, PAGE), repeat),
            "raw: entity_stats ORDER BY name LIMIT 200",
            median_ms(
                lambda: conn.execute("SELECT * FROM entity_stats ORDER BY name LIMIT 200").fetchall(), repeat
            ),
        )
    line(
        "index: a page 10,000 rows down",
        median_ms(lambda: list_entities(library, EntityQuery(), 10_000, PAGE), repeat),
        "raw: same with OFFSET 10000",
        median_ms(
            lambda: conn.execute(
                "SELECT * FROM entity_stats ORDER BY articles DESC LIMIT 200 OFFSET 10000"
            ).fetchall(),
            repeat,
        ),
    )
    line(
        "index: type facet PERSON, first page + type counts",
        median_ms(
            lambda: (list_entities(library, EntityQuery(label="PERSON"), 0, PAGE), type_counts(library)),
            repeat,
        ),
        "raw: entity_stats GROUP BY label",
        median_ms(
            lambda: conn.execute("SELECT label, count(*) FROM entity_stats GROUP BY label").fetchall(), repeat
        ),
    )
    source, source_articles = conn.execute(
        "SELECT source, count(*) FROM articles GROUP BY source ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    small_source = conn.execute(
        "SELECT source FROM articles GROUP BY source ORDER BY count(*) LIMIT 1 OFFSET 10"
    ).fetchone()[0]
    last_month = conn.execute("SELECT max(published) FROM articles").fetchone()[0][:7]
    for name, query in (
        (f"source facet ({source_articles:,} articles)", EntityQuery(source=source)),
        ("source facet (a small source)", EntityQuery(source=small_source)),
        (f"date facet: the last month ({last_month})", EntityQuery(date_from=last_month + "-01")),
    ):
        where, params = (
            ("a.source_asc_key = ?", [query.source])
            if query.source
            else ("a.published IS NOT NULL AND a.published_asc_key >= ?", [query.date_from])
        )
        line(
            f"index: {name}",
            median_ms(lambda query=query: list_entities(library, query, 0, PAGE), max(1, repeat // 2)),
            "raw: those articles' entity pairs, grouped",
            median_ms(
                lambda where=where, params=params: conn.execute(
                    "SELECT ea.entity_id, count(*) FROM article_list a CROSS JOIN entity_articles ea "
                    f"ON ea.article_id = a.id WHERE {where} GROUP BY ea.entity_id",
                    params,
                ).fetchall(),
                max(1, repeat // 2),
            ),
        )

    # -- dossiers ----------------------------------------------------------------------
    ranked = conn.execute("SELECT entity_id, name, label FROM entity_stats ORDER BY articles DESC").fetchall()
    picks = {"most common": ranked[0], "median": ranked[len(ranked) // 2], "rare": ranked[-1]}
    for what, (entity_id, name, label) in picks.items():
        articles = conn.execute(
            "SELECT articles FROM entity_stats WHERE entity_id = ?", [entity_id]
        ).fetchone()[0]
        ref = EntityRef(entity_id, name, label)
        line(
            f"dossier: {what} entity ({articles:,} articles)",
            median_ms(lambda ref=ref: build_dossier(library, ref), repeat),
            "raw: its first 200 mentions with article text",
            median_ms(
                lambda entity_id=entity_id: conn.execute(
                    'SELECT m.start, m."end", a.text FROM mentions m JOIN articles a ON a.id = m.article_id '
                    "WHERE m.entity_id = ? LIMIT 200",
                    [entity_id],
                ).fetchall(),
                repeat,
            ),
        )

    # -- articles mentioning X -----------------------------------------------------------
    top_name = ranked[0][1]
    mentioning = ArticleFilter(entity=top_name)
    old_sql = (
        "SELECT a.id FROM article_list a WHERE a.id IN (SELECT m.article_id FROM mentions m "
        "JOIN entities e ON e.id = m.entity_id WHERE e.name = ?) "
        "ORDER BY a.published_desc_key DESC, a.id DESC LIMIT 50"
    )
    started = time.perf_counter()
    conn.execute(old_sql, [top_name]).fetchall()
    old_ms = (time.perf_counter() - started) * 1000
    line(
        f"articles mentioning {top_name!r}: first page",
        median_ms(lambda: library.list_articles(mentioning, limit=LIST_PAGE), repeat),
        "raw: the old filter SQL over mentions (once)",
        old_ms,
    )
    line(
        f"articles mentioning {top_name!r}: count",
        median_ms(lambda: library.count_articles(mentioning), repeat),
        "raw: entity_articles count for it",
        median_ms(
            lambda: conn.execute(
                "SELECT count(*) FROM entity_articles WHERE entity_id = ?", [ranked[0][0]]
            ).fetchone(),
            repeat,
        ),
    )
    line(
        f"articles mentioning {top_name!r}: every id (list_ids)",
        median_ms(lambda: library.list_ids(mentioning), max(1, repeat // 2)),
        "",
        0.0,
    )

    # -- what the triggers cost extraction ---------------------------------------------
    sample = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id DESC LIMIT 100").fetchall()]
    stored = {article_id: library.mentions(article_id) for article_id in sample}
    written = sum(len(m) for m in stored.values())

    def save_all() -> None:
        library.db.execute("BEGIN")
        try:
            for article_id, mentions in stored.items():
                library.save_extraction(article_id, Extraction(mentions=tuple(mentions), engine="bench"))
        finally:
            library.db.execute("ROLLBACK")

    def save_all_without_triggers() -> None:
        library.db.execute("BEGIN")
        try:
            triggers = [
                r[0]
                for r in library.db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'entity_index_%'"
                )
            ]
            for trigger in triggers:
                library.db.execute(f"DROP TRIGGER {trigger}")
            for article_id, mentions in stored.items():
                library.save_extraction(article_id, Extraction(mentions=tuple(mentions), engine="bench"))
        finally:
            library.db.execute("ROLLBACK")

    line(
        f"save_extraction x100 ({written:,} mentions), summary kept",
        median_ms(save_all, max(1, repeat // 2)),
        "the same without the summary triggers",
        median_ms(save_all_without_triggers, max(1, repeat // 2)),
    )
    library.close()
    conn.close()


if __name__ == "__main__":
    main()
