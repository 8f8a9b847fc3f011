"""An inbox folder: files that appear in it are imported once they have stopped growing.

A file is ready when two scans in a row (a second or more apart) find it at the same size and
modification time: a file still being copied or downloaded into the folder changes between
them. A ready file whose SHA-256 the library has already recorded (an earlier run imported
it) is not read again, so the rescan at every start costs a hash per file, not an import.
The window watches with QFileSystemWatcher (ui/inbox.py); `briefing import --watch DIR`
polls (`watch`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from briefing_app.core import provenance
from briefing_app.core.model import ImportReport
from briefing_app.core.store import Library

log = logging.getLogger(__name__)

INBOX_FOLDER_NAME = "Briefing Inbox"
# Seconds between two looks at a folder: a file unchanged across one is ready.
SCAN_INTERVAL = 1.0

_FileState = tuple[int, int]  # size, modification time (ns)


def default_inbox() -> Path:
    return Path.home() / INBOX_FOLDER_NAME


def ensure_folder(folder: Path) -> Path:
    """The inbox, created if it is not there yet (with its parents)."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class InboxScanner:
    """Which files of a folder are ready to import, one scan at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: dict[Path, _FileState] = {}  # as the last scan found them
        self._handled: dict[Path, _FileState] = {}  # imported (or known) in this state

    def scan(self) -> tuple[list[Path], bool]:
        """(the supported files unchanged since the last scan and not handled yet, whether
        any file is still changing, so another scan should follow)."""
        from briefing_app.core.importers import input_files  # the importers load when first needed

        ready: list[Path] = []
        changing = False
        current: dict[Path, _FileState] = {}
        for file in input_files(self.folder) if self.folder.is_dir() else []:
            try:
                status = os.stat(file)
            except OSError:
                continue  # gone again (a temporary file), or unreadable: the import says why
            state = (status.st_size, status.st_mtime_ns)
            current[file] = state
            if self._handled.get(file) == state:
                continue
            if self._seen.get(file) == state:
                ready.append(file)
            else:
                changing = True
        self._seen = current
        return ready, changing

    def handled(self, files: list[Path]) -> None:
        """These files (as the last scan found them) are imported or known: not again."""
        for file in files:
            if file in self._seen:
                self._handled[file] = self._seen[file]


def new_files(library: Library, files: list[Path]) -> list[Path]:
    """The files whose content the library has not recorded yet."""
    fresh = []
    for file in files:
        try:
            known = provenance.is_known_file(library.db.conn, provenance.file_sha256(file))
        except OSError:
            known = False  # the import names what is wrong with it
        if not known:
            fresh.append(file)
    return fresh


def import_files(
    library: Library,
    files: list[Path],
    progress: Callable[[int, int, Path], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import the ready files that are new to the library; the report of what happened."""
    from briefing_app.core.importers import read_paths

    fresh = new_files(library, files)
    if not fresh:
        return ImportReport()
    return library.import_items(read_paths(fresh, on_file=progress), cancelled=cancelled)


def watch(
    folder: Path,
    library: Library,
    on_report: Callable[[ImportReport], None],
    should_stop: Callable[[], bool] = lambda: False,
    interval: float = SCAN_INTERVAL,
    sleep: Callable[[float], None] | None = None,
) -> None:
    """Import what appears in the folder until should_stop() (or KeyboardInterrupt);
    on_report(report) after each import that found anything to do."""
    scanner = InboxScanner(ensure_folder(folder))
    while not should_stop():
        ready, _ = scanner.scan()
        if ready:
            report = import_files(library, ready)
            scanner.handled(ready)
            if report.imported or report.updated or report.duplicates or report.failed:
                on_report(report)
        (sleep or time.sleep)(interval)
