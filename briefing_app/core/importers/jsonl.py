"""JSON records: .jsonl (one object per line) and .json (an object or a list of objects).

A record has "text" and optionally "title", "published" (a complete date), "source", "url"
and "author". A bad record is a failure naming its line (or list item); the others import.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from briefing_app.core.importers.files import UnreadableInput, read_text_and_encoding, unexpected_error_reason
from briefing_app.core.model import ArticleDraft, FileOrigin, ImportFailure
from briefing_app.core.textnorm import iso_date, normalize_text, title_from_text

_OPTIONAL_FIELDS = ("title", "published", "source", "url", "author")
_INT_DIGITS_LIMIT = sys.get_int_max_str_digits() or sys.maxsize  # 0: no limit
# "\ud800" escapes decode to lone surrogates, and "\u0000" to NUL: neither is text to store.
_NOT_TEXT = re.compile("[\ud800-\udfff\x00]")


def read_jsonl(path: Path) -> Iterator[ArticleDraft | ImportFailure]:
    # Split at "\n" only: str.splitlines would also split at U+2028, which JSON strings
    # may hold unescaped.
    text, encoding = read_text_and_encoding(path)
    file_origin = FileOrigin(importer="jsonl", encoding=encoding)
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield replace(record_draft(_loads(line), origin=f"{path} line {number}"), file_origin=file_origin)
        except UnreadableInput as exc:
            yield ImportFailure(str(path), f"line {number}: {exc.reason}")
        except Exception as exc:  # one line the importer fails on must not take the others with it
            yield ImportFailure(str(path), f"line {number}: {unexpected_error_reason(exc)}")


def read_json(path: Path) -> Iterator[ArticleDraft | ImportFailure]:
    text, encoding = read_text_and_encoding(path)
    file_origin = FileOrigin(importer="json", encoding=encoding)
    data = _loads(text)
    if isinstance(data, dict):
        yield replace(record_draft(data, origin=str(path)), file_origin=file_origin)
        return
    if not isinstance(data, list):
        raise UnreadableInput(f"expected an object or a list of objects, found {_json_type(data)}")
    if not data:
        raise UnreadableInput("empty list")
    for number, record in enumerate(data, 1):
        try:
            yield replace(record_draft(record, origin=f"{path} item {number}"), file_origin=file_origin)
        except UnreadableInput as exc:
            yield ImportFailure(str(path), f"item {number}: {exc.reason}")
        except Exception as exc:  # one item the importer fails on must not take the others with it
            yield ImportFailure(str(path), f"item {number}: {unexpected_error_reason(exc)}")


def record_draft(record: Any, origin: str) -> ArticleDraft:
    if not isinstance(record, dict):
        raise UnreadableInput(f"expected an object, found {_json_type(record)}")
    text = record.get("text")
    if text is None:
        raise UnreadableInput("missing 'text'")
    if not isinstance(text, str):
        raise UnreadableInput(f"'text' must be a string, found {_json_type(text)}")
    _refuse_non_text("text", text)
    text = normalize_text(text)
    if not text:
        raise UnreadableInput("empty 'text'")
    fields: dict[str, Any] = {}  # str values of ArticleDraft's optional str fields
    for name in _OPTIONAL_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise UnreadableInput(f"{name!r} must be a string, found {_json_type(value)}")
        _refuse_non_text(name, value)
        if value.strip():
            fields[name] = " ".join(value.split())
    if "published" in fields:
        published = iso_date(fields["published"])
        if published is None:
            raise UnreadableInput(f"'published' is not a complete date: {fields['published']!r}")
        fields["published"] = published
    fields.setdefault("title", title_from_text(text))
    return ArticleDraft(text=text, origin=origin, **fields)


def _number(digits: str) -> int | Decimal:
    """A JSON integer. Python refuses to convert one of more than 4300 digits (a guard
    against quadratic conversion); no field of a record is a number, so such a one, in a
    field that is ignored, must not cost the record: it is kept as a Decimal, which has no
    such limit."""
    return int(digits) if len(digits) <= _INT_DIGITS_LIMIT else Decimal(digits)


def _loads(source: str) -> Any:
    try:
        return json.loads(source, parse_int=_number)
    except json.JSONDecodeError as exc:
        # A JSON Lines line is one line: its column says where.
        where = f"column {exc.colno}" if exc.lineno == 1 else f"line {exc.lineno}, column {exc.colno}"
        raise UnreadableInput(f"invalid JSON: {exc.msg} ({where})") from exc
    except RecursionError as exc:
        raise UnreadableInput("invalid JSON: nested too deeply") from exc


def _refuse_non_text(name: str, value: str) -> None:
    found = _NOT_TEXT.search(value)
    if found:
        what = "a NUL character" if found[0] == "\x00" else f"a lone surrogate (\\u{ord(found[0]):04x})"
        raise UnreadableInput(f"{name!r} holds {what}, which is not text")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")
