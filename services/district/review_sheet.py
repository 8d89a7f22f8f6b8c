"""The case-file scoring sheet (案卷评查评分表) of docs/legal-basis.md §7, and how a sheet becomes a score and a grade.

Veto items make a file 不合格卷 whatever its points. Form items total 20 points, content items 80; a defect
deducts points from its item until the item's points run out (never below zero). The grade thresholds are
local [L] — the common practice is 优秀 ≥ 90, 良好 ≥ 75, 合格 ≥ 60 — and kept in one table here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from models.enums import SheetPart


@dataclass(frozen=True, slots=True)
class SheetItem:
    code: str
    part: SheetPart
    title: str
    points: int  # 0 for veto items


VETO_ITEMS = (
    SheetItem("V01", SheetPart.VETO, "执法主体不合法或超越职权", 0),
    SheetItem("V02", SheetPart.VETO, "执法人员不具备执法资格", 0),
    SheetItem("V03", SheetPart.VETO, "执法人员少于二人", 0),
    SheetItem("V04", SheetPart.VETO, "当事人认定错误", 0),
    SheetItem("V05", SheetPart.VETO, "违法事实不清", 0),
    SheetItem("V06", SheetPart.VETO, "证据不足或证据虚假", 0),
    SheetItem("V07", SheetPart.VETO, "定性错误", 0),
    SheetItem("V08", SheetPart.VETO, "适用依据错误、失效或不具体", 0),
    SheetItem("V09", SheetPart.VETO, "违反法定程序", 0),
    SheetItem("V10", SheetPart.VETO, "超过追责时效", 0),
    SheetItem("V11", SheetPart.VETO, "应当移送而未移送", 0),
)
FORM_ITEMS = (
    SheetItem("F1", SheetPart.FORM, "使用统一文书格式", 2),
    SheetItem("F2", SheetPart.FORM, "文书填写完整", 4),
    SheetItem("F3", SheetPart.FORM, "一案一卷", 2),
    SheetItem("F4", SheetPart.FORM, "统一卷宗封面", 1),
    SheetItem("F5", SheetPart.FORM, "卷内目录及页码对应准确", 2),
    SheetItem("F6", SheetPart.FORM, "文书按程序顺序排列", 1),
    SheetItem("F7", SheetPart.FORM, "页码编写规范", 2),
    SheetItem("F8", SheetPart.FORM, "装订、书写、用印规范", 6),
)
CONTENT_ITEMS = (
    SheetItem("C01", SheetPart.CONTENT, "立案", 6),
    SheetItem("C02", SheetPart.CONTENT, "调查取证", 12),
    SheetItem("C03", SheetPart.CONTENT, "先行登记保存、查封扣押", 6),
    SheetItem("C04", SheetPart.CONTENT, "调查终结报告", 4),
    SheetItem("C05", SheetPart.CONTENT, "事先告知、陈述申辩与听证", 8),
    SheetItem("C06", SheetPart.CONTENT, "法制审核与集体讨论", 6),
    SheetItem("C07", SheetPart.CONTENT, "决定书内容与说理", 10),
    SheetItem("C08", SheetPart.CONTENT, "裁量说明", 6),
    SheetItem("C09", SheetPart.CONTENT, "送达", 5),
    SheetItem("C10", SheetPart.CONTENT, "执行（罚缴分离、票据、加处罚款）", 6),
    SheetItem("C11", SheetPart.CONTENT, "办案期限与结案", 4),
    SheetItem("C12", SheetPart.CONTENT, "立卷归档", 3),
    SheetItem("C13", SheetPart.CONTENT, "公示", 4),
)
ITEMS: dict[str, SheetItem] = {i.code: i for i in (*VETO_ITEMS, *FORM_ITEMS, *CONTENT_ITEMS)}
FORM_TOTAL = sum(i.points for i in FORM_ITEMS)
CONTENT_TOTAL = sum(i.points for i in CONTENT_ITEMS)
assert FORM_TOTAL == 20 and CONTENT_TOTAL == 80, "docs/legal-basis.md §7: form 20 points, content 80 points"

GRADES: tuple[tuple[int, str], ...] = ((90, "优秀"), (75, "良好"), (60, "合格"))  # [L]
FAIL = "不合格"


@dataclass(frozen=True, slots=True)
class Score:
    form: int
    content: int
    total: int
    veto: bool
    grade: str
    deductions: dict[str, int]  # item code → points actually deducted (capped at the item's points)


def score(deductions: Iterable[tuple[str, int]], vetoes: Iterable[str] = ()) -> Score:
    """Sum the deductions per item (capped), then grade; any veto item makes the file 不合格."""
    per_item: dict[str, int] = {}
    for code, points in deductions:
        item = ITEMS.get(code)
        if item is None:
            raise KeyError(code)
        if item.part is SheetPart.VETO:
            continue
        per_item[code] = min(item.points, per_item.get(code, 0) + max(0, int(points)))
    veto_codes = [c for c in vetoes if c in ITEMS and ITEMS[c].part is SheetPart.VETO]
    form = FORM_TOTAL - sum(v for c, v in per_item.items() if ITEMS[c].part is SheetPart.FORM)
    content = CONTENT_TOTAL - sum(v for c, v in per_item.items() if ITEMS[c].part is SheetPart.CONTENT)
    total = form + content
    grade = FAIL if veto_codes else next((g for floor, g in GRADES if total >= floor), FAIL)
    return Score(form, content, total, bool(veto_codes), grade, per_item)


def sheet_rows(deductions: Mapping[str, int], vetoes: Iterable[str] = ()) -> list[tuple[str, str, str, str]]:
    """The printed sheet: (code, item, points, deducted or ✗) for every item, veto items first."""
    veto_set = set(vetoes)
    rows = [(i.code, i.title, "否决项", "✗" if i.code in veto_set else "") for i in VETO_ITEMS]
    rows += [(i.code, i.title, str(i.points), str(deductions.get(i.code, "")) if deductions.get(i.code) else "")
             for i in (*FORM_ITEMS, *CONTENT_ITEMS)]
    return rows
