"""Every statistic counted directly from the records, in Python: the oracle the declaration is tested against.

Written out statistic by statistic from what each figure means (README.md, docs/district-report.md), over rows
loaded with plain SELECTs — on purpose *not* derived from services/statistics/indicators.py, so a wrong date,
condition, join or sum in the declaration (or in the SQL built from it, or in figure_month) shows up as a
difference instead of being reproduced on both sides. The key order is the ``stats`` command's public output
(README.md): a test holds the declaration to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.enums import CaseStatus, CertStatus, ItemResult, Procedure, TransferKind
from models.inspection import Campaign, Inspection, InspectionItem
from models.mediation import MediationCase
from models.org import Officer
from models.records import Training, TrainingAttendance

# What `python main.py stats --json` prints after "year", in this order (README.md).
STATS_KEYS = (
    "inspections", "officer_turnouts", "vehicle_turnouts", "businesses_inspected", "problems_found",
    "problems_rectified", "campaigns", "cases_filed", "cases_closed", "summary_procedure_cases", "hearings",
    "fines_yuan", "no_penalty_decisions", "major_decisions_reviewed", "disclosures", "coercive_measures",
    "transfers_to_departments", "transfers_to_judiciary", "mediation_accepted", "mediation_succeeded",
    "mediation_success_rate", "judicial_confirmations", "mediation_escalated_to_criminal", "trainings",
    "training_attendance", "certified_officers",
)


@dataclass(frozen=True)
class Records:
    """Every row a statistic may count, live or soft-deleted, as plain tuples."""

    inspections: dict[int, Any]  # id → row
    items: list[Any]
    campaigns: list[Any]
    cases: dict[int, Any]
    measures: list[Any]
    transfers: list[Any]
    mediations: list[Any]
    trainings: dict[int, Any]
    attendance: list[Any]
    officers: list[Any]


def load(s: Session) -> Records:
    i, it, pc, m = Inspection, InspectionItem, PenaltyCase, MediationCase
    return Records(
        inspections={r.id: r for r in s.execute(select(
            i.id, i.township_id, i.inspected_on, i.officer_turnout, i.vehicle_turnout, i.businesses_inspected,
            i.deleted_at))},
        items=list(s.execute(select(it.inspection_id, it.result, it.rectified_on, it.deleted_at))),
        campaigns=list(s.execute(select(Campaign.township_id, Campaign.start_date, Campaign.deleted_at))),
        cases={r.id: r for r in s.execute(select(
            pc.id, pc.township_id, pc.filed_on, pc.closed_on, pc.status, pc.decision_date, pc.procedure,
            pc.hearing_held_on, pc.fine_amount, pc.no_penalty_ground, pc.legal_review_passed_on, pc.disclosed_on,
            pc.deleted_at))},
        measures=list(s.execute(select(CoerciveMeasure.case_id, CoerciveMeasure.started_on,
                                       CoerciveMeasure.deleted_at))),
        transfers=list(s.execute(select(Transfer.township_id, Transfer.transferred_on, Transfer.kind,
                                        Transfer.deleted_at))),
        mediations=list(s.execute(select(
            m.township_id, m.accepted_on, m.ended_on, m.agreement_form, m.confirmation_decided_on,
            m.confirmation_granted, m.applied_on, m.escalated_to_criminal, m.deleted_at))),
        trainings={r.id: r for r in s.execute(select(Training.id, Training.township_id, Training.held_on,
                                                     Training.deleted_at))},
        attendance=list(s.execute(select(TrainingAttendance.training_id, TrainingAttendance.deleted_at))),
        officers=list(s.execute(select(Officer.township_id, Officer.active, Officer.cert_status,
                                       Officer.cert_number, Officer.cert_valid_from, Officer.cert_valid_to,
                                       Officer.deleted_at))),
    )


def direct_figures(rec: Records, start: date, end: date, *, today: date,
                   township_id: int | None = None) -> dict[str, Any]:
    """The figures of the rows dated in [start, end] (one township's, or all), as ``stats`` prints them typed:
    ints, Decimal yuan for the fines, the success rate in percent to one decimal (half up)."""

    def within(day: date | None) -> bool:
        return day is not None and start <= day <= end

    def ours(tid: int) -> bool:
        return township_id is None or tid == township_id

    def count(rows: Any, keep: Callable[[Any], bool]) -> int:
        return sum(1 for r in rows if keep(r))

    ins = [r for r in rec.inspections.values() if r.deleted_at is None and ours(r.township_id)]
    dated = [r for r in ins if within(r.inspected_on)]
    parent = {r.id: r for r in ins}  # live inspections of this township: an item counts through its inspection
    problems = [t for t in rec.items if t.deleted_at is None and t.result == ItemResult.PROBLEM
                and t.inspection_id in parent]
    cases = [c for c in rec.cases.values() if c.deleted_at is None and ours(c.township_id)]
    live_case = {c.id for c in cases}
    transfers = [t for t in rec.transfers if t.deleted_at is None and ours(t.township_id) and within(t.transferred_on)]
    meds = [m for m in rec.mediations if m.deleted_at is None and ours(m.township_id)]
    trainings = {t.id for t in rec.trainings.values()
                 if t.deleted_at is None and ours(t.township_id) and within(t.held_on)}
    on_day = min(end, today)
    decided = [c for c in cases if within(c.decision_date)]
    fines = sum((c.fine_amount for c in decided if c.no_penalty_ground is None and c.fine_amount is not None),
                Decimal("0")).quantize(Decimal("0.01"))
    accepted = count(meds, lambda m: within(m.accepted_on))
    succeeded = count(meds, lambda m: within(m.ended_on) and m.agreement_form is not None)
    rate = 0.0 if not accepted else float(
        (Decimal(succeeded) * 100 / Decimal(accepted)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    out = {
        "inspections": len(dated),
        "officer_turnouts": sum(r.officer_turnout for r in dated),
        "vehicle_turnouts": sum(r.vehicle_turnout for r in dated),
        "businesses_inspected": sum(r.businesses_inspected for r in dated),
        "problems_found": count(problems, lambda t: within(parent[t.inspection_id].inspected_on)),
        "problems_rectified": count(problems, lambda t: within(t.rectified_on)),
        "campaigns": count(rec.campaigns, lambda c: c.deleted_at is None and ours(c.township_id)
                           and within(c.start_date)),
        "cases_filed": count(cases, lambda c: within(c.filed_on)),
        "cases_closed": count(cases, lambda c: within(c.closed_on)
                              and c.status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED)),
        "summary_procedure_cases": count(decided, lambda c: c.procedure == Procedure.SUMMARY),
        "hearings": count(cases, lambda c: within(c.hearing_held_on)),
        "fines_yuan": fines,
        "no_penalty_decisions": count(decided, lambda c: c.no_penalty_ground is not None),
        "major_decisions_reviewed": count(cases, lambda c: within(c.legal_review_passed_on)),
        "disclosures": count(cases, lambda c: within(c.disclosed_on)),
        "coercive_measures": count(rec.measures, lambda x: x.deleted_at is None and x.case_id in live_case
                                   and within(x.started_on)),
        "transfers_to_departments": count(transfers, lambda t: t.kind == TransferKind.DEPARTMENT),
        "transfers_to_judiciary": count(transfers, lambda t: t.kind == TransferKind.JUDICIARY),
        "mediation_accepted": accepted,
        "mediation_succeeded": succeeded,
        "mediation_success_rate": rate,
        "judicial_confirmations": count(meds, lambda m: within(m.confirmation_decided_on)
                                        and m.confirmation_granted is True),
        "mediation_escalated_to_criminal": count(meds, lambda m: within(m.applied_on)
                                                 and m.escalated_to_criminal is True),
        "trainings": len(trainings),
        "training_attendance": count(rec.attendance, lambda a: a.deleted_at is None and a.training_id in trainings),
        "certified_officers": count(rec.officers, lambda o: o.deleted_at is None and ours(o.township_id)
                                    and o.active and o.cert_status == CertStatus.VALID and o.cert_number != ""
                                    and o.cert_valid_to is not None and on_day <= o.cert_valid_to
                                    # an issue date not recorded is no bar (models/org.py Officer.certified_on)
                                    and (o.cert_valid_from is None or o.cert_valid_from <= on_day)),
    }
    assert tuple(out) == STATS_KEYS
    return out
