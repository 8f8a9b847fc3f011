import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence

from briefing_app.ui.mainwindow import MainWindow
from tests.support.ui import ARTICLE_ID, FAKE_ENGINE, FakeExtractor, wait_for_jobs


def drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(400, 300),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    return event


def test_panes_and_status_bar(window):
    assert window.article.id == ARTICLE_ID
    assert window.count_label.text() == "3 articles"
    assert window.save_label.text() == "All changes saved"
    assert window.export_pdf_action.isEnabled()  # was a placeholder before notes


def test_standard_shortcuts(window):
    assert QKeySequence(QKeySequence.StandardKey.Open) in window.import_action.shortcuts()
    assert QKeySequence("Ctrl+F") in window.find_action.shortcuts()
    assert QKeySequence("Ctrl+=") in window.zoom_in_action.shortcuts()
    assert QKeySequence("Ctrl+-") in window.zoom_out_action.shortcuts()


def test_dropped_files_are_imported_then_extracted(window, qtbot, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "one.txt").write_text("Talks in Bamako\nMali and Moscow met in Bamako.\n", encoding="utf-8")
    (folder / "two.md").write_text("# Niger\n\nNiger met Russia in Moscow.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    event = drop(window, [folder])
    assert event.isAccepted()
    qtbot.waitUntil(lambda: window.last_import_report is not None, timeout=10000)
    report = window.last_import_report
    assert (len(report.imported), len(report.failed)) == (2, 1)
    assert "empty" in report.failed[0].reason
    assert window.count_label.text() == "5 articles"
    assert window.import_summary.text().startswith("2 imported")
    assert "empty.txt" in window.import_summary.detailedText()
    wait_for_jobs(qtbot, window)
    assert [window.library.get_article(i).extracted_with for i in report.imported] == [FAKE_ENGINE] * 2
    drop(window, [folder / "one.txt"])
    qtbot.waitUntil(lambda: window.last_import_report is not report, timeout=10000)
    assert len(window.last_import_report.duplicates) == 1


def test_open_article_refreshes_when_its_extraction_lands(window, qtbot, ui_library):
    pending = next(a.id for a in ui_library.list_articles() if a.id != ARTICLE_ID)
    window.library_pane.select_article(pending)
    assert window.entity_pane.summary.text() == "Finding entities…"
    window.start_extraction()
    qtbot.waitUntil(lambda: window.entity_pane.summary.text() != "Finding entities…")
    assert window.article.extracted_with == FAKE_ENGINE


def test_settings_come_back(qtbot, ui_library, settings):
    first = MainWindow(ui_library, settings, make_extractor=FakeExtractor)
    qtbot.addWidget(first)
    first.show()
    other = next(a.id for a in ui_library.list_articles() if a.id != ARTICLE_ID)
    first.library_pane.select_article(other)
    first.resize(761, 477)  # within the offscreen screen: restoring clamps to it
    first.reader.docks["timeline"].close()
    default_width = first.library_pane.width()
    first.reader.resizeDocks([first.reader.docks["library"]], [default_width + 25], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: first.library_pane.width() != default_width)
    library_width = first.library_pane.width()
    first.text_pane.zoom(+3)
    first.close()

    second = MainWindow(ui_library, settings, make_extractor=FakeExtractor)
    qtbot.addWidget(second)
    second.show()
    assert second.article.id == other
    assert (second.width(), second.height()) == (761, 477)
    assert not second.reader.docks["timeline"].toggleViewAction().isChecked()
    assert second.library_pane.width() == library_width
    assert second.text_pane.point_size == first.text_pane.point_size
    assert Path(settings.fileName()).is_file()
    second.close()


# Modules the window must not load to show itself (start-up time): they load on first use.
NOT_AT_START = (
    "spacy",
    "briefing_app.core.extract.timex",  # the date rules' pattern tables
    "briefing_app.core.export.entry",  # the exporters
    "briefing_app.ui.pdf",
    "sqlite_utils",  # only to create or upgrade a library (core/database.py)
    "numpy",  # which sqlite_utils imports
    "markdown_it",  # a note's preview
    "rapidfuzz",  # re-anchoring notes, comparing an import with a stored text
    "importlib.metadata",  # Help > About's versions
)


def test_window_does_not_load_spacy_sqlite_utils_or_the_exporters_to_show(ui_library):
    ui_library.notes.create(ARTICLE_ID, 0, 5, body="**Sahel** ministers: see [the map](https://example.org)")
    # In a fresh process, started as `briefing` starts the window: this test process may have
    # loaded them for another test.
    script = f"""
import sys
from pathlib import Path
from briefing_app.logs import setup_logging
from briefing_app.ui.app import run

def shown(window):
    loaded = sorted(m for m in {NOT_AT_START!r} if m in sys.modules)
    print(window.article.id, window.notes_pane.model.rowCount(), loaded)
    window.close()

setup_logging()
sys.exit(run(Path({ui_library.path!r}), after_show=shown))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    # Its article and its note shown, and none of them loaded.
    assert result.stdout.strip().split(maxsplit=2) == [str(ARTICLE_ID), "1", "[]"]


BAMAKO_URL = "https://example.org/talks-in-bamako"
BAMAKO_TEXT = (
    "Talks in Bamako\nMali and Moscow met in Bamako on Monday.\nThey spoke about training and drones."
)
# The edited version: a sentence added at the start, which moves every offset after it.
BAMAKO_EDITED = (
    "Talks in Bamako\nA delegation from Niger arrived on Sunday. "
    "Mali and Moscow met in Bamako on Monday.\nThey spoke about training and drones."
)


def add_bamako(library):
    from briefing_app.core.model import ArticleDraft

    draft = ArticleDraft(
        BAMAKO_TEXT, title="Talks in Bamako", source="Agency", url=BAMAKO_URL, published="2025-03-03"
    )
    return library.add_draft(draft).article_id


def select_in_text(window, text, needle):
    from PySide6.QtGui import QTextCursor

    view = window.text_pane.view
    start = text.index(needle)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.positions.to_qt(start))
    cursor.setPosition(view.positions.to_qt(start + len(needle)), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def test_open_article_follows_its_reimported_edited_version(window, qtbot, tmp_path):
    import json

    article_id = add_bamako(window.library)
    window.library_pane.reload()
    window.library_pane.select_article(article_id)
    window.start_extraction()
    wait_for_jobs(qtbot, window)
    noted = window.notes.create(article_id, BAMAKO_TEXT.index("training"), BAMAKO_TEXT.index("training") + 8)
    window.notes_pane.reload()
    record = {"text": BAMAKO_EDITED, "title": "Talks in Bamako", "source": "Agency", "url": BAMAKO_URL}
    path = tmp_path / "edited.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")

    window.import_paths([path])
    qtbot.waitUntil(lambda: window.last_import_report is not None, timeout=10000)
    wait_for_jobs(qtbot, window)
    assert window.last_import_report.updated == [article_id]
    assert window.article.text == BAMAKO_EDITED
    assert window.text_pane.view.document().toPlainText() == BAMAKO_EDITED
    # The notes pane holds the offsets the store re-anchored to the new text.
    [shown] = window.notes_pane.passage_notes()
    assert shown.uuid == noted.uuid and shown.start == BAMAKO_EDITED.index("training")
    # The re-extraction of the new text landed in the panes too.
    assert window.article.extracted_with == FAKE_ENGINE
    assert window.text_pane.view.mention_at(BAMAKO_EDITED.index("Niger")).canonical == "Niger"
    select_in_text(window, BAMAKO_EDITED, "drones")
    window.add_note_action.trigger()
    assert {n.quote for n in window.notes.for_article(article_id)} == {"training", "drones"}


def test_open_article_refreshes_when_its_text_changes_under_it(window, qtbot):
    from briefing_app.core.model import ArticleDraft

    article_id = add_bamako(window.library)
    window.library_pane.reload()
    window.library_pane.select_article(article_id)
    window.start_extraction()
    wait_for_jobs(qtbot, window)
    assert window.article.extracted_with == FAKE_ENGINE
    # Replaced behind the window's back (another window, the command line).
    window.library.add_draft(
        ArticleDraft(BAMAKO_EDITED, title="Talks in Bamako", source="Agency", url=BAMAKO_URL)
    )
    window.start_extraction()
    wait_for_jobs(qtbot, window)
    assert window.article.text == BAMAKO_EDITED
    assert window.text_pane.view.document().toPlainText() == BAMAKO_EDITED


def test_the_count_of_a_filtered_list_follows_imports(window, qtbot, tmp_path):
    pane = window.library_pane
    pane.search_field.setText("Boeing")
    pane.apply_filter()
    assert window.count_label.text() == "2 of 3 articles"
    (tmp_path / "new.txt").write_text("Boeing news\nBoeing flew the 787 again.\n", encoding="utf-8")
    drop(window, [tmp_path / "new.txt"])
    qtbot.waitUntil(lambda: window.last_import_report is not None, timeout=10000)
    # The filtered list is read again in the background; the count follows when it lands.
    qtbot.waitUntil(lambda: window.count_label.text() == "3 of 4 articles", timeout=10000)
    wait_for_jobs(qtbot, window)
