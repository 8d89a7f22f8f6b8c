"""Encrypting a database written before encryption at rest, at its first administrator login (issue 17 item 5).

A township that installs this version over its old database still has every ID number, phone and address in the
clear, and no data key. The key slots wrap the data key under each account's *password*, and only the person who
types a password knows it: so the upgrade runs when an administrator (中队长 or 区级管理员) has just proven theirs —
at the login (ui/login.py) or with ``main.py encrypt`` (cli/records.py) — and, in order:

1. makes the data key, with a slot for that administrator and one for a new recovery key (services/core/keyring.py);
2. seals the database under it (services/maintenance/at_rest.py: a backup first, every declared value sealed, the
   attachment files sealed, VACUUM so no page keeps the plaintext).

The slots are written in the sealing's own transaction: either both are committed or neither (a database with slots
but values in the clear, or the other way round, would lock everyone out of a half-state). A failure or a 取消
before that commit leaves the database as it was, the backup made for it removed.

Other accounts get no slot — their passwords are unknown here — and are refused at login with the existing message
(此账户还没有解锁数据的密钥：请管理员为您重置密码后再登录) until the administrator resets their password, which
wraps them one. The result names them, so the message can say so. Decisions: docs/encryption.md §Upgrading.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.org import Device, UserAccount
from services.core import keyring
from services.core.cipher import DataKey, Locked
from services.core.errors import AppError, PermissionDenied
from services.core.uow import UnitOfWork
from services.maintenance.at_rest import Progress, SealReport, finish_sealing, seal_database, sealing_unfinished
from services.people.accounts import authenticate
from services.people.roles import Permission, is_administrator, require_signed_in
from services.reference.setup import this_township

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EncryptedNow:
    """What the upgrade did: the key this session now holds, the recovery key to show once, and what was sealed."""

    data_key: DataKey = field(repr=False)
    recovery_key: str = field(repr=False)  # shown once (the 恢复密钥 page or the command's output); never stored
    report: SealReport  # values and files sealed; the backup made first and the earlier ones: all still in clear;
    # ``report.unfinished``: the files or the compaction stopped after the commit (finish_encryption carries on)
    username: str  # the administrator whose password has the slot
    without_slot: tuple[str, ...]  # other active accounts: refused at login until their password is reset
    township: str  # for the 恢复密钥单
    device_code: str

    @property
    def plaintext_backups(self) -> tuple[str, ...]:
        """Every backup the program knows of that still holds the plaintext: the one just made, then the older."""
        made = (self.report.backup,) if self.report.backup is not None else ()
        return tuple(str(p) for p in (*made, *self.report.earlier_backups))


def needs_encryption(uow: UnitOfWork) -> bool:
    """A database without a data key: its personal data is in the clear until an administrator encrypts it.
    A database opened read-only cannot be upgraded, so it is never asked."""
    if uow.db.read_only:
        return False
    with uow:
        return not keyring.is_encrypted(uow.session)


def encrypt_database(uow: UnitOfWork, username: str, password: str, *,
                     progress: Progress | None = None) -> EncryptedNow:
    """The administrator ``username``, proving ``password`` again, encrypts this plaintext database.

    Refused, nothing changed: a database already encrypted, or opened read-only; a wrong password (counted towards
    the lock-out like a login); an account that is not an administrator. ``progress`` (see at_rest.Progress) may
    abandon the work until the values are committed."""
    if uow.db.read_only:
        raise AppError("数据库以只读方式打开，不能加密；请在本机正常打开后由中队长登录加密")
    with uow:
        s = uow.session
        if keyring.is_encrypted(s):
            raise AppError("本数据库已经加密，无需再加密")
        try:
            user = authenticate(s, uow.clock, username, password)
        except PermissionDenied:
            uow.commit()  # the failed attempt is counted, as at a login
            raise
        uow.commit()
        if not is_administrator(user.role):
            raise PermissionDenied("只有中队长（管理员）才能加密本数据库：请中队长登录一次，程序会加密其中的个人信息")
        others = tuple(_other_accounts(s, user.username))
        township = this_township(s).name
        device = s.scalar(select(Device.code).where(Device.uid == uow.db.local("device_uid"))) or ""
    key = DataKey.generate()
    made: list[str] = []

    def write_slots(session: Session) -> None:
        # In the sealing's transaction: refused there too if another program encrypted it meanwhile.
        made.append(keyring.create_data_key(session, username=user.username, password=password,
                                            now=uow.clock.now(), key=key).recovery_key)

    report = seal_database(uow.db, key, clock=uow.clock, actor=user.username, within=write_slots, progress=progress)
    _seal_device_keys(uow, key)
    return EncryptedNow(key, made[0], report, user.username, others, township, device)


def unfinished_encryption(uow: UnitOfWork) -> bool:
    """An upgrade whose values are sealed but whose files or compaction did not finish (the disk was full, a file
    was locked …), or an encrypted database with values of a newly declared sealed column still in the clear
    (migration 0014 marks it): :func:`finish_encryption` carries it on."""
    with uow:
        encrypted = keyring.is_encrypted(uow.session)
    return encrypted and sealing_unfinished(uow.db)


def finish_encryption(uow: UnitOfWork, *, progress: Progress | None = None) -> SealReport:
    """Seal the values and files left in the clear and compact the file, with the key of the signed-in
    administrator."""
    if uow.data_key is None:
        raise Locked()
    require_signed_in(uow.role, Permission.MANAGE_USERS)
    return finish_sealing(uow.db, uow.data_key, clock=uow.clock, actor=uow.actor, progress=progress)


def _other_accounts(session: Session, username: str) -> list[str]:
    return list(session.scalars(select(UserAccount.username).where(
        UserAccount.active.is_(True), UserAccount.username != username).order_by(UserAccount.id)))


def _seal_device_keys(uow: UnitOfWork, key: DataKey) -> None:
    """The device's key file, written in the clear before, is sealed now (as at the first unlock).

    Never raises: the data is sealed and the recovery key not yet shown; a key file that cannot be written now is
    sealed at the next login (services.people.accounts.sign_in does it at every unlock)."""
    from services.sync.trust import seal_device_keys  # sync → reference.setup → people: imported when needed

    try:
        seal_device_keys(uow.db, key)
    except Exception:  # noqa: BLE001 - see above: the recovery key must reach the administrator
        log.exception("the device key file could not be sealed after the upgrade; left to the next login")


__all__ = ["EncryptedNow", "encrypt_database", "finish_encryption", "is_administrator", "needs_encryption",
           "unfinished_encryption"]
