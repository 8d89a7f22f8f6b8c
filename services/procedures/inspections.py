"""Inspections and special campaigns: recording, rectification orders, re-inspection tasks, opening cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import SHANGHAI
from models.case import Transfer
from models.enums import InspectionResult, ItemResult, RecordKind, TaskStatus, TransferKind
from models.inspection import Campaign, Inspection, InspectionItem, InspectionOfficer, ReinspectionTask
from models.party import Party
from services.core.errors import NotFound, ValidationError, raise_first
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require
from services.people.registry import officers_by_uid, require_certified, too_few_officers
from services.procedures import deadlines as dl
from services.reference.numbering import next_number
from services.reference.settings import Settings
from services.reference.setup import this_township

INSPECTING = "行政执法检查"  # what art.42 names in its refusals


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    """One line of the checklist. ``result`` None: not answered yet (the form's lines start so; saving refuses).
    No default answer: a line is 无问题 only when the officers say so (an assumed answer would be an untrue fact
    in the inspection record)."""

    text: str
    result: ItemResult | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class InspectionInput:
    started_at: datetime
    ended_at: datetime
    place: str
    officer_uids: list[str]
    result: InspectionResult | None  # None: 检查结论 not chosen yet (the form starts so; saving refuses)
    items: list[ChecklistLine] = field(default_factory=list)
    domain: str = ""
    party_uid: str | None = None
    campaign_uid: str | None = None
    findings: str = ""
    rectification_deadline: date | None = None
    reinspection_of_uid: str | None = None
    vehicle_turnout: int = 0  # the column's name (inspection.vehicle_turnout); its yearly sum is vehicle_turnouts
    businesses_inspected: int = 1
    transfer_to: str = ""  # receiving department when result is 移送


@dataclass(frozen=True, slots=True)
class InspectionSummary:
    uid: str
    number: str
    inspected_on: date
    place: str
    result: InspectionResult
    problems_found: int
    problems_rectified: int
    rectification_deadline: date | None


def _summary(insp: Inspection) -> InspectionSummary:
    found = sum(1 for i in insp.items if i.result is ItemResult.PROBLEM)
    fixed = sum(1 for i in insp.items if i.result is ItemResult.PROBLEM and i.rectified_on is not None)
    return InspectionSummary(insp.uid, insp.number, insp.inspected_on, insp.place, insp.result, found, fixed,
                             insp.rectification_deadline)


def _rule_problems(data: InspectionInput, today: date) -> dict[str, str]:
    """The record's own rules (times, place, result against the checklist, deadline, receiving department)."""
    out: dict[str, str] = {}

    def problem(field: str, message: str) -> None:
        out.setdefault(field, message)

    if data.started_at.tzinfo is None or data.ended_at.tzinfo is None:
        problem("started_at", "检查时间须带时区")
        return out
    if data.ended_at < data.started_at:
        problem("ended_at", "检查结束时间不能早于开始时间")
    if data.started_at.astimezone(SHANGHAI).date() > today:
        problem("started_at", "检查时间不能晚于今天")
    if data.ended_at - data.started_at > timedelta(hours=24):
        problem("ended_at", "一次检查不应超过24小时，请分别记录")
    if not data.place.strip():
        problem("place", "请填写检查地点")
    if data.vehicle_turnout < 0 or data.businesses_inspected < 0:
        problem("vehicle_turnout", "出动车辆和检查户数不能为负数")
    unanswered = [f"“{i.text}”" for i in data.items if i.result is None]
    if unanswered:
        # A line left as the form offered it says nothing: 无问题 is a finding the officers state, line by line.
        problem("items", f"检查项目{'、'.join(unanswered)}尚未选择结果，请逐项选择无问题、有问题或不适用")
    problems = [i for i in data.items if i.result is ItemResult.PROBLEM]
    if data.result is None:  # a verdict the officers give, never assumed 合格
        problem("result", "请选择检查结论")
        return out
    if data.result is InspectionResult.PASSED and problems:
        problem("result", "检查项目中有问题，结论不能为“合格”")
    if data.result is not InspectionResult.PASSED and not problems and not data.findings.strip():
        problem("findings", "结论不是“合格”时，请记录发现的问题")
    if data.result is InspectionResult.ORDERED:
        if data.rectification_deadline is None:
            problem("rectification_deadline", "责令限期整改须填写整改期限")
        elif data.rectification_deadline <= data.started_at.astimezone(SHANGHAI).date():
            problem("rectification_deadline", "整改期限应晚于检查日期")
    if data.result is InspectionResult.TRANSFERRED and not data.transfer_to.strip():
        problem("transfer_to", "移送的，请填写接收部门")
    return out


def inspection_problems(data: InspectionInput, today: date) -> dict[str, str]:
    """Every problem of the form's rules at once (field -> message), without the database: the form checks a
    field when it is left and lists them all on 保存 (the officers' certificates are checked on saving)."""
    out = _rule_problems(data, today)
    few = too_few_officers(len(set(data.officer_uids)), what=INSPECTING)
    if few:
        out.setdefault("officers", few)
    return out


def validate_inspection(data: InspectionInput, today: date) -> None:
    """The form's rules, without the database (the township demo generator checks its records with them too)."""
    raise_first(_rule_problems(data, today))


def check_campaign_day(camp: Campaign, day: date) -> None:
    if day < camp.start_date or (camp.end_date is not None and day > camp.end_date):
        raise ValidationError(f"检查日期不在专项整治“{camp.name}”期间内", field="campaign")


def check_reinspection_day(original_on: date, day: date) -> None:
    if original_on > day:
        raise ValidationError("复查日期不能早于原检查日期", field="reinspection_of")


def record_inspection(uow: UnitOfWork, data: InspectionInput) -> InspectionSummary:
    """Record one inspection. ≥2 certified officers (art.42); a re-inspection settles the original's task."""
    with uow:
        if uow.role is not None:
            require(uow.role, Permission.RECORD)
        s = uow.session
        validate_inspection(data, uow.clock.today())
        day = data.started_at.astimezone(SHANGHAI).date()
        officers = officers_by_uid(s, data.officer_uids)
        require_certified(officers, day, what=INSPECTING)
        township = this_township(s)
        party_id = _party_id(s, data.party_uid)
        campaign_id = None
        if data.campaign_uid:
            camp = s.scalar(select(Campaign).where(Campaign.uid == data.campaign_uid))
            if camp is None:
                raise NotFound(f"找不到专项整治 {data.campaign_uid}")
            check_campaign_day(camp, day)
            campaign_id = camp.id
        original = None
        if data.reinspection_of_uid:
            original = s.scalar(select(Inspection).where(Inspection.uid == data.reinspection_of_uid))
            if original is None:
                raise NotFound(f"找不到被复查的检查记录 {data.reinspection_of_uid}")
            check_reinspection_day(original.inspected_on, day)
        settings = Settings(s)
        number = next_number(s, township, settings, doc_type="inspection", year=day.year,
                             device_uid=s.info.get("device_uid", "")).number
        insp = Inspection(
            township_id=township.id, number=number, started_at=data.started_at, ended_at=data.ended_at,
            inspected_on=day, place=data.place.strip(), domain=data.domain, party_id=party_id,
            campaign_id=campaign_id, findings=data.findings,
            result=cast(InspectionResult, data.result),  # chosen: validate_inspection refused None above
            rectification_deadline=data.rectification_deadline,
            reinspection_of_id=original.id if original else None, officer_turnout=len(officers),
            vehicle_turnout=data.vehicle_turnout, businesses_inspected=data.businesses_inspected,
        )
        for pos, line in enumerate(data.items):
            rectified = day if (line.result is ItemResult.PROBLEM and data.result is InspectionResult.RECTIFIED_ON_SPOT) else None
            answered = cast(ItemResult, line.result)  # validate_inspection refused unanswered lines above
            insp.items.append(InspectionItem(position=pos, text=line.text, result=answered, note=line.note,
                                             rectified_on=rectified))
        for o in officers:
            insp.officer_links.append(InspectionOfficer(officer=o))
        with uow.action("inspection.record"):
            s.add(insp)
            s.flush()
            if data.result is InspectionResult.TRANSFERRED:
                s.add(Transfer(township_id=township.id, kind=TransferKind.DEPARTMENT, inspection_id=insp.id,
                               receiving_org=data.transfer_to.strip(), reason=data.findings, transferred_on=day,
                               number=next_number(s, township, settings, doc_type="transfer", year=day.year,
                                                  device_uid=s.info.get("device_uid", "")).number))
            dl.store(s, RecordKind.INSPECTION, insp.id, dl.inspection_deadlines(insp, None))
            if original is not None:
                _settle_original(s, original, insp, day)
        summary = _summary(insp)
        uow.commit()
        return summary


def _party_id(s: Session, uid: str | None) -> int | None:
    if not uid:
        return None
    party = s.scalar(select(Party.id).where(Party.uid == uid, Party.deleted_at.is_(None)))
    if party is None:
        raise NotFound(f"找不到当事人 {uid}")
    return party


def _settle_original(s: Session, original: Inspection, re: Inspection, day: date) -> None:
    """A passing re-inspection marks the original's problems rectified and closes its task."""
    if re.result in (InspectionResult.PASSED, InspectionResult.RECTIFIED_ON_SPOT):
        for item in original.items:
            if item.result is ItemResult.PROBLEM and item.rectified_on is None:
                item.rectified_on = day
    task = s.scalar(select(ReinspectionTask).where(ReinspectionTask.inspection_id == original.id))
    if task is not None and task.status is TaskStatus.OPEN:
        task.status = TaskStatus.DONE
        task.done_by_inspection_id = re.id
    dl.store(s, RecordKind.INSPECTION, original.id, dl.inspection_deadlines(original, day))


def generate_reinspection_tasks(uow: UnitOfWork, *, today: date | None = None) -> int:
    """Create a re-inspection task for every rectification deadline passed without a re-inspection.

    Idempotent: an inspection gets at most one task. Returns the number of tasks created.
    """
    with uow:
        s = uow.session
        today = today or uow.clock.today()
        has_task = select(ReinspectionTask.inspection_id)
        reinspected = select(Inspection.reinspection_of_id).where(Inspection.reinspection_of_id.is_not(None))
        due = s.scalars(
            select(Inspection).where(
                Inspection.result == InspectionResult.ORDERED, Inspection.rectification_deadline < today,
                Inspection.deleted_at.is_(None), Inspection.id.not_in(has_task), Inspection.id.not_in(reinspected),
            )
        ).all()
        with uow.action("inspection.reinspection_task"):
            for insp in due:
                assert insp.rectification_deadline is not None
                s.add(ReinspectionTask(inspection_id=insp.id, due_on=insp.rectification_deadline + timedelta(days=1)))
        uow.commit()
        return len(due)


@dataclass(frozen=True, slots=True)
class CampaignInput:
    name: str
    start_date: date
    end_date: date | None = None
    domain: str = ""
    description: str = ""


def validate_campaign(data: CampaignInput) -> None:
    if not data.name.strip():
        raise ValidationError("请填写专项整治名称", field="name")
    if data.end_date is not None and data.end_date < data.start_date:
        raise ValidationError("结束日期不能早于开始日期", field="end_date")


def create_campaign(uow: UnitOfWork, data: CampaignInput) -> str:
    with uow:
        validate_campaign(data)
        township = this_township(uow.session)
        camp = Campaign(township_id=township.id, name=data.name.strip(), start_date=data.start_date,
                        end_date=data.end_date, domain=data.domain, description=data.description)
        with uow.action("campaign.create"):
            uow.session.add(camp)
            uow.session.flush()
        uow.commit()
        return camp.uid


def get_inspection(uow: UnitOfWork, ref: str) -> InspectionSummary:
    with uow:
        insp = uow.session.scalar(select(Inspection).where((Inspection.uid == ref) | (Inspection.number == ref)))
        if insp is None:
            raise NotFound(f"找不到检查记录“{ref}”")
        return _summary(insp)
