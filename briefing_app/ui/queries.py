"""Read-only library queries the window needs and the store does not offer yet.

Temporary: each function here is meant to move to core/store.py as a Library method (see the
reader window issue); until then they read library.db directly and never write.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from briefing_app.core.store import ArticleSummary, Library, LibraryError

_ORDER_COLUMNS = {
    "published": "a.published IS NULL, a.published {dir}, a.id {dir}",
    "title": "a.title COLLATE NOCASE {dir}, a.id",
    "source": "a.source IS NULL, a.source COLLATE NOCASE {dir}, a.id",
}


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles the library pane lists; empty fields do not filter."""

    query: str = ""  # FTS5 query over title and text
    entity: str = ""  # canonical name of an entity the article mentions
    date_from: str = ""  # ISO dates, inclusive, compared with `published`
    date_to: str = ""

    def is_empty(self) -> bool:
        return not (self.query.strip() or self.entity or self.date_from or self.date_to)


def _where(f: ArticleFilter) -> tuple[str, list]:
    clauses, params = [], []
    if f.query.strip():
        clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(f.query)
    if f.entity:
        clauses.append(
            "a.id IN (SELECT m.article_id FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE e.name = ?)"
        )
        params.append(f.entity)
    if f.date_from:
        clauses.append("a.published >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("a.published <= ?")
        params.append(f.date_to)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _run(library: Library, sql: str, params: list) -> list[tuple]:
    try:
        return library.db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:  # a malformed FTS5 query
        raise LibraryError(str(exc)) from exc


def find_articles(
    library: Library,
    article_filter: ArticleFilter,
    order: str = "published",
    descending: bool = True,
    offset: int = 0,
    limit: int = -1,
) -> list[ArticleSummary]:
    """Proposed Library.find_articles: list_articles with filters and both sort directions."""
    where, params = _where(article_filter)
    order_sql = _ORDER_COLUMNS[order].format(dir="DESC" if descending else "ASC")
    rows = _run(
        library,
        f"SELECT a.id, a.title, a.source, a.published, a.word_count FROM articles a{where} "
        f"ORDER BY {order_sql} LIMIT ? OFFSET ?",
        params + [limit, offset],
    )
    return [ArticleSummary(*row) for row in rows]


def count_articles(library: Library, article_filter: ArticleFilter) -> int:
    """Proposed Library.count_articles(filter)."""
    where, params = _where(article_filter)
    return _run(library, f"SELECT count(*) FROM articles a{where}", params)[0][0]


def entity_names(library: Library) -> list[str]:
    """Proposed Library.entity_names(): names of entities that have mentions, for completion."""
    rows = library.db.execute(
        "SELECT DISTINCT e.name FROM entities e WHERE EXISTS "
        "(SELECT 1 FROM mentions m WHERE m.entity_id = e.id) ORDER BY e.name COLLATE NOCASE"
    ).fetchall()
    return [r[0] for r in rows]
