"""`briefing import` on batches with broken inputs: the rest imports, each failure is named.

Exit status (see `briefing import --help`): 0 when anything was imported or was already in
the library, failures or not; 1 when every input failed; 2 for a usage mistake.
"""

from __future__ import annotations

import contextlib
import io
import json
import os

from briefing_app.cli import main
from tests.support.shared_folders import shared_temp_folder
from tests.support.subprocesses import run_python

# What `briefing import` loads, loaded by root before the child becomes "nobody", who may not
# read the interpreter's own files.
IMPORT_MODULES = [
    "briefing_app.cli",
    "briefing_app.core.store",
    "sqlite_utils",  # the store loads it to create a library (core/database.py)
    "briefing_app.core.importers",
    "briefing_app.core.display",
]


def run_as_nobody(*argv: str) -> tuple[int, str, str]:
    result = run_python(module="briefing_app", args=argv, unprivileged=True, preload=IMPORT_MODULES)
    return result.returncode, result.stdout, result.stderr


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def stored_count(db: str) -> int:
    code, out, _ = run("--db", db, "list")
    assert code == 0
    return len(out.splitlines())


def test_100_files_with_3_broken_import_97(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for n in range(97):
        (folder / f"article-{n:03}.txt").write_text(
            f"Dispatch {n}\n\nThe talks of day {n} ended in Bamako.\n", encoding="utf-8"
        )
    broken = {
        folder / "binary.txt": b"\x89PNG\x00\x01",
        folder / "records.json": b'{"text": "unterminated',
        folder / "wide.md": "Wide text.".encode("utf-32"),
    }
    for path, data in broken.items():
        path.write_bytes(data)

    code, out, err = run("--db", str(tmp_path / "lib.db"), "import", "--no-extract", str(folder))

    assert code == 0
    assert "97 imported, 0 duplicates, 3 failed" in out
    assert sorted(err.splitlines()) == [
        f"briefing: skipped {folder / 'binary.txt'}: binary file (NUL byte at offset 4)",
        f"briefing: skipped {folder / 'records.json'}: invalid JSON: Unterminated string starting at (column 10)",
        f"briefing: skipped {folder / 'wide.md'}: UTF-32 text is not supported (save the file as UTF-8)",
    ]
    assert stored_count(str(tmp_path / "lib.db")) == 97


def test_control_characters_of_a_file_name_are_escaped(tmp_path):
    name = "evil\x1b]0;owned\x07\nbriefing: 0 failed.txt"
    (tmp_path / name).write_bytes(b"\x00")
    (tmp_path / "good.txt").write_text("A good article.", encoding="utf-8")
    code, _, err = run("--db", str(tmp_path / "lib.db"), "import", "--no-extract", str(tmp_path))
    assert code == 0
    assert err == (
        f"briefing: skipped {tmp_path}/evil\\x1b]0;owned\\x07\\nbriefing: 0 failed.txt: "
        "binary file (NUL byte at offset 0)\n"
    )


def test_a_file_name_that_is_not_utf8_shows_its_byte(tmp_path):
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"\x00")
    code, _, err = run("--db", str(tmp_path / "lib.db"), "import", "--no-extract", str(tmp_path))
    assert code == 1
    assert err == f"briefing: skipped {tmp_path}/caf\\xe9.txt: binary file (NUL byte at offset 0)\n"


def test_the_summary_escapes_an_updated_title(tmp_path):
    db = str(tmp_path / "lib.db")
    record = {"url": "https://wire.example.org/talks", "title": "Talks\x1b]0;owned\x07 resume"}
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps({**record, "text": "The talks resumed on Monday."}), encoding="utf-8")
    second.write_text(json.dumps({**record, "text": "The talks resumed on Tuesday."}), encoding="utf-8")
    run("--db", db, "import", "--no-extract", str(first))
    code, out, _ = run("--db", db, "import", "--no-extract", str(second))
    assert code == 0
    assert "updated article 1 \u201cTalks\\x1b]0;owned\\x07 resume\u201d: its earlier text is kept" in out
    assert "\x1b" not in out


def test_an_unreadable_folder_on_the_command_line_fails_by_name():
    with shared_temp_folder() as root:
        locked = root / "locked"
        locked.mkdir()
        (locked / "a.txt").write_text("An article nobody may read.", encoding="utf-8")
        locked.chmod(0)
        db = str(root / "lib.db")
        code, out, err = run_as_nobody("--db", db, "import", "--no-extract", str(locked))
    assert code == 1
    assert "0 imported, 0 duplicates, 1 failed" in out
    assert err == f"briefing: skipped {locked}: cannot read folder: Permission denied\n"


def test_an_unreadable_subfolder_is_named_and_the_rest_imports():
    with shared_temp_folder() as root:
        inbox = root / "inbox"
        (inbox / "locked").mkdir(parents=True)
        (inbox / "a.txt").write_text("An article anyone may read.", encoding="utf-8")
        (inbox / "locked" / "b.txt").write_text("An article nobody may read.", encoding="utf-8")
        (inbox / "locked").chmod(0)
        db = str(root / "lib.db")
        code, out, err = run_as_nobody("--db", db, "import", "--no-extract", str(inbox))
    assert code == 0
    assert "1 imported, 0 duplicates, 1 failed" in out
    assert err == f"briefing: skipped {inbox / 'locked'}: cannot read folder: Permission denied\n"


def test_the_exit_status_is_documented(capsys):
    try:
        main(["import", "--help"])
    except SystemExit:
        pass
    help_text = " ".join(capsys.readouterr().out.split())
    assert "0 when anything was imported or already in the library, 1 when every input failed" in help_text


def test_jsonl_with_a_huge_integer_keeps_the_lines_around_it(tmp_path):
    path = tmp_path / "records.jsonl"
    lines = [json.dumps({"text": f"Record {n} of the desk."}) for n in range(5)]
    lines.append('{"text": "Record with a long count.", "count": ' + "7" * 4400 + "}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("--db", str(tmp_path / "lib.db"), "import", "--no-extract", str(path))
    assert (code, err) == (0, "")
    assert "6 imported, 0 duplicates, 0 failed" in out
