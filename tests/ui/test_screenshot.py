"""`briefing screenshot` renders the window with an article open."""

from __future__ import annotations

from PySide6.QtGui import QImage

from briefing_app.cli import main
from tests.support.datafiles import SEED_ARTICLE


def test_screenshot_of_the_sample_article(qapp, tmp_path, capsys):
    db = str(tmp_path / "lib.db")
    assert main(["--db", db, "import", "--no-extract", str(SEED_ARTICLE)]) == 0
    out = tmp_path / "shot.png"
    assert main(["--db", db, "screenshot", str(out), "--article", "1", "--size", "1200x800"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    # The extraction ran for the screenshot: the article is no longer waiting for it.
    from briefing_app.core.store import Library

    with Library(db) as library:
        assert library.get_article(1).extracted_with is not None
        assert any(m.canonical == "Sergey Lavrov" for m in library.mentions(1))


def test_screenshot_mistakes_exit_2(qapp, tmp_path, capsys):
    db = str(tmp_path / "lib.db")
    assert main(["--db", db, "screenshot", str(tmp_path / "x.png"), "--size", "big"]) == 2
    main(["--db", db, "import", "--no-extract", str(SEED_ARTICLE)])
    assert main(["--db", db, "screenshot", str(tmp_path / "x.png"), "--article", "99"]) == 2
    assert "no article with id 99" in capsys.readouterr().err


def test_a_dark_screenshot_is_dark_and_can_show_a_search(tmp_path, capsys):
    """In a child process: the dark palette is the whole application's."""
    import subprocess
    import sys

    db = str(tmp_path / "lib.db")
    assert main(["--db", db, "import", "--no-extract", str(SEED_ARTICLE)]) == 0
    out = tmp_path / "dark.png"
    argv = ["screenshot", str(out), "--size", "900x600", "--dark", "--search", "Lavrov", "--db", db]
    done = subprocess.run([sys.executable, "-m", "briefing_app", *argv], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    corner = image.pixelColor(image.width() - 5, image.height() // 2)  # the notes editor's background
    assert corner.lightness() < 80
