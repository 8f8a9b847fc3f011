"""Article identity: an import replaces a stored article only when it is recognisably the same
story; anything else is a new article, and a replacement is never silent."""

from __future__ import annotations

from pathlib import Path

from briefing_app.core.importers import read_paths
from briefing_app.core.model import ArticleDraft, ImportReport
from briefing_app.core.store import Library

HOME_PAGE = "https://wire.example.org/"

STORIES = [
    "Mali and Niger left ECOWAS in January, and the bloc has yet to answer them.",
    "Airbus delivered its first A380 to Singapore Airlines after two years of delays.",
    "Apple unveiled the iPhone 4 in San Francisco, with a new display and camera.",
    "Boeing's 787 Dreamliner made its maiden flight from Paine Field near Seattle.",
    "Aeroflot negotiated the purchase of 22 new aircraft to renew its long-haul fleet.",
]

STORED_TEXT = (
    "Russian Foreign Minister Sergey Lavrov held talks in Moscow with the foreign ministers "
    "of Burkina Faso, Mali and Niger. The three states form the Alliance of Sahel States."
)


def draft(text: str, **kw: object) -> ArticleDraft:
    kw.setdefault("origin", "test")
    return ArticleDraft(text=text, **kw)  # type: ignore[arg-type]


def write_feed(path: Path, link: str, stories: list[str]) -> Path:
    items = "".join(
        f"<item><title>Story {n}</title><link>{link}</link><description>{text}</description></item>\n"
        for n, text in enumerate(stories)
    )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Wire</title>'
        f"<link>{HOME_PAGE}</link>\n{items}</channel></rss>\n",
        encoding="utf-8",
    )
    return path


def rows(library: Library, table: str, where: str, params: list[object]) -> list[tuple]:
    return library.db.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid", params).fetchall()


def test_feed_items_sharing_one_link_are_separate_articles(library, tmp_path):
    feed = write_feed(tmp_path / "wire.rss", HOME_PAGE, STORIES)
    report = library.import_items(read_paths([feed]))
    assert len(report.imported) == 5 and report.updated == [] and report.failed == []
    assert sorted(a.title for a in library.list_articles()) == [f"Story {n}" for n in range(5)]
    assert library.db.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 0


def test_a_different_story_with_a_stored_url_is_a_new_article(library):
    url = "https://example.org/sahel"
    stored = library.add_draft(draft(STORED_TEXT, title="Lavrov meets Sahel ministers", url=url))
    library.notes.create(stored.article_id, 0, len("Russian Foreign Minister"), body="who else?")
    library.notes.create_article_note(stored.article_id, body="follow up")
    article_before = rows(library, "articles", "id = ?", [stored.article_id])
    notes_before = rows(library, "notes", "article_id = ?", [stored.article_id])

    report = library.import_items([draft(STORIES[1], title="Lavrov meets Sahel ministers", url=url)])

    assert len(report.imported) == 1 and report.updated == []
    assert report.imported[0] != stored.article_id
    assert rows(library, "articles", "id = ?", [stored.article_id]) == article_before
    assert rows(library, "notes", "article_id = ?", [stored.article_id]) == notes_before
    assert library.db.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 0


def test_an_edited_version_with_the_same_url_updates_and_says_so(library):
    url = "https://example.org/sahel"
    stored = library.add_draft(draft(STORED_TEXT, title="Lavrov meets Sahel ministers", url=url))
    start = STORED_TEXT.index("Sergey Lavrov")
    note = library.notes.create(stored.article_id, start, start + len("Sergey Lavrov"))
    edited = STORED_TEXT.replace("held talks", "held two days of talks")

    report = library.import_items([draft(edited, title="Lavrov meets Sahel ministers", url=url)])

    assert report.updated == [stored.article_id] and report.imported == []
    assert library.get_article(stored.article_id).text == edited
    versions = library.db.execute("SELECT article_id, text FROM article_versions").fetchall()
    assert versions == [(stored.article_id, STORED_TEXT)]
    assert library.notes.get(note.uuid).quote == "Sergey Lavrov"
    summary = report.summary().splitlines()
    assert summary[0] == "0 imported, 0 duplicates, 1 updated, 0 failed"
    assert summary[1:] == [
        f"updated article {stored.article_id} \u201cLavrov meets Sahel ministers\u201d: its earlier text is kept"
    ]


def test_a_story_that_grew_under_its_url_is_an_update(library):
    url = "https://example.org/live"
    first = " ".join(STORIES[:3]) + " " + STORED_TEXT
    stored = library.add_draft(draft(first, title="Live", url=url))
    grown = first + " " + " ".join(STORIES) + " " + " ".join(STORIES)
    assert library.add_draft(draft(grown, title="Live", url=url)).status == "updated"
    assert library.count_articles() == 1
    assert library.get_article(stored.article_id).text == grown


def test_a_shorter_excerpt_never_takes_the_place_of_the_full_article(library):
    """A lede or summary under the same url or title holds the stored words in order, but it
    is another article: the full text and its notes stay."""
    for key in ({"url": "https://example.org/full"}, {"source": "TASS"}):
        full = f"{key} " + " ".join(STORIES * 6) + " " + STORED_TEXT  # about 420 words
        stored = library.add_draft(draft(full, title=f"Full {key}", **key))
        note = library.notes.create(stored.article_id, 0, 20, body="on the full text")
        excerpt = " ".join(full.split()[:60])  # its first 60 words
        added = library.add_draft(draft(excerpt, title=f"Full {key}", **key))
        assert added.status == "imported" and added.article_id != stored.article_id
        assert library.get_article(stored.article_id).text == full
        assert library.notes.get(note.uuid).anchor_state == "anchored"


def test_without_urls_the_same_title_and_source_with_another_text_is_a_new_article(library):
    first = library.add_draft(draft(STORIES[0], title="Morning update", source="TASS"))
    other = library.add_draft(draft(STORIES[1], title="Morning update", source="TASS"))
    assert other.status == "imported" and other.article_id != first.article_id


def test_the_summary_names_each_updated_article_once():
    report = ImportReport(imported=[3], updated=[1, 2, 1], updated_titles={1: "One", 2: "Two"})
    assert report.summary().splitlines() == [
        "1 imported, 0 duplicates, 3 updated, 0 failed",
        "updated article 1 \u201cOne\u201d: its earlier text is kept",
        "updated article 2 \u201cTwo\u201d: its earlier text is kept",
    ]
    assert ImportReport(imported=[1]).summary() == "1 imported, 0 duplicates, 0 failed"
