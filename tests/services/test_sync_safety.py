"""The whole chain and its failure modes: field laptop → township office → district with origins and receipts
intact, an import that dies half-way changes nothing, and restoring a backup waits for acknowledgements."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from models.enums import DeviceKind
from services.core.cipher import DataKey
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.storage import StorageMissing
from services.core.uow import UnitOfWork
from services.maintenance import backup as backup_service
from services.reference.setup import initialise
from services.sync import (
    apply_bundle,
    apply_receipt,
    plan_export,
    record_sync_state,
    trust_key_card,
    unacknowledged_count,
    write_bundle,
    write_key_card,
)
from services.sync import merge as merge_module
from tests.services.conftest import snapshot
from tests.services.sync_helpers import Pair, add_party, edit, make_pair, opened_row


@dataclass
class Chain:
    pair: Pair  # the township office (pair.office) and its field laptop
    district: Database
    district_uid: str
    district_key: DataKey | None = None

    def du(self) -> UnitOfWork:
        return UnitOfWork(self.district, actor="district", clock=self.pair.clock, data_key=self.district_key)


@pytest.fixture
def chain(db: Database, clock: FixedClock, tmp_path: Path) -> Iterator[Chain]:
    pair = make_pair(db, clock, tmp_path)
    district = Database.open(tmp_path / "district.sqlite3")
    c = Chain(pair, district, "")
    c.district_key = initialise(district, c.du(), township="五通桥区", squad="五通桥区综合行政执法局",
                                device_kind=DeviceKind.DISTRICT, admin_password="district-1").data_key
    write_key_card(c.du(), tmp_path / "district.card")
    write_key_card(pair.ou(), tmp_path / "office.card")
    c.district_uid = trust_key_card(pair.ou(), tmp_path / "district.card").uid
    trust_key_card(c.du(), tmp_path / "office.card")
    yield c
    district.dispose()
    pair.dispose()


def _schema(db: Database) -> list[tuple[Any, ...]]:
    assert db.path is not None
    conn = sqlite3.connect(str(db.path))
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()


def test_a_laptop_record_reaches_the_district_through_the_office(chain: Chain, tmp_path: Path) -> None:
    p = chain.pair
    party = add_party(p.lu(), "三跳人")
    p.clock.current += timedelta(minutes=3)
    edit(p.laptop, p.clock, "party", party, address="外勤机录入的地址")  # version 2, stamped on the laptop
    cols = "name, address, origin_device, version, updated_at, created_at"
    on_laptop = opened_row(p.laptop, "party", party, cols)
    assert on_laptop is not None and on_laptop[2] == p.laptop_uid and on_laptop[3] == 2

    # hop 1: laptop → office; the office's receipt acknowledges the laptop's versions
    to_office = write_bundle(p.lu(), plan_export(p.lu(), p.office_uid), tmp_path / "usb1").path
    at_office = apply_bundle(p.ou(), to_office, receipt_dir=tmp_path / "back1")
    assert at_office.total("quarantined") == 0 and at_office.total("conflicts") == 0
    assert opened_row(p.office, "party", party, cols) == on_laptop
    assert at_office.receipt_path is not None
    assert apply_receipt(p.lu(), at_office.receipt_path).acknowledged >= 1
    assert unacknowledged_count(p.lu(), p.office_uid) == 0
    assert record_sync_state(p.lu(), "party", party).startswith("已确认（乡镇办公室")

    p.clock.current += timedelta(minutes=5)
    # hop 2: office → district, the laptop's record among the office's own; origin device and version intact
    plan = plan_export(p.ou(), chain.district_uid)
    assert plan.counts.get("party", 0) >= 1
    to_district = write_bundle(p.ou(), plan, tmp_path / "usb2").path
    at_district = apply_bundle(chain.du(), to_district, receipt_dir=tmp_path / "back2")
    assert at_district.total("quarantined") == 0 and at_district.total("conflicts") == 0, at_district.quarantined
    assert opened_row(chain.district, "party", party, cols) == on_laptop
    assert unacknowledged_count(p.ou(), chain.district_uid) >= 1  # sent, no receipt yet

    # the district's receipt acknowledges the office's bundle, the laptop's record included
    assert at_district.receipt_path is not None
    assert apply_receipt(p.ou(), at_district.receipt_path).acknowledged >= plan.total
    assert unacknowledged_count(p.ou(), chain.district_uid) == 0
    assert record_sync_state(p.ou(), "party", party).startswith("已确认（区")
    assert plan_export(p.ou(), chain.district_uid).total == 0  # nothing left to send upward


def test_an_import_interrupted_half_way_leaves_the_database_as_it_was(chain: Chain, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    p = chain.pair
    bundle = write_bundle(p.ou(), plan_export(p.ou(), chain.district_uid, full=True), tmp_path / "usb").path
    before, schema = snapshot(chain.district), _schema(chain.district)
    insert = merge_module.Merger._insert
    done: list[str] = []

    def dies_in_party(self: merge_module.Merger, spec: Any, recs: Any, cols: Any, *derived: Any) -> None:
        insert(self, spec, recs, cols, *derived)  # derived: the sealed columns' masked forms and blind indexes
        done.append(spec.name)
        if spec.name == "party" and recs:  # dies after writing the first batch of parties
            # An environment failure (a record's own content would only quarantine that record:
            # services/sync/containment.py).
            raise OSError(5, "模拟：导入中途断电")

    monkeypatch.setattr(merge_module.Merger, "_insert", dies_in_party)
    # An I/O error is the storage's (services/core/storage.py): named as such, the import undone.
    with pytest.raises(StorageMissing, match="U 盘可能已拔出"):
        apply_bundle(chain.du(), bundle, receipt_dir=tmp_path / "back")
    assert {"township", "device", "party"} <= set(done)  # rows were written before it died
    assert snapshot(chain.district) == before and _schema(chain.district) == schema
    assert not (tmp_path / "back").exists() or not any((tmp_path / "back").iterdir())  # no receipt
    assert gc.isenabled()  # the merge's collector pause ended with it
    with chain.du() as u:
        assert u.session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -2000

    monkeypatch.setattr(merge_module.Merger, "_insert", insert)
    report = apply_bundle(chain.du(), bundle, receipt_dir=tmp_path / "back")
    assert report.total("new") > 0 and report.total("quarantined") == 0 and report.total("conflicts") == 0
    assert _schema(chain.district) == schema
    assert apply_bundle(chain.du(), bundle).already_imported_at is not None


def test_restoring_a_backup_needs_no_confirmation_once_everything_is_acknowledged(chain: Chain,
                                                                                   tmp_path: Path) -> None:
    p = chain.pair
    add_party(p.lu(), "已确认的人")
    report = apply_bundle(p.ou(), write_bundle(p.lu(), plan_export(p.lu(), p.office_uid), tmp_path / "usb").path,
                          receipt_dir=tmp_path / "back")
    assert report.receipt_path is not None
    apply_receipt(p.lu(), report.receipt_path)
    assert unacknowledged_count(p.lu()) == 0
    backup = backup_service.backup_database(p.laptop)
    result = backup_service.restore_backup(p.laptop, backup)
    assert result.safety_backup.exists()
