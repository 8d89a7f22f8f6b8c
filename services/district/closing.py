"""Period close (关账): lock a month or a year's figures; records arriving later are listed as amendments.

Closing stores, in ``period_close``, the figures of every township as they stand (the closed value the report
keeps) and each table's highest row id (the watermark). Rows are never hard-deleted and ids only grow, so a row
above the watermark whose dates fall in the period arrived after the close: a **late** amendment. A row below
the watermark whose ``updated_at`` is after the close was changed since: a **changed** amendment (``updated_at``
is stamped by the township's device, so this part is as good as its clock; the figure difference
``live − closed`` shown next to it is exact). ``record_amendments`` runs after every bundle or ledger import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models.case import PenaltyCase, Transfer
from models.district import Amendment, PeriodClose, PeriodStatus
from models.inspection import Campaign, Inspection
from models.mediation import MediationCase
from models.records import Training
from services.core.errors import NotFound, ValidationError
from services.core.uow import UnitOfWork
from services.district.common import TownshipRef, townships
from services.statistics.figures import grouped_figures, refresh, refresh_figures
from services.statistics.indicators import (
    DERIVED_KEYS,
    INDICATOR_KEYS,
    MONEY_KEYS,
    Figures,
    Period,
    add_into,
    empty_figures,
    finish,
)

if TYPE_CHECKING:
    from services.district.stats import ClosedView

# Tables whose rows carry a township and the dates that place them in a period: the date columns of the
# single-table statistics of services/statistics/indicators.py (tests/services/test_statistics_declaration.py
# holds the two together). The first date in the period is the amendment's date.
AMENDABLE: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Inspection, ("inspected_on",)),
    (PenaltyCase, ("filed_on", "decision_date", "closed_on", "hearing_held_on", "legal_review_passed_on",
                   "disclosed_on")),
    (MediationCase, ("accepted_on", "ended_on", "confirmation_decided_on", "applied_on")),
    (Campaign, ("start_date",)),
    (Training, ("held_on",)),
    (Transfer, ("transferred_on",)),
)


@dataclass(frozen=True, slots=True)
class CloseInfo:
    uid: str
    period: str
    year: int
    month: int | None
    status: str
    reason: str
    closed_at: datetime
    closed_by: str
    amendments: int


@dataclass(frozen=True, slots=True)
class AmendmentInfo:
    uid: str
    period: str
    township: str
    table: str
    record_uid: str
    record_date: str
    kind: str  # late | changed
    reason: str
    detected_at: datetime


def _figures_to_json(fig: Figures) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in fig.items()}


def _figures_from_json(data: dict[str, Any]) -> Figures:
    fig = empty_figures()
    for k in INDICATOR_KEYS:
        if k in data:
            v = data[k]
            fig[k] = Decimal(v) if k in MONEY_KEYS else (float(v) if k in DERIVED_KEYS else int(v))
    return fig


def active_close(s: Session, period: Period) -> PeriodClose | None:
    """The close of exactly this period (a month is not 'closed' by its year's close: it has no month snapshot)."""
    cond = PeriodClose.month.is_(None) if period.month is None else PeriodClose.month == period.month
    return s.scalar(select(PeriodClose).where(PeriodClose.year == period.year, cond,
                                              PeriodClose.status == PeriodStatus.CLOSED))


def is_locked(s: Session, day: date) -> bool:
    """True when ``day`` lies in a closed month or a closed year."""
    return s.scalar(select(func.count()).select_from(PeriodClose).where(
        PeriodClose.status == PeriodStatus.CLOSED, PeriodClose.year == day.year,
        or_(PeriodClose.month.is_(None), PeriodClose.month == day.month))) != 0


def close_period(uow: UnitOfWork, year: int, month: int | None, reason: str) -> CloseInfo:
    """Lock the figures of a finished month (or year): snapshot per township plus the tables' watermarks."""
    period = Period(year, month)
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(f"月份 {month} 应为 1–12", field="month")
    if not reason.strip():
        raise ValidationError("关账须写明原因（如“2025年度统计报表已报送”）", field="reason")
    with uow:
        s = uow.session
        today = uow.clock.today()
        if period.end >= today:
            raise ValidationError(f"{period.label}尚未结束，不能关账", field="month")
        if active_close(s, period) is not None:
            raise ValidationError(f"{period.label}已关账；如需改动请先重新打开", field="month")
        refresh(s)  # the snapshot is read from figure_month: bring it up to date in this same transaction
        grouped = grouped_figures(s, period.start, period.end, today=today)
        snap = {t.uid: _figures_to_json(grouped.get((t.id, 0)) or empty_figures()) for t in townships(s)}
        marks = {m.__tablename__: int(s.scalar(select(func.coalesce(func.max(m.id), 0))) or 0) for m, _ in AMENDABLE}
        pc = PeriodClose(year=year, month=month, status=PeriodStatus.CLOSED, reason=reason.strip(),
                         closed_at=uow.clock.now(), closed_by=uow.actor, figures=json.dumps(snap, ensure_ascii=False),
                         watermarks=json.dumps(marks))
        with uow.action("period.close"):
            s.add(pc)
            s.flush()
        info = _info(s, pc)
        uow.commit()
    return info


def reopen_period(uow: UnitOfWork, year: int, month: int | None, reason: str) -> CloseInfo:
    """Undo a close (audited, with a reason); its amendments stay listed for the record."""
    if not reason.strip():
        raise ValidationError("重新打开须写明原因", field="reason")
    with uow:
        s = uow.session
        pc = active_close(s, Period(year, month))
        if pc is None:
            raise NotFound(f"{Period(year, month).label}未关账")
        with uow.action("period.reopen"):
            pc.status, pc.reopened_at, pc.reopened_by = PeriodStatus.REOPENED, uow.clock.now(), uow.actor
            pc.reopen_reason = reason.strip()
            s.flush()
        info = _info(s, pc)
        uow.commit()
    return info


def _info(s: Session, pc: PeriodClose) -> CloseInfo:
    n = s.scalar(select(func.count()).select_from(Amendment).where(Amendment.period_close_id == pc.id)) or 0
    return CloseInfo(pc.uid, Period(pc.year, pc.month).label, pc.year, pc.month, pc.status.value, pc.reason,
                     pc.closed_at, pc.closed_by, int(n))


def list_closes(uow: UnitOfWork, year: int | None = None) -> list[CloseInfo]:
    with uow:
        s = uow.session
        stmt = select(PeriodClose).order_by(PeriodClose.year, PeriodClose.month, PeriodClose.id)
        if year is not None:
            stmt = stmt.where(PeriodClose.year == year)
        return [_info(s, pc) for pc in s.scalars(stmt)]


def record_amendments(uow: UnitOfWork, reason: str = "") -> int:
    """The post-import step (after a folder of bundles or a ledger): list every record that reached (or changed in)
    a closed period after its close, then recompute the township-months the import touched (figure_month).
    Returns how many amendments are new."""
    with uow:
        s = uow.session
        added = _scan(s, uow.clock.now(), uow.actor, reason.strip())
        if added:
            uow.commit()
    refresh_figures(uow)
    return added


def _scan(s: Session, now: datetime, actor: str, reason: str) -> int:
    added = 0
    for pc in s.scalars(select(PeriodClose).where(PeriodClose.status == PeriodStatus.CLOSED)):
        period = Period(pc.year, pc.month)
        marks = json.loads(pc.watermarks or "{}")
        known = set(s.execute(select(Amendment.tbl, Amendment.record_uid)
                              .where(Amendment.period_close_id == pc.id)).all())
        for model, cols in AMENDABLE:
            table = model.__tablename__
            mark = int(marks.get(table, 0))
            dates = [getattr(model, c) for c in cols]
            in_period = or_(*(and_(d >= period.start, d <= period.end) for d in dates))
            stmt = select(model.uid, model.id, model.township_id, *dates).where(
                in_period, model.deleted_at.is_(None), or_(model.id > mark, model.updated_at > pc.closed_at))
            with s.no_autoflush:
                rows = s.execute(stmt).all()
            for row in rows:
                if (table, row[0]) in known:
                    continue
                kind = "late" if row[1] > mark else "changed"
                on = next((d for d in row[3:] if period.contains(d)), None)
                default = f"{period.label}关账后{'补报' if kind == 'late' else '更正'}"
                s.add(Amendment(period_close_id=pc.id, township_id=row[2], tbl=table, record_uid=row[0],
                                record_date=on, kind=kind, reason=reason or default, detected_at=now,
                                detected_by=actor))
                added += 1
    if added:
        s.flush()
    return added


def list_amendments(uow: UnitOfWork, year: int, month: int | None = None) -> list[AmendmentInfo]:
    """The amendments of a closed period (every close of it, also reopened ones), oldest first."""
    from models.org import Township

    with uow:
        s = uow.session
        cond = PeriodClose.month.is_(None) if month is None else PeriodClose.month == month
        rows = s.execute(select(Amendment, PeriodClose.year, PeriodClose.month, Township.name)
                         .join(PeriodClose, PeriodClose.id == Amendment.period_close_id)
                         .outerjoin(Township, Township.id == Amendment.township_id)
                         .where(PeriodClose.year == year, cond).order_by(Amendment.id)).all()
        return [AmendmentInfo(a.uid, Period(y, m).label, name or "", a.tbl, a.record_uid,
                              a.record_date.isoformat() if a.record_date else "", a.kind, a.reason, a.detected_at)
                for a, y, m, name in rows]


def set_amendment_reason(uow: UnitOfWork, amendment_uid: str, reason: str) -> None:
    """The clerk's own explanation of a late or changed record (e.g. "竹根镇3月同步包因U盘损坏补报")."""
    if not reason.strip():
        raise ValidationError("原因不能为空", field="reason")
    with uow:
        a = uow.session.scalar(select(Amendment).where(Amendment.uid == amendment_uid))
        if a is None:
            raise NotFound(f"没有补报记录 {amendment_uid}")
        with uow.action("amendment.reason"):
            a.reason = reason.strip()
            uow.session.flush()
        uow.commit()


def closed_view(s: Session, period: Period, scope: list[TownshipRef]) -> ClosedView | None:
    """The ClosedView of ``period`` restricted to ``scope``, or None when the period is not closed."""
    from services.district.stats import ClosedView

    pc = active_close(s, period)
    if pc is None:
        return None
    snap = json.loads(pc.figures or "{}")
    by_town = {t.uid: _figures_from_json(snap.get(t.uid, {})) for t in scope}
    total = empty_figures()
    for fig in by_town.values():
        add_into(total, fig)
    n = s.scalar(select(func.count()).select_from(Amendment).where(
        Amendment.period_close_id == pc.id, Amendment.township_id.in_([t.id for t in scope]))) or 0
    return ClosedView(pc.closed_at.isoformat(timespec="minutes"), pc.closed_by, pc.reason, by_town, finish(total),
                      int(n))
