"""A sync conflict on a sealed column (a party's address changed on the laptop and at the office): both versions stay
sealed in the conflict queue, are listed readable with the key (已加密 without it, never ``ed1:``), and the version
chosen is written sealed with its masked form refreshed; resolving needs the key (docs/encryption-data.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.party import Party
from models.sealed import SEALED_COLUMNS, masked
from services.core.cipher import Locked, is_sealed
from services.core.uow import UnitOfWork
from services.sync import apply_bundle, list_conflicts, plan_export, resolve_conflict, write_bundle
from services.sync.conflicts import SEALED_SHOWN
from tests.services.conftest import World
from tests.services.sync_helpers import Pair, add_party, make_pair, row


def _edit(uow: UnitOfWork, uid: str, **values: Any) -> None:
    with uow as u:
        p = u.session.scalar(select(Party).where(Party.uid == uid))
        assert p is not None
        for k, v in values.items():
            setattr(p, k, v)
        u.commit()


def _address(uow: UnitOfWork, uid: str) -> str:
    with uow as u:
        p = u.session.scalar(select(Party).where(Party.uid == uid))
        assert p is not None
        return str(p.address)


@pytest.fixture
def pair(world: World, tmp_path: Path) -> Any:
    p = make_pair(world.db, world.clock, tmp_path)
    yield p
    p.dispose()


def _conflict(pair: Pair, tmp_path: Path) -> str:
    party = add_party(pair.ou(), "双方都改过的当事人")
    first = write_bundle(pair.ou(), plan_export(pair.ou(), pair.laptop_uid), tmp_path / "a").path
    apply_bundle(pair.lu(), first, receipt_dir=tmp_path / "ra")
    _edit(pair.lu(), party, address="外勤改的地址")
    _edit(pair.ou(), party, address="办公室改的地址")
    second = write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "b").path
    apply_bundle(pair.ou(), second, receipt_dir=tmp_path / "rb")
    return party


def test_a_sealed_conflict_is_listed_readable_and_resolved_sealed(pair: Pair, tmp_path: Path) -> None:
    assert pair.key is not None
    party = _conflict(pair, tmp_path)
    with pair.office.engine.connect() as c:
        stored = c.exec_driver_sql("SELECT local_json || incoming_json FROM sync_conflict").scalar()
    assert "改的地址" not in str(stored)  # the queue keeps the sealed forms

    [c] = list_conflicts(pair.ou())
    assert (c.local["address"], c.incoming["address"]) == ("办公室改的地址", "外勤改的地址")
    assert "address" in c.differing and "id_number" not in c.differing  # the same number, sealed twice
    locked = UnitOfWork(pair.office, actor="office", clock=pair.clock)
    [shown] = list_conflicts(locked)
    assert shown.local["address"] == shown.incoming["address"] == SEALED_SHOWN and "address" in shown.differing
    assert not any(isinstance(v, str) and is_sealed(v) for v in (*shown.local.values(), *shown.incoming.values()))

    before = row(pair.office, "party", party)
    with pytest.raises(Locked):
        resolve_conflict(locked, c.uid, "incoming")
    assert row(pair.office, "party", party) == before and list_conflicts(pair.ou())

    resolve_conflict(pair.ou(), c.uid, "incoming")
    assert _address(pair.ou(), party) == "外勤改的地址"
    address, shown_masked = row(pair.office, "party", party, "address, address_masked") or ("", "")
    column = next(col for col in SEALED_COLUMNS if (col.table, col.column) == ("party", "address"))
    assert is_sealed(address) and shown_masked == masked(column, "外勤改的地址") != masked(column, "办公室改的地址")
    assert not list_conflicts(pair.ou())
