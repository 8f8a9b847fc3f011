"""Numbered schema migrations of the library database.

The schema version is SQLite's `PRAGMA user_version`: 0 for a new file, N after migration N.
A migration never changes once released; a schema change is a new function at the end.
Each runs in its own transaction together with the version bump, so a failed upgrade leaves
the previous version intact.

Migration 5 stamps the file with APPLICATION_ID (SQLite's `PRAGMA application_id`, a field of
the file header), so a library is told apart from any other SQLite file: Library() refuses a
file that is neither ours nor empty instead of creating its tables in it (`library_state`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: sqlite-utils loads when Library() has something to migrate
    import sqlite_utils

    from briefing_app.core.database import LibraryDatabase

FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"


def _fts_with_triggers(db: sqlite_utils.Database, table: str, columns: tuple[str, ...]) -> None:
    """FTS5 index over `columns` of `table`, kept in sync by triggers.

    sqlite-utils' own triggers fire on every UPDATE; ours fire only when an indexed column
    changes, so bookkeeping updates (extraction version, note colour) don't rewrite the index.
    """
    db.table(table).enable_fts(list(columns), tokenize=FTS_TOKENIZER, create_triggers=False)
    _fts_triggers(db, table, columns)


def _fts_triggers(db: sqlite_utils.Database, table: str, columns: tuple[str, ...]) -> None:
    """The triggers that keep `table`_fts in step with `columns` of `table`."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    # One statement at a time: executescript() would commit the migration's transaction.
    for trigger in (
        f"""CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN
          INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
        END""",
        f"""CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN
          INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
        END""",
        f"""CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN
          INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
          INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
        END""",
    ):
        db.execute(trigger)


def _m1_articles(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE articles (
          id INTEGER PRIMARY KEY,
          uid TEXT NOT NULL UNIQUE,          -- content hash of the canonical text
          title TEXT NOT NULL,
          source TEXT,
          url TEXT,
          author TEXT,
          published TEXT,                    -- ISO date or NULL
          imported_at TEXT NOT NULL,
          text TEXT NOT NULL,
          blocks TEXT NOT NULL DEFAULT '[]', -- JSON [[kind, start, end], ...]
          word_count INTEGER NOT NULL DEFAULT 0,
          extracted_with TEXT                -- engine version, NULL until extracted
        );
        CREATE INDEX articles_url ON articles(url);
        CREATE INDEX articles_title_source ON articles(title, source);
        CREATE INDEX articles_published ON articles(published);
        -- Earlier texts of articles re-imported in an edited version: nothing is lost.
        CREATE TABLE article_versions (
          id INTEGER PRIMARY KEY,
          article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          uid TEXT NOT NULL,
          text TEXT NOT NULL,
          replaced_at TEXT NOT NULL
        );
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
        """
    )
    _fts_with_triggers(db, "articles", ("title", "text"))


def _m2_extraction(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE entities (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          label TEXT NOT NULL,
          created_by TEXT NOT NULL DEFAULT 'model',   -- model | analyst
          UNIQUE (name, label)
        );
        -- Analyst corrections: a surface text (casefolded key) with a label, or '*' for any
        -- label, resolves to an entity. Renames, merges, relabels and aliases all land here.
        CREATE TABLE aliases (
          id INTEGER PRIMARY KEY,
          alias TEXT NOT NULL,
          alias_key TEXT NOT NULL,
          label TEXT NOT NULL,
          entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
          UNIQUE (alias_key, label)
        );
        CREATE TABLE rejections (
          id INTEGER PRIMARY KEY,
          text TEXT NOT NULL,
          text_key TEXT NOT NULL,
          label TEXT NOT NULL,
          UNIQUE (text_key, label)
        );
        CREATE TABLE mentions (
          id INTEGER PRIMARY KEY,
          article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          entity_id INTEGER REFERENCES entities(id),
          start INTEGER NOT NULL,
          "end" INTEGER NOT NULL,
          text TEXT NOT NULL,
          label TEXT NOT NULL,
          origin TEXT NOT NULL DEFAULT 'model'
        );
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE timexes (
          id INTEGER PRIMARY KEY,
          article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          start INTEGER NOT NULL,
          "end" INTEGER NOT NULL,
          text TEXT NOT NULL,
          value TEXT,
          granularity TEXT NOT NULL,
          mod TEXT,
          anchor TEXT NOT NULL
        );
        CREATE INDEX timexes_article ON timexes(article_id);
        CREATE TABLE events (
          id INTEGER PRIMARY KEY,
          article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          start INTEGER NOT NULL,
          "end" INTEGER NOT NULL,
          text TEXT NOT NULL,
          date_start TEXT,
          date_end TEXT,
          granularity TEXT NOT NULL,
          mod TEXT,
          timex_indexes TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX events_article ON events(article_id);
        CREATE INDEX events_date_start ON events(date_start);
        """
    )


