"""The `briefing` command: import, list, search, show, and exit codes for user mistakes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from briefing_app.cli import main
from briefing_app.core.store import Library
from tests.support.datafiles import SEED_ARTICLE, WIKINEWS_DIR


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(db_path):
    return str(db_path)


def test_import_folder_then_search_then_reimport_adds_nothing(capsys, db):
    code, out, err = run(capsys, "--db", db, "import", "--no-extract", str(WIKINEWS_DIR))
    assert code == 0
    assert "12 imported, 0 duplicates, 0 failed" in out

    code, out, _ = run(capsys, "--db", db, "search", "Airbus")
    assert code == 0
    titles = out.splitlines()[::2]
    assert any("Airbus wins Qatar Airways order" in t for t in titles)
    assert any("First Airbus A380 delivered" in t for t in titles)
    assert not any("Apple unveils iPhone 4" in t for t in titles)
    assert "[Airbus]" in out

    code, out, _ = run(capsys, "--db", db, "import", "--no-extract", str(WIKINEWS_DIR))
    assert code == 0
    assert "0 imported, 12 duplicates" in out
    assert "nothing new" in out


def test_list_and_show(capsys, db):
    run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    code, out, _ = run(capsys, "--db", db, "list")
    assert code == 0
    article_id = int(out.split()[0])
    assert "TASS" in out
    code, out, _ = run(capsys, "--db", db, "show", str(article_id))
    assert code == 0
    assert "Alliance of Sahel States (ASE)" in out


def test_broken_files_are_named_and_the_rest_imports(capsys, db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Mali and Niger met in Bamako.\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02garbage\x00")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "import", "--no-extract", str(folder))
    assert code == 0
    assert "1 imported, 0 duplicates, 2 failed" in out
    assert "binary.txt" in err and "empty.txt" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["show", "999"], "no article with id 999"),
        (["extract", "/no/such/file.txt"], "cannot read"),
    ],
)
def test_user_mistakes_exit_2_with_a_message_and_no_traceback(capsys, db, argv, message):
    code, out, err = run(capsys, "--db", db, *argv)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_import_of_only_missing_paths_fails(capsys, db):
    code, out, err = run(capsys, "--db", db, "import", "--no-extract", "/no/such/dir")
    assert code == 1
    assert "/no/such/dir" in err


def test_search_without_hits_says_so(capsys, db):
    run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    code, _, err = run(capsys, "--db", db, "search", "zeppelin")
    assert code == 0 and "no article matches" in err


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("U.S.", False),  # not in the seed article: an answer, not an error
        ("Lavrov's", True),
        ("Lavrov\u2019s", True),
        ("A380-800", False),
        ('"unclosed', False),
        ("AND", True),
        ("NOT", False),  # the word "not" is not in the seed article
        ("-", False),
        ("'", False),
        ("Lavrov AND Russia", True),
        ('"Sergey Lavrov"', True),
        ("Lavr*", True),
        ("L*", False),  # refused: a one-letter prefix has no index (one line says so)
    ],
)
def test_whatever_is_typed_searches(capsys, db, query, finds):
    run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    code, out, err = run(capsys, "--db", db, "search", query)
    assert code == 0
    assert bool(out) is finds
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == (0 if finds else 1)


def test_newer_library_is_refused_with_exit_2(capsys, db_path):
    import sqlite3

    from briefing_app.core.migrations import APPLICATION_ID

    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # a library, from the future
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    code, _, err = run(capsys, "--db", str(db_path), "list")
    assert code == 2 and "newer Briefing Reader" in err


def test_briefing_db_environment_variable_chooses_the_library(capsys, db_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DB", str(db_path))
    run(capsys, "import", "--no-extract", str(SEED_ARTICLE))
    assert db_path.exists()


def test_python_dash_m_runs_the_same_command(db):
    result = subprocess.run(
        [sys.executable, "-m", "briefing_app", "--db", db, "list"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == ""


def test_notes_add_list_search_and_export(capsys, db, tmp_path):
    run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "notes",
        "add",
        "1",
        "--quote",
        "withdrew from the Economic Community",
        "--body",
        "Exit from **ECOWAS**",
        "--tag",
        "ecowas",
        "--color",
        "blue",
    )
    assert code == 0 and len(out.strip()) == 36  # the new note's uuid

    code, out, _ = run(capsys, "--db", db, "notes", "list", "1")
    assert "withdrew from the Economic Community" in out and "#ecowas" in out
    code, out, _ = run(capsys, "--db", db, "notes", "search", "ecowas")
    assert code == 0 and "Exit from" in out

    md = tmp_path / "briefing.md"
    assert run(capsys, "--db", db, "export", "--format", "md", "--tag", "ecowas", "-o", str(md))[0] == 0
    assert "> withdrew from the Economic Community" in md.read_text(encoding="utf-8")

    w3c = tmp_path / "notes.json"
    assert run(capsys, "--db", db, "export", "--format", "w3c", "-o", str(w3c))[0] == 0
    collection = json.loads(w3c.read_text(encoding="utf-8"))
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 1
    code, out, _ = run(capsys, "--db", db, "notes", "import", str(w3c))
    assert code == 0 and "0 imported" in out and "1 unchanged" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["notes", "add", "1", "--quote", "not in the article", "--body", "x"],
            "the quote is not in article 1",
        ),
        (["notes", "add", "7", "--quote", "Mali", "--body", "x"], "no article with id 7"),
        (["notes", "add", "1", "--quote", "Mali", "--color", "ultraviolet"], "unknown note colour"),
        (["export", "--format", "md", "--article", "7", "-o", "out.md"], "no article with id 7"),
        (["export", "--format", "md", "-o", "/no/such/folder/out.md"], "no folder"),
    ],
)
def test_note_mistakes_exit_2_with_a_message(capsys, db, argv, message, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    code, _, err = run(capsys, "--db", db, *argv)
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "out.md").exists()


def test_notes_import_of_something_that_is_not_annotations_exits_2(capsys, db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('"just a string"', encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "notes", "import", str(bad))
    assert code == 2 and "not W3C annotations" in err and "Traceback" not in err


def test_export_never_writes_over_the_library_nor_exports_nothing(capsys, db, tmp_path):
    run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    run(capsys, "--db", db, "notes", "add", "1", "--quote", "withdrew from the Economic Community")
    library_files = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("library.db")}
    for target in (db, db + "-wal", db + "-shm"):
        code, out, err = run(capsys, "--db", db, "export", "--format", "md", "-o", target)
        assert (code, out, err) == (2, "", f"briefing: cannot write {target}: it is the library database\n")
    assert {
        p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("library.db")
    } == library_files
    out_file = tmp_path / "briefing.md"
    code, _, err = run(capsys, "--db", db, "export", "--format", "md", "--tag", "x", "-o", str(out_file))
    assert (code, err) == (2, "briefing: no notes match tag 'x'\n")
    assert not out_file.exists()
    code, out, _ = run(capsys, "--db", db, "export", "--format", "md", "-o", str(out_file))
    assert (code, out) == (0, f"wrote {out_file}: 1 note on 1 article\n")


def test_a_very_common_word_says_its_hits_are_the_newest_imported(capsys, db, monkeypatch):
    from briefing_app.core import store

    monkeypatch.setattr(store, "RANKED_CANDIDATES", 1)
    run(capsys, "--db", db, "import", "--no-extract", str(WIKINEWS_DIR))
    code, out, err = run(capsys, "--db", db, "search", "the", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 4  # two hits: a title line and a snippet line each
    with Library(db) as library:
        newest = library.list_articles(order="imported", limit=2)
    assert [int(line.split()[0]) for line in out.splitlines()[::2]] == [a.id for a in newest]
    assert "is in over 1 articles: the most recently imported are shown, newest first" in err
