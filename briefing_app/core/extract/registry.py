"""The analyst's corrections, re-applied on every extraction, across all articles.

The store persists them (tables entities, aliases, rejections) and builds a Registry
snapshot; extraction applies it to whatever the model found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ANY_LABEL = "*"


def registry_key(text: str) -> str:
    """How surface texts are compared: case- and whitespace-insensitive."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Registry:
    # (registry_key(surface text), label or ANY_LABEL) -> (canonical name, canonical label).
    # Renames, merges, relabels and added aliases all end up here.
    aliases: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # (registry_key(text), label or ANY_LABEL): "this is not an entity".
    rejections: frozenset[tuple[str, str]] = frozenset()
    # Names the analyst marked as entities: canonical name -> label. Found wherever they occur.
    analyst_entities: Mapping[str, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.aliases or self.rejections or self.analyst_entities)
