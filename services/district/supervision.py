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

Date arithmetic happens in Python over the few candidate rows (the working-day calendar is not SQL), the
candidate selection in portable SQL, so the same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.case import CaseEvent, CaseOfficer, PenaltyCase
from models.enums import AgreementForm, CaseStatus, MediationStatus, Procedure
from models.mediation import MediationCase
from models.org import Officer, Township
from models.workdays import WorkCalendar
from services.calendar import load_calendar
from services.district.common import resolve_township
from services.settings import Settings
from services.uow import UnitOfWork

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
        ctx = _Ctx(s, today, load_calendar(s), Settings(s), tid, today - timedelta(days=lookback_days))
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

    def town(self, col: Any) -> list[Any]:
        return [] if self.township_id is None else [col == self.township_id]

    def row(self, kind: str, town: str, table: str, uid: str, number: str, due: date, until: date,
            detail: str) -> SupervisionRow:
        return SupervisionRow(kind, KINDS[kind], town, table, uid, number, due, (until - due).days, detail)


def _decision_limit(c: _Ctx) -> list[SupervisionRow]:
    base = c.settings.int("decision.limit_days")
    stmt = (select(PenaltyCase.uid, PenaltyCase.number, PenaltyCase.filed_on, PenaltyCase.extension_days,
                   PenaltyCase.suspended_days, Township.name)
            .join(Township, Township.id == PenaltyCase.township_id)
            .where(PenaltyCase.procedure == Procedure.GENERAL, PenaltyCase.filed_on.is_not(None),
                   PenaltyCase.decision_date.is_(None), PenaltyCase.status.in_(_BEFORE_DECISION),
                   PenaltyCase.deleted_at.is_(None), PenaltyCase.filed_on < c.today - timedelta(days=base),
                   *c.town(PenaltyCase.township_id)))
    out = []
    for uid, number, filed, ext, susp, town in c.s.execute(stmt):
        due = c.cal.add_calendar_days(filed, base + ext + susp).due
        if c.today > due:
            out.append(c.row("decision_limit", town, "penalty_case", uid, number, due, c.today,
                             f"立案 {filed:%Y-%m-%d}，延期 {ext} 日，扣除 {susp} 日"))
    return out


def _unpaid_fine(c: _Ctx) -> list[SupervisionRow]:
    days = c.settings.int("payment.days")
    stmt = (select(PenaltyCase.uid, PenaltyCase.number, PenaltyCase.served_on, PenaltyCase.fine_amount,
                   PenaltyCase.paid_amount, PenaltyCase.enforcement_started_on, Township.name)
            .join(Township, Township.id == PenaltyCase.township_id)
            .where(PenaltyCase.fine_amount > 0, PenaltyCase.served_on.is_not(None),
                   or_(PenaltyCase.paid_on.is_(None), PenaltyCase.paid_amount < PenaltyCase.fine_amount),
                   PenaltyCase.status.in_(_AWAITING_PAYMENT), PenaltyCase.deleted_at.is_(None),
                   PenaltyCase.served_on < c.today - timedelta(days=days), *c.town(PenaltyCase.township_id)))
    out = []
    for uid, number, served, fine, paid, enforced, town in c.s.execute(stmt):
        due = c.cal.add_calendar_days(served, days).due
        if c.today > due:
            note = f"罚款 {fine} 元，已缴 {paid or 0} 元"
            note += f"；已于 {enforced:%Y-%m-%d} 启动强制执行" if enforced else "；尚未催告或申请强制执行"
            out.append(c.row("unpaid_fine", town, "penalty_case", uid, number, due, c.today, note))
    return out


