"""The library store: dedup, edited re-imports, full-text search, extraction, registry."""

from __future__ import annotations

import sqlite3

import pytest

from briefing_app.core.model import ArticleDraft, Event, Extraction, ImportFailure, Mention, TimeExpr
from briefing_app.core.store import ArticleFilter, ArticleNotFound, Library


def draft(text: str, **kw) -> ArticleDraft:
    kw.setdefault("origin", "test")
    return ArticleDraft(text=text, **kw)


def test_same_text_twice_is_stored_once(library):
    first = library.add_draft(draft("Mali and Niger left ECOWAS.", title="Sahel"))
    again = library.add_draft(draft("Mali and Niger left ECOWAS.\r\n", title="Other title"))
    assert first.status == "imported"
    assert again.status == "duplicate" and again.article_id == first.article_id
    assert library.count_articles() == 1


def test_text_is_stored_canonical(library):
    result = library.add_draft(draft("Cafe\u0301 talks   \r\nSecond line  \r\n", title="T"))
    article = library.get_article(result.article_id)
    assert article.text == "Café talks\nSecond line"
    assert article.word_count == 4


def test_article_without_title_gets_first_sentence(library):
    result = library.add_draft(draft("Lavrov met the ministers in Moscow. They talked for hours."))
    assert library.get_article(result.article_id).title.startswith("Lavrov met the ministers")


def test_edited_version_with_same_url_replaces_text_and_keeps_old_one(library):
    url = "https://example.org/a"
    old_text = "Mali and Niger left ECOWAS in January. Russia welcomed the move on Monday."
    new_text = "Mali and Niger left ECOWAS in January. Russia and Burkina Faso welcomed the move."
    first = library.add_draft(draft(old_text, title="A", url=url))
    report = library.import_items([draft(new_text, title="A, updated", url=url, origin="a2.html")])
    assert report.updated == [first.article_id] and not report.imported
    assert library.get_article(first.article_id).text == new_text
    old = library.db.execute("SELECT text FROM article_versions").fetchall()
    assert old == [(old_text,)]
    assert [h.id for h in library.search("Burkina")] == [first.article_id]
    assert report.summary() == (
        "0 imported, 0 duplicates, 1 updated, 0 failed\n"
        f"updated article {first.article_id} \u201cA, updated\u201d: its earlier text is kept"
    )


def test_same_title_without_source_or_url_is_a_new_article(library):
    library.add_draft(draft("Daily brief one.", title="Daily brief"))
    second = library.add_draft(draft("Daily brief two.", title="Daily brief"))
    assert second.status == "imported"
    assert library.count_articles() == 2


def test_import_items_counts_and_keeps_going_after_failures(library):
    items = [
        draft("First article text.", title="One", origin="a.txt"),
        ImportFailure("broken.bin", "binary file"),
        draft("First article text.", title="One", origin="a-copy.txt"),
        draft("   ", title="Empty", origin="blank.txt"),
        draft("Second article text.", title="Two", origin="b.txt"),
    ]
    seen = []
    report = library.import_items(items, progress=lambda n, origin: seen.append(n))
    assert len(report.imported) == 2
    assert report.duplicates == ["a-copy.txt"]
    assert [f.origin for f in report.failed] == ["broken.bin", "blank.txt"]
    assert seen == [1, 2, 3, 4, 5]
    assert report.summary() == "2 imported, 1 duplicates, 2 failed"


def test_import_can_be_cancelled(library):
    pulled = []
    items = (pulled.append(i) or draft(f"Article number {i}.", title=str(i)) for i in range(10))
    report = library.import_items(items, cancelled=lambda: len(pulled) >= 3)
    assert len(report.imported) == 3 and library.count_articles() == 3
    assert len(pulled) == 3  # no file is read after the cancel


def test_no_transaction_is_open_while_the_importers_read(library, db_path):
    """A slow file must not hold the write lock: the window's autosave would wait for it."""
    other = Library(db_path)
    other.db.execute("PRAGMA busy_timeout = 200")  # fail fast if the import holds the lock
    lib = Library(db_path)

    def items():
        yield draft("First article.", title="One")
        # The importer reads the next file: another connection can write meanwhile.
        other.set_setting("written-during-import", "yes")
        yield draft("Second article.", title="Two")

    report = lib.import_items(items())
    assert len(report.imported) == 2
    assert lib.get_setting("written-during-import") == "yes"
    other.close()
    lib.close()


