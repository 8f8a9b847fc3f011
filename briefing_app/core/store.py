"""The library: one SQLite file (via sqlite-utils) holding articles, extraction and notes.

One writer at a time: every thread that writes opens its own Library on the same file
(WAL mode lets readers go on meanwhile). Each article is written in one transaction.
Writers wait their turn: every write transaction goes through Library.write(), which takes
the write lock at its start (BEGIN IMMEDIATE), waits while another connection holds it and
tries again when the wait runs out, so that the window, the command line and the extraction
child can all write to one library at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Literal, cast

# backup loads where it is used (an upgrade, a damaged file): opening a library needs none of it.
from briefing_app.core import entity_summary, migrations, provenance
from briefing_app.core.database import LibraryDatabase

# The errors live in errors.py (notes.py raises them too); callers import them from here.
from briefing_app.core.errors import ArticleNotFound, LibraryBusy, LibraryError, SearchRefused
from briefing_app.core.extract.anchors import DATELINE
from briefing_app.core.extract.registry import ANY_LABEL, Registry, registry_key
from briefing_app.core.model import (
    Article,
    ArticleDraft,
    Block,
    Event,
    Extraction,
    FileOrigin,
    ImportFailure,
    ImportReport,
    Mention,
    TimeExpr,
)
from briefing_app.core.notes import NoteStore
from briefing_app.core.search_query import explain_fts_error, quoted, short_prefix, to_fts_query
from briefing_app.core.textnorm import detect_blocks, normalize_text, title_from_text

log = logging.getLogger(__name__)

# Seconds between commits during an import (see Library.import_items).
COMMIT_INTERVAL = 0.5
# Word-sequence similarity (0-100) above which a text with the same url (or, without urls,
# the same title and source) as a stored article is an edited version of it. Measured on the
# sample articles: an edited text scores 96, unrelated texts 12-13, unrelated one-liners
# sharing a phrase 38; between the 60 Wikinews development articles at most 22.
SAME_ARTICLE_MIN_WORD_SIMILARITY = 60
# A story that grew (a live report, updates appended) scores low on similarity but keeps the
# shorter text's words in order: at least this share of them, in a text at least this long.
# Between two unrelated Wikinews articles at most 33% of the shorter one's words are found in
# order in the other; a 30-word lede in an unrelated article, at most 60%.
GROWN_STORY_MIN_SHARE = 0.9
GROWN_STORY_MIN_WORDS = 40
# Stored articles with the same url (or title and source) that an import compares its text
# with, newest first; an older one it matches beyond these is stored as a new article.
EARLIER_VERSION_CANDIDATES = 50

# How long a connection waits for another one's write lock before SQLite reports the library
# busy (sqlite3.connect's timeout: SQLite's busy handler), and how long Library.write() keeps
# trying again after that before it gives up with LibraryBusy.
BUSY_TIMEOUT_SECONDS = 30.0
WRITE_PATIENCE_SECONDS = 300.0
# Pause between two attempts to take the write lock when SQLite returned at once.
RETRY_PAUSE_SECONDS = 0.05


class SchemaTooNewError(LibraryError):
    pass


class NotALibrary(LibraryError):
    """The file is not a Briefing Reader library; it was left untouched."""


class LibraryReadOnly(LibraryError):
    pass


class LibraryDamaged(LibraryError):
    pass


class LibraryDiskFault(LibraryError):
    """The disk is full or failing: nothing more could be written (what was, is kept)."""


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the article list: what the library pane shows, without the text."""

    id: int
    title: str
    source: str | None
    published: str | None
    word_count: int


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    source: str | None
    published: str | None
    snippet: str


# A search matching more articles than this is very common: it lists its matches newest
# imported first instead of ranking them or sorting them all (Library.search_results, the
# library list). bm25 reads the position lists of every match, and ranking or date-sorting
# the ~100,000 articles holding "the" took 26-155 ms where the newest page takes under 2.
RANKED_CANDIDATES = 1_000


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    # More articles matched than RANKED_CANDIDATES: the hits are the newest imported matches,
    # newest first; else the best first (bm25).
    newest_first: bool


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to list; empty fields do not filter."""

    query: str = ""  # FTS5 query over title and text
    entity: str = ""  # canonical name of an entity the article mentions
    date_from: str = ""  # ISO dates, inclusive, compared with `published`
    date_to: str = ""

    def is_empty(self) -> bool:
        return not (self.query.strip() or self.entity or self.date_from or self.date_to)


# The library list's orders: the article_list column each sorts by, ascending and descending
# (missing values last both ways, see migrations._m5_article_list), and the listed field the
# key comes from. Ties go by id, in the same direction, so a page is one index seek.
_LIST_KEYS: dict[str, tuple[str, str, str]] = {
    "published": ("published_asc_key", "published_desc_key", "published"),
    "title": ("title", "title", "title"),
    "source": ("source_asc_key", "source_desc_key", "source"),
    "imported": ("id", "id", "id"),
}
_SORTS_LAST = chr(0x10FFFF)  # the key of a missing date or source, ascending (SQL char(1114111))


def _list_key_value(row: ArticleSummary, order: str, descending: bool) -> object:
    value = getattr(row, _LIST_KEYS[order][2])
    if value is None:
        return "" if descending else _SORTS_LAST
    return value


# The articles' index keeps the prefixes of 2 and 3 characters of every word (migration 8).
# A one-letter prefix has no index: FTS5 would merge the lists of every word it begins,
# nearly every article's (0.6-1.8 s for "a*" at 100,000 articles), so it is refused.
ARTICLE_MIN_PREFIX = 2


def _article_fts_query(query: str) -> str:
    """The FTS5 expression of a search over the articles (to_fts_query); LibraryError, with
    the reason, for a prefix shorter than ARTICLE_MIN_PREFIX."""
    fts_query = to_fts_query(query)
    too_short = short_prefix(fts_query, ARTICLE_MIN_PREFIX)
    if too_short:
        raise SearchRefused(
            f"cannot search for {query!r}: a prefix needs {ARTICLE_MIN_PREFIX} letters or more ({too_short})"
        )
    return fts_query


def _filter_sql(f: ArticleFilter) -> tuple[str, list]:
    clauses, params = [], []
    if f.query.strip():
        fts_query = _article_fts_query(f.query)
        if fts_query:
            clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_query)
        else:  # only punctuation: the index holds none, so nothing matches
            clauses.append("0")
    if f.entity:
        # entity_articles (migration 12): one row per article, not one per mention.
        clauses.append(
            "a.id IN (SELECT ea.article_id FROM entity_articles ea JOIN entities e ON e.id = ea.entity_id "
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


# What add_draft did with a draft: a new article, the same text again, or an edited text.
AddStatus = Literal["imported", "duplicate", "updated"]


@dataclass(frozen=True)
class AddResult:
    status: AddStatus
    article_id: int
    title: str = ""


def _article_row(draft: ArticleDraft) -> dict[str, object]:
    """The articles row of a draft (without imported_at): its text in canonical form, its
    hash, title and blocks. Raises ValueError for a draft without text."""
    text = normalize_text(draft.text)
    if not text.strip():
        raise ValueError("no text")
    title = " ".join((draft.title or "").split()) or title_from_text(text)
    blocks = detect_blocks(text, title, draft.headings)
    return {
        "uid": content_uid(text),
        "title": title,
        "source": draft.source,
        "url": draft.url,
        "author": draft.author,
        "published": draft.published,
        "text": text,
        "blocks": json.dumps([[b.kind, b.start, b.end] for b in blocks]),
        "word_count": len(text.split()),
        "extracted_with": None,
    }


def _prepared(item: ArticleDraft | ImportFailure) -> dict[str, object] | ImportFailure:
    """The draft's row (_article_row), or why it cannot be stored; a failure stays one."""
    if isinstance(item, ImportFailure):
        return item
    try:
        return _article_row(item)
    except ValueError as exc:
        return ImportFailure(item.origin, str(exc))


