"""Composed briefings: what goes in (entity, dates, chosen notes in order), grouping, key
entities by role in words, citations, event labels, the saved `briefings` table, PDF metadata."""

from __future__ import annotations

from datetime import date

import pytest

from briefing_app.core import migrations
from briefing_app.core.export.briefing import (
    BriefingOptions,
    citation,
    collect_briefing,
    label_words,
    rank_entities,
    short_event_label,
)
from briefing_app.core.export.entry import NothingToExport, Selection, selected_notes, write_export
from briefing_app.core.export.markdown import render_markdown
from briefing_app.core.export.pdfinfo import PdfInfo, PdfStructureError, add_pdf_info, pdf_text_string
from briefing_app.core.export.saved import BriefingNotFound, BriefingStore, SavedBriefing
from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention
from briefing_app.core.notes import NoteStore
from briefing_app.core.store import Library
from tests.core.test_migrations import library_with_one_article_at_schema

TODAY = date(2024, 5, 2)
MALI = "Wagner left Mali.\nSergey Lavrov praised Mali in Moscow.\nThe junta thanked Russia."
NIGER = "Niger expelled French troops.\nThe junta met Sergey Lavrov."


def mentions_of(text: str, names: dict[str, str]) -> tuple[Mention, ...]:
    found = []
    for name, label in names.items():
        start = 0
        while (start := text.find(name, start)) != -1:
            found.append(Mention(start, start + len(name), name, label, name))
            start += len(name)
    return tuple(sorted(found, key=lambda m: m.start))


@pytest.fixture
def composed(library):
    """Two articles: Mali (published 2024-03-01) and Niger (2024-04-15), with tagged notes."""
    names = {"Wagner": "ORG", "Mali": "GPE", "Sergey Lavrov": "PERSON", "Moscow": "GPE", "Niger": "GPE"}
    ids = []
    for title, text, published in (("Mali", MALI, "2024-03-01"), ("Niger", NIGER, "2024-04-15")):
        article_id = library.add_draft(
            ArticleDraft(text=text, title=title, source="AFP", published=published, origin="t")
        ).article_id
        library.save_extraction(article_id, Extraction(mentions=mentions_of(text, names), engine="t"))
        ids.append(article_id)
    notes = NoteStore(library)

    def note(article_id: int, text: str, passage: str, body: str, tags: list[str]):
        start = text.index(passage)
        return notes.create(article_id, start, start + len(passage), body=body, tags=tags)

    made = {
        "wagner": note(ids[0], MALI, "Wagner left Mali.", "Exit confirmed.", ["security"]),
        "lavrov": note(ids[0], MALI, "Sergey Lavrov praised Mali", "Moscow courts Bamako.", ["diplomacy"]),
        "troops": note(ids[1], NIGER, "Niger expelled French troops.", "Third exit.", ["security"]),
        "untagged": note(ids[1], NIGER, "The junta met Sergey Lavrov.", "Same week.", []),
    }
    return library, ids, made


def test_notes_are_selected_by_entity_dates_and_chosen_order(composed):
    library, (mali, niger), made = composed
    by_entity = selected_notes(library, Selection(entity="wagner"))  # any case
    assert [n.uuid for n in by_entity] == [made["wagner"].uuid, made["lavrov"].uuid]
    in_april = selected_notes(library, Selection(date_from="2024-04-01", date_to="2024-04"))
    assert {n.article_id for n in in_april} == {niger}
    chosen = (made["troops"].uuid, made["wagner"].uuid, "no-such-note")
    assert [n.uuid for n in selected_notes(library, Selection(note_uuids=chosen))] == list(chosen[:2])


def test_an_export_of_nothing_names_what_selected_nothing(composed, tmp_path):
    library, *_ = composed
    with pytest.raises(NothingToExport, match="no notes on articles mentioning 'Kremlin'"):
        write_export(library, "md", Selection(entity="Kremlin"), tmp_path / "b.md")
    with pytest.raises(NothingToExport, match="no notes on articles published from 2025-01-01"):
        write_export(library, "md", Selection(date_from="2025-01-01"), tmp_path / "b.md")
    with pytest.raises(NothingToExport, match="no notes match tag 'x' on articles mentioning 'Niger'"):
        write_export(library, "md", Selection(tag="x", entity="Niger"), tmp_path / "b.md")
    assert not (tmp_path / "b.md").exists()


def test_key_entities_put_people_and_organisations_first_in_words(composed):
    library, (mali, _), _ = composed
    briefing = collect_briefing(library, [mali], today=TODAY)
    entities = briefing.sections[0].key_entities
    # Mali has the most mentions, but the person and the organisation the notes quote come first.
    assert [(e.name, e.label_words) for e in entities] == [
        ("Sergey Lavrov", "Person"),
        ("Wagner", "Organisation"),
        ("Mali", "Country"),
        ("Moscow", "Country"),
    ]
    assert (entities[0].mentions, entities[0].in_notes) == (1, 1)
    assert label_words("NORP") == "Nationality or group" and label_words("WEAPON") == "Weapon"
    assert rank_entities([], []) == ()


