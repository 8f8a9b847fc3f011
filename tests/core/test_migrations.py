"""Schema migrations: old libraries upgrade in place, newer ones are refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import threading

import pytest
import sqlite_utils

from briefing_app.core import backup, migrations
from briefing_app.core.model import ArticleDraft
from briefing_app.core.store import ArticleFilter, Library, LibraryError, NotALibrary, SchemaTooNewError
from tests.support.oldlibrary import library_with_one_article_at_schema


def test_new_library_is_at_the_latest_schema(db_path):
    with Library(db_path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        assert {"articles", "articles_fts", "entities", "mentions", "notes", "notes_fts"} <= set(
            lib.db.utils.table_names()
        )


def test_library_from_the_first_schema_upgrades_in_place(db_path):
    library_with_one_article_at_schema(db_path, 1)

    with Library(db_path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        (article,) = lib.list_articles()
        assert article.title == "Old"
        assert [h.title for h in lib.search("niger")] == ["Old"]
        assert lib.articles_needing_extraction("any") == [article.id]


def test_library_from_a_newer_version_is_refused_and_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()

    with pytest.raises(SchemaTooNewError, match="newer Briefing Reader"):
        Library(db_path)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert not db_path.with_name(db_path.name + "-wal").exists()


def test_a_file_that_is_not_a_library_is_refused(db_path):
    db_path.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(LibraryError, match="not a Briefing Reader library"):
        Library(db_path)


def test_a_failing_migration_leaves_the_previous_version(db_path, monkeypatch):
    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk full")

    db = sqlite_utils.Database(db_path)
    migrations.migrate(db, target=1)
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1] + (broken,))
    with pytest.raises(RuntimeError):
        migrations.migrate(db, target=2)
    assert migrations.schema_version(db) == 1
    assert "half_done" not in db.table_names()


def test_upgrade_to_4_keeps_marked_names_and_unmarks_rename_targets(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=3)
    old["entities"].insert({"name": "Wagner Group", "label": "ORG", "created_by": "analyst"})
    renamed = (
        old["entities"].insert({"name": "Will Smith", "label": "PERSON", "created_by": "analyst"}).last_pk
    )
    old["aliases"].insert({"alias": "Will", "alias_key": "will", "label": "PERSON", "entity_id": renamed})
    old.conn.commit()
    old.close()
    with Library(db_path) as lib:
        assert dict(lib.registry().analyst_entities) == {"Wagner Group": "ORG"}


def _sqlite_file(path, *statements: str) -> str:
    """An SQLite file made by someone else (rollback journal, as sqlite3 makes them); its hash."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "statements",
    [
        ("CREATE TABLE contacts (name TEXT)", "INSERT INTO contacts VALUES ('Ada')"),
        # Tables named like ours, a version ours had: still not a library without the rest.
        ("CREATE TABLE articles (id INTEGER PRIMARY KEY)", "PRAGMA user_version = 2"),
        ("PRAGMA application_id = 1234", "CREATE TABLE t (x)"),
        # Even an empty database is another program's once it carries that program's mark.
        ("PRAGMA application_id = 1234",),
    ],
    ids=["plain", "same-table-name", "other-app", "other-app-empty"],
)
def test_a_foreign_sqlite_file_is_refused_and_left_byte_for_byte(db_path, statements):
    before = _sqlite_file(db_path, *statements)

    with pytest.raises(NotALibrary, match="not a Briefing Reader library.*left untouched"):
        Library(db_path)

    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert not db_path.with_name(db_path.name + "-wal").exists()
    assert not backup.backups_dir(db_path).exists()


