"""District statistics, completeness grid, period close with amendments, supervision — on SQLite and PostgreSQL.

The district holds six townships that went through the real sync path (tests/services/district_helpers.py);
each township's own database is kept, so the district's figures are checked against the township's own
``stats`` — the figures a township would report itself.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select

from main import main
from models.base import SHANGHAI
from models.case import CaseEvent, CaseOfficer, PenaltyCase
from models.enums import InspectionResult
from models.inspection import Inspection
from models.org import Officer, Township
from services.core.db import Database
from services.core.errors import SetupError, ValidationError
from services.core.schema import metadata
from services.core.uow import UnitOfWork
from services.district import (
    close_period,
    completeness_grid,
    district_stats,
    drill_down,
    list_amendments,
    monthly_stats,
    record_amendments,
    reopen_period,
    supervise,
)
from services.district.wording import change
from services.maintenance.verify import verify_database
from services.statistics.indicators import DERIVED_KEYS, INDICATOR_KEYS, figures_json
from services.statistics.yearly import yearly_stats
from services.sync import apply_bundle, plan_export, trusted_devices, write_bundle
from services.sync.crypto import key_file_path
from services.sync.trust import key_path
from tests.cli_unlock import main_unlocked
from tests.services.district_helpers import (
    OVERDUE_CASE_NUMBER,
    TOWNSHIPS,
    YEAR,
    District,
    copy_file_db,
    pg_cli_url,
    pg_database,
)

pytestmark = pytest.mark.slow


def _own_stats(d: District, name: str, year: int) -> dict[str, object]:
    db = Database.open(d.template.townships[name])
    try:
        return yearly_stats(UnitOfWork(db, actor="t", clock=d.clock, write=False), year).to_json()
    finally:
        db.dispose()


@pytest.mark.parametrize("year", [YEAR, YEAR + 1])
def test_district_totals_equal_the_sum_of_each_townships_own_stats(any_district: District, year: int) -> None:
    d = any_district
    ds = district_stats(d.uow(write=False), year)
    assert [t.township.name for t in ds.townships] == sorted(TOWNSHIPS)
    for tf in ds.townships:
        own = _own_stats(d, tf.township.name, year)
        own.pop("year")
        assert figures_json(tf.figures) == own, tf.township.name
    for key in INDICATOR_KEYS:
        if key not in DERIVED_KEYS:
            assert ds.total[key] == sum(t.figures[key] for t in ds.townships), key
    succeeded, accepted = ds.total["mediation_succeeded"], ds.total["mediation_accepted"]
    assert ds.total["mediation_success_rate"] == float((Decimal(succeeded * 100) / accepted).quantize(Decimal("0.1")))
    assert ds.total["inspections"] > 500 and ds.total["cases_filed"] > 50
    # 同比 against the same figures one year earlier
    prev = district_stats(d.uow(write=False), year - 1)
    assert ds.previous_total == prev.total
    assert ds.change("cases_filed") == change(ds.total["cases_filed"], prev.total["cases_filed"])


def test_months_add_up_to_the_year_and_one_township_is_its_own_slice(any_district: District) -> None:
    d = any_district
    year = district_stats(d.uow(write=False), YEAR)
    months = monthly_stats(d.uow(write=False), YEAR)
    for key in INDICATOR_KEYS:
        if key not in DERIVED_KEYS | {"certified_officers"}:  # officers holding a certificate are a stock, not a flow
            assert sum(months.series(key)) == year.total[key], key
    march = district_stats(d.uow(write=False), YEAR, month=3)
    assert march.total["inspections"] == months.series("inspections")[2]
    one = district_stats(d.uow(write=False), YEAR, township="竹根镇")
    assert [t.township.name for t in one.townships] == ["竹根镇"]
    assert one.total == next(t.figures for t in year.townships if t.township.name == "竹根镇")


def test_drill_down_lists_the_records_behind_a_figure(any_district: District) -> None:
    d = any_district
    ds = district_stats(d.uow(write=False), YEAR, township="牛华镇")
    filed = drill_down(d.uow(write=False), "cases_filed", YEAR, township="牛华镇")
    assert len(filed) == ds.total["cases_filed"] > 0
    assert {r.township for r in filed} == {"牛华镇"} and all(r.on.startswith(str(YEAR)) for r in filed)
    fines = drill_down(d.uow(write=False), "fines_yuan", YEAR, township="牛华镇")
    assert sum(Decimal(r.value) for r in fines) == ds.total["fines_yuan"]
    turnouts = drill_down(d.uow(write=False), "officer_turnouts", YEAR)
    assert sum(int(r.value) for r in turnouts) == district_stats(d.uow(write=False), YEAR).total["officer_turnouts"]
    with pytest.raises(ValidationError):
        drill_down(d.uow(write=False), "no_such_key", YEAR)


def test_stats_command_by_township_matches_the_townships_own_command(any_district: District,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    d = any_district
    town_path = str(d.template.townships["西坝镇"])
    assert main(["stats", "--db", d.target, "--year", str(YEAR), "--township", "西坝镇", "--json"]) == 0
    at_district = json.loads(capsys.readouterr().out)
    assert main(["stats", "--db", town_path, "--year", str(YEAR), "--json"]) == 0
    assert at_district == json.loads(capsys.readouterr().out)
    assert main(["stats", "--db", d.target, "--year", str(YEAR), "--json"]) == 0  # unchanged: the whole database
    whole = json.loads(capsys.readouterr().out)
    assert whole["inspections"] == district_stats(d.uow(write=False), YEAR).total["inspections"]
    assert main(["stats", "--db", d.target, "--year", str(YEAR), "--by-township", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert len(table["townships"]) == 6 and "yoy" in table
    assert main(["stats", "--db", d.target, "--year", str(YEAR), "--township", "无此镇"]) == 3


def test_completeness_grid_shows_bundles_and_receipts(any_district: District,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    grid = completeness_grid(any_district.uow(write=False), 2026)
    assert len(grid.rows) == 6
    for row in grid.rows:
        assert len(row.devices) == 1 and row.devices[0].last_seq == 1 and row.devices[0].last_receipt_seq == 1
        assert row.gaps == [] and row.cells[10].bundles == 1  # imported on 2026-11-21
        assert sum(c.records for c in row.cells[:10]) > 0
    assert main(["district", "grid", "--db", any_district.target, "--year", "2026", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(grid.to_json(), ensure_ascii=False))


def test_completeness_grid_shows_a_lost_bundle_as_a_gap(any_district: District, tmp_path: Path) -> None:
    district = any_district
    # 竹根镇 sends bundles 2 and 3; number 2 is lost on the way
    town = Database.open(copy_file_db(district.template.townships["竹根镇"], tmp_path / "town.sqlite3"))
    try:
        def tu() -> UnitOfWork:
            return UnitOfWork(town, actor="town", clock=district.clock,
                              data_key=district.template.town_keys["竹根镇"])

        dist_uid = trusted_devices(tu())[0].uid  # the district is the township's only peer
        paths = [write_bundle(tu(), plan_export(tu(), dist_uid, full=True), tmp_path / "usb").path for _ in range(2)]
    finally:
        town.dispose()
    apply_bundle(district.uow(), paths[1], receipt_dir=tmp_path / "back")
    row = next(r for r in completeness_grid(district.uow(write=False), 2026).rows if r.township == "竹根镇")
    assert row.devices[0].missing == ((2, 2),) and row.devices[0].last_seq == 3
    assert row.gaps == [f"设备{row.devices[0].code}缺第2号同步包"]
    assert row.devices[0].last_receipt_seq == 2  # the second receipt sent back to that device


def _late_inspection(d: District, township: str, day: date) -> str:
    with d.uow() as u:
        s = u.session
        tid = s.scalar(select(Township.id).where(Township.name == township))
        insp = Inspection(township_id=tid, number="补-001", started_at=datetime.combine(day, time(9), tzinfo=SHANGHAI),
                          ended_at=datetime.combine(day, time(10), tzinfo=SHANGHAI), inspected_on=day,
                          place="补报地点", domain="占道", result=InspectionResult.PASSED, officer_turnout=3)
        s.add(insp)
        s.flush()
        uid = insp.uid
        u.commit()
    return uid


def test_closed_period_keeps_its_figures_and_lists_late_records_as_amendments(any_district: District) -> None:
    d = any_district
    before = district_stats(d.uow(write=False), YEAR)
    with pytest.raises(ValidationError):
        close_period(d.uow(), 2026, None, "未结束")  # the year is not over on 2026-11-21
    with pytest.raises(ValidationError):
        close_period(d.uow(), YEAR, None, " ")
    info = close_period(d.uow(), YEAR, None, "2025年度统计报表已报送")
    assert info.status == "closed" and info.amendments == 0
    with pytest.raises(ValidationError):
        close_period(d.uow(), YEAR, None, "again")
    march = close_period(d.uow(), YEAR, 3, "三月报表")
    assert record_amendments(d.uow()) == 0
    uid = _late_inspection(d, "金山镇", date(YEAR, 3, 9))
    assert record_amendments(d.uow(), "金山镇三月检查补报") == 2  # listed under the year and under March
    assert record_amendments(d.uow()) == 0  # idempotent
    items = list_amendments(d.uow(write=False), YEAR)
    assert [(a.table, a.record_uid, a.kind, a.township, a.reason) for a in items] == [
        ("inspection", uid, "late", "金山镇", "金山镇三月检查补报")]
    after = district_stats(d.uow(write=False), YEAR)
    assert after.closed is not None and after.closed.amendments == 1
    assert after.closed.total == before.total  # the closed value stays what was reported
    assert after.total["inspections"] == before.total["inspections"] + 1  # the live value moved
    assert after.closed.delta(after.total)["inspections"] == 1
    assert after.closed.delta(after.total)["officer_turnouts"] == 3
    assert after.reported() == before.total
    assert march.period == f"{YEAR}年3月"
    assert district_stats(d.uow(write=False), YEAR, month=3).closed is not None
    reopened = reopen_period(d.uow(), YEAR, None, "更正后重报")
    assert reopened.status == "reopened" and district_stats(d.uow(write=False), YEAR).closed is None


def test_supervision_finds_the_seeded_overdue_case(any_district: District) -> None:
    rows = supervise(any_district.uow(write=False))
    overdue = [r for r in rows if r.kind == "decision_limit"]
    assert [(r.township, r.number, r.due_on, r.days_overdue) for r in overdue] == [
        ("竹根镇", OVERDUE_CASE_NUMBER, date(2026, 8, 3), 110)]  # filed 2026-05-04 + 90 days, on 2026-11-21
    assert {r.kind for r in rows} <= {"decision_limit", "unpaid_fine", "disclosure", "expired_certificate",
                                      "confirmation_window"}
    assert all(r.days_overdue > 0 and r.township in TOWNSHIPS for r in rows)
    only = supervise(any_district.uow(write=False), township="牛华镇", kinds=("decision_limit",))
    assert only == []


def test_supervision_finds_an_expired_certificate_still_used(any_district: District,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    d = any_district
    with d.uow() as u:
        s = u.session
        case_id, officer_id, last = s.execute(
            select(CaseOfficer.case_id, CaseOfficer.officer_id, func.max(CaseEvent.on_date))
            .join(CaseEvent, CaseEvent.case_id == CaseOfficer.case_id)
            .where(CaseEvent.on_date >= date(2026, 3, 1)).group_by(CaseOfficer.case_id, CaseOfficer.officer_id)
            .limit(1)).one()
        officer = s.get(Officer, officer_id)
        officer.cert_valid_to = date(2026, 1, 31)
        number = s.get(PenaltyCase, case_id).number
        u.commit()
    rows = supervise(d.uow(write=False), kinds=("expired_certificate",))
    hit = [r for r in rows if r.number == number]
    assert hit and hit[0].due_on == date(2026, 1, 31) and hit[0].days_overdue >= (last - date(2026, 1, 31)).days
    assert main(["supervise", "--db", d.target, "--json", "--kind", "expired_certificate"]) == 1
    assert any(r["number"] == number for r in json.loads(capsys.readouterr().out))


def test_a_bundle_arriving_after_the_close_becomes_an_amendment(any_district: District, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The whole intake: close 2025, the township records a 2025 inspection late, `district import` lists it."""
    district = any_district
    close_period(district.uow(), YEAR, None, "年报已报送")
    town = Database.open(copy_file_db(district.template.townships["冠英镇"], tmp_path / "town.sqlite3"))
    try:
        def tu() -> UnitOfWork:
            return UnitOfWork(town, actor="town", clock=district.clock,
                              data_key=district.template.town_keys["冠英镇"])

        with tu() as u:
            tid = u.session.scalar(select(Township.id).where(Township.name == "冠英镇"))
            day = date(YEAR, 12, 30)
            u.session.add(Inspection(township_id=tid, number="迟报-1", inspected_on=day, place="冠英场镇",
                                     started_at=datetime.combine(day, time(9), tzinfo=SHANGHAI),
                                     ended_at=datetime.combine(day, time(10), tzinfo=SHANGHAI),
                                     domain="占道", result=InspectionResult.PASSED))
            u.commit()
        folder = tmp_path / "inbox"
        write_bundle(tu(), plan_export(tu(), trusted_devices(tu())[0].uid), folder)
    finally:
        town.dispose()
    assert main_unlocked(["district", "import", "--db", district.target, str(folder), "--receipt-dir",
                          str(tmp_path / "back"), "--reason", "冠英镇12月检查迟报"], "district-1") == 0
    assert "关账后补报 1 条" in capsys.readouterr().out
    (item,) = list_amendments(district.uow(write=False), YEAR)
    assert (item.township, item.table, item.kind, item.record_date, item.reason) == (
        "冠英镇", "inspection", "late", f"{YEAR}-12-30", "冠英镇12月检查迟报")
    ds = district_stats(district.uow(write=False), YEAR)
    assert ds.closed is not None and ds.closed.delta(ds.total)["inspections"] == 1
    assert main(["district", "amendments", "--db", district.target, "--year", str(YEAR)]) == 0
    assert "冠英镇12月检查迟报" in capsys.readouterr().out


