"""Window figures: open an article (without and with 200 notes), start-up, event-loop stalls
during a background import and its extraction.

    /work/venv/bin/python benchmarks/bench_ui.py [--articles 10000] [--imports 1000]

Prints medians; asserts nothing (targets: open < 50 ms, start < 1.5 s, stall < 100 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.eventloop import EventLoopGaps  # noqa: E402
from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention  # noqa: E402
from briefing_app.core.store import Library  # noqa: E402

WORDS = "the minister said talks would resume after the summit on security trade and aid".split()
NAMES = [("Sergey Lavrov", "PERSON"), ("Mali", "GPE"), ("Niger", "GPE"), ("ECOWAS", "ORG"), ("Sahel", "LOC")]


def article_text(rng: random.Random, words: int) -> str:
    sentences, count = [], 0
    while count < words:
        body = rng.choices(WORDS, k=rng.randint(12, 24))
        body.insert(rng.randint(0, len(body)), rng.choice(NAMES)[0])
        sentence = " ".join(body)
        sentences.append(
            sentence[0].upper() + sentence[1:] + f" on {rng.randint(1, 28)} March {rng.randint(2000, 2024)}."
        )
        count += len(body) + 4
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "Generated report\n" + "\n".join(paragraphs)


def synthetic_extraction(text: str) -> Extraction:
    mentions = []
    for name, label in NAMES:
        start = text.find(name)
        while start >= 0:
            mentions.append(Mention(start, start + len(name), name, label, name))
            start = text.find(name, start + 1)
    events, start = [], 0
    for line_start in range(0, len(text)):
        if text.startswith(" on ", line_start) and len(events) < 25:
            end = text.find(".", line_start)
            year = text[end - 4 : end]
            events.append(Event(start, end + 1, text[start : end + 1], year, year, "year"))
            start = end + 2
    return Extraction(tuple(sorted(mentions, key=lambda m: m.start)), (), tuple(events), "bench/1")


def build_library(path: Path, n: int) -> int:
    """n articles of ~300 words, one of ~2,000 words (returned), all with an extraction."""
    rng = random.Random(7)
    library = Library(path)
    drafts = [
        ArticleDraft(
            article_text(rng, 300) + f"\nNo. {i}",
            title=f"Report {i}",
            source="Bench",
            published=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
        )
        for i in range(n - 1)
    ]
    drafts.append(
        ArticleDraft(article_text(rng, 2000), title="The long one", source="Bench", published="2025-01-01")
    )
    report = library.import_items(drafts)
    for article_id in report.imported:
        library.save_extraction(article_id, synthetic_extraction(library.get_article(article_id).text))
    long_id = report.imported[-1]
    library.close()
    return long_id


def bench_open(app: QApplication, db: Path, article_id: int, settings_dir: Path) -> tuple[float, int, int]:
    from briefing_app.ui.mainwindow import MainWindow

    library = Library(db)
    window = MainWindow(library, QSettings(str(settings_dir / "open.ini"), QSettings.Format.IniFormat))
    window.show()
    app.processEvents()
    other = library.list_articles(limit=1)[0].id
    times = []
    for _ in range(25):
        window.open_article(other)
        app.processEvents()
        start = time.perf_counter()
        window.open_article(article_id)
        app.processEvents()  # layout and paint of every pane
        times.append((time.perf_counter() - start) * 1000)
    mentions = len(library.mentions(article_id))
    events = len(library.events(article_id))
    window.close()
    library.close()
    return statistics.median(times), mentions, events


def add_notes(db: Path, article_id: int, n: int) -> None:
    """n notes on word-aligned passages spread over the article, some with Markdown bodies."""
    from briefing_app.core.notes import NoteStore

    rng = random.Random(5)
    with Library(db) as library:
        text = library.get_article(article_id).text
        notes = NoteStore(library)
        starts = sorted(rng.sample([i + 1 for i, c in enumerate(text[:-60]) if c == " "], n))
        for i, start in enumerate(starts):
            end = text.find(" ", start + 20)
            notes.create(
                article_id, start, end, body=f"**Note {i}**\n\n- point one\n- point two", tags=("bench",)
            )


def bench_start(db: Path, home: Path) -> tuple[float, bool]:
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "config"), BRIEFING_LOG_DIR=str(home / "log"))
    elapsed, spacy = [], False
    for _ in range(5):
        started = time.time()
        out = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("show_and_quit.py")), str(db)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        fields = dict(part.split("=") for part in out.split() if "=" in part)
        elapsed.append(float(fields["shown_at"]) - started)
        spacy = spacy or fields["spacy_loaded"] == "True"
    return statistics.median(elapsed), spacy


def bench_stall(app: QApplication, folder: Path, n: int, settings_dir: Path) -> tuple[float, float, float]:
    """Longest gap between 10 ms ticks while n files import, then while they are extracted."""
    from briefing_app.ui.mainwindow import MainWindow

    rng = random.Random(11)
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(
            f"Imported report {i}\n" + article_text(rng, 250), encoding="utf-8"
        )
    library = Library(folder.parent / "stall.db")
    window = MainWindow(library, QSettings(str(settings_dir / "stall.ini"), QSettings.Format.IniFormat))
    window.show()
    app.processEvents()
    gaps = EventLoopGaps()
    gaps.start()
    started = time.perf_counter()
    window.import_paths([folder])
    while window.last_import_report is None:
        app.processEvents()
        time.sleep(0.001)
    import_seconds = time.perf_counter() - started
    import_stall = gaps.longest()
    gaps.restart()
    deadline = time.perf_counter() + 60
    while window.jobs.is_busy() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    extract_stall = gaps.longest()
    gaps.stop()
    window.close()
    library.close()
    return import_stall, import_seconds, extract_stall


BARE_WINDOW = (
    "import time; from PySide6.QtWidgets import QApplication, QMainWindow; app = QApplication([]); "
    "w = QMainWindow(); w.show(); app.processEvents(); print(f'shown_at={time.time():.6f}')"
)


def bench_bare_start() -> float:
    """Process start to a bare QMainWindow shown: the floor under our start time."""
    elapsed = []
    for _ in range(5):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", BARE_WINDOW], capture_output=True, text=True, check=True
        ).stdout
        elapsed.append(float(out.split("=")[1]) - started)
    return statistics.median(elapsed)


def bench_typing(app: QApplication, db: Path, settings_dir: Path, typed: str) -> tuple[float, float]:
    """Longest gap between 10 ms ticks while `typed` is typed into the search field (a key
    every 60 ms) until its results show; and the same query's count and first page run on
    this thread (what the window did before searches moved to a worker)."""
    from PySide6.QtTest import QTest

    from briefing_app.core.store import ArticleFilter
    from briefing_app.ui.library import FETCH_SIZE
    from briefing_app.ui.mainwindow import MainWindow

    library = Library(db)
    window = MainWindow(library, QSettings(str(settings_dir / "typing.ini"), QSettings.Format.IniFormat))
    window.show()
    app.processEvents()
    field = window.library_pane.search_field
    gaps = EventLoopGaps()
    gaps.start()
    for char in typed:
        QTest.keyClicks(field, char)
        until = time.perf_counter() + 0.06
        while time.perf_counter() < until:
            app.processEvents()
            time.sleep(0.001)
    deadline = time.perf_counter() + 60
    pane = window.library_pane
    while (
        pane.model.article_filter.query != typed or pane.searches_running
    ) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    gaps.stop()
    started = time.perf_counter()
    library.count_articles(ArticleFilter(query=typed))
    library.list_articles(ArticleFilter(query=typed), limit=FETCH_SIZE)
    on_this_thread = (time.perf_counter() - started) * 1000
    window.close()
    library.close()
    return gaps.longest(), on_this_thread


def bench_generated(app: QApplication, n: int, tmp: Path) -> None:
    """Start and typing on a realistic library of benchmarks/libgen.py."""
    from benchmarks.libgen import cached_library

    db = cached_library(n)
    Library(db).close()  # migrated before anything is timed
    start, _ = bench_start(db, tmp)
    print(
        f"{n:,} generated articles: process start to window shown: median {start * 1000:.0f} ms  |  "
        f"bare QMainWindow: {bench_bare_start() * 1000:.0f} ms"
    )
    for typed in ("said", "the minister", "air*"):
        stall, raw = bench_typing(app, db, tmp, typed)
        print(
            f"typing {typed!r} in the search field: longest event-loop stall {stall:.0f} ms  |  "
            f"its count and first page on the window's thread: {raw:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--imports", type=int, default=1_000)
    parser.add_argument(
        "--generated", type=int, default=0, help="only start and typing, on a libgen library of this size"
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    if args.generated:
        with tempfile.TemporaryDirectory() as tmp:
            bench_generated(app, args.generated, Path(tmp))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "library.db"
        t = time.perf_counter()
        long_id = build_library(db, args.articles)
        print(f"built {args.articles:,}-article library in {time.perf_counter() - t:.1f} s")
        median, mentions, events = bench_open(app, db, long_id, tmp)
        print(f"open article (~2,000 words, {mentions} mentions, {events} events): median {median:.1f} ms")
        add_notes(db, long_id, 200)
        median, _, _ = bench_open(app, db, long_id, tmp)
        print(f"the same article with 200 notes: median {median:.1f} ms")
        start, spacy = bench_start(db, tmp)
        print(f"process start to window shown: median {start * 1000:.0f} ms; spaCy loaded then: {spacy}")
        (tmp / "import").mkdir()
        import_stall, seconds, extract_stall = bench_stall(app, tmp / "import", args.imports, tmp)
        print(
            f"longest event-loop stall while {args.imports:,} files import ({seconds:.1f} s): {import_stall:.0f} ms"
        )
        print(f"longest event-loop stall during their background extraction: {extract_stall:.0f} ms")


if __name__ == "__main__":
    main()
