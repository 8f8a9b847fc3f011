"""The library's connection, as `Library.db`: what the store asks of sqlite-utils' Database on
every start (execute, transactions, functions, WAL), straight on sqlite3; the rest of
sqlite-utils (tables, FTS set-up: migrations and a few writes) on a Database made on first use.

Why not a sqlite_utils.Database from the start: importing sqlite-utils costs about a third of a
second (it imports numpy when numpy is installed, as spaCy's dependency it always is, and
click, pluggy and dateutil), and opening a library that needs no upgrade uses none of it.
`execute` keeps sqlite-utils' rules for transactions, so code written against its Database
behaves the same here; tests/core/test_database.py holds the two side by side.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.db import Table

# Statements that open or close a transaction themselves: execute() leaves them alone.
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


class LibraryDatabase:
    """One library connection; `utils` is the sqlite_utils.Database on it, made when first used."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # As sqlite_utils.Database does on opening: a trigger's write fires the triggers it
        # meets (the full-text and entity-index triggers rest on it).
        conn.execute("PRAGMA recursive_triggers = on")

    @cached_property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils' Database on the same connection (imported here, on first use)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement, as sqlite_utils.Database.execute does: a write outside a
        transaction is committed at once; inside one (write(), BEGIN) it joins it; a failed
        statement leaves no transaction open that it began itself."""
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        if (
            not was_in_transaction
            and self.conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            # The sqlite3 module began a transaction before the write: nothing would commit it.
            self.conn.execute("COMMIT")
        return cursor

    def rollback(self) -> None:
        """Roll back the open transaction, if there is one."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def atomic(self) -> AbstractContextManager[sqlite_utils.Database]:
        """A transaction, or a savepoint inside the open one (sqlite-utils' atomic())."""
        return self.utils.atomic()

    def table(self, name: str) -> Table:
        return self.utils.table(name)

    def register_function(self, fn: Callable[..., Any], deterministic: bool = False) -> None:
        """`fn` callable from SQL under its own name, with as many arguments as it takes."""
        arity = len(inspect.signature(fn).parameters)
        try:
            self.conn.create_function(fn.__name__, arity, fn, deterministic=deterministic)
        except sqlite3.NotSupportedError:  # an SQLite older than 3.8.3: no deterministic flag
            self.conn.create_function(fn.__name__, arity, fn)

    @property
    def journal_mode(self) -> str:
        return self.conn.execute("PRAGMA journal_mode").fetchone()[0]

    def enable_wal(self) -> None:
        """Switch the file to WAL; once per file, so sqlite-utils does it, only when needed."""
        if self.journal_mode != "wal":
            self.utils.enable_wal()

    def close(self) -> None:
        self.conn.close()


def _first_keyword(sql: str) -> str:
    """The statement's first keyword, upper-cased, past blanks, semicolons, a byte order mark
    and comments; "" when there is none (as sqlite-utils reads it)."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()
