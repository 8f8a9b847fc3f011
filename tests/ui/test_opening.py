"""Opening the library at start: an upgrade shows what it is doing, a current library opens
without a word, and a file that cannot be opened is refused as before."""

from __future__ import annotations

import pytest

from briefing_app.core import migrations
from briefing_app.core.store import Library, NotALibrary
from briefing_app.ui import opening
from tests.support.oldlibrary import library_with_one_article_at_schema


@pytest.fixture
def shown(monkeypatch):
    """What the upgrade dialog said, in order, with whether it was on screen at the time."""
    said: list[tuple[str, bool]] = []
    tell = opening.UpgradeDialog.tell

    def recording_tell(dialog, message):
        tell(dialog, message)
        said.append((dialog.labelText().splitlines()[0], dialog.isVisible()))

    monkeypatch.setattr(opening.UpgradeDialog, "tell", recording_tell)
    return said


def test_an_upgrade_shows_each_step_in_a_dialog_that_closes_when_done(qapp, db_path, shown):
    library_with_one_article_at_schema(db_path, 4)
    library = opening.open_library(db_path)
    try:
        assert library.schema_version == migrations.SCHEMA_VERSION
        assert [a.title for a in library.list_articles()] == ["Old"]
    finally:
        library.close()
    steps = migrations.SCHEMA_VERSION - 4
    assert shown[0][0].startswith("Copying the library to ")
    assert [text for text, _ in shown[1:]] == [
        f"Upgrading the library for this version: step {n} of {steps}…" for n in range(1, steps + 1)
    ]
    assert all(visible for _, visible in shown)
    assert not [w for w in qapp.topLevelWidgets() if isinstance(w, opening.UpgradeDialog) and w.isVisible()]


def test_a_current_library_opens_without_a_dialog(qapp, db_path, shown):
    Library(db_path).close()
    library = opening.open_library(db_path)
    library.close()
    assert shown == []


def test_a_file_that_is_not_a_library_is_refused_as_before(qapp, tmp_path, shown):
    path = tmp_path / "notes.txt"
    path.write_text("not a database, only text " * 100)
    with pytest.raises(NotALibrary):
        opening.open_library(path)
    assert path.read_text().startswith("not a database")
