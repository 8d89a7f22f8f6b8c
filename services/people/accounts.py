"""User accounts: scrypt password hashes, login with lock-out, the holder's own password change, and the squad
leader's account management (open, reset, disable, unlock).

Accounts are local to one database and never synced (models/org.py UserAccount). A password is changed in one function
for each case: :func:`change_password` by its holder, :func:`reset_password` by the squad leader for someone else;
:func:`create_user` sets the first one. All three store it through :func:`_store_password`, the one place where
whatever else depends on the password (per-account key wrapping for encryption at rest) is to be kept in step.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import new_uid
from models.enums import DeviceKind, Role
from models.labels import label
from models.org import Device, Officer, UserAccount
from services.core import keyring
from services.core.cipher import DataKey, Locked, WrongSecret
from services.core.clock import Clock
from services.core.errors import AppError, NotFound, PermissionDenied, ValidationError
from services.core.uow import UnitOfWork

# Re-exported: most callers know these from here.
from services.people.roles import ROLE_PERMISSIONS as ROLE_PERMISSIONS
from services.people.roles import Permission as Permission
from services.people.roles import SignedIn as SignedIn
from services.people.roles import UserInfo, require_signed_in
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
    if len(password) > 128:
        raise ValidationError("密码不能超过128位", field="password")


def generate_password() -> str:
    """12 letters and digits, at least one of each, without characters misread on paper (0/O, 1/l/I)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


def _check_username(session: Session, username: str) -> str:
    username = username.strip()
    if not username or len(username) > 32 or any(c.isspace() for c in username):
        raise ValidationError("用户名不能为空、不能含空格，且不超过32个字符", field="username")
    if session.scalar(select(UserAccount.id).where(UserAccount.username == username)) is not None:
        raise ValidationError(f"用户名“{username}”已存在", field="username")
    return username


def create_user(
    session: Session, clock: Clock, *, username: str, password: str, role: Role, display_name: str = "",
    officer_id: int | None = None, must_change_password: bool = False, data_key: DataKey | None = None,
) -> UserInfo:
    """A new account. On an encrypted database ``data_key`` (the unlocked key of whoever opens it) is wrapped for
    the new password; without it the account is refused (it could never unlock the data)."""
    username = _check_username(session, username)
    check_password_strength(password)
    acct = UserAccount(uid=new_uid(), username=username, display_name=display_name or username, role=role,
                       officer_id=officer_id, created_at=clock.now())
    _store_password(session, acct, password, must_change=must_change_password, key=data_key, clock=clock)
    session.add(acct)
    session.flush()
    return _info(acct)


def authenticate(session: Session, clock: Clock, username: str, password: str) -> UserInfo:
    acct = session.scalar(select(UserAccount).where(UserAccount.username == username.strip()))
    if acct is None or not acct.active:
        raise PermissionDenied("用户名或密码错误")
    now = clock.now()
    if acct.locked_until is not None and acct.locked_until > now:
        raise PermissionDenied(f"连续输错密码，账户已锁定至 {acct.locked_until:%H:%M}，也可请中队长解锁")
    if not verify_password(password, acct.password_hash):
        acct.failed_logins += 1
        if acct.failed_logins >= MAX_FAILED:
            acct.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            acct.failed_logins = 0
        raise PermissionDenied("用户名或密码错误")
    acct.failed_logins = 0
    acct.locked_until = None
    return _info(acct)


def _store_password(session: Session, acct: UserAccount, password: str, *, must_change: bool, key: DataKey | None,
                    clock: Clock) -> None:
    """Every password written goes through here (a new account, a change, a reset).

    On an encrypted database (docs/encryption.md) the account's key slot is re-wrapped under the new password in
    the same transaction, so the password that signs in is always the one that unlocks the data; ``key`` is the
    unlocked data key (the unit of work's). Nothing is re-encrypted. Refused without the key: the account's old
    slot would be left opening under the old password, or a new account would have none."""
    if keyring.is_encrypted(session) and key is None:
        raise Locked("数据已加密：须先登录（或用恢复密钥解锁）才能设置密码")
    acct.password_hash = hash_password(password)
    acct.must_change_password = must_change
    if key is not None and keyring.is_encrypted(session):
        keyring.set_user_slot(session, key, username=acct.username, password=password, now=clock.now())


