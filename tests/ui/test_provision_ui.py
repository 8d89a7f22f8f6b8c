"""制作外勤笔记本 from an encrypted office, through the 同步 screen's widgets (docs/encryption.md §Field laptops): the
laptop's account and its holder's password are asked first, a wrong password writes nothing, and the laptop made
opens with that account's password, with the recovery key, and with no other office account's password."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from models.enums import Role
from services.core.context import AppContext
from services.core.db import Database
from services.core.errors import AppError
from services.core.uow import UnitOfWork
from services.people.accounts import UserInfo, open_account, sign_in
from services.people.recovery import new_recovery_key, unlock_with_recovery_key
from tests.services.conftest import World, _plain_template, plain_world  # noqa: F401 - pytest fixtures
from tests.ui.walk import Modal, click, ok, snap, type_text
from ui.data_events import DataEvents
from ui.laptop_account import LaptopAccountDialog
from ui.operations import SyncRunner
from ui.sync_page import SyncPage

pytestmark = pytest.mark.gui

ZHANG = ("zhangsan", "Zhang2026pw")  # the laptop's holder
ADMIN = ("admin", "secret123")  # the template's administrator (tests/services/conftest.py): another office account


def _files(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.glob(path.name + "*")) if path.parent.exists() else []


def _office_page(qtbot: QtBot, world: World) -> SyncPage:
    ctx = AppContext(world.db, world.clock, UserInfo("u-admin", ADMIN[0], "管理员", Role.SQUAD_LEADER, None),
                     data_key=world.key)
    page = SyncPage(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    page.refresh()
    tabs = {page.tabs.tabText(i): i for i in range(page.tabs.count())}
    page.tabs.setCurrentIndex(tabs["设备与密钥"])
    return page


def test_the_laptop_opens_for_the_chosen_account_only(qtbot: QtBot, world: World, tmp_path: Path, modal: Modal,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert world.key is not None  # an office database as set up today: encrypted
    open_account(world.uow(), username=ZHANG[0], role=Role.OFFICER, officer="张三", password=ZHANG[1])
    recovery = new_recovery_key(world.uow()).recovery_key  # the sheet in the office safe
    page = _office_page(qtbot, world)
    laptop_path = tmp_path / "usb" / "enforcedesk.sqlite3"
    asked: list[str] = []

    def save_location(*_a: object, **_k: object) -> tuple[str, str]:
        asked.append("save")
        return str(laptop_path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_location)

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, LaptopAccountDialog)
        choices = [dialog.user.itemData(i) for i in range(dialog.user.count())]
        assert ADMIN[0] in choices and ZHANG[0] in choices
        dialog.user.setCurrentIndex(dialog.user.findData(ZHANG[0]))
        type_text(dialog.password_edit, ADMIN[1])  # another office account's password: refused, the dialog stays
        ok(dialog)
        assert dialog.isVisible() and "密码不正确" in dialog.error.text(), dialog.error.text()
        assert dialog.password_edit.text() == "" and asked == []  # no save location asked, nothing written
        snap(dialog, "laptop-account")
        type_text(dialog.password_edit, ZHANG[1])
        ok(dialog)

    modal.expect(LaptopAccountDialog, choose)
    click(qtbot, page.provision_button)
    modal.done()
    assert asked == ["save"]
    snap(page, "laptop-made")

    message = page.device_message.text()
    assert "已制作外勤笔记本" in message and "enforcedesk.sqlite3.keys" in message, message
    assert "zhangsan" in message and "张三" in message and "其他账户的密码" in message and "都已加密" in message
    assert laptop_path.is_file() and Path(f"{laptop_path}.keys").is_file()

    laptop = Database.open(laptop_path)
    try:
        signed = sign_in(UnitOfWork(laptop, actor="laptop", clock=world.clock), *ZHANG)
        assert signed.data_key is not None and signed.data_key.raw == world.key.raw
        with pytest.raises(AppError):  # the administrator's office password does not open the laptop
            sign_in(UnitOfWork(laptop, actor="laptop", clock=world.clock), *ADMIN)
        assert unlock_with_recovery_key(UnitOfWork(laptop, actor="laptop", clock=world.clock),
                                        recovery).raw == world.key.raw
    finally:
        laptop.dispose()


def test_a_wrong_password_at_provisioning_writes_nothing(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    """The service's own check (the dialog's can be passed by): refused with the reason, no file, no laptop."""
    open_account(world.uow(), username=ZHANG[0], role=Role.OFFICER, officer="张三", password=ZHANG[1])
    page = _office_page(qtbot, world)
    devices = page.devices.rowCount()
    laptop_path = tmp_path / "usb" / "enforcedesk.sqlite3"
    page.provision(laptop_path, user=ZHANG[0], password="Wrong2026pw")
    assert "密码不正确" in page.device_message.text(), page.device_message.text()
    assert _files(laptop_path) == []
    page.refresh()
    assert page.devices.rowCount() == devices  # no laptop trusted

    page.provision(laptop_path, user="", password="")
    assert "请指定外勤机的使用账户和密码" in page.device_message.text()
    assert _files(laptop_path) == []


def test_an_unencrypted_office_asks_for_no_account(qtbot: QtBot, plain_world: World,  # noqa: F811
                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop_path = tmp_path / "usb" / "enforcedesk.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(laptop_path), ""))
    asked: list[str] = []
    monkeypatch.setattr(LaptopAccountDialog, "exec", lambda _self: asked.append("account") or 0)
    page = _office_page(qtbot, plain_world)
    click(qtbot, page.provision_button)
    assert asked == []  # nothing extra asked: straight to the save location
    message = page.device_message.text()
    assert "已制作外勤笔记本" in message and "都已加密" not in message, message
    assert laptop_path.is_file()
