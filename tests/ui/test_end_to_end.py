"""The real pipeline once: import the sample article, extract it with spaCy, see it."""

import pytest

from briefing_app.core.importers import read_path
from briefing_app.ui.mainwindow import MainWindow
from briefing_app.ui.screenshot import save_screenshot
from tests.support.datafiles import SEED_ARTICLE


def test_import_extract_and_show_the_seed_article(qtbot, make_library, settings, tmp_path):
    library = make_library("seed.db")
    window = MainWindow(library, settings)
    qtbot.addWidget(window)
    window.show()
    window.import_paths([SEED_ARTICLE])
    qtbot.waitUntil(lambda: window.article is not None, timeout=10000)
    qtbot.waitUntil(lambda: window.article.extracted_with is not None, timeout=60000)
    names = {e.name for e in window.entity_pane.model.entities()}
    assert {"Sergey Lavrov", "Mali", "Moscow"} <= names
    lavrov = window.library.get_article(window.article.id).text.index("Sergey Lavrov")
    assert window.text_pane.view.mention_at(lavrov).label == "PERSON"
    window.close()

    out = tmp_path / "shot.png"
    assert save_screenshot(library.path, out, window.article.id, (1200, 800)) == 0
    assert out.stat().st_size > 10_000


def test_a_cancelled_extraction_stops_its_child_process(qtbot, make_library):
    from briefing_app.ui.workers import JobQueue, extract_pending_job

    library = make_library("cancel.db")
    library.import_items(read_path(SEED_ARTICLE))
    queue = JobQueue()
    job = queue.submit(extract_pending_job(library.path))
    qtbot.waitUntil(lambda: bool(job._cancel_hooks), timeout=10000)  # the child runs
    queue.shutdown()  # cancels, and returns only once the child has gone
    # Terminated while it was still loading the model: nothing was stored.
    assert library.get_article(1).extracted_with is None


def test_no_child_process_starts_when_nothing_waits_for_extraction(qtbot, make_library, monkeypatch):
    import subprocess

    from briefing_app.core.extract.pipeline import Extractor
    from briefing_app.core.model import Extraction
    from briefing_app.ui.workers import JobQueue, extract_pending_job

    library = make_library("done.db")
    (article_id,) = library.import_items(read_path(SEED_ARTICLE)).imported
    library.save_extraction(article_id, Extraction(engine=Extractor().engine_version))
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("a child process was started"))
    queue = JobQueue()
    job = extract_pending_job(library.path)
    with qtbot.waitSignal(job.finished, timeout=10000) as finished:
        queue.submit(job)
    assert finished.args == [0]
    queue.shutdown()
