"""Thin use cases behind the record forms and the settings screen: pick-lists, parties, settings, calendar, backups.

Every function takes a ``UnitOfWork`` (or the ``Database`` for file-level work), returns frozen dataclasses and
raises ``AppError`` subclasses with Chinese messages, so the screens hold no SQL and no rules.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from models.catalogue import PowerItem
from models.enums import IdType, InspectionResult, PartyKind, Role, label
from models.identifiers import mask_id
from models.inspection import Campaign, Inspection
from models.mediation import DisputeCategory, MediationCommittee
from models.org import Device, Squad
from models.party import Party
from models.system import CalendarDay, CalendarYear, LocalState
from models.workdays import DayKind
from services import calendar as cal_service
from services.accounts import Permission, require
from services.catalogue import scope_allows
from services.db import Database, backup_sqlite
from services.errors import AppError, NotFound, ValidationError
from services.people import PartyInput, create_party
from services.settings import SPECS, Settings, set_setting
from services.setup import this_township
from services.uow import UnitOfWork

# -- parties ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartyInfo:
    """A party as pickers show it (the ID number masked)."""

    uid: str
    name: str
    kind: PartyKind
    id_masked: str
    label: str


def _party_info(p: Party) -> PartyInfo:
    masked = mask_id(p.id_number) if p.id_number else ""
    text = f"{p.name}（{label(p.kind)}{'，' + masked if masked else ''}）"
    return PartyInfo(p.uid, p.name, p.kind, masked, text)


# Which identity documents a form offers per kind of party (validate_party enforces the same).
_ID_TYPES: dict[PartyKind, tuple[IdType, ...]] = {
    PartyKind.PERSON: (IdType.RESIDENT_ID, IdType.OTHER, IdType.NONE),
    PartyKind.ORGANISATION: (IdType.USCC,),
    PartyKind.INDIVIDUAL_BUSINESS: (IdType.USCC, IdType.RESIDENT_ID, IdType.OTHER, IdType.NONE),
}


def id_types_for(kind: PartyKind) -> tuple[IdType, ...]:
    """The identity document types a party of ``kind`` may be registered with (first = usual)."""
    return _ID_TYPES[kind]


def create_party_record(uow: UnitOfWork, data: PartyInput) -> PartyInfo:
    """Register a party (checksums, duplicates by ID number) in one unit of work."""
    with uow:
        if uow.role is not None:
            require(uow.role, Permission.RECORD)
        township = this_township(uow.session)
        with uow.action("party.create"):
            party = create_party(uow.session, data, today=uow.clock.today(), township_id=township.id)
        info = _party_info(party)
        uow.commit()
        return info


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def party_choices(uow: UnitOfWork, text: str = "", limit: int = 20) -> list[PartyInfo]:
    """Parties whose name, ID number, address or legal representative contains ``text`` (for the picker)."""
    limit = max(1, min(limit, 200))
    with uow:
        stmt = select(Party).where(Party.deleted_at.is_(None))
        text = "".join(text.split())
        if text:
            pattern = _like(text)
            stmt = stmt.where(Party.name.like(pattern, escape="\\") | Party.id_number.like(pattern.upper(), escape="\\")
                              | Party.legal_rep.like(pattern, escape="\\"))
        stmt = stmt.order_by(Party.updated_at.desc(), Party.name).limit(limit)
        return [_party_info(p) for p in uow.session.scalars(stmt)]


def get_party(uow: UnitOfWork, uid: str) -> PartyInfo:
    with uow:
        p = uow.session.scalar(select(Party).where(Party.uid == uid, Party.deleted_at.is_(None)))
        if p is None:
            raise NotFound(f"找不到当事人 {uid}")
        return _party_info(p)


# -- pick-lists ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PowerItemChoice:
    code: str
    name: str
    domain: str
    range_text: str
    penalty_provision: str
    penalty_types: str
    fine_min: Decimal | None
    fine_max: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}（{self.range_text}）"


def power_item_choices(uow: UnitOfWork, *, on: date, party_kind: PartyKind | None = None,
                       domain: str | None = None) -> list[PowerItemChoice]:
    """Catalogue items in force on ``on`` (the version then in force, art.37) that apply to ``party_kind``."""
    with uow:
        stmt = select(PowerItem).where(PowerItem.deleted_at.is_(None)).order_by(PowerItem.code, PowerItem.item_version)
        latest: dict[str, PowerItem] = {}
        for item in uow.session.scalars(stmt):
            if item.in_force_on(on):
                latest[item.code] = item  # ordered by version: the last one in force wins
        out = []
        for item in latest.values():
            if party_kind is not None and not scope_allows(item, party_kind):
                continue
            if domain and item.domain != domain:
                continue
            out.append(PowerItemChoice(item.code, item.name, item.domain, item.statutory_range_text,
                                       item.penalty_provision, item.penalty_types, item.fine_min, item.fine_max))
        return out


def committee_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(uid, name) of the people's mediation committees."""
    with uow:
        rows = uow.session.execute(
            select(MediationCommittee.uid, MediationCommittee.name)
            .where(MediationCommittee.deleted_at.is_(None)).order_by(MediationCommittee.name)
        ).all()
        return [(uid, name) for uid, name in rows]


