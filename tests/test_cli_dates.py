"""`briefing dates ID`: an article's dates with their reasons, corrected from the command line
as from the window, and kept through a re-extraction."""

from __future__ import annotations

from briefing_app.cli import main
from briefing_app.core.store import Library

TEXT = (
    "Talks resume\nBAMAKO, March 3, 2024\n\n"
    "Mali and Niger met on Monday to discuss grain. Talks will resume in October.\n"
)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_dates_are_listed_corrected_and_kept(capsys, tmp_path):
    db = str(tmp_path / "lib.db")
    source = tmp_path / "talks.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert run(capsys, "--db", db, "import", str(source))[0] == 0
    code, out, _ = run(capsys, "--db", db, "dates", "1")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert "2024-03-03" in lines[0] and "dateline" in lines[0]
    assert "October" in lines[2] and "year from future tense; published 2024-03-03" in lines[2]

    code, out, _ = run(capsys, "--db", db, "dates", "1", "--set", "3", "2025-10")
    assert code == 0 and out.startswith("“October” now means 2025-10")
    code, out, _ = run(capsys, "--db", db, "dates", "1", "--not-a-date", "2")
    assert code == 0 and out.startswith("“Monday” is no longer a date")
    assert len(out.splitlines()) == 3  # the message, then the two dates left

    with Library(db) as library:  # re-extracted, the corrections stay
        library.db.execute("UPDATE articles SET extracted_with = NULL")
    assert run(capsys, "--db", db, "extract", "--stored")[0] == 0
    code, out, _ = run(capsys, "--db", db, "dates", "1")
    assert [line.split()[1] for line in out.splitlines()] == ["2024-03-03", "2025-10"]
    assert "corrected by the analyst" in out


def test_a_bad_value_or_number_is_one_line_and_changes_nothing(capsys, tmp_path):
    db = str(tmp_path / "lib.db")
    source = tmp_path / "talks.txt"
    source.write_text(TEXT, encoding="utf-8")
    run(capsys, "--db", db, "import", str(source))
    for argv, said in (
        (("--set", "3", "2024-13"), "'2024-13' is not a date in the calendar"),
        (("--set", "9", "2024"), "article 1 has no date 9 (it has 3)"),
        (("--not-a-date", "0"), "article 1 has no date 0 (it has 3)"),
    ):
        code, _, err = run(capsys, "--db", db, "dates", "1", *argv)
        assert code == 2 and err.strip() == f"briefing: {said}"
    code, out, _ = run(capsys, "--db", db, "dates", "1")
    assert "corrected" not in out and len(out.splitlines()) == 3
    code, _, err = run(capsys, "--db", db, "dates", "7")
    assert code == 2 and "no article with id 7" in err
