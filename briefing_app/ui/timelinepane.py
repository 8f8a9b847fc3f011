"""The timeline pane: dated events on an axis, each at its true extent.

Day events are points, months, years and ranges are bands, open ranges ("since 2024") fade
out towards the future; events whose date could not be resolved are listed under the axis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFontMetrics,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core import timeaxis
from briefing_app.core.datecorrections import CORRECTED, inference_reason, is_inferred
from briefing_app.core.model import Article, Event, TimeExpr
from briefing_app.core.store import Library
from briefing_app.core.timeaxis import EventSpan
from briefing_app.ui.inert import plain_tooltip

ENTRY_ROLE = 0  # QGraphicsItem data key: index of the item's entry
ROW_HEIGHT = 38
AXIS_HEIGHT = 28
MARGIN = 16
POINT_RADIUS = 5
MAX_LABEL_CHARS = 48
CLICK_SLOP = 4  # pixels a press may move and still be a click, not a drag
ZOOM_STEP = 1.25
MIN_TICK_GAP = 45


@dataclass(frozen=True)
class TimelineEntry:
    article_id: int
    event: Event
    timexes: tuple[TimeExpr, ...] = ()  # the event's time expressions (for corrections)
    published: str | None = None  # the article's publication date (for the reasoning)

    @property
    def inferred(self) -> bool:
        """Whether a year (or week) of the event was inferred, not written."""
        return any(is_inferred(t) for t in self.timexes)

    @property
    def corrected(self) -> bool:
        return any(t.anchor == CORRECTED for t in self.timexes)

    def tooltip(self) -> str:
        """Its dates, why they are what they are when not written in full, and the sentence."""
        reasons = [f"{t.text}: {r}" for t in self.timexes if (r := inference_reason(t, self.published))]
        return "\n".join([timeaxis.label(self.event), *reasons, self.event.text])


def timeline_entries(library: Library, article: Article) -> list[TimelineEntry]:
    """The article's stored events, each with its time expressions."""
    timexes = library.timexes(article.id)
    return [
        TimelineEntry(
            article.id,
            event,
            timexes=tuple(timexes[i] for i in event.timex_indexes if i < len(timexes)),
            published=article.published,
        )
        for event in library.events(article.id)
    ]


def _short(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entry_caption(entry: TimelineEntry) -> str:
    return f"{timeaxis.label(entry.event)}  {_short(entry.event.text)}"


def _ticks(first: dt.date, last: dt.date, px_per_year: float) -> list[tuple[dt.date, str]]:
    """Axis ticks at least MIN_TICK_GAP pixels apart: months when there is room, else years."""
    if px_per_year / 12 >= MIN_TICK_GAP:
        months = [dt.date(y, m, 1) for y in range(first.year, last.year + 1) for m in range(1, 13)]
        named = px_per_year / 12 >= 1.5 * MIN_TICK_GAP
        ticks = [(d, d.strftime("%b %Y") if d.month == 1 or named else d.strftime("%b")) for d in months]
    else:
        step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if px_per_year * s >= MIN_TICK_GAP), 1000)
        years = range(first.year - first.year % step, last.year + 1, step)
        ticks = [(dt.date(y, 1, 1), str(y)) for y in years if y > 0]
    return [(d, text) for d, text in ticks if first <= d <= last]


def undated_caption(entry: TimelineEntry) -> str:
    return " ".join(entry.event.text.split())


class TimelineView(QGraphicsView):
    entry_clicked = Signal(int)
    entry_menu_requested = Signal(int, object)  # entry index, global position (QPoint)
    zoom_requested = Signal(float, float)  # factor, viewport x to keep in place
    resized = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._press: QPointF | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self._press is None or (event.position() - self._press).manhattanLength() > CLICK_SLOP:
            return
        for item in self.items(event.position().toPoint()):
            if item.data(ENTRY_ROLE) is not None:
                self.entry_clicked.emit(item.data(ENTRY_ROLE))
                return

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        for item in self.items(event.pos()):
            if item.data(ENTRY_ROLE) is not None:
                self.entry_menu_requested.emit(item.data(ENTRY_ROLE), event.globalPos())
                return
        super().contextMenuEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.angleDelta().y():
            factor = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
            self.zoom_requested.emit(factor, event.position().x())
            event.accept()
        else:
            super().wheelEvent(event)


