"""The tense around a year-less date, read from the model's part-of-speech tagger.

"Talks are due to resume in October" (published in June) is next October; "talks resumed in
October" is last October. Word lists miss most future and conditional forms, so the verbs'
tense comes from en_core_web_sm's tagger and attribute ruler (token.morph Tense/VerbForm),
with modal auxiliaries and "due/set/expected/plan ... to" + infinitive read as the future.

The tagger needs the shared tok2vec, which costs as much as the rest of extraction: it runs
only on the sentences that hold a year-less date or a bare weekday, when the time-expression
tagger asks for their tense (most sentences never need it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# (character position in the text, "past" | "future"), in text order.
TenseCues = list[tuple[int, str]]
TenseReader = Callable[[int, int], TenseCues]

# Components that only the tense reader uses: loaded with the model, left out of nlp.pipe.
TENSE_COMPONENTS = ("tok2vec", "tagger", "attribute_ruler")

# Modal auxiliaries that put what they govern ahead of the moment of writing. "would" is the
# future of reported speech ("said it would resume in October"); "could", "might", "may" and
# "should" speak of what has not happened yet.
FUTURE_MODALS = frozenset({"will", "'ll", "wo", "shall", "would", "'d", "could", "might", "may", "should"})
# Words that make a following "to" + infinitive a plan: "due to resume", "set to open".
PLAN_WORDS = frozenset(
    """due set expected scheduled slated poised planned plan plans planning intend intends
    intended aims aim aiming going hopes hope hoping""".split()
)
# Words of schedule that need no infinitive: "due in October", "scheduled for Monday".
SCHEDULE_WORDS = frozenset({"due", "scheduled", "slated", "upcoming", "next"})
PAST_WORDS = frozenset({"ago", "last", "yesterday", "earlier"})
HAVE = frozenset({"have", "has", "had", "'ve", "'s", "having"})


def tense_cues(doc: Doc, offset: int = 0) -> TenseCues:
    """(position, tense) of each tense cue of a tagged Doc; positions shifted by `offset`."""
    cues: TenseCues = []
    tokens = list(doc)
    for i, token in enumerate(tokens):
        lower = token.lower_
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        position = offset + token.idx
        if token.tag_ == "MD":
            if lower in FUTURE_MODALS:
                cues.append((position, "future"))
        elif lower in PLAN_WORDS and following is not None and following.lower_ == "to":
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            if after is not None and after.tag_ == "VB":
                cues.append((position, "future"))
        elif (
            lower == "to"
            and following is not None
            and following.lower_ == "be"
            and _tag_at(tokens, i + 2) == "VBN"
        ):
            cues.append((position, "future"))  # "an event to be held on October 12"
        elif lower in SCHEDULE_WORDS:
            cues.append((position, "future"))
        elif lower in PAST_WORDS:
            cues.append((position, "past"))
        elif _is_past_verb(tokens, i):
            cues.append((position, "past"))
    return cues


def _tag_at(tokens: list, i: int) -> str:
    return tokens[i].tag_ if i < len(tokens) else ""


def _is_past_verb(tokens: list, i: int) -> bool:
    """A finite past verb ("resumed", "was"), or a participle after a form of "have"."""
    token = tokens[i]
    morph = token.morph
    if "Past" not in morph.get("Tense"):
        return False
    if "Fin" in morph.get("VerbForm"):
        return True
    # "has resumed", "had been": the perfect is past; a bare participle ("talks delayed
    # until October", "the expected date") says nothing of when.
    return any(t.lower_ in HAVE for t in tokens[max(0, i - 3) : i])


def model_tense_reader(nlp: Language, text: str) -> TenseReader:
    """A reader of the tense cues of text[start:end], tagging each sentence once, on demand."""
    components = [nlp.get_pipe(name) for name in TENSE_COMPONENTS]

    def read(start: int, end: int) -> TenseCues:
        doc = nlp.make_doc(text[start:end])
        for component in components:
            doc = component(doc)
        return tense_cues(doc, start)

    return read


def has_tense_components(nlp: Language) -> bool:
    return all(name in nlp.component_names for name in TENSE_COMPONENTS)
