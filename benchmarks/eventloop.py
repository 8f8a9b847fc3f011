"""How long the window's event loop went without running, as the benchmarks measure stalls:
a 10 ms timer, and the time between its ticks."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer


class EventLoopGaps:
    """Records the gaps between ticks of a 10 ms timer while it runs (in ms); a gap far over
    10 ms is a stall: something held the window's thread."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer(interval=10)
        self._timer.timeout.connect(lambda: self.gaps.append(self._clock.restart()))

    def start(self) -> None:
        self.gaps.clear()
        self._clock.start()
        self._timer.start()

    def restart(self) -> None:
        """Forget the gaps so far, the timer running on: the next stretch is measured apart."""
        self.gaps.clear()
        self._clock.restart()

    def stop(self) -> None:
        self._timer.stop()

    def longest(self) -> float:
        return max(self.gaps) if self.gaps else 0.0
