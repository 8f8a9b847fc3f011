"""The entity index: every entity in the library with its type, articles, mentions, first and
last date seen and aliases; faceted by type, source and date range, sorted by any column,
paged.

It reads the summary tables of migration 12 (entity_stats, entity_articles, entity_surfaces),
which triggers on `mentions` keep up to date. Unfiltered, a page is an index seek on
entity_stats; with a source, a date range or the library's filter it is counted again over
the entity-article pairs of the articles that pass (entity_articles by article).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from briefing_app.core.extract.registry import registry_key
from briefing_app.core.store import ArticleFilter, Library, _filter_sql

# The index's columns, as the view, the CLI and the CSV name them; each sorts.
COLUMNS = ("name", "type", "articles", "mentions", "first_seen", "last_seen", "aliases")
CSV_HEADER = COLUMNS
SORTABLE = ("name", "type", "articles", "mentions", "first_seen", "last_seen")
# Numbers and dates read best from the largest / newest.
DESCENDING_FIRST = ("articles", "mentions", "first_seen", "last_seen")
# The aliases shown per row (the CSV and the dossier list them all).
ALIASES_SHOWN = 8
PAGE_SIZE = 200

# entity_stats column (or expression, in the filtered query's result) per sort key.
_SORT_SQL = {
    "name": "name",
    "type": "label",
    "articles": "articles",
    "mentions": "mentions",
    "first_seen": "first_seen",
    "last_seen": "last_seen",
}


@dataclass(frozen=True)
class EntityQuery:
    """Which entities the index lists and how: the facets, the library's filter, the order."""

    label: str = ""  # the type facet: PERSON, ORG, ...; "" for all
    source: str = ""  # only articles from this source
    date_from: str = ""  # ISO dates, inclusive, compared with the articles' dates
    date_to: str = ""
    articles: ArticleFilter = field(default_factory=ArticleFilter)  # the library's filter
    order: str = "articles"
    descending: bool | None = None  # None: DESCENDING_FIRST columns largest first

    def is_filtered(self) -> bool:
        """Whether the counts are over part of the library (not the summary table's)."""
        return bool(self.source or self.date_from or self.date_to or not self.articles.is_empty())

    def is_descending(self) -> bool:
        return self.order in DESCENDING_FIRST if self.descending is None else self.descending


@dataclass(frozen=True)
class EntityRow:
    """One line of the index."""

    entity_id: int
    name: str
    label: str
    articles: int
    mentions: int
    first_seen: str | None
    last_seen: str | None
    aliases: tuple[str, ...] = ()

    def csv_values(self) -> list[str]:
        return [
            self.name,
            self.label,
            str(self.articles),
            str(self.mentions),
            self.first_seen or "",
            self.last_seen or "",
            "; ".join(self.aliases),
        ]


def _entity_row(row: tuple, aliases: list[str]) -> EntityRow:
    entity_id, name, label, articles, mentions, first_seen, last_seen = row
    return EntityRow(entity_id, name, label, articles, mentions, first_seen, last_seen, tuple(aliases))


def _order_sql(query: EntityQuery) -> str:
    """The ORDER BY of the query, matching the index of its column (migration 12): missing dates
    last; ties by name A-Z in the column's first direction (Z-A the other way: a walk back)."""
    if query.order not in _SORT_SQL:
        raise ValueError(f"cannot sort entities by {query.order!r}: sort by one of {', '.join(SORTABLE)}")
    column = _SORT_SQL[query.order]
    descending = query.is_descending()
    first_direction = query.order in DESCENDING_FIRST
    direction = "DESC" if descending else "ASC"
    tie = "ASC" if descending == first_direction else "DESC"
    if query.order == "name":
        return f"name {direction}, entity_id {direction}"
    nulls = f"{column} IS NULL, " if query.order in ("first_seen", "last_seen") else ""
    return f"{nulls}{column} {direction}, name {tie}, entity_id {tie}"


