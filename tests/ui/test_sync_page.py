"""The 同步 screen: export from a field laptop, preview and import at the office, receipt back, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.core.context import AppContext
from tests.services.conftest import World, _template, clock, db, uow, world  # noqa: F401 - pytest fixtures
from tests.services.sync_helpers import add_party, edit, make_pair, opened_row, row
from ui.data_events import DataEvents
from ui.operations import SyncRunner
from ui.sync_page import SyncPage

pytestmark = pytest.mark.gui


def test_laptop_to_office_and_receipt_back(qtbot: QtBot, world: World, tmp_path: Path,  # noqa: F811
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    pair = make_pair(world.db, world.clock, tmp_path)
    try:
        party = add_party(pair.lu(), "外勤新登记当事人")
        laptop = SyncPage(AppContext(pair.laptop, pair.clock, data_key=pair.key), runner=SyncRunner(), data_events=DataEvents())
        office = SyncPage(AppContext(pair.office, pair.clock, data_key=pair.key), runner=SyncRunner(), data_events=DataEvents())
        for page in (laptop, office):
            qtbot.addWidget(page)
            page.refresh()
        laptop.recipient.setCurrentIndex(laptop.recipient.findData(pair.office_uid))
        plan = laptop.show_plan()
        assert plan is not None and plan.counts.get("party", 0) >= 1 and plan.encrypted
        usb = tmp_path / "usb"
        usb.mkdir()
        laptop.export_to(usb)
        assert "已导出第 1 号同步包" in laptop.export_message.text()
        bundle = next(usb.glob("*.edsync"))

        # The office previews first: nothing is written until 确认导入.
        assert row(pair.office, "party", party) is None
        monkeypatch.setattr(SyncPage, "ask_trust", lambda self, exc: True)
        office.inspect(bundle)
        assert office.preview is not None and office.apply_button.isEnabled()
        assert row(pair.office, "party", party) is None
        office.apply_previewed()
        assert row(pair.office, "party", party) is not None
        assert "回执已生成" in office.import_message.text()
        office.inspect(bundle)
        assert office.preview is not None and "已于" in office.import_message.text()  # re-import: says when, does nothing
        assert not office.apply_button.isEnabled()

        receipt = next(usb.glob("*receipt*.edsync"), None) or next(tmp_path.rglob("*receipt*.edsync"))
        # Its receipt lost: the office writes it again from the same preview (issue 15).
        lost = receipt.with_name("lost.bin")
        receipt.rename(lost)
        assert office.again_button.isEnabled()
        office.write_receipt_again()
        assert "回执已重新生成" in office.import_message.text()
        receipt = next(usb.glob("*receipt*.edsync"), None) or next(tmp_path.rglob("*receipt*.edsync"))
        assert not office.again_button.isEnabled()
        assert laptop.apply_receipt_file(receipt)
        laptop.refresh()
        assert "未被确认的记录 0 条" in laptop.status.text()

        # A tampered file is refused with the reason, and the office database is unchanged.
        bad = tmp_path / "bad.edsync"
        data = bytearray(bundle.read_bytes())
        data[len(data) // 2] ^= 0xFF
        bad.write_bytes(bytes(data))
        office.inspect(bad)
        assert office.preview is None and office.import_message.text() != "正在校验同步包…"
    finally:
        pair.dispose()


def test_conflict_shown_side_by_side_and_resolved(qtbot: QtBot, world: World, tmp_path: Path,  # noqa: F811
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pair = make_pair(world.db, world.clock, tmp_path)
    try:
        party = add_party(pair.ou(), "双方都改过的当事人")
        usb = tmp_path / "usb"
        usb.mkdir()
        monkeypatch.setattr(SyncPage, "ask_trust", lambda self, exc: True)
        office = SyncPage(AppContext(pair.office, pair.clock, data_key=pair.key), runner=SyncRunner(), data_events=DataEvents())
        laptop = SyncPage(AppContext(pair.laptop, pair.clock, data_key=pair.key), runner=SyncRunner(), data_events=DataEvents())
        for page in (laptop, office):
            qtbot.addWidget(page)
            page.refresh()
        office.recipient.setCurrentIndex(office.recipient.findData(pair.laptop_uid))
        office.export_to(usb)
        first = max(usb.glob("*.edsync"), key=lambda p: p.stat().st_mtime)
        laptop.inspect(first)
        assert laptop.preview is not None
        laptop.apply_previewed()
        edit(pair.laptop, pair.clock, "party", party, address="外勤改的地址")
        edit(pair.office, pair.clock, "party", party, address="办公室改的地址")
        laptop.recipient.setCurrentIndex(laptop.recipient.findData(pair.office_uid))
        out2 = tmp_path / "usb2"
        out2.mkdir()
        laptop.export_to(out2)
        office.inspect(next(out2.glob("*.edsync")))
        assert office.preview is not None
        office.apply_previewed()
        office.refresh()
        assert opened_row(pair.office, "party", party, "address") == ("办公室改的地址",), office.import_message.text()
        assert office.conflict_list.count() == 1
        office.conflict_list.setCurrentRow(0)
        values = {office.compare.item(r, 0).text(): (office.compare.item(r, 1).text(), office.compare.item(r, 2).text())
                  for r in range(office.compare.rowCount())}
        assert values["address"] == ("办公室改的地址", "外勤改的地址")
        assert opened_row(pair.office, "party", party, "address") == ("办公室改的地址",)  # nothing overwritten yet
        assert office.resolve("incoming")
        assert opened_row(pair.office, "party", party, "address") == ("外勤改的地址",)
        assert office.conflict_list.count() == 0
    finally:
        pair.dispose()


def test_the_office_makes_a_laptop_and_sends_it_reference_data(qtbot: QtBot, world: World,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    from models.enums import Role
    from services.core.db import Database
    from services.core.uow import UnitOfWork
    from services.people.accounts import UserInfo
    from services.sync import apply_bundle

    ctx = AppContext(world.db, world.clock, data_key=world.key)
    ctx.user = UserInfo("u", "admin", "管理员", Role.SQUAD_LEADER, None)
    office = SyncPage(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(office)
    office.refresh()
    assert not office.provision_button.isHidden() and not office.reference_button.isHidden()

    laptop_path = tmp_path / "usb" / "enforcedesk.sqlite3"
    # The office database is encrypted: the laptop opens with the administrator's password (tests/ui/
    # test_provision_ui.py drives the account dialog).
    office.provision(laptop_path, user="admin", password="secret123")  # the page's runner in tests is synchronous
    message = office.device_message.text()
    assert "已制作外勤笔记本" in message and "enforcedesk.sqlite3.keys" in message
    assert laptop_path.is_file() and Path(f"{laptop_path}.keys").is_file()
    kinds = [office.devices.item(r, 2).text() for r in range(office.devices.rowCount())]
    assert "外勤笔记本" in kinds  # the new laptop is trusted, shown with its kind in Chinese

    code = message.split("外勤笔记本 ")[1][:4]
    office.recipient.setCurrentIndex(next(i for i in range(office.recipient.count())
                                          if office.recipient.itemText(i).startswith(code)))
    office.send_reference(tmp_path / "usb")
    assert "参考数据包" in office.export_message.text() and code in office.export_message.text()
    [ref] = (tmp_path / "usb").glob("enforcedesk-reference-*.edsync")
    laptop = Database.open(laptop_path)
    try:
        assert apply_bundle(UnitOfWork(laptop, actor="t", clock=world.clock, data_key=world.key),
                            ref).total("quarantined") == 0
        # The laptop's own page offers neither: it makes no laptops and publishes no reference data.
        page = SyncPage(AppContext(laptop, world.clock, data_key=world.key), runner=SyncRunner(), data_events=DataEvents())
        qtbot.addWidget(page)
        page.refresh()
        assert page.provision_button.isHidden() and page.reference_button.isHidden()
    finally:
        laptop.dispose()

    # Without a recipient chosen nothing is written and the page says what to do.
    office.recipient.setCurrentIndex(0)
    office.send_reference(tmp_path / "elsewhere")
    assert "请先" in office.export_message.text() and not (tmp_path / "elsewhere").exists()


def test_an_officer_cannot_make_a_laptop(qtbot: QtBot, world: World) -> None:  # noqa: F811
    from models.enums import Role
    from services.people.accounts import UserInfo

    ctx = AppContext(world.db, world.clock, data_key=world.key)
    ctx.user = UserInfo("u", "officer", "队员", Role.OFFICER, None)
    page = SyncPage(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(page)
    page.refresh()
    assert page.provision_button.isHidden() and not page.reference_button.isHidden()


def test_a_new_bundle_is_encrypted_for_the_trusted_office_and_unconfirmed_records_are_explained(
        qtbot: QtBot, world: World, tmp_path: Path) -> None:  # noqa: F811
    pair = make_pair(world.db, world.clock, tmp_path)
    try:
        laptop = SyncPage(AppContext(pair.laptop, pair.clock, data_key=pair.key), runner=SyncRunner(), data_events=DataEvents())
        qtbot.addWidget(laptop)
        laptop.refresh()
        assert laptop.recipient.currentData() == pair.office_uid  # not “不指定接收方（不加密）”
        plan = laptop.show_plan()
        assert plan is not None and plan.encrypted
        note = laptop.unacked_note.text()
        assert laptop.unacked_note.isVisibleTo(laptop) and "初始化时建立" in note and "乡镇" in note
        assert "_" not in note  # Chinese table names, never case_officer or number_block
        # A recipient the user chose (here: none) stays chosen when the page is read again.
        laptop.recipient.setCurrentIndex(0)
        laptop.recipient.activated.emit(0)
        laptop.refresh()
        assert laptop.recipient.currentData() is None
    finally:
        pair.dispose()


def test_a_damaged_office_database_is_refused_before_the_laptop_account_is_asked(
        qtbot: QtBot, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """制作外勤笔记本 on a damaged database (signed in, unlocked): the damage is named at once, neither the account
    dialog nor the save location is asked, and no file is made."""
    from PySide6.QtWidgets import QFileDialog

    from models.enums import Role
    from services.core.db import Database
    from services.people.accounts import UserInfo
    from tests.services import damage
    from tests.ui.walk import click
    from ui.laptop_account import LaptopAccountDialog

    assert world.db.path is not None and world.key is not None  # an office as set up today: encrypted
    world.db.dispose()  # its pages all in the file before the copy
    damaged = Database.open(damage.damaged_copy(world.db.path, tmp_path / "damaged", "index_page"))
    laptop_path = tmp_path / "usb" / "enforcedesk.sqlite3"
    asked: list[str] = []
    monkeypatch.setattr(LaptopAccountDialog, "exec", lambda _self: asked.append("account") or 0)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: asked.append("save") or (str(laptop_path), ""))
    try:
        ctx = AppContext(damaged, world.clock, UserInfo("u-admin", "admin", "管理员", Role.SQUAD_LEADER, None),
                         data_key=world.key)
        page = SyncPage(ctx, runner=SyncRunner(), data_events=DataEvents())
        qtbot.addWidget(page)
        page.resize(900, 600)
        page.show()
        page.tabs.setCurrentIndex(next(i for i in range(page.tabs.count()) if page.tabs.tabText(i) == "设备与密钥"))
        click(qtbot, page.provision_button)
        message = page.device_message.text()
        assert "数据库文件损坏" in message and "已拒绝制作新设备的数据库" in message, message
        assert asked == []
        assert not laptop_path.parent.exists() or list(laptop_path.parent.iterdir()) == []
    finally:
        damaged.dispose()
