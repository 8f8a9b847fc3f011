"""One name per entity in an article, after the entity rules and before the analyst's registry
(whose canonical names then win over these).

- "Apple Inc." and "Apple" are one organisation, named "Apple": a corporate suffix (Inc.,
  Corp., Ltd, plc, AG, SA, LLC, Co., N.V.) is not part of the canonical name, and a name
  that carries one is an organisation whatever the model said ("companies never land under
  People").
- A name the article calls an organisation elsewhere is an organisation everywhere in it:
  the small model reads "Pixar said" as a person because of the verb, "Nvidia rose" as a
  place. Only the model's guesses change: a gazetteer's or a rule's label stays.
- Time-zone abbreviations (UTC, GMT, EST...) are not organisations, nor any other name.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from briefing_app.core.model import Mention

# Written at the end of company names; the canonical name goes without them.
CORPORATE_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc|Corp|Ltd|Co|Plc|PLC|plc|AG|SA|S\.A|LLC|L\.L\.C|N\.V|NV|GmbH|SE|SpA|S\.p\.A|BV|AB|ASA)\.?)$"
)
# Suffixes that are also words, or a country's code: taken only after a capitalised name.
TIME_ZONES = frozenset(
    """UTC GMT BST IST CET CEST EET EEST WET WEST MSK EST EDT CST CDT MST MDT PST PDT AKST AKDT
    HST JST KST HKT SGT AEST AEDT ACST AWST NZST NZDT""".split()
)
# Labels a company's name may wrongly get from the model.
COMPANY_MISLABELS = frozenset({"PERSON", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"})


def without_suffix(name: str) -> str:
    """ "Apple Inc." -> "Apple"; a name that is only a suffix stays as it is."""
    stripped = CORPORATE_SUFFIX.sub("", name).rstrip(" ,")
    if not stripped or not stripped[0].isupper() or stripped.endswith(("&", " and")):
        return name  # "Dunmore & Co." is the whole name
    return stripped


def one_name_per_entity(mentions: Sequence[Mention]) -> list[Mention]:
    """The article's mentions with time zones dropped, companies labelled and named as one."""
    kept = [m for m in mentions if m.text.strip(" .") not in TIME_ZONES]
    kept = [_as_company(m) for m in kept]
    org_names: set[str] = set()  # the names the article gives organisations
    org_heads: set[str] = set()  # and their first words ("Pixar" of "Pixar Animation Studios")
    for m in kept:
        if m.label == "ORG":
            org_names |= {m.text, m.canonical, without_suffix(m.text)}
            org_heads.add(m.text.split()[0])
    out = []
    for m in kept:
        if m.origin == "model" and m.canonical == m.text and len(m.text.split()) == 1:
            # Called an organisation elsewhere in the article, a person here only because a
            # verb follows ("Pixar said"), or a place by a guess ("Nvidia rose"). A name the
            # article gives a person in full ("Steve Jobs") has its full canonical name.
            if (m.label in ("PERSON", "GPE", "LOC") and m.text in org_names) or (
                m.label == "PERSON" and m.text in org_heads
            ):
                m = dataclasses.replace(m, label="ORG")
        out.append(m)
    return out


def _as_company(mention: Mention) -> Mention:
    if not CORPORATE_SUFFIX.search(mention.text):
        return mention
    if mention.label != "ORG" and mention.label not in COMPANY_MISLABELS:
        return mention
    canonical = (
        without_suffix(mention.canonical)
        if mention.canonical != mention.text
        else without_suffix(mention.text)
    )
    return dataclasses.replace(mention, label="ORG", canonical=canonical)
