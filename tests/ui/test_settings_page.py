"""The 设置 screen: settings edited through the service, the holiday calendar, backups and restore."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from models.workdays import DayKind
from services.core.context import AppContext
from services.maintenance import backup as backup_service
from services.procedures import cases
from services.reference import settings_admin
from services.reference.settings import Settings
from tests.services.conftest import World
from ui.data_events import DataEvents
from ui.forms.settings_forms import CalendarDayDialog, SettingEditDialog
from ui.operations import SyncRunner, TaskRunner
from ui.pages import lazy_pages
from ui.settings_backup import BackupTab
from ui.settings_page import SettingsPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> SettingsPage:
    p = SettingsPage(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(p)
    p.refresh()
    return p


def _threshold(world: World) -> str:
    with world.uow() as u:
        return str(Settings(u.session).raw("hearing.threshold_person"))


def test_page_shows_the_township_and_the_local_settings(page: SettingsPage) -> None:
    assert page.windowTitle() == "设置"
    assert page.org_labels["township"].text() == "竹根镇"
    keys = [page.settings_table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(page.settings_table.rowCount())]
    assert "hearing.threshold_person" in keys and "decision.limit_days" not in keys  # [L] only by default
    page.show_all.setChecked(True)
    assert page.settings_table.rowCount() > len(keys)


def test_edit_hearing_threshold_persists_and_bad_value_changes_nothing(page: SettingsPage, world: World,
                                                                       qtbot: QtBot) -> None:
    page.select_setting("hearing.threshold_person")
    assert page.current_setting_key() == "hearing.threshold_person"
    dlg = page.setting_dialog("hearing.threshold_person")
    qtbot.addWidget(dlg)
    before = world.snapshot()
    dlg.set_text("abc")
    assert not dlg.submit()  # the dialog stays open with the service's message under the field
    assert "格式不正确" in dlg.message("value")
    assert world.snapshot() == before and _threshold(world) == "10000"

    dlg.set_text("20000")
    assert dlg.submit()
    page.after_setting_saved(dlg.result_value)
    assert _threshold(world) == "20000"
    row = page.settings_table.currentRow()
    assert "20000" in page.settings_table.item(row, 1).text() and "已修改" in page.settings_table.item(row, 1).text()
    assert "已保存" in page.settings_status.text() and "重新计算" in page.settings_status.text()


def test_changing_a_period_recomputes_open_deadlines(page: SettingsPage, world: World, qtbot: QtBot) -> None:
    c = cases.register_clue(world.uow(), cases.ClueInput(
        cause="占道", power_item_code="SR-003", party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21)))
    cases.file_case(world.uow(), c.uid, on=date(2026, 2, 23), officer_uids=world.officers[:2])
    page.show_all.setChecked(True)
    dlg = page.setting_dialog("decision.limit_days")
    qtbot.addWidget(dlg)
    dlg.set_text("60")
    assert dlg.submit()
    page.after_setting_saved(dlg.result_value)
    limit = next(d for d in cases.get_case(world.uow(), c.uid).deadlines if d.kind == "decision_limit")
    assert limit.due_on == date(2026, 4, 24)


def test_edit_through_the_button_and_read_only_roles(page: SettingsPage, officer_ctx: AppContext, qtbot: QtBot,
                                                     monkeypatch: pytest.MonkeyPatch, world: World) -> None:
    def fake_exec(dlg: SettingEditDialog) -> int:
        dlg.set_text("8000")
        return QDialog.DialogCode.Accepted if dlg.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(SettingEditDialog, "exec", fake_exec)
    page.select_setting("hearing.threshold_person")
    page.edit_button.click()
    assert _threshold(world) == "8000"

    ro = SettingsPage(officer_ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(ro)
    ro.refresh()
    assert not ro.edit_button.isEnabled() and not ro.backups.restore_button.isEnabled()
    assert not ro.add_day_button.isEnabled() and ro.backups.backup_button.isEnabled()
    ro.select_setting("hearing.threshold_person")
    ro.edit_setting("hearing.threshold_person")  # ignored: no dialog for a read-only role
    assert _threshold(world) == "8000"


def test_calendar_day_add_and_remove(page: SettingsPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    assert page.year.value() == 2026
    rows = page.days_table.rowCount()
    dlg = page.day_dialog(None)
    qtbot.addWidget(dlg)
    dlg.day.setDate(dlg.day.date().fromString("2026-11-16", "yyyy-MM-dd"))
    assert not dlg.submit() and "名称" in dlg.message("name")  # a local holiday needs its name
    dlg.name.setText("彝族年")
    assert dlg.submit()
    page.after_day_saved(dlg.result_value)
    assert page.days_table.rowCount() == rows + 1
    info = next(d for d in page._days if d.day == date(2026, 11, 16))
    assert info.kind is DayKind.LOCAL_HOLIDAY

    r = page._days.index(info)
    page.days_table.selectRow(r)
    monkeypatch.setattr(SettingsPage, "confirm", lambda self, title, text: True)
    page.remove_day_button.click()
    assert page.days_table.rowCount() == rows
    assert "已删除" in page.calendar_status.text()


def test_change_day_through_dialog_and_mark_year(page: SettingsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_exec(dlg: CalendarDayDialog) -> int:
        dlg.kind.setCurrentIndex(dlg.kind.findData(DayKind.HOLIDAY.value))
        dlg.name.setText("元旦（调整）")
        return QDialog.DialogCode.Accepted if dlg.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(CalendarDayDialog, "exec", fake_exec)
    page.days_table.selectRow(0)
    page.change_day_button.click()
    assert page._days[0].name == "元旦（调整）"

    monkeypatch.setattr(SettingsPage, "confirm", lambda self, title, text: True)
    page.year.setValue(2099)
    assert "暂定" in page.year_state.text() and page.official_button.isEnabled()
    page.official_button.click()
    assert "正式" in page.year_state.text() and not page.official_button.isEnabled()


def test_backup_now_creates_a_file(page: SettingsPage, ctx: AppContext) -> None:
    tab = page.backups
    tab.backup_button.click()
    backups = backup_service.list_backups(ctx.db)
    assert len(backups) == 1 and backups[0].path.exists()
    assert str(backups[0].path) in tab.backup_status.text()
    assert tab.backups_table.rowCount() == 1 and tab.backup_button.isEnabled()


def test_restore_refuses_a_file_that_is_not_ours(page: SettingsPage, world: World, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "photos.sqlite3"
    conn = sqlite3.connect(str(other))
    conn.execute("CREATE TABLE photo (x)")
    conn.commit()
    conn.close()
    asked: list[str] = []
    monkeypatch.setattr(BackupTab, "ask_backup_file", lambda self: other)
    monkeypatch.setattr(BackupTab, "confirm", lambda self, title, text: asked.append(text) or True)
    before = world.snapshot()
    page.backups.restore_button.click()
    assert "不是 EnforceDesk 数据库" in page.backups.backup_status.text()
    assert not asked  # refused before asking anything
    assert world.snapshot() == before


def test_restore_with_unacknowledged_records_asks_again_and_no_keeps_everything(
        page: SettingsPage, ctx: AppContext, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = backup_service.backup_database(ctx.db)
    unsent = backup_service.unacknowledged_records(ctx.db)
    assert unsent > 0  # the fixture's records were never exported
    answers = iter([True, False])  # "restore?" yes; "records not acknowledged, restore anyway?" no
    asked: list[str] = []
    monkeypatch.setattr(BackupTab, "confirm", lambda self, title, text: asked.append(text) or next(answers))
    before = world.snapshot()
    page.backups.restore_from_file(backup)
    assert f"本机还有 {unsent} 条记录尚未被接收方确认" in asked[1]
    assert "已取消恢复" in page.backups.backup_status.text()
    assert world.snapshot() == before and page.backups.restore_button.isEnabled()


def test_restore_a_backup(page: SettingsPage, ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = backup_service.backup_database(ctx.db)
    settings_admin.update_setting(ctx.uow(), "hearing.threshold_person", "30000")
    asked: list[str] = []
    monkeypatch.setattr(BackupTab, "confirm", lambda self, title, text: asked.append(title) or True)
    told: list[object] = []
    monkeypatch.setattr(BackupTab, "tell_restart", lambda self, result: told.append(result))
    with qtbot.waitSignal(page.restored):
        page.backups.restore_from_file(backup)
    assert told and "重新启动" in page.backups.backup_status.text()
    assert asked == ["从备份恢复", "还有未确认的记录"]  # the user confirmed twice, knowing about the unsent records
    assert not page.backups.restore_button.isEnabled()  # nothing more until the restart
    rows = {r.key: r for r in settings_admin.settings_rows(ctx.reader())}
    assert rows["hearing.threshold_person"].value == "10000"  # the backup's value is back


def test_lazy_pages(qtbot: QtBot, ctx: AppContext) -> None:
    pages = lazy_pages(lambda: ctx, SyncRunner(), DataEvents())
    assert list(pages) == ["committees", "accounts", "sync", "settings"] and pages["settings"].windowTitle() == "设置"
    assert pages["committees"].windowTitle() == "调解委员会" and pages["accounts"].windowTitle() == "用户账户"
    assert pages["sync"].windowTitle() == "同步"
    for page in pages.values():
        qtbot.addWidget(page)


def test_numbering_codes_are_edited_in_a_table(page: SettingsPage, qtbot: QtBot) -> None:
    page.show_all.setChecked(True)
    dlg = page.setting_dialog("numbering.codes")
    qtbot.addWidget(dlg)
    dlg.set_text("", code="inspection")
    assert not dlg.submit() and "现场检查记录" in dlg.message("value")
    dlg.set_text("查", code="inspection")
    assert dlg.submit()
    assert dlg.result_value.value["inspection"] == "查"


def test_backup_on_the_real_task_runner(qtbot: QtBot, ctx: AppContext) -> None:
    runner = TaskRunner()
    p = SettingsPage(ctx, runner=runner, data_events=DataEvents())
    qtbot.addWidget(p)
    p.refresh()
    p.backups.backup_button.click()
    assert not p.backups.backup_button.isEnabled()  # disabled while the job runs
    qtbot.waitUntil(lambda: p.backups.backup_button.isEnabled(), timeout=10000)
    assert runner.wait(5000)
    assert "已备份到" in p.backups.backup_status.text() and len(backup_service.list_backups(ctx.db)) == 1
