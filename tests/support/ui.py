"""What the UI tests share: an article with a hand-made extraction, an extractor that needs
no spaCy but applies the analyst's registry the way the real one does, a wait for jobs, and
the character format at an offset of the text pane."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextCharFormat, QTextCursor

from briefing_app.core.extract.registry import ANY_LABEL, Registry, registry_key
from briefing_app.core.model import Event, Extraction, Mention, TimeExpr
from briefing_app.ui.textpane import TextPane

ARTICLE_TEXT = (
    "Sahel ministers meet Lavrov in Moscow 🇷🇺\n"
    "Moscow, September 6, 2023\n"
    "Foreign Minister Sergey Lavrov 👋 received Abdoulaye Diop of Mali and Bakary Yaou Sangaré of Niger.\n"
    "On September 6, 2023, the three states founded the Alliance of Sahel States.\n"
    "Mali has trained with Russian instructors since 2024.\n"
    "Lavrov said that the talks would go on next spring.\n"
    "Photo: Russian Foreign Ministry"
)
ARTICLE_ID = 1  # the first article of a new library
FAKE_ENGINE = "fake-extract/1"
# What the fake model "finds": surface text -> label.
FAKE_MODEL = {
    "Sergey Lavrov": "PERSON",
    "Lavrov": "PERSON",
    "Abdoulaye Diop": "PERSON",
    "Bakary Yaou Sangaré": "PERSON",
    "Moscow": "GPE",
    "Mali": "GPE",
    "Niger": "GPE",
    "Sahel": "LOC",
    "Alliance of Sahel States": "ORG",
    "Russian": "NORP",
}


def sentence_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return text.rfind("\n", 0, start) + 1, text.index(".", start) + 1


def fake_events(text: str) -> tuple[Event, ...]:
    founded = sentence_of(text, "the three states founded")
    since = sentence_of(text, "since 2024")
    spring = sentence_of(text, "next spring")
    return (
        Event(*founded, text[founded[0] : founded[1]], "2023-09-06", "2023-09-06", "day"),
        Event(*since, text[since[0] : since[1]], "2024", None, "year", "since"),
        Event(*spring, text[spring[0] : spring[1]], None, None, "unknown"),
    )


class FakeExtractor:
    """Longest surface first, no overlaps; the registry's rejections, aliases and analyst
    entities applied like the real pipeline's contract says."""

    engine_version = FAKE_ENGINE

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def extract(self, text: str, published: str | None = None) -> Extraction:
        found: dict[str, str] = dict(FAKE_MODEL)
        found.update(self.registry.analyst_entities)
        taken: list[tuple[int, int]] = []
        mentions = []
        for surface in sorted(found, key=len, reverse=True):
            label = found[surface]
            key = registry_key(surface)
            if (key, ANY_LABEL) in self.registry.rejections or (key, label) in self.registry.rejections:
                continue
            canonical, label = self.registry.aliases.get(
                (key, label), self.registry.aliases.get((key, ANY_LABEL), (surface, label))
            )
            for match in re.finditer(rf"\b{re.escape(surface)}\b", text):
                span = match.span()
                if any(s < span[1] and span[0] < e for s, e in taken):
                    continue
                taken.append(span)
                mentions.append(Mention(*span, surface, label, canonical))
        mentions.sort(key=lambda m: m.start)
        if text != ARTICLE_TEXT:
            return Extraction(tuple(mentions), engine=FAKE_ENGINE)
        since = text.index("since 2024") + len("since ")
        timex = TimeExpr(since, since + 4, "2024", "2024", "year")
        return Extraction(tuple(mentions), (timex,), fake_events(text), FAKE_ENGINE)

    def extract_many(self, items, n_process: int = 1):
        for text, published in items:
            yield self.extract(text, published)


def wait_for_jobs(qtbot, window, timeout=10000):
    """Until the window's writes have landed and its background jobs (the re-extractions
    they start among them) have ended."""
    qtbot.waitUntil(lambda: not window.ops.is_busy() and not window.jobs.is_busy(), timeout=timeout)


def wait_for_writes(qtbot, window, timeout=10000):
    """Until every write the window started has landed (or been given up, and told)."""
    qtbot.waitUntil(lambda: not window.ops.is_busy(), timeout=timeout)


def format_at(pane: TextPane, offset: int) -> QTextCharFormat:
    """The character format of the character at code point `offset`."""
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(pane.positions.to_qt(offset) + 1)  # the format of the char before
    return cursor.charFormat()


def exported(qtbot, window, export, timeout=20000) -> bool:
    """Run an export from the window (`export()`, e.g. lambda: window.export_to(...)): on a
    library file it is written in the background, and this waits until it has landed.
    Whether it was written (False: the window said why, in export_message)."""
    window.export_message = None
    started = export()
    if started is None:
        qtbot.waitUntil(lambda: window.exports_running == 0, timeout=timeout)
        return window.export_message is None
    return started
