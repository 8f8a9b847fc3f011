"""The one export entry point: where an export may go, what it takes, and that the file it
replaces stays as it was whenever the new one is not written whole."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from briefing_app.core.export.atomic import ExportError
from briefing_app.core.export.briefing import Briefing
from briefing_app.core.export.entry import NothingToExport, Selection, write_export
from briefing_app.core.model import ArticleDraft
from briefing_app.core.notes import NoteStore
from briefing_app.core.store import Library
from tests.support.subprocesses import run_python

TEXT = "Mali and Niger left ECOWAS in January 2024. Burkina Faso followed."
OLD = b"the briefing sent yesterday\n"


@pytest.fixture
def library_file(tmp_path) -> Library:
    """A library on disk (its -wal and -shm beside it) with notes on two articles."""
    library = Library(tmp_path / "library.db")
    first = library.add_draft(ArticleDraft(text=TEXT, title="Sahel exit", origin="t")).article_id
    second = library.add_draft(
        ArticleDraft(text="Niger expels troops.", title="Niger", origin="t")
    ).article_id
    notes = NoteStore(library)
    notes.create(first, 0, 4, body="Mali **first**", tags=["sahel"])
    notes.create(first, TEXT.index("Burkina"), TEXT.index("Burkina") + 12, body="and then", tags=["later"])
    notes.create(second, 0, 5, body="Niamey", tags=["sahel"])
    yield library
    library.close()


def test_markdown_export_counts_what_it_wrote(library_file, tmp_path):
    out = tmp_path / "briefing.md"
    result = write_export(library_file, "md", Selection(tag="sahel"), out)
    assert (result.notes, result.articles, result.pages) == (2, 2, None)
    assert result.summary() == f"wrote {out}: 2 notes on 2 articles"
    text = out.read_text(encoding="utf-8")
    assert "Mali **first**" in text and "Niamey" in text and "and then" not in text


def test_w3c_export_of_chosen_articles(library_file, tmp_path):
    out = tmp_path / "notes.jsonld"
    result = write_export(library_file, "w3c", Selection(article_ids=(1,)), out)
    assert (result.notes, result.articles) == (2, 1)
    assert json.loads(out.read_text(encoding="utf-8"))["total"] == 2


@pytest.mark.parametrize(
    "kind, selection, message",
    [
        ("md", Selection(tag="nothing"), "no notes match tag 'nothing'"),
        ("pdf", Selection(tag="nothing"), "no notes match tag 'nothing'"),
        ("w3c", Selection(article_ids=(1,), tag="nothing"), "no notes match tag 'nothing' on article 1"),
    ],
)
def test_an_export_of_nothing_is_refused_and_the_old_file_kept(
    library_file, tmp_path, kind, selection, message
):
    out = tmp_path / "briefing.out"
    out.write_bytes(OLD)
    with pytest.raises(NothingToExport) as refused:
        write_export(library_file, kind, selection, out, pdf_renderer=_never_called)
    assert str(refused.value) == message
    assert out.read_bytes() == OLD


def test_an_empty_library_has_nothing_to_export(library, tmp_path):
    with pytest.raises(NothingToExport, match="^no notes in the library$"):
        write_export(library, "w3c", Selection(), tmp_path / "notes.jsonld")
    assert list(tmp_path.iterdir()) == []


def test_a_chosen_article_without_notes_still_gets_its_briefing(library_file, tmp_path):
    third = library_file.add_draft(ArticleDraft(text="Quiet day.", title="Quiet", origin="t")).article_id
    result = write_export(library_file, "md", Selection(article_ids=(third,)), tmp_path / "b.md")
    assert (result.notes, result.articles) == (0, 1)
    assert "## Quiet" in (tmp_path / "b.md").read_text(encoding="utf-8")
    with pytest.raises(NothingToExport, match=f"^no notes on article {third}$"):
        write_export(library_file, "w3c", Selection(article_ids=(third,)), tmp_path / "n.jsonld")


def test_an_unknown_article_is_named(library_file, tmp_path):
    with pytest.raises(ExportError, match="no article with id 99"):
        write_export(library_file, "md", Selection(article_ids=(99,)), tmp_path / "b.md")


# -- where an export must not go ----------------------------------------------------------------


def _library_files(library: Library) -> dict[str, bytes]:
    folder = Path(library.path).parent
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.name.startswith("library.db")}


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_the_library_database_is_never_overwritten(library_file, suffix):
    before = _library_files(library_file)
    target = library_file.path + suffix
    with pytest.raises(ExportError, match="it is the library database"):
        write_export(library_file, "md", Selection(), target)
    assert _library_files(library_file) == before  # byte for byte, and no file added


def test_the_library_under_another_name_is_refused_too(library_file, tmp_path):
    link = tmp_path / "looks-like-an-export.md"
    link.symlink_to(library_file.path)
    hard = tmp_path / "hard.md"
    os.link(library_file.path, hard)
    before = _library_files(library_file)
    for name in (link, hard):
        with pytest.raises(ExportError, match="it is the library database"):
            write_export(library_file, "md", Selection(), name)
    assert _library_files(library_file) == before


def test_a_folder_an_empty_name_a_fifo_and_a_device_are_refused(library_file, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    before = sorted(p.name for p in tmp_path.iterdir())
    cases = {
        str(tmp_path): "it is a folder",
        str(tmp_path / "sub") + os.sep: "it is a folder",
        "": "no output file given",
        "  ": "no output file given",
        str(fifo): "it is a FIFO, not a regular file",
        os.devnull: "it is a device, not a regular file",
        str(tmp_path / "missing" / "b.md"): "no folder",
    }
    for name, message in cases.items():
        with pytest.raises(ExportError, match=message):
            write_export(library_file, "md", Selection(), name)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_symlink_is_written_through_and_stays_a_link(library_file, tmp_path):
    sent = tmp_path / "sent"
    sent.mkdir()
    real = sent / "2024-05-02.md"
    real.write_bytes(OLD)
    latest = tmp_path / "latest.md"
    latest.symlink_to(real)
    write_export(library_file, "md", Selection(), latest)
    assert latest.is_symlink() and latest.resolve() == real
    assert real.read_text(encoding="utf-8").startswith("# Briefing")
    assert sorted(p.name for p in sent.iterdir()) == ["2024-05-02.md"]  # no partial left


def test_a_read_only_folder_is_a_clear_line_and_the_old_file_stays():
    """Run as an unprivileged user (root may write in any folder), so in a folder of /tmp that
    user can reach rather than in pytest's own."""
    shared = Path(tempfile.mkdtemp(prefix="briefing-read-only-"))
    try:
        os.chmod(shared, 0o755)
        folder = shared / "read-only"
        folder.mkdir()
        old = folder / "briefing.md"
        old.write_bytes(OLD)
        os.chmod(old, 0o666)
        os.chmod(folder, 0o555)
        code = (
            "import sys\n"
            "from briefing_app.core.export.atomic import write_text_atomically\n"
            "try:\n"
            "    write_text_atomically(sys.argv[1], 'new')\n"
            "except OSError as exc:  # as write_export words it\n"
            "    sys.exit(f'cannot write {sys.argv[1]}: {exc.strerror}')\n"
        )
        result = run_python(
            code=code, args=[str(old)], unprivileged=True, preload=["briefing_app.core.export.atomic"]
        )
        assert result.returncode == 1
        assert result.stderr == f"cannot write {old}: cannot create a file in {folder} (Permission denied)\n"
        assert old.read_bytes() == OLD
        assert [p.name for p in folder.iterdir()] == ["briefing.md"]
    finally:
        os.chmod(shared / "read-only", 0o755)
        shutil.rmtree(shared)


