"""A damaged database file (issue 15): ``verify`` lists the damage (exit 1, no traceback) for each of the fault
trial's seven kinds, ``sync export`` refuses it (exit 3, one line, no bundle written), and the deep check names a
record whose bytes were changed while SQLite's own checks still pass."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from main import EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED, main
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.integrity import DamagedDatabase, quick_check, require_intact
from services.core.uow import UnitOfWork
from services.maintenance.verify import verify_database
from services.sync import apply_bundle, apply_receipt, list_conflicts, plan_export, resolve_conflict, write_bundle
from tests.cli_unlock import main_unlocked
from tests.services import damage
from tests.services.conftest import copy_demo
from tests.services.sync_helpers import add_party, edit, make_pair
from tests.services.unlock import demo_key, key_of_file
from tools.demo.small import DEMO_PASSWORD


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    return copy_demo(demo_template, tmp_path_factory.mktemp("demo") / "demo.sqlite3")


def _verify(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, object]]:
    rc = main(["verify", "--db", str(path), "--json", *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return rc, json.loads(out.out)


def test_the_healthy_demo_verifies_deeply_with_every_record_covered(demo: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(demo, copy)
    rc, report = _verify(copy, capsys, "--deep")
    assert (rc, report["problems"]) == (EXIT_OK, [])
    assert report["deep_checked"] > 2000  # the small demo writes through the services: a digest per record
    assert report["deep_uncovered"] == 0


@pytest.mark.parametrize("kind", sorted(damage.KINDS))
def test_verify_lists_each_kind_of_damage_and_exits_1(demo: Path, tmp_path: Path, kind: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = damage.damaged_copy(demo, tmp_path, kind)
    rc, report = _verify(path, capsys)
    assert rc == EXIT_PROBLEMS
    problems = report["problems"]
    assert isinstance(problems, list) and problems
    assert any("数据库文件损坏" in p["message"] for p in problems), problems


@pytest.mark.parametrize("kind", sorted(damage.KINDS))
def test_export_refuses_each_kind_of_damage_it_can_see(demo: Path, tmp_path: Path, kind: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Every kind but broken text in an audit event (events never travel, and the quick check does not read
    text) is refused before anything is written."""
    path = damage.damaged_copy(demo, tmp_path, kind)
    out = tmp_path / "out.edsync"
    rc = main_unlocked(["sync", "export", "--db", str(path), "--out", str(out)], DEMO_PASSWORD)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if kind == "bad_text":
        assert rc == EXIT_OK and out.exists()
        return
    assert rc == EXIT_REJECTED, err
    # damage the first connection meets is named by the storage classification (services/core/storage.py): a
    # destroyed header reads as "not a database file", which is what SQLite can tell
    assert "错误：数据库文件损坏" in err or "不是 EnforceDesk 的数据库文件" in err, err
    assert len([line for line in err.splitlines() if line.startswith("错误")]) == 1
    assert not out.exists()
    assert not any(p.suffix == ".edsync" or p.name.startswith(".") for p in tmp_path.iterdir()), list(tmp_path.iterdir())