def is_busy(exc: BaseException) -> bool:
    """Whether the error says another connection holds a lock, so the same work can succeed
    later (SQLITE_BUSY, SQLITE_LOCKED and their extended codes), as opposed to a fault."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _use_wal(db: LibraryDatabase) -> None:
    """Switch the file to WAL (once per file; a no-op after). SQLite answers the switch with
    "database is locked" at once, without waiting in the busy handler, while another opener
    is switching it too; so wait here, as the busy timeout would."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _same_story(old_words: list[str], new_words: list[str]) -> bool:
    """Whether the new text (as words) is a version of the stored one: mostly the same words
    in the same order, or the stored text's words nearly all found, in order, in a longer new
    text (a story that grew). Never a shorter text that merely quotes it: a lede or summary
    of a stored article is not allowed to take its place."""
    if not old_words or not new_words:
        return False
    from rapidfuzz.distance import LCSseq  # here: only an import compares texts, not a start

    shared = LCSseq.similarity(old_words, new_words)  # words in the same order in both
    # fuzz.ratio of the two word lists, from the same count: 100 * 2 * shared / (len + len).
    if 200 * shared >= SAME_ARTICLE_MIN_WORD_SIMILARITY * (len(old_words) + len(new_words)):
        return True
    return len(new_words) > len(old_words) >= GROWN_STORY_MIN_WORDS and shared >= GROWN_STORY_MIN_SHARE * len(
        old_words
    )


# Around each hit in FTS5's highlight(): noncharacters, which no text of ours holds (if one
# did, its hits would be found a character off; never a failure).
_HIT_OPEN, _HIT_CLOSE = "\ufdd0", "\ufdd1"


