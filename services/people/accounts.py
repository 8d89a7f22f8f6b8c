"""User accounts and roles: scrypt password hashes, login with lock-out, and what each role may do."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import new_uid
from models.enums import Role
from models.org import UserAccount
from services.core.clock import Clock
from services.core.errors import PermissionDenied, ValidationError
from services.core.uow import UnitOfWork

# Re-exported: most callers know these from here.
from services.people.roles import ROLE_PERMISSIONS as ROLE_PERMISSIONS
from services.people.roles import Permission as Permission
from services.people.roles import UserInfo
from services.people.roles import require as require

# scrypt is memory-hard (n=2**15, r=8 → 32 MiB per guess), in the standard library, and fast enough
# (~0.1 s) for an interactive login on an old office PC.
_N, _R, _P = 2**15, 8, 1
_MAXMEM = 64 * 1024 * 1024
MAX_FAILED = 5
LOCK_MINUTES = 15


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, maxmem=_MAXMEM, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(dk).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, dk_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    dk = hashlib.scrypt(
        password.encode("utf-8"), salt=base64.b64decode(salt_b64), n=int(n), r=int(r), p=int(p),
        maxmem=_MAXMEM, dklen=32,
    )
    return hmac.compare_digest(dk, base64.b64decode(dk_b64))


def check_password_strength(password: str) -> None:
    if len(password) < 8:
        raise ValidationError("密码至少需要8位", field="password")
    if password.isdigit() or password.isalpha():
        raise ValidationError("密码须同时包含字母和数字", field="password")


def create_user(
    session: Session, clock: Clock, *, username: str, password: str, role: Role, display_name: str = "",
    officer_id: int | None = None,
) -> UserInfo:
    username = username.strip()
    if not username or len(username) > 32:
        raise ValidationError("用户名不能为空，且不超过32个字符", field="username")
    if session.scalar(select(UserAccount.id).where(UserAccount.username == username)) is not None:
        raise ValidationError(f"用户名“{username}”已存在", field="username")
    check_password_strength(password)
    acct = UserAccount(
        uid=new_uid(), username=username, display_name=display_name or username, password_hash=hash_password(password),
        role=role, officer_id=officer_id, created_at=clock.now(),
    )
    session.add(acct)
    session.flush()
    return _info(acct)


def authenticate(session: Session, clock: Clock, username: str, password: str) -> UserInfo:
    acct = session.scalar(select(UserAccount).where(UserAccount.username == username.strip()))
    if acct is None or not acct.active:
        raise PermissionDenied("用户名或密码错误")
    now = clock.now()
    if acct.locked_until is not None and acct.locked_until > now:
        raise PermissionDenied(f"连续输错密码，账户已锁定至 {acct.locked_until:%H:%M}")
    if not verify_password(password, acct.password_hash):
        acct.failed_logins += 1
        if acct.failed_logins >= MAX_FAILED:
            acct.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            acct.failed_logins = 0
        raise PermissionDenied("用户名或密码错误")
    acct.failed_logins = 0
    acct.locked_until = None
    return _info(acct)


def _info(acct: UserAccount) -> UserInfo:
    return UserInfo(acct.uid, acct.username, acct.display_name, acct.role, acct.officer_id)


def login(uow: UnitOfWork, username: str, password: str) -> UserInfo:
    """Check a password; failed attempts are counted (and committed) even though the login is refused."""
    with uow:
        try:
            info = authenticate(uow.session, uow.clock, username, password)
        except PermissionDenied:
            uow.commit()
            raise
        uow.commit()
        return info
