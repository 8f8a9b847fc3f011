"""A first start that explains itself: when Qt could not open a window, one line naming the
missing libraries and the apt command instead of Qt's abort; Qt's harmless chatter dropped."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QtMsgType

from briefing_app.ui.qtstart import (
    debian_package,
    missing_libraries,
    qt_message,
    window_platform_problem,
)

# What ldd says about the plugin on a Debian without the X11 helper libraries (trimmed).
LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd4a1f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f1)
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2)
\tlibxcb-cursor.so.0 => not found
\tlibglib-2.0.so.0 => not found
"""
LDD_COMPLETE = "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2)\n"
X11 = {"DISPLAY": ":0"}


@pytest.fixture
def plugin(tmp_path):
    path = tmp_path / "libqxcb.so"
    path.write_bytes(b"\x7fELF")
    return path


def test_missing_libraries_are_named_once_each_in_order():
    assert missing_libraries(LDD_MISSING) == [
        "libxkbcommon-x11.so.0",
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libglib-2.0.so.0",
    ]
    assert missing_libraries(LDD_COMPLETE) == []


@pytest.mark.parametrize(
    ("library", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libEGL.so.1", "libegl1"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
    ],
)
def test_debian_package_of_a_library(library, package):
    assert debian_package(library) == package


def test_one_line_names_the_missing_libraries_and_the_apt_command(plugin):
    asked = []

    def fake_ldd(path):
        asked.append(path)
        return LDD_MISSING

    problem = window_platform_problem(X11, "linux", plugin, fake_ldd)
    assert asked == [plugin]
    assert "\n" not in problem
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in problem
    assert problem.endswith(
        "sudo apt-get install libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libglib2.0-0"
    )


def test_a_plugin_found_complete_is_not_checked_again_until_it_changes(plugin, tmp_path):
    marker = tmp_path / "cache" / "xcb-plugin-complete"
    asked = []

    def fake_ldd(path):
        asked.append(path)
        return LDD_COMPLETE

    for _ in range(3):
        assert window_platform_problem(X11, "linux", plugin, fake_ldd, remember=marker) is None
    assert asked == [plugin]  # ldd ran once, at the first start
    plugin.write_bytes(plugin.read_bytes() + b"changed")  # an upgraded Qt
    assert window_platform_problem(X11, "linux", plugin, lambda _: LDD_MISSING, remember=marker)


def test_nothing_to_say_when_qt_can_open_the_window(plugin):
    assert window_platform_problem(X11, "linux", plugin, lambda _: LDD_COMPLETE) is None
    # No ldd to ask (not glibc), or no plugin file: Qt is left to speak for itself.
    assert window_platform_problem(X11, "linux", plugin, lambda _: None) is None
    assert window_platform_problem(X11, "linux", plugin.with_name("gone.so"), lambda _: LDD_MISSING) is None


def test_only_x11_on_linux_is_checked(plugin):
    def must_not_run(_path):
        raise AssertionError("ldd asked")

    for environ in ({**X11, "QT_QPA_PLATFORM": "offscreen"}, {"QT_QPA_PLATFORM": "wayland"}):
        assert window_platform_problem(environ, "linux", plugin, must_not_run) is None
    assert window_platform_problem({}, "darwin", plugin, must_not_run) is None
    assert window_platform_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", plugin, must_not_run) is None
    assert window_platform_problem({**X11, "QT_QPA_PLATFORM": "xcb"}, "linux", plugin, lambda _: LDD_MISSING)


def test_no_display_at_all_is_said_in_one_line(plugin):
    problem = window_platform_problem({}, "linux", plugin, lambda _: LDD_COMPLETE)
    assert "DISPLAY is not set" in problem and "\n" not in problem


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 check is Linux's")
def test_the_window_command_without_a_display_says_why_instead_of_aborting(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "briefing_app", "--db", str(tmp_path / "library.db")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("briefing: the window needs a desktop session and DISPLAY is not set")
    assert not (tmp_path / "library.db").exists()  # nothing was started


def test_harmless_offscreen_messages_are_dropped_and_the_rest_logged(caplog, capsys):
    caplog.set_level(logging.DEBUG, logger="briefing_app.qt")
    qt_message(QtMsgType.QtWarningMsg, None, "This plugin does not support propagateSizeHints()")
    assert caplog.records == []
    qt_message(QtMsgType.QtWarningMsg, None, "QFont::setPointSizeF: Point size <= 0 (0.000000)")
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.WARNING, "QFont::setPointSizeF: Point size <= 0 (0.000000)")
    ]
    assert capsys.readouterr().err == ""  # a warning goes to the log only
    qt_message(QtMsgType.QtCriticalMsg, None, "Could not connect to display")
    assert capsys.readouterr().err == "briefing: Qt: Could not connect to display\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 check is Linux's")
def test_pdf_export_and_screenshot_need_no_display_and_print_nothing_from_qt(tmp_path):
    from briefing_app.core.extract.registry import Registry
    from briefing_app.core.model import ArticleDraft
    from briefing_app.core.notes import NoteStore
    from briefing_app.core.store import Library
    from tests.support.ui import ARTICLE_TEXT, FakeExtractor

    db = tmp_path / "library.db"
    with Library(db) as library:
        article_id = library.add_draft(ArticleDraft(ARTICLE_TEXT, source="TASS")).article_id
        library.save_extraction(article_id, FakeExtractor(Registry()).extract(ARTICLE_TEXT))
        start = ARTICLE_TEXT.index("Alliance of Sahel States")
        NoteStore(library).create(article_id, start, start + 24, body="New bloc")
    # As on a server or over ssh: no display, no platform chosen.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for command in (
        ["export", "--format", "pdf", "-o", str(tmp_path / "briefing.pdf")],
        ["screenshot", str(tmp_path / "shot.png"), "--size", "800x600"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "briefing_app", "--db", str(db), *command],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert (result.returncode, result.stderr) == (0, ""), command
    assert (tmp_path / "briefing.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "shot.png").stat().st_size > 1000
