"""Articles with a hand-made extraction for the library-wide timeline and conflict tests:
names marked wherever they occur, each sentence that carries a date an event."""

from __future__ import annotations

import re

from briefing_app.core.model import ArticleDraft, Event, Extraction, Mention
from briefing_app.core.store import Library

ENGINE = "hand-made/1"
NAMES = {
    "Sergey Lavrov": "PERSON",
    "Assimi Goïta": "PERSON",
    "Bamako": "GPE",
    "Mali": "GPE",
    "Boeing": "ORG",
    "Atlas Air": "ORG",
    "Wagner": "ORG",
    "Russian": "NORP",
}


def hand_extraction(text: str, dates: dict[str, tuple[str | None, str | None]]) -> Extraction:
    """Mentions of NAMES; an event for each sentence containing a key of `dates`, dated
    with its (start, end) values."""
    mentions = []
    for name, label in NAMES.items():
        for match in re.finditer(re.escape(name), text):
            mentions.append(Mention(match.start(), match.end(), name, label, name))
    events = []
    for needle, (date_start, date_end) in dates.items():
        at = text.index(needle)
        start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1, 0)
        end = text.index(".", at) + 1
        granularity = "day" if date_start and len(date_start) == 10 else "year"
        events.append(Event(start, end, text[start:end], date_start, date_end, granularity))
    return Extraction(
        mentions=tuple(sorted(mentions, key=lambda m: m.start)), events=tuple(events), engine=ENGINE
    )


def add_dated_article(
    library: Library,
    text: str,
    dates: dict[str, tuple[str | None, str | None]],
    title: str,
    source: str,
    published: str = "2023-10-20",
) -> int:
    article_id = library.add_draft(
        ArticleDraft(text, title=title, source=source, published=published)
    ).article_id
    library.save_extraction(article_id, hand_extraction(library.get_article(article_id).text, dates))
    return article_id


MEETING_REUTERS = (
    "Lavrov in the Sahel\n"
    "Sergey Lavrov met Assimi Goïta in Bamako on 6 September 2023 to discuss security. "
    "Boeing delivered a jet to Atlas Air in 2023."
)
MEETING_TASS = (
    "Moscow and Bamako\n"
    "Russian Foreign Minister Sergey Lavrov meets Assimi Goïta in Bamako on 12 October 2023. "
    "Boeing delivered a jet to Atlas Air in 2023."
)


MEETING_DATES = {
    "met Assimi": ("2023-09-06", "2023-09-06"),
    "meets Assimi": ("2023-10-12", "2023-10-12"),
    "Boeing delivered": ("2023", "2023"),
}


def extraction_for(text: str) -> Extraction:
    """The hand-made extraction of either report of the meeting (to extract it again)."""
    return hand_extraction(text, {needle: dates for needle, dates in MEETING_DATES.items() if needle in text})


def two_reports_of_one_meeting(library: Library) -> tuple[int, int]:
    """Reuters dates the meeting 2023-09-06, TASS 2023-10-12; both date Boeing's delivery 2023."""
    reuters = add_dated_article(
        library,
        MEETING_REUTERS,
        {"met Assimi": ("2023-09-06", "2023-09-06"), "Boeing delivered": ("2023", "2023")},
        "Lavrov in the Sahel",
        "Reuters",
    )
    tass = add_dated_article(
        library,
        MEETING_TASS,
        {"meets Assimi": ("2023-10-12", "2023-10-12"), "Boeing delivered": ("2023", "2023")},
        "Moscow and Bamako",
        "TASS",
    )
    return reuters, tass
