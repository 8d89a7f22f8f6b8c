"""Time source for services: Asia/Shanghai, injectable so tests and demo data control 'today'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from models.tz import SHANGHAI


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(SHANGHAI)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock:
    """A settable clock for tests and for generating historical demo data."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.astimezone(SHANGHAI).date()

    def set_date(self, day: date, hour: int = 10) -> None:
        self.current = datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
