"""Corrections of an entity on the whole library, as the entity pane and the Entities view
make them: checked, worded and run through the window's one write path (LibraryOps)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from briefing_app.core.store import Library
from briefing_app.ui.ops import Changes, LibraryOps, Op


def name_and_label(choice: str, default_label: str) -> tuple[str, str]:
    """What a "Merge Into" choice names: "Mali (GPE)" -> ("Mali", "GPE"); a name typed alone
    keeps the entity's type: "Mali" -> ("Mali", default_label)."""
    text = " ".join(choice.split())
    if text.endswith(")") and " (" in text:
        name, _, label = text[:-1].rpartition(" (")
        if label.isupper() and name:
            return name, label
    return text, default_label


def rename_entity(ops: LibraryOps, name: str, label: str, new_name: str) -> None:
    new_name = " ".join(new_name.split())
    if not new_name:
        ops.refuse(f"An entity needs a name: “{name}” was not renamed.")
        return
    if new_name == name:
        return
    ops.run(
        Op(
            lambda library: library.rename_entity(name, label, new_name),
            what=f"rename “{name}”",
            done=f"Renamed “{name}” to “{new_name}”.",
            changes=Changes(entities=True),  # the store moved the mentions already
        )
    )


def merge_entity(ops: LibraryOps, name: str, label: str, into: str) -> None:
    """Merge into the entity `into` names ("Name" or "Name (TYPE)", see name_and_label)."""
    into_name, into_label = name_and_label(into, label)
    if not into_name:
        ops.refuse(f"Name the entity to merge “{name}” into: nothing was merged.")
        return
    if (into_name, into_label) == (name, label):
        ops.refuse(f"“{name}” cannot be merged into itself.")
        return
    ops.run(
        Op(
            lambda library: library.merge_entities(name, label, into_name, into_label),
            what=f"merge “{name}” into “{into_name}”",
            done=f"Merged “{name}” into “{into_name}”.",
            changes=Changes(entities=True),
        )
    )


def reject_entity(ops: LibraryOps, name: str, label: str, texts: Callable[[Library], Iterable[str]]) -> None:
    """Not an entity of this type: each text it appears as (`texts`, read in the write) is
    rejected under that type; the same words under another type stay."""

    def reject_texts(library: Library) -> None:
        with library.write():
            for text in dict.fromkeys(texts(library)):
                library.reject(text, label)

    ops.run(
        Op(
            reject_texts,
            what=f"mark “{name}” as not an entity",
            done=f"“{name}” is no longer marked as {label}.",
            # Its stored mentions went at once; extraction then applies the rejection.
            changes=Changes(entities=True, extraction=True),
        )
    )
