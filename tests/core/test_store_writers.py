"""Writers wait their turn: every write transaction takes the write lock at its start, waits for
another connection's, tries again when SQLite gives up, and never drops an article for it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing_app.core import store
from briefing_app.core.model import ArticleDraft, Extraction, Mention
from briefing_app.core.store import Library, LibraryBusy

TEXT = "Sergey Lavrov met the ministers of Mali and Niger in Moscow."


def draft(text: str = TEXT, **kw: object) -> ArticleDraft:
    kw.setdefault("origin", "test")
    kw.setdefault("title", "Talks")
    return ArticleDraft(text=text, **kw)  # type: ignore[arg-type]


@pytest.fixture
def lib(db_path: Path) -> Iterator[Library]:
    with Library(db_path) as library:
        yield library


@pytest.fixture
def impatient(lib: Library) -> Library:
    """The library with SQLite's own wait switched off: any waiting is Library.write()'s."""
    lib.db.execute("PRAGMA busy_timeout = 0")
    return lib


def other_writer(db_path: Path) -> sqlite3.Connection:
    """Another program's connection, which does not wait for locks either."""
    return sqlite3.connect(db_path, timeout=0, isolation_level=None)


def setting(db_path: Path, key: str) -> str | None:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def test_a_write_transaction_holds_the_write_lock_before_it_reads(lib, db_path):
    other = other_writer(db_path)
    with lib.write():
        lib.get_setting("anything")  # a read first: a deferred transaction would hold no lock yet
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # released at the commit
    other.execute("ROLLBACK")
    other.close()


def test_an_import_keeps_its_lock_between_looking_and_writing(lib, db_path, monkeypatch):
    """Another program writing between the import's lookup of earlier versions and its insert
    once made the insert fail at once ("database is locked") and the article was skipped."""
    other = other_writer(db_path)
    refused = []
    earlier_version = Library._earlier_version

    def lookup_then_other_writes(self: Library, *args: object) -> int | None:
        found = earlier_version(self, *args)  # type: ignore[arg-type]
        try:
            other.execute("INSERT INTO settings (key, value) VALUES ('other', 'wrote')")
        except sqlite3.OperationalError as exc:
            refused.append(str(exc))
        return found

    monkeypatch.setattr(Library, "_earlier_version", lookup_then_other_writes)
    report = lib.import_items([draft(origin="a.txt")])
    assert report.failed == [] and len(report.imported) == 1
    assert refused == ["database is locked"]  # it waited for the import's commit
    other.close()


def note_on(library: Library) -> Callable[[], object]:
    article_id = library.add_draft(draft()).article_id
    return lambda: library.notes.create(article_id, 0, len("Sergey Lavrov"), body="who?")


def extraction_of(library: Library) -> Callable[[], object]:
    article_id = library.add_draft(draft()).article_id
    mention = Mention(0, 13, "Sergey Lavrov", "PERSON", "Sergey Lavrov")
    return lambda: library.save_extraction(article_id, Extraction(mentions=(mention,), engine="e/1"))


WRITES: dict[str, Callable[[Library], Callable[[], object]]] = {
    "import": lambda library: lambda: library.import_items([draft("Mali and Niger left ECOWAS.")]),
    "note": note_on,
    "extraction": extraction_of,
    "setting": lambda library: lambda: library.set_setting("mine", "written"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_writer_waits_for_another_programs_write_then_writes(impatient, db_path, monkeypatch, write):
    do_write = write(impatient)
    before = impatient.db.execute("SELECT total_changes()").fetchone()[0]
    other = other_writer(db_path)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO settings (key, value) VALUES ('other', 'first')")
    pauses = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 3:  # the other program finishes while this one waits
            other.execute("COMMIT")

    monkeypatch.setattr(store, "_pause", pause)
    do_write()
    assert len(pauses) == 3
    assert impatient.db.execute("SELECT total_changes()").fetchone()[0] > before
    assert setting(db_path, "other") == "first"
    other.close()


def test_a_library_busy_for_too_long_is_a_clear_error_and_nothing_is_half_written(
    impatient, db_path, monkeypatch
):
    impatient.write_patience_seconds = 0.0
    monkeypatch.setattr(store, "_pause", lambda seconds: None)
    other = other_writer(db_path)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(LibraryBusy, match=r"library\.db is busy: another program"):
        impatient.set_setting("mine", "written")
    other.execute("ROLLBACK")
    other.close()
    assert setting(db_path, "mine") is None
    assert not impatient.db.conn.in_transaction


def test_a_busy_batch_is_written_again_and_no_article_is_skipped(library, monkeypatch):
    store_row = Library._store_article_row  # where a batch writes each draft
    calls = []

    def busy_once(self: Library, item: ArticleDraft, row: dict) -> store.AddResult:
        calls.append(item.origin)
        if len(calls) == 2:
            raise sqlite3.OperationalError("database is locked")
        return store_row(self, item, row)

    monkeypatch.setattr(Library, "_store_article_row", busy_once)
    monkeypatch.setattr(store, "_pause", lambda seconds: None)
    items = [draft("First story.", origin="a.txt"), draft("Second story.", origin="b.txt")]
    report = library.import_items(items)
    assert report.failed == [] and len(report.imported) == 2
    assert calls == ["a.txt", "b.txt", "a.txt", "b.txt"]  # the batch, again from its start
    assert library.count_articles() == 2


def test_the_library_hands_out_its_notes(library):
    assert library.notes is library.notes
    assert library.notes.library is library


def test_the_notes_module_does_not_import_the_store():
    """One direction only: store.py imports notes.py, never the other way round."""
    code = "import sys, briefing_app.core.notes; sys.exit('briefing_app.core.store' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2]).returncode == 0


def test_an_article_failing_midway_through_a_batch_leaves_no_trace(library):
    # Fires after the article's row and its full-text entry are written: SQLite must undo both.
    library.db.execute(
        "CREATE TEMP TRIGGER refuse_bad AFTER INSERT ON article_list WHEN new.title = 'Bad' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    )
    items = [
        draft("Kestrel story one.", title="Good", origin="a.txt"),
        draft("Zanzibar story two.", title="Bad", origin="b.txt"),
        draft("Kestrel story three.", title="Also good", origin="c.txt"),
    ]
    report = library.import_items(items)
    assert [f.origin for f in report.failed] == ["b.txt"] and "refused by the test" in report.failed[0].reason
    assert len(report.imported) == 2 and library.count_articles() == 2
    assert library.search("zanzibar") == [] and len(library.search("kestrel")) == 2
    assert library.db.execute("SELECT count(*) FROM articles WHERE title = 'Bad'").fetchone()[0] == 0
    library.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
