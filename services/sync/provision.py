"""Provision a field laptop (or a second office PC) from an existing database.

A device set up with ``init`` on its own would mint its own township, squad and officers, so its records could
not join the office's. Provisioning copies the office database (SQLite backup API), gives the copy a new device
identity and keys, and records on both sides that every record present at that moment is held by both (the
sync base): the first bundles then carry only what changed after provisioning. Each side trusts the other.

An encrypted office database (docs/encryption.md §Field laptops) is copied sealed and opens on the laptop with one
account's password only: :func:`provision_options` lists the accounts that may be chosen, and the password typed
by the account's holder is checked like a login before anything is written (:func:`check_laptop_account`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.base import new_uid
from models.enums import DeviceKind
from models.labels import label
from models.org import Device, Officer, UserAccount
from models.system import KeySlot, LocalState
from services.core.cipher import DataKey, Locked
from services.core.db import Database
from services.core.errors import PermissionDenied, SetupError, ValidationError
from services.core.integrity import refuse_damage, require_intact
from services.core.keyring import RECOVERY_LABEL, is_encrypted, set_user_slot, slot_labels, user_label
from services.core.storage import classify
from services.core.uow import UnitOfWork
from services.people.accounts import authenticate
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
    user: str = ""  # the one account whose password opens the laptop ("" for a database that is not encrypted)
    user_name: str = ""  # that account's person, as the office knows them

    @property
    def key_file(self) -> Path:
        """The device's keys, next to the database (sealed under the data key on an encrypted database)."""
        return self.path.with_name(self.path.name + ".keys")


@dataclass(frozen=True, slots=True)
class LaptopAccount:
    """An account a field laptop may be made for: active (a disabled account could not sign in on it)."""

    username: str
    name: str  # the officer's name, else the account's display name
    role_label: str


@dataclass(frozen=True, slots=True)
class ProvisionOptions:
    """What 制作外勤笔记本 must ask: on an encrypted database the laptop's account and its password."""

    encrypted: bool
    accounts: tuple[LaptopAccount, ...]


def provision_options(uow: UnitOfWork) -> ProvisionOptions:
    """Whether the database is encrypted, and the active accounts one of which the laptop will open for. A
    damaged database is refused here already (DamagedDatabase), before its holder is asked for a password."""
    require_intact(uow.db, "制作新设备的数据库")
    with uow as u:
        s = u.session
        rows = s.execute(select(UserAccount, Officer.name).outerjoin(Officer, Officer.id == UserAccount.officer_id)
                         .where(UserAccount.active.is_(True)).order_by(UserAccount.id)).all()
        accounts = tuple(LaptopAccount(a.username, oname or a.display_name or a.username, label(a.role))
                         for a, oname in rows)
        return ProvisionOptions(is_encrypted(s), accounts)


def check_laptop_account(uow: UnitOfWork, user: str, password: str) -> LaptopAccount:
    """The laptop's account and its holder's password, checked as a login is: an account that is not active, is
    locked, or a wrong password is refused with the reason, and a wrong password counts towards the lock-out (the
    dialog must not be a way round it). Nothing else is written."""
    user = user.strip()
    if not user:
        raise ValidationError("请选择外勤笔记本的使用账户", field="user")
    if not password:
        raise ValidationError("请该账户的使用人输入自己的登录密码", field="password")
    with uow as u:
        s = u.session
        acct = s.scalar(select(UserAccount).where(UserAccount.username == user))
        if acct is None or not acct.active:
            raise ValidationError(f"没有可用的账户“{user}”（不存在或已停用）", field="user")
        try:
            authenticate(s, u.clock, user, password)
        except PermissionDenied as exc:
            if not u.db.read_only:
                u.commit()  # the failed attempt is counted, as at the login
            raise PermissionDenied(exc.message if "锁定" in exc.message else
                                   f"账户“{user}”的密码不正确：请该账户的使用人输入自己的登录密码") from exc
        name = s.scalar(select(Officer.name).where(Officer.id == acct.officer_id)) if acct.officer_id else None
        found = LaptopAccount(acct.username, name or acct.display_name or acct.username, label(acct.role))
        u.commit()  # a right password clears the failed-attempt count, as a login does
        return found


def provision_device(source: UnitOfWork, dest: Path, *, kind: DeviceKind = DeviceKind.FIELD,
                     name: str = "", user: str = "", password: str = "") -> ProvisionResult:
    """Copy ``source``'s database to ``dest`` as a new device of ``kind``; both databases trust each other.

    An encrypted database (a data key) is copied sealed, with the same data key: the copy keeps only the slot of
    ``user`` (the laptop's own user, wrapped anew under ``password``, which must be that account's password: it is
    checked first, like a login) and the recovery slot, so no other office password opens the laptop
    (docs/encryption-data.md §外勤机). ``source`` must then carry the unlocked key. A refusal or a failure at
    any step leaves no file behind."""
    db = source.db
    if db.path is None:
        raise SetupError("只能从数据库文件创建新设备")
    if dest.exists():
        raise SetupError(f"目标文件已存在：{dest}")
    if dest.with_name(dest.name + ".keys").exists():  # another device's keys: the new device would load them
        raise SetupError(f"目标位置已有密钥文件：{dest}.keys（请换一个位置或文件名）")
    # A damaged database never leaves the machine (docs/verify.md), and is refused as damaged before anything
    # else is asked: unlocking or typing the laptop account's password would not make it fit to copy, and the
    # password check writes (the failed-attempt count) to the file. The check reads only SQLite's structure.
    require_intact(db, "制作新设备的数据库")
    with source as u:
        encrypted = is_encrypted(u.session)
    if encrypted and source.data_key is None:
        raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能制作外勤机数据库")
    if encrypted and not (user.strip() and password):
        raise ValidationError("本数据库已加密：请指定外勤机的使用账户和密码（外勤机只凭该账户的密码解锁）", field="user")
    account = check_laptop_account(source, user, password) if encrypted else None
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
            code, new_card = _make_new_device(dest, source, src_card, uid, kind, name, account, password)
            _mark_held(s, u, new_card)
            u.commit()
        except BaseException:
            _remove_made(dest)  # never a half-made database for the new device (nor, on an encrypted one, a
            raise  # copy still holding every office account's slot), nor one the office does not trust
    return ProvisionResult(dest, uid, code, account.username if account else "", account.name if account else "")


def _make_new_device(dest: Path, source: UnitOfWork, src_card: KeyCard, uid: str, kind: DeviceKind, name: str,
                     account: LaptopAccount | None, password: str) -> tuple[str, KeyCard]:
    """In the copy at ``dest``: its key slots, trust and sync base, its own Device row and keys."""
    new_db = Database.open(dest)

    # The copy carries the office's data key (its slots came along): its device keys are sealed under it.
    def new_uow() -> UnitOfWork:
        return UnitOfWork(new_db, actor=source.actor, clock=source.clock, data_key=source.data_key)

    try:
        if account is not None and source.data_key is not None:
            _keep_only_slot(new_uow(), source.data_key, account.username, password)
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
        return code, my_key_card(new_uow())
    finally:
        new_db.dispose()


def _remove_made(dest: Path) -> None:
    """What a failed provisioning wrote: the database, its WAL and shared memory, and its key file (provisioning
    refuses an existing ``dest``, so they are all this run's)."""
    for path in (*(dest.with_name(dest.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")),
                 key_file_path(dest)):
        with contextlib.suppress(OSError):  # a write-protected stick: nothing was written, nothing to remove —
            path.unlink(missing_ok=True)  # and the error that stopped it is the one to report


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