def _filtered_stats_sql(query: EntityQuery) -> tuple[str, list]:
    """A query of (entity_id, name, label, articles, mentions, first_seen, last_seen) over
    the articles that pass the query's filters: those articles first (by the library list's
    indexes), then their entity-article pairs (entity_articles by article, covering)."""
    where, params = _filter_sql(query.articles)
    clauses = [where.removeprefix(" WHERE ")] if where else []
    if query.source:
        clauses.append("a.source_asc_key = ?")  # = source when it has one (migration 6's index)
        params.append(query.source)
    if query.date_from or query.date_to:
        clauses.append("a.published IS NOT NULL")
        if query.date_from:
            clauses.append("a.published_asc_key >= ?")
            params.append(query.date_from)
        if query.date_to:
            clauses.append("a.published_asc_key <= ?")
            params.append(query.date_to)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = (
        "SELECT s.entity_id AS entity_id, s.name AS name, s.label AS label, f.articles AS articles, "
        "f.mentions AS mentions, f.first_seen AS first_seen, f.last_seen AS last_seen FROM "
        "(SELECT ea.entity_id AS entity_id, count(*) AS articles, sum(ea.mentions) AS mentions, "
        "min(ea.published) AS first_seen, max(ea.published) AS last_seen "
        # CROSS JOIN: the chosen articles drive (SQLite would otherwise walk every pair).
        f"FROM article_list a CROSS JOIN entity_articles ea ON ea.article_id = a.id{where} "
        "GROUP BY ea.entity_id) f JOIN entity_stats s ON s.entity_id = f.entity_id"
    )
    return sql, params


def _stats_sql(query: EntityQuery) -> tuple[str, list]:
    if query.is_filtered():
        sql, params = _filtered_stats_sql(query)
        sql = f"SELECT * FROM ({sql})"
    else:
        sql = "SELECT entity_id, name, label, articles, mentions, first_seen, last_seen FROM entity_stats"
        params = []
    if query.label:
        sql += " WHERE label = ?"
        params.append(query.label)
    return sql, params


def list_entities(
    library: Library,
    query: EntityQuery | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    aliases_limit: int = ALIASES_SHOWN,
) -> list[EntityRow]:
    """A page of the index (limit -1: every row), with each entity's aliases (at most
    `aliases_limit` of them; -1: all)."""
    query = query or EntityQuery()
    sql, params = _stats_sql(query)
    rows = library._query(
        f"{sql} ORDER BY {_order_sql(query)} LIMIT ? OFFSET ?", params + [limit, offset], query.articles
    )
    aliases = aliases_of(library, [row[0] for row in rows], aliases_limit)
    return [_entity_row(row, aliases.get(row[0], [])) for row in rows]


def iter_entities(
    library: Library, query: EntityQuery | None = None, page: int = 2000
) -> Iterator[EntityRow]:
    """Every entity the query lists, in order, with all its aliases, a page at a time (the
    CLI, the CSV)."""
    offset = 0
    while True:
        rows = list_entities(library, query, offset, page, aliases_limit=-1)
        yield from rows
        if len(rows) < page:
            return
        offset += page


def count_entities(library: Library, query: EntityQuery | None = None) -> int:
    query = query or EntityQuery()
    sql, params = _stats_sql(query)
    return library._query(f"SELECT count(*) FROM ({sql})", params, query.articles)[0][0]


def type_counts(library: Library, query: EntityQuery | None = None) -> dict[str, int]:
    """How many entities of each type the query lists (its own type facet left out): the type
    facet's choices, most entities first."""
    query = replace(query or EntityQuery(), label="")
    sql, params = _stats_sql(query)
    rows = library._query(
        f"SELECT label, count(*) FROM ({sql}) GROUP BY label ORDER BY count(*) DESC, label",
        params,
        query.articles,
    )
    return dict(rows)


def sources(library: Library) -> list[str]:
    """The sources of the library's articles, A-Z (the source facet's choices)."""
    rows = library.db.execute(
        "SELECT DISTINCT source FROM article_list WHERE source IS NOT NULL AND source != '' "
        "ORDER BY source COLLATE NOCASE"
    ).fetchall()
    return [row[0] for row in rows]


