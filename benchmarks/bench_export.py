"""PDF export time of a large briefing, next to baselines measured in the same run.

    python benchmarks/bench_export.py [--articles 50] [--notes 10] [--runs 5]

Builds a library of ARTICLES copies of the seed article, each with NOTES notes (Markdown
bodies, tags), dated events and entity mentions, then prints the median seconds of:
  - export_pdf: the whole briefing (target < 3 s);
  - baseline html: notes_to_html alone (gathering the briefing and writing its HTML);
  - baseline print_: QTextDocument.print_ of that same HTML to a QPdfWriter, without the
    timeline figures and our page-by-page painting with footers.
And the median milliseconds of NoteStore.for_article on one article with 200 notes.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QPageSize, QPdfWriter, QTextDocument

from briefing_app.core.export.html import notes_to_html
from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention
from briefing_app.core.notes import NOTE_COLORS, NoteStore
from briefing_app.core.store import Library
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


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def print_html(html: str, path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--notes", type=int, default=10, help="notes per article")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the application starts
    application = QGuiApplication.instance() or QGuiApplication([])

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        library = Library(folder / "bench.db")
        article_ids = [add_article(library, i) for i in range(args.articles)]
        for article_id in article_ids:
            add_notes(library, article_id, args.notes)
        busy_article = add_article(library, args.articles)
        add_notes(library, busy_article, 200)
        print(
            f"library: {args.articles} articles with {args.articles * args.notes} notes "
            f"(+1 article with 200 notes for for_article)"
        )

        out = folder / "briefing.pdf"
        pages = export_pdf(library, out, article_ids=article_ids)
        print(f"briefing: {pages} pages, {out.stat().st_size / 1e6:.1f} MB")
        export = median_seconds(lambda: export_pdf(library, out, article_ids=article_ids), args.runs)
        html = notes_to_html(library, article_ids=article_ids)
        html_only = median_seconds(lambda: notes_to_html(library, article_ids=article_ids), args.runs)
        print_only = median_seconds(lambda: print_html(html, folder / "print.pdf"), args.runs)
        print(f"export_pdf                     median {export:6.3f} s   (target < 3 s, {args.runs} runs)")
        print(f"baseline notes_to_html         median {html_only:6.3f} s")
        print(
            f"baseline QTextDocument.print_  median {print_only:6.3f} s   (same HTML, no figures or footers)"
        )

        notes = NoteStore(library)
        for_article = median_seconds(lambda: notes.for_article(busy_article), 200)
        print(f"NoteStore.for_article, 200 notes median {for_article * 1000:6.2f} ms")
        library.close()
    del application


if __name__ == "__main__":
    main()
