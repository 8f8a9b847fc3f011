"""Time expressions -> TIMEX3-style values (stub; to be written)."""

from __future__ import annotations

from collections.abc import Sequence

from briefing_app.core.model import TimeExpr


def extract_timexes(
    text: str,
    published: str | None = None,
    sentences: Sequence[tuple[int, int]] | None = None,
    hints: Sequence[tuple[int, int]] = (),
) -> list[TimeExpr]:
    return []
