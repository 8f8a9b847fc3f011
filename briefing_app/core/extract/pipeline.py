"""One pass over a text: spaCy once, then entities, time expressions and events."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING

from briefing_app.core.extract.entities import (
    MODEL_PACKAGES,
    RULES_VERSION,
    EntityRules,
    load_model,
    prepare_doc,
    sentence_spans,
)
from briefing_app.core.extract.events import build_events
from briefing_app.core.extract.registry import Registry, apply_registry
from briefing_app.core.extract.timex import extract_timexes
from briefing_app.core.model import Extraction

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Below this many words a second process costs more to start and feed than it saves.
MIN_WORDS_FOR_PROCESSES = 20_000
# Docs per batch sent to a process: small enough that two processes both get work.
PROCESS_BATCH_SIZE = 32


class Extractor:
    """Extraction for the app, the CLI and the benchmarks; the model loads on first use."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or Registry()
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
        nlp, rules, version = self.nlp, self.rules, self.engine_version
        docs = ((prepare_doc(nlp, text), published) for text, published in items)
        batch_size = PROCESS_BATCH_SIZE if n_process > 1 else nlp.batch_size
        for doc, published in nlp.pipe(docs, as_tuples=True, n_process=n_process, batch_size=batch_size):
            yield self._extraction(doc, published, rules, version)

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

    def _extraction(self, doc: Doc, published: str | None, rules: EntityRules, version: str) -> Extraction:
        text = doc.text
        mentions = apply_registry(text, rules.mentions(doc), self.registry)
        sentences = sentence_spans(doc)
        date_hints = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "DATE"]
        timexes = tuple(extract_timexes(text, published, sentences, date_hints))
        events = tuple(build_events(text, timexes, sentences))
        return Extraction(mentions, timexes, events, version)


def _model_package_version() -> str:
    """ "en_core_web_sm 3.8.0" for the model package load_model() will pick."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return f"{name} {importlib.metadata.version(name)}"
    return "no-model"
