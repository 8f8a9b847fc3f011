"""Exports are written whole or not at all."""

from __future__ import annotations

import os

import pytest

from briefing_app.core.export.atomic import atomic_output, write_text_atomically


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    out = tmp_path / "briefing.md"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_output(out) as partial:
            partial.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.md"]


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    out = tmp_path / "briefing.md"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o640)
    write_text_atomically(out, "new")
    assert out.read_text(encoding="utf-8") == "new"
    assert out.stat().st_mode & 0o777 == 0o640
