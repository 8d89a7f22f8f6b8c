"""The recovery key on screen (docs/encryption.md): shown once after set-up with its printable sheet, and typed at
the login when every administrator password is lost.

Importing this module loads Qt only: the login dialog offers 使用恢复密钥 before the ORM has loaded, so the
services are imported when they are first needed, or come as functions from the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError, ValidationError

if TYPE_CHECKING:
    from services.core.cipher import DataKey
    from services.documents.recovery_sheet import SheetFacts
    from services.people.roles import SignedIn

ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #5f6368;"

# Where the sheet goes: asks for a file (the default opens a save dialog); None when the user cancelled.
AskSheetPath = Callable[[QWidget], "Path | None"]


def _ask_sheet_path(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, parent.tr("保存恢复密钥单"), "恢复密钥单.pdf", "PDF (*.pdf)")
    return Path(name) if name else None


class RecoveryKeyPanel(QWidget):
    """The recovery key in large monospace, what it is for, 打印/保存恢复密钥单…, and 我已妥善保存 — which the
    surrounding dialog waits for before it goes on."""

    def __init__(self, recovery_key: str, facts: SheetFacts, *, ask_path: AskSheetPath | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key, self._facts = recovery_key, facts
        self._ask_path = ask_path or _ask_sheet_path
        self.setObjectName("recoveryKeyPanel")
        title = QLabel(self.tr("恢复密钥（只显示这一次）"), self)
        bold = title.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        title.setFont(bold)
        self.key_label = QLabel(recovery_key, self)
        self.key_label.setObjectName("recoveryKey")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10) * 1.8)
        mono.setWeight(QFont.Weight.Bold)
        self.key_label.setFont(mono)
        self.key_label.setTextInteractionFlags(self.key_label.textInteractionFlags()
                                               | self.key_label.textInteractionFlags().TextSelectableByMouse)
        self.key_label.setStyleSheet("border: 1px solid #888; padding: 10px; background: #fffdf5;")
        why = QLabel(self.tr("本数据库中的身份证号、电话、住址和证据照片已加密保存。忘记全部管理员密码时，只有这个恢复密钥"
                             "能解锁数据。程序不保存它，丢失后无法补发。\n"
                             "请立即打印恢复密钥单（或逐位抄写），封存后放入办公室保险柜；不要拍照，不要存在电脑、"
                             "手机或U盘里。"), self)
        why.setWordWrap(True)
        self.print_button = QPushButton(self.tr("打印/保存恢复密钥单…"), self)
        self.print_button.clicked.connect(self.save_sheet)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet(NOTE_STYLE)
        self.saved = QCheckBox(self.tr("我已妥善保存恢复密钥（已打印或抄写，将放入保险柜）"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (title, self.key_label, why, self.print_button, self.status, self.saved):
            layout.addWidget(widget)

    def save_sheet(self) -> Path | None:
        """Write the 恢复密钥单 where the user says; it is printed from there (then deleted)."""
        from services.documents.recovery_sheet import write_recovery_sheet

        path = self._ask_path(self)
        if path is None:
            return None
        try:
            write_recovery_sheet(path, self._key, self._facts)
        except AppError as exc:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(exc.message)
            return None
        self.status.setStyleSheet(NOTE_STYLE)
        self.status.setText(self.tr("恢复密钥单已保存到 {path}。请打印后删除这个文件。").format(path=path))
        return path


class RecoveryKeyDialog(QDialog):
    """The panel on its own (a new recovery key made by the administrator): closes once 我已妥善保存 is ticked."""

    def __init__(self, recovery_key: str, facts: SheetFacts, *, ask_path: AskSheetPath | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("恢复密钥"))
        self.setMinimumWidth(560)
        self.panel = RecoveryKeyPanel(recovery_key, facts, ask_path=ask_path, parent=self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("继续"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.panel.saved.toggled.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.buttons)

    def reject(self) -> None:  # Esc or the close box: the key is shown once, so not before it is saved
        if self.panel.saved.isChecked():
            super().reject()


# The recovery at the login: (typed recovery key) → the unlocked key; (key, account, new password) → signed in.
UnlockWithRecovery = Callable[[str], "DataKey"]
Recover = Callable[["DataKey", str, str], "SignedIn"]
Accounts = Callable[[], list[str]]


class RecoveryLoginDialog(QDialog):
    """使用恢复密钥: the key from the sheet, then a new password for an administrator account, who is signed in.

    ``signed_in`` is set on success. A wrong or mistyped key is said here and changes nothing."""

    def __init__(self, unlock: UnlockWithRecovery, accounts: Accounts, recover: Recover,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._unlock, self._recover = unlock, recover
        self._key: DataKey | None = None
        self.signed_in: SignedIn | None = None
        self.setWindowTitle(self.tr("使用恢复密钥"))
        self.setMinimumWidth(480)
        intro = QLabel(self.tr("全部管理员密码都遗忘时：输入恢复密钥单上的恢复密钥（不分大小写，短横线可不输），"
                               "再为一个中队长（管理员）账户设置新密码，并以该账户登录。"), self)
        intro.setWordWrap(True)
        self.key = QLineEdit(self)
        self.key.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-X")
        self.account = QComboBox(self)
        self.account.addItems(accounts())
        self.new = QLineEdit(self)
        self.new2 = QLineEdit(self)
        for edit in (self.new, self.new2):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("恢复密钥"), self.key)
        form.addRow(self.tr("管理员账户"), self.account)
        form.addRow(self.tr("新密码"), self.new)
        form.addRow(self.tr("再次输入新密码"), self.new2)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("解锁并登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("返回登录"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.key.setFocus()

    def submit(self) -> bool:
        try:
            if self.account.currentIndex() < 0:
                raise AppError(self.tr("本数据库没有可恢复的管理员账户"))
            if self.new.text() != self.new2.text():
                raise ValidationError(self.tr("两次输入的新密码不一致"), field="password2")
            if self._key is None:
                self._key = self._unlock(self.key.text())
            self.signed_in = self._recover(self._key, self.account.currentText(), self.new.text())
        except AppError as exc:
            self.error.setText(exc.message)
            if self._key is None:
                self.key.setFocus()
                self.key.selectAll()
            else:
                self.key.setEnabled(False)  # the key was right: only the password is left to correct
                self.new.setFocus()
                self.new.selectAll()
            return False
        self.accept()
        return True
