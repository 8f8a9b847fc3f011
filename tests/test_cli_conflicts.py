"""`briefing conflicts [--entity NAME]` prints the happenings two articles date differently."""

from __future__ import annotations

from briefing_app.cli import main
from briefing_app.core.store import Library
from tests.support.dated_articles import two_reports_of_one_meeting


def test_conflicts_are_printed_side_by_side(capsys, tmp_path):
    db = str(tmp_path / "library.db")
    with Library(db) as library:
        two_reports_of_one_meeting(library)
    assert main(["--db", db, "conflicts"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2023-10-12 vs 2023-09-06: Assimi Goïta, Bamako, Sergey Lavrov" or out[0] == (
        "2023-09-06 vs 2023-10-12: Assimi Goïta, Bamako, Sergey Lavrov"
    )
    assert any(
        line.startswith("  2023-09-06  [Reuters, #1 Lavrov in the Sahel] Sergey Lavrov met") for line in out
    )
    assert any(
        line.startswith("  2023-10-12  [TASS, #2 Moscow and Bamako] Russian Foreign Minister") for line in out
    )
    assert len(out) == 3


def test_the_entity_option(capsys, tmp_path):
    db = str(tmp_path / "library.db")
    with Library(db) as library:
        two_reports_of_one_meeting(library)
    assert main(["--db", db, "conflicts", "--entity", "Boeing"]) == 0
    assert capsys.readouterr().out == "no conflicting dates naming Boeing\n"
    assert main(["--db", db, "conflicts", "--entity", "sergey lavrov"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
