"""Automatic pre-check of a sampled case file: the common defects (docs/legal-basis.md §7) read off the record.

Run before a reviewer opens the file; each finding becomes a ``review_problem`` (source ``auto``) with the
scoring-sheet item it deducts from. The checks only flag what the record proves; a reviewer can still add
problems by hand, and a finding the file's paper explains can be rectified with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from models.case import CoerciveMeasure, PenaltyCase
from models.case_records import CaseInterview
from models.enums import CaseStatus, DiscretionTierName, Procedure
from models.workdays import WorkCalendar
from services.procedures.deadlines import statement_deadline
from services.reference.settings import Settings


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # rule code, stable across releases (reports and tests refer to it)
    item: str  # scoring-sheet item (V.. veto, F.. form, C.. content)
    deduction: int
    description: str


def precheck(case: PenaltyCase, measures: list[CoerciveMeasure], settings: Settings,
             cal: WorkCalendar) -> list[Finding]:
    out: list[Finding] = []
    decided = case.decision_date
    general = case.procedure is Procedure.GENERAL
    officers = [link.officer for link in case.officer_links if link.deleted_at is None]
    if len(officers) < 2:
        out.append(Finding("officers_fewer_than_two", "V03", 0,
                           f"执法人员仅{len(officers)}人（处罚法第四十二条：不得少于两人）"))
    for o in officers:
        # The certificate must be valid on every step; filing and decision are the steps the record dates.
        if case.filed_on is not None and not o.certified_on(case.filed_on):
            out.append(Finding("officer_not_certified", "V02", 0,
                               f"立案之日（{case.filed_on:%Y-%m-%d}）执法人员{o.name}无有效执法证件"))
        elif decided is not None and not o.certified_on(decided):
            out.append(Finding("officer_not_certified", "V02", 0,
                               f"作出决定之日（{decided:%Y-%m-%d}）执法人员{o.name}执法证件已失效"))
    if general and decided is not None:
        out += _general_procedure(case, decided, settings, cal)
    out += _execution(case)
    out += _overlapping_interviews(case)
    for m in measures:
        if m.deleted_at is not None:
            continue
        limit = m.period_days + m.extended_days + m.excluded_days
        end = m.ended_on or (case.closed_on if case.closed_on else None)
        if end is not None and (end - m.started_on).days > limit:
            out.append(Finding("coercive_overdue", "C03", 3,
                               f"查封扣押自 {m.started_on:%Y-%m-%d} 起超过 {limit} 日未解除或作出决定（行政强制法第二十五条）"))
    return out


def _general_procedure(case: PenaltyCase, decided: date, settings: Settings, cal: WorkCalendar) -> list[Finding]:
    out: list[Finding] = []
    if case.notified_on is not None and not case.statement_waived:
        end = statement_deadline(case.notified_on, settings, cal).due
        if decided <= end:
            out.append(Finding("decided_before_statement_end", "V09", 0,
                               f"陈述申辩期至 {end:%Y-%m-%d} 届满，{decided:%Y-%m-%d} 即作出决定（处罚法第四十四、六十二条）"))
    elif case.notified_on is None and case.no_penalty_ground is None:
        out.append(Finding("no_prior_notice", "V09", 0, "未见事先告知即作出处罚决定（处罚法第四十四条）"))
    if case.served_on is not None:
        due = cal.add_workdays(decided, settings.int("service.working_days")).due
        if case.served_on > due:
            out.append(Finding("service_late", "C09", 2,
                               f"决定书 {case.served_on:%Y-%m-%d} 送达，超过七个工作日（{due:%Y-%m-%d}）（处罚法第六十一条）"))
    if case.filed_on is not None:
        days = settings.int("decision.limit_days") + case.extension_days + case.suspended_days
        due = cal.add_calendar_days(case.filed_on, days).due
        if decided > due:
            out.append(Finding("decision_over_limit", "C11", 3,
                               f"立案 {case.filed_on:%Y-%m-%d} 至决定 {decided:%Y-%m-%d} 超过办案期限"
                               f"（{days}日，含批准延期 {case.extension_days} 日）且无延期审批（处罚法第六十条）"))
    if case.legal_review_required and (case.legal_review_passed_on is None or case.legal_review_passed_on > decided):
        out.append(Finding("no_legal_review", "C06", 6, "属于重大执法决定，决定前未见法制审核意见（处罚法第五十八条）"))
    if case.collective_required and (case.collective_discussed_on is None or case.collective_discussed_on > decided):
        out.append(Finding("no_collective_discussion", "C06", 3, "应当集体讨论而未见集体讨论记录（处罚法第五十七条）"))
    if case.no_penalty_ground is None and case.status is not CaseStatus.NO_PENALTY:
        due = cal.add_workdays(decided, settings.int("disclosure.working_days")).due
        if case.disclosed_on is None:
            out.append(Finding("not_disclosed", "C13", 4, "处罚决定未公示（国办发〔2018〕118号）"))
        elif case.disclosed_on > due:
            out.append(Finding("disclosed_late", "C13", 2,
                               f"处罚决定 {case.disclosed_on:%Y-%m-%d} 才公示，超过七个工作日（{due:%Y-%m-%d}）"))
    out += _fine_range(case)
    return out


def _fine_range(case: PenaltyCase) -> list[Finding]:
    fine, item = case.fine_amount, case.power_item
    if fine is None or fine <= 0 or item is None:
        return []
    out: list[Finding] = []
    if item.fine_max is not None and fine > item.fine_max:
        out.append(Finding("fine_above_range", "V08", 0,
                           f"罚款 {fine} 元高于法定上限 {item.fine_max} 元（{item.penalty_provision[:40]}）"))
    elif item.fine_min is not None and fine < item.fine_min and case.discretion_tier is not DiscretionTierName.MITIGATED:
        out.append(Finding("fine_below_range", "C08", 4,
                           f"罚款 {fine} 元低于法定下限 {item.fine_min} 元，且未适用减轻处罚（处罚法第三十二条）"))
    if not case.discretion_reasons.strip():
        out.append(Finding("discretion_unexplained", "C08", 2, "作出罚款但未说明裁量理由"))
    return out


def _overlapping_interviews(case: PenaltyCase) -> list[Finding]:
    """An officer in two interviews at overlapping times (entry refuses it; two offline devices can still record
    it, and the district sees both after the bundles)."""
    session = sa_inspect(case).session
    if session is None:
        return []
    out: list[Finding] = []
    live = CaseInterview.deleted_at.is_(None)
    for r in session.scalars(select(CaseInterview).where(CaseInterview.case_id == case.id, live)):
        mine = set(r.interviewers) | {r.recorder_uid}
        for other in session.scalars(select(CaseInterview).where(
                live, CaseInterview.id != r.id, CaseInterview.township_id == r.township_id,
                CaseInterview.started_at < r.ended_at, CaseInterview.ended_at > r.started_at)):
            if mine & (set(other.interviewers) | {other.recorder_uid}):
                out.append(Finding("interview_overlap", "C02", 3,
                                   f"{r.started_at:%Y-%m-%d %H:%M}对{r.name}的询问与对{other.name}的询问时间重叠，"
                                   "同一执法人员不能同时参加（处罚法第四十二条、第五十五条）"))
    return out


def _execution(case: PenaltyCase) -> list[Finding]:
    fine = case.fine_amount or Decimal(0)
    if fine <= 0 or case.status not in (CaseStatus.CLOSED, CaseStatus.ARCHIVED):
        return []
    paid = case.paid_amount or Decimal(0)
    if paid < fine and case.enforcement_started_on is None:
        return [Finding("closed_without_payment", "C10", 3,
                        f"罚款 {fine} 元仅缴纳 {paid} 元即结案，且未见催告或申请强制执行")]
    if paid > 0 and not case.receipt_number.strip():
        return [Finding("no_fiscal_receipt", "C10", 1, "已缴纳罚款但未记录财政票据号（罚缴分离）")]
    return []
