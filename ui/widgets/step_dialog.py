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
    QHBoxLayout,
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
from services.procedures.actions import FieldSpec, field_problems
from services.procedures.progress import ActionOption
from ui.i18n import step_text
from ui.widgets.field_checks import LeaveChecks, reserve_line, show_check
from ui.widgets.optional_date import OptionalDateEdit
from ui.widgets.status_line import ERROR_COLOR

HINT_COLOR = "#666666"


def tr_label(text: str) -> str:
    return QCoreApplication.translate("FieldSpec", text)


class StepDialog(QDialog):
    """One widget per field; ``value()`` returns a dict the service's ``coerce`` checks.

    The asterisk of a field is ``FieldSpec.is_required`` of the values on screen (it follows the choice a
    conditional field depends on), so it marks exactly what ``coerce`` refuses empty. Nothing that states a fact
    starts filled in: attestations unticked, verdicts and choices on “（请选择）”, optional dates empty. Each field
    has a message line of its own, reserved so that nothing moves when a message appears; text that prints in a
    document shows a counter against its limit (``FieldSpec.limit``).
    """

    def __init__(self, title: str, fields: tuple[FieldSpec, ...], *, today: date,
                 officers: list[tuple[str, str]] | None = None, intro: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._fields = fields
        self._widgets: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self._messages: dict[str, QLabel] = {}
        self._counters: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in fields:
            w = self._widget_for(f, today, officers or [])
            w.setObjectName(f"field_{f.key}")
            self._widgets[f.key] = w
            lab = QLabel(self)
            lab.setObjectName(f"label_{f.key}")
            lab.setWordWrap(True)
            lab.setBuddy(w)
            self._labels[f.key] = lab
            form.addRow(lab, self._field_box(f, w))
        self.error = QLabel(self)
        self.error.setObjectName("stepError")
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro, self)
        self.intro.setObjectName("stepIntro")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.intro.setVisible(bool(intro))
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._update_markers()
        self._leave_checks = LeaveChecks(self, self.check_field, lambda k: self.message(k).startswith("✗"))
        for key, w in self._widgets.items():
            self._leave_checks.watch(key, w)

    # -- checking: a field when it is left (ui/widgets/field_checks.py), all of them on 确定 -----------------

    def check_field(self, key: str) -> bool:
        """Check one field as the service will (FieldSpec rules): red under it when wrong, a green tick when a
        problem shown there was put right, nothing for a field that was never wrong."""
        spec = next(f for f in self._fields if f.key == key)
        problem = field_problems((spec,), StepDialog.value(self)).get(key, "")
        show_check(self._messages[key], problem)
        return not problem

    def problems(self) -> dict[str, str]:
        """Every field's problem at once, shown under each; the cursor goes to the first."""
        # The fields of this dialog only (a subclass's value() may add what the service checks itself).
        found = field_problems(self._fields, StepDialog.value(self))
        for key in self._widgets:
            if key in found or self.message(key).startswith("✗"):
                self.check_field(key)
        if found:
            self._widgets[next(iter(found))].setFocus()
        return found

    def accept(self) -> None:
        """确定: the service is only asked once every field passes its own check."""
        if not self.problems():
            super().accept()

    # -- building ----------------------------------------------------------------------------------------

    def _field_box(self, f: FieldSpec, w: QWidget) -> QWidget:
        """The input with its reserved message line (and its counter, for text that prints)."""
        box = QWidget(self)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        v.addWidget(w)
        line = QHBoxLayout()
        msg = QLabel(box)
        msg.setObjectName(f"msg_{f.key}")
        msg.setWordWrap(True)
        reserve_line(msg)
        self._messages[f.key] = msg
        line.addWidget(msg, 1)
        if f.limit is not None:
            counter = QLabel(box)
            counter.setObjectName(f"count_{f.key}")
            counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self._counters[f.key] = counter
            line.addWidget(counter)
            self._count(f)
            if isinstance(w, QPlainTextEdit):
                w.textChanged.connect(lambda f=f: self._count(f))
            elif isinstance(w, QLineEdit):
                w.textChanged.connect(lambda _t, f=f: self._count(f))
        v.addLayout(line)
        if isinstance(w, QComboBox):  # a conditional field's asterisk follows this choice
            w.currentIndexChanged.connect(lambda _i: self._update_markers())
        return box

    def _count(self, f: FieldSpec) -> None:
        w = self._widgets.get(f.key)
        text = w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text() if isinstance(w, QLineEdit) else ""
        n, limit = len(text.strip()), f.limit or 0
        counter = self._counters[f.key]
        counter.setText(f"{n}/{limit}")
        counter.setStyleSheet(f"color: {ERROR_COLOR if n > limit else HINT_COLOR};")

    def _update_markers(self) -> None:
        values = StepDialog.value(self) if len(self._widgets) == len(self._fields) else {}
        for f in self._fields:
            lab = self._labels.get(f.key)
            if lab is None:
                continue
            text = tr_label(f.label)
            lab.setText(f"<span style='color:{ERROR_COLOR}'>*</span>{text}" if f.is_required(values) else text)
            if f.help:
                lab.setToolTip(tr_label(f.help))

    def required_keys(self) -> set[str]:
        """The fields marked required now (tests compare them with what the service refuses)."""
        values = StepDialog.value(self)
        return {f.key for f in self._fields if f.is_required(values)}

    def _widget_for(self, f: FieldSpec, today: date, officers: list[tuple[str, str]]) -> QWidget:
        if f.kind == "date" and not f.required:
            # An optional date starts empty (“（不填）”, read as None); its calendar opens on today's month.
            return OptionalDateEdit(self, empty_text=self.tr("（不填）"), near=today)
        if f.kind == "date":
            day = QDateEdit(self)
            day.setCalendarPopup(True)
            day.setDisplayFormat("yyyy-MM-dd")
            d = f.default if isinstance(f.default, date) else today
            day.setDate(QDate(d.year, d.month, d.day))
            return day
        if f.kind == "bool":
            box = QCheckBox(self)
            box.setChecked(bool(f.default))
            return box
        if f.kind in ("choice", "officer"):
            combo = QComboBox(self)
            if f.kind == "officer" or (f.required and f.required_when is None and f.default is None):
                combo.addItem(self.tr("（请选择）"), None)
            elif not f.required or f.required_when is not None:
                combo.addItem(self.tr("（不选）"), None)
            items = f.choices if f.kind == "choice" else tuple((uid, text) for uid, text in officers)
            for value, text in items:
                combo.addItem(tr_label(text) if f.kind == "choice" else text, value)
            if f.default is not None:
                combo.setCurrentIndex(max(combo.findData(f.default), 0))
            return combo
        if f.kind == "officers":
            checks = QListWidget(self)
            checks.setMaximumHeight(140)
            for uid, text in officers:
                item = QListWidgetItem(text, checks)
                item.setData(Qt.ItemDataRole.UserRole, uid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            return checks
        if f.kind == "int":
            spin = QSpinBox(self)
            spin.setRange(0, 3650)
            spin.setValue(int(f.default or 0))
            return spin
        if f.kind == "longtext":
            text_edit = QPlainTextEdit(self)
            text_edit.setMaximumHeight(96)
            if f.default:
                text_edit.setPlainText(str(f.default))
            return text_edit
        line = QLineEdit(self)
        if f.default is not None:
            line.setText(str(f.default))
        if f.kind == "money":
            line.setPlaceholderText("0.00")
        return line

    def set_value(self, key: str, value: Any) -> None:
        """Fill a field programmatically (tests, and defaults computed by the caller)."""
        w = self._widgets[key]
        if isinstance(w, QDateEdit):
            if isinstance(value, date):
                w.setDate(QDate(value.year, value.month, value.day))
            elif value is None:
                w.setDate(w.minimumDate())
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
                empty = bool(w.specialValueText()) and d == w.minimumDate()
                out[key] = None if empty else date(d.year(), d.month(), d.day())
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

    def message(self, key: str) -> str:
        """The message under field ``key`` ('' when none) — what the user sees."""
        return self._messages[key].text()

    def show_error(self, message: str, field: str = "") -> None:
        """Keep the dialog open and say what is wrong (the service's own message), under the field it names."""
        for msg in self._messages.values():
            msg.setText("")
        if field in self._widgets:
            msg = self._messages[field]
            msg.setStyleSheet(f"color: {ERROR_COLOR};")
            msg.setText("✗ " + message)
            self.error.hide()
            self._widgets[field].setFocus()
        else:
            self.error.setText(message)
            self.error.show()


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
