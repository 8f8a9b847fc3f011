"""Exports of the analyst's notes.

briefing.py gathers what a briefing says (articles, notes, key entities, timelines);
markdown.py and html.py write it out (the HTML is what the PDF is printed from); w3c.py
writes and reads W3C Web Annotation JSON-LD.
"""

from typing import Literal

# What the analyst can export to: `briefing export --format` and the File menu's exports.
ExportKind = Literal["pdf", "md", "w3c"]
