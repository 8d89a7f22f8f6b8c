"""A dialog built from a step's field specs (services.procedures.actions): collects values, never saves.

The caller hands the values to the step's service (docs/architecture.md §6).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.procedures.actions import FieldSpec
from services.procedures.progress import ActionOption
from ui.i18n import step_text


def tr_label(text: str) -> str:
    return QCoreApplication.translate("FieldSpec", text)


class StepDialog(QDialog):
    """One widget per field; ``value()`` returns a dict the service's ``coerce`` checks."""

    def __init__(self, title: str, fields: tuple[FieldSpec, ...], *, today: date,
                 officers: list[tuple[str, str]] | None = None, intro: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self._fields = fields
        self._widgets: dict[str, QWidget] = {}
        form = QFormLayout()
        for f in fields:
            w = self._widget_for(f, today, officers or [])
            w.setObjectName(f"field_{f.key}")
            self._widgets[f.key] = w
            text = tr_label(f.label) + ("" if f.required or f.kind == "bool" else self.tr("（选填）"))
            form.addRow(text, w)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            lab = QLabel(intro, self)
            lab.setWordWrap(True)
            layout.addWidget(lab)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _widget_for(self, f: FieldSpec, today: date, officers: list[tuple[str, str]]) -> QWidget:
        if f.kind == "date":
            w = QDateEdit(self)
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            d = f.default if isinstance(f.default, date) else today
            w.setDate(QDate(d.year, d.month, d.day))
            return w
        if f.kind == "bool":
            w = QCheckBox(self)
            w.setChecked(bool(f.default))
            return w
        if f.kind == "choice":
            w = QComboBox(self)
            if not f.required:
                w.addItem(self.tr("（不选）"), None)
            for value, text in f.choices:
                w.addItem(tr_label(text), value)
            if f.default is not None:
                w.setCurrentIndex(max(w.findData(f.default), 0))
            return w
        if f.kind == "officer":
            w = QComboBox(self)
            w.addItem(self.tr("（请选择）"), None)
            for uid, text in officers:
                w.addItem(text, uid)
            return w
        if f.kind == "officers":
            w = QListWidget(self)
            w.setMaximumHeight(140)
            for uid, text in officers:
                item = QListWidgetItem(text, w)
                item.setData(Qt.ItemDataRole.UserRole, uid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            return w
        if f.kind == "int":
            w = QSpinBox(self)
            w.setRange(0, 3650)
            w.setValue(int(f.default or 0))
            return w
        if f.kind == "longtext":
            w = QPlainTextEdit(self)
            w.setMaximumHeight(110)
            if f.default:
                w.setPlainText(str(f.default))
            return w
        w = QLineEdit(self)
        if f.default is not None:
            w.setText(str(f.default))
        if f.kind == "money":
            w.setPlaceholderText("0.00")
        return w

    def set_value(self, key: str, value: Any) -> None:
        """Fill a field programmatically (tests, and defaults computed by the caller)."""
        w = self._widgets[key]
        if isinstance(w, QDateEdit) and isinstance(value, date):
            w.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(w.findData(value), 0))
        elif isinstance(w, QListWidget):
            wanted = set(value)
            for i in range(w.count()):
                item = w.item(i)
                checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))

    def value(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self._widgets.items():
            if isinstance(w, QDateEdit):
                d = w.date()
                out[key] = date(d.year(), d.month(), d.day())
            elif isinstance(w, QCheckBox):
                out[key] = w.isChecked()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QListWidget):
                out[key] = [w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
                            if w.item(i).checkState() == Qt.CheckState.Checked]
            elif isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText().strip()
            elif isinstance(w, QSpinBox):
                out[key] = w.value()
            elif isinstance(w, QLineEdit):
                out[key] = w.text().strip()
        return out

    def show_error(self, message: str, field: str = "") -> None:
        """Keep the dialog open and say what is wrong (the service's own message)."""
        self.error.setText(message)
        self.error.show()
        if field in self._widgets:
            self._widgets[field].setFocus()


def run_step(dlg: StepDialog, perform: Callable[[dict[str, Any]], object], *, ask: bool = True) -> bool:
    """Show the dialog until the service accepts its values or the user cancels.

    A refusal (AppError) keeps the dialog open with the service's reason next to the field. With
    ``ask=False`` the caller filled the dialog already (tests, scripted use): one attempt, no loop.
    """
    while True:
        if ask and dlg.exec() != StepDialog.DialogCode.Accepted:
            return False
        try:
            perform(dlg.value())
        except AppError as exc:
            dlg.show_error(exc.message, getattr(exc, "field", ""))
            if not ask:
                return False
            continue
        return True


def step_button(option: ActionOption[Any], parent: QWidget, run: Callable[[], object]) -> QPushButton:
    """The button of one step a procedure view offers (services.procedures.progress): greyed out, with the
    service's reason as its tooltip, when the signed-in role may not do it."""
    b = QPushButton(step_text(option.label), parent)
    b.setObjectName(f"action_{option.action.value}")
    if not option.allowed:
        b.setEnabled(False)
        b.setToolTip(option.why_not)
    b.clicked.connect(lambda _=False: run())
    return b
