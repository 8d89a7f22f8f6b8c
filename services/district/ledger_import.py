"""Import an Excel ledger (台账) into the district database: bad rows listed, good rows imported, no duplicates.

Every row's uid is derived (UUID 5) from the township's uid, the ledger kind and the row's natural key (检查编号,
立案编号, 调解编号), so importing the same file again finds its own records: identical rows are left alone,
edited rows are updated (a new version, audited like any edit). One transaction per file: a file is imported
with all its good rows or not at all. A file that cannot be read as the ledger (not .xlsx, no sheet with the
template's headers) is refused as a whole (exit code 3); bad rows make exit code 1.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import column_rules as rules
from models.base import SHANGHAI
from models.case import PenaltyCase
from models.enums import (
    AgreementForm,
    CaseStatus,
    InspectionResult,
    ItemResult,
    MediationStatus,
    NoPenaltyGround,
    Procedure,
)
from models.inspection import Inspection, InspectionItem
from models.mediation import DisputeCategory, MediationCase, MediationCommittee
from models.org import Township
from services.core.errors import AppError, ValidationError
from services.core.uow import UnitOfWork
from services.district.closing import record_amendments
from services.district.common import own_township_uid
from services.district.ledger_spec import (
    AGREEMENT_FORMS,
    INSPECTION_RESULTS,
    KINDS,
    MAX_ROWS,
    PROCEDURES,
    YES_NO,
    Column,
    LedgerKind,
    ledger_kind,
)

LEDGER_NS = uuid.UUID("6f1d3c2e-5b7a-4e0c-9a51-3d8e2b7c4a10")  # fixed forever: changing it duplicates records


class LedgerUnusable(AppError):
    exit_code = 3


class RowError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class BadRow:
    row: int  # Excel row number, as the clerk sees it
    reason: str


@dataclass
class LedgerReport:
    kind: str
    township: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)
    created_township: bool = False
    amendments: int = 0


def ledger_uid(township_uid: str, kind: str, key: str) -> str:
    return str(uuid.uuid5(LEDGER_NS, f"{township_uid}|{kind}|{key}"))


def _cell(col: Column, v: Any, today: date) -> Any:
    """A cell's value checked against its column and the rule of the stored column it fills (models/column_rules.py,
    the rule bundles are checked against too); raises RowError with a Chinese reason."""
    value = _parsed(col, v)
    if value is None or not col.stored:
        return value
    table, name = col.stored.split(".")
    if col.kind == "date":
        problem = rules.date_problem(value, rules.date_range(table, name), today)
    elif col.kind == "int":
        rng = rules.int_range(table, name)
        problem = None if rng.lo <= value <= rng.hi else f"不在允许范围内（{rng.lo}–{rng.hi}）"
    else:
        problem = None
    if problem:
        raise RowError(f"“{col.header}”{problem}，实为“{v}”")
    return value


def _parsed(col: Column, v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip()
    if v is None or v == "":
        if col.required:
            raise RowError(f"“{col.header}”未填写")
        return None
    if col.kind == "text":
        return _text(col, v)[:40 if col.key_column else 200]
    if col.kind == "date":
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, date):
            return v
        text = str(v).replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
        try:
            y, m, d = (int(p) for p in text.split("-"))
            return date(y, m, d)
        except ValueError:
            raise RowError(f"“{col.header}”应为日期（如 2025-03-08），实为“{v}”") from None
    if col.kind == "int":
        try:
            n = Decimal(str(v))
        except InvalidOperation:
            raise RowError(f"“{col.header}”应为整数，实为“{v}”") from None
        # Bounded before int(): "1e999999999" would otherwise be a billion-digit integer.
        if not n.is_finite() or n != n.to_integral_value() or n < 0 or n > rules.BIGINT_MAX:
            raise RowError(f"“{col.header}”应为不小于 0 的整数，实为“{v}”")
        return int(n)
    if col.kind == "money":
        try:
            amount = Decimal(str(v))
        except InvalidOperation:
            raise RowError(f"“{col.header}”应为金额，实为“{v}”") from None
        problem = rules.money_problem(amount)  # bounded before quantize(), which fails on huge exponents
        if problem:
            raise RowError(f"“{col.header}”{problem}，实为“{v}”")
        return amount.quantize(Decimal("0.01"))
    if str(v) not in col.choices:
        raise RowError(f"“{col.header}”的“{v}”不在可选值中（{'、'.join(col.choices[:8])}…）")
    return str(v)


TEXT_HINT = "请把该列设为文本格式后照原样重新输入"
MAX_EXACT = 10**15  # Excel keeps 15 significant digits: a longer number has already lost its last ones


def _text(col: Column, v: Any) -> str:
    """A text cell as typed, or RowError when Excel has turned it into something else.

    The template formats these columns as text; a cell that arrives as a date, a time or a number was typed
    or pasted before that (or in another file). Storing it would store the mangled value: "001" as "1", a
    18-digit number with its last digits zeroed, "2025-3-1" as a date. A record number must arrive as typed;
    other text only loses nothing when it is a whole number Excel could hold exactly.
    """
    if isinstance(v, str):
        return v
    if isinstance(v, (datetime, date, time)):
        shown = v.strftime("%Y-%m-%d") if isinstance(v, (datetime, date)) else v.strftime("%H:%M")
        raise RowError(f"“{col.header}”被 Excel 识别成了日期或时间（{shown}），原来输入的内容已无法确定：{TEXT_HINT}")
    if isinstance(v, bool):
        raise RowError(f"“{col.header}”被 Excel 识别成了逻辑值（{'TRUE' if v else 'FALSE'}）：{TEXT_HINT}")
    if isinstance(v, float) and not v.is_integer():
        raise RowError(f"“{col.header}”被 Excel 识别成了小数（{v:g}），末尾的 0 或位数可能已丢失：{TEXT_HINT}")
    if isinstance(v, (int, float)):
        n = int(v)
        if abs(n) >= MAX_EXACT:
            raise RowError(f"“{col.header}”被 Excel 存成了数字（{v:.6G}），15 位以后的数字已丢失：{TEXT_HINT}")
        if col.identifier:
            raise RowError(f"“{col.header}”被 Excel 存成了数字 {n}，开头的 0 等可能已丢失（模板中此列为文本）：{TEXT_HINT}")
        return str(n)
    return str(v)


TEMPLATE_HINT = "请使用“数据导入 → 生成空白模板…”（命令行 template）得到的模板填写"


def _unreadable(path: Path, exc: Exception) -> LedgerUnusable:
    """Why a file cannot be opened as a workbook, in the clerk's words (the library's exception class names
    nothing a clerk can act on): no right to read it, gone, or not an Excel workbook at all."""
    if isinstance(exc, PermissionError):
        return LedgerUnusable(f"无法读取 {path.name}：没有读取该文件的权限（文件可能正在 Excel 中打开，关闭后重试）")
    if isinstance(exc, FileNotFoundError | IsADirectoryError):
        return LedgerUnusable(f"无法读取 {path.name}：文件不存在或不是文件")
    return LedgerUnusable(f"无法读取 {path.name}：不是 Excel 工作簿（.xlsx）。旧版 .xls、WPS 表格等格式请先在 Excel 或 WPS 中"
                          f"“另存为”Excel 工作簿（.xlsx）再导入；{TEMPLATE_HINT}")


def _read(path: Path, kind: LedgerKind, today: date) -> list[tuple[int, dict[str, Any] | str]]:
    """(row number, values or a reason) for every non-empty data row."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, xml, key errors) for a file it cannot read
        raise _unreadable(path, exc) from exc
    try:
        sheets = [wb[kind.title]] if kind.title in wb.sheetnames else list(wb.worksheets)
        for ws in sheets:
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            names = [str(h or "").strip().rstrip("*").strip() for h in header]
            index = {c.key: names.index(c.header) for c in kind.columns if c.header in names}
            missing = [c.header for c in kind.columns if c.required and c.key not in index]
            if missing and ws.title != kind.title:
                continue
            if missing:
                raise LedgerUnusable(f"“{kind.title}”缺少必填列：{'、'.join(missing)}（{TEMPLATE_HINT}）")
            out: list[tuple[int, dict[str, Any] | str]] = []
            for n, raw in enumerate(rows, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
                    continue
                if len(out) >= MAX_ROWS:
                    raise LedgerUnusable(f"数据超过 {MAX_ROWS} 行：请分成多个文件导入")
                try:
                    out.append((n, {c.key: _cell(c, raw[index[c.key]] if c.key in index and index[c.key] < len(raw)
                                                 else None, today) for c in kind.columns}))
                except RowError as exc:
                    out.append((n, str(exc)))
            return out
        raise LedgerUnusable(f"{path.name} 中没有“{kind.title}”（表头与模板不符）：{TEMPLATE_HINT}")
    finally:
        wb.close()


def detect_kind(path: Path) -> str:
    """Which ledger a file is, by its sheet names (the template's) or, failing that, by its first row's headers."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # see _read
        raise _unreadable(path, exc) from exc
    try:
        kinds = [ledger_kind(k) for k in KINDS]
        for k in kinds:
            if k.title in wb.sheetnames:
                return k.name
        for ws in wb.worksheets:
            first = next(ws.iter_rows(values_only=True, max_row=1), ())
            names = {str(h or "").strip().rstrip("*").strip() for h in first}
            for k in kinds:
                if all(c.header in names for c in k.columns if c.required):
                    return k.name
    finally:
        wb.close()
    raise LedgerUnusable(f"{path.name} 不是巡查检查、行政处罚案件或人民调解台账（{TEMPLATE_HINT}）")


def import_ledger(uow: UnitOfWork, kind_name: str | None, township: str, path: Path) -> LedgerReport:
    """Import ``path`` (kind detected from the file when ``kind_name`` is None) for ``township``."""
    if not path.is_file():
        raise LedgerUnusable(f"文件不存在：{path}")
    try:
        kind = ledger_kind(kind_name or detect_kind(path))
    except KeyError:
        raise ValidationError(f"台账种类应为 inspections、cases 或 mediations，实为 {kind_name}") from None
    rows = _read(path, kind, uow.clock.today())
    if not rows:
        raise LedgerUnusable(f"{path.name} 的“{kind.title}”中没有数据行")
    rep = LedgerReport(kind.name, township.strip(), rows=len(rows))
    with uow:
        s = uow.session
        town, rep.created_township = _township(s, township.strip())
        writer = _WRITERS[kind.name](s, town, uow)
        seen: dict[str, int] = {}
        with uow.action(f"ledger.import_{kind.name}"):
            for n, values in rows:
                if isinstance(values, str):
                    rep.bad.append(BadRow(n, values))
                    continue
                key = values["number"]
                if key in seen:
                    rep.bad.append(BadRow(n, f"编号“{key}”与第{seen[key]}行重复"))
                    continue
                seen[key] = n
                try:
                    outcome = writer.put(ledger_uid(town.uid, kind.name, key), values)
                except RowError as exc:
                    rep.bad.append(BadRow(n, str(exc)))
                    continue
                setattr(rep, outcome, getattr(rep, outcome) + 1)
            s.flush()
        uow.commit()
    rep.amendments = record_amendments(uow, f"台账补报：{path.name}")
    return rep


def _township(s: Session, name: str) -> tuple[Township, bool]:
    """The township by name; a township not yet on EnforceDesk is created here (its first records are Excel)."""
    if not name:
        raise ValidationError("请用 --township 指定乡镇名称", field="township")
    hits = list(s.scalars(select(Township).where(Township.name == name, Township.deleted_at.is_(None))))
    if len(hits) > 1:
        raise ValidationError(f"有 {len(hits)} 个乡镇都叫“{name}”", field="township")
    if hits:
        if hits[0].uid == own_township_uid(s):
            raise ValidationError("不能把台账导入区级本身（请指定乡镇名称）", field="township")
        return hits[0], False
    own = s.scalar(select(Township).where(Township.uid == own_township_uid(s)))
    t = Township(name=name, district_name=own.district_name if own else "", agency_name=f"{name}人民政府",
                 doc_prefix=f"{name[:1]}综执")
    s.add(t)
    s.flush()
    return t, True


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=SHANGHAI)


class _Writer:
    def __init__(self, s: Session, town: Township, uow: UnitOfWork) -> None:
        self.s, self.town, self.now = s, town, uow.clock.now()

    def upsert(self, model: Any, uid: str, fields: dict[str, Any]) -> tuple[Any, str]:
        obj = self.s.scalar(select(model).where(model.uid == uid))
        if obj is None:
            obj = model(uid=uid, township_id=self.town.id, **fields)
            self.s.add(obj)
            self.s.flush()
            return obj, "new"
        changed = {k: v for k, v in fields.items() if getattr(obj, k) != v}
        if obj.deleted_at is not None:
            changed["deleted_at"] = None
        for k, v in changed.items():
            setattr(obj, k, v)
        return obj, "updated" if changed else "unchanged"

    def put(self, uid: str, v: dict[str, Any]) -> str:
        raise NotImplementedError


class _Inspections(_Writer):
    def put(self, uid: str, v: dict[str, Any]) -> str:
        problems, fixed = v["problems"] or 0, v["rectified"] or 0
        if v["officer_turnout"] < 2:
            raise RowError("出动执法人员不得少于 2 人次（处罚法第四十二条）")
        if fixed > problems:
            raise RowError(f"已整改问题（{fixed}）多于发现问题（{problems}）")
        if fixed and v["rectified_on"] is None:
            raise RowError("有已整改问题时须填写整改完成日期")
        if v["rectified_on"] is not None and v["rectified_on"] < v["on"]:
            raise RowError("整改完成日期早于检查日期")
        fields = dict(number=v["number"], started_at=_at(v["on"], 9), ended_at=_at(v["on"], 10), inspected_on=v["on"],
                      place=v["place"], domain=v["domain"], result=InspectionResult(INSPECTION_RESULTS[v["result"]]),
                      officer_turnout=v["officer_turnout"], vehicle_turnout=v["vehicle_turnout"] or 0,
                      businesses_inspected=1 if v["businesses_inspected"] is None else v["businesses_inspected"],
                      findings=v["findings"] or "")
        insp, outcome = self.upsert(Inspection, uid, fields)
        items = {i.uid: i for i in self.s.scalars(select(InspectionItem).where(InspectionItem.inspection_id == insp.id))}
        for k in range(max(problems, len(items))):
            item_uid = str(uuid.uuid5(LEDGER_NS, f"{uid}|item|{k}"))
            want = dict(position=k, text=f"台账问题{k + 1}", result=ItemResult.PROBLEM,
                        rectified_on=v["rectified_on"] if k < fixed else None)
            item = items.get(item_uid)
            if k >= problems:
                if item is not None and item.deleted_at is None:
                    item.deleted_at, outcome = self.now, "updated" if outcome == "unchanged" else outcome
                continue
            if item is None:
                self.s.add(InspectionItem(uid=item_uid, inspection_id=insp.id, **want))
                outcome = "updated" if outcome == "unchanged" else outcome
            elif any(getattr(item, a) != b for a, b in want.items()) or item.deleted_at is not None:
                for a, b in want.items():
                    setattr(item, a, b)
                item.deleted_at = None
                outcome = "updated" if outcome == "unchanged" else outcome
        return outcome


class _Cases(_Writer):
    def put(self, uid: str, v: dict[str, Any]) -> str:
        filed, decided, closed = v["filed_on"], v["decided_on"], v["closed_on"]
        for day, name in ((decided, "决定日期"), (closed, "结案日期"), (v["disclosed_on"], "公示日期")):
            if day is not None and day < filed:
                raise RowError(f"{name}早于立案日期")
        if closed is not None and decided is None:
            raise RowError("已结案的案件须填写决定日期")
        procedure = Procedure(PROCEDURES[v["procedure"]])
        no_penalty = bool(v["no_penalty"] and YES_NO[v["no_penalty"]])
        fine = v["fine"] if v["fine"] else None
        if no_penalty and fine:
            raise RowError("不予处罚的案件不能有罚款金额")
        if closed is not None:
            status = CaseStatus.CLOSED
        elif decided is not None:
            status = CaseStatus.NO_PENALTY if no_penalty else (
                CaseStatus.SUMMARY_DECIDED if procedure is Procedure.SUMMARY else CaseStatus.DECIDED)
        else:
            status = CaseStatus.INVESTIGATING
        fields = dict(number=v["number"], procedure=procedure, status=status, cause=v["cause"], domain=v["domain"],
                      facts=f"当事人：{v['party']}" if v["party"] else "", registered_on=filed, filed_on=filed,
                      decision_date=decided, fine_amount=None if no_penalty else fine,
                      # The ledger does not say which art.33 ground: recorded as the commonest, 轻微并及时改正.
                      no_penalty_ground=NoPenaltyGround.MINOR_CORRECTED if no_penalty else None,
                      hearing_held_on=v["hearing_on"], legal_review_passed_on=v["review_on"],
                      disclosed_on=v["disclosed_on"], closed_on=closed)
        return self.upsert(PenaltyCase, uid, fields)[1]


class _Mediations(_Writer):
    def __init__(self, s: Session, town: Township, uow: UnitOfWork) -> None:
        super().__init__(s, town, uow)
        self.categories = dict(s.execute(select(DisputeCategory.name, DisputeCategory.id)).all())
        c_uid = str(uuid.uuid5(LEDGER_NS, f"{town.uid}|committee"))
        committee = s.scalar(select(MediationCommittee).where(MediationCommittee.uid == c_uid))
        if committee is None:
            committee = MediationCommittee(uid=c_uid, township_id=town.id, name=f"{town.name}人民调解委员会（台账）",
                                           kind="乡镇")
            s.add(committee)
            s.flush()
        self.committee_id = committee.id

    def put(self, uid: str, v: dict[str, Any]) -> str:
        applied, ended = v["applied_on"], v["ended_on"]
        accepted = v["accepted_on"] or applied
        result = v["result"]
        if accepted < applied:
            raise RowError("受理日期早于申请日期")
        if result != "调解中" and ended is None:
            raise RowError(f"调解结果为“{result}”时须填写结束日期")
        if ended is not None and ended < accepted:
            raise RowError("结束日期早于受理日期")
        if result == "调解成功" and not v["form"]:
            raise RowError("调解成功须填写协议形式（书面或口头）")
        confirmed = bool(v["confirmed"] and YES_NO[v["confirmed"]])
        if confirmed and (result != "调解成功" or v["confirmed_on"] is None):
            raise RowError("司法确认须是调解成功的纠纷，并填写司法确认日期")
        if v["category"] not in self.categories:
            raise RowError(f"区级数据库中没有纠纷类型“{v['category']}”")
        status = {"调解中": MediationStatus.MEDIATING, "调解不成功": MediationStatus.FAILED,
                  "终止调解": MediationStatus.TERMINATED}.get(result, MediationStatus.SUCCEEDED)
        if confirmed:
            status = MediationStatus.CONFIRMED
        form = AgreementForm(AGREEMENT_FORMS[v["form"]]) if result == "调解成功" else None
        fields = dict(number=v["number"], status=status, category_id=self.categories[v["category"]],
                      committee_id=self.committee_id, summary=v["summary"] or "", amount_involved=v["amount"],
                      applied_on=applied, accepted_on=accepted, ended_on=ended, agreement_form=form,
                      agreement_effective_on=ended if form is not None else None,
                      confirmation_applied_on=v["confirmed_on"] if confirmed else None,
                      confirmation_decided_on=v["confirmed_on"] if confirmed else None,
                      confirmation_granted=True if confirmed else None)
        return self.upsert(MediationCase, uid, fields)[1]


_WRITERS: dict[str, type[_Writer]] = {"inspections": _Inspections, "cases": _Cases, "mediations": _Mediations}