def category_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, name) of the active dispute categories, in the district form's order."""
    with uow:
        rows = uow.session.execute(
            select(DisputeCategory.code, DisputeCategory.name)
            .where(DisputeCategory.active.is_(True), DisputeCategory.deleted_at.is_(None))
            .order_by(DisputeCategory.position, DisputeCategory.code)
        ).all()
        return [(code, name) for code, name in rows]


@dataclass(frozen=True, slots=True)
class CampaignChoice:
    uid: str
    name: str
    domain: str
    start_date: date
    end_date: date | None

    @property
    def label(self) -> str:
        end = self.end_date.isoformat() if self.end_date else "至今"
        return f"{self.name}（{self.start_date.isoformat()}—{end}）"


def campaign_choices(uow: UnitOfWork, *, on: date | None = None) -> list[CampaignChoice]:
    """Campaigns running on ``on`` (all campaigns when ``on`` is None), newest first."""
    with uow:
        stmt = select(Campaign).where(Campaign.deleted_at.is_(None))
        if on is not None:
            stmt = stmt.where(Campaign.start_date <= on, (Campaign.end_date.is_(None)) | (Campaign.end_date >= on))
        stmt = stmt.order_by(Campaign.start_date.desc(), Campaign.name)
        return [CampaignChoice(c.uid, c.name, c.domain, c.start_date, c.end_date) for c in uow.session.scalars(stmt)]


@dataclass(frozen=True, slots=True)
class InspectionChoice:
    """An inspection with an open rectification order, offered as the original of a re-inspection."""

    uid: str
    number: str
    inspected_on: date
    place: str
    domain: str
    deadline: date | None
    party: PartyInfo | None

    @property
    def label(self) -> str:
        due = f"，整改期限{self.deadline.isoformat()}" if self.deadline else ""
        who = f" {self.party.name}" if self.party else ""
        return f"{self.number} {self.inspected_on.isoformat()} {self.place}{who}{due}"


def reinspection_candidates(uow: UnitOfWork, *, on: date, party_uid: str | None = None,
                            limit: int = 100) -> list[InspectionChoice]:
    """Inspections ordered to rectify (责令限期整改) on or before ``on`` and not yet re-inspected."""
    with uow:
        s = uow.session
        done = select(Inspection.reinspection_of_id).where(Inspection.reinspection_of_id.is_not(None),
                                                           Inspection.deleted_at.is_(None))
        stmt = (select(Inspection).where(Inspection.result == InspectionResult.ORDERED,
                                         Inspection.deleted_at.is_(None), Inspection.inspected_on <= on,
                                         Inspection.id.not_in(done))
                .order_by(Inspection.rectification_deadline, Inspection.number).limit(max(1, min(limit, 500))))
        if party_uid:
            stmt = stmt.join(Party, Party.id == Inspection.party_id).where(Party.uid == party_uid)
        return [InspectionChoice(i.uid, i.number, i.inspected_on, i.place, i.domain, i.rectification_deadline,
                                 _party_info(i.party) if i.party else None) for i in s.scalars(stmt)]


