"""Checking a field when the user leaves it (issue 13, 6): shared by the step dialogs and the record forms.

A field is checked when focus leaves it (not on every keystroke, not when a combo box opens its list or another
window comes to the front); while it shows a problem each edit checks it again, so the message turns into a green
“已改正” as soon as the value is right. What a field's problem is stays the caller's (the services' rules); this
module only decides when to ask and how the answer is shown, in the message line reserved under the field.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from ui.widgets.status_line import ERROR_COLOR, OK_COLOR

# Focus that goes to a combo box's list or to another window has not left the field.
_STAYING = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


def reserve_line(msg: QLabel, lines: int = 1) -> None:
    """The message line keeps its height (``lines`` lines: a field in a narrow column has long messages) while
    empty: a message appearing never moves what is below."""
    msg.setMinimumHeight(lines * msg.fontMetrics().lineSpacing())
    msg.show()


def show_check(msg: QLabel, problem: str) -> None:
    """A problem in red; a problem shown there and now put right in green; a field never wrong says nothing."""
    if problem:
        msg.setStyleSheet(f"color: {ERROR_COLOR};")
        msg.setText("✗ " + problem)
        msg.show()
    elif msg.text().startswith("✗"):
        msg.setStyleSheet(f"color: {OK_COLOR};")
        msg.setText("✓ " + QCoreApplication.translate("FieldChecks", "已改正"))


class LeaveChecks(QObject):
    """Calls ``check(key)`` when focus leaves a watched field (or any part of it: a party picker's line, a date
    and time pair) and, while ``showing_problem(key)``, after each edit of it."""

    def __init__(self, parent: QObject, check: Callable[[str], object],
                 showing_problem: Callable[[str], bool]) -> None:
        super().__init__(parent)
        self._check = check
        self._showing_problem = showing_problem
        self._keys: dict[QObject, str] = {}

    def watch(self, key: str, field: QWidget) -> None:
        """Watch ``field`` and every part of it; again after parts were added (the new ones are watched)."""
        def recheck(*_args: object) -> None:
            if self._showing_problem(key):
                self._check(key)

        for w in (field, *field.findChildren(QWidget)):
            if w in self._keys:
                continue  # watched already (a field watched again after rows were added to it)
            self._keys[w] = key
            if w.focusPolicy() != Qt.FocusPolicy.NoFocus:
                w.installEventFilter(self)
            if isinstance(w, QLineEdit):
                w.textEdited.connect(recheck)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(recheck)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(recheck)
            elif isinstance(w, QCheckBox):
                w.toggled.connect(recheck)
            elif isinstance(w, QAbstractSpinBox):
                w.editingFinished.connect(recheck)
            elif isinstance(w, (QListWidget, QTableWidget)):
                w.itemChanged.connect(recheck)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent) and event.reason() not in _STAYING:
            key = self._keys.get(watched)
            if key is not None:
                self._check(key)
        return False
