"""The recovery key at work: unlocking a database whose every password is lost, and replacing the key itself.

Losing every password is survivable with the 恢复密钥 sheet alone (docs/encryption.md): the sheet unlocks the data
key, and the person holding it sets a new password for one administrator account, which wraps that account a
fresh key slot and signs them in as it. A wrong or mistyped recovery key changes nothing (the check symbol tells a
mistyped sheet from a wrong key before the slow unwrap).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.org import Device, UserAccount
from services.core import keyring
from services.core.cipher import DataKey, Locked
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.people.accounts import (
    SignedIn,
    _account,
    _info,
    _seal_device_keys,
    _store_password,
    check_password_strength,
)
from services.people.roles import ROLE_PERMISSIONS, Permission, require_signed_in
from services.reference.setup import this_township


def unlock_with_recovery_key(uow: UnitOfWork, text: str) -> DataKey:
    """The data key opened by a typed or read recovery key; nothing is written."""
    with uow:
        key = keyring.unlock_with_recovery(uow.session, text)
    _seal_device_keys(uow, key)
    return key


def recoverable_accounts(uow: UnitOfWork) -> list[str]:
    """The accounts a recovery may set a new password for: active ones that manage accounts (中队长, 区级管理员),
    so whoever holds the sheet can then open or reset every other account."""
    with uow:
        return _recoverable(uow.session)


def recover_account(uow: UnitOfWork, username: str, new_password: str) -> SignedIn:
    """With the data key unlocked by the recovery key (on ``uow``): set ``username``'s new password, which wraps
    its slot, lift any lock-out, and sign in as it. The new password is chosen now, so it need not be changed."""
    key = uow.data_key
    if key is None:
        raise Locked("请先输入恢复密钥解锁")
    with uow:
        s = uow.session
        acct = _account(s, username)
        if acct.username not in _recoverable(s):
            raise ValidationError("只能为启用中的中队长或区级管理员账户设置新密码", field="username")
        check_password_strength(new_password)
        with uow.action("user_account.recover"):
            _store_password(s, acct, new_password, must_change=False, key=key, clock=uow.clock)
            acct.failed_logins, acct.locked_until = 0, None
            s.flush()
        info = _info(acct)
        uow.commit()
        return SignedIn(info, key)


def _recoverable(session: Session) -> list[str]:
    managers = [role for role, perms in ROLE_PERMISSIONS.items() if Permission.MANAGE_USERS in perms]
    return list(session.scalars(select(UserAccount.username).where(
        UserAccount.active.is_(True), UserAccount.role.in_(managers)).order_by(UserAccount.id)))


@dataclass(frozen=True, slots=True)
class NewRecoveryKey:
    """A recovery key just made, with what its sheet names (services/documents/recovery_sheet.py)."""

    recovery_key: str = field(repr=False)
    township: str
    device_code: str


def new_recovery_key(uow: UnitOfWork) -> NewRecoveryKey:
    """``recovery-key --new``: a new recovery key replaces the old one at once (the old sheet stops working);
    returned once, to be printed. Needs the unlocked key and, when someone is signed in, the right to manage
    accounts."""
    key = uow.data_key
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        if not keyring.is_encrypted(uow.session):
            raise ValidationError("本数据库尚未加密，没有恢复密钥", field="recovery_key")
        if key is None:
            raise Locked()
        with uow.action("key_slot.new_recovery_key"):
            recovery = keyring.replace_recovery_key(uow.session, key, now=uow.clock.now())
        device = uow.session.scalar(select(Device.code).where(Device.uid == uow.db.local("device_uid")))
        made = NewRecoveryKey(recovery, this_township(uow.session).name, device or "")
        uow.commit()
        return made
