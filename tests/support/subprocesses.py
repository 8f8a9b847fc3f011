"""Run code in a child Python under conditions a test cannot set for itself: a file size limit
(writes past it fail with EFBIG, as on a full disk) or an unprivileged user (root may write
anywhere, so a read-only folder only stops another user)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UNPRIVILEGED_ID = 65534  # "nobody"

# Runs in the child before the code under test: the limits, then `python -m MODULE ARGS` or
# `python -c CODE` as asked. Set there rather than with preexec_fn, which forks a threaded parent.
_TRAMPOLINE = f"""
import json, os, resource, runpy, signal, sys
limit, unprivileged, preload, mode, target, args = json.loads(sys.argv[1])
for name in preload:  # imported first: the interpreter may live where "nobody" cannot read
    __import__(name)
if limit is not None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
if unprivileged and os.geteuid() == 0:
    os.setgroups([])
    os.setgid({UNPRIVILEGED_ID})
    os.setuid({UNPRIVILEGED_ID})
sys.argv = [target, *args]
if mode == "module":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    exec(compile(target, "<test>", "exec"), {{"__name__": "__main__"}})
"""


def run_python(
    *,
    module: str | None = None,
    code: str | None = None,
    args: Sequence[str] = (),
    file_size_limit: int | None = None,
    unprivileged: bool = False,
    preload: Sequence[str] = (),
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`python -m MODULE ARGS` or `python -c CODE ARGS` with this checkout importable; with
    file_size_limit, no file grows past that many bytes (SIGXFSZ ignored, so a write past it
    fails with EFBIG instead of killing the process); with unprivileged, as "nobody" when the
    tests run as root (its modules are imported before, with `preload`: the interpreter's own
    files may be readable by root only)."""
    mode, target = ("module", module) if module is not None else ("code", code)
    spec = json.dumps([file_size_limit, unprivileged, list(preload), mode, target, list(args)])
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-c", _TRAMPOLINE, spec],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
