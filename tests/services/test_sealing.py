"""Sealed columns in the ORM (services/core/sealing.py): plaintext in the objects, sealed in the file, derived
columns for lists and exact search, refusal without the key, audit digests over the stored form."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from models.party import Party
from services.core.cipher import DataKey, Locked, is_sealed
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.keyring import create_data_key
from services.core.uow import UnitOfWork
from services.maintenance.deep import deep_check
from tests.services.conftest import World


@pytest.fixture
def world(plain_world: World) -> World:
    """These tests start from a database without a data key (made as before encryption at rest) and add one."""
    return plain_world



def raw_rows(db: Database, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    assert db.path is not None
    conn = sqlite3.connect(str(db.path))
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def encrypt(db: Database, clock: FixedClock, password: str = "secret123") -> DataKey:
    """A data key for the database (the lead wires this into setup and the first administrator login)."""
    with UnitOfWork(db, actor="tester", clock=clock) as u:
        key = create_data_key(u.session, username="admin", password=password, now=clock.now()).key
        u.commit()
    return key


def keyed(db: Database, clock: FixedClock, key: DataKey | None) -> Callable[[], UnitOfWork]:
    return lambda: UnitOfWork(db, actor="tester", clock=clock, data_key=key)


def test_a_plain_database_keeps_plaintext_and_fills_the_masked_column(world: World) -> None:
    with world.uow() as u:
        p = u.session.scalar(select(Party).where(Party.uid == world.adult))
        assert p is not None
        p.phone = "13812345678"
        u.commit()
    rows = raw_rows(world.db, "SELECT phone, phone_masked FROM party WHERE uid=?", world.adult)
    assert rows == [("13812345678", "138****5678")]


def test_sealed_in_the_file_plaintext_in_the_object(world: World) -> None:
    key = encrypt(world.db, world.clock)
    uow = keyed(world.db, world.clock, key)
    with uow() as u:
        p = u.session.scalar(select(Party).where(Party.uid == world.adult))
        assert p is not None
        number = p.id_number
        p.phone, p.address = "13812345678", "竹根镇盐码头街107号"
        u.commit()
        assert p.phone == "13812345678"  # the object reads as before the flush
        assert not u.session.is_modified(p)
    (phone, masked, address) = raw_rows(world.db, "SELECT phone, phone_masked, address FROM party WHERE uid=?",
                                    world.adult)[0]
    assert is_sealed(phone) and is_sealed(address) and masked == "138****5678"
    with uow() as u:
        again = u.session.scalar(select(Party).where(Party.uid == world.adult))
        assert again is not None and (again.phone, again.address) == ("13812345678", "竹根镇盐码头街107号")
        # the id number was not written in this change: it stays as it was stored (plaintext until sealed)
        assert again.id_number == number


def test_new_rows_are_sealed_with_a_blind_index(world: World) -> None:
    key = encrypt(world.db, world.clock)
    with keyed(world.db, world.clock, key)() as u:
        p = Party(township_id=None, kind="person", name="测试人", id_type="resident_id",
                  id_number="11010519491231002X", phone="13900001111")
        u.session.add(p)
        u.commit()
        uid = p.uid
        assert p.id_number == "11010519491231002X"
    stored, masked, index = raw_rows(world.db, "SELECT id_number, id_number_masked, id_number_index FROM party "
                                 "WHERE uid=?", uid)[0]
    assert is_sealed(stored) and "11010519491231002X" not in stored
    assert masked == "110105********002X"
    assert index == key.blind_index("id_number", "11010519491231002x")
    assert key.open(stored, table="party", column="id_number", uid=uid) == "11010519491231002X"


def test_without_the_key_values_stay_sealed_and_writes_are_refused(world: World) -> None:
    key = encrypt(world.db, world.clock)
    with keyed(world.db, world.clock, key)() as u:
        p = u.session.scalar(select(Party).where(Party.uid == world.adult))
        assert p is not None
        p.phone = "13812345678"
        u.commit()
    with keyed(world.db, world.clock, None)() as u:
        p = u.session.scalar(select(Party).where(Party.uid == world.adult))
        assert p is not None and is_sealed(p.phone)
        p.name = "孙成年甲"  # a column that is not sealed may change
        u.commit()
    with keyed(world.db, world.clock, None)() as u:
        p = u.session.scalar(select(Party).where(Party.uid == world.adult))
        assert p is not None
        p.phone = "13900000000"
        with pytest.raises(Locked):
            u.commit()
    assert raw_rows(world.db, "SELECT name, phone_masked FROM party WHERE uid=?", world.adult) == [
        ("孙成年甲", "138****5678")]


def test_audit_digests_cover_the_stored_form(world: World) -> None:
    key = encrypt(world.db, world.clock)
    uow = keyed(world.db, world.clock, key)
    with uow() as u:
        p = u.session.scalar(select(Party).where(Party.uid == world.adult))
        assert p is not None
        p.phone = "13812345678"
        u.session.flush()
        p.name = "孙成年乙"  # a second flush of the same object: the phone is not rewritten
        u.commit()
    result = deep_check(world.db)
    assert result.mismatches == ()
    assert result.checked > 0


def test_a_sealed_value_moved_to_another_row_is_reported_and_never_shown(world: World) -> None:
    key = encrypt(world.db, world.clock)
    uow = keyed(world.db, world.clock, key)
    with uow() as u:
        for uid, phone in ((world.adult, "13812345678"), (world.teen16, "13900001111")):
            p = u.session.scalar(select(Party).where(Party.uid == uid))
            assert p is not None
            p.phone = phone
        u.commit()
    (moved,) = raw_rows(world.db, "SELECT phone FROM party WHERE uid=?", world.adult)[0]
    assert world.db.path is not None
    conn = sqlite3.connect(str(world.db.path))
    conn.execute("UPDATE party SET phone=? WHERE uid=?", (moved, world.teen16))
    conn.commit()
    conn.close()
    with uow() as u:
        p = u.session.scalar(select(Party).where(Party.uid == world.teen16))
        assert p is not None and p.phone != "13812345678" and is_sealed(p.phone)
    assert any(m.uid == world.teen16 for m in deep_check(world.db).mismatches)




def test_an_address_is_masked_to_its_township() -> None:
    from models.sealed import mask_address

    assert mask_address("五通桥区竹根镇盐码头街107号") == "五通桥区竹根镇****"
    assert mask_address("乐山市五通桥区牛华街道金山村3组") == "乐山市五通桥区牛华街道****"
    assert mask_address("盐码头街107号院") == "盐码头街****"
    assert mask_address("竹根镇") == "***"


def test_rows_written_around_the_orm_get_their_masks(world: World) -> None:
    from services.maintenance.at_rest import fill_masked

    assert world.db.path is not None
    conn = sqlite3.connect(str(world.db.path))
    conn.execute("UPDATE party SET phone='13655556666', phone_masked='' WHERE uid=?", (world.adult,))
    conn.commit()
    conn.close()
    assert fill_masked(world.db) >= 1
    assert raw_rows(world.db, "SELECT phone_masked FROM party WHERE uid=?", world.adult) == [("136****6666",)]
