"""Where the project's shipped files and the user's library live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

REPO_ROOT = Path(__file__).resolve().parents[2]
RESOURCES_DIR = REPO_ROOT / "resources"
SAMPLE_DATA_DIR = REPO_ROOT / "data"
# Folders of sample articles (data/ also holds SOURCES.md, which is not an article).
SAMPLE_ARTICLE_DIRS = (SAMPLE_DATA_DIR / "seed", SAMPLE_DATA_DIR / "wikinews")

APP_NAME = "briefing-reader"


def default_db_path() -> Path:
    """The library chosen by BRIEFING_DB, else one in the user's data directory."""
    env = os.environ.get("BRIEFING_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "library.db"
