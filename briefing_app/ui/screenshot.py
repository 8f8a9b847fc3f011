"""Render the main window offscreen, with an article open, to a PNG."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication


def save_screenshot(
    db_path: Path,
    out: Path,
    article_id: int | None,
    size: tuple[int, int],
    dark: bool = False,
    search: str = "",
    view: str = "reader",
) -> int:
    """Write the window with the article (default: the newest) open; returns an exit status.

    The article's extraction is run here first if it was never stored, so the panes are full.
    `dark` renders with a dark palette, as on a desktop in dark mode; `search` types a search
    into the library pane first (its hits are marked in the text); `view` brings that view
    forward ("reader", "entities", "dossier:ENTITY", ...: see ui/views.py).
    """
    from PySide6.QtWidgets import QApplication

    from briefing_app.ui.qtstart import use_offscreen_platform

    use_offscreen_platform()
    app = QApplication.instance() or QApplication([])
    if dark:
        _use_dark_palette(cast(QApplication, app))

    from briefing_app.core.extract.pipeline import Extractor
    from briefing_app.core.extract.runner import extract_articles
    from briefing_app.core.store import ArticleNotFound, Library, LibraryError
    from briefing_app.ui.mainwindow import MainWindow

    try:
        library = Library(db_path)
    except LibraryError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return 2
    with library:
        if article_id is None:
            newest = library.list_articles(limit=1)
            if not newest:
                print("briefing: the library has no article to show", file=sys.stderr)
                return 1
            article_id = newest[0].id
        try:
            article = library.get_article(article_id)
        except ArticleNotFound as exc:
            print(f"briefing: {exc}", file=sys.stderr)
            return 2
        if article.extracted_with is None:
            extract_articles(library, [article.id], Extractor())
        window = MainWindow(library)
        window.resize(*size)
        window.show()
        window.reset_layout()  # the panes as a window of this size first lays them out
        if search:
            window.library_pane.search_field.setText(search)
            window.library_pane.apply_filter()
        if not window.library_pane.select_article(article.id):
            window.open_article(article.id)
        app.processEvents()
        window.timeline_pane.fit()  # to the laid-out width
        app.processEvents()
        try:
            window.show_view(view)
        except KeyError as exc:
            print(f"briefing: {exc.args[0]}", file=sys.stderr)
            window.close()
            return 2
        settle = getattr(window.tabs.currentWidget(), "wait_until_loaded", None)
        if settle is not None:
            settle()  # a view filled by a background read: shown full, not half loaded
        app.processEvents()
        saved = window.grab().save(str(out), "PNG")
        window.close()
        window.deleteLater()
    if not saved:
        print(f"briefing: cannot write {out}", file=sys.stderr)
        return 1
    return 0


def _use_dark_palette(app: QApplication) -> None:
    """Fusion with a dark palette: what a desktop in dark mode gives the window."""
    from PySide6.QtGui import QColor, QPalette

    app.setStyle("Fusion")
    palette = QPalette()
    role = QPalette.ColorRole
    for which, colour in (
        (role.Window, "#2b2b2b"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1e1e1e"),
        (role.AlternateBase, "#262626"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#353535"),
        (role.ButtonText, "#e6e6e6"),
        (role.Highlight, "#2f65ca"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#353535"),
        (role.ToolTipText, "#e6e6e6"),
        (role.PlaceholderText, "#8a8a8a"),
        (role.Link, "#7aa7ff"),
    ):
        palette.setColor(which, QColor(colour))
    # Greyed when disabled, as a desktop's dark theme does (else a disabled button looks live).
    for which in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, which, QColor("#7a7a7a"))
    app.setPalette(palette)
