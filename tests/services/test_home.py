"""The 工作台's figures (services.home): paged work items with full totals, and the start-up snapshot."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from models.base import SHANGHAI
from models.enums import DeadlineKind, InspectionResult, ItemResult
from models.inspection import Inspection
from services.home import home_counts, home_snapshot, work_page
from services.inspections import ChecklistLine, InspectionInput, record_inspection
from tests.services.conftest import World

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
    assert home_counts(world.uow()).overdue == counts.overdue - 1


def test_snapshot_is_what_the_two_reads_give_and_goes_stale(world: World) -> None:
    _inspections(world)
    snapshot = home_snapshot(world.uow(), limit=5)
    assert snapshot.counts == home_counts(world.uow())
    assert snapshot.page == work_page(world.uow(), limit=5)
    assert snapshot.counts.inspections_year >= len(DEADLINES)
    assert snapshot.fresh(world.clock)
    world.clock.current += timedelta(seconds=59)
    assert snapshot.fresh(world.clock)
    world.clock.current += timedelta(minutes=2)
    assert not snapshot.fresh(world.clock)  # the 工作台 reads again rather than show old figures
    world.clock.current = snapshot.taken_at.replace(hour=23, minute=59, second=50)
    assert not snapshot.fresh(world.clock)  # also stale: more than a minute old
    world.clock.current = snapshot.taken_at - timedelta(seconds=1)
    assert not snapshot.fresh(world.clock)  # a clock that went back: do not trust it
