"""An article's timeline drawn as a figure for printing: one row per dated event.

Day-precise events are points; months, years and ranges are bands as wide as what they
cover; open ranges ("since 2024", "until 2023") fade out towards the end they leave open.
The figure is a QImage drawn at a multiple of its logical size, so it stays sharp on paper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPen,
)

from briefing_app.core.export.briefing import event_when
from briefing_app.core.model import Event
from briefing_app.core.timeaxis import EventSpan, event_span

FONT_FAMILY = "DejaVu Sans"
MAX_ROWS = 24  # beyond this the figure would not fit a page; the list below has them all

_INK = QColor("#1b1b1b")
_MUTED = QColor("#6b6b6b")
_GRID = QColor("#dedede")
_ROW_SHADE = QColor("#f4f6f8")
_MARK = QColor("#24579a")
_BAND_FILL = QColor(36, 87, 154, 110)

_ROW_HEIGHT = 17.0
_LABEL_WIDTH = 132.0
_AXIS_HEIGHT = 20.0
_LEGEND_HEIGHT = 22.0
_SIDE_PADDING = 10.0
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Tick spacings tried, in months: the first that gives at most _MAX_TICKS labels wins.
_TICK_STEPS = (1, 3, 6, 12, 24, 60, 120, 240, 600, 1200)
_MAX_TICKS = 8
_MIN_DOMAIN_DAYS = 365


def timeline_figure(events: Sequence[Event], width: float, scale: float = 3.0) -> QImage | None:
    """The figure of the events that have dates, `width` logical pixels wide (96 per inch),
    drawn at `scale` device pixels per logical pixel; None when no event has a date."""
    rows = [(event, span) for event in events if (span := event_span(event)) is not None]
    if not rows:
        return None
    hidden = max(0, len(rows) - MAX_ROWS)
    rows = rows[:MAX_ROWS]
    height = _AXIS_HEIGHT + len(rows) * _ROW_HEIGHT + _AXIS_HEIGHT + _LEGEND_HEIGHT
    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _Drawing(painter, width, [span for _, span in rows]).draw(
            [event_when(event) for event, _ in rows], hidden
        )
    finally:
        painter.end()
    return image


def _font(pixel_size: int) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPixelSize(pixel_size)
    return font


class _Drawing:
    def __init__(self, painter: QPainter, width: float, spans: list[EventSpan]) -> None:
        self.painter = painter
        self.width = width
        self.spans = spans
        self.plot_left = _SIDE_PADDING + _LABEL_WIDTH
        self.plot_right = width - _SIDE_PADDING
        self.rows_top = _AXIS_HEIGHT
        self.rows_bottom = _AXIS_HEIGHT + len(spans) * _ROW_HEIGHT
        self.first_day, self.last_day = _domain(spans)

    def x(self, day: dt.date) -> float:
        total = (self.last_day - self.first_day).days
        fraction = (day - self.first_day).days / total
        return self.plot_left + fraction * (self.plot_right - self.plot_left)

    def draw(self, labels: list[str], hidden: int) -> None:
        self._rows(labels)
        self._axis()
        for row, span in enumerate(self.spans):
            self._mark(span, self.rows_top + (row + 0.5) * _ROW_HEIGHT)
        self._legend(hidden)

    def _rows(self, labels: list[str]) -> None:
        painter = self.painter
        painter.setFont(_font(11))
        metrics = QFontMetricsF(painter.font())
        for row, label in enumerate(labels):
            top = self.rows_top + row * _ROW_HEIGHT
            if row % 2 == 0:
                painter.fillRect(QRectF(0, top, self.width, _ROW_HEIGHT), _ROW_SHADE)
            painter.setPen(_INK)
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, _LABEL_WIDTH - 8)
            painter.drawText(
                QRectF(_SIDE_PADDING, top, _LABEL_WIDTH - 8, _ROW_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    def _axis(self) -> None:
        """Grid lines at the ticks, labelled above and below the rows."""
        painter = self.painter
        painter.setFont(_font(10))
        metrics = QFontMetricsF(painter.font())
        for day, label in _ticks(self.first_day, self.last_day):
            x = self.x(day)
            painter.setPen(QPen(_GRID, 0.8))
            painter.drawLine(QPointF(x, self.rows_top - 3), QPointF(x, self.rows_bottom + 3))
            painter.setPen(_MUTED)
            label_width = metrics.horizontalAdvance(label)
            left = min(max(x - label_width / 2, self.plot_left - 4), self.plot_right - label_width)
            for baseline in (self.rows_top - 7, self.rows_bottom + 3 + metrics.ascent() + 3):
                painter.drawText(QPointF(left, baseline), label)
        painter.setPen(QPen(_MUTED, 0.8))
        for y in (self.rows_top, self.rows_bottom):
            painter.drawLine(QPointF(self.plot_left, y), QPointF(self.plot_right, y))

    def _mark(self, span: EventSpan, middle: float) -> None:
        painter = self.painter
        if span.is_point:
            _point(painter, QPointF(self.x(span.start), middle))
            return
        left = self.plot_left if span.open_start else self.x(span.start)
        right = self.plot_right if span.open_end else self.x(span.end + dt.timedelta(days=1))
        if right - left < 3:  # a band of a few days would vanish: keep it visible
            left, right = (left + right) / 2 - 1.5, (left + right) / 2 + 1.5
        band = QRectF(left, middle - 4, right - left, 8)
        if span.open_start or span.open_end:
            # Solid over the days the event is known to cover, fading over the open side.
            known_left, known_right = self.x(span.start), self.x(span.end + dt.timedelta(days=1))
            solid_until = (known_right - left) / band.width() if span.open_end else None
            solid_from = (known_left - left) / band.width() if span.open_start else None
            _fading_band(painter, band, solid_from=solid_from, solid_until=solid_until)
        else:
            _band(painter, band)

    def _legend(self, hidden: int) -> None:
        painter = self.painter
        painter.setFont(_font(10))
        metrics = QFontMetricsF(painter.font())
        middle = self.rows_bottom + _AXIS_HEIGHT + _LEGEND_HEIGHT / 2 + 2
        baseline = middle + metrics.ascent() / 2 - 1
        x = self.plot_left
        for kind, text in (("point", "a day"), ("band", "a month, year or range"), ("fade", "open range")):
            if kind == "point":
                _point(painter, QPointF(x + 4, middle))
                x += 12
            elif kind == "band":
                _band(painter, QRectF(x, middle - 4, 22, 8))
                x += 28
            else:
                _fading_band(painter, QRectF(x, middle - 4, 22, 8), solid_until=0.0)
                x += 28
            painter.setPen(_MUTED)
            painter.drawText(QPointF(x, baseline), text)
            x += metrics.horizontalAdvance(text) + 18
        if hidden:
            painter.drawText(QPointF(x, baseline), f"{hidden} more in the list below")


def _point(painter: QPainter, centre: QPointF) -> None:
    painter.setPen(QPen(Qt.GlobalColor.white, 1.2))
    painter.setBrush(_MARK)
    painter.drawEllipse(centre, 4.2, 4.2)


def _band(painter: QPainter, band: QRectF) -> None:
    painter.setPen(QPen(_MARK, 1))
    painter.setBrush(_BAND_FILL)
    painter.drawRoundedRect(band, 2, 2)


def _fading_band(
    painter: QPainter, band: QRectF, solid_from: float | None = None, solid_until: float | None = None
) -> None:
    """A band solid up to the fraction solid_until of its width then fading out to the right,
    or fading in from the left and solid from the fraction solid_from."""
    clear = QColor(_MARK)
    clear.setAlpha(0)
    gradient = QLinearGradient(band.left(), 0, band.right(), 0)
    if solid_until is not None:
        gradient.setColorAt(0, _MARK)
        gradient.setColorAt(min(max(solid_until, 0.0), 1.0), _MARK)
        gradient.setColorAt(1, clear)
    else:
        gradient.setColorAt(0, clear)
        gradient.setColorAt(min(max(solid_from or 0.0, 0.0), 1.0), _MARK)
        gradient.setColorAt(1, _MARK)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRect(band)


def _domain(spans: list[EventSpan]) -> tuple[dt.date, dt.date]:
    """The days the axis shows: every event, a margin, and room for open ranges to fade."""
    first = min(span.start for span in spans)
    last = max(span.end for span in spans) + dt.timedelta(days=1)
    shortfall = _MIN_DOMAIN_DAYS - (last - first).days
    if shortfall > 0:  # a few close days would otherwise spread across the whole width
        first -= dt.timedelta(days=shortfall // 2)
        last += dt.timedelta(days=shortfall - shortfall // 2)
    length = (last - first).days
    open_room = dt.timedelta(days=round(length * 0.15))
    if any(span.open_start for span in spans):
        first -= open_room
    if any(span.open_end for span in spans):
        last += open_room
    margin = dt.timedelta(days=round(length * 0.04))
    return first - margin, last + margin


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Month starts inside [first, last], evenly spaced, labelled by year or by month."""
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next((s for s in _TICK_STEPS if months / s <= _MAX_TICKS), _TICK_STEPS[-1])
    index = first.year * 12 + first.month  # the month after first's, counted from January of year 0
    index += -index % step
    ticks: list[tuple[dt.date, str]] = []
    while (day := dt.date(index // 12, index % 12 + 1, 1)) <= last:
        if step >= 12:
            label = str(day.year)
        elif day.month == 1 or not ticks:
            label = f"{_MONTH_NAMES[day.month - 1]} {day.year}"
        else:
            label = _MONTH_NAMES[day.month - 1]
        ticks.append((day, label))
        index += step
    return ticks
