"""GUI test fixtures: the service tests' initialised database (a fresh copy per test) and an AppContext on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from models.enums import Role
from services.core.context import AppContext
from services.people.accounts import UserInfo
from tests.services import conftest as _services
from tests.services.conftest import World
from tests.ui.walk import Modal

# The service tests' fixtures, registered here too (pytest_plugins is only allowed in the root conftest).
_template, clock, db, uow, world = (_services._template, _services.clock, _services.db, _services.uow,
                                    _services.world)


@pytest.fixture
def ctx(world: World) -> AppContext:
    """Signed in as a squad leader (may record and change settings), the data key unlocked as a login does."""
    return AppContext(world.db, world.clock, UserInfo("u-leader", "leader", "中队长", Role.SQUAD_LEADER, None),
                      data_key=world.key)


@pytest.fixture
def officer_ctx(world: World) -> AppContext:
    """Signed in as an ordinary officer (may record, may not change settings), the data key unlocked."""
    return AppContext(world.db, world.clock, UserInfo("u-officer", "officer", "队员", Role.OFFICER, None),
                      data_key=world.key)


@pytest.fixture
def modal() -> Iterator[Modal]:
    """Acts on the dialogs a click opens with exec() (tests/ui/walk.py); checks at the end that each was shown."""
    m = Modal()
    try:
        yield m
        m.done()
    finally:
        m.stop()
