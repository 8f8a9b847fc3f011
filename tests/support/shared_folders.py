"""A temporary folder another user can reach, for tests that run code as "nobody"
(tests/support/subprocesses.py): pytest's own tmp_path lies in a folder only its owner may
enter."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def shared_temp_folder() -> Iterator[Path]:
    """A temporary folder any user may enter and write to; removed afterwards, with the
    folders a test locked in it."""
    with tempfile.TemporaryDirectory(prefix="briefing-shared-") as name:
        folder = Path(name)
        folder.chmod(0o777)
        try:
            yield folder
        finally:
            for path in folder.rglob("*"):
                if path.is_dir() and not path.is_symlink():
                    path.chmod(0o755)
