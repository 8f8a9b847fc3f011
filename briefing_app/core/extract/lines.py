"""`briefing extract --jsonl`: one JSON object in per line, one out per line, in order.

A line that is not a usable {"id", "text", "published"} object, or whose extraction fails,
gets an error object on its output line ({"id": ..., "error": "..."}) and the others go on.
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from briefing_app.core.extract.pipeline import Extractor
from briefing_app.core.extract.serialize import extraction_to_json


@dataclass
class _Line:
    """One input line: what it asks for, or why it cannot be done."""

    number: int
    id: Any = None
    text: str = ""
    published: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class LineResult:
    """The output object of one input line; `failed` when it is an error object."""

    output: dict[str, Any]
    failed: bool


def extract_lines(
    lines: Iterable[str | bytes], extractor: Extractor, n_process: int = 1
) -> Iterator[LineResult]:
    """The result of every line, in order, as they are ready (the input is read as needed).

    Bytes lines must be UTF-8. An extraction that raises is retried line by line, so only
    the line that causes it gets the error.
    """
    read_failure: list[OSError] = []
    parsed = (_parse(number, line) for number, line in enumerate(_read(lines, read_failure), 1))
    pending: deque[_Line] = deque()  # read, its result not given yet

    def texts() -> Iterator[tuple[str, str | None]]:
        for line in parsed:
            pending.append(line)
            if line.error is None:
                yield line.text, line.published

    while True:
        try:
            for extraction in extractor.extract_many(texts(), n_process=n_process):
                while pending[0].error is not None:
                    yield _error(pending.popleft())
                line = pending.popleft()
                yield LineResult(extraction_to_json(extraction, line.id), failed=False)
            break
        except Exception:
            if not any(line.error is None for line in pending):
                raise  # not a line's fault (no model): nothing to pin it on
            while pending:
                yield _one_by_one(extractor, pending.popleft())
    while pending:
        yield _error(pending.popleft())
    if read_failure:  # after the results of what could be read
        raise read_failure[0]


def _read(lines: Iterable[str | bytes], failure: list[OSError]) -> Iterator[str | bytes]:
    """The lines; a read error ends them and is kept in `failure`, not raised through spaCy."""
    try:
        yield from lines
    except OSError as exc:
        failure.append(exc)


def _one_by_one(extractor: Extractor, line: _Line) -> LineResult:
    if line.error is not None:
        return _error(line)
    try:
        extraction = extractor.extract(line.text, line.published)
    except Exception as exc:  # this line's text breaks extraction: said on its line
        line.error = f"line {line.number}: extraction failed ({type(exc).__name__}: {exc})"
        return _error(line)
    return LineResult(extraction_to_json(extraction, line.id), failed=False)


def _error(line: _Line) -> LineResult:
    return LineResult({"id": line.id, "error": line.error}, failed=True)


def _parse(number: int, raw: str | bytes) -> _Line:
    line = _Line(number)
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line.error = f"line {number}: not UTF-8 ({exc.reason} at byte {exc.start})"
            return line
    if not raw.strip():
        line.error = f"line {number}: empty"
        return line
    try:
        row = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        line.error = f"line {number}: not JSON (nested too deeply)"
        return line
    except ValueError as exc:  # JSONDecodeError, and ints of more than 4,300 digits
        line.error = f"line {number}: not JSON ({exc})"
        return line
    if not isinstance(row, dict):
        line.error = f"line {number}: not a JSON object but {_json_type(row)}"
        return line
    try:
        json.dumps(row.get("id"))
    except RecursionError:
        line.error = f'line {number}: its "id" is nested too deeply to write back'
        return line
    line.id = row.get("id")
    text, published = row.get("text"), row.get("published")
    if not isinstance(text, str):
        line.error = f'line {number}: "text" is {_json_type(text)}, not a string'
    elif not isinstance(published, str | None):
        line.error = f'line {number}: "published" is {_json_type(published)}, not a date string'
    elif (where := _lone_surrogate(text)) is not None:
        line.error = f'line {number}: "text" is not valid Unicode (a lone surrogate at {where})'
    else:
        line.text, line.published = text, published
    return line


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(f"{literal[:20]} is too large a number")
    return value


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}
    return names.get(type(value), "an object")


def _lone_surrogate(text: str) -> int | None:
    """Where `text` has a lone surrogate (JSON can escape one, UTF-8 cannot carry it)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def json_line(output: dict[str, Any]) -> str:
    """One output line. An id with a lone surrogate is written escaped, still valid JSON."""
    line = json.dumps(output, ensure_ascii=False)
    if _lone_surrogate(line) is not None:
        line = json.dumps(output)
    return line + "\n"
