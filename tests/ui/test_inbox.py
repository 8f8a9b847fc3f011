"""Settings > Watch Inbox Folder imports what appears in the folder, in the background, with
the summary in the status bar; File > Show Original opens the kept original."""

from __future__ import annotations

from PySide6.QtGui import QDesktopServices

from briefing_app.core import provenance
from briefing_app.core.importers import read_path
from briefing_app.ui import inbox as ui_inbox

TEXT = "Sangaré and Traoré met in Bamako on Tuesday to sign the grain agreement, officials said."


def test_watched_inbox_imports_a_new_file(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(ui_inbox, "SCAN_DELAY_MS", 50)
    folder = tmp_path / "Inbox"
    before = window.library.count_articles()
    window.inbox_settings.set_folder(folder)  # turns watching on; the folder is created
    assert window.inbox_settings.watch_action.isChecked()
    assert folder.is_dir()
    assert window.settings.value(ui_inbox.FOLDER_KEY) == str(folder)
    (folder / "talks.txt").write_text(TEXT, encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG")  # not importable: ignored
    qtbot.waitUntil(lambda: window.library.count_articles() == before + 1, timeout=15000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Inbox: 1 imported"), timeout=5000)
    assert window.count_label.text() == f"{before + 1} articles"
    window.inbox_settings.watch_action.setChecked(False)
    assert window.settings.value(ui_inbox.ENABLED_KEY) == "false"
    assert window.inbox_settings.watcher is None


def test_rescan_at_start_skips_files_already_imported(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(ui_inbox, "SCAN_DELAY_MS", 50)
    folder = tmp_path / "Inbox"
    folder.mkdir()
    known = folder / "known.txt"
    known.write_text("An older report about Niamey, imported by hand last week.", encoding="utf-8")
    window.library.import_items(read_path(known))
    (folder / "new.txt").write_text(TEXT, encoding="utf-8")
    before = window.library.count_articles()
    reports = []
    window.inbox_settings.set_folder(folder)
    window.inbox_settings.watcher.imported.connect(reports.append)
    qtbot.waitUntil(lambda: len(reports) == 1, timeout=15000)
    assert len(reports[0].imported) == 1 and reports[0].duplicates == []
    assert window.library.count_articles() == before + 1
    window.inbox_settings.watch_action.setChecked(False)


def test_show_original_opens_the_kept_copy(qtbot, window, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    source = tmp_path / "report.txt"
    source.write_text(TEXT, encoding="utf-8")
    [article_id] = window.library.import_items(read_path(source)).imported
    window.library_pane.reload()
    window.open_article(article_id)
    window.show_original_action.trigger()
    [record] = provenance.provenance_of(window.library.db.conn, article_id)
    assert opened == [str(provenance.original_file(window.library.path, record))]
    assert opened[0].endswith(f"originals/{record.sha256}.txt")


def test_show_original_without_one_says_so(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.show_original_action.trigger()  # the fixture's article was not imported from a file
    assert opened == []
    assert window.statusBar().currentMessage() == "No original file is kept for this article"


def test_the_folder_is_looked_at_off_the_window_thread(qtbot, window, tmp_path, monkeypatch):
    import threading

    from briefing_app.core import inbox as core_inbox

    threads = []
    scan = core_inbox.InboxScanner.scan

    def recording_scan(scanner):
        threads.append(threading.current_thread())
        return scan(scanner)

    monkeypatch.setattr(core_inbox.InboxScanner, "scan", recording_scan)
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "new.txt").write_text(TEXT, encoding="utf-8")
    reports = []
    window.inbox_settings.set_folder(folder)
    window.inbox_settings.watcher.imported.connect(reports.append)
    qtbot.waitUntil(lambda: len(reports) == 1, timeout=15000)
    assert threads and threading.main_thread() not in threads
    window.inbox_settings.watch_action.setChecked(False)