def test_search_ranks_and_snippets(library):
    a = library.add_draft(
        draft("Airbus delivers the first A380. Airbus and Airbus again.", title="Airbus A380")
    ).article_id
    b = library.add_draft(draft("Boeing answers Airbus with the 787.", title="Boeing 787")).article_id
    library.add_draft(draft("Apple unveils the iPhone.", title="Apple"))
    hits = library.search("airbus")
    assert [h.id for h in hits] == [a, b]
    assert "[Airbus]" in hits[0].snippet
    assert library.search("iphone AND boeing") == []
    assert [h.id for h in library.search('"answers airbus"')] == [b]


def test_search_finds_accented_names_without_accents(library):
    aid = library.add_draft(draft("Bakary Yaou Sangaré met Traoré.", title="Talks")).article_id
    assert [h.id for h in library.search("sangare")] == [aid]


def test_an_unbalanced_quote_searches_the_words(library):
    library.add_draft(draft("Some unbalanced text.", title="T"))
    assert [hit.title for hit in library.search('"unbalanced')] == ["T"]


def test_list_articles_orders_and_pages(library):
    library.add_draft(draft("Text b.", title="Beta", published="2024-01-02"))
    library.add_draft(draft("Text a.", title="alpha", published="2023-05-01"))
    library.add_draft(draft("Text c.", title="Gamma"))
    assert [a.title for a in library.list_articles()] == ["Beta", "alpha", "Gamma"]
    assert [a.title for a in library.list_articles(order="title")] == ["alpha", "Beta", "Gamma"]
    assert [a.title for a in library.list_articles(offset=1, limit=1)] == ["alpha"]


def test_unknown_article_is_a_clear_error(library):
    with pytest.raises(ArticleNotFound, match="no article with id 42"):
        library.get_article(42)


def sample_extraction(engine="test-engine/1") -> Extraction:
    return Extraction(
        mentions=(
            Mention(0, 13, "Sergey Lavrov", "PERSON", "Sergey Lavrov"),
            Mention(24, 30, "Lavrov", "PERSON", "Sergey Lavrov", origin="rule"),
        ),
        timexes=(TimeExpr(34, 38, "2024", "2024", "year"),),
        events=(Event(0, 39, "x", "2024", "2024", "year", None, (0,)),),
        engine=engine,
    )


def test_extraction_is_stored_and_read_back(library):
    aid = library.add_draft(draft("Sergey Lavrov spoke. Then Lavrov in 2024 left.", title="T")).article_id
    assert library.articles_needing_extraction("test-engine/1") == [aid]
    assert library.save_extraction(aid, sample_extraction())
    mentions = library.mentions(aid)
    assert [(m.text, m.canonical, m.origin) for m in mentions] == [
        ("Sergey Lavrov", "Sergey Lavrov", "model"),
        ("Lavrov", "Sergey Lavrov", "rule"),
    ]
    assert mentions[0].entity_id == mentions[1].entity_id
    assert library.timexes(aid)[0].value == "2024"
    assert library.events(aid)[0].timex_indexes == (0,)
    assert library.articles_needing_extraction("test-engine/1") == []
    assert library.articles_needing_extraction("test-engine/2") == [aid]


def test_extraction_of_an_outdated_text_is_not_stored(library):
    aid = library.add_draft(draft("Mali and Niger met in Bamako on Monday.", title="T", url="u")).article_id
    old_uid = library.get_article(aid).uid
    edited = library.add_draft(
        draft("Mali and Niger met in Bamako on Monday, officials said.", title="T", url="u")
    )
    assert edited.status == "updated"
    assert not library.save_extraction(aid, sample_extraction(), text_uid=old_uid)
    assert library.mentions(aid) == []


def test_a_failed_extraction_write_leaves_the_previous_one(library):
    aid = library.add_draft(draft("Sergey Lavrov spoke. Then Lavrov in 2024 left.", title="T")).article_id
    library.save_extraction(aid, sample_extraction())
    bad = Extraction(mentions=(Mention(0, 1, "S", "PERSON", None),), engine="x")  # NULL name
    with pytest.raises(sqlite3.IntegrityError):
        library.save_extraction(aid, bad)
    assert len(library.mentions(aid)) == 2


def test_registry_records_the_analysts_corrections(library):
    library.rename_entity("Lavrov", "PERSON", "Sergey Lavrov")
    library.relabel_entity("Niger", "PERSON", "GPE")
    library.merge_entities("ASE", "ORG", "Alliance of Sahel States", "ORG")
    library.add_alias("AES", "Alliance of Sahel States", "ORG")
    library.reject("Key Discussion Topics", "ORG")
    library.mark_entity("Wagner Group", "ORG")
    reg = library.registry()
    assert reg.aliases[("lavrov", "PERSON")] == ("Sergey Lavrov", "PERSON")
    assert reg.aliases[("niger", "PERSON")] == ("Niger", "GPE")
    assert reg.aliases[("ase", "ORG")] == ("Alliance of Sahel States", "ORG")
    assert reg.aliases[("aes", "*")] == ("Alliance of Sahel States", "ORG")
    assert ("key discussion topics", "ORG") in reg.rejections
    assert reg.analyst_entities["Wagner Group"] == "ORG"


