"""The library-wide views the window shows as tabs beside the reader.

Each view is registered here once, by key; the window builds it the first time it is shown
(so nothing a view reads is paid for at start) and keeps it while its tab is open. A view
that takes an argument (a dossier: the entity's name) gets one tab per argument.

To add a view: write its widget in its own module, with a `make_...(window, argument)`
factory, and add one `ViewSpec` line to `VIEWS`. A view opens an article by calling
`window.open_article_at(article_id, start, end)`, and writes only through `window.ops`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from briefing_app.ui.mainwindow import MainWindow

READER = "reader"


@dataclass(frozen=True)
class ViewSpec:
    key: str  # what `briefing screenshot --view` and the settings call it
    title: str  # the tab's and the View menu's text
    make: Callable[[MainWindow, str], QWidget]  # (window, argument) -> the view
    shortcut: str = ""
    takes_argument: bool = False  # e.g. dossier:ENTITY
    in_menu: bool = True  # listed in the View menu (a dossier is opened from an entity instead)


VIEWS: dict[str, ViewSpec] = {}


def register(spec: ViewSpec) -> None:
    VIEWS[spec.key] = spec


def parse_view_name(name: str) -> tuple[str, str]:
    """ "dossier:Sergey Lavrov" -> ("dossier", "Sergey Lavrov"); "notes" -> ("notes", "")."""
    key, _, argument = name.partition(":")
    return key.strip().lower(), argument.strip()


def view_names() -> list[str]:
    """Every name `--view` accepts, for help and error messages."""
    names = [READER]
    for spec in VIEWS.values():
        names.append(f"{spec.key}:NAME" if spec.takes_argument else spec.key)
    return names


def _make_notes_view(window: MainWindow, argument: str) -> QWidget:
    from briefing_app.ui.notesview import make_notes_view

    return make_notes_view(window, argument)


def _register_builtin_views() -> None:
    """The views of this version; each module is imported only when its view is made."""

    def entities(window: MainWindow, argument: str) -> QWidget:
        from briefing_app.ui.entityindex import make_entity_index_view

        return make_entity_index_view(window, argument)

    def dossier(window: MainWindow, argument: str) -> QWidget:
        from briefing_app.ui.dossier import make_dossier_view

        return make_dossier_view(window, argument)

    def timeline(window: MainWindow, argument: str) -> QWidget:
        from briefing_app.ui.librarytimeline import make_library_timeline_view

        return make_library_timeline_view(window, argument)

    def conflicts(window: MainWindow, argument: str) -> QWidget:
        from briefing_app.ui.conflictsview import make_conflicts_view

        return make_conflicts_view(window, argument)

    register(ViewSpec("entities", "Entities", entities, "Ctrl+2"))
    register(ViewSpec("dossier", "Dossier", dossier, takes_argument=True, in_menu=False))
    register(ViewSpec("timeline", "Timeline", timeline, "Ctrl+3"))
    register(ViewSpec("conflicts", "Conflicts", conflicts, "Ctrl+4"))
    register(ViewSpec("notes", "Notes", _make_notes_view, "Ctrl+5"))


_register_builtin_views()
