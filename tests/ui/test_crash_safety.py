"""What the analyst types into a note survives the app being killed a second later.

The real app runs in a subprocess (tests/support/type_into_note.py opens the window as
`briefing` does and types into a note, reporting each keystroke); one second after the last,
it gets SIGKILL: no close event, no flush, only what the autosave already committed.
The default run kills it 3 times; `pytest -m slow` 20 times.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from briefing_app.core.model import ArticleDraft
from briefing_app.core.notes import NoteStore
from briefing_app.core.store import Library
from tests.support.datafiles import REPO

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

DEFAULT_RUNS = 3
SLOW_RUNS = 20
MAX_WAIT_FOR_TYPING_S = 30  # a run that does not finish typing by then has hung


def run_and_kill(db_path, text: str, stderr_path) -> None:
    """Type `text` in the app and kill it one second after the last keystroke."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with open(stderr_path, "w") as stderr:
        app = subprocess.Popen(
            [sys.executable, "-m", "tests.support.type_into_note", str(db_path), text],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            cwd=REPO,
            text=True,
        )
    watchdog = threading.Timer(MAX_WAIT_FOR_TYPING_S, app.kill)
    watchdog.start()
    last_key = None
    typed = 0
    try:
        for line in app.stdout:
            word, *fields = line.split()
            if word == "typed":
                typed, last_key = int(fields[0]), float(fields[1])
            elif word == "done":
                break
        else:
            pytest.fail(f"the app ended before typing everything: {stderr_path.read_text()}")
        assert typed == len(text)
        # Both clocks are CLOCK_MONOTONIC, one per machine.
        time.sleep(max(0.0, last_key + 1.0 - time.monotonic()))
        app.send_signal(signal.SIGKILL)
    finally:
        watchdog.cancel()
        app.wait()
        app.stdout.close()
    assert app.returncode == -signal.SIGKILL


def type_and_kill_repeatedly(tmp_path, runs: int) -> None:
    db_path = tmp_path / "library.db"
    with Library(db_path) as library:
        article_id = library.add_draft(
            ArticleDraft("Sahel talks\nMali and Niger met in Moscow.", title="Sahel talks", origin="t")
        ).article_id
    expected = ""
    for run in range(runs):
        # The first run makes a note on the article; each later one types at the end of it.
        text = f"run {run}: Sangaré *met* Lavrov. "
        run_and_kill(db_path, text, tmp_path / f"stderr-{run}.txt")
        expected += text
        with Library(db_path) as library:
            assert [note.body for note in NoteStore(library).for_article(article_id)] == [expected]
            assert library.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_notes_typed_survive_sigkill_one_second_later(tmp_path):
    type_and_kill_repeatedly(tmp_path, DEFAULT_RUNS)


@pytest.mark.slow
def test_notes_typed_survive_sigkill_one_second_later_many_times(tmp_path):
    type_and_kill_repeatedly(tmp_path, SLOW_RUNS)
