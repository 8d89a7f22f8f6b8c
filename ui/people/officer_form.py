"""执法人员 form: register an officer, or correct one (a renewed certificate, a new phone) and 停用 / 恢复 him.

What it asks is services.people.registry.OfficerInput; the certificate's standing shown in the edit form is
services.people.certificates' (as in the officers list and the pickers).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from models.enums import Role
from models.labels import label
from services.core.context import AppContext
from services.people.registry import (
    CERT_KINDS,
    OfficerInput,
    OfficerRecord,
    officer_record,
    register_officer,
    set_officer_active,
    update_officer,
)
from services.read import queries
from ui.forms.common import FormDialog, set_combo_data
from ui.i18n import data_text
from ui.people.widgets import TONE_COLORS, ChoiceList, OptionalDateEdit

ROLES = (Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER)


class OfficerDialog(FormDialog):
    """New (``uid`` None) or edit. ``result_value`` is the officer's uid after 保存 (or 停用 / 恢复)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, uid: str | None = None) -> None:
        self.record: OfficerRecord | None = officer_record(ctx.reader(), uid) if uid else None
        super().__init__(ctx, self.tr("修改执法人员") if uid else self.tr("登记执法人员"), parent)
        self.setObjectName("officerDialog")
        self.name = QLineEdit(self)
        self.name.setMaxLength(32)
        self.gender = QComboBox(self)
        for text, value in ((self.tr("（未填）"), ""), (self.tr("男"), "男"), (self.tr("女"), "女")):
            self.gender.addItem(text, value)
        self.role = QComboBox(self)
        for role in ROLES:
            self.role.addItem(data_text(label(role)), role.value)
        self.cert_number = QLineEdit(self)
        self.cert_number.setMaxLength(32)
        self.cert_number.setPlaceholderText(self.tr("执法证上的证号"))
        self.cert_kind = QComboBox(self)
        self.cert_kind.setEditable(True)  # another kind of certificate may be typed
        self.cert_kind.addItems(list(CERT_KINDS))
        self.cert_kind.setCurrentIndex(-1)  # not assumed: the kind printed on the certificate
        kind_edit = self.cert_kind.lineEdit()
        assert kind_edit is not None  # editable: it has one
        kind_edit.setPlaceholderText(self.tr("如：行政执法证"))
        today = ctx.clock.today()
        self.issued = OptionalDateEdit(self, near=today)
        self.valid_to = OptionalDateEdit(self, empty_text=self.tr("请选择"), near=today)
        self.domains = ChoiceList(queries.domains(ctx.reader()), self)
        self.domains.setObjectName("domains")
        self.domains.setFixedHeight(120)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.tr("手机或固定电话"))
        self.id_number = QLineEdit(self)
        self.id_number.setMaxLength(18)
        self.id_number.setPlaceholderText(self.tr("可不填"))
        self.legal = QCheckBox(self.tr("具有法律职业资格（可担任法制审核人员）"), self)

        form = self.new_form()
        self.add_row(form, "name", self.tr("姓名"), self.name, required=True)
        self.add_row(form, "gender", self.tr("性别"), self.gender)
        self.add_row(form, "role", self.tr("角色"), self.role)
        self.add_row(form, "cert_number", self.tr("执法证号"), self.cert_number, required=True)
        self.add_row(form, "cert_kind", self.tr("证件种类"), self.cert_kind)
        self.add_row(form, "cert_valid_from", self.tr("发证日期"), self.issued)
        self.add_row(form, "cert_valid_to", self.tr("有效期至"), self.valid_to, required=True)
        self.add_row(form, "domains", self.tr("执法领域"), self.domains)
        self.add_row(form, "phone", self.tr("电话"), self.phone)
        self.add_row(form, "id_number", self.tr("身份证号"), self.id_number)
        self.add_row(form, "legal_qualification", "", self.legal)
        self.status = QLabel(self)
        self.status.setObjectName("certStatus")
        self.body.addLayout(form)
        self.active_button: QPushButton | None = None
        if self.record is not None:
            self._fill(self.record)
            bottom = QHBoxLayout()
            bottom.addWidget(self.status, 1)
            self.active_button = QPushButton(self.tr("恢复在岗") if not self.record.active else self.tr("停用…"), self)
            self.active_button.setObjectName("toggleActive")
            self.active_button.clicked.connect(self.toggle_active)
            bottom.addWidget(self.active_button)
            self.body.addLayout(bottom)
        self.finish(560)
        self.name.setFocus()

    def _fill(self, record: OfficerRecord) -> None:
        d = record.data
        self.name.setText(d.name)
        set_combo_data(self.gender, d.gender)
        set_combo_data(self.role, d.role.value)
        self.cert_number.setText(d.cert_number)
        self.cert_kind.setCurrentText(d.cert_kind)
        self.issued.set_value(d.cert_valid_from)
        self.valid_to.set_value(d.cert_valid_to)
        self.domains.set_checked(d.domains)
        self.phone.setText(d.phone)
        self.id_number.setText(d.id_number)
        self.legal.setChecked(d.legal_qualification)
        status = record.status
        tone = "alert" if status.alert else "warning" if status.warning else ""
        text = self.tr("证件状态（今天）：{s}").format(s=status.text) if record.active else self.tr("已停用")
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {TONE_COLORS.get(tone if record.active else 'muted', '#2e7d32')};")

    def value(self) -> OfficerInput:
        return OfficerInput(
            name=self.name.text(), cert_number=self.cert_number.text(), cert_valid_from=self.issued.value(),
            cert_valid_to=self.valid_to.value(), role=Role(self.role.currentData()), gender=self.gender.currentData(),
            id_number=self.id_number.text(), phone=self.phone.text(), legal_qualification=self.legal.isChecked(),
            cert_kind=self.cert_kind.currentText(), domains=self.domains.checked(),
        )

    def save(self) -> str:
        if self.record is None:
            return register_officer(self.ctx.uow(), self.value())
        return update_officer(self.ctx.uow(), self.record.uid, self.value())

    def toggle_active(self) -> bool:
        """停用 (after asking: his account is disabled with him) or 恢复 the officer; closes the form."""
        assert self.record is not None
        active = not self.record.active
        if not active:
            answer = QMessageBox.question(
                self, self.tr("停用执法人员"),
                self.tr("停用后，{name}不再出现在检查和办案的人员选择中，其用户账户同时停用；"
                        "已有记录中的姓名保留。确定停用吗？").format(name=self.record.data.name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        record = self.record
        return self.commit(lambda: set_officer_active(self.ctx.uow(), record.uid, active))