def _info(acct: UserAccount) -> UserInfo:
    return UserInfo(acct.uid, acct.username, acct.display_name, acct.role, acct.officer_id,
                    acct.must_change_password)


def sign_in(uow: UnitOfWork, username: str, password: str) -> SignedIn:
    """Check a password, then unlock the data key with it; failed attempts are counted (and committed) even
    though the login is refused.

    A user whose ``must_change_password`` is set is signed in, but the caller lets them go no further than
    :func:`change_password` (the login dialog asks for the new password before the window opens).

    On an encrypted database an account without a key slot (opened before the database was encrypted, or
    disabled and enabled again) is refused: a session without the key could not show or save anyone's personal
    data, so it is not let in half-way; the squad leader resets its password, which wraps it a slot. Nothing is
    written on that refusal (the right password's count reset included)."""
    with uow:
        try:
            info = authenticate(uow.session, uow.clock, username, password)
        except PermissionDenied:
            if not uow.db.read_only:  # opened read-only (a write-protected stick): nothing can be counted
                uow.commit()
            raise
        key = _unlock(uow.session, info.username, password) if keyring.is_encrypted(uow.session) else None
        uow.commit()
    if key is not None:
        _seal_device_keys(uow, key)
    return SignedIn(info, key)


def _seal_device_keys(uow: UnitOfWork, key: DataKey) -> None:
    """The first unlock of an encrypted database seals a device key file still in the clear (services/sync)."""
    from services.sync.trust import seal_device_keys  # sync → reference.setup → this module

    seal_device_keys(uow.db, key)


def _unlock(session: Session, username: str, password: str) -> DataKey:
    try:
        return keyring.unlock_with_password(session, username, password)
    except WrongSecret as exc:  # the password is right but its slot does not open: written by another password
        raise AppError("此账户的数据密钥与密码不符：请管理员为您重置密码后再登录") from exc


def login(uow: UnitOfWork, username: str, password: str) -> UserInfo:
    """:func:`sign_in` for a caller that needs only who signed in."""
    return sign_in(uow, username, password).user


# -- the account holder's own password ------------------------------------------------------------------------


def change_password(uow: UnitOfWork, username: str, *, old: str, new: str) -> UserInfo:
    """The holder replaces their password (the 修改密码 dialog, and the first login after it was given to them).

    The one place a password is changed by its holder: the old one is checked like a login (a wrong one counts
    towards the lock-out), the new one must be strong and different, and ``must_change_password`` is cleared.
    Returns the signed-in user as they now are."""
    with uow:
        s = uow.session
        try:
            authenticate(s, uow.clock, username, old)
        except PermissionDenied as exc:
            uow.commit()  # the failed attempt is counted
            raise PermissionDenied("原密码不正确" if "锁定" not in exc.message else exc.message) from exc
        check_password_strength(new)
        if new == old:
            raise ValidationError("新密码不能与原密码相同", field="new_password")
        acct = _account(s, username)
        # The holder is signed in, so the key is normally on the unit of work; the login dialog's forced change
        # comes before the window (and its context) exists, and the old password, just checked, unlocks it.
        key = uow.data_key
        if key is None and keyring.is_encrypted(s):
            key = _unlock(s, acct.username, old)
        with uow.action("user_account.change_password"):
            _store_password(s, acct, new, must_change=False, key=key, clock=uow.clock)
            s.flush()
        info = _info(acct)
        uow.commit()
        return info


# -- the squad leader's account management (Permission.MANAGE_USERS) ------------------------------------------

ACCOUNT_ROLES = (Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER)  # a township's; a district adds its own


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """One row of the 用户账户 screen and ``users list``."""

    uid: str
    username: str
    display_name: str
    role: Role
    role_label: str
    officer_uid: str | None
    officer_name: str
    active: bool
    locked_until: datetime | None  # None: not locked now
    must_change_password: bool
    created_at: datetime

    @property
    def state(self) -> str:
        if not self.active:
            return "已停用"
        if self.locked_until is not None:
            return f"已锁定至 {self.locked_until:%H:%M}"
        return "须修改密码" if self.must_change_password else "正常"

    def to_json(self) -> dict[str, object]:
        return {"username": self.username, "name": self.display_name, "role": self.role.value,
                "role_label": self.role_label, "officer": self.officer_name or None, "active": self.active,
                "locked": self.locked_until is not None, "must_change_password": self.must_change_password,
                "state": self.state, "created_at": self.created_at.isoformat(timespec="seconds")}


