"""The window's one write path (ui/ops.py): every correction goes through it and shows its
result; a busy, read-only or refusing library is told in the window, which stays usable; no
slot raises on a bad selection; an exception that escapes anyway is shown and logged."""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox

from briefing_app.core.model import ArticleDraft
from briefing_app.core.notes import NoteStore
from briefing_app.core.store import Library
from briefing_app.ui import ops as ops_module
from briefing_app.ui.ops import Op, install_excepthook
from tests.ui.support import ARTICLE_ID, ARTICLE_TEXT, wait_for_jobs, wait_for_writes


def entity(window, name):
    return next(row for row in window.entity_pane.model.entities() if row.name == name)


def entity_names(window) -> list[str]:
    return [row.name for row in window.entity_pane.model.entities()]


def span_of(needle: str, text: str = ARTICLE_TEXT) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def answer_dialogs(monkeypatch, text=None, item=None) -> list[str]:
    """QInputDialog answers as if typed; returns the prompts that were asked."""
    asked = []

    def answer(answer_given):
        def dialog(_parent, _title, prompt, *args, **kwargs):
            asked.append(prompt)
            return answer_given, True

        return dialog

    if text is not None:
        monkeypatch.setattr(QInputDialog, "getText", answer(text))
    if item is not None:
        monkeypatch.setattr(QInputDialog, "getItem", answer(item))
    return asked


def record_ops(window, monkeypatch) -> list[tuple[str, bool]]:
    """(what, ran on the GUI thread) of every op the window runs, as its change runs."""
    ran = []
    run = window.ops.run

    def recording_run(op):
        change = op.change

        def recorded(library):
            ran.append((op.what, threading.current_thread() is threading.main_thread()))
            return change(library)

        op.change = recorded
        return run(op)

    monkeypatch.setattr(window.ops, "run", recording_run)
    return ran


@pytest.fixture
def quick_retries(window, monkeypatch):
    """A short wait for a lock and quick retries: the tests need not wait for seconds."""
    window.ops.set_busy_timeout(50)
    monkeypatch.setattr(ops_module, "RETRY_DELAYS_MS", (20, 20, 20))


