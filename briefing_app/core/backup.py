"""Backups of the library, its health check, and restoring a backup.

A backup is a copy made with SQLite's online backup API, which gives a consistent snapshot
even while the window or an import writes. Backups go to `backups/` beside the library, one
file per backup named after the library and the UTC time (library-20261129T020304Z.db);
the newest KEEP_BACKUPS are kept. They are made before a migration upgrades a library, once a
day when the window opens, and by hand (`briefing backup`).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from briefing_app.core import migrations
from briefing_app.core.export.atomic import atomic_output, sync_folder

BACKUPS_DIRNAME = "backups"
KEEP_BACKUPS = 7
_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# name-STAMP.db, or name-STAMP-N.db for the Nth backup made within the same second.
_BACKUP_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.db$")
# Lines of integrity_check or foreign_key_check output shown before "and N more".
_PROBLEMS_SHOWN = 5


class BackupError(Exception):
    """A backup cannot be made or restored as asked; the message says why."""


class DamagedLibraryCopy(BackupError):
    """The library is damaged: its copy was kept apart from the backups, as `copy`."""

    def __init__(self, message: str, copy: Path) -> None:
        super().__init__(message)
        self.copy = copy


def backups_dir(library_path: str | os.PathLike[str]) -> Path:
    return Path(library_path).parent / BACKUPS_DIRNAME


def _backup_order(path: Path) -> tuple[str, int]:
    match = _BACKUP_NAME.match(path.name)
    assert match is not None
    return match["stamp"], int(match["n"] or 0)


def list_backups(library_path: str | os.PathLike[str]) -> list[Path]:
    """This library's backups, oldest first (other files in the folder are left out)."""
    folder = backups_dir(library_path)
    if not folder.is_dir():
        return []
    stem = Path(library_path).stem
    found = [
        p for p in folder.iterdir() if (m := _BACKUP_NAME.match(p.name)) and m["stem"] == stem and p.is_file()
    ]
    return sorted(found, key=_backup_order)


def newest_backup(library_path: str | os.PathLike[str]) -> Path | None:
    backups = list_backups(library_path)
    return backups[-1] if backups else None


def _backup_time(path: Path) -> datetime:
    return datetime.strptime(_backup_order(path)[0], _STAMP_FORMAT).replace(tzinfo=UTC)


def backup_due(library_path: str | os.PathLike[str], now: datetime | None = None) -> bool:
    """True when no backup of this library was made today (UTC)."""
    newest = newest_backup(library_path)
    today = (now or datetime.now(UTC)).date()
    return newest is None or _backup_time(newest).date() < today


def _new_backup_path(library_path: Path, now: datetime) -> Path:
    folder = backups_dir(library_path)
    base = f"{library_path.stem}-{now.astimezone(UTC).strftime(_STAMP_FORMAT)}"
    candidate = folder / f"{base}.db"
    n = 1
    while candidate.exists():
        candidate = folder / f"{base}-{n}.db"
        n += 1
    return candidate


def back_up(
    conn: sqlite3.Connection,
    library_path: str | os.PathLike[str],
    now: datetime | None = None,
    prune: bool = True,
) -> Path:
    """Copy the open library `conn` into backups/ and (with prune) keep the newest KEEP_BACKUPS.

    The copy is a single file in rollback-journal mode (no -wal beside it), written under a
    temporary name and renamed when complete: a failed backup leaves no half file.
    """
    library_path = Path(library_path)
    target = _new_backup_path(library_path, now or datetime.now(UTC))
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(target) as partial:
        copy = sqlite3.connect(partial)
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            # The backup API copies damaged pages as they are: a damaged copy must not
            # take the place of a good backup in the rotation.
            problem = _first_problem(copy, "quick_check")
        finally:
            copy.close()
    if problem is not None:
        target = target.rename(_damaged_name(target))
        sync_folder(target.parent)  # atomic_output synced the folder for the first name only
        raise DamagedLibraryCopy(
            f"the library {library_path} is damaged ({problem}); the copy was kept apart as "
            f"{target} and the earlier backups were left as they are. {recovery_advice(library_path)}",
            target,
        )
    if prune:
        prune_backups(library_path)
    return target


def _damaged_name(path: Path) -> Path:
    """Outside the rotation: the name does not match _BACKUP_NAME."""
    return path.with_name(f"{path.stem}-damaged.db")


def _first_problem(conn: sqlite3.Connection, check: str) -> str | None:
    try:
        result = conn.execute(f"PRAGMA {check}").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if result == "ok" else str(result)


def back_up_if_due(
    conn: sqlite3.Connection, library_path: str | os.PathLike[str], now: datetime | None = None
) -> Path | None:
    """The daily backup: made when none was made today; returns it, or None."""
    if not backup_due(library_path, now):
        return None
    return back_up(conn, library_path, now)


def prune_backups(library_path: str | os.PathLike[str], keep: int = KEEP_BACKUPS) -> list[Path]:
    """Delete all but the newest `keep` backups of this library; returns those deleted."""
    old = list_backups(library_path)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return old


