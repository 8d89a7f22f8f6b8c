"""District statistics: every indicator per township and in total, by year or month, with 同比 and drill-down.

The total is the sum of the townships' figures (the rate is recomputed from its summed parts), never a
separate query, so a table of townships always adds up to its 合计 row. The figures are read from each
township's monthly figures (services/statistics/figures.py), brought up to date first when an import left
township-months to recompute; drill-down lists the records themselves. For a closed period the figures as
closed are reported next to the live ones (``closed``); see services/district/closing.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from models.enums import RecordKind
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.district.common import TownshipRef, resolve_township, townships
from services.district.wording import Change, change
from services.statistics.counting import DrillRow, drill_rows
from services.statistics.figures import ensure_fresh, grouped_figures
from services.statistics.indicators import (
    ADDITIVE_KEYS,
    BY_KEY,
    INDICATOR_KEYS,
    RATES,
    Figures,
    Period,
    Rate,
    add_into,
    empty_figures,
    figures_json,
    finish,
)

# A rate's 同比 is a difference in 百分点, and there is none when either period had nothing to rate
# (docs/district-report.md): each rate's whole is its declaration's (services/statistics/indicators.py).
_RATE_OF = {r.key: r.whole for r in RATES}


def figure_change(key: str, current: Figures, previous: Figures) -> Change:
    """同比 of one indicator: a percentage for counts and money, 百分点 for a rate."""
    whole = _RATE_OF.get(key)
    if whole is None:
        return change(current[key], previous[key])
    return change(current[key], previous[key] if previous[whole] and current[whole] else None, rate=True)


__all__ = ["ClosedView", "DistrictStats", "DrillItem", "MonthlyStats", "TownshipFigures", "compute_district",
           "district_stats", "drill_down", "figure_change", "figures_json", "monthly_stats"]


@dataclass(frozen=True, slots=True)
class TownshipFigures:
    township: TownshipRef
    figures: Figures
    previous: Figures  # the same period one year earlier

    def change(self, key: str) -> Change:
        return figure_change(key, self.figures, self.previous)


@dataclass(frozen=True, slots=True)
class ClosedView:
    """A closed period: the figures as closed, per township uid and in total, and what arrived since."""

    closed_at: str
    closed_by: str
    reason: str
    by_township: dict[str, Figures]
    total: Figures
    amendments: int  # records listed in the amendment table for this period

    def delta(self, current: Figures) -> Figures:
        """Live minus closed, per indicator: what the amendments changed."""
        out = {k: current[k] - self.total[k] for k in ADDITIVE_KEYS}
        for r in RATES:  # a difference of percentages, to the rate's one decimal
            out[r.key] = round(current[r.key] - self.total[r.key], 1)
        return {k: out[k] for k in INDICATOR_KEYS}


@dataclass(frozen=True, slots=True)
class DistrictStats:
    period: Period
    townships: tuple[TownshipFigures, ...]
    total: Figures
    previous_total: Figures
    closed: ClosedView | None = None

    def change(self, key: str) -> Change:
        return figure_change(key, self.total, self.previous_total)

    def reported(self) -> Figures:
        """The figures a report prints: as closed when the period is closed, otherwise live."""
        return self.closed.total if self.closed is not None else self.total

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "year": self.period.year, "month": self.period.month, "total": figures_json(self.total),
            "previous_year_total": figures_json(self.previous_total),
            "yoy": {k: self.change(k).to_json() for k in INDICATOR_KEYS},
            "townships": [{"uid": t.township.uid, "name": t.township.name, "figures": figures_json(t.figures),
                           "previous_year": figures_json(t.previous)} for t in self.townships],
        }
        if self.closed is not None:
            out["closed"] = {"closed_at": self.closed.closed_at, "closed_by": self.closed.closed_by,
                             "reason": self.closed.reason, "figures": figures_json(self.closed.total),
                             "amendments": self.closed.amendments,
                             "amendment_delta": figures_json(self.closed.delta(self.total))}
        return out


def _scope(s: Session, township: str | None) -> list[TownshipRef]:
    return [resolve_township(s, township)] if township else townships(s)


def _check(year: int, month: int | None) -> Period:
    if not 2000 <= year <= 2100:
        raise ValidationError(f"年份 {year} 不在 2000–2100 之间", field="year")
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(f"月份 {month} 应为 1–12", field="month")
    return Period(year, month)


def compute_district(s: Session, period: Period, *, today: Any, scope: list[TownshipRef]) -> DistrictStats:
    """Figures of ``scope`` for ``period`` and the same period a year earlier (two grouped computations)."""
    ids = [t.id for t in scope]
    cur = grouped_figures(s, period.start, period.end, today=today, township_ids=ids)
    prev_p = period.previous_year()
    prev = grouped_figures(s, prev_p.start, prev_p.end, today=today, township_ids=ids)
    rows: list[TownshipFigures] = []
    total, prev_total = empty_figures(), empty_figures()
    for t in scope:
        f = cur.get((t.id, 0)) or empty_figures()
        p = prev.get((t.id, 0)) or empty_figures()
        rows.append(TownshipFigures(t, f, p))
        add_into(total, f)
        add_into(prev_total, p)
    from services.district.closing import closed_view

    closed = closed_view(s, period, scope)
    return DistrictStats(period, tuple(rows), finish(total), finish(prev_total), closed)


def district_stats(uow: UnitOfWork, year: int, township: str | None = None, month: int | None = None) -> DistrictStats:
    """Every indicator per township (or one township, by name or uid) and in total, with 同比."""
    period = _check(year, month)
    ensure_fresh(uow)
    with uow:
        s = uow.session
        return compute_district(s, period, today=uow.clock.today(), scope=_scope(s, township))


@dataclass(frozen=True, slots=True)
class MonthlyStats:
    year: int
    township: str  # "" for the whole district
    months: tuple[Figures, ...]  # index 0 = January
    previous: tuple[Figures, ...]

    def series(self, key: str) -> list[Any]:
        """One indicator month by month (what a chart plots)."""
        return [m[key] for m in self.months]


def monthly_stats(uow: UnitOfWork, year: int, township: str | None = None) -> MonthlyStats:
    """Each month's figures of the district (or one township) and of the previous year, for charts."""
    period = _check(year, None)
    ensure_fresh(uow)
    with uow:
        s = uow.session
        scope = _scope(s, township)
        ids = [t.id for t in scope]

        def by_month(y: int) -> tuple[Figures, ...]:
            p = Period(y)
            grouped = grouped_figures(s, p.start, p.end, today=uow.clock.today(), by_month=True, township_ids=ids)
            months = [empty_figures() for _ in range(12)]
            for (_tid, m), fig in grouped.items():
                add_into(months[m - 1], fig)
            return tuple(finish(m) for m in months)

        return MonthlyStats(year, scope[0].name if township else "", by_month(period.year), by_month(year - 1))


