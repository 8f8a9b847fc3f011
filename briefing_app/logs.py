"""The log: a rotating file in the user's log directory, and stderr too with `--verbose`.

Modules log through `logging.getLogger(__name__)`: imports, extraction, saves, exports and
their failures at INFO and above, so that a failure on an analyst's machine leaves a trace.
`briefing` (cli.main) sets this up once per process; the window's extraction child is a
`briefing` process too and writes to the same file.
"""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from briefing_app.core.paths import APP_NAME

# Set to a folder, the log goes there (the tests point it into their temporary home).
LOG_DIR_ENV = "BRIEFING_LOG_DIR"
LOG_FILE_NAME = "briefing.log"
MAX_LOG_BYTES = 1_000_000
KEPT_OLD_LOGS = 3  # briefing.log.1 .. .3: a few weeks of an analyst's mornings
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
STDERR_FORMAT = "%(levelname)s %(name)s: %(message)s"
PACKAGE_LOGGER = "briefing_app"

_installed: list[logging.Handler] = []


class _QuietRotatingFileHandler(RotatingFileHandler):
    """A log that cannot be written (disk full, folder gone) must not disturb the work, nor
    print logging's own traceback at the user."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def log_dir() -> Path:
    """$BRIEFING_LOG_DIR, else the platform's log folder (~/.local/state/briefing-reader/log)."""
    configured = os.environ.get(LOG_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def setup_logging(verbose: bool = False) -> Path | None:
    """Send the package's log records to the log file (INFO and above) and, when verbose, to
    stderr (DEBUG and above). Returns the log file, or None when it cannot be written: no
    reason to stop, nor to add a line to every command's output (with --verbose, one line
    says so). Calling it again replaces the handlers it installed before."""
    stop_logging()
    logger = logging.getLogger(PACKAGE_LOGGER)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    if verbose:
        to_stderr = logging.StreamHandler(sys.stderr)
        to_stderr.setFormatter(logging.Formatter(STDERR_FORMAT))
        _install(logger, to_stderr)
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        to_file = _QuietRotatingFileHandler(
            path,
            maxBytes=MAX_LOG_BYTES,
            backupCount=KEPT_OLD_LOGS,
            encoding="utf-8",
            errors="backslashreplace",  # a file name that is not UTF-8 is still logged
        )
    except OSError as exc:
        if verbose:
            print(f"briefing: no log is kept: cannot write {path} ({exc.strerror or exc})", file=sys.stderr)
        # Somewhere for the records to go, or logging's last resort prints them (tracebacks
        # included) on stderr.
        _install(logger, logging.NullHandler())
        return None
    to_file.setLevel(logging.INFO)
    to_file.setFormatter(logging.Formatter(FILE_FORMAT))
    _install(logger, to_file)
    return path


def _install(logger: logging.Logger, handler: logging.Handler) -> None:
    logger.addHandler(handler)
    _installed.append(handler)


def stop_logging() -> None:
    """Close and remove the handlers setup_logging installed (the file is let go of)."""
    logger = logging.getLogger(PACKAGE_LOGGER)
    while _installed:
        handler = _installed.pop()
        logger.removeHandler(handler)
        handler.close()
