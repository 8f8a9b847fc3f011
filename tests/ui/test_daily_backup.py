"""The window's daily backup: made on the job thread at the day's first start, once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from briefing_app.core import backup
from briefing_app.core.model import ArticleDraft
from briefing_app.ui.app import daily_backup_job
from briefing_app.ui.workers import JobQueue


def _run(qtbot, queue: JobQueue, db_path: Path) -> Path | None:
    job = daily_backup_job(db_path)
    with qtbot.waitSignal(job.finished, timeout=10000) as finished:
        queue.submit(job)
    return finished.args[0]


def test_the_first_start_of_the_day_backs_up_and_later_starts_do_not(qtbot, make_library):
    library = make_library()
    library.add_draft(ArticleDraft("Mali and Niger met in Bamako.", title="Bamako", origin="t"))
    queue = JobQueue()
    try:
        made = _run(qtbot, queue, Path(library.path))
        assert made is not None and made.parent == backup.backups_dir(library.path)
        assert _run(qtbot, queue, Path(library.path)) is None
    finally:
        queue.shutdown()
    assert backup.list_backups(library.path) == [made]
    copy = sqlite3.connect(made)
    assert copy.execute("SELECT title FROM articles").fetchall() == [("Bamako",)]
    copy.close()
