"""The Reader tab's layout: the text in the middle, the other panes as dock widgets around it.

Why docks and not a splitter: from a 1024x700 laptop to a 2560x1440 desk the five panes do
not fit side by side at one size. Dock widgets give the analyst every way out without code
of ours: hide a pane (View menu, or its close button), drag it to another side, stack panes
as tabs, float one on a second screen; and QMainWindow.saveState remembers all of it. The
Reader tab's widget is an inner QMainWindow (the window's own dock areas would sit outside
the tabs, beside the library-wide views, where they have no meaning).

The first layout (and View > Reset Reader Layout) follows the window's width: side by side
where there is room, entities over timeline on a laptop, and the three side panes as tabs on
a small screen; each pane keeps a minimum width below which it stops being readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QWidget

# Saved layouts carry this number; a layout saved by an incompatible arrangement is ignored.
LAYOUT_VERSION = 1
# At or above: entities, timeline and notes side by side. Below WIDE, entities stack over the
# timeline beside the notes; below NARROW, the three side panes are tabs of one dock column.
WIDE_WINDOW = 1560
NARROW_WINDOW = 1200
TEXT_MINIMUM_WIDTH = 320


@dataclass(frozen=True)
class DockPane:
    key: str  # the dock's object name, as saved layouts know it
    title: str
    widget: QWidget
    minimum_width: int
    shortcut: str = ""


class ReaderLayout(QMainWindow):
    """The Reader tab: `central` in the middle, the panes as docks (self.docks by key)."""

    def __init__(self, central: QWidget, panes: list[DockPane]) -> None:
        super().__init__()
        self.setWindowFlags(Qt.WindowType.Widget)  # a widget inside the tab, not a window
        self.setDockOptions(
            QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.GroupedDragging
        )
        self.setDocumentMode(True)
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        central.setMinimumWidth(TEXT_MINIMUM_WIDTH)
        self.setCentralWidget(central)
        self.docks: dict[str, QDockWidget] = {}
        # Dock widths arrange() chose, applied once the docks are laid out (when shown).
        self._pending_sizes: tuple[dict[str, int], bool] | None = None
        self.minimum_widths: dict[str, int] = {}
        for pane in panes:
            dock = QDockWidget(pane.title, self)
            dock.setObjectName(f"dock-{pane.key}")
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetClosable
                | QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            )
            pane.widget.setMinimumWidth(pane.minimum_width)
            dock.setWidget(pane.widget)
            toggle = dock.toggleViewAction()
            toggle.setText(f"{pane.title} Pane")
            if pane.shortcut:
                toggle.setShortcut(pane.shortcut)
            self.docks[pane.key] = dock
            self.minimum_widths[pane.key] = pane.minimum_width

    def toggle_actions(self) -> list[QAction]:
        """One checkable action per pane, for the View menu."""
        return [dock.toggleViewAction() for dock in self.docks.values()]

    def arrange(self, window_width: int) -> None:
        """The default layout for a window this wide: every pane shown, library on the left."""
        docks = self.docks
        for dock in docks.values():
            dock.setFloating(False)
            self.removeDockWidget(dock)
        library, entities, timeline, notes = (docks[k] for k in ("library", "entities", "timeline", "notes"))
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        self.addDockWidget(left, library)
        self.addDockWidget(right, entities)
        if window_width >= WIDE_WINDOW:
            self.splitDockWidget(entities, timeline, horizontal)
            self.splitDockWidget(timeline, notes, horizontal)
            shares = {"library": 0.17, "entities": 0.12, "timeline": 0.17, "notes": 0.16}
        elif window_width >= NARROW_WINDOW:
            self.splitDockWidget(entities, notes, horizontal)
            self.splitDockWidget(entities, timeline, vertical)
            shares = {"library": 0.24, "entities": 0.2, "notes": 0.2}
        else:
            self.tabifyDockWidget(entities, timeline)
            self.tabifyDockWidget(timeline, notes)
            shares = {"library": 0.25, "entities": 0.31}
        for dock in docks.values():
            dock.show()
        entities.raise_()
        widths = {
            key: max(self.minimum_widths[key], int(window_width * share)) for key, share in shares.items()
        }
        stacked = NARROW_WINDOW <= window_width < WIDE_WINDOW
        self._pending_sizes = (widths, stacked)
        if self.isVisible():
            self._apply_sizes()
        # else when first shown: a hidden main window lays its docks out at their size hints

    def _apply_sizes(self) -> None:
        if self._pending_sizes is None:
            return
        widths, stacked = self._pending_sizes
        self._pending_sizes = None
        self.resizeDocks(
            [self.docks[key] for key in widths], list(widths.values()), Qt.Orientation.Horizontal
        )
        if stacked:  # entities over the timeline, about half each
            entities, timeline = self.docks["entities"], self.docks["timeline"]
            self.resizeDocks([entities, timeline], [10, 9], Qt.Orientation.Vertical)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._apply_sizes()

    def save_layout(self) -> QByteArray:
        return self.saveState(LAYOUT_VERSION)

    def restore_layout(self, state: object) -> bool:
        """Put back a layout save_layout gave; False (the layout as it was) for anything else:
        another version's, a damaged one, or a value of another kind."""
        if not isinstance(state, QByteArray | bytes) or not state:
            return False
        restored = self.restoreState(QByteArray(state), LAYOUT_VERSION)
        if restored:
            self._pending_sizes = None  # the saved widths stand
        return restored