def aliases_of(
    library: Library, entity_ids: Sequence[int], limit: int = ALIASES_SHOWN
) -> dict[int, list[str]]:
    """The other names of each entity, most used first: the texts its mentions appear as, then
    the names the analyst's corrections send to it (renamed or merged names, added aliases).
    Never its own name; a name differing only in case or spacing counts once."""
    if not entity_ids:
        return {}
    marks = ", ".join("?" * len(entity_ids))
    found: dict[int, list[str]] = {}
    seen: dict[int, set[str]] = {}
    names = dict(
        library.db.execute(
            f"SELECT id, name FROM entities WHERE id IN ({marks})", list(entity_ids)
        ).fetchall()
    )
    rows = library.db.execute(
        f"SELECT entity_id, text FROM entity_surfaces WHERE entity_id IN ({marks}) "
        "ORDER BY entity_id, mentions DESC, text",
        list(entity_ids),
    ).fetchall()
    rows += library.db.execute(
        f"SELECT entity_id, alias FROM aliases WHERE entity_id IN ({marks}) ORDER BY entity_id, id",
        list(entity_ids),
    ).fetchall()
    for entity_id, text in rows:
        text = " ".join(text.split())
        key = registry_key(text)
        keys = seen.setdefault(entity_id, {registry_key(names.get(entity_id, ""))})
        if key in keys or (limit >= 0 and len(found.get(entity_id, ())) >= limit):
            continue
        keys.add(key)
        found.setdefault(entity_id, []).append(text)
    return found


def index_csv(rows: Iterator[EntityRow] | Sequence[EntityRow]) -> Iterator[str]:
    """The index as CSV lines (header first), all aliases of each entity."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row.csv_values())
        yield buffer.getvalue()


# -- finding an entity by what the analyst calls it --------------------------------------


@dataclass(frozen=True)
class EntityRef:
    entity_id: int
    name: str
    label: str


def find_entity(library: Library, name: str) -> EntityRef | None:
    """The entity called `name`: by its name (any case), then by an alias (a registry alias or
    a text its mentions appear as, "ECOWAS"), then by a short name (the last words of a name,
    "Lavrov"); among several, the one in most articles. Only entities with mentions."""
    name = " ".join(name.split())
    if not name:
        return None
    attempts = (
        ("SELECT s.entity_id FROM entity_stats s WHERE s.name = ?", [name]),
        (
            "SELECT s.entity_id FROM aliases a JOIN entity_stats s ON s.entity_id = a.entity_id "
            "WHERE a.alias_key = ?",
            [registry_key(name)],
        ),
        (
            "SELECT s.entity_id FROM entity_surfaces t JOIN entity_stats s ON s.entity_id = t.entity_id "
            "WHERE t.text = ? COLLATE NOCASE",
            [name],
        ),
        # A short name: the last word(s) of a longer name, whole words.
        (
            "SELECT s.entity_id FROM entity_stats s WHERE s.name LIKE ? ESCAPE '\\'",
            ["% " + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")],
        ),
    )
    for sql, params in attempts:
        row = library.db.execute(
            "SELECT s.entity_id, s.name, s.label FROM entity_stats s "
            f"WHERE s.entity_id IN ({sql}) ORDER BY s.articles DESC, s.mentions DESC, s.entity_id LIMIT 1",
            params,
        ).fetchone()
        if row is not None:
            return EntityRef(*row)
    return None


def entity_row(library: Library, entity_id: int, aliases_limit: int = -1) -> EntityRow | None:
    """The entity's line of the index (all its aliases by default)."""
    row = library.db.execute(
        "SELECT entity_id, name, label, articles, mentions, first_seen, last_seen FROM entity_stats "
        "WHERE entity_id = ?",
        [entity_id],
    ).fetchone()
    if row is None:
        return None
    aliases = aliases_of(library, [entity_id], aliases_limit).get(entity_id, [])
    return _entity_row(row, aliases)


def surfaces(library: Library, entity_id: int) -> list[str]:
    """Every text the entity's mentions appear as (what "not an entity" rejects)."""
    rows = library.db.execute(
        "SELECT text FROM entity_surfaces WHERE entity_id = ? ORDER BY mentions DESC, text", [entity_id]
    ).fetchall()
    return [row[0] for row in rows]
