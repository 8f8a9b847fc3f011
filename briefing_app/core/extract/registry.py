"""The analyst's corrections, re-applied on every extraction, across all articles.

The store persists them (tables entities, aliases, rejections) and builds a Registry
snapshot; extraction applies it to whatever the model found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from briefing_app.core.model import Mention

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


def apply_registry(text: str, mentions: Sequence[Mention], registry: Registry) -> tuple[Mention, ...]:
    """The analyst's corrections applied to what extraction found in `text` (pure).

    Rejected mentions go; aliased ones take the canonical name and label (looked up by their
    surface text, then by the canonical name the rules gave them, so that renaming "Sergey
    Lavrov" also renames his "Lavrov" mentions); the analyst's own entities are found wherever
    they occur and win over any overlapping mention.
    """
    if registry.is_empty():
        return tuple(mentions)
    kept = []
    for mention in mentions:
        if _is_rejected(registry, mention.text, mention.label):
            continue
        target = _alias_target(registry, mention.text, mention.label) or _alias_target(
            registry, mention.canonical, mention.label
        )
        if target is not None:
            canonical, label = target
            mention = replace(mention, canonical=canonical, label=label, origin="analyst")
        kept.append(mention)
    found = _analyst_mentions(text, registry)
    kept = [m for m in kept if not any(m.start < a.end and a.start < m.end for a in found)]
    return tuple(sorted(kept + found, key=lambda m: (m.start, m.end)))


def _is_rejected(registry: Registry, text: str, label: str) -> bool:
    key = registry_key(text)
    return (key, label) in registry.rejections or (key, ANY_LABEL) in registry.rejections


def _alias_target(registry: Registry, text: str, label: str) -> tuple[str, str] | None:
    key = registry_key(text)
    return registry.aliases.get((key, label)) or registry.aliases.get((key, ANY_LABEL))


def _analyst_mentions(text: str, registry: Registry) -> list[Mention]:
    """Every occurrence of an analyst-marked name, longest names first where they overlap."""
    found: list[Mention] = []
    for name in sorted(registry.analyst_entities, key=len, reverse=True):
        label = registry.analyst_entities[name]
        if _is_rejected(registry, name, label):  # "not an entity" said later wins
            continue
        canonical, label = _alias_target(registry, name, label) or (name, label)
        for match in _name_pattern(name).finditer(text):
            start, end = match.span()
            if not any(start < m.end and m.start < end for m in found):
                found.append(Mention(start, end, match.group(), label, canonical, origin="analyst"))
    return found


def _name_pattern(name: str) -> re.Pattern[str]:
    """Whole words, any whitespace between them, written as marked or in capitals (headlines).

    Not case-insensitive: a marked "Will" or "Turkey" must not find "will" or "turkey".
    """
    forms = {name, name.upper()}
    alternatives = ["\\s+".join(re.escape(word) for word in form.split()) for form in sorted(forms)]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
