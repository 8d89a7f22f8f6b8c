"""用户账户: the squad leader opens an account for an officer with a role, resets a password, disables, enables and
unlocks accounts (Permission.MANAGE_USERS). A generated password is shown once, in a dialog that says so.

Accounts are kept on this computer only: they are never synced (services/people/accounts.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.enums import Role
from models.labels import label
from services.core.context import AppContext
from services.core.errors import ValidationError
from services.people import accounts
from services.people.accounts import ACCOUNT_ROLES, AccountInfo, OpenedAccount, Permission
from services.people.registry import list_officers
from services.read.district_mode import is_district_database
from ui.data_events import DataEvents
from ui.forms.common import FormDialog, set_combo_data
from ui.i18n import data_text
from ui.operations import settle
from ui.people.widgets import button, tone_brush
from ui.widgets.status_line import StatusLine, make_table


class PasswordChoice(QWidget):
    """自动生成 (shown once) or 由我设定 (typed twice). ``password()`` is None for a generated one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.generate = QRadioButton(self.tr("自动生成（保存后只显示一次）"), self)
        self.generate.setObjectName("generatePassword")
        self.typed = QRadioButton(self.tr("由我设定"), self)
        self.typed.setObjectName("typePassword")
        group = QButtonGroup(self)
        group.addButton(self.generate)
        group.addButton(self.typed)
        self.generate.setChecked(True)
        self.first = QLineEdit(self)
        self.first.setObjectName("password1")
        self.second = QLineEdit(self)
        self.second.setObjectName("password2")
        for edit, hint in ((self.first, self.tr("密码")), (self.second, self.tr("再次输入"))):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(hint)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.typed)
        row.addWidget(self.first, 1)
        row.addWidget(self.second, 1)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.generate)
        v.addLayout(row)
        note = QLabel(self.tr("无论哪种方式，本人首次登录时都须改为自己的密码。"), self)
        note.setStyleSheet("color: #5f6368;")
        v.addWidget(note)
        self.generate.toggled.connect(self._switch)
        self._switch(True)

    def _switch(self, generated: bool) -> None:
        for edit in (self.first, self.second):
            edit.setEnabled(not generated)

    def password(self) -> str | None:
        if self.generate.isChecked():
            return None
        if self.first.text() != self.second.text():
            raise ValidationError("两次输入的密码不一致", field="password")
        return self.first.text()


class ShownOnceDialog(QDialog):
    """The generated password, with a copy button; it is not stored in readable form anywhere."""

    def __init__(self, username: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("初始密码"))
        self.setObjectName("shownOnce")
        text = QLabel(self.tr("用户 {u} 的初始密码如下，只显示这一次。请当面交给本人；"
                              "本人首次登录时须改为自己的密码。").format(u=username), self)
        text.setWordWrap(True)
        self.password = QLineEdit(password, self)
        self.password.setObjectName("shownPassword")
        self.password.setReadOnly(True)
        font = self.password.font()
        font.setPointSize(font.pointSize() + 4)
        font.setFamily("monospace")
        self.password.setFont(font)
        copy = QPushButton(self.tr("复制"), self)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(password))
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("我已记下"))
        buttons.accepted.connect(self.accept)
        v = QVBoxLayout(self)
        v.addWidget(text)
        v.addLayout(row)
        v.addWidget(buttons)
        self.setMinimumWidth(420)


