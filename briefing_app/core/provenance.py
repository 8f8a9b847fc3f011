"""Where each article came from: the original file's name, size and SHA-256, the importer
and the encoding it assumed, the pages of a PDF, the message an attachment came with; and a
copy of the original kept beside the library, under `originals/`, named by its hash (so the
same file imported twice, or a mailbox of a thousand messages, is kept once).

Reading a file fills in its facts (`importers.fileorigin`); storing an article records them in
the same transaction (`record`, called by Library when it writes an imported draft).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from briefing_app.core.model import FileOrigin

log = logging.getLogger(__name__)

ORIGINALS_FOLDER = "originals"
_HASH_CHUNK = 1 << 20
# What a kept copy's name keeps of the original's suffix (".pdf"): letters and digits only.
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


@dataclass(frozen=True)
class ProvenanceRecord:
    article_id: int
    origin: str  # the file (and entry: "box.mbox#3", "mail.eml › report.pdf") as imported
    file_name: str
    size: int
    sha256: str
    importer: str
    encoding: str | None
    attached_to: int | None  # the article of the message this was attached to
    pages: tuple[int, ...]  # offsets at which the PDF's pages begin in the article's text
    original: str | None  # the kept copy, relative to the library's folder
    imported_at: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- the library --------------------------------------------------------------------------


def originals_dir(library_path: str) -> Path:
    return Path(library_path).resolve().parent / ORIGINALS_FOLDER


def _original_name(file_origin: FileOrigin) -> str:
    suffix = Path(file_origin.file_name).suffix
    return file_origin.sha256 + (suffix.lower() if _SAFE_SUFFIX.fullmatch(suffix) else "")


def keep_original(library_path: str, file_origin: FileOrigin) -> str | None:
    """Copy the original into originals/ beside the library unless a copy of it (by hash) is
    there already; its path relative to the library's folder, or None when no copy is kept
    (an in-memory library, or the copy failed: logged, the article imports all the same)."""
    if library_path == ":memory:" or not file_origin.sha256:
        return None
    folder = originals_dir(library_path)
    name = _original_name(file_origin)
    target = folder / name
    relative = f"{ORIGINALS_FOLDER}/{name}"
    try:
        if target.is_file() and target.stat().st_size == file_origin.size:
            return relative
        folder.mkdir(parents=True, exist_ok=True)
        # A temporary file renamed into place: a copy cut short is never taken for the original.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                if file_origin.content is not None:
                    out.write(file_origin.content)
                elif file_origin.path is not None:
                    with open(file_origin.path, "rb") as source:
                        shutil.copyfileobj(source, out, _HASH_CHUNK)
                else:
                    return None
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError as exc:
        log.warning("could not keep a copy of %s in %s: %s", file_origin.file_name, folder, exc)
        return None
    return relative


def record(
    db: sqlite3.Connection, library_path: str, article_id: int, origin: str, file_origin: FileOrigin, now: str
) -> None:
    """Record where the article came from (inside the caller's transaction) and keep a copy
    of the original. The message an attachment came with is found by its origin among what
    was recorded before (a message is read, and stored, before its attachments)."""
    attached_to = None
    if file_origin.attached_to:
        row = db.execute(
            "SELECT article_id FROM provenance WHERE origin = ? ORDER BY id DESC LIMIT 1",
            [file_origin.attached_to],
        ).fetchone()
        attached_to = row[0] if row else None
    db.execute(
        "INSERT OR IGNORE INTO provenance (article_id, origin, file_name, size, sha256, importer, "
        "encoding, attached_to, pages, original, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article_id,
            origin,
            file_origin.file_name or Path(origin).name,
            file_origin.size,
            file_origin.sha256,
            file_origin.importer,
            file_origin.encoding,
            attached_to,
            json.dumps(list(file_origin.pages)),
            keep_original(library_path, file_origin),
            now,
        ],
    )


def provenance_of(db: sqlite3.Connection, article_id: int) -> list[ProvenanceRecord]:
    """Every file the article was imported from, the latest last."""
    rows = db.execute(
        "SELECT article_id, origin, file_name, size, sha256, importer, encoding, attached_to, pages, "
        "original, imported_at FROM provenance WHERE article_id = ? ORDER BY id",
        [article_id],
    ).fetchall()
    return [
        ProvenanceRecord(
            article_id=row[0],
            origin=row[1],
            file_name=row[2],
            size=row[3],
            sha256=row[4],
            importer=row[5],
            encoding=row[6],
            attached_to=row[7],
            pages=tuple(json.loads(row[8])),
            original=row[9],
            imported_at=row[10],
        )
        for row in rows
    ]


def attachments_of(db: sqlite3.Connection, article_id: int) -> list[int]:
    """The articles imported from the attachments of this article's message."""
    rows = db.execute(
        "SELECT DISTINCT article_id FROM provenance WHERE attached_to = ? ORDER BY article_id", [article_id]
    )
    return [row[0] for row in rows]


def is_known_file(db: sqlite3.Connection, sha256: str) -> bool:
    """Whether a file with this hash was imported already."""
    return db.execute("SELECT 1 FROM provenance WHERE sha256 = ? LIMIT 1", [sha256]).fetchone() is not None


def original_file(library_path: str, record: ProvenanceRecord) -> Path | None:
    """The kept copy of the original, if it is there."""
    if record.original is None or library_path == ":memory:":
        return None
    path = Path(library_path).resolve().parent / record.original
    return path if path.is_file() else None


def page_at(pages: tuple[int, ...], offset: int) -> int | None:
    """The page number (from 1) on which the text at offset stands, if pages are known."""
    if not pages:
        return None
    return max(1, bisect.bisect_right(pages, offset))


def describe(library_path: str, records: list[ProvenanceRecord]) -> list[str]:
    """Lines for `briefing show ID --provenance`."""
    if not records:
        return ["provenance: not recorded (imported before provenance was kept, or not from a file)"]
    lines = []
    for entry in records:
        lines.append(f"file: {entry.file_name}")
        lines.append(f"  imported from: {entry.origin}")
        lines.append(f"  size: {entry.size:,} bytes")
        lines.append(f"  sha256: {entry.sha256}")
        lines.append(f"  importer: {entry.importer}")
        lines.append(f"  encoding: {entry.encoding or 'n/a (not a text file)'}")
        if entry.pages:
            lines.append(f"  pages: {len(entry.pages)}")
        if entry.attached_to is not None:
            lines.append(f"  attached to: article {entry.attached_to}")
        kept = original_file(library_path, entry)
        lines.append(f"  original kept: {kept if kept else 'no copy'}")
        lines.append(f"  imported at: {entry.imported_at}")
    return lines
