"""`briefing notes list` with the notes view's filters: search, colour, entity, source, dates."""

from __future__ import annotations

import pytest

from briefing_app.cli import main
from briefing_app.core.model import ArticleDraft
from briefing_app.core.store import Library


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(db_path) -> str:
    with Library(db_path) as library:
        tass = library.add_draft(
            ArticleDraft(
                "Lavrov met the ministers of Mali in Moscow.",
                title="Talks",
                source="TASS",
                published="2023-09-06",
            )
        ).article_id
        afp = library.add_draft(
            ArticleDraft(
                "Niger closed its border on Monday.", title="Border", source="AFP", published="2024-01-10"
            )
        ).article_id
        library.notes.create(tass, 0, 6, body="host", color="blue", tags=["sahel"])
        library.notes.create(afp, 0, 5, body="border closure", color="green")
    return str(db_path)


@pytest.mark.parametrize(
    "options, shown, hidden",
    [
        (["--search", "closure"], "Border", "Talks"),
        (["--color", "blue"], "Talks", "Border"),
        (["--source", "AFP"], "Border", "Talks"),
        (["--from", "2024-01-01"], "Border", "Talks"),
        (["--to", "2023-12-31", "--tag", "SAHEL"], "Talks", "Border"),
    ],
)
def test_notes_list_filters(capsys, db, options, shown, hidden):
    code, out, err = run(capsys, "--db", db, "notes", "list", *options)
    assert code == 0 and err == ""
    assert shown in out and hidden not in out


@pytest.mark.parametrize(
    "options, message",
    [
        (["--color", "ultraviolet"], "unknown note colour 'ultraviolet'"),
        (["--from", "last week"], "--from must be a date like 2024-03-01, not 'last week'"),
    ],
)
def test_notes_list_bad_filter_is_one_line(capsys, db, options, message):
    code, out, err = run(capsys, "--db", db, "notes", "list", *options)
    assert code == 2 and message in err and "Traceback" not in err and out == ""
