"""The 工作台 (home): today's deadlines due or overdue across every record, and this month's/year's counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from models.case import CoerciveMeasure, PenaltyCase
from models.enums import CertStatus, DeadlineKind, label
from models.inspection import Inspection
from models.mediation import MediationCase
from models.org import Officer
from models.party import Party
from models.system import Deadline
from services.clock import Clock
from services.settings import Settings
from services.uow import UnitOfWork

HORIZON_DAYS = 14  # the work list: everything overdue plus what falls due within two weeks
PAGE_SIZE = 100  # work items read per page (the 工作台 shows 显示更多 for the rest)


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


@dataclass(frozen=True, slots=True)
class WorkPage:
    """One page of the 工作台's work items, with the totals over all of them (not just this page)."""

    items: list[WorkItem]
    total: int  # every open deadline due within the horizon (overdue ones included) and expiring certificate
    overdue: int  # of those, the ones already past their day
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def _open_deadlines(until: date) -> ColumnElement[bool]:
    """Open deadlines due by ``until`` whose record still exists (deleted records' deadlines are not work).

    Certificate deadlines are left out here: they come from the officers themselves (``_certificate_items``).
    """

    def alive(model: Any, table: str) -> ColumnElement[bool]:
        return and_(Deadline.owner_table == table,
                    exists().where(model.id == Deadline.owner_id, model.deleted_at.is_(None)))

    return and_(Deadline.met_on.is_(None), Deadline.due_on <= until, or_(
        alive(PenaltyCase, "penalty_case"), alive(MediationCase, "mediation_case"),
        alive(Inspection, "inspection"), alive(CoerciveMeasure, "coercive_measure")))


def work_page(uow: UnitOfWork, *, horizon_days: int = HORIZON_DAYS, offset: int = 0, limit: int = PAGE_SIZE) -> WorkPage:
    """Open deadlines due within ``horizon_days`` (and all overdue ones) and expiring enforcement certificates,
    soonest first, one page at a time: the list is read from SQL with LIMIT, so a township with a thousand
    forgotten deadlines still opens its 工作台 at once.
    """
    if offset < 0 or limit < 1:
        raise ValueError("offset must be >= 0 and limit >= 1")
    with uow:
        return _work_page(uow.session, uow.clock.today(), horizon_days, offset, limit)


def _work_page(s: Session, today: date, horizon_days: int, offset: int, limit: int) -> WorkPage:
    open_deadlines = _open_deadlines(today + timedelta(days=horizon_days))
    total, overdue = s.execute(
        select(func.count(), func.count().filter(Deadline.due_on < today)).where(open_deadlines)).one()
    # Certificates are few (one per officer): the deadlines up to the end of this page are merged with them.
    certificates = _certificate_items(s, today)
    rows = s.execute(
        select(Deadline).where(open_deadlines).order_by(Deadline.due_on, Deadline.id).limit(offset + limit)
    ).scalars().all()
    wanted = rows if certificates else rows[offset:]
    titles = _titles(s, wanted)
    items = [
        WorkItem(d.kind, label(d.kind), d.due_on, (d.due_on - today).days, d.provisional, d.owner_table,
                 *titles[(d.owner_table, d.owner_id)], d.basis)
        for d in wanted if (d.owner_table, d.owner_id) in titles
    ]
    if certificates:
        items = sorted(items + certificates, key=lambda i: i.due_on)[offset:]  # stable: a day keeps its order
    return WorkPage(items[:limit], int(total) + len(certificates),
                    int(overdue) + sum(1 for c in certificates if c.days_left < 0), offset)


def _certificate_items(s: Session, today: date) -> list[WorkItem]:
    warn = Settings(s).int("certificate.warn_days")
    items: list[WorkItem] = []
    for o in s.scalars(select(Officer).where(
            Officer.active.is_(True), Officer.deleted_at.is_(None), Officer.cert_status == CertStatus.VALID,
            Officer.cert_valid_to.is_not(None), Officer.cert_valid_to <= today + timedelta(days=warn))
            .order_by(Officer.cert_valid_to, Officer.id)):
        assert o.cert_valid_to is not None
        items.append(WorkItem(DeadlineKind.CERTIFICATE_EXPIRY, label(DeadlineKind.CERTIFICATE_EXPIRY),
                              o.cert_valid_to, (o.cert_valid_to - today).days, False, "officer", o.uid,
                              f"{o.name}（执法证 {o.cert_number}）", "执法证件管理"))
    return items


def _titles(s: Session, rows: Sequence[Deadline]) -> dict[tuple[str, int], tuple[str, str]]:
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
                .where(CoerciveMeasure.id.in_(ids), CoerciveMeasure.deleted_at.is_(None))):
            out[("coercive_measure", id_)] = (uid, f"{number} {place}")
    return out


def home_counts(uow: UnitOfWork) -> HomeCounts:
    with uow:
        return _counts(uow.session, uow.clock.today())


def _counts(s: Session, today: date) -> HomeCounts:
    month0, year0 = today.replace(day=1), today.replace(month=1, day=1)

    def count(col: Any) -> tuple[int, int]:
        """This month's and this year's rows by one indexed date column, in one range scan."""
        month, year = s.execute(select(func.count().filter(col >= month0), func.count())
                                .where(col >= year0, col <= today)).one()
        return int(month), int(year)

    overdue, soon = s.execute(select(
        func.count().filter(Deadline.due_on < today), func.count().filter(Deadline.due_on >= today),
    ).where(_open_deadlines(today + timedelta(days=7)))).one()
    # Expiring enforcement certificates count too, as they do in the work list.
    for cert in _certificate_items(s, today):
        overdue += cert.days_left < 0
        soon += 0 <= cert.days_left <= 7
    return HomeCounts(*count(Inspection.inspected_on), *count(PenaltyCase.filed_on), *count(MediationCase.applied_on),
                      int(overdue), int(soon))


@dataclass(frozen=True, slots=True)
class HomeSnapshot:
    """What the 工作台 shows when it opens: the counts and the first page of work items, read together."""

    counts: HomeCounts
    page: WorkPage
    taken_at: datetime

    def fresh(self, clock: Clock, max_age: timedelta = timedelta(minutes=1)) -> bool:
        """Still what the database says, for a snapshot taken moments ago by this program (nothing else writes
        the township database while the login dialog is up) and on the same day (days left would change)."""
        now = clock.now()
        return now.date() == self.taken_at.date() and timedelta(0) <= now - self.taken_at <= max_age


def home_snapshot(uow: UnitOfWork, *, limit: int = PAGE_SIZE) -> HomeSnapshot:
    """The counts and the first ``limit`` work items in one read transaction (one consistent view)."""
    with uow:
        today = uow.clock.today()
        return HomeSnapshot(_counts(uow.session, today), _work_page(uow.session, today, HORIZON_DAYS, 0, limit),
                            uow.clock.now())
