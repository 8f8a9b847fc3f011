"""Extraction after import: stored per article, re-run on a new engine, corrections kept."""

from __future__ import annotations

import pytest

from briefing_app.core.extract import pipeline
from briefing_app.core.extract.pipeline import Extractor
from briefing_app.core.extract.runner import extract_pending
from briefing_app.core.importers import read_path
from briefing_app.core.model import ArticleDraft
from tests.support.datafiles import SEED_ARTICLE, WIKINEWS_DIR


@pytest.fixture(scope="module")
def extractor():
    return Extractor()  # the model loads once for the module


@pytest.fixture
def seed_id(library):
    report = library.import_items(read_path(SEED_ARTICLE))
    return report.imported[0]


def names(library, article_id, label=None):
    return {m.canonical for m in library.mentions(article_id) if label in (None, m.label)}


def test_pending_articles_are_extracted_and_stored(library, extractor, seed_id):
    progress = []
    assert (
        extract_pending(library, extractor, progress=lambda done, total: progress.append((done, total))) == 1
    )
    assert progress == [(1, 1)]
    assert "Sergey Lavrov" in names(library, seed_id, "PERSON")
    assert [e.date_start for e in library.events(seed_id)][:2] == ["2022", "2023-09-06"]
    assert library.get_article(seed_id).extracted_with == extractor.engine_version
    assert extract_pending(library, extractor) == 0  # nothing left to do


def test_a_new_engine_version_extracts_again(library, extractor, seed_id, monkeypatch):
    extract_pending(library, extractor)
    monkeypatch.setattr(pipeline, "RULES_VERSION", "next")
    assert library.articles_needing_extraction(extractor.engine_version) == [seed_id]
    assert extract_pending(library, extractor) == 1
    assert library.get_article(seed_id).extracted_with.startswith("briefing-rules/next")


def test_analyst_corrections_survive_a_reextraction(library, extractor, seed_id, monkeypatch):
    extract_pending(library, extractor)
    library.rename_entity("Sergey Lavrov", "PERSON", "Sergei Lavrov")
    library.reject("Le Monde", "ORG")
    library.relabel_entity("Sahel", "LOC", "GPE")
    library.mark_entity("Islamic World", "EVENT")

    monkeypatch.setattr(pipeline, "RULES_VERSION", "next")
    assert extract_pending(library, extractor) == 1

    mentions = library.mentions(seed_id)
    lavrov = {m.text for m in mentions if m.canonical == "Sergei Lavrov"}
    assert lavrov == {"Sergey Lavrov", "Lavrov"}
    assert "Sergey Lavrov" not in names(library, seed_id)
    assert not [m for m in mentions if m.text == "Le Monde"]
    assert {m.label for m in mentions if m.text == "Sahel"} == {"GPE"}
    assert [m.text for m in mentions if m.label == "EVENT" and m.origin == "analyst"] == ["Islamic World"]


def test_relative_dates_resolve_only_with_a_publication_date(library, extractor):
    library.import_items(read_path(WIKINEWS_DIR / "238039_Apple_Inc_CEO_Steve.txt"))
    (article_id,) = library.articles_needing_extraction(extractor.engine_version)
    article = library.get_article(article_id)
    assert article.published == "2011-01-17"
    extract_pending(library, extractor)
    monday = [t for t in library.timexes(article_id) if t.text == "Monday"]
    assert monday and monday[0].value == "2011-01-17" and monday[0].anchor.startswith("tense:")

    undated = extractor.extract(article.text.replace("January 17, 2011\n", ""), None)
    monday = [t for t in undated.timexes if t.text == "Monday"]
    assert monday and monday[0].value is None and monday[0].anchor == "unresolved"


def test_an_article_that_fails_to_extract_does_not_stop_the_others(library, extractor, monkeypatch):
    for text in ("Mali and Niger met in Bamako.", "POISON pill article.", "Lavrov flew to Moscow."):
        library.add_draft(ArticleDraft(text=text, title=text[:10], origin="t"))
    real = extractor.extract_many

    def fragile(items, n_process=1):
        for text, published in items:
            if "POISON" in text:
                raise RuntimeError("model crashed")
            yield from real([(text, published)])

    monkeypatch.setattr(extractor, "extract_many", fragile)
    monkeypatch.setattr(extractor, "extract", lambda text, published=None: next(fragile([(text, published)])))
    failures = []
    assert extract_pending(library, extractor, failed=lambda aid, why: failures.append((aid, why))) == 2
    assert failures == [(2, "RuntimeError: model crashed")]
    assert library.articles_needing_extraction(extractor.engine_version) == [2]


class _StreamingFake:
    """Extracts nothing but counts: how many extract_many calls, with how many processes, and
    how many articles it had been handed when each result came out."""

    engine_version = "fake/stream"

    def __init__(self) -> None:
        self.registry = None
        self.calls: list[int] = []
        self.read_ahead: list[int] = []

    def extract_many(self, items, n_process=1):
        from briefing_app.core.model import Extraction

        self.calls.append(n_process)
        handed = 0
        for _text, _published in items:
            handed += 1
            self.read_ahead.append(handed)
            yield Extraction(engine=self.engine_version)


def test_many_articles_stream_through_one_extraction_on_the_cores(library, monkeypatch):
    from briefing_app.core.extract import runner

    library.import_items(ArticleDraft(f"Report number {n}.", title=f"R{n}", origin="t") for n in range(150))
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 8)
    fake = _StreamingFake()
    done = []
    assert extract_pending(library, fake, progress=lambda n, total: done.append(n)) == 150  # type: ignore[arg-type]
    assert fake.calls == [runner.MAX_DEFAULT_PROCESSES]  # one call: processes start once
    assert fake.read_ahead == list(range(1, 151))  # each article read when asked for, not all first
    assert done == list(range(1, 151))
    assert library.articles_needing_extraction(fake.engine_version) == []


def test_a_cancelled_extraction_stores_what_came_out_and_leaves_the_rest(library):
    library.import_items(ArticleDraft(f"Report number {n}.", title=f"R{n}", origin="t") for n in range(20))
    fake = _StreamingFake()
    stored: list[int] = []
    extracted = extract_pending(
        library,
        fake,  # type: ignore[arg-type]
        n_process=1,
        progress=lambda n, total: stored.append(n),
        cancelled=lambda: len(stored) >= 5,
    )
    assert extracted == 5 and len(library.articles_needing_extraction(fake.engine_version)) == 15
