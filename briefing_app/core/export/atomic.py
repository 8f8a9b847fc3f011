"""Write an export so that a failure never leaves half a file behind, and never onto something
that is not an export's to replace (the library itself, a folder, a FIFO or a device)."""

from __future__ import annotations

import logging
import os
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

log = logging.getLogger(__name__)

# Files SQLite keeps beside a library database; writing over any of them damages the library.
_DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


class ExportError(Exception):
    """An export that cannot or must not be written: one line saying why, naming the file."""


def checked_output_path(path: str | os.PathLike[str], library_path: str | None = None) -> Path:
    """The file an export to `path` will replace, or ExportError saying why it must not.

    A symbolic link is written through: the file it points to is replaced and the link stays.
    """
    name = os.fspath(path)
    if not name.strip():
        raise ExportError("no output file given")
    real = Path(os.path.realpath(name))
    if name.endswith(os.sep) or real.is_dir():
        raise ExportError(f"cannot write {name}: it is a folder")
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ExportError(f"cannot write {name}: {exc.strerror}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise ExportError(f"cannot write {name}: it is {_file_kind(mode)}, not a regular file")
    if _is_library_file(real, library_path):
        raise ExportError(f"cannot write {name}: it is the library database")
    if not real.parent.is_dir():
        raise ExportError(f"cannot write {name}: no folder {real.parent}")
    return real


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _is_library_file(real: Path, library_path: str | None) -> bool:
    if not library_path or library_path == ":memory:":
        return False
    database = os.path.realpath(library_path)
    for suffix in _DATABASE_SUFFIXES:
        if str(real) == database + suffix:
            return True
        # The same file under another name (a hard link) is the library too.
        with suppress(OSError):
            if real.exists() and os.path.samefile(real, database + suffix):
                return True
    return False


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yields a temporary path beside `path`; on success it replaces `path`, else it goes
    and an older file at `path` stays as it was.

    Beside, not in /tmp: os.replace is atomic only within one file system. A symbolic link at
    `path` is written through (see checked_output_path).
    """
    target = Path(os.path.realpath(path))
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        # Created here, not by mkstemp: a new file takes the mode the umask gives, not 0600.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        # Still an OSError: backups and the desktop entry write through here too, and each
        # caller says what failed in its own words (write_export: "cannot write PATH: ...").
        raise OSError(exc.errno, f"cannot create a file in {target.parent} ({exc.strerror})") from None
    try:
        yield partial
        if target.exists():  # a replaced export keeps the permissions it was given
            os.chmod(partial, target.stat().st_mode & 0o7777)
        with open(partial, "rb+") as written:  # on disk before it takes the name
            os.fsync(written.fileno())
        os.replace(partial, target)
        sync_folder(target.parent)
        log.info("wrote %s", target)
    except BaseException:
        log.exception("could not write %s", target)
        raise
    finally:
        partial.unlink(missing_ok=True)


def sync_folder(folder: Path) -> None:
    """The new name on disk too, so a crash right after an export cannot lose the file."""
    with suppress(OSError):  # not every file system lets a folder be opened or synced
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    with atomic_output(path) as partial:
        partial.write_text(text, encoding="utf-8")
