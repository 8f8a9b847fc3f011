"""Word processor files: .docx and .odt with headings and core properties; a corrupt one is
named and the rest imports."""

from __future__ import annotations

from datetime import UTC, datetime

from briefing_app.core.importers import read_path, read_paths
from briefing_app.core.model import ArticleDraft
from tests.support.documents import write_docx, write_odt

TEXT = (
    "Sahel talks: the Bamako round\n\n"
    "Background\n\n"
    "Mali, Burkina Faso and Niger founded the Alliance of Sahel States in September 2023.\n\n"
    "Outcome\n\n"
    "Aminata Sangaré and Moussa Traoré signed the grain agreement on 5 March 2024."
)


def only_draft(path):
    [draft] = list(read_path(path))
    assert isinstance(draft, ArticleDraft), draft
    return draft


def test_docx_headings_text_and_core_properties(tmp_path):
    path = write_docx(
        tmp_path / "brief.docx",
        [
            ("Title", "Sahel talks: the Bamako round"),
            ("Heading 1", "Background"),
            ("", "Mali, Burkina Faso and Niger founded the Alliance of Sahel States in September 2023."),
            ("Heading 2", "Outcome"),
            ("", "Aminata Sangaré and Moussa Traoré signed the grain agreement on 5 March 2024."),
        ],
        title="Sahel talks",
        author="Aminata Sangaré",
        created=datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
    )
    draft = only_draft(path)
    assert draft.text == TEXT
    assert draft.headings == ("Sahel talks: the Bamako round", "Background", "Outcome")
    assert (draft.title, draft.author, draft.published) == ("Sahel talks", "Aminata Sangaré", "2024-03-05")
    assert draft.file_origin is not None and draft.file_origin.importer == "docx"


def test_odt_headings_text_and_metadata(tmp_path):
    path = write_odt(
        tmp_path / "brief.odt",
        [
            (1, "Sahel talks: the Bamako round"),
            (2, "Background"),
            (0, "Mali, Burkina Faso and Niger founded the Alliance of Sahel States in September 2023."),
            (2, "Outcome"),
            (0, "Aminata Sangaré and Moussa Traoré signed the grain agreement on 5 March 2024."),
        ],
        title="Sahel talks",
        author="Moussa Traoré",
        created="2024-03-05T09:30:00",
    )
    draft = only_draft(path)
    assert draft.text == TEXT
    assert draft.headings == ("Sahel talks: the Bamako round", "Background", "Outcome")
    assert (draft.title, draft.author, draft.published) == ("Sahel talks", "Moussa Traoré", "2024-03-05")


def test_odt_without_a_title_takes_its_first_heading(tmp_path):
    draft = only_draft(write_odt(tmp_path / "t.odt", [(1, "Readout"), (0, "Talks went on in Niamey.")]))
    assert draft.title == "Readout"
    assert draft.author is None and draft.published is None


def test_corrupt_documents_are_named_and_the_rest_imports(tmp_path, library):
    good = write_docx(tmp_path / "good.docx", [("", "A good document about the talks in Bamako.")])
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good.read_bytes()[:200])
    not_zip = tmp_path / "plain.odt"
    not_zip.write_text("not a zip at all", encoding="utf-8")
    report = library.import_items(read_paths([tmp_path]))
    assert len(report.imported) == 1
    reasons = {failure.origin: failure.reason for failure in report.failed}
    assert set(reasons) == {str(cut), str(not_zip)}
    assert reasons[str(cut)].startswith("corrupt .docx file (not a readable zip archive")
    assert reasons[str(not_zip)].startswith("corrupt .odt file (not a readable zip archive")
