"""Provision a field laptop (or a second office PC) from an existing database.

A device set up with ``init`` on its own would mint its own township, squad and officers, so its records could
not join the office's. Provisioning copies the office database (SQLite backup API), gives the copy a new device
identity and keys, and records on both sides that every record present at that moment is held by both (the
sync base): the first bundles then carry only what changed after provisioning. Each side trusts the other.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from models.base import new_uid
from models.enums import DeviceKind
from models.org import Device
from models.system import KeySlot, LocalState
from services.core.cipher import DataKey, Locked
from services.core.db import Database
from services.core.errors import SetupError, ValidationError
from services.core.integrity import refuse_damage, require_intact
from services.core.keyring import RECOVERY_LABEL, is_encrypted, set_user_slot, slot_labels, user_label
from services.core.storage import classify
from services.core.uow import UnitOfWork
from services.reference.numbering import assign_field_blocks, field_block_years
from services.reference.settings import Settings
from services.reference.setup import _device_code, this_township
from services.sync.crypto import key_file_path
from services.sync.dialect import raw_for
from services.sync.reference import seed_setting_baselines
from services.sync.state import db_time
from services.sync.tables import table_names
from services.sync.trust import KeyCard, add_trusted, my_key_card

_LOCAL_TABLES = ("sync_state", "trusted_device", "sync_bundle", "imported_bundle", "sync_conflict",
                 "sync_quarantine")


@dataclass(frozen=True, slots=True)
class ProvisionResult:
    path: Path
    device_uid: str
    device_code: str


def provision_device(source: UnitOfWork, dest: Path, *, kind: DeviceKind = DeviceKind.FIELD,
                     name: str = "", user: str = "", password: str = "") -> ProvisionResult:
    """Copy ``source``'s database to ``dest`` as a new device of ``kind``; both databases trust each other.

    An encrypted database (a data key) is copied sealed, with the same data key: the copy keeps only the slot of
    ``user`` (wrapped anew under ``password``, the laptop's own user) and the recovery slot, so no other office
    password opens the laptop (docs/encryption-data.md §外勤机). ``source`` must then carry the unlocked key."""
    db = source.db
    if db.path is None:
        raise SetupError("只能从数据库文件创建新设备")
    if dest.exists():
        raise SetupError(f"目标文件已存在：{dest}")
    with source as u:
        encrypted = is_encrypted(u.session)
    if encrypted and source.data_key is None:
        raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能制作外勤机数据库")
    if encrypted and not (user and password):
        raise ValidationError("本数据库已加密：请指定外勤机的使用账户和密码（外勤机只凭该账户的密码解锁）", field="user")
    require_intact(db, "制作新设备的数据库")  # a damaged database never leaves the machine (docs/verify.md)
    dest.parent.mkdir(parents=True, exist_ok=True)
    src_card = my_key_card(source)  # creates the source's keys first, so the copy carries its Device row keys
    uid = new_uid()
    if kind is DeviceKind.FIELD:
        # Its first number blocks, allocated here before the copy so both databases hold them from the start:
        # the laptop can number documents at once (later blocks come with reference bundles).
        with source as u:
            s = u.session
            assign_field_blocks(s, this_township(s), Settings(s), device_uid=uid,
                                years=field_block_years(u.clock.today()))
            u.commit()
    with source as u:
        # BEGIN IMMEDIATE, held to the end: nothing else is committed to this database between the copy and the
        # moment every copied record is marked as held by the new device — a record committed in between would be
        # marked held without being in the copy, and never sent to it. Other writers wait (busy timeout).
        s = u.session
        s.connection()
        try:
            with refuse_damage("已拒绝制作新设备的数据库"):  # damage the quick check does not see (broken text)
                _copy_for_new_device(db.path, dest)
            new_db = Database.open(dest)
        except BaseException:
            _remove_half_made(dest)  # never a half-made database for the new device
            raise
        # The copy carries the office's data key (its slots came along): its device keys are sealed under it.
        def new_uow() -> UnitOfWork:
            return UnitOfWork(new_db, actor=source.actor, clock=source.clock, data_key=source.data_key)

        try:
            if encrypted and source.data_key is not None:
                _keep_only_slot(new_uow(), source.data_key, user, password)
            _trust_and_base(new_uow(), src_card)
            with new_uow() as nu:
                ns = nu.session
                ns.info["device_uid"] = uid
                township = this_township(ns)
                device = Device(uid=uid, code=_device_code(), kind=kind, township_id=township.id,
                                name=name or f"{township.name}{'外勤机' if kind is DeviceKind.FIELD else '主机'}")
                ns.add(LocalState(key="device_uid", value=uid))
                ns.add(device)
                ns.flush()
                code = device.code
                nu.commit()
            new_db.forget_local_cache()
            new_card = my_key_card(new_uow())
        except BaseException:
            new_db.dispose()
            _remove_half_made(dest)  # a full stick mid-way: no database the laptop could take for a finished one
            raise
        new_db.dispose()
        _mark_held(s, u, new_card)
        u.commit()
    return ProvisionResult(dest, uid, code)


def _remove_half_made(dest: Path) -> None:
    """The new device's files (provisioning refuses an existing ``dest``, so they are all this run's)."""
    for path in (dest, dest.with_name(dest.name + "-wal"), dest.with_name(dest.name + "-shm"), key_file_path(dest)):
        with contextlib.suppress(OSError):  # a write-protected stick: nothing was written, nothing to remove
            path.unlink(missing_ok=True)


def _copy_for_new_device(src: Path, dest: Path) -> None:
    """The committed database, without what describes this device's own peers (SQLite backup API). Storage
    trouble names ``dest`` (a full or write-protected stick), not the source database the unit of work is on."""
    try:
        _copy_rows(src, dest)
    except sqlite3.Error as exc:
        classified = classify(exc, dest)
        if classified is not None:
            raise classified from exc
        raise


def _copy_rows(src: Path, dest: Path) -> None:
    # The file made first: on a full or write-protected stick the OSError names it and says which (SQLite's
    # "unable to open database file" cannot tell either from a vanished folder).
    dest.touch(exist_ok=False)
    a, b = sqlite3.connect(str(src)), sqlite3.connect(str(dest))
    try:
        a.backup(b)
        for t in _LOCAL_TABLES:  # they describe the source's peers, not the new device's
            b.execute(f"DELETE FROM {t}")  # noqa: S608 - one of the constant _LOCAL_TABLES
        b.execute("DELETE FROM local_state WHERE key IN ('device_uid', 'reference_published')")
        # The audit heads sent to and seen from the source's peers (services/sync/history.py) are the source's.
        b.execute("DELETE FROM local_state WHERE substr(key, 1, 6) = 'audit_'")
        seed_setting_baselines(b)
        b.commit()
    finally:
        b.close()
        a.close()


def _keep_only_slot(uow: UnitOfWork, key: DataKey, user: str, password: str) -> None:
    """The copy's key slots: the recovery slot and ``user``'s, wrapped anew under ``password``; every other
    account's slot goes (an office password does not open the laptop)."""
    with uow:
        s = uow.session
        for label in slot_labels(s):
            if label not in (RECOVERY_LABEL, user_label(user)):
                s.execute(delete(KeySlot).where(KeySlot.label == label))
        set_user_slot(s, key, username=user, password=password, now=uow.clock.now())
        uow.commit()


def _trust_and_base(uow: UnitOfWork, card: KeyCard) -> None:
    """Trust ``card``'s device and mark every current record as held by it, in a transaction of its own."""
    with uow:
        _mark_held(uow.session, uow, card)
        uow.commit()


def _mark_held(s: Session, uow: UnitOfWork, card: KeyCard) -> None:
    """In the caller's transaction: trust ``card``'s device and mark every current record as held by it."""
    peer = add_trusted(s, card, actor=uow.actor, now=uow.clock.now())
    raw = raw_for(s.connection())  # the sqlite3 connection: provisioning copies SQLite databases only
    now = db_time(uow.clock.now())
    for t in table_names():
        raw.execute(
            "INSERT OR REPLACE INTO sync_state (peer_id, tbl, row_id, base_version, base_updated, acked_at) "  # noqa: S608 - a table of the models
            f'SELECT ?, ?, id, version, updated_at, ? FROM "{t}"', (peer.id, t, now))
