"""Import speed of the issue-12 formats, next to baselines measured in the same run.

    python benchmarks/bench_import_formats.py [--pages 100] [--messages 1000] [--runs 5]

Prints medians of RUNS runs:
  - a PAGES-page text PDF with a running header and footer, twice: written here as word
    processors and TeX write one (a text object per line), and by QPdfWriter (every glyph
    placed alone, which PDFium takes several times longer to load):
      - read: the PDF importer alone (read_path: text, paragraphs, headers removed);
      - import: Library.import_items of it into a library file (provenance and the kept
        original included; target < 2 s);
      - baseline: pypdfium2's own text extraction of every page (get_text_range), the ratio
        import / baseline;
  - an mbox of MESSAGES messages, next to the same texts as MESSAGES .txt files in a folder:
    articles/s of Library.import_items (no extraction) of each, and the ratio (target >= 0.5).
"""

from __future__ import annotations

import argparse
import mailbox
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pypdfium2 as pdfium
from PySide6.QtGui import QGuiApplication

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from briefing_app.core.importers import read_path, read_paths
from briefing_app.core.store import Library
from tests.support.documents import write_pdf

SEED_TEXT = (REPO / "data" / "seed" / "russia-sahel-talks.txt").read_text(encoding="utf-8")
SEED_LINES = [line for line in SEED_TEXT.split("\n") if line.strip()]


def page_lines(number: int) -> list[str]:
    """About 45 lines of 80 characters: the seed article's words, wrapped, with a paragraph
    gap every 9 lines and a word hyphenated at a line end now and then."""
    words = " ".join(SEED_LINES[number % len(SEED_LINES) :] + SEED_LINES).split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) + 1 > 80:
            lines.append(line)
            line = ""
            if len(lines) % 9 == 0:
                lines.append("")
            if len(lines) >= 45:
                break
        line = f"{line} {word}".strip()
    return lines


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252", "replace") + b")"


def write_typeset_pdf(path: Path, pages: list[list[str]], header: str, footer: str) -> Path:
    """A PDF as word processors and TeX write one: a text object per line, in a standard font
    (QPdfWriter places every glyph on its own, which PDFium takes far longer to parse)."""
    objects: list[bytes] = [
        b"",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for number, lines in enumerate(pages, 1):
        commands = [b"BT /F1 8 Tf 72 800 Td " + _pdf_string(header) + b" Tj ET"]
        y = 760
        for line in lines:
            if line:
                commands.append(b"BT /F1 11 Tf 72 %d Td " % y + _pdf_string(line) + b" Tj ET")
                y -= 14
            else:
                y -= 10
        commands.append(b"BT /F1 8 Tf 72 40 Td " + _pdf_string(f"{footer} — page {number}") + b" Tj ET")
        stream = b"\n".join(commands)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % content_number
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = (
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % kid for kid in kids)
        + b"] /Count %d >>" % len(kids)
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def median_seconds(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def pdfium_text(path: Path) -> int:
    document = pdfium.PdfDocument(path)
    total = 0
    for page in document:
        textpage = page.get_textpage()
        total += len(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return total


def import_into_new_library(folder: Path, paths: list[Path], expected: int) -> None:
    db = folder / f"library-{time.perf_counter_ns()}.db"
    with Library(db) as library:
        report = library.import_items(read_paths(paths))
    assert len(report.imported) == expected and not report.failed, report.summary()


def bench_pdf(tmp: Path, pages: int, runs: int) -> None:
    content = [page_lines(number) for number in range(pages)]
    header, footer = "SAHEL MONITOR — CONFIDENTIAL", "© Sahel Monitor — for internal use"
    for kind, path in (
        ("typeset (a text object per line)", write_typeset_pdf(tmp / "typeset.pdf", content, header, footer)),
        (
            "QPdfWriter (every glyph placed alone)",
            write_pdf(tmp / "qt.pdf", content, header=header, footer=footer),
        ),
    ):
        _bench_one_pdf(kind, path, tmp / f"libraries-{path.stem}", pages, runs)


def _bench_one_pdf(kind: str, path: Path, libraries: Path, pages: int, runs: int) -> None:
    characters = pdfium_text(path)
    baseline = median_seconds(runs, lambda: pdfium_text(path))
    read = median_seconds(runs, lambda: list(read_path(path)))
    libraries.mkdir()
    whole = median_seconds(runs, lambda: import_into_new_library(libraries, [path], 1))
    print(f"PDF, {kind}: {pages} pages, {path.stat().st_size / 1e6:.1f} MB, {characters:,} characters")
    print(f"  {'pypdfium2 get_text_range, every page (baseline)':<52}{baseline:>8.3f} s")
    print(f"  {'PDF importer (read_path)':<52}{read:>8.3f} s  {read / baseline:>5.2f}x baseline")
    print(
        f"  {'Library.import_items of the PDF (target < 2 s)':<52}{whole:>8.3f} s  "
        f"{whole / baseline:>5.2f}x baseline"
    )


def bench_mbox(tmp: Path, messages: int, runs: int) -> None:
    # Each with a title of its own: the same title and source would make an edited version.
    texts = [
        f"Dispatch {number} from the Sahel desk\n\n{SEED_TEXT}\n\nCopy {number}."
        for number in range(messages)
    ]
    box_path = tmp / "desk.mbox"
    box = mailbox.mbox(box_path)
    for number, text in enumerate(texts):
        message = EmailMessage()
        message["Subject"] = f"Dispatch {number}"
        message["From"] = "Desk <desk@sahel-monitor.org>"
        message["Date"] = "Tue, 05 Mar 2024 09:30:00 +0000"
        message.set_content(text)
        box.add(message)
    box.close()
    folder = tmp / "texts"
    folder.mkdir()
    for number, text in enumerate(texts):
        (folder / f"dispatch-{number:05d}.txt").write_text(text, encoding="utf-8")
    libraries = tmp / "mbox-libraries"
    libraries.mkdir()
    txt = median_seconds(runs, lambda: import_into_new_library(libraries, [folder], messages))
    mbox = median_seconds(runs, lambda: import_into_new_library(libraries, [box_path], messages))
    print(
        f"mbox: {messages:,} messages ({box_path.stat().st_size / 1e6:.1f} MB) vs the same texts as .txt files"
    )
    print(f"  {'.txt files (baseline)':<52}{messages / txt:>8,.0f} articles/s")
    print(f"  {'mbox':<52}{messages / mbox:>8,.0f} articles/s  {txt / mbox:>5.2f}x baseline (target >= 0.5)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QGuiApplication([])  # QPdfWriter paints the benchmark PDF
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        bench_pdf(tmp, args.pages, args.runs)
        bench_mbox(tmp, args.messages, args.runs)
    del app


if __name__ == "__main__":
    main()
