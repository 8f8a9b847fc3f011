"""The one way an export is written, for the command line and the window alike.

write_export checks where it is going (never the library, a folder, a FIFO or a device), gathers
what the selection takes, refuses an export of nothing, writes the file beside its place and moves
it there only once it is whole and on disk. The PDF is painted by Qt, which core never imports:
the caller passes the renderer (ui.pdf.write_pdf), and its output is checked here before it
replaces anything, since Qt reports no write error (a full disk gave a truncated PDF, "written").
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import get_args

from briefing_app.core.export import ExportKind
from briefing_app.core.export.atomic import (
    ExportError,
    atomic_output,
    checked_output_path,
    write_text_atomically,
)
from briefing_app.core.export.briefing import DEFAULT_TITLE, Briefing, BriefingOptions, collect_briefing
from briefing_app.core.export.markdown import render_markdown
from briefing_app.core.export.w3c import export_w3c
from briefing_app.core.model import Note
from briefing_app.core.store import ArticleNotFound, Library

__all__ = [
    "EXPORT_KINDS",
    "ExportError",
    "ExportKind",
    "ExportResult",
    "NothingToExport",
    "OdtRenderer",
    "PdfRenderer",
    "Selection",
    "write_export",
]

EXPORT_KINDS: tuple[ExportKind, ...] = get_args(ExportKind)
# Paints the briefing as a PDF into the file at the path; returns its number of pages.
PdfRenderer = Callable[[Briefing, Path], int]
# Writes the briefing as an OpenDocument text into the file at the path (Qt's writer).
OdtRenderer = Callable[[Briefing, Path], None]
_PDF_HEADER = b"%PDF-"
_PDF_TRAILER = b"%%EOF"
_PDF_TAIL = 1024  # the trailer sits in the last bytes of a PDF (whitespace may follow it)


class NothingToExport(ExportError):
    """The selection takes no note."""


@dataclass(frozen=True)
class Selection:
    """Which notes an export takes: those on the given articles (None: on every article, and
    those whose article was removed), and of those only the ones with `tag`, on an article
    that mentions `entity`, on an article published within [date_from, date_to], and among
    `note_uuids` (in that order: the order the analyst listed them)."""

    article_ids: tuple[int, ...] | None = None
    tag: str | None = None
    entity: str | None = None
    date_from: str | None = None  # ISO dates, inclusive, of the articles' publication
    date_to: str | None = None
    note_uuids: tuple[str, ...] | None = None

    def narrows_notes(self) -> bool:
        """Whether it picks notes, not only articles (a briefing on chosen articles may have
        no note; one on a tag, an entity, dates or chosen notes that has none is refused)."""
        return (
            self.tag is not None
            or self.entity is not None
            or self.date_from is not None
            or self.date_to is not None
            or self.note_uuids is not None
        )

    def nothing_message(self) -> str:
        """What the analyst is told when the selection takes no note, naming what selected
        nothing: "no notes match tag 'x' on article 3", "no notes on articles mentioning 'y'"."""
        conditions = []
        if self.article_ids is not None:
            ids = ", ".join(str(article_id) for article_id in self.article_ids)
            conditions.append(f"on article{'s' if len(self.article_ids) != 1 else ''} {ids}")
        if self.entity is not None:
            conditions.append(f"on articles mentioning {self.entity!r}")
        if self.date_from is not None or self.date_to is not None:
            conditions.append(f"on articles published {_date_range(self.date_from, self.date_to)}")
        if self.note_uuids is not None:
            conditions.append(f"among the {len(self.note_uuids)} chosen")
        where = " and ".join(conditions)
        if self.tag is not None:
            return f"no notes match tag {self.tag!r}" + (f" {where}" if where else "")
        return f"no notes {where}" if where else "no notes in the library"


def _date_range(date_from: str | None, date_to: str | None) -> str:
    if date_from and date_to:
        return f"from {date_from} to {date_to}"
    return f"from {date_from}" if date_from else f"until {date_to}"


@dataclass(frozen=True)
class ExportResult:
    path: Path  # as given (a symbolic link stays one; the file it points to was written)
    kind: ExportKind
    notes: int
    articles: int
    pages: int | None = None  # of a PDF

    def summary(self) -> str:
        """e.g. "wrote briefing.pdf: 3 notes on 2 articles, 4 pages"."""
        what = f"{self.notes} note{'s' if self.notes != 1 else ''}"
        if self.articles:
            what += f" on {self.articles} article{'s' if self.articles != 1 else ''}"
        if self.pages is not None:
            what += f", {self.pages} page{'s' if self.pages != 1 else ''}"
        return f"wrote {self.path}: {what}"


def write_export(
    library: Library,
    kind: ExportKind,
    selection: Selection,
    output: str | os.PathLike[str],
    pdf_renderer: PdfRenderer | None = None,
    title: str = DEFAULT_TITLE,
    today: date | None = None,
    options: BriefingOptions | None = None,
    odt_renderer: OdtRenderer | None = None,
) -> ExportResult:
    """Write the selection's export of `kind` to `output`; ExportError (one line) when it cannot.

    A Markdown, PDF or ODT briefing on chosen articles may have no notes (it still has their
    entities and timeline); every other export of no note is refused (NothingToExport).
    `options` (title, author, grouping, sections...) override `title`.
    """
    if kind not in EXPORT_KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    if kind == "pdf" and pdf_renderer is None:
        raise ValueError("a PDF export needs a renderer")
    if kind == "odt" and odt_renderer is None:
        raise ValueError("an ODT export needs a renderer")
    target = checked_output_path(output, library.path)
    try:
        for article_id in selection.article_ids or ():
            library.get_article(article_id)
    except ArticleNotFound as exc:
        raise ExportError(str(exc)) from None
    notes = selected_notes(library, selection)
    briefs_chosen_articles = (
        kind != "w3c" and selection.article_ids is not None and not selection.narrows_notes()
    )
    if not notes and not briefs_chosen_articles:
        raise NothingToExport(selection.nothing_message())
    if selection.article_ids is not None:
        articles = len(set(selection.article_ids))
    else:
        articles = len({note.article_id for note in notes if note.article_id is not None})
    pages = None
    try:
        if kind == "w3c":
            data = export_w3c(library, notes)
            write_text_atomically(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            options = options or BriefingOptions(title=title)
            briefing = collect_briefing(
                library, _listed(selection), selection.tag, title, today, notes, options
            )
            if kind == "md":
                write_text_atomically(target, render_markdown(briefing))
            elif kind == "odt":
                assert odt_renderer is not None  # checked above
                with atomic_output(target) as partial:
                    odt_renderer(briefing, partial)
                    check_odt_complete(partial, output)
            else:
                assert pdf_renderer is not None  # checked above
                with atomic_output(target) as partial:
                    pages = pdf_renderer(briefing, partial)
                    check_pdf_complete(partial, output)
    except OSError as exc:
        raise ExportError(f"cannot write {os.fspath(output)}: {exc.strerror or exc}") from None
    return ExportResult(Path(output), kind, len(notes), articles, pages)


def selected_notes(library: Library, selection: Selection) -> list[Note]:
    """The live notes the selection takes, by article and in text order within one (in the
    order of note_uuids when it lists them)."""
    notes = library.notes.all_notes(tag=selection.tag)
    if selection.article_ids is not None:
        chosen = set(selection.article_ids)
        notes = [note for note in notes if note.article_id in chosen]
    if selection.entity is not None:
        mentioning = articles_mentioning(library, selection.entity)
        notes = [note for note in notes if note.article_id in mentioning]
    if selection.date_from is not None or selection.date_to is not None:
        published = articles_published(library, selection.date_from, selection.date_to)
        notes = [note for note in notes if note.article_id in published]
    if selection.note_uuids is not None:
        by_uuid = {note.uuid: note for note in notes}
        notes = [by_uuid[uuid] for uuid in dict.fromkeys(selection.note_uuids) if uuid in by_uuid]
    return notes


def articles_mentioning(library: Library, entity: str) -> set[int]:
    """The articles with a mention of the entity, by its canonical name or as written (any case)."""
    rows = library.db.execute(
        "SELECT DISTINCT m.article_id FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
        "WHERE coalesce(e.name, m.text) = ? COLLATE NOCASE OR m.text = ? COLLATE NOCASE",
        [entity, entity],
    ).fetchall()
    return {row[0] for row in rows}


def articles_published(library: Library, date_from: str | None, date_to: str | None) -> set[int]:
    """The articles published within the dates (inclusive; a date "2024-03" takes all March)."""
    rows = library.db.execute(
        "SELECT id FROM articles WHERE published IS NOT NULL AND published >= ? AND published <= ?",
        [date_from or "", (date_to or "\U0010ffff") + "\U0010ffff"],
    ).fetchall()
    return {row[0] for row in rows}


def _listed(selection: Selection) -> list[int] | None:
    return list(selection.article_ids) if selection.article_ids is not None else None


def check_pdf_complete(path: Path, shown_as: str | os.PathLike[str]) -> None:
    """ExportError unless the file at path is a whole PDF: not empty, ending in its trailer.

    A write that failed part way (a full disk, a file size limit) leaves a PDF cut short.
    """
    size = path.stat().st_size
    with open(path, "rb") as written:
        head = written.read(len(_PDF_HEADER))
        written.seek(max(0, size - _PDF_TAIL))
        tail = written.read()
    if head != _PDF_HEADER or not tail.rstrip().endswith(_PDF_TRAILER):
        raise ExportError(
            f"cannot write {os.fspath(shown_as)}: the PDF came out incomplete ({size:,} bytes, "
            f"no {_PDF_TRAILER.decode()} trailer); is the disk full?"
        )


def check_odt_complete(path: Path, shown_as: str | os.PathLike[str]) -> None:
    """ExportError unless the file at path is a whole OpenDocument: a zip whose members all
    read back, with its content.xml."""
    try:
        with zipfile.ZipFile(path) as odt:
            damaged = odt.testzip()
            has_content = "content.xml" in odt.namelist()
    except (zipfile.BadZipFile, OSError):
        damaged, has_content = "the archive", False
    if damaged is not None or not has_content:
        raise ExportError(
            f"cannot write {os.fspath(shown_as)}: the ODT came out incomplete; is the disk full?"
        )