class OpenAccountDialog(FormDialog):
    """开设账户 for an officer who has none; at the district (``district``), a 区级管理员 named by hand (the district
    keeps no officers of its own). ``result_value``: the OpenedAccount after 保存."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, officer_uid: str | None = None,
                 district: bool = False) -> None:
        super().__init__(ctx, self.tr("开设账户"), parent)
        self.setObjectName("openAccount")
        self.district = district
        self.officer = QComboBox(self)
        self.officer.addItem(self.tr("（请选择执法人员）"), None)
        if not district:
            held = {a.officer_uid for a in accounts.list_accounts(ctx.reader()) if a.active}
            for o in list_officers(ctx.reader()):
                if o.uid not in held:
                    self.officer.addItem(f"{o.data.name}（{o.data.cert_number}）", o.uid)
        if officer_uid:
            set_combo_data(self.officer, officer_uid)
        self.display_name = QLineEdit(self)
        self.display_name.setMaxLength(32)
        self.username = QLineEdit(self)
        self.username.setMaxLength(32)
        self.username.setPlaceholderText(self.tr("登录时输入的名字，如 zhangjg"))
        self.role = QComboBox(self)
        for role in (Role.DISTRICT_ADMIN,) if district else ACCOUNT_ROLES:
            self.role.addItem(data_text(label(role)), role.value)
        self.password = PasswordChoice(self)
        form = self.new_form()
        if district:
            self.add_row(form, "display_name", self.tr("使用人姓名"), self.display_name, required=True)
        else:
            self.add_row(form, "officer", self.tr("执法人员"), self.officer, required=True)
        self.add_row(form, "username", self.tr("用户名"), self.username, required=True)
        self.add_row(form, "role", self.tr("角色"), self.role)
        self.add_row(form, "password", self.tr("初始密码"), self.password)
        self.body.addLayout(form)
        if not district and self.officer.count() == 1:
            note = QLabel(self.tr("所有在岗执法人员都已有账户；请先在“执法人员”中登记。"), self)
            note.setStyleSheet("color: #b26a00;")
            self.body.addWidget(note)
        self.finish(560)

    def save(self) -> OpenedAccount:
        officer = self.officer.currentData()
        if officer is None and not self.district:
            raise ValidationError("请选择账户所属的执法人员", field="officer")
        return accounts.open_account(self.ctx.uow(), username=self.username.text(), role=Role(self.role.currentData()),
                                     officer=officer, display_name=self.display_name.text(),
                                     password=self.password.password())


class ResetPasswordDialog(FormDialog):
    """重置密码. ``result_value``: the generated password, or None when one was typed."""

    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("重置密码"), parent)
        self.setObjectName("resetPassword")
        self.username = username
        self.password = PasswordChoice(self)
        form = self.new_form()
        form.addRow(self.tr("用户名"), QLabel(username, self))
        self.add_row(form, "password", self.tr("新密码"), self.password)
        self.body.addLayout(form)
        self.finish(520)
        self.ok_button.setText(self.tr("重置"))

    def save(self) -> str | None:
        return accounts.reset_password(self.ctx.uow(), self.username, password=self.password.password())


class AccountsPage(QWidget):
    """The accounts of this database, and what the squad leader may do with them."""

    COLUMNS = ("username", "name", "role", "officer", "state", "created")

    def __init__(self, ctx: AppContext, *, data_events: DataEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.data_events = ctx, data_events
        self.setWindowTitle(self.tr("用户账户"))
        self.setObjectName("accountsPage")
        self.rows: list[AccountInfo] = []
        self.can_manage = ctx.can(Permission.MANAGE_USERS)
        self.district = is_district_database(ctx.reader())
        intro = QLabel(self.tr("每名执法人员一个账户，登录后以本人名义办理。账户只保存在本机，不随同步包发送；"
                               "外勤笔记本的账户在笔记本上开设。修改自己的密码：文件 → 修改密码。"), self)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #5f6368;")
        self.table = make_table(self, [self.tr("用户名"), self.tr("姓名"), self.tr("角色"), self.tr("执法人员"),
                                       self.tr("状态"), self.tr("开设时间")],
                                name="accounts", widths=(120, 100, 100, 120, 150), on_select=self._selection_changed)
        self.open_button = button(self, self.tr("开设账户…"), "openAccountButton", self.open_account)
        self.reset_button = button(self, self.tr("重置密码…"), "resetButton", self.reset_selected)
        self.disable_button = button(self, self.tr("停用"), "disableButton", lambda: self.set_selected_active(False))
        self.enable_button = button(self, self.tr("启用"), "enableButton", lambda: self.set_selected_active(True))
        self.unlock_button = button(self, self.tr("解锁"), "unlockButton", self.unlock_selected)
        bar = QHBoxLayout()
        for b in (self.open_button, self.reset_button, self.disable_button, self.enable_button, self.unlock_button):
            bar.addWidget(b)
        bar.addStretch(1)
        self.status = StatusLine(self)
        self.status.setObjectName("accountsStatus")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not self.can_manage:
            note = QLabel(self.tr("只有中队长（管理员）可以开设和管理账户。"), self)
            note.setObjectName("readOnlyNote")
            note.setStyleSheet("color: #b26a00;")
            layout.addWidget(note)
            for b in (self.open_button, self.reset_button, self.disable_button, self.enable_button,
                      self.unlock_button):
                b.hide()
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._selection_changed()

    def _changed(self) -> None:
        """After a write: read the accounts again, and say so (the 工作台's first steps count them)."""
        self.refresh()
        self.data_events.notify("accounts")

    def refresh(self) -> None:
        selected = self.selected()
        self.rows = accounts.list_accounts(self.ctx.reader())
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            state = {"已停用": self.tr("已停用"), "正常": self.tr("正常"), "须修改密码": self.tr("须修改密码")}.get(
                a.state, a.state)
            cells = (a.username, a.display_name, data_text(a.role_label), a.officer_name or "—", state,
                     a.created_at.strftime("%Y-%m-%d"))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 4:
                    brush = tone_brush("muted" if not a.active else "alert" if a.locked_until else
                                       "warning" if a.must_change_password else "")
                    if brush is not None:
                        item.setForeground(brush)
                self.table.setItem(r, c, item)
        if selected is not None:
            self.select(selected.username)
        self._selection_changed()

    def selected(self) -> AccountInfo | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def select(self, username: str) -> None:
        for r, a in enumerate(self.rows):
            if a.username == username:
                self.table.selectRow(r)
                return

    def _selection_changed(self) -> None:
        a = self.selected()
        self.reset_button.setEnabled(a is not None)
        self.disable_button.setEnabled(a is not None and a.active)
        self.enable_button.setEnabled(a is not None and not a.active)
        self.unlock_button.setEnabled(a is not None and a.locked_until is not None)

    # -- actions ------------------------------------------------------------------------------------------------

    def open_account(self, officer_uid: str | None = None) -> OpenedAccount | None:
        dialog = OpenAccountDialog(self.ctx, self, officer_uid=officer_uid or None, district=self.district)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        opened: OpenedAccount = dialog.result_value
        self._changed()
        self.select(opened.username)
        self.status.ok(self.tr("已开设账户 {u}").format(u=opened.username))
        if opened.password is not None:
            ShownOnceDialog(opened.username, opened.password, self).exec()
        return opened

    def reset_selected(self) -> bool:
        a = self.selected()
        if a is None:
            return False
        dialog = ResetPasswordDialog(self.ctx, a.username, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._changed()
        self.status.ok(self.tr("已重置 {u} 的密码；本人下次登录时须修改").format(u=a.username))
        if dialog.result_value is not None:
            ShownOnceDialog(a.username, dialog.result_value, self).exec()
        return True

    def set_selected_active(self, active: bool) -> bool:
        a = self.selected()
        if a is None:
            return False
        if not active:
            answer = QMessageBox.question(
                self, self.tr("停用账户"), self.tr("停用后 {u} 不能再登录，其已办理的记录不受影响。确定停用吗？").format(
                    u=a.username), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self._run(lambda: accounts.set_account_active(self.ctx.uow(), a.username, active),
                         self.tr("已启用 {u}") if active else self.tr("已停用 {u}"), a.username)

    def unlock_selected(self) -> bool:
        a = self.selected()
        if a is None:
            return False
        return self._run(lambda: accounts.unlock_account(self.ctx.uow(), a.username), self.tr("已解锁 {u}"), a.username)

    def _run(self, action: Callable[[], object], done: str, username: str) -> bool:
        """A quick account step: done (green), or how it ended by the one policy (ui/operations.py): a refusal on
        the status line, anything else to the crash handler."""
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - settled by the one policy
            settle(exc, parent=self, report=self.status.fail)
            return False
        self._changed()
        self.select(username)
        self.status.ok(done.format(u=username))
        return True
