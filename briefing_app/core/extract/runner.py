"""Extract every article whose stored extraction is missing or from another engine version."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator

from briefing_app.core.datecorrections import corrected
from briefing_app.core.extract.pipeline import Extractor
from briefing_app.core.model import Article, Extraction
from briefing_app.core.store import ArticleNotFound, Library

# Extraction uses the machine's cores by default, up to this many spaCy processes: each holds
# its own copy of the model (about 200-230 MB with its working memory, measured on generated
# articles of 400-2,000 words), so more would cost more memory than a laptop should give to a
# background task.
MAX_DEFAULT_PROCESSES = 2

log = logging.getLogger(__name__)


def default_processes() -> int:
    """spaCy processes for extracting many articles: the cores, at most MAX_DEFAULT_PROCESSES
    (a few articles stay in one process anyway: Extractor.extract_many starts others only
    for enough words to repay them)."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_PROCESSES))


def extract_pending(
    library: Library,
    extractor: Extractor | None = None,
    *,
    n_process: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    failed: Callable[[int, str], None] | None = None,
) -> int:
    """Extract and store, one transaction per article; returns how many were stored.

    The analyst's registry is read afresh, so corrections made before this call apply to
    every article it extracts (a long-lived extractor keeps its loaded model).
    The articles stream through one extract_many call (n_process spaCy processes, by default
    default_processes()): they are read as spaCy asks for them and stored as they come out,
    so memory holds a few batches, not the library, and the processes start once for each
    window of pipeline.PROCESS_WINDOW_ITEMS articles.
    progress(done, total) after each article. An article whose extraction raises is reported
    through failed(article_id, reason) and left for the next run; the others go on.
    """
    extractor = extractor or Extractor()
    extractor.registry = library.registry()
    processes = default_processes() if n_process is None else n_process
    pending = library.articles_needing_extraction(extractor.engine_version)
    log.info(
        "extraction (%s): %d articles to extract, %d processes",
        extractor.engine_version,
        len(pending),
        processes,
    )
    stored = done = 0
    while done < len(pending) and not (cancelled is not None and cancelled()):
        fed: list[Article] = []  # handed to the extractor, in order, not yet stored
        try:
            texts = _articles_read_as_needed(library, pending[done:], fed, cancelled)
            for extraction in extractor.extract_many(texts, n_process=processes):
                article = fed.pop(0)
                extraction = corrected(library, article, extraction)  # the analyst's dates
                # An article re-imported with a new text meanwhile is left for the next run.
                stored += library.save_extraction(article.id, extraction, text_uid=article.uid)
                done += 1
                if progress is not None:
                    progress(done, len(pending))
        except Exception:  # one bad article: extract the next one alone to find it, then go on
            try:
                article = library.get_article(pending[done])
            except ArticleNotFound:  # deleted meanwhile: nothing to extract
                done += 1
                continue
            alone = _extract_or_report(extractor, article, failed)
            if alone is not None:
                alone = corrected(library, article, alone)
                stored += library.save_extraction(article.id, alone, text_uid=article.uid)
            done += 1
            if progress is not None:
                progress(done, len(pending))
            continue
        break  # every article fed came out: all done, or cancelled
    log.info("extraction: %d of %d stored", stored, len(pending))
    return stored


def _articles_read_as_needed(
    library: Library, article_ids: list[int], fed: list[Article], cancelled: Callable[[], bool] | None
) -> Iterator[tuple[str, str | None]]:
    """(text, published) of each article when the extractor asks for it; each article read
    is appended to `fed`. Stops early when cancelled: what is in spaCy already comes out."""
    for article_id in article_ids:
        if cancelled is not None and cancelled():
            return
        article = library.get_article(article_id)
        fed.append(article)
        yield article.text, article.published


def _extract_or_report(
    extractor: Extractor, article: Article, failed: Callable[[int, str], None] | None
) -> Extraction | None:
    try:
        return extractor.extract(article.text, article.published)
    except Exception as exc:  # reported, not raised: the batch goes on
        log.exception("extraction of article %d failed", article.id)
        if failed is not None:
            failed(article.id, f"{type(exc).__name__}: {exc}")
        return None


def extract_articles(
    library: Library,
    article_ids: list[int],
    extractor: Extractor,
    cancelled: Callable[[], bool] | None = None,
) -> list[int]:
    """Extract these articles again whatever their stored engine version (after an analyst's
    correction), with the registry as it is now; returns the ids stored."""
    extractor.registry = library.registry()
    log.info("extraction (%s) again of articles %s", extractor.engine_version, article_ids)
    stored = []
    for article_id in article_ids:
        if cancelled is not None and cancelled():
            break
        article = library.get_article(article_id)
        extraction = corrected(library, article, extractor.extract(article.text, article.published))
        if library.save_extraction(article.id, extraction, text_uid=article.uid):
            stored.append(article.id)
    return stored
