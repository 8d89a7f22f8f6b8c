"""First-run wizard (a township office or the district, first administrator) and the login dialog.

Importing this module loads Qt only: the login dialog is shown at start-up before the ORM has been imported
(ui/app.py), so the services it calls are imported when they are first needed, not at module level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models.enums import DeviceKind
from services.core.errors import AppError, ValidationError
from ui.recovery_key import AskSheetPath, RecoveryKeyPanel, RecoveryLoginDialog

if TYPE_CHECKING:
    from services.core.cipher import DataKey
    from services.core.context import AppContext
    from services.people.accounts import UserInfo
    from services.people.roles import SignedIn
    from services.reference.setup import SetupResult

# Checks a user name and password and unlocks the data key with it; returns who signed in and the key, or raises
# AppError with the reason (wrong password, locked, no key slot). The default is services.people.accounts.sign_in
# on the dialog's AppContext.
Authenticate = Callable[[str, str], "SignedIn"]
# 使用恢复密钥: opens the recovery dialog over the given parent; who signed in through it, or None if abandoned.
RecoverLogin = Callable[[QWidget], "SignedIn | None"]
# (user name, old password, new password) → the user; the default is services.people.accounts.change_password.
ChangeOwnPassword = Callable[[str, str, str], "UserInfo"]
# After the password was accepted (parent, who signed in, the password that is now theirs) → who goes on, with
# which key: an administrator on a database made before encryption at rest is offered to encrypt it
# (ui/encrypt_upgrade.py offer_encryption, the default on the dialog's AppContext).
EncryptAtLogin = Callable[[QWidget, "SignedIn", str], "SignedIn"]


class FirstRunDialog(QDialog):
    """Sets up this database: a township office (乡镇执法中队) or the district (区级), and its first administrator.

    The township path calls ``services.reference.setup.initialise``; the district path ``services.reference.setup.initialise_district``
    (what ``main.py init --district`` sets up: the first account is a 区级管理员). Then the new database's recovery
    key is shown once in place of the form, and 继续 waits for 我已妥善保存 (docs/encryption.md). A field laptop is not set up
    here: it is copied from its office's database (services.sync.provision), so the choice only explains that.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 ask_sheet_path: AskSheetPath | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._ask_sheet_path = ask_sheet_path  # where 打印/保存恢复密钥单 writes (default: a save dialog)
        self.result_value: SetupResult | None = None
        self.setWindowTitle(self.tr("首次使用：初始化本机"))
        self.setMinimumWidth(580)
        intro = QLabel(self.tr("欢迎使用乡镇综合执法工作台。请先选择这台电脑的用途，再填写基本信息并设置管理员密码。"
                               "节假日安排和赋权事项清单将自动载入。"), self)
        intro.setWordWrap(True)

        # -- what this computer is for: the choice decides which database is made -------------------------------
        purpose = QGroupBox(self.tr("这台电脑用于"), self)
        self.office_choice = QRadioButton(self.tr("乡镇执法中队（办公室主机）"), purpose)
        self.field_choice = QRadioButton(self.tr("乡镇外勤笔记本"), purpose)
        # Not offered: a laptop set up on its own would have a township, squad and officers of its own, and its
        # records could not join the office's; it is copied from the office database instead.
        self.field_choice.setEnabled(False)
        self.district_choice = QRadioButton(self.tr("区级（汇总全区数据）"), purpose)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.office_choice)
        self.choice.addButton(self.district_choice)
        self.office_choice.setChecked(True)
        pl = QVBoxLayout(purpose)
        pl.setSpacing(2)
        for button, note in (
            (self.office_choice, self.tr("乡镇综合行政执法中队日常使用：办理案件、制发文书、管理人员和台账，"
                                         "并定期向区里报送同步包。")),
            (self.field_choice, self.tr("外勤笔记本不在这里初始化：须由本乡镇办公室主机为它复制生成数据库"
                                        "（乡镇、中队、人员与主机相同，文书编号段也由主机分配），否则它录入的记录"
                                        "无法并入办公室的数据。请在办公室主机的“同步 → 设备与密钥 → 制作外勤笔记本数据库…”中制作，"
                                        "把生成的两个文件复制到本机的数据文件夹后再启动。")),
            (self.district_choice, self.tr("区综合行政执法局使用：导入各乡镇报送的同步包，汇总全区统计、执法监督、"
                                           "案卷评查并生成年度报告；本机不办理案件。")),
        ):
            pl.addWidget(button)
            pl.addWidget(_note(note, purpose))

        # -- township (乡镇) --------------------------------------------------------------------------------------
        self.township_box = QGroupBox(self.tr("乡镇信息"), self)
        self.township = QLineEdit(self.township_box)
        self.township.setPlaceholderText(self.tr("如：竹根镇"))
        self.district = QLineEdit(self.township_box)
        self.district.setPlaceholderText(self.tr("如：乐山市五通桥区"))
        self.squad = QLineEdit(self.township_box)
        self.squad.setPlaceholderText(self.tr("如：竹根镇综合行政执法中队"))
        self.prefix = QLineEdit(self.township_box)
        self.prefix.setPlaceholderText(self.tr("文书机关代字，如：竹综执（可不填）"))
        tf = QFormLayout(self.township_box)
        tf.addRow(self.tr("乡镇名称"), self.township)
        tf.addRow(self.tr("所属区县"), self.district)
        tf.addRow(self.tr("执法中队"), self.squad)
        tf.addRow(self.tr("文书代字"), self.prefix)

        # -- district (区级) --------------------------------------------------------------------------------------
        self.district_box = QGroupBox(self.tr("区级信息"), self)
        self.district_name = QLineEdit(self.district_box)
        self.district_name.setPlaceholderText(self.tr("如：乐山市五通桥区"))
        self.bureau = QLineEdit(self.district_box)
        self.bureau.setPlaceholderText(self.tr("可不填，默认为“区县名称＋综合行政执法局”"))
        df = QFormLayout(self.district_box)
        df.addRow(self.tr("区县名称"), self.district_name)
        df.addRow(self.tr("执法部门"), self.bureau)
        df.addRow(_note(self.tr("初始化后，在“数据导入”页面导入各乡镇报送的同步包，再到“汇总情况”“统计分析”"
                                "“执法监督”“案卷评查”“年度报告”页面查看全区数据。"), self.district_box, indent=0))

        # -- the first administrator (both kinds) ----------------------------------------------------------------
        account = QGroupBox(self.tr("管理员账户"), self)
        self.admin = QLineEdit("admin", account)
        self.password = QLineEdit(account)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit(account)
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.account_note = _note("", account, indent=0)
        af = QFormLayout(account)
        af.addRow(self.tr("管理员用户名"), self.admin)
        af.addRow(self.tr("管理员密码"), self.password)
        af.addRow(self.tr("再次输入密码"), self.password2)
        af.addRow(self.account_note)

        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("完成初始化"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        # After set-up: the recovery key in place of the form (_show_recovery_key).
        self.recovery: RecoveryKeyPanel | None = None
        self._form_widgets: tuple[QWidget, ...] = (intro, purpose, self.township_box, self.district_box, account)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(purpose)
        layout.addWidget(self.township_box)
        layout.addWidget(self.district_box)
        layout.addWidget(account)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.choice.buttonToggled.connect(self._purpose_changed)
        self._show_purpose()

    def is_district(self) -> bool:
        """True when 区级 is chosen: submitting then makes a district database."""
        return self.district_choice.isChecked()

    def _purpose_changed(self, _button: QAbstractButton, checked: bool) -> None:
        if not checked:  # the button group reports the one switched off too; act once, on the one switched on
            return
        if self.is_district() and not self.district_name.text().strip():
            self.district_name.setText(self.district.text().strip())  # 所属区县 typed before switching
        self.error.clear()
        self._show_purpose()

    def _show_purpose(self) -> None:
        district = self.is_district()
        self.township_box.setVisible(not district)
        self.district_box.setVisible(district)
        self.account_note.setText(
            self.tr("此账户为区级管理员，可使用全部区级功能。密码至少8位，须同时包含字母和数字。")
            if district else
            self.tr("此账户为中队长（管理员），登录后可为队员开设账户。密码至少8位，须同时包含字母和数字。"))
        (self.district_name if district else self.township).setFocus()
        self._fit()

    def _fit(self) -> None:
        """Fit the window to the group now shown, so no empty space is left where the other one was.

        By the wrapped height at the window's width, kept as the minimum height too: a top-level window's size
        hint and minimum ignore how its labels wrap, so a smaller window would cut the explanations to one line.
        """
        layout = self.layout()
        if layout is not None:
            layout.activate()
            width = max(self.width(), self.minimumWidth()) if self.isVisible() else self.minimumWidth()
            height = _height_for(layout, width)
            self.setMinimumHeight(height)
            self.resize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        layout = self.layout()
        if layout is not None and event.size().width() != event.oldSize().width():
            # Narrower: the texts wrap onto more lines and need more height; wider: the window may be lower.
            self.setMinimumHeight(_height_for(layout, event.size().width()))

    def submit(self) -> bool:
        from services.people.accounts import check_password_strength
        from services.reference.setup import initialise, initialise_district

        try:
            if self.password.text() != self.password2.text():
                raise ValidationError("两次输入的密码不一致", field="password2")
            check_password_strength(self.password.text())
            if self.is_district():
                self.result_value = initialise_district(
                    self.ctx.db, self.ctx.uow(), district=self.district_name.text(), squad=self.bureau.text(),
                    admin_username=self.admin.text().strip(), admin_password=self.password.text(),
                )
            else:
                self.result_value = initialise(
                    self.ctx.db, self.ctx.uow(), township=self.township.text(), squad=self.squad.text(),
                    district=self.district.text().strip(), doc_prefix=self.prefix.text().strip(),
                    device_kind=DeviceKind.OFFICE, admin_username=self.admin.text().strip(),
                    admin_password=self.password.text(),
                )
        except AppError as exc:
            self.error.setText(exc.message)
            self._focus_field(exc)
            self._fit()  # a long reason wraps onto a second line
            return False
        self._show_recovery_key(self.result_value)
        return True

    def _show_recovery_key(self, result: SetupResult) -> None:
        """The database is made: its recovery key is shown once, in place of the form, until 我已妥善保存."""
        from services.documents.recovery_sheet import SheetFacts

        db = self.ctx.db
        name = db.path.name if db.path is not None else str(db.engine.url.database or "")
        township = (self.district_name.text() if self.is_district() else self.township.text()).strip()
        facts = SheetFacts(name, township, self.ctx.clock.today(), result.device_code)
        for widget in self._form_widgets:
            widget.hide()
        self.error.clear()
        self.recovery = RecoveryKeyPanel(result.recovery_key, facts, ask_path=self._ask_sheet_path, parent=self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.recovery)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("继续"))
        ok.setEnabled(False)
        self.recovery.saved.toggled.connect(ok.setEnabled)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()  # the database exists now
        self.setWindowTitle(self.tr("首次使用：保存恢复密钥"))
        self._fit()

    def finish(self) -> bool:
        """继续 after the recovery key: only once 我已妥善保存 is ticked."""
        if self.recovery is None or not self.recovery.saved.isChecked():
            return False
        self.accept()
        return True

    def _ok(self) -> None:
        if self.recovery is None:
            self.submit()
        else:
            self.finish()

    def reject(self) -> None:  # Esc or the close box: after set-up the recovery key is shown once, so not before
        if self.recovery is None or self.recovery.saved.isChecked():
            super().reject()

    def _focus_field(self, exc: AppError) -> None:
        """Put the cursor in the field the refusal names, so the user can correct it at once."""
        fields: dict[str, QLineEdit] = {
            "township": self.township, "squad": self.bureau if self.is_district() else self.squad,
            "district": self.district_name if self.is_district() else self.district,
            "username": self.admin, "password": self.password, "password2": self.password2,
        }
        widget = fields.get(exc.field) if isinstance(exc, ValidationError) else None
        if widget is not None:
            widget.setFocus()
            widget.selectAll()


