"""Backups beside the library, the health check, and restoring a backup."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from briefing_app.core import backup, migrations
from briefing_app.core.model import ArticleDraft
from briefing_app.core.store import Library
from tests.support.library_faults import damage_table

NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _library_with(db_path, *titles: str) -> Library:
    library = Library(db_path)
    library.import_items(ArticleDraft(text=f"{t}: Mali and Niger met.", title=t, origin=t) for t in titles)
    return library


def _titles(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM articles ORDER BY id")]
    finally:
        conn.close()


def test_a_backup_is_a_whole_library_in_one_file_named_by_its_time(db_path):
    with _library_with(db_path, "First", "Second") as library:
        made = backup.back_up(library.db.conn, db_path, now=NOON)
    assert made == db_path.parent / "backups" / "library-20261128T120000Z.db"
    assert _titles(made) == ["First", "Second"]
    assert not made.with_name(made.name + "-wal").exists()
    assert [p.name for p in made.parent.iterdir()] == [made.name]  # no temporary file left
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    conn.close()


def test_the_newest_seven_backups_are_kept(db_path):
    with _library_with(db_path, "Only") as library:
        made = [backup.back_up(library.db.conn, db_path, now=NOON + timedelta(days=d)) for d in range(10)]
        # Two in one second get distinct names, in order.
        same_second = backup.back_up(library.db.conn, db_path, now=NOON + timedelta(days=9))
    stray = backup.backups_dir(db_path) / "notes.txt"
    stray.write_text("the analyst's own file")
    kept = backup.list_backups(db_path)
    assert kept == made[4:] + [same_second]
    assert len(kept) == backup.KEEP_BACKUPS
    assert stray.exists()


def test_the_daily_backup_is_made_once_a_day(db_path):
    with _library_with(db_path, "Daily") as library:
        first = backup.back_up_if_due(library.db.conn, db_path, now=NOON)
        assert first is not None
        assert backup.back_up_if_due(library.db.conn, db_path, now=NOON + timedelta(hours=11)) is None
        tomorrow = backup.back_up_if_due(library.db.conn, db_path, now=NOON + timedelta(hours=13))
    assert backup.list_backups(db_path) == [first, tomorrow]


def test_a_damaged_library_is_not_rotated_into_the_backups(db_path):
    with _library_with(db_path, "Good") as library:
        good = backup.back_up(library.db.conn, db_path, now=NOON)
    damage_table(db_path, "articles")
    with Library(db_path) as library:
        with pytest.raises(backup.DamagedLibraryCopy, match="is damaged") as caught:
            backup.back_up(library.db.conn, db_path, now=NOON + timedelta(days=1))
    assert caught.value.copy.exists() and caught.value.copy.name.endswith("-damaged.db")
    assert backup.list_backups(db_path) == [good]


def test_check_says_healthy_or_names_the_damage(db_path):
    with _library_with(db_path, "Fine") as library:
        assert backup.check_database(library.db.conn).healthy
    damage_table(db_path, "articles")
    with Library(db_path) as library:
        result = backup.check_database(library.db.conn)
    assert not result.healthy
    assert any("malformed" in p or "page" in p for p in result.integrity_problems)
    assert result.summary()


def test_restore_puts_the_backup_back_and_keeps_the_library_it_replaces(db_path):
    with _library_with(db_path, "Monday") as library:
        monday = backup.back_up(library.db.conn, db_path, now=NOON)
        library.import_items([ArticleDraft(text="Tuesday: Chad.", title="Tuesday", origin="t")])

    result = backup.restore(db_path, monday)

    assert _titles(db_path) == ["Monday"]
    assert result.previous_copy is not None and _titles(result.previous_copy) == ["Monday", "Tuesday"]
    with Library(db_path) as library:
        assert library.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert backup.check_database(library.db.conn).healthy


def test_restoring_the_oldest_of_seven_backups_does_not_rotate_it_away(db_path):
    with _library_with(db_path, "Week") as library:
        made = [backup.back_up(library.db.conn, db_path, now=NOON + timedelta(days=d)) for d in range(7)]
    result = backup.restore(db_path, made[0])
    assert made[0].exists() and result.previous_copy is not None
    assert set(backup.list_backups(db_path)) == {*made, result.previous_copy}


def test_a_window_with_the_library_open_reads_the_restored_library(db_path):
    with _library_with(db_path, "Old") as library:
        old = backup.back_up(library.db.conn, db_path, now=NOON)
    with _library_with(db_path, "New") as window:
        assert [a.title for a in window.list_articles()] == ["New", "Old"]
        backup.restore(db_path, old)
        assert [a.title for a in window.list_articles()] == ["Old"]
        window.import_items([ArticleDraft(text="After: Niger.", title="After", origin="a")])
        assert window.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _titles(db_path) == ["Old", "After"]


@pytest.mark.parametrize("kind", ["foreign", "damaged", "newer", "missing"])
def test_restore_refuses_a_file_that_is_not_a_sound_library(db_path, tmp_path, kind):
    with _library_with(db_path, "Current"):
        pass
    candidate = tmp_path / "candidate.db"
    if kind == "foreign":
        conn = sqlite3.connect(candidate)
        conn.execute("CREATE TABLE contacts (name)")
        conn.commit()
        conn.close()
    elif kind in ("damaged", "newer"):
        with _library_with(candidate, "Other"):
            pass
        if kind == "damaged":
            damage_table(candidate, "articles")
        else:
            conn = sqlite3.connect(candidate)
            conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
            conn.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()

    with pytest.raises(backup.BackupError, match="candidate.db"):
        backup.restore(db_path, candidate)

    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert backup.list_backups(db_path) == []


def test_restore_over_a_damaged_library_keeps_the_damaged_one_apart(db_path):
    with _library_with(db_path, "Sound") as library:
        sound = backup.back_up(library.db.conn, db_path, now=NOON)
    damage_table(db_path, "articles")
    damaged_bytes = db_path.read_bytes()

    result = backup.restore(db_path, sound)

    assert _titles(db_path) == ["Sound"]
    # Page for page (the first page's header says which journal mode the copy uses).
    assert (
        result.previous_copy is not None and result.previous_copy.read_bytes()[4096:] == damaged_bytes[4096:]
    )
    assert backup.list_backups(db_path) == [sound]


def test_restore_never_replaces_a_file_that_is_not_a_library(db_path, tmp_path):
    with _library_with(tmp_path / "lib.db", "Backup me") as library:
        made = backup.back_up(library.db.conn, library.path)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contacts (name)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(backup.BackupError, match="left untouched"):
        backup.restore(db_path, made)
    assert db_path.read_bytes() == before
