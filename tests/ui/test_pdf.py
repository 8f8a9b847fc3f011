"""The PDF briefing: its text (read back with pdftotext), page numbers, tag filter, atomic write."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention
from briefing_app.core.notes import NoteStore
from briefing_app.ui import pdf
from briefing_app.ui.pdf import export_pdf
from briefing_app.ui.timelinefigure import timeline_figure
from tests.support.subprocesses import run_python

TEXT = (
    "Sahel ministers in Moscow\n"
    "Karamoko Jean-Marie Traoré and Bakary Yaou Sangaré met Sergey Lavrov on September 6, 2023.\n"
    "Lavrov told them: «Россия поддерживает суверенитет стран Сахеля».\n"
    "Mali has trained with Russian instructors since 2024.\n"
)
CYRILLIC_QUOTE = "«Россия поддерживает суверенитет стран Сахеля»"


def span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def sentence(needle: str) -> tuple[int, int, str]:
    start = TEXT.rfind("\n", 0, TEXT.index(needle)) + 1
    end = TEXT.index("\n", start)
    return start, end, TEXT[start:end]


@pytest.fixture
def briefing_library(library):
    article_id = library.add_draft(
        ArticleDraft(text=TEXT, title="Sahel ministers in Moscow", source="TASS", origin="t")
    ).article_id
    library.save_extraction(
        article_id,
        Extraction(
            mentions=(
                Mention(*span("Bakary Yaou Sangaré"), "Bakary Yaou Sangaré", "PERSON", "Bakary Yaou Sangaré"),
            ),
            events=(
                Event(*sentence("September 6, 2023"), "2023-09-06", "2023-09-06", "day"),
                Event(*sentence("since 2024"), "2024", None, "year", "AFTER"),
            ),
            engine="t",
        ),
    )
    notes = NoteStore(library)
    notes.create(
        article_id,
        *span("Karamoko Jean-Marie Traoré and Bakary Yaou Sangaré"),
        body="Both **ministers present**.\n\n- first item alpha\n- second item beta",
        tags=["people"],
    )
    notes.create(article_id, *span(CYRILLIC_QUOTE), body="From the *Russian* readout.", tags=["quote"])
    notes.create(article_id, *span("since 2024"), body="Check the training claim.", tags=["verify"])
    return library


@pytest.fixture
def pdf_text(tmp_path):
    """Export and read back: the text of the PDF with whitespace collapsed, and its pages."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")

    def export_and_read(library, **options) -> tuple[str, int, list[str]]:
        out = tmp_path / "briefing.pdf"
        count = export_pdf(library, out, **options)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True, text=True
        ).stdout
        text = unicodedata.normalize("NFKC", text)  # the typeset "ﬁ" ligature back to "fi"
        pages = text.split("\f")[:-1]  # pdftotext ends every page with a form feed
        return " ".join(text.split()), count, pages

    return export_and_read


def test_pdf_has_the_notes_names_and_page_numbers(qapp, briefing_library, pdf_text):
    text, count, pages = pdf_text(briefing_library, title="Sahel morning")
    assert count == len(pages) == 1  # one article with three notes: one page, title block on top
    assert pages[0].lstrip().startswith("Sahel morning")
    assert "Karamoko Jean-Marie Traoré and Bakary Yaou Sangaré" in text
    assert CYRILLIC_QUOTE in text
    assert "Both ministers present." in text  # bold, as text
    assert "first item alpha" in text and "second item beta" in text
    assert "From the Russian readout." in text
    assert "Tags: people" in text and "Tags: quote" in text and "Tags: verify" in text
    assert "Bakary Yaou Sangaré (Person, 1, 1 in notes)" in text
    # The timeline figure's rows (text on the page): the date and a short label of the event.
    assert "since 2024" in text and "Mali has trained with Russian" in text
    for number, page in enumerate(pages, 1):
        assert f"page {number} of {count}" in page


def test_pdf_filtered_by_tag_has_only_those_notes(qapp, briefing_library, pdf_text):
    text, _, _ = pdf_text(briefing_library, tag="verify")
    assert "Check the training claim." in text
    assert "ministers present" not in text
    assert "From the Russian readout." not in text


