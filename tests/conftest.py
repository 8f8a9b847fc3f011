"""Shared fixtures: every test runs offscreen, on temporary libraries, never on the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any Qt import: the tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Redirect the default library, Qt settings, the log and the menu entries so no test
    touches the user's files; a log a test opened is closed after it."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BRIEFING_DB", str(home / "library.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("BRIEFING_LOG_DIR", str(home / "log"))
    yield
    from briefing_app.logs import stop_logging

    stop_logging()


@pytest.fixture
def library():
    from briefing_app.core.store import Library

    lib = Library(":memory:")
    yield lib
    lib.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "library.db"
