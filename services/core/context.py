"""The running application's context: database, clock and signed-in user, handing out units of work."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.enums import Role
from services.core.cipher import DataKey
from services.core.clock import Clock, SystemClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.people.accounts import ROLE_PERMISSIONS, Permission, UserInfo


@dataclass
class AppContext:
    """Built once per program run (cli/gui.py) or command (cli/). Screens ask it for a unit of work per user action
    (docs/architecture.md §4)."""

    db: Database
    clock: Clock = field(default_factory=SystemClock)
    user: UserInfo | None = None
    # The unlocked data key (docs/encryption.md): set by the login or an unlock, held in memory only.
    data_key: DataKey | None = None

    def uow(self, *, write: bool = True) -> UnitOfWork:
        actor = self.user.username if self.user else "system"
        role = self.user.role if self.user else None
        return UnitOfWork(self.db, actor=actor, clock=self.clock, write=write, role=role, data_key=self.data_key)

    def reader(self) -> UnitOfWork:
        return self.uow(write=False)

    def can(self, permission: Permission) -> bool:
        """What the signed-in role may do; screens hide or disable the rest (services refuse it again)."""
        if self.user is None:
            return True
        return permission in ROLE_PERMISSIONS[self.user.role]

    @property
    def role(self) -> Role | None:
        return self.user.role if self.user else None
