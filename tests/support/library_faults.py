"""Faults of a library file, made on purpose: damaged pages, a library we may not write,
a full disk. Shared by the core and the CLI tests of those faults."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def damage_table(db_path: Path, table: str) -> None:
    """Overwrite the root page of `table` with bytes no b-tree page starts with: every read
    of that table then fails with SQLite's "database disk image is malformed"."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with open(db_path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)


# Runs `briefing` commands one after another in one process (one start-up, not one each):
# prints, per command, [exit code, stdout, stderr], the traceback of an escaped exception
# being part of its stderr as it would be on a terminal.
_DRIVER = """
import contextlib, io, json, sys, traceback
from briefing_app.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            traceback.print_exc()
            code = "crashed"
    results.append([code, out.getvalue(), err.getvalue()])
sys.__stdout__.write(json.dumps(results))
"""


def run_briefing_commands(
    commands: list[list[str]], home: Path, respect_file_modes: bool = False
) -> list[tuple[int | str, str, str]]:
    """Each command's (exit code, stdout, stderr), run in one child process (see run_briefing)."""
    result = run_briefing(
        "-c", _DRIVER, json.dumps(commands), home=home, respect_file_modes=respect_file_modes, module=False
    )
    assert result.returncode == 0, result.stderr
    return [tuple(r) for r in json.loads(result.stdout)]


def run_briefing(
    *argv: str,
    home: Path,
    respect_file_modes: bool = False,
    file_size_limit: int | None = None,
    module: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`python -m briefing_app ARGV` in a child process, in `home` (without module:
    `python ARGV`).

    respect_file_modes: root writes read-only files anyway, so a child of root runs without
    that capability (CAP_DAC_OVERRIDE); an ordinary user is refused by the modes already.
    file_size_limit: no file the child writes can grow past that many bytes (a full disk,
    for that process; SQLite sees a failed write).
    """
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }

    def limit_the_child() -> None:
        if respect_file_modes and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "cannot drop CAP_DAC_OVERRIDE")
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, *(("-m", "briefing_app") if module else ()), *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=120,
        preexec_fn=limit_the_child,
    )


# prctl(2) and capability(7) numbers (linux/prctl.h, linux/capability.h).
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
