"""Provenance: every imported article records its file (name, size, SHA-256, importer,
encoding), a copy of the original is kept under originals/ by hash, and older libraries
upgrade to the table that holds it."""

from __future__ import annotations

import hashlib

import sqlite_utils

from briefing_app.core import migrations, provenance
from briefing_app.core.importers import read_path, read_paths
from briefing_app.core.store import Library

TEXT = "Talks in Bamako\n\nSangaré and Traoré signed a grain agreement in Bamako on Tuesday, officials said."


def test_file_is_recorded_and_its_original_kept_once(tmp_path, db_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    first = inputs / "talks.txt"
    first.write_bytes(TEXT.encode("cp1252"))
    copy = inputs / "talks (copy).txt"
    copy.write_bytes(first.read_bytes())
    sha = hashlib.sha256(first.read_bytes()).hexdigest()
    with Library(db_path) as library:
        report = library.import_items(read_paths([inputs]))
        [article_id] = report.imported
        assert len(report.duplicates) == 1
        records = provenance.provenance_of(library.db.conn, article_id)
        assert [(r.file_name, r.size, r.sha256, r.importer, r.encoding) for r in records] == [
            ("talks (copy).txt", len(TEXT), sha, "text", "Windows-1252"),  # one byte a character
            ("talks.txt", len(TEXT), sha, "text", "Windows-1252"),
        ]
        kept = {provenance.original_file(library.path, r) for r in records}
        assert kept == {db_path.parent / "originals" / f"{sha}.txt"}
        assert (db_path.parent / "originals" / f"{sha}.txt").read_bytes() == first.read_bytes()
        assert [p.name for p in (db_path.parent / "originals").iterdir()] == [f"{sha}.txt"]
        lines = provenance.describe(library.path, records)
        assert f"  sha256: {sha}" in lines and "  encoding: Windows-1252" in lines


def test_importing_the_same_file_again_adds_no_record(tmp_path, library):
    path = tmp_path / "talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    [article_id] = library.import_items(read_path(path)).imported
    library.import_items(read_path(path))
    assert len(provenance.provenance_of(library.db.conn, article_id)) == 1
    assert provenance.is_known_file(library.db.conn, provenance_sha(path))


def provenance_sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_article_without_a_file_has_no_record(library):
    from briefing_app.core.model import ArticleDraft

    [article_id] = library.import_items([ArticleDraft(text=TEXT)]).imported
    assert provenance.provenance_of(library.db.conn, article_id) == []
    assert provenance.describe(library.path, [])[0].startswith("provenance: not recorded")


def test_library_of_the_previous_version_upgrades(db_path, tmp_path):
    old = sqlite_utils.Database(db_path)
    migrations.migrate(old, target=migrations.SCHEMA_VERSION - 1)
    old["articles"].insert(
        {"uid": "u1", "title": "Old", "text": "Mali and Niger", "imported_at": "2020-01-01"}
    )
    old.conn.commit()
    old.close()
    path = tmp_path / "new.txt"
    path.write_text(TEXT, encoding="utf-8")
    with Library(db_path) as library:
        assert library.schema_version == migrations.SCHEMA_VERSION
        (old_article,) = library.list_articles()
        assert provenance.provenance_of(library.db.conn, old_article.id) == []
        [new_id] = library.import_items(read_path(path)).imported
        [record] = provenance.provenance_of(library.db.conn, new_id)
        assert (
            record.file_name == "new.txt" and record.encoding == "UTF-8" and record.size == len(TEXT.encode())
        )


def test_page_at():
    pages = (0, 120, 300)
    assert [provenance.page_at(pages, offset) for offset in (0, 119, 120, 299, 300, 5000)] == [
        1,
        1,
        2,
        2,
        3,
        3,
    ]
    assert provenance.page_at((), 10) is None
