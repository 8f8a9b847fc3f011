"""The desktop menu entry's Exec line: this installation's Python, quoted as the spec says."""

from __future__ import annotations

import configparser
import shutil
import subprocess

import pytest

from briefing_app.core.desktop import DESKTOP_FILE, ICON_FILE, desktop_entry_text, install_desktop_entry


def read_entry(text: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(text)
    return parser["Desktop Entry"]


def test_the_shipped_entry_has_what_menus_need():
    entry = read_entry(DESKTOP_FILE.read_text(encoding="utf-8"))
    for key in ("Type", "Name", "Exec", "Icon", "Categories"):
        assert entry[key]
    assert entry["Icon"] == ICON_FILE.stem
    assert entry["Categories"].endswith(";")


def test_exec_is_replaced_and_everything_else_kept():
    shipped = DESKTOP_FILE.read_text(encoding="utf-8")
    text = desktop_entry_text(shipped, "/opt/venv/bin/python -m briefing_app")
    assert read_entry(text)["Exec"] == "/opt/venv/bin/python -m briefing_app"
    assert [line for line in text.splitlines() if not line.startswith("Exec=")] == [
        line for line in shipped.splitlines() if not line.startswith(("Exec=", "TryExec="))
    ]


def test_a_python_path_with_spaces_and_percent_is_quoted(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.executable", '/home/ana/My Tools/100% "venv"/bin/python')
    entry = install_desktop_entry(tmp_path)
    exec_line = read_entry(entry.read_text(encoding="utf-8"))["Exec"]
    assert exec_line == '"/home/ana/My Tools/100%% \\"venv\\"/bin/python" -m briefing_app'


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_the_installed_entry_passes_desktop_file_validate(tmp_path):
    entry = install_desktop_entry(tmp_path)
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