@dataclass(frozen=True, slots=True)
class DrillItem:
    table: RecordKind
    uid: str
    number: str
    on: str
    township: str
    value: str


def drill_down(uow: UnitOfWork, key: str, year: int, township: str | None = None, month: int | None = None,
               limit: int | None = None) -> list[DrillItem]:
    """The records behind one figure (e.g. ``cases_filed`` of a township in a year): uid, number, date."""
    period = _check(year, month)
    rate = BY_KEY.get(key)
    if isinstance(rate, Rate):
        raise ValidationError(f"{rate.label}由{BY_KEY[rate.whole].label}数和{BY_KEY[rate.part].label}数计算："
                              f"请分别查看 {rate.whole}、{rate.part}", field="key")
    with uow:
        s = uow.session
        scope = _scope(s, township)
        names = {t.id: t.name for t in townships(s, include_own=True)}
        try:
            rows: list[DrillRow] = drill_rows(s, key, period.start, period.end, today=uow.clock.today(),
                                              township_ids=[t.id for t in scope], limit=limit)
        except KeyError:
            raise ValidationError(f"没有指标 {key}（可用：{', '.join(INDICATOR_KEYS)}）", field="key") from None
    return [DrillItem(r.table, r.uid, r.number, r.on.isoformat() if r.on else "", names.get(r.township_id, ""),
                      f"{r.value:.2f}" if isinstance(r.value, Decimal) else str(r.value)) for r in rows]
