"""Several `briefing` processes on one library at once: writers wait their turn, nothing is lost.

The real command line, in subprocesses, all started together on one library file: an import
with extraction, an RSS import (a refresh: mostly stories the library has, a few new ones), the
window's extraction child (`briefing extract --stored`) and loops of `briefing notes add`.
Before writers took the write lock at the start of their transactions, this lost feed entries
("skipped ...: database is locked") and notes (`notes add` died with a traceback).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.datafiles import REPO, SEED_ARTICLE, WIKINEWS_DIR

NOTE_QUOTE = "Sergey Lavrov"


@dataclass
class Finished:
    name: str
    returncode: int
    stdout: str
    stderr: str


class Briefing:
    """One `briefing` process; its output goes to files, so that a process that writes a lot
    never blocks on a full pipe while the test is busy starting others."""

    def __init__(self, name: str, db: Path, *argv: str) -> None:
        self.name = name
        self.out_dir = db.parent / "output"
        self.out_dir.mkdir(exist_ok=True)
        self.stdout_path = self.out_dir / f"{len(list(self.out_dir.iterdir()))}.out"
        self.stderr_path = self.stdout_path.with_suffix(".err")
        env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
        with self.stdout_path.open("w") as stdout, self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "briefing_app", "--db", str(db), *argv],
                cwd=REPO,
                env=env,
                stdout=stdout,
                stderr=stderr,
                text=True,
            )

    def running(self) -> bool:
        return self.process.poll() is None

    def finish(self) -> Finished:
        returncode = self.process.wait(timeout=900)
        return Finished(
            self.name,
            returncode,
            self.stdout_path.read_text(encoding="utf-8"),
            self.stderr_path.read_text(encoding="utf-8"),
        )


def feed_item(label: str) -> tuple[str, str]:
    """A wire story's title and RSS item; the text is long enough for the import to take a
    while over each one, as a real story does."""
    title = f"Sahel wire {label}"
    paragraphs = "".join(
        f"&lt;p&gt;Paragraph {p} of story {label}: the ministers of Mali, Niger and Burkina Faso "
        f"met again in Bamako for another round of talks on security and trade, officials said, "
        f"and agreed to meet again next month.&lt;/p&gt;"
        for p in range(12)
    )
    link = f"https://wire.example.org/{label}"
    return (
        title,
        f"<item><title>{title}</title><link>{link}</link><description>{paragraphs}</description></item>",
    )


def write_feed(path: Path, items: list[str]) -> None:
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Sahel wire</title><link>https://wire.example.org/</link>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n",
        encoding="utf-8",
    )


def write_feeds(folder: Path, n_feeds: int, n_known: int, n_new: int) -> tuple[Path, list[str]]:
    """A feed as stored before (its n_known stories), and n_feeds refreshes of it, each with
    those stories again and n_new new ones: the import checks many stories it already has
    (reading) before each one it stores (writing), as a feed refresh does.

    Returns the feed stored before and the titles of the new stories."""
    folder.mkdir()
    known = [feed_item(f"known-{n}")[1] for n in range(n_known)]
    write_feed(folder.parent / "stored-before.rss", known)
    new_titles = []
    for feed in range(n_feeds):
        new = [feed_item(f"{feed}-{n}") for n in range(n_new)]
        new_titles += [title for title, _ in new]
        write_feed(folder / f"wire-{feed}.rss", known + [item for _, item in new])
    return folder.parent / "stored-before.rss", new_titles


def write_articles(folder: Path, copies: int) -> int:
    """The sample Wikinews articles, `copies` times over with distinct texts; returns how many."""
    folder.mkdir()
    count = 0
    for copy in range(copies):
        for source in sorted(WIKINEWS_DIR.glob("*.txt")):
            text = source.read_text(encoding="utf-8")
            if copy:  # another title and url: another article, not an edit of the first
                text = text.replace("\n", f" (copy {copy})\n", 1).replace("/wiki/", f"/wiki/{copy}/")
            (folder / f"{copy}-{source.name}").write_text(text, encoding="utf-8")
            count += 1
    return count


def run_everything_at_once(
    tmp_path: Path, copies: int, n_feeds: int, n_known: int, n_new: int, n_notes_loops: int, min_notes: int
) -> None:
    from briefing_app.core.extract.pipeline import Extractor
    from briefing_app.core.importers import read_paths
    from briefing_app.core.store import Library

    db = tmp_path / "library.db"
    stored_feed, new_titles = write_feeds(tmp_path / "feeds", n_feeds, n_known, n_new)
    with Library(db) as library:  # the library exists before the processes meet in it
        report = library.import_items(read_paths([SEED_ARTICLE]))
        (seed_id,) = report.imported
        known = library.import_items(read_paths([stored_feed])).imported
        assert len(known) == n_known
        # Extracted back then: the extractors below have the new articles to do, not these.
        library.db.execute("UPDATE articles SET extracted_with = ?", [Extractor().engine_version])
    n_articles = write_articles(tmp_path / "articles", copies)

    others = [
        Briefing("import with extraction", db, "import", str(tmp_path / "articles")),
        Briefing("feed import", db, "import", "--no-extract", str(tmp_path / "feeds")),
        Briefing("extraction child", db, "extract", "--stored", "--progress-lines"),
    ]
    # Loops of `notes add`, each one process after another, for as long as the others run.
    notes_bodies: list[str] = []
    notes_loops: list[Briefing | None] = [None] * n_notes_loops
    finished: list[Finished] = []
    while True:
        others_running = any(other.running() for other in others)
        for loop, add in enumerate(notes_loops):
            if add is not None and add.running():
                continue
            if add is not None:
                finished.append(add.finish())
                notes_loops[loop] = None
            if others_running or len(notes_bodies) < min_notes:
                body = f"note {len(notes_bodies)}"
                notes_bodies.append(body)
                notes_loops[loop] = Briefing(
                    f"notes add ({body})",
                    db,
                    "notes",
                    "add",
                    str(seed_id),
                    "--quote",
                    NOTE_QUOTE,
                    "--body",
                    body,
                )
        if not others_running and all(add is None for add in notes_loops):
            break
        time.sleep(0.05)  # polling the processes, not a measurement
    finished += [other.finish() for other in others]

    failures = [
        f"{run.name} exited {run.returncode}:\n{run.stderr}"
        for run in finished
        if run.returncode != 0
        or "Traceback" in run.stderr
        or "skipped" in run.stderr
        or "locked" in run.stderr
    ]
    assert failures == []

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored_titles = {row[0] for row in conn.execute("SELECT title FROM articles")}
        assert [title for title in new_titles if title not in stored_titles] == []
        n_stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert n_stored == 1 + n_known + n_articles + len(new_titles)
        bodies = [row[0] for row in conn.execute("SELECT body FROM notes WHERE article_id = ?", [seed_id])]
        assert sorted(bodies) == sorted(notes_bodies)
        # Whichever process extracted an article, its extraction was stored.
        unextracted = conn.execute(
            "SELECT count(*) FROM articles WHERE extracted_with IS NULL AND title NOT LIKE 'Sahel wire%'"
        ).fetchone()[0]
        assert unextracted == 0
    finally:
        conn.close()


def test_imports_extraction_and_notes_at_once_lose_nothing(tmp_path):
    run_everything_at_once(tmp_path, copies=1, n_feeds=6, n_known=150, n_new=3, n_notes_loops=3, min_notes=6)


@pytest.mark.slow
def test_long_concurrent_run_loses_nothing(tmp_path):
    run_everything_at_once(
        tmp_path, copies=3, n_feeds=20, n_known=200, n_new=5, n_notes_loops=3, min_notes=40
    )


def test_helpers_write_what_they_say(tmp_path):
    """The fixtures above build distinct articles: a lost one cannot hide behind a duplicate."""
    stored_feed, new_titles = write_feeds(tmp_path / "f", 2, 3, 4)
    assert stored_feed.is_file() and len(set(new_titles)) == 2 * 4
    count = write_articles(tmp_path / "a", 2)
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "a").iterdir()]
    assert count == 2 * len(list(WIKINEWS_DIR.glob("*.txt")))
    assert len({text.splitlines()[0] for text in texts}) == count  # titles
    assert len({text.splitlines()[-1] for text in texts}) == count  # source lines with the url