class TimelinePane(QWidget):
    entry_clicked = Signal(object)  # TimelineEntry
    library_timeline_requested = Signal()  # the events of every listed article: a view of its own
    # article id, the time expression, and True for "this date means…", False for "not a date"
    date_correction_requested = Signal(int, object, bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entries: list[TimelineEntry] = []
        self.px_per_day = 1.0
        self._axis_start = dt.date.today()
        self._marked: int | None = None
        self._fitted = True
        self.scene = QGraphicsScene(self)
        self.view = TimelineView()
        self.view.setScene(self.scene)
        self.view.entry_clicked.connect(self._clicked)
        self.view.entry_menu_requested.connect(self._show_menu)
        self.view.zoom_requested.connect(self.zoom)
        self.view.resized.connect(self._view_resized)
        self.all_articles = QToolButton(text="All listed articles…", autoRaise=True)  # type: ignore[call-arg]
        self.all_articles.setToolTip("The library timeline: the events of every listed article, in a tab")
        self.all_articles.clicked.connect(self.library_timeline_requested)
        # PySide6 takes inherited Qt properties as keywords; its stubs list only the class's own.
        zoom_out = QToolButton(text="−", toolTip="Zoom out (Ctrl+wheel)", autoRaise=True)  # type: ignore[call-arg]
        zoom_in = QToolButton(text="+", toolTip="Zoom in (Ctrl+wheel)", autoRaise=True)  # type: ignore[call-arg]
        fit = QToolButton(text="Fit", toolTip="Show every event", autoRaise=True)  # type: ignore[call-arg]
        zoom_out.clicked.connect(lambda: self.zoom(1 / ZOOM_STEP))
        zoom_in.clicked.connect(lambda: self.zoom(ZOOM_STEP))
        fit.clicked.connect(self.fit)
        self.message = QLabel(wordWrap=True)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.unresolved = QListWidget()
        self.unresolved.setMaximumHeight(90)
        self.unresolved.setWordWrap(True)
        self.unresolved.itemClicked.connect(lambda item: self._clicked(item.data(Qt.ItemDataRole.UserRole)))
        self.unresolved_label = QLabel("Undated")
        controls = QHBoxLayout()
        controls.addWidget(self.all_articles)
        controls.addStretch()
        for button in (zoom_out, zoom_in, fit):
            controls.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.unresolved_label)
        layout.addWidget(self.unresolved)
        self.set_entries([], extracted=True)

    # -- content -----------------------------------------------------------------------

    def set_entries(self, entries: list[TimelineEntry], extracted: bool = True) -> None:
        self.entries = entries
        self._marked = None
        spans = [timeaxis.event_span(e.event) for e in entries]
        self._dated = sorted(
            ((span, i) for i, span in enumerate(spans) if span is not None),
            key=lambda si: (si[0].start, si[0].end, si[1]),
        )
        self.unresolved.clear()
        for i, span in enumerate(spans):
            if span is None:
                item = QListWidgetItem(undated_caption(entries[i]))
                item.setData(Qt.ItemDataRole.UserRole, i)
                item.setToolTip(plain_tooltip(entries[i].event.text))
                self.unresolved.addItem(item)
        self.unresolved.setVisible(bool(self.unresolved.count()))
        self.unresolved_label.setVisible(bool(self.unresolved.count()))
        if not extracted:
            self.message.setText("Finding dates…")
        elif not entries:
            self.message.setText("No dated events.")
        self.message.setVisible(not extracted or not entries)
        self.view.setVisible(bool(self._dated))
        self.fit()

    def _range(self) -> tuple[dt.date, dt.date]:
        first = min(span.start for span, _ in self._dated)
        last = max(span.end for span, _ in self._dated)
        # Room for open ends to fade out, and a little around a lone day.
        pad = max(dt.timedelta(days=15), (last - first) / 8)
        if any(span.open_end for span, _ in self._dated):
            last += pad
        if any(span.open_start for span, _ in self._dated):
            first -= pad
        return first - dt.timedelta(days=1), last + dt.timedelta(days=1)

    def fit(self) -> None:
        if not self._dated:
            self.scene.clear()
            return
        self._fitted = True
        first, last = self._range()
        width = max(self.view.viewport().width(), 200) - 2 * MARGIN
        self.px_per_day = width / max((last - first).days, 1)
        self._layout()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        if not self._dated:
            return
        scrollbar = self.view.horizontalScrollBar()
        if anchor_x is None:
            anchor_x = self.view.viewport().width() / 2
        scene_x = scrollbar.value() + anchor_x
        day = (scene_x - MARGIN) / self.px_per_day
        self._fitted = False
        self.px_per_day = min(max(self.px_per_day * factor, 0.001), 400.0)
        self._layout()
        scrollbar.setValue(round(MARGIN + day * self.px_per_day - anchor_x))

    def _x(self, day: dt.date) -> float:
        return MARGIN + (day - self._axis_start).days * self.px_per_day

    def _layout(self) -> None:
        self.scene.clear()
        first, last = self._range()
        self._axis_start = first
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        axis_right = self._x(last)
        metrics = QFontMetrics(self.scene.font())
        self._draw_axis(first, last, text_colour, axis_right)
        for row, (span, i) in enumerate(self._dated):
            y = AXIS_HEIGHT + 10 + row * ROW_HEIGHT
            marker = self._marker(span, y, axis_right, accent, highlighted=(i == self._marked))
            self._mark_how_dated(marker, self.entries[i], text_colour)
            marker.setData(ENTRY_ROLE, i)
            marker.setToolTip(plain_tooltip(self.entries[i].tooltip()))
            marker.setCursor(Qt.CursorShape.PointingHandCursor)
            caption = QGraphicsSimpleTextItem()
            # Within the axis: elided to its width, and moved left when it would run past its end.
            room = axis_right - MARGIN
            caption.setText(
                metrics.elidedText(entry_caption(self.entries[i]), Qt.TextElideMode.ElideRight, int(room))
            )
            x = min(self._x(span.start), axis_right - caption.boundingRect().width())
            caption.setBrush(text_colour)
            caption.setPos(max(x, MARGIN), y + POINT_RADIUS + 3)
            caption.setData(ENTRY_ROLE, i)
            caption.setCursor(Qt.CursorShape.PointingHandCursor)
            self.scene.addItem(caption)
        height = AXIS_HEIGHT + 10 + len(self._dated) * ROW_HEIGHT
        bounds = self.scene.itemsBoundingRect().united(QRectF(0, 0, axis_right + MARGIN, height))
        self.scene.setSceneRect(bounds)

    @staticmethod
    def _mark_how_dated(marker, entry: TimelineEntry, text_colour: QColor) -> None:
        """A date the analyst corrected has a firm outline; one whose year (or week) was
        inferred, not written, a dashed one over a paler fill (the reason is in its tooltip)."""
        if entry.corrected:
            marker.setPen(QPen(text_colour, 2))
        elif entry.inferred:
            pen = QPen(text_colour, 1.5, Qt.PenStyle.DashLine)
            marker.setPen(pen)
            brush = marker.brush()
            if brush.gradient() is None:
                paler = QColor(brush.color())
                paler.setAlpha(60)
                marker.setBrush(QBrush(paler))

    def _marker(self, span: EventSpan, y: float, axis_right: float, accent: QColor, highlighted: bool):
        pen = QPen(accent.darker(130) if highlighted else accent, 2 if highlighted else 1)
        fill = QColor(accent)
        fill.setAlpha(255 if highlighted else 150)
        if span.is_point:
            x = self._x(span.start) + self.px_per_day / 2
            r = POINT_RADIUS
            return self.scene.addEllipse(QRectF(x - r, y - r, 2 * r, 2 * r), pen, QBrush(fill))
        left = self._x(span.start)
        right = self._x(span.end + dt.timedelta(days=1))
        if span.open_end or span.open_start:
            # The known part solid, fading out to the axis end (or in from its start).
            faded = QColor(fill)
            faded.setAlpha(0)
            if span.open_end:
                gradient = QLinearGradient(left, 0, axis_right, 0)
                gradient.setColorAt(0, fill)
                gradient.setColorAt(max(0.0, min(1.0, (right - left) / max(axis_right - left, 1))), fill)
                gradient.setColorAt(1, faded)
                right = axis_right
            else:
                gradient = QLinearGradient(MARGIN, 0, right, 0)
                gradient.setColorAt(0, faded)
                gradient.setColorAt(1, fill)
                left = MARGIN
            pen = QPen(Qt.PenStyle.NoPen)
            brush = QBrush(gradient)
        else:
            brush = QBrush(fill)
        width = max(right - left, 2 * POINT_RADIUS)
        return self.scene.addRect(QRectF(left, y - POINT_RADIUS, width, 2 * POINT_RADIUS), pen, brush)

    def _draw_axis(self, first: dt.date, last: dt.date, colour: QColor, axis_right: float) -> None:
        faint = QColor(colour)
        faint.setAlpha(60)
        self.scene.addLine(MARGIN, AXIS_HEIGHT, axis_right, AXIS_HEIGHT, QPen(colour))
        ticks = _ticks(first, last, 365 * self.px_per_day)
        height = AXIS_HEIGHT + 10 + len(self._dated) * ROW_HEIGHT
        for tick, text in ticks:
            x = self._x(tick)
            self.scene.addLine(x, AXIS_HEIGHT - 4, x, AXIS_HEIGHT, QPen(colour))
            self.scene.addLine(x, AXIS_HEIGHT, x, height, QPen(faint, 1, Qt.PenStyle.DotLine))
            label = QGraphicsSimpleTextItem(text)
            if x + 2 + label.boundingRect().width() <= axis_right + MARGIN:  # else it widens the view
                label.setBrush(colour)
                label.setPos(x + 2, AXIS_HEIGHT - 4 - label.boundingRect().height())
                self.scene.addItem(label)

    # -- interaction -------------------------------------------------------------------

    def marker_items(self) -> dict[int, object]:
        """Entry index -> its marker (the shape, not the caption) on the axis."""
        return {
            item.data(ENTRY_ROLE): item
            for item in self.scene.items()
            if item.data(ENTRY_ROLE) is not None and not isinstance(item, QGraphicsSimpleTextItem)
        }

    def date_menu(self, index: int) -> QMenu:
        """ "This Date Means…" and "Not a Date" for each date of the entry."""
        entry = self.entries[index]
        menu = QMenu(self)
        for timex in entry.timexes:
            target = menu if len(entry.timexes) == 1 else menu.addMenu(f"“{_short(timex.text, 30)}”")
            means = target.addAction("This Date Means…")
            means.triggered.connect(
                lambda _=False, t=timex: self.date_correction_requested.emit(entry.article_id, t, True)
            )
            not_date = target.addAction("Not a Date")
            not_date.triggered.connect(
                lambda _=False, t=timex: self.date_correction_requested.emit(entry.article_id, t, False)
            )
        return menu

    def _show_menu(self, index: int, global_pos) -> None:
        menu = self.date_menu(index)
        if not menu.isEmpty():
            menu.exec(global_pos)
        menu.deleteLater()

    def _clicked(self, index: int) -> None:
        self._marked = index
        if self._dated:
            scroll = (self.view.horizontalScrollBar().value(), self.view.verticalScrollBar().value())
            self._layout()
            self.view.horizontalScrollBar().setValue(scroll[0])
            self.view.verticalScrollBar().setValue(scroll[1])
        self.entry_clicked.emit(self.entries[index])

    def _view_resized(self) -> None:
        if self._fitted:
            self.fit()  # not zoomed since: keep every event in view at the new width
