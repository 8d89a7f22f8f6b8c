"""Every indicator of ``services.statistics.yearly`` as a declarative spec, computed per township (and month) in grouped SQL.

``compute_year`` answers one database or one township at a time; the district needs 200 townships × 12 months,
so each indicator is declared once here — the rows it counts (base table, joins, conditions), the date that
places a row in a period and the township it belongs to — and that one declaration serves three uses:

* grouped figures: indicators sharing a base and a date column become one ``GROUP BY township, year, month``
  query with ``FILTER`` clauses (portable: SQLite ≥ 3.30 and PostgreSQL both have aggregate FILTER). These
  fill the per-township monthly table ``figure_month`` (services/district/figures.py) that the district's
  yearly and monthly figures are read from;
* drill-down: the same FROM/WHERE lists the records behind a figure;
* amendments: the date columns say which closed period a late record falls into.

The specs mirror ``services.statistics.yearly.compute_year`` condition for condition; tests/services/test_district.py checks
that the grouped figures of each township equal ``compute_year`` for that township and its own database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, FromClause, and_, extract, func, literal, select
from sqlalchemy.orm import Session

from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.enums import CaseStatus, ItemResult, Procedure, TransferKind
from models.inspection import Campaign, Inspection, InspectionItem
from models.mediation import MediationCase
from models.org import Officer
from models.records import Training, TrainingAttendance
from services.statistics.yearly import INDICATOR_KEYS, rate_percent

Figures = dict[str, Any]  # indicator key → int, or Decimal for fines_yuan, or float for the success rate
ZERO_MONEY = Decimal("0.00")
MONEY_KEYS = frozenset({"fines_yuan"})
DERIVED_KEYS = frozenset({"mediation_success_rate"})  # never summed: recomputed from its parts


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar year, or one month of it (``month`` 1–12)."""

    year: int
    month: int | None = None

    @property
    def start(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def end(self) -> date:
        if self.month is None or self.month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.month + 1, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.month is None else f"{self.year}年{self.month}月"

    def previous_year(self) -> Period:
        return Period(self.year - 1, self.month)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Base:
    """The rows an indicator family counts: FROM (with joins), the township column and the liveness filter."""

    name: str
    source: Callable[[], FromClause]
    township: ColumnElement[int]
    alive: tuple[ColumnElement[bool], ...]
    uid: ColumnElement[str]
    number: ColumnElement[str]
    table: str  # the table whose uids a drill-down returns


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    label: str
    unit: str
    base: Base
    on: ColumnElement[Any]  # the date that places a row in a period
    conds: tuple[ColumnElement[bool], ...] = ()
    summed: ColumnElement[Any] | None = None  # None: count rows


pc, mc, insp, item = PenaltyCase, MediationCase, Inspection, InspectionItem

INSPECTION = Base("inspection", lambda: insp.__table__, insp.township_id, (insp.deleted_at.is_(None),),
                  insp.uid, insp.number, "inspection")
ITEM = Base("inspection_item", lambda: item.__table__.join(insp.__table__, insp.id == item.inspection_id),
            insp.township_id, (item.deleted_at.is_(None), insp.deleted_at.is_(None)), item.uid, insp.number,
            "inspection_item")
CAMPAIGN = Base("campaign", lambda: Campaign.__table__, Campaign.township_id, (Campaign.deleted_at.is_(None),),
                Campaign.uid, Campaign.name, "campaign")
CASE = Base("penalty_case", lambda: pc.__table__, pc.township_id, (pc.deleted_at.is_(None),), pc.uid, pc.number,
            "penalty_case")
COERCIVE = Base("coercive_measure",
                lambda: CoerciveMeasure.__table__.join(pc.__table__, CoerciveMeasure.case_id == pc.id),
                pc.township_id, (CoerciveMeasure.deleted_at.is_(None), pc.deleted_at.is_(None)),
                CoerciveMeasure.uid, CoerciveMeasure.decision_number, "coercive_measure")
TRANSFER = Base("transfer", lambda: Transfer.__table__, Transfer.township_id, (Transfer.deleted_at.is_(None),),
                Transfer.uid, Transfer.number, "transfer")
MEDIATION = Base("mediation_case", lambda: mc.__table__, mc.township_id, (mc.deleted_at.is_(None),), mc.uid,
                 mc.number, "mediation_case")
TRAINING = Base("training", lambda: Training.__table__, Training.township_id, (Training.deleted_at.is_(None),),
                Training.uid, Training.title, "training")
ATTENDANCE = Base("training_attendance",
                  lambda: TrainingAttendance.__table__.join(Training.__table__,
                                                            Training.id == TrainingAttendance.training_id),
                  Training.township_id, (TrainingAttendance.deleted_at.is_(None), Training.deleted_at.is_(None)),
                  TrainingAttendance.uid, Training.title, "training_attendance")

_CLOSED = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("inspections", "巡查检查", "次", INSPECTION, insp.inspected_on),
    Indicator("officer_turnouts", "出动执法人员", "人次", INSPECTION, insp.inspected_on, summed=insp.officer_turnout),
    Indicator("vehicle_turnouts", "动用执法车辆", "台次", INSPECTION, insp.inspected_on, summed=insp.vehicle_turnout),
    Indicator("businesses_inspected", "检查经营户", "户次", INSPECTION, insp.inspected_on,
              summed=insp.businesses_inspected),
    Indicator("problems_found", "发现问题", "个", ITEM, insp.inspected_on, (item.result == ItemResult.PROBLEM,)),
    Indicator("problems_rectified", "整改问题", "个", ITEM, item.rectified_on, (item.result == ItemResult.PROBLEM,)),
    Indicator("campaigns", "专项整治行动", "次", CAMPAIGN, Campaign.start_date),
    Indicator("cases_filed", "立案", "件", CASE, pc.filed_on),
    Indicator("cases_closed", "结案", "件", CASE, pc.closed_on, (pc.status.in_(_CLOSED),)),
    Indicator("summary_procedure_cases", "简易程序当场处罚", "件", CASE, pc.decision_date,
              (pc.procedure == Procedure.SUMMARY,)),
    Indicator("hearings", "听证", "件", CASE, pc.hearing_held_on),
    Indicator("fines_yuan", "罚款", "元", CASE, pc.decision_date, (pc.no_penalty_ground.is_(None),),
              summed=pc.fine_amount),
    Indicator("no_penalty_decisions", "不予处罚决定", "件", CASE, pc.decision_date, (pc.no_penalty_ground.is_not(None),)),
    Indicator("major_decisions_reviewed", "重大执法决定法制审核", "件", CASE, pc.legal_review_passed_on),
    Indicator("disclosures", "公示处罚决定", "条", CASE, pc.disclosed_on),
    Indicator("coercive_measures", "查封扣押", "件", COERCIVE, CoerciveMeasure.started_on),
    Indicator("transfers_to_departments", "移送有关部门", "件", TRANSFER, Transfer.transferred_on,
              (Transfer.kind == TransferKind.DEPARTMENT,)),
    Indicator("transfers_to_judiciary", "移送司法机关", "件", TRANSFER, Transfer.transferred_on,
              (Transfer.kind == TransferKind.JUDICIARY,)),
    Indicator("mediation_accepted", "受理矛盾纠纷", "件", MEDIATION, mc.accepted_on),
    Indicator("mediation_succeeded", "调解成功", "件", MEDIATION, mc.ended_on, (mc.agreement_form.is_not(None),)),
    Indicator("judicial_confirmations", "司法确认", "件", MEDIATION, mc.confirmation_decided_on,
              (mc.confirmation_granted.is_(True),)),
    Indicator("mediation_escalated_to_criminal", "民转刑", "件", MEDIATION, mc.applied_on,
              (mc.escalated_to_criminal.is_(True),)),
    Indicator("trainings", "培训", "次", TRAINING, Training.held_on),
    Indicator("training_attendance", "培训执法人员", "人次", ATTENDANCE, Training.held_on),
)
BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
SUMMED_KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS)  # what figure_month stores per township-month
LABELS: dict[str, str] = {i.key: i.label for i in INDICATORS} | {
    "mediation_success_rate": "调解成功率", "certified_officers": "持证执法人员"}
