"""Library files as an earlier release left them, for the upgrade tests."""

from __future__ import annotations

import sqlite_utils

from briefing_app.core import migrations


def library_with_one_article_at_schema(db_path, version: int) -> None:
    """A library file as a release with schema `version` left it, holding the article "Old"."""
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=version)
    old["articles"].insert(
        {"uid": "u1", "title": "Old", "text": "Mali and Niger", "imported_at": "2020-01-01T00:00:00"}
    )
    old.conn.commit()
    old.close()
