"""Small pieces the people screens share: a date that may be left empty (ui/widgets/optional_date.py, shared with
the step dialogs), a choice list of domains, and the colours of a certificate's standing."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton, QWidget

from ui.item_models.paged_model import TONES as TONE_COLORS  # as the lists show a certificate's standing
from ui.widgets.optional_date import OptionalDateEdit as OptionalDateEdit  # where the people forms found it


def button(parent: QWidget, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    """A push button the tests find by ``name``, running ``slot`` when clicked."""
    b = QPushButton(text, parent)
    b.setObjectName(name)
    b.clicked.connect(lambda _checked=False: slot())
    return b


def tone_brush(tone: str) -> QBrush | None:
    color = TONE_COLORS.get(tone)
    return QBrush(QColor(color)) if color else None


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
