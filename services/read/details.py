"""Read-only detail of one record for the screens: labelled fields, already formatted, personal data masked
unless the unit of work's role may see it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from models.case import CoerciveItem, CoerciveMeasure, PenaltyCase, Transfer
from models.catalogue import PowerItem
from models.enums import ItemResult, RecordKind
from models.inspection import Campaign, Inspection, InspectionItem, InspectionOfficer, ReinspectionTask
from models.labels import label
from models.org import Officer
from models.party import Party
from models.records import IssuedDocument
from services.core.cipher import is_sealed
from services.core.damaged import in_domain
from services.core.errors import NotFound, ValidationError
from services.core.sealing import LOCKED_TEXT
from services.core.uow import UnitOfWork
from services.people.certificates import status_of, warn_days
from services.people.roles import sees_full_identifiers


@dataclass(frozen=True, slots=True)
class RecordDetail:
    kind: str
    uid: str
    title: str
    fields: tuple[tuple[str, str], ...]
    lines: tuple[str, ...] = ()  # checklist lines, versions, related records


def _shown(value: str) -> str:
    """A sealed attribute as loaded: its plaintext (opened on load), or a note where it stayed sealed."""
    return LOCKED_TEXT if is_sealed(value) else value or "—"


def _fmt(v: Any) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, Decimal):
        return f"{v:,.2f} 元"
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date):
        return v.isoformat()
    if hasattr(v, "value"):
        return label(v)
    return str(v)


def _get(uow: UnitOfWork, model: Any, uid: str) -> Any:
    row = uow.session.scalar(select(model).where(model.uid == uid))
    if row is None:
        raise NotFound(f"找不到记录 {uid}")
    return row


# The synced table behind each detail kind: the detail shows where the record's current version has got to.
SYNC_TABLE = {"inspections": RecordKind.INSPECTION, "parties": RecordKind.PARTY, "officers": RecordKind.OFFICER,
              "campaigns": RecordKind.CAMPAIGN, "catalogue": RecordKind.POWER_ITEM,
              RecordKind.COERCIVE_MEASURE: RecordKind.COERCIVE_MEASURE, "documents": RecordKind.ISSUED_DOCUMENT}


def record_detail(uow: UnitOfWork, kind: str, uid: str, *, unmasked: bool = False) -> RecordDetail:
    """The labelled fields of one record, ending with its sync state (未导出 / 已导出（第N号） / 已确认（区 于 日期））.

    ID numbers and phones are shown in full only as the unit of work's role allows (roles.sees_full_identifiers;
    ``unmasked`` is what a caller without a signed-in role asks for)."""
    detail = _detail(uow, kind, uid, unmasked=sees_full_identifiers(uow.role, asked=unmasked))
    table = SYNC_TABLE.get(kind)
    if table is None:
        return detail
    from services.sync.state import record_sync_state  # not needed until a detail is opened
    from services.sync.tables import table_names

    if table not in table_names():
        return detail
    return replace(detail, fields=(*detail.fields, ("同步状态", record_sync_state(uow, table, uid))))


def sync_state(uow: UnitOfWork, record_table: str, uid: str) -> str:
    """For the procedure views (penalty_case, mediation_case): where this record's current version has got to."""
    from services.sync.state import record_sync_state

    return record_sync_state(uow, record_table, uid)


