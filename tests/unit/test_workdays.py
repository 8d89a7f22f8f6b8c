"""Tests for working-day arithmetic and the chinese_calendar seed data."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.calendar_seed import covered_years, from_chinese_calendar, seeded_calendar
from models.workdays import DayKind, DueDate, WorkCalendar, provisional_overrides

CAL = seeded_calendar()
any_day = st.dates(min_value=date(2003, 1, 1), max_value=date(2029, 12, 31))
small_n = st.integers(min_value=0, max_value=40)


# --- worked examples (docs/legal-basis.md §3) -----------------------------------------------------


def test_national_day_2025_example() -> None:
    # 9-28 (Sun) and 10-11 (Sat) are make-up days; Oct 1–8 are off.
    assert CAL.add_workdays(date(2025, 9, 25), 7) == DueDate(date(2025, 10, 11), False)


def test_spring_festival_2026_example() -> None:
    assert CAL.add_workdays(date(2026, 2, 12), 5) == DueDate(date(2026, 2, 26), False)


def test_start_day_not_counted() -> None:
    monday = date(2025, 6, 9)
    assert CAL.add_workdays(monday, 1).due == date(2025, 6, 10)
    assert CAL.add_workdays(monday, 0).due == monday
    assert CAL.add_workdays(date(2025, 6, 13), 1).due == date(2025, 6, 16)  # Fri → Mon


def test_negative_n_rejected() -> None:
    with pytest.raises(ValueError):
        CAL.add_workdays(date(2025, 6, 9), -1)
    with pytest.raises(ValueError):
        CAL.add_calendar_days(date(2025, 6, 9), -1)


# --- properties -----------------------------------------------------------------------------


@given(any_day, st.integers(min_value=1, max_value=40))
def test_add_workdays_lands_on_nth_workday(start: date, n: int) -> None:
    due = CAL.add_workdays(start, n).due
    assert due > start
    assert CAL.is_workday(due)
    assert CAL.workdays_between(start, due) == n
    # It is the first such day, not a later one.
    assert CAL.workdays_between(start, due - timedelta(days=1)) == n - 1


@given(any_day, small_n)
def test_add_workdays_strictly_monotonic(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n).due < CAL.add_workdays(start, n + 1).due


@given(any_day, any_day, any_day)
def test_workdays_between_is_additive(a: date, b: date, c: date) -> None:
    assert CAL.workdays_between(a, b) + CAL.workdays_between(b, c) == CAL.workdays_between(a, c)
    assert CAL.workdays_between(a, b) == -CAL.workdays_between(b, a)


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 11, 30)), st.integers(1, 15))
def test_covered_year_not_provisional(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n).provisional is False
    assert CAL.add_calendar_days(start, n).provisional is False


@given(st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 1)), st.integers(1, 15))
def test_uncovered_year_provisional(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n).provisional is True
    assert CAL.add_calendar_days(start, n).provisional is True
    assert CAL.is_provisional(start)


def test_crossing_into_uncovered_year_is_provisional() -> None:
    # 2027-01-01 (Fri) is off under the provisional fixed-date rule.
    assert CAL.add_workdays(date(2026, 12, 28), 5) == DueDate(date(2027, 1, 5), True)


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_matches_chinese_calendar_package(d: date) -> None:
    assert CAL.is_workday(d) == chinese_calendar.is_workday(d)


def test_matches_chinese_calendar_package_every_day() -> None:
    d = date(2004, 1, 1)
    mismatches = []
    while d.year <= 2026:
        if CAL.is_workday(d) != chinese_calendar.is_workday(d):
            mismatches.append(d)
        d += timedelta(days=1)
    assert mismatches == []


# --- calendar-day periods -------------------------------------------------------------------


def test_calendar_period_ending_on_sunday_rolls_to_monday() -> None:
    start = date(2025, 5, 31)
    assert (start + timedelta(days=15)).weekday() == 6
    assert CAL.add_calendar_days(start, 15) == DueDate(date(2025, 6, 16), False)
    assert CAL.add_calendar_days(start, 15, roll_to_workday=False) == DueDate(date(2025, 6, 15), False)


def test_calendar_period_rolls_over_holiday_block() -> None:
    # 15 days after 2025-09-16 is 2025-10-01; Oct 1–8 are off, so the period ends on Thursday 10-09.
    assert CAL.add_calendar_days(date(2025, 9, 16), 15).due == date(2025, 10, 9)


def test_calendar_period_in_uncovered_year_rolls_and_is_provisional() -> None:
    # 2027-05-01 is Saturday, 05-02 Sunday (both provisional holidays) → Monday 05-03.
    assert CAL.add_calendar_days(date(2027, 4, 16), 15) == DueDate(date(2027, 5, 3), True)


# --- make-up days, overrides and provisional rule -------------------------------------------


def test_makeup_saturday_is_workday() -> None:
    assert date(2026, 2, 14).weekday() == 5
    assert CAL.is_workday(date(2026, 2, 14))
    assert CAL.is_workday(date(2025, 10, 11))
    assert not CAL.is_workday(date(2025, 10, 8))  # Wednesday inside the National Day block
    # Friday 2026-02-13 + 1 working day is the make-up Saturday, not Tuesday 02-24.
    assert CAL.add_workdays(date(2026, 2, 13), 1).due == date(2026, 2, 14)


def test_custom_calendar_overrides() -> None:
    saturday = date(2030, 6, 1)
    local = date(2030, 6, 4)
    cal = WorkCalendar(
        overrides={
            saturday: DayKind.MAKEUP_WORKDAY,
            local: DayKind.LOCAL_HOLIDAY,
            date(2030, 1, 1): DayKind.MAKEUP_WORKDAY,
        },
        covered_years=frozenset({2030}),
    )
    assert cal.is_workday(saturday)
    assert not cal.is_workday(local)
    assert not cal.is_provisional(saturday)
    assert cal.add_workdays(date(2030, 5, 31), 1) == DueDate(saturday, False)
    assert cal.workdays_between(date(2030, 5, 31), date(2030, 6, 7)) == 5  # Sat, Mon, Wed, Thu, Fri


def test_explicit_override_beats_provisional_rule() -> None:
    cal = WorkCalendar(overrides={date(2027, 1, 1): DayKind.MAKEUP_WORKDAY}, covered_years=frozenset())
    assert cal.is_workday(date(2027, 1, 1))
    assert not cal.is_workday(date(2027, 10, 1))


def test_provisional_overrides_fixed_dates() -> None:
    assert set(provisional_overrides(2027)) == {
        date(2027, 1, 1),
        date(2027, 5, 1),
        date(2027, 5, 2),
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
    }
    assert set(provisional_overrides(2027).values()) == {DayKind.HOLIDAY}
    assert not CAL.is_workday(date(2027, 10, 1))  # Friday
    assert CAL.is_workday(date(2027, 10, 4))  # Monday: no guessed bridge days


def test_calendar_is_read_only_copy() -> None:
    source = {date(2030, 6, 3): DayKind.LOCAL_HOLIDAY}
    cal = WorkCalendar(overrides=source, covered_years=frozenset({2030}))
    source[date(2030, 6, 4)] = DayKind.LOCAL_HOLIDAY
    assert cal.is_workday(date(2030, 6, 4))
    with pytest.raises(TypeError):
        cal.overrides[date(2030, 6, 5)] = DayKind.HOLIDAY  # type: ignore[index]


# --- seed data ------------------------------------------------------------------------------


def test_covered_years() -> None:
    assert covered_years() == frozenset(range(2004, 2027))


def test_seed_names_and_kinds() -> None:
    seed = from_chinese_calendar(range(2025, 2027))
    assert seed[date(2025, 10, 1)] == (DayKind.HOLIDAY, "国庆节")
    assert seed[date(2025, 10, 6)] == (DayKind.HOLIDAY, "中秋节")
    assert seed[date(2025, 9, 28)] == (DayKind.MAKEUP_WORKDAY, "国庆节调休")
    assert seed[date(2026, 2, 16)] == (DayKind.HOLIDAY, "春节")
    assert seed[date(2025, 4, 4)] == (DayKind.HOLIDAY, "清明节")
    assert seed[date(2025, 5, 2)] == (DayKind.HOLIDAY, "劳动节")
    assert seed[date(2026, 6, 19)] == (DayKind.HOLIDAY, "端午节")
    assert seed[date(2026, 1, 1)] == (DayKind.HOLIDAY, "元旦")
    assert {d.year for d in seed} == {2025, 2026}


def test_seed_only_weekday_holidays_and_weekend_makeups() -> None:
    seed = from_chinese_calendar()
    assert seed
    for day, (kind, name) in seed.items():
        assert name
        if kind is DayKind.HOLIDAY:
            assert day.weekday() < 5, day
        else:
            assert kind is DayKind.MAKEUP_WORKDAY
            assert day.weekday() >= 5, day
            assert name.endswith("调休")


def test_seed_outside_coverage_is_empty() -> None:
    assert from_chinese_calendar(range(2030, 2032)) == {}