def _marked_spans(highlighted: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the marked stretches in the text without its markers."""
    spans, removed, start = [], 0, 0
    for index, char in enumerate(highlighted):
        if char == _HIT_OPEN:
            start = index - removed
            removed += 1
        elif char == _HIT_CLOSE:
            spans.append((start, index - removed))
            removed += 1
    return spans


def _search_error(exc: sqlite3.OperationalError, query: object, path: str = "the library") -> LibraryError:
    """What a failed full-text query tells the user: FTS5 reports a malformed query in many
    words ("unterminated string", "no such column: a"), so only a busy library and a fault
    of the library itself (a disk error) are told apart."""
    if is_library_fault(exc):
        return library_fault(exc, path)
    if "locked" in str(exc) or "busy" in str(exc):
        return LibraryError(f"the library is busy, try again: {exc}")
    return SearchRefused(explain_fts_error(str(exc), str(query)))


def _pause(seconds: float) -> None:
    """Wait before another attempt (a function of its own so that tests can replace it)."""
    time.sleep(seconds)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_uid(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _writable(path: Path) -> bool:
    """Whether we may write the library: the file and its folder (SQLite's WAL mode writes
    the -wal and -shm files beside it). A library not created yet needs its folder."""
    folder = path.parent
    if path.exists():
        return os.access(path, os.W_OK) and os.access(folder, os.W_OK)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LibraryError(f"cannot create the library {path}: no folder {folder} ({exc.strerror})") from exc
    if not os.access(folder, os.W_OK):
        raise LibraryReadOnly(f"cannot create the library {path}: the folder {folder} is read-only")
    return True


def _open_connection(path: str, read_only: bool) -> sqlite3.Connection:
    """A connection that reads the file; read-only ones never write to it or beside it.

    Read-only first asks SQLite for `mode=ro`, which still needs to create the -shm file in
    a WAL library's folder. In a folder we cannot write, `immutable=1` reads the file as it
    is: safe only when no -wal holds changes the file lacks and no -shm says that another
    connection has it open, so only then; otherwise the library cannot be read here.
    """
    if not read_only:
        return _connect(path)
    uri = "file:" + urllib.parse.quote(path)
    try:
        conn = _connect_uri(f"{uri}?mode=ro")
        conn.execute("PRAGMA user_version").fetchone()  # SQLite opens the file on first use
        return conn
    except sqlite3.OperationalError as exc:
        wal, shm = Path(path + "-wal"), Path(path + "-shm")
        if (wal.exists() and wal.stat().st_size > 0) or shm.exists():
            raise LibraryReadOnly(
                f"cannot read the library {path} here: its folder is read-only, and {wal.name} or "
                f"{shm.name} beside it say that it has changes not yet in the file or is open "
                "elsewhere. Open it once where its folder can be written"
            ) from exc
    return _connect_uri(f"{uri}?immutable=1")


def _connect_uri(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _refusal(state: str, path: str, version: int) -> LibraryError:
    if state == "newer":
        return SchemaTooNewError(
            f"{path} was written by a newer Briefing Reader (schema {version}, this "
            f"version knows up to {migrations.SCHEMA_VERSION}); it was left untouched. "
            "Update Briefing Reader to open it."
        )
    return NotALibrary(
        f"{path} is not a Briefing Reader library (an SQLite file of another program); "
        "it was left untouched. Choose another file with --db."
    )


def library_fault(exc: sqlite3.Error | OSError, path: str) -> LibraryError:
    """What a database or file fault means to the user, in one line that names the library
    and says what to do. Faults of the item being worked on (a bad query) are not for this."""
    if isinstance(exc, OSError):
        where = exc.filename or path
        return LibraryDiskFault(f"cannot use {where}: {exc.strerror or exc}")
    code = getattr(exc, "sqlite_errorcode", None) or 0
    primary = code & 0xFF
    if primary == sqlite3.SQLITE_READONLY:
        return LibraryReadOnly(
            f"the library {path} is read-only: nothing was changed. Reading works; to change "
            "it, make the file and its folder writable (or copy it somewhere writable and use --db)"
        )
    if primary == sqlite3.SQLITE_FULL:
        return LibraryDiskFault(
            f"the disk is full: {path} could not be written ({exc}); what was saved before is "
            "kept. Free some space and try again"
        )
    if primary == sqlite3.SQLITE_IOERR:
        return LibraryDiskFault(
            f"a disk error on {path} ({exc}); what was saved before is kept. Check that the "
            "disk has space and works, then run: briefing check"
        )
    if primary == sqlite3.SQLITE_CORRUPT:
        from briefing_app.core import backup

        return LibraryDamaged(f"the library {path} is damaged ({exc}). {backup.recovery_advice(path)}")
    if primary == sqlite3.SQLITE_NOTADB:
        return NotALibrary(f"{path} is not a Briefing Reader library ({exc}); it was left untouched")
    if primary == sqlite3.SQLITE_CANTOPEN:
        return LibraryError(f"cannot open the library {path} ({exc}): check that it can be read")
    return LibraryError(f"the library {path} could not be used ({exc})")


def is_library_fault(exc: sqlite3.Error) -> bool:
    """A fault of the library file or the disk, not of what was being written: carrying on
    with the next item would fail the same way."""
    primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    return primary in _LIBRARY_FAULTS


_LIBRARY_FAULTS = frozenset(
    {
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_CANTOPEN,
    }
)


def _connect(path: Path | str) -> sqlite3.Connection:
    # check_same_thread=False: a Library may be created on one thread and used by the
    # worker it is handed to; it is still used by one thread at a time.
    # timeout: SQLite's busy handler waits this long for another connection's lock.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Library:
    """Facade over the library database."""

    # How long write() keeps trying to take the write lock in all (SQLite's busy timeout
    # included) before LibraryBusy. The window lowers it with the busy timeout: it would
    # rather put a change off and try again later than hang on a lock (ui/ops.py).
    write_patience_seconds: float = WRITE_PATIENCE_SECONDS

    def __init__(
        self, path: Path | str = ":memory:", on_upgrade: Callable[[str], None] | None = None
    ) -> None:
        """Open the library at `path`, creating it in a new or empty file.

        An older library is backed up, then upgraded, with on_upgrade(message) told what is
        being done as it goes (minutes for a large library). A file that is not a library
        (another program's SQLite file, or no database at all) or is from a newer version is
        refused and left untouched. A library we may not write (read-only file or folder)
        opens read-only: reading works, a write raises LibraryReadOnly.
        """
        self.path = str(path)
        in_memory = self.path == ":memory:"
        self.read_only = False if in_memory else not _writable(Path(self.path))
        try:
            conn = _open_connection(self.path, self.read_only)
            state = migrations.library_state(conn)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise library_fault(exc, self.path) from exc
        if state in ("foreign", "newer"):
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.close()
            raise _refusal(state, self.path, version)
        if self.read_only and state != "library":
            conn.close()
            raise LibraryReadOnly(
                f"the library {self.path} is read-only, and this version must write to it before "
                "it can open it (a new library, or an upgrade): make the file and its folder writable"
            )
        self.db = LibraryDatabase(conn)  # sqlite-utils itself loads when first needed
        try:
            if not in_memory and not self.read_only:
                _use_wal(self.db)
            self.db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: no corruption on crash
            self.db.register_function(registry_key, deterministic=True)
            upgrading = state == "old" and not in_memory
            if upgrading:
                from briefing_app.core import backup  # loaded for an upgrade, not at every start

                if on_upgrade is not None:
                    on_upgrade(f"Copying the library to {backup.backups_dir(self.path)} before upgrading it…")
                self._back_up_before_upgrade(conn)

            def step(done: int, steps: int) -> None:
                if upgrading and on_upgrade is not None:
                    on_upgrade(f"Upgrading the library for this version: step {done + 1} of {steps}…")

            if state != "library":  # a new or older library: sqlite-utils makes its tables
                migrations.migrate(self.db.utils, on_step=step)
        except (sqlite3.DatabaseError, OSError) as exc:
            conn.close()
            raise library_fault(exc, self.path) from exc

    def _back_up_before_upgrade(self, conn: sqlite3.Connection) -> None:
        # Before an upgrade, never after: the copy is the library as the older version left it.
        from briefing_app.core import backup

        try:
            backup.back_up(conn, self.path)
        except (sqlite3.Error, OSError) as exc:
            conn.close()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise LibraryError(
                f"{self.path} needs an upgrade, and the backup made before an upgrade could not be "
                f"written to {backup.backups_dir(self.path)} ({reason}); the library was left as it was"
            ) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.db)

    @cached_property
    def notes(self) -> NoteStore:
        """The analyst's notes in this library."""
        return NoteStore(self)

    # -- writing -----------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Library]:
        """One write transaction: committed at the end, rolled back on an exception.

        It begins IMMEDIATE, taking the write lock before it reads anything: a transaction
        that has read and then wants to write while another connection writes gets
        SQLITE_BUSY at once, whatever the busy timeout, and a retry cannot help it, since
        its snapshot is stale. Inside another transaction it is a savepoint of that one.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():  # a savepoint
                yield self
            return
        self._begin_immediate()
        try:
            yield self
        except BaseException:
            self.db.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            self.db.rollback()
            raise

    def _begin_immediate(self) -> None:
        """Take the write lock: SQLite waits up to the busy timeout for it; when the library
        is still busy after that (or SQLite said so without waiting), try again, for up to
        write_patience_seconds in all."""
        deadline = time.monotonic() + self.write_patience_seconds
        while True:
            try:
                self.db.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise LibraryBusy(
                        f"{self.path} is busy: another program is writing to it; "
                        f"try again when it has finished ({exc})"
                    ) from exc
            _pause(RETRY_PAUSE_SECONDS)

    # -- settings ----------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self.write():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- import ------------------------------------------------------------------------

    def add_draft(self, draft: ArticleDraft) -> AddResult:
        """Store one imported article in its own transaction.

        The same text again is a duplicate. An edited text of an article already here (same
        url; or same title and source when neither has a url) replaces it in place, keeping
        the old text in article_versions.
        """
        row = _article_row(draft)
        with self.write():
            return self._store_article_row(draft, row)

    def _store_article_row(self, draft: ArticleDraft, row: dict[str, object]) -> AddResult:
        """add_draft inside the caller's transaction, the draft prepared by _article_row.

        A new article is one INSERT, which SQLite undoes whole if it fails (its triggers
        included): no savepoint of its own. Only an edited version, several writes, has one.
        """
        uid, title, text = cast(str, row["uid"]), cast(str, row["title"]), cast(str, row["text"])
        existing = self.db.execute("SELECT id FROM articles WHERE uid = ?", [uid]).fetchone()
        if existing:
            return AddResult("duplicate", existing[0], title)
        earlier = self._earlier_version(draft, title, text)
        if earlier is not None:
            with self.write():  # a savepoint: a failure leaves no part of the update behind
                old_uid, old_text = self.db.execute(
                    "SELECT uid, text FROM articles WHERE id = ?", [earlier]
                ).fetchone()
                self.db.table("article_versions").insert(
                    {"article_id": earlier, "uid": old_uid, "text": old_text, "replaced_at": now_iso()}
                )
                self._clear_extraction(earlier)
                self.db.table("articles").update(earlier, row)
                self.notes.reanchor_article(earlier, old_text, text)
            return AddResult("updated", earlier, title)
        new_row = {**row, "imported_at": now_iso()}
        # Plain INSERT: sqlite-utils' insert() inspects the schema on every call, which costs
        # more than the insert itself on this hot path.
        article_id = self.db.execute(
            f"INSERT INTO articles ({', '.join(new_row)}) VALUES ({', '.join('?' * len(new_row))})",
            list(new_row.values()),
        ).lastrowid
        return AddResult("imported", cast(int, article_id), title)  # an INSERT's lastrowid is set

    def _earlier_version(self, draft: ArticleDraft, title: str, text: str) -> int | None:
        """The stored article this draft is an edited version of: one with the same url (or,
        when neither has a url, the same title and source) whose text is recognisably the
        same story (_same_story). Another story that carries a stored url (feed items that
        all link to the feed's home page) or title (two "Morning update" pieces from one
        agency) is a new article."""
        if draft.url:
            # The newest few: a feed whose items all link to its home page would otherwise
            # compare each new item with every earlier one.
            candidates = self.db.execute(
                "SELECT id, text FROM articles WHERE url = ? ORDER BY id DESC LIMIT ?",
                [draft.url, EARLIER_VERSION_CANDIDATES],
            ).fetchall()
        elif draft.source:
            candidates = self.db.execute(
                "SELECT id, text FROM articles WHERE url IS NULL AND title = ? AND source = ? "
                "ORDER BY id DESC LIMIT ?",
                [title, draft.source, EARLIER_VERSION_CANDIDATES],
            ).fetchall()
        else:
            return None
        if not candidates:  # most drafts: no words to compare
            return None
        words = text.split()
        for article_id, old_text in candidates:
            if _same_story(old_text.split(), words):
                return article_id
        return None

    def import_items(
        self,
        items: Iterable[ArticleDraft | ImportFailure],
        progress: Callable[[int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Store every draft; failures are collected, never raised. progress(n_done, origin).

        Items are gathered for up to COMMIT_INTERVAL seconds, with no transaction open while
        the importers parse (so the window's own writes never wait on a slow file), then
        written in one transaction in which a failing article leaves no trace (a new one is
        one INSERT, an edited one has a savepoint) and the rest go on. Not a commit per article: FTS5 writes an
        index segment per commit, which made per-article commits 4x slower. A crash loses at
        most that interval of imports, never part of an article; importing again completes it.
        """
        report = ImportReport()
        batch: list[ArticleDraft | ImportFailure] = []
        gathering_since = time.monotonic()
        for item in items:
            batch.append(item)
            if cancelled is not None and cancelled():
                break
            if time.monotonic() - gathering_since >= COMMIT_INTERVAL:
                self._write_batch(batch, report, progress)
                batch, gathering_since = [], time.monotonic()
        self._write_batch(batch, report, progress)
        for failure in report.failed:
            log.warning("import skipped %s", failure.for_display())
        log.info("import: %s", report.summary())
        return report

    def _write_batch(
        self,
        batch: list[ArticleDraft | ImportFailure],
        report: ImportReport,
        progress: Callable[[int, str], None] | None,
    ) -> None:
        """Write the batch in one transaction, each draft in its own savepoint. A busy library
        is no reason to skip a draft: the batch waits (Library.write) and, should SQLite still
        report it busy, is written again whole; only the draft's own fault makes it fail."""
        done_before = len(report.imported) + len(report.updated) + len(report.duplicates) + len(report.failed)
        # Prepared before the write lock is taken: the text work holds up no other writer,
        # and a batch written again after a busy library is not prepared twice.
        prepared = [(item, _prepared(item)) for item in batch]
        deadline = time.monotonic() + self.write_patience_seconds
        while True:
            written = ImportReport()
            try:
                with self.write():
                    for item, row in prepared:
                        self._write_item(item, row, written)
                break
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() >= deadline:
                    raise
            _pause(RETRY_PAUSE_SECONDS)
        report.add(written)
        # After the commit: what progress reports, other connections can already read.
        if progress is not None:
            for n, item in enumerate(batch, done_before + 1):
                progress(n, item.origin)

    def _write_item(
        self, item: ArticleDraft | ImportFailure, row: dict[str, object] | ImportFailure, report: ImportReport
    ) -> None:
        if isinstance(item, ImportFailure):
            report.failed.append(item)
            return
        if isinstance(row, ImportFailure):  # the draft could not be prepared (no text)
            report.failed.append(row)
            return
        try:
            result = self._store_article_row(item, row)
            # No savepoint of its own (see _store_article_row): one INSERT OR IGNORE, whose
            # faults (busy, disk full) are the library's and end the batch as below.
            if item.file_origin is not None:
                self._record_provenance(result.article_id, item, report)
        except (ValueError, sqlite3.Error) as exc:
            if isinstance(exc, sqlite3.Error):
                if is_busy(exc):
                    raise  # the whole batch is written again
                if is_library_fault(exc):
                    # Disk full, read-only, damaged: the rest would fail too. Earlier
                    # batches are committed and kept; this one is rolled back whole.
                    raise library_fault(exc, self.path) from exc
            report.failed.append(ImportFailure(item.origin, str(exc)))
            return
        if result.status == "imported":
            report.imported.append(result.article_id)
        elif result.status == "updated":
            report.updated.append(result.article_id)
            report.updated_titles[result.article_id] = result.title
        else:
            report.duplicates.append(item.origin)

    def _record_provenance(self, article_id: int, draft: ArticleDraft, report: ImportReport) -> None:
        """Record the file the draft came from (and keep a copy of it); name in the report an
        encoding assumed other than UTF-8."""
        file_origin = cast(FileOrigin, draft.file_origin)
        provenance.record(self.db.conn, self.path, article_id, draft.origin, file_origin, now_iso())
        if file_origin.encoding and file_origin.encoding != "UTF-8":
            # Named once per file, not once per line of a JSON-lines file.
            report.assumed_encodings[file_origin.path or draft.origin] = file_origin.encoding

    # -- articles ----------------------------------------------------------------------

    def has_articles(self) -> bool:
        """Whether the library holds any article: one row read, where counting reads them all."""
        return self.db.execute("SELECT EXISTS (SELECT 1 FROM article_list)").fetchone()[0] == 1

    def count_articles(self, article_filter: ArticleFilter | None = None) -> int:
        if article_filter is None or article_filter.is_empty():
            # Counted over articles' smallest index (the dates): at 100,000 articles 1 ms,
            # where article_list's smallest one (the titles) took 17-30 ms.
            return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        where, params = _filter_sql(article_filter or ArticleFilter())
        return self._query(f"SELECT count(*) FROM article_list a{where}", params, article_filter)[0][0]

    def get_article(self, article_id: int) -> Article:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise ArticleNotFound(f"no article with id {article_id}")
        cols = [d[0] for d in self.db.execute("SELECT * FROM articles LIMIT 0").description]
        data = dict(zip(cols, row, strict=False))
        blocks = tuple(Block(k, s, e) for k, s, e in json.loads(data.pop("blocks")))
        return Article(blocks=blocks, **data)

    def list_articles(
        self,
        article_filter: ArticleFilter | None = None,
        order: str = "published",
        descending: bool | None = None,
        offset: int = 0,
        limit: int = -1,
        after: ArticleSummary | None = None,
    ) -> list[ArticleSummary]:
        """Articles passing the filter, sorted; newest first by default, names A-Z.

        `after`: the last row of the previous page, listed in the same order; the page starts
        right after it by an index seek, so a page deep in the list costs what the first one
        does (an `offset` makes SQLite step over every row before it).
        A malformed full-text query in the filter raises LibraryError.
        """
        if descending is None:
            descending = order in ("published", "imported")
        where, params = _filter_sql(article_filter or ArticleFilter())
        key = _LIST_KEYS[order][1 if descending else 0]
        direction, beyond = ("DESC", "<") if descending else ("ASC", ">")
        order_sql = f"a.id {direction}" if key == "id" else f"a.{key} {direction}, a.id {direction}"
        if after is not None:
            seek = f"a.id {beyond} ?" if key == "id" else f"(a.{key}, a.id) {beyond} (?, ?)"
            where += (" AND " if where else " WHERE ") + seek
            params += [after.id] if key == "id" else [_list_key_value(after, order, descending), after.id]
        rows = self._query(
            f"SELECT a.id, a.title, a.source, a.published, a.word_count FROM article_list a{where} "
            f"ORDER BY {order_sql} LIMIT ? OFFSET ?",
            params + [limit, offset],
            article_filter,
        )
        return [ArticleSummary(*row) for row in rows]

    def list_ids(
        self,
        article_filter: ArticleFilter | None = None,
        order: str = "published",
        descending: bool | None = None,
    ) -> list[int]:
        """The ids of every article passing the filter, in list order: read once, a filtered
        list then pages by position (summaries) instead of filtering again for every page."""
        if descending is None:
            descending = order in ("published", "imported")
        if article_filter is not None and order == "published":
            by_entity = self._entity_article_ids_by_date(article_filter, descending)
            if by_entity is not None:
                return by_entity
        where, params = _filter_sql(article_filter or ArticleFilter())
        key = _LIST_KEYS[order][1 if descending else 0]
        direction = "DESC" if descending else "ASC"
        order_sql = f"a.id {direction}" if key == "id" else f"a.{key} {direction}, a.id {direction}"
        rows = self._query(
            f"SELECT a.id FROM article_list a{where} ORDER BY {order_sql}", params, article_filter
        )
        return [row[0] for row in rows]

    def _entity_article_ids_by_date(self, f: ArticleFilter, descending: bool) -> list[int] | None:
        """ "Articles mentioning X" by date, read in order from the entity's own index
        (entity_articles by entity and date) rather than gathered and sorted: an entity named in
        most of the library would otherwise sort most of it. None when the filter is not just
        one entity (and dates), so that the general query answers.

        The order is list_ids' own: undated articles last, ties by id in the same direction
        (article_list's date keys count an empty date as missing going down, as a date going up)."""
        if not f.entity or f.query.strip():
            return None
        entity_ids = self.db.execute("SELECT id FROM entities WHERE name = ? LIMIT 2", [f.entity]).fetchall()
        if len(entity_ids) != 1:
            return None  # none, or one name under two labels: the general query merges them
        clauses, params = ["entity_id = ?"], [entity_ids[0][0]]
        if f.date_from:
            clauses.append("published >= ?")
            params.append(f.date_from)
        if f.date_to:
            clauses.append("published <= ?")
            params.append(f.date_to)
        where = " AND ".join(clauses)
        direction = "DESC" if descending else "ASC"
        dated, undated = (
            ("published > ''", "coalesce(published, '') = ''")
            if descending
            else (
                "published IS NOT NULL",
                "published IS NULL",
            )
        )
        ids = []
        for part, order_sql in (
            (dated, f"published {direction}, article_id {direction}"),
            (undated, f"article_id {direction}"),
        ):
            ids += [
                row[0]
                for row in self.db.execute(
                    f"SELECT article_id FROM entity_articles WHERE {where} AND {part} ORDER BY {order_sql}",
                    params,
                )
            ]
        return ids

    def summaries(self, article_ids: list[int]) -> list[ArticleSummary]:
        """The list rows of these articles, in the order given; ids no longer stored are left out."""
        placeholders = ", ".join("?" * len(article_ids))
        rows = self.db.execute(
            f"SELECT id, title, source, published, word_count FROM article_list WHERE id IN ({placeholders})",
            article_ids,
        ).fetchall()
        by_id = {row[0]: ArticleSummary(*row) for row in rows}
        return [by_id[i] for i in article_ids if i in by_id]

    def _query(self, sql: str, params: list, article_filter: ArticleFilter | None) -> list[tuple]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise _search_error(exc, article_filter.query if article_filter else "", self.path) from exc

    def entity_names(self) -> list[str]:
        """Names of the entities that have mentions (for completion in filters)."""
        rows = self.db.execute(
            "SELECT DISTINCT e.name FROM entities e WHERE EXISTS "
            "(SELECT 1 FROM mentions m WHERE m.entity_id = e.id) ORDER BY e.name COLLATE NOCASE"
        ).fetchall()
        return [r[0] for r in rows]

    def search(self, query: str, limit: int = 50, snippets: bool = True) -> list[SearchHit]:
        """Full-text search (FTS5 query syntax), best first, with a snippet of the text."""
        return self.search_results(query, limit, snippets).hits

    def search_results(self, query: str, limit: int = 50, snippets: bool = True) -> SearchResults:
        """The best `limit` matches by bm25, or, for a very common query (more than
        RANKED_CANDIDATES matches), the newest imported ones, newest first: the result says
        which. FTS5 walks its index in rowid order, so the newest matches cost what they
        number, where bm25 costs about the same for every match. Without `snippets` the hits'
        snippets are empty: FTS5 tokenizes the whole article again for each one.
        """
        fts_query = _article_fts_query(query)
        if not fts_query:
            return SearchResults([], False)
        snippet_sql = "snippet(articles_fts, 1, '[', ']', '…', 12)" if snippets else "''"
        newest_first = self.matches_more_than(query, RANKED_CANDIDATES)
        # Newest first, no rank is computed: bm25 would count a phrase's matches over the
        # whole library (155 ms for "the first" at 100,000 articles) even for 50 rows. Ranked,
        # the order is the rank; selecting it as a column too computed bm25 again for each
        # row shown (+4 ms for "Vonemo Bank" at 100,000 articles).
        order_sql = "articles_fts.rowid DESC" if newest_first else "articles_fts.rank"
        rows = self._query(
            f"""
            SELECT a.id, a.title, a.source, a.published, {snippet_sql}
            FROM articles_fts CROSS JOIN article_list a ON a.id = articles_fts.rowid
            WHERE articles_fts MATCH ? ORDER BY {order_sql} LIMIT ?
            """,
            [fts_query, limit],
            ArticleFilter(query=query),
        )
        return SearchResults([SearchHit(*row) for row in rows], newest_first)

    def matches_more_than(self, query: str, count: int) -> bool:
        """Whether the search `query` matches more than `count` articles: it reads `count`
        matches at most, where counting them all reads every one."""
        fts_query = _article_fts_query(query)
        if not fts_query:
            return False
        row = self._query(
            "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [fts_query, count],
            ArticleFilter(query=query),
        )
        return bool(row)

    def newest_matching(
        self, article_filter: ArticleFilter, limit: int, before: int | None = None
    ) -> list[ArticleSummary]:
        """Articles passing a filter that has a search query, newest imported first: `limit`
        of them, from the one imported just before article `before` (None: from the newest).

        The full-text index is walked in its own order (article ids, newest first) and the
        walk stops after `limit` rows, so a page of a word found in every article costs what
        a page of a rare word does; listing by date must read and sort every match first.
        """
        fts_query = _article_fts_query(article_filter.query)
        if not fts_query:
            return []
        others, params = _filter_sql(replace(article_filter, query=""))
        clauses = ["articles_fts MATCH ?"]
        if before is not None:
            clauses.append("articles_fts.rowid < ?")
        if others:
            clauses.append(others.removeprefix(" WHERE "))
        # CROSS JOIN keeps the index walk the outer loop, whatever the other filters: with a
        # date range SQLite would otherwise walk the dates and sort the matches.
        rows = self._query(
            "SELECT a.id, a.title, a.source, a.published, a.word_count "
            "FROM articles_fts CROSS JOIN article_list a ON a.id = articles_fts.rowid "
            f"WHERE {' AND '.join(clauses)} ORDER BY articles_fts.rowid DESC LIMIT ?",
            [fts_query] + ([before] if before is not None else []) + params + [limit],
            article_filter,
        )
        return [ArticleSummary(*row) for row in rows]

    def _marked_text(self, article_id: int, query: str, fts_function: str) -> str | None:
        """The article's text through FTS5's highlight() or snippet() (`fts_function`, whose
        two ? are the hit marks) for the search `query`; None when the article does not match."""
        fts_query = _article_fts_query(query)
        if not fts_query:
            return None
        try:
            row = self.db.execute(
                f"SELECT {fts_function} FROM articles_fts WHERE articles_fts MATCH ? AND rowid = ?",
                [_HIT_OPEN, _HIT_CLOSE, fts_query, article_id],
            ).fetchone()
        except sqlite3.OperationalError as exc:
            raise _search_error(exc, query, self.path) from exc
        return row[0] if row else None

    def search_hit_spans(self, article_id: int, query: str) -> list[tuple[int, int]]:
        """Where the search `query` matches in the article's text: (start, end) offsets,
        found by FTS5 itself, so stems, prefixes and phrases mark what the search matched."""
        marked = self._marked_text(article_id, query, "highlight(articles_fts, 1, ?, ?)")
        return _marked_spans(marked) if marked else []

    def search_snippet(self, article_id: int, query: str) -> list[tuple[str, bool]]:
        """A dozen words of the article's text around the search's hits, as (text, is_hit)
        pieces ("…" where the text was cut; its first words when only the title matched);
        empty when the article does not match."""
        marked = self._marked_text(article_id, query, "snippet(articles_fts, 1, ?, ?, '…', 16)")
        if not marked:
            return []
        plain = marked.replace(_HIT_OPEN, "").replace(_HIT_CLOSE, "")
        pieces, at = [], 0
        for start, end in _marked_spans(marked):
            pieces += [(plain[at:start], False), (plain[start:end], True)]
            at = end
        pieces.append((plain[at:], False))
        return [(text, hit) for text, hit in pieces if text]

    # -- extraction --------------------------------------------------------------------

    def articles_needing_extraction(self, engine_version: str) -> list[int]:
        rows = self.db.execute(
            "SELECT id FROM articles WHERE extracted_with IS NOT ? ORDER BY id", [engine_version]
        ).fetchall()
        return [r[0] for r in rows]

    def _clear_extraction(self, article_id: int) -> None:
        for table in ("mentions", "timexes", "events"):
            self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])

    def _entity_id(self, name: str, label: str, created_by: str = "model") -> int:
        row = self.db.execute(
            "SELECT id FROM entities WHERE name = ? AND label = ?", [name, label]
        ).fetchone()
        if row:
            return row[0]
        entities = self.db.table("entities")
        return cast(int, entities.insert({"name": name, "label": label, "created_by": created_by}).last_pk)

    def save_extraction(self, article_id: int, extraction: Extraction, text_uid: str | None = None) -> bool:
        """Replace the article's mentions, timexes and events in one transaction.

        With text_uid, nothing is written if the article's text changed meanwhile (the
        extraction was made from an older text); returns whether it was written.
        A few statements whatever the article holds: its entities are found (and the new
        ones made) once per distinct name, the rows go in with one executemany per table.
        """
        with self.write():
            row = self.db.execute("SELECT uid FROM articles WHERE id = ?", [article_id]).fetchone()
            if row is None or (text_uid is not None and row[0] != text_uid):
                return False
            entity_summary.pause_article(self.db, article_id)  # set-wise, see migration 12
            self._clear_extraction(article_id)
            entity_ids = self._entity_ids({(m.canonical, m.label) for m in extraction.mentions})
            conn = self.db.conn
            conn.executemany(
                'INSERT INTO mentions (article_id, entity_id, start, "end", text, label, origin) '
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (article_id, entity_ids[m.canonical, m.label], m.start, m.end, m.text, m.label, m.origin)
                    for m in extraction.mentions
                ],
            )
            conn.executemany(
                'INSERT INTO timexes (article_id, start, "end", text, value, granularity, mod, anchor) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (article_id, t.start, t.end, t.text, t.value, t.granularity, t.mod, t.anchor)
                    for t in extraction.timexes
                ],
            )
            conn.executemany(
                'INSERT INTO events (article_id, start, "end", text, date_start, date_end, granularity, '
                "mod, timex_indexes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (article_id, e.start, e.end, e.text, e.date_start, e.date_end, e.granularity, e.mod,
                     json.dumps(list(e.timex_indexes)))
                    for e in extraction.events
                ],
            )  # fmt: skip
            self._date_from_dateline(article_id, extraction)
            self.db.execute(
                "UPDATE articles SET extracted_with = ? WHERE id = ?",
                [extraction.engine, article_id],
            )
        return True

    def _date_from_dateline(self, article_id: int, extraction: Extraction) -> None:
        """An article imported without a date takes its dateline's ("MOSCOW, March 3, 2024"),
        so that it sorts and filters by date; a date it came with is never replaced."""
        dateline = next(
            (t for t in extraction.timexes if t.anchor == DATELINE and t.granularity == "day" and t.value),
            None,
        )
        if dateline is not None:
            self.db.execute(
                "UPDATE articles SET published = ? WHERE id = ? AND coalesce(published, '') = ''",
                [dateline.value, article_id],
            )

    def _entity_ids(self, names: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The ids of these (name, label) entities, the missing ones made (by the model):
        one INSERT and one look-up for all of them, inside the caller's transaction."""
        if not names:
            return {}
        pairs = json.dumps(sorted(names))
        self.db.execute(
            "INSERT INTO entities (name, label, created_by) "
            "SELECT value ->> 0, value ->> 1, 'model' FROM json_each(?) WHERE true "
            "ON CONFLICT (name, label) DO NOTHING",
            [pairs],
        )
        rows = self.db.execute(
            "SELECT e.name, e.label, e.id FROM json_each(?) AS pair "
            "JOIN entities e ON e.name = pair.value ->> 0 AND e.label = pair.value ->> 1",
            [pairs],
        ).fetchall()
        return {(name, label): entity_id for name, label, entity_id in rows}

    def mentions(self, article_id: int) -> list[Mention]:
        rows = self.db.execute(
            'SELECT m.start, m."end", m.text, m.label, e.name, m.origin, m.entity_id '
            "FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
            "WHERE m.article_id = ? ORDER BY m.start",
            [article_id],
        ).fetchall()
        return [Mention(*row) for row in rows]

    def timexes(self, article_id: int) -> list[TimeExpr]:
        rows = self.db.execute(
            'SELECT start, "end", text, value, granularity, mod, anchor FROM timexes '
            "WHERE article_id = ? ORDER BY start",
            [article_id],
        ).fetchall()
        return [TimeExpr(*row) for row in rows]

    def events(self, article_id: int) -> list[Event]:
        rows = self.db.execute(
            'SELECT start, "end", text, date_start, date_end, granularity, mod, timex_indexes '
            "FROM events WHERE article_id = ? ORDER BY id",
            [article_id],
        ).fetchall()
        return [
            Event(start, end, text, date_start, date_end, granularity, mod, tuple(json.loads(indexes)))
            for start, end, text, date_start, date_end, granularity, mod, indexes in rows
        ]

    # -- the analyst's registry --------------------------------------------------------

    def registry(self) -> Registry:
        aliases = {
            (key, label): (name, entity_label)
            for key, label, name, entity_label in self.db.execute(
                "SELECT a.alias_key, a.label, e.name, e.label "
                "FROM aliases a JOIN entities e ON e.id = a.entity_id"
            )
        }
        rejections = frozenset(self.db.execute("SELECT text_key, label FROM rejections"))
        analyst = dict(self.db.execute("SELECT name, label FROM entities WHERE marked = 1"))
        return Registry(aliases=aliases, rejections=rejections, analyst_entities=analyst)

    def _set_alias(self, alias: str, label: str, entity_id: int) -> None:
        self.db.execute(
            "INSERT INTO aliases (alias, alias_key, label, entity_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(alias_key, label) DO UPDATE SET entity_id = excluded.entity_id",
            [alias, registry_key(alias), label, entity_id],
        )

    def _redirect(self, name: str, label: str, target_id: int) -> None:
        """Make (name, label) and everything that resolved to it resolve to target_id."""
        old = self.db.execute(
            "SELECT id FROM entities WHERE name = ? AND label = ?", [name, label]
        ).fetchone()
        if old and old[0] != target_id:
            self.db.execute("UPDATE aliases SET entity_id = ? WHERE entity_id = ?", [target_id, old[0]])
            self.db.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", [target_id, old[0]])
        self._set_alias(name, label, target_id)

    def rename_entity(self, name: str, label: str, new_name: str) -> None:
        with self.write():
            target = self._entity_id(new_name, label, created_by="analyst")
            self._redirect(name, label, target)

    def relabel_entity(self, name: str, label: str, new_label: str) -> None:
        with self.write():
            target = self._entity_id(name, new_label, created_by="analyst")
            self._redirect(name, label, target)
            self.db.execute("UPDATE mentions SET label = ? WHERE entity_id = ?", [new_label, target])

    def merge_entities(self, name: str, label: str, into_name: str, into_label: str) -> None:
        with self.write():
            target = self._entity_id(into_name, into_label)
            self._redirect(name, label, target)
            self.db.execute("UPDATE mentions SET label = ? WHERE entity_id = ?", [into_label, target])

    def add_alias(self, alias: str, name: str, label: str) -> None:
        with self.write():
            self._set_alias(alias, ANY_LABEL, self._entity_id(name, label))
            self._reextract_articles_containing(alias)

    def reject(self, text: str, label: str = ANY_LABEL) -> None:
        """ "Not an entity": its stored mentions go now, and later extractions drop it."""
        with self.write():
            self.db.execute(
                "INSERT OR IGNORE INTO rejections (text, text_key, label) VALUES (?, ?, ?)",
                [text, registry_key(text), label],
            )
            # Only the mentions of articles that hold the words: a mention's text is in its
            # article, and the full-text index (case- and accent-blind, as registry_key is
            # case- and space-blind) finds those articles, where testing every mention of
            # the library took 1.7 s at 10,000 articles.
            self.db.execute(
                "DELETE FROM mentions WHERE article_id IN "
                "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) "
                "AND registry_key(text) = ? AND (? = ? OR label = ?)",
                [quoted(text), registry_key(text), label, ANY_LABEL, label],
            )

    def mark_entity(self, name: str, label: str) -> None:
        """The analyst says `name` is an entity: it is found in every article that has it."""
        name = " ".join(name.split())
        if not any(c.isalnum() for c in name):
            raise ValueError(f"not a name: {name!r}")
        with self.write():
            self.db.execute(
                "INSERT INTO entities (name, label, created_by, marked) VALUES (?, ?, 'analyst', 1) "
                "ON CONFLICT(name, label) DO UPDATE SET created_by = 'analyst', marked = 1",
                [name, label],
            )
            self._reextract_articles_containing(name)

    def _reextract_articles_containing(self, phrase: str) -> None:
        """A correction that needs the text scanned again: those articles go back in the
        extraction queue (the background extractor picks them up)."""
        self.db.execute(
            "UPDATE articles SET extracted_with = NULL WHERE id IN "
            "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
            [quoted(phrase)],
        )

    # -- article look-ups for W3C annotations (export/w3c.py) ---------------------------

    def article_uid_and_url(self, article_id: int) -> tuple[str, str | None]:
        """The article's content hash and its URL (None without one)."""
        row = self.db.execute("SELECT uid, url FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise ArticleNotFound(f"no article with id {article_id}")
        return row[0], row[1]

    def article_text_by_uid(self, uid: str) -> tuple[int, str] | None:
        """(id, text) of the article with this content hash, now or in an earlier version:
        after an edited re-import the article is found through the uid of the old text."""
        row = self.db.execute(
            "SELECT id, text FROM articles WHERE uid = ? UNION ALL "
            "SELECT a.id, a.text FROM article_versions v JOIN articles a ON a.id = v.article_id "
            "WHERE v.uid = ? LIMIT 1",
            [uid, uid],
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def article_text_by_url(self, url: str) -> tuple[int, str] | None:
        """(id, text) of the first article with this URL."""
        row = self.db.execute(
            "SELECT id, text FROM articles WHERE url = ? ORDER BY id LIMIT 1", [url]
        ).fetchone()
        return None if row is None else (row[0], row[1])