def _height_for(layout: QLayout, width: int) -> int:
    """The layout's height at ``width``; its size hint when nothing in it wraps (Qt answers -1 then)."""
    height = layout.totalHeightForWidth(width)
    return height if height >= 0 else layout.sizeHint().height()


def _note(text: str, parent: QWidget, *, indent: int = 24) -> QLabel:
    """A grey explanation under a choice or a group, indented to line up with the radio button's text."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6368;")
    label.setIndent(indent)  # not a left contents margin: with one, the label's wrapping ignores the lost width
    label.setContentsMargins(0, 0, 0, 6)
    return label


class LoginDialog(QDialog):
    """User name and password. ``user`` is set when the login succeeded.

    Args:
        ctx: the application context; its ``uow()`` is used by the default ``authenticate``.
        last_user: pre-filled user name (the password field then has the focus).
        on_login: called with the account before the dialog closes (the start-up opens the main window there,
            so the dialog stays on screen, saying 正在登录…, until the window replaces it). An ``AppError`` it
            raises is shown in the dialog like a refused login.
        authenticate: checks the name and password (and unlocks the data key) instead of
            ``services.people.accounts.sign_in(ctx.uow(), …)``.
        change_password: replaces the password of a user who must change it before working (a password generated
            or set by the squad leader) instead of ``services.people.accounts.change_password``: the dialog asks for
            the new one after the password was accepted, before ``on_login``.
        recover: the 使用恢复密钥 path (every administrator password lost) instead of the recovery dialog on
            ``ctx``; without either the button is not offered.
        encrypt: what follows an accepted password before ``on_login`` (an administrator on a database not yet
            encrypted is offered to encrypt it) instead of ``ui.encrypt_upgrade.offer_encryption`` on ``ctx``;
            without either, nothing.

    With ``ctx`` the unlocked data key is put on ``ctx.data_key`` (docs/encryption.md); ``data_key`` holds it too.
    """

    def __init__(self, ctx: AppContext | None = None, *, last_user: str = "",
                 on_login: Callable[[SignedIn], None] | None = None, authenticate: Authenticate | None = None,
                 change_password: ChangeOwnPassword | None = None, recover: RecoverLogin | None = None,
                 encrypt: EncryptAtLogin | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if ctx is None and (authenticate is None or change_password is None):
            raise TypeError("LoginDialog needs an AppContext, or authenticate and change_password functions")
        self.ctx = ctx
        self.user: UserInfo | None = None
        self.data_key: DataKey | None = None
        self._typed = ""  # the password accepted (or the new one set at the first login), for the offer to encrypt
        self._on_login = on_login
        self._authenticate = authenticate or self._login_with_context
        self._change_password = change_password or self._change_with_context
        self._recover = recover or (self._recover_with_context if ctx is not None else None)
        self._encrypt = encrypt or (self._encrypt_with_context if ctx is not None else None)
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
        self.recovery_button = QPushButton(self.tr("使用恢复密钥…"), self)
        self.recovery_button.setFlat(True)
        self.recovery_button.setToolTip(self.tr("全部管理员密码都遗忘时，用保险柜中的恢复密钥单解锁并设置新密码"))
        self.recovery_button.clicked.connect(self.use_recovery_key)
        self.recovery_button.setVisible(self._recover is not None)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        layout.addWidget(self.recovery_button)
        (self.password if last_user else self.username).setFocus()

    def _login_with_context(self, username: str, password: str) -> SignedIn:
        from services.people.accounts import sign_in

        assert self.ctx is not None
        return sign_in(self.ctx.uow(), username, password)

    def _encrypt_with_context(self, parent: QWidget, signed: SignedIn, password: str) -> SignedIn:
        from ui.encrypt_upgrade import offer_encryption

        ctx = self.ctx
        assert ctx is not None
        return offer_encryption(parent, lambda: ctx, signed, password)

    def _recover_with_context(self, parent: QWidget) -> SignedIn | None:
        assert self.ctx is not None
        return recover_login(self.ctx, parent)

    def use_recovery_key(self) -> bool:
        """使用恢复密钥: signed in as the administrator whose new password was set, as if they had typed it."""
        if self._recover is None:
            return False
        signed = self._recover(self)
        if signed is None:
            return False
        return self._attempt(lambda: signed)

    def _change_with_context(self, username: str, old: str, new: str) -> UserInfo:
        from services.core.uow import UnitOfWork
        from services.people.accounts import change_password

        assert self.ctx is not None
        return change_password(UnitOfWork(self.ctx.db, actor=username, clock=self.ctx.clock), username, old=old,
                               new=new)

    def _new_password(self, user: UserInfo, typed: str) -> UserInfo | None:
        """The first login with a password given to the user: the new one, before the window opens."""
        from ui.password_dialog import ChangePasswordDialog

        self._set_busy(False)
        dialog = ChangePasswordDialog(lambda old, new: self._change_password(user.username, old, new),
                                      old_password=typed, forced=True, parent=self)
        changed = dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
        if changed is not None:
            self._typed = dialog.new.text()  # what now opens the data (an upgrade wraps the key under it)
        self._set_busy(True)
        return changed

    def submit(self) -> bool:
        self._typed = self.password.text()
        try:
            return self._attempt(self._sign_in_as_typed)
        finally:
            self._typed = ""  # the password is not kept in memory longer than needed

    def _sign_in_as_typed(self) -> SignedIn:
        signed = self._authenticate(self.username.text(), self._typed)
        if signed.user.must_change_password:
            changed = self._new_password(signed.user, self._typed)
            if changed is None:
                raise AppError(self.tr("须先设置新密码才能登录"))
            signed = replace(signed, user=changed)
        if self._encrypt is not None:
            self._set_busy(False)  # the offer asks, and shows its own progress
            try:
                signed = self._encrypt(self, signed, self._typed)
            finally:
                self._set_busy(True)
        return signed

    def _attempt(self, sign_in: Callable[[], SignedIn]) -> bool:
        """One way in (the typed password, the recovery key), the dialog busy meanwhile: signed in, or the
        AppError's reason shown (:meth:`_refused`); anything else is a defect, left to the crash handler."""
        self._set_busy(True)
        try:
            return self._signed_in(sign_in())
        except AppError as exc:
            return self._refused(exc.message)
        except BaseException:
            self._set_busy(False)
            raise

    def _signed_in(self, signed: SignedIn) -> bool:
        """Who signed in and the key they unlocked go on the context, then ``on_login`` opens the window (the
        dialog is busy meanwhile). An ``AppError`` from ``on_login`` is the caller's to show."""
        self.user, self.data_key = signed.user, signed.data_key
        if self.ctx is not None:
            self.ctx.data_key = signed.data_key
        if self._on_login is not None:
            self._on_login(signed)
        self._set_busy(False)
        self.accept()
        return True

    def _refused(self, message: str) -> bool:
        """Nobody signed in: the reason shown, the password cleared, the key forgotten."""
        self.user = self.data_key = None
        if self.ctx is not None:
            self.ctx.data_key = None
        self._set_busy(False)
        self.error.setText(message)
        self.password.clear()
        self.password.setFocus()
        return False

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


def recover_login(ctx: AppContext, parent: QWidget) -> SignedIn | None:
    """使用恢复密钥 on ``ctx``'s database (services/people/recovery.py): who signed in, or None if abandoned."""
    from services.core.uow import UnitOfWork
    from services.people import recovery

    dialog = RecoveryLoginDialog(
        lambda text: recovery.unlock_with_recovery_key(ctx.uow(write=False), text),
        lambda: recovery.recoverable_accounts(ctx.uow(write=False)),
        lambda key, username, new: recovery.recover_account(
            UnitOfWork(ctx.db, actor=username, clock=ctx.clock, data_key=key), username, new),
        parent=parent)
    return dialog.signed_in if dialog.exec() == QDialog.DialogCode.Accepted else None
