"""The first week after day one, through the widgets from an empty data folder (what tests/ui/test_day_one.py does
not walk): the district clerk's first start, key cards and a folder of bundles; the squad leader's own week.

Each test clicks and types as a user does; the other party (a township writing its bundles, or its key card) is
set up with the command line as its operator would. The wrong file picked, the empty field and 取消 are walked
too: each must say in Chinese what is wrong and what to do, and change nothing.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from models.enums import InspectionResult, ItemResult, Role
from models.tz import SHANGHAI
from services.core.clock import FixedClock
from services.core.context import AppContext
from services.core.db import Database
from services.core.errors import AppError
from services.people.accounts import login
from services.people.recovery import unlock_with_recovery_key
from services.reference.settings_admin import settings_rows
from services.sync.trust import trusted_devices
from tests.ui.walk import (
    WAIT_MS,
    Act,
    Modal,
    answer,
    choose_new_password,
    choose_path,
    cli,
    click,
    close_main_windows,
    fill_account,
    fill_officer,
    first_login,
    ok,
    open_window,
    read_shown_password,
    run_main,
    run_wizard,
    sign_in,
    snap,
    successor_of,
    switch_user,
    type_text,
)
from ui.forms.inspection_form import InspectionDialog
from ui.forms.settings_forms import SettingEditDialog
from ui.laptop_account import LaptopAccountDialog
from ui.login import FirstRunDialog, LoginDialog
from ui.main_window import MainWindow
from ui.operations import TaskState
from ui.password_dialog import ChangePasswordDialog
from ui.people.accounts_page import OpenAccountDialog, ResetPasswordDialog, ShownOnceDialog
from ui.people.officer_form import OfficerDialog
from ui.recovery_key import RecoveryKeyDialog

pytestmark = [pytest.mark.gui, pytest.mark.slow,
              # The file dialogs (Qt's own, offscreen) ask the platform to raise them and grab the keyboard.
              pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")]

DISTRICT_PASSWORD = "Qu2026pass"
DEMO_PASSWORD = "demo12345"  # the demo township's administrator (README: demo)


def district_from_empty(qtbot: QtBot, ctx: AppContext) -> None:
    """The first-run wizard with 区级 chosen, the recovery key acknowledged, then the administrator's login."""
    wizard = FirstRunDialog(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    # On the indicator: a radio button reacts to its indicator and text, not to the empty width beside them.
    qtbot.mouseClick(wizard.district_choice, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, wizard.district_choice.height() // 2))
    assert wizard.is_district()
    ok(wizard)  # nothing typed yet: refused with a reason, nothing set up
    assert wizard.recovery is None and wizard.error.text(), wizard.error.text()
    type_text(wizard.district_name, "乐山市五通桥区")
    type_text(wizard.password, DISTRICT_PASSWORD)
    type_text(wizard.password2, DISTRICT_PASSWORD)
    ok(wizard)
    assert wizard.recovery is not None, wizard.error.text()
    wizard.recovery.saved.setChecked(True)
    ok(wizard)
    assert not wizard.isVisible()
    ctx.user = first_login(qtbot, ctx, "admin", DISTRICT_PASSWORD).user


def test_the_district_clerks_first_week(qtbot: QtBot, tmp_path: Path, modal: Modal) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = Database.open(data / "enforcedesk.sqlite3")
    ctx = AppContext(db, FixedClock(datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)))
    try:
        district_from_empty(qtbot, ctx)
        window = open_window(ctx, tmp_path, db_label="区级")
        assert window.district
        _week(qtbot, modal, window, ctx, tmp_path)
    finally:
        close_main_windows()
        db.dispose()


def _week(qtbot: QtBot, modal: Modal, window: MainWindow, ctx: AppContext, tmp_path: Path) -> None:
    # The first screen of a new district: an empty grid that says how it fills.
    grid = window.pages["district_grid"]
    window.show_page("district_grid")
    assert "尚无任何乡镇的数据" in grid.summary.text() and "数据导入" in grid.summary.text(), grid.summary.text()
    window.show_page("district_stats")
    stats = window.pages["district_stats"]
    assert "尚无任何乡镇的数据" in stats.notice.text(), stats.notice.text()
    window.show_page("district_supervision")
    supervision = window.pages["district_supervision"]
    assert "尚无任何乡镇的数据" in supervision.summary.text(), supervision.summary.text()  # not "没有逾期事项"
    snap(window, "week_d01_empty_grid")

    # The district's key card, written from the window for the townships.
    window.show_page("sync")
    sync = window.pages["sync"].ensure_built()  # type: ignore[attr-defined]
    sync.tabs.setCurrentIndex({sync.tabs.tabText(i): i for i in range(sync.tabs.count())}["设备与密钥"])
    # Nobody trusted yet: the empty table says what its two buttons do, and so does the empty history.
    assert sync.devices_hint.isVisibleTo(sync) and "导出本机密钥卡" in sync.devices_hint.text()
    assert sync.history.count() == 1 and "尚无同步记录" in sync.history.item(0).text()
    assert not sync.peers_hint.isHidden() and "设备与密钥" in sync.peers_hint.text()
    card = tmp_path / "区级密钥卡.edkey"
    modal.expect(QFileDialog, choose_path(card))
    click(qtbot, sync.write_card_button)
    modal.done()
    assert card.is_file(), sync.device_message.text()

    # A township (the demo's 竹根镇) trusts it and writes its bundle and its own key card, on the command line.
    town, password = tmp_path / "town.sqlite3", tmp_path / "town-pw"
    password.write_text(DEMO_PASSWORD + "\n", encoding="utf-8")
    cli("demo", "--db", str(town), "--scale", "small")
    town_card = tmp_path / "竹根镇.edkey"
    cli("keys", "export", "--db", str(town), "--out", str(town_card), "--user", "admin", "--password-file",
        str(password))
    cli("keys", "trust", "--db", str(town), str(card))
    stick = tmp_path / "U盘"
    stick.mkdir()
    cli("sync", "export", "--db", str(town), "--out", str(stick), "--to", str(card), "--user", "admin",
        "--password-file", str(password))
    [bundle] = stick.glob("*.edsync")

    # The bundle picked instead of the key card: what a key card is and where it comes from, nothing trusted.
    modal.expect(QFileDialog, choose_path(bundle))
    click(qtbot, sync.trust_card_button)
    modal.done()
    said = sync.device_message.text()
    assert "不是 EnforceDesk 密钥卡" in said and ".edkey" in said, said
    assert "codec" not in said and "utf-8" not in said, said  # never the parser's words
    assert not trusted_devices(ctx.uow()), said
    modal.expect(QFileDialog, choose_path(town_card))
    click(qtbot, sync.trust_card_button)
    modal.done()
    assert "已信任" in sync.device_message.text(), sync.device_message.text()
    assert not sync.devices_hint.isVisibleTo(sync) and sync.devices.rowCount() == 1
    assert sync.peers_hint.isHidden()
    snap(window, "week_d02_trusted_township")

    # The folder of bundles from the stick (a photo lies there too) imported on 数据导入.
    (stick / "现场照片.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    window.show_page("district_intake")
    intake = window.pages["district_intake"]
    modal.expect(QFileDialog, choose_path(stick))
    click(qtbot, intake.folder_button)
    modal.done()
    qtbot.waitUntil(lambda: "导入 1 个同步包" in intake.bundle_message.text(), timeout=60_000)
    shown = intake.bundle_message.text()
    # The demo township edited its catalogue (reference data is the district's): the records held back are
    # counted in red, and the message says they were not written and where each one's reason is.
    [line] = intake.bundle_model.rows
    assert line.problems > 0 and "同步 → 隔离/冲突" in line.message, line
    assert f"其中 {line.problems} 条记录未写入" in shown and "“隔离”" in shown, shown
    snap(window, "week_d03_intake")

    # The stick pulled out between choosing its folder and the import: said so, not "no bundles in the folder".
    intake.import_bundles(tmp_path / "已拔出的U盘")
    qtbot.waitUntil(lambda: "找不到文件夹" in intake.bundle_message.text(), timeout=60_000)
    assert "U 盘是否已拔出" in intake.bundle_message.text(), intake.bundle_message.text()
    # A photo saved with an .xlsx name picked as 竹根镇's Excel ledger: what to do, not the library's error class.
    photo = tmp_path / "竹根镇台账.xlsx"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    # 竹根镇 came in with the bundles: offered in the ledger's township list (not asked about as a new township).
    assert intake.township.findText("竹根镇") >= 0
    intake.township.setEditText("竹根镇")
    modal.expect(QFileDialog, choose_path(photo))
    click(qtbot, intake.ledger_button)
    modal.done()
    qtbot.waitUntil(lambda: "未导入" in intake.ledger_message.text(), timeout=60_000)
    said = intake.ledger_message.text()
    assert "不是 Excel 工作簿（.xlsx）" in said and "另存为" in said and "生成空白模板" in said, said
    assert "BadZipFile" not in said and "template 生成" not in said, said

    window.show_page("district_grid")
    qtbot.waitUntil(lambda: "共 1 个乡镇" in grid.summary.text(), timeout=60_000)
    window.show_page("district_supervision")
    qtbot.waitUntil(lambda: "截至" in supervision.summary.text(), timeout=60_000)
    window.show_page("sync")
    sync.refresh()
    # Each held record's reason on 同步 → 隔离, in the clerk's words (the table's Chinese name, not power_item).
    reasons = [sync.quarantine_table.item(r, 3).text() for r in range(sync.quarantine_table.rowCount())]
    assert len(reasons) == line.problems and all(r.startswith("权力事项是参考数据") for r in reasons), reasons[:2]
    assert not any("power_item" in r for r in reasons), reasons[:2]
    # The bundle came in, its receipt went back: each named in Chinese (never the manifest's records/receipt).
    said = [sync.history.item(i).text() for i in range(sync.history.count())]
    assert any("← 导入 第1号（同步包）" in line for line in said), said
    assert any("→ 导出 第1号（回执）" in line for line in said), said
    assert not any(word in line for line in said for word in ("records", "receipt", "reference")), said


@pytest.mark.parametrize(("district", "field", "typed", "said"), [
    (False, "township", "石" * 31, "乡镇名称过长：最多 30 个字"),
    (False, "squad", "综" * 41, "中队名称过长：最多 40 个字"),
    (False, "district", "区" * 31, "所属区县过长"),
    (True, "district_name", "区" * 31, "区县名称过长"),
    (True, "bureau", "局" * 41, "执法部门名称过长"),
])
def test_an_overlong_name_at_set_up_is_refused_where_it_was_typed(qtbot: QtBot, tmp_path: Path, district: bool,
                                                                  field: str, typed: str, said: str) -> None:
    """A name longer than any real one (pasted by mistake) would set up a database whose key card and bundles
    every other device refuses: the wizard says so on the field, and nothing is set up."""
    from services.reference.setup import is_initialised

    db = Database.open(tmp_path / "new.sqlite3")
    try:
        wizard = FirstRunDialog(AppContext(db))
        qtbot.addWidget(wizard)
        wizard.show()
        if district:
            qtbot.mouseClick(wizard.district_choice, Qt.MouseButton.LeftButton,
                             pos=QPoint(8, wizard.district_choice.height() // 2))
            type_text(wizard.district_name, "乐山市五通桥区")
        else:
            type_text(wizard.township, "石板镇")
            type_text(wizard.squad, "石板镇综合行政执法中队")
        edit = getattr(wizard, field)
        edit.clear()
        type_text(edit, typed)
        type_text(wizard.password, DISTRICT_PASSWORD)
        type_text(wizard.password2, DISTRICT_PASSWORD)
        ok(wizard)
        assert said in wizard.error.text(), wizard.error.text()
        assert wizard.recovery is None and not is_initialised(db)
        assert wizard.focusWidget() is edit  # the cursor where the correction is typed
    finally:
        db.dispose()


# -- the squad leader's week at a township ------------------------------------------------------------------------

ADMIN_PASSWORD = "Shiban2026"
OFFICER_PASSWORD = "Zhang2026pw"


def test_the_squad_leaders_week_passwords_and_the_recovery_key(qtbot: QtBot, tmp_path: Path, modal: Modal) -> None:
    """An officer's password reset by the squad leader (取消 first: nothing changes), the officer's own new one
    and a change refused twice; then the recovery-key sheet lost: a new key made from the window (取消 first),
    printed, and the old sheet no longer opens the database while the new one does."""
    db = Database.open(tmp_path / "enforcedesk.sqlite3")
    ctx = AppContext(db, FixedClock(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)))
    try:
        wizard = run_wizard(qtbot, ctx, township="石板镇", squad="石板镇综合行政执法中队", password=ADMIN_PASSWORD)
        first_key = wizard.recovery.key_label.text()  # type: ignore[union-attr]  # as written on the first sheet
        ctx.user = first_login(qtbot, ctx, "admin", ADMIN_PASSWORD).user
        window = open_window(ctx, tmp_path, db_label="石板镇")
        window = _passwords(qtbot, modal, window)
        _recovery_key(qtbot, modal, window, first_key, tmp_path)
    finally:
        close_main_windows()
        db.dispose()


def _passwords(qtbot: QtBot, modal: Modal, window: MainWindow) -> MainWindow:
    """The accounts part of the week; returns the squad leader's window after he signs in again."""
    window.show_page("officers")
    modal.expect(OfficerDialog, fill_officer("张建国", "51111220001", "2028-12-31"))
    click(qtbot, window.lists["officers"].new_button)
    modal.done()
    window.show_page("accounts")
    accounts = window.pages["accounts"].ensure_built()  # type: ignore[attr-defined]
    first: list[str] = []
    modal.expect(OpenAccountDialog, fill_account("张建国（51111220001）", "zhangjg", Role.OFFICER))
    modal.expect(ShownOnceDialog, read_shown_password(first))
    click(qtbot, accounts.open_button)
    modal.done()

    # 重置密码… then 取消: nothing changes, the first password still stands.
    accounts.select("zhangjg")
    modal.expect(ResetPasswordDialog, lambda dialog: dialog.reject())
    click(qtbot, accounts.reset_button)
    modal.done()
    assert login(window.ctx.uow(), "zhangjg", first[0]).username == "zhangjg"  # type: ignore[union-attr]
    # The officer forgot it: reset, the new one shown once; the old one no longer signs in.
    reset: list[str] = []
    modal.expect(ResetPasswordDialog, ok)
    modal.expect(ShownOnceDialog, read_shown_password(reset))
    click(qtbot, accounts.reset_button)
    modal.done()
    assert reset[0] != first[0] and "已重置 zhangjg 的密码" in accounts.status.text()
    snap(window, "week_t01_password_reset")

    # The officer signs in with it and must choose one of his own, then tries to change it again badly.
    modal.expect(LoginDialog, sign_in("zhangjg", reset))
    modal.expect(ChangePasswordDialog, choose_new_password(OFFICER_PASSWORD))
    switch_user(window)
    modal.done()
    officer_window = successor_of(qtbot, window, register=False)
    said: list[str] = []

    def refused_twice(dialog: QWidget) -> None:
        assert isinstance(dialog, ChangePasswordDialog)
        type_text(dialog.old, OFFICER_PASSWORD)
        type_text(dialog.new, "Zhang2027pw")
        type_text(dialog.new2, "Zhang2027px")
        ok(dialog)
        said.append(dialog.error.text())
        dialog.old.clear()
        type_text(dialog.old, "wrong-old-1")
        dialog.new2.clear()
        type_text(dialog.new2, "Zhang2027pw")
        ok(dialog)
        said.append(dialog.error.text())
        assert dialog.isVisible()
        dialog.reject()  # 取消

    modal.expect(ChangePasswordDialog, refused_twice)
    officer_window.change_password()
    modal.done()
    assert said == ["两次输入的新密码不一致", "原密码不正确"], said
    assert login(officer_window.ctx.uow(), "zhangjg", OFFICER_PASSWORD).username == "zhangjg"  # type: ignore[union-attr]
    # An officer may not make a recovery key: told so, nothing asked.
    modal.expect(QMessageBox, answer(QMessageBox.StandardButton.Ok, said))
    assert not officer_window.new_recovery_key()
    modal.done()
    assert "只有中队长" in said[-1], said
    modal.expect(LoginDialog, sign_in("admin", ADMIN_PASSWORD))
    switch_user(officer_window)
    modal.done()
    return successor_of(qtbot, officer_window, register=False)


def _recovery_key(qtbot: QtBot, modal: Modal, window: MainWindow, first_key: str, tmp_path: Path) -> None:
    assert window.ctx is not None and window.ctx.user is not None and window.ctx.user.username == "admin"
    ctx = window.ctx
    [action] = [a for a in window.menuBar().actions()[0].menu().actions() if a.objectName() == "newRecoveryKeyAction"]
    # 取消 at the question: the first sheet still opens the database.
    asked: list[str] = []
    modal.expect(QMessageBox, answer(QMessageBox.StandardButton.No, asked))
    action.trigger()
    modal.done()
    assert "旧的恢复密钥单立即作废" in asked[0], asked
    assert unlock_with_recovery_key(ctx.uow(write=False), first_key) is not None

    sheet = tmp_path / "恢复密钥单.pdf"
    shown: list[str] = []

    def keep(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryKeyDialog)
        shown.append(dialog.panel.key_label.text())
        modal.expect(QFileDialog, choose_path(sheet))
        click(qtbot, dialog.panel.print_button)
        assert "恢复密钥单已保存" in dialog.panel.status.text(), dialog.panel.status.text()
        snap(dialog, "week_t02_new_recovery_key")
        dialog.reject()  # Esc before 我已妥善保存: the key is shown once, the dialog stays
        assert dialog.isVisible()
        dialog.panel.saved.setChecked(True)
        ok(dialog)

    modal.expect(QMessageBox, answer(QMessageBox.StandardButton.Yes))
    modal.expect(RecoveryKeyDialog, keep)
    action.trigger()
    modal.done()
    [new_key] = shown
    assert new_key != first_key and sheet.read_bytes().startswith(b"%PDF")
    with pytest.raises(AppError):  # the old sheet in the safe opens nothing now
        unlock_with_recovery_key(ctx.uow(write=False), first_key)
    assert unlock_with_recovery_key(ctx.uow(write=False), new_key) is not None


# -- the field laptop: made at the office, worked on, synchronised back ------------------------------------------


def fill_passed_inspection(place: str, officers: tuple[str, ...]) -> Act:
    """A routine check on the laptop: the place, both officers, every line answered fine, 合格."""
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, InspectionDialog)
        type_text(dialog.place, place)
        dialog.domain.setCurrentIndex(dialog.domain.findData("油烟"))
        for name in officers:
            [item] = [dialog.officers.item(i) for i in range(dialog.officers.count())
                      if name in dialog.officers.item(i).text()]
            item.setCheckState(Qt.CheckState.Checked)
        for row in range(dialog.checklist.rowCount()):
            dialog.checklist.set_result(row, ItemResult.OK)
        dialog.result.setCurrentIndex(dialog.result.findData(InspectionResult.PASSED.value))
        ok(dialog)
        assert not dialog.isVisible(), [dialog.message(k) for k in ("place", "officers", "result")]

    return fill


def test_the_squad_leaders_field_laptop_week(qtbot: QtBot, tmp_path: Path, modal: Modal,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """制作外勤笔记本 from the office window (取消 first: nothing written), the laptop copy opened with the squad
    leader's password, a check recorded on it, its bundle exported on the laptop and imported at the office
    (a photo picked first: refused, nothing written), the receipt taken back."""
    office_db = Database.open(tmp_path / "office" / "enforcedesk.sqlite3")
    clock = FixedClock(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI))
    office_ctx = AppContext(office_db, clock)
    laptop_path = tmp_path / "U盘" / "enforcedesk.sqlite3"
    laptop_path.parent.mkdir()
    laptop_db: Database | None = None
    try:
        run_wizard(qtbot, office_ctx, township="石板镇", squad="石板镇综合行政执法中队", password=ADMIN_PASSWORD)
        office_ctx.user = first_login(qtbot, office_ctx, "admin", ADMIN_PASSWORD).user
        office = open_window(office_ctx, tmp_path / "office", db_label="办公室")
        office.show_page("officers")
        modal.expect(OfficerDialog, fill_officer("张建国", "51111220001", "2028-12-31"))
        modal.expect(OfficerDialog, fill_officer("李秀兰", "51111220002", "2029-06-30", female=True))
        click(qtbot, office.lists["officers"].new_button)
        click(qtbot, office.lists["officers"].new_button)
        modal.done()

        office.show_page("sync")
        page = office.pages["sync"].ensure_built()  # type: ignore[attr-defined]
        tabs = {page.tabs.tabText(i): i for i in range(page.tabs.count())}
        page.tabs.setCurrentIndex(tabs["设备与密钥"])
        modal.expect(LaptopAccountDialog, lambda dialog: dialog.reject())  # 取消: nothing asked further
        click(qtbot, page.provision_button)
        modal.done()
        assert not laptop_path.exists() and page.device_message.text() == ""

        def account(dialog: QWidget) -> None:
            assert isinstance(dialog, LaptopAccountDialog)
            dialog.user.setCurrentIndex(dialog.user.findData("admin"))
            ok(dialog)  # no password typed: asked for, the dialog stays
            assert dialog.isVisible() and dialog.error.text(), dialog.error.text()
            type_text(dialog.password_edit, ADMIN_PASSWORD)
            ok(dialog)

        modal.expect(LaptopAccountDialog, account)
        modal.expect(QFileDialog, choose_path(laptop_path))
        click(qtbot, page.provision_button)
        modal.done()
        assert "已制作外勤笔记本" in page.device_message.text(), page.device_message.text()
        assert laptop_path.is_file() and Path(f"{laptop_path}.keys").is_file()
        snap(office, "week_l01_laptop_made")

        # On the laptop: the copy opens with the squad leader's own password; a check is recorded there.
        laptop_db = Database.open(laptop_path)
        laptop_ctx = AppContext(laptop_db, clock)
        laptop_ctx.user = first_login(qtbot, laptop_ctx, "admin", ADMIN_PASSWORD).user
        laptop = open_window(laptop_ctx, tmp_path / "laptop", db_label="外勤笔记本")
        laptop.show_page("inspections")
        modal.expect(InspectionDialog, fill_passed_inspection("石板镇新街12号（王记面馆）", ("张建国", "李秀兰")))
        click(qtbot, laptop.lists["inspections"].new_button)
        modal.done()
        laptop.show_page("inspections")
        assert laptop.lists["inspections"].model.total == 1

        # The laptop's bundle, encrypted for the office it was made from (the default recipient).
        laptop.show_page("sync")
        lpage = laptop.pages["sync"].ensure_built()  # type: ignore[attr-defined]
        lpage.tabs.setCurrentIndex(tabs["导出"])
        assert lpage.recipient.currentData() is not None and "石板镇" in lpage.recipient.currentText()
        stick = tmp_path / "U盘" / "报送"
        stick.mkdir()
        shown: list[str] = []  # what the progress dialog says while the bundle is written
        progress = TaskState.progress
        monkeypatch.setattr(TaskState, "progress", lambda state, percent, message="": (
            shown.append(message), progress(state, percent, message))[1])
        modal.expect(QFileDialog, choose_path(stick))
        click(qtbot, lpage.export_button)
        modal.done()
        qtbot.waitUntil(lambda: "已导出" in lpage.export_message.text(), timeout=WAIT_MS)
        monkeypatch.undo()
        assert "导出检查记录" in shown, shown
        assert not [m for m in shown if re.search(r"[a-z]_[a-z]", m)], shown  # never a table name (inspection_item)
        [bundle] = stick.glob("*.edsync")

        # At the office: a photo picked by mistake is refused in Chinese; then the bundle, previewed and imported.
        photo = stick / "现场照片.png"
        photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
        page.tabs.setCurrentIndex(tabs["导入"])
        modal.expect(QFileDialog, choose_path(photo))
        click(qtbot, page.pick_button)
        modal.done()
        qtbot.waitUntil(lambda: page.import_message.text() != "正在校验同步包…", timeout=WAIT_MS)
        said = page.import_message.text()
        assert page.preview is None and not page.apply_button.isEnabled(), said
        assert "现场照片.png 不是有效的同步包" in said and ".edsync" in said, said
        assert "zip" not in said.lower() and "Traceback" not in said, said  # never the library's words
        modal.expect(QFileDialog, choose_path(bundle))
        click(qtbot, page.pick_button)
        modal.done()
        qtbot.waitUntil(lambda: page.preview is not None, timeout=WAIT_MS)
        office.show_page("inspections")
        assert office.lists["inspections"].model.total == 0  # previewed only: nothing written yet
        office.show_page("sync")
        click(qtbot, page.apply_button)
        qtbot.waitUntil(lambda: "回执" in page.import_message.text(), timeout=WAIT_MS)
        snap(office, "week_l02_office_imported")
        office.show_page("inspections")
        assert office.lists["inspections"].model.total == 1

        # The receipt goes back to the laptop: nothing is left unconfirmed there.
        [receipt] = stick.glob("*receipt*.edsync")
        lpage.tabs.setCurrentIndex(tabs["导入"])
        modal.expect(QFileDialog, choose_path(receipt))
        click(qtbot, lpage.receipt_button)
        modal.done()
        lpage.refresh()
        assert "未被确认的记录 0 条" in lpage.status.text(), lpage.status.text()
    finally:
        close_main_windows()
        office_db.dispose()
        if laptop_db is not None:
            laptop_db.dispose()


# -- the squad's own settings -------------------------------------------------------------------------------------


def test_the_documents_required_before_closing_are_read_and_changed_in_chinese(qtbot: QtBot, tmp_path: Path,
                                                                               modal: Modal) -> None:
    """设置 → 办案参数 → 结案前须制发的文书 ([L], the file standard of the squad's district): listed as steps and
    document titles (it showed file=['case_filing_form']), changed in its table by title — an unknown title refused
    with its name and nothing changed — and 确定 on it unchanged saves it as it was (it was refused as a 代字)."""
    db = Database.open(tmp_path / "enforcedesk.sqlite3")
    ctx = AppContext(db, FixedClock(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)))
    try:
        run_wizard(qtbot, ctx, township="石板镇", squad="石板镇综合行政执法中队", password=ADMIN_PASSWORD)
        ctx.user = first_login(qtbot, ctx, "admin", ADMIN_PASSWORD).user
        window = open_window(ctx, tmp_path, db_label="石板镇")
        window.show_page("settings")
        page = window.pages["settings"].ensure_built()  # type: ignore[attr-defined]
        page.tabs.setCurrentIndex(1)
        table = page.settings_table
        [row] = [r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("结案前须制发的文书")]
        shown = table.item(row, 1).text()
        assert "立案：立案审批表" in shown and "送达：送达回证" in shown, shown
        assert "case_filing_form" not in shown and "file" not in shown, shown
        table.selectRow(row)

        def unchanged(dialog: QWidget) -> None:
            assert isinstance(dialog, SettingEditDialog)
            ok(dialog)
            assert not dialog.isVisible(), dialog.message("value")

        modal.expect(SettingEditDialog, unchanged)
        click(qtbot, page.edit_button)
        modal.done()
        stored = settings_rows(ctx.uow())
        [rule] = [r for r in stored if r.key == "closing.required_documents"]
        assert rule.value["file"] == ["case_filing_form"] and rule.value["serve"] == ["service_receipt"]

        def wrong_then_right(dialog: QWidget) -> None:
            assert isinstance(dialog, SettingEditDialog)
            dialog.set_text("行政处罚事先告知书、听证通知单", code="prior_notice")
            ok(dialog)
            assert dialog.isVisible() and "没有名为“听证通知单”的文书" in dialog.message("value"), dialog.message("value")
            dialog.set_text("行政处罚事先告知书、听证通知书", code="prior_notice")
            ok(dialog)
            assert not dialog.isVisible(), dialog.message("value")

        modal.expect(SettingEditDialog, wrong_then_right)
        click(qtbot, page.edit_button)
        modal.done()
        [rule] = [r for r in settings_rows(ctx.uow()) if r.key == "closing.required_documents"]
        assert rule.value["prior_notice"] == ["prior_notice", "hearing_summons"], rule.value
        assert "事先告知：行政处罚事先告知书、听证通知书" in table.item(row, 1).text(), table.item(row, 1).text()
    finally:
        close_main_windows()
        db.dispose()


def test_an_export_into_a_file_as_if_it_were_a_folder_is_one_line_and_exit_3(tmp_path: Path) -> None:
    """``sync export --out`` naming a file inside something that is a file (a typo in the stick's path): one Chinese
    line and exit 3, as the README promises for every refused input, never a traceback; nothing written."""
    password = tmp_path / "pw"
    password.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    db = tmp_path / "石板镇.sqlite3"
    cli("init", "--db", str(db), "--township", "石板镇", "--squad", "石板镇综合行政执法中队", "--admin-password-file",
        str(password))
    blocker = tmp_path / "U盘"
    blocker.write_bytes(b"")  # a file where the folder was expected
    done = run_main("sync", "export", "--db", str(db), "--out", str(blocker / "报送" / "第1号.edsync"), "--user",
                    "admin", "--password-file", str(password))
    assert done.returncode == 3, (done.stdout, done.stderr)
    errors = [line for line in done.stderr.splitlines() if line.startswith("错误：")]  # after the 不加密 note
    assert "Traceback" not in done.stderr and len(errors) == 1, done.stderr
    assert f"{blocker} 是文件而不是文件夹" in errors[0], done.stderr
    assert blocker.read_bytes() == b""


def test_an_export_to_a_new_folder_written_with_a_trailing_separator_lands_in_it(tmp_path: Path) -> None:
    """``--out 报送/`` (a folder not made yet, as the operator types it): the folder is made and the bundle named in
    it as *.edsync (the district's folder import reads only those), not written as a file called 报送."""
    password = tmp_path / "pw"
    password.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    db = tmp_path / "石板镇.sqlite3"
    cli("init", "--db", str(db), "--township", "石板镇", "--squad", "石板镇综合行政执法中队", "--admin-password-file",
        str(password))
    folder = tmp_path / "U盘" / "报送"
    cli("sync", "export", "--db", str(db), "--out", f"{folder}{os.sep}", "--user", "admin", "--password-file",
        str(password))
    assert folder.is_dir() and len(list(folder.glob("*.edsync"))) == 1, list(folder.parent.iterdir())
