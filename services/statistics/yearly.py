"""A township's yearly figures, counted from the records themselves (never typed-in totals).

What ``python main.py stats`` prints: every statistic of services/statistics/indicators.py, in its order, for the
rows dated in the year — of the whole database, or of one township (``stats --township`` at the district). The
counting is the district's (services/statistics/counting.py), summed over the year instead of grouped by month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from services.core.uow import UnitOfWork
from services.statistics.counting import count_flows, count_stocks
from services.statistics.indicators import INDICATOR_KEYS, Period, figures_json, finish, rate_percent

__all__ = ["INDICATOR_KEYS", "YearStats", "compute_year", "rate_percent", "yearly_stats"]


@dataclass(frozen=True, slots=True)
class YearStats:
    """One year's figures: ``stats["inspections"]`` (or ``stats.inspections``); the keys are ``INDICATOR_KEYS``,
    in that order."""

    year: int
    figures: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.figures[key]

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not attributes: a statistic's key, or a typo (AttributeError).
        if name.startswith("_") or name == "figures" or name not in self.figures:
            raise AttributeError(f"{type(self).__name__} has no statistic {name!r}")
        return self.figures[name]

    def to_json(self) -> dict[str, Any]:
        """What ``stats --json`` prints: the year, then every figure (money as a two-decimal string)."""
        return {"year": self.year, **figures_json(dict(self.figures))}


def compute_year(s: Session, year: int, *, today: date, township_id: int | None = None) -> YearStats:
    """The figures of ``year`` for the whole database, or for one township; stocks on 31 December (or today)."""
    period = Period(year)
    ids = None if township_id is None else [township_id]
    fig = count_flows(s, period.start, period.end, township_ids=ids)
    for stocks in count_stocks(s, min(period.end, today), township_ids=ids).values():
        for key, n in stocks.items():
            fig[key] += n
    return YearStats(year, finish(fig))


def yearly_stats(uow: UnitOfWork, year: int) -> YearStats:
    """The yearly figures for this database (all townships it holds)."""
    with uow:
        return compute_year(uow.session, year, today=uow.clock.today())
