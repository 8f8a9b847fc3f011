"""The library's errors, apart from store.py so that notes.py can raise them without importing
the store (store.py imports notes.py: the Library hands out its NoteStore as `library.notes`)."""

from __future__ import annotations


class LibraryError(Exception):
    """The library cannot be opened or used as asked; the message says why."""


class ArticleNotFound(LibraryError):
    pass


class LibraryBusy(LibraryError):
    """Another program kept the library's write lock for longer than a writer waits."""


class SearchRefused(LibraryError):
    """A search query that cannot run as typed (even after translation, or a one-letter
    prefix); the message says where. An answer to the query, not a fault of the library."""
