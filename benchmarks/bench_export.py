"""PDF briefings: pages, fill, time, memory and size, next to baselines from the same run.

    PYTHONPATH=. python benchmarks/bench_export.py [--runs 5] [--skip-large]

Libraries of copies of the seed article, each with notes (Markdown bodies, tags), dated events
and entity mentions. Figures (issue 10's targets):
  - one article with 3 notes: pages (target 1);
  - 20 articles with 100 notes: median seconds (target < 2 s), pages and fill ratio (the share
    of the pages' text area that holds text: no more pages than the content needs);
  - 500 notes on 50 articles: median seconds of export_pdf (target < 1.5 s) and of the
    baseline QTextDocument.print_ of the same HTML (no figures, no page control, no header or
    footer; target within 2x);
  - 2,000 notes on 500 articles, built once; each run in a child process of its own that
    opens the library and exports (or prints) it: median seconds and median peak memory
    (maximum resident set) over the runs, and file size, of export_pdf and of print_ (targets
    < 10 s, < 500 MB, file at most 2x print_'s).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QPageSize, QPdfWriter, QTextDocument

from briefing_app.core.export.briefing import collect_briefing
from briefing_app.core.export.html import render_html
from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention
from briefing_app.core.notes import NOTE_COLORS, NoteStore
from briefing_app.core.store import Library
from briefing_app.ui import pdf
from briefing_app.ui.pdf import export_pdf

REPO = Path(__file__).resolve().parents[1]
SEED_TEXT = (REPO / "data" / "seed" / "russia-sahel-talks.txt").read_text(encoding="utf-8")
NAMES = (
    "Sergey Lavrov",
    "Abdoulaye Diop",
    "Bakary Yaou Sangaré",
    "Mali",
    "Niger",
    "Burkina Faso",
    "Alliance of Sahel States",
    "Moscow",
    "Ukraine",
    "ECOWAS",
)
LABELS = {
    "Sergey Lavrov": "PERSON",
    "Abdoulaye Diop": "PERSON",
    "Bakary Yaou Sangaré": "PERSON",
    "Alliance of Sahel States": "ORG",
    "ECOWAS": "ORG",
}
DATES = (
    ("2022", "2023", "year", None),
    ("2023-09-06", "2023-09-06", "day", None),
    ("2024-01-28", "2024-01-28", "day", None),
    ("2024-07", "2024-07", "month", None),
    ("2024", None, "year", "AFTER"),
    ("2024-08-20", "2024-08-20", "day", None),
)
NOTE_BODY = (
    "Point {n}: **{name}** matters here.\n\n- first reason\n- second reason\n\n"
    "Compare «Россия поддерживает суверенитет стран Сахеля» with [the source](https://example.org/{n})."
)
LARGE_LIBRARY = "large.db"  # 500 articles, 2,000 notes: built once, opened by each child run


def sentences(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(r"[^.\n]+\.", text)]


def add_article(library: Library, index: int) -> int:
    text = SEED_TEXT + f"\nCopy {index} of the seed article, by Sangaré and Traoré."
    article_id = library.add_draft(
        ArticleDraft(
            text=text,
            title=f"Sahel talks, copy {index}",
            source="TASS",
            published="2025-02-10",
            url=f"https://example.org/sahel/{index}",
            origin=f"bench-{index}",
        )
    ).article_id
    mentions = tuple(
        Mention(match.start(), match.end(), name, LABELS.get(name, "GPE"), name)
        for name in NAMES
        for match in re.finditer(re.escape(name), text)
    )
    spans = sentences(text)
    events = tuple(
        Event(*spans[i * 3], text[slice(*spans[i * 3])], start, end, granularity, mod)
        for i, (start, end, granularity, mod) in enumerate(DATES)
    )
    library.save_extraction(
        article_id,
        Extraction(mentions=tuple(sorted(mentions, key=lambda m: m.start)), events=events, engine="bench"),
    )
    return article_id


def add_notes(library: Library, article_id: int, count: int) -> None:
    notes = NoteStore(library)
    spans = sentences(library.get_article(article_id).text)
    colors = list(NOTE_COLORS)
    for n in range(count):
        start, end = spans[n % len(spans)]
        notes.create(
            article_id,
            start,
            end,
            body=NOTE_BODY.format(n=n, name=NAMES[n % len(NAMES)]),
            color=colors[n % len(colors)],
            tags=["sahel", f"topic-{n % 4}"],
        )


SHORT_NOTES = (  # as an analyst writes them on the seed article (the notes above are long)
    (
        "Karamoko Jean-Marie Traoré, Abdoulaye Diop, and Bakary Yaou Sangaré",
        "All three **foreign ministers** attend.",
    ),
    (
        "On September 6, 2023, these three nations officially established the Alliance of Sahel States",
        "Founding date.",
    ),
    (
        "they collectively withdrew from the Economic Community of West African States (ECOWAS)",
        "Effective a year later.",
    ),
)


def add_short_notes(library: Library, article_id: int) -> None:
    text = library.get_article(article_id).text
    for quote, body in SHORT_NOTES:
        start = text.index(quote)
        NoteStore(library).create(article_id, start, start + len(quote), body=body, tags=["sahel"])


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median seconds of `runs` runs: on the clock, and of this process's CPU time (which the
    other work on a shared machine moves much less than the clock)."""
    times, cpu_times = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    return statistics.median(times), statistics.median(cpu_times)


def print_html(html: str, path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)


