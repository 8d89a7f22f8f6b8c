"""The township, its squads and this device as the settings screen shows them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from models.identifiers import check_phone
from models.org import Device, Squad
from models.system import LocalState
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.people.roles import Permission, require_signed_in
from services.reference.setup import this_township

# What a notice prints as the squad's office is an address the party can go to (《行政处罚法》第四十四条: the place
# to make a statement); a long one would not fit its line.
ADDRESS_MAX = 80

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


def set_squad_contact(uow: UnitOfWork, *, address: str, phone: str) -> OrgSummary:
    """The squad's office address and phone, as 设置 → 本镇信息 sets them: the 事先告知书 and the 决定书 print
    them as where a statement is made and whom to call (《行政处罚法》第四十四条), and refuse to be made without
    them. Only a role with the settings permission may change them. Returns the summary as now stored."""
    address = " ".join(address.split())
    if not address:
        raise ValidationError("请填写中队办公地址（当事人陈述申辩的地点）", field="address")
    if len(address) > ADDRESS_MAX:
        raise ValidationError(f"办公地址不能超过 {ADDRESS_MAX} 个字", field="address")
    checked = check_phone(phone)
    if not checked.ok:
        raise ValidationError(checked.message, field="phone")
    with uow:
        require_signed_in(uow.role, Permission.SETTINGS)
        s = uow.session
        t = this_township(s)
        squad = s.scalar(select(Squad).where(Squad.township_id == t.id, Squad.deleted_at.is_(None))
                         .order_by(Squad.id).limit(1))
        if squad is None:
            raise ValidationError("本镇还没有执法中队（请先完成首次使用设置）")
        with uow.action("squad.update"):
            squad.address, squad.phone = address, checked.normalized
            s.flush()
        uow.commit()
    return org_summary(uow)
