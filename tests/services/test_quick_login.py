"""The start-up's ORM-free checks (services.core.quick_login) agree with services.people.accounts and never write."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.enums import Role
from services.core import quick_login
from services.core.db import SCHEMA_HEAD, Database
from services.core.errors import PermissionDenied
from services.people.accounts import hash_password, login, verify_password
from tests.services.conftest import World

ADMIN, PASSWORD = "admin", "secret123"  # the template database's administrator (tests/services/conftest.py)
ROOT = Path(__file__).resolve().parents[2]


def _row(db: Database, username: str = ADMIN) -> tuple[int, str | None]:
    assert db.path is not None
    with sqlite3.connect(str(db.path)) as conn:
        return conn.execute("SELECT failed_logins, locked_until FROM user_account WHERE username = ?",
                            (username,)).fetchone()


def _accounts_and_audit(db: Database) -> tuple[list[tuple[object, ...]], int]:
    """Every user_account row and the number of audit events: what a login may write."""
    assert db.path is not None
    with sqlite3.connect(str(db.path)) as conn:
        return (conn.execute("SELECT * FROM user_account ORDER BY id").fetchall(),
                int(conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]))


def test_probe(world: World, tmp_path: Path) -> None:
    assert world.db.path is not None
    assert quick_login.probe(world.db.path) == quick_login.StartProbe(exists=True, initialised=True,
                                                                      township_at_head=True)
    missing = tmp_path / "none.sqlite3"
    assert quick_login.probe(missing) == quick_login.StartProbe(exists=False, initialised=False)
    assert not missing.exists()  # looking did not create it
    empty = Database.open(tmp_path / "empty.sqlite3")  # migrated, but the first-run wizard has not run
    empty.dispose()
    assert quick_login.probe(tmp_path / "empty.sqlite3") == quick_login.StartProbe(exists=True, initialised=False)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert quick_login.probe(junk) == quick_login.StartProbe(exists=True, initialised=False)


def test_probe_sends_district_and_outdated_databases_the_full_way(world: World, tmp_path: Path) -> None:
    """The 工作台 is read from the file only on a township database at this program's revision."""
    assert world.db.path is not None
    with sqlite3.connect(str(world.db.path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    assert quick_login.probe(world.db.path) == quick_login.StartProbe(exists=True, initialised=True)
    with sqlite3.connect(str(world.db.path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (SCHEMA_HEAD,))
        conn.execute("UPDATE device SET kind = 'district' WHERE uid = "
                     "(SELECT value FROM local_state WHERE key = 'device_uid')")
    assert quick_login.probe(world.db.path) == quick_login.StartProbe(exists=True, initialised=True)


def test_clean_login_matches_the_orm_login_and_writes_nothing(world: World) -> None:
    assert world.db.path is not None
    before = _accounts_and_audit(world.db)
    signed = quick_login.clean_login(world.db.path, f" {ADMIN} ", PASSWORD)
    assert signed is not None
    account = signed.user
    # The data key is unlocked as the ORM login unlocks it (the slot read with sqlite3 alone).
    assert signed.data_key is not None and world.key is not None and signed.data_key.raw == world.key.raw
    user = login(world.uow(), ADMIN, PASSWORD)  # the authoritative login, for comparison
    assert (account.uid, account.username, account.display_name, account.role, account.officer_id) == (
        user.uid, user.username, user.display_name, user.role, user.officer_id)
    assert isinstance(account.role, Role)
    # Neither the light check nor the ORM login on a clean account wrote anything (no count, no audit event):
    # that is why the light check may decide this case on its own.
    assert _accounts_and_audit(world.db) == before
    assert PASSWORD not in repr(signed) and "scrypt" not in repr(signed) and world.key.raw.hex() not in repr(signed)


def test_anything_that_must_be_written_is_left_to_the_orm_login(world: World) -> None:
    assert world.db.path is not None
    path = world.db.path
    before = _accounts_and_audit(world.db)
    assert quick_login.clean_login(path, ADMIN, "wrong-pass1") is None
    assert quick_login.clean_login(path, "nobody", PASSWORD) is None
    assert _accounts_and_audit(world.db) == before  # a wrong password is not counted here: services.people.accounts counts it
    with pytest.raises(PermissionDenied):
        login(world.uow(), ADMIN, "wrong-pass1")
    assert _row(world.db) == (1, None)
    # One failure is counted: even the right password goes through the ORM login, which clears the count.
    assert quick_login.clean_account(path, ADMIN) is None
    assert quick_login.clean_login(path, ADMIN, PASSWORD) is None
    login(world.uow(), ADMIN, PASSWORD)
    assert _row(world.db) == (0, None) and quick_login.clean_login(path, ADMIN, PASSWORD) is not None
    # Locked: five failures; the light check refuses to decide, and the ORM login says 锁定.
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            login(world.uow(), ADMIN, "wrong-pass1")
    assert _row(world.db)[1] is not None
    assert quick_login.clean_login(path, ADMIN, PASSWORD) is None
    with pytest.raises(PermissionDenied, match="锁定"):
        login(world.uow(), ADMIN, PASSWORD)


def test_inactive_account_is_not_signed_in(world: World) -> None:
    assert world.db.path is not None
    with sqlite3.connect(str(world.db.path)) as conn:
        # The audit trigger guards audit_event only; user_account may be updated directly here.
        conn.execute("UPDATE user_account SET active = 0 WHERE username = ?", (ADMIN,))
    assert quick_login.clean_account(world.db.path, ADMIN) is None


def test_password_check_agrees_with_services_accounts() -> None:
    stored = hash_password("Abc12345")
    assert quick_login.password_matches("Abc12345", stored) and verify_password("Abc12345", stored)
    assert not quick_login.password_matches("Abc12346", stored)
    for broken in ("", "plain", "md5$1$2$3$4$5", "scrypt$x$8$1$AAAA$AAAA", "scrypt$16384$8$1$!!$AAAA"):
        assert not quick_login.password_matches("Abc12345", broken)


def test_the_start_up_path_imports_no_orm() -> None:
    """The login dialog and its checks load without SQLAlchemy (the ORM loads in the background meanwhile)."""
    code = ("import sys; import services.core.quick_login, ui.login, ui.app, ui.ui_settings; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'reportlab')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
