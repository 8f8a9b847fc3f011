"""The sample library a new user starts with (data/)."""

from __future__ import annotations

from briefing_app.core.importers import read_path
from briefing_app.core.model import ImportReport
from briefing_app.core.paths import SAMPLE_ARTICLE_DIRS
from briefing_app.core.store import Library

SAMPLE_SETTING = "sample_library_imported"


def import_sample_library_once(library: Library) -> ImportReport | None:
    """On the first start with an empty library, import the bundled articles.

    Only once per library: a user who deletes them does not get them back.
    """
    if library.get_setting(SAMPLE_SETTING) or library.has_articles():
        return None
    report = library.import_items(item for folder in SAMPLE_ARTICLE_DIRS for item in read_path(folder))
    library.set_setting(SAMPLE_SETTING, "1")
    return report
