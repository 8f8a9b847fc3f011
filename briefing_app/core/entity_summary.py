"""Keeping the entity index's summary tables (migration 12) up to date when save_extraction
replaces an article's mentions: set-wise, not one trigger run per mention.

The row triggers on `mentions` keep the summary right on every path; for the hot one,
extraction, they cost several times the write itself. So save_extraction first calls
pause_article (in its transaction): the article's current mentions leave the summary in a
few statements and the row triggers skip the article; the update of articles.extracted_with
that ends save_extraction fires a trigger that adds the new mentions set-wise and unpauses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing_app.core.database import LibraryDatabase


def pause_article(db: LibraryDatabase, article_id: int) -> None:
    db.execute("INSERT OR IGNORE INTO entity_index_paused (article_id) VALUES (?)", [article_id])
    db.execute("DELETE FROM entity_articles WHERE article_id = ?", [article_id])
    # Its surface texts' counts, less its mentions of them (grouped: one row per text).
    db.execute(
        "UPDATE entity_surfaces SET mentions = entity_surfaces.mentions - gone.n FROM "
        "(SELECT entity_id, text, count(*) AS n FROM mentions WHERE article_id = ? AND entity_id IS NOT NULL "
        "GROUP BY entity_id, text) AS gone "
        "WHERE entity_surfaces.entity_id = gone.entity_id AND entity_surfaces.text = gone.text",
        [article_id],
    )
    db.execute(
        "DELETE FROM entity_surfaces WHERE mentions <= 0 AND (entity_id, text) IN "
        "(SELECT entity_id, text FROM mentions WHERE article_id = ? AND entity_id IS NOT NULL)",
        [article_id],
    )
