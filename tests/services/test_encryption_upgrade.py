"""The upgrade of a plaintext database to encryption at rest by its administrator (services/people/encryption.py):
the key and the sealing together or not at all, the backups named, the raw bytes clean, and every refusal
changing nothing."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.party import Party
from services.core import keyring
from services.core.cipher import is_sealed
from services.core.errors import AppError, PermissionDenied
from services.core.uow import UnitOfWork
from services.maintenance import at_rest
from services.maintenance.at_rest import needs_sealing
from services.maintenance.backup import backups_dir
from services.maintenance.verify import verify_database
from services.people.accounts import sign_in
from services.people.encryption import encrypt_database, needs_encryption, unfinished_encryption
from services.people.recovery import unlock_with_recovery_key
from services.procedures.attachments import attachment_store, read_blob
from services.sync.crypto import FILE_MAGIC
from services.sync.trust import key_path
from tests.services.conftest import World
from tests.services.plain_upgrade import (
    ADDRESS,
    PHONE,
    RECOVERY_RE,
    Plain,
    prepare_intermediate,
    prepare_plain,
    raw_files,
)


@pytest.fixture
def plain(plain_world: World) -> Plain:
    return prepare_plain(plain_world)


def _rows(path: Path, *, leave_out: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(str(path))
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # noqa: S608 - schema tables
                for t in names if t not in leave_out}
    finally:
        conn.close()


def _store_files(path: Path) -> dict[str, bytes]:
    store = attachment_store(path)
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def test_the_administrator_encrypts_and_nothing_personal_is_left_in_the_file(plain: Plain) -> None:
    w = plain.world
    assert w.db.path is not None
    assert needs_encryption(w.uow())
    assert not key_path(w.db).read_bytes().startswith(FILE_MAGIC)
    done = encrypt_database(UnitOfWork(w.db, actor="admin", clock=w.clock), "admin", "secret123")

    assert RECOVERY_RE.match(done.recovery_key)
    assert done.username == "admin" and done.without_slot == ("zhangsan",)
    assert done.report.sealed_values >= 4 and done.report.files == 1  # ID numbers, the phone, the address; the scan
    # the backups: the one made first and the daily one before it, both named and both in the clear
    assert done.report.backup is not None and "before-sealing" in done.report.backup.name
    assert plain.daily in done.report.earlier_backups
    assert done.plaintext_backups[0] == str(done.report.backup) and str(plain.daily) in done.plaintext_backups
    for backup in (done.report.backup, plain.daily):
        assert plain.id_number.encode() in backup.read_bytes()

    # the raw bytes of the file, its WAL and the attachment store: no ID number, phone or address
    with UnitOfWork(w.db, actor="admin", clock=w.clock) as u:  # a write after it: the WAL holds pages again
        u.session.scalar(select(Party).where(Party.uid == w.child12))
    for path in raw_files(w.db.path):
        data = path.read_bytes()
        for needle in (plain.id_number, PHONE, ADDRESS):
            assert needle.encode("utf-8") not in data, (path.name, needle)

    # the slots: the administrator's and the recovery key's, no one else's
    with UnitOfWork(w.db, actor="t", write=False) as u:
        assert keyring.slot_labels(u.session) == ["recovery", "user:admin"]
        stored = u.session.execute(select(Party.phone).where(Party.uid == w.adult).execution_options(
            populate_existing=True)).scalar_one()
    assert is_sealed(stored)
    assert not needs_encryption(w.uow()) and not needs_sealing(w.db)

    # the administrator's password and the recovery key both open the same key; the data reads back
    signed = sign_in(UnitOfWork(w.db, actor="admin", clock=w.clock), "admin", "secret123")
    assert signed.data_key is not None and signed.data_key.raw == done.data_key.raw
    assert unlock_with_recovery_key(UnitOfWork(w.db, actor="t", write=False), done.recovery_key).raw == \
        done.data_key.raw
    with UnitOfWork(w.db, actor="admin", clock=w.clock, data_key=signed.data_key) as u:
        p = u.session.scalar(select(Party).where(Party.uid == w.adult))
        assert p is not None and (p.phone, p.address, p.id_number) == (PHONE, ADDRESS, plain.id_number)
    assert read_blob(attachment_store(w.db.path), plain.attachment_sha, signed.data_key).startswith(
        "身份证号".encode())
    assert verify_database(w.db, deep=True, data_key=signed.data_key).ok
    assert key_path(w.db).read_bytes().startswith(FILE_MAGIC)  # the device's private keys sealed too

    # the officer has no slot yet: refused with the message that says what to do
    with pytest.raises(keyring.NoKeySlot, match="重置密码"):
        sign_in(UnitOfWork(w.db, actor="zhangsan", clock=w.clock), "zhangsan", "officer123")

    # a second upgrade is refused and changes nothing
    before = _rows(w.db.path)
    with pytest.raises(AppError, match="已经加密"):
        encrypt_database(UnitOfWork(w.db, actor="admin", clock=w.clock), "admin", "secret123")
    assert _rows(w.db.path) == before


def _backups(plain: Plain) -> list[str]:
    return sorted(p.name for p in backups_dir(plain.world.db).glob("*.sqlite3"))


@pytest.mark.parametrize("how", ["sealing fails", "cancelled"])
def test_a_failure_before_the_commit_leaves_no_slot_and_no_backup(plain: Plain, how: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    w = plain.world
    assert w.db.path is not None
    before, files, backups = _rows(w.db.path), _store_files(w.db.path), _backups(plain)

    class Stop(Exception):
        pass

    progress = None
    if how == "sealing fails":
        real = at_rest._seal_table
        calls: list[str] = []

        def failing(conn: Any, key: Any, table: str, cols: Any) -> Any:
            calls.append(table)
            if len(calls) == 3:  # mid-way: two tables already sealed in the transaction
                raise Stop("disk gone")
            return real(conn, key, table, cols)

        monkeypatch.setattr(at_rest, "_seal_table", failing)
    else:
        def progress(percent: int, _message: str) -> None:
            if percent >= 30:
                raise Stop("取消")

    with pytest.raises(Stop):
        encrypt_database(UnitOfWork(w.db, actor="admin", clock=w.clock), "admin", "secret123", progress=progress)

    assert _rows(w.db.path) == before  # no slot, no key id, no sealed value, no audit event
    assert _store_files(w.db.path) == files
    assert _backups(plain) == backups  # the backup made for it is gone: it was a copy of the unchanged file
    assert needs_encryption(w.uow()) and needs_sealing(w.db)
    monkeypatch.undo()
    done = encrypt_database(UnitOfWork(w.db, actor="admin", clock=w.clock), "admin", "secret123")
    assert done.report.files == 1 and not needs_sealing(w.db)


def test_a_wrong_password_is_counted_and_changes_nothing_else(plain: Plain) -> None:
    w = plain.world
    assert w.db.path is not None
    counted = ("user_account", "audit_event")  # the failed attempt, as a login counts it (and its audit event)
    before, backups, events = _rows(w.db.path, leave_out=counted), _backups(plain), _rows(w.db.path)["audit_event"]
    with pytest.raises(PermissionDenied, match="用户名或密码错误"):
        encrypt_database(UnitOfWork(w.db, actor="admin", clock=w.clock), "admin", "wrong-pass1")
    assert _rows(w.db.path, leave_out=counted) == before and _backups(plain) == backups
    with sqlite3.connect(str(w.db.path)) as conn:
        assert conn.execute("SELECT failed_logins FROM user_account WHERE username='admin'").fetchone() == (1,)
        new = conn.execute("SELECT DISTINCT entity FROM audit_event WHERE seq > ?", (len(events),)).fetchall()
    assert new == [("user_account",)]


def test_an_officer_may_not_encrypt(plain: Plain) -> None:
    w = plain.world
    assert w.db.path is not None
    before, backups = _rows(w.db.path), _backups(plain)
    with pytest.raises(PermissionDenied, match="只有中队长"):
        encrypt_database(UnitOfWork(w.db, actor="zhangsan", clock=w.clock), "zhangsan", "officer123")
    assert _rows(w.db.path) == before and _backups(plain) == backups
    # and as before, the officer works on the plaintext database
    signed = sign_in(UnitOfWork(w.db, actor="zhangsan", clock=w.clock), "zhangsan", "officer123")
    assert signed.data_key is None


# -- the command line: main.py encrypt ------------------------------------------------------------------------


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from main import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_encrypt_command(plain: Plain, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w = plain.world
    assert w.db.path is not None
    db = str(w.db.path)
    pw, officer_pw, wrong = tmp_path / "admin.pw", tmp_path / "officer.pw", tmp_path / "wrong.pw"
    pw.write_text("secret123\n", encoding="utf-8")
    officer_pw.write_text("officer123\n", encoding="utf-8")
    wrong.write_text("wrong-pass1\n", encoding="utf-8")
    sheet = tmp_path / "恢复密钥单.pdf"
    untouched = _rows(w.db.path, leave_out=("user_account", "audit_event"))

    # refusals: one line, exit 3, nothing sealed, no slot
    for argv, message in (
        (("--user", "admin", "--password-file", str(wrong)), "错误：用户名或密码错误"),
        (("--user", "zhangsan", "--password-file", str(officer_pw)), "错误：只有中队长"),
        (("--user", "admin", "--password-file", str(tmp_path / "missing.pw")), "错误：密码文件不存在"),
        (("--user", "admin", "--password-file", str(pw), "--recovery-sheet", str(tmp_path / "no" / "x.pdf")),
         "错误：恢复密钥单不能写到"),
    ):
        code, out, err = _main(capsys, "encrypt", "--db", db, *argv)
        assert (code, out) == (3, "") and err.startswith(message) and err.count("\n") == 1, (argv, err)
        assert _rows(w.db.path, leave_out=("user_account", "audit_event")) == untouched

    code, out, err = _main(capsys, "encrypt", "--db", db, "--user", "admin", "--password-file", str(pw),
                           "--recovery-sheet", str(sheet))
    assert code == 0, err
    [line] = [x for x in out.splitlines() if x.startswith("恢复密钥：")]
    recovery = line.removeprefix("恢复密钥：")
    assert RECOVERY_RE.match(recovery) and "只显示这一次" in out and "zhangsan" in out
    assert str(plain.daily) in out and "before-sealing" in out and "仍含明文" in out
    assert "[100%]" in err  # the progress, on stderr
    text = subprocess.run(["pdftotext", "-layout", str(sheet), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert recovery in text and "竹根镇" in text
    for path in raw_files(w.db.path):
        data = path.read_bytes()
        assert all(n.encode() not in data for n in (plain.id_number, PHONE, ADDRESS)), path.name
    with UnitOfWork(w.db, actor="t", write=False) as u:
        assert keyring.slot_labels(u.session) == ["recovery", "user:admin"]
        assert unlock_with_recovery_key(UnitOfWork(w.db, actor="t", write=False), recovery) is not None

    # once encrypted: refused, and the data now needs unlocking on the command line too
    before = _rows(w.db.path)
    code, out, err = _main(capsys, "encrypt", "--db", db, "--user", "admin", "--password-file", str(pw))
    assert (code, out) == (3, "") and err.startswith("错误：本数据库已经加密") and err.count("\n") == 1
    assert _rows(w.db.path) == before


def test_a_failure_after_the_commit_still_gives_the_recovery_key_and_is_finished_later(
        plain: Plain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The values and the slots are committed; sealing a file then fails (a locked file, a full disk): the
    recovery key must still reach the administrator, and the next run finishes the files and the compaction."""
    w = plain.world
    assert w.db.path is not None

    def locked(*_args: Any) -> bool:
        raise PermissionError(13, "文件被占用")

    monkeypatch.setattr(at_rest, "seal_blob_file", locked)
    done = encrypt_database(UnitOfWork(w.db, actor="admin", clock=w.clock), "admin", "secret123")
    assert RECOVERY_RE.match(done.recovery_key) and done.report.sealed_values >= 4
    assert "没有完成" in done.report.unfinished and "文件被占用" in done.report.unfinished
    assert unfinished_encryption(w.uow()) and not needs_encryption(w.uow())
    assert needs_sealing(w.db)  # the scan is still in the clear, and readable with the key meanwhile
    assert read_blob(attachment_store(w.db.path), plain.attachment_sha, done.data_key).startswith(
        "身份证号".encode())
    monkeypatch.undo()

    # the command finishes it, as the administrator (an officer may not; nothing is re-sealed or backed up)
    pw = tmp_path / "admin.pw"
    pw.write_text("secret123", encoding="utf-8")
    backups = _backups(plain)
    code, out, err = _main(capsys, "encrypt", "--db", str(w.db.path), "--user", "admin", "--password-file", str(pw))
    assert code == 0 and "已完成加密：证据附件 1 个" in out, err
    assert not unfinished_encryption(w.uow()) and not needs_sealing(w.db) and _backups(plain) == backups
    for path in raw_files(w.db.path):
        data = path.read_bytes()
        assert all(n.encode() not in data for n in (plain.id_number, PHONE, ADDRESS)), path.name
    code, out, err = _main(capsys, "encrypt", "--db", str(w.db.path), "--user", "admin", "--password-file", str(pw))
    assert code == 3 and "已经加密" in err


