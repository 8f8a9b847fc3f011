"""The inbox folder: a file is imported once it has stopped growing, once; a file the
library already holds (by hash) is not read again at the next start."""

from __future__ import annotations

from briefing_app.core import inbox
from briefing_app.core.model import ImportReport

TEXT = "Mali and Russia signed a grain agreement in Bamako on Tuesday, officials said."


def test_a_growing_file_waits_until_it_stops_growing(tmp_path):
    scanner = inbox.InboxScanner(tmp_path)
    path = tmp_path / "report.txt"
    path.write_text(TEXT[:20], encoding="utf-8")
    assert scanner.scan() == ([], True)  # first seen: not yet known to be complete
    with open(path, "a", encoding="utf-8") as file:
        file.write(TEXT[20:])
    assert scanner.scan() == ([], True)  # grew meanwhile
    assert scanner.scan() == ([path], False)  # unchanged since the last look
    scanner.handled([path])
    assert scanner.scan() == ([], False)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")  # unsupported: never offered
    assert scanner.scan() == ([], False)


def test_watch_imports_new_files_once_and_skips_known_ones(tmp_path, library, monkeypatch):
    folder = tmp_path / "Briefing Inbox"  # created on demand
    (tmp_path / "before.txt").write_text("Earlier text about Niamey, imported before.", encoding="utf-8")
    reports: list[ImportReport] = []
    rounds = iter(range(100))

    def next_round(_interval: float) -> None:
        number = next(rounds)
        if number == 0:
            (folder / "a.txt").write_text(TEXT, encoding="utf-8")
            (folder / "known.txt").write_bytes((tmp_path / "before.txt").read_bytes())
        if number == 3:
            (folder / "b.txt").write_text(
                "Another report, about Ouagadougou, arrived later.", encoding="utf-8"
            )

    from briefing_app.core.importers import read_path

    library.import_items(read_path(tmp_path / "before.txt"))
    inbox.watch(folder, library, reports.append, should_stop=lambda: len(reports) >= 2, sleep=next_round)
    assert folder.is_dir()
    assert [len(report.imported) for report in reports] == [1, 1]
    assert all(not report.duplicates and not report.failed for report in reports)
    texts = sorted(library.get_article(article.id).text for article in library.list_articles())
    assert texts == sorted(
        [
            "Another report, about Ouagadougou, arrived later.",
            "Earlier text about Niamey, imported before.",
            TEXT,
        ]
    )


def test_default_inbox_is_in_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert inbox.default_inbox() == tmp_path / "Briefing Inbox"
