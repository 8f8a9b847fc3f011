"""Exports of the analyst's notes.

entry.py is the one way an export is written (the CLI and the window call write_export);
briefing.py gathers what a briefing says (articles, notes, key entities, timelines);
markdown.py and html.py write it out (the HTML is what the PDF is printed from), with note
bodies rendered inert by notebody.py; w3c.py writes and reads W3C Web Annotation JSON-LD;
atomic.py checks where an export goes and replaces a file only with a whole one.
"""

from typing import Literal

# What the analyst can export to: `briefing export --format` and the File menu's exports.
ExportKind = Literal["pdf", "odt", "md", "w3c"]
