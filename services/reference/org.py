"""The township, its squads and this device as the settings screen shows them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from models.org import Device, Squad
from models.system import LocalState
from services.core.uow import UnitOfWork
from services.reference.setup import this_township

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