# Four usual checklist lines per enforcement domain (a starting point; officers edit them freely).
_CHECKLISTS: dict[str, tuple[str, ...]] = {
    "市容环境卫生": ("门前三包责任落实", "店外经营、占道情况", "户外广告招牌设置", "垃圾收集容器设置"),
    "占道": ("占用道路经营或堆放", "挖掘道路审批手续", "施工围挡与警示标志", "道路恢复情况"),
    "违法建设": ("乡村建设规划许可证", "按许可内容建设", "施工现场公示牌", "占用耕地情况"),
    "扬尘": ("硬质围挡设置", "裸土覆盖", "车辆冲洗设施", "渣土运输密闭"),
    "油烟": ("油烟净化设施安装", "净化设施运行及清洗记录", "油烟排放口位置", "露天烧烤"),
    "焚烧": ("露天焚烧垃圾、秸秆", "焚烧沥青、塑料等有毒物质", "焚烧痕迹及残留物", "防火宣传告知"),
    "生活垃圾": ("垃圾分类投放", "随意倾倒、堆放情况", "收集容器及清运记录", "门前清扫保洁"),
    "建筑垃圾": ("建筑垃圾处置核准", "运输车辆密闭及备案", "倾倒地点合规", "施工现场暂存与覆盖"),
    "噪声": ("音响设备音量", "作业时间", "夜间施工许可", "降噪措施"),
    "校园周边": ("向未成年人销售烟酒", "营业场所与学校距离", "禁烟标识设置", "周边流动摊贩"),
}
_GENERIC_CHECKLIST = ("经营（施工）许可手续", "现场秩序与卫生", "安全防护措施", "整改要求落实情况")


def checklist_template(domain: str) -> list[str]:
    """The usual checklist lines for ``domain`` (generic lines for a domain without a template)."""
    return list(_CHECKLISTS.get(domain, _GENERIC_CHECKLIST))


# -- organisation ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrgSummary:
    township: str
    district: str
    agency: str
    doc_prefix: str
    division_code: str
    squads: tuple[tuple[str, str, str], ...]  # (name, phone, address)
    device_code: str
    device_name: str
    device_kind: str


def org_summary(uow: UnitOfWork) -> OrgSummary:
    """Township, squads and this device, for the read-only part of the settings screen."""
    with uow:
        s = uow.session
        t = this_township(s)
        squads = tuple((q.name, q.phone, q.address) for q in s.scalars(
            select(Squad).where(Squad.township_id == t.id, Squad.deleted_at.is_(None)).order_by(Squad.name)))
        device_uid = s.scalar(select(LocalState.value).where(LocalState.key == "device_uid"))
        device = s.scalar(select(Device).where(Device.uid == device_uid)) if device_uid else None
        kind = {"office": "乡镇办公室主机", "field": "外勤笔记本", "district": "区级"}
        return OrgSummary(
            t.name, t.district_name, t.agency_name, t.doc_prefix, t.division_code, squads,
            device.code if device else "", device.name if device else "",
            kind.get(device.kind.value, device.kind.value) if device else "",
        )


# -- settings --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettingRow:
    key: str
    label: str
    basis: str
    kind: str  # bool | int | decimal | text | mapping
    value: Any
    value_text: str
    default_text: str
    is_default: bool
    local: bool  # marked [L]: the province, district or township sets it


def _kind_of(default: Any, key: str) -> str:
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, dict):
        return "mapping"
    if isinstance(default, str) and key != "numbering.pattern" and default:
        try:
            Decimal(default)
        except ArithmeticError:
            return "text"
        return "decimal"
    return "text"


