"""One write path for the window: every change it makes to the library is an Op run here.

Anki's CollectionOp is the model. An Op names the change (a function of a Library), what it
is called in a message, and what it changes; `LibraryOps.run` runs it, off the GUI thread on
a worker's own connection when it can take time (one writer at a time, in order), says in
the status bar that it is done, tells the analyst in the window when it failed, and then
emits `changed` so the window refreshes what the change touched.

A busy library (a background import or another program writing) is not a failure: the
window's connection waits only briefly for a lock, then the op is tried again later, and
the status bar says so meanwhile; the window never freezes on a lock. Only when the library
stays busy, or the change itself is refused (a bad name, a read-only or damaged file), is
the analyst told, in the status bar and in a message that does not block the window.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox

from briefing_app.core.datecorrections import DateCorrection, correct_stored
from briefing_app.core.store import Library, LibraryBusy, LibraryError
from briefing_app.core.store import is_busy as store_is_busy
from briefing_app.ui.workers import Job, JobQueue

log = logging.getLogger(__name__)

T = TypeVar("T")

# How long the window's connection (and an op's worker connection) waits for another
# writer's lock before the op is put off: short, so the GUI thread never hangs on a lock.
BUSY_TIMEOUT_MS = 2000
# After each busy failure the op is tried again after the next of these delays; once they
# are used up, the analyst is told it could not be done.
RETRY_DELAYS_MS = (1000, 2000, 4000, 8000)
STATUS_MS = 10000  # how long a message stays in the status bar

# What a change may raise for reasons outside the program (bad input, the file, the disk):
# told as a plain message. Anything else is a bug: told too, with its traceback, and logged.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (LibraryError, ValueError, sqlite3.Error, OSError)


def is_busy(error: BaseException) -> bool:
    """Whether the error, or one it was raised from, says another connection holds the
    library's lock (worth a retry)."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, LibraryBusy) or store_is_busy(cause):
            return True
        cause = cause.__cause__  # a LibraryError raised from a sqlite3 one
    return False


def describe(error: BaseException) -> str:
    """The error as the analyst reads it, in a few words."""
    text = str(error) or type(error).__name__
    if is_busy(error):
        return "the library is busy (another window or program is writing to it); try again in a moment"
    if isinstance(error, sqlite3.Error):
        lowered = text.lower()
        if "readonly" in lowered or "read-only" in lowered:
            return f"the library cannot be written, it is read-only ({text})"
        if "disk is full" in lowered or "disk i/o" in lowered:
            return f"the library could not be written to the disk ({text})"
    return text


def export_failure(exc: BaseException) -> str:
    """Why an export failed, in a line: the reason of a known failure (an ExportError, a
    file system error, the library's), else the error's name (the log has the traceback)."""
    from briefing_app.core.errors import LibraryError
    from briefing_app.core.export.entry import ExportError

    if isinstance(exc, (ExportError, OSError, LibraryError)):
        return describe(exc)
    return f"unexpected error ({type(exc).__name__}: {exc}); the log has the details"


def set_busy_timeout(library: Library, milliseconds: int) -> None:
    """How long this connection waits for another writer's lock before it gives up."""
    library.db.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    library.write_patience_seconds = milliseconds / 1000  # no retrying on top (Library.write)


@dataclass(frozen=True)
class Changes:
    """What an op changed, so the window refreshes just that (Anki's OpChanges)."""

    entities: bool = False  # the registry or stored mentions: entity pane, text marks, filters
    extraction: bool = False  # the open article must be extracted again to show the change
    notes: bool = False  # notes changed outside the notes pane's own edits (an import)
    dates: bool = False  # the open article's stored dates (an analyst's date correction)

    def any(self) -> bool:
        return self.entities or self.extraction or self.notes or self.dates


@dataclass
class Op(Generic[T]):
    """A change to the library, as the window asks for it."""

    change: Callable[[Library], T]  # the write; gets the connection it runs on
    what: str  # completes "Could not …": "rename “Lavrov”"
    done: str = ""  # said in the status bar when it succeeded ("" : nothing)
    changes: Changes = field(default_factory=Changes)
    on_success: Callable[[T], None] | None = None  # on the GUI thread, with what change returned
    on_failure: Callable[[Exception], None] | None = None  # once it is given up, after the message
    # Off the GUI thread, on a worker's own connection (needs a library file; an in-memory
    # library runs everything here). False for quick single-row writes whose result the
    # window needs at once (a new note becomes current and takes the typing).
    background: bool = True


