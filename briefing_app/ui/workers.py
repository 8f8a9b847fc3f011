"""Background jobs: each opens its own Library on the same file (sqlite connections are per
thread) and reports through Qt signals, which arrive on the UI thread.

Jobs run one at a time on their own pool: one writer at a time, as the store expects.
Extraction runs in a child process (`briefing extract --stored`): spaCy in a thread of this
process held the interpreter lock long enough to stall the window by over 100 ms; a child
never does, keeps the model's memory out of the window, and a crash in it loses nothing.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from briefing_app.core.extract.registry import Registry
from briefing_app.core.model import ImportReport
from briefing_app.core.store import Library

# Makes an in-process extractor from the registry read at a job's start: tests pass a fake
# that needs no spaCy. None means the real extraction, in a child process.
ExtractorFactory = Callable[[Registry], Any]

log = logging.getLogger(__name__)


class ReadResults(QObject):
    """Where background reads report; lives on the GUI thread, so its signals arrive there."""

    arrived = Signal(str, int, object)  # what was read, the request's number, the result
    failed = Signal(str, int, str)


class BackgroundRead(QRunnable):
    """One read of the library on a pool thread, over its own connection to the file (WAL
    lets it read while the window or an import writes). Reads run side by side on the
    view's own pool; a view numbers its requests and drops a result for an older one."""

    def __init__(
        self, db_path: str, what: str, number: int, read: Callable[[Library], object], sink: ReadResults
    ) -> None:
        super().__init__()
        self.db_path, self.what, self.number, self.read = db_path, what, number, read
        self.sink = sink  # held here too: the pane may go while this runs

    def run(self) -> None:
        try:
            with Library(self.db_path) as library:
                result = self.read(library)
        except Exception as exc:  # a busy library, a refused query: one line in the pane
            self.sink.failed.emit(self.what, self.number, str(exc))
        else:
            self.sink.arrived.emit(self.what, self.number, result)


class Job(QObject):
    """One unit of background work; `work(library, job)` runs on a pool thread."""

    progress = Signal(int, int, str)  # done, total (0: unknown), what
    finished = Signal(object)  # what work returned
    raised = Signal(object)  # the exception work (or opening the library) raised; then failed
    failed = Signal(str)  # its traceback

    def __init__(self, db_path: str, work: Callable[[Library, Job], object]) -> None:
        super().__init__()
        self.db_path = db_path
        self.work = work
        self._cancel = threading.Event()
        self._cancel_hooks: list[Callable[[], None]] = []

    def cancel(self) -> None:
        self._cancel.set()
        for hook in list(self._cancel_hooks):
            hook()

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """Call hook when the job is cancelled (at once if it already is)."""
        self._cancel_hooks.append(hook)
        if self.is_cancelled():
            hook()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait_cancelled(self, seconds: float) -> bool:
        """Sleep up to `seconds` (a cancel cuts it short); True if the job is cancelled."""
        return self._cancel.wait(seconds)

    def run(self) -> None:
        try:
            with Library(self.db_path) as library:
                result = self.work(library, self)
        except Exception as error:  # reported to the user; the job's thread must not die silently
            log.exception("background job %s failed", self.work.__qualname__)
            self.raised.emit(error)
            self.failed.emit(traceback.format_exc())
        else:
            self.finished.emit(result)


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job

    def run(self) -> None:
        self.job.run()


