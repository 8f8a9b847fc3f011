"""`briefing show ID --provenance` and `briefing import --watch DIR`."""

from __future__ import annotations

import contextlib
import hashlib
import io
import time

from briefing_app.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_show_provenance(tmp_path, db_path):
    path = tmp_path / "talks.txt"
    path.write_bytes("Sangaré et Traoré se sont rencontrés à Bamako mardi.".encode("cp1252"))
    code, out, _ = run("--db", str(db_path), "import", "--no-extract", str(path))
    assert code == 0
    assert f"{path}: read as Windows-1252 (not UTF-8)" in out
    code, out, _ = run("--db", str(db_path), "show", "1", "--provenance")
    assert code == 0
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    lines = out.splitlines()
    assert lines[1:8] == [
        "file: talks.txt",
        f"  imported from: {path}",
        f"  size: {path.stat().st_size:,} bytes",
        f"  sha256: {sha}",
        "  importer: text",
        "  encoding: Windows-1252",
        f"  original kept: {db_path.parent / 'originals' / (sha + '.txt')}",
    ]


def test_import_watch_imports_until_interrupted(tmp_path, db_path, monkeypatch):
    inbox = tmp_path / "inbox"
    rounds = iter(range(100))

    def fake_sleep(_seconds: float) -> None:
        number = next(rounds)
        if number == 0:
            (inbox / "a.txt").write_text("A report about the talks in Niamey arrived.", encoding="utf-8")
        if number == 3:
            raise KeyboardInterrupt  # Ctrl+C

    monkeypatch.setattr(time, "sleep", fake_sleep)
    code, out, err = run("--db", str(db_path), "import", "--no-extract", "--watch", str(inbox))
    assert code == 0
    assert out.splitlines() == ["1 imported, 0 duplicates, 0 failed"]
    assert f"watching {inbox}" in err and "stopped watching" in err


def test_import_needs_paths_or_watch(db_path):
    code, _, err = run("--db", str(db_path), "import")
    assert code != 0
    assert "name the files or folders to import (or --watch DIR)" in err
