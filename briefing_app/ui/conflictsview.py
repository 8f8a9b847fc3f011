"""The conflicts view (a tab): happenings two articles date differently, side by side.

Detection (core/conflicts.py) runs on the window's job queue, beside imports and
extraction (it reads the whole library and writes its findings: one writer at a time),
whenever the library changed since the last look; the list is read on a pool thread. "These
are different events" goes through window.ops and is remembered.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core import conflicts
from briefing_app.core.conflicts import Conflict, ConflictSide
from briefing_app.core.store import Library
from briefing_app.ui.ops import Op
from briefing_app.ui.workers import BackgroundRead, Job, ReadResults

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

MAX_LISTED = 5_000  # rows the list holds; the entity filter finds the rest


class ConflictCheck(QObject):
    """One per window: looks for conflicts in the background when the library changed."""

    checked = Signal()  # the stored conflicts are up to date
    progressed = Signal(int, int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.running: Job | None = None
        self._again = False
        window.extraction_landed.connect(self.start)
        window.ops.changed.connect(lambda changes: self.start() if changes.entities else None)

    @staticmethod
    def of(window: MainWindow) -> ConflictCheck:
        check = window.findChild(ConflictCheck)
        return check if check is not None else ConflictCheck(window)

    def start(self) -> None:
        """Look again (it returns at once if nothing changed since the last look)."""
        if self.running is not None:
            self._again = True  # after this one: it may have read the library before the change
            return

        def work(library: Library, job: Job) -> int | None:
            if library.path != ":memory:":
                return check_in_child(job)
            return conflicts.refresh_conflicts(
                library,
                progress=lambda done, total: job.progress.emit(done, total, ""),
                cancelled=job.is_cancelled,
            )

        job = Job(self.window_.library.path, work)
        job.progress.connect(lambda done, total, _what: self.progressed.emit(done, total))
        job.finished.connect(lambda _count: self._ended())
        job.failed.connect(self._failed)
        self.running = job
        if self.window_.library.path == ":memory:":
            job.finished.emit(work(self.window_.library, job))
            return
        self.window_.jobs.submit(job)

    def _failed(self, details: str) -> None:
        self._ended()
        self.window_._job_failed(details)

    def _ended(self) -> None:
        self.running = None
        self.checked.emit()
        if self._again:
            self._again = False
            self.start()


def check_in_child(job: Job) -> int | None:
    """Run detection in a child process (core/conflicts.py says why); returns how many
    conflicts there are, None if cancelled."""
    command = [sys.executable, "-m", "briefing_app.core.conflicts", job.db_path]
    # stderr to a file, not a pipe: a pipe nobody reads could fill and hang the child.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        # A session of its own: Linux shares CPU time between sessions (autogroups), and in the
        # window's session the child's minutes of work took the window's turns (stalls of 1-2 s).
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, start_new_session=True
        ) as child:
            job.on_cancel(child.terminate)
            found = None
            assert child.stdout is not None  # stdout=PIPE
            for line in child.stdout:
                kind, *numbers = line.split()
                if kind == "progress":
                    job.progress.emit(int(numbers[0]), int(numbers[1]), "")
                elif kind == "found":
                    found = int(numbers[0]) if numbers[0] != "None" else None
        if job.is_cancelled():
            return None
        if child.returncode != 0:
            errors.seek(0)
            raise RuntimeError(
                f"looking for conflicting dates failed (exit code {child.returncode}):\n{errors.read()[-3000:]}"
            )
    return found


class ConflictsModel(QAbstractTableModel):
    """One row per conflict: what both sentences name, and each side's date and source."""

    HEADERS = ("Names", "Date", "Source", "Other date", "Other source")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.conflicts: list[Conflict] = []

    def set_conflicts(self, found: list[Conflict]) -> None:
        self.beginResetModel()
        self.conflicts = found
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.conflicts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        conflict = self.conflicts[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{conflict.a.text}\n\n{conflict.b.text}"
        column = index.column()
        if column == 0:
            return ", ".join(conflict.entities)
        side = conflict.a if column in (1, 2) else conflict.b
        return side.date_label if column in (1, 3) else side.source or side.title

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class SidePanel(QGroupBox):
    """One article's sentence: its date, source, title and the sentence, with Open."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.side: ConflictSide | None = None
        self.date = QLabel()
        font = self.date.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.date.setFont(font)
        self.where = QLabel(wordWrap=True)
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.sentence = QLabel(wordWrap=True)
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton("Open the article at this sentence")
        layout = QVBoxLayout(self)
        layout.addWidget(self.date)
        layout.addWidget(self.where)
        layout.addWidget(self.sentence)
        layout.addStretch(1)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.show_side(None)

    def show_side(self, side: ConflictSide | None) -> None:
        self.side = side
        self.date.setText(side.date_label if side else "")
        self.where.setText(
            f"{side.source or 'No source'} — {side.title} ({side.published or 'undated'})" if side else ""
        )
        self.sentence.setText(" ".join(side.text.split()) if side else "")
        self.open_button.setEnabled(side is not None)


class ConflictsView(QWidget):
    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.library: Library = window.library
        self._number = 0
        self._loaded_number = -1
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(1)
        self._results = ReadResults(self)
        self._results.arrived.connect(self._arrived)
        self._results.failed.connect(self._failed)
        self.check = ConflictCheck.of(window)
        self.check.checked.connect(self.reload)
        self.check.progressed.connect(self._progressed)

        self.entity = QLineEdit(placeholderText="Only conflicts naming this entity", clearButtonEnabled=True)
        self.show_dismissed = QCheckBox("Show dismissed")
        self.status = QLabel()
        self.model = ConflictsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.first = SidePanel("One article")
        self.second = SidePanel("Another article")
        self.first.open_button.clicked.connect(lambda: self._open(self.first.side))
        self.second.open_button.clicked.connect(lambda: self._open(self.second.side))
        self.dismiss_button = QPushButton("These are different events")
        self.dismiss_button.setToolTip("Never flag this pair again (remembered through re-extraction)")
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.shared = QLabel(wordWrap=True)
        self.shared.setTextFormat(Qt.TextFormat.PlainText)

        bar = QHBoxLayout()
        bar.addWidget(self.entity, 1)
        bar.addWidget(self.show_dismissed)
        bar.addWidget(self.status)
        sides = QHBoxLayout()
        sides.addWidget(self.first, 1)
        sides.addWidget(self.second, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.shared, 1)
        actions.addWidget(self.dismiss_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addLayout(sides, 1)
        detail_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self._filter_timer = QTimer(self, singleShot=True, interval=250)
        self._filter_timer.timeout.connect(self.reload)
        self.entity.textChanged.connect(self._filter_timer.start)
        self.show_dismissed.toggled.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show(current.row())
        )
        self._show(-1)
        self.reload()
        self.check.start()

    # -- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        self._filter_timer.stop()
        self._number += 1
        entity, dismissed = self.entity.text().strip(), self.show_dismissed.isChecked()

        def read(library: Library) -> object:
            return conflicts.list_conflicts(library, entity=entity, include_dismissed=dismissed)[:MAX_LISTED]

        if self.library.path == ":memory:":
            self._arrived("conflicts", self._number, read(self.library))
            return
        self._reads.start(BackgroundRead(self.library.path, "conflicts", self._number, read, self._results))

    def _arrived(self, _what: str, number: int, result: object) -> None:
        if number != self._number:
            return
        current = self.current()
        self.model.set_conflicts(cast(list[Conflict], result))
        self._loaded_number = number
        keys = [(c.a_key, c.b_key) for c in self.model.conflicts]
        row = (
            keys.index((current.a_key, current.b_key))
            if current and (current.a_key, current.b_key) in keys
            else 0
        )
        if self.model.conflicts:
            self.table.selectRow(min(row, len(keys) - 1))
        self._show(self.table.currentIndex().row() if self.model.conflicts else -1)
        self._say_count()
        self.loaded.emit()

    def _failed(self, _what: str, number: int, message: str) -> None:
        if number == self._number:
            self._loaded_number = number
            self.status.setText(f"Could not read the conflicts: {message}")
            self.loaded.emit()

    def _progressed(self, done: int, total: int) -> None:
        self.status.setText(f"Looking for conflicting dates… {100 * done // max(total, 1)}%")

    def _say_count(self) -> None:
        if self.check.running is not None:
            return  # "looking…" stays until the look is over
        count = len(self.model.conflicts)
        text = (
            "No conflicting dates."
            if count == 0
            else f"{count:,} conflicting date{'s' if count != 1 else ''}"
        )
        if count >= MAX_LISTED:
            text += f" (the first {MAX_LISTED:,}: filter by entity for the rest)"
        self.status.setText(text)

    def wait_until_loaded(self, timeout_ms: int = 60_000) -> None:
        """Block (processing events) until detection and the latest read have landed."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(timeout_ms)
        while (
            self.check.running is not None or self._loaded_number != self._number
        ) and not deadline.hasExpired():
            QCoreApplication.processEvents()
            self._reads.waitForDone(10)
        QCoreApplication.processEvents()

    # -- the selected conflict -----------------------------------------------------------

    def current(self) -> Conflict | None:
        row = self.table.currentIndex().row()
        return self.model.conflicts[row] if 0 <= row < len(self.model.conflicts) else None

    def _show(self, row: int) -> None:
        conflict = self.model.conflicts[row] if 0 <= row < len(self.model.conflicts) else None
        self.first.show_side(conflict.a if conflict else None)
        self.second.show_side(conflict.b if conflict else None)
        self.dismiss_button.setEnabled(conflict is not None and not conflict.dismissed)
        if conflict is None:
            self.shared.setText("")
        else:
            self.shared.setText(
                f"Both name {', '.join(conflict.entities)} and say {', '.join(conflict.words)}"
                + (" — dismissed as different events." if conflict.dismissed else ".")
            )

    def dismiss_selected(self) -> None:
        conflict = self.current()
        if conflict is None:
            return
        a_key, b_key = conflict.a_key, conflict.b_key
        self.window_.ops.run(
            Op(
                change=lambda library: conflicts.dismiss(library, a_key, b_key),
                what="mark the two sentences as different events",
                done="Marked as different events; they will not be flagged again.",
                on_success=lambda _result: self.reload(),
            )
        )

    def _open(self, side: ConflictSide | None) -> None:
        if side is not None:
            self.window_.open_article_at(side.article_id, side.start, side.end)


def make_conflicts_view(window: MainWindow, _argument: str) -> QWidget:
    return ConflictsView(window)
