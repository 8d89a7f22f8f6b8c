"""Every statistic, declared once: its key, label and unit, the rows it counts and the date that places a row.

``STATISTICS`` is the one list of what a township reports each year, in the order ``python main.py stats`` prints
it (README.md lists the keys). Each entry is one of three kinds:

* ``Flow`` — rows dated in the period: the base (table, joins, township column, liveness), the date column that
  places a row in a month, extra conditions, and the summed column (none: the rows are counted). Flows add up
  over months and townships; each is one column of ``figure_month``, named by its key (generated from this list,
  services/statistics/figure_table.py);
* ``Stock`` — rows in force on the period's last day (or today, if earlier), e.g. officers holding a valid
  certificate: adds up over townships, not over months;
* ``Rate`` — one flow over another in percent, recomputed from its summed parts, never summed itself.

Everything else is derived from this list: the township's yearly figures (services/statistics/yearly.py), the
district's figures per township and month and the drill-down (services/statistics/counting.py), the
``figure_month`` cache (services/statistics/figures.py), the labels of the district screens and the report.
Migration 0004's trigger marks (which township-months a write touches) are raw SQL frozen in the migration; a
test checks them, and the ``figure_month`` columns, against this list (tests/services/test_statistics_declaration.py),
and another checks every figure against a direct count of the records on SQLite and PostgreSQL
(tests/services/test_statistics_counts.py).

Names: a key is the name of its figure everywhere — the ``stats`` output, ``figure_month``, the district JSON.
A record's own columns keep theirs: ``inspection.vehicle_turnout`` is one inspection's count of vehicles and is
synced in bundles under that name; ``vehicle_turnouts`` is the period's sum of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, FromClause
from sqlalchemy.orm import QueryableAttribute

from models.base import Money
from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.enums import CaseStatus, ItemResult, Procedure, RecordKind, TransferKind
from models.inspection import Campaign, Inspection, InspectionItem
from models.mediation import MediationCase
from models.org import Officer
from models.records import Training, TrainingAttendance

Figures = dict[str, Any]  # statistic key → int, Decimal yuan for money flows, float percent for rates
Col = ColumnElement[Any] | QueryableAttribute[Any]  # a column, as a table's or as a mapped class's attribute
ZERO_MONEY = Decimal("0.00")


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
    """The rows a statistic counts: FROM (with joins), the township column and the liveness filter."""

    name: str
    source: Callable[[], FromClause]
    township: Col
    alive: tuple[ColumnElement[bool], ...]
    uid: Col
    number: Col
    table: RecordKind  # the kind of record (its table) whose uids a drill-down returns


@dataclass(frozen=True, slots=True)
class Flow:
    """Rows of ``base`` whose date ``on`` lies in the period and that meet ``conds``: counted, or ``summed``."""

    key: str
    label: str
    unit: str
    base: Base
    on: Col
    conds: tuple[ColumnElement[bool], ...] = ()
    summed: Col | None = None

    @property
    def money(self) -> bool:
        """Summed over a Money column: Decimal yuan (stored as integer fen, so sums stay exact)."""
        return self.summed is not None and isinstance(self.summed.type, Money)

    def zero(self) -> Any:
        return ZERO_MONEY if self.money else 0


@dataclass(frozen=True, slots=True)
class Stock:
    """Rows of ``base`` meeting ``conds`` and in force on a day (``in_force(day)``); ``until`` is the date a
    drill-down shows for a row (when it stops being in force)."""

    key: str
    label: str
    unit: str
    base: Base
    in_force: Callable[[date], ColumnElement[bool]]
    until: Col
    conds: tuple[ColumnElement[bool], ...] = ()

    def zero(self) -> Any:
        return 0


@dataclass(frozen=True, slots=True)
class Rate:
    """``part`` over ``whole`` (two flow keys) in percent, one decimal (``rate_percent``)."""

    key: str
    label: str
    unit: str
    part: str
    whole: str

    def zero(self) -> Any:
        return 0.0


Statistic = Flow | Stock | Rate

pc, mc, insp, item = PenaltyCase, MediationCase, Inspection, InspectionItem

INSPECTION = Base("inspection", lambda: insp.__table__, insp.township_id, (insp.deleted_at.is_(None),),
                  insp.uid, insp.number, RecordKind.INSPECTION)
# An item counts in its inspection's township; a deleted inspection takes its items with it.
ITEM = Base("inspection_item", lambda: item.__table__.join(insp.__table__, insp.id == item.inspection_id),
            insp.township_id, (item.deleted_at.is_(None), insp.deleted_at.is_(None)), item.uid, insp.number,
            RecordKind.INSPECTION_ITEM)
CAMPAIGN = Base("campaign", lambda: Campaign.__table__, Campaign.township_id, (Campaign.deleted_at.is_(None),),
                Campaign.uid, Campaign.name, RecordKind.CAMPAIGN)
CASE = Base("penalty_case", lambda: pc.__table__, pc.township_id, (pc.deleted_at.is_(None),), pc.uid, pc.number,
            RecordKind.PENALTY_CASE)
COERCIVE = Base("coercive_measure",
                lambda: CoerciveMeasure.__table__.join(pc.__table__, CoerciveMeasure.case_id == pc.id),
                pc.township_id, (CoerciveMeasure.deleted_at.is_(None), pc.deleted_at.is_(None)),
                CoerciveMeasure.uid, CoerciveMeasure.decision_number, RecordKind.COERCIVE_MEASURE)
TRANSFER = Base("transfer", lambda: Transfer.__table__, Transfer.township_id, (Transfer.deleted_at.is_(None),),
                Transfer.uid, Transfer.number, RecordKind.TRANSFER)
MEDIATION = Base("mediation_case", lambda: mc.__table__, mc.township_id, (mc.deleted_at.is_(None),), mc.uid,
                 mc.number, RecordKind.MEDIATION_CASE)
TRAINING = Base("training", lambda: Training.__table__, Training.township_id, (Training.deleted_at.is_(None),),
                Training.uid, Training.title, RecordKind.TRAINING)
ATTENDANCE = Base("training_attendance",
                  lambda: TrainingAttendance.__table__.join(Training.__table__,
                                                            Training.id == TrainingAttendance.training_id),
                  Training.township_id, (TrainingAttendance.deleted_at.is_(None), Training.deleted_at.is_(None)),
                  TrainingAttendance.uid, Training.title, RecordKind.TRAINING_ATTENDANCE)
OFFICER = Base("officer", lambda: Officer.__table__, Officer.township_id, (Officer.deleted_at.is_(None),),
               Officer.uid, Officer.cert_number, RecordKind.OFFICER)

_CLOSED = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)

# The order is the order of ``python main.py stats`` (README.md) and of the district's tables: do not reorder.
STATISTICS: tuple[Statistic, ...] = (
    Flow("inspections", "巡查检查", "次", INSPECTION, insp.inspected_on),
    Flow("officer_turnouts", "出动执法人员", "人次", INSPECTION, insp.inspected_on, summed=insp.officer_turnout),
    Flow("vehicle_turnouts", "动用执法车辆", "台次", INSPECTION, insp.inspected_on, summed=insp.vehicle_turnout),
    Flow("businesses_inspected", "检查经营户", "户次", INSPECTION, insp.inspected_on, summed=insp.businesses_inspected),
    # A problem counts as found in its inspection's month and as rectified in the month it was rectified.
    Flow("problems_found", "发现问题", "个", ITEM, insp.inspected_on, (item.result == ItemResult.PROBLEM,)),
    Flow("problems_rectified", "整改问题", "个", ITEM, item.rectified_on, (item.result == ItemResult.PROBLEM,)),
    Flow("campaigns", "专项整治行动", "次", CAMPAIGN, Campaign.start_date),
    Flow("cases_filed", "立案", "件", CASE, pc.filed_on),
    Flow("cases_closed", "结案", "件", CASE, pc.closed_on, (pc.status.in_(_CLOSED),)),
    Flow("summary_procedure_cases", "简易程序当场处罚", "件", CASE, pc.decision_date,
         (pc.procedure == Procedure.SUMMARY,)),
    Flow("hearings", "听证", "件", CASE, pc.hearing_held_on),
    Flow("fines_yuan", "罚款", "元", CASE, pc.decision_date, (pc.no_penalty_ground.is_(None),), summed=pc.fine_amount),
    Flow("no_penalty_decisions", "不予处罚决定", "件", CASE, pc.decision_date, (pc.no_penalty_ground.is_not(None),)),
    Flow("major_decisions_reviewed", "重大执法决定法制审核", "件", CASE, pc.legal_review_passed_on),
    Flow("disclosures", "公示处罚决定", "条", CASE, pc.disclosed_on),
    Flow("coercive_measures", "查封扣押", "件", COERCIVE, CoerciveMeasure.started_on),
    Flow("transfers_to_departments", "移送有关部门", "件", TRANSFER, Transfer.transferred_on,
         (Transfer.kind == TransferKind.DEPARTMENT,)),
    Flow("transfers_to_judiciary", "移送司法机关", "件", TRANSFER, Transfer.transferred_on,
         (Transfer.kind == TransferKind.JUDICIARY,)),
    Flow("mediation_accepted", "受理矛盾纠纷", "件", MEDIATION, mc.accepted_on),
    Flow("mediation_succeeded", "调解成功", "件", MEDIATION, mc.ended_on, (mc.agreement_form.is_not(None),)),
    Rate("mediation_success_rate", "调解成功率", "%", part="mediation_succeeded", whole="mediation_accepted"),
    Flow("judicial_confirmations", "司法确认", "件", MEDIATION, mc.confirmation_decided_on,
         (mc.confirmation_granted.is_(True),)),
    Flow("mediation_escalated_to_criminal", "民转刑", "件", MEDIATION, mc.applied_on,
         (mc.escalated_to_criminal.is_(True),)),
    Flow("trainings", "培训", "次", TRAINING, Training.held_on),
    Flow("training_attendance", "培训执法人员", "人次", ATTENDANCE, Training.held_on),
    # Officers on the books whose certificate is valid on the day (《行政处罚法》第四十二条: only they may enforce);
    # what "valid on a day" means is the officer's own rule (models/org.py Officer.certified_on).
    Stock("certified_officers", "持证执法人员", "人", OFFICER, Officer.certified_clause, Officer.cert_valid_to,
          (Officer.active.is_(True),)),
)

BY_KEY: dict[str, Statistic] = {s.key: s for s in STATISTICS}
INDICATOR_KEYS: tuple[str, ...] = tuple(BY_KEY)
FLOWS: tuple[Flow, ...] = tuple(s for s in STATISTICS if isinstance(s, Flow))
STOCKS: tuple[Stock, ...] = tuple(s for s in STATISTICS if isinstance(s, Stock))
RATES: tuple[Rate, ...] = tuple(s for s in STATISTICS if isinstance(s, Rate))
SUMMED_KEYS: tuple[str, ...] = tuple(f.key for f in FLOWS)  # the columns of figure_month, in this order
MONEY_KEYS = frozenset(f.key for f in FLOWS if f.money)
DERIVED_KEYS = frozenset(r.key for r in RATES)  # never summed: recomputed from their parts
ADDITIVE_KEYS: tuple[str, ...] = tuple(k for k in INDICATOR_KEYS if k not in DERIVED_KEYS)  # sum over townships
LABELS: dict[str, str] = {s.key: s.label for s in STATISTICS}
UNITS: dict[str, str] = {s.key: s.unit for s in STATISTICS}
assert len(BY_KEY) == len(STATISTICS), "a statistic key is declared twice"
assert all(BY_KEY.get(r.part) in FLOWS and BY_KEY.get(r.whole) in FLOWS for r in RATES), "a rate needs two flows"


def rate_percent(part: int, whole: int) -> float:
    """part/whole in percent, one decimal, rounded half up (580/590 → 98.3); 0.0 when ``whole`` is 0.

    Exact decimal arithmetic, not float ``round`` (which rounds 6.25 down): the district report states
    "四舍五入保留一位小数" and must print the same rate as the ``stats`` command.
    """
    if not whole:
        return 0.0
    return float((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


_ZEROS: Figures = {s.key: s.zero() for s in STATISTICS}  # once: a district month builds thousands of these


def empty_figures() -> Figures:
    """Every statistic at zero, keyed in ``STATISTICS`` order (the order the figures are printed in)."""
    return dict(_ZEROS)


def finish(fig: Figures) -> Figures:
    """Recompute the rates from their parts (a rate is never summed over townships or months)."""
    for r in RATES:
        fig[r.key] = rate_percent(int(fig[r.part]), int(fig[r.whole]))
    return fig


def add_into(total: Figures, part: Figures) -> None:
    for k in ADDITIVE_KEYS:
        total[k] += part[k]


def figures_json(fig: Figures) -> dict[str, Any]:
    """The figures as printed (``stats --json``, the district JSON): money as a two-decimal string."""
    return {k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in fig.items()}
