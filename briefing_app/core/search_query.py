"""What an analyst types in a search field -> an FTS5 query that SQLite accepts.

FTS5's own syntax rejects much of what people type about news: "U.S." (a column filter "U"?),
"Lavrov's" (an unterminated string), "A380-800" (the column "800"). The index tokenises text
with unicode61: runs of letters and digits are tokens, everything else separates them. So a
typed word is wrapped in an FTS5 string, which FTS5 tokenises the same way ("U.S." becomes the
phrase "u s"), and punctuation alone, which the index never holds, is dropped.

Operators still work when they are used on purpose: AND, OR, NOT between two terms, NEAR(...),
"balanced phrases", a trailing * for a prefix, ( ) groups and column
filters (the index's column names). An operator word with nothing to join ("AND" alone, "NOT x" at the start) is a word.
A query that is still invalid raises SearchSyntaxError with a one-line explanation.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

OPERATORS = frozenset({"AND", "OR", "NOT"})
ARTICLE_COLUMNS = ("title", "text")

# A balanced "phrase" (optionally with a column filter and a trailing * for a prefix), a group
# bracket, NEAR( ... ) as written, or a run of anything else.
_PIECE = re.compile(
    r"""
    (?P<phrase>(?:\w+:)?"[^"]*"\*?)
    | (?P<near>NEAR\([^()"]*\))
    | (?P<open>\()
    | (?P<close>\))
    | (?P<word>[^\s()]+)
    """,
    re.VERBOSE,
)
_TOKEN_CHARACTER = re.compile(r"[^\W_]", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SearchSyntaxError(ValueError):
    """A query FTS5 cannot run even after the translation; the message says where."""


@dataclass(frozen=True)
class _Piece:
    kind: str  # term | operator | open | close
    text: str


def quoted(words: str) -> str:
    """The FTS5 string of these words, whatever they hold (a phrase of several; quotes doubled)."""
    return '"' + words.replace('"', '""') + '"'


def _term(word: str, columns: Collection[str]) -> str | None:
    """One typed word as an FTS5 term, or None when it holds nothing the index has."""
    column = ""
    name, colon, rest = word.partition(":")
    if colon and name.lower() in columns and rest:
        column, word = name.lower() + ":", rest
    prefix = word.endswith("*") and len(word) > 1
    if prefix:
        word = word.rstrip("*")
    word = word.replace('"', "")  # a stray quote mark: the phrase it opened is not closed
    if not _TOKEN_CHARACTER.search(word):
        return None
    return column + quoted(word) + ("*" if prefix else "")


def _phrase(text: str, columns: Collection[str]) -> str | None:
    column = ""
    if not text.startswith('"'):
        name, _, text = text.partition(":")
        if name.lower() in columns:  # an unknown column name is dropped, the phrase kept
            column = name.lower() + ":"
    prefix = text.endswith("*")
    inner = text.rstrip("*")[1:-1]
    if not _TOKEN_CHARACTER.search(inner):
        return None
    return column + quoted(inner) + ("*" if prefix else "")


def _near(text: str, columns: Collection[str]) -> str | None:
    """NEAR(words, N) with each word quoted; the distance kept when it is a number."""
    inside = text[len("NEAR(") : -1]
    words, comma, distance = inside.rpartition(",")
    if not comma or not distance.strip().isdigit():
        words, distance = inside, ""
    terms = [t for t in (_term(w.rstrip("*"), columns) for w in words.split()) if t]
    if not terms:
        return None
    if len(terms) == 1:
        return terms[0]
    return f"NEAR({' '.join(terms)}{', ' + distance.strip() if distance else ''})"


def _pieces(query: str, columns: Collection[str]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for match in _PIECE.finditer(query):
        kind = match.lastgroup
        text = match.group()
        if kind == "phrase":
            term = _phrase(text, columns)
            if term:
                pieces.append(_Piece("term", term))
        elif kind == "near":
            near = _near(text, columns)
            if near:
                pieces.append(_Piece("term", near))
        elif kind in ("open", "close"):
            pieces.append(_Piece(kind, text))
        elif text in OPERATORS:
            pieces.append(_Piece("operator", text))
        else:
            term = _term(text, columns)
            if term:
                pieces.append(_Piece("term", term))
    return pieces


def _balance_groups(pieces: list[_Piece]) -> list[_Piece]:
    """Brackets stay only when they pair up; an unpaired one was punctuation."""
    depth = 0
    unmatched_opens: list[int] = []
    drop: set[int] = set()
    for index, piece in enumerate(pieces):
        if piece.kind == "open":
            depth += 1
            unmatched_opens.append(index)
        elif piece.kind == "close":
            if depth == 0:
                drop.add(index)
            else:
                depth -= 1
                unmatched_opens.pop()
    drop.update(unmatched_opens)
    kept = [p for i, p in enumerate(pieces) if i not in drop]
    # An empty group "()" says nothing.
    result: list[_Piece] = []
    for piece in kept:
        if piece.kind == "close" and result and result[-1].kind == "open":
            result.pop()
            continue
        result.append(piece)
    return result


def _operators_between_terms(pieces: list[_Piece]) -> list[_Piece]:
    """An operator joins what ends before it to what starts after it; otherwise it is a word."""
    result: list[_Piece] = []
    for index, piece in enumerate(pieces):
        if piece.kind == "operator":
            before = result[-1].kind if result else None
            after = pieces[index + 1].kind if index + 1 < len(pieces) else None
            if before in ("term", "close") and after in ("term", "open"):
                result.append(piece)
            else:
                result.append(_Piece("term", quoted(piece.text)))
            continue
        result.append(piece)
    return result


def to_fts_query(query: str, columns: Collection[str] = ARTICLE_COLUMNS) -> str:
    """The FTS5 MATCH expression for a typed query over an index of `columns`; "" when
    nothing in it can match. A column filter naming another column is dropped.

    >>> to_fts_query("U.S. sanctions")
    '"U.S." "sanctions"'
    """
    # Control characters (a NUL ends an FTS5 string early) are never part of a token.
    query = _CONTROL.sub(" ", query)
    pieces = _operators_between_terms(_balance_groups(_pieces(query, columns)))
    # A group that ends up holding only operators or nothing was already folded away; two
    # operators in a row ("a AND OR b") make the second a word.
    fixed: list[_Piece] = []
    for piece in pieces:
        if piece.kind == "operator" and fixed and fixed[-1].kind == "operator":
            fixed.append(_Piece("term", quoted(piece.text)))
        else:
            fixed.append(piece)
    if not any(p.kind == "term" for p in fixed):
        return ""
    # FTS5 joins two phrases by AND implicitly, but not a phrase and a group: say it.
    words: list[str] = []
    for previous, piece in zip([None, *fixed], fixed, strict=False):
        if previous and previous.kind in ("term", "close") and piece.kind in ("term", "open"):
            words.append("AND")
        words.append(piece.text)
    return " ".join(words)


def explain_fts_error(message: str, query: str) -> str:
    """One line for a query FTS5 refused after translation."""
    return f"cannot search for {query!r}: {message.removeprefix('fts5: ')}"


# A prefix term of a translated query: its quoted text, then the star.
_PREFIX_TERM = re.compile(r'"((?:[^"]|"")*)"\*')
_NOT_TOKEN = re.compile(r"[\W_]+", re.UNICODE)


def short_prefix(fts_query: str, min_length: int) -> str | None:
    """The first prefix in a translated query (to_fts_query) whose last word has fewer than
    `min_length` characters, as typed ("a*"); None when there is none."""
    for match in _PREFIX_TERM.finditer(fts_query):
        inner = match.group(1).replace('""', '"')
        words = [w for w in _NOT_TOKEN.split(inner) if w]
        if words and len(words[-1]) < min_length:
            return inner + "*"
    return None