UNITS: dict[str, str] = {i.key: i.unit for i in INDICATORS} | {"mediation_success_rate": "%", "certified_officers": "人"}
assert set(LABELS) == set(INDICATOR_KEYS), "every indicator of services.statistics.yearly needs a spec here"


def empty_figures() -> Figures:
    out: Figures = {k: 0 for k in INDICATOR_KEYS}
    out["fines_yuan"] = ZERO_MONEY
    out["mediation_success_rate"] = 0.0
    return out


def finish(fig: Figures) -> Figures:
    """Recompute the derived rate from its parts (a rate is never summed over townships or months)."""
    fig["mediation_success_rate"] = rate_percent(int(fig["mediation_succeeded"]), int(fig["mediation_accepted"]))
    return fig


def add_into(total: Figures, part: Figures) -> None:
    for k in INDICATOR_KEYS:
        if k not in DERIVED_KEYS:
            total[k] += part[k]


def _in(col: ColumnElement[Any], start: date, end: date) -> ColumnElement[bool]:
    return and_(col >= start, col <= end)


@dataclass
class _Group:
    base: Base
    on: ColumnElement[Any]
    members: list[Indicator] = field(default_factory=list)


def _groups() -> list[_Group]:
    groups: dict[tuple[str, str], _Group] = {}
    for ind in INDICATORS:
        key = (ind.base.name, str(ind.on))
        groups.setdefault(key, _Group(ind.base, ind.on)).members.append(ind)
    return list(groups.values())


_GROUPS = _groups()


Cell = tuple[int, int, int]  # township id, year, month


def whole_months(start: date, end: date) -> bool:
    """True when [start, end] is a run of whole calendar months (what figure_month can answer)."""
    return start.day == 1 and (end + timedelta(days=1)).day == 1 and start <= end