# -- a PDF that did not come out whole ---------------------------------------------------------


def _never_called(briefing: Briefing, path: Path) -> int:
    raise AssertionError("nothing should be rendered")


def _cut_short(briefing: Briefing, path: Path) -> int:
    """What Qt leaves when the disk fills: a PDF without its end, and no error."""
    path.write_bytes(b"%PDF-1.4\n% a page or two, then the disk was full")
    return 2


def _empty(briefing: Briefing, path: Path) -> int:
    return 1


def _whole(briefing: Briefing, path: Path) -> int:
    path.write_bytes(b"%PDF-1.4\n" + briefing.title.encode() + b"\ntrailer\n%%EOF\n")
    return 1


@pytest.mark.parametrize("renderer, size", [(_cut_short, "48 bytes"), (_empty, "0 bytes")])
def test_an_incomplete_pdf_never_replaces_the_old_one(library_file, tmp_path, renderer, size):
    out = tmp_path / "out" / "briefing.pdf"
    out.parent.mkdir()
    out.write_bytes(OLD)
    with pytest.raises(ExportError) as failed:
        write_export(library_file, "pdf", Selection(), out, renderer)
    assert str(failed.value) == (
        f"cannot write {out}: the PDF came out incomplete ({size}, no %%EOF trailer); is the disk full?"
    )
    assert out.read_bytes() == OLD
    assert [p.name for p in out.parent.iterdir()] == ["briefing.pdf"]


