"""The thin services behind the record forms and the settings screen: people/parties, read/choices, reference/org,
reference/settings_admin and calendar_admin, maintenance/backup (all under services/)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from models.enums import IdType, PartyKind, Role
from models.workdays import DayKind
from services.core.db import Database
from services.core.errors import PermissionDenied, ValidationError
from services.core.uow import UnitOfWork
from services.maintenance import backup as backup_service
from services.people import parties
from services.people.registry import PartyInput
from services.procedures.inspections import CampaignInput, create_campaign
from services.read import choices
from services.read.queries import ListQuery, list_page
from services.reference import calendar_admin, settings_admin
from services.reference import org as org_info
from services.reference.settings import Settings
from tests.services.conftest import ORG_USCC, World, resident_id


def _count(world: World, name: str) -> int:
    return list_page(world.uow(), name, ListQuery(limit=1)).total


def test_create_party_record_and_find_it_in_the_picker(world: World) -> None:
    info = parties.create_party_record(world.uow(), PartyInput(
        kind=PartyKind.PERSON, name="林新人", id_type=IdType.RESIDENT_ID,
        id_number=resident_id(date(1990, 1, 2), "555"), phone="138 0000 1111"))
    assert info.kind is PartyKind.PERSON and "林新人" in info.label and "*" in info.id_masked
    found = parties.party_choices(world.uow(), "林新")
    assert [p.uid for p in found] == [info.uid]
    # ID numbers are sealed at rest: the whole number is found (blind index), a part of it is not
    by_id = parties.party_choices(world.uow(), resident_id(date(1990, 1, 2), "555"))
    assert [p.uid for p in by_id] == [info.uid]
    assert parties.party_choices(world.uow(), resident_id(date(1990, 1, 2), "555")[:10]) == []
    assert parties.get_party(world.uow(), info.uid).name == "林新人"


def test_duplicate_and_invalid_parties_write_nothing(world: World) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError) as dup:
        parties.create_party_record(world.uow(), PartyInput(
            kind=PartyKind.ORGANISATION, name="另一家公司", id_type=IdType.USCC, id_number=ORG_USCC, legal_rep="甲"))
    assert dup.value.field == "id_number" and "竹根建设有限公司" in dup.value.message
    with pytest.raises(ValidationError) as bad:
        parties.create_party_record(world.uow(), PartyInput(
            kind=PartyKind.PERSON, name="错号", id_type=IdType.RESIDENT_ID, id_number="110105199001021234"))
    assert bad.value.field == "id_number"
    assert world.snapshot() == before


def test_id_types_follow_the_party_kind() -> None:
    assert parties.id_types_for(PartyKind.ORGANISATION) == (IdType.USCC,)
    assert IdType.USCC not in parties.id_types_for(PartyKind.PERSON)


def test_power_items_are_filtered_by_party_kind(world: World) -> None:
    person = {c.code for c in choices.power_item_choices(world.uow(), on=date(2026, 3, 1), party_kind=PartyKind.PERSON)}
    org = {c.code for c in choices.power_item_choices(world.uow(), on=date(2026, 3, 1),
                                                      party_kind=PartyKind.ORGANISATION)}
    assert "SR-001" in person and "SR-001" not in org  # 随地吐痰: natural persons only
    assert "YC-001" in org and "YC-001" not in person  # 工地扬尘: organisations only
    item = next(c for c in choices.power_item_choices(world.uow(), on=date(2026, 3, 1)) if c.code == "SR-001")
    assert "SR-001" in item.label and "200" in item.label
    # Before the catalogue took effect nothing is in force.
    assert choices.power_item_choices(world.uow(), on=date(2020, 1, 1)) == []


def test_pick_lists(world: World) -> None:
    assert ("01", "婚姻家庭") in choices.category_choices(world.uow())
    assert [uid for uid, _ in choices.committee_choices(world.uow())] == [world.committee]
    uid = create_campaign(world.uow(), CampaignInput("春季扬尘整治", date(2026, 3, 1), date(2026, 3, 31), "扬尘"))
    assert [c.uid for c in choices.campaign_choices(world.uow(), on=date(2026, 3, 2))] == [uid]
    assert choices.campaign_choices(world.uow(), on=date(2026, 4, 2)) == []
    assert len(choices.checklist_template("扬尘")) == 4
    assert len(choices.checklist_template("没有模板的领域")) == 4


def test_update_setting_persists_and_bad_values_change_nothing(world: World) -> None:
    row = settings_admin.update_setting(world.uow(), "hearing.threshold_person", "20000")
    assert row.value == "20000" and not row.is_default
    with world.uow() as u:
        assert Settings(u.session).decimal("hearing.threshold_person") == 20000
    before = world.snapshot()
    with pytest.raises(ValidationError) as exc:
        settings_admin.update_setting(world.uow(), "hearing.threshold_person", "abc")
    assert "格式不正确" in exc.value.message and exc.value.field == "value"
    with pytest.raises(ValidationError):
        settings_admin.update_setting(world.uow(), "decision.limit_days", "-3")
    with pytest.raises(ValidationError):
        settings_admin.update_setting(world.uow(), "numbering.pattern", "{prefix}{year}")
    assert world.snapshot() == before


def test_update_setting_mapping_and_bool(world: World) -> None:
    row = settings_admin.update_setting(world.uow(), "numbering.codes", "inspection=检\nmediation=调")
    assert row.value == {"inspection": "检", "mediation": "调"}
    with pytest.raises(ValidationError):
        settings_admin.update_setting(world.uow(), "numbering.codes", "没有等号")
    assert settings_admin.update_setting(world.uow(), "statement.working_days", False).value_text == "否"


def test_settings_need_the_settings_permission(world: World) -> None:
    officer = UnitOfWork(world.db, actor="o", clock=world.clock, role=Role.OFFICER)
    with pytest.raises(PermissionDenied):
        settings_admin.update_setting(officer, "hearing.threshold_person", "20000")
    rows = settings_admin.settings_rows(world.uow(), local_only=True)
    assert rows and all(r.local for r in rows)
    assert any(r.key == "hearing.threshold_person" for r in rows)


def test_calendar_day_add_change_remove(world: World) -> None:
    day = date(2026, 11, 16)  # a Monday
    calendar_admin.save_calendar_day(world.uow(), day, DayKind.LOCAL_HOLIDAY, "彝族年")
    info = calendar_admin.calendar_days(world.uow(), 2026)
    assert info.official
    assert any(d.day == day and d.kind is DayKind.LOCAL_HOLIDAY and d.name == "彝族年" for d in info.days)
    calendar_admin.save_calendar_day(world.uow(), day, DayKind.HOLIDAY, "彝族年")
    assert next(d for d in calendar_admin.calendar_days(world.uow(), 2026).days if d.day == day).kind is DayKind.HOLIDAY
    calendar_admin.remove_calendar_day(world.uow(), day)
    assert all(d.day != day for d in calendar_admin.calendar_days(world.uow(), 2026).days)
    with pytest.raises(ValidationError):
        calendar_admin.remove_calendar_day(world.uow(), day)
    with pytest.raises(ValidationError):
        calendar_admin.save_calendar_day(world.uow(), date(2026, 11, 17), DayKind.MAKEUP_WORKDAY)  # a Tuesday
    with pytest.raises(ValidationError):
        calendar_admin.save_calendar_day(world.uow(), date(2026, 11, 17), DayKind.LOCAL_HOLIDAY, "")


def test_mark_year_official(world: World) -> None:
    assert not calendar_admin.calendar_days(world.uow(), 2099).official
    calendar_admin.mark_calendar_year_official(world.uow(), 2099)
    assert calendar_admin.calendar_days(world.uow(), 2099).official
    with pytest.raises(ValidationError):
        calendar_admin.mark_calendar_year_official(world.uow(), 2099)


def test_backup_and_restore(world: World) -> None:
    backup = backup_service.backup_database(world.db)
    assert backup.exists() and backup in [b.path for b in backup_service.list_backups(world.db)]
    parties.create_party_record(world.uow(), PartyInput(kind=PartyKind.PERSON, name="备份后新增"))
    assert parties.party_choices(world.uow(), "备份后新增")

    # This standalone database has never sent anything: the user confirms an export (see the next test).
    result = backup_service.restore_backup(world.db, backup, role=Role.SQUAD_LEADER, force_after_export=True)
    assert result.safety_backup.exists() and "before-restore" in result.safety_backup.name
    assert parties.party_choices(world.uow(), "备份后新增") == []  # back to the backup's content
    # The safety copy still holds what was there before the restore.
    conn = sqlite3.connect(str(result.safety_backup))
    try:
        assert conn.execute("SELECT count(*) FROM party WHERE name='备份后新增'").fetchone()[0] == 1
    finally:
        conn.close()


def test_restore_refuses_while_records_are_unacknowledged_unless_exported(world: World) -> None:
    from services.sync import UnsentData, unacknowledged_count

    backup = backup_service.backup_database(world.db)
    parties.create_party_record(world.uow(), PartyInput(kind=PartyKind.PERSON, name="未发送的人"))
    unsent = unacknowledged_count(world.uow())
    assert unsent > 0
    before = world.snapshot()
    with pytest.raises(UnsentData) as exc:
        backup_service.restore_backup(world.db, backup, role=Role.SQUAD_LEADER)
    assert exc.value.count == unsent
    assert f"不能从备份恢复：本机还有 {unsent} 条记录尚未被接收方确认" in exc.value.message
    assert world.snapshot() == before  # refused before the safety copy and the restore
    assert world.db.path is not None and not list((world.db.path.parent / "backups").glob("*before-restore*"))

    result = backup_service.restore_backup(world.db, backup, role=Role.SQUAD_LEADER, force_after_export=True)
    assert result.safety_backup.exists()
    assert parties.party_choices(world.uow(), "未发送的人") == []


def test_restore_refuses_files_that_are_not_enforcedesk_databases(world: World, tmp_path: Path) -> None:
    before = world.snapshot()
    text = tmp_path / "notes.sqlite3"
    text.write_text("这不是数据库", encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(str(other))
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    for path in (text, other):
        with pytest.raises(ValidationError) as exc:
            backup_service.restore_backup(world.db, path)
        assert "不是 EnforceDesk 数据库" in exc.value.message
    with pytest.raises(ValidationError):
        backup_service.restore_backup(world.db, tmp_path / "missing.sqlite3")
    assert world.db.path is not None
    with pytest.raises(ValidationError):
        backup_service.restore_backup(world.db, world.db.path)
    with pytest.raises(PermissionDenied):
        backup_service.restore_backup(world.db, other, role=Role.OFFICER)
    assert world.snapshot() == before
    assert not list((world.db.path.parent / "backups").glob("*before-restore*"))


def test_org_summary(db: Database, world: World) -> None:
    org = org_info.org_summary(world.uow())
    assert org.township == "竹根镇" and org.squads[0][0] == "竹根镇综合行政执法中队" and org.device_code


def test_mapping_values_are_checked(world: World) -> None:
    with pytest.raises(ValidationError):
        settings_admin.update_setting(world.uow(), "numbering.codes", {"inspection": " "})
    assert settings_admin.mapping_label("numbering.codes", "inspection") == "现场检查记录"