def _detail(uow: UnitOfWork, kind: str, uid: str, *, unmasked: bool) -> RecordDetail:
    with uow:
        s = uow.session
        if kind == "inspections":
            i = _get(uow, Inspection, uid)
            party = s.get(Party, i.party_id) if i.party_id else None
            camp = s.get(Campaign, i.campaign_id) if i.campaign_id else None
            officers = s.scalars(select(Officer.name).join(InspectionOfficer, InspectionOfficer.officer_id == Officer.id)
                                 .where(InspectionOfficer.inspection_id == i.id)).all()
            original = s.get(Inspection, i.reinspection_of_id) if i.reinspection_of_id else None
            task = s.scalar(select(ReinspectionTask).where(ReinspectionTask.inspection_id == i.id))
            reinspections = s.scalars(select(Inspection.number).where(Inspection.reinspection_of_id == i.id)).all()
            cases = s.scalars(select(PenaltyCase.number).where(PenaltyCase.source_inspection_id == i.id)).all()
            transfers = s.scalars(select(Transfer.receiving_org).where(Transfer.inspection_id == i.id)).all()
            items = s.scalars(select(InspectionItem).where(InspectionItem.inspection_id == i.id)
                              .order_by(InspectionItem.position)).all()
            marks = {ItemResult.OK: "✔ 符合", ItemResult.PROBLEM: "✘ 问题", ItemResult.NOT_APPLICABLE: "— 不适用"}
            lines = tuple(f"{marks[it.result]}  {it.text}" + (f"（{it.note}）" if it.note else "")
                          + (f"  已于{it.rectified_on}整改" if it.rectified_on else "") for it in items)
            return RecordDetail(kind, uid, f"检查记录 {i.number}", (
                ("检查时间", f"{i.started_at:%Y-%m-%d %H:%M} — {i.ended_at:%H:%M}"), ("地点", i.place),
                ("领域", _fmt(i.domain)), ("当事人", party.name if party else "—"),
                ("专项整治", camp.name if camp else "—"), ("执法人员", "、".join(officers)),
                ("出动", f"执法人员{i.officer_turnout}人次，车辆{i.vehicle_turnout}台次，检查经营户{i.businesses_inspected}户次"),
                ("检查结论", _fmt(i.result)), ("发现的问题", _fmt(i.findings)),
                ("整改期限", _fmt(i.rectification_deadline)),
                ("复查任务", f"{_fmt(task.status)}（{task.due_on}起）" if task else "—"),
                ("复查记录", "、".join(reinspections) or "—"), ("复查对象", original.number if original else "—"),
                ("立案", "、".join(n or "（未立案线索）" for n in cases) or "—"), ("移送", "、".join(transfers) or "—"),
            ), lines)
        if kind == "parties":
            p = _get(uow, Party, uid)
            n_cases = s.scalar(select(func.count()).select_from(PenaltyCase).where(PenaltyCase.party_id == p.id)) or 0
            n_insp = s.scalar(select(func.count()).select_from(Inspection).where(Inspection.party_id == p.id)) or 0
            return RecordDetail(kind, uid, f"当事人 {p.name}", (
                ("类型", _fmt(p.kind)), ("姓名/名称", p.name), ("证件", _fmt(p.id_type)),
                # sealed at rest: the masked forms need no key; a value that did not open shows as a note
                ("证件号码", _shown(p.id_number) if unmasked else p.id_number_masked or "—"),
                ("性别", _fmt(p.gender)), ("出生日期", _fmt(p.birth_date)), ("住址", _shown(p.address)),
                ("电话", _shown(p.phone) if unmasked else p.phone_masked or "—"),
                ("法定代表人/经营者", _fmt(p.legal_rep)), ("检查记录", f"{n_insp} 次"), ("处罚案件", f"{n_cases} 件"),
            ))
        if kind == "officers":
            o = _get(uow, Officer, uid)
            today = uow.clock.today()
            status = status_of(o, today, warn_days(s))
            return RecordDetail(kind, uid, f"执法人员 {o.name}", (
                ("姓名", o.name), ("性别", _fmt(o.gender)), ("角色", _fmt(o.role)), ("执法证号", o.cert_number),
                ("证件种类", _fmt(o.cert_kind)), ("发证日期", _fmt(o.cert_valid_from)),
                ("有效期至", _fmt(o.cert_valid_to)),
                ("证件状态", status.text if status.usable else f"{status.text}（不能参与执法）"),
                ("执法领域", _fmt(o.domains)), ("法律职业资格", _fmt(o.legal_qualification)),
                ("电话", _shown(o.phone) if unmasked else o.phone_masked or "—"),
                ("在岗", "在岗" if o.active else "已停用"),
            ))
        if kind == "campaigns":
            c = _get(uow, Campaign, uid)
            row = s.execute(select(func.count(), func.coalesce(func.sum(in_domain(Inspection.officer_turnout)), 0),
                                   func.coalesce(func.sum(in_domain(Inspection.vehicle_turnout)), 0),
                                   func.coalesce(func.sum(in_domain(Inspection.businesses_inspected)), 0))
                            .where(Inspection.campaign_id == c.id, Inspection.deleted_at.is_(None))).one()
            return RecordDetail(kind, uid, f"专项整治 {c.name}", (
                ("名称", c.name), ("领域", _fmt(c.domain)), ("期间", f"{_fmt(c.start_date)} 至 {_fmt(c.end_date)}"),
                ("说明", _fmt(c.description)), ("检查", f"{row[0]} 次"),
                ("出动", f"执法人员{row[1]}人次，车辆{row[2]}台次，检查经营户{row[3]}户次"),
            ))
        if kind == "catalogue":
            it = _get(uow, PowerItem, uid)
            versions = s.execute(select(PowerItem.item_version, PowerItem.effective_from, PowerItem.effective_to,
                                        PowerItem.statutory_range_text).where(PowerItem.code == it.code)
                                 .order_by(PowerItem.item_version)).all()
            tiers = tuple(f"{label(t.tier)}：{_fmt(t.fine_min)} — {_fmt(t.fine_max)}；{t.criteria}" for t in it.tiers)
            return RecordDetail(kind, uid, f"{it.code} {it.name}", (
                ("清单类型", _fmt(it.list_type)), ("领域", it.domain), ("来源部门", _fmt(it.source_department)),
                ("违反条款", it.breached_provision), ("处罚依据", it.penalty_provision), ("处罚种类", it.penalty_types),
                ("法定幅度", it.statutory_range_text), ("版本", f"第{it.item_version}版，{_fmt(it.effective_from)}起施行"),
            ), tiers + tuple(f"第{v}版 {a} 至 {b or '今'}：{r}" for v, a, b, r in versions))
        if kind == RecordKind.COERCIVE_MEASURE:
            m = _get(uow, CoerciveMeasure, uid)
            case = s.get(PenaltyCase, m.case_id)
            seized = s.scalars(select(CoerciveItem).where(CoerciveItem.measure_id == m.id)
                               .order_by(CoerciveItem.position)).all()
            return RecordDetail(kind, uid, f"{'查封' if m.kind.value == 'seal' else '扣押'}决定 {m.decision_number}", (
                ("所属案件", case.number if case else "—"), ("开始日期", _fmt(m.started_on)),
                ("期限", f"{m.period_days}日" + (f"，延长{m.extended_days}日" if m.extended_days else "")),
                ("地点", _fmt(m.place)), ("理由", _fmt(m.reason)), ("状态", _fmt(m.status)),
                ("处理", f"{_fmt(m.ended_on)} {m.end_reason}" if m.ended_on else "—"),
            ), tuple(f"{it.name} {it.spec} {it.quantity}{it.unit} {it.note}".strip() for it in seized))
        if kind == "documents":
            d = _get(uow, IssuedDocument, uid)
            return RecordDetail(kind, uid, f"文书 {d.number}", (
                ("文号", d.number), ("类型", d.doc_type), ("制发时间", _fmt(d.issued_at)), ("制发人", _fmt(d.issued_by)),
                ("所属记录", f"{d.record_table} {d.record_uid}"), ("SHA-256", d.content_hash),
                ("更正", f"更正了 {d.supersedes_uid}" if d.supersedes_uid else "—"),
            ))
        raise ValidationError(f"不支持查看“{kind}”的详情", field="kind")
