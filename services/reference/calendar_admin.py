"""The holiday calendar as the settings screen lists and edits it, a year at a time.

Every change recomputes the stored deadlines it may move in the same unit of work (services/procedures/recompute.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models.system import CalendarDay, CalendarYear
from models.workdays import DayKind
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require
from services.procedures.recompute import recompute_after_rule_change
from services.reference import calendar as cal_service

# -- calendar --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarDayInfo:
    day: date
    kind: DayKind
    name: str
    source: str
    recomputed: int = 0  # after a change: the records whose deadlines it recomputed


@dataclass(frozen=True, slots=True)
class CalendarYearInfo:
    year: int
    official: bool  # the year's arrangement is complete (deadlines in it are not provisional)
    source: str
    days: tuple[CalendarDayInfo, ...]


def calendar_days(uow: UnitOfWork, year: int) -> CalendarYearInfo:
    """The exception days (holidays, make-up working days, local holidays) of ``year``."""
    _check_year(year)
    with uow:
        s = uow.session
        y = s.get(CalendarYear, year)
        rows = s.scalars(select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
                         .order_by(CalendarDay.day))
        days = tuple(CalendarDayInfo(r.day, r.kind, r.name, r.source) for r in rows)
        return CalendarYearInfo(year, y is not None, y.source if y else "", days)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError("年份应在2000至2100之间", field="year")


def _calendar_write(uow: UnitOfWork) -> None:
    if uow.role is not None:
        require(uow.role, Permission.SETTINGS)


def save_calendar_day(uow: UnitOfWork, day: date, kind: DayKind, name: str = "") -> CalendarDayInfo:
    """Add or change one exception day (e.g. a local 彝族年 holiday, or a make-up working Saturday)."""
    _check_year(day.year)
    name = name.strip()
    if len(name) > 32:
        raise ValidationError("名称不超过32个字", field="name")
    if kind is DayKind.LOCAL_HOLIDAY and not name:
        raise ValidationError("地方性假日请填写名称（如：彝族年）", field="name")
    with uow:
        _calendar_write(uow)
        with uow.action("calendar.set_day"):
            cal_service.set_calendar_day(uow.session, day, kind, name)
            uow.session.flush()
        recomputed = recompute_after_rule_change(uow.session)
        uow.commit()
        return CalendarDayInfo(day, kind, name, "manual", recomputed)


def remove_calendar_day(uow: UnitOfWork, day: date) -> int:
    """Make ``day`` an ordinary day again (Mon–Fri working, weekend rest); returns the records recomputed."""
    with uow:
        _calendar_write(uow)
        with uow.action("calendar.remove_day"):
            cal_service.set_calendar_day(uow.session, day, None)
            uow.session.flush()
        recomputed = recompute_after_rule_change(uow.session)
        uow.commit()
        return recomputed


def mark_calendar_year_official(uow: UnitOfWork, year: int) -> int:
    """Declare ``year``'s arrangement complete: its deadlines are no longer flagged provisional (they are
    recomputed here); returns the records recomputed."""
    _check_year(year)
    with uow:
        _calendar_write(uow)
        if uow.session.get(CalendarYear, year) is not None:
            raise ValidationError(f"{year}年的节假日安排已是正式安排", field="year")
        cal_service.mark_year_official(uow.session, year)
        uow.session.flush()
        recomputed = recompute_after_rule_change(uow.session)
        uow.commit()
        return recomputed