def test_an_empty_file_becomes_a_library_marked_as_ours(db_path):
    db_path.write_bytes(b"")
    with Library(db_path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        assert lib.db.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    assert not backup.backups_dir(db_path).exists()  # nothing to back up in a new library


def test_a_library_from_before_the_mark_is_backed_up_then_upgraded(db_path):
    library_with_one_article_at_schema(db_path, 4)

    told: list[str] = []
    with Library(db_path, on_upgrade=told.append) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        assert [a.title for a in lib.list_articles()] == ["Old"]
    steps = migrations.SCHEMA_VERSION - 4
    assert told[0].startswith(f"Copying the library to {backup.backups_dir(db_path)} before upgrading it")
    assert told[1:] == [
        f"Upgrading the library for this version: step {n} of {steps}…" for n in range(1, steps + 1)
    ]

    (copy,) = backup.list_backups(db_path)
    saved = sqlite3.connect(copy)
    assert saved.execute("PRAGMA user_version").fetchone()[0] == 4
    assert saved.execute("SELECT title FROM articles").fetchall() == [("Old",)]
    saved.close()
    with Library(db_path, on_upgrade=told.append):  # opening a current library makes no backup
        pass
    assert len(backup.list_backups(db_path)) == 1 and len(told) == steps + 1  # nor tells of one


def test_an_upgrade_that_cannot_be_backed_up_is_not_made(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=4)
    old.close()
    backup.backups_dir(db_path).write_text("a file where the backups folder should be")

    with pytest.raises(LibraryError, match="backup made before an upgrade could not be written"):
        Library(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    conn.close()


def _version_before(migration) -> int:
    """The schema version a library had before `migration` (its position, never a constant:
    other migrations are appended after it)."""
    return migrations.MIGRATIONS.index(migration)


def test_upgrade_indexes_prefixes_and_keeps_search_in_step_with_the_articles(db_path):
    library_with_one_article_at_schema(db_path, _version_before(migrations._m8_articles_fts_prefixes))

    with Library(db_path) as lib:
        fts_sql = lib.db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
        assert f"prefix='{migrations.ARTICLES_FTS_PREFIXES}'" in fts_sql
        assert migrations.FTS_TOKENIZER in fts_sql
        assert [h.title for h in lib.search("Ni*")] == ["Old"]  # the old article, indexed again
        assert [h.title for h in lib.search("níger")] == ["Old"]  # accents still optional
        new_id = lib.add_draft(ArticleDraft("Airbus flies the A380 over Toulouse", title="New")).article_id
        assert [h.title for h in lib.search("air*")] == ["New"]
        lib.db.execute("UPDATE articles SET text = 'Boeing only' WHERE id = ?", [new_id])
        assert lib.search("air*") == [] and [h.title for h in lib.search("boe*")] == ["New"]
        lib.db.execute("DELETE FROM articles WHERE id = ?", [new_id])
        assert lib.search("boe*") == []
        assert lib.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")


def _open_at_once(db_path, openers: int = 4) -> list[str]:
    """`openers` threads open the library at the same moment; the errors they met."""
    barrier = threading.Barrier(openers)
    errors: list[str] = []

    def open_library() -> None:
        barrier.wait()
        try:
            Library(db_path).close()
        except LibraryError as exc:
            errors.append(f"{exc} <- {exc.__cause__!r}")

    threads = [threading.Thread(target=open_library) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.parametrize("from_version", [0, 1])
def test_openers_of_a_library_that_needs_migrating_take_turns(tmp_path, from_version):
    # Each thread has its own connection, as another process would. Before: the second
    # opener ran migration 1 again and failed ("table articles already exists").
    for attempt in range(3):
        db_path = tmp_path / f"library-{attempt}.db"
        if from_version:
            library_with_one_article_at_schema(db_path, from_version)
        assert _open_at_once(db_path) == []
        with Library(db_path) as lib:
            assert lib.schema_version == migrations.SCHEMA_VERSION
            assert [a.title for a in lib.list_articles()] == (["Old"] if from_version else [])
            assert lib.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# The schema of the last release before the briefings, prefix index, conflicts, date
# corrections, provenance and entity index migrations.
BEFORE_LIBRARY_WIDE_VIEWS = 6


def test_upgrading_from_6_keeps_every_article_note_and_mention_as_it_was(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=BEFORE_LIBRARY_WIDE_VIEWS)
    text = "Sergey Lavrov met Abdoulaye Diop in Moscow."
    old["articles"].insert(
        {
            "uid": "u1",
            "title": "Talks",
            "text": text,
            "source": "TASS",
            "published": "2024-01-28",
            "imported_at": "2024-01-29T08:00:00",
        }  # fmt: skip
    )
    old["entities"].insert({"id": 1, "name": "Sergey Lavrov", "label": "PERSON"})
    old["mentions"].insert(
        {"article_id": 1, "entity_id": 1, "start": 0, "end": 13, "text": "Sergey Lavrov", "label": "PERSON"}
    )
    old["notes"].insert(
        {
            "uuid": "n1",
            "article_id": 1,
            "start": 0,
            "end": 13,
            "quote": "Sergey Lavrov",
            "body": "**Host.**",
            "tags": '["sahel"]',
            "created": "2024-01-29T09:00:00",
            "updated": "2024-01-29T09:00:00",
        }  # fmt: skip
    )
    old.conn.commit()
    tables = ("articles", "notes", "mentions", "entities")
    before = {t: old.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    old.close()

    with Library(db_path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        after = {t: lib.db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
        # Nothing the analyst had is changed; the new tables are filled from it.
        assert {t: [row[: len(before[t][0])] for row in rows] for t, rows in after.items()} == before
        assert [h.title for h in lib.search("Lavr*")] == ["Talks"]
        assert [n.uuid for n in lib.notes.search("host")] == ["n1"]
        assert lib.list_ids(ArticleFilter(entity="Sergey Lavrov")) == [1]
