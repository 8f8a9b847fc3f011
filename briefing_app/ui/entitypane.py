"""The entity pane: the open article's entities by type, with the analyst's corrections.

Corrections are Ops (ui/ops.py): they run off the GUI thread, and the window refreshes the
panes from the Changes they declare once they land.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QTreeView, QVBoxLayout, QWidget

from briefing_app.core.model import Mention
from briefing_app.ui.entityops import merge_entity, reject_entity, rename_entity
from briefing_app.ui.inert import plain_tooltip
from briefing_app.ui.ops import Changes, LibraryOps, Op
from briefing_app.ui.textpane import ENTITY_COLOURS, entity_colour

TYPE_NAMES = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Countries, cities",
    "LOC": "Places",
    "NORP": "Nationalities",
    "FAC": "Facilities",
    "EVENT": "Events",
    "LAW": "Laws",
    "PRODUCT": "Products",
    "WORK_OF_ART": "Works",
    "LANGUAGE": "Languages",
}
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1  # EntityRow of an entity row, None on a type row
SPANS_ROLE = Qt.ItemDataRole.UserRole + 2  # [(start, end)] of every mention under the row


@dataclass(frozen=True)
class EntityRow:
    name: str
    label: str
    surfaces: tuple[str, ...]  # the texts it appears as in this article


class EntityModel(QStandardItemModel):
    """Type rows (by mention count) holding entity rows (by mention count, then name)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Entity", "#"])

    def set_mentions(self, mentions: list[Mention]) -> None:
        by_entity: dict[tuple[str, str], list[Mention]] = defaultdict(list)
        for mention in mentions:
            by_entity[(mention.canonical, mention.label)].append(mention)
        by_type: dict[str, list[tuple[str, list[Mention]]]] = defaultdict(list)
        for (name, label), found in by_entity.items():
            by_type[label].append((name, found))
        self.removeRows(0, self.rowCount())
        for label, entities in sorted(
            by_type.items(), key=lambda kv: (-sum(len(f) for _, f in kv[1]), kv[0])
        ):
            type_item = self._item(TYPE_NAMES.get(label, label))
            type_item.setData(entity_colour(label), Qt.ItemDataRole.DecorationRole)
            type_item.setToolTip(label)
            type_spans = []
            for name, found in sorted(entities, key=lambda e: (-len(e[1]), e[0].casefold())):
                spans = [(m.start, m.end) for m in found]
                type_spans += spans
                surfaces = tuple(dict.fromkeys(m.text for m in found))
                name_item = self._item(name)
                name_item.setData(EntityRow(name, label, surfaces), ENTITY_ROLE)
                name_item.setData(spans, SPANS_ROLE)
                name_item.setToolTip(plain_tooltip(f"{label}: {name}\nappears as: {', '.join(surfaces)}"))
                type_item.appendRow([name_item, self._item(str(len(found)), right=True)])
            type_item.setData(sorted(type_spans), SPANS_ROLE)
            self.appendRow([type_item, self._item(str(len(type_spans)), right=True)])

    @staticmethod
    def _item(text: str, right: bool = False) -> QStandardItem:
        item = QStandardItem(text)
        item.setEditable(False)
        if right:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def entities(self) -> list[EntityRow]:
        return [
            self.item(t).child(r).data(ENTITY_ROLE)
            for t in range(self.rowCount())
            for r in range(self.item(t).rowCount())
        ]


