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
    """The text of data in UTF-8 or, failing that, in the encoding detected (decoded_text)."""
    return decoded_text(data)[0]


# Legacy encodings' names as the import summary gives them, by Python's codec name.
_ENCODING_NAMES = {
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1 (ISO-8859-1)",
    "iso8859_15": "Latin-9 (ISO-8859-15)",
    "utf_16": "UTF-16",
}
# charset-normalizer finds a short text in French or German as plausible in several Latin
# code pages at once (cp1250, cp1252, cp1257, ...), ranking Central European first, and
# leaves out one that reads the bytes as the same text as another. The Western one, far the
# most common, wins when it is as plausible as the first or reads the bytes as one that is.
_PREFERRED_LEGACY = ("cp1252", "latin_1", "iso8859_15")


def decoded_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without a byte order mark), UTF-16 with a byte order
    mark, else a legacy 8-bit encoding as charset-normalizer detects it. The encoding is
    "UTF-8" or the name the import summary gives. Empty or binary data, and bytes that are
    text in no encoding, raise UnreadableInput."""
    if not data:
        raise UnreadableInput("empty file")
    # UTF-32 first: its little-endian byte order mark begins with UTF-16's.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise UnreadableInput("UTF-32 text is not supported (save the file as UTF-8)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _not_blank(data.decode("utf-16")), _ENCODING_NAMES["utf_16"]
        except UnicodeDecodeError as exc:
            raise UnreadableInput(f"damaged UTF-16 text (at byte offset {exc.start})") from exc
    nul = data.find(b"\0")
    if nul >= 0:
        wide = _wide_encoding(data)
        if wide:
            raise UnreadableInput(
                f"{wide} text without a byte order mark is not supported (save the file as UTF-8)"
            )
        raise UnreadableInput(f"binary file (NUL byte at offset {nul})")
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return _not_blank(data[bom:].decode("utf-8")), "UTF-8"
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        not_utf8 = f"not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset})"
        if bom:  # it says it is UTF-8: damaged, not in another encoding
            raise UnreadableInput(not_utf8) from exc
    legacy = _legacy_encoding(data)
    if legacy is None:
        raise UnreadableInput(f"{not_utf8}, nor text in a legacy encoding")
    name = _ENCODING_NAMES.get(legacy) or (f"Windows-{legacy[2:]}" if legacy.startswith("cp125") else legacy)
    return _not_blank(data.decode(legacy)), name


def _legacy_encoding(data: bytes) -> str | None:
    """The codec of bytes that are not UTF-8, by charset-normalizer, or None if no encoding
    makes readable text of them."""
    from charset_normalizer import from_bytes  # imported when needed: most input is UTF-8

    matches = [match for match in from_bytes(data) if not match.encoding.startswith(("utf", "ascii"))]
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    tied = [match for match in matches if match.chaos <= least_chaos + 0.01]
    for name in _PREFERRED_LEGACY:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if any(match.encoding == name or str(match) == text for match in tied):
            return name
    return tied[0].encoding


def _not_blank(text: str) -> str:
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


def read_text_and_encoding(path: Path) -> tuple[str, str]:
    """(the decoded text of a file, the encoding it was read in: see decoded_text)."""
    return decoded_text(read_bytes(path))
