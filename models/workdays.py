"""Working-day and calendar-day deadline arithmetic over an injectable holiday calendar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

__all__ = ["DayKind", "DueDate", "WorkCalendar", "provisional_overrides"]

_ONE_DAY = timedelta(days=1)


class DayKind(StrEnum):
    """How a date deviates from the plain Mon–Fri week."""

    HOLIDAY = "holiday"  # national statutory holiday block day (incl. 调休 days off)
    MAKEUP_WORKDAY = "makeup_workday"  # Saturday/Sunday worked in exchange (调休上班)
    LOCAL_HOLIDAY = "local_holiday"  # e.g. 彝族年 in autonomous counties, set by local government


# Fixed-date statutory holidays under the 2024 《全国年节及纪念日放假办法》: New Year (Jan 1),
# Labour Day (May 1–2) and National Day (Oct 1–3). Lunar-calendar holidays are left out on
# purpose: their dates and the surrounding 调休 are only known from the State Council notice.
_FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


def provisional_overrides(year: int) -> dict[date, DayKind]:
    """Best-guess holidays for a year with no official arrangement yet (fixed-date ones only)."""
    return {date(year, m, d): DayKind.HOLIDAY for m, d in sorted(_FIXED_HOLIDAYS)}


@dataclass(frozen=True)
class DueDate:
    """A computed deadline; ``provisional`` means it must be recomputed once official data arrives."""

    due: date
    provisional: bool


@dataclass(frozen=True)
class WorkCalendar:
    """Official working-day calendar: explicit overrides plus the years they fully describe."""

    overrides: Mapping[date, DayKind]
    covered_years: frozenset[int]

    def __post_init__(self) -> None:
        # Copy into read-only views so a calendar handed around the app cannot change under a
        # deadline that was already computed from it.
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))
        object.__setattr__(self, "covered_years", frozenset(self.covered_years))

    def _kind(self, d: date) -> DayKind | None:
        kind = self.overrides.get(d)
        if kind is not None:
            return kind  # explicit entries win, also in uncovered years (e.g. a local holiday)
        if d.year not in self.covered_years and (d.month, d.day) in _FIXED_HOLIDAYS:
            return DayKind.HOLIDAY
        return None

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is an official government working day."""
        kind = self._kind(d)
        if kind is DayKind.MAKEUP_WORKDAY:
            return True
        if kind is not None:
            return False
        return d.weekday() < 5

    def is_provisional(self, d: date) -> bool:
        """True if ``d`` lies in a year without official holiday data (answers are a guess)."""
        return d.year not in self.covered_years

    def add_workdays(self, start: date, n: int) -> DueDate:
        """The ``n``-th working day after ``start``; the start day itself is not counted (民诉法 art.85).

        ``n == 0`` returns ``start`` unchanged.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        current = start
        provisional = False
        remaining = n
        while remaining:
            current += _ONE_DAY
            provisional = provisional or self.is_provisional(current)
            if self.is_workday(current):
                remaining -= 1
        return DueDate(current, provisional)

    def add_calendar_days(self, start: date, n: int, roll_to_workday: bool = True) -> DueDate:
        """``start`` + ``n`` days; a last day that is a rest day moves to the next working day.

        Only the days whose status decided the result are examined, so without rolling the
        result never depends on holiday data and is never provisional.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        current = start + timedelta(days=n)
        if not roll_to_workday:
            return DueDate(current, False)
        provisional = self.is_provisional(current)
        while not self.is_workday(current):
            current += _ONE_DAY
            provisional = provisional or self.is_provisional(current)
        return DueDate(current, provisional)

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days in (a, b]; negative (−count in (b, a]) when ``b`` is before ``a``.

        The sign convention keeps the count additive: between(a, b) + between(b, c) == between(a, c),
        which makes "overdue by N working days" a plain negative number.
        """
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        current = a + _ONE_DAY
        while current <= b:
            if self.is_workday(current):
                count += 1
            current += _ONE_DAY
        return count
