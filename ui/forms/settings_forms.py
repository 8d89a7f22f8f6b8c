"""Dialogs of the 设置 screen: change one setting, add or change one holiday-calendar day."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from models.workdays import DayKind
from services.core.context import AppContext
from services.reference import calendar_admin, settings_admin
from services.reference.calendar_admin import CalendarDayInfo
from services.reference.settings import SPECS
from services.reference.settings_admin import SettingRow
from ui.forms.common import HINT_COLOR, FormDialog, date_edit, set_combo_data, to_date

_DAY_KINDS = {DayKind.HOLIDAY: "节假日休息", DayKind.MAKEUP_WORKDAY: "调休上班", DayKind.LOCAL_HOLIDAY: "地方性假日"}
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def day_kind_label(kind: DayKind) -> str:
    return QCoreApplication.translate("DayKind", _DAY_KINDS[kind])


def weekday_label(day: date) -> str:
    return QCoreApplication.translate("Weekday", _WEEKDAYS[day.weekday()])


class SettingEditDialog(FormDialog):
    """Change one setting through ``settings_admin.update_setting``; ``result_value`` is the new ``SettingRow``."""

    def __init__(self, ctx: AppContext, row: SettingRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("修改设置"), parent)
        self.row = row
        name = QLabel(row.label, self)
        name.setWordWrap(True)
        name.setStyleSheet("font-weight: bold;")
        basis = QLabel(row.basis or self.tr("—"), self)
        basis.setWordWrap(True)
        default = QLabel(self.tr("（点“填入默认值”查看）") if row.kind == "mapping" else row.default_text, self)
        default.setWordWrap(True)
        self.editor: QWidget
        if row.kind == "bool":
            self.editor = QCheckBox(self.tr("是"), self)
            self.editor.setChecked(bool(row.value))
        elif row.kind == "mapping":
            self.editor = QTableWidget(0, 2, self)
            documents = row.key in settings_admin.DOCUMENT_LISTS
            self.editor.setHorizontalHeaderLabels([self.tr("办案环节"), self.tr("须制发的文书（多份用、分隔）")] if documents
                                                  else [self.tr("文书"), self.tr("代字")])
            self.editor.verticalHeader().setVisible(False)
            self.editor.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            self.editor.verticalHeader().setDefaultSectionSize(24)
            self.editor.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.editor.setColumnWidth(1, 300 if documents else 120)
            self.editor.setFixedHeight(300)
            self._fill_mapping(dict(row.value))
        else:
            self.editor = QLineEdit(str(row.value), self)
            self.editor.selectAll()
        self.editor.setObjectName("settingValue")
        form = self.new_form()
        form.addRow(self.tr("设置项"), name)
        form.addRow(self.tr("依据"), basis)
        form.addRow(self.tr("默认值"), default)
        self.add_row(form, "value", self.tr("新值"), self.editor, required=row.kind != "bool")
        self.body.addLayout(form)
        if row.key in settings_admin.DOCUMENT_LISTS:
            hint = QLabel(self.tr("双击右栏修改：写文书名称，多份用、分隔；清空则该环节不要求文书。"), self)
            hint.setStyleSheet(f"color: {HINT_COLOR};")
            self.body.addWidget(hint)
        elif row.kind == "mapping":
            hint = QLabel(self.tr("双击“代字”一栏修改；文号形如“竹综执检字〔2026〕第1号”中的“检”。"), self)
            hint.setStyleSheet(f"color: {HINT_COLOR};")
            self.body.addWidget(hint)
        if not row.local:
            warn = QLabel(self.tr("此项数值由法律、法规规定，只在法律修改后调整。"), self)
            warn.setStyleSheet("color: #b26a00;")
            warn.setWordWrap(True)
            self.body.addWidget(warn)
        self.reset_button = QPushButton(self.tr("填入默认值"), self)
        self.buttons.addButton(self.reset_button, self.buttons.ButtonRole.ResetRole)
        self.reset_button.clicked.connect(self.fill_default)
        self.finish(520)
        self.editor.setFocus()

    def _fill_mapping(self, value: dict[str, Any]) -> None:
        assert isinstance(self.editor, QTableWidget)
        self.editor.setRowCount(len(value))
        for r, (code, text) in enumerate(value.items()):
            name = QTableWidgetItem(settings_admin.mapping_label(self.row.key, code))
            name.setData(Qt.ItemDataRole.UserRole, code)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setToolTip(code)
            self.editor.setItem(r, 0, name)
            self.editor.setItem(r, 1, QTableWidgetItem(settings_admin.mapping_text(self.row.key, text)))

    def fill_default(self) -> None:
        default = SPECS[self.row.key].default
        if isinstance(self.editor, QCheckBox):
            self.editor.setChecked(bool(default))
        elif isinstance(self.editor, QTableWidget):
            self._fill_mapping(dict(default))
        elif isinstance(self.editor, QLineEdit):
            self.editor.setText(str(default))
        self._touched()

    def set_text(self, text: str, code: str = "") -> None:
        """Type into the editor (for a mapping: the 代字 of entry ``code``)."""
        if isinstance(self.editor, QTableWidget):
            for r in range(self.editor.rowCount()):
                if self.editor.item(r, 0).data(Qt.ItemDataRole.UserRole) == code:
                    self.editor.item(r, 1).setText(text)
        elif isinstance(self.editor, QLineEdit):
            self.editor.setText(text)

    def value(self) -> Any:
        if isinstance(self.editor, QCheckBox):
            return self.editor.isChecked()
        if isinstance(self.editor, QTableWidget):
            return {self.editor.item(r, 0).data(Qt.ItemDataRole.UserRole): self.editor.item(r, 1).text()
                    for r in range(self.editor.rowCount())}
        assert isinstance(self.editor, QLineEdit)
        return self.editor.text()

    def save(self) -> SettingRow:
        return settings_admin.update_setting(self.ctx.uow(), self.row.key, self.value())


class CalendarDayDialog(FormDialog):
    """Add or change one exception day; ``result_value`` is the saved ``CalendarDayInfo``."""

    def __init__(self, ctx: AppContext, day: date, existing: CalendarDayInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("修改特殊日期") if existing else self.tr("添加特殊日期"), parent)
        self.day = date_edit(self, existing.day if existing else day)
        self.day.setEnabled(existing is None)
        self.kind = QComboBox(self)
        self.kind.setObjectName("dayKind")
        for k in DayKind:
            self.kind.addItem(day_kind_label(k), k.value)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("如：春节、彝族年"))
        if existing is not None:
            set_combo_data(self.kind, existing.kind.value)
            self.name.setText(existing.name)
        else:
            set_combo_data(self.kind, DayKind.LOCAL_HOLIDAY.value)
        form = self.new_form()
        self.add_row(form, "day", self.tr("日期"), self.day, required=True)
        self.add_row(form, "kind", self.tr("安排"), self.kind, required=True)
        self.add_row(form, "name", self.tr("名称"), self.name)
        self.aliases = {"year": "day"}
        self.body.addLayout(form)
        hint = QLabel(self.tr("节假日休息和地方性假日不计入工作日；调休上班的周末计为工作日。修改后新办理的期限按新安排计算。"),
                      self)
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {HINT_COLOR};")
        self.body.addWidget(hint)
        self.finish(440)

    def save(self) -> CalendarDayInfo:
        return calendar_admin.save_calendar_day(self.ctx.uow(), to_date(self.day.date()), DayKind(self.kind.currentData()),
                                         self.name.text())
