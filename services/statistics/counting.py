"""The statistics of services/statistics/indicators.py counted from the records, in grouped SQL.

Flows sharing a base and a date column are one query with an aggregate ``FILTER`` per flow (portable: SQLite ≥
3.30 and PostgreSQL both have aggregate FILTER), conditions shared by every flow of the query moved into its WHERE
(an "ok" checklist line is two thirds of inspection_item: it is never read). The same query serves:

* ``count_flows`` — one township, a list of them or the whole database, summed over a date range (the
  township's yearly figures);
* ``live_cells`` — the same per (township, year, month): what ``figure_month`` stores
  (services/statistics/figures.py) and what a reader counts for a cell still dirty;
* ``count_stocks`` — the stocks on a day, per township;
* ``drill_rows`` — the records behind one figure (their count or sum is the figure).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, extract, func, literal, select
from sqlalchemy.orm import Session

from models.enums import RecordKind
from services.core.damaged import in_domain
from services.statistics.indicators import (
    BY_KEY,
    FLOWS,
    MONEY_KEYS,
    STOCKS,
    ZERO_MONEY,
    Base,
    Col,
    Figures,
    Flow,
    Stock,
    empty_figures,
)

Cell = tuple[int, int, int]  # township id, year, month
CENTS = Decimal("0.01")
Query = Select[*tuple[Any, ...]]


def _in(col: Col, start: date, end: date) -> ColumnElement[bool]:
    return and_(col >= start, col <= end)


@dataclass
class _Group:
    """Flows counted by one query: same rows, same date column."""

    base: Base
    on: Col
    members: list[Flow] = field(default_factory=list)

    def shared(self) -> list[ColumnElement[bool]]:
        """Conditions every member has (values included): they go into the WHERE, not into each FILTER."""
        first = self.members[0].conds
        return [c for c in first if all(any(c.compare(d) for d in m.conds) for m in self.members[1:])]


def _groups() -> list[_Group]:
    groups: dict[tuple[str, str], _Group] = {}
    for flow in FLOWS:
        groups.setdefault((flow.base.name, str(flow.on)), _Group(flow.base, flow.on)).members.append(flow)
    return list(groups.values())


_GROUPS = _groups()


def _query(g: _Group, start: date, end: date, township_ids: Sequence[int] | None,
           keys: Sequence[Col | ColumnElement[Any]]) -> Query:
    shared = g.shared()
    values = []
    for flow in g.members:
        # in_domain: an amount or count outside its column's rule (stored unchecked by an older version) is
        # skipped rather than overflowing the sum (services/core/damaged.py)
        agg = func.sum(in_domain(flow.summed)) if flow.summed is not None else func.count()
        own = [c for c in flow.conds if not any(c.compare(d) for d in shared)]
        values.append(agg.filter(and_(*own)) if own else agg)
    where = [_in(g.on, start, end), *g.base.alive, *shared]
    if township_ids is not None:
        where.append(g.base.township.in_(list(township_ids)))
    stmt = select(*keys, *values).select_from(g.base.source()).where(*where)
    return stmt.group_by(*keys) if keys else stmt


def _put(fig: Figures, members: Sequence[Flow], values: Sequence[Any]) -> None:
    for flow, v in zip(members, values, strict=True):
        if flow.key in MONEY_KEYS:  # the set, not flow.money: this runs for every cell of the district
            fig[flow.key] = (Decimal(v) if v is not None else ZERO_MONEY).quantize(CENTS)
        else:
            fig[flow.key] = int(v or 0)


def count_flows(s: Session, start: date, end: date, *, township_ids: Sequence[int] | None = None) -> Figures:
    """Every flow over the rows dated in [start, end] (of ``township_ids``, or the whole database); stocks and
    rates are left at zero (``count_stocks``, ``finish``)."""
    out = empty_figures()
    for g in _GROUPS:
        _put(out, g.members, s.execute(_query(g, start, end, township_ids, ())).one())
    return out


def live_cells(s: Session, start: date, end: date, *,
               township_ids: Sequence[int] | None = None) -> dict[Cell, Figures]:
    """Every flow per (township id, year, month) of the rows dated in [start, end], counted from the records:
    one ``GROUP BY`` query per (base, date column), however many townships. Stocks and rates are left at zero:
    they are not sums over months."""
    out: dict[Cell, Figures] = {}
    for g in _GROUPS:
        keys = (g.base.township, extract("year", g.on), extract("month", g.on))
        for row in s.execute(_query(g, start, end, township_ids, keys)):
            key = (int(row[0]), int(row[1]), int(row[2]))
            fig = out.get(key)
            if fig is None:
                fig = out[key] = empty_figures()
            _put(fig, g.members, row[3:])
    return out


def _stock_where(st: Stock, day: date, township_ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    where = [*st.base.alive, *st.conds, st.in_force(day)]
    if township_ids is not None:
        where.append(st.base.township.in_(list(township_ids)))
    return where


def count_stocks(s: Session, day: date, *, township_ids: Sequence[int] | None = None) -> dict[int, dict[str, int]]:
    """Every stock on ``day``, per township id (townships with none are left out)."""
    out: dict[int, dict[str, int]] = {}
    for st in STOCKS:
        stmt = (select(st.base.township, func.count()).select_from(st.base.source())
                .where(*_stock_where(st, day, township_ids)).group_by(st.base.township))
        for tid, n in s.execute(stmt):
            out.setdefault(int(tid), {})[st.key] = int(n)
    return out


@dataclass(frozen=True, slots=True)
class DrillRow:
    """One record behind a figure."""

    table: RecordKind
    uid: str
    number: str
    on: date | None
    township_id: int
    value: Any  # what the row adds to the figure (1 for counts)


def drill_rows(s: Session, key: str, start: date, end: date, *, today: date,
               township_ids: Sequence[int] | None = None, limit: int | None = None) -> list[DrillRow]:
    """The records a figure counts, in date order (a stock's: those in force on the period's last day, or today
    if earlier, by uid); their count (or sum) is the figure itself. KeyError for a rate or an unknown key."""
    st = BY_KEY.get(key)
    stmt: Query
    if isinstance(st, Stock):
        stmt = (select(st.base.uid, st.base.number, st.until, st.base.township, literal(1))
                .select_from(st.base.source()).where(*_stock_where(st, min(end, today), township_ids))
                .order_by(st.base.uid))
    elif isinstance(st, Flow):
        value = st.summed if st.summed is not None else literal(1)
        stmt = (select(st.base.uid, st.base.number, st.on, st.base.township, value).select_from(st.base.source())
                .where(_in(st.on, start, end), *st.base.alive, *st.conds).order_by(st.on, st.base.uid))
        if township_ids is not None:
            stmt = stmt.where(st.base.township.in_(list(township_ids)))
    else:
        raise KeyError(key)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [DrillRow(st.base.table, r[0], r[1] or "", r[2], int(r[3]), r[4] if r[4] is not None else 0)
            for r in s.execute(stmt)]