def test_merging_a_renamed_entity_moves_its_aliases_too(library):
    library.rename_entity("Lavrov", "PERSON", "S. Lavrov")
    library.merge_entities("S. Lavrov", "PERSON", "Sergey Lavrov", "PERSON")
    reg = library.registry()
    assert reg.aliases[("lavrov", "PERSON")] == ("Sergey Lavrov", "PERSON")
    assert reg.aliases[("s. lavrov", "PERSON")] == ("Sergey Lavrov", "PERSON")


def test_library_file_uses_wal(db_path):
    with Library(db_path) as lib:
        assert lib.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_rejecting_an_entity_removes_its_stored_mentions_at_once(library):
    aid = library.add_draft(draft("Sergey Lavrov spoke. Then Lavrov in 2024 left.", title="T")).article_id
    library.save_extraction(aid, sample_extraction())
    library.reject("lavrov", "PERSON")
    assert [m.text for m in library.mentions(aid)] == ["Sergey Lavrov"]


def test_marking_an_entity_queues_the_articles_that_contain_it(library):
    a = library.add_draft(draft("The Wagner Group arrived in Mali.", title="A")).article_id
    b = library.add_draft(draft("Nothing about it here.", title="B")).article_id
    for aid in (a, b):
        library.save_extraction(aid, sample_extraction("e/1"))
    library.mark_entity("Wagner Group", "ORG")
    assert library.articles_needing_extraction("e/1") == [a]


def test_an_edited_reimport_reanchors_the_articles_notes(library):
    url = "https://example.org/sahel"
    old = "Mali and Niger left ECOWAS in January, the ministers said. Russia welcomed the move at once."
    aid = library.add_draft(draft(old, title="Sahel", url=url)).article_id
    notes = library.notes
    kept = notes.create(aid, old.index("Russia"), old.index(" at once"), body="watch this")
    gone = notes.create(aid, 0, old.index(" in January"), body="key claim")

    new = "Breaking: the juntas quit ECOWAS in January, the ministers said. Russia welcomed the move at once."
    assert library.add_draft(draft(new, title="Sahel", url=url)).status == "updated"
    moved = notes.get(kept.uuid)
    assert new[moved.start : moved.end] == "Russia welcomed the move"
    assert moved.anchor_state == "moved"
    orphan = notes.get(gone.uuid)
    assert orphan.anchor_state == "orphaned" and orphan.quote == old[: old.index(" in January")]


def test_list_articles_filters_by_text_entity_and_dates(library):
    a = library.add_draft(
        draft("Mali and Niger met.", title="Sahel talks", published="2024-01-05")
    ).article_id
    b = library.add_draft(draft("Airbus in Toulouse.", title="Airbus", published="2023-06-01")).article_id
    library.add_draft(draft("Undated Mali note.", title="Undated"))
    library.save_extraction(a, Extraction(mentions=(Mention(0, 4, "Mali", "GPE", "Mali"),), engine="e"))
    from briefing_app.core.store import ArticleFilter

    def ids(**kw):
        return [x.id for x in library.list_articles(ArticleFilter(**kw))]

    assert ids(query="mali", date_from="2024-01-01") == [a]
    assert ids(entity="Mali") == [a]
    assert ids(date_to="2023-12-31") == [b]
    assert library.count_articles(ArticleFilter(query="mali")) == 2
    assert library.entity_names() == ["Mali"]
    assert library.list_articles(ArticleFilter(query='"open')) == []
    assert library.list_articles(ArticleFilter(query="- '")) == []  # punctuation matches nothing


def test_same_title_and_source_is_an_edit_only_when_the_text_is_mostly_the_same(library):
    first = library.add_draft(
        draft(
            "Morning update: Mali and Niger met in Bamako to talk security.",
            title="Morning update",
            source="TASS",
        )
    ).article_id
    other = library.add_draft(
        draft(
            "Morning update: Russia and Ukraine resumed talks in Istanbul.",
            title="Morning update",
            source="TASS",
        )
    )
    assert other.status == "imported" and other.article_id != first
    edited = library.add_draft(
        draft(
            "Morning update: Mali and Niger met in Bamako to talk about security.",
            title="Morning update",
            source="TASS",
        )
    )
    assert (edited.status, edited.article_id) == ("updated", first)


