import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence

from briefing_app.ui.mainwindow import MainWindow
from tests.ui.support import ARTICLE_ID, FAKE_ENGINE, FakeExtractor, wait_for_jobs


def drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
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
    first.resize(711, 477)  # within the offscreen screen: restoring clamps to it
    first.splitter.setSizes([200, 500, 200, 150, 61])
    sizes = first.splitter.sizes()
    first.text_pane.zoom(+3)
    first.close()

    second = MainWindow(ui_library, settings, make_extractor=FakeExtractor)
    qtbot.addWidget(second)
    second.show()
    assert second.article.id == other
    assert (second.width(), second.height()) == (711, 477)
    assert second.splitter.sizes() == sizes
    assert second.text_pane.point_size == first.text_pane.point_size
    assert Path(settings.fileName()).is_file()
    second.close()


def test_window_does_not_load_spacy(db_path):
    # In a fresh process: this test process may have loaded spaCy for another test.
    script = (
        "import sys; from pathlib import Path; from PySide6.QtWidgets import QApplication; "
        "app = QApplication([]); from briefing_app.core.store import Library; "
        "from briefing_app.ui.mainwindow import MainWindow; "
        f"w = MainWindow(Library(Path({str(db_path)!r}))); w.show(); app.processEvents(); "
        "print('spacy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
