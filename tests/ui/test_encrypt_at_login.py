"""Issue 17 item 5 on screen: a database made by an earlier version is encrypted when its squad leader signs in —
the prompt, the progress, the recovery key shown once, the message naming the plaintext backups — driven through
the login dialog; 暂不加密 goes on in the clear with a banner and asks again; an officer is told the squad leader
must sign in once; a second login does not upgrade again."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from services.core.cipher import WrongSecret, is_sealed
from services.core.context import AppContext
from services.maintenance.at_rest import needs_sealing
from services.people.recovery import unlock_with_recovery_key
from tests.services.conftest import World, _plain_template, plain_world  # noqa: F401 - fixtures used here
from tests.services.plain_upgrade import ADDRESS, OFFICER, PHONE, RECOVERY_RE, Plain, prepare_plain, raw_files
from tests.ui.walk import Modal, answer, choose_new_password, close_main_windows, open_window, sign_in
from ui.app import CrashHandler, register_bundled_fonts
from ui.encrypt_upgrade import EncryptPrompt, offer_encryption
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.operations import TaskRunner, TaskState, _Relay
from ui.password_dialog import ChangePasswordDialog
from ui.recovery_key import RecoveryKeyDialog
from ui.ui_settings import UiSettings

pytestmark = pytest.mark.gui
ADMIN = ("admin", "secret123")


@pytest.fixture
def plain(plain_world: World) -> Plain:  # noqa: F811 - the fixture imported above
    return prepare_plain(plain_world)


@pytest.fixture
def app_ctx(plain: Plain) -> Iterator[AppContext]:
    """The program's context on the plain database, nobody signed in (the login sets who and the key); the
    bundled fonts registered as the program does at start (the offscreen platform has no CJK font)."""
    register_bundled_fonts()
    yield AppContext(plain.world.db, plain.world.clock)
    close_main_windows()


def _shot(widget: QWidget, name: str, tmp_path: Path) -> Path:
    """The widget as it is painted offscreen (ENFORCEDESK_SHOTS: where to keep it, else the test's folder)."""
    folder = Path(os.environ.get("ENFORCEDESK_SHOTS", tmp_path))
    QApplication.processEvents()
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def _slots(path: Path) -> list[str]:
    with sqlite3.connect(str(path)) as conn:
        return [r[0] for r in conn.execute("SELECT label FROM key_slot ORDER BY label")]


def _login(qtbot: QtBot, ctx: AppContext, modal: Modal, username: str, password: str) -> LoginDialog:
    """The login dialog on the context, the name and password typed and 登录 pressed (modal steps expected first)."""
    login = LoginDialog(ctx, last_user="")
    qtbot.addWidget(login)
    login.show()
    sign_in(username, password)(login)
    modal.done()
    ctx.user = login.user  # as the start-up and 切换用户 do before building the window
    return login


def test_the_squad_leader_encrypts_at_the_login(qtbot: QtBot, app_ctx: AppContext, plain: Plain, modal: Modal,
                                                 tmp_path: Path) -> None:
    path = plain.world.db.path
    assert path is not None
    shown: dict[str, str] = {}

    def prompt(dialog: QWidget) -> None:
        assert isinstance(dialog, EncryptPrompt)
        said = " ".join(label.text() for label in dialog.findChildren(QLabel))
        for words in ("先备份数据库", "证据附件", "仍是明文", "恢复密钥", "重置密码", "下次登录时会再次询问"):
            assert words in said, words
        _shot(dialog, "encrypt_prompt", tmp_path)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # 立即加密

    def recovery_key(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryKeyDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # 继续 waits for 我已妥善保存, as in the first-run wizard
        shown["key"] = dialog.panel.key_label.text()
        dialog.panel.saved.setChecked(True)
        ok.click()

    def result(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and box.objectName() == "encryptionDone"
        shown["text"], shown["details"] = box.text(), box.informativeText()
        _shot(box, "encrypt_result", tmp_path)
        box.button(QMessageBox.StandardButton.Ok).click()

    modal.expect(EncryptPrompt, prompt)
    modal.expect(RecoveryKeyDialog, recovery_key)
    modal.expect(QMessageBox, result)
    login = _login(qtbot, app_ctx, modal, *ADMIN)

    assert login.user is not None and login.user.username == "admin", login.error.text()
    assert app_ctx.data_key is not None  # the session holds the key it made
    assert RECOVERY_RE.match(shown["key"])
    assert unlock_with_recovery_key(app_ctx.uow(write=False), shown["key"]).raw == app_ctx.data_key.raw
    assert "不再留有明文" in shown["text"]
    details = shown["details"]
    assert plain.daily.name in details and str(plain.daily.parent) in details and "before-sealing" in details
    assert "仍含明文" in details
    assert OFFICER[0] in details and "重置密码" in details
    assert _slots(path) == ["recovery", "user:admin"] and not needs_sealing(plain.world.db)
    for f in raw_files(path):
        data = f.read_bytes()
        assert all(n.encode() not in data for n in (plain.id_number, PHONE, ADDRESS)), f.name

    # the window opens without the banner: the database is encrypted and the key unlocked
    window = open_window(app_ctx, tmp_path)
    assert window.findChild(QLabel, "unencryptedBanner") is None

    # a second login: no prompt (an unexpected dialog would fail the test), the key unlocked by the password
    app_ctx.user = app_ctx.data_key = None
    again = _login(qtbot, app_ctx, modal, *ADMIN)
    assert again.user is not None and app_ctx.data_key is not None
    assert _slots(path) == ["recovery", "user:admin"]

    # the officer has no slot until the squad leader resets the password: refused, told so
    officer = _login(qtbot, app_ctx, modal, *OFFICER)
    assert officer.user is None and "请管理员为您重置密码" in officer.error.text()


def test_declined_it_goes_on_in_the_clear_and_asks_again(qtbot: QtBot, app_ctx: AppContext, plain: Plain,
                                                         modal: Modal, tmp_path: Path) -> None:
    path = plain.world.db.path
    assert path is not None
    before = path.read_bytes()

    def decline(dialog: QWidget) -> None:
        assert isinstance(dialog, EncryptPrompt)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()  # 暂不加密

    modal.expect(EncryptPrompt, decline)
    login = _login(qtbot, app_ctx, modal, *ADMIN)
    assert login.user is not None and app_ctx.data_key is None
    assert _slots(path) == [] and needs_sealing(plain.world.db)
    assert plain.id_number.encode() in path.read_bytes() or plain.id_number.encode() in before
    window = open_window(app_ctx, tmp_path)
    banner = window.findChild(QLabel, "unencryptedBanner")
    assert banner is not None and "下次登录时会再次询问" in banner.text()

    # an officer works as before, in the clear, and is told who can encrypt
    app_ctx.user = None
    officer = _login(qtbot, app_ctx, modal, *OFFICER)
    assert officer.user is not None and app_ctx.data_key is None
    officer_window = open_window(app_ctx, tmp_path)
    banner = officer_window.findChild(QLabel, "unencryptedBanner")
    assert banner is not None and "请中队长（管理员）登录一次" in banner.text()
    _shot(officer_window, "encrypt_officer_banner", tmp_path)

    # the squad leader's next login asks again
    asked: list[bool] = []
    modal.expect(EncryptPrompt, lambda d: (asked.append(True), decline(d)))
    app_ctx.user = None
    _login(qtbot, app_ctx, modal, *ADMIN)
    assert asked == [True] and _slots(path) == []


# -- the same at the program's start (ui/app.py: the login first, the program loaded meanwhile) -----------------


def _start_as(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, modal: Modal, tmp_path: Path, db_path: Path,
              username: str, password: str, then: Sequence[tuple[type[Any], Callable[[Any], None]]] = ()
              ) -> MainWindow | None:
    """cli.gui.run_gui on ``db_path`` with a user who signs in as ``username``, then acts on the dialogs ``then``
    names in turn; the window it opened (the caller closes it after looking at it), or None."""
    import cli.gui as entry
    import ui.app as ui_app

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs the crash handler
    crashes: list[Path | None] = []
    monkeypatch.setattr(ui_app, "CrashHandler", lambda path: CrashHandler(path, show_dialog=crashes.append))
    ini = str(tmp_path / "ui.ini")
    monkeypatch.setattr(ui_app, "UiSettings", lambda: UiSettings(QSettings(ini, QSettings.Format.IniFormat)))
    opened: list[MainWindow] = []

    def settle(_app: QApplication) -> int:  # instead of the event loop: the window attaches what has loaded
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        qtbot.waitUntil(lambda: all(w.attached for w in windows), timeout=30_000)
        qtbot.wait(200)
        opened.extend(windows)
        return 0

    monkeypatch.setattr(QApplication, "exec", settle)

    modal.expect(LoginDialog, sign_in(username, password))
    for kind, act in then:  # what the login opens
        modal.expect(kind, act)
    assert entry.run_gui(db_path) == 0
    modal.done()
    assert crashes == []
    return opened[0] if opened else None


def test_at_the_program_start_the_squad_leader_encrypts_and_the_officer_sees_the_banner(
        qtbot: QtBot, plain: Plain, modal: Modal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register_bundled_fonts()
    path = plain.world.db.path
    assert path is not None
    plain.world.db.dispose()

    # an officer first: the quick login, the early window, and the banner saying who can encrypt
    window = _start_as(qtbot, monkeypatch, modal, tmp_path, path, *OFFICER)
    assert window is not None and window.ctx is not None and window.ctx.data_key is None
    banner = window.findChild(QLabel, "unencryptedBanner")
    assert banner is not None and "请中队长（管理员）登录一次" in banner.text()
    window.close()
    assert _slots(path) == []

    # the squad leader: asked, encrypts, sees the recovery key and the backups; the window holds the key
    window = _start_as(qtbot, monkeypatch, modal, tmp_path, path, *ADMIN, then=(
        (EncryptPrompt, lambda d: d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()),
        (RecoveryKeyDialog, lambda d: (d.panel.saved.setChecked(True),
                                       d.buttons.button(QDialogButtonBox.StandardButton.Ok).click())),
        (QMessageBox, lambda b: b.button(QMessageBox.StandardButton.Ok).click())))
    assert window is not None and window.ctx is not None and window.ctx.data_key is not None
    assert window.findChild(QLabel, "unencryptedBanner") is None
    _shot(window, "encrypt_window_after", tmp_path)
    window.close()
    assert _slots(path) == ["recovery", "user:admin"]
    for f in raw_files(path):
        data = f.read_bytes()
        assert all(n.encode() not in data for n in (plain.id_number, PHONE, ADDRESS)), f.name


class _Midway(TaskState):
    """取消 pressed once the work is a third of the way through: values sealed in the open transaction already."""

    def progress(self, percent: int, message: str = "") -> None:
        if percent >= 30:
            self.cancel()
        super().progress(percent, message)


class _CancelledMidway(TaskRunner):
    """The runner, inline, with the user pressing its progress dialog's 取消 mid-way."""

    def run(self, fn: Callable[[TaskState], Any], *, on_done: Callable[[Any], None], parent: QWidget | None = None,
            title: str = "", show_progress: bool = True, report: Any = None) -> TaskState:
        state = _Midway(_Relay())
        on_done(fn(state))
        return state


def test_cancel_while_encrypting_changes_nothing(qtbot: QtBot, app_ctx: AppContext, plain: Plain,
                                                  modal: Modal) -> None:
    from services.people.accounts import sign_in as service_sign_in

    path = plain.world.db.path
    assert path is not None
    backups = sorted((path.parent / "backups").iterdir())
    signed = service_sign_in(app_ctx.uow(), *ADMIN)
    parent = QWidget()
    qtbot.addWidget(parent)
    said: list[str] = []
    modal.expect(EncryptPrompt, lambda d: d.buttons.button(QDialogButtonBox.StandardButton.Ok).click())
    modal.expect(QMessageBox, answer(QMessageBox.StandardButton.Ok, said))
    after = offer_encryption(parent, lambda: app_ctx, signed, ADMIN[1], runner=_CancelledMidway())
    modal.done()
    assert after.data_key is None and said and "已取消" in said[0] and "没有任何改动" in said[0]
    assert _slots(path) == [] and needs_sealing(plain.world.db)
    assert sorted((path.parent / "backups").iterdir()) == backups  # no before-sealing copy left behind


def test_a_password_given_to_the_squad_leader_is_replaced_first_and_the_new_one_opens_the_data(
        qtbot: QtBot, app_ctx: AppContext, plain: Plain, modal: Modal) -> None:
    from services.core.keyring import unlock_with_password
    from services.core.uow import UnitOfWork

    path = plain.world.db.path
    assert path is not None
    with sqlite3.connect(str(path)) as conn:  # as ``init`` leaves a generated password
        conn.execute("UPDATE user_account SET must_change_password = 1 WHERE username = 'admin'")
    modal.expect(ChangePasswordDialog, choose_new_password("Chosen2026pw"))
    modal.expect(EncryptPrompt, lambda d: d.buttons.button(QDialogButtonBox.StandardButton.Ok).click())
    modal.expect(RecoveryKeyDialog, lambda d: (d.panel.saved.setChecked(True),
                                               d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()))
    modal.expect(QMessageBox, lambda b: b.button(QMessageBox.StandardButton.Ok).click())
    login = _login(qtbot, app_ctx, modal, *ADMIN)
    assert login.user is not None and app_ctx.data_key is not None
    with UnitOfWork(plain.world.db, actor="t", write=False) as u:  # the slot is the new password's, not the old
        assert unlock_with_password(u.session, "admin", "Chosen2026pw").raw == app_ctx.data_key.raw
        with pytest.raises(WrongSecret):
            unlock_with_password(u.session, "admin", ADMIN[1])


def test_an_upgrade_that_stopped_after_its_commit_is_finished_at_the_next_login(
        qtbot: QtBot, app_ctx: AppContext, plain: Plain, modal: Modal, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.core.uow import UnitOfWork
    from services.maintenance import at_rest
    from services.people.encryption import encrypt_database, unfinished_encryption

    path = plain.world.db.path
    assert path is not None

    def locked(*_args: Any) -> bool:
        raise PermissionError(13, "文件被占用")

    monkeypatch.setattr(at_rest, "seal_blob_file", locked)
    done = encrypt_database(UnitOfWork(plain.world.db, actor="admin", clock=plain.world.clock), *ADMIN)
    monkeypatch.undo()
    assert done.report.unfinished and unfinished_encryption(app_ctx.uow(write=False))

    said: list[str] = []
    modal.expect(QMessageBox, answer(QMessageBox.StandardButton.Ok, said))
    login = _login(qtbot, app_ctx, modal, *ADMIN)
    assert login.user is not None and app_ctx.data_key is not None
    assert said and "已完成上次未完成的加密" in said[0]
    assert not unfinished_encryption(app_ctx.uow(write=False)) and not needs_sealing(plain.world.db)
    for f in raw_files(path):
        data = f.read_bytes()
        assert all(n.encode() not in data for n in (plain.id_number, PHONE, ADDRESS)), f.name


def test_the_progress_stays_on_screen_to_the_end_once_the_values_are_committed(qtbot: QtBot, tmp_path: Path) -> None:
    """Past the commit the upgrade cannot be abandoned (the files and the compaction must be finished): the
    progress dialog drops its 取消, and closing it (the close box, Esc) does not hide the work going on."""
    import threading

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from services.maintenance.at_rest import COMMITTED
    from ui.encrypt_upgrade import run_with_progress

    register_bundled_fonts()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(640, 400)
    parent.show()
    shown, committed, finish = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def work(progress: Callable[[int, str], None]) -> str:
        progress(0, "正在备份数据库…")
        assert shown.wait(20)
        progress(COMMITTED + 5, "正在压缩数据库文件（清除明文残留）…")
        committed.set()
        assert finish.wait(20)
        progress(100, "完成")
        return "sealed"

    def dialog() -> QProgressDialog | None:
        found = parent.findChild(QProgressDialog)
        return found if isinstance(found, QProgressDialog) else None

    def step() -> None:
        d = dialog()
        if not shown.is_set():
            if d is not None and d.isVisible() and d.findChild(QPushButton) is not None:
                shown.set()  # 取消 offered while nothing is committed
        elif committed.is_set() and d is not None and d.findChild(QPushButton) is None and "closed" not in seen:
            seen["closed"] = True
            d.close()  # the close box: QProgressDialog hides itself and says canceled
        elif "closed" in seen and "after close" not in seen:
            seen["after close"] = d is not None and d.isVisible()
            if d is not None:
                seen["shot"] = _shot(d, "encrypt-progress-after-commit", tmp_path)
                QTest.keyClick(d, Qt.Key.Key_Escape)  # Esc hides a dialog (rejected) without a 取消
        elif "after close" in seen:
            seen["after esc"] = d is not None and d.isVisible()
            finish.set()
            return
        QTimer.singleShot(20, step)

    QTimer.singleShot(20, step)
    result = run_with_progress(parent, "正在加密个人信息…", work, runner=TaskRunner(parent))
    assert result == "sealed" and seen.get("after close") is True and seen.get("after esc") is True


def test_values_left_in_the_clear_by_an_earlier_version_are_sealed_at_the_squad_leaders_login(
        qtbot: QtBot, world: World, modal: Modal, tmp_path: Path) -> None:
    """An encrypted database whose case place and facts an intermediate version left in the clear: opened by this
    version (migration 0014 marks it), the squad leader's login seals them and names the backup made first."""
    from services.core.db import Database
    from tests.services.plain_upgrade import prepare_intermediate

    register_bundled_fonts()
    old = prepare_intermediate(world)
    assert world.db.path is not None
    db = Database.open(world.db.path)
    ctx = AppContext(db, world.clock)
    try:
        shown: list[str] = []

        def finished(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            shown.extend([box.text(), box.informativeText()])
            _shot(box, "encrypt-finished-values", tmp_path)
            box.button(QMessageBox.StandardButton.Ok).click()

        modal.expect(QMessageBox, finished)
        login = _login(qtbot, ctx, modal, *ADMIN)
        assert login.user is not None and ctx.data_key is not None
        assert "已加密此前仍为明文的个人信息（2 项）" in shown[0]
        assert "仍含明文" in shown[1] and "before-sealing" in shown[1]
        with sqlite3.connect(str(world.db.path)) as conn:
            place, facts = conn.execute("SELECT place, facts FROM penalty_case WHERE uid = ?",
                                        (old.case_uid,)).fetchone()
        assert is_sealed(place) and is_sealed(facts)
        assert not needs_sealing(db)
    finally:
        close_main_windows()
        db.dispose()
