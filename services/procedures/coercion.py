"""Seizure and impoundment (查封/扣押, 行政强制法 art.18-28): decision with item list, period, extension, end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models.case import CoerciveItem, CoerciveMeasure
from models.enums import CaseStatus, CoerciveKind, CoerciveStatus, RecordKind
from models.org import Officer
from services.core.errors import NotFound, TransitionRefused, ValidationError, required
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require
from services.people.registry import officers_by_uid, require_certified
from services.procedures import deadlines as dl
from services.procedures.cases import load_case
from services.reference.calendar import load_calendar
from services.reference.catalogue import statute_facts
from services.reference.numbering import next_number
from services.reference.settings import Settings
from services.reference.setup import this_township

LAW = "《中华人民共和国行政强制法》"
_OPEN_CASE = {CaseStatus.INVESTIGATING, CaseStatus.REVIEWING, CaseStatus.NOTIFIED, CaseStatus.HEARING,
              CaseStatus.PENDING_DECISION}


@dataclass(frozen=True, slots=True)
class SeizedItem:
    name: str
    quantity: str = "1"
    unit: str = "件"
    spec: str = ""
    daily_necessity: bool = False


@dataclass(frozen=True, slots=True)
class MeasureSummary:
    uid: str
    number: str
    kind: CoerciveKind
    started_on: date
    ends_on: date
    status: CoerciveStatus
    items: int


def _summary(m: CoerciveMeasure) -> MeasureSummary:
    return MeasureSummary(m.uid, m.decision_number, m.kind, m.started_on,
                          dl.coercive_deadline(m, _NO_CAL).due_on, m.status, len(m.items))


class _NoCalendar:
    @staticmethod
    def is_provisional(_day: date) -> bool:
        return False


_NO_CAL = _NoCalendar()  # calendar days only (art.69): the end date needs no holiday data


def check_imposition(case_status: CaseStatus, officers: list[Officer], on: date, items: list[SeizedItem],
                     settings: Settings, *, head_approved: bool, period_days: int | None, party_present: bool,
                     witness: str, reason: str) -> int:
    """The guards of art.18, 22-23 and the period cap, without the database; returns the period in days.

    (The township demo generator checks its measures with them too.)"""
    if case_status not in _OPEN_CASE:
        raise TransitionRefused("只能在案件调查处理期间采取查封、扣押措施", f"{LAW}第二十二条")
    if not head_approved:
        raise TransitionRefused("实施行政强制措施前须向行政机关负责人报告并经批准", f"{LAW}第十八条第（一）项")
    require_certified(officers, on, what="行政强制措施")
    if not party_present and not witness.strip():
        raise TransitionRefused("当事人不到场的，须邀请见证人到场并在现场笔录上签名", f"{LAW}第十八条第（九）项")
    if not items:
        raise ValidationError("请填写查封、扣押物品清单", field="items")
    necessities = [i.name for i in items if i.daily_necessity]
    if necessities:
        raise TransitionRefused(f"不得查封、扣押当事人及其所扶养家属的生活必需品：{'、'.join(necessities)}",
                                f"{LAW}第二十三条")
    period = period_days if period_days is not None else settings.int("coercive.period_days")
    if not 1 <= period <= settings.int("coercive.period_days"):
        raise ValidationError(f"查封、扣押期限不得超过{settings.int('coercive.period_days')}日", field="period_days")
    required(reason, "请写明查封、扣押的理由和依据", field="reason")
    return period


def authorising_article(item_code: str | None) -> str:
    """The law article that authorises 查封/扣押 for the case's catalogue item; refuses when there is none.

    Only a law may create a coercive measure (art.10), and the decision names that basis (art.24 ¶2 (二))."""
    if not item_code:
        raise TransitionRefused("案件尚未关联赋权事项，无法确定实施查封、扣押的法律依据", f"{LAW}第十条")
    basis = statute_facts(item_code).coercive
    if not basis:
        raise TransitionRefused(f"事项 {item_code} 所依据的法律、法规没有设定查封、扣押措施，不得实施",
                                f"{LAW}第十条")
    return basis


def impose(uow: UnitOfWork, case_ref: str, *, kind: CoerciveKind, on: date, officer_uids: list[str],
           items: list[SeizedItem], reason: str, place: str, head_approved: bool, period_days: int | None = None,
           party_present: bool = True, witness: str = "") -> MeasureSummary:
    """art.18: prior approval, ≥2 officers, party present or a witness; art.23: never daily necessities."""
    with uow:
        if uow.role is not None:
            require(uow.role, Permission.DECIDE)
        s = uow.session
        case = load_case(s, case_ref)
        authorising_article(case.power_item.code if case.power_item else None)
        settings = Settings(s)
        period = check_imposition(case.status, officers_by_uid(s, officer_uids), on, items, settings,
                                  head_approved=head_approved, period_days=period_days, party_present=party_present,
                                  witness=witness, reason=reason)
        number = next_number(s, this_township(s), settings, doc_type="coercive_decision", year=on.year,
                             device_uid=s.info.get("device_uid", "")).number
        m = CoerciveMeasure(case_id=case.id, kind=kind, decision_number=number, started_on=on, period_days=period,
                            place=place, reason=reason.strip())
        for pos, it in enumerate(items):
            if not it.name.strip():
                raise ValidationError("物品名称不能为空", field="items")
            m.items.append(CoerciveItem(position=pos, name=it.name.strip(), spec=it.spec, quantity=it.quantity,
                                        unit=it.unit))
        with uow.action("coercive_measure.impose"):
            s.add(m)
            s.flush()
            dl.store(s, RecordKind.COERCIVE_MEASURE, m.id, [dl.coercive_deadline(m, load_calendar(s))])
        out = _summary(m)
        uow.commit()
        return out


def _load(uow: UnitOfWork, ref: str) -> CoerciveMeasure:
    m = uow.session.scalar(select(CoerciveMeasure).where(
        (CoerciveMeasure.uid == ref) | (CoerciveMeasure.decision_number == ref)))
    if m is None:
        raise NotFound(f"找不到查封扣押决定“{ref}”")
    return m


def extend(uow: UnitOfWork, ref: str, *, on: date, days: int, reason: str, head_approved: bool) -> MeasureSummary:
    """art.25: complex cases may be extended once by ≤30 days, with approval and written notice."""
    with uow:
        s = uow.session
        m = _load(uow, ref)
        cap = Settings(s).int("coercive.max_extension_days")
        if m.status is not CoerciveStatus.ACTIVE:
            raise TransitionRefused("措施已解除或处理，不能延长", f"{LAW}第二十五条")
        if not head_approved or not reason.strip():
            raise TransitionRefused("延长查封、扣押期限须经行政机关负责人批准并书面告知理由", f"{LAW}第二十五条")
        if m.extended_days + days > cap or days <= 0:
            raise ValidationError(f"延长期限合计不得超过{cap}日", field="days")
        ends = dl.coercive_deadline(m, load_calendar(s)).due_on
        if on > ends:
            raise TransitionRefused(f"查封、扣押期限已于{ends.isoformat()}届满，应当及时解除", f"{LAW}第二十八条")
        with uow.action("coercive_measure.extend"):
            m.extended_days += days
            s.flush()
            dl.store(s, RecordKind.COERCIVE_MEASURE, m.id, [dl.coercive_deadline(m, load_calendar(s))])
        out = _summary(m)
        uow.commit()
        return out


def check_end(m: CoerciveMeasure, on: date, outcome: CoerciveStatus) -> None:
    """art.27-28: an active measure ends by release, confiscation or destruction, not before it began."""
    if m.status is not CoerciveStatus.ACTIVE:
        raise TransitionRefused("该措施已经处理完毕", f"{LAW}第二十七条")
    if outcome is CoerciveStatus.ACTIVE:
        raise ValidationError("请选择解除、没收或销毁", field="outcome")
    if on < m.started_on:
        raise ValidationError("处理日期不能早于查封扣押日期", field="on")


def end(uow: UnitOfWork, ref: str, *, on: date, outcome: CoerciveStatus, reason: str) -> MeasureSummary:
    """art.27-28: within the period, confiscate, destroy or release."""
    with uow:
        s = uow.session
        m = _load(uow, ref)
        check_end(m, on, outcome)
        with uow.action("coercive_measure.end"):
            m.status = outcome
            m.ended_on = on
            m.end_reason = reason
            s.flush()
            dl.store(s, RecordKind.COERCIVE_MEASURE, m.id, [dl.coercive_deadline(m, load_calendar(s))])
        out = _summary(m)
        uow.commit()
        return out
