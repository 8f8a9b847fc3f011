"""Starting the window on a library that cannot be read says why, instead of a traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from briefing_app.core.model import ArticleDraft
from briefing_app.core.store import Library
from briefing_app.ui import app
from tests.support.library_faults import damage_table


def test_a_damaged_library_is_a_message_with_what_to_do(qapp, db_path, monkeypatch):
    with Library(db_path) as library:
        for n in range(30):
            library.add_draft(ArticleDraft(f"Article {n} on Mali and Niger.", title=f"A{n}", origin="t"))
    damage_table(db_path, "articles")
    damage_table(db_path, "article_list")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    shown: list[object] = []

    assert app.run(db_path, after_show=shown.append) == 2

    assert shown == []  # no window
    assert len(told) == 1 and "damaged" in told[0] and "backup" in told[0]
