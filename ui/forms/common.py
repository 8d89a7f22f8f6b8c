"""Shared pieces of the record forms: a dialog that shows service errors next to the field, and small helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from models.column_rules import money_problem
from services.core.context import AppContext
from services.core.errors import AppError, ValidationError
from services.read.queries import OfficerChoice
from ui.item_models.paged_model import TONES
from ui.widgets.field_checks import LeaveChecks, reserve_line, show_check
from ui.widgets.status_line import ERROR_COLOR, OK_COLOR

__all__ = ["ERROR_COLOR", "HINT_COLOR", "OK_COLOR", "FormDialog", "OfficerChecklist"]

HINT_COLOR = "#666666"


def to_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def to_datetime(q: QDateTime, tz: tzinfo | None) -> datetime:
    """A QDateTimeEdit's wall-clock value as an aware datetime in the clock's zone (Beijing time)."""
    d, t = q.date(), q.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=tz)


def to_qdatetime(dt: datetime) -> QDateTime:
    return QDateTime(QDate(dt.year, dt.month, dt.day), QTime(dt.hour, dt.minute))


def date_edit(parent: QWidget, value: date) -> QDateEdit:
    w = QDateEdit(parent)
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd")
    w.setDate(to_qdate(value))
    w.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return w


def datetime_edit(parent: QWidget, value: datetime) -> QDateTimeEdit:
    w = QDateTimeEdit(parent)
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd HH:mm")
    w.setDateTime(to_qdatetime(value))
    w.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return w


def parse_money(text: str, field: str, *, required: bool = True) -> Decimal | None:
    """A yuan amount typed by the user (“1,200.50”, “１２００”); ValidationError names ``field``."""
    cleaned = "".join(text.split()).replace(",", "").replace("，", "").replace("元", "")
    cleaned = cleaned.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if not cleaned:
        if required:
            raise ValidationError("请填写金额", field=field)
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError("金额应为数字，如 200 或 1200.50", field=field) from exc
    problem = money_problem(value)  # the stored column's rule, as imports check it (models/column_rules.py)
    if problem:
        raise ValidationError(problem, field=field)
    return value


def set_combo_data(combo: QComboBox, value: Any) -> None:
    i = combo.findData(value)
    if i >= 0:
        combo.setCurrentIndex(i)


class FormDialog(QDialog):
    """A record form. ``save()`` builds the input value and calls the service; an ``AppError`` keeps the dialog
    open and is shown under the field it names (``ValidationError.field``) or above the buttons.

    Subclasses build rows with ``add_row`` and implement ``save``; ``result_value`` holds what ``save`` returned.
    """

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.result_value: Any = None
        self._inputs: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._leave_checks: LeaveChecks | None = None
        self.watched: set[str] = set()  # fields checked when left; their message lines keep their height
        self.aliases: dict[str, str] = {}  # service field name -> form key, where they differ
        self._dirty = False
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("保存(&S)"))
        self.ok_button.setShortcut("Ctrl+S")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)

    # -- building ----------------------------------------------------------------------------------------

    @staticmethod
    def new_form() -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        return form

    def field(self, key: str, widget: QWidget) -> QWidget:
        """Wrap ``widget`` with the inline message line under it; registers ``key`` for error display."""
        box = QWidget(self)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        v.addWidget(widget)
        msg = QLabel(box)
        msg.setObjectName(f"msg_{key}")
        msg.setWordWrap(True)
        msg.hide()
        v.addWidget(msg)
        widget.setObjectName(widget.objectName() or f"field_{key}")
        self._inputs[key] = widget
        self._errors[key] = msg
        return box

    def add_row(self, form: QFormLayout, key: str, text: str, widget: QWidget, *, required: bool = False) -> QWidget:
        box = self.field(key, widget)
        lab = QLabel(self.required_text(text) if required else text, self)
        lab.setObjectName(f"label_{key}")
        lab.setBuddy(widget)
        if isinstance(widget, (QPlainTextEdit, QListWidget, QTableWidget)):
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            lab.setContentsMargins(0, 4, 0, 0)
        form.addRow(lab, box)
        return box

    @staticmethod
    def required_text(text: str) -> str:
        return f"<span style='color:{ERROR_COLOR}'>*</span>{text}"

    def input(self, key: str) -> QWidget:
        return self._inputs[key]

    def set_row_visible(self, form: QFormLayout, key: str, visible: bool) -> None:
        form.setRowVisible(self._inputs[key].parentWidget(), visible)
        if not visible:
            self.set_message(key, None)

    def check_on_leave(self, *keys: str, lines: int = 1) -> None:
        """Check these fields when they are left, as the step dialogs do (ui/widgets/field_checks.py), with the
        form's own rules (``form_problems``); their message lines keep their height so nothing moves."""
        if self._leave_checks is None:
            self._leave_checks = LeaveChecks(self, self.check_field, lambda k: self.message(k).startswith("✗"))
        for key in keys:
            msg = self._errors[key]
            reserve_line(msg, lines)
            self.watched.add(key)
            box = msg.parentWidget()  # the field's box: every part of it (a date and a time, a picker and its button)
            self._leave_checks.watch(key, box if box is not None else self._inputs[key])

    def finish(self, min_width: int = 520) -> None:

        """Add the message line and buttons, size the dialog and start tracking unsaved input."""
        self.body.addWidget(self.error)
        self.body.addWidget(self.buttons)
        self.setMinimumWidth(min_width)
        self._watch(self)
        self._dirty = False

    # -- messages ----------------------------------------------------------------------------------------

    def set_message(self, key: str, ok: bool | None, text: str = "") -> None:
        """Show a green (ok=True) or red (ok=False) line under field ``key``; ok=None clears it."""
        msg = self._errors[key]
        if ok is None or not text:
            msg.setText("")
            msg.setVisible(key in self.watched)
            return
        color = OK_COLOR if ok else ERROR_COLOR
        msg.setStyleSheet(f"color: {color};")
        msg.setText(("✓ " if ok else "✗ ") + text)
        msg.show()

    def message(self, key: str) -> str:
        """The text under field ``key`` ('' when hidden) — what the user sees (tests read it)."""
        msg = self._errors[key]
        return msg.text() if not msg.isHidden() else ""

    def clear_errors(self) -> None:
        for key, msg in self._errors.items():
            if msg.text().startswith("✗"):
                self.set_message(key, None)
        self.error.hide()
        self.error.setText("")

    def show_error(self, exc: AppError) -> None:
        field = getattr(exc, "field", "") or ""
        key = self.aliases.get(field, field)
        if key in self._errors and self._inputs[key].isVisibleTo(self):
            self.set_message(key, False, exc.message)
            self._inputs[key].setFocus()
        else:
            self.error.setText(exc.message)
            self.error.show()

    # -- checking: a field when it is left, all of them on 保存 --------------------------------------------------

    def form_problems(self) -> dict[str, str]:
        """Every problem the services' rules find in what the form shows (field -> message, in the form's order),
        without saving; forms that check fields when they are left override it. 保存 asks the service again."""
        return {}

    def problems(self) -> dict[str, str]:
        """``form_problems`` by form key (``aliases`` applied); a form that cannot even be read names why."""
        try:
            found = self.form_problems()
        except AppError as exc:
            found = {getattr(exc, "field", "") or "": exc.message}
        out: dict[str, str] = {}
        for field, message in found.items():
            out.setdefault(self.aliases.get(field, field), message)
        return out

    def check_field(self, key: str) -> bool:
        """Check one field with the form's rules: red under it when wrong, green once a shown problem is put right."""
        problem = self.problems().get(key, "") if self._inputs[key].isEnabled() else ""
        show_check(self._errors[key], problem)
        self._fit_messages()
        return not problem

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_messages()  # tall enough from the start: a message in its reserved line then moves nothing

    def _fit_messages(self) -> None:
        """Grow the dialog (never shrink it) when a message wraps beyond its reserved line: a window's minimum
        height ignores wrapped text, and the fields would be squeezed over each other instead."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        need = self.heightForWidth(self.width())
        if need > self.height():
            self.resize(self.width(), need)

    def show_problems(self, found: dict[str, str]) -> None:
        """Every problem at once, each under its field (or above the buttons); the cursor in the first field."""
        first: QWidget | None = None
        general: list[str] = []
        for key, message in found.items():
            if key in self._errors and self._inputs[key].isVisibleTo(self):
                show_check(self._errors[key], message)
                first = first or self._inputs[key]
            else:
                general.append(message)
        if general:
            self.error.setText("\n".join(general))
            self.error.show()
        self._fit_messages()
        if first is not None:
            first.setFocus()

    # -- saving ------------------------------------------------------------------------------------------

    def save(self) -> Any:  # pragma: no cover - every form implements it
        raise NotImplementedError

    def submit(self) -> bool:
        """OK: every problem the form's rules find is listed at once; then the service is called, and an AppError
        keeps the dialog open with the message, nothing saved."""
        self.clear_errors()
        found = self.problems()
        if found:
            self.show_problems(found)
            return False
        return self.commit(self.save)

    def commit(self, action: Callable[[], Any]) -> bool:
        """Run ``action`` (a service call) as the form's result and close; an AppError keeps the form open."""
        self.clear_errors()
        try:
            self.result_value = action()
        except AppError as exc:
            self.show_error(exc)
            return False
        self._dirty = False
        self.accept()
        return True

    # -- unsaved input -----------------------------------------------------------------------------------

    def _touched(self, *_args: object) -> None:
        self._dirty = True

    def _watch(self, root: QWidget) -> None:
        for w in root.findChildren(QWidget):
            if isinstance(w, QLineEdit):
                w.textEdited.connect(self._touched)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self._touched)
            elif isinstance(w, QComboBox):
                w.activated.connect(self._touched)
            elif isinstance(w, QCheckBox):
                w.clicked.connect(self._touched)
            elif isinstance(w, (QAbstractSpinBox, QSpinBox)):
                w.editingFinished.connect(self._touched)
            elif isinstance(w, (QTableWidget, QListWidget)):
                w.itemChanged.connect(self._touched)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(self, self.tr("放弃输入"), self.tr("已填写的内容尚未保存，确定要放弃吗？"),
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        """Esc / 取消: never lose typed input silently."""
        if self._dirty and not self.confirm_discard():
            return
        super().reject()


class OfficerChecklist(QListWidget):
    """Checkable officers (uid in UserRole); reloading keeps the ticks of officers still offered.

    ``set_officers`` shows each officer's certificate standing as the 执法人员 list does (red: cannot take part on
    the record's day, and cannot be ticked; amber: due for renewal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officers")
        self.setAlternatingRowColors(True)

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        keep = set(self.checked_uids())
        self.blockSignals(True)
        self.clear()
        for uid, text in choices:
            item = QListWidgetItem(text, self)
            item.setData(Qt.ItemDataRole.UserRole, uid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if uid in keep else Qt.CheckState.Unchecked)
        self.blockSignals(False)

    def set_officers(self, picks: list[OfficerChoice]) -> None:
        self.set_choices([(p.uid, p.text) for p in picks])
        by_uid = {p.uid: p for p in picks}
        self.blockSignals(True)  # not the user's input: the form must not count it as unsaved
        for i in range(self.count()):
            item = self.item(i)
            pick = by_uid[item.data(Qt.ItemDataRole.UserRole)]
            if not pick.usable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            tone = "alert" if pick.status.alert or not pick.usable else "warning" if pick.status.warning else ""
            if tone:
                item.setForeground(QBrush(QColor(TONES[tone])))
        self.blockSignals(False)

    def checked_uids(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, uids: list[str]) -> None:
        wanted = set(uids)
        for i in range(self.count()):
            item = self.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in wanted and bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
