"""Texts of any length are extracted: chunks for spaCy, offsets into the whole text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.core.extract import pipeline
from briefing_app.core.extract.pipeline import Extractor, text_chunks
from briefing_app.core.extract.runner import extract_pending
from briefing_app.core.model import ArticleDraft
from tests.datafiles import SEED_ARTICLE
from tests.support.fuzz import default_fuzz
from tests.support.longtext import FIRST_SENTENCE, LAST_SENTENCE, long_text

SEED_TEXT = SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def extractor():
    return Extractor()  # the model loads once for the module


def keys(extraction):
    return (
        [(m.start, m.end, m.text, m.label, m.canonical) for m in extraction.mentions],
        extraction.timexes,
        extraction.events,
    )


def assert_offsets_slice_the_text(text, extraction):
    assert all(text[m.start : m.end] == m.text for m in extraction.mentions)
    assert all(text[t.start : t.end] == t.text for t in extraction.timexes)
    assert all(text[e.start : e.end] == e.text for e in extraction.events)


# -- where a text is cut ---------------------------------------------------------------


def test_a_short_text_is_one_chunk():
    assert text_chunks("Mali and Niger.", 100) == [(0, 15)]
    assert text_chunks("", 100) == [(0, 0)]


def test_cuts_fall_after_paragraph_breaks_first():
    text = "First paragraph here.\nA line.\n\nSecond paragraph, longer than the rest of it."
    first_end = text_chunks(text, 40)[0][1]
    assert text[:first_end] == "First paragraph here.\nA line.\n\n"


def test_a_paragraph_without_breaks_is_cut_at_sentence_ends():
    text = " ".join(f"Sentence number {i} ends here." for i in range(40))
    spans = text_chunks(text, 200)
    assert len(spans) > 1
    assert all(text[start:end].rstrip().endswith(".") for start, end in spans)


def test_text_without_any_boundary_is_cut_where_it_must_be():
    assert text_chunks("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]


@default_fuzz
@given(text=st.text(alphabet=st.sampled_from("ab .\n!?\t\u00e9"), max_size=400), limit=st.integers(1, 60))
def test_chunks_cover_the_text_in_order_and_keep_the_limit(text, limit):
    spans = text_chunks(text, limit)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end == next_start for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False))
    assert all(0 < end - start <= limit for start, end in spans if text)


# -- extraction in chunks ----------------------------------------------------------------


def test_the_seed_article_in_chunks_gives_what_it_gives_whole(extractor, monkeypatch):
    whole = extractor.extract(SEED_TEXT, "2023-09-05")
    monkeypatch.setattr(pipeline, "MAX_CHUNK_CHARS", 1_000)
    assert len(text_chunks(SEED_TEXT, 1_000)) == 4
    chunked = extractor.extract(SEED_TEXT, "2023-09-05")
    assert_offsets_slice_the_text(SEED_TEXT, chunked)
    # Its paragraphs are short and its names repeat inside them: nothing is lost at the cuts.
    assert keys(chunked) == keys(whole)


def test_no_chunk_is_longer_than_half_the_models_limit(extractor, monkeypatch):
    """A text past nlp.max_length (spaCy's E088) is extracted, start to end."""
    text = long_text(30_000)
    monkeypatch.setattr(extractor.nlp, "max_length", 10_000)
    extraction = extractor.extract(text, "2024-01-01")
    assert_offsets_slice_the_text(text, extraction)
    assert {"Sergey Lavrov", "Moscow", "Emmanuel Macron", "Nairobi"} <= {m.text for m in extraction.mentions}
    assert {"2023-09-06", "2031-03-03"} <= {t.value for t in extraction.timexes}


def test_long_articles_are_extracted_in_the_library(library, extractor, monkeypatch):
    text = long_text(30_000)
    article_id = library.add_draft(ArticleDraft(text=text, title="A long report", origin="t")).article_id
    monkeypatch.setattr(extractor.nlp, "max_length", 10_000)
    failures = []
    assert extract_pending(library, extractor, failed=lambda *failure: failures.append(failure)) == 1
    assert failures == []
    stored_text = library.get_article(article_id).text
    mentions = library.mentions(article_id)
    assert all(stored_text[m.start : m.end] == m.text for m in mentions)
    last = stored_text.rindex(LAST_SENTENCE)
    assert any(m.text == "Nairobi" and m.start > last for m in mentions)
    assert any(t.value == "2031-03-03" and t.start > last for t in library.timexes(article_id))


def test_several_texts_with_chunks_stay_in_order(extractor, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_CHUNK_CHARS", 400)
    texts = [("Mali and Niger.", None), (long_text(2_000), "2024-01-01"), ("Lavrov spoke in Bamako.", None)]
    extractions = list(extractor.extract_many(texts))
    assert [m.text for m in extractions[0].mentions] == ["Mali", "Niger"]
    assert extractions[1].mentions[0].text == "Sergey Lavrov"
    assert [m.text for m in extractions[2].mentions][-1] == "Bamako"


@pytest.mark.slow
def test_a_text_of_over_a_million_characters_is_extracted_start_to_end(extractor):
    text = long_text(1_200_000)
    assert len(text) > extractor.nlp.max_length
    extraction = extractor.extract(text, "2024-01-01")
    assert_offsets_slice_the_text(text, extraction)
    first_end = len(FIRST_SENTENCE)
    last = text.rindex(LAST_SENTENCE)
    at_start = {m.text for m in extraction.mentions if m.end <= first_end}
    at_end = {m.text for m in extraction.mentions if m.start >= last}
    assert {"Sergey Lavrov", "Abdoulaye Diop", "Moscow"} <= at_start
    assert {"Emmanuel Macron", "Nairobi"} <= at_end
    assert [t.value for t in extraction.timexes if t.end <= first_end] == ["2023-09-06"]
    assert [t.value for t in extraction.timexes if t.start >= last] == ["2031-03-03"]
