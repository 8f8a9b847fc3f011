"""The Reader tab at laptop and desk sizes: panes as docks that fit, hide, move and come back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

from briefing_app.ui.mainwindow import MainWindow
from briefing_app.ui.readerlayout import TEXT_MINIMUM_WIDTH
from tests.support.ui import ARTICLE_ID, FakeExtractor

SIZES = [(1024, 700), (1280, 800), (1920, 1080), (2560, 1440)]
PANES = ("library", "entities", "timeline", "notes")


def _open(qtbot, library, settings: QSettings | None, size: tuple[int, int] | None = None) -> MainWindow:
    window = MainWindow(library, settings, make_extractor=FakeExtractor)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
        window.reset_layout()
    window.show()
    qtbot.waitExposed(window)
    window.library_pane.select_article(ARTICLE_ID)
    QApplication.processEvents()
    return window


def _characters(widget: QWidget, pixels: int) -> float:
    return pixels / widget.fontMetrics().averageCharWidth()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_pane_is_readable_at_this_size(qtbot, ui_library, size):
    window = _open(qtbot, ui_library, None, size)
    reader = window.reader
    assert reader.width() <= window.width()
    for key in PANES:
        dock = reader.docks[key]
        assert dock.toggleViewAction().isChecked(), f"{key} is not shown"
        if dock.isVisible():  # (a tab behind another is shown by raising it)
            assert dock.widget().width() >= reader.minimum_widths[key], key
    assert window.text_pane.width() >= TEXT_MINIMUM_WIDTH
    library_view = window.library_pane.view
    assert _characters(library_view, library_view.columnWidth(0)) >= 16  # a title's worth
    entity_view = window.entity_pane.view
    if window.entity_pane.isVisible():
        assert _characters(entity_view, entity_view.columnWidth(0)) >= 14  # "Sergey Lavrov"


def test_small_screens_stack_the_side_panes_as_tabs_and_wide_ones_put_them_side_by_side(qtbot, ui_library):
    small = _open(qtbot, ui_library, None, (1024, 700))
    docks = small.reader.docks
    assert set(small.reader.tabifiedDockWidgets(docks["entities"])) == {docks["timeline"], docks["notes"]}
    wide = _open(qtbot, ui_library, None, (1920, 1080))
    docks = wide.reader.docks
    assert wide.reader.tabifiedDockWidgets(docks["entities"]) == []
    lefts = [docks[key].geometry().left() for key in ("entities", "timeline", "notes")]
    assert lefts == sorted(lefts) and len(set(lefts)) == 3


def test_the_view_menu_hides_and_shows_each_pane(qtbot, ui_library):
    window = _open(qtbot, ui_library, None, (1280, 800))
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    toggles = {a.text(): a for a in view_menu.actions() if a.isCheckable()}
    assert set(toggles) == {"Library Pane", "Entities Pane", "Timeline Pane", "Notes Pane"}
    text_width = window.text_pane.width()
    toggles["Library Pane"].trigger()
    qtbot.waitUntil(lambda: not window.library_pane.isVisible())
    qtbot.waitUntil(lambda: window.text_pane.width() > text_width)  # the text takes the room
    toggles["Library Pane"].trigger()
    qtbot.waitUntil(lambda: window.library_pane.isVisible())
    window.reader.docks["notes"].close()
    assert not toggles["Notes Pane"].isChecked()
    window.reset_layout_action.trigger()
    assert all(window.reader.docks[key].toggleViewAction().isChecked() for key in PANES)


def test_a_moved_and_stacked_layout_comes_back(qtbot, ui_library, settings):
    first = _open(qtbot, ui_library, settings, (1280, 800))
    reader = first.reader
    reader.tabifyDockWidget(reader.docks["library"], reader.docks["notes"])  # notes to the left
    reader.docks["entities"].close()
    first.close()
    second = _open(qtbot, ui_library, settings)
    docks = second.reader.docks
    assert docks["notes"] in second.reader.tabifiedDockWidgets(docks["library"])
    assert second.reader.dockWidgetArea(docks["notes"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert not docks["entities"].toggleViewAction().isChecked()


def test_an_old_splitter_or_a_damaged_layout_does_not_break_the_start(qtbot, ui_library, settings):
    old = QSplitter()
    for _ in range(5):
        old.addWidget(QWidget())
    old.setSizes([250, 540, 220, 280, 310])
    settings.setValue("window/splitter", old.saveState())  # what earlier versions saved
    settings.setValue("window/reader_layout", QByteArray(b"\x00\xff not a layout"))
    window = _open(qtbot, ui_library, settings)
    assert window.article is not None and window.article.id == ARTICLE_ID
    assert all(window.reader.docks[key].toggleViewAction().isChecked() for key in PANES)
    window.close()
    assert settings.value("window/splitter") is None  # replaced by the reader's layout
    settings.setValue("window/reader_layout", "a string where bytes belong")
    again = _open(qtbot, ui_library, settings)
    assert all(again.reader.docks[key].toggleViewAction().isChecked() for key in PANES)


def test_the_first_window_fits_the_screen_it_opens_on(qtbot, ui_library):
    window = MainWindow(ui_library, None, make_extractor=FakeExtractor)
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    assert window.width() <= max(room.width(), 1) and window.height() <= max(room.height(), 1)
    assert window.width() <= 1600 and window.height() <= 1000


def test_titles_elide_in_the_middle_with_the_whole_title_in_the_tooltip(qtbot, ui_library):
    window = _open(qtbot, ui_library, None, (1024, 700))
    view = window.library_pane.view
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    row = window.library_pane.model.row_of(ARTICLE_ID)
    index = window.library_pane.model.index(row, 0)
    title = index.data()
    assert title in index.data(Qt.ItemDataRole.ToolTipRole)
    assert view.isColumnHidden(1)  # narrow: the source gives the title its room
    window.reader.resizeDocks([window.reader.docks["library"]], [420], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: not view.isColumnHidden(1))