def test_a_whole_pdf_replaces_the_old_one(library_file, tmp_path):
    out = tmp_path / "briefing.pdf"
    out.write_bytes(OLD)
    result = write_export(library_file, "pdf", Selection(), out, _whole, title="Morning")
    assert (result.pages, result.notes) == (1, 3)
    assert out.read_bytes() == b"%PDF-1.4\nMorning\ntrailer\n%%EOF\n"


def test_markdown_on_a_full_disk_keeps_the_old_file(library_file, tmp_path):
    """A file size limit makes writes past it fail (EFBIG), as a full disk does (ENOSPC). Above
    what SQLite needs beside the library (a 32 KiB -shm), below the new Markdown file."""
    NoteStore(library_file).create(1, 0, 4, body="A long note. " * 8000, tags=["long"])
    library_file.close()
    out = tmp_path / "briefing.md"
    out.write_bytes(OLD)
    argv = ["--db", library_file.path, "export", "--format", "md", "-o", str(out)]
    result = run_python(module="briefing_app", args=argv, file_size_limit=64 * 1024)
    assert result.returncode == 2
    assert result.stderr == f"briefing: cannot write {out}: File too large\n"
    assert out.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("library.db")) == [
        "briefing.md"
    ]


def test_export_of_chosen_notes_takes_exactly_those(library_file, tmp_path):
    chosen = [note for note in library_file.notes.all_notes() if note.body in ("and then", "Niamey")]
    out = tmp_path / "chosen.md"
    result = write_export(library_file, "md", Selection(note_uuids=tuple(n.uuid for n in chosen)), out)
    assert (result.notes, result.articles) == (2, 2)
    text = out.read_text(encoding="utf-8")
    assert "and then" in text and "Niamey" in text and "Mali **first**" not in text
    w3c = tmp_path / "chosen.jsonld"
    write_export(library_file, "w3c", Selection(note_uuids=(chosen[0].uuid,)), w3c)
    assert json.loads(w3c.read_text(encoding="utf-8"))["total"] == 1


def test_export_of_chosen_notes_all_deleted_since_is_refused(library_file, tmp_path):
    gone = library_file.notes.all_notes()[0]
    library_file.notes.delete(gone.uuid)
    with pytest.raises(NothingToExport, match="no notes among the 1 chosen"):
        write_export(library_file, "md", Selection(note_uuids=(gone.uuid,)), tmp_path / "x.md")
    assert not (tmp_path / "x.md").exists()
