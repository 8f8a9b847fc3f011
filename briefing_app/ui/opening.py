"""Opening the library at start, with the progress of an upgrade shown while it runs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog

from briefing_app.core.store import Library

DIALOG_TITLE = "Briefing Reader"


class _Relay(QObject):
    """Carries the opening thread's news to the window's thread (queued signals)."""

    told = Signal(str)
    done = Signal()


class UpgradeDialog(QProgressDialog):
    """A busy bar, what is being done, and how long it has taken so far; no Cancel: a step
    of an upgrade is a transaction that either completes or leaves the library as it was,
    and stopping half-way would only leave the library unopened."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(DIALOG_TITLE)
        self.setRange(0, 0)  # busy: a step reports no fraction of its own
        self.setCancelButton(None)  # no Cancel button (see the class comment)
        self.setMinimumDuration(0)
        self.setMinimumWidth(480)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._message = ""
        self._started = time.monotonic()
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._show_label)

    def tell(self, message: str) -> None:
        self._message = message
        self._show_label()
        if not self.isVisible():
            self.show()
            self._clock.start()

    def _show_label(self) -> None:
        seconds = int(time.monotonic() - self._started)
        minutes, seconds = divmod(seconds, 60)
        spent = f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
        self.setLabelText(
            f"{self._message}\n\nA large library takes a few minutes; nothing is lost if this is "
            f"interrupted.\nTime so far: {spent}"
        )


def open_library(db_path: Path) -> Library:
    """Library(db_path), opened on a thread while the window's event loop runs, so that the
    upgrade of a large library (minutes, with its backup) shows its progress in a dialog
    rather than leaving a program that does not answer. Opening a current library shows
    nothing. Raises what Library raises."""
    relay = _Relay()
    dialog: UpgradeDialog | None = None
    outcome: dict[str, object] = {}

    def tell(message: str) -> None:
        nonlocal dialog
        if dialog is None:
            dialog = UpgradeDialog()
        dialog.tell(message)

    def work() -> None:
        try:
            outcome["library"] = Library(db_path, on_upgrade=relay.told.emit)
        except BaseException as exc:  # raised again on the window's thread, below
            outcome["error"] = exc
        finally:
            relay.done.emit()

    loop = QEventLoop()
    # Queued: the thread emits, the window's thread shows (the relay lives there).
    relay.told.connect(tell, Qt.ConnectionType.QueuedConnection)
    relay.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    opener = threading.Thread(target=work, name="open library", daemon=True)
    opener.start()
    loop.exec()  # until done: queued from the thread, it arrives only once the loop runs
    opener.join()
    if dialog is not None:
        dialog.close()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["library"]  # type: ignore[return-value]
