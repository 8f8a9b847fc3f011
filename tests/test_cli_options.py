"""Options every command takes (--db, --verbose) before or after the command's name, and
`briefing --install-desktop`."""

from __future__ import annotations

import configparser
import subprocess
import sys

import pytest

from briefing_app.cli import main
from tests.support.datafiles import SEED_ARTICLE


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, capsys) -> str:
    """A library with the seed article, away from the default one ($BRIEFING_DB)."""
    path = str(tmp_path / "chosen.db")
    assert run(capsys, "import", "--no-extract", "--db", path, str(SEED_ARTICLE))[0] == 0
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ("--db", "{db}", "list"),
        ("list", "--db", "{db}"),
        ("list", "--sort", "title", "--db", "{db}"),
        ("--db", "/no/such/library.db", "list", "--db", "{db}"),  # the last one given wins
        ("notes", "list", "--db", "{db}"),
        ("notes", "--db", "{db}", "list", "1"),
    ],
)
def test_db_is_taken_before_or_after_the_command(capsys, db, argv):
    code, out, err = run(capsys, *(a.format(db=db) for a in argv))
    assert (code, err) == (0, "")
    if argv[0] == "notes":
        assert out == ""  # the article has no notes yet: no error about a missing article
    else:
        assert "Sergey Lavrov is set to hold negotiations" in out


def test_the_default_library_is_used_without_db(capsys, db):
    code, out, _ = run(capsys, "list")
    assert code == 0 and out == ""  # $BRIEFING_DB, the empty default, not the chosen one


def test_db_after_the_command_from_a_shell(db):
    result = subprocess.run(
        [sys.executable, "-m", "briefing_app", "show", "1", "--db", db], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == ""
    assert "Lavrov" in result.stdout


def test_version(capsys):
    from briefing_app import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"briefing {__version__}"


def test_install_desktop_puts_entry_and_icon_in_the_users_menu(capsys, tmp_path, monkeypatch):
    data_home = tmp_path / "data home"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    code, out, err = run(capsys, "--install-desktop")
    assert (code, err) == (0, "")
    entry_path = data_home / "applications" / "briefing-reader.desktop"
    assert str(entry_path) in out
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / "briefing-reader.svg"
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(entry_path, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "Briefing Reader"
    assert desktop["Icon"] == "briefing-reader"
    # This very interpreter with the package: the entry works without activating the venv.
    assert sys.executable in desktop["Exec"] and desktop["Exec"].endswith(" -m briefing_app")
    # Again: the same files, replaced, no error.
    assert run(capsys, "--install-desktop")[0] == 0


def test_install_desktop_cannot_write_is_one_line(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    code, _, err = run(capsys, "--install-desktop")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("briefing: cannot add the menu entry:")
