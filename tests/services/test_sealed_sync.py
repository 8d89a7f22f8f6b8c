"""Sealed personal data on the copy paths: sync bundles between databases with different keys (and one without
any), field-laptop provisioning (its own user's password opens it, no other), and district copy to PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from models.enums import DeviceKind, IdType, PartyKind, Role
from models.org import UserAccount
from models.party import Party
from services.core.cipher import DataKey, SealBroken, is_sealed
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.errors import PermissionDenied, ValidationError
from services.core.keyring import NoKeySlot, slot_labels, unlock_with_password
from services.core.uow import UnitOfWork
from services.people.accounts import open_account, sign_in
from services.people.parties import create_party_record, party_choices
from services.people.registry import PartyInput
from services.reference.setup import initialise
from services.sync import apply_bundle, plan_export, trust_key_card, write_bundle
from services.sync.provision import provision_device
from services.sync.tables import REFERENCE_TABLES
from services.sync.trust import write_key_card
from tests.services.conftest import World, resident_id
from tests.services.test_sealing import encrypt, raw_rows

NUMBER = resident_id(date(1985, 1, 2), "555")

@pytest.fixture
def world(plain_world: World) -> World:
    """These tests start from a database without a data key (made as before encryption at rest) and add one."""
    return plain_world



def _add_person(db: Database, clock: FixedClock, key: DataKey | None) -> str:
    return create_party_record(UnitOfWork(db, actor="office", clock=clock, data_key=key),
                               PartyInput(kind=PartyKind.PERSON, name="钱同步", id_type=IdType.RESIDENT_ID,
                                          id_number=NUMBER, phone="13811112222", address="竹根镇新华街8号")).uid


def _district(tmp_path: Path, clock: FixedClock) -> Database:
    district = Database.open(tmp_path / "district.sqlite3")
    initialise(district, UnitOfWork(district, actor="district", clock=clock), township="五通桥区",
               squad="区综合行政执法局", device_kind=DeviceKind.DISTRICT, admin_password="district-1",
               catalogue_effective_from=date(2016, 1, 1), encrypt=False)  # keyed (or not) by each test
    return district


def _send(src: Database, src_key: DataKey | None, dst: Database, dst_key: DataKey | None, clock: FixedClock,
          tmp_path: Path) -> None:
    su = lambda: UnitOfWork(src, actor="src", clock=clock, data_key=src_key)  # noqa: E731
    du = lambda: UnitOfWork(dst, actor="dst", clock=clock, data_key=dst_key)  # noqa: E731
    write_key_card(du(), tmp_path / "dst.card")
    card = trust_key_card(su(), tmp_path / "dst.card")
    bundle = write_bundle(su(), plan_export(su(), card.uid), tmp_path / "usb")
    report = apply_bundle(du(), bundle.path, trust_new=True, receipt_dir=tmp_path / "back")
    # the test world's reference data is not the district's own (quarantined as such): only records matter here
    records = [q for q in report.quarantined if q[0] not in REFERENCE_TABLES]
    assert records == [] and report.total("conflicts") == 0, records[:3]


def test_a_bundle_between_two_keys_is_sealed_again_by_the_receiver(world: World, tmp_path: Path) -> None:
    office_key = encrypt(world.db, world.clock)
    uid = _add_person(world.db, world.clock, office_key)
    district = _district(tmp_path, world.clock)
    try:
        district_key = encrypt(district, world.clock, "district-1")
        _send(world.db, office_key, district, district_key, world.clock, tmp_path)
        stored, masked, index, phone = raw_rows(district, "SELECT id_number, id_number_masked, id_number_index, phone "
                                                      "FROM party WHERE uid=?", uid)[0]
        assert is_sealed(stored) and is_sealed(phone)
        assert district_key.open(stored, table="party", column="id_number", uid=uid) == NUMBER
        with pytest.raises(SealBroken):
            office_key.open(stored, table="party", column="id_number", uid=uid)
        assert masked == NUMBER[:6] + "********" + NUMBER[-4:]
        assert index == district_key.blind_index("id_number", NUMBER) != office_key.blind_index("id_number", NUMBER)
        found = party_choices(UnitOfWork(district, actor="d", clock=world.clock, data_key=district_key), NUMBER)
        assert [f.uid for f in found] == [uid]
        with UnitOfWork(district, actor="d", clock=world.clock, data_key=district_key) as u:
            p = u.session.scalar(select(Party).where(Party.uid == uid))
            assert p is not None and (p.phone, p.address) == ("13811112222", "竹根镇新华街8号")
    finally:
        district.dispose()


def test_a_database_without_a_key_receives_plaintext_and_masks(world: World, tmp_path: Path) -> None:
    office_key = encrypt(world.db, world.clock)
    uid = _add_person(world.db, world.clock, office_key)
    district = _district(tmp_path, world.clock)
    try:
        _send(world.db, office_key, district, None, world.clock, tmp_path)
        assert raw_rows(district, "SELECT id_number, id_number_masked, phone_masked FROM party WHERE uid=?", uid) == [
            (NUMBER, NUMBER[:6] + "********" + NUMBER[-4:], "138****2222")]
    finally:
        district.dispose()


def test_the_field_laptop_opens_with_its_own_users_password_only(world: World, tmp_path: Path) -> None:
    office_key = encrypt(world.db, world.clock)
    uid = _add_person(world.db, world.clock, office_key)
    office = lambda: UnitOfWork(world.db, actor="office", clock=world.clock, data_key=office_key)  # noqa: E731
    open_account(office(), username="zhangsan", role=Role.OFFICER, officer="张三", password="Zhang2026pw")
    result = provision_device(office(), tmp_path / "laptop.sqlite3", kind=DeviceKind.FIELD, user="zhangsan",
                              password="Zhang2026pw")
    assert (result.user, result.user_name) == ("zhangsan", "张三")
    laptop = Database.open(result.path)
    try:
        with UnitOfWork(laptop, actor="laptop", clock=world.clock) as u:
            assert slot_labels(u.session) == ["recovery", "user:zhangsan"]
            with pytest.raises(NoKeySlot):
                unlock_with_password(u.session, "admin", "secret123")  # another office password does not open it
        key = sign_in(UnitOfWork(laptop, actor="laptop", clock=world.clock), "zhangsan", "Zhang2026pw").data_key
        with UnitOfWork(laptop, actor="laptop", clock=world.clock, data_key=key) as u:
            p = u.session.scalar(select(Party).where(Party.uid == uid))
            assert p is not None and p.id_number == NUMBER
        assert is_sealed(raw_rows(laptop, "SELECT id_number FROM party WHERE uid=?", uid)[0][0])
    finally:
        laptop.dispose()


def test_provisioning_an_encrypted_database_needs_the_key_and_a_user(world: World, tmp_path: Path) -> None:
    office_key = encrypt(world.db, world.clock)
    with pytest.raises(Exception, match="解锁"):
        provision_device(UnitOfWork(world.db, actor="office", clock=world.clock), tmp_path / "a.sqlite3")
    with pytest.raises(Exception, match="账户"):
        provision_device(UnitOfWork(world.db, actor="office", clock=world.clock, data_key=office_key),
                         tmp_path / "b.sqlite3")
    assert not (tmp_path / "a.sqlite3").exists() and not (tmp_path / "b.sqlite3").exists()


def test_a_wrong_laptop_password_is_refused_before_anything_is_written(world: World, tmp_path: Path) -> None:
    """The password is the account's own, checked like a login: a wrong one (here: a new one made up for the
    laptop) writes no file and nothing in the office but the failed attempt, which counts towards the lock-out."""
    office_key = encrypt(world.db, world.clock)
    office = lambda: UnitOfWork(world.db, actor="office", clock=world.clock, data_key=office_key)  # noqa: E731
    counted = ("user_account", "audit_event")  # the failed attempt, and its audit record

    def office_state() -> dict[str, object]:
        return {t: rows for t, rows in world.snapshot().items() if t not in counted}

    before, events = office_state(), set(world.snapshot()["audit_event"])
    dest = tmp_path / "usb" / "laptop.sqlite3"
    with pytest.raises(PermissionDenied, match="“admin”的密码不正确"):
        provision_device(office(), dest, user="admin", password="laptop-pass-1")
    with pytest.raises(ValidationError, match="不存在或已停用"):
        provision_device(office(), dest, user="nobody", password="laptop-pass-1")
    assert not dest.parent.exists()
    assert office_state() == before
    assert {row[4] for row in set(world.snapshot()["audit_event"]) - events} == {"user_account"}
    with office() as u:
        assert u.session.scalar(select(UserAccount.failed_logins).where(UserAccount.username == "admin")) == 1


@pytest.mark.parametrize("step", ["_trust_and_base", "_mark_held"])  # in the copy; and in the office, last
def test_a_failure_after_the_copy_leaves_no_file(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 step: str) -> None:
    """A copy that still holds every office account's slot must not stay behind (nor its WAL or key file)."""
    from services.sync import provision

    office_key = encrypt(world.db, world.clock)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(provision, step, broken)
    dest = tmp_path / "usb" / "laptop.sqlite3"
    with pytest.raises(RuntimeError):
        provision_device(UnitOfWork(world.db, actor="office", clock=world.clock, data_key=office_key), dest,
                         user="admin", password="secret123")
    assert list(dest.parent.iterdir()) == []