def test_district_copy_moves_a_sqlite_district_to_postgresql(district: District, empty_pg_url: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`district copy`: every row with its ids and the audit chain, so the copy verifies and answers as the
    original; the device keys go along; new records get ids after the copied ones; a second copy is refused."""
    monkeypatch.setenv("ENFORCEDESK_HOME", str(tmp_path / "home"))  # where a server database's keys live
    target = pg_cli_url(empty_pg_url)
    own_keys = key_file_path(Path(district.target)).read_bytes()
    carried = tmp_path / "home" / "keys" / f"{district.db.device_uid}.keys"
    carried.parent.mkdir(parents=True)
    carried.write_text("{}", encoding="utf-8")  # other keys for the same device: refused before anything is copied
    assert main(["district", "copy", "--from", district.target, "--to", target]) == 3
    assert "另一份密钥文件" in capsys.readouterr().err and carried.read_text(encoding="utf-8") == "{}"
    carried.unlink()
    assert main(["district", "copy", "--from", district.target, "--to", target]) == 0
    assert f"{len(metadata.sorted_tables)} 张表" in capsys.readouterr().out
    assert carried.read_bytes() == own_keys and carried.stat().st_mode & 0o077 == 0
    pg = Database.open(target)
    try:
        assert pg.engine.dialect.name == "postgresql"
        assert key_path(pg) == carried  # where the sync code looks for them
        with district.db.engine.connect() as a, pg.engine.connect() as b:
            for table in metadata.sorted_tables:
                count = select(func.count()).select_from(table)
                assert a.execute(count).scalar() == b.execute(count).scalar(), table.name
        report = verify_database(pg)
        assert report.ok, report.problems[:3]
        assert report.audit_events > 0
        moved = District(pg, district.clock, district.template, target)
        assert district_stats(moved.uow(write=False), YEAR).total == district_stats(district.uow(write=False),
                                                                                    YEAR).total
        uid = _late_inspection(moved, "金山镇", date(YEAR, 3, 9))  # a duplicate id here if the sequences lagged
        with moved.uow(write=False) as u:
            new_id = u.session.scalar(select(Inspection.id).where(Inspection.uid == uid))
        with district.uow(write=False) as u:
            assert new_id > (u.session.scalar(select(func.max(Inspection.id))) or 0)
    finally:
        pg.dispose()
    assert main(["district", "copy", "--from", district.target, "--to", target]) == 3
    assert "只能复制到新建的空数据库" in capsys.readouterr().err
    # bundles now import straight into PostgreSQL (tests/services/test_sync_pg.py): an empty folder is the refusal
    assert main_unlocked(["district", "import", "--db", target, str(tmp_path)], "district-1") == 3
    assert "没有同步包" in capsys.readouterr().err


def test_a_postgresql_database_that_cannot_hold_the_district_is_refused_in_plain_words(
        pg_server: str, district: District, capsys: pytest.CaptureFixture[str]) -> None:
    """A SQL_ASCII database (no Chinese) and a role that may not create tables (PostgreSQL 15's "public")."""
    role = f"ed_clerk_{os.getpid()}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:  # a server whose default is ICU (PostgreSQL 15+) takes SQL_ASCII only with libc
            new = int(c.exec_driver_sql("SHOW server_version_num").scalar()) >= 150000
            may_create_roles = c.exec_driver_sql(
                "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user").scalar()
        options = "TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'" + (
            " LOCALE_PROVIDER libc" if new else "")
        with pg_database(pg_server, f"ed_ascii_{os.getpid()}", options=options) as url:
            with pytest.raises(SetupError, match="编码是 SQL_ASCII"):
                Database.open(url)
            assert main(["district", "copy", "--from", district.target, "--to", pg_cli_url(url)]) == 3
            assert "ENCODING 'UTF8'" in capsys.readouterr().err
        if not may_create_roles:
            pytest.skip("the test server's role may not create roles")
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
            c.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN PASSWORD \'clerk-pw\'')  # trust or password auth
        with pg_database(pg_server, f"ed_noperm_{os.getpid()}") as url:
            as_clerk = make_url(url).set(username=role, password="clerk-pw").render_as_string(hide_password=False)
            with pytest.raises(SetupError, match=f'OWNER TO "{role}"'):
                Database.open(as_clerk)
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()
