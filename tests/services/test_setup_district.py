"""services.reference.setup.initialise_district: the district database the first-run wizard and ``init --district`` make."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from main import EXIT_OK, main
from services.core.db import Database
from services.core.errors import SetupError, ValidationError
from services.core.uow import UnitOfWork
from services.reference.setup import initialise, initialise_district, is_initialised
from tests.services.conftest import snapshot


def _identity(path: Path) -> tuple[str, str, str, str, str, str]:
    """(device kind, device name, township, its district, squad, role of the one account) as stored."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(
            "SELECT d.kind, d.name, t.name, t.district_name, s.name, u.role FROM local_state l "
            "JOIN device d ON d.uid = l.value JOIN township t ON t.id = d.township_id "
            "JOIN squad s ON s.township_id = t.id, user_account u WHERE l.key = 'device_uid'").fetchone()
    finally:
        conn.close()


def test_district_database_matches_what_the_command_line_makes(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "wizard.sqlite3")
    try:
        r = initialise_district(db, UnitOfWork(db, actor="test"), district=" 乐山市五通桥区 ",
                                admin_password="secret-123")
        assert r.admin_password is None and r.calendar_days > 500 and r.catalogue_items > 0
    finally:
        db.dispose()
    pw = tmp_path / "pw"
    pw.write_text("secret-123", encoding="utf-8")
    cli = tmp_path / "cli.sqlite3"
    assert main(["init", "--db", str(cli), "--district", "乐山市五通桥区", "--admin-password-file", str(pw)]) == EXIT_OK
    expected = ("district", "乐山市五通桥区主机", "乐山市五通桥区", "乐山市五通桥区", "乐山市五通桥区综合行政执法局",
                "district_admin")
    assert _identity(tmp_path / "wizard.sqlite3") == expected
    assert _identity(cli) == expected


def test_district_bureau_and_password_generated_when_not_given(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "d.sqlite3")
    try:
        r = initialise_district(db, UnitOfWork(db, actor="test"), district="五通桥区", squad=" 五通桥区执法局 ")
        assert r.admin_password is not None and len(r.admin_password) == 12  # shown once, as for a township
    finally:
        db.dispose()
    assert _identity(tmp_path / "d.sqlite3")[4] == "五通桥区执法局"


@pytest.mark.parametrize(("district", "admin", "password", "error"), [
    ("  ", "admin", "secret-123", "区县名称不能为空"),
    ("五通桥区", "admin", "short", "密码至少需要8位"),
    ("五通桥区", "", "secret-123", "用户名不能为空"),
])
def test_refused_district_setup_writes_nothing(tmp_path: Path, district: str, admin: str, password: str,
                                               error: str) -> None:
    db = Database.open(tmp_path / "r.sqlite3")
    try:
        before = snapshot(db)
        with pytest.raises(ValidationError, match=error):
            initialise_district(db, UnitOfWork(db, actor="test"), district=district, admin_username=admin,
                                admin_password=password)
        assert not is_initialised(db) and snapshot(db) == before
    finally:
        db.dispose()


def test_a_township_database_is_not_made_a_district_one(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "t.sqlite3")
    try:
        initialise(db, UnitOfWork(db, actor="test"), township="竹根镇", squad="竹根镇中队", admin_password="secret-123")
        before = snapshot(db)
        with pytest.raises(SetupError, match="已经初始化"):
            initialise_district(db, UnitOfWork(db, actor="test"), district="五通桥区", admin_password="secret-123")
        assert snapshot(db) == before
    finally:
        db.dispose()
