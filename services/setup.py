"""First run: mint the device identity, create township, squad, first administrator and reference data."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import new_uid
from models.enums import DeviceKind, Role
from models.org import Device, Squad, Township
from models.system import LocalState
from services.accounts import create_user
from services.calendar import seed_calendar
from services.catalogue import seed_catalogue
from services.db import Database
from services.errors import SetupError, ValidationError
from services.uow import UnitOfWork

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O/1/I/L: read aloud over the phone


@dataclass(frozen=True, slots=True)
class SetupResult:
    township_uid: str
    squad_uid: str
    device_uid: str
    device_code: str
    admin_username: str
    admin_password: str | None  # only when generated here; shown once
    calendar_days: int
    catalogue_items: int


def is_initialised(db: Database) -> bool:
    return bool(db.local("device_uid"))


def initialise(
    db: Database,
    uow: UnitOfWork,
    *,
    township: str,
    squad: str,
    district: str = "",
    division_code: str = "",
    doc_prefix: str = "",
    device_kind: DeviceKind = DeviceKind.OFFICE,
    admin_username: str = "admin",
    admin_password: str | None = None,
    catalogue_effective_from: date = date(2021, 7, 15),  # the revised Penalty Law's commencement
) -> SetupResult:
    township, squad = township.strip(), squad.strip()
    if not township:
        raise ValidationError("乡镇名称不能为空", field="township")
    if not squad:
        raise ValidationError("中队名称不能为空", field="squad")
    if is_initialised(db):
        raise SetupError("此数据库已经初始化，不能重复初始化（如需新建请指定另一个数据库文件）")
    generated = admin_password is None
    password = admin_password or _random_password()
    with uow:
        s = uow.session
        device = Device(code=_device_code(), name=f"{township}{'主机' if device_kind is DeviceKind.OFFICE else '外勤机'}",
                        kind=device_kind)
        # The device stamps its own row: origin_device of every record is this uid from now on.
        s.info["device_uid"] = device.uid = new_uid()
        device.origin_device = device.uid
        s.add(LocalState(key="device_uid", value=device.uid))
        t = Township(
            name=township, district_name=district, division_code=division_code,
            agency_name=f"{township}人民政府", doc_prefix=doc_prefix or f"{township[:1]}综执",
        )
        s.add(t)
        s.flush()
        device.township_id = t.id
        s.add(device)
        s.add(LocalState(key="township_uid", value=t.uid))
        sq = Squad(township_id=t.id, name=squad)
        s.add(sq)
        days = seed_calendar(s)
        items = seed_catalogue(s, effective_from=catalogue_effective_from)
        # A district database's first administrator is the district's (区级管理员: summaries, periods, reviews).
        admin_role = Role.DISTRICT_ADMIN if device_kind is DeviceKind.DISTRICT else Role.SQUAD_LEADER
        create_user(s, uow.clock, username=admin_username, password=password, role=admin_role,
                    display_name="管理员")
        s.flush()
        result = SetupResult(
            t.uid, sq.uid, device.uid, device.code, admin_username, password if generated else None, days, items
        )
        uow.commit()
    db.forget_local_cache()
    return result


def _device_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))


def _random_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


def this_township(session: Session) -> Township:
    uid = session.scalar(select(LocalState.value).where(LocalState.key == "township_uid"))
    t = session.scalar(select(Township).where(Township.uid == uid)) if uid else None
    if t is None:
        raise SetupError("此数据库尚未初始化：请先运行 init 或首次启动向导")
    return t
