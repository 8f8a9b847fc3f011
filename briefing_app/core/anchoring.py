"""Anchors of notes on passages, and finding the passage again after the text changed.

An anchor holds both W3C selectors that Hypothesis keeps: the TextQuoteSelector (the quoted
passage with some context each side) and the TextPositionSelector (start and end offsets).
Re-anchoring looks for the quote in the new text the way Hypothesis does: every exact
occurrence is scored by how well its context matches and how near it is to where the passage
used to be; without any exact occurrence, the best approximate match of the quote is scored the
same way and accepted only above a threshold. A passage that cannot be placed is "orphaned":
the note keeps its quote, it is never dropped.

Approximate matching uses rapidfuzz (C++): partial_ratio_alignment finds the window most like
the quote in a whole article in well under a millisecond, then scoring nearby ends settles
where the edited passage begins and ends (about 5 ms per passage on a 2,000-word article).
The stdlib's difflib has no approximate substring search, and a hand-written edit-distance
search in Python is some hundred times slower.

The approximate search is bounded, because its cost grows with the quote's length squared
times the text's length: a 5,400-character quote not in the article took 11 s, one of 200,000
characters did not finish in 150 s. Only quotes up to MAX_FUZZY_QUOTE_CHARS are searched
approximately (longer ones must be found exactly), in at most MAX_FUZZY_REGION_CHARS of text,
with the ends moved by at most MAX_REFINE_SLACK; a caller may also give a deadline
(time.monotonic()), after which no approximate search starts and the exact occurrences not yet
scored are left out. What is not found in time is an orphan, like what is not found at all.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, NamedTuple

from briefing_app.core.model import AnchorState

CONTEXT_CHARS = 32

ANCHORED: Final = "anchored"  # found where it was
MOVED: Final = "moved"  # found elsewhere (text inserted or deleted before it, or the passage edited)
ORPHANED: Final = "orphaned"  # not found: the note keeps its quote and waits
ANCHOR_STATES = (ANCHORED, MOVED, ORPHANED)

# Hypothesis' weights (hypothesis/client, src/annotator/anchoring/match-quote.ts): the quote
# counts most, then its context; the distance from the old position only breaks near-ties.
QUOTE_WEIGHT = 50
PREFIX_WEIGHT = 20
SUFFIX_WEIGHT = 20
POSITION_WEIGHT = 2
_TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT

# An approximate match must resemble the quote at least this much (Levenshtein similarity;
# Hypothesis allows errors up to half the quote's length) and score this much overall.
# Measured on the sample articles with 1,500 random passages: a passage deleted from the text
# found a stand-in above 0.66 six times (a near-identical sentence elsewhere); with one word
# changed, dropped or inserted, 99% of passages were found, 98% with their exact new ends.
MIN_FUZZY_QUOTE_SIMILARITY = 0.5
MIN_FUZZY_SCORE = 0.66
# Quotes this short match by chance too easily: exact occurrences only.
MIN_FUZZY_QUOTE_CHARS = 10
# Bounds of the approximate search (see the module's docstring). A quote of 1,000 characters
# (a long paragraph) costs about 0.05 s in a 10,000-character article, 0.25 s in 100,000.
MAX_FUZZY_QUOTE_CHARS = 1_000
# The text searched as a whole at most; a longer one is searched around the expected position.
MAX_FUZZY_REGION_CHARS = 100_000
# How far the ends of an approximate match move to fit a passage that grew or shrank.
MAX_REFINE_SLACK = 250


@dataclass(frozen=True)
class Anchor:
    """Where a note sits: its quote with context, and its offsets when it has a place."""

    quote: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None  # None: an orphan, or a selector without position
    end: int | None = None


class Placement(NamedTuple):
    """The outcome of re-anchoring: offsets in the new text, or None for an orphan."""

    start: int | None
    end: int | None
    state: AnchorState  # one of ANCHOR_STATES


ORPHAN = Placement(None, None, ORPHANED)


def make_anchor(text: str, start: int, end: int) -> Anchor:
    """The anchor of text[start:end], with CONTEXT_CHARS of context each side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"passage {start}:{end} is empty or outside a text of {len(text)} characters")
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def reanchor(text: str, anchor: Anchor, hint: int | None = None, deadline: float | None = None) -> Placement:
    """Find the anchor's passage in `text`.

    `hint` is where the passage is expected to start (defaults to the anchor's old start);
    the state says "anchored" only when the passage is found at the anchor's old offsets.
    After `deadline` (a time.monotonic() value) the search is cut short (see above).
    """
    if not anchor.quote:
        return ORPHAN
    if hint is None:
        hint = anchor.start
    if hint is not None and _quote_and_context_at(text, anchor, hint):
        return _placement(anchor, hint, hint + len(anchor.quote))
    scorer = _Scorer(text, anchor, hint, deadline)
    length = len(anchor.quote)
    # After the deadline: the best of the occurrences scored so far.
    best = _best_score(scorer, ((start, start + length) for start in _occurrences(text, anchor.quote)), True)
    if best is None and not scorer.out_of_time():
        best = _best_fuzzy_match(scorer)
    if best is None:
        return ORPHAN
    return _placement(anchor, best.start, best.end)


def _placement(anchor: Anchor, start: int, end: int) -> Placement:
    return Placement(start, end, ANCHORED if (start, end) == (anchor.start, anchor.end) else MOVED)


