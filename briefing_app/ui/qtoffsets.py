"""Code point offsets (the store's) <-> UTF-16 positions (Qt's), in one place.

They differ only after a character outside the Basic Multilingual Plane (emoji, some CJK),
which takes two UTF-16 units. Most texts have none, so the table is built only when needed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_NON_BMP = re.compile("[\U00010000-\U0010ffff]")


class Utf16Positions:
    """Position conversion for one text; O(1) without non-BMP characters, else O(log n)."""

    def __init__(self, text: str) -> None:
        # Code point index of each non-BMP character, and its UTF-16 start.
        self._astral = [m.start() for m in _NON_BMP.finditer(text)]
        self._astral_utf16 = [index + n for n, index in enumerate(self._astral)]
        self.utf16_length = len(text) + len(self._astral)

    def to_qt(self, offset: int) -> int:
        """The UTF-16 position of code point offset `offset`."""
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """The code point offset of UTF-16 `position`; inside a surrogate pair, its character."""
        if not self._astral:
            return position
        before = bisect_right(self._astral_utf16, position - 1)  # pairs starting before position
        if before and self._astral_utf16[before - 1] == position - 1:
            return self._astral[before - 1]  # position falls between the two halves
        return position - before

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)
