"""The log: imports, extraction, saves and exports leave a trace in the user's log folder;
`--verbose` shows it on stderr; a log that cannot be written stops nothing."""

from __future__ import annotations

import os

from briefing_app.cli import main
from briefing_app.logs import LOG_DIR_ENV, log_dir, log_file
from tests.support.datafiles import SEED_ARTICLE


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_log_folder_is_the_platform_one_unless_redirected(monkeypatch, tmp_path):
    monkeypatch.delenv(LOG_DIR_ENV)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    if os.name == "posix" and not os.uname().sysname == "Darwin":
        assert log_dir() == tmp_path / "state" / "briefing-reader" / "log"
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "elsewhere"))
    assert log_file() == tmp_path / "elsewhere" / "briefing.log"


def test_an_import_and_its_skipped_file_are_logged(capsys, tmp_path):
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04")
    db = str(tmp_path / "library.db")
    code, _, err = run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE), str(bad))
    assert code == 0
    assert err.count("\n") == 1 and "notes.docx" in err  # the user's one line, no log noise
    log = log_file().read_text(encoding="utf-8")
    assert "INFO briefing_app.cli: briefing" in log and ": import" in log
    assert "import: 1 imported, 0 duplicates, 1 failed" in log
    assert f"WARNING briefing_app.core.store: import skipped {bad}" in log


def test_exports_are_logged_with_their_file(capsys, tmp_path):
    db = str(tmp_path / "library.db")
    run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    run(capsys, "--db", db, "notes", "add", "1", "--quote", "Lavrov", "--body", "who")
    out = tmp_path / "notes.md"
    assert run(capsys, "--db", db, "export", "--format", "md", "-o", str(out))[0] == 0
    assert f"wrote {out}" in log_file().read_text(encoding="utf-8")


def test_a_failed_export_is_logged_and_the_old_file_kept(capsys, tmp_path, monkeypatch):
    db = str(tmp_path / "library.db")
    run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    run(capsys, "--db", db, "notes", "add", "1", "--quote", "Lavrov", "--body", "who")
    out = tmp_path / "notes.md"
    out.write_text("older export", encoding="utf-8")

    def no_space_left(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as disk:
        disk.setattr("pathlib.Path.write_text", no_space_left)
        code, _, err = run(capsys, "--db", db, "export", "--format", "md", "-o", str(out))
    assert code == 2 and "No space left on device" in err
    assert out.read_text(encoding="utf-8") == "older export"
    log = log_file().read_text(encoding="utf-8")
    assert f"ERROR briefing_app.core.export.atomic: could not write {out}" in log
    assert "OSError: [Errno 28] No space left on device" in log  # the traceback is in the log


def test_verbose_also_logs_on_stderr_before_or_after_the_command(capsys, tmp_path):
    db = str(tmp_path / "library.db")
    for argv in (
        ("--verbose", "--db", db, "import", "--no-extract", str(SEED_ARTICLE)),
        ("--db", db, "import", "--no-extract", "-v", str(SEED_ARTICLE)),
    ):
        code, _, err = run(capsys, *argv)
        assert code == 0
        assert "INFO briefing_app.core.store: import:" in err
    code, _, err = run(capsys, "--db", db, "list")
    assert code == 0 and err == ""


def test_an_unwritable_log_folder_stops_nothing_and_verbose_says_so(capsys, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv(LOG_DIR_ENV, str(not_a_folder / "log"))
    db = str(tmp_path / "library.db")
    code, out, err = run(capsys, "--db", db, "import", "--no-extract", str(SEED_ARTICLE))
    assert (code, err) == (0, "")  # the command's own output, nothing about the log
    assert "1 imported" in out
    code, _, err = run(capsys, "--db", db, "list", "--verbose")
    assert code == 0
    assert err.startswith("briefing: no log is kept: cannot write")
    assert err.count("briefing: no log is kept") == 1