class EntityPane(QWidget):
    """Click an entity: mark its mentions, and step through them on each further click."""

    mark_requested = Signal(list, int)  # spans, the one to scroll to
    show_mentioning = Signal(str)  # filter the library by this entity name
    dossier_requested = Signal(str)  # open the dossier of this entity name

    def __init__(self, ops: LibraryOps, parent=None) -> None:
        """ops: the window's write path; every correction goes through it."""
        super().__init__(parent)
        self.ops = ops
        self.model = EntityModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setIndentation(14)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.clicked.connect(self._clicked)
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, self.view.header().ResizeMode.Stretch)
        self.view.header().setSectionResizeMode(1, self.view.header().ResizeMode.ResizeToContents)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self._stepping: tuple[QModelIndex | None, int] = (None, 0)
        self.set_mentions([], extracted=True)

    def set_mentions(self, mentions: list[Mention], extracted: bool) -> None:
        self.model.set_mentions(mentions)
        self.view.expandAll()
        self._stepping = (None, 0)
        if not extracted:
            self.summary.setText("Finding entities…")
        elif not mentions:
            self.summary.setText("No entities found.")
        else:
            n = len(self.model.entities())
            self.summary.setText(f"{n} entities, {len(mentions)} mentions")

    def _clicked(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(0)
        spans = index.data(SPANS_ROLE) or []
        if not spans:
            return
        previous, step = self._stepping
        step = (step + 1) % len(spans) if previous == index else 0
        self._stepping = (QModelIndex(index), step)
        self.mark_requested.emit(spans, step)

    # -- corrections -------------------------------------------------------------------

    def _context_menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point).siblingAtColumn(0)
        entity: EntityRow | None = index.data(ENTITY_ROLE) if index.isValid() else None
        if entity is None:
            return
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.rename(entity))
        menu.addAction("Change Type…", lambda: self.change_type(entity))
        menu.addAction("Merge Into…", lambda: self.merge(entity))
        menu.addAction("Add Alias…", lambda: self.add_alias(entity))
        menu.addAction("Not an Entity", lambda: self.reject(entity))
        menu.addSeparator()
        menu.addAction("Articles Mentioning It", lambda: self.show_mentioning.emit(entity.name))
        menu.addAction("Open Dossier", lambda: self.dossier_requested.emit(entity.name))
        menu.exec(self.view.viewport().mapToGlobal(point))
        menu.deleteLater()

    def rename(self, entity: EntityRow) -> None:
        name, ok = QInputDialog.getText(
            self, "Rename Entity", f"New name for “{entity.name}”:", text=entity.name
        )
        if ok:
            rename_entity(self.ops, entity.name, entity.label, name)

    def change_type(self, entity: EntityRow) -> None:
        labels = sorted(set(ENTITY_COLOURS) | {entity.label})
        label, ok = QInputDialog.getItem(
            self, "Change Type", f"Type of “{entity.name}”:", labels, labels.index(entity.label), False
        )
        if ok and label != entity.label:
            self.ops.run(
                Op(
                    lambda library: library.relabel_entity(entity.name, entity.label, label),
                    what=f"change the type of “{entity.name}”",
                    done=f"“{entity.name}” is now {label} ({TYPE_NAMES.get(label, label)}).",
                    changes=Changes(entities=True),
                )
            )

    def merge(self, entity: EntityRow) -> None:
        choices = [f"{e.name} ({e.label})" for e in self.model.entities() if e != entity]
        choice, ok = QInputDialog.getItem(
            self, "Merge Into", f"Merge “{entity.name}” into (pick, or type a name):", choices, 0, True
        )
        if ok:
            merge_entity(self.ops, entity.name, entity.label, choice)

    def add_alias(self, entity: EntityRow) -> None:
        alias, ok = QInputDialog.getText(self, "Add Alias", f"Another name for “{entity.name}”:")
        if not ok:
            return
        alias = " ".join(alias.split())
        if not alias:
            self.ops.refuse(f"An alias needs a name: none was added to “{entity.name}”.")
            return
        self.ops.run(
            Op(
                lambda library: library.add_alias(alias, entity.name, entity.label),
                what=f"add the alias “{alias}” to “{entity.name}”",
                done=f"“{alias}” is now another name for “{entity.name}”.",
                # The store queued the articles with that text; the open one first.
                changes=Changes(entities=True, extraction=True),
            )
        )

    def reject(self, entity: EntityRow) -> None:
        """Not an entity of this type, as each text it appears as in this article."""
        reject_entity(self.ops, entity.name, entity.label, lambda _library: entity.surfaces)
