"""The Notes view's reads at scale, each figure next to the raw SQL it rests on, same run.

    PYTHONPATH=. python -m benchmarks.bench_notes_view [--articles 10000] [--notes 20000]

Copies the generated library of benchmarks/libgen.py (benchmarks/.cache) to a temporary file
and adds notes to it: each on a passage around a mention (so the entity filter has work),
with tags and colours spread over them. Then times, for each filter, what the view reads off
the window's thread (core/notes_query.matching_note_ids, every match's key in order) and what
it reads on it (note_rows: one page of 200 by key), beside the bare SQL query of the same
rows. Prints medians and p95 in milliseconds over repeated runs; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.libgen import cached_library
from briefing_app.core.notes import NOTE_COLORS
from briefing_app.core.notes_query import NoteFilter, matching_note_ids, note_rows
from briefing_app.core.store import Library

PAGE = 200  # ui/notesview.py PAGE_SIZE
TAGS = ["sahel", "aviation", "delays", "labour", "tech", "follow-up", "sources", "numbers"]
WORDS = ["check", "compare", "contract", "delay", "minister", "order", "claim", "figure", "deal"]


def add_notes(library: Library, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    mentions = library.db.execute(
        'SELECT article_id, start, "end" FROM mentions ORDER BY random() LIMIT ?', [count]
    ).fetchall()
    lengths = dict(library.db.execute("SELECT id, length(text) FROM articles").fetchall())
    colors = list(NOTE_COLORS)
    with library.write():
        for article_id, start, end in mentions:
            note_start = max(0, start - rng.randint(0, 60))
            note_end = min(lengths[article_id], end + rng.randint(0, 60))
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12)))
            tags = rng.sample(TAGS, rng.randint(0, 2))
            library.notes.create(article_id, note_start, note_end, body, rng.choice(colors), tags)


def timed(function: Callable[[], object], repeat: int = 7) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def line(name: str, ours: list[float], raw_name: str, raw: list[float], rows: int) -> None:
    print(
        f"{name:<30} {rows:>7,} rows  p50 {statistics.median(ours):8.2f}  p95 {p95(ours):8.2f} ms  |  "
        f"{raw_name:<34} p50 {statistics.median(raw):8.2f}  p95 {p95(raw):8.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=20_000)
    args = parser.parse_args()
    source = cached_library(args.articles)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "library.db"
        shutil.copyfile(source, path)
        with Library(path) as library:
            started = time.perf_counter()
            add_notes(library, args.notes)
            library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a library at rest, not mid-import
            print(
                f"{args.articles:,} articles, {args.notes:,} notes added in {time.perf_counter() - started:.1f} s"
            )
            # The entity quoted most often (the worst case: it has the most mentions too), and
            # one from the middle of the quoted entities.
            quoted = library.db.execute(
                "SELECT e.name, a.source FROM notes n JOIN mentions m ON m.article_id = n.article_id "
                'AND m.start >= n.start AND m."end" <= n."end" JOIN entities e ON e.id = m.entity_id '
                "JOIN articles a ON a.id = n.article_id GROUP BY e.id ORDER BY count(*) DESC"
            ).fetchall()
            top_entity, top_source = quoted[0]
            typical_entity = quoted[len(quoted) // 2][0]
            conn = sqlite3.connect(path)
            raw_live = "SELECT rowid FROM notes WHERE deleted = 0 ORDER BY created DESC, rowid DESC"
            cases: list[tuple[str, NoteFilter, str, str, list[object]]] = [
                ("every note", NoteFilter(), "raw: live notes in order", raw_live, []),
                (
                    "tag",
                    NoteFilter(tag="delays"),
                    "raw: json_each tag, in order",
                    "SELECT rowid FROM notes WHERE deleted = 0 AND EXISTS (SELECT 1 FROM json_each(tags) "
                    "WHERE value = 'delays') ORDER BY created DESC, rowid DESC",
                    [],
                ),
                (
                    "colour",
                    NoteFilter(color="blue"),
                    "raw: colour, in order",
                    "SELECT rowid FROM notes WHERE deleted = 0 AND color = 'blue' ORDER BY created DESC, rowid DESC",
                    [],
                ),
                (
                    "search 'contract'",
                    NoteFilter(text="contract"),
                    "raw: notes_fts MATCH",
                    "SELECT rowid FROM notes_fts WHERE notes_fts MATCH '\"contract\"'",
                    [],
                ),
                (
                    f"entity {top_entity[:18]!r}",
                    NoteFilter(entity=top_entity),
                    "raw: mentions inside quotes",
                    "SELECT n.rowid FROM notes n JOIN mentions m ON m.article_id = n.article_id "
                    'AND m.start >= n.start AND m."end" <= n."end" JOIN entities e ON e.id = m.entity_id '
                    "WHERE e.name = ?",
                    [top_entity],
                ),
                (
                    f"entity {typical_entity[:18]!r}",
                    NoteFilter(entity=typical_entity),
                    "raw: mentions inside quotes",
                    "SELECT n.rowid FROM notes n JOIN mentions m ON m.article_id = n.article_id "
                    'AND m.start >= n.start AND m."end" <= n."end" JOIN entities e ON e.id = m.entity_id '
                    "WHERE e.name = ?",
                    [typical_entity],
                ),
                (
                    f"source {top_source!r}",
                    NoteFilter(source=top_source),
                    "raw: join articles by source",
                    "SELECT n.rowid FROM notes n JOIN articles a ON a.id = n.article_id WHERE a.source = ?",
                    [top_source],
                ),
                (
                    "dates 2008",
                    NoteFilter(date_from="2008-01-01", date_to="2008-12-31"),
                    "raw: join articles by date",
                    "SELECT n.rowid FROM notes n JOIN articles a ON a.id = n.article_id "
                    "WHERE a.published BETWEEN '2008-01-01' AND '2008-12-31'",
                    [],
                ),
            ]
            print("matching_note_ids (off the window's thread) beside the bare query:")
            for name, note_filter, raw_name, sql, params in cases:
                rows = len(matching_note_ids(library, note_filter))
                ours = timed(lambda f=note_filter: matching_note_ids(library, f))
                raw = timed(lambda s=sql, p=params: conn.execute(s, p).fetchall())
                line(name, ours, raw_name, raw, rows)
            ids = matching_note_ids(library, NoteFilter())
            print("note_rows (a page of 200 by key, on the window's thread):")
            for where in (0, len(ids) // 2, max(0, len(ids) - PAGE)):
                page = ids[where : where + PAGE]
                ours = timed(lambda p=page: note_rows(library, p))
                marks = ",".join("?" * len(page))
                raw = timed(
                    lambda p=page, m=marks: conn.execute(
                        f"SELECT * FROM notes WHERE rowid IN ({m})", p
                    ).fetchall()
                )
                line(f"page at row {where:,}", ours, "raw: SELECT * by rowid", raw, len(page))
            conn.close()


if __name__ == "__main__":
    main()
