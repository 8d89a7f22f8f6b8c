"""Each township's monthly figures (``figure_month``): kept up to date from the records, read by the district.

A district of 200 townships holds millions of records a year; counting them for every yearly table took 0.11 s per
township-year (bench/README.md). ``figure_month`` keeps every flow of services/statistics/indicators.py per
(township, year, month), one column per flow named by its key, so a year of the district is 12 × townships rows.
It is a cache of the records, never typed in and never synced:

* **invalidation** — triggers (migration 0004) note in ``figure_dirty`` every township-month a write touches, on
  whatever path the write comes (sync merge in raw SQL, ledger import, the forms, ``district copy``), including
  the old month when a date, a township or a soft delete changes;
* **refresh** — ``refresh`` recomputes exactly the dirty cells from the records (services/statistics/counting.py,
  the same declaration as the drill-down) and clears them; the post-import step (``record_amendments``) and the
  first statistics request after an import run it;
* **never stale** — a reader that still finds dirty cells in its range (a refresh that could not get the write
  lock, a read-only copy) counts those cells from the records itself, so what it returns always equals a count
  from scratch. ``check`` compares the whole table with such a count (tests, bench).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, column, delete, exists, func, insert, select, table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from services.core.storage import StorageError
from services.core.uow import UnitOfWork
from services.statistics.counting import Cell, count_stocks, live_cells
from services.statistics.figure_table import FIGURE_MONTH as FM
from services.statistics.indicators import (
    MONEY_KEYS,
    SUMMED_KEYS,
    Figures,
    Period,
    add_into,
    empty_figures,
    finish,
)

log = logging.getLogger(__name__)

# Written by the triggers only: not in the models (models/figures.py explains why).
DIRTY = table("figure_dirty", column("township_id"), column("year"), column("month"))
IN_LIST_MAX = 500  # more townships than this: no IN list, the cells are picked in Python

# One column per flow, named by its key (services/statistics/figure_table.py generates them from the declaration).
# Money columns have the Money type: their sums come back as Decimal yuan, exact.
_COLS = [FM.c[k] for k in SUMMED_KEYS]


def _to_row(cell: Cell, fig: Figures) -> dict[str, Any]:
    return {"township_id": cell[0], "year": cell[1], "month": cell[2], **{k: fig[k] for k in SUMMED_KEYS}}


def _from_values(values: Iterable[Any]) -> Figures:
    fig = empty_figures()
    for k, v in zip(SUMMED_KEYS, values, strict=True):
        if v is not None:
            fig[k] = v if k in MONEY_KEYS else int(v)  # PostgreSQL sums integers as numeric
    return fig


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _ym(day: date) -> int:
    return day.year * 100 + day.month


# -- reading --------------------------------------------------------------------------------------------------

def dirty_cells(s: Session, start: date | None = None, end: date | None = None,
                township_ids: Sequence[int] | None = None) -> set[Cell]:
    """The township-months written since their last refresh (within [start, end] when given)."""
    stmt = select(DIRTY.c.township_id, DIRTY.c.year, DIRTY.c.month)
    if start is not None and end is not None:
        stmt = stmt.where(DIRTY.c.year.between(start.year, end.year))
    wanted = set(township_ids) if township_ids is not None else None
    out: set[Cell] = set()
    for tid, y, m in s.execute(stmt):
        if start is not None and end is not None and not _ym(start) <= y * 100 + m <= _ym(end):
            continue
        if wanted is None or tid in wanted:
            out.add((int(tid), int(y), int(m)))
    return out


def countable(cell: Cell) -> bool:
    """A township-month a record can fall in: a damaged stored date ("2026-13-45", "9999-12-31") marks a cell
    outside the plausible years or months, which has no figures (its mark is cleared by the refresh)."""
    return 1 <= cell[2] <= 12 and 1900 <= cell[1] <= 2200


def count_cells(s: Session, cells: set[Cell]) -> dict[Cell, Figures]:
    """The figures of exactly ``cells``, counted from the records (one grouped pass per year they span)."""
    by_year: dict[int, list[Cell]] = defaultdict(list)
    for c in cells:
        if countable(c):
            by_year[c[1]].append(c)
    out: dict[Cell, Figures] = {}
    for year, part in sorted(by_year.items()):
        tids = sorted({c[0] for c in part})
        months = [c[2] for c in part]
        start, end = date(year, min(months), 1), _month_end(year, max(months))
        counted = live_cells(s, start, end, township_ids=tids if len(tids) <= IN_LIST_MAX else None)
        out.update((c, fig) for c, fig in counted.items() if c in cells)
    return out


def stored_figures(s: Session, start: date, end: date, *, by_month: bool,
                   township_ids: Sequence[int] | None = None) -> dict[tuple[int, int], Figures]:
    """Figures per (township id, month or 0) over the whole months [start, end], from ``figure_month``.

    Dirty cells are left out of the sums and counted from the records instead, so the result equals a count
    from scratch even before a refresh.
    """
    dirty = dirty_cells(s, start, end, township_ids)
    ym = FM.c.year * 100 + FM.c.month
    where: list[ColumnElement[bool]] = [FM.c.year.between(start.year, end.year), ym.between(_ym(start), _ym(end))]
    if township_ids is not None:
        where.append(FM.c.township_id.in_(list(township_ids)))
    if dirty:
        where.append(~exists().where(DIRTY.c.township_id == FM.c.township_id, DIRTY.c.year == FM.c.year,
                                     DIRTY.c.month == FM.c.month))
    keys = [FM.c.township_id, FM.c.month] if by_month else [FM.c.township_id]
    stmt = select(*keys, *(func.sum(c) for c in _COLS)).where(*where).group_by(*keys)
    out: dict[tuple[int, int], Figures] = {}
    for row in s.execute(stmt):
        key = (int(row[0]), int(row[1]) if by_month else 0)
        out[key] = _from_values(row[len(keys):])
    if dirty:
        for (tid, _y, m), fig in count_cells(s, dirty).items():
            add_into(out.setdefault((tid, m if by_month else 0), empty_figures()), fig)
    return out


def whole_months(start: date, end: date) -> bool:
    """True when [start, end] is a run of whole calendar months (what figure_month can answer)."""
    return start.day == 1 and (end + timedelta(days=1)).day == 1 and start <= end


def grouped_figures(s: Session, start: date, end: date, *, today: date, by_month: bool = False,
                    township_ids: Sequence[int] | None = None) -> dict[tuple[int, int], Figures]:
    """Every statistic per (township id, month) — month 0 when ``by_month`` is false — for [start, end].

    Flows over whole months (every Period) are read from ``figure_month`` (12 × townships rows a year, cells still
    dirty counted from the records); any other range is counted from the records. Stocks are counted on each
    month's (or the range's) last day, or today if earlier; rates are recomputed from their parts.
    """
    if whole_months(start, end):
        out = stored_figures(s, start, end, by_month=by_month, township_ids=township_ids)
    else:
        out = {}
        for (tid, _y, m), fig in live_cells(s, start, end, township_ids=township_ids).items():
            add_into(out.setdefault((tid, m if by_month else 0), empty_figures()), fig)
    days: list[tuple[int, date]] = [(0, end)]
    if by_month:
        days = [(m, Period(start.year, m).end) for m in range(start.month, end.month + 1)]
    for month, last in days:
        for tid, stocks in count_stocks(s, min(last, today), township_ids=township_ids).items():
            out.setdefault((tid, month), empty_figures()).update(stocks)
    for fig in out.values():
        finish(fig)
    return out


# -- refreshing -----------------------------------------------------------------------------------------------

def refresh(s: Session) -> int:
    """Recompute every dirty cell from the records, store it and clear its mark (in the caller's write
    transaction); returns how many cells were refreshed."""
    if s.get_bind().dialect.name == "postgresql":
        # Writers wait (their triggers insert marks) until this commits: no mark can slip in between the read
        # below and the delete of the marks read.
        s.execute(select(func.count()).select_from(DIRTY))  # open the transaction before the lock
        s.connection().exec_driver_sql("LOCK TABLE figure_dirty IN SHARE ROW EXCLUSIVE MODE")
    cells = dirty_cells(s)
    if not cells:
        return 0
    counted = count_cells(s, cells)
    keys = [{"t": c[0], "y": c[1], "m": c[2]} for c in sorted(cells)]
    s.execute(delete(FM).where(FM.c.township_id == bindparam("t"), FM.c.year == bindparam("y"),
                               FM.c.month == bindparam("m")), keys)
    rows = [_to_row(c, counted[c]) for c in sorted(counted)]
    if rows:
        s.execute(insert(FM), rows)
    s.execute(delete(DIRTY).where(DIRTY.c.township_id == bindparam("t"), DIRTY.c.year == bindparam("y"),
                                  DIRTY.c.month == bindparam("m")), keys)
    return len(cells)


def refresh_figures(uow: UnitOfWork) -> int:
    """``refresh`` in its own write transaction (the post-import step); returns the cells refreshed."""
    with uow:
        n = refresh(uow.session)
        if n:
            uow.commit()
    if n:
        log.info("figure_month: %d township-months refreshed", n)
    return n


def ensure_fresh(uow: UnitOfWork) -> int:
    """Refresh before a read when the triggers left dirty cells (e.g. after a single bundle import).

    Best effort: when the write lock is not to be had (another import running) the reader goes ahead and counts
    the dirty cells itself, which is slower but exact. Returns the cells refreshed (0 when none or skipped).
    """
    reader = UnitOfWork(uow.db, actor=uow.actor, clock=uow.clock, write=False)
    with reader:
        pending = reader.session.execute(select(DIRTY.c.year).limit(1)).first() is not None
    if not pending:
        return 0
    try:
        return refresh_figures(UnitOfWork(uow.db, actor=uow.actor, clock=uow.clock, write=True))
    except (OperationalError, StorageError) as exc:  # locked or read-only (UnitOfWork says so as a StorageError):
        # the read counts the dirty cells itself
        log.warning("figure_month not refreshed before reading: %s", exc)
        return 0


# -- checking -------------------------------------------------------------------------------------------------

def check(s: Session, *, start: date = date(1900, 1, 1), end: date = date(2999, 12, 31)) -> list[str]:
    """Differences between ``figure_month`` (plus dirty cells counted live) and a count from scratch of every
    township-month in [start, end] (whole months); empty when the table is right."""
    stored: dict[Cell, Figures] = {}
    ym = FM.c.year * 100 + FM.c.month
    for row in s.execute(select(FM.c.township_id, FM.c.year, FM.c.month, *_COLS)
                         .where(ym.between(_ym(start), _ym(end)))):
        stored[(int(row[0]), int(row[1]), int(row[2]))] = _from_values(row[3:])
    dirty = dirty_cells(s, start, end)
    stored.update(count_cells(s, dirty))
    for c in dirty - set(stored):
        stored[c] = empty_figures()
    scratch = live_cells(s, start, end)
    problems = []
    zero = empty_figures()
    for c in sorted(set(stored) | set(scratch)):
        a, b = stored.get(c, zero), scratch.get(c, zero)
        diff = [k for k in SUMMED_KEYS if a[k] != b[k]]
        if diff:
            problems.append(f"乡镇 {c[0]} {c[1]}年{c[2]}月：" + "，".join(f"{k} 存 {a[k]} 实 {b[k]}" for k in diff))
    return problems


def stored_cell_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(FM)) or 0)


def pending_cell_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(DIRTY)) or 0)


__all__ = ["check", "count_cells", "dirty_cells", "ensure_fresh", "grouped_figures", "pending_cell_count", "refresh",
           "refresh_figures", "stored_cell_count", "stored_figures", "whole_months"]
