"""Running a check as a user that permissions really apply to.

root reads every folder whatever its mode, so under root a folder made unreadable with chmod
is not unreadable. There the check runs in a forked child that has become "nobody"; as
another user it runs in the test's own process. The temporary folder is made outside
pytest's tmp_path, whose parent only its owner may enter.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

NOBODY = 65534


@contextmanager
def shared_temp_folder() -> Iterator[Path]:
    """A temporary folder any user may enter and write to; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="briefing-perm-") as name:
        folder = Path(name)
        folder.chmod(0o777)
        try:
            yield folder
        finally:
            for path in folder.rglob("*"):  # let the clean-up into the locked folders
                if path.is_dir() and not path.is_symlink():
                    path.chmod(0o755)


def run_unprivileged(check: Callable[[], Any]) -> Any:
    """check()'s result (JSON-able), computed by a user that permissions apply to.

    Everything check needs must be imported before: "nobody" may not read the interpreter's
    library under /root.
    """
    if os.geteuid() != 0:
        return check()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which never returns
        status = 0
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            payload = json.dumps({"result": check()})
        except BaseException as exc:  # the parent reports it
            payload = json.dumps({"error": f"{type(exc).__name__}: {exc}"})
            status = 1
        with os.fdopen(write_end, "w", encoding="utf-8") as out:
            out.write(payload)
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as results:
        answer = json.loads(results.read() or '{"error": "the child wrote nothing"}')
    os.waitpid(child, 0)
    if "error" in answer:
        raise AssertionError(f"the unprivileged check failed: {answer['error']}")
    return answer["result"]