@dataclass(frozen=True, slots=True)
class OpenedAccount:
    """An account just opened. ``password``: the generated password, to be shown once (None if it was typed)."""

    uid: str
    username: str
    password: str | None


def _account(session: Session, username: str) -> UserAccount:
    acct = session.scalar(select(UserAccount).where(UserAccount.username == username.strip()))
    if acct is None:
        raise NotFound(f"找不到用户“{username.strip()}”")
    return acct


def _roles_here(session: Session, db_local: str | None) -> tuple[Role, ...]:
    kind = session.scalar(select(Device.kind).where(Device.uid == db_local)) if db_local else None
    return (Role.DISTRICT_ADMIN, *ACCOUNT_ROLES) if kind is DeviceKind.DISTRICT else ACCOUNT_ROLES


def parse_role(text: str) -> Role:
    """A role as typed on the command line: its value (officer) or its label (执法队员)."""
    for role in Role:
        if text.strip() in (role.value, label(role)):
            return role
    choices = "、".join(f"{r.value}（{label(r)}）" for r in ACCOUNT_ROLES)
    raise ValidationError(f"没有“{text}”这个角色，可选：{choices}", field="role")


def open_account(uow: UnitOfWork, *, username: str, role: Role, officer: str | None = None, display_name: str = "",
                 password: str | None = None) -> OpenedAccount:
    """开设账户 for an officer (by uid, 执法证号 or name) with a role.

    Without ``password`` one is generated and returned, to be shown once. Either way the password was not chosen by
    the holder: they must change it at their first login. One active account per officer.
    """
    from services.people.registry import find_officer  # registry → reference.setup → this module

    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        if role not in _roles_here(s, uow.db.local("device_uid")):
            raise ValidationError(f"此数据库不能开设“{label(role)}”账户", field="role")
        officer_id, name = None, display_name.strip()
        if officer:
            o = find_officer(s, officer)
            if not o.active:
                raise ValidationError(f"“{o.name}”已停用，不能为其开设账户", field="officer")
            held = s.scalar(select(UserAccount.username).where(UserAccount.officer_id == o.id,
                                                               UserAccount.active.is_(True)))
            if held is not None:
                raise ValidationError(f"“{o.name}”已有账户“{held}”", field="officer")
            officer_id, name = o.id, o.name
        elif role is not Role.DISTRICT_ADMIN:
            raise ValidationError("请选择账户所属的执法人员", field="officer")
        elif not name:
            raise ValidationError("请填写账户使用人的姓名", field="display_name")
        shown = generate_password() if password is None else None
        with uow.action("user_account.create"):
            info = create_user(s, uow.clock, username=username, password=shown or password or "", role=role,
                               display_name=name, officer_id=officer_id, must_change_password=True,
                               data_key=uow.data_key)
        uow.commit()
        return OpenedAccount(info.uid, info.username, shown)


def reset_password(uow: UnitOfWork, username: str, *, password: str | None = None) -> str | None:
    """重置密码 (the squad leader, or ``users passwd``): the one place a password is set for someone else.

    Without ``password`` one is generated and returned, to be shown once; the holder must change it at their
    next login, and a lock-out is lifted with it."""
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        acct = _account(s, username)
        shown = generate_password() if password is None else None
        new = shown or password or ""
        check_password_strength(new)
        with uow.action("user_account.reset_password"):
            _store_password(s, acct, new, must_change=True, key=uow.data_key, clock=uow.clock)
            acct.failed_logins, acct.locked_until = 0, None
            s.flush()
        uow.commit()
        return shown