def format_setting(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _row(settings: Settings, key: str) -> SettingRow:
    spec = SPECS[key]
    value = settings.raw(key)
    return SettingRow(key, spec.label, _basis_for_users(spec.basis), _kind_of(spec.default, key), value,
                      format_setting(value), format_setting(spec.default), value == spec.default, "[L]" in spec.basis)


def _basis_for_users(basis: str) -> str:
    """The basis as an officer reads it: legal sources, not the developers' reference notes."""
    text = basis.replace("domain.md §3.0", "执法文书编号惯例").replace("domain.md §3.12", "档案管理规定")
    text = text.replace("docs/numbering.md", "多设备离线编号规则")
    return text.replace(" [L]", "（地方可调整）").replace("[L]", "地方规定")


def settings_rows(uow: UnitOfWork, *, local_only: bool = False) -> list[SettingRow]:
    """Every setting with its current value (the [L] ones only when ``local_only``), in declaration order."""
    with uow:
        settings = Settings(uow.session)
        rows = [_row(settings, key) for key in SPECS]
        return [r for r in rows if r.local] if local_only else rows


# What each numbering.codes entry numbers (shown next to its 代字 in the settings screen).
NUMBERING_CODE_LABELS: dict[str, str] = {
    "case_filing": "立案（案件编号）", "inspection": "现场检查记录", "rectification_order": "责令限期整改通知书",
    "prior_notice": "行政处罚事先告知书", "hearing_notice": "听证告知书", "hearing_summons": "听证通知书",
    "penalty_decision": "行政处罚决定书", "summary_decision": "当场行政处罚决定书",
    "no_penalty_decision": "不予行政处罚决定书", "coercive_decision": "查封（扣押）决定书", "demand_notice": "催告书",
    "transfer": "案件移送书", "mediation": "人民调解案件编号", "mediation_agreement": "人民调解协议书",
    "preservation": "先行登记保存通知书", "interview_record": "询问笔录", "service_receipt": "送达回证",
    "closing_form": "结案审批表", "follow_up_record": "调解回访记录", "confirmation_application": "司法确认申请书",
    "correction": "更正通知书",
}


def mapping_label(key: str, code: str) -> str:
    """The Chinese name of one entry of a mapping setting (the code itself when unknown)."""
    return NUMBERING_CODE_LABELS.get(code, code) if key == "numbering.codes" else code


def _check_mapping(value: dict[str, object]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in value.items():
        text = str(v).strip()
        if not text:
            raise ValidationError(f"“{NUMBERING_CODE_LABELS.get(str(k), k)}”的代字不能为空", field="value")
        if len(text) > 8:
            raise ValidationError(f"“{NUMBERING_CODE_LABELS.get(str(k), k)}”的代字不超过8个字", field="value")
        out[str(k)] = text
    if not out:
        raise ValidationError("请至少填写一项代字", field="value")
    return out


def parse_mapping(text: str) -> dict[str, str]:
    """``代码=代字`` lines (or ``；``-separated pairs) into a dict; refuses malformed lines."""
    out: dict[str, str] = {}
    for raw in text.replace("；", "\n").replace(";", "\n").splitlines():
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValidationError(f"“{line}”格式不正确，每行应为“代码=代字”", field="value")
        out[key.strip()] = value.strip()
    if not out:
        raise ValidationError("请至少填写一项“代码=代字”", field="value")
    return out


def update_setting(uow: UnitOfWork, key: str, value: Any) -> SettingRow:
    """Change one setting (typed and checked by ``set_setting``); only roles with the SETTINGS permission."""
    with uow:
        if uow.role is not None:
            require(uow.role, Permission.SETTINGS)
        spec = SPECS.get(key)
        if spec is None:
            raise ValidationError(f"没有名为“{key}”的设置项", field="key")
        if isinstance(spec.default, dict) and isinstance(value, str):
            value = parse_mapping(value)
        if isinstance(spec.default, dict) and isinstance(value, dict):
            value = _check_mapping(value)
        if isinstance(value, str):
            value = value.strip()
            if not value and not isinstance(spec.default, str):
                raise ValidationError(f"请填写“{spec.label}”", field="value")
            if value and _kind_of(spec.default, key) == "decimal":
                try:
                    value = format(Decimal(value), "f")
                except ArithmeticError as exc:
                    raise ValidationError(f"“{spec.label}”的值“{value}”格式不正确，应为数字", field="value") from exc
        with uow.action("setting.update"):
            try:
                set_setting(uow.session, key, value)
            except ValidationError as exc:
                raise ValidationError(exc.message, field="value") from exc
            uow.session.flush()
        row = _row(Settings(uow.session), key)
        uow.commit()
        return row


# -- calendar --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarDayInfo:
    day: date
    kind: DayKind
    name: str
    source: str


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
        uow.commit()
        return CalendarDayInfo(day, kind, name, "manual")


def remove_calendar_day(uow: UnitOfWork, day: date) -> None:
    """Make ``day`` an ordinary day again (Mon–Fri working, weekend rest)."""
    with uow:
        _calendar_write(uow)
        with uow.action("calendar.remove_day"):
            cal_service.set_calendar_day(uow.session, day, None)
            uow.session.flush()
        uow.commit()


def mark_calendar_year_official(uow: UnitOfWork, year: int) -> None:
    """Declare ``year``'s arrangement complete: its deadlines are no longer flagged provisional."""
    _check_year(year)
    with uow:
        _calendar_write(uow)
        if uow.session.get(CalendarYear, year) is not None:
            raise ValidationError(f"{year}年的节假日安排已是正式安排", field="year")
        cal_service.mark_year_official(uow.session, year)
        uow.commit()


# -- backups ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int
    modified: datetime


def backups_dir(db: Database) -> Path:
    if db.path is None:
        raise AppError("当前数据库不是本机文件，无法备份或恢复")
    return db.path.parent / "backups"


def backup_database(db: Database, dest_dir: Path | None = None, *, reason: str = "manual") -> Path:
    """A consistent copy with SQLite's online backup API (safe while the app is running)."""
    folder = dest_dir or backups_dir(db)
    assert db.path is not None
    try:
        return backup_sqlite(db.path, folder, reason=reason)
    except (OSError, sqlite3.Error) as exc:
        raise AppError(f"备份失败：{exc}。请检查备份文件夹是否可写、磁盘空间是否充足") from exc


def list_backups(db: Database) -> list[BackupInfo]:
    """Backup files in the backups folder, newest first."""
    folder = backups_dir(db)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.glob("*.sqlite3"):
        st = p.stat()
        out.append(BackupInfo(p, st.st_size, datetime.fromtimestamp(st.st_mtime)))
    return sorted(out, key=lambda b: b.modified, reverse=True)


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: Path
    safety_backup: Path


_NOT_OURS = "所选文件不是 EnforceDesk 数据库（或备份），未做任何更改"


def check_backup_file(db: Database, backup_path: Path) -> None:
    """Refuse a file that is not an intact EnforceDesk database this program can open."""
    if not backup_path.is_file():
        raise ValidationError(f"找不到备份文件：{backup_path}", field="path")
    if db.path is not None and backup_path.resolve() == db.path.resolve():
        raise ValidationError("所选文件就是正在使用的数据库，请选择备份文件", field="path")
    try:
        conn = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ValidationError(_NOT_OURS, field="path") from exc
    try:
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "local_state"} <= tables:
                raise ValidationError(_NOT_OURS, field="path")
            check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            device = conn.execute("SELECT value FROM local_state WHERE key='device_uid'").fetchone()
        except sqlite3.DatabaseError as exc:  # "file is not a database", or a damaged header
            raise ValidationError(_NOT_OURS, field="path") from exc
    finally:
        conn.close()
    if check != ["ok"]:
        raise ValidationError(f"备份文件已损坏（完整性检查：{'；'.join(check[:3])}），不能用于恢复", field="path")
    if not revision or not device:
        raise ValidationError("所选数据库尚未初始化，不能用于恢复", field="path")
    from alembic.script import ScriptDirectory  # only when restoring: keeps Alembic out of start-up

    if ScriptDirectory.from_config(db.alembic_config()).get_revision(revision[0]) is None:
        raise ValidationError(f"备份的数据库版本 {revision[0]} 比本程序新，请升级 EnforceDesk 后再恢复", field="path")


def unacknowledged_records(db: Database) -> int:
    """How many records no receipt acknowledges yet: what restoring an older backup would drop from the
    next bundles (asked before the restore, so the user can export first)."""
    from services.sync import unacknowledged_count  # the crypto stack: not needed at start-up

    return unacknowledged_count(UnitOfWork(db, actor="restore", write=False))


def restore_backup(db: Database, backup_path: Path, *, role: Role | None = None,
                   force_after_export: bool = False) -> RestoreResult:
    """Replace the current database with a backup: checks it, first backs up the current file, then copies in.

    Refused with ``UnsentData`` (naming how many) while this database holds records that no receipt
    acknowledges: an older copy would silently drop them from what reaches the office or district (peers.md
    §7 no. 1, 9). ``force_after_export=True`` is the user's explicit word that they exported them first.
    The copy uses SQLite's backup API page by page into the open database file, so the WAL and other
    connections stay consistent. The program should be restarted afterwards (it re-reads the device identity
    and migrates an older backup on open).
    """
    if role is not None:
        require(role, Permission.SETTINGS)
    if db.path is None:
        raise AppError("当前数据库不是本机文件，无法恢复")
    backup_path = Path(backup_path)
    check_backup_file(db, backup_path)
    if not force_after_export:
        # Imported here: services.sync pulls in the crypto stack, which start-up does not need.
        from services.sync import ensure_nothing_unsent

        ensure_nothing_unsent(UnitOfWork(db, actor="restore", write=False), "从备份恢复")
    safety = backup_database(db, reason="before-restore")
    db.engine.dispose()  # close pooled connections so the copy gets the file to itself
    try:
        src = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(db.path), timeout=10)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise AppError(f"恢复失败：{exc}。当前数据库已先备份到 {safety}") from exc
    db.forget_local_cache()
    return RestoreResult(backup_path, safety)
