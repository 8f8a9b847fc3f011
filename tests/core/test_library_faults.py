"""Faults of the library file or the disk: one clear error that names the library and says
what to do, and nothing already stored is lost."""

from __future__ import annotations

import sqlite3

import pytest

from briefing_app.core import backup, store
from briefing_app.core.model import ArticleDraft
from briefing_app.core.store import (
    Library,
    LibraryDamaged,
    LibraryDiskFault,
    LibraryError,
)
from tests.support.library_faults import damage_table


def _drafts(n: int, words: int = 3000) -> list[ArticleDraft]:
    return [
        ArticleDraft(
            text=" ".join(f"word{i}x{j}" for j in range(words)), title=f"Article {i}", origin=f"a{i}.txt"
        )
        for i in range(n)
    ]


def test_a_full_disk_stops_the_import_and_keeps_what_was_committed(db_path, monkeypatch):
    monkeypatch.setattr(store, "COMMIT_INTERVAL", 0)  # one commit per article
    with Library(db_path) as library:
        (pages,) = library.db.execute("PRAGMA page_count").fetchone()
        # The "disk" holds a few of these articles (about 25 KB each with their index).
        library.db.execute(f"PRAGMA max_page_count = {pages + 40}")
        with pytest.raises(LibraryDiskFault, match="disk is full.*what was saved before is kept") as caught:
            library.import_items(_drafts(30))
        assert str(db_path) in str(caught.value)

    with Library(db_path) as library:
        kept = library.count_articles()
        assert 0 < kept < 30
        assert library.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Every article kept is whole: its text and its full-text index entry.
        for summary in library.list_articles():
            article = library.get_article(summary.id)
            assert len(article.text.split()) == 3000
            assert [h.id for h in library.search(f'"{article.text.split()[0]}"')] == [article.id]


@pytest.fixture
def damaged_library(db_path):
    with Library(db_path) as library:
        library.import_items(_drafts(3, words=50))
    damage_table(db_path, "articles")
    damage_table(db_path, "article_list")  # the library list reads its own table (migration 6)
    return db_path


def test_reading_a_damaged_library_is_told_as_damage_with_the_way_to_recover(damaged_library):
    with Library(damaged_library) as library:
        for read in (
            library.list_articles,
            lambda: library.search("word0x1"),
            lambda: library.get_article(1),
        ):
            with pytest.raises(sqlite3.DatabaseError) as caught:
                read()
            fault = store.library_fault(caught.value, str(damaged_library))
            assert isinstance(fault, LibraryDamaged)
            message = str(fault)
            assert "is damaged" in message and str(damaged_library) in message
            assert ".recover" in message
            assert str(backup.backups_dir(damaged_library)) in message


def test_damage_advice_names_the_newest_backup(db_path):
    with Library(db_path) as library:
        library.import_items(_drafts(1, words=50))
        made = backup.back_up(library.db.conn, db_path)
    damage_table(db_path, "articles")
    with Library(db_path) as library, pytest.raises(sqlite3.DatabaseError) as caught:
        library.get_article(1)
    message = str(store.library_fault(caught.value, str(db_path)))
    assert f'briefing restore "{made}"' in message


def test_a_library_under_a_folder_that_cannot_be_created_is_refused_in_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(LibraryError, match="cannot create the library .*a-file/sub/library.db"):
        Library(blocker / "sub" / "library.db")


def test_a_library_fault_is_not_taken_for_a_bad_search_query(db_path):
    fault = sqlite3.OperationalError("disk I/O error")
    fault.sqlite_errorcode = sqlite3.SQLITE_IOERR_READ  # type: ignore[attr-defined]
    message = str(store._search_error(fault, "mali", str(db_path)))
    assert "bad search query" not in message and "disk error" in message
