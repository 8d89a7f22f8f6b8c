"""Yearly indicators computed from the records themselves (never typed-in totals)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, func, select
from sqlalchemy.orm import Session

from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.enums import CaseStatus, ItemResult, Procedure, TransferKind
from models.inspection import Campaign, Inspection, InspectionItem
from models.mediation import MediationCase
from models.org import Officer
from models.records import Training, TrainingAttendance
from services.core.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class YearStats:
    year: int
    inspections: int
    officer_turnouts: int
    vehicle_turnouts: int
    businesses_inspected: int
    problems_found: int
    problems_rectified: int
    campaigns: int
    cases_filed: int
    cases_closed: int
    summary_procedure_cases: int
    hearings: int
    fines_yuan: Decimal
    no_penalty_decisions: int
    major_decisions_reviewed: int
    disclosures: int
    coercive_measures: int
    transfers_to_departments: int
    transfers_to_judiciary: int
    mediation_accepted: int
    mediation_succeeded: int
    mediation_success_rate: float  # percent, one decimal (580/590 → 98.3)
    judicial_confirmations: int
    mediation_escalated_to_criminal: int
    trainings: int
    training_attendance: int
    certified_officers: int

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["fines_yuan"] = f"{self.fines_yuan:.2f}"
        return out


INDICATOR_KEYS = tuple(k for k in YearStats.__dataclass_fields__ if k != "year")


def rate_percent(part: int, whole: int) -> float:
    """part/whole in percent, one decimal, rounded half up (580/590 → 98.3); 0.0 when ``whole`` is 0.

    Exact decimal arithmetic, not float ``round`` (which rounds 6.25 down): the district report states
    "四舍五入保留一位小数" and must print the same rate as this command.
    """
    if not whole:
        return 0.0
    return float((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _in_year(col: ColumnElement[Date] | Any, year: int) -> ColumnElement[bool]:
    return and_(col >= date(year, 1, 1), col <= date(year, 12, 31))


def compute_year(s: Session, year: int, *, today: date, township_id: int | None = None) -> YearStats:
    def scalar(stmt: Any) -> Any:
        return s.execute(stmt).scalar() or 0

    def tw(model: Any) -> list[ColumnElement[bool]]:
        conds = [model.deleted_at.is_(None)]
        if township_id is not None:
            conds.append(model.township_id == township_id)
        return conds

    insp = s.execute(
        select(func.count(), func.coalesce(func.sum(Inspection.officer_turnout), 0),
               func.coalesce(func.sum(Inspection.vehicle_turnout), 0),
               func.coalesce(func.sum(Inspection.businesses_inspected), 0))
        .where(_in_year(Inspection.inspected_on, year), *tw(Inspection))
    ).one()
    year_inspections = select(Inspection.id).where(_in_year(Inspection.inspected_on, year), *tw(Inspection))
    problems = scalar(select(func.count()).select_from(InspectionItem).where(
        InspectionItem.inspection_id.in_(year_inspections), InspectionItem.result == ItemResult.PROBLEM,
        InspectionItem.deleted_at.is_(None)))
    # A join, not IN (subquery): with the rectified_on index SQLite then reads only that year's items.
    rectified = scalar(select(func.count()).select_from(InspectionItem)
                       .join(Inspection, Inspection.id == InspectionItem.inspection_id)
                       .where(_in_year(InspectionItem.rectified_on, year), InspectionItem.result == ItemResult.PROBLEM,
                              InspectionItem.deleted_at.is_(None), *tw(Inspection)))
    pc = PenaltyCase
    case_row = s.execute(
        select(
            func.count().filter(_in_year(pc.filed_on, year)),
            func.count().filter(_in_year(pc.closed_on, year), pc.status.in_([CaseStatus.CLOSED, CaseStatus.ARCHIVED])),
            func.count().filter(_in_year(pc.decision_date, year), pc.procedure == Procedure.SUMMARY),
            func.count().filter(_in_year(pc.hearing_held_on, year)),
            func.coalesce(func.sum(pc.fine_amount).filter(_in_year(pc.decision_date, year),
                                                          pc.no_penalty_ground.is_(None)), 0),
            func.count().filter(_in_year(pc.decision_date, year), pc.no_penalty_ground.is_not(None)),
            func.count().filter(_in_year(pc.legal_review_passed_on, year)),
            func.count().filter(_in_year(pc.disclosed_on, year)),
        ).where(*tw(pc))
    ).one()
    fines = Decimal(case_row[4]).quantize(Decimal("0.01"))  # sum() keeps the Money type: already yuan
    coercive = scalar(select(func.count()).select_from(CoerciveMeasure).join(pc, CoerciveMeasure.case_id == pc.id)
                      .where(_in_year(CoerciveMeasure.started_on, year), CoerciveMeasure.deleted_at.is_(None), *tw(pc)))
    transfers = dict(s.execute(
        select(Transfer.kind, func.count()).where(_in_year(Transfer.transferred_on, year), *tw(Transfer))
        .group_by(Transfer.kind)).all())
    mc = MediationCase
    med = s.execute(
        select(
            func.count().filter(_in_year(mc.accepted_on, year)),
            func.count().filter(_in_year(mc.ended_on, year), mc.agreement_form.is_not(None)),
            func.count().filter(_in_year(mc.confirmation_decided_on, year), mc.confirmation_granted.is_(True)),
            func.count().filter(_in_year(mc.applied_on, year), mc.escalated_to_criminal.is_(True)),
        ).where(*tw(mc))
    ).one()
    accepted, succeeded = int(med[0]), int(med[1])
    rate = rate_percent(succeeded, accepted)
    year_trainings = select(Training.id).where(_in_year(Training.held_on, year), *tw(Training))
    trainings = scalar(select(func.count()).select_from(year_trainings.subquery()))
    attendance = scalar(select(func.count()).select_from(TrainingAttendance).where(
        TrainingAttendance.training_id.in_(year_trainings), TrainingAttendance.deleted_at.is_(None)))
    ref_day = min(date(year, 12, 31), today)
    certified = scalar(select(func.count()).select_from(Officer).where(
        Officer.active.is_(True), Officer.certified_clause(ref_day), *tw(Officer)))
    campaigns = scalar(select(func.count()).select_from(Campaign).where(_in_year(Campaign.start_date, year),
                                                                          *tw(Campaign)))
    return YearStats(
        year=year, inspections=int(insp[0]), officer_turnouts=int(insp[1]), vehicle_turnouts=int(insp[2]),
        businesses_inspected=int(insp[3]), problems_found=int(problems), problems_rectified=int(rectified),
        campaigns=int(campaigns), cases_filed=int(case_row[0]), cases_closed=int(case_row[1]),
        summary_procedure_cases=int(case_row[2]), hearings=int(case_row[3]), fines_yuan=fines,
        no_penalty_decisions=int(case_row[5]), major_decisions_reviewed=int(case_row[6]),
        disclosures=int(case_row[7]), coercive_measures=int(coercive),
        transfers_to_departments=int(transfers.get(TransferKind.DEPARTMENT, 0)),
        transfers_to_judiciary=int(transfers.get(TransferKind.JUDICIARY, 0)),
        mediation_accepted=accepted, mediation_succeeded=succeeded, mediation_success_rate=rate,
        judicial_confirmations=int(med[2]), mediation_escalated_to_criminal=int(med[3]), trainings=int(trainings),
        training_attendance=int(attendance), certified_officers=int(certified),
    )


def yearly_stats(uow: UnitOfWork, year: int) -> YearStats:
    """The yearly indicators for this database (all townships it holds)."""
    with uow:
        return compute_year(uow.session, year, today=uow.clock.today())
