"""UI fixtures: a library file with a hand-made extraction, a window on it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from briefing_app.core.extract.registry import Registry
from briefing_app.core.model import ArticleDraft
from tests.support.ui import ARTICLE_ID, ARTICLE_TEXT, FakeExtractor


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
    added = library.add_draft(
        ArticleDraft(ARTICLE_TEXT, source="TASS", published="2025-02-10", origin="test")
    )
    assert added.article_id == ARTICLE_ID
    library.save_extraction(ARTICLE_ID, FakeExtractor(Registry()).extract(ARTICLE_TEXT))
    for n, (title, published) in enumerate(
        (("Airbus orders", "2008-03-01"), ("Apple unveils iPhone", "2010-06-07"))
    ):
        library.add_draft(
            ArticleDraft(f"{title}\nText of article {n} about Boeing.", title=title, published=published)
        )
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
