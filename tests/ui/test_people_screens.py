"""The people screens driven through their widgets, as a new squad leader meets them on day one: the first steps on
an empty 工作台, two officers, an account for one of them, a committee with two mediators, then 切换用户 to that
officer, whose first login asks for a new password; the certificate's standing as the list and the pickers show it;
accounts disabled and unlocked; 修改密码 and 使用说明 from the menus."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from models.enums import Role
from services.core.context import AppContext
from services.core.db import Database
from services.core.keyring import NoKeySlot
from services.people.accounts import UserInfo
from tests.services.conftest import World
from tests.ui.walk import (
    Modal,
    click,
    fill_account,
    fill_committee,
    fill_mediator,
    fill_officer,
    first_login,
    ok,
    open_window,
    read_shown_password,
    run_wizard,
    successor_of,
    switch_user,
    type_text,
)
from ui.help_dialog import GuideDialog
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.password_dialog import ChangePasswordDialog
from ui.people.accounts_page import OpenAccountDialog, ResetPasswordDialog, ShownOnceDialog
from ui.people.committees_page import CommitteeDialog, MediatorDialog
from ui.people.officer_form import OfficerDialog

pytestmark = pytest.mark.gui


def test_day_one_people_through_the_widgets(qtbot: QtBot, tmp_path: Path, modal: Modal) -> None:
    db = Database.open(tmp_path / "new.sqlite3")
    try:
        ctx = AppContext(db)
        run_wizard(qtbot, ctx, township="石板镇", squad="石板镇综合行政执法中队", password="Shiban2026")
        login = first_login(qtbot, ctx, "admin", "Shiban2026")
        assert login.user is not None and not login.user.must_change_password  # the wizard's was typed
        ctx.user = login.user
        window = open_window(ctx, tmp_path)
        qtbot.addWidget(window)

        # An empty 工作台 says what to do first; nothing is ticked yet.
        steps = window.home.first_steps
        assert steps.isVisible()
        assert [steps.marks[k].text().count("✔") for k in ("officers", "accounts", "committees")] == [0, 0, 0]

        # 1. Two officers, from the first step's button and the list's 新建.
        click(qtbot, steps.buttons["officers"])
        assert window.current_key() == "officers"
        officers = window.lists["officers"]
        today = ctx.clock.today()
        soon = (today + timedelta(days=20)).isoformat()
        modal.expect(OfficerDialog, fill_officer("张建国", "51111220001", "2028-12-31"))
        click(qtbot, officers.new_button)
        modal.expect(OfficerDialog, fill_officer("李秀兰", "51111220002", soon, female=True))
        click(qtbot, officers.new_button)
        modal.done()
        assert officers.model.total == 2
        shown = {officers.model.index(r, 0).data(): officers.model.index(r, 7).data() for r in range(2)}
        assert shown == {"张建国": "有效", "李秀兰": "30 天内到期"}
        window.show_page("home")
        assert steps.marks["officers"].text().count("✔") == 1 and steps.marks["accounts"].text().count("✔") == 0

        # 2. An account for 张建国, its password generated and shown once.
        click(qtbot, steps.buttons["accounts"])
        accounts = window.pages["accounts"].ensure_built()  # type: ignore[attr-defined]
        shown_password: list[str] = []

        modal.expect(OpenAccountDialog, fill_account("张建国（51111220001）", "zhangjg", Role.OFFICER))
        modal.expect(ShownOnceDialog, read_shown_password(shown_password))
        click(qtbot, accounts.open_button)
        modal.done()
        assert len(shown_password[0]) == 12
        [row] = [a for a in accounts.rows if a.username == "zhangjg"]
        assert row.officer_name == "张建国" and row.must_change_password

        # 3. A committee with two mediators; what its composition lacks is shown with it.
        window.show_page("home")
        click(qtbot, steps.buttons["committees"])
        committees = window.pages["committees"].ensure_built()  # type: ignore[attr-defined]

        modal.expect(CommitteeDialog, fill_committee("石板镇新华村人民调解委员会", "新华村调委会"))
        click(qtbot, committees.new_button)
        modal.expect(MediatorDialog, fill_mediator("李秀英", "女", "chair"))
        click(qtbot, committees.add_button)
        modal.expect(MediatorDialog, fill_mediator("王德明", "男", "member"))
        click(qtbot, committees.add_button)
        modal.done()
        assert committees.mediators.rowCount() == 2
        assert "三至九人" in committees.problems.text() and "妇女" not in committees.problems.text()
        assert "新华村调委会" in committees.header.text()

        # A second chair is refused under the field, with the law's words.
        def second_chair(dialog: QWidget) -> None:
            assert isinstance(dialog, MediatorDialog)
            type_text(dialog.name, "赵强")
            dialog.position.setCurrentIndex(dialog.position.findData("chair"))
            ok(dialog)
            assert dialog.isVisible() and "已有主任“李秀英”" in dialog.message("is_chair")
            dialog.reject()  # 取消: what was typed is not thrown away without asking

        modal.expect(MediatorDialog, second_chair)
        modal.expect(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Discard).click())
        click(qtbot, committees.add_button)
        modal.done()

        window.show_page("home")
        assert not steps.isVisible()  # every first step done

        # 切换用户: the login dialog over the emptied window; 张建国's first login asks for his own password.
        def sign_in(dialog: QWidget) -> None:
            assert isinstance(dialog, LoginDialog)
            assert not window.centralWidget().isVisible()  # the previous user's screen is not shown meanwhile
            type_text(dialog.username, "zhangjg")
            type_text(dialog.password, shown_password[0])
            ok(dialog)

        def new_password(dialog: QWidget) -> None:
            assert isinstance(dialog, ChangePasswordDialog)
            assert dialog.old.isHidden()
            type_text(dialog.new, "Zhang2026pw")
            type_text(dialog.new2, "Zhang2026px")
            ok(dialog)
            assert dialog.isVisible() and "不一致" in dialog.error.text()
            dialog.new2.clear()
            type_text(dialog.new2, "Zhang2026pw")
            ok(dialog)

        modal.expect(LoginDialog, sign_in)
        modal.expect(ChangePasswordDialog, new_password)
        switch_user(window)
        modal.done()
        successor = successor_of(qtbot, window)
        assert successor.ctx is not None and successor.ctx.user is not None
        assert (successor.ctx.user.username, successor.ctx.user.display_name) == ("zhangjg", "张建国")
        assert "张建国" in successor.windowTitle() and not successor.ctx.user.must_change_password
        # An officer may not register officers or manage accounts.
        assert not successor.lists["officers"].new_button.isVisible()
        successor.show_page("accounts")
        page = successor.pages["accounts"].ensure_built()  # type: ignore[attr-defined]
        assert not page.open_button.isVisible()
        successor.close()
    finally:
        db.dispose()


def _leader_window(ctx: AppContext, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = open_window(ctx, tmp_path)
    qtbot.addWidget(window)
    return window


def test_officer_edit_and_deactivate_from_the_list(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path,
                                                   modal: Modal, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _leader_window(ctx, qtbot, tmp_path)
    window.show_page("officers")
    officers = window.lists["officers"]
    row = next(r for r in range(officers.model.total) if officers.model.index(r, 0).data() == "钱过期")
    assert officers.model.index(row, 7).data() == "已过期"
    assert officers.model.index(row, 7).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"

    def renew(dialog: QWidget) -> None:
        assert isinstance(dialog, OfficerDialog)
        assert "已过期" in dialog.status.text()
        dialog.valid_to.setDate(QDate(2029, 12, 31))
        ok(dialog)

    modal.expect(OfficerDialog, renew)
    officers.table.doubleClicked.emit(officers.model.index(row, 0))
    modal.done()
    row = next(r for r in range(officers.model.total) if officers.model.index(r, 0).data() == "钱过期")
    assert officers.model.index(row, 7).data() == "有效"  # the list read again: the renewed certificate

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)

    def deactivate(dialog: QWidget) -> None:
        assert isinstance(dialog, OfficerDialog)
        assert dialog.active_button is not None
        dialog.active_button.click()

    modal.expect(OfficerDialog, deactivate)
    officers.table.doubleClicked.emit(officers.model.index(row, 0))
    modal.done()
    row = next(r for r in range(officers.model.total) if officers.model.index(r, 0).data() == "钱过期")
    assert officers.model.index(row, 7).data() == "已停用"
    from services.read.queries import officer_picks

    assert world.expired_officer not in [p.uid for p in officer_picks(ctx.reader())]  # out of the pickers

    # Sorting by 证件状态 orders by the standing; a header click asks the query again.
    status_col = [c.key for c in officers.info.columns].index("cert_status")
    officers.table.horizontalHeader().sectionClicked.emit(status_col)
    assert officers.model.query.sort == "cert_status"
    firsts = [officers.model.index(r, 7).data() for r in range(officers.model.total)]
    assert firsts[0] == "有效" and firsts[-1] == "已停用"  # descending: in service and valid first


def test_account_reset_disable_enable_unlock(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path,
                                            modal: Modal, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.core.errors import PermissionDenied
    from services.people.accounts import MAX_FAILED, login, open_account

    open_account(world.uow(), username="zhangsan", role=Role.OFFICER, officer="张三", password="Zhang2026pw")
    for _ in range(MAX_FAILED):
        with pytest.raises(PermissionDenied):
            login(world.uow(), "zhangsan", "wrong-pass1")
    window = _leader_window(ctx, qtbot, tmp_path)
    window.show_page("accounts")
    page = window.pages["accounts"].ensure_built()  # type: ignore[attr-defined]
    page.select("zhangsan")
    assert page.unlock_button.isEnabled() and "已锁定" in page.table.item(page.table.currentRow(), 4).text()
    click(qtbot, page.unlock_button)
    assert "已解锁" in page.status.text() and not page.unlock_button.isEnabled()

    def typed(dialog: QWidget) -> None:
        assert isinstance(dialog, ResetPasswordDialog)
        dialog.password.typed.setChecked(True)
        type_text(dialog.password.first, "Reset2026pw")
        type_text(dialog.password.second, "Reset2026pw")
        ok(dialog)

    modal.expect(ResetPasswordDialog, typed)
    click(qtbot, page.reset_button)
    modal.done()
    assert login(world.uow(), "zhangsan", "Reset2026pw").must_change_password

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    click(qtbot, page.disable_button)
    assert "已停用 zhangsan" in page.status.text() and page.enable_button.isEnabled()
    with pytest.raises(PermissionDenied):
        login(world.uow(), "zhangsan", "Reset2026pw")
    click(qtbot, page.enable_button)
    # Disabling removed its key slot (docs/encryption.md): enabled again, it signs in after a reset.
    with pytest.raises(NoKeySlot, match="重置密码"):
        login(world.uow(), "zhangsan", "Reset2026pw")
    modal.expect(ResetPasswordDialog, typed)
    click(qtbot, page.reset_button)
    modal.done()
    assert login(world.uow(), "zhangsan", "Reset2026pw").username == "zhangsan"


def test_change_own_password_and_the_guide_from_the_menus(qtbot: QtBot, world: World, tmp_path: Path,
                                                          modal: Modal) -> None:
    from services.people.accounts import login

    ctx = AppContext(world.db, world.clock, UserInfo("u-admin", "admin", "管理员", Role.SQUAD_LEADER, None))
    window = _leader_window(ctx, qtbot, tmp_path)
    actions = {a.objectName(): a for a in window.findChildren(type(window.menuBar().actions()[0]))}

    def change(dialog: QWidget) -> None:
        assert isinstance(dialog, ChangePasswordDialog)
        type_text(dialog.old, "not-it-123")
        type_text(dialog.new, "Admin2026pw")
        type_text(dialog.new2, "Admin2026pw")
        ok(dialog)
        assert dialog.isVisible() and dialog.error.text() == "原密码不正确"
        dialog.old.clear()
        type_text(dialog.old, "secret123")  # the template database's administrator password
        ok(dialog)

    modal.expect(ChangePasswordDialog, change)
    actions["changePasswordAction"].trigger()
    modal.done()
    assert login(world.uow(), "admin", "Admin2026pw").username == "admin"

    def guide(dialog: QWidget) -> None:
        assert isinstance(dialog, GuideDialog)
        text = dialog.text.toPlainText()
        assert "登记执法人员" in text and "开设账户" in text and "建立调解委员会" in text
        dialog.reject()

    modal.expect(GuideDialog, guide)
    actions["guideAction"].trigger()