def test_failed_export_leaves_no_file_and_keeps_the_old_one(qapp, briefing_library, tmp_path, monkeypatch):
    out = tmp_path / "briefing.pdf"
    out.write_bytes(b"the briefing sent yesterday")
    paint_page = pdf._paint_page
    painted = []

    def fail_on_second_page(painter, document, body, top, bottom):
        painted.append(top)
        if len(painted) == 1:
            raise RuntimeError("rendering failed")
        paint_page(painter, document, body, top, bottom)

    monkeypatch.setattr(pdf, "_paint_page", fail_on_second_page)
    with pytest.raises(RuntimeError, match="rendering failed"):
        export_pdf(briefing_library, out)
    assert [path.name for path in tmp_path.iterdir()] == ["briefing.pdf"]
    assert out.read_bytes() == b"the briefing sent yesterday"


def test_export_replaces_the_file_whole(qapp, briefing_library, tmp_path):
    out = tmp_path / "briefing.pdf"
    out.write_bytes(b"old")
    assert export_pdf(briefing_library, out) == 1
    assert out.read_bytes().startswith(b"%PDF-")
    assert [path.name for path in tmp_path.iterdir()] == ["briefing.pdf"]


def test_timeline_figure_draws_dated_events_only(qapp):
    dated = Event(0, 10, "Founded.", "2023-09-06", "2023-09-06", "day")
    undated = Event(0, 10, "Next spring.", None, None, "unknown")
    assert timeline_figure([undated], width=600) is None
    figure = timeline_figure([dated, undated], width=600, scale=2)
    assert figure.width() == 1200 and figure.devicePixelRatio() == 2


# -- nothing from outside the article, and never a PDF cut short ---------------------------------


@pytest.fixture
def tall_image(tmp_path) -> Path:
    """A file on the analyst's disk that a title or a note names."""
    image = QImage(40, 1500, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    path = tmp_path / "passport.png"
    assert image.save(str(path))
    return path


def test_pdf_embeds_no_image_a_note_or_title_names(qapp, library, tmp_path, tall_image):
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages (poppler-utils) is not installed")
    title = f'Sahel <img src="{tall_image}"> talks'
    article = library.add_draft(ArticleDraft(text="Mali and Niger met.", title=title, origin="t")).article_id
    body = (
        f"Seen ![secret]({tall_image}) and ![remote](http://example.com/a.png).\n\n"
        f'<img src="{tall_image}"> <script>alert(1)</script> [click](javascript:alert(2))'
    )
    NoteStore(library).create(article, 0, 4, body=body)
    out = tmp_path / "briefing.pdf"
    export_pdf(library, out)
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, check=True, text=True)
    assert images.stdout.splitlines()[2:] == []  # the header only: no image at all
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    assert "".join(title.split()) in "".join(text.split())  # as typed (pdftotext wraps the path)
    assert "Seen [image omitted: secret] and [image omitted: remote]." in text
    assert "<script>alert(1)</script> click" in text


def test_pdf_on_a_full_disk_fails_and_keeps_the_old_file(qapp, tmp_path):
    """Honestly full: the export runs in a child process whose files cannot grow past a limit
    (writes fail with EFBIG, SIGXFSZ ignored), as on a full disk. Qt reports no write error."""
    from briefing_app.core.store import Library

    db = tmp_path / "library.db"
    library = Library(db)
    article = library.add_draft(
        ArticleDraft(text=TEXT, title="Sahel ministers in Moscow", origin="t")
    ).article_id
    notes = NoteStore(library)
    # Text that compresses badly, for a PDF well above what SQLite needs beside the library.
    for number in range(80):
        digests = " ".join(hashlib.sha256(f"{number}-{n}".encode()).hexdigest() for n in range(8))
        notes.create(article, *span("Sergey Lavrov"), body=f"Note {number}: {digests}")
    whole = tmp_path / "whole.pdf"
    export_pdf(library, whole)
    library.close()
    limit = whole.stat().st_size * 2 // 3
    assert limit > 48 * 1024
    out = tmp_path / "briefing.pdf"
    out.write_bytes(b"%PDF-1.4 the briefing sent yesterday %%EOF\n")
    old = out.read_bytes()
    argv = ["--db", str(db), "export", "--format", "pdf", "-o", str(out)]
    result = run_python(module="briefing_app", args=argv, file_size_limit=limit)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("briefing:")]
    assert errors == [
        f"briefing: cannot write {out}: the PDF came out incomplete ({limit:,} bytes, "
        "no %%EOF trailer); is the disk full?"
    ]
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("library.db")) == [
        "briefing.pdf",
        "whole.pdf",
    ]
