"""PDF import: text per page, paragraphs, hyphenation undone, running headers and footers
dropped, metadata; scanned, encrypted and truncated PDFs named with their reason.

The PDFs are written by QPdfWriter (hence the `qapp` fixture: Qt paints them)."""

from __future__ import annotations

import pytest

from briefing_app.core import provenance
from briefing_app.core.importers import read_path, read_paths
from briefing_app.core.model import ArticleDraft, ImportFailure
from tests.support.documents import (
    set_pdf_creation_date,
    write_encrypted_pdf,
    write_pdf,
    write_scanned_pdf,
)

HEADER = "SAHEL MONITOR — CONFIDENTIAL"
FOOTER = "© Sahel Monitor 2024 — for internal use"
PAGES = [
    [
        "Bamako and Moscow signed an agreement on Tuesday after long nego-",
        "tiations between the two delegations, officials said.",
        "",
        "A second paragraph begins here and names Aminata Sangaré.",
    ],
    [
        "The second page opens with a sentence about Traoré and the junta,",
        "which goes on over a second line without a hyphen.",
    ],
    ["The third page closes the report with a Franco-", "African summit in Niamey."],
]


@pytest.fixture
def report_pdf(qapp, tmp_path):
    path = write_pdf(
        tmp_path / "report.pdf",
        PAGES,
        title="Sahel talks: the Bamako round",
        author="Aminata Sangaré",
        header=HEADER,
        footer=FOOTER,
        heading="Talks in Bamako",
    )
    return set_pdf_creation_date(path, "20240305093000")


def only_draft(path):
    items = list(read_path(path))
    assert [type(item) for item in items] == [ArticleDraft], items
    return items[0]


def test_pdf_text_metadata_and_pages(report_pdf):
    draft = only_draft(report_pdf)
    assert draft.title == "Sahel talks: the Bamako round"
    assert draft.author == "Aminata Sangaré"
    assert draft.published == "2024-03-05"
    assert draft.headings == ("Talks in Bamako",)
    page_1 = (
        "Talks in Bamako\n\n"
        "Bamako and Moscow signed an agreement on Tuesday after long negotiations between the two "
        "delegations, officials said.\n\n"
        "A second paragraph begins here and names Aminata Sangaré."
    )
    page_2 = (
        "The second page opens with a sentence about Traoré and the junta, which goes on over a "
        "second line without a hyphen."
    )
    page_3 = "The third page closes the report with a Franco-African summit in Niamey."
    assert draft.text == f"{page_1}\n\n{page_2}\n\n{page_3}"
    # Running header, footer and page numbers are gone.
    assert "CONFIDENTIAL" not in draft.text and "internal use" not in draft.text and "Page" not in draft.text
    assert draft.file_origin is not None and draft.file_origin.importer == "pdf"
    pages = draft.file_origin.pages
    assert [draft.text[start:].split("\n", 1)[0][:20] for start in pages] == [
        "Talks in Bamako",
        "The second page open",
        "The third page close",
    ]
    assert provenance.page_at(pages, draft.text.index("Traoré")) == 2
    assert provenance.page_at(pages, draft.text.index("Niamey")) == 3


def test_pdf_pages_are_blocks_and_recorded(report_pdf, library):
    report = library.import_items(read_path(report_pdf))
    [article_id] = report.imported
    article = library.get_article(article_id)
    [record] = provenance.provenance_of(library.db.conn, article_id)
    assert record.importer == "pdf" and len(record.pages) == 3
    block_starts = {block.start for block in article.blocks}
    assert set(record.pages) <= block_starts  # no block runs over a page boundary
    [opening] = [block for block in article.blocks if block.start == 0]
    assert article.text[opening.start : opening.end] == "Talks in Bamako"  # a block of its own


def test_pdf_without_metadata_takes_its_title_from_the_first_heading(qapp, tmp_path):
    path = write_pdf(tmp_path / "untitled.pdf", [["One page of text about the talks."]], heading="Readout")
    draft = only_draft(path)
    assert draft.title == "Readout"
    assert draft.author is None


def test_broken_pdfs_are_named_and_the_rest_imports(report_pdf, qapp, tmp_path, library):
    data = report_pdf.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    encrypted = write_encrypted_pdf(tmp_path / "encrypted.pdf")
    scanned = write_scanned_pdf(tmp_path / "scanned.pdf")
    not_pdf = tmp_path / "renamed.pdf"
    not_pdf.write_text("just text with a .pdf name", encoding="utf-8")
    report = library.import_items(read_paths([tmp_path]))
    assert len(report.imported) == 1
    assert {failure.origin: failure.reason for failure in report.failed} == {
        str(truncated): "truncated PDF (no end-of-file marker): the file was cut short",
        str(encrypted): "password protected (encrypted PDF): save a copy without the password to import it",
        str(scanned): "scanned, no text layer (a PDF of page images; it needs OCR first)",
        str(not_pdf): "not a PDF file (it does not begin with %PDF)",
    }
    assert all(isinstance(failure, ImportFailure) for failure in report.failed)
