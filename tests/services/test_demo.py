"""The small demo drives the real services through every procedure and outcome, deterministically."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models.enums import CaseStatus, MediationStatus
from models.identifiers import check_resident_id, check_uscc
from services.core.db import Database
from services.core.errors import AppError
from services.core.uow import UnitOfWork
from services.maintenance.verify import verify_database
from services.read.home import HORIZON_DAYS, work_page
from tests.services.conftest import copy_demo
from tests.services.unlock import key_of_file
from tools.demo.small import demo_clock, generate_demo_file

# The oldest overdue item a demo may show on the 工作台: a squad's work is done, not left open for years.
MAX_OVERDUE_DAYS = 400


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The session's small demo (seed 1), copied: this module's own to write into."""
    return copy_demo(demo_template, tmp_path_factory.mktemp("demo") / "demo.sqlite3")


def test_every_case_status_and_both_procedures(demo_db: Path) -> None:
    statuses = {r[0] for r in _rows(demo_db, "SELECT status FROM penalty_case")}
    assert statuses == {s.value for s in CaseStatus}
    assert {r[0] for r in _rows(demo_db, "SELECT procedure FROM penalty_case")} == {"general", "summary"}
    med = {r[0] for r in _rows(demo_db, "SELECT status FROM mediation_case")}
    assert med >= {s.value for s in MediationStatus} - {"failed"}
    assert _rows(demo_db, "SELECT count(*) FROM mediation_case WHERE escalated_to_criminal")[0][0] >= 1
    assert _rows(demo_db, "SELECT count(*) FROM transfer WHERE kind='judiciary'")[0][0] >= 2


def _parties(path: Path) -> list[tuple[str, str, str]]:
    """(name, id_type, id_number) of every party in id order, the number opened with the demo's key (every demo
    has its own random data key: the stored forms differ, the numbers must not)."""
    key = key_of_file(path)
    assert key is not None  # the demo is encrypted from its first record
    rows = _rows(path, "SELECT uid, name, id_type, id_number FROM party ORDER BY id")
    assert all(n.startswith("ed1:") for *_r, n in rows if n)  # nothing in the clear
    return [(name, kind, key.open(n, table="party", column="id_number", uid=uid)) for uid, name, kind, n in rows]


def test_demo_data_is_valid(demo_db: Path) -> None:
    for _name, kind, number in _parties(demo_db):
        check = check_resident_id(number) if kind == "resident_id" else check_uscc(number)
        assert check.ok, (number, check.message)
    bad = _rows(demo_db, """SELECT c.number, c.fine_amount, p.fine_min, p.fine_max FROM penalty_case c
                            JOIN power_item p ON p.id = c.power_item_id
                            WHERE c.fine_amount IS NOT NULL AND c.discretion_tier IS NOT 'mitigated'
                              AND (c.fine_amount < p.fine_min OR c.fine_amount > p.fine_max)""")
    assert bad == []
    assert _rows(demo_db, """SELECT count(*) FROM inspection i WHERE
                             (SELECT count(*) FROM inspection_officer o WHERE o.inspection_id = i.id) < 2""")[0][0] == 0
    db = Database.open(demo_db)
    try:
        assert verify_database(db).ok
    finally:
        db.dispose()


@pytest.mark.slow  # a second demo, generated from scratch (~25 s of CPU)
def test_same_seed_same_records(demo_db: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite3"
    generate_demo_file(again, scale="small", seed=1)
    query = "SELECT number, status, fine_amount, decision_number FROM penalty_case ORDER BY id"
    assert _rows(again, query) == _rows(demo_db, query)
    assert _parties(again) == _parties(demo_db)


def test_second_run_is_refused_and_changes_nothing(demo_db: Path) -> None:
    before = _rows(demo_db, "SELECT count(*), max(seq) FROM audit_event")
    with pytest.raises(AppError, match="已有业务数据"):
        generate_demo_file(demo_db, scale="small", seed=1)
    assert _rows(demo_db, "SELECT count(*), max(seq) FROM audit_event") == before
    assert not demo_db.with_name(demo_db.name + ".demo-tmp").exists()


def test_home_shows_a_realistic_state_of_work(demo_db: Path) -> None:
    """At the demo's today the 工作台 has a few overdue items, none of them old, and the coming days' work."""
    db = Database.open(demo_db)
    try:
        page = work_page(UnitOfWork(db, actor="tester", clock=demo_clock(), write=False), limit=1000)
    finally:
        db.dispose()
    assert len(page.items) == page.total
    overdue = [i for i in page.items if i.days_left < 0]
    assert len(overdue) == page.overdue
    assert 1 <= page.overdue <= 10 and page.overdue * 2 < page.total, [(i.days_left, i.kind) for i in overdue]
    assert min(i.days_left for i in overdue) >= -MAX_OVERDUE_DAYS, [(i.days_left, i.kind) for i in overdue]
    soon = [i for i in page.items if 0 <= i.days_left <= HORIZON_DAYS]
    assert len(soon) >= 8
    # The coming days' work comes from every kind of record, not just one.
    assert {i.record_type for i in soon} >= {"inspection", "penalty_case", "mediation_case"}
