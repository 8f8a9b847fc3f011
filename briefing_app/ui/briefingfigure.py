"""A briefing's timeline figure: timelinefigure's drawing, with each row labelled by the
event's date and a short label of it (so the figure reads without the list below), painted as
vectors straight onto the page (a PDF keeps lines and text, no raster image is held).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter

from briefing_app.core.export.briefing import event_when, short_event_label
from briefing_app.core.model import Event
from briefing_app.core.timeaxis import EventSpan, event_span
from briefing_app.ui.timelinefigure import (
    _AXIS_HEIGHT,
    _INK,
    _LEGEND_HEIGHT,
    _MUTED,
    _ROW_HEIGHT,
    _ROW_SHADE,
    _SIDE_PADDING,
    MAX_ROWS,
    _Drawing,
    _font,
)

LABEL_SHARE = 0.5  # of the figure's width, for the rows' date and label


def dated_rows(events: Sequence[Event]) -> list[tuple[Event, EventSpan]]:
    return [(event, span) for event in events if (span := event_span(event)) is not None]


@dataclass(frozen=True)
class FigureRows:
    """What a figure shows of its events, worked out once: the layout asks a figure's size
    several times per layout and the page draws it, and an event's span is not cheap."""

    rows: tuple[tuple[Event, EventSpan], ...]  # the dated events the figure has a row for
    hidden: int  # dated events past MAX_ROWS (the list below the figure has them)

    @classmethod
    def of(cls, events: Sequence[Event]) -> FigureRows:
        rows = dated_rows(events)
        return cls(tuple(rows[:MAX_ROWS]), max(0, len(rows) - MAX_ROWS))

    @property
    def height(self) -> float:
        """The figure's height in logical pixels (96 per inch); 0 when no event has a date."""
        count = len(self.rows)
        return _AXIS_HEIGHT + count * _ROW_HEIGHT + _AXIS_HEIGHT + _LEGEND_HEIGHT if count else 0.0


def figure_height(events: Sequence[Event]) -> float:
    """The figure's height in logical pixels (96 per inch); 0 when no event has a date."""
    return FigureRows.of(events).height


def paint_timeline(painter: QPainter, events: Sequence[Event] | FigureRows, width: float) -> None:
    """Paint the figure of the dated events at the painter's origin, `width` logical pixels
    wide (the painter scaled to the page's resolution)."""
    figure = events if isinstance(events, FigureRows) else FigureRows.of(events)
    if not figure.rows:
        return
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        drawing = _LabelledDrawing(painter, width, [span for _, span in figure.rows])
        drawing.events = [event for event, _ in figure.rows]
        drawing.draw([event_when(event) for event, _ in figure.rows], figure.hidden)
    finally:
        painter.restore()


def timeline_image(events: Sequence[Event], width: float, scale: float = 2.0) -> QImage | None:
    """The same figure as an image, for an ODT (its writer embeds images only)."""
    height = figure_height(events)
    if not height:
        return None
    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        paint_timeline(painter, events, width)
    finally:
        painter.end()
    return image


class _LabelledDrawing(_Drawing):
    """Rows labelled "2023-09-06  Lavrov met the ministers…" in a wider label column."""

    events: list[Event]

    def __init__(self, painter: QPainter, width: float, spans: list[EventSpan]) -> None:
        super().__init__(painter, width, spans)
        self.label_width = width * LABEL_SHARE
        self.plot_left = _SIDE_PADDING + self.label_width

    def _legend(self, hidden: int) -> None:
        """From the figure's left: under the wide label column it would run past the right."""
        plot_left, self.plot_left = self.plot_left, _SIDE_PADDING
        try:
            super()._legend(hidden)
        finally:
            self.plot_left = plot_left

    def _rows(self, labels: list[str]) -> None:
        painter = self.painter
        when_font = _font(10)
        when_font.setWeight(QFont.Weight.Bold)
        label_font = _font(10)
        when_width = max(QFontMetricsF(when_font).horizontalAdvance(when) for when in labels) + 8
        metrics = QFontMetricsF(label_font)
        for row, (when, event) in enumerate(zip(labels, self.events, strict=True)):
            top = self.rows_top + row * _ROW_HEIGHT
            if row % 2 == 0:
                painter.fillRect(QRectF(0, top, self.width, _ROW_HEIGHT), _ROW_SHADE)
            middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.setPen(_MUTED)
            painter.setFont(when_font)
            painter.drawText(QRectF(_SIDE_PADDING, top, when_width, _ROW_HEIGHT), middle, when)
            painter.setPen(_INK)
            painter.setFont(label_font)
            room = self.label_width - when_width - 10
            text = metrics.elidedText(short_event_label(event), Qt.TextElideMode.ElideRight, room)
            painter.drawText(QRectF(_SIDE_PADDING + when_width, top, room, _ROW_HEIGHT), middle, text)