@dataclass
class _Outcome:
    """What a background run hands back to the GUI thread."""

    result: Any = None
    error: Exception | None = None
    details: str = ""  # the traceback, for an unexpected error
    retried: bool = False  # the library was busy at first


class LibraryOps(QObject):
    """Runs the window's Ops: one writer at a time off the GUI thread, the rest here."""

    changed = Signal(object)  # Changes, after an op succeeded

    def __init__(self, library: Library, window: QMainWindow) -> None:
        super().__init__(window)
        self.library = library
        self.window = window
        # Apart from the import and extraction queue: a correction never waits for a long
        # extraction to end, yet the window's own writes still land one at a time, in order.
        self.queue = JobQueue(self)
        self.message: QMessageBox | None = None  # the last failure shown (one box, reused)
        self._under_way = 0  # ops submitted, running or waiting to be retried
        # Ops on the GUI thread put off while the library is busy (attempts made), in order.
        self._held: deque[tuple[Op[Any], int]] = deque()
        self._retry_timer = QTimer(self, singleShot=True)
        self._retry_timer.timeout.connect(self._run_held)
        self.busy_timeout_ms = BUSY_TIMEOUT_MS
        self.set_busy_timeout(BUSY_TIMEOUT_MS)

    def set_busy_timeout(self, milliseconds: int) -> None:
        """For the window's connection and for the workers' connections from now on."""
        self.busy_timeout_ms = milliseconds
        set_busy_timeout(self.library, milliseconds)

    def is_busy(self) -> bool:
        """Whether some op has not landed yet (running, queued or waiting for a retry)."""
        return self._under_way > 0

    # -- running -------------------------------------------------------------------------

    def run(self, op: Op[T]) -> bool | None:
        """Start the op. True: done already; False: it failed and the analyst was told; None:
        under way (in the background, or put off while the library is busy)."""
        self._under_way += 1
        if self._in_background(op):
            self._submit(op)
            return None
        if self._held:  # earlier ones wait for the library: this one lands after them
            self._held.append((op, 0))
            return None
        return self._run_here(op, attempt=0)

    def attempt(self, change: Callable[[Library], object], what: str) -> Exception | None:
        """Run the change once, now, on the window's connection, and hand back what it raised
        (None: it succeeded); nothing is said and nothing retried: for a caller that keeps
        and retries its own unsaved work (the notes' autosave)."""
        try:
            change(self.library)
        except Exception as error:  # the caller keeps the edit and tells the analyst
            self._log_failure(what, error, traceback.format_exc())
            return error
        return None

    def refuse(self, text: str) -> None:
        """Say in the status bar why a change was not even tried (a bad selection or name)."""
        log.info("refused: %s", text)
        self.show_status(text)

    def finish(self) -> None:
        """Before the window closes: the ops put off here are tried once more (no more
        waiting), and the background ones are waited for: a correction the analyst made is
        not dropped for closing."""
        self._retry_timer.stop()
        self._held = deque((op, len(RETRY_DELAYS_MS)) for op, _attempt in self._held)
        self._run_held()
        self.queue.pool.waitForDone()

    def _in_background(self, op: Op[Any]) -> bool:
        return op.background and self.library.path != ":memory:"

    # On the GUI thread: a busy library puts the op off (with the ones after it, in order)
    # and a timer tries again; the window goes on meanwhile.

    def _run_here(self, op: Op[T], attempt: int) -> bool | None:
        try:
            result = op.change(self.library)
        except Exception as error:  # told to the analyst below: a slot must not raise
            if is_busy(error) and attempt < len(RETRY_DELAYS_MS):
                self._tell_busy(op, error)
                self._held.appendleft((op, attempt + 1))
                self._retry_timer.start(RETRY_DELAYS_MS[attempt])
                return None
            self._failed(op, error, traceback.format_exc())
            return False
        self._succeeded(op, result, retried=attempt > 0)
        return True

    def _run_held(self) -> None:
        """The ops put off, in order, until one finds the library busy again."""
        while self._held and not self._retry_timer.isActive():
            op, attempt = self._held.popleft()
            self._run_here(op, attempt)

    # Off the GUI thread: a busy library is waited for on the worker, so the ops queued
    # after this one wait their turn too (one writer, in order).

    def _submit(self, op: Op[T]) -> None:
        busy_timeout_ms = self.busy_timeout_ms
        delays = RETRY_DELAYS_MS

        def work(library: Library, job: Job) -> _Outcome:
            set_busy_timeout(library, busy_timeout_ms)
            attempt = 0
            while True:
                try:
                    return _Outcome(result=op.change(library), retried=attempt > 0)
                except Exception as error:  # handed to the GUI thread, which tells the analyst
                    if not is_busy(error) or attempt >= len(delays):
                        return _Outcome(error=error, details=traceback.format_exc(), retried=attempt > 0)
                    job.progress.emit(attempt + 1, len(delays), str(error))
                    job.wait_cancelled(delays[attempt] / 1000)
                    attempt += 1

        job = Job(self.library.path, work)
        job.progress.connect(lambda _attempt, _attempts, error: self._tell_busy(op, error))
        job.finished.connect(lambda outcome: self._landed(op, outcome))
        # Only when the worker could not even open the library (its error, as raised).
        job.raised.connect(lambda error: self._landed(op, _Outcome(error=error)))
        self.queue.submit(job)

    def _landed(self, op: Op[T], outcome: _Outcome) -> None:
        if outcome.error is None:
            self._succeeded(op, outcome.result, outcome.retried)
        else:
            self._failed(op, outcome.error, outcome.details)

    # -- outcomes ------------------------------------------------------------------------

    def _tell_busy(self, op: Op[Any], error: object) -> None:
        log.info("library busy, retrying: %s (%s)", op.what, error)
        self.show_status(f"Library busy, retrying… ({op.what})", timeout=0)

    def _succeeded(self, op: Op[T], result: T, retried: bool) -> None:
        self._under_way -= 1
        log.info("done: %s", op.what)
        if op.done:
            self.show_status(op.done)
        elif retried:  # "Library busy, retrying…" is over
            self.window.statusBar().clearMessage()
        if op.changes.any():
            self.changed.emit(op.changes)
        if op.on_success is not None:
            op.on_success(result)

    def _failed(self, op: Op[T], error: Exception, details: str) -> None:
        self._under_way -= 1
        self._log_failure(op.what, error, details)
        text = f"Could not {op.what}: {describe(error)}"
        self.show_status(text)
        if isinstance(error, EXPECTED_ERRORS):
            self.show_message(QMessageBox.Icon.Warning, text)
        else:
            self.show_message(QMessageBox.Icon.Critical, text, details)
        if op.on_failure is not None:
            op.on_failure(error)

    @staticmethod
    def _log_failure(what: str, error: BaseException, details: str) -> None:
        if isinstance(error, EXPECTED_ERRORS):
            log.warning("could not %s: %s", what, error)
        else:
            log.error("could not %s (unexpected error)\n%s", what, details or repr(error))

    # -- telling the analyst -------------------------------------------------------------

    def show_status(self, text: str, timeout: int = STATUS_MS) -> None:
        self.window.statusBar().showMessage(text, timeout)

    def show_message(self, icon: QMessageBox.Icon, text: str, details: str = "") -> QMessageBox:
        """A message beside the window that does not block it; one at a time (a second
        failure replaces the first one's text rather than piling up boxes)."""
        if self.message is None:
            self.message = QMessageBox(self.window)
            self.message.setWindowTitle("Briefing Reader")
            self.message.setWindowModality(Qt.WindowModality.NonModal)
            self.message.setStandardButtons(QMessageBox.StandardButton.Close)
        self.message.setIcon(icon)
        self.message.setText(text)
        self.message.setDetailedText(details)
        if self.message.isVisible():
            self.message.raise_()  # behind the window by now, perhaps
        self.message.show()
        return self.message


def install_excepthook(ops: LibraryOps) -> None:
    """Any exception that escapes into Qt (a slot that raised) is logged and shown in the
    window, instead of a traceback on a terminal the analyst never sees."""
    previous = sys.excepthook

    def show_escaped(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, Exception):  # KeyboardInterrupt, SystemExit: not ours
            previous(kind, error, tb)
            return
        log.error("unexpected error", exc_info=(kind, error, tb))
        try:
            details = "".join(traceback.format_exception(kind, error, tb))
            ops.show_message(
                QMessageBox.Icon.Critical,
                f"Something went wrong: {describe(error)}\n\nThe window goes on; the details "
                "below are in the log too.",
                details,
            )
        except Exception:  # the window itself is failing: at least the terminal gets it
            previous(kind, error, tb)

    sys.excepthook = show_escaped


def date_correction_op(article_id: int, correction: DateCorrection) -> Op[bool]:
    """Store the analyst's correction of a date and apply it to the stored extraction."""
    phrase = " ".join(correction.phrase.split())
    return Op(
        lambda library: correct_stored(library, article_id, correction),
        what=f"correct the date “{phrase}”",
        done=f"“{phrase}” is {'not a date' if correction.value is None else correction.value}",
        changes=Changes(dates=True),
    )
