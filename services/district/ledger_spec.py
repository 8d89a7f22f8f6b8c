"""Excel ledgers (台账) for townships not yet on EnforceDesk: the columns of each kind and the template file.

One declaration per column (Chinese header, type, required, list of allowed values, explanation) drives the
template (headers, a sheet explaining each column, data-validation lists, the cell format) and the import's row
checks, so the two cannot drift apart. Text columns — the record numbers above all — are formatted as text
("@") in the template: Excel and WPS otherwise read "001" as the number 1, "2025-3-1" as a date and a long
number as 5.11E+17 (digits after the fifteenth lost), and the import refuses such a cell rather than store it. Lists of domains and dispute types come from the shipped catalogue
(resources/catalogue/powers.json), the same lists the townships' own databases are seeded with.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cache

from models import column_rules as rules
from services.core.paths import resource_path

KINDS = ("inspections", "cases", "mediations")
MAX_ROWS = 5000  # validation ranges and the import's row limit: a township's year fits many times over
TEXT_FORMAT = "@"  # Excel's 文本 cell format: what is typed is kept as typed
DATE_FORMAT = "yyyy-mm-dd"

INSPECTION_RESULTS = {"合格": "passed", "当场整改": "rectified_on_spot", "责令限期整改": "ordered", "立案": "case_opened",
                      "移送": "transferred"}
PROCEDURES = {"普通程序": "general", "简易程序": "summary"}
YES_NO = {"是": True, "否": False}
MEDIATION_RESULTS = ("调解中", "调解成功", "调解不成功", "终止调解")
AGREEMENT_FORMS = {"书面": "written", "口头": "oral"}


@cache
def _catalogue() -> dict[str, object]:
    return json.loads(resource_path("catalogue", "powers.json").read_text(encoding="utf-8"))


def domains() -> tuple[str, ...]:
    items = _catalogue()["items"]
    assert isinstance(items, list)
    return tuple(sorted({str(i["domain"]) for i in items}))


def dispute_types() -> tuple[str, ...]:
    cats = _catalogue()["dispute_categories"]
    assert isinstance(cats, list)
    return tuple(str(c[1]) for c in cats)


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # internal; a record's own column name where the cell is one (officer_turnout, vehicle_turnout …)
    header: str
    kind: str  # text | date | int | money | choice
    required: bool
    help: str
    choices: tuple[str, ...] = ()
    key_column: bool = False  # the natural key: with the township and the sheet it makes the record's uid
    stored: str = ""  # "table.column" the value is stored in: its rule (models/column_rules.py) checks the cell

    @property
    def identifier(self) -> bool:
        """A number the clerk copies from a register: only text will do (no number, no date, no float)."""
        return self.key_column


@dataclass(frozen=True, slots=True)
class LedgerKind:
    name: str
    title: str  # sheet name
    columns: tuple[Column, ...]

    @property
    def key(self) -> Column:
        return next(c for c in self.columns if c.key_column)


def ledger_kind(name: str) -> LedgerKind:
    if name == "inspections":
        return LedgerKind(name, "巡查检查台账", (
            Column("number", "检查编号", "text", True, "本乡镇自编的唯一编号，如“2025-检-001”；再次导入时据此识别同一条记录", key_column=True),
            Column("on", "检查日期", "date", True, "格式 2025-03-08", stored="inspection.inspected_on"),
            Column("place", "检查地点", "text", True, "街道、门牌或经营户名称"),
            Column("domain", "执法领域", "choice", True, "从下拉列表选择", domains()),
            Column("result", "检查结果", "choice", True, "从下拉列表选择", tuple(INSPECTION_RESULTS)),
            Column("officer_turnout", "出动执法人员（人次）", "int", True, "本次检查出动的执法人员人次，至少 2", stored="inspection.officer_turnout"),
            Column("vehicle_turnout", "动用执法车辆（台次）", "int", False, "没有用车填 0 或留空", stored="inspection.vehicle_turnout"),
            Column("businesses_inspected", "检查经营户（户次）", "int", False, "留空按 1 户次计", stored="inspection.businesses_inspected"),
            Column("problems", "发现问题（个）", "int", False, "留空按 0 计", stored="inspection_item.position"),
            Column("rectified", "已整改问题（个）", "int", False, "不得多于发现问题数", stored="inspection_item.position"),
            Column("rectified_on", "整改完成日期", "date", False, "有已整改问题时必填", stored="inspection_item.rectified_on"),
            Column("findings", "检查情况", "text", False, "简要记录"),
        ))
    if name == "cases":
        return LedgerKind(name, "行政处罚案件台账", (
            Column("number", "立案编号", "text", True, "立案审批表上的编号；再次导入时据此识别同一案件", key_column=True),
            Column("filed_on", "立案日期", "date", True, "格式 2025-03-08；简易程序填作出决定的日期", stored="penalty_case.filed_on"),
            Column("cause", "案由", "text", True, "如“占道经营”"),
            Column("domain", "执法领域", "choice", True, "从下拉列表选择", domains()),
            Column("procedure", "程序", "choice", True, "从下拉列表选择", tuple(PROCEDURES)),
            Column("party", "当事人", "text", False, "单位名称或个人姓名（不填身份证号）"),
            Column("decided_on", "决定日期", "date", False, "作出处罚或不予处罚决定的日期", stored="penalty_case.decision_date"),
            Column("fine", "罚款金额（元）", "money", False, "无罚款填 0 或留空", stored="penalty_case.fine_amount"),
            Column("no_penalty", "不予处罚", "choice", False, "作出不予行政处罚决定的填“是”", tuple(YES_NO)),
            Column("hearing_on", "听证日期", "date", False, "举行听证的日期", stored="penalty_case.hearing_held_on"),
            Column("review_on", "法制审核日期", "date", False, "重大执法决定法制审核通过的日期", stored="penalty_case.legal_review_passed_on"),
            Column("disclosed_on", "公示日期", "date", False, "处罚决定公示的日期", stored="penalty_case.disclosed_on"),
            Column("closed_on", "结案日期", "date", False, "结案审批的日期；未结案留空", stored="penalty_case.closed_on"),
        ))
    if name == "mediations":
        return LedgerKind(name, "人民调解台账", (
            Column("number", "调解编号", "text", True, "调解登记编号；再次导入时据此识别同一纠纷", key_column=True),
            Column("applied_on", "申请日期", "date", True, "当事人申请或主动排查发现的日期", stored="mediation_case.applied_on"),
            Column("accepted_on", "受理日期", "date", False, "留空按申请日期计", stored="mediation_case.accepted_on"),
            Column("category", "纠纷类型", "choice", True, "从下拉列表选择", dispute_types()),
            Column("result", "调解结果", "choice", True, "从下拉列表选择", MEDIATION_RESULTS),
            Column("ended_on", "结束日期", "date", False, "调解成功、不成功或终止的日期；调解中留空", stored="mediation_case.ended_on"),
            Column("form", "协议形式", "choice", False, "调解成功时必填", tuple(AGREEMENT_FORMS)),
            Column("amount", "涉及金额（元）", "money", False, "可留空", stored="mediation_case.amount_involved"),
            Column("confirmed", "司法确认", "choice", False, "人民法院裁定协议有效的填“是”", tuple(YES_NO)),
            Column("confirmed_on", "司法确认日期", "date", False, "司法确认为“是”时必填", stored="mediation_case.confirmation_decided_on"),
            Column("summary", "纠纷简要情况", "text", False, "不写当事人身份证号、电话"),
        ))
    raise KeyError(name)


def write_template(name: str) -> bytes:
    """The .xlsx template: data sheet (headers, validations), 填写说明, and the hidden 选项 sheet for long lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = ledger_kind(name)
    wb = Workbook()
    ws = wb.worksheets[0]  # a new workbook has one sheet (typed: .active may also be a chart sheet or None)
    ws.title = kind.title
    ws.append([c.header + ("*" if c.required else "") for c in kind.columns])
    ws.freeze_panes = "A2"
    options = wb.create_sheet("选项")
    options.sheet_state = "hidden"
    opt_col = 0
    for i, c in enumerate(kind.columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(1, i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7" if c.required else "F2F2F2")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        # A record number may be a long register number: room for 20 digits without widening by hand.
        ws.column_dimensions[letter].width = 22 if c.identifier else max(12, min(28, len(c.header) * 2 + 4))
        area = f"{letter}2:{letter}{MAX_ROWS + 1}"
        dv: DataValidation | None = None
        if c.kind == "choice":
            # A list longer than Excel's 255-character inline limit must live in cells: all lists do, uniformly.
            opt_col += 1
            ol = get_column_letter(opt_col)
            for r, choice in enumerate(c.choices, start=1):
                options.cell(r, opt_col, choice)
            dv = DataValidation(type="list", formula1=f"'选项'!${ol}$1:${ol}${len(c.choices)}", allow_blank=not c.required)
            dv.error = f"“{c.header}”请从下拉列表中选择"
        elif c.kind == "date":
            floor = rules.date_range(*c.stored.split(".")).floor if c.stored else rules.DATE_FLOOR
            dv = DataValidation(type="date", operator="between",
                                formula1=f"DATE({floor.year},{floor.month},{floor.day})", formula2="DATE(2100,12,31)",
                                allow_blank=not c.required)
            dv.error = f"“{c.header}”应为日期，如 2025-03-08"
            # A column style, not pre-formatted cells: empty rows stay empty (appending tools start at row 2).
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        elif c.kind == "text":
            # 文本 for the whole column: "001" stays 001, "2025-3-1" is not turned into a date, and an 18-digit
            # number keeps its digits (as a number Excel keeps 15 and shows 5.11E+17).
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        elif c.kind in ("int", "money"):
            # The stored column's rule (models/column_rules.py): the same bounds the import checks.
            top = (rules.MONEY_MAX_YUAN if c.kind == "money"
                   else rules.int_range(*c.stored.split(".")).hi if c.stored else rules.INT_MAX)
            dv = DataValidation(type="whole" if c.kind == "int" else "decimal", operator="between",
                                formula1="0", formula2=str(top), allow_blank=not c.required)
            dv.error = f"“{c.header}”应为 0 至 {top} 的{'整数' if c.kind == 'int' else '数字'}"
        if dv is not None:
            dv.showErrorMessage = True
            dv.add(area)
            ws.add_data_validation(dv)
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列名", "必填", "格式", "说明", "可选值"])
    for c in help_ws[1]:
        c.font = Font(bold=True)
    fmt = {"text": "文本（单元格已设为文本格式）", "date": "日期", "int": "整数", "money": "金额（元，可带两位小数）",
           "choice": "下拉选择"}
    for c in kind.columns:
        help_ws.append([c.header, "是" if c.required else "否", fmt[c.kind], c.help, "、".join(c.choices)])
    help_ws.append([])
    help_ws.append(["说明", "", "", f"第一行为表头，请勿改动；数据从第二行起填写，每行一条，最多 {MAX_ROWS} 行。"
                    "带 * 的列必填。同一文件可以修改后重复导入：按编号识别，不会重复。编号等文本列已设为文本格式，"
                    "从别处粘贴时请用“选择性粘贴—数值”或“匹配目标格式”，以免编号变成数字或日期（导入时会拒收这样的行）。"])
    for letter, width in zip("ABCDE", (22, 6, 18, 60, 60), strict=True):
        help_ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
