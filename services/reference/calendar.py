"""The working-day calendar kept in the database (seeded from chinesecalendar, editable by admins)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.calendar_seed import covered_years, from_chinese_calendar
from models.system import CalendarDay, CalendarYear
from models.workdays import DayKind, WorkCalendar
from services.core.errors import ValidationError


def seed_calendar(session: Session) -> int:
    """Load every year chinesecalendar covers that the table lacks; returns the number of days added.

    Years already present are left alone, so a district's edited or distributed calendar is never
    overwritten by the package copy.
    """
    present = set(session.scalars(select(CalendarYear.year)))
    missing = sorted(covered_years() - present)
    if not missing:
        return 0
    days = from_chinese_calendar(range(missing[0], missing[-1] + 1))
    existing = set(session.scalars(select(CalendarDay.day)))
    added = 0
    for day, (kind, name) in sorted(days.items()):
        if day.year in missing and day not in existing:
            session.add(CalendarDay(day=day, kind=kind, name=name, source="chinesecalendar"))
            added += 1
    for year in missing:
        session.add(CalendarYear(year=year, source="chinesecalendar"))
    return added


def load_calendar(session: Session) -> WorkCalendar:
    overrides = {d: k for d, k in session.execute(select(CalendarDay.day, CalendarDay.kind))}
    years = frozenset(session.scalars(select(CalendarYear.year)))
    return WorkCalendar(overrides=overrides, covered_years=years)


def set_calendar_day(session: Session, day: date, kind: DayKind | None, name: str = "", source: str = "manual") -> None:
    """Add, change or (kind=None) remove an exception day, e.g. a local 彝族年 holiday."""
    row = session.get(CalendarDay, day)
    if kind is None:
        if row is None:
            raise ValidationError(f"{day.isoformat()} 没有特殊安排，无需删除")
        session.delete(row)
        return
    if kind is DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise ValidationError(f"{day.isoformat()} 是工作日，不能设为调休上班日")
    if row is None:
        session.add(CalendarDay(day=day, kind=kind, name=name, source=source))
    else:
        row.kind, row.name, row.source = kind, name, source


def mark_year_official(session: Session, year: int, source: str = "manual") -> None:
    """Declare a year's arrangement complete, so deadlines in it are no longer provisional."""
    if session.get(CalendarYear, year) is None:
        session.add(CalendarYear(year=year, source=source))
