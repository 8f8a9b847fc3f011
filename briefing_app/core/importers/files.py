"""Reading an input file as text, with a specific reason when it cannot be read."""

from __future__ import annotations

import codecs
from pathlib import Path

# Above this an input is surely not one article or feed, and reading it would stall the import.
MAX_FILE_BYTES = 50 * 1024 * 1024


class UnreadableInput(Exception):
    """An input (or part of one) that cannot be imported; `reason` says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Marks a reason that comes from a fault of an importer rather than of its input; the
# hostile-input tests look for it.
UNEXPECTED_ERROR = "unexpected error in the importer"


def unexpected_error_reason(exc: Exception) -> str:
    """The reason given for an input an importer failed on in a way it did not foresee.

    The importers name every fault of their input they know of; this is the last resort that
    keeps one such input (a file, or an entry of a feed) from ending the whole import.
    """
    detail = " ".join(str(exc).split())
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return (
        f"{UNEXPECTED_ERROR} ({type(exc).__name__}: {detail})"
        if detail
        else f"{UNEXPECTED_ERROR} ({type(exc).__name__})"
    )


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableInput(
                f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read file: {exc.strerror or exc}") from exc


def decode_text(data: bytes) -> str:
    """UTF-8 text (with or without a byte order mark) that is not empty or binary."""
    if not data:
        raise UnreadableInput("empty file")
    # UTF-32 first: its little-endian byte order mark begins with UTF-16's.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise UnreadableInput("UTF-32 text is not supported (save the file as UTF-8)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableInput("UTF-16 text is not supported (save the file as UTF-8)")
    nul = data.find(b"\0")
    if nul >= 0:
        wide = _wide_encoding(data)
        if wide:
            raise UnreadableInput(f"{wide} text is not supported (save the file as UTF-8)")
        raise UnreadableInput(f"binary file (NUL byte at offset {nul})")
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        raise UnreadableInput(f"not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset})") from exc
    if not text.strip():
        raise UnreadableInput("empty file (only whitespace)")
    return text


def _wide_encoding(data: bytes) -> str | None:
    """Which of UTF-32 and UTF-16 data is in, if it begins like text in one of them without
    a byte order mark: there a Latin letter is its byte and three or one NUL bytes, in either
    order."""
    for name, width in (("UTF-32", 4), ("UTF-16", 2)):
        head = data[: 256 // width * width]
        if len(head) < 2 * width:
            continue
        lanes = [head[lane::width] for lane in range(width)]
        for text_lane in (0, width - 1):  # little- or big-endian
            others = [lane for number, lane in enumerate(lanes) if number != text_lane]
            if all(not lane.strip(b"\0") for lane in others) and b"\0" not in lanes[text_lane]:
                return name
    return None


def read_text(path: Path) -> str:
    """The decoded text of a file; raises UnreadableInput with the reason it cannot be."""
    return decode_text(read_bytes(path))
