"""Dated events from time expressions and sentences (stub; to be written)."""

from __future__ import annotations

from collections.abc import Sequence

from briefing_app.core.model import Event, TimeExpr


def build_events(
    text: str, timexes: Sequence[TimeExpr], sentences: Sequence[tuple[int, int]] | None = None
) -> list[Event]:
    return []
