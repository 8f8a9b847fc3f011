"""Library.db: sqlite-utils' transaction rules on plain sqlite3 (checked against sqlite-utils'
own Database, side by side), and sqlite-utils loaded only when a library needs it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from briefing_app.core import migrations
from briefing_app.core.database import LibraryDatabase
from briefing_app.core.store import Library

REPO = Path(__file__).resolve().parents[2]

DATABASES: dict[str, Callable[[sqlite3.Connection], Any]] = {
    "sqlite-utils": sqlite_utils.Database,
    "library": LibraryDatabase,
}


@pytest.fixture(params=sorted(DATABASES))
def pair(request, tmp_path) -> tuple[Any, sqlite3.Connection]:
    """(a database on a file with a table `t`, a second connection to the same file)."""
    path = tmp_path / "t.db"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.commit()
    setup.close()
    db = DATABASES[request.param](sqlite3.connect(path))
    other = sqlite3.connect(path)
    yield db, other
    other.close()
    db.conn.close()


def rows(conn: sqlite3.Connection) -> list[int]:
    return [x for (x,) in conn.execute("SELECT x FROM t ORDER BY x")]


def test_a_write_outside_a_transaction_is_committed_at_once(pair):
    db, other = pair
    db.execute("INSERT INTO t VALUES (?)", [1])
    db.execute("/* a comment first */ -- and another\n UPDATE t SET x = :x", {"x": 2})
    assert not db.conn.in_transaction
    assert rows(other) == [2]


def test_a_write_inside_a_transaction_waits_for_its_commit(pair):
    db, other = pair
    db.execute("BEGIN")
    db.execute("INSERT INTO t VALUES (1)")
    assert db.conn.in_transaction and rows(other) == []
    db.rollback()
    assert not db.conn.in_transaction and rows(other) == []
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO t VALUES (3)")
    db.execute("COMMIT")
    assert rows(other) == [3]


def test_a_failed_write_leaves_no_transaction_behind(pair):
    db, other = pair
    db.execute("CREATE TRIGGER refuse BEFORE INSERT ON t WHEN new.x < 0 BEGIN SELECT RAISE(ABORT, 'no'); END")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO t VALUES (-1)")
    assert not db.conn.in_transaction
    db.execute("INSERT INTO t VALUES (4)")  # committed on its own, as if nothing had failed
    assert rows(other) == [4]


def test_a_read_returns_its_rows_and_opens_nothing(pair):
    db, _ = pair
    db.execute("INSERT INTO t VALUES (5)")
    assert db.execute("SELECT x FROM t WHERE x = ?", [5]).fetchall() == [(5,)]
    assert not db.conn.in_transaction


def test_triggers_fire_the_triggers_their_writes_meet(pair):
    db, other = pair
    db.execute("CREATE TABLE log (n INTEGER)")
    # Recursive: each insert into t below 3 inserts the next one (needs recursive_triggers).
    db.execute(
        "CREATE TRIGGER more AFTER INSERT ON t WHEN new.x < 3 BEGIN INSERT INTO t VALUES (new.x + 1); END"
    )
    db.execute("INSERT INTO t VALUES (1)")
    assert rows(other) == [1, 2, 3]


def test_functions_and_wal(pair):
    db, other = pair

    def twice(value: int) -> int:
        return 2 * value

    db.register_function(twice, deterministic=True)
    assert db.execute("SELECT twice(21)").fetchone() == (42,)
    db.enable_wal()
    db.enable_wal()  # a no-op the second time
    assert db.journal_mode == "wal"
    assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_sqlite_utils_on_the_same_connection_when_first_used(tmp_path):
    db = LibraryDatabase(sqlite3.connect(tmp_path / "t.db"))
    with db.atomic():
        db.table("people").insert({"name": "Sergey Lavrov"})
    assert db.utils.conn is db.conn
    assert db.execute("SELECT name FROM people").fetchall() == [("Sergey Lavrov",)]


def loads_sqlite_utils_to_open(path: Path) -> bool:
    """Whether opening the library at path (and reading its list) imports sqlite-utils or
    numpy, in a fresh process."""
    code = (
        "import sys; from briefing_app.core.store import Library; "
        f"library = Library({str(path)!r}); library.list_articles(limit=10); library.notes.for_article(1); "
        "print(sorted({'sqlite_utils', 'numpy'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return out.stdout.strip() != "[]"


def test_opening_a_library_loads_sqlite_utils_only_to_create_or_upgrade_it(tmp_path):
    new = tmp_path / "new.db"
    assert loads_sqlite_utils_to_open(new)  # a new library: its tables are made
    assert not loads_sqlite_utils_to_open(new)  # at the current schema: nothing to make
    old = tmp_path / "old.db"
    made = sqlite_utils.Database(old)
    migrations.migrate(made, target=migrations.SCHEMA_VERSION - 1)
    made.close()
    assert loads_sqlite_utils_to_open(old)  # an upgrade
    with Library(old) as library:
        assert library.schema_version == migrations.SCHEMA_VERSION
    assert not loads_sqlite_utils_to_open(old)
