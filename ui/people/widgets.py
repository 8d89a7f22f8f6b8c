"""Small pieces the people screens share: a date that may be left empty, a choice list of domains, and the
colours of a certificate's standing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateEdit, QListWidget, QListWidgetItem, QPushButton, QSizePolicy, QWidget

from ui.item_models.paged_model import TONES as TONE_COLORS  # as the lists show a certificate's standing

_EMPTY = QDate(1900, 1, 1)  # the special value: shown as the empty text, read as None


def button(parent: QWidget, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    """A push button the tests find by ``name``, running ``slot`` when clicked."""
    b = QPushButton(text, parent)
    b.setObjectName(name)
    b.clicked.connect(lambda _checked=False: slot())
    return b


def tone_brush(tone: str) -> QBrush | None:
    color = TONE_COLORS.get(tone)
    return QBrush(QColor(color)) if color else None


class OptionalDateEdit(QDateEdit):
    """A date the user may leave empty: it starts empty (nothing that states a fact is pre-filled) and ``value()``
    is None until a date is chosen. Clicking it or typing in it starts from ``near`` (default: today), not from the
    empty marker's year; Delete empties it again."""

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
            near = self._near or date.today()
            self.setDate(QDate(near.year, near.month, near.day))
            self.setSelectedSection(QDateEdit.Section.YearSection)  # typing starts with the year

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._start_near()  # the calendar opens on this month
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Delete:
            self.set_value(None)
            return
        self._start_near()
        super().keyPressEvent(event)


class ChoiceList(QListWidget):
    """Checkable texts (执法领域): ``checked()`` in the order offered."""

    def __init__(self, choices: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlternatingRowColors(True)
        for text in choices:
            item = QListWidgetItem(text, self)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)

    def checked(self) -> tuple[str, ...]:
        return tuple(self.item(i).text() for i in range(self.count())
                     if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_checked(self, texts: Iterable[str]) -> None:
        wanted = set(texts)
        for missing in wanted - {self.item(i).text() for i in range(self.count())}:
            # A domain no longer in the catalogue stays visible (and ticked) rather than silently dropped.
            item = QListWidgetItem(missing, self)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in wanted else Qt.CheckState.Unchecked)
