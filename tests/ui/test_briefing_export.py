"""Briefings as they leave the desk: a PDF with no display, pages that read (no heading last on
a page, no short note split), an ODT, saved briefings and refusals from the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from briefing_app.cli import main
from briefing_app.core.export.briefing import BriefingOptions
from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention
from briefing_app.core.notes import NoteStore
from briefing_app.core.store import Library
from briefing_app.ui.pdf import export_pdf
from tests.support.subprocesses import REPO

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils is not installed",
)
SENTENCES = [
    "Sergey Lavrov received the foreign ministers of Mali, Niger and Burkina Faso in Moscow on September 6, 2023.",
    "The Alliance of Sahel States asked Russia for training and equipment.",
    "Wagner fighters left Mali in June 2025 after the Africa Corps took over.",
    "ECOWAS said on January 28, 2024 that the three states had left the bloc.",
    "The junta in Niamey expelled the French ambassador.",
    "Analysts in Dakar doubted the figures given by the ministry.",
]


def page_texts(pdf: Path, layout: bool = False) -> list[str]:
    count = int(pdfinfo(pdf)["Pages"])
    pages = []
    for number in range(1, count + 1):
        args = ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number)]
        text = subprocess.run(
            [*args, *(["-layout"] if layout else []), str(pdf), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        pages.append(unicodedata.normalize("NFKC", text))
    return pages


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(pdf)], capture_output=True, check=True, text=True
    ).stdout
    return {
        key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def make_library(path: Path | str, articles: int = 3, notes_each: int = 12) -> Library:
    """Articles with entities, dated events and notes of every length (one longer than a page)."""
    library = Library(path)
    store = NoteStore(library)
    for a in range(articles):
        text = "\n".join(SENTENCES) + f"\nReport number {a}."  # each its own text (not a duplicate)
        article_id = library.add_draft(
            ArticleDraft(
                text=text,
                title=f"Sahel report {a}",
                source="AFP",
                published=f"2024-0{a + 1}-10",
                url=f"https://example.org/{a}",
                origin=f"t{a}",
            )
        ).article_id
        mentions = [
            Mention(text.index(name), text.index(name) + len(name), name, label, name)
            for name, label in (
                ("Sergey Lavrov", "PERSON"),
                ("Wagner", "ORG"),
                ("Mali", "GPE"),
                ("ECOWAS", "ORG"),
            )
        ]
        first, fourth = text.index(SENTENCES[0]), text.index(SENTENCES[3])
        events = (
            Event(first, first + len(SENTENCES[0]), SENTENCES[0], "2023-09-06", "2023-09-06", "day"),
            Event(fourth, fourth + len(SENTENCES[3]), SENTENCES[3], "2024-01-28", "2024-01-28", "day"),
        )
        library.save_extraction(
            article_id,
            Extraction(mentions=tuple(sorted(mentions, key=lambda m: m.start)), events=events, engine="t"),
        )
        for n in range(notes_each):
            sentence = SENTENCES[n % len(SENTENCES)]
            start = text.index(sentence)
            paragraphs = (n * 7) % 9 + 1
            if a == 0 and n == 5:
                paragraphs = 60  # longer than a page: it may split
            body = f"N{a}x{n} begins. " + "\n\n".join(
                f"Point {p}: the analyst weighs this claim against the wire reports."
                for p in range(paragraphs)
            )
            store.create(article_id, start, start + len(sentence), body=body, tags=[f"t{a}x{n}", "sahel"])
    return library


@needs_poppler
def test_export_with_no_display_has_everything_and_its_metadata(tmp_path):
    """`briefing export` in a session with no display at all (over SSH, from cron)."""
    db = tmp_path / "library.db"
    make_library(db, articles=2, notes_each=3).close()
    summary = tmp_path / "summary.md"
    summary.write_text(
        "Russia **gains ground** in the Sahel.\n\n- Wagner leaves, the Africa Corps stays.\n",
        encoding="utf-8",
    )
    out = tmp_path / "briefing.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(REPO)
    argv = [
        "--db",
        str(db),
        "export",
        "--format",
        "pdf",
        "--all",
        "--title",
        "Sahel week 12",
        "--author",
        "J. Analyst",
        "--handling",
        "INTERNAL — DO NOT FORWARD",
        "--summary",
        str(summary),
        "-o",
        str(out),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "briefing_app", *argv], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out}: 6 notes on 2 articles, ")
    info = pdfinfo(out)
    assert info["Title"] == "Sahel week 12" and info["Author"] == "J. Analyst"
    assert info["Subject"] == "Russia gains ground in the Sahel."
    assert info["Keywords"].split(", ")[:2] == ["t0x0", "sahel"]
    assert info["CreationDate"]
    pages = page_texts(out)
    assert len(pages) == int(info["Pages"])
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "INTERNAL — DO NOT FORWARD", number  # the handling line on top...
        foot = " ".join(lines[-3:])  # the title, the handling line, the page number
        assert "INTERNAL — DO NOT FORWARD" in foot and f"page {number} of {len(pages)}" in foot
    text = " ".join(" ".join(pages).split())
    assert (
        text.index("Sahel week 12")
        < text.index("J. Analyst")
        < text.index("Russia gains ground in the Sahel.")
    )
    assert "Wagner leaves, the Africa Corps stays." in text
    assert SENTENCES[0] in text and "— AFP, 2024-01-10, paragraph 1" in text  # a quote with its citation
    assert "N1x2 begins." in text and "Tags: t1x2, sahel" in text
    sources = text[text.rindex("SOURCES") :]
    assert (
        "1. Sahel report 0 AFP · published 2024-01-10 · imported" in sources
        and "https://example.org/1" in sources
    )


@needs_poppler
@pytest.mark.parametrize("group_by", ["article", "tag"])
def test_no_page_ends_with_a_heading_and_no_short_note_is_split(qapp, tmp_path, group_by):
    library = make_library(tmp_path / "library.db")
    out = tmp_path / "briefing.pdf"
    export_pdf(library, out, options=BriefingOptions(title="Sahel", group_by=group_by))
    headings = {"KEY ENTITIES", "TIMELINE", "SOURCES"} | {f"Sahel report {a}" for a in range(3)}
    headings |= {f"t{a}x{n}" for a in range(3) for n in range(12)}  # the tag groups' headings
    pages = page_texts(out, layout=True)
    assert len(pages) > 5
    where: dict[str, list[int]] = {}
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = lines[:-1]  # the footer last
        assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"
        for line in body:
            for word in line.split():
                if word.startswith("N") and "x" in word:
                    where.setdefault(word, []).append(number)
                elif word.startswith("t") and "x" in word.rstrip(","):
                    where.setdefault(word.rstrip(",") + "-tags", []).append(number)
    for a in range(3):
        for n in range(12):
            if (a, n) == (0, 5):
                continue  # the note longer than a page
            first, tags = where[f"N{a}x{n}"], where[f"t{a}x{n}-tags"]
            assert first[0] == tags[-1], f"note N{a}x{n} starts on page {first[0]}, ends on page {tags[-1]}"
    fill = sum(len(page) for page in pages) / len(pages)
    assert fill > 0  # every page has text


@needs_poppler
def test_timeline_figure_is_vectors_with_event_labels(qapp, tmp_path):
    library = make_library(tmp_path / "library.db", articles=1, notes_each=1)
    out = tmp_path / "briefing.pdf"
    assert export_pdf(library, out) == 1  # one article with a note: one page
    text = " ".join(" ".join(page_texts(out)).split())
    # The figure's rows: date and short label, as text of the page (not an image).
    assert "2023-09-06 Sergey Lavrov received the foreign" in text
    assert "2024-01-28 ECOWAS said on January 28, 2024 that" in text
    if shutil.which("pdfimages"):
        images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, check=True, text=True)
        assert images.stdout.splitlines()[2:] == []


def test_odt_is_a_whole_opendocument_with_the_quotes(qapp, tmp_path, capsys):
    db = tmp_path / "library.db"
    make_library(db, articles=2, notes_each=2).close()
    out = tmp_path / "briefing.odt"
    assert (
        main(
            [
                "--db",
                str(db),
                "export",
                "--format",
                "odt",
                "--title",
                "Sahel",
                "--handling",
                "INTERNAL",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == f"wrote {out}: 4 notes on 2 articles\n"
    if shutil.which("unzip"):
        tested = subprocess.run(["unzip", "-t", str(out)], capture_output=True, text=True)
        assert tested.returncode == 0 and "No errors detected" in tested.stdout
    with zipfile.ZipFile(out) as odt:
        content = odt.read("content.xml").decode("utf-8")
        assert any(name.startswith("Pictures/") for name in odt.namelist())  # the timeline figures
    assert SENTENCES[0] in content and SENTENCES[1] in content
    assert "N1x1 begins." in content and "INTERNAL" in content


def test_cli_refuses_an_export_of_nothing_naming_it(tmp_path, capsys):
    db = tmp_path / "library.db"
    make_library(db, articles=1, notes_each=1).close()
    out = tmp_path / "briefing.pdf"
    assert main(["--db", str(db), "export", "--format", "pdf", "--tag", "nosuchtag", "-o", str(out)]) == 2
    assert capsys.readouterr().err.strip().endswith("briefing: no notes match tag 'nosuchtag'")
    assert main(["--db", str(db), "export", "--format", "odt", "--entity", "Kremlin", "-o", str(out)]) == 2
    assert capsys.readouterr().err.strip().endswith("briefing: no notes on articles mentioning 'Kremlin'")
    assert not out.exists()


def test_cli_saves_lists_shows_and_exports_a_briefing(tmp_path, capsys):
    db = tmp_path / "library.db"
    make_library(db, articles=2, notes_each=2).close()
    summary = tmp_path / "summary.md"
    summary.write_text("Two reports.", encoding="utf-8")
    first = tmp_path / "first.md"
    argv = [
        "--db",
        str(db),
        "export",
        "--format",
        "md",
        "--entity",
        "wagner",
        "--title",
        "Wagner",
        "--author",
        "J. A.",
        "--summary",
        str(summary),
        "--group-by",
        "entity",
        "--no-timeline",
        "--save",
        "-o",
        str(first),
    ]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "saved as briefing 1"
    assert main(["--db", str(db), "briefings", "list"]) == 0
    listed = capsys.readouterr().out.split("\t")
    assert listed[:3] == ["1", "Wagner", "entity 'wagner'"]
    assert main(["--db", str(db), "briefings", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert (
        "author: J. A.\n" in shown
        and "grouped by: entity\n" in shown
        and "sections: key_entities, sources\n" in shown
    )
    assert shown.endswith("summary:\nTwo reports.\n")
    again = tmp_path / "again.md"
    assert (
        main(
            [
                "--db",
                str(db),
                "briefings",
                "export",
                "1",
                "--format",
                "md",
                "--title",
                "Wagner again",
                "-o",
                str(again),
            ]
        )
        == 0
    )
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8").replace(
        "# Wagner\n", "# Wagner again\n"
    )
    assert main(["--db", str(db), "briefings", "show", "7"]) == 2
    assert "no briefing 7 in" in capsys.readouterr().err
