"""First-run wizard (township, squad, first administrator) and the login dialog.

Importing this module loads Qt only: the login dialog is shown at start-up before the ORM has been imported
(ui/app.py), so the services it calls are imported when they are first needed, not at module level.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QApplication,
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
from services.errors import AppError, ValidationError

if TYPE_CHECKING:
    from services.accounts import UserInfo
    from services.context import AppContext
    from services.setup import SetupResult

# Checks a user name and password; returns the account or raises AppError with the reason (wrong password,
# locked). The default is services.accounts.login on the dialog's AppContext.
Authenticate = Callable[[str, str], "UserInfo"]


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
        from services.accounts import check_password_strength
        from services.setup import initialise

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
    """User name and password. ``user`` is set when the login succeeded.

    Args:
        ctx: the application context; its ``uow()`` is used by the default ``authenticate``.
        last_user: pre-filled user name (the password field then has the focus).
        on_login: called with the account before the dialog closes (the start-up opens the main window there,
            so the dialog stays on screen, saying 正在登录…, until the window replaces it). An ``AppError`` it
            raises is shown in the dialog like a refused login.
        authenticate: checks the name and password instead of ``services.accounts.login(ctx.uow(), …)``.
    """

    def __init__(self, ctx: AppContext | None = None, *, last_user: str = "",
                 on_login: Callable[[UserInfo], None] | None = None, authenticate: Authenticate | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if ctx is None and authenticate is None:
            raise TypeError("LoginDialog needs an AppContext or an authenticate function")
        self.ctx = ctx
        self.user: UserInfo | None = None
        self._on_login = on_login
        self._authenticate = authenticate or self._login_with_context
        self.setWindowTitle(self.tr("登录"))
        self.setMinimumWidth(320)
        self.username = QLineEdit(last_user, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if last_user else self.username).setFocus()

    def _login_with_context(self, username: str, password: str) -> UserInfo:
        from services.accounts import login

        assert self.ctx is not None
        return login(self.ctx.uow(), username, password)

    def submit(self) -> bool:
        self._set_busy(True)
        try:
            self.user = self._authenticate(self.username.text(), self.password.text())
            if self._on_login is not None:
                self._on_login(self.user)
        except AppError as exc:
            self.user = None
            self._set_busy(False)
            self.error.setText(exc.message)
            self.password.clear()
            self.password.setFocus()
            return False
        except BaseException:
            self._set_busy(False)
            raise
        self._set_busy(False)
        self.accept()
        return True

    def _set_busy(self, busy: bool) -> None:
        """While the login is checked and the window opened: 正在登录…, the wait cursor and no second click."""
        for widget in (self.username, self.password, self.buttons):
            widget.setEnabled(not busy)
        self.error.setStyleSheet("color: #555;" if busy else "color: #b00020;")
        self.error.setText(self.tr("正在登录…") if busy else "")
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            # Paint the message now: the check (scrypt) and opening the window keep this thread busy.
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        else:
            QApplication.restoreOverrideCursor()
