"""The real pipeline once: import the sample article, extract it with spaCy, see it."""

from pathlib import Path

from briefing_app.ui.mainwindow import MainWindow
from briefing_app.ui.screenshot import save_screenshot

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "data" / "seed" / "russia-sahel-talks.txt"


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