def make_library(path: Path, articles: int, notes_each: int) -> tuple[Library, list[int]]:
    library = Library(path)
    article_ids = [add_article(library, i) for i in range(articles)]
    for article_id in article_ids:
        add_notes(library, article_id, notes_each)
    return library, article_ids


def pages_and_fill(library: Library, article_ids: list[int]) -> tuple[int, float]:
    """The briefing's pages as write_pdf cuts them, and the share of their text area filled."""
    briefing = collect_briefing(library, article_ids)
    with tempfile.TemporaryDirectory() as folder:
        writer = QPdfWriter(str(Path(folder) / "measure.pdf"))
        writer.setResolution(pdf.RESOLUTION)
        _, body = pdf._page_rects()
        document = pdf.briefing_document(briefing, writer, body.width())
        pages = pdf.paginate(document, body.height())
    used = sum(bottom - top for top, bottom in pages)
    return len(pages), used / (len(pages) * body.height())


def child(kind: str, folder: Path) -> None:
    """In a child process (its peak memory is its own): open the large library, then export
    or print_ it."""
    library = Library(folder / LARGE_LIBRARY)
    article_ids = [row[0] for row in library.db.execute("SELECT id FROM articles ORDER BY id")]
    out = folder / f"{kind}.pdf"
    started, cpu_started = time.perf_counter(), time.process_time()
    if kind == "export":
        export_pdf(library, out, article_ids=article_ids)
    else:
        briefing = collect_briefing(library, article_ids)
        print_html(render_html(briefing), out)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # this process's own peak
    print(f"{seconds} {cpu_seconds} {out.stat().st_size} {peak_kb}")


def run_child(kind: str, folder: Path) -> tuple[float, float, float, int]:
    """(seconds, CPU seconds, peak MB, file bytes) of one child run."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--folder", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, cpu_seconds, size, peak_kb = done.stdout.split()[-4:]
    return float(seconds), float(cpu_seconds), int(peak_kb) / 1024, int(size)


def median_child_runs(kind: str, folder: Path, runs: int) -> tuple[float, float, float, int]:
    """Median seconds, CPU seconds and peak MB of `runs` child runs, and the file's bytes."""
    results = [run_child(kind, folder) for _ in range(runs)]
    return (
        statistics.median(result[0] for result in results),
        statistics.median(result[1] for result in results),
        statistics.median(result[2] for result in results),
        results[-1][3],
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true", help="without the 2,000-note briefing")
    parser.add_argument("--child", choices=("export", "print"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the application starts
    application = QGuiApplication.instance() or QGuiApplication([])
    if args.child:
        child(args.child, Path(args.folder))
        return

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        library, article_ids = make_library(folder / "one.db", 1, 0)
        add_short_notes(library, article_ids[0])
        pages, fill = pages_and_fill(library, article_ids)
        print(
            f"1 article, 3 short notes:  {pages} page{'s' if pages != 1 else ''} (target 1), fill {fill:.0%}"
        )
        library.close()
        library, article_ids = make_library(folder / "one-long.db", 1, 3)
        pages, fill = pages_and_fill(library, article_ids)
        print(
            f"1 article, 3 long notes:   {pages} pages, fill {fill:.0%} (each note: a list and two paragraphs)"
        )
        library.close()

        library, article_ids = make_library(folder / "twenty.db", 20, 5)
        out = folder / "twenty.pdf"
        seconds, cpu = median_seconds(lambda: export_pdf(library, out, article_ids=article_ids), args.runs)
        pages, fill = pages_and_fill(library, article_ids)
        print(
            f"20 articles, 100 notes:    export_pdf median {seconds:6.3f} s (CPU {cpu:.3f} s; target < 2 s), "
            f"{pages} pages, fill {fill:.0%}"
        )
        library.close()

        library, article_ids = make_library(folder / "fifty.db", 50, 10)
        out = folder / "fifty.pdf"
        seconds, cpu = median_seconds(lambda: export_pdf(library, out, article_ids=article_ids), args.runs)
        html = render_html(collect_briefing(library, article_ids))
        printed, printed_cpu = median_seconds(lambda: print_html(html, folder / "print.pdf"), args.runs)
        pages, fill = pages_and_fill(library, article_ids)
        print(
            f"50 articles, 500 notes:    export_pdf median {seconds:6.3f} s (CPU {cpu:.3f} s; target < 1.5 s), "
            f"{pages} pages, fill {fill:.0%}"
        )
        print(
            f"  baseline print_ of the same HTML: median {printed:6.3f} s (CPU {printed_cpu:.3f} s); "
            f"export_pdf / print_ = {seconds / printed:.2f} (target <= 2)"
        )
        library.close()

        if not args.skip_large:
            library, _ = make_library(folder / LARGE_LIBRARY, 500, 4)
            library.close()
            printed, printed_cpu, print_peak, print_size = median_child_runs("print", folder, args.runs)
            exported, cpu, export_peak, export_size = median_child_runs("export", folder, args.runs)
            print(
                f"500 articles, 2,000 notes: export_pdf median {exported:6.2f} s (CPU {cpu:.2f} s; target < 10 s), "
                f"peak {export_peak:.0f} MB (target < 500 MB), {export_size / 1e6:.1f} MB file"
            )
            print(
                f"  baseline print_ of the same HTML: median {printed:6.2f} s (CPU {printed_cpu:.2f} s), "
                f"peak {print_peak:.0f} MB, "
                f"{print_size / 1e6:.1f} MB file; file ratio {export_size / print_size:.2f} (target <= 2)"
            )
    del application


if __name__ == "__main__":
    main()
