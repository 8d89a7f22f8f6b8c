"""Roles, what each may do, and the signed-in user: importable without SQLAlchemy.

services.people.accounts keeps the accounts themselves (passwords, lock-out); the desktop start-up needs the user and
the permissions before the ORM is loaded (services.core.quick_login, ui/app.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from models.enums import Role
from models.labels import label
from services.core.errors import PermissionDenied

if TYPE_CHECKING:
    from services.core.cipher import DataKey


class Permission(StrEnum):
    RECORD = "record"  # 录入检查、案件、调解
    FILE_CASE = "file_case"  # 立案审批
    LEGAL_REVIEW = "legal_review"  # 法制审核
    DECIDE = "decide"  # 作出决定、结案
    MANAGE_USERS = "manage_users"
    SETTINGS = "settings"
    DISTRICT = "district"  # 区级汇总、评查


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset({Permission.RECORD}),
    Role.SQUAD_LEADER: frozenset(
        {Permission.RECORD, Permission.FILE_CASE, Permission.DECIDE, Permission.MANAGE_USERS, Permission.SETTINGS}
    ),
    Role.LEGAL_REVIEWER: frozenset({Permission.RECORD, Permission.LEGAL_REVIEW}),
    Role.DISTRICT_ADMIN: frozenset(set(Permission)),
}


def refusal(role: Role | None, permission: Permission) -> str:
    """Why ``role`` may not do what needs ``permission`` (Chinese), or "" when it may.

    The one wording for both the refusal a service raises (``require``) and the reason a screen shows beside a
    step it greys out (services/procedures/actions.py). ``None`` is a trusted caller (command line, tools).
    """
    if role is None or permission in ROLE_PERMISSIONS[role]:
        return ""
    return f"“{label(role)}”角色无权办理此事项，请由有权限的人员操作"


# Who reads personal identifiers (resident ID numbers, phone numbers) in full: the roles that decide or review
# cases and need them to identify the party (《中华人民共和国个人信息保护法》第六条: no more than the purpose needs).
FULL_IDENTIFIERS: Final = frozenset({Permission.DECIDE, Permission.LEGAL_REVIEW})


def sees_full_identifiers(role: Role | None, *, asked: bool = False) -> bool:
    """Whether a unit of work with ``role`` reads ID numbers and phone numbers unmasked (else masked).

    A signed-in role decides alone, whatever its caller asks for: a screen cannot get for an officer what the
    officer may not see. A trusted caller without one (``role=None``: command line, tools) gets them only when it
    asks. The read services (services/read/queries.py, details.py) call this with the unit of work's role.
    """
    if role is None:
        return asked
    return bool(ROLE_PERMISSIONS[role] & FULL_IDENTIFIERS)


def is_administrator(role: Role) -> bool:
    """Manages accounts (中队长, 区级管理员): may encrypt a database written in the clear, and reset the others'
    passwords afterwards (services/people/encryption.py)."""
    return Permission.MANAGE_USERS in ROLE_PERMISSIONS[role]


def require(role: Role, permission: Permission) -> None:
    why = refusal(role, permission)
    if why:
        raise PermissionDenied(why)


def require_signed_in(role: Role | None, permission: Permission) -> None:
    """:func:`require` for a signed-in role; no role is a trusted caller (the command line, set-up, the demo)."""
    if role is not None:
        require(role, permission)


@dataclass(frozen=True, slots=True)
class UserInfo:
    """Who signed in. ``must_change_password``: the password was given to them (generated, or set by the squad
    leader); the login asks for a new one before the window opens."""

    uid: str
    username: str
    display_name: str
    role: Role
    officer_id: int | None
    must_change_password: bool = False


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A successful login: who, and the data key their password unlocked (None: the database is not encrypted).
    The login dialog puts both on the AppContext; the key stays in memory only (docs/encryption.md)."""

    user: UserInfo
    data_key: DataKey | None = field(default=None, repr=False)