# -- health ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    integrity_problems: tuple[str, ...]  # empty when integrity_check says "ok"
    foreign_key_problems: tuple[str, ...]  # rows whose referenced row is gone

    @property
    def healthy(self) -> bool:
        return not (self.integrity_problems or self.foreign_key_problems)

    def summary(self) -> list[str]:
        """The problems, a few of each kind, for a person to read."""
        lines = []
        for kind, problems in (
            ("damage", self.integrity_problems),
            ("broken reference", self.foreign_key_problems),
        ):
            lines += [f"{kind}: {p}" for p in problems[:_PROBLEMS_SHOWN]]
            if len(problems) > _PROBLEMS_SHOWN:
                lines.append(f"... and {len(problems) - _PROBLEMS_SHOWN} more of this kind")
        return lines


def check_database(conn: sqlite3.Connection) -> CheckResult:
    """SQLite's own checks: every page and index (integrity_check) and every reference
    between tables (foreign_key_check). Damage too bad to check counts as a problem."""
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        integrity = [str(exc)]
    try:
        foreign_keys = [
            f"{table} row {rowid} refers to a missing row of {parent}"
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
        ]
    except sqlite3.DatabaseError as exc:  # damage: integrity_check says so already
        foreign_keys = []
        if str(exc) not in integrity:
            integrity.append(str(exc))
    return CheckResult(
        integrity_problems=tuple(p for p in integrity if p != "ok"),
        foreign_key_problems=tuple(foreign_keys),
    )


def recovery_advice(library_path: str | os.PathLike[str]) -> str:
    """What to do about a damaged library: SQLite's recovery, or the newest backup."""
    path = Path(library_path)
    recovered = path.with_name(f"{path.stem}-recovered.db")
    advice = (
        f'Recover what can be read with: sqlite3 "{path}" ".recover" | sqlite3 "{recovered}" '
        f'and then: briefing restore "{recovered}"'
    )
    newest = newest_backup(path)
    if newest is not None:
        return f'{advice}; or go back to the newest backup: briefing restore "{newest}"'
    return f"{advice}; there is no backup in {backups_dir(path)} yet"


# -- restore ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    library: Path
    # The library as it was before the restore (None when there was none).
    previous_copy: Path | None


def _read_only_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30)


def _check_restorable(source: Path) -> None:
    """The file must be a library of a schema this version opens, and undamaged."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    try:
        conn = _read_only_connection(source)
    except sqlite3.Error as exc:
        raise BackupError(f"{source} cannot be opened ({exc})") from exc
    try:
        state = migrations.library_state(conn)
        if state == "newer":
            raise BackupError(f"{source} was written by a newer Briefing Reader; update it first")
        if state not in ("library", "old"):
            raise BackupError(f"{source} is not a Briefing Reader library")
        result = check_database(conn)
        if result.integrity_problems:
            raise BackupError(f"{source} is damaged ({result.integrity_problems[0]}); choose another backup")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a usable Briefing Reader library ({exc})") from exc
    finally:
        conn.close()


def _keep_current_library(library: Path) -> Path | None:
    """A backup of the library about to be replaced. A damaged one is kept too: apart from
    the backups, or copied file by file (with its -wal) when SQLite cannot read it at all."""
    if not library.exists() or library.stat().st_size == 0:
        return None
    conn = sqlite3.connect(library, timeout=30)
    try:
        state = migrations.library_state(conn)
        if state in ("foreign", "newer"):
            raise BackupError(
                f"{library} is not a library this version of Briefing Reader may replace; "
                "it was left untouched"
            )
        # Not pruned: the backup being restored may be the oldest one.
        return back_up(conn, library, prune=False)
    except DamagedLibraryCopy as exc:
        return exc.copy
    except sqlite3.DatabaseError:
        target = _damaged_name(_new_backup_path(library, datetime.now(UTC)))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(library, target)
        wal = library.with_name(library.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, target.with_name(target.name + "-wal"))
        return target
    finally:
        conn.close()


def restore(library_path: str | os.PathLike[str], source: str | os.PathLike[str]) -> RestoreResult:
    """Replace the library's content with the backup `source`.

    The backup is checked first (a library we can open, integrity ok), and the current
    library is backed up. The copy goes in through the backup API on a connection to the
    library, which writes it as one write transaction: a window or command that has the
    library open waits for the lock and then reads the restored content, never a mix.
    """
    library = Path(library_path)
    source = Path(source)
    if source.resolve() == library.resolve():
        raise BackupError(f"{source} is the library itself")
    _check_restorable(source)
    previous = _keep_current_library(library)
    library.parent.mkdir(parents=True, exist_ok=True)
    source_conn = _read_only_connection(source)
    target_conn = sqlite3.connect(library, timeout=30)
    try:
        source_conn.backup(target_conn)
    finally:
        target_conn.close()
        source_conn.close()
    return RestoreResult(restored_from=source, library=library, previous_copy=previous)
