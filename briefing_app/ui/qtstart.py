"""Before Qt starts: can it open a window here? And once it runs, what it says goes to the log.

When Qt cannot load its X11 platform plugin it aborts the process with a hint that is often
wrong ("xcb-cursor0 is needed" whatever is missing). `window_platform_problem` asks `ldd`
which libraries the plugin really lacks and names them with the apt command, in one line.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path

import platformdirs

from briefing_app.core.paths import APP_NAME

log = logging.getLogger(__name__)
qt_log = logging.getLogger("briefing_app.qt")

# Qt's platform plugin for X11, inside the PySide6 package.
XCB_PLUGIN_IN_PYSIDE = Path("Qt") / "plugins" / "platforms" / "libqxcb.so"
# Library files whose Debian package name does not follow from the file name.
DEBIAN_PACKAGE_EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
}
# What the offscreen platform says on every shown window: it has no window manager to
# pass size hints to, which is what offscreen means.
HARMLESS_QT_MESSAGES = frozenset({"This plugin does not support propagateSizeHints()"})

Ldd = Callable[[Path], str | None]


def xcb_plugin_path() -> Path | None:
    """Where the installed PySide6 keeps the X11 plugin (found without importing Qt)."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / XCB_PLUGIN_IN_PYSIDE


def run_ldd(library: Path) -> str | None:
    """`ldd library`'s report, or None where there is no ldd to ask."""
    try:
        done = subprocess.run(["ldd", str(library)], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def missing_libraries(ldd_report: str) -> list[str]:
    """The library files ldd could not find ("libxcb-cursor.so.0 => not found"), in order."""
    missing = re.findall(r"^\s*(\S+)\s+=>\s+not found\s*$", ldd_report, flags=re.MULTILINE)
    return list(dict.fromkeys(missing))


def debian_package(library_file: str) -> str:
    """The Debian package that ships a library file, by Debian's naming rule:
    libxcb-cursor.so.0 -> libxcb-cursor0; a name ending in a digit takes a dash before the
    version, libxkbcommon-x11.so.0 -> libxkbcommon-x11-0."""
    if library_file in DEBIAN_PACKAGE_EXCEPTIONS:
        return DEBIAN_PACKAGE_EXCEPTIONS[library_file]
    name, _, version = library_file.partition(".so.")
    name = name.lower()
    if not version:
        return name
    version = version.split(".")[0]
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def checked_plugin_marker() -> Path:
    """Where the start remembers that this X11 plugin was found complete."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "xcb-plugin-complete"


def xcb_problem(plugin: Path | None = None, ldd: Ldd = run_ldd, remember: Path | None = None) -> str | None:
    """One line naming the libraries the X11 plugin lacks and how to install them; None when
    nothing is missing (or it cannot be told: no plugin file, no ldd).

    With `remember`, a plugin found complete is noted there (path, size, mtime), and later
    starts with the same plugin skip ldd (a child process, ~30 ms of every start)."""
    plugin = plugin if plugin is not None else xcb_plugin_path()
    if plugin is None or not plugin.is_file():
        return None
    stat = plugin.stat()
    stamp = f"{plugin.resolve()} {stat.st_size} {stat.st_mtime_ns}"
    if remember is not None:
        with suppress(OSError, UnicodeDecodeError):
            if remember.read_text(encoding="utf-8") == stamp:
                return None
    report = ldd(plugin)
    missing = missing_libraries(report) if report else []
    if not missing:
        if report and remember is not None:
            with suppress(OSError):
                remember.parent.mkdir(parents=True, exist_ok=True)
                remember.write_text(stamp, encoding="utf-8")
        return None
    packages = " ".join(dict.fromkeys(debian_package(name) for name in missing))
    return (
        f"the window cannot open: Qt's X11 plugin needs {', '.join(missing)}, not installed here; "
        f"install with: sudo apt-get install {packages}"
    )


def window_platform_problem(
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    plugin: Path | None = None,
    ldd: Ldd = run_ldd,
    remember: Path | None = None,
) -> str | None:
    """Why Qt would abort instead of opening a window here, in one line; None if it should open.

    Only X11 on Linux is checked (QT_QPA_PLATFORM unset or xcb): other platforms report
    their own problems, and offscreen needs no display.
    """
    if not platform.startswith("linux"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen not in ("", "xcb"):
        return None
    if not environ.get("DISPLAY"):
        if chosen == "" and environ.get("WAYLAND_DISPLAY"):
            return None  # Qt opens the window on Wayland
        return (
            "the window needs a desktop session and DISPLAY is not set; without one, "
            "`briefing screenshot` and the other commands still work"
        )
    return xcb_problem(plugin, ldd, remember)


def qt_message(kind: object, _context: object, message: str) -> None:
    """Qt's messages into the log; the harmless ones dropped, critical ones also on stderr."""
    from PySide6.QtCore import QtMsgType

    if message in HARMLESS_QT_MESSAGES:
        return
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(kind, logging.WARNING)  # type: ignore[call-overload]
    qt_log.log(level, "%s", message)
    if level >= logging.ERROR:
        # Qt aborts after a fatal message: the user must see why, log file or not.
        print(f"briefing: Qt: {message}", file=sys.stderr)


def install_qt_message_filter() -> None:
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(qt_message)


def use_offscreen_platform() -> None:
    """For rendering without a window (PDF, screenshots): no display needed, none touched.

    Call before the first QGuiApplication; later calls only install the message filter."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    install_qt_message_filter()