def test_grouped_by_tag_and_by_entity(composed):
    library, _, made = composed
    by_tag = collect_briefing(library, options=BriefingOptions(group_by="tag"), today=TODAY)
    assert [(g.heading, len(g.notes)) for g in by_tag.groups] == [
        ("security", 2),
        ("diplomacy", 1),
        ("Untagged", 1),
    ]
    by_entity = collect_briefing(library, options=BriefingOptions(group_by="entity"), today=TODAY)
    headings = {g.heading: [n.uuid for n in g.notes] for g in by_entity.groups}
    assert headings["Sergey Lavrov"] == [made["lavrov"].uuid, made["untagged"].uuid]
    assert headings["Wagner"] == [made["wagner"].uuid]
    assert headings["Niger"] == [made["troops"].uuid]
    markdown = render_markdown(by_entity)
    assert "## Sergey Lavrov" in markdown and "> — AFP, 2024-03-01, paragraph 2" in markdown


def test_citation_names_source_date_and_paragraph(composed):
    library, (mali, _), made = composed
    article = library.get_article(mali)
    assert citation(article, made["lavrov"]) == "AFP, 2024-03-01, paragraph 2"


def test_short_event_label_drops_the_leading_date_and_cuts_at_a_word():
    event = Event(
        0,
        1,
        "On September 6, 2023, the three nations established the Alliance of Sahel States.",
        "2023-09-06",
        "2023-09-06",
        "day",
    )
    label = short_event_label(event)
    assert label.startswith("The three nations established") and label.endswith("…")
    assert len(label) <= 48 and " " not in label[-2:]


def test_markdown_has_the_title_block_and_handling_line(composed):
    library, *_ = composed
    options = BriefingOptions(
        title="Sahel", author="J. Analyst", handling="INTERNAL", summary="Russia **gains**."
    )
    markdown = render_markdown(collect_briefing(library, options=options, today=TODAY))
    assert markdown.startswith(
        "**INTERNAL**\n\n# Sahel\n\n*J. Analyst · 2024-05-02*\n\n## Summary\n\nRussia **gains**."
    )
    assert markdown.rstrip().endswith("**INTERNAL**")
    assert "## Sources\n\n1. Mali (AFP · 2024-03-01)\n2. Niger (AFP · 2024-04-15)" in markdown


def test_a_saved_briefing_reads_back_as_composed(composed):
    library, (mali, _), made = composed
    store = BriefingStore(library)
    options = BriefingOptions(
        title="Sahel",
        author="A",
        date="2024-05-01",
        handling="INTERNAL",
        summary="S",
        group_by="entity",
        timeline=False,
    )
    selection = Selection(article_ids=(mali,), tag="security", note_uuids=(made["wagner"].uuid,))
    saved = store.save(SavedBriefing(None, options, selection))
    assert saved.id is not None
    again = store.get(saved.id)
    assert (again.options, again.selection) == (options, selection)
    store.save(SavedBriefing(saved.id, BriefingOptions(title="Renamed"), Selection()))
    assert [(b.id, b.options.title, b.describe_selection()) for b in store.all()] == [
        (saved.id, "Renamed", "every note")
    ]
    store.delete(saved.id)
    with pytest.raises(BriefingNotFound):
        store.get(saved.id)


def test_a_library_of_the_previous_schema_gains_the_briefings_table(db_path):
    library_with_one_article_at_schema(db_path, migrations.SCHEMA_VERSION - 1)
    with Library(db_path) as library:
        assert library.schema_version == migrations.SCHEMA_VERSION
        assert BriefingStore(library).all() == []
        assert [a.title for a in library.list_articles()] == ["Old"]


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n"
)


def test_pdf_info_is_appended_as_an_incremental_update(tmp_path):
    path = tmp_path / "b.pdf"
    path.write_bytes(MINIMAL_PDF)
    add_pdf_info(path, PdfInfo(title="Sahel", subject="Talks", keywords="aes, ecowas"))
    data = path.read_bytes()
    assert data.startswith(MINIMAL_PDF)  # nothing before is changed
    update = data[len(MINIMAL_PDF) :]
    assert b"3 0 obj" in update and b"/Keywords " + pdf_text_string("aes, ecowas") in update
    assert b"/Info 3 0 R" in update and b"/Prev 110" in update and b"/Size 4" in update
    xref_at = int(update.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref_at:].startswith(b"xref\n3 1\n")
    object_at = int(data[xref_at:].split(b"\n")[2].split()[0])
    assert data[object_at:].startswith(b"3 0 obj")
    assert data.endswith(b"%%EOF\n")


def test_pdf_info_refuses_a_pdf_cut_short(tmp_path):
    path = tmp_path / "b.pdf"
    path.write_bytes(MINIMAL_PDF[:80])
    with pytest.raises(PdfStructureError):
        add_pdf_info(path, PdfInfo(title="x"))
    assert path.read_bytes() == MINIMAL_PDF[:80]


def test_a_briefing_prints_dates_as_the_analyst_reads_them():
    from briefing_app.core.export.briefing import event_when

    def when(start, end, mod=None):
        return event_when(Event(0, 1, "x", start, end, "decade", mod))

    assert when("198", "198") == "1980s"
    assert when("2024-SU", None) == "since summer 2024"
    assert when("2023-Q3", "2024-Q1") == "2023 Q3 – 2024 Q1"
    assert when("2024-03-03", "2024-03-03") == "2024-03-03"
    assert when(None, None) == "undated"
