"""One pass over a text: spaCy once, then entities, time expressions and events.

A text longer than MAX_CHUNK_CHARS goes through spaCy in chunks cut at paragraph breaks (else
line breaks, sentence ends, spaces), so that an article of any length is extracted: spaCy
refuses texts over `nlp.max_length` (a million characters, error E088), its memory grows with
the characters of a batch (about 3 MB per 1,000), and the entity rules take time quadratic in
the number of names of one Doc. The entity rules that work across an article (acronyms, short
names, consistent labels) then work within each chunk; time expressions, sentences and events
are read over the whole text.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.util
import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, NamedTuple

from briefing_app.core.extract.entities import (
    MODEL_PACKAGES,
    RULES_VERSION,
    EntityRules,
    load_model,
    prepare_doc,
    sentence_spans,
)
from briefing_app.core.extract.events import build_events
from briefing_app.core.extract.names import one_name_per_entity
from briefing_app.core.extract.registry import Registry, apply_registry
from briefing_app.core.extract.tense import has_tense_components, model_tense_reader
from briefing_app.core.extract.timex import extract_timexes
from briefing_app.core.model import Extraction, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Below this many words a second process costs more to start and feed than it saves.
MIN_WORDS_FOR_PROCESSES = 20_000
# Longest text spaCy sees at once (and never more than half of nlp.max_length): about 4,000
# words, longer than nearly every news article. Measured: the entity rules took 0.7 s on one
# text of 100,000 characters and 8 s on one of 400,000; spaCy's peak memory grew by 315 MB
# for one text of 100,000 characters, 600 MB for eight of 25,000 in one batch.
MAX_CHUNK_CHARS = 25_000
# Characters per spaCy batch in one process (a 1.2M-character text in one batch: 3.7 GB).
# With several processes spaCy batches by count: PROCESS_BATCH_SIZE chunks at most.
MAX_BATCH_CHARS = 200_000
# Chunks per batch sent to a spaCy process: at most MAX_BATCH_CHARS, as in one process. A
# process's working memory follows its batch: measured on articles of 1,300 tokens, 32 per
# batch took each process from about 200 to 450 MB (two of them and the parent: 1.1 GB), 8
# per batch to 230 MB, and extraction was no slower.
PROCESS_BATCH_SIZE = MAX_BATCH_CHARS // MAX_CHUNK_CHARS
# Articles read by one set of spaCy processes before they are replaced by new ones. Each
# distinct word a process reads stays in its vocabulary (measured: about 650 bytes a word),
# which a library of real text keeps adding to. Replacing them costs a fork and the wait for
# the window's last batch (seconds) once per window (minutes).
PROCESS_WINDOW_ITEMS = 1_000
# A chunk is cut at the last good boundary in its second half, so no chunk is tiny.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s")


class _Chunk(NamedTuple):
    """Where one spaCy Doc sits in the text it was cut from."""

    item: int  # which (text, published) pair of the batch
    offset: int  # the chunk's start in the whole text
    last: bool  # the text's last chunk: its extraction can be made


class Extractor:
    """Extraction for the app, the CLI and the benchmarks; the model loads on first use."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or Registry()
        # Tense of year-less dates from the model's tagger (tense.py); False: from word lists
        # (what the benchmark compares the tagger's cost against).
        self.tense_from_model = True
        self._nlp: Language | None = None
        self._rules: EntityRules | None = None

    @property
    def engine_version(self) -> str:
        """Names what produced an extraction; a change means stored extractions are stale.

        Read from package metadata, so asking does not load the model.
        """
        return f"briefing-rules/{RULES_VERSION} spacy/{importlib.metadata.version('spacy')} {_model_package_version()}"

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model()
        return self._nlp

    @property
    def rules(self) -> EntityRules:
        if self._rules is None:
            self._rules = EntityRules(self.nlp)
        return self._rules

    def extract(self, text: str, published: str | None = None) -> Extraction:
        return next(self.extract_many([(text, published)]))

    def extract_many(
        self, items: Iterable[tuple[str, str | None]], n_process: int = 1
    ) -> Iterator[Extraction]:
        """Extractions of (text, published date) pairs, in their order, as they are ready.

        With n_process > 1 spaCy runs in that many processes, but only for batches large
        enough to repay starting them.
        """
        items = iter(items)
        if n_process > 1:
            head, n_process = self._worth_processes(items, n_process)
            items = chain(head, items)
        if n_process == 1:
            yield from self._extract_in_one_pipe(items, 1)
            return
        # New processes for each window of articles: a spaCy process keeps every distinct
        # word it has read in its vocabulary until it ends (spaCy's advice for long runs is
        # to restart it), so over a whole library they would grow without bound.
        for first in items:
            window = chain([first], islice(items, PROCESS_WINDOW_ITEMS - 1))
            yield from self._extract_in_one_pipe(window, n_process)

    def _extract_in_one_pipe(
        self, items: Iterator[tuple[str, str | None]], n_process: int
    ) -> Iterator[Extraction]:
        """extract_many through one nlp.pipe call (its processes live as long as the call)."""
        nlp, rules, version = self.nlp, self.rules, self.engine_version
        limit = min(MAX_CHUNK_CHARS, max(1, nlp.max_length // 2))
        texts: dict[int, tuple[str, str | None]] = {}  # the items whose chunks are in spaCy

        def chunk_docs() -> Iterator[tuple[Doc, _Chunk]]:
            for number, (text, published) in enumerate(items):
                texts[number] = (text, published)
                spans = text_chunks(text, limit)
                for index, (start, end) in enumerate(spans):
                    yield prepare_doc(nlp, text[start:end]), _Chunk(number, start, index == len(spans) - 1)

        if n_process > 1:
            docs = nlp.pipe(chunk_docs(), as_tuples=True, n_process=n_process, batch_size=PROCESS_BATCH_SIZE)
        else:
            docs = _in_batches(nlp, chunk_docs())
        parts: list[tuple[int, Doc]] = []
        for doc, chunk in docs:
            parts.append((chunk.offset, doc))
            if chunk.last:
                text, published = texts.pop(chunk.item)
                yield self._extraction(text, parts, published, rules, version)
                parts = []

    def _worth_processes(
        self, items: Iterator[tuple[str, str | None]], n_process: int
    ) -> tuple[list[tuple[str, str | None]], int]:
        """Reads ahead until the batch is known to be large enough; returns what it read."""
        head: list[tuple[str, str | None]] = []
        words = 0
        for item in items:
            head.append(item)
            words += len(item[0].split())
            if words >= MIN_WORDS_FOR_PROCESSES:
                return head, n_process
        return head, 1

    def _extraction(
        self, text: str, parts: list[tuple[int, Doc]], published: str | None, rules: EntityRules, version: str
    ) -> Extraction:
        """The extraction of `text` from its chunks' Docs, given as (offset in text, Doc)."""
        found: list[Mention] = []
        sentences: list[tuple[int, int]] = []
        date_hints: list[tuple[int, int]] = []
        for offset, doc in parts:
            found += [_shifted(m, offset) for m in rules.mentions(doc)]
            sentences += [(start + offset, end + offset) for start, end in sentence_spans(doc)]
            date_hints += [
                (e.start_char + offset, e.end_char + offset) for e in doc.ents if e.label_ == "DATE"
            ]
        mentions = apply_registry(text, one_name_per_entity(found), self.registry)
        use_model = self.tense_from_model and has_tense_components(self.nlp)
        reader = model_tense_reader(self.nlp, text) if use_model else None
        timexes = tuple(extract_timexes(text, published, sentences, date_hints, reader))
        events = tuple(build_events(text, timexes, sentences))
        return Extraction(mentions, timexes, events, version)


def _in_batches(nlp: Language, docs: Iterable[tuple[Doc, _Chunk]]) -> Iterator[tuple[Doc, _Chunk]]:
    """nlp.pipe in one process, over batches of at most nlp.batch_size docs and about
    MAX_BATCH_CHARS characters."""
    batch: list[tuple[Doc, _Chunk]] = []
    chars = 0
    for doc, chunk in docs:
        batch.append((doc, chunk))
        chars += len(doc.text)
        if len(batch) >= nlp.batch_size or chars >= MAX_BATCH_CHARS:
            yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
            batch, chars = [], 0
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))


def text_chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) spans that cover `text` in order, each at most `limit` characters long.

    Each cut is the last paragraph break in the second half of the chunk, else the last line
    break, sentence end or space there; only a text without any of them is cut mid-word.
    """
    if limit < 1:
        raise ValueError(f"chunks must have at least one character, not {limit}")
    spans = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start + limit // 2, start + limit)
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def _cut(text: str, lowest: int, highest: int) -> int:
    """The best place in [lowest, highest] to end a chunk (the cut falls after the boundary)."""
    for boundary in ("\n\n", "\n"):
        found = text.rfind(boundary, lowest, highest)
        if found != -1:
            return found + len(boundary)
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text, lowest, highest)]
    if sentence_ends:
        return sentence_ends[-1]
    space = max(text.rfind(" ", lowest, highest), text.rfind("\t", lowest, highest))
    return space + 1 if space != -1 else highest


def _shifted(mention: Mention, offset: int) -> Mention:
    return dataclasses.replace(mention, start=mention.start + offset, end=mention.end + offset)


def _model_package_version() -> str:
    """ "en_core_web_sm 3.8.0" for the model package load_model() will pick."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return f"{name} {importlib.metadata.version(name)}"
    return "no-model"
