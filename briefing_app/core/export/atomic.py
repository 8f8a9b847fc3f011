"""Write an export so that a failure never leaves half a file behind."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yields a temporary path beside `path`; on success it replaces `path`, else it goes
    and an older file at `path` stays as it was.

    Beside, not in /tmp: os.replace is atomic only within one file system.
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    # Created here, not by mkstemp: a new file takes the mode the umask gives, not 0600.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield partial
        if target.exists():  # a replaced export keeps the permissions it was given
            os.chmod(partial, target.stat().st_mode & 0o7777)
        with open(partial, "rb+") as written:  # on disk before it takes the name
            os.fsync(written.fileno())
        os.replace(partial, target)
        log.info("wrote %s", target)
    except BaseException:
        log.exception("could not write %s", target)
        raise
    finally:
        partial.unlink(missing_ok=True)


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    with atomic_output(path) as partial:
        partial.write_text(text, encoding="utf-8")
