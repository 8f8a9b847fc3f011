"""The desktop menu entry: resources/briefing-reader.desktop and its icon, put where the
freedesktop.org specs look for a user's own ($XDG_DATA_HOME/applications and
$XDG_DATA_HOME/icons/hicolor/scalable/apps), with Exec pointing at this installation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from briefing_app.core.export.atomic import write_text_atomically
from briefing_app.core.paths import APP_NAME, RESOURCES_DIR

DESKTOP_FILE = RESOURCES_DIR / f"{APP_NAME}.desktop"
ICON_FILE = RESOURCES_DIR / f"{APP_NAME}.svg"


def user_data_home() -> Path:
    """$XDG_DATA_HOME, else ~/.local/share (the Base Directory spec's default)."""
    configured = os.environ.get("XDG_DATA_HOME")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".local" / "share"


def launch_command() -> str:
    """The command line that opens the window with this Python and this package, whether or
    not the virtual environment is activated when the menu entry is clicked."""
    return f"{_desktop_quote(sys.executable)} -m briefing_app"


def _desktop_quote(argument: str) -> str:
    """An Exec argument, quoted the way the Desktop Entry spec wants when it needs quoting
    (and "%" doubled: a single one starts a field code there)."""
    argument = argument.replace("%", "%%")
    if argument and not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def desktop_entry_text(template: str, command: str) -> str:
    """The shipped entry with its Exec line set to `command` (and TryExec dropped: the
    command is an interpreter and a module, not a single program to look for)."""
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={command}"
        elif line.startswith("TryExec="):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_desktop_entry(data_home: Path | None = None, command: str | None = None) -> Path:
    """Write the menu entry and its icon for the current user; returns the entry's path.
    Raises OSError when they cannot be written."""
    data_home = data_home or user_data_home()
    entry = data_home / "applications" / DESKTOP_FILE.name
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / ICON_FILE.name
    for folder in (entry.parent, icon.parent):
        folder.mkdir(parents=True, exist_ok=True)
    write_text_atomically(icon, ICON_FILE.read_text(encoding="utf-8"))
    text = desktop_entry_text(DESKTOP_FILE.read_text(encoding="utf-8"), command or launch_command())
    write_text_atomically(entry, text)
    return entry
