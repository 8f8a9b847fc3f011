"""Legacy encodings: Windows-1252, Latin-1 and UTF-16 (with a byte order mark) are read, and
the import summary names the encoding assumed; undecodable input stays a clear error."""

from __future__ import annotations

import codecs

import pytest

from briefing_app.core.importers import read_path, read_paths
from briefing_app.core.model import ArticleDraft

TEXT = "Sangaré et Traoré à Bamako\n\nLe président Sangaré a reçu Traoré à Bamako le 5 mars 2024 « pour l’accord »."


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("cp1252.txt", TEXT.encode("cp1252"), "Windows-1252"),
        ("latin1.txt", TEXT.replace("’", "'").encode("latin-1"), "Windows-1252"),
        ("utf16le.txt", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "UTF-16"),
        ("utf16be.md", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16"),
    ],
)
def test_legacy_text_is_read_and_its_encoding_recorded(tmp_path, name, data, encoding):
    path = tmp_path / name
    path.write_bytes(data)
    [draft] = list(read_path(path))
    assert isinstance(draft, ArticleDraft), draft
    assert "Le président Sangaré a reçu Traoré à Bamako" in draft.text
    assert draft.file_origin is not None and draft.file_origin.encoding == encoding


def test_import_summary_names_the_encoding_assumed(tmp_path, library):
    (tmp_path / "legacy.txt").write_bytes(TEXT.encode("cp1252"))
    (tmp_path / "modern.txt").write_text("Modern text about Niamey, in UTF-8.", encoding="utf-8")
    page = (
        "<html><body><article><p>"
        + "Le président Sangaré a reçu Traoré à Bamako. " * 8
        + "</p></article></body></html>"
    )
    (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
    report = library.import_items(read_paths([tmp_path]))
    assert len(report.imported) == 3 and report.failed == []
    lines = report.summary().splitlines()
    assert f"{tmp_path / 'legacy.txt'}: read as Windows-1252 (not UTF-8)" in lines
    assert f"{tmp_path / 'page.html'}: read as Windows-1252 (not UTF-8)" in lines
    assert not any("modern.txt" in line for line in lines)
    legacy_id, _, page_id = report.imported  # in path order
    assert "Traoré à Bamako" in library.get_article(legacy_id).text
    assert "Traoré à Bamako" in library.get_article(page_id).text


def test_undecodable_input_stays_an_error(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 256)) * 4)
    [failure] = list(read_path(path))
    assert failure.reason == "not UTF-8 text (byte 0x80 at offset 127), nor text in a legacy encoding"


def test_json_lines_in_a_legacy_encoding_are_named_once(tmp_path, library):
    path = tmp_path / "records.jsonl"
    lines = [
        f'{{"text": "Rapport {n}: Sangaré et Traoré à Bamako.", "title": "Rapport {n}"}}' for n in range(3)
    ]
    path.write_bytes("\n".join(lines).encode("cp1252"))
    report = library.import_items(read_path(path))
    assert len(report.imported) == 3
    assert report.assumed_encodings == {str(path): "Windows-1252"}
    assert "Sangaré et Traoré" in library.get_article(report.imported[0]).text
