"""The library timeline view (a tab): the dated events of many articles on a full-width axis.

Filters (an entity the sentence names, a source, words of the sentence, and the library
pane's own filter) are read on a pool thread (core/library_timeline.py lays the rows out
there too); the canvas then paints only the rows and ticks in view, so zooming from
decades to days costs the same whatever the number of events. A click opens the article at
the sentence; an event that several articles date the same lists its sources first.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core import library_timeline
from briefing_app.core.library_timeline import Row, TimelineItem, TimelineQuery, TimelineRead
from briefing_app.core.store import ArticleFilter, Library
from briefing_app.ui.inert import plain_tooltip
from briefing_app.ui.workers import BackgroundRead, ReadResults

if TYPE_CHECKING:
    from briefing_app.ui.mainwindow import MainWindow

ROW_HEIGHT = 24
AXIS_HEIGHT = 30
MARGIN = 24
POINT_RADIUS = 5
ZOOM_STEP = 1.5
MIN_YEARS_IN_VIEW = 120  # zoomed out as far as a century and more on the width
MAX_PX_PER_DAY = 240.0  # zoomed in to days, with room for each one's label
CONFLICT_COLOUR = QColor("#d64541")
FILTER_DELAY_MS = 250


class TimelineCanvas(QAbstractScrollArea):
    """The axis and the rows; paints only what is in view."""

    item_activated = Signal(object, QPoint)  # TimelineItem, global position of the click

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.first = dt.date.today()
        self.last = dt.date.today()
        self.px_per_day = 1.0
        self.fitted = True
        self.painted_rows = 0  # rows the last paint drew (the visible ones only)
        self.viewport().setMouseTracking(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.verticalScrollBar().setSingleStep(ROW_HEIGHT)

    # -- content and scale ---------------------------------------------------------------

    def set_read(self, read: TimelineRead) -> None:
        self.rows = read.rows
        self.first, self.last = read.first, read.last
        self.verticalScrollBar().setValue(0)
        self.fit()

    def _days(self) -> int:
        return max((self.last - self.first).days + 1, 1)

    def min_px_per_day(self) -> float:
        return max(self.viewport().width() - 2 * MARGIN, 100) / (365.25 * MIN_YEARS_IN_VIEW)

    def fit(self) -> None:
        """Every event across the width."""
        self.fitted = True
        width = max(self.viewport().width() - 2 * MARGIN, 100)
        self.px_per_day = min(max(width / self._days(), self.min_px_per_day()), MAX_PX_PER_DAY)
        self._update_ranges()
        self.horizontalScrollBar().setValue(0)
        self.viewport().update()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom by `factor`, keeping the day under `anchor_x` (the middle by default) in place."""
        if anchor_x is None:
            anchor_x = self.viewport().width() / 2
        day = (self.horizontalScrollBar().value() + anchor_x - MARGIN) / self.px_per_day
        self.fitted = False
        self.px_per_day = min(max(self.px_per_day * factor, self.min_px_per_day()), MAX_PX_PER_DAY)
        self._update_ranges()
        self.horizontalScrollBar().setValue(round(MARGIN + day * self.px_per_day - anchor_x))
        self.viewport().update()

    def _content_width(self) -> int:
        return int(2 * MARGIN + self._days() * self.px_per_day)

    def _update_ranges(self) -> None:
        viewport = self.viewport()
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        horizontal.setRange(0, max(self._content_width() - viewport.width(), 0))
        horizontal.setPageStep(viewport.width())
        vertical.setRange(0, max(len(self.rows) * ROW_HEIGHT + AXIS_HEIGHT - viewport.height(), 0))
        vertical.setPageStep(max(viewport.height() - AXIS_HEIGHT, ROW_HEIGHT))

    def x_of(self, day: dt.date) -> float:
        """Viewport x of the start of `day`."""
        return MARGIN + (day - self.first).days * self.px_per_day - self.horizontalScrollBar().value()

    def row_at(self, y: float) -> int | None:
        if y < AXIS_HEIGHT:
            return None
        row = int((y - AXIS_HEIGHT + self.verticalScrollBar().value()) // ROW_HEIGHT)
        return row if 0 <= row < len(self.rows) else None

    def row_rect(self, row: int) -> QRect:
        """Where row `row` is in the viewport (for tests and scrolling to it)."""
        top = AXIS_HEIGHT + row * ROW_HEIGHT - self.verticalScrollBar().value()
        return QRect(0, top, self.viewport().width(), ROW_HEIGHT)

    def marker_point(self, row: int) -> QPoint:
        """The middle of row `row`'s marker, in the viewport; scrolled into view first."""
        item = self.rows[row].item
        assert item is not None
        rect = self.row_rect(row)
        if not self.viewport().rect().adjusted(0, AXIS_HEIGHT, 0, 0).contains(rect):
            self.verticalScrollBar().setValue(row * ROW_HEIGHT)
        x = self.x_of(item.span.start)
        if not 0 <= x < self.viewport().width():
            self.horizontalScrollBar().setValue(int(x + self.horizontalScrollBar().value() - MARGIN))
        return QPoint(int(self.x_of(item.span.start) + 2), self.row_rect(row).center().y())

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Base))
        text_colour = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        width = self.viewport().width()
        scroll_y = self.verticalScrollBar().value()
        first_row = scroll_y // ROW_HEIGHT
        last_row = min(len(self.rows), (scroll_y + self.viewport().height()) // ROW_HEIGHT + 1)
        visible_first = self.first + dt.timedelta(days=max(0, int(-self.x_of(self.first) / self.px_per_day)))
        visible_last = min(self.last, visible_first + dt.timedelta(days=int(width / self.px_per_day) + 2))
        ticks = library_timeline.axis_ticks(visible_first, visible_last, self.px_per_day)
        faint = QColor(text_colour)
        faint.setAlpha(40)
        painter.setPen(QPen(faint, 1, Qt.PenStyle.DotLine))
        for day, _text in ticks:
            x = self.x_of(day)
            painter.drawLine(int(x), AXIS_HEIGHT, int(x), self.viewport().height())
        metrics = QFontMetrics(painter.font())
        bold = QFont(painter.font())
        bold.setBold(True)
        self.painted_rows = 0
        for row in range(first_row, last_row):
            top = AXIS_HEIGHT + row * ROW_HEIGHT - scroll_y
            self._paint_row(painter, self.rows[row], top, width, text_colour, accent, metrics, bold)
            self.painted_rows += 1
        # The axis last, over the rows scrolled under it: it stays at the top.
        painter.fillRect(QRect(0, 0, width, AXIS_HEIGHT), palette.color(QPalette.ColorRole.Window))
        painter.setPen(QPen(text_colour))
        painter.drawLine(0, AXIS_HEIGHT - 1, width, AXIS_HEIGHT - 1)
        for day, text in ticks:
            x = int(self.x_of(day))
            painter.drawLine(x, AXIS_HEIGHT - 6, x, AXIS_HEIGHT - 1)
            painter.drawText(x + 3, AXIS_HEIGHT - 9, text)
        painter.end()

    def _paint_row(
        self,
        painter: QPainter,
        row: Row,
        top: int,
        width: int,
        text_colour: QColor,
        accent: QColor,
        metrics: QFontMetrics,
        bold: QFont,
    ) -> None:
        middle = top + ROW_HEIGHT // 2
        if row.item is None:  # a lane's heading
            band = QColor(accent)
            band.setAlpha(30)
            painter.fillRect(QRect(0, top + 2, width, ROW_HEIGHT - 4), band)
            painter.save()
            painter.setFont(bold)
            painter.setPen(text_colour)
            painter.drawText(QRect(6, top, width - 12, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter, row.lane)
            painter.restore()
            return
        item = row.item
        span = item.span
        left = self.x_of(span.start)
        right = self.x_of(span.end + dt.timedelta(days=1))
        fill = QColor(CONFLICT_COLOUR if item.conflict else accent)
        if span.is_point and right - left < 2 * POINT_RADIUS:
            painter.setPen(QPen(fill.darker(130), 1))
            painter.setBrush(QBrush(fill))
            centre_x = (left + right) / 2
            painter.drawEllipse(
                QRectF(centre_x - POINT_RADIUS, middle - POINT_RADIUS, 2 * POINT_RADIUS, 2 * POINT_RADIUS)
            )
            label_x = centre_x + POINT_RADIUS + 6
        else:
            if span.open_end:
                right = max(right, left + 60)  # "since 2024": fades out towards the future
            if span.open_start:
                left = min(left, right - 60)
            brush: QBrush | QColor = fill
            if span.open_end or span.open_start:
                faded = QColor(fill)
                faded.setAlpha(0)
                gradient = QLinearGradient(left, 0, right, 0)
                gradient.setColorAt(0, faded if span.open_start else fill)
                gradient.setColorAt(1, faded if span.open_end else fill)
                brush = QBrush(gradient)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(brush)
            painter.drawRoundedRect(
                QRectF(left, middle - POINT_RADIUS, max(right - left, 3), 2 * POINT_RADIUS), 3, 3
            )
            label_x = max(right, left + 3) + 6
        caption = item.caption()
        if item.conflict:
            caption += f"  ⚠ {item.conflict}"
        text_width = metrics.horizontalAdvance(caption)
        if label_x + text_width > width and left - 6 - text_width > 0:
            label_x = left - 6 - text_width  # near the right edge: the label on the left
        label_x = max(label_x, 4.0)
        painter.setPen(CONFLICT_COLOUR if item.conflict else text_colour)
        painter.drawText(
            QRect(int(label_x), top, max(width - int(label_x) - 4, 0), ROW_HEIGHT),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(caption, Qt.TextElideMode.ElideRight, max(width - int(label_x) - 4, 0)),
        )

    # -- interaction ---------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitted:
            self.fit()
        else:
            self._update_ranges()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.angleDelta().y():
            self.zoom(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP, event.position().x())
            event.accept()
        else:
            super().wheelEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        row = self.row_at(event.position().y())
        if row is not None and self.rows[row].item is not None:
            self.item_activated.emit(self.rows[row].item, event.globalPosition().toPoint())

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)
            row = self.row_at(help_event.pos().y())
            item = self.rows[row].item if row is not None else None
            if item is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(help_event.globalPos(), plain_tooltip(tooltip_text(item)), self)
            return True
        return super().viewportEvent(event)


def tooltip_text(item: TimelineItem) -> str:
    lines = [f"{item.date_label}\n{' '.join(item.first.text.split())}"]
    if item.count > 1:
        lines.append("Dated so by: " + ", ".join(item.sources()))
    else:
        lines.append(f"{item.first.source or library_timeline.NO_SOURCE}: {item.first.title}")
    if item.conflict:
        lines.append(f"Dates disagree: {item.conflict}")
    return "\n".join(lines)


def source_choice(event: library_timeline.LibraryEvent) -> str:
    return f"{event.source or library_timeline.NO_SOURCE} — {event.title} ({event.published or 'undated'})"


class LibraryTimelineView(QWidget):
    """The timeline tab: filters above, the canvas below."""

    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.library: Library = window.library
        self.read: TimelineRead | None = None
        self.sources_menu: QMenu | None = None  # the last "which source?" menu shown
        self._number = 0
        self._loaded_number = -1
        self._sources_loaded = False
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(1)
        self._results = ReadResults(self)
        self._results.arrived.connect(self._arrived)
        self._results.failed.connect(self._failed)

        self.entity = QLineEdit(placeholderText="Entity named in the sentence", clearButtonEnabled=True)
        self.source = QComboBox(editable=True, minimumContentsLength=14)
        source_field = cast(QLineEdit, self.source.lineEdit())  # an editable combo has one
        source_field.setPlaceholderText("Any source")
        source_field.setClearButtonEnabled(True)
        self.words = QLineEdit(placeholderText="Words in the sentence", clearButtonEnabled=True)
        self.listed_only = QCheckBox("Only the listed articles")
        self.listed_only.setToolTip("Only the articles the library pane lists (its search, entity and dates)")
        self.lanes = QComboBox()
        self.lanes.addItem("Lanes by source", "source")
        self.lanes.addItem("Lanes by article", "article")
        zoom_out = QToolButton(text="−", toolTip="Zoom out (Ctrl+wheel)", autoRaise=True)  # type: ignore[call-arg]
        zoom_in = QToolButton(text="+", toolTip="Zoom in (Ctrl+wheel)", autoRaise=True)  # type: ignore[call-arg]
        fit = QToolButton(text="Fit", toolTip="Show every event", autoRaise=True)  # type: ignore[call-arg]
        self.canvas = TimelineCanvas()
        zoom_out.clicked.connect(lambda: self.canvas.zoom(1 / ZOOM_STEP))
        zoom_in.clicked.connect(lambda: self.canvas.zoom(ZOOM_STEP))
        fit.clicked.connect(self.canvas.fit)
        self.message = QLabel(wordWrap=True)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        bar = QHBoxLayout()
        bar.addWidget(self.entity, 2)
        bar.addWidget(self.source, 2)
        bar.addWidget(self.words, 2)
        bar.addWidget(self.listed_only)
        bar.addWidget(self.lanes)
        for button in (zoom_out, zoom_in, fit):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.canvas, 1)

        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.reload)
        for field in (self.entity, self.words):
            field.textChanged.connect(self._filter_timer.start)
        self.source.currentTextChanged.connect(self._filter_timer.start)
        self.listed_only.toggled.connect(self.reload)
        self.lanes.currentIndexChanged.connect(self.reload)
        self.canvas.item_activated.connect(self._activated)
        window.library_pane.filter_changed.connect(self._library_filter_changed)
        window.ops.changed.connect(lambda changes: self.reload() if changes.entities else None)
        # The conflict marks: looked for again in the background when the library changed.
        from briefing_app.ui.conflictsview import ConflictCheck

        check = ConflictCheck.of(window)
        check.checked.connect(self.reload)
        check.start()
        # The library pane's filter seeds the view: what the analyst was looking at.
        self.listed_only.setChecked(not window.library_pane.model.article_filter.is_empty())
        self.reload()

    # -- reading -------------------------------------------------------------------------

    def query(self) -> TimelineQuery:
        articles = (
            self.window_.library_pane.model.article_filter
            if self.listed_only.isChecked()
            else ArticleFilter()
        )
        return TimelineQuery(
            entity=self.entity.text().strip(),
            source=self.source.currentText().strip(),
            text=self.words.text().strip(),
            articles=articles,
            lanes=self.lanes.currentData(),
        )

    def reload(self) -> None:
        """Read the timeline for the filters as they are now, on a pool thread."""
        self._filter_timer.stop()
        self._number += 1
        query = self.query()
        need_sources = not self._sources_loaded

        def read(library: Library) -> object:
            sources = _sources(library) if need_sources else None
            return library_timeline.read_timeline(library, query), sources

        if self.library.path == ":memory:":  # no file another connection could read
            self._arrived("timeline", self._number, read(self.library))
            return
        self.message.setText("Reading the timeline…")
        self.message.show()
        self._reads.start(BackgroundRead(self.library.path, "timeline", self._number, read, self._results))

    def _arrived(self, _what: str, number: int, result: object) -> None:
        if number != self._number:
            return  # stale: the filters changed since
        read, sources = cast(tuple[TimelineRead, list[str] | None], result)
        if sources is not None:
            self._sources_loaded = True
            typed = self.source.currentText()
            self.source.blockSignals(True)
            self.source.clear()
            self.source.addItem("")
            self.source.addItems(sources)
            self.source.setCurrentText(typed)
            self.source.blockSignals(False)
        self.read = read
        self.canvas.set_read(read)
        self._loaded_number = number
        self.message.setText(summary(read))
        self.message.setVisible(bool(self.message.text()))
        self.loaded.emit()

    def _failed(self, _what: str, number: int, message: str) -> None:
        if number == self._number:
            self._loaded_number = number
            self.message.setText(f"The timeline could not be read: {message}")
            self.message.show()
            self.loaded.emit()

    def wait_until_loaded(self, timeout_ms: int = 30_000) -> None:
        """Block (processing events) until the latest read has landed."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(timeout_ms)
        while self._loaded_number != self._number and not deadline.hasExpired():
            QCoreApplication.processEvents()
            self._reads.waitForDone(10)
        QCoreApplication.processEvents()

    def _library_filter_changed(self) -> None:
        if self.listed_only.isChecked():
            self.reload()

    # -- opening -------------------------------------------------------------------------

    def _activated(self, item: TimelineItem, where: QPoint) -> None:
        if item.count == 1:
            self._open(item.first)
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        heading = menu.addAction(f"{item.date_label}: dated so by {item.count} articles")
        heading.setEnabled(False)
        for event in item.events:
            action = QAction(source_choice(event), menu)
            action.triggered.connect(lambda _=False, e=event: self._open(e))
            menu.addAction(action)
        self.sources_menu = menu
        menu.popup(where)

    def _open(self, event: library_timeline.LibraryEvent) -> None:
        self.window_.open_article_at(event.article_id, event.start, event.end)


def _sources(library: Library) -> list[str]:
    rows = library.db.execute(
        "SELECT DISTINCT source FROM article_list WHERE source IS NOT NULL ORDER BY source COLLATE NOCASE"
    ).fetchall()
    return [row[0] for row in rows]


def summary(read: TimelineRead) -> str:
    """What the message line says under the filters ("" when all is drawn and nothing to say)."""
    if not read.items:
        return (
            "No dated events match."
            if read.undated == 0
            else f"No placeable dates ({read.undated:,} undated)."
        )
    parts = [f"{read.events:,} events as {read.items:,} marks"]
    if read.undated:
        parts.append(f"{read.undated:,} undated not drawn")
    if read.truncated:
        parts.append(
            f"the newest {library_timeline.MAX_EVENTS:,} only: filter by entity, source or words for the rest"
        )
    return "; ".join(parts) + "."


def make_library_timeline_view(window: MainWindow, _argument: str) -> QWidget:
    return LibraryTimelineView(window)
