"""制作外勤笔记本 on an encrypted office database: which account the laptop opens for, and that account's password
typed by its holder (docs/encryption.md §Field laptops).

The laptop keeps only that account's key slot (and the recovery slot), so no other office password opens it. The
dialog checks the password through the service it is given (services.sync.provision.check_laptop_account, a login's
check) and stays open with the reason when it is refused; provisioning checks it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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

from services.core.errors import AppError
from services.sync.provision import LaptopAccount

# (username, password) → the account as checked; raises AppError with the reason.
CheckAccount = Callable[[str, str], LaptopAccount]

ERROR_STYLE = "color: #b00020;"


class LaptopAccountDialog(QDialog):
    """The laptop's account (active accounts only) and its password. ``account`` and ``password`` are set once the
    password was accepted."""

    def __init__(self, accounts: Sequence[LaptopAccount], check: CheckAccount, *, preferred: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self.account: LaptopAccount | None = None
        self.password = ""
        self.setObjectName("laptopAccount")
        self.setWindowTitle(self.tr("外勤笔记本的使用账户"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        why = QLabel(self.tr("本机数据已加密。外勤笔记本只保留一个账户的解锁密钥：在笔记本上只能用该账户的密码登录，"
                             "办公室其他账户的密码打不开它（忘记密码时可用本单位的恢复密钥解锁）。\n"
                             "请选择使用这台笔记本的账户，并由该账户的使用人本人输入自己的登录密码。"), self)
        why.setObjectName("laptopNote")
        why.setWordWrap(True)
        layout.addWidget(why)
        self.user = QComboBox(self)
        self.user.setObjectName("laptopUser")
        for a in accounts:
            self.user.addItem(self.tr("{name}（{user}，{role}）").format(name=a.name, user=a.username, role=a.role_label),
                              a.username)
        self.user.setCurrentIndex(max(self.user.findData(preferred), 0))
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("laptopPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("使用账户"), self.user)
        form.addRow(self.tr("该账户的密码"), self.password_edit)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("laptopError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("下一步：选择保存位置"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if not accounts:
            self.error.setText(self.tr("没有可用的账户：请先在“用户账户”中为使用笔记本的执法人员开设账户"))
            buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.password_edit.setFocus()

    def submit(self) -> bool:
        """Check the account and password (the service's refusal is shown here and the dialog stays)."""
        username = self.user.currentData()
        try:
            self.account = self._check(username or "", self.password_edit.text())
        except AppError as exc:
            self.error.setText(exc.message)
            self.password_edit.clear()  # as after a wrong login: the holder types it again
            self.password_edit.setFocus()
            return False
        self.password = self.password_edit.text()
        self.accept()
        return True
