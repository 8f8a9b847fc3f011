"""Frozen value types shared by every layer.

Offsets (start, end) are Python string indexes (code points) into an article's canonical
text (see textnorm.py), half-open like slices: text[start:end].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from briefing_app.core.display import printable

# Block kinds of an article's structure.
BLOCK_KINDS = ("title", "dateline", "heading", "paragraph", "caption", "source")

# Who found a mention: the statistical model, a rule (gazetteer, consistency) or the analyst.
MentionOrigin = Literal["model", "rule", "analyst"]
# The highlight colours a note can have (their shades: notes.NOTE_COLORS).
NoteColor = Literal["yellow", "green", "blue", "pink", "purple", "orange"]
# Where re-anchoring found a note's passage (see anchoring.py).
AnchorState = Literal["anchored", "moved", "orphaned"]


@dataclass(frozen=True)
class Block:
    kind: str  # one of BLOCK_KINDS
    start: int
    end: int


@dataclass(frozen=True)
class FileOrigin:
    """Where an imported article came from (its provenance; see core/provenance.py).

    An importer fills in what only it knows (which importer, the encoding it assumed, the
    pages of a PDF, the message an attachment came with); reading the file fills in the file
    (its path, name, size and SHA-256), unless the article came from bytes inside another
    file (an e-mail's attachment), whose own name, size and hash the importer gives."""

    importer: str  # "pdf", "eml", "docx", ... (the reader's name)
    encoding: str | None = None  # the text encoding assumed, when the input was text
    pages: tuple[int, ...] = ()  # offsets at which each page begins in the text (PDF)
    attached_to: str | None = None  # origin of the draft (a message) this was attached to
    path: str | None = None  # the file on disk whose copy is kept
    file_name: str = ""
    size: int = 0
    sha256: str = ""
    content: bytes | None = None  # the original's bytes, when it is not a file of its own


@dataclass(frozen=True)
class ArticleDraft:
    """What an importer found in its input, before normalization and storage."""

    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    # Headings the input marked up (e.g. Markdown "#" lines, HTML <h2>); text lines, not offsets.
    headings: tuple[str, ...] = ()
    origin: str = ""  # file (and entry) it came from, for messages
    # Provenance, recorded with the article; not part of what the draft says (compare=False:
    # the same article read from another file is the same draft).
    file_origin: FileOrigin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ImportFailure:
    """An input that could not be read; the rest of the batch goes on."""

    origin: str
    reason: str

    def for_display(self) -> str:
        """ "origin: reason" with control characters escaped, to print or show in a list."""
        return f"{printable(self.origin)}: {printable(self.reason)}"


@dataclass(frozen=True)
class Article:
    id: int
    uid: str
    title: str
    text: str
    blocks: tuple[Block, ...] = ()
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    imported_at: str | None = None
    word_count: int = 0
    extracted_with: str | None = None


@dataclass(frozen=True)
class Entity:
    id: int
    name: str
    label: str
    created_by: str = "model"  # model | analyst


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    label: str  # spaCy/OntoNotes label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW, ...
    canonical: str  # the entity's canonical name ("Lavrov" -> "Sergey Lavrov")
    origin: MentionOrigin = "model"
    entity_id: int | None = None


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    text: str
    # TIMEX3-style value: 2023, 2023-09, 2023-09-06, 2023-Q3, 2023-SU, 198 (decade),
    # PRESENT_REF, PAST_REF, FUTURE_REF; None when it cannot be resolved (relative, no anchor).
    value: str | None
    granularity: str  # day | month | quarter | season | year | decade | century | ref | unknown
    mod: str | None = None  # BEFORE | AFTER | START | MID | END | APPROX
    anchor: str = "absolute"  # absolute | publication | previous | unresolved | dateline | tense:…


@dataclass(frozen=True)
class Event:
    """A dated passage: the sentence (or clause) around one or two time expressions."""

    start: int
    end: int
    text: str
    date_start: str | None  # TIMEX value of the start; None if unresolved
    date_end: str | None  # same value for a point; another for a range; None for open ranges
    granularity: str
    mod: str | None = None  # "since"/AFTER: open range; BEFORE: until
    timex_indexes: tuple[int, ...] = ()  # positions in the article's timex list


@dataclass(frozen=True)
class Extraction:
    """Everything extraction produces for one text."""

    mentions: tuple[Mention, ...] = ()
    timexes: tuple[TimeExpr, ...] = ()
    events: tuple[Event, ...] = ()
    engine: str = ""


@dataclass(frozen=True)
class Note:
    uuid: str
    article_id: int | None
    start: int | None
    end: int | None
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    body: str = ""
    color: NoteColor = "yellow"
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    deleted: bool = False
    anchor_state: AnchorState = "anchored"


@dataclass
class ImportReport:
    """Counts and reasons of one import run."""

    imported: list[int] = field(default_factory=list)  # new article ids
    duplicates: list[str] = field(default_factory=list)  # origins already in the library
    updated: list[int] = field(default_factory=list)  # articles whose text changed in place
    failed: list[ImportFailure] = field(default_factory=list)
    # The titles of the updated articles (as imported): a replaced text is never silent.
    updated_titles: dict[int, str] = field(default_factory=dict)
    # Inputs read in an encoding other than UTF-8: origin -> the encoding assumed.
    assumed_encodings: dict[str, str] = field(default_factory=dict)

    def add(self, other: ImportReport) -> None:
        """Count another part of the same run (a batch) in this report."""
        self.imported.extend(other.imported)
        self.duplicates.extend(other.duplicates)
        self.updated.extend(other.updated)
        self.failed.extend(other.failed)
        self.updated_titles.update(other.updated_titles)
        self.assumed_encodings.update(other.assumed_encodings)

    def summary(self) -> str:
        """One line of counts; then one line naming each updated article (id and title),
        whose earlier text the library keeps in its versions."""
        parts = [f"{len(self.imported)} imported", f"{len(self.duplicates)} duplicates"]
        if self.updated:
            parts.append(f"{len(self.updated)} updated")
        parts.append(f"{len(self.failed)} failed")
        lines = [", ".join(parts)]
        for article_id in dict.fromkeys(self.updated):
            title = self.updated_titles.get(article_id, "")
            # The title comes from the input, control characters and all.
            lines.append(
                f"updated article {article_id} \u201c{printable(title)}\u201d: its earlier text is kept"
            )
        for origin, encoding in self.assumed_encodings.items():
            lines.append(f"{printable(origin)}: read as {encoding} (not UTF-8)")
        return "\n".join(lines)