def set_account_active(uow: UnitOfWork, username: str, active: bool) -> None:
    """停用 / 启用 an account. The last active account that may manage accounts cannot be disabled (nobody could
    open or enable accounts afterwards), nor can one disable their own."""
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        acct = _account(s, username)
        if acct.active == active:
            raise ValidationError(f"账户“{acct.username}”已经是{'启用' if active else '停用'}状态", field="username")
        if not active:
            if acct.username == uow.actor:
                raise ValidationError("不能停用自己正在使用的账户", field="username")
            if Permission.MANAGE_USERS in ROLE_PERMISSIONS[acct.role]:
                managers = s.scalar(select(func.count()).select_from(UserAccount).where(
                    UserAccount.active.is_(True), UserAccount.role.in_(
                        [r for r, perms in ROLE_PERMISSIONS.items() if Permission.MANAGE_USERS in perms]))) or 0
                if managers <= 1:
                    raise ValidationError("这是最后一个可以管理账户的账户，停用后无人能再开设或启用账户",
                                          field="username")
        if active and acct.officer_id is not None:
            officer = s.get(Officer, acct.officer_id)
            if officer is not None and not officer.active:
                raise ValidationError(f"“{officer.name}”已停用，请先在执法人员中恢复", field="username")
        with uow.action("user_account.enable" if active else "user_account.disable"):
            acct.active = active
            if not active:
                # A disabled account's password must not unlock a copy of the file: its slot goes with it. Enabled
                # again, it has none, and signs in after the squad leader resets its password (docs/encryption.md).
                keyring.remove_user_slot(s, acct.username)
            s.flush()
        uow.commit()


def unlock_account(uow: UnitOfWork, username: str) -> None:
    """解锁 an account locked by wrong passwords, before its LOCK_MINUTES are over."""
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        acct = _account(s, username)
        if acct.locked_until is None and acct.failed_logins == 0:
            raise ValidationError(f"账户“{acct.username}”没有被锁定", field="username")
        with uow.action("user_account.unlock"):
            acct.failed_logins, acct.locked_until = 0, None
            s.flush()
        uow.commit()


def disable_accounts_of(session: Session, officer_id: int) -> None:
    """An officer deactivated no longer signs in (services.people.registry.set_officer_active)."""
    for acct in session.scalars(select(UserAccount).where(UserAccount.officer_id == officer_id,
                                                          UserAccount.active.is_(True))):
        acct.active = False
        keyring.remove_user_slot(session, acct.username)  # as set_account_active: no slot for a disabled account
    session.flush()


def list_accounts(uow: UnitOfWork) -> list[AccountInfo]:
    with uow:
        s = uow.session
        now = uow.clock.now()
        rows = s.execute(select(UserAccount, Officer.uid, Officer.name)
                         .outerjoin(Officer, Officer.id == UserAccount.officer_id).order_by(UserAccount.id)).all()
        return [AccountInfo(a.uid, a.username, a.display_name, a.role, label(a.role), ouid, oname or "", a.active,
                            a.locked_until if a.locked_until is not None and a.locked_until > now else None,
                            a.must_change_password, a.created_at) for a, ouid, oname in rows]


# Actors that are the program, not a person (services/core/context.py, cli/database.py).
_PROGRAM_ACTORS = {"system": "系统", "cli": "命令行"}


def actor_names(session: Session) -> dict[str, str]:
    """Login name → the person's name (the officer's, else the account's), for 办理记录: people are named, not
    their logins."""
    rows = session.execute(select(UserAccount.username, UserAccount.display_name, Officer.name)
                           .outerjoin(Officer, Officer.id == UserAccount.officer_id)).all()
    return {**_PROGRAM_ACTORS, **{username: officer or display or username for username, display, officer in rows}}


def person_name(session: Session, username: str) -> str:
    """The name a record written by ``username`` shows (its 办理人): the officer's name for an officer's account.
    Stored with the record, so it reads the same on every device the record syncs to (accounts do not sync)."""
    row = session.execute(select(UserAccount.display_name, Officer.name)
                          .outerjoin(Officer, Officer.id == UserAccount.officer_id)
                          .where(UserAccount.username == username)).first()
    if row is None:
        return _PROGRAM_ACTORS.get(username, username)
    display, officer = row
    return str(officer or display or username)[:32]
