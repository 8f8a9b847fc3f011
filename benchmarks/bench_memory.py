"""Memory while articles are opened one after another in the window, inside `app.exec()`.

    PYTHONPATH=. python -m benchmarks.bench_memory [--articles 10000] [--opens 400]

A QTimer opens the next article of a generated library (benchmarks/libgen.py: ~1,000 words
and ~100 mentions each) every few milliseconds while the event loop runs, so documents handed
to deleteLater() go as they would for a user (a loop that only calls processEvents() keeps
them and shows a false leak). Prints the resident size every --every opens and the growth
per 100 opens over the second half (after the caches of the first articles have filled),
next to the same run that opens the same article again and again (the floor: what opening
costs with nothing new to hold). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from briefing_app.core.store import Library  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def run(app: QApplication, db: Path, article_ids: list[int], every: int, folder: Path) -> list[float]:
    """RSS (MB) after every `every` opens of these articles, in order, inside app.exec()."""
    from briefing_app.ui.mainwindow import MainWindow

    library = Library(db)
    window = MainWindow(library, QSettings(str(folder / "memory.ini"), QSettings.Format.IniFormat))
    window.show()
    samples: list[float] = []
    position = 0

    def open_next() -> None:
        nonlocal position
        if position == len(article_ids):
            timer.stop()
            window.close()
            app.quit()
            return
        window.open_article(article_ids[position])
        position += 1
        if position % every == 0:
            samples.append(rss_mb())

    timer = QTimer(interval=5)
    timer.timeout.connect(open_next)
    timer.start()
    app.exec()
    library.close()
    window.deleteLater()
    return samples


def growth_per_100(samples: list[float], every: int) -> float:
    half = samples[len(samples) // 2 :]
    if len(half) < 2:
        return 0.0
    return (half[-1] - half[0]) / ((len(half) - 1) * every) * 100


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000, help="size of the generated library")
    parser.add_argument("--opens", type=int, default=400)
    parser.add_argument("--every", type=int, default=50)
    args = parser.parse_args()
    from benchmarks.libgen import cached_library

    db = cached_library(args.articles)
    Library(db).close()  # migrated before anything is measured
    with Library(db) as library:
        ids = [row.id for row in library.list_articles(limit=args.opens)]
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        start = rss_mb()
        different = run(app, db, ids, args.every, Path(tmp))
        same = run(app, db, [ids[0], ids[1]] * (len(ids) // 2), args.every, Path(tmp))
    print(f"RSS before the window: {start:.0f} MB; opening {len(ids)} different articles inside app.exec():")
    print("  " + "  ".join(f"{(n + 1) * args.every}: {mb:.0f}" for n, mb in enumerate(different)) + " MB")
    print(
        f"growth over the second half: {growth_per_100(different, args.every):+.1f} MB per 100 articles  |  "
        f"the same two articles opened in turn as often: {growth_per_100(same, args.every):+.1f} MB per 100 "
        f"(RSS {same[0]:.0f} -> {same[-1]:.0f} MB)"
    )


if __name__ == "__main__":
    main()
