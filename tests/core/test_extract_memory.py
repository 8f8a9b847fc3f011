"""Extraction of a whole library keeps its spaCy processes' memory bounded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing_app.core.extract import pipeline
from briefing_app.core.extract.pipeline import Extractor

SEED_TEXT = (Path(__file__).resolve().parents[2] / "data" / "seed" / "russia-sahel-talks.txt").read_text(
    encoding="utf-8"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    extractor = Extractor()
    _ = extractor.rules  # the model loads here, not inside the test
    return extractor


def test_a_long_run_gets_new_processes_for_each_window_and_extracts_the_same(extractor, monkeypatch):
    texts = [
        (SEED_TEXT, "2024-03-01"),
        ("Sergey Lavrov visited Kyiv on Monday.", "2024-01-01"),
        ("", None),
        ("Mali and Niger signed a pact with Burkina Faso.", None),
        ("Airbus delivered the A380 to Emirates in March.", "2008-04-02"),
    ]
    single = list(extractor.extract_many(texts))

    pipes: list[list[int]] = []  # (processes, chunks, chunks per batch) of each nlp.pipe
    stock_pipe = extractor.nlp.pipe

    def counted_pipe(docs: Iterator, **kwargs: int) -> Iterator:
        record = [kwargs.get("n_process", 1), 0, kwargs.get("batch_size", 0)]
        if kwargs.get("as_tuples"):  # not the call spaCy makes inside it on the bare docs
            pipes.append(record)

        def counting() -> Iterator:
            for doc in docs:
                record[1] += 1
                yield doc

        return stock_pipe(counting(), **kwargs)

    monkeypatch.setattr(extractor.nlp, "pipe", counted_pipe)
    monkeypatch.setattr(pipeline, "MIN_WORDS_FOR_PROCESSES", 0)
    monkeypatch.setattr(pipeline, "PROCESS_WINDOW_ITEMS", 2)
    double = list(extractor.extract_many(iter(texts), n_process=2))

    assert double == single
    assert [tuple(p[:2]) for p in pipes] == [(2, 2), (2, 2), (2, 1)]  # 2 articles per set of processes
    # No batch sent to a process can hold more characters than one process's batch.
    assert all(batch * pipeline.MAX_CHUNK_CHARS <= pipeline.MAX_BATCH_CHARS for *_, batch in pipes)
