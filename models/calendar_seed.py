"""Seed data for the working-day calendar, taken from the chinesecalendar package's official tables."""

from __future__ import annotations

from datetime import date
from functools import cache

import chinese_calendar

from models.workdays import DayKind, WorkCalendar

__all__ = ["covered_years", "from_chinese_calendar", "seeded_calendar"]

# The package stores English names (Holiday enum values). Its own ``chinese`` attribute uses short
# forms ("清明", "端午", "中秋"), so the names used in documents and on screen are mapped here;
# unknown future names fall back to the enum's Chinese text, then to the English name.
_CHINESE_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _chinese_name(english: str) -> str:
    if english in _CHINESE_NAMES:
        return _CHINESE_NAMES[english]
    try:
        return str(chinese_calendar.Holiday(english).chinese)
    except (ValueError, AttributeError):
        return english


@cache
def covered_years() -> frozenset[int]:
    """Years for which the installed package has the State Council's arrangement."""
    # Same bounds the package itself enforces (it raises NotImplementedError outside them).
    years = [d.year for d in chinese_calendar.holidays]
    return frozenset(range(min(years), max(years) + 1))


def from_chinese_calendar(years: range | None = None) -> dict[date, tuple[DayKind, str]]:
    """Weekday holidays and make-up weekend workdays, with Chinese names, for ``years``.

    Weekend days inside a holiday block are omitted: they are rest days anyway, so they carry no
    information for deadline counting. Years outside :func:`covered_years` yield nothing.
    """
    wanted = covered_years() if years is None else covered_years() & frozenset(years)
    result: dict[date, tuple[DayKind, str]] = {}
    for day, english in chinese_calendar.holidays.items():
        if day.year in wanted and day.weekday() < 5:
            result[day] = (DayKind.HOLIDAY, _chinese_name(english))
    for day, english in chinese_calendar.workdays.items():
        if day.year in wanted and day.weekday() >= 5:
            result[day] = (DayKind.MAKEUP_WORKDAY, f"{_chinese_name(english)}调休")
    return dict(sorted(result.items()))


@cache
def seeded_calendar() -> WorkCalendar:
    """A WorkCalendar built from the package data alone (no local holidays, no admin edits)."""
    overrides = {day: kind for day, (kind, _name) in from_chinese_calendar().items()}
    return WorkCalendar(overrides=overrides, covered_years=covered_years())