def test_values_an_earlier_version_left_in_the_clear_are_sealed_at_the_administrators_next_login(
        world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database encrypted by an intermediate version, before the places (migration 0013) and a case's facts
    were declared sealed: they are still in the clear. Opened by this version (migration 0014 marks it),
    ``main.py encrypt`` — what the administrator's login runs too — seals them after a backup; the rest is left."""
    from services.core.db import Database
    from services.procedures import cases as c

    w = world
    assert w.db.path is not None
    with sqlite3.connect(str(w.db.path)) as conn:
        stored_party = conn.execute("SELECT id_number FROM party WHERE uid = ?", (w.adult,)).fetchone()[0]
    assert is_sealed(stored_party)
    old = prepare_intermediate(w)
    db = Database.open(w.db.path)
    try:
        assert db.current_revision() == "0014"
        assert unfinished_encryption(UnitOfWork(db, actor="t", clock=w.clock, write=False)) and needs_sealing(db)
    finally:
        db.dispose()
    before = len(list(backups_dir(w.db).glob("*.sqlite3")))
    pw = tmp_path / "admin.pw"
    pw.write_text("secret123", encoding="utf-8")
    code, out, err = _main(capsys, "encrypt", "--db", str(w.db.path), "--user", "admin", "--password-file", str(pw))
    assert code == 0 and "已完成加密：个人信息 2 项" in out and "仍含明文" in out, (out, err)
    conn = sqlite3.connect(str(w.db.path))
    try:
        place, stored_facts = conn.execute("SELECT place, facts FROM penalty_case WHERE uid = ?",
                                           (old.case_uid,)).fetchone()
        assert conn.execute("SELECT id_number FROM party WHERE uid = ?", (w.adult,)).fetchone()[0] == stored_party
    finally:
        conn.close()
    assert is_sealed(place) and is_sealed(stored_facts)
    assert len(list(backups_dir(w.db).glob("*.sqlite3"))) == before + 1  # a backup first
    db = Database.open(w.db.path)
    try:
        assert not unfinished_encryption(UnitOfWork(db, actor="t", clock=w.clock, write=False))
        assert not needs_sealing(db) and verify_database(db, deep=True).ok
        with UnitOfWork(db, actor="admin", clock=w.clock, data_key=w.key) as u:
            case = c.load_case(u.session, old.case_uid)
            assert (case.place, case.facts) == (ADDRESS, old.facts)
    finally:
        db.dispose()


def test_a_plaintext_district_on_postgresql_is_encrypted_the_same_way(plain_world: World, pg_server: str) -> None:
    """A district moved to PostgreSQL before encryption at rest (``district copy`` of a plaintext database): the
    administrator's upgrade seals every declared value in the server's rows — no ID number, phone or address left
    in the clear — and a login opens them again as they were. (The attachment files stay with the SQLite file.)"""
    import os

    from models.sealed import SEALED_COLUMNS
    from services.core.db import Database
    from services.district.transfer import copy_database
    from tests.services.district_helpers import pg_database

    w = plain_world
    with UnitOfWork(w.db, actor="admin", clock=w.clock) as u:
        p = u.session.scalar(select(Party).where(Party.uid == w.adult))
        assert p is not None
        p.phone, p.address = PHONE, ADDRESS
        u.commit()
    with w.uow() as u:
        before = {p.uid: (p.id_number, p.phone, p.address) for p in u.session.scalars(select(Party))}
    assert any(v[0] for v in before.values())
    with pg_database(pg_server, f"ed_plain_upgrade_{os.getpid()}") as url:
        pg = Database.open(url)
        try:
            copy_database(w.db, pg)
            assert needs_encryption(UnitOfWork(pg, actor="admin", clock=w.clock))
            done = encrypt_database(UnitOfWork(pg, actor="admin", clock=w.clock), "admin", "secret123")
            assert RECOVERY_RE.match(done.recovery_key)
            with pg.engine.connect() as c:
                for col in SEALED_COLUMNS:
                    values = c.exec_driver_sql(f'SELECT "{col.column}" FROM "{col.table}"').scalars().all()  # noqa: S608 - declared columns
                    assert all(v in ("", None) or is_sealed(v) for v in values), (col.table, col.column)
                stored = " ".join(str(r) for r in c.exec_driver_sql("SELECT * FROM party").all())
            for id_number, phone, address in before.values():
                for plain_value in (id_number, phone, address):
                    assert not plain_value or plain_value not in stored
            key = sign_in(UnitOfWork(pg, actor="admin", clock=w.clock), "admin", "secret123").data_key
            assert key is not None
            with UnitOfWork(pg, actor="admin", clock=w.clock, data_key=key) as u:
                after = {p.uid: (p.id_number, p.phone, p.address) for p in u.session.scalars(select(Party))}
            assert after == before
        finally:
            pg.dispose()