def test_district_copy_to_postgresql_stays_sealed_and_unlocks_with_the_same_password(
        world: World, tmp_path: Path, pg_server: str) -> None:
    import os

    from sqlalchemy import text

    from services.district.transfer import copy_database
    from tests.services.district_helpers import pg_database

    office_key = encrypt(world.db, world.clock)
    uid = _add_person(world.db, world.clock, office_key)
    with pg_database(pg_server, f"ed_sealed_copy_{os.getpid()}") as url:
        dst = Database.open(url)
        try:
            copy_database(world.db, dst)
            with dst.engine.connect() as conn:
                stored = conn.execute(text("SELECT id_number, address FROM party WHERE uid=:u"), {"u": uid}).one()
            assert all(is_sealed(v) for v in stored)
            with UnitOfWork(dst, actor="d", clock=world.clock) as u:
                key = unlock_with_password(u.session, "admin", "secret123")
            with UnitOfWork(dst, actor="d", clock=world.clock, data_key=key) as u:
                p = u.session.scalar(select(Party).where(Party.uid == uid))
                assert p is not None and (p.id_number, p.address) == (NUMBER, "竹根镇新华街8号")
                p.address = "竹根镇新华街9号" * 20  # longer than VARCHAR(200) holds once sealed: TEXT on PostgreSQL
                u.commit()
            found = party_choices(UnitOfWork(dst, actor="d", clock=world.clock, data_key=key), NUMBER)
            assert [f.uid for f in found] == [uid]
        finally:
            dst.dispose()


def test_a_restored_backup_is_sealed_and_unlocks_with_the_passwords_of_its_day(world: World) -> None:
    from models.enums import Role
    from services.maintenance.backup import backup_database, restore_backup

    office_key = encrypt(world.db, world.clock)
    uid = _add_person(world.db, world.clock, office_key)
    backup = backup_database(world.db, reason="daily")
    assert NUMBER.encode() not in backup.read_bytes() and "竹根镇新华街8号".encode() not in backup.read_bytes()
    restore_backup(world.db, backup, role=Role.SQUAD_LEADER, force_after_export=True)
    stored = raw_rows(world.db, "SELECT id_number, address FROM party WHERE uid=?", uid)[0]
    assert all(is_sealed(v) for v in stored)
    with UnitOfWork(world.db, actor="a", clock=world.clock) as u:
        key = unlock_with_password(u.session, "admin", "secret123")
    with UnitOfWork(world.db, actor="a", clock=world.clock, data_key=key) as u:
        p = u.session.scalar(select(Party).where(Party.uid == uid))
        assert p is not None and p.id_number == NUMBER
