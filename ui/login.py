"""First-run wizard (township, squad, first administrator) and the login dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.enums import DeviceKind
from services.accounts import UserInfo, check_password_strength, login
from services.context import AppContext
from services.errors import AppError, ValidationError
from services.setup import SetupResult, initialise


class FirstRunDialog(QDialog):
    """Creates the township, squad, this device's identity and the first administrator (services.setup)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: SetupResult | None = None
        self.setWindowTitle(self.tr("首次使用：初始化本机"))
        self.setMinimumWidth(460)
        self.township = QLineEdit(self)
        self.township.setPlaceholderText(self.tr("如：竹根镇"))
        self.district = QLineEdit(self)
        self.district.setPlaceholderText(self.tr("如：乐山市五通桥区"))
        self.squad = QLineEdit(self)
        self.squad.setPlaceholderText(self.tr("如：竹根镇综合行政执法中队"))
        self.prefix = QLineEdit(self)
        self.prefix.setPlaceholderText(self.tr("文书机关代字，如：竹综执（可不填）"))
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("乡镇办公室主机"), DeviceKind.OFFICE.value)
        self.kind.addItem(self.tr("外勤笔记本"), DeviceKind.FIELD.value)
        self.admin = QLineEdit("admin", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit(self)
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("乡镇名称"), self.township)
        form.addRow(self.tr("所属区县"), self.district)
        form.addRow(self.tr("执法中队"), self.squad)
        form.addRow(self.tr("文书代字"), self.prefix)
        form.addRow(self.tr("本机用途"), self.kind)
        form.addRow(self.tr("管理员用户名"), self.admin)
        form.addRow(self.tr("管理员密码"), self.password)
        form.addRow(self.tr("再次输入密码"), self.password2)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("完成初始化"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        intro = QLabel(self.tr("欢迎使用乡镇综合执法工作台。请填写本乡镇的基本信息并设置管理员密码（至少8位，含字母和数字）。"
                               "节假日安排和赋权事项清单将自动载入。"), self)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> bool:
        try:
            if self.password.text() != self.password2.text():
                raise ValidationError("两次输入的密码不一致", field="password2")
            check_password_strength(self.password.text())
            self.result_value = initialise(
                self.ctx.db, self.ctx.uow(), township=self.township.text(), squad=self.squad.text(),
                district=self.district.text().strip(), doc_prefix=self.prefix.text().strip(),
                device_kind=DeviceKind(self.kind.currentData()), admin_username=self.admin.text().strip(),
                admin_password=self.password.text(),
            )
        except AppError as exc:
            self.error.setText(exc.message)
            return False
        self.accept()
        return True


class LoginDialog(QDialog):
    def __init__(self, ctx: AppContext, *, last_user: str = "", on_login: Callable[[UserInfo], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user: UserInfo | None = None
        self._on_login = on_login
        self.setWindowTitle(self.tr("登录"))
        self.username = QLineEdit(last_user, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if last_user else self.username).setFocus()

    def submit(self) -> bool:
        try:
            self.user = login(self.ctx.uow(), self.username.text(), self.password.text())
        except AppError as exc:
            self.error.setText(exc.message)
            self.password.clear()
            return False
        if self._on_login is not None:
            self._on_login(self.user)
        self.accept()
        return True
