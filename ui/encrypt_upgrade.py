"""加密个人信息 at the login: a database made by an earlier version is encrypted when its administrator signs in.

The flow (services/people/encryption.py does the work; docs/encryption.md §Upgrading has the decisions):

1. an administrator (中队长, 区级管理员) signs in to a database without a data key: :class:`EncryptPrompt` says what
   will happen — a backup, the personal data encrypted, the earlier backups still in the clear, the other accounts
   needing a reset — and asks 立即加密 or 暂不加密;
2. 立即加密: the work runs on the window's kind of task runner (ui/operations.py) with a progress dialog; 取消 is
   heard until the sealed values are committed, and changes nothing; from the commit the dialog offers no 取消 and
   stays on screen to the end (TaskState.past_return), closed or not;
3. the recovery key is shown once (:class:`ui.recovery_key.RecoveryKeyDialog`, the first-run wizard's page), then
   :func:`encryption_done_text`'s message names the backup just made and the earlier ones, and the accounts whose
   password must be reset; the session goes on holding the key.

暂不加密 (decided): the administrator works on the plaintext database this time and is asked again at the next
login; the window carries a banner meanwhile (:func:`add_unencrypted_banner`), as it does for anyone else who signs
in to it, telling them that the squad leader must sign in once to encrypt. Refusing to let the squad leader in
until they encrypt would turn a full disk or a bad moment (a hearing waiting) into a locked-out office.

Importing this module loads Qt only (the login dialog imports it before the ORM has loaded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.people.roles import is_administrator
from ui.operations import Cancelled, TaskRunner, TaskState, settle
from ui.recovery_key import AskSheetPath, RecoveryKeyDialog
from ui.widgets.banner import window_banner

if TYPE_CHECKING:
    from services.core.context import AppContext
    from services.maintenance.at_rest import SealReport
    from services.people.encryption import EncryptedNow
    from services.people.roles import SignedIn



class EncryptPrompt(QDialog):
    """What encrypting will do, before it is done: 立即加密 (accepted) or 暂不加密 (rejected)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encryptPrompt")
        self.setWindowTitle(self.tr("加密本数据库中的个人信息"))
        self.setMinimumWidth(560)
        title = QLabel(self.tr("本数据库是旧版本建立的，个人信息尚未加密"), self)
        bold = title.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        title.setFont(bold)
        why = QLabel(self.tr("当事人、询问对象的身份证号、电话、住址，询问笔录、文书全文和证据照片目前以明文保存在本机："
                             "电脑、硬盘或U盘丢失时，任何人都能读取。您是管理员，现在可以加密它们。"), self)
        steps = QLabel(self.tr("立即加密时，程序将依次：\n"
                               "1. 先备份数据库（保存在数据库旁的 backups 文件夹）；\n"
                               "2. 用新的数据密钥加密上述个人信息和全部证据附件，并清除数据库文件中的明文残留；\n"
                               "3. 显示一次恢复密钥：请打印或抄写后放入办公室保险柜。"), self)
        steps.setObjectName("encryptSteps")
        after = QLabel(self.tr("请注意：\n"
                               "• 这次加密前的备份和此前的备份仍是明文，完成后会逐个列出，请核对后删除或放入保险柜；\n"
                               "• 加密后，您的密码就是解锁数据的钥匙；其他账户须由您在“用户账户”页面重置密码后才能登录；\n"
                               "• 数据较多时需要几分钟，期间请勿关机。"), self)
        after.setObjectName("encryptNotes")
        later = QLabel(self.tr("暂不加密：本次照常使用（数据仍为明文），下次登录时会再次询问。"), self)
        later.setStyleSheet("color: #5f6368;")
        for label in (why, steps, after, later):
            label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("立即加密"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("暂不加密"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        for widget in (title, why, steps, after, later, buttons):
            layout.addWidget(widget)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # A dialog's size hint ignores how its labels wrap: sized by the wrapped height at its width (with the
        # fonts as they are when shown), or the lines overlap.
        layout = self.layout()
        if layout is not None:
            layout.activate()
            height = layout.totalHeightForWidth(max(self.width(), self.minimumWidth()))
            if height > 0:
                self.setMinimumHeight(height)
                self.resize(max(self.width(), self.minimumWidth()), height)
        super().showEvent(event)


def encryption_done_text(done: EncryptedNow) -> tuple[str, str]:
    """The message after the recovery key: (what was done, the backups and the accounts to see to)."""
    r = done.report
    text = _tr("已加密本数据库中的个人信息（{values} 项）和证据附件（{files} 个），数据库文件中不再留有明文。").format(
        values=r.sealed_values, files=r.files)
    parts: list[str] = []
    if done.plaintext_backups:
        backups = [Path(p) for p in done.plaintext_backups]
        folders = {p.parent for p in backups}
        # One folder (the usual backups/ beside the database): named once, then the files, which stay readable.
        listed = ("\n" + _tr("文件夹 {folder} 中：").format(folder=folders.pop()) + "\n"
                  + "\n".join(f"  {p.name}" for p in backups)) if len(folders) == 1 \
            else "\n" + "\n".join(map(str, backups))
        parts.append(_tr("以下备份是加密前做的，仍含明文的身份证号、电话和住址。请核对加密后的数据无误后删除，"
                         "或放入保险柜保管：") + listed)
    parts.append(_tr("此前复制到U盘或其他电脑的备份同样是明文，请一并处理。"))
    if done.without_slot:
        parts.append(_tr("以下账户须由您在“用户账户”页面重置密码后才能登录：{names}").format(
            names="、".join(done.without_slot)))
    if r.unfinished:
        text = r.unfinished
    return text, "\n\n".join(parts)


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("EncryptUpgrade", text)


Run = Callable[[Callable[[int, str], None]], Any]


def run_with_progress(parent: QWidget, title: str, work: Run, *, runner: TaskRunner | None = None) -> Any:
    """``work(progress)`` on the task runner with its progress dialog; its result, or None after the failure or
    the 取消 has been told (by ``settle``, the runner's policy). The login waits here, painting."""
    from services.maintenance.at_rest import COMMITTED

    run = runner or TaskRunner(parent)
    outcome: list[Any] = []
    loop = QEventLoop()

    def task(state: TaskState) -> Any:
        def progress(percent: int, message: str) -> None:
            if percent < COMMITTED:
                state.progress(percent, message)  # 取消 is heard: nothing is committed yet
                return
            # too late for 取消: the values are sealed, the rest must be finished (services/maintenance/at_rest.py);
            # the dialog drops its 取消 and stays on screen until the end
            state.past_return(percent, message)

        try:
            return ("done", work(progress))
        except BaseException as exc:  # noqa: BLE001 - told on the GUI thread by settle(), below
            return ("failed", exc)

    def finished(result: Any) -> None:
        outcome.append(result)
        loop.quit()

    run.run(task, on_done=finished, parent=parent, title=title)
    if not outcome:
        loop.exec()
    kind, value = outcome[0]
    if kind == "done":
        return value
    if isinstance(value, Cancelled):
        QMessageBox.information(parent, _tr("未加密"), _tr("已取消：数据库没有任何改动。本次照常使用，下次登录时会再次询问。"))
    elif isinstance(value, AppError):
        QMessageBox.warning(parent, _tr("未能加密"), _tr("{reason}\n\n数据库没有任何改动。本次照常使用，下次登录时会再次询问。")
                            .format(reason=value.message))
    else:
        settle(value, parent=parent, title=title)  # a bug: the crash handler
    return None


def offer_encryption(parent: QWidget, context: Callable[[], AppContext], signed: SignedIn, password: str, *,
                     may_be_unfinished: bool = True, runner: TaskRunner | None = None,
                     ask_sheet_path: AskSheetPath | None = None) -> SignedIn:
    """At the login, after the password was accepted: who goes on, and with which key.

    An administrator on a database without a data key is offered the upgrade (the flow above); on one whose
    upgrade stopped after its values were sealed (``may_be_unfinished``: the start-up's light check says it may
    be), the files and the compaction are finished. Anyone else, and an administrator who declines, goes on as
    they are. ``context`` gives the loaded program's context (the start-up loads it meanwhile): it is asked only
    for an administrator, so nobody else waits for it."""
    if not is_administrator(signed.user.role):
        return signed
    if signed.data_key is not None:
        if may_be_unfinished:
            _finish_unfinished(parent, context(), signed, runner=runner)
        return signed
    from services.people.encryption import needs_encryption

    ctx = context()
    if not needs_encryption(ctx.uow(write=False)):
        return signed
    if EncryptPrompt(parent).exec() != QDialog.DialogCode.Accepted:
        return signed  # 暂不加密: plaintext this time, asked again at the next login
    done = _encrypt(parent, ctx, signed, password, runner=runner)
    if done is None:
        return signed
    _show_recovery_key(parent, ctx, done, ask_sheet_path)
    text, details = encryption_done_text(done)
    box = QMessageBox(QMessageBox.Icon.Warning if done.report.unfinished else QMessageBox.Icon.Information,
                      _tr("加密完成") if not done.report.unfinished else _tr("加密未全部完成"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("encryptionDone")
    box.setInformativeText(details)
    box.exec()
    return replace(signed, data_key=done.data_key)


def _encrypt(parent: QWidget, ctx: AppContext, signed: SignedIn, password: str, *,
             runner: TaskRunner | None) -> EncryptedNow | None:
    from services.core.uow import UnitOfWork
    from services.people.encryption import encrypt_database

    username = signed.user.username
    return run_with_progress(parent, _tr("正在加密个人信息…"), lambda progress: encrypt_database(
        UnitOfWork(ctx.db, actor=username, clock=ctx.clock), username, password, progress=progress), runner=runner)


def _show_recovery_key(parent: QWidget, ctx: AppContext, done: EncryptedNow, ask: AskSheetPath | None) -> None:
    from services.documents.recovery_sheet import SheetFacts

    db = ctx.db
    name = db.path.name if db.path is not None else str(db.engine.url.database or "")
    dialog = RecoveryKeyDialog(done.recovery_key, SheetFacts(name, done.township, ctx.clock.today(),
                                                             done.device_code), ask_path=ask, parent=parent)
    dialog.exec()  # closes only once 我已妥善保存 is ticked


def _finish_unfinished(parent: QWidget, ctx: AppContext, signed: SignedIn, *, runner: TaskRunner | None) -> None:
    from services.core.uow import UnitOfWork
    from services.people.encryption import finish_encryption, unfinished_encryption

    if not unfinished_encryption(ctx.uow(write=False)):
        return
    report: SealReport | None = run_with_progress(
        parent, _tr("正在完成上次未完成的加密…"), lambda progress: finish_encryption(
            UnitOfWork(ctx.db, actor=signed.user.username, clock=ctx.clock, role=signed.user.role,
                       data_key=signed.data_key), progress=progress), runner=runner)
    if report is None:
        return
    if report.unfinished:
        QMessageBox.warning(parent, _tr("加密未全部完成"), report.unfinished)
    elif report.sealed_values:
        # values of a column declared sealed after this database was encrypted (migration 0014 marked it): the
        # backup made before sealing them still holds them in the clear, and must be named
        box = QMessageBox(QMessageBox.Icon.Information, _tr("加密完成"), _tr(
            "已加密此前仍为明文的个人信息（{values} 项）和证据附件（{files} 个），数据库文件中不再留有明文。").format(
            values=report.sealed_values, files=report.files), QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("encryptionFinished")
        if report.backup is not None:
            box.setInformativeText(_tr("加密这些个人信息前做的备份仍含明文，请核对后删除或放入保险柜保管：\n{backup}").format(
                backup=report.backup))
        box.exec()
    else:
        QMessageBox.information(parent, _tr("加密完成"), _tr("已完成上次未完成的加密：证据附件 {files} 个，数据库文件中不再留有明文。")
                                .format(files=report.files))


def add_unencrypted_banner(window: QMainWindow, *, administrator: bool) -> QLabel:
    """A banner above the window's pages while the database is not encrypted (once per window): an administrator
    is told it will be asked again, anyone else that the squad leader must sign in once."""
    said = _tr("本数据库尚未加密：当事人的身份证号、电话、住址和证据照片仍以明文保存在本机。")
    said += _tr("您选择了暂不加密，下次登录时会再次询问。") if administrator else \
        _tr("请中队长（管理员）登录一次，程序会在登录时加密这些个人信息。")
    return window_banner(window, "unencryptedBanner", said)[0]


__all__ = ["EncryptPrompt", "add_unencrypted_banner", "encryption_done_text", "offer_encryption",
           "run_with_progress"]