def _quote_and_context_at(text: str, anchor: Anchor, start: int) -> bool:
    """The quote and its whole context are at `start`: no other place can match better."""
    end = start + len(anchor.quote)
    return (
        start >= 0
        and text[start:end] == anchor.quote
        and text[max(0, start - len(anchor.prefix)) : start] == anchor.prefix
        and text[end : end + len(anchor.suffix)] == anchor.suffix
    )


def _occurrences(text: str, quote: str) -> Iterator[int]:
    start = text.find(quote)
    while start != -1:
        yield start
        start = text.find(quote, start + 1)


class _Candidate(NamedTuple):
    score: float
    start: int
    end: int
    quote_similarity: float


class _Scorer:
    """Scores a candidate passage like Hypothesis: quote, prefix, suffix, distance."""

    def __init__(self, text: str, anchor: Anchor, hint: int | None, deadline: float | None = None) -> None:
        self.text = text
        self.anchor = anchor
        self.hint = hint
        self.deadline = deadline
        # Here, not at the top: rapidfuzz loads with the first re-anchoring, not at start.
        from rapidfuzz.distance import Levenshtein

        self.levenshtein_similarity = Levenshtein.normalized_similarity

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def score(self, start: int, end: int) -> _Candidate:
        anchor, text = self.anchor, self.text
        quote_similarity = self.levenshtein_similarity(anchor.quote, text[start:end])
        prefix_score = self.context_similarity(
            anchor.prefix, text[max(0, start - len(anchor.prefix)) : start]
        )
        suffix_score = self.context_similarity(anchor.suffix, text[end : end + len(anchor.suffix)])
        position_score = 1.0
        if self.hint is not None and text:
            position_score = 1.0 - min(1.0, abs(start - self.hint) / len(text))
        raw = (
            QUOTE_WEIGHT * quote_similarity
            + PREFIX_WEIGHT * prefix_score
            + SUFFIX_WEIGHT * suffix_score
            + POSITION_WEIGHT * position_score
        )
        return _Candidate(raw / _TOTAL_WEIGHT, start, end, quote_similarity)

    def context_similarity(self, expected: str, found: str) -> float:
        # No recorded context (a passage at the very start or end) counts as matching.
        return self.levenshtein_similarity(expected, found) if expected else 1.0


def _best_fuzzy_match(scorer: _Scorer) -> _Candidate | None:
    """The best approximate occurrence of the quote, if it is good enough.

    Two windows are tried, the one most like the quote in the whole text and the one most
    like it near the expected position, so that a similar passage elsewhere does not win over
    the edited one nearby when its context matches as well.
    """
    from rapidfuzz import fuzz  # loaded with the first approximate search, as in _Scorer

    text, quote, hint = scorer.text, scorer.anchor.quote, scorer.hint
    if not MIN_FUZZY_QUOTE_CHARS <= len(quote) <= MAX_FUZZY_QUOTE_CHARS:
        return None
    regions = []
    if len(text) <= MAX_FUZZY_REGION_CHARS:
        regions.append((0, len(text)))
    elif hint is not None:  # a long text: the stretch around where the passage was
        first = min(max(0, hint - MAX_FUZZY_REGION_CHARS // 2), len(text) - MAX_FUZZY_REGION_CHARS)
        regions.append((first, first + MAX_FUZZY_REGION_CHARS))
    if hint is not None:
        regions.append((max(0, hint - len(quote)), max(0, min(len(text), hint + 2 * len(quote)))))
    candidates = []
    for region_start, region_end in regions:
        if scorer.out_of_time():
            break
        window = fuzz.partial_ratio_alignment(quote, text[region_start:region_end])
        if window is None or window.dest_end <= window.dest_start:  # nothing in common
            continue
        candidate = _refine_ends(scorer, region_start + window.dest_start, region_start + window.dest_end)
        if candidate is not None and candidate.quote_similarity >= MIN_FUZZY_QUOTE_SIMILARITY:
            candidates.append(candidate)
    best = max(candidates, default=None)
    return best if best is not None and best.score >= MIN_FUZZY_SCORE else None


def _refine_ends(scorer: _Scorer, start: int, end: int) -> _Candidate | None:
    """Move the ends of a window to where the passage scores best; None when out of time.

    partial_ratio_alignment returns a window as long as the quote: a passage that grew or
    shrank needs its ends moved, by up to the quote's length (at most MAX_REFINE_SLACK).
    Scoring the context too (not the quote alone) settles ties such as a changed first word.
    The start is settled first with the end fixed, then the end: the two ends hardly interact.
    """
    text_length = len(scorer.text)
    slack = min(MAX_REFINE_SLACK, max(8, len(scorer.anchor.quote)))
    best = _best_score(scorer, ((s, end) for s in range(max(0, start - slack), min(end, start + slack + 1))))
    if best is None:
        return None
    return _best_score(
        scorer,
        ((best.start, e) for e in range(max(best.start + 1, end - slack), min(text_length, end + slack) + 1)),
    )


def _best_score(
    scorer: _Scorer, spans: Iterator[tuple[int, int]], keep_when_late: bool = False
) -> _Candidate | None:
    """The best-scoring (start, end), None when there is none. When the deadline passes the
    search stops: None, or with `keep_when_late` the best of the spans scored so far."""
    best = None
    for start, end in spans:
        candidate = scorer.score(start, end)
        best = candidate if best is None else max(best, candidate)
        if scorer.out_of_time():
            return best if keep_when_late else None
    return best
