"""The "This Date Means…" dialog: a date and how precise it is, for a phrase of the text."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from briefing_app.core.datecorrections import value_for

PRECISION_NAMES = {"day": "Day", "month": "Month", "quarter": "Quarter", "year": "Year"}


class DateCorrectionDialog(QDialog):
    def __init__(
        self, phrase: str, value: str | None, granularity: str | None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle("This Date Means")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.precision = QComboBox()
        for key, name in PRECISION_NAMES.items():
            self.precision.addItem(name, key)
        # Imported here: the window imports this module at start; the rules load on first use.
        from briefing_app.core.extract.events import value_sort_key

        known = value_sort_key(value)
        start = (
            dt.date(known[0], known[1] or 1, known[2] or 1) if known and known[0] >= 1 else dt.date.today()
        )
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        if granularity in PRECISION_NAMES:
            self.precision.setCurrentIndex(list(PRECISION_NAMES).index(granularity))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        quoted = QLabel(f"“{' '.join(phrase.split())}” means:")
        quoted.setWordWrap(True)
        layout.addRow(quoted)
        layout.addRow("Date", self.date_edit)
        layout.addRow("Precision", self.precision)
        layout.addRow(buttons)

    def chosen(self) -> tuple[str, str]:
        """(TIMEX value, precision) of what the dialog shows."""
        day = self.date_edit.date().toPython()
        assert isinstance(day, dt.date)
        precision = str(self.precision.currentData())
        return value_for(day, precision), precision


def ask_date(
    parent: QWidget | None, phrase: str, value: str | None, granularity: str | None
) -> tuple[str, str] | None:
    """(value, precision) the analyst gives the phrase, or None when they cancel."""
    dialog = DateCorrectionDialog(phrase, value, granularity, parent)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
