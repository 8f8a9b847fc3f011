"""Plain text laid out from marked-up input: one line per paragraph, heading or list item.

The Markdown and HTML importers walk their markup and write through this builder, so every
format yields the same layout that `textnorm.detect_blocks` reads back: blocks separated by a
blank line, list items as "- item" / "1. item" lines, headings as lines of their own and
listed for `ArticleDraft.headings`.
"""

from __future__ import annotations


class PlainTextBuilder:
    def __init__(self) -> None:
        self._blocks: list[list[str]] = []
        self._open_block = False
        self.headings: list[str] = []

    def start_block(self) -> None:
        """The next line begins a new block (after a blank line)."""
        self._open_block = False

    def line(self, text: str, prefix: str = "") -> None:
        """A line of running text: inner whitespace (source line breaks too) collapsed."""
        text = " ".join(text.split())
        if text:
            self._append(prefix + text)

    def lines(self, text: str, prefix: str = "") -> None:
        """Several lines of running text, split at the explicit line breaks ("\\n") in text."""
        for part in text.split("\n"):
            self.line(part, prefix)

    def preformatted(self, text: str) -> None:
        """Code or other preformatted text, kept line by line as it is, in a block of its own."""
        if not text.strip():
            return
        self.start_block()
        for part in text.strip("\n").split("\n"):
            self._append(part.rstrip())
        self.start_block()

    def heading(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.start_block()
            self._append(text)
            self.headings.append(text)
            self.start_block()

    def text(self) -> str:
        return "\n\n".join("\n".join(block) for block in self._blocks)

    def _append(self, line: str) -> None:
        if not self._open_block:
            self._blocks.append([])
            self._open_block = True
        self._blocks[-1].append(line)
