"""A date the user may leave empty (the people forms' dates, the step dialogs' optional dates)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateEdit, QSizePolicy, QWidget

_EMPTY = QDate(1900, 1, 1)  # the special value: shown as the empty text, read as None


class OptionalDateEdit(QDateEdit):
    """A date the user may leave empty: it starts empty (nothing that states a fact is pre-filled) and ``value()``
    is None until a date is chosen. Its calendar opens on the month of ``near`` (the caller passes the app clock's
    today), and typing in it starts from that day, not from the empty marker's year; Delete empties it again."""

    def __init__(self, parent: QWidget | None = None, *, empty_text: str = "", near: date | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_EMPTY)
        self.setSpecialValueText(empty_text or self.tr("未填写"))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(130)
        self._near = near
        self.set_value(None)

    def value(self) -> date | None:
        d = self.date()
        return None if d == _EMPTY else date(d.year(), d.month(), d.day())

    def set_value(self, day: date | None) -> None:
        self.setDate(_EMPTY if day is None else QDate(day.year, day.month, day.day))

    def _start_near(self) -> None:
        if self.value() is None:
            near = self.near()
            self.setDate(QDate(near.year, near.month, near.day))
            self.setSelectedSection(QDateEdit.Section.YearSection)  # typing starts with the year

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mousePressEvent(event)
        calendar = self.calendarWidget()
        if self.value() is None and calendar is not None and calendar.isVisible():
            near = self.near()  # the calendar opens on this month; nothing is filled in until a day is picked
            calendar.setCurrentPage(near.year, near.month)

    def near(self) -> date:
        return self._near or date.today()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Delete:
            self.set_value(None)
            return
        self._start_near()
        super().keyPressEvent(event)
