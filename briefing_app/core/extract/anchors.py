"""Anchors of inferred dates: the reason a year (or week) that is not written was given.

Apart from timex.py, whose pattern tables take a while to compile, so that the window can
draw and word an inferred date without loading them at start.
"""

from __future__ import annotations

# Anchors of dates whose year (or week) is not written but inferred from the publication date
# and the tense around them: "October" in "talks will resume in October".
INFERRED_ANCHORS = {
    "tense:future": "year from future tense",
    "tense:past": "year from past tense",
    "tense:none": "no tense to go by: year of publication",
}


def inferred_anchor(tense: str | None) -> str:
    return f"tense:{tense or 'none'}"


# The anchor of a dateline: a full date alone on a line at the top ("MOSCOW, March 3, 2024").
# It dates the article; the store takes it as the publication date of an article without one.
DATELINE = "dateline"
