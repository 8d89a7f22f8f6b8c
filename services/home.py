"""The 工作台 (home): today's deadlines due or overdue across every record, and this month's/year's counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from models.case import CoerciveMeasure, PenaltyCase
from models.enums import CertStatus, DeadlineKind, label
from models.inspection import Inspection
from models.mediation import MediationCase
from models.org import Officer
from models.party import Party
from models.system import Deadline
from services.settings import Settings
from services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class WorkItem:
    kind: DeadlineKind
    kind_label: str
    due_on: date
    days_left: int  # negative: overdue by that many days
    provisional: bool
    record_type: str  # penalty_case | mediation_case | inspection | coercive_measure | officer
    record_uid: str
    title: str
    basis: str


@dataclass(frozen=True, slots=True)
class HomeCounts:
    inspections_month: int
    inspections_year: int
    cases_filed_month: int
    cases_filed_year: int
    mediations_month: int
    mediations_year: int
    overdue: int
    due_soon: int


def work_items(uow: UnitOfWork, *, horizon_days: int = 14, limit: int = 500) -> list[WorkItem]:
    """Open deadlines due within ``horizon_days`` (and all overdue ones), soonest first."""
    with uow:
        s = uow.session
        today = uow.clock.today()
        until = today + timedelta(days=horizon_days)
        rows = s.execute(
            select(Deadline).where(Deadline.met_on.is_(None), Deadline.due_on <= until)
            .order_by(Deadline.due_on, Deadline.id).limit(limit)
        ).scalars().all()
        titles = _titles(s, rows)
        items = [
            WorkItem(d.kind, label(d.kind), d.due_on, (d.due_on - today).days, d.provisional, d.owner_table,
                     *titles.get((d.owner_table, d.owner_id), ("", "（记录已删除）")), d.basis)
            for d in rows if (d.owner_table, d.owner_id) in titles
        ]
        warn = Settings(s).int("certificate.warn_days")
        for o in s.scalars(select(Officer).where(
                Officer.active.is_(True), Officer.deleted_at.is_(None), Officer.cert_status == CertStatus.VALID,
                Officer.cert_valid_to.is_not(None), Officer.cert_valid_to <= today + timedelta(days=warn))):
            assert o.cert_valid_to is not None
            items.append(WorkItem(DeadlineKind.CERTIFICATE_EXPIRY, label(DeadlineKind.CERTIFICATE_EXPIRY),
                                  o.cert_valid_to, (o.cert_valid_to - today).days, False, "officer", o.uid,
                                  f"{o.name}（执法证 {o.cert_number}）", "执法证件管理"))
        return sorted(items, key=lambda i: (i.due_on, i.title))


def _titles(s, rows: list[Deadline]) -> dict[tuple[str, int], tuple[str, str]]:  # type: ignore[no-untyped-def]
    by_table: dict[str, set[int]] = {}
    for d in rows:
        by_table.setdefault(d.owner_table, set()).add(d.owner_id)
    out: dict[tuple[str, int], tuple[str, str]] = {}
    if ids := by_table.get("penalty_case"):
        for id_, uid, number, cause, party in s.execute(
                select(PenaltyCase.id, PenaltyCase.uid, PenaltyCase.number, PenaltyCase.cause, Party.name)
                .outerjoin(Party, Party.id == PenaltyCase.party_id)
                .where(PenaltyCase.id.in_(ids), PenaltyCase.deleted_at.is_(None))):
            out[("penalty_case", id_)] = (uid, f"{number or '未立案'} {party or ''} {cause}".strip())
    if ids := by_table.get("mediation_case"):
        for id_, uid, number, summary in s.execute(
                select(MediationCase.id, MediationCase.uid, MediationCase.number, MediationCase.summary)
                .where(MediationCase.id.in_(ids), MediationCase.deleted_at.is_(None))):
            out[("mediation_case", id_)] = (uid, f"{number} {summary[:24]}")
    if ids := by_table.get("inspection"):
        for id_, uid, number, place in s.execute(
                select(Inspection.id, Inspection.uid, Inspection.number, Inspection.place)
                .where(Inspection.id.in_(ids), Inspection.deleted_at.is_(None))):
            out[("inspection", id_)] = (uid, f"{number} {place}")
    if ids := by_table.get("coercive_measure"):
        for id_, uid, number, place in s.execute(
                select(CoerciveMeasure.id, CoerciveMeasure.uid, CoerciveMeasure.decision_number, CoerciveMeasure.place)
                .where(CoerciveMeasure.id.in_(ids))):
            out[("coercive_measure", id_)] = (uid, f"{number} {place}")
    return out


def home_counts(uow: UnitOfWork) -> HomeCounts:
    with uow:
        s = uow.session
        today = uow.clock.today()
        month0, year0 = today.replace(day=1), today.replace(month=1, day=1)

        def count(col, start: date) -> int:  # type: ignore[no-untyped-def]
            stmt = select(func.count()).where(col >= start, col <= today)
            return int(s.scalar(stmt) or 0)

        overdue = int(s.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.met_on.is_(None), Deadline.due_on < today)) or 0)
        soon = int(s.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.met_on.is_(None), Deadline.due_on >= today, Deadline.due_on <= today + timedelta(days=7))) or 0)
        return HomeCounts(
            count(Inspection.inspected_on, month0), count(Inspection.inspected_on, year0),
            count(PenaltyCase.filed_on, month0), count(PenaltyCase.filed_on, year0),
            count(MediationCase.applied_on, month0), count(MediationCase.applied_on, year0), overdue, soon,
        )