def grouped_figures(s: Session, start: date, end: date, *, today: date, by_month: bool = False,
                    township_ids: Sequence[int] | None = None) -> dict[tuple[int, int], Figures]:
    """Figures per (township id, month) — month 0 when ``by_month`` is false — for rows dated in [start, end].

    Whole months (every Period) are read from ``figure_month`` (services/district/figures.py: 12 × townships
    rows a year, cells still dirty computed from the records); any other range is counted from the records.
    """
    if whole_months(start, end):
        from services.district.figures import stored_figures

        out = stored_figures(s, start, end, by_month=by_month, township_ids=township_ids)
    else:
        out = {}
        for (tid, _y, m), fig in live_cells(s, start, end, township_ids=township_ids).items():
            add_into(out.setdefault((tid, m if by_month else 0), empty_figures()), fig)

    def cell(tid: int, month: int) -> Figures:
        fig = out.get((tid, month))
        if fig is None:
            fig = out[(tid, month)] = empty_figures()
        return fig

    _certified(s, start, end, today=today, by_month=by_month, township_ids=township_ids, cell=cell)
    for fig in out.values():
        finish(fig)
    return out


def live_cells(s: Session, start: date, end: date, *,
               township_ids: Sequence[int] | None = None) -> dict[Cell, Figures]:
    """Every summed indicator per (township id, year, month) of the rows dated in [start, end], counted from the
    records: one ``GROUP BY`` query per (base, date column), 14 queries however many townships.

    ``certified_officers`` (a point-in-time count) and the success rate are left at 0: not sums over months.
    """
    out: dict[Cell, Figures] = {}
    for g in _GROUPS:
        year_col, month_col = extract("year", g.on), extract("month", g.on)
        values = []
        for ind in g.members:
            agg = func.sum(ind.summed) if ind.summed is not None else func.count()
            values.append(agg.filter(and_(*ind.conds)) if ind.conds else agg)
        where = [_in(g.on, start, end), *g.base.alive]
        if township_ids is not None:
            where.append(g.base.township.in_(list(township_ids)))
        stmt = (select(g.base.township, year_col, month_col, *values).select_from(g.base.source()).where(*where)
                .group_by(g.base.township, year_col, month_col))
        for row in s.execute(stmt):
            key = (int(row[0]), int(row[1]), int(row[2]))
            fig = out.get(key)
            if fig is None:
                fig = out[key] = empty_figures()
            for ind, v in zip(g.members, row[3:], strict=True):
                if ind.key in MONEY_KEYS:
                    fig[ind.key] = (Decimal(v) if v is not None else ZERO_MONEY).quantize(Decimal("0.01"))
                else:
                    fig[ind.key] = int(v or 0)
    return out


def _certified(s: Session, start: date, end: date, *, today: date, by_month: bool,
               township_ids: Sequence[int] | None, cell: Callable[[int, int], Figures]) -> None:
    """Officers holding a valid certificate on the period's last day (or today, if that is earlier)."""
    months: Iterable[tuple[int, date]]
    if by_month:
        months = [(p.month or 0, p.end) for p in (Period(start.year, m) for m in range(start.month, end.month + 1))]
    else:
        months = [(0, end)]
    for month, last in months:
        ref = min(last, today)
        where = [Officer.active.is_(True), Officer.certified_clause(ref), Officer.deleted_at.is_(None)]
        if township_ids is not None:
            where.append(Officer.township_id.in_(list(township_ids)))
        for tid, n in s.execute(select(Officer.township_id, func.count()).where(*where)
                                .group_by(Officer.township_id)):
            cell(int(tid), month)["certified_officers"] = int(n)


@dataclass(frozen=True, slots=True)
class DrillRow:
    """One record behind a figure."""

    table: str
    uid: str
    number: str
    on: date | None
    township_id: int
    value: Any  # what the row adds to the figure (1 for counts)


def drill_rows(s: Session, key: str, start: date, end: date, *, today: date,
               township_ids: Sequence[int] | None = None, limit: int | None = None) -> list[DrillRow]:
    """The records a figure counts, in date order; their count (or sum) is the figure itself."""
    if key == "certified_officers":
        ref = min(end, today)
        stmt = select(Officer.uid, Officer.cert_number, Officer.cert_valid_to, Officer.township_id, literal(1)).where(
            Officer.active.is_(True), Officer.certified_clause(ref), Officer.deleted_at.is_(None))
        if township_ids is not None:
            stmt = stmt.where(Officer.township_id.in_(list(township_ids)))
        return [DrillRow("officer", r[0], r[1], r[2], int(r[3]), 1) for r in s.execute(stmt.order_by(Officer.uid))]
    ind = BY_KEY.get(key)
    if ind is None:
        raise KeyError(key)
    value = ind.summed if ind.summed is not None else literal(1)
    stmt = (select(ind.base.uid, ind.base.number, ind.on, ind.base.township, value).select_from(ind.base.source())
            .where(_in(ind.on, start, end), *ind.base.alive, *ind.conds).order_by(ind.on, ind.base.uid))
    if township_ids is not None:
        stmt = stmt.where(ind.base.township.in_(list(township_ids)))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [DrillRow(ind.base.table, r[0], r[1] or "", r[2], int(r[3]), r[4] if r[4] is not None else 0)
            for r in s.execute(stmt)]
