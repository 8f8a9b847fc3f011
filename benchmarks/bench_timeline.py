"""Library timeline and conflict figures on a generated library (benchmarks/libgen.py), each
next to what it rests on, measured in the same run:

- the events of an entity named in ~1,000 event sentences: the raw SQL, the core read
  (grouping, conflict marks, lanes), and the view's first paint (filter set -> painted);
- a zoom step (scale + repaint of what is visible), next to the reader pane's
  QGraphicsScene timeline zooming the events of 300 articles (the old "All listed
  articles" toggle's work, which the pane still does for one article);
- opening an article in the reader while the timeline tab is open;
- conflict detection on the whole library in the window's background (a child process):
  its duration and the longest event-loop stall while it runs (a 10 ms timer's largest
  gap), next to the same window's longest gap while idle.

    python benchmarks/bench_timeline.py [--articles 10000] [--runs 7]

Prints medians; asserts nothing (targets: first paint < 200 ms, zoom < 50 ms, stall < 50 ms).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.eventloop import EventLoopGaps  # noqa: E402
from benchmarks.libgen import cached_library  # noqa: E402
from briefing_app.core import conflicts, library_timeline  # noqa: E402
from briefing_app.core.library_timeline import TimelineQuery  # noqa: E402
from briefing_app.core.store import Library  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def median_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def entity_near(library: Library, events: int) -> tuple[str, int]:
    """An entity named in about `events` event sentences."""
    rows = library.db.execute(
        "SELECT e.name, count(DISTINCT s.id) FROM mentions m JOIN entities e ON e.id = m.entity_id "
        'JOIN events s ON s.article_id = m.article_id AND s.start <= m.start AND m."end" <= s."end" '
        "WHERE m.entity_id IN (SELECT entity_id FROM mentions GROUP BY entity_id "
        "HAVING count(*) BETWEEN ? AND ? LIMIT 40) GROUP BY m.entity_id",
        [events * 3 // 2, events * 6],
    ).fetchall()
    return min(rows, key=lambda row: abs(row[1] - events))


RAW_SQL = (
    'SELECT e.article_id, e.start, e."end", e.text, e.date_start, e.date_end, e.granularity, e.mod, '
    "a.title, a.source, a.published FROM events e JOIN article_list a ON a.id = e.article_id "
    "WHERE e.id IN (SELECT s.id FROM mentions m JOIN events s ON s.article_id = m.article_id "
    'AND s.start <= m.start AND m."end" <= s."end" WHERE m.entity_id IN '
    "(SELECT id FROM entities WHERE name = ?)) ORDER BY e.date_start DESC LIMIT 5001"
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from briefing_app.ui.mainwindow import MainWindow
    from briefing_app.ui.timelinepane import TimelineEntry, TimelinePane

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "library.db"
        shutil.copy(cached_library(args.articles), path)
        library = Library(path)  # upgraded here: conflicts tables, the mentions index
        name, count = entity_near(library, 1_000)
        print(
            f"{args.articles:,} articles; entity {name!r} named in {count:,} event sentences; medians of {args.runs}"
        )
        query = TimelineQuery(entity=name)
        raw = median_of(args.runs, lambda: library.db.execute(RAW_SQL, [name]).fetchall())
        core = median_of(args.runs, lambda: library_timeline.read_timeline(library, query))
        print(f"raw SQL (events naming the entity)        {ms(raw)}")
        print(f"core read_timeline (+ groups, marks, lanes){ms(core)}")

        window = MainWindow(library, None)
        window.resize(1600, 1000)
        window.show()
        app.processEvents()
        view = window.show_view("timeline")
        view.wait_until_loaded()
        window.jobs.shutdown()  # the conflict check it started: measured on its own below

        def first_paint() -> None:
            view.entity.setText(name)
            view.reload()
            view.wait_until_loaded()
            view.canvas.viewport().repaint()
            view.entity.setText("")

        paint = median_of(args.runs, first_paint)
        view.entity.setText(name)
        view.reload()
        view.wait_until_loaded()
        print(f"view: filter set -> first paint           {ms(paint)}   ({view.read.items:,} marks)")
        zooms = []
        for factor in [1.5] * 12 + [1 / 1.5] * 24:
            started = time.perf_counter()
            view.canvas.zoom(factor)
            view.canvas.viewport().repaint()
            zooms.append(time.perf_counter() - started)
        print(
            f"view: zoom step + repaint                 {ms(statistics.median(zooms))}   (max {ms(max(zooms)).strip()})"
        )

        pane = TimelinePane()
        pane.resize(900, 700)
        pane.show()
        articles = library.list_articles(limit=300)
        entries = [TimelineEntry(a.id, event, a.title) for a in articles for event in library.events(a.id)]
        started = time.perf_counter()
        pane.set_entries(entries)
        app.processEvents()
        old_fill = time.perf_counter() - started
        old_zooms = []
        for _ in range(3):
            started = time.perf_counter()
            pane.zoom(1.25)
            app.processEvents()
            old_zooms.append(time.perf_counter() - started)
        print(
            f"baseline, reader pane on 300 articles ({len(entries):,} events): fill {ms(old_fill).strip()}, "
            f"zoom {ms(statistics.median(old_zooms)).strip()}"
        )
        pane.close()

        ids = [a.id for a in library.list_articles(limit=args.runs * 2)]

        def open_next() -> None:
            window.open_article(ids.pop())
            app.processEvents()

        print(f"open an article, timeline tab open         {ms(median_of(args.runs, open_next))}")

        library.db.execute("DELETE FROM settings WHERE key = ?", [conflicts.CHECKED_SETTING])
        from briefing_app.ui.conflictsview import ConflictCheck

        check = ConflictCheck.of(window)
        gaps = EventLoopGaps()
        gaps.start()
        started = time.perf_counter()
        while time.perf_counter() - started < 10:  # the baseline: the same window, idle
            app.processEvents()
            time.sleep(0.001)
        idle_longest = gaps.longest()
        gaps.restart()
        started = time.perf_counter()
        check.start()
        while check.running is not None:
            app.processEvents()
            time.sleep(0.001)
        took = time.perf_counter() - started
        gaps.stop()
        found = library.db.execute("SELECT count(*) FROM conflicts").fetchone()[0]
        gaps_sorted = sorted(gaps.gaps)
        print(
            f"conflict detection in the background: {took:.1f} s, {found:,} conflicts; event-loop gaps "
            f"median {statistics.median(gaps_sorted):.0f} ms, longest {gaps_sorted[-1]:.0f} ms "
            f"(timer interval 10 ms; idle window beforehand, 10 s: longest {idle_longest:.0f} ms)"
        )
        window.close()
        library.close()


if __name__ == "__main__":
    main()
