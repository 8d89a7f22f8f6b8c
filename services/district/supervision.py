"""Supervision (执法监督) across townships: what is overdue today, with the township, the record and the days.

Five checks, each computed from the records themselves (the ``deadline`` table is derived data that a district
database recomputes only for up to 300 cases per bundle, so it is not relied on here):

* ``decision_limit``   — general-procedure case filed, no decision, past 90 days + extensions (处罚法第六十条);
* ``unpaid_fine``      — fine served, not paid in full, past the 15-day payment period (第六十七条);
* ``disclosure``       — decision not published within 7 working days (国办发〔2018〕118号 [L]): still
  unpublished, or published late within the look-back window;
* ``expired_certificate`` — an officer on a case whose step is dated after the officer's certificate expired
  (第四十二条: officers must hold a valid certificate);
* ``confirmation_window`` — written mediation agreement, no application for judicial confirmation, more than
  30 days after it took effect (人民调解法第三十三条), or applied late.

Date arithmetic happens in Python over the candidate rows (the working-day calendar is not SQL), the candidate
selection in SQL that runs on SQLite and PostgreSQL alike (one date addition is spelled per dialect,
``_plus_days``). At 200 township-years the unpublished decisions alone are ~40,000 rows, so the speed rests on: each
due date computed once per (start date, days) — a few hundred distinct dates, not one walk of the calendar per row;
published decisions narrowed in SQL to those published at least the due period's calendar days late (the former
selection handed Python every decision of the last year); township names from one small look-up instead of a join,
which had SQLite walk penalty_case township by township through an index instead of one sequential scan; and the
expired-certificate check taking each case's last step first (one pass over case_event) instead of joining every
officer's every case to every event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models.case import CaseEvent, CaseOfficer, PenaltyCase
from models.enums import AgreementForm, CaseStatus, MediationStatus, Procedure, RecordKind
from models.mediation import MediationCase
from models.org import Officer, Township
from models.workdays import WorkCalendar
from services.core.uow import UnitOfWork
from services.district.common import resolve_township
from services.reference.calendar import load_calendar
from services.reference.settings import Settings

KINDS: dict[str, str] = {
    "decision_limit": "超过办案期限未作决定",
    "unpaid_fine": "罚款逾期未缴纳",
    "disclosure": "处罚决定未按时公示",
    "expired_certificate": "执法证过期仍参与办案",
    "confirmation_window": "调解协议超过司法确认申请期",
}
_BEFORE_DECISION = (CaseStatus.INVESTIGATING, CaseStatus.REVIEWING, CaseStatus.NOTIFIED, CaseStatus.HEARING,
                    CaseStatus.PENDING_DECISION)
_AWAITING_PAYMENT = (CaseStatus.DECIDED, CaseStatus.EXECUTING, CaseStatus.ENFORCING)


@dataclass(frozen=True, slots=True)
class SupervisionRow:
    kind: str
    label: str
    township: str
    table: str
    uid: str
    number: str
    due_on: date
    days_overdue: int
    detail: str

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["due_on"] = self.due_on.isoformat()
        return out


def supervise(uow: UnitOfWork, *, township: str | None = None, kinds: tuple[str, ...] | None = None,
              lookback_days: int = 365) -> list[SupervisionRow]:
    """Every overdue item, worst first within each kind. ``lookback_days`` bounds the already-remedied ones
    (a decision published late two years ago is history, not supervision)."""
    with uow:
        s = uow.session
        today = uow.clock.today()
        tid = resolve_township(s, township).id if township else None
        ctx = _Ctx(s, today, load_calendar(s), Settings(s), tid, today - timedelta(days=lookback_days),
                   _township_names(s))
        rows: list[SupervisionRow] = []
        for kind in kinds or tuple(KINDS):
            rows += sorted(_CHECKS[kind](ctx), key=lambda r: (-r.days_overdue, r.township, r.number))
        return rows


@dataclass(frozen=True, slots=True)
class _Ctx:
    s: Session
    today: date
    cal: WorkCalendar
    settings: Settings
    township_id: int | None
    since: date
    names: dict[int, str]  # township id → name, every township row (the former inner join dropped none)
    # ("calendar" or "work", start, days) → due date: many rows share a start date, and walking the calendar
    # once per row was most of the report's time (100,000 rows at 200 township-years)
    _due: dict[tuple[str, date, int], date] = field(default_factory=dict)

    def town(self, col: Any) -> list[Any]:
        return [] if self.township_id is None else [col == self.township_id]

    def calendar_due(self, start: date, days: int) -> date:
        key = ("calendar", start, days)
        due = self._due.get(key)
        if due is None:
            due = self._due[key] = self.cal.add_calendar_days(start, days).due
        return due

    def workday_due(self, start: date, days: int) -> date:
        key = ("work", start, days)
        due = self._due.get(key)
        if due is None:
            due = self._due[key] = self.cal.add_workdays(start, days).due
        return due

    def row(self, kind: str, town: str, table: str, uid: str, number: str, due: date, until: date,
            detail: str) -> SupervisionRow:
        return SupervisionRow(kind, KINDS[kind], town, table, uid, number, due, (until - due).days, detail)


def _township_names(s: Session) -> dict[int, str]:
    return {int(tid): name for tid, name in s.execute(select(Township.id, Township.name))}


def _plus_days(s: Session, col: Any, days: int) -> Any:
    """``col`` + ``days`` calendar days in SQL (no portable spelling: SQLite's date(), PostgreSQL's date + int);
    on another database ``col`` itself, a weaker but still true lower bound of the due dates it is used for."""
    dialect = s.get_bind().dialect.name
    if dialect == "sqlite":
        return func.date(col, f"+{days} days")
    if dialect == "postgresql":
        return col + days
    return col


def _decision_limit(c: _Ctx) -> list[SupervisionRow]:
    base = c.settings.int("decision.limit_days")
    stmt = (select(PenaltyCase.uid, PenaltyCase.number, PenaltyCase.filed_on, PenaltyCase.extension_days,
                   PenaltyCase.suspended_days, PenaltyCase.township_id)
            .where(PenaltyCase.procedure == Procedure.GENERAL, PenaltyCase.filed_on.is_not(None),
                   PenaltyCase.decision_date.is_(None), PenaltyCase.status.in_(_BEFORE_DECISION),
                   PenaltyCase.deleted_at.is_(None), PenaltyCase.filed_on < c.today - timedelta(days=base),
                   *c.town(PenaltyCase.township_id)))
    out = []
    for uid, number, filed, ext, susp, tid in c.s.execute(stmt):
        town = c.names.get(tid)
        if town is None or filed is None:  # filed_on IS NOT NULL above; the check tells the type checker
            continue
        due = c.calendar_due(filed, base + ext + susp)
        if c.today > due:
            out.append(c.row("decision_limit", town, RecordKind.PENALTY_CASE, uid, number, due, c.today,
                             f"立案 {filed:%Y-%m-%d}，延期 {ext} 日，扣除 {susp} 日"))
    return out


def _unpaid_fine(c: _Ctx) -> list[SupervisionRow]:
    days = c.settings.int("payment.days")
    stmt = (select(PenaltyCase.uid, PenaltyCase.number, PenaltyCase.served_on, PenaltyCase.fine_amount,
                   PenaltyCase.paid_amount, PenaltyCase.enforcement_started_on, PenaltyCase.township_id)
            .where(PenaltyCase.fine_amount > 0, PenaltyCase.served_on.is_not(None),
                   or_(PenaltyCase.paid_on.is_(None), PenaltyCase.paid_amount < PenaltyCase.fine_amount),
                   PenaltyCase.status.in_(_AWAITING_PAYMENT), PenaltyCase.deleted_at.is_(None),
                   PenaltyCase.served_on < c.today - timedelta(days=days), *c.town(PenaltyCase.township_id)))
    out = []
    for uid, number, served, fine, paid, enforced, tid in c.s.execute(stmt):
        town = c.names.get(tid)
        if town is None or served is None:  # served_on IS NOT NULL above
            continue
        due = c.calendar_due(served, days)
        if c.today > due:
            note = f"罚款 {fine} 元，已缴 {paid or 0} 元"
            note += f"；已于 {enforced:%Y-%m-%d} 启动强制执行" if enforced else "；尚未催告或申请强制执行"
            out.append(c.row("unpaid_fine", town, RecordKind.PENALTY_CASE, uid, number, due, c.today, note))
    return out


def _disclosure(c: _Ctx) -> list[SupervisionRow]:
    wd = c.settings.int("disclosure.working_days")
    procedures = [Procedure.GENERAL] + ([Procedure.SUMMARY] if c.settings.bool("disclosure.summary_required") else [])
    # A published decision is reported only when published after its due date and within the look-back. The due
    # date is ``wd`` working days on, so at least ``wd`` calendar days on (each working day is a day later): both
    # bounds go into the SQL, so the candidates are the unpublished decisions plus the few published late, not
    # every decision of the last year (50,000 rows at 200 township-years, each checked in Python).
    late = and_(PenaltyCase.decision_date >= c.since - timedelta(days=30), PenaltyCase.disclosed_on >= c.since,
                PenaltyCase.disclosed_on > _plus_days(c.s, PenaltyCase.decision_date, wd))
    stmt = (select(PenaltyCase.uid, PenaltyCase.decision_number, PenaltyCase.number, PenaltyCase.decision_date,
                   PenaltyCase.disclosed_on, PenaltyCase.township_id)
            # every case row is read (no index serves this): the terms that drop most rows come first
            .where(PenaltyCase.procedure.in_(procedures), or_(PenaltyCase.disclosed_on.is_(None), late),
                   PenaltyCase.decision_date.is_not(None), PenaltyCase.no_penalty_ground.is_(None),
                   PenaltyCase.status != CaseStatus.NO_PENALTY, PenaltyCase.deleted_at.is_(None),
                   *c.town(PenaltyCase.township_id)))
    # The loop runs for every unpublished decision (~40,000 rows at 200 township-years): due dates and details
    # are looked up per decision date, and the rows built without the helper's extra call.
    out = []
    today, since, names, label = c.today, c.since, c.names, KINDS["disclosure"]
    dues: dict[date, date] = {}
    unpublished: dict[date, str] = {}
    for uid, dnum, number, decided, disclosed, tid in c.s.execute(stmt):
        town = names.get(tid)
        if town is None or decided is None:  # decision_date IS NOT NULL above
            continue
        due = dues.get(decided)
        if due is None:
            due = dues[decided] = c.workday_due(decided, wd)
        if disclosed is None:
            if today > due:
                detail = unpublished.get(decided)
                if detail is None:
                    detail = unpublished[decided] = f"决定 {decided:%Y-%m-%d}，至今未公示"
                out.append(SupervisionRow("disclosure", label, town, RecordKind.PENALTY_CASE, uid, dnum or number, due,
                                          (today - due).days, detail))
        elif disclosed > due and disclosed >= since:
            out.append(c.row("disclosure", town, RecordKind.PENALTY_CASE, uid, dnum or number, due, disclosed,
                             f"决定 {decided:%Y-%m-%d}，{disclosed:%Y-%m-%d} 才公示"))
    return out


def _expired_certificate(c: _Ctx) -> list[SupervisionRow]:
    # An officer on a case with a live step after both the look-back start and the certificate's end: that
    # holds exactly when the case's last live step since the look-back start is after the certificate's end,
    # and that last step is then the one reported. So each case's last step is taken first, in one pass over
    # case_event, and only then joined to its officers (the former join fetched every case of every officer).
    one_town = [] if c.township_id is None else [
        CaseEvent.case_id.in_(select(PenaltyCase.id).where(PenaltyCase.township_id == c.township_id))]
    last = (select(CaseEvent.case_id.label("case_id"), func.max(CaseEvent.on_date).label("on_date"))
            .where(CaseEvent.deleted_at.is_(None), CaseEvent.on_date >= c.since, *one_town)
            .group_by(CaseEvent.case_id).subquery("last_step"))
    stmt = (select(PenaltyCase.uid, PenaltyCase.number, PenaltyCase.township_id, Officer.name, Officer.cert_number,
                   Officer.cert_valid_to, func.max(last.c.on_date))
            .select_from(last)
            .join(CaseOfficer, CaseOfficer.case_id == last.c.case_id)
            .join(Officer, Officer.id == CaseOfficer.officer_id)
            .join(PenaltyCase, PenaltyCase.id == last.c.case_id)
            .where(CaseOfficer.deleted_at.is_(None), PenaltyCase.deleted_at.is_(None),
                   Officer.cert_valid_to.is_not(None), last.c.on_date > Officer.cert_valid_to,
                   *c.town(PenaltyCase.township_id))
            .group_by(PenaltyCase.uid, PenaltyCase.number, PenaltyCase.township_id, Officer.name,
                      Officer.cert_number, Officer.cert_valid_to))
    found = [(uid, number, c.names[tid], officer, cert, valid_to, step)
             for uid, number, tid, officer, cert, valid_to, step in c.s.execute(stmt)
             if tid in c.names and valid_to is not None and step is not None]  # None: a damaged stored date
    # The order SQLite's GROUP BY gave the former query (equal days, township and number keep it in the final
    # sort: several officers on one case); PostgreSQL's hash aggregate gives none.
    found.sort(key=lambda f: tuple("" if v is None else v for v in f[:6]))  # a NULL number or certificate: first
    return [c.row("expired_certificate", town, RecordKind.PENALTY_CASE, uid, number, valid_to, step,
                  f"执法人员{officer}（证号{cert}）证件 {valid_to:%Y-%m-%d} 到期，{step:%Y-%m-%d} 仍参与办案")
            for uid, number, town, officer, cert, valid_to, step in found]


def _confirmation_window(c: _Ctx) -> list[SupervisionRow]:
    days = c.settings.int("mediation.confirmation_days")
    stmt = (select(MediationCase.uid, MediationCase.number, MediationCase.agreement_effective_on,
                   MediationCase.confirmation_applied_on, MediationCase.township_id)
            .where(MediationCase.agreement_form == AgreementForm.WRITTEN,
                   MediationCase.agreement_effective_on.is_not(None), MediationCase.deleted_at.is_(None),
                   or_(MediationCase.status == MediationStatus.SUCCEEDED,
                       MediationCase.confirmation_applied_on >= c.since),
                   *c.town(MediationCase.township_id)))
    out = []
    for uid, number, effective, applied, tid in c.s.execute(stmt):
        town = c.names.get(tid)
        if town is None or effective is None:
            continue
        due = c.calendar_due(effective, days)
        if applied is None and c.today > due:
            out.append(c.row("confirmation_window", town, RecordKind.MEDIATION_CASE, uid, number, due, c.today,
                             f"协议 {effective:%Y-%m-%d} 生效，未申请司法确认，也未结案"))
        elif applied is not None and applied > due:
            out.append(c.row("confirmation_window", town, RecordKind.MEDIATION_CASE, uid, number, due, applied,
                             f"协议 {effective:%Y-%m-%d} 生效，{applied:%Y-%m-%d} 才申请司法确认"))
    return out


_CHECKS = {"decision_limit": _decision_limit, "unpaid_fine": _unpaid_fine, "disclosure": _disclosure,
           "expired_certificate": _expired_certificate, "confirmation_window": _confirmation_window}
