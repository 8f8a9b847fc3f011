"""Export and import from the window's File menu, called with a path (no file dialog)."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from briefing_app.core.notes import NoteStore
from tests.support.ui import ARTICLE_ID, ARTICLE_TEXT, exported, wait_for_writes


def noted(window):
    start = ARTICLE_TEXT.index("instructors")
    return window.notes.create(
        ARTICLE_ID, start, start + len("instructors"), body="Who *trains* them?", tags=["mali"]
    )


def import_w3c(window, qtbot, path) -> None:
    """Import from the File menu (it runs in the background) and wait until it has landed."""
    window.import_w3c_from(path)
    wait_for_writes(qtbot, window)


def test_file_menu_has_the_exports(window):
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    for text in (
        "Export Briefing as &PDF…",
        "Export Briefing as &Markdown…",
        "Export Notes as &W3C JSON-LD…",
        "Import W3C &Annotations…",
    ):
        assert text in texts
    assert window.export_pdf_action.iconText() == "Export PDF"


def test_export_pdf(window, qtbot, tmp_path):
    noted(window)
    out = tmp_path / "briefing.pdf"
    assert exported(qtbot, window, lambda: window.export_to("pdf", out, [ARTICLE_ID]))
    assert out.read_bytes().startswith(b"%PDF")


def test_export_markdown_of_all_articles_with_notes(window, qtbot, tmp_path):
    noted(window)
    out = tmp_path / "briefing.md"
    assert exported(qtbot, window, lambda: window.export_to("md", out, None))
    text = out.read_text(encoding="utf-8")
    assert "> instructors" in text and "Who *trains* them?" in text


def test_typed_edit_is_in_the_export(window, qtbot, tmp_path):
    note = noted(window)
    window.notes_pane.reload(select=note.uuid)
    qtbot.keyClicks(window.notes_pane.body_edit, " Not yet saved.")
    out = tmp_path / "briefing.md"
    assert exported(
        qtbot, window, lambda: window.export_to("md", out, [ARTICLE_ID])
    )  # flushes the pending edit first
    assert "Not yet saved." in out.read_text(encoding="utf-8")


def test_export_w3c_and_import_it_back(window, qtbot, tmp_path):
    note = noted(window)
    out = tmp_path / "notes.jsonld"
    assert exported(qtbot, window, lambda: window.export_to("w3c", out, [ARTICLE_ID]))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection" and data["total"] == 1
    import_w3c(window, qtbot, out)  # the same notes: nothing changes
    assert window.export_message.icon() == QMessageBox.Icon.Information
    assert window.export_message.text() == "Annotations: 0 imported, 0 updated, 1 unchanged, 0 skipped."
    assert [n.uuid for n in window.notes.all_notes()] == [note.uuid]


def test_imported_notes_are_listed_and_marked(window, qtbot, tmp_path):
    note = noted(window)
    out = tmp_path / "notes.jsonld"
    exported(qtbot, window, lambda: window.export_to("w3c", out, None))
    with window.library.db.conn:
        window.library.db.execute("DELETE FROM notes")
    window.notes_pane.reload()
    import_w3c(window, qtbot, out)
    assert [n.uuid for n in window.notes_pane.model.notes()] == [note.uuid]
    assert [n.uuid for n in window.text_pane.notes] == [note.uuid]
    assert window.export_message.text().startswith("Annotations: 1 imported")


def test_errors_are_messages_not_tracebacks(window, qtbot, tmp_path):
    noted(window)
    assert not exported(
        qtbot, window, lambda: window.export_to("md", tmp_path / "missing" / "briefing.md", None)
    )
    assert window.export_message.icon() == QMessageBox.Icon.Critical
    assert "briefing.md" in window.export_message.text()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    wrong = tmp_path / "wrong.json"
    wrong.write_text("42", encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for path in (bad, tmp_path / "absent.json", wrong, deep):
        import_w3c(window, qtbot, path)
        message = window.ops.message
        assert message.isVisible() and message.icon() == QMessageBox.Icon.Warning
        assert message.text().startswith(f"Could not import the annotations of {path.name}: ")
        assert not message.detailedText()  # a reason, not a traceback
        assert window.statusBar().currentMessage() == message.text()
    assert NoteStore(window.library).all_notes()  # nothing lost on the way


def test_the_window_never_exports_onto_its_library_nor_exports_nothing(window, qtbot, tmp_path):
    from pathlib import Path

    database = Path(window.library.path)
    out = tmp_path / "notes.jsonld"
    assert not exported(qtbot, window, lambda: window.export_to("w3c", out, None))  # no note yet
    assert window.export_message.icon() == QMessageBox.Icon.Critical
    assert window.export_message.detailedText() == "no notes in the library"
    assert not out.exists()
    noted(window)
    window.library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = database.read_bytes()
    assert not exported(qtbot, window, lambda: window.export_to("md", database, None))
    assert window.export_message.detailedText() == f"cannot write {database}: it is the library database"
    assert database.read_bytes() == before
    assert exported(qtbot, window, lambda: window.export_to("md", out, None))
    assert window.statusBar().currentMessage() == f"Wrote {out}: 1 note on 1 article"


def test_a_long_export_leaves_the_window_working_and_says_when_it_is_written(
    window, qtbot, tmp_path, monkeypatch
):
    import threading

    from briefing_app.core.export import entry

    release = threading.Event()
    write_export = entry.write_export

    def slow_write_export(*args, **kwargs):  # a 2,000-note briefing stood in by a wait
        assert threading.current_thread() is not threading.main_thread()
        release.wait(10)
        return write_export(*args, **kwargs)

    monkeypatch.setattr(entry, "write_export", slow_write_export)
    noted(window)
    out = tmp_path / "briefing.md"
    assert window.export_to("md", out, None) is None  # under way
    assert window.statusBar().currentMessage() == "Writing briefing.md…"
    ticks = []
    timer = QTimer(interval=10, timeout=lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 5)  # the event loop runs while the export waits
    timer.stop()
    assert not out.exists() and window.exports_running == 1
    release.set()
    qtbot.waitUntil(lambda: window.exports_running == 0, timeout=10000)
    assert out.exists() and window.statusBar().currentMessage() == f"Wrote {out}: 1 note on 1 article"
