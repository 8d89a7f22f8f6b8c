"""Legal deadlines: computed from a record's dates, stored in ``deadline``, recomputed when inputs change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from models.case import CoerciveMeasure, PenaltyCase
from models.enums import (
    AgreementForm,
    CaseStatus,
    DeadlineKind,
    InspectionResult,
    PerformanceStatus,
    Procedure,
)
from models.inspection import Inspection
from models.mediation import MediationCase
from models.org import Officer
from models.system import Deadline
from models.workdays import DueDate, WorkCalendar
from services.reference.settings import Settings


@dataclass(frozen=True, slots=True)
class DeadlineSpec:
    kind: DeadlineKind
    due_on: date
    provisional: bool
    met_on: date | None
    basis: str


def _spec(kind: DeadlineKind, due: DueDate, met: date | None, basis: str) -> DeadlineSpec:
    return DeadlineSpec(kind, due.due, due.provisional, met, basis)


def statement_deadline(notified_on: date, settings: Settings, cal: WorkCalendar) -> DueDate:
    days = settings.int("statement.days")
    if settings.bool("statement.working_days"):
        return cal.add_workdays(notified_on, days)
    return cal.add_calendar_days(notified_on, days)


def hearing_request_deadline(notified_on: date, settings: Settings, cal: WorkCalendar) -> DueDate:
    return cal.add_workdays(notified_on, settings.int("hearing.request_working_days"))


def decision_limit(case: PenaltyCase, settings: Settings, cal: WorkCalendar) -> DueDate | None:
    """90 days from filing (art.60) plus approved extensions plus excluded periods (hearing, appraisal)."""
    if case.filed_on is None:
        return None
    days = settings.int("decision.limit_days") + case.extension_days + case.suspended_days
    return cal.add_calendar_days(case.filed_on, days)


def payment_deadline(served_on: date, settings: Settings, cal: WorkCalendar) -> DueDate:
    return cal.add_calendar_days(served_on, settings.int("payment.days"))


def surcharge(fine: Decimal, due: date, on: date, settings: Settings, *, excluded_days: int = 0) -> Decimal:
    """加处罚款 (art.72): rate × fine per day late, never more than the fine itself."""
    late = max(0, (on - due).days - excluded_days)
    raw = (fine * settings.decimal("surcharge.rate_per_day") * late).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return min(raw, fine)


def case_deadlines(case: PenaltyCase, settings: Settings, cal: WorkCalendar) -> list[DeadlineSpec]:
    out: list[DeadlineSpec] = []
    decided_on = case.decision_date
    if case.procedure is Procedure.GENERAL:
        limit = decision_limit(case, settings, cal)
        if limit is not None:
            # The limit ends with the decision, or when the case left without one (transferred or terminated),
            # also after it was later closed: a transferred case that is closed must not turn overdue again.
            ended = decided_on or _entered_on(case, CaseStatus.TRANSFERRED) or _entered_on(case, CaseStatus.TERMINATED)
            if case.status in (CaseStatus.TRANSFERRED, CaseStatus.TERMINATED) and ended is None:
                ended = case.closed_on or case.updated_at.date()
            out.append(_spec(DeadlineKind.DECISION_LIMIT, limit, ended, "《中华人民共和国行政处罚法》第六十条"))
        if case.notified_on is not None:
            left_notice = case.hearing_requested_on or decided_on or _left_on(case, CaseStatus.NOTIFIED)
            out.append(_spec(DeadlineKind.STATEMENT_PERIOD, statement_deadline(case.notified_on, settings, cal),
                             left_notice, "《中华人民共和国行政处罚法》第四十四条、第四十五条"))
            if case.hearing_rights:
                out.append(_spec(DeadlineKind.HEARING_REQUEST, hearing_request_deadline(case.notified_on, settings, cal),
                                 case.hearing_requested_on or left_notice, "《中华人民共和国行政处罚法》第六十四条"))
        if decided_on is not None:
            out.append(_spec(DeadlineKind.SERVICE, cal.add_workdays(decided_on, settings.int("service.working_days")),
                             case.served_on, "《中华人民共和国行政处罚法》第六十一条"))
            if case.status is not CaseStatus.NO_PENALTY and case.no_penalty_ground is None:
                out.append(_spec(DeadlineKind.DISCLOSURE,
                                 cal.add_workdays(decided_on, settings.int("disclosure.working_days")),
                                 case.disclosed_on, "国办发〔2018〕118号；《中华人民共和国行政处罚法》第四十八条"))
    else:
        if decided_on is not None:
            out.append(_spec(DeadlineKind.SUMMARY_FILING,
                             cal.add_workdays(decided_on, settings.int("summary.filing_working_days")),
                             case.summary_filed_on, "《中华人民共和国行政处罚法》第五十二条"))
            if settings.bool("disclosure.summary_required"):
                out.append(_spec(DeadlineKind.DISCLOSURE,
                                 cal.add_workdays(decided_on, settings.int("disclosure.working_days")),
                                 case.disclosed_on, "[L] 当场处罚公示"))
    if case.served_on is not None and (case.fine_amount or Decimal(0)) > 0:
        paid_in_full = case.paid_on if (case.paid_amount or 0) >= (case.fine_amount or 0) else None
        out.append(_spec(DeadlineKind.PAYMENT, payment_deadline(case.served_on, settings, cal), paid_in_full,
                         "《中华人民共和国行政处罚法》第六十七条"))
    return out


def _entered_on(case: PenaltyCase, status: CaseStatus) -> date | None:
    for ev in case.events:
        if ev.to_status is status and ev.from_status is not status:
            return ev.on_date
    return None


def _left_on(case: PenaltyCase, status: CaseStatus) -> date | None:
    for ev in case.events:
        if ev.from_status is status and ev.to_status is not status:
            return ev.on_date
    return None


class ProvisionalCheck(Protocol):
    """What a calendar-day deadline needs of a calendar: whether its end falls on a day not yet published."""

    def is_provisional(self, day: date, /) -> bool: ...


def coercive_deadline(m: CoerciveMeasure, cal: ProvisionalCheck) -> DeadlineSpec:
    days = m.period_days + m.extended_days + m.excluded_days
    due = DueDate(m.started_on + timedelta(days=days), cal.is_provisional(m.started_on + timedelta(days=days)))
    return _spec(DeadlineKind.COERCIVE_END, due, m.ended_on, "《中华人民共和国行政强制法》第二十五条")


def inspection_deadlines(insp: Inspection, reinspected_on: date | None) -> list[DeadlineSpec]:
    if insp.result is not InspectionResult.ORDERED or insp.rectification_deadline is None:
        return []
    due = DueDate(insp.rectification_deadline, False)
    return [_spec(DeadlineKind.RECTIFICATION, due, reinspected_on, "《中华人民共和国行政处罚法》第二十八条")]


# Windows the parties may use rather than duties of the office (人民调解法 art.33: the parties *may* apply for
# judicial confirmation within 30 days): once past they have lapsed, they are not overdue (services/read/home.py).
OPTIONAL_WINDOWS: Final = frozenset({DeadlineKind.JUDICIAL_CONFIRMATION})


def mediation_deadlines(mc: MediationCase, settings: Settings, cal: WorkCalendar) -> list[DeadlineSpec]:
    out: list[DeadlineSpec] = []
    if mc.accepted_on is not None:
        due = cal.add_calendar_days(mc.accepted_on, settings.int("mediation.completion_days"), roll_to_workday=False)
        out.append(_spec(DeadlineKind.MEDIATION_COMPLETION, due, mc.ended_on, "《人民调解工作若干规定》第三十三条"))
    if mc.agreement_form is AgreementForm.WRITTEN and mc.agreement_effective_on is not None:
        due = cal.add_calendar_days(mc.agreement_effective_on, settings.int("mediation.confirmation_days"))
        # Judicial confirmation is optional: the window is "met" by an application or by the case closing.
        met = mc.confirmation_applied_on or mc.closed_on
        out.append(_spec(DeadlineKind.JUDICIAL_CONFIRMATION, due, met, "《中华人民共和国人民调解法》第三十三条"))
    if mc.performance_deadline is not None:
        met = None
        if mc.performance_status is PerformanceStatus.PERFORMED:
            met = mc.visits[-1].visited_on if mc.visits else mc.performance_deadline
        out.append(_spec(DeadlineKind.MEDIATION_PERFORMANCE, DueDate(mc.performance_deadline, False), met,
                         "《中华人民共和国人民调解法》第三十一条"))
    return out


def officer_deadlines(o: Officer) -> list[DeadlineSpec]:
    if o.cert_valid_to is None or not o.active:
        return []
    return [_spec(DeadlineKind.CERTIFICATE_EXPIRY, DueDate(o.cert_valid_to, False), None, "执法证件管理")]


def store(session: Session, owner_table: str, owner_id: int, specs: list[DeadlineSpec]) -> None:
    """Replace the stored deadlines of one record (derived data, so a plain delete is fine here)."""
    session.execute(delete(Deadline).where(Deadline.owner_table == owner_table, Deadline.owner_id == owner_id))
    if specs:
        session.execute(
            insert(Deadline),
            [
                {"owner_table": owner_table, "owner_id": owner_id, "kind": s.kind, "due_on": s.due_on,
                 "provisional": s.provisional, "met_on": s.met_on, "basis": s.basis}
                for s in specs
            ],
        )


def stored(session: Session, owner_table: str, owner_id: int) -> list[Deadline]:
    return list(
        session.scalars(
            select(Deadline).where(Deadline.owner_table == owner_table, Deadline.owner_id == owner_id)
            .order_by(Deadline.due_on)
        )
    )


