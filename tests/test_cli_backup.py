"""`briefing backup`, `restore` and `check`, and what every command says when the library
file or the disk is at fault: one line naming the library, never a traceback."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from briefing_app.cli import main
from briefing_app.core import backup
from tests.support.datafiles import SEED_ARTICLE, WIKINEWS_DIR
from tests.support.library_faults import damage_table, run_briefing, run_briefing_commands


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("briefing: ")
    return lines[0]


@pytest.fixture
def db(db_path, capsys) -> str:
    code, _, _ = run(capsys, "--db", str(db_path), "import", "--no-extract", str(SEED_ARTICLE))
    assert code == 0
    return str(db_path)


def test_backup_check_and_restore_by_hand(capsys, db, db_path):
    code, out, _ = run(capsys, "--db", db, "backup")
    assert code == 0 and "backed up" in out
    (made,) = backup.list_backups(db_path)
    assert str(made) in out

    code, out, _ = run(capsys, "--db", db, "check")
    assert (code, out.strip()) == (0, f"{db}: library is healthy")

    run(capsys, "--db", db, "import", "--no-extract", str(WIKINEWS_DIR))
    code, out, err = run(capsys, "--db", db, "restore", str(made))
    assert code == 0 and err == ""
    assert f"restored {db} from {made}" in out
    (before_restore,) = [p for p in backup.list_backups(db_path) if p != made]
    assert f"the library as it was before is kept in {before_restore}" in out

    code, out, _ = run(capsys, "--db", db, "list")
    assert len(out.splitlines()) == 1 and "TASS" in out
    code, out, _ = run(capsys, "--db", str(before_restore), "list")
    assert len(out.splitlines()) == 13


def test_check_names_the_damage_the_recover_command_and_the_newest_backup(capsys, db, db_path):
    run(capsys, "--db", db, "backup")
    (made,) = backup.list_backups(db_path)
    damage_table(db_path, "articles")

    code, out, err = run(capsys, "--db", db, "check")

    assert code == 1 and "Traceback" not in err
    assert "malformed" in out
    assert f'sqlite3 "{db}" ".recover"' in out
    assert f'briefing restore "{made}"' in out


def test_restore_refuses_a_file_that_is_not_a_library(capsys, db, db_path, tmp_path):
    other = tmp_path / "contacts.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    code, _, err = run(capsys, "--db", db, "restore", str(other))
    assert code == 2
    assert "contacts.db is not a Briefing Reader library" in _one_line(err)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [["list"], ["search", "Sahel"], ["show", "1"], ["export", "--format", "md", "-o", "{out}"]],
    ids=["list", "search", "show", "export"],
)
def test_commands_on_a_damaged_library_say_it_is_damaged_and_how_to_recover(
    capsys, db, db_path, tmp_path, argv
):
    code, _, _ = run(capsys, "--db", db, "notes", "add", "1", "--quote", "Sahel", "--body", "kept")
    assert code == 0
    damage_table(db_path, "articles")
    damage_table(db_path, "article_list")  # what `list` reads (migration 6)
    argv = [a.replace("{out}", str(tmp_path / "out.md")) for a in argv]

    code, out, err = run(capsys, "--db", db, *argv)

    assert code == 2
    line = _one_line(err)
    assert f"the library {db} is damaged" in line
    assert ".recover" in line and str(backup.backups_dir(db_path)) in line
    assert not (tmp_path / "out.md").exists()


def test_a_foreign_sqlite_file_given_as_db_is_refused_and_unchanged(capsys, tmp_path):
    foreign = tmp_path / "contacts.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE contacts (name)")
    conn.execute("INSERT INTO contacts VALUES ('Ada')")
    conn.commit()
    conn.close()
    before = hashlib.sha256(foreign.read_bytes()).hexdigest()

    for command in (["list"], ["import", "--no-extract", str(SEED_ARTICLE)], ["check"], ["backup"]):
        code, _, err = run(capsys, "--db", str(foreign), *command)
        assert code == 2
        assert "not a Briefing Reader library" in _one_line(err)

    assert hashlib.sha256(foreign.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.sqlite"]


def test_db_under_a_folder_that_cannot_be_created(capsys, tmp_path):
    (tmp_path / "plain-file").write_text("x")
    code, _, err = run(capsys, "--db", str(tmp_path / "plain-file" / "lib" / "library.db"), "list")
    assert code == 2
    assert "cannot create the library" in _one_line(err)


def test_main_turns_a_database_fault_from_any_command_into_one_line(capsys, db, monkeypatch):
    from briefing_app.core.store import Library

    def failing_list(self, *args, **kwargs):
        fault = sqlite3.OperationalError("disk I/O error")
        fault.sqlite_errorcode = sqlite3.SQLITE_IOERR_READ
        raise fault

    monkeypatch.setattr(Library, "list_articles", failing_list)
    code, _, err = run(capsys, "--db", db, "list")
    assert code == 2
    assert f"a disk error on {db}" in _one_line(err)


# -- in child processes: a library we may not write, a full disk ---------------------------


@pytest.fixture
def shared(tmp_path):
    yield tmp_path
    for folder in (tmp_path / "lib",):  # pytest must be able to remove it
        if folder.exists():
            folder.chmod(0o755)


def _library_in(folder, home, capsys) -> str:
    folder.mkdir()
    home.mkdir()
    db = str(folder / "library.db")
    code, _, err = run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    assert code == 0, err
    code, _, err = run(capsys, "--db", db, "notes", "add", "1", "--quote", "Sahel")
    assert code == 0, err
    return db


def test_a_read_only_library_file_reads_and_refuses_writes_in_one_line(shared, capsys):
    home = shared / "home"
    db = _library_in(shared / "lib", home, capsys)
    (shared / "lib" / "library.db").chmod(0o444)  # the folder may be written, the file not
    before = hashlib.sha256((shared / "lib" / "library.db").read_bytes()).hexdigest()
    reading = [["list"], ["search", "Sahel"], ["show", "1"], ["export", "--format", "md", "-o", "out.md"]]
    writing = [["import", "--no-extract", str(WIKINEWS_DIR)], ["notes", "add", "1", "--quote", "Mali"]]

    results = run_briefing_commands(
        [["--db", db, *c] for c in reading + writing], home, respect_file_modes=True
    )

    for command, (code, _, err) in zip(reading, results, strict=False):
        assert (code, err) == (0, ""), command
    assert "Sahel" in (home / "out.md").read_text(encoding="utf-8")
    for command, (code, _, err) in zip(writing, results[len(reading) :], strict=True):
        assert code == 2, command
        assert f"the library {db} is read-only" in _one_line(err)
    assert hashlib.sha256((shared / "lib" / "library.db").read_bytes()).hexdigest() == before


def test_a_library_in_a_read_only_folder_is_listed_without_files_beside_it(shared, capsys):
    home = shared / "home"
    db = _library_in(shared / "lib", home, capsys)
    (shared / "lib").chmod(0o555)
    before = sorted(p.name for p in (shared / "lib").iterdir())
    assert before == ["library.db", "originals"]  # the import kept a copy of its file

    ((code, out, err),) = run_briefing_commands([["--db", db, "list"]], home, respect_file_modes=True)

    assert (code, err) == (0, "")
    assert "TASS" in out
    assert sorted(p.name for p in (shared / "lib").iterdir()) == before


def test_a_full_disk_stops_the_import_in_one_line_and_keeps_what_was_imported(shared, capsys):
    home = shared / "home"
    db = _library_in(shared / "lib", home, capsys)
    size = (shared / "lib" / "library.db").stat().st_size
    big = shared / "big"
    big.mkdir()
    for i in range(12):
        words = " ".join(f"w{i}x{j}" for j in range(3000))
        (big / f"{i:02}.txt").write_text(f"Report {i}\n\n{words}\n", encoding="utf-8")

    result = run_briefing(
        "--db", db, "import", "--no-extract", str(big), home=home, file_size_limit=size + 100_000
    )

    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert db in line and "what was saved before is kept" in line
    code, out, _ = run(capsys, "--db", db, "list")
    assert "TASS" in out
    code, out, _ = run(capsys, "--db", db, "check")
    assert (code, out.strip()) == (0, f"{db}: library is healthy")
