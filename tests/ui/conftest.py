"""UI fixtures: a library file with a hand-made extraction, and an extractor that needs no
spaCy but applies the analyst's registry the way the real one does."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings

from briefing_app.core.extract.registry import ANY_LABEL, Registry, registry_key
from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention, TimeExpr

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


@pytest.fixture
def make_library(tmp_path):
    """Library files on disk (the workers open their own connection to the same file)."""
    from briefing_app.core.store import Library

    opened = []

    def make(name: str = "library.db") -> Library:
        library = Library(tmp_path / name)
        opened.append(library)
        return library

    yield make
    for library in opened:
        library.close()


@pytest.fixture
def ui_library(make_library):
    """One extracted article (with emoji before its mentions) and two without extraction."""
    library = make_library()
    added = library.add_draft(ArticleDraft(ARTICLE_TEXT, source="TASS", published="2025-02-10", origin="test"))
    assert added.article_id == ARTICLE_ID
    library.save_extraction(ARTICLE_ID, FakeExtractor(Registry()).extract(ARTICLE_TEXT))
    for n, (title, published) in enumerate((("Airbus orders", "2008-03-01"), ("Apple unveils iPhone", "2010-06-07"))):
        library.add_draft(ArticleDraft(f"{title}\nText of article {n} about Boeing.", title=title, published=published))
    return library


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings" / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, ui_library, settings, monkeypatch):
    from briefing_app.ui.mainwindow import MainWindow

    win = MainWindow(ui_library, settings, make_extractor=FakeExtractor)
    failures = []
    monkeypatch.setattr(win, "_job_failed", failures.append)  # a failed job fails the test
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.library_pane.select_article(ARTICLE_ID)
    yield win
    win.jobs.shutdown()
    assert failures == []


def wait_for_jobs(qtbot, window, timeout=10000):
    qtbot.waitUntil(lambda: not window.jobs.is_busy(), timeout=timeout)
