"""Extract every article whose stored extraction is missing or from another engine version."""

from __future__ import annotations

import logging
from collections.abc import Callable

from briefing_app.core.datecorrections import corrected
from briefing_app.core.extract.pipeline import Extractor
from briefing_app.core.model import Article, Extraction
from briefing_app.core.store import Library

# Articles per extract_many call: large enough for spaCy's batching and a second process to
# pay off, small enough that progress moves and a cancel is honoured soon.
BATCH_SIZE = 64

log = logging.getLogger(__name__)


def extract_pending(
    library: Library,
    extractor: Extractor | None = None,
    *,
    n_process: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    failed: Callable[[int, str], None] | None = None,
) -> int:
    """Extract and store, one transaction per article; returns how many were stored.

    The analyst's registry is read afresh, so corrections made before this call apply to
    every article it extracts (a long-lived extractor keeps its loaded model).
    progress(done, total) after each batch. An article whose extraction raises is reported
    through failed(article_id, reason) and left for the next run; the others go on.
    """
    extractor = extractor or Extractor()
    extractor.registry = library.registry()
    pending = library.articles_needing_extraction(extractor.engine_version)
    log.info("extraction (%s): %d articles to extract", extractor.engine_version, len(pending))
    stored = 0
    for first in range(0, len(pending), BATCH_SIZE):
        if cancelled is not None and cancelled():
            break
        articles = [library.get_article(i) for i in pending[first : first + BATCH_SIZE]]
        try:
            results: list[Extraction | None] = list(
                extractor.extract_many(((a.text, a.published) for a in articles), n_process=n_process)
            )
        except Exception:  # one bad article: redo this batch one by one to find it
            results = [_extract_or_report(extractor, a, failed) for a in articles]
        for article, extraction in zip(articles, results, strict=False):
            # An article re-imported with a new text meanwhile is left for the next run.
            if extraction is not None:
                extraction = corrected(library, article, extraction)  # the analyst's dates
                stored += library.save_extraction(article.id, extraction, text_uid=article.uid)
        if progress is not None:
            progress(min(first + BATCH_SIZE, len(pending)), len(pending))
    log.info("extraction: %d of %d stored", stored, len(pending))
    return stored


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
