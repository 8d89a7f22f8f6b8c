"""For tests on databases they set up themselves: the data key a login would unlock (docs/encryption.md), so their
units of work can read and write what is sealed, and sign bundles, as a signed-in user's do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from services.core.cipher import DataKey
from services.core.db import Database
from services.core.quick_login import clean_login
from services.core.uow import UnitOfWork
from services.people.accounts import sign_in

DEMO_ADMIN = ("admin", "demo12345")  # tools/demo: the administrator the demo sets up
# The administrator passwords the test fixtures and helpers set up (tests/services/conftest.py, district_helpers,
# the sync command-line tests, the demo), tried in turn by key_of_file for a file a test only has the path of.
FIXTURE_PASSWORDS = ("secret123", "town-1234", "district-1", "demo12345", "secret-123")


def data_key(db: Database, username: str = DEMO_ADMIN[0], password: str = DEMO_ADMIN[1]) -> DataKey | None:
    """The key ``username``'s password unlocks (None on a database that is not encrypted)."""
    return sign_in(UnitOfWork(db, actor="test"), username, password).data_key


def fixture_password(path: Path) -> str | None:
    """Which of the fixtures' administrator passwords signs in to the database file (sqlite3 only, nothing
    written); None when none does."""
    return next((pw for pw in FIXTURE_PASSWORDS if clean_login(path, "admin", pw) is not None), None)


def key_of_file(path: Path) -> DataKey | None:
    """The data key of a database file set up by a fixture, unlocked by its administrator's password; None when
    none of the fixtures' passwords opens it or it is not encrypted."""
    password = fixture_password(path)
    signed = clean_login(path, "admin", password) if password is not None else None
    return signed.data_key if signed is not None else None


_DEMO_KEYS: dict[Path, DataKey | None] = {}


def demo_key(db: Database) -> DataKey | None:
    """The data key of a copy of the demo (every copy of one demo shares its key), unlocked once per file with the
    demo administrator's password by the quick login (sqlite3 only: nothing is written, no login is recorded)."""
    if db.path is None:
        return None
    if db.path not in _DEMO_KEYS:
        signed = clean_login(db.path, *DEMO_ADMIN)
        _DEMO_KEYS[db.path] = signed.data_key if signed is not None else None
    return _DEMO_KEYS[db.path]


def demo_uow(db: Database, actor: str = "test", **kwargs: object) -> UnitOfWork:
    """A unit of work on a copy of the demo as its signed-in administrator's would be: the data key on it."""
    return UnitOfWork(db, actor=actor, data_key=demo_key(db), **kwargs)  # type: ignore[arg-type]


@contextmanager
def demo_reader(db: Database) -> Iterator[Session]:
    """A read-only session on a copy of the demo with its key on it, so sealed values load opened (a bare
    ``db.read_factory()`` session has no key and reads the stored ``ed1:…`` forms)."""
    with demo_uow(db, write=False) as u:
        yield u.session
