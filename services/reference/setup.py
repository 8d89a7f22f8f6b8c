"""First run: mint the device identity, create township, squad, first administrator and reference data.

A township office database comes from :func:`initialise`, a district one (区级) from :func:`initialise_district`.
A field laptop that is to sync with its office is not set up here but copied from the office's database
(services.sync.provision): one set up on its own would have a township, squad and officers of its own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import new_uid
from models.enums import DeviceKind, Role
from models.org import Device, Squad, Township
from models.system import LocalState
from services.core import keyring
from services.core.cipher import DataKey
from services.core.db import Database
from services.core.errors import SetupError, ValidationError
from services.core.uow import UnitOfWork
from services.people.accounts import create_user, generate_password
from services.reference.calendar import seed_calendar
from services.reference.catalogue import seed_catalogue

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O/1/I/L: read aloud over the phone
DISTRICT_BUREAU_SUFFIX = "综合行政执法局"  # a district database's squad: 乐山市五通桥区 → 乐山市五通桥区综合行政执法局
NAME_MAX = 30
"""Longest township or district name set up here. Real names are far shorter (乐山市五通桥区, 竹根镇), and a longer
one would set up a database that can never synchronise: its name and its device's name (name + 主机/外勤机) travel
in every key card and bundle, which allow 64 characters (services/sync/manifest.py township_name_ok)."""
SQUAD_MAX = 40
"""Longest squad or bureau name: it heads every document (乐山市五通桥区综合行政执法局 is 14)."""


def check_name(value: str, *, what: str, field: str, limit: int) -> str:
    """A name typed at set-up, trimmed; refused when empty, too long or holding control characters (a pasted tab
    or line break would print on every document and travel in every bundle)."""
    value = value.strip()
    if not value:
        raise ValidationError(f"{what}不能为空", field=field)
    if len(value) > limit:
        raise ValidationError(f"{what}过长：最多 {limit} 个字（现为 {len(value)} 个）", field=field)
    if not all(ch.isprintable() for ch in value):
        raise ValidationError(f"{what}含有换行、制表符等不可见字符，请重新输入", field=field)
    return value


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
    # The database's new data key (docs/encryption.md): the recovery key is shown once (printed as the 恢复密钥单,
    # never stored); the unlocked key lets the caller go on working in the same process (the wizard, the demo).
    recovery_key: str = field(default="", repr=False)
    data_key: DataKey | None = field(default=None, repr=False)


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
    encrypt: bool = True,
) -> SetupResult:
    """A new database, encrypted from its first record (docs/encryption.md). ``encrypt=False`` makes one as earlier
    versions did, without a data key (what the upgrade in services/maintenance/at_rest.py starts from): for the
    tests of that upgrade and of plaintext databases only."""
    township = check_name(township, what="乡镇名称", field="township", limit=NAME_MAX)
    squad = check_name(squad, what="中队名称", field="squad", limit=SQUAD_MAX)
    district = district.strip()
    if district:
        district = check_name(district, what="所属区县", field="district", limit=NAME_MAX)
    if is_initialised(db):
        raise SetupError("此数据库已经初始化，不能重复初始化（如需新建请指定另一个数据库文件）")
    generated = admin_password is None
    password = admin_password or generate_password()
    with uow:
        s = uow.session
        # 外勤机 only for a laptop: a district database is that office's 主机, as services.sync.provision names it.
        device = Device(code=_device_code(), name=f"{township}{'外勤机' if device_kind is DeviceKind.FIELD else '主机'}",
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
        # A generated password was shown once, on a screen or a terminal: the administrator replaces it at the
        # first login (services.people.accounts.change_password).
        create_user(s, uow.clock, username=admin_username, password=password, role=admin_role,
                    display_name="管理员", must_change_password=generated)
        # Encrypted from the first record: the data key, wrapped for the administrator and for the recovery key.
        new_key = keyring.create_data_key(s, username=admin_username.strip(), password=password,
                                          now=uow.clock.now()) if encrypt else None
        s.flush()
        result = SetupResult(
            t.uid, sq.uid, device.uid, device.code, admin_username, password if generated else None, days, items,
            new_key.recovery_key if new_key else "", new_key.key if new_key else None,
        )
        uow.commit()
    db.forget_local_cache()
    return result


def initialise_district(
    db: Database,
    uow: UnitOfWork,
    *,
    district: str,
    squad: str = "",
    division_code: str = "",
    doc_prefix: str = "",
    admin_username: str = "admin",
    admin_password: str | None = None,
) -> SetupResult:
    """Set up a district database (区级): it imports every township's sync bundles; its first account is a 区级管理员.

    Every database has one Township row (documents, key cards and bundles name it), so the district stands in its
    own: named after the district, with the district's enforcement bureau as its squad unless ``squad`` is given.
    """
    district = check_name(district, what="区县名称", field="district", limit=NAME_MAX)
    if squad.strip():
        squad = check_name(squad, what="执法部门名称", field="squad", limit=SQUAD_MAX)
    return initialise(
        db, uow, township=district, squad=squad.strip() or f"{district}{DISTRICT_BUREAU_SUFFIX}", district=district,
        division_code=division_code, doc_prefix=doc_prefix, device_kind=DeviceKind.DISTRICT,
        admin_username=admin_username, admin_password=admin_password,
    )


def _device_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))


def this_township(session: Session) -> Township:
    uid = session.scalar(select(LocalState.value).where(LocalState.key == "township_uid"))
    t = session.scalar(select(Township).where(Township.uid == uid)) if uid else None
    if t is None:
        raise SetupError("此数据库尚未初始化：请先运行 init 或首次启动向导")
    return t
