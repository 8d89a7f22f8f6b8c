"""How the yearly report writes numbers: "余" rounding, percentages, 同比, money. Pure functions, no database.

The rules (docs/district-report.md states them for the reader of the report):

* **Counts of cases, disputes, problems, files** are written exactly ("受理矛盾纠纷590件").
* **Turnout-type totals** (人次, 台次, 户次) are written with "余" the way the district report does:
  below 100 exactly; 100–999 floored to tens; 1,000 and above floored to two significant digits
  (4,812 → "4800余", 403 → "400余", 10,432 → "10000余"). "余" means "more than", so it is written only when
  something was cut off: exactly 4,800 is "4800".
* **Percentages** (rates): one decimal, rounded half up (580/590 → "98.3%").
* **同比** (change against the same period of the previous year): (current − previous) / previous × 100,
  cut to a whole percent toward zero, so a change is never overstated (11 against 3 → +266.7 % →
  "同比上升266%", as the district report prints it). Equal → "与上年持平"; previous 0 → no percentage
  ("上年同期为0"); a change under 1 % → "同比上升不足1%".
* **Money**: 10,000 yuan and above in 万元 with one decimal, rounded half up ("144.8万元"); below that in 元
  with the fen only when there are any ("3200元", "85.50元").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


def approx(n: int) -> tuple[int, bool]:
    """(the floored value, whether "余" is due) under the rule above."""
    if n < 0:
        raise ValueError("counts are never negative")
    if n < 100:
        return n, False
    if n < 1000:
        floored = n - n % 10
    else:
        step = 10 ** (len(str(n)) - 2)
        floored = n - n % step
    return floored, floored != n


def approx_text(n: int, unit: str = "") -> str:
    """4812, "人次" → "4800余人次"; 4800 → "4800人次"; 56 → "56人次"."""
    floored, more = approx(n)
    return f"{floored}{'余' if more else ''}{unit}"


def percent_text(rate: float | Decimal) -> str:
    """A rate already rounded to one decimal (services.statistics.yearly.rate_percent) → "98.3%"."""
    return f"{Decimal(str(rate)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True, slots=True)
class Change:
    """Year-on-year change of one figure; ``pct`` is the whole percent written, None when not computable."""

    current: Decimal
    previous: Decimal
    pct: int | None
    direction: str  # 上升 | 下降 | 持平 | 无对比

    @property
    def text(self) -> str:
        if self.direction == "持平":
            return "与上年持平"
        if self.direction == "无对比":
            return "上年同期为0"
        if self.pct == 0:
            return f"同比{self.direction}不足1%"
        return f"同比{self.direction}{self.pct}%"

    def to_json(self) -> dict[str, object]:
        return {"previous": str(self.previous), "pct": self.pct, "direction": self.direction, "text": self.text}


def change(current: int | Decimal | float, previous: int | Decimal | float) -> Change:
    cur, prev = Decimal(str(current)), Decimal(str(previous))
    if cur == prev:
        return Change(cur, prev, 0, "持平")
    if prev == 0:
        return Change(cur, prev, None, "无对比")
    raw = (cur - prev) * 100 / prev
    pct = int(abs(raw).to_integral_value(rounding=ROUND_DOWN))
    return Change(cur, prev, pct, "上升" if raw > 0 else "下降")


def money_text(yuan: Decimal) -> str:
    """144_800_00 fen → "144.8万元"; 3200 → "3200元"; 85.5 → "85.50元"."""
    if yuan >= 10_000:
        wan = (yuan / 10_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{wan}万元"
    q = yuan.quantize(Decimal("0.01"))
    return f"{int(q)}元" if q == q.to_integral_value() else f"{q}元"


NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers_in(text: str) -> list[str]:
    """The numbers a sentence carries, in order (what a reader — or a test — would read off it)."""
    return NUMBER.findall(text)