class JobQueue(QObject):
    """Runs jobs in order on one background thread and keeps them alive until they end."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._jobs: set[Job] = set()

    def submit(self, job: Job) -> Job:
        self._jobs.add(job)
        job.finished.connect(lambda _result: self._forget(job))
        job.failed.connect(lambda _message: self._forget(job))
        self.pool.start(_Runnable(job))
        return job

    def _forget(self, job: Job) -> None:
        # Later, not now: the job's other slots for this same signal may not have run yet.
        QTimer.singleShot(0, lambda: self._jobs.discard(job))

    def is_busy(self) -> bool:
        return bool(self._jobs)

    def shutdown(self) -> None:
        """Cancel what runs, drop what waits, and wait for the running job to stop."""
        self.pool.clear()
        for job in self._jobs:
            job.cancel()
        self.pool.waitForDone()


def run_off_the_window(
    library: Library,
    queue: JobQueue,
    work: Callable[[Library], Any],
    done: Callable[[Any], None],
    failed: Callable[[Exception], None],
) -> bool | None:
    """work(library) as a job on `queue`, over its own connection, then done(result) or
    failed(error) on the window's thread (an export: seconds for a long briefing). A library
    in memory has no file another connection could read: the work runs here. True: done
    here; False: failed here; None: under way."""
    if library.path == ":memory:":
        try:
            result = work(library)
        except Exception as exc:  # told as from the background
            failed(exc)
            return False
        done(result)
        return True
    job = Job(library.path, lambda job_library, _job: work(job_library))
    job.finished.connect(done)
    job.raised.connect(failed)
    queue.submit(job)
    return None


# -- the jobs ---------------------------------------------------------------------------


def import_job(db_path: str, paths: list[Path]) -> Job:
    """Import files and folders; finishes with the ImportReport (partial if cancelled)."""

    def work(library: Library, job: Job) -> ImportReport:
        from briefing_app.core.importers import read_paths

        items = read_paths(paths, on_file=lambda n, total, file: job.progress.emit(n - 1, total, str(file)))
        return library.import_items(items, cancelled=job.is_cancelled)

    return Job(db_path, work)


def _extract_in_child(job: Job, extra_args: list[str]) -> int:
    """Run `briefing extract --stored` on the job's library; returns how many it stored."""
    command = [sys.executable, "-m", "briefing_app", "--db", job.db_path, "extract", "--stored",
               "--progress-lines", *extra_args]  # fmt: skip
    # stderr to a file, not a pipe: a chatty child could fill a pipe nobody reads and hang.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True) as child:
            job.on_cancel(child.terminate)
            stored = 0
            assert child.stdout is not None  # stdout=PIPE
            for line in child.stdout:
                kind, *numbers = line.split()
                if kind == "progress":
                    job.progress.emit(int(numbers[0]), int(numbers[1]), "")
                elif kind == "stored":
                    stored = int(numbers[0])
        if child.returncode != 0 and not job.is_cancelled():
            errors.seek(0)
            raise RuntimeError(f"extraction failed (exit code {child.returncode}):\n{errors.read()[-3000:]}")
    return stored


def extract_pending_job(db_path: str, make_extractor: ExtractorFactory | None = None) -> Job:
    """Extract every article lacking a current extraction; finishes with the number stored."""

    def work(library: Library, job: Job) -> int:
        if make_extractor is None:
            from briefing_app.core.extract.pipeline import Extractor  # no spaCy yet: lazy

            # Most starts have nothing to extract: then no child process (and no model) at all.
            if not library.articles_needing_extraction(Extractor().engine_version):
                return 0
            return _extract_in_child(job, [])
        from briefing_app.core.extract.runner import extract_pending

        return extract_pending(
            library,
            make_extractor(library.registry()),
            progress=lambda done, total: job.progress.emit(done, total, ""),
            cancelled=job.is_cancelled,
        )

    return Job(db_path, work)


def reextract_job(
    db_path: str, article_ids: list[int], make_extractor: ExtractorFactory | None = None
) -> Job:
    """Extract these articles again with the registry as it is when the job starts; finishes
    with the ids stored."""

    def work(library: Library, job: Job) -> list[int]:
        if make_extractor is None:
            args = [arg for article_id in article_ids for arg in ("--article", str(article_id))]
            return list(article_ids) if _extract_in_child(job, args) else []
        from briefing_app.core.extract.runner import extract_articles

        return extract_articles(library, article_ids, make_extractor(library.registry()), job.is_cancelled)

    return Job(db_path, work)