def _m3_notes(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE notes (
          uuid TEXT PRIMARY KEY,
          article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
          start INTEGER,
          "end" INTEGER,
          quote TEXT NOT NULL DEFAULT '',
          prefix TEXT NOT NULL DEFAULT '',
          suffix TEXT NOT NULL DEFAULT '',
          body TEXT NOT NULL DEFAULT '',
          color TEXT NOT NULL DEFAULT 'yellow',
          tags TEXT NOT NULL DEFAULT '[]',
          created TEXT NOT NULL,
          updated TEXT NOT NULL,
          deleted INTEGER NOT NULL DEFAULT 0,   -- tombstone: undo and export never lose a note
          anchor_state TEXT NOT NULL DEFAULT 'anchored'
        );
        CREATE INDEX notes_article ON notes(article_id);
        """
    )
    _fts_with_triggers(db, "notes", ("quote", "body"))


def _m4_marked_entities(db: sqlite_utils.Database) -> None:
    """Names the analyst marked as entities get their own flag.

    Until now created_by = 'analyst' meant both "marked: find it in every text" and "the
    target of a rename or relabel", so renaming "Will" made every "will" an entity. Earlier
    marks are the analyst entities that no alias points to (renames and relabels have one).
    """
    db.executescript(
        """
        ALTER TABLE entities ADD COLUMN marked INTEGER NOT NULL DEFAULT 0;
        UPDATE entities SET marked = 1 WHERE created_by = 'analyst'
          AND NOT EXISTS (SELECT 1 FROM aliases WHERE aliases.entity_id = entities.id);
        """
    )


# "BrfR": the header mark of a Briefing Reader library (registered nowhere, unlikely to clash).
APPLICATION_ID = int.from_bytes(b"BrfR", "big")


def _m5_application_id(db: sqlite_utils.Database) -> None:
    """Mark the file as a Briefing Reader library (see library_state)."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _m6_article_list(db: sqlite_utils.Database) -> None:
    """The library list's columns in a narrow table of their own, with an index per sort order.

    Paging the list through `articles` sorted the whole table for every page (`published IS
    NULL, published DESC` cannot use an index) and read word_count past each article's text.
    Here each order is one indexed key whose missing values sort last in both directions
    (char(1114111) is the highest code point), so a page is an index seek after the previous
    page's last row (Library.list_articles). Triggers keep the table in step with `articles`.
    """
    db.executescript(
        """
        CREATE TABLE article_list (
          id INTEGER PRIMARY KEY,
          title TEXT NOT NULL COLLATE NOCASE,
          source TEXT,
          published TEXT,
          word_count INTEGER NOT NULL DEFAULT 0,
          published_asc_key TEXT GENERATED ALWAYS AS (coalesce(published, char(1114111))) VIRTUAL,
          published_desc_key TEXT GENERATED ALWAYS AS (coalesce(published, '')) VIRTUAL,
          source_asc_key TEXT COLLATE NOCASE GENERATED ALWAYS AS (coalesce(source, char(1114111))) VIRTUAL,
          source_desc_key TEXT COLLATE NOCASE GENERATED ALWAYS AS (coalesce(source, '')) VIRTUAL
        );
        INSERT INTO article_list (id, title, source, published, word_count)
          SELECT id, title, source, published, word_count FROM articles;
        CREATE INDEX article_list_published_asc ON article_list(published_asc_key, id);
        CREATE INDEX article_list_published_desc ON article_list(published_desc_key, id);
        CREATE INDEX article_list_source_asc ON article_list(source_asc_key, id);
        CREATE INDEX article_list_source_desc ON article_list(source_desc_key, id);
        CREATE INDEX article_list_title ON article_list(title, id);
        CREATE TRIGGER article_list_ai AFTER INSERT ON articles BEGIN
          INSERT INTO article_list (id, title, source, published, word_count)
            VALUES (new.id, new.title, new.source, new.published, new.word_count);
        END;
        CREATE TRIGGER article_list_ad AFTER DELETE ON articles BEGIN
          DELETE FROM article_list WHERE id = old.id;
        END;
        CREATE TRIGGER article_list_au AFTER UPDATE OF id, title, source, published, word_count
        ON articles BEGIN
          DELETE FROM article_list WHERE id = old.id;
          INSERT INTO article_list (id, title, source, published, word_count)
            VALUES (new.id, new.title, new.source, new.published, new.word_count);
        END;
        """
    )


def _m7_briefings(db: sqlite_utils.Database) -> None:
    """Briefings the analyst composed, kept to be opened, edited and exported again.

    `selection` is JSON (articles, tag, entity, dates, and the chosen notes in their order);
    `sections` the JSON list of the optional sections shown (key_entities, timeline, sources).
    """
    db.executescript(
        """
        CREATE TABLE briefings (
          id INTEGER PRIMARY KEY,
          title TEXT NOT NULL,
          author TEXT NOT NULL DEFAULT '',
          date TEXT,                          -- ISO date printed; NULL: the day of the export
          handling TEXT NOT NULL DEFAULT '',
          summary TEXT NOT NULL DEFAULT '',   -- Markdown
          selection TEXT NOT NULL DEFAULT '{}',
          group_by TEXT NOT NULL DEFAULT 'article',
          sections TEXT NOT NULL DEFAULT '["key_entities", "timeline", "sources"]',
          created TEXT NOT NULL,
          updated TEXT NOT NULL
        );
        """
    )


# Prefix lengths FTS5 indexes apart, so that a prefix query of that many letters ("ai*",
# "air*") reads one list instead of merging the lists of every word it begins: at 10,000
# articles "air*" took 55 ms unranked, 0.5 ms with these; the index grows 39 -> 86 MB.
ARTICLES_FTS_PREFIXES = "2 3"


def _m8_articles_fts_prefixes(db: sqlite_utils.Database) -> None:
    """Rebuild the articles' full-text index with prefix indexes (ARTICLES_FTS_PREFIXES),
    same columns, tokenizer (accents folded) and external content; its triggers made again
    with it. Takes about 12 s per 10,000 articles of 1,000 words, once."""
    # Statement by statement, inside the migration's transaction: a failed rebuild (a full
    # disk) leaves the old index and triggers in place.
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE articles_fts")
    db.execute(
        f"""CREATE VIRTUAL TABLE articles_fts USING fts5(
          title, text, tokenize='{FTS_TOKENIZER}', content='articles',
          prefix='{ARTICLES_FTS_PREFIXES}'
        )"""
    )
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    _fts_triggers(db, "articles", ("title", "text"))


def _m9_conflicts(db: sqlite_utils.Database) -> None:
    """Conflicting dates (core/conflicts.py): pairs of event sentences from two articles that
    report the same happening with dates that do not overlap, and the analyst's dismissals.

    A side is keyed by its article's uid and its normalised sentence, not by event id: events
    are replaced at every extraction, and a dismissal must outlive that. The mentions index
    serves the library timeline: the events whose sentence mentions an entity."""
    # Statement by statement: executescript would first commit the migration's transaction.
    script = """
        CREATE TABLE conflicts (
          id INTEGER PRIMARY KEY,
          a_key TEXT NOT NULL,                -- conflicts.side_key(uid, sentence), a_key < b_key
          b_key TEXT NOT NULL,
          a_article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          a_start INTEGER NOT NULL,
          a_end INTEGER NOT NULL,
          a_text TEXT NOT NULL,
          a_date_start TEXT,
          a_date_end TEXT,
          a_mod TEXT,
          b_article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          b_start INTEGER NOT NULL,
          b_end INTEGER NOT NULL,
          b_text TEXT NOT NULL,
          b_date_start TEXT,
          b_date_end TEXT,
          b_mod TEXT,
          entities TEXT NOT NULL DEFAULT '[]',  -- JSON: the key entities both sentences name
          words TEXT NOT NULL DEFAULT '[]',     -- JSON: the event words both sentences share
          UNIQUE (a_key, b_key)
        );
        CREATE INDEX conflicts_a_article ON conflicts(a_article_id, a_start);
        CREATE INDEX conflicts_b_article ON conflicts(b_article_id, b_start);
        CREATE TABLE conflict_dismissals (
          a_key TEXT NOT NULL,
          b_key TEXT NOT NULL,
          dismissed_at TEXT NOT NULL,
          PRIMARY KEY (a_key, b_key)
        );
        CREATE INDEX mentions_entity_article ON mentions(entity_id, article_id, start);
        """
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _m10_date_corrections(db: sqlite_utils.Database) -> None:
    """The analyst's corrections of dates: "this date means ..." (value set) and "not a date"
    (value NULL). Keyed by the article and the phrase at its place in the text, not by a
    timex row, so that they survive re-extraction (timex rows are replaced every time)."""
    db.executescript(
        """
        CREATE TABLE date_corrections (
          id INTEGER PRIMARY KEY,
          article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          start INTEGER NOT NULL,
          "end" INTEGER NOT NULL,
          phrase TEXT NOT NULL,
          value TEXT,
          granularity TEXT,
          created_at TEXT NOT NULL,
          UNIQUE (article_id, start, phrase)
        );
        """
    )


def _m11_provenance(db: sqlite_utils.Database) -> None:
    """Where each article came from, and the kept copy of its original (core/provenance.py)."""
    db.executescript(
        """
        CREATE TABLE provenance (
          id INTEGER PRIMARY KEY,
          article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          origin TEXT NOT NULL,
          file_name TEXT NOT NULL,
          size INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          importer TEXT NOT NULL,
          encoding TEXT,
          attached_to INTEGER REFERENCES articles(id) ON DELETE SET NULL,
          pages TEXT NOT NULL DEFAULT '[]',  -- JSON [offset of page 1, of page 2, ...]
          original TEXT,                     -- the kept copy, relative to the library's folder
          imported_at TEXT NOT NULL,
          UNIQUE (article_id, origin, sha256)
        );
        CREATE INDEX provenance_article ON provenance(article_id);
        CREATE INDEX provenance_origin ON provenance(origin);
        CREATE INDEX provenance_sha256 ON provenance(sha256);
        """
    )


def _m12_entity_index(db: sqlite_utils.Database) -> None:
    """Summary tables of the entity index and dossiers (core/entity_index.py), kept up to date
    by triggers on `mentions`, so that every path that changes mentions (extraction, an
    article deleted or replaced, a rename, merge or "not an entity") keeps them right.

    - entity_articles: one row per entity and article that mentions it, with the count and
      the article's date (copied, so that an entity's articles page by date in one index);
      it also answers "articles mentioning X" without reading every mention.
    - entity_stats: one row per entity with mentions: articles, mentions, first and last date
      seen, and its name and type (an entity's name and type never change: a rename or a
      new type is another entity), with an index per sort order of the index view.
    - entity_surfaces: the texts an entity appears as, with counts (its aliases).

    Row triggers cost a few index updates per mention; extraction writes about a hundred
    per article, which made save_extraction several times slower. So save_extraction pauses
    them for its article (entity_index.pause_article: a row in entity_index_paused, and the
    article's old mentions taken out of the summary in a few set-wise statements) and the
    update of articles.extracted_with that ends it adds the new mentions set-wise too.
    Every other path (a correction, an article deleted or replaced) goes through the row
    triggers.
    """
    _execute_each(
        db,
        """
        CREATE TABLE entity_articles (
          entity_id INTEGER NOT NULL,
          article_id INTEGER NOT NULL,
          mentions INTEGER NOT NULL,
          published TEXT,
          PRIMARY KEY (entity_id, article_id)
        ) WITHOUT ROWID;
        INSERT INTO entity_articles (entity_id, article_id, mentions, published)
          SELECT m.entity_id, m.article_id, count(*), a.published
          FROM mentions m JOIN article_list a ON a.id = m.article_id
          WHERE m.entity_id IS NOT NULL GROUP BY m.entity_id, m.article_id;
        -- By article, covering: the index counted over some articles only (a facet).
        CREATE INDEX entity_articles_article ON entity_articles(article_id, mentions, published);
        CREATE INDEX entity_articles_published ON entity_articles(entity_id, published);

        CREATE TABLE entity_stats (
          entity_id INTEGER PRIMARY KEY,
          name TEXT NOT NULL COLLATE NOCASE,
          label TEXT NOT NULL,
          articles INTEGER NOT NULL,
          mentions INTEGER NOT NULL,
          first_seen TEXT,
          last_seen TEXT
        );
        INSERT INTO entity_stats (entity_id, name, label, articles, mentions, first_seen, last_seen)
          SELECT e.id, e.name, e.label, count(*), sum(ea.mentions), min(ea.published), max(ea.published)
          FROM entity_articles ea JOIN entities e ON e.id = ea.entity_id GROUP BY ea.entity_id;
        -- One index per order of the index view, in its first direction (most, newest, A-Z),
        -- ties by name A-Z: a page is an index walk, the other direction a walk backwards.
        CREATE INDEX entity_stats_articles ON entity_stats(articles DESC, name, entity_id);
        CREATE INDEX entity_stats_mentions ON entity_stats(mentions DESC, name, entity_id);
        CREATE INDEX entity_stats_first_seen ON entity_stats(first_seen IS NULL, first_seen DESC, name, entity_id);
        CREATE INDEX entity_stats_last_seen ON entity_stats(last_seen IS NULL, last_seen DESC, name, entity_id);
        CREATE INDEX entity_stats_name ON entity_stats(name, entity_id);
        CREATE INDEX entity_stats_label ON entity_stats(label, name, entity_id);

        CREATE TABLE entity_surfaces (
          entity_id INTEGER NOT NULL,
          text TEXT NOT NULL,
          mentions INTEGER NOT NULL,
          PRIMARY KEY (entity_id, text)
        ) WITHOUT ROWID;
        INSERT INTO entity_surfaces (entity_id, text, mentions)
          SELECT entity_id, text, count(*) FROM mentions WHERE entity_id IS NOT NULL
          GROUP BY entity_id, text;
        CREATE INDEX entity_surfaces_text ON entity_surfaces(text COLLATE NOCASE);

        -- Articles whose extraction is being replaced (save_extraction): its row triggers wait.
        CREATE TABLE entity_index_paused (article_id INTEGER PRIMARY KEY);

        -- A mention written or removed: its entity-article pair and its surface text count.
        CREATE TRIGGER entity_index_mention_ai AFTER INSERT ON mentions WHEN new.entity_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM entity_index_paused WHERE article_id = new.article_id)
        BEGIN
          INSERT INTO entity_articles (entity_id, article_id, mentions, published)
            VALUES (new.entity_id, new.article_id, 1,
                    (SELECT published FROM article_list WHERE id = new.article_id))
            ON CONFLICT (entity_id, article_id) DO UPDATE SET mentions = mentions + 1;
          INSERT INTO entity_surfaces (entity_id, text, mentions) VALUES (new.entity_id, new.text, 1)
            ON CONFLICT (entity_id, text) DO UPDATE SET mentions = mentions + 1;
        END;
        CREATE TRIGGER entity_index_mention_ad AFTER DELETE ON mentions WHEN old.entity_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM entity_index_paused WHERE article_id = old.article_id)
        BEGIN
          UPDATE entity_articles SET mentions = mentions - 1
            WHERE entity_id = old.entity_id AND article_id = old.article_id;
          DELETE FROM entity_articles
            WHERE entity_id = old.entity_id AND article_id = old.article_id AND mentions <= 0;
          UPDATE entity_surfaces SET mentions = mentions - 1
            WHERE entity_id = old.entity_id AND text = old.text;
          DELETE FROM entity_surfaces WHERE entity_id = old.entity_id AND text = old.text AND mentions <= 0;
        END;
        -- A rename or merge moves mentions to another entity (store._redirect).
        CREATE TRIGGER entity_index_mention_au AFTER UPDATE OF entity_id, article_id, text ON mentions
        BEGIN
          UPDATE entity_articles SET mentions = mentions - 1
            WHERE old.entity_id IS NOT NULL AND entity_id = old.entity_id AND article_id = old.article_id;
          DELETE FROM entity_articles
            WHERE old.entity_id IS NOT NULL AND entity_id = old.entity_id
              AND article_id = old.article_id AND mentions <= 0;
          UPDATE entity_surfaces SET mentions = mentions - 1
            WHERE old.entity_id IS NOT NULL AND entity_id = old.entity_id AND text = old.text;
          DELETE FROM entity_surfaces
            WHERE old.entity_id IS NOT NULL AND entity_id = old.entity_id AND text = old.text AND mentions <= 0;
          INSERT INTO entity_articles (entity_id, article_id, mentions, published)
            SELECT new.entity_id, new.article_id, 1,
                   (SELECT published FROM article_list WHERE id = new.article_id)
            WHERE new.entity_id IS NOT NULL
            ON CONFLICT (entity_id, article_id) DO UPDATE SET mentions = mentions + 1;
          INSERT INTO entity_surfaces (entity_id, text, mentions)
            SELECT new.entity_id, new.text, 1 WHERE new.entity_id IS NOT NULL
            ON CONFLICT (entity_id, text) DO UPDATE SET mentions = mentions + 1;
        END;

        -- An entity-article pair: the entity's counts and dates.
        CREATE TRIGGER entity_index_pair_ai AFTER INSERT ON entity_articles BEGIN
          INSERT INTO entity_stats (entity_id, name, label, articles, mentions, first_seen, last_seen)
            SELECT id, name, label, 1, new.mentions, new.published, new.published
            FROM entities WHERE id = new.entity_id
            ON CONFLICT (entity_id) DO UPDATE SET
              articles = articles + 1,
              mentions = entity_stats.mentions + excluded.mentions,
              first_seen = CASE WHEN excluded.first_seen IS NOT NULL
                AND (first_seen IS NULL OR excluded.first_seen < first_seen)
                THEN excluded.first_seen ELSE first_seen END,
              last_seen = CASE WHEN excluded.last_seen IS NOT NULL
                AND (last_seen IS NULL OR excluded.last_seen > last_seen)
                THEN excluded.last_seen ELSE last_seen END;
        END;
        CREATE TRIGGER entity_index_pair_count_au AFTER UPDATE OF mentions ON entity_articles BEGIN
          UPDATE entity_stats SET mentions = mentions + new.mentions - old.mentions
            WHERE entity_id = new.entity_id;
        END;
        CREATE TRIGGER entity_index_pair_date_au AFTER UPDATE OF published ON entity_articles BEGIN
          UPDATE entity_stats SET
            first_seen = (SELECT min(published) FROM entity_articles WHERE entity_id = new.entity_id),
            last_seen = (SELECT max(published) FROM entity_articles WHERE entity_id = new.entity_id)
            WHERE entity_id = new.entity_id;
        END;
        CREATE TRIGGER entity_index_pair_ad AFTER DELETE ON entity_articles BEGIN
          UPDATE entity_stats SET
            articles = articles - 1,
            mentions = mentions - old.mentions,
            first_seen = (SELECT min(published) FROM entity_articles WHERE entity_id = old.entity_id),
            last_seen = (SELECT max(published) FROM entity_articles WHERE entity_id = old.entity_id)
            WHERE entity_id = old.entity_id;
          DELETE FROM entity_stats WHERE entity_id = old.entity_id AND articles <= 0;
        END;

        -- The end of save_extraction: the paused article's new mentions, set-wise.
        CREATE TRIGGER entity_index_extracted_au AFTER UPDATE OF extracted_with ON articles
        WHEN EXISTS (SELECT 1 FROM entity_index_paused WHERE article_id = new.id) BEGIN
          INSERT INTO entity_articles (entity_id, article_id, mentions, published)
            SELECT entity_id, article_id, count(*), new.published FROM mentions
            WHERE article_id = new.id AND entity_id IS NOT NULL GROUP BY entity_id;
          INSERT INTO entity_surfaces (entity_id, text, mentions)
            SELECT entity_id, text, count(*) FROM mentions
            WHERE article_id = new.id AND entity_id IS NOT NULL GROUP BY entity_id, text
            ON CONFLICT (entity_id, text) DO UPDATE SET mentions = mentions + excluded.mentions;
          DELETE FROM entity_index_paused WHERE article_id = new.id;
        END;

        -- An article's date changed: its entities' first and last dates follow.
        CREATE TRIGGER entity_index_article_date_au AFTER UPDATE OF published ON articles
        WHEN new.published IS NOT old.published BEGIN
          UPDATE entity_articles SET published = new.published WHERE article_id = new.id;
        END;
        """,
    )


def _execute_each(db: sqlite_utils.Database, script: str) -> None:
    """Run the script's statements one at a time (triggers whole): executescript() would
    commit the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"an incomplete statement at the end of a migration: {statement!r}")


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _m1_articles,
    _m2_extraction,
    _m3_notes,
    _m4_marked_entities,
    _m5_application_id,
    _m6_article_list,
    _m7_briefings,
    _m8_articles_fts_prefixes,
    _m9_conflicts,
    _m10_date_corrections,
    _m11_provenance,
    _m12_entity_index,
)
SCHEMA_VERSION = len(MIGRATIONS)
# The version from which the file carries APPLICATION_ID.
MARKED_FROM_VERSION = 5
# Tables each migration creates: a file at version N without them is not one of our libraries.
TABLES_CREATED = {
    1: ("articles", "article_versions", "settings", "articles_fts"),
    2: ("entities", "aliases", "rejections", "mentions", "timexes", "events"),
    3: ("notes", "notes_fts"),
    6: ("article_list",),
    7: ("briefings",),
    9: ("conflicts", "conflict_dismissals"),
    10: ("date_corrections",),
    11: ("provenance",),
    12: ("entity_articles", "entity_stats", "entity_surfaces", "entity_index_paused"),
}


def schema_version(db: sqlite_utils.Database | LibraryDatabase) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def library_state(conn: sqlite3.Connection) -> str:
    """What the file behind `conn` is, read without writing anything:

    - "new": an empty database (a new or 0-byte file), which becomes a library;
    - "library": a library at the current schema; "old": one an upgrade will bring up to it
      (before migration 5 a library is known by its version and its tables);
    - "newer": a library written by a later version of the app;
    - "foreign": any other SQLite file, which must never be given our tables.
    """
    # One statement, so one snapshot: another process may be creating the library meanwhile,
    # and a version read before its commit with tables read after would look "foreign".
    version, application_id, table_names = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version()),"
        " (SELECT application_id FROM pragma_application_id()),"
        " (SELECT json_group_array(name) FROM sqlite_master WHERE type = 'table')"
    ).fetchone()
    tables = set(json.loads(table_names))
    if application_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            return "newer"
        return "library" if version == SCHEMA_VERSION else "old"
    if application_id == 0 and version == 0 and not tables:
        return "new"
    if application_id == 0 and 1 <= version < MARKED_FROM_VERSION:
        expected = {t for number in range(1, version + 1) for t in TABLES_CREATED.get(number, ())}
        if expected <= tables:
            return "old"
    return "foreign"


def migrate(
    db: sqlite_utils.Database,
    target: int = SCHEMA_VERSION,
    on_step: Callable[[int, int], None] | None = None,
) -> int:
    """Bring the database up to `target`; returns the version it started from.

    on_step(done, steps) is called before each step: a step can take minutes on a large
    library (rebuilding its full-text index), and whoever waits should see it move.
    Each step takes the write lock before it reads the version (BEGIN IMMEDIATE), so two
    processes opening the same old or new library at once take turns: the second waits for the
    first step (within the connection's busy timeout), sees it done and skips it, rather than
    running it again and failing on "table already exists".
    """
    start = schema_version(db)
    for number in range(start + 1, target + 1):
        if on_step is not None:
            on_step(number - start - 1, target - start)
        db.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(db) < number:
                with db.atomic():  # a savepoint inside the transaction begun above
                    MIGRATIONS[number - 1](db)
                db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise
    return start
