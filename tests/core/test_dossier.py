"""An entity's dossier: mentions in context, co-mentions, events and the notes quoting it."""

from __future__ import annotations

from briefing_app.core import dossier as dossier_module
from briefing_app.core.dossier import build_dossier, iter_mention_lines, mention_lines
from briefing_app.core.entity_index import find_entity
from tests.support.entities import add_article

TALKS = (
    "Sergey Lavrov met Abdoulaye Diop in Moscow on Monday. Lavrov spoke of Mali and Niger. "
    "On 6 September 2023 Lavrov signed a pact with Mali. The weather in Moscow was fine."
)
LATER = "Lavrov returned to Moscow. Niger sent no one."


def test_mentions_in_context_newest_article_first(library):
    older = add_article(library, TALKS, "Talks", source="TASS", published="2023-09-06")
    newer = add_article(library, LATER, "Return", source="Le Monde", published="2024-02-01")
    lavrov = find_entity(library, "Lavrov")
    dossier = build_dossier(library, lavrov)
    assert [(line.article_id, line.mention) for line in dossier.mentions] == [
        (newer, "Lavrov"),
        (older, "Sergey Lavrov"),
        (older, "Lavrov"),
        (older, "Lavrov"),
    ]
    second = dossier.mentions[2]
    assert (second.published, second.source, second.title) == ("2023-09-06", "TASS", "Talks")
    assert second.left.endswith("in Moscow on Monday.")
    assert second.right.startswith("spoke of Mali and Niger.")
    assert TALKS[second.start : second.end] == "Lavrov"
    # Paged by article: the second page starts where the first ended.
    assert mention_lines(library, lavrov.entity_id, 1, 1) == dossier.mentions[1:]
    assert list(iter_mention_lines(library, lavrov.entity_id, page=1)) == dossier.mentions


def test_co_mentions_count_sentences_shared_with_the_entity(library):
    add_article(library, TALKS, "Talks", published="2023-09-06")
    add_article(library, LATER, "Return", published="2024-02-01")
    dossier = build_dossier(library, find_entity(library, "Sergey Lavrov"))
    counts = {c.name: c.sentences for c in dossier.co_mentions}
    # Moscow: with him in the first sentence of each article; not in "The weather in Moscow".
    assert counts == {"Moscow": 2, "Mali": 2, "Abdoulaye Diop": 1, "Niger": 1}
    assert [c.name for c in dossier.co_mentions][:2] == ["Mali", "Moscow"]


def test_events_are_those_whose_sentence_names_the_entity(library):
    add_article(
        library,
        TALKS,
        "Talks",
        published="2023-09-06",
        events={"On 6 September 2023": "2023-09-06", "The weather": "2023-09-04"},
    )
    lavrov = build_dossier(library, find_entity(library, "Lavrov"))
    assert [(e.date_start, e.text) for e in lavrov.events] == [
        ("2023-09-06", "On 6 September 2023 Lavrov signed a pact with Mali.")
    ]
    moscow = build_dossier(library, find_entity(library, "Moscow"))
    assert [e.date_start for e in moscow.events] == ["2023-09-04"]


def test_notes_quoting_the_entity(library):
    article = add_article(library, TALKS, "Talks", published="2023-09-06")
    quoting = library.notes.create(article, TALKS.index("Lavrov spoke"), TALKS.index(" of Mali"), "his words")
    library.notes.create(article, TALKS.index("The weather"), len(TALKS), "weather")
    deleted = library.notes.create(article, 0, 13, "gone")
    library.notes.delete(deleted.uuid)
    dossier = build_dossier(library, find_entity(library, "Lavrov"))
    assert [(n.uuid, n.quote, n.body, n.title) for n in dossier.notes] == [
        (quoting.uuid, "Lavrov spoke", "his words", "Talks")
    ]


def test_co_mentions_and_events_come_from_the_newest_articles_when_there_are_many(library, monkeypatch):
    monkeypatch.setattr(dossier_module, "SCOPE_ARTICLES", 1)
    add_article(library, TALKS, "Talks", published="2023-09-06")
    add_article(library, LATER, "Return", published="2024-02-01")
    dossier = build_dossier(library, find_entity(library, "Lavrov"))
    assert dossier.scope_articles == 1 and dossier.scope_is_partial
    assert {c.name for c in dossier.co_mentions} == {"Moscow"}
    assert len(dossier.mentions) == 4  # every mention is still listed


def test_no_dossier_once_the_entity_has_no_mentions(library):
    add_article(library, TALKS, "Talks")
    lavrov = find_entity(library, "Lavrov")
    library.reject("Lavrov", "PERSON")
    library.reject("Sergey Lavrov", "PERSON")
    assert build_dossier(library, lavrov) is None