def test_a_rename_does_not_make_the_new_name_searched_for_everywhere(library):
    library.rename_entity("Will", "PERSON", "Will Smith")
    library.relabel_entity("Turkey", "PERSON", "GPE")
    assert dict(library.registry().analyst_entities) == {}


def test_merging_into_another_label_relabels_the_stored_mentions(library):
    aid = library.add_draft(draft("Niger and Mali.", title="T")).article_id
    library.save_extraction(
        aid, Extraction(mentions=(Mention(0, 5, "Niger", "PERSON", "Niger"),), engine="e")
    )
    library.merge_entities("Niger", "PERSON", "Niger", "GPE")
    assert [(m.text, m.label, m.canonical) for m in library.mentions(aid)] == [("Niger", "GPE", "Niger")]


@pytest.mark.parametrize("name", ["", "   ", "--"])
def test_a_blank_name_cannot_be_marked_as_an_entity(library, name):
    with pytest.raises(ValueError, match="not a name"):
        library.mark_entity(name, "ORG")


@pytest.mark.parametrize(
    ("query", "found"),
    [('"', False), ("AND", True), ("*", False), ("NEAR(", True), ("^", False), ("a:b", True), ("U.S.", True)],
)
def test_what_fts5_calls_malformed_searches_as_typed(library, query, found):
    """FTS5 syntax errors before: now each is searched as the words it holds."""
    library.add_draft(draft("Near a:b and the U.S. text.", title="T"))
    from briefing_app.core.store import ArticleFilter

    assert bool(library.search(query)) is found
    assert bool(library.list_articles(ArticleFilter(query=query))) is found


def test_an_extraction_is_written_in_a_few_statements_whatever_it_holds(library):
    names = [(f"Name {n}", "PERSON" if n % 2 else "ORG") for n in range(40)]
    text = " ".join(name for name, _ in names * 5)
    mentions, at = [], 0
    for name, label in names * 5:
        mentions.append(Mention(at, at + len(name), name, label, name))
        at += len(name) + 1
    aid = library.add_draft(draft(text, title="Many names")).article_id
    library.mark_entity("Name 3", "PERSON")  # known already, made by the analyst
    statements: list[str] = []
    library.db.conn.set_trace_callback(statements.append)
    events = tuple(Event(0, 6, "Name 0", "2024", "2024", "year") for _ in range(15))
    assert library.save_extraction(aid, Extraction(mentions=tuple(mentions), events=events, engine="e/1"))
    library.db.conn.set_trace_callback(None)
    # 200 mentions, 40 names and 15 events: each executemany row is traced, so count the rest.
    # A trigger's work is traced under the statement that fired it (the entity summary's
    # fire once per entity of the article): each statement counts once.
    rest = [
        s
        for s in dict.fromkeys(statements)
        if not s.startswith(("INSERT INTO mentions", "INSERT INTO events"))
    ]
    assert len(rest) <= 16, rest  # 12, and the entity summary's 4 (entity_summary.pause_article)
    stored = library.mentions(aid)
    assert [(m.text, m.canonical, m.label) for m in stored] == [
        (m.text, m.canonical, m.label) for m in mentions
    ]
    assert len({m.entity_id for m in stored}) == 40
    created_by = dict(library.db.execute("SELECT name, created_by FROM entities WHERE name LIKE 'Name %'"))
    assert created_by["Name 3"] == "analyst" and created_by["Name 4"] == "model"
    assert len(library.events(aid)) == 15


def test_has_articles_says_whether_there_is_any(library):
    assert not library.has_articles()
    library.add_draft(draft("Mali and Niger met.", title="T"))
    assert library.has_articles()


def test_an_undated_article_takes_its_datelines_date_and_a_dated_one_keeps_its_own(library):
    text = "BAMAKO, March 3, 2024\nThe ministers met."
    dateline = TimeExpr(8, 21, "March 3, 2024", "2024-03-03", "day", anchor="dateline")
    extraction = Extraction(mentions=(), timexes=(dateline,), events=(), engine="e/1")
    undated = library.add_draft(draft(text, title="Undated", url="https://x/1")).article_id
    dated = library.add_draft(
        draft(text + " Again.", title="Dated", url="https://x/2", published="2024-03-04")
    ).article_id
    for article_id in (undated, dated):
        library.save_extraction(article_id, extraction)
    assert library.get_article(undated).published == "2024-03-03"
    assert library.get_article(dated).published == "2024-03-04"  # never replaced
    assert [a.title for a in library.list_articles(ArticleFilter(date_to="2024-03-03"))] == ["Undated"]
