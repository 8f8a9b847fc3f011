"""The JSON shape of an extraction, as `briefing extract` prints it."""

from __future__ import annotations

from typing import Any

from briefing_app.core.model import Extraction


def extraction_to_json(extraction: Extraction, id: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {} if id is None else {"id": id}
    out["entities"] = [
        {"start": m.start, "end": m.end, "text": m.text, "label": m.label, "canonical": m.canonical}
        for m in extraction.mentions
    ]
    out["dates"] = [
        {
            "start": t.start,
            "end": t.end,
            "text": t.text,
            "value": t.value,
            "granularity": t.granularity,
            "mod": t.mod,
        }
        for t in extraction.timexes
    ]
    out["events"] = [
        {
            "start": e.start,
            "end": e.end,
            "date_start": e.date_start,
            "date_end": e.date_end,
            "mod": e.mod,
            "text": e.text,
        }
        for e in extraction.events
    ]
    return out