@pytest.fixture
def lock_library(window):
    """Another connection takes the library's write lock (as an import or the CLI does)
    and holds it until the returned release() is called."""
    held = []

    def lock() -> None:
        conn = sqlite3.connect(window.library.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held.append(conn)

    def release() -> None:
        while held:
            conn = held.pop()
            conn.execute("ROLLBACK")
            conn.close()

    lock.release = release  # type: ignore[attr-defined]
    yield lock
    release()


# -- every correction goes through the write path and shows its result --------------------

CORRECTIONS = [
    # (pane method, entity, dialog answers, status bar after, names there after, names gone)
    ("rename", "Sergey Lavrov", {"text": "Sergei Lavrov"}, "Renamed “Sergey Lavrov” to “Sergei Lavrov”.",
     ["Sergei Lavrov"], ["Sergey Lavrov"]),
    ("change_type", "Mali", {"item": "LOC"}, "“Mali” is now LOC (Places).", ["Mali"], []),
    ("merge", "Lavrov", {"item": "Sergey Lavrov (PERSON)"}, "Merged “Lavrov” into “Sergey Lavrov”.",
     ["Sergey Lavrov"], ["Lavrov"]),
    ("add_alias", "Sergey Lavrov", {"text": "Lavrov"}, "“Lavrov” is now another name for “Sergey Lavrov”.",
     ["Sergey Lavrov"], ["Lavrov"]),
    ("reject", "Niger", {}, "“Niger” is no longer marked as GPE.", ["Mali"], ["Niger"]),
]  # fmt: skip


@pytest.mark.parametrize(("method", "name", "answers", "status", "present", "gone"), CORRECTIONS)
def test_each_correction_goes_through_the_write_path_and_shows_its_result(
    window, qtbot, monkeypatch, method, name, answers, status, present, gone
):
    answer_dialogs(monkeypatch, **answers)
    ran = record_ops(window, monkeypatch)
    getattr(window.entity_pane, method)(entity(window, name))
    wait_for_jobs(qtbot, window)  # the write, then the re-extraction some corrections start
    assert len(ran) == 1 and ran[0][1] is False  # one op, off the GUI thread
    assert window.statusBar().currentMessage() == status
    names = entity_names(window)
    assert all(n in names for n in present) and not any(n in names for n in gone)
    if method == "change_type":
        assert ("Mali", "LOC") in [(e.name, e.label) for e in window.entity_pane.model.entities()]
    assert window.ops.message is None  # nothing went wrong, nothing to tell


def test_mark_as_entity_goes_through_the_write_path(window, qtbot, monkeypatch):
    answer_dialogs(monkeypatch, item="ORG")
    ran = record_ops(window, monkeypatch)
    window.text_pane.mark_entity_requested.emit(*span_of("three states"))
    wait_for_jobs(qtbot, window)
    assert ran == [("mark “three states” as an entity", False)]
    assert "three states" in entity_names(window)
    assert window.statusBar().currentMessage().startswith("“three states” is marked as ORG")


def test_note_writes_go_through_the_write_path(window, qtbot, monkeypatch):
    ran = record_ops(window, monkeypatch)
    note = window.notes_pane.create_note(*span_of("instructors"))
    window.notes_pane.delete_current()
    window.notes_pane.undo_stack.undo()
    # On the GUI thread: one row each, and the new note takes the typing at once.
    assert ran == [
        ("add a note", True),
        ("delete the note on “instructors”", True),
        ("restore the note on “instructors”", True),
    ]
    assert [n.uuid for n in window.notes_pane.model.notes()] == [note.uuid]


# -- a library that is busy, locked or read-only -------------------------------------------


def test_the_windows_connection_waits_only_briefly_for_a_lock(window):
    timeout_ms = window.library.db.execute("PRAGMA busy_timeout").fetchone()[0]
    assert 0 < timeout_ms <= 2000


def test_a_busy_library_is_retried_visibly_and_the_correction_lands(
    window, qtbot, monkeypatch, quick_retries, lock_library
):
    monkeypatch.setattr(ops_module, "RETRY_DELAYS_MS", (20,) * 500)  # never given up here
    answer_dialogs(monkeypatch, text="Sergei Lavrov")
    lock_library()
    window.entity_pane.rename(entity(window, "Sergey Lavrov"))
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Library busy, retrying…"))
    # Meanwhile the window goes on: another article opens, a click marks an entity's mentions.
    other = next(a.id for a in window.library.list_articles() if a.id != ARTICLE_ID)
    window.library_pane.select_article(other)
    window.library_pane.select_article(ARTICLE_ID)
    window.entity_pane.mark_requested.emit([span_of("Moscow")], 0)
    assert window.text_pane.view.selected_span() == span_of("Moscow")
    assert "Sergey Lavrov" in entity_names(window)  # not renamed yet
    lock_library.release()
    wait_for_writes(qtbot, window)
    assert "Sergei Lavrov" in entity_names(window)
    assert window.statusBar().currentMessage() == "Renamed “Sergey Lavrov” to “Sergei Lavrov”."
    assert window.ops.message is None


def test_a_library_that_stays_locked_is_told_and_the_window_stays_usable(
    window, qtbot, monkeypatch, quick_retries, lock_library
):
    answer_dialogs(monkeypatch, text="Sergei Lavrov")
    lock_library()
    window.entity_pane.rename(entity(window, "Sergey Lavrov"))
    wait_for_writes(qtbot, window)
    message = window.ops.message
    assert message.isVisible() and message.icon() == QMessageBox.Icon.Warning
    assert message.windowModality() == Qt.WindowModality.NonModal  # the window is not blocked
    assert message.text().startswith("Could not rename “Sergey Lavrov”: the library is busy")
    assert window.statusBar().currentMessage() == message.text()
    assert "Sergey Lavrov" in entity_names(window)
    # Once the other writer is done, the same correction simply works.
    lock_library.release()
    window.entity_pane.rename(entity(window, "Sergey Lavrov"))
    wait_for_writes(qtbot, window)
    assert "Sergei Lavrov" in entity_names(window)


def test_a_note_added_while_the_library_is_busy_arrives_once_it_is_free(
    window, qtbot, monkeypatch, quick_retries, lock_library
):
    monkeypatch.setattr(ops_module, "RETRY_DELAYS_MS", (20,) * 500)
    lock_library()
    assert window.notes_pane.create_note(*span_of("instructors")) is None  # not yet
    assert window.statusBar().currentMessage() == "Library busy, retrying… (add a note)"
    lock_library.release()
    wait_for_writes(qtbot, window)
    [note] = window.notes_pane.model.notes()
    assert note.quote == "instructors" and window.notes_pane.current.uuid == note.uuid
    assert window.statusBar().currentMessage() == ""  # no longer "busy"


@pytest.mark.parametrize("background", [True, False])
def test_changes_put_off_by_a_busy_library_land_in_the_order_they_were_made(
    window, qtbot, monkeypatch, quick_retries, lock_library, background
):
    monkeypatch.setattr(ops_module, "RETRY_DELAYS_MS", (20,) * 500)
    landed = []
    lock_library()
    for value in ("first", "second"):
        window.ops.run(
            Op(
                lambda library, value=value: library.set_setting("writepath-test", value),
                what=f"store {value}",
                on_success=lambda _result, value=value: landed.append(value),
                background=background,
            )
        )
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Library busy, retrying…"))
    assert landed == []
    lock_library.release()
    wait_for_writes(qtbot, window)
    assert landed == ["first", "second"]
    assert window.library.get_setting("writepath-test") == "second"


def test_a_read_only_library_is_told_and_the_window_stays_usable(window, qtbot):
    window.library.db.execute("PRAGMA query_only = 1")  # every write on this connection fails
    window.add_note(*span_of("instructors"))
    message = window.ops.message
    assert message.isVisible()
    assert message.text().startswith("Could not add a note: the library cannot be written, it is read-only")
    assert window.notes_pane.model.rowCount() == 0 and not window.ops.is_busy()
    window.library.db.execute("PRAGMA query_only = 0")
    window.add_note(*span_of("instructors"))
    assert [n.quote for n in window.notes_pane.model.notes()] == ["instructors"]


def test_a_refusal_from_the_store_is_a_message(window, qtbot):
    # The store's own refusal (what "Mark as Entity…" on "—" raised out of a slot before).
    window.ops.run(Op(lambda library: library.mark_entity("—", "ORG"), what="mark “—” as an entity"))
    wait_for_writes(qtbot, window)
    assert window.ops.message.text() == "Could not mark “—” as an entity: not a name: '—'"
    assert window.statusBar().currentMessage() == window.ops.message.text()


def test_an_unexpected_error_in_a_write_is_shown_with_its_details_and_logged(window, qtbot, caplog):
    def broken(library: Library) -> None:
        raise RuntimeError("a bug in the change")

    with caplog.at_level(logging.ERROR, logger="briefing_app.ui.ops"):
        window.ops.run(Op(broken, what="do something broken"))
        wait_for_writes(qtbot, window)
    message = window.ops.message
    assert message.icon() == QMessageBox.Icon.Critical
    assert message.text() == "Could not do something broken: a bug in the change"
    assert "RuntimeError: a bug in the change" in message.detailedText()
    assert any("do something broken" in record.getMessage() for record in caplog.records)


# -- no slot raises on a bad selection or name (pytest-qt fails a test on any that does) ---


def test_mark_as_entity_on_no_name_says_so_and_asks_nothing(window, qtbot, monkeypatch, ui_library):
    asked = answer_dialogs(monkeypatch, item="ORG")
    dash = ui_library.add_draft(ArticleDraft("Talks — in Bamako\nMali — and Niger met.", title="Talks"))
    window.library_pane.reload()
    window.library_pane.select_article(dash.article_id)
    text = window.article.text
    cases = [
        (span_of("—", text), "“—” is not a name: select a name in the text"),
        ((5, 5), "Select a name in the text to mark it as an entity."),  # an empty selection
        (span_of("\n", text), "Select a name in the text to mark it as an entity."),  # whitespace
    ]
    for span, said in cases:
        window.text_pane.mark_entity_requested.emit(*span)
        assert window.statusBar().currentMessage().startswith(said)
    assert asked == [] and not window.ops.is_busy()  # refused before asking for a type


def test_rename_to_no_name_and_merge_into_itself_are_refused(window, qtbot, monkeypatch):
    ran = record_ops(window, monkeypatch)
    answer_dialogs(monkeypatch, text="   ", item="Lavrov")
    window.entity_pane.rename(entity(window, "Lavrov"))
    assert window.statusBar().currentMessage() == "An entity needs a name: “Lavrov” was not renamed."
    window.entity_pane.merge(entity(window, "Lavrov"))  # typed: its own name
    assert window.statusBar().currentMessage() == "“Lavrov” cannot be merged into itself."
    window.entity_pane.add_alias(entity(window, "Lavrov"))
    assert window.statusBar().currentMessage() == "An alias needs a name: none was added to “Lavrov”."
    assert ran == [] and "Lavrov" in entity_names(window)


def test_deleting_a_note_deleted_elsewhere_just_deletes_it(window, qtbot, ui_library):
    note = window.notes_pane.create_note(*span_of("instructors"))
    with Library(ui_library.path) as elsewhere:  # the CLI, say
        NoteStore(elsewhere).delete(note.uuid)
    window.notes_pane.delete_button.click()
    assert window.notes_pane.model.rowCount() == 0 and window.ops.message is None
    window.notes_pane.undo_button.click()
    assert [n.uuid for n in window.notes_pane.model.notes()] == [note.uuid]


def test_deleting_or_restoring_a_note_that_is_gone_is_told(window, qtbot, ui_library):
    pane = window.notes_pane
    note = pane.create_note(*span_of("instructors"))
    with window.library.db.conn:
        window.library.db.execute("DELETE FROM notes")
    pane.delete_button.click()
    assert window.ops.message.text() == f"Could not delete the note on “instructors”: no note {note.uuid}"
    assert pane.model.rowCount() == 0  # shown as the store has it
    assert pane.undo_stack.count() == 0  # nothing to undo

    second = pane.create_note(*span_of("Abdoulaye Diop"))
    pane.delete_current()
    with window.library.db.conn:
        window.library.db.execute("DELETE FROM notes")
    pane.undo_stack.undo()
    assert (
        window.ops.message.text() == f"Could not restore the note on “Abdoulaye Diop”: no note {second.uuid}"
    )
    assert pane.model.rowCount() == 0


# -- closing, and exceptions that escape -------------------------------------------------


def test_closing_waits_for_the_corrections_under_way(window, qtbot, monkeypatch, ui_library):
    answer_dialogs(monkeypatch, text="Sergei Lavrov")
    window.entity_pane.rename(entity(window, "Sergey Lavrov"))
    window.close()
    assert ui_library.registry().aliases[("sergey lavrov", "PERSON")] == ("Sergei Lavrov", "PERSON")


def test_an_exception_escaping_a_slot_is_shown_in_a_dialog_and_logged(window, qtbot, caplog):
    shown = []
    previous = sys.excepthook
    try:
        install_excepthook(window.ops)
        # The dialog is the helper's one non-modal message box; recorded here as it is shown.
        show_message = window.ops.show_message
        window.ops.show_message = lambda *args: shown.append(args) or show_message(*args)

        def slot_that_raises() -> None:
            raise KeyError("no such pane")

        with caplog.at_level(logging.ERROR, logger="briefing_app.ui.ops"):
            QTimer.singleShot(0, slot_that_raises)
            qtbot.waitUntil(lambda: bool(shown))
    finally:
        sys.excepthook = previous
    icon, text, details = shown[0]
    assert icon == QMessageBox.Icon.Critical
    assert text.startswith("Something went wrong: 'no such pane'")
    assert "KeyError: 'no such pane'" in details and "slot_that_raises" in details
    assert window.ops.message.isVisible() and not window.ops.message.isModal()
    assert any(record.exc_info and record.exc_info[0] is KeyError for record in caplog.records)
    # The window goes on.
    window.library_pane.select_article(ARTICLE_ID)
    assert window.article.id == ARTICLE_ID


def test_busy_errors_are_told_apart_from_other_failures(tmp_path):
    from briefing_app.core.store import LibraryError
    from briefing_app.ui.ops import describe, is_busy

    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    writer = sqlite3.connect(path, timeout=0.01)
    with pytest.raises(sqlite3.OperationalError) as raised:
        writer.execute("INSERT INTO t VALUES (1)")
    holder.execute("ROLLBACK")
    holder.close()
    writer.close()
    busy = raised.value
    wrapped = LibraryError("could not write")
    wrapped.__cause__ = busy
    assert is_busy(busy) and is_busy(wrapped) and is_busy(sqlite3.OperationalError("database is locked"))
    assert describe(wrapped).startswith("the library is busy")
    assert not is_busy(sqlite3.OperationalError('near "x": syntax error'))
    assert not is_busy(ValueError("not a name: '—'"))
    assert describe(ValueError("not a name: '—'")) == "not a name: '—'"
