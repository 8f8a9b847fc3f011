"""Text from outside (file names, feed titles) made safe to show on a terminal or in a list.

A file name may hold any character but "/" and NUL: an escape sequence in one would drive the
user's terminal, a newline would forge a line of output, a bidirectional override would show
the name reversed. Undecodable bytes of a name come into Python as lone surrogates
(surrogateescape), which a strict UTF-8 stream cannot even write.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; lone surrogates; line and paragraph separators; the
# bidirectional embeddings, overrides, isolates and marks ("Trojan Source").
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    """text with every control character escaped as Python writes it in a string literal
    ("\\x1b", "\\n", "\\u202e"); an undecodable byte of a file name shows as the byte
    ("\\xff"). Other characters, backslashes included, are left as they are."""
    return _UNPRINTABLE.sub(_escape, text)


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    if match[0] in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[match[0]]
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
