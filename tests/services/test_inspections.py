"""Inspections: officer and result rules, re-inspection tasks, statistics, and opening a case from one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from models.base import SHANGHAI
from models.case import PenaltyCase
from models.enums import InspectionResult, ItemResult, TaskStatus
from models.inspection import Inspection, ReinspectionTask
from services.core.errors import AppError, ValidationError
from services.procedures import cases as c
from services.procedures import inspections as ins
from services.statistics.yearly import compute_year, yearly_stats
from tests.services.conftest import World

D = date
MAR2 = date(2026, 3, 2)
MAR20 = date(2026, 3, 20)
FEB20 = date(2026, 2, 20)
FEB25 = date(2026, 2, 25)


def refused(w: World, fn: Callable[[], Any], exc: type[AppError] = AppError, match: str | None = None) -> None:
    before = w.snapshot()
    with pytest.raises(exc, match=match):
        fn()
    assert w.snapshot() == before


def _inp(w: World, day: date = MAR2, **kw: Any) -> ins.InspectionInput:
    values: dict[str, Any] = dict(
        started_at=datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI),
        ended_at=datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI),
        place="竹根街12号", officer_uids=w.officers[:2], result=InspectionResult.PASSED,
        items=[ins.ChecklistLine("门前三包", ItemResult.OK), ins.ChecklistLine("店外经营", ItemResult.OK)], party_uid=w.org, vehicle_turnout=1,
    )
    values.update(kw)
    return ins.InspectionInput(**values)


PROBLEMS = [ins.ChecklistLine("门前三包", ItemResult.PROBLEM), ins.ChecklistLine("店外经营", ItemResult.PROBLEM),
            ins.ChecklistLine("油烟", ItemResult.OK)]


def test_one_officer_is_refused(world: World) -> None:
    refused(world, lambda: ins.record_inspection(world.uow(), _inp(world, officer_uids=world.officers[:1])),
            ValidationError, "两名以上")
    refused(world, lambda: ins.record_inspection(world.uow(), _inp(
        world, officer_uids=[world.officers[0], world.expired_officer])), ValidationError, "钱过期")


def test_an_unanswered_checklist_line_is_refused_by_name(world: World) -> None:
    items = [ins.ChecklistLine("门前三包", None), ins.ChecklistLine("店外经营", ItemResult.OK),
             ins.ChecklistLine("油烟", None)]
    refused(world, lambda: ins.record_inspection(world.uow(), _inp(world, items=items)), ValidationError,
            "检查项目“门前三包”、“油烟”尚未选择结果")
    assert ins.inspection_problems(_inp(world, items=items), MAR2)["items"].startswith("检查项目“门前三包”")
    refused(world, lambda: ins.record_inspection(world.uow(), _inp(world, result=None)), ValidationError,
            "请选择检查结论")


def test_result_rules(world: World) -> None:
    w = world
    refused(w, lambda: ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.ORDERED, items=PROBLEMS)),
            ValidationError, "整改期限")
    refused(w, lambda: ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.ORDERED, items=PROBLEMS,
                                                           rectification_deadline=D(2026, 3, 2))), ValidationError)
    refused(w, lambda: ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.PASSED, items=PROBLEMS)),
            ValidationError, "合格")
    refused(w, lambda: ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.TRANSFERRED, items=PROBLEMS)),
            ValidationError, "接收部门")
    refused(w, lambda: ins.record_inspection(w.uow(), _inp(w, started_at=datetime(2026, 3, 3, 9, tzinfo=SHANGHAI),
                                                           ended_at=datetime(2026, 3, 3, 10, tzinfo=SHANGHAI))),
            ValidationError, "晚于今天")
    refused(w, lambda: ins.record_inspection(w.uow(), _inp(w, started_at=datetime(2026, 3, 2, 9))), ValidationError)


def test_reinspection_cycle_and_stats(world: World) -> None:
    w = world
    first = ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.ORDERED, items=PROBLEMS,
                                                rectification_deadline=D(2026, 3, 9)))
    assert first.number == "竹综执检字〔2026〕第1号"
    assert (first.problems_found, first.problems_rectified) == (2, 0)
    ins.record_inspection(w.uow(), _inp(w, officer_uids=w.officers[:3], vehicle_turnout=2, businesses_inspected=3))
    ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.RECTIFIED_ON_SPOT,
                                        items=[ins.ChecklistLine("占道", ItemResult.PROBLEM)]))

    assert ins.generate_reinspection_tasks(w.uow()) == 0  # deadline not passed yet
    w.set_today(D(2026, 3, 12))
    created = ins.generate_reinspection_tasks(w.uow())
    assert created == 1
    assert ins.generate_reinspection_tasks(w.uow()) == 0
    with w.uow() as u:
        task = u.session.scalar(select(ReinspectionTask))
        assert task is not None and task.status is TaskStatus.OPEN and task.due_on == D(2026, 3, 10)

    re = ins.record_inspection(w.uow(), _inp(w, day=D(2026, 3, 12), reinspection_of_uid=first.uid))
    orig = ins.get_inspection(w.uow(), first.uid)
    assert (orig.problems_found, orig.problems_rectified) == (2, 2)
    with w.uow() as u:
        task = u.session.scalar(select(ReinspectionTask))
        assert task is not None and task.status is TaskStatus.DONE
        re_id = u.session.scalar(select(Inspection.id).where(Inspection.uid == re.uid))
        assert task.done_by_inspection_id == re_id
    assert ins.generate_reinspection_tasks(w.uow()) == 0

    st = yearly_stats(w.uow(), 2026)
    assert st.inspections == 4
    assert st.officer_turnouts == 2 + 3 + 2 + 2
    assert st.vehicle_turnouts == 1 + 2 + 1 + 1
    assert st.businesses_inspected == 1 + 3 + 1 + 1
    assert st.problems_found == 3
    assert st.problems_rectified == 3
    assert yearly_stats(w.uow(), 2025).inspections == 0
    with w.uow() as u:
        assert compute_year(u.session, 2026, today=D(2026, 3, 12)) == st


def test_reinspection_task_the_day_after_the_deadline(world: World) -> None:
    w = world
    ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.ORDERED, items=PROBLEMS,
                                        rectification_deadline=D(2026, 3, 9)))
    w.set_today(D(2026, 3, 9))
    assert ins.generate_reinspection_tasks(w.uow()) == 0
    w.set_today(D(2026, 3, 10))
    assert ins.generate_reinspection_tasks(w.uow()) == 1


def test_failing_reinspection_leaves_problems_open(world: World) -> None:
    w = world
    first = ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.ORDERED, items=PROBLEMS,
                                                rectification_deadline=D(2026, 3, 9)))
    w.set_today(D(2026, 3, 10))
    ins.record_inspection(w.uow(), _inp(w, day=D(2026, 3, 10), reinspection_of_uid=first.uid,
                                        result=InspectionResult.CASE_OPENED, items=PROBLEMS))
    assert ins.get_inspection(w.uow(), first.uid).problems_rectified == 0
    # already re-inspected: no task is generated later
    w.set_today(D(2026, 3, 20))
    assert ins.generate_reinspection_tasks(w.uow()) == 0


def test_open_case_from_inspection(world: World) -> None:
    w = world
    insp = ins.record_inspection(w.uow(), _inp(w, result=InspectionResult.CASE_OPENED, items=PROBLEMS))
    s = c.register_clue(w.uow(), c.ClueInput(
        cause="施工工地未覆盖", power_item_code="YC-001", party_uid=w.org, act_date=D(2026, 3, 2),
        discovered_on=D(2026, 3, 2), registered_on=D(2026, 3, 2), source_inspection_uid=insp.uid))
    with w.uow() as u:
        case = u.session.scalar(select(PenaltyCase).where(PenaltyCase.uid == s.uid))
        insp_id = u.session.scalar(select(Inspection.id).where(Inspection.uid == insp.uid))
        assert case is not None and case.source_inspection_id == insp_id
    refused(w, lambda: c.register_clue(w.uow(), c.ClueInput(
        cause="x", power_item_code="YC-001", party_uid=w.org, act_date=D(2026, 3, 2), discovered_on=D(2026, 3, 2),
        registered_on=D(2026, 3, 2), source_inspection_uid="no-such-uid")), AppError, "检查记录")
    # an organisation-only item cannot be used against a person
    refused(w, lambda: c.register_clue(w.uow(), c.ClueInput(
        cause="x", power_item_code="YC-001", party_uid=w.adult, act_date=D(2026, 3, 2), discovered_on=D(2026, 3, 2),
        registered_on=D(2026, 3, 2))), ValidationError, "不适用")
