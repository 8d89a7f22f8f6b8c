"""The database's key slots: creating the data key, unlocking it with a password or the recovery key, and wrapping
it for another account (services/core/cipher.py holds the cryptography; docs/encryption.md the hierarchy).

These functions take a Session because they run inside the caller's unit of work (login, account management,
setup): a slot is written in the same transaction as the account change it belongs to.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.system import KeySlot, LocalState
from services.core.cipher import (
    DataKey,
    SealBroken,
    generate_recovery_key,
    key_id,
    normalize_recovery_key,
    unwrap_key,
    wrap_key,
)
from services.core.errors import AppError

RECOVERY_LABEL = "recovery"
KEY_ID_STATE = _KEY_ID = "data_key_id"  # LocalState: which data key the slots must open (a slot wrapping another key is refused)


class NoKeySlot(AppError):
    """The account has no slot yet (opened before the database was encrypted, or its slot was removed)."""


@dataclass(frozen=True)
class NewDataKey:
    key: DataKey
    recovery_key: str  # shown once, printed as the 恢复密钥 sheet; never stored


def user_label(username: str) -> str:
    return f"user:{username}"


def is_encrypted(session: Session) -> bool:
    """Whether this database has a data key (any slot). A database without one holds its fields in the clear
    until its first administrator login upgrades it."""
    return session.scalar(select(KeySlot.id).limit(1)) is not None


def has_slot(session: Session, username: str) -> bool:
    return session.scalar(select(KeySlot.id).where(KeySlot.label == user_label(username))) is not None


def create_data_key(session: Session, *, username: str, password: str, now: datetime,
                    key: DataKey | None = None) -> NewDataKey:
    """A new data key with a slot for ``username`` and one for a new recovery key. Refused when one exists.

    ``key``: the key to keep, made by the caller (the upgrade of a plaintext database seals with it in the same
    transaction, services/people/encryption.py); by default a new one."""
    if is_encrypted(session):
        raise AppError("本数据库已有数据密钥，不能再创建")
    key = key or DataKey.generate()
    recovery = generate_recovery_key()
    session.add(KeySlot(label=user_label(username), blob=wrap_key(key, password, label=user_label(username)),
                        created_at=now))
    session.add(KeySlot(label=RECOVERY_LABEL, blob=wrap_key(key, normalize_recovery_key(recovery),
                                                             label=RECOVERY_LABEL), created_at=now))
    session.merge(LocalState(key=_KEY_ID, value=key_id(key)))
    session.flush()
    return NewDataKey(key, recovery)


def _checked(session: Session, key: DataKey) -> DataKey:
    expected = session.scalar(select(LocalState.value).where(LocalState.key == _KEY_ID))
    if expected is not None and not hmac.compare_digest(expected, key_id(key)):
        raise SealBroken("密钥槽与本数据库的数据密钥不符（密钥槽被替换或来自其他数据库）")
    return key


def unlock_with_password(session: Session, username: str, password: str) -> DataKey:
    label = user_label(username)
    blob = session.scalar(select(KeySlot.blob).where(KeySlot.label == label))
    if blob is None:
        raise NoKeySlot("此账户还没有解锁数据的密钥：请管理员为您重置密码后再登录")
    return _checked(session, unwrap_key(blob, password, label=label))


def unlock_with_recovery(session: Session, text: str) -> DataKey:
    blob = session.scalar(select(KeySlot.blob).where(KeySlot.label == RECOVERY_LABEL))
    if blob is None:
        raise NoKeySlot("本数据库没有恢复密钥")
    return _checked(session, unwrap_key(blob, normalize_recovery_key(text), label=RECOVERY_LABEL))


def set_user_slot(session: Session, key: DataKey, *, username: str, password: str, now: datetime) -> None:
    """Wrap the (already unlocked) data key for ``username``'s password: account opened, password changed or reset.
    Nothing is re-encrypted."""
    _checked(session, key)
    label = user_label(username)
    blob = wrap_key(key, password, label=label)
    slot = session.scalar(select(KeySlot).where(KeySlot.label == label))
    if slot is None:
        session.add(KeySlot(label=label, blob=blob, created_at=now))
    else:
        slot.blob, slot.created_at = blob, now
    session.flush()


def remove_user_slot(session: Session, username: str) -> None:
    session.execute(delete(KeySlot).where(KeySlot.label == user_label(username)))


def replace_recovery_key(session: Session, key: DataKey, *, now: datetime) -> str:
    """A new recovery key (the old sheet stops working at once); returned once, to be printed."""
    _checked(session, key)
    recovery = generate_recovery_key()
    slot = session.scalar(select(KeySlot).where(KeySlot.label == RECOVERY_LABEL))
    blob = wrap_key(key, normalize_recovery_key(recovery), label=RECOVERY_LABEL)
    if slot is None:
        session.add(KeySlot(label=RECOVERY_LABEL, blob=blob, created_at=now))
    else:
        slot.blob, slot.created_at = blob, now
    session.flush()
    return recovery


def slot_labels(session: Session) -> list[str]:
    return list(session.scalars(select(KeySlot.label).order_by(KeySlot.label)))
