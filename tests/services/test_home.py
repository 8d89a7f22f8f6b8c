"""The 工作台's figures (services.read.home): paged work items with full totals, and the start-up snapshot."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models.base import SHANGHAI
from models.enums import DeadlineKind, InspectionResult, ItemResult
from models.inspection import Inspection
from models.system import Deadline
from services.procedures.inspections import ChecklistLine, InspectionInput, record_inspection
from services.read.home import HORIZON_DAYS, FileHomeReader, UowHomeReader, home_counts, home_snapshot, work_page
from tests.services.conftest import World
from tests.services.district_helpers import District

# Rectification deadlines around the fixed 'today' (2026-03-02): four overdue, three due within the two-week
# horizon (one of them today), one beyond it.
DEADLINES = (date(2026, 2, 20), date(2026, 2, 25), date(2026, 2, 25), date(2026, 3, 1), date(2026, 3, 2),
             date(2026, 3, 6), date(2026, 3, 16), date(2026, 3, 30))


def _inspections(world: World) -> list[str]:
    uids = []
    for n, deadline in enumerate(DEADLINES):
        start = datetime(2026, 2, 10 + n, 9, tzinfo=SHANGHAI)
        uids.append(record_inspection(world.uow(), InspectionInput(
            started_at=start, ended_at=start.replace(hour=10), place=f"桥沟街{n + 1}号",
            officer_uids=world.officers[:2], result=InspectionResult.ORDERED,
            items=[ChecklistLine("门前三包", ItemResult.PROBLEM)], findings="店外占道经营",
            rectification_deadline=deadline)).uid)
    return uids


def _soft_delete(world: World, uid: str) -> None:
    with world.uow() as u:
        inspection = u.session.scalar(select(Inspection).where(Inspection.uid == uid))
        assert inspection is not None
        inspection.deleted_at = world.clock.now()
        u.commit()


def test_work_items_come_a_page_at_a_time_with_full_totals(world: World) -> None:
    _inspections(world)
    everything = work_page(world.uow(), limit=100)
    rectification = [i for i in everything.items if i.kind is DeadlineKind.RECTIFICATION]
    assert [i.due_on for i in rectification] == sorted(DEADLINES[:-1])  # 2026-03-30 is beyond the horizon
    assert everything.total == len(everything.items) and not everything.has_more
    assert everything.overdue == sum(1 for i in everything.items if i.days_left < 0)
    assert sum(1 for i in rectification if i.days_left < 0) == 4
    assert [i.due_on for i in everything.items] == sorted(i.due_on for i in everything.items)
    # The card (逾期 / 七日内到期) and the list title count the same things, certificates included.
    counts = home_counts(world.uow())
    assert counts.overdue == everything.overdue
    assert counts.due_soon == sum(1 for i in everything.items if 0 <= i.days_left <= 7)

    pages, offset = [], 0
    while True:
        page = work_page(world.uow(), offset=offset, limit=3)
        assert page.total == everything.total and page.overdue == everything.overdue  # totals, not the page's
        assert len(page.items) <= 3
        pages.extend(page.items)
        offset += len(page.items)
        if not page.has_more:
            break
    assert pages == everything.items


def test_deleted_records_are_not_work(world: World) -> None:
    uids = _inspections(world)
    before, counts = work_page(world.uow()), home_counts(world.uow())
    _soft_delete(world, uids[0])  # the one due 2026-02-20, overdue
    after = work_page(world.uow())
    assert after.total == before.total - 1 and after.overdue == before.overdue - 1
    assert "桥沟街1号" not in " ".join(i.title for i in after.items)
    after_counts = home_counts(world.uow())
    assert after_counts.overdue == counts.overdue - 1
    assert after_counts.inspections_year == counts.inspections_year - 1  # a deleted inspection is not counted


def test_snapshot_is_what_the_two_reads_give(world: World) -> None:
    _inspections(world)
    snapshot = home_snapshot(world.uow(), limit=5)
    assert snapshot.counts == home_counts(world.uow())
    assert snapshot.page == work_page(world.uow(), limit=5)
    assert snapshot.counts.inspections_year >= len(DEADLINES)
    assert snapshot.taken_at == world.clock.now()


def test_the_file_reader_reads_what_the_units_of_work_read(world: World) -> None:
    """The start-up's sqlite3 reader (before the ORM is loaded) and the services' reader give the same 工作台."""
    uids = _inspections(world)
    _soft_delete(world, uids[1])
    assert world.db.path is not None
    file_reader, uow_reader = FileHomeReader(world.db.path, world.clock), UowHomeReader(world.uow)
    assert file_reader.snapshot() == uow_reader.snapshot()
    assert file_reader.snapshot(limit=2) == uow_reader.snapshot(limit=2)
    for offset in (0, 2, 5, 50):
        assert file_reader.page(offset, 3) == uow_reader.page(offset, 3)
    # Certificates (from the officers) are in both, merged by date.
    kinds = {i.kind for i in file_reader.snapshot().page.items}
    assert DeadlineKind.RECTIFICATION in kinds
    with pytest.raises(ValueError):
        file_reader.page(-1)


def test_the_file_reader_cannot_write(world: World) -> None:
    assert world.db.path is not None
    reader = FileHomeReader(world.db.path, world.clock)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader._read(lambda q: q("DELETE FROM deadline", {}))
    assert work_page(world.uow()).total == reader.page(0).total


def test_the_same_sql_reads_the_same_figures_on_sqlite_and_postgresql(any_district: District) -> None:
    """The 工作台's SQL is plain text: it must mean the same on both databases (dates, booleans, FILTER)."""
    d = any_district
    with d.uow(write=False) as u:
        s = u.session
        today = d.clock.today()
        month0, year0 = today.replace(day=1), today.replace(month=1, day=1)
        live = (Inspection.deleted_at.is_(None), Inspection.inspected_on <= today)
        year = s.scalar(select(func.count()).select_from(Inspection).where(*live, Inspection.inspected_on >= year0))
        month = s.scalar(select(func.count()).select_from(Inspection).where(*live, Inspection.inspected_on >= month0))
        soon = s.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.met_on.is_(None), Deadline.owner_table != "officer",
            Deadline.due_on <= today + timedelta(days=HORIZON_DAYS)))
    snapshot = home_snapshot(d.uow(write=False), limit=20)
    assert (snapshot.counts.inspections_month, snapshot.counts.inspections_year) == (month, year)
    assert year > 0
    # Every open deadline of a live record (the district's copies are all live) plus expiring certificates.
    certificates = sum(1 for i in work_page(d.uow(write=False), limit=10_000).items if i.record_type == "officer")
    assert snapshot.page.total == soon + certificates
    assert [i.due_on for i in snapshot.page.items] == sorted(i.due_on for i in snapshot.page.items)
    assert all(isinstance(i.due_on, date) and isinstance(i.provisional, bool) for i in snapshot.page.items)