def test_export_refuses_a_record_whose_text_no_longer_decodes(demo: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Damage the quick check cannot see: met while the records are read, the bundle is refused and removed."""
    path = tmp_path / "town.sqlite3"
    shutil.copyfile(demo, path)
    damage.bad_record_text(path)
    db = Database.open(path)
    try:
        assert quick_check(db) == []  # SQLite's structure is intact
    finally:
        db.dispose()
    out = tmp_path / "out.edsync"
    assert main_unlocked(["sync", "export", "--db", str(path), "--out", str(out)], DEMO_PASSWORD) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "错误：数据库文件损坏，已拒绝导出：记录中的文字无法解码" in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".edsync" or p.name.startswith(".")] == []
    # and verify names it among its problems
    rc, report = _verify(path, capsys, "--deep")
    assert rc == EXIT_PROBLEMS and any("数据库文件损坏" in str(p) for p in report["problems"])  # type: ignore[attr-defined]


def test_require_intact_names_the_damage(demo: Path, tmp_path: Path) -> None:
    path = damage.damaged_copy(demo, tmp_path, "index_page")
    db = Database.open(path)
    try:
        with pytest.raises(DamagedDatabase, match="数据库文件损坏，已拒绝导出：.*never used|数据库文件损坏，已拒绝导出"):
            require_intact(db, "导出")
    finally:
        db.dispose()


def test_the_deep_check_names_a_record_whose_bytes_changed(demo: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "town.sqlite3"
    shutil.copyfile(demo, path)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT uid, phone FROM party WHERE phone != '' ORDER BY id").fetchall()
    conn.close()
    data = path.read_bytes()
    # A phone number stored once in the file (not also in an audit event or a document): the change hits one record.
    uid = next(u for u, phone in rows[7:] if data.count(phone.encode()) == 1)
    damage.damage_record_content(path, "party", "phone", uid)
    rc, report = _verify(path, capsys)
    assert (rc, report["problems"]) == (EXIT_OK, [])  # SQLite and the audit chain see nothing wrong
    rc, report = _verify(path, capsys, "--deep")
    assert rc == EXIT_PROBLEMS
    messages = [p["message"] for p in report["problems"]]  # type: ignore[attr-defined]
    assert len(messages) == 1 and f"party {uid}" in messages[0], messages


def test_a_hand_edit_through_sqlite_is_found_by_the_deep_check(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "town.sqlite3"
    shutil.copyfile(demo, path)
    conn = sqlite3.connect(path)
    uid = conn.execute("SELECT uid FROM penalty_case ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE penalty_case SET fine_amount = coalesce(fine_amount, 0) + 10000 WHERE uid=?", (uid,))
    conn.commit()
    conn.close()
    db = Database.open(path)
    try:
        report = verify_database(db, deep=True)
    finally:
        db.dispose()
    assert [p.check for p in report.problems] == ["content"]
    assert f"penalty_case {uid}" in report.problems[0].message


def test_the_deep_check_after_an_exchange_raises_no_false_alarm_and_still_finds_a_hand_edit(
        db: Database, clock: FixedClock, tmp_path: Path) -> None:
    """Records written by imports (no digest of their own), by the services and by a conflict's resolution, on
    both sides of an exchange: nothing is reported; then a hand edit of a record last written locally is."""
    pair = make_pair(db, clock, tmp_path)
    try:
        def send(from_laptop: bool, folder: str) -> None:
            src, dst = (pair.lu, pair.ou) if from_laptop else (pair.ou, pair.lu)
            plan = plan_export(src(), pair.office_uid if from_laptop else pair.laptop_uid)
            bundle = write_bundle(src(), plan, tmp_path / folder).path
            report = apply_bundle(dst(), bundle, receipt_dir=tmp_path / f"{folder}-back")
            assert report.receipt_path is not None
            apply_receipt(src(), report.receipt_path)
            clock.current += timedelta(minutes=1)

        party = add_party(pair.lu(), "往返的当事人")
        clock.current += timedelta(minutes=1)
        send(True, "a")  # new at the office by import
        edit(pair.laptop, clock, "party", party, address="外勤机改的地址")
        send(True, "b")  # updated at the office by import
        edit(pair.office, clock, "party", party, phone="13900000001")
        send(False, "c")  # updated on the laptop by import, after the laptop's own edit
        midway = verify_database(pair.laptop, deep=True)
        assert midway.problems == () and midway.deep_uncovered == 0  # the office's version it imported: its digest
        edit(pair.laptop, clock, "party", party, address="外勤机又改")
        clock.current += timedelta(minutes=1)
        edit(pair.office, clock, "party", party, address="办公室也改")
        send(True, "d")  # a conflict at the office
        [c] = list_conflicts(pair.ou())
        resolve_conflict(pair.ou(), c.uid, "incoming")
        for side in (pair.office, pair.laptop):
            report = verify_database(side, deep=True)
            assert report.problems == (), report.problems
            assert report.deep_checked > 0

        assert db.path is not None
        conn = sqlite3.connect(db.path)
        conn.execute("UPDATE party SET address='手改的地址' WHERE uid=?", (party,))
        conn.commit()
        conn.close()
        report = verify_database(pair.office, deep=True)
        assert [p.check for p in report.problems] == ["content"] and party in report.problems[0].message
    finally:
        pair.dispose()


def test_provisioning_and_copying_refuse_a_damaged_database(demo: Path, tmp_path: Path) -> None:
    """The other ways a database leaves this machine: a field laptop's database and a copy (district copy)."""
    from services.district.transfer import copy_database
    from services.sync.provision import provision_device

    path = damage.damaged_copy(demo, tmp_path / "damaged", "index_page")
    key = key_of_file(path)  # the demo is encrypted: provisioning needs it unlocked, and the laptop's account
    db = Database.open(path)
    laptop = tmp_path / "laptop.sqlite3"
    try:
        with pytest.raises(DamagedDatabase, match="已拒绝制作新设备的数据库"):
            provision_device(UnitOfWork(db, actor="t", data_key=key), laptop, user="admin", password=DEMO_PASSWORD)
        assert not laptop.exists()
        target = Database.open(tmp_path / "copy.sqlite3")
        try:
            with pytest.raises(DamagedDatabase, match="已拒绝复制"):
                copy_database(db, target)
        finally:
            target.dispose()
    finally:
        db.dispose()


def test_a_damaged_database_is_refused_as_damaged_before_the_laptop_account_is_asked(demo: Path,
                                                                                      tmp_path: Path) -> None:
    """Unlocked by its administrator or not, with the laptop account's right password or a wrong one: the damage is
    the refusal (not Locked, not the password), no file is made and no failed attempt is written to the file."""
    from services.sync.provision import provision_device, provision_options

    path = damage.damaged_copy(demo, tmp_path / "damaged", "index_page")
    db = Database.open(path)
    laptop = tmp_path / "laptop.sqlite3"

    def failed_logins() -> int:
        conn = sqlite3.connect(path)
        try:
            return int(conn.execute("SELECT failed_logins FROM user_account WHERE username='admin'").fetchone()[0])
        finally:
            conn.close()

    try:
        key = demo_key(db)
        assert key is not None  # the demo is encrypted: the refusal below is not for want of a key
        before = failed_logins()
        with pytest.raises(DamagedDatabase, match="已拒绝制作新设备的数据库"):
            provision_options(UnitOfWork(db, actor="t"))  # what the screen asks first, before the password
        for password in (DEMO_PASSWORD, "not-the-password"):
            with pytest.raises(DamagedDatabase, match="已拒绝制作新设备的数据库"):
                provision_device(UnitOfWork(db, actor="t", data_key=key), laptop, user="admin", password=password)
            assert not laptop.exists() and not laptop.with_name(laptop.name + ".keys").exists()
        assert failed_logins() == before
    finally:
        db.dispose()


def test_no_daily_backup_of_a_damaged_database_pushes_out_the_good_ones(demo: Path, tmp_path: Path) -> None:
    from services.core.db import backup_sqlite, daily_backup

    path = tmp_path / "town.sqlite3"
    shutil.copyfile(demo, path)
    backups = tmp_path / "backups"
    good = [backup_sqlite(path, backups, reason="daily-old", keep=2) for _ in range(2)]
    damage.zero_page(path)
    assert daily_backup(path, backups, keep=2) is None
    assert sorted(backups.iterdir()) == sorted(good)


def test_a_reference_bundle_is_refused_from_a_damaged_database(db: Database, clock: FixedClock,
                                                               tmp_path: Path) -> None:
    from services.sync.reference import write_reference_bundle

    pair = make_pair(db, clock, tmp_path)
    try:
        assert db.path is not None
        db.engine.dispose()  # no connection keeps pages cached across the damage
        conn = sqlite3.connect(db.path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        damage.index_page(db.path)
        with pytest.raises(DamagedDatabase, match="已拒绝下发参考数据"):
            write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "ref")
        assert not (tmp_path / "ref").exists() or not any((tmp_path / "ref").iterdir())
    finally:
        pair.dispose()


def test_verify_without_a_key_lists_damage_to_an_encrypted_database_on_a_gbk_console(demo: Path,
                                                                                    tmp_path: Path) -> None:
    """The demo is encrypted (docs/encryption.md); ``verify`` takes no unlock flags and needs none: in a fresh
    process whose output is a file in the Chinese Windows code page, the damage is listed (exit 1), whole."""
    import os
    import subprocess
    import sys

    path = damage.damaged_copy(demo, tmp_path, "zero_page")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM key_slot").fetchone()[0] > 0  # sealed under a data key
    finally:
        conn.close()
    out = tmp_path / "verify.txt"
    with out.open("wb") as f:
        done = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[2] / "main.py"), "verify",
                               "--db", str(path)], env={**os.environ, "PYTHONIOENCODING": "gbk"}, stdout=f,
                              stderr=subprocess.PIPE)
    assert done.returncode == EXIT_PROBLEMS and b"Traceback" not in done.stderr, done.stderr.decode("gbk", "replace")
    text = out.read_bytes().decode("gbk")  # the code page, whole
    assert "[integrity]" in text and "数据库文件损坏" in text, text