def _disclosure(c: _Ctx) -> list[SupervisionRow]:
    wd = c.settings.int("disclosure.working_days")
    procedures = [Procedure.GENERAL] + ([Procedure.SUMMARY] if c.settings.bool("disclosure.summary_required") else [])
    stmt = (select(PenaltyCase.uid, PenaltyCase.decision_number, PenaltyCase.number, PenaltyCase.decision_date,
                   PenaltyCase.disclosed_on, Township.name)
            .join(Township, Township.id == PenaltyCase.township_id)
            .where(PenaltyCase.decision_date.is_not(None), PenaltyCase.no_penalty_ground.is_(None),
                   PenaltyCase.status != CaseStatus.NO_PENALTY, PenaltyCase.procedure.in_(procedures),
                   PenaltyCase.deleted_at.is_(None),
                   or_(PenaltyCase.disclosed_on.is_(None), PenaltyCase.decision_date >= c.since - timedelta(days=30)),
                   *c.town(PenaltyCase.township_id)))
    out = []
    for uid, dnum, number, decided, disclosed, town in c.s.execute(stmt):
        due = c.cal.add_workdays(decided, wd).due
        if disclosed is None and c.today > due:
            out.append(c.row("disclosure", town, "penalty_case", uid, dnum or number, due, c.today,
                             f"决定 {decided:%Y-%m-%d}，至今未公示"))
        elif disclosed is not None and disclosed > due and disclosed >= c.since:
            out.append(c.row("disclosure", town, "penalty_case", uid, dnum or number, due, disclosed,
                             f"决定 {decided:%Y-%m-%d}，{disclosed:%Y-%m-%d} 才公示"))
    return out


def _expired_certificate(c: _Ctx) -> list[SupervisionRow]:
    last_step = func.max(CaseEvent.on_date)
    stmt = (select(PenaltyCase.uid, PenaltyCase.number, Township.name, Officer.name, Officer.cert_number,
                   Officer.cert_valid_to, last_step)
            .select_from(CaseOfficer)
            .join(Officer, Officer.id == CaseOfficer.officer_id)
            .join(PenaltyCase, PenaltyCase.id == CaseOfficer.case_id)
            .join(Township, Township.id == PenaltyCase.township_id)
            .join(CaseEvent, CaseEvent.case_id == PenaltyCase.id)
            .where(CaseOfficer.deleted_at.is_(None), CaseEvent.deleted_at.is_(None), PenaltyCase.deleted_at.is_(None),
                   Officer.cert_valid_to.is_not(None), CaseEvent.on_date > Officer.cert_valid_to,
                   CaseEvent.on_date >= c.since, *c.town(PenaltyCase.township_id))
            .group_by(PenaltyCase.uid, PenaltyCase.number, Township.name, Officer.name, Officer.cert_number,
                      Officer.cert_valid_to))
    return [c.row("expired_certificate", town, "penalty_case", uid, number, valid_to, last,
                  f"执法人员{officer}（证号{cert}）证件 {valid_to:%Y-%m-%d} 到期，{last:%Y-%m-%d} 仍参与办案")
            for uid, number, town, officer, cert, valid_to, last in c.s.execute(stmt)]


def _confirmation_window(c: _Ctx) -> list[SupervisionRow]:
    days = c.settings.int("mediation.confirmation_days")
    stmt = (select(MediationCase.uid, MediationCase.number, MediationCase.agreement_effective_on,
                   MediationCase.confirmation_applied_on, Township.name)
            .join(Township, Township.id == MediationCase.township_id)
            .where(MediationCase.agreement_form == AgreementForm.WRITTEN,
                   MediationCase.agreement_effective_on.is_not(None), MediationCase.deleted_at.is_(None),
                   or_(MediationCase.status == MediationStatus.SUCCEEDED,
                       MediationCase.confirmation_applied_on >= c.since),
                   *c.town(MediationCase.township_id)))
    out = []
    for uid, number, effective, applied, town in c.s.execute(stmt):
        due = c.cal.add_calendar_days(effective, days).due
        if applied is None and c.today > due:
            out.append(c.row("confirmation_window", town, "mediation_case", uid, number, due, c.today,
                             f"协议 {effective:%Y-%m-%d} 生效，未申请司法确认，也未结案"))
        elif applied is not None and applied > due:
            out.append(c.row("confirmation_window", town, "mediation_case", uid, number, due, applied,
                             f"协议 {effective:%Y-%m-%d} 生效，{applied:%Y-%m-%d} 才申请司法确认"))
    return out


_CHECKS = {"decision_limit": _decision_limit, "unpaid_fine": _unpaid_fine, "disclosure": _disclosure,
           "expired_certificate": _expired_certificate, "confirmation_window": _confirmation_window}
