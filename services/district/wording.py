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
* **A rate's change** (调解成功率) is the difference of the two rates in 百分点, one decimal, never a percentage
  of a percentage: 95.0 % → 98.3 % is "同比上升3.3个百分点". A year without cases to rate has no rate to compare.
* **Money**: 10,000 yuan and above in 万元 with one decimal, rounded half up ("144.8万元"); below that in 元
  with the fen only when there are any ("3200元", "85.50元").
* **Table cells** carry the exact figure with thousands separators (1,149,451.00; 4,812), rates one decimal.
* **Campaign names** (专项整治) are named as the district report names them: the year and the words 专项 / 行动 /
  工作 / 活动 that the list's closing "等专项整治工作" says anyway are dropped ("2025年秸秆禁烧专项行动" →
  "秸秆禁烧", "餐饮油烟专项治理" → "餐饮油烟治理").
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
    """Year-on-year change of one figure: ``pct`` is the whole percent written (None when not computable or
    for a rate); ``points`` is a rate's change in 百分点 (one decimal), None for every other figure."""

    current: Decimal
    previous: Decimal
    pct: int | None
    direction: str  # 上升 | 下降 | 持平 | 无对比
    points: Decimal | None = None

    @property
    def unit(self) -> str:
        return "个百分点" if self.points is not None else "%"

    @property
    def text(self) -> str:
        if self.direction == "持平":
            return "与上年持平"
        if self.direction == "无对比":
            return "上年同期无可比数据" if self.points is not None else "上年同期为0"
        if self.points is not None:
            return f"同比{self.direction}{self.points}个百分点"
        if self.pct == 0:
            return f"同比{self.direction}不足1%"
        return f"同比{self.direction}{self.pct}%"

    def to_json(self) -> dict[str, object]:
        return {"previous": str(self.previous), "pct": self.pct, "direction": self.direction, "text": self.text,
                "points": None if self.points is None else str(self.points)}


def change(current: int | Decimal | float, previous: int | Decimal | float | None, *, rate: bool = False) -> Change:
    """同比 of a figure; with ``rate`` the figures are percentages and the change is their difference in 百分点.

    ``previous`` None: nothing to compare with (a rate whose previous year had nothing to rate).
    """
    cur = Decimal(str(current))
    if rate:
        if previous is None:
            return Change(cur, Decimal(0), None, "无对比", Decimal(0))
        prev = Decimal(str(previous))
        diff = (cur - prev).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if diff == 0:
            return Change(cur, prev, None, "持平", Decimal("0.0"))
        return Change(cur, prev, None, "上升" if diff > 0 else "下降", abs(diff))
    prev = Decimal(str(previous or 0))
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


def grouped(v: int | Decimal | float) -> str:
    """A table cell: 4812 → "4,812"; Decimal("1149451") → "1,149,451.00"; a rate 98.3 → "98.3"."""
    if isinstance(v, Decimal):
        return f"{v:,.2f}"
    if isinstance(v, float):
        return f"{Decimal(str(v)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"
    return f"{v:,}"


_CAMPAIGN_YEAR = re.compile(r"^\d{4}年度?")
_CAMPAIGN_TAIL = ("专项行动", "专项工作", "行动", "工作", "活动")


def campaign_name(name: str) -> str:
    """A campaign as the report names it: "2025年秸秆禁烧专项行动" → "秸秆禁烧"; "露天烧烤专项整治" → "露天烧烤整治"."""
    out = _CAMPAIGN_YEAR.sub("", name.strip())
    while True:
        tail = next((t for t in _CAMPAIGN_TAIL if out.endswith(t) and len(out) > len(t)), None)
        if tail is None:
            break
        out = out[: -len(tail)]
    return out.replace("专项", "") or name.strip()


def campaigns_text(names: list[str]) -> str:
    """The seed's "集中开展国道213线扬尘整治、校园周边食品安全整治、夜间市容市貌集中管理等专项整治工作".

    ``names`` are already shortened and distinct, most important first. One campaign alone is not followed by
    "等": its own name carries "专项整治工作" ("集中开展国道213线扬尘专项整治工作").
    """
    if not names:
        return ""
    if len(names) == 1:
        one = names[0]
        for tail in ("整治", "治理"):
            if one.endswith(tail) and len(one) > len(tail):
                one = one[: -len(tail)]
                break
        return f"集中开展{one}专项整治工作"
    return f"集中开展{'、'.join(names)}等专项整治工作"


def short_place(name: str) -> str:
    """"乐山市五通桥区" → "五通桥" (as in 平安五通桥建设); a township keeps its whole name ("竹根镇")."""
    cut = name.find("市", 1)  # the prefecture before it: 乐山市五通桥区, 乐山市市中区
    tail = name[cut + 1:] if 0 < cut < len(name) - 1 else name
    if tail.endswith(("区", "县")) and len(tail) > 2:
        return tail[:-1]
    return tail


def place_word(name: str) -> str:
    """The one character a report calls its own area by: 区 (全区, 我区), 县, 市, 镇, 乡 or 街道."""
    if name.endswith("街道"):
        return "街道"
    return name[-1] if name and name[-1] in "区县市旗镇乡" else "区"


NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def numbers_in(text: str) -> list[str]:
    """The numbers a sentence carries, in order (what a reader — or a test — would read off it)."""
    return NUMBER.findall(text)
