"""Sealed data where the sync keeps records aside (issue 17, the gaps left by the landing): the conflict log keeps
both versions sealed, logs a version once however often it comes back, shows the fields that really differ and,
once the incoming side is chosen, leaves the row sealed with its masked forms and blind index following the chosen
values; a record refused at import is kept sealed in the quarantine and shown opened in its review."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.party import Party
from models.sealed import mask_address
from services.core.cipher import is_sealed
from services.core.db import Database
from services.core.sealing import LOCKED_TEXT
from services.core.uow import UnitOfWork
from services.people.parties import party_choices
from services.sync import (
    apply_bundle,
    apply_receipt,
    list_conflicts,
    list_quarantine,
    plan_export,
    resolve_conflict,
    write_bundle,
)
from tests.services.conftest import World, resident_id
from tests.services.sync_helpers import Pair, add_party, bundle_rows, craft_bundle, make_pair, signer_for
from tests.services.test_sealing import encrypt, raw_rows

LAPTOP_ADDRESS, OFFICE_ADDRESS = "金山镇新街17号", "竹根镇新华街28号"
LAPTOP_NUMBER = resident_id(date(1979, 6, 1), "731")


@pytest.fixture
def pair(db: Database, clock: Any, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(db, clock, tmp_path)
    assert p.key is not None  # an encrypted office and its laptop
    yield p
    p.dispose()


def _edit(uow: UnitOfWork, uid: str, **values: Any) -> None:
    with uow as u:
        p = u.session.scalar(select(Party).where(Party.uid == uid))
        assert p is not None
        for k, v in values.items():
            setattr(p, k, v)
        u.commit()


def _send(p: Pair, out: Path, *, full: bool = False) -> Path:
    return write_bundle(p.lu(), plan_export(p.lu(), p.office_uid, full=full), out).path


def _conflicting(pair: Pair, tmp_path: Path) -> str:
    uid = add_party(pair.lu(), "冲突人")
    rep = apply_bundle(pair.ou(), _send(pair, tmp_path / "a"), receipt_dir=tmp_path / "r1")
    assert rep.receipt_path is not None
    apply_receipt(pair.lu(), rep.receipt_path)
    _edit(pair.lu(), uid, address=LAPTOP_ADDRESS, id_number=LAPTOP_NUMBER, phone="13955556666")
    pair.clock.current += timedelta(minutes=5)
    _edit(pair.ou(), uid, address=OFFICE_ADDRESS, phone="13800001111")
    rep2 = apply_bundle(pair.ou(), _send(pair, tmp_path / "b"), receipt_dir=tmp_path / "r2")
    assert rep2.total("conflicts") == 1
    return uid


def test_a_conflict_keeps_both_versions_sealed_and_shows_what_really_differs(pair: Pair, tmp_path: Path) -> None:
    uid = _conflicting(pair, tmp_path)
    [(local_json, incoming_json)] = raw_rows(pair.office, "SELECT local_json, incoming_json FROM sync_conflict")
    for text in (local_json, incoming_json):
        for clear in (LAPTOP_ADDRESS, OFFICE_ADDRESS, LAPTOP_NUMBER, "13955556666", "13800001111"):
            assert clear not in text
        assert is_sealed(json.loads(text)["address"])
    [c] = list_conflicts(pair.ou())
    assert (c.local["address"], c.incoming["address"]) == (OFFICE_ADDRESS, LAPTOP_ADDRESS)
    # the name is the same on both sides (and sealed values with different nonces are not "different")
    assert set(c.differing) >= {"address", "id_number", "phone"} and "name" not in c.differing
    assert "id_number_masked" not in c.local  # derived columns never travel
    # without the key the review shows a note, never the sealed text
    [locked] = list_conflicts(UnitOfWork(pair.office, actor="o", clock=pair.clock))
    assert locked.local["address"] == LOCKED_TEXT == locked.incoming["phone"]
    assert uid == c.record_uid


def test_the_same_incoming_version_is_logged_once_however_often_it_comes(pair: Pair, tmp_path: Path) -> None:
    uid = _conflicting(pair, tmp_path)
    # a full re-send carries the same version again: sealed with fresh nonces, it is still the same version
    again = apply_bundle(pair.ou(), _send(pair, tmp_path / "c", full=True), receipt_dir=tmp_path / "r3")
    assert again.total("conflicts") == 1
    assert raw_rows(pair.office, "SELECT count(*) FROM sync_conflict WHERE record_uid=?", uid) == [(1,)]


def test_taking_the_incoming_side_seals_the_row_and_its_derived_columns_follow(pair: Pair, tmp_path: Path) -> None:
    uid = _conflicting(pair, tmp_path)
    [c] = list_conflicts(pair.ou())
    assert pair.key is not None
    with pytest.raises(Exception, match="解锁"):  # without the key: refused, nothing written
        resolve_conflict(UnitOfWork(pair.office, actor="o", clock=pair.clock), c.uid, "incoming")
    assert len(list_conflicts(pair.ou())) == 1
    resolve_conflict(pair.ou(), c.uid, "incoming")
    [(address, number, phone, shown, masked_number, masked_phone, index)] = raw_rows(
        pair.office, "SELECT address, id_number, phone, address_masked, id_number_masked, phone_masked, "
                     "id_number_index FROM party WHERE uid=?", uid)
    assert all(is_sealed(v) for v in (address, number, phone))
    assert shown == mask_address(LAPTOP_ADDRESS) != mask_address(OFFICE_ADDRESS)
    assert masked_number == LAPTOP_NUMBER[:6] + "********" + LAPTOP_NUMBER[-4:]
    assert masked_phone == "139****6666"
    assert index == pair.key.blind_index("id_number", LAPTOP_NUMBER)
    assert [f.uid for f in party_choices(pair.ou(), LAPTOP_NUMBER)] == [uid]
    with pair.ou() as u:
        p = u.session.scalar(select(Party).where(Party.uid == uid))
        assert p is not None and (p.address, p.phone) == (LAPTOP_ADDRESS, "13955556666")
    from services.maintenance.deep import deep_check

    assert deep_check(pair.office).mismatches == ()  # the resolution's audit digest is the row as stored


def test_an_update_and_a_new_record_in_one_batch_get_their_own_derived_columns(pair: Pair, tmp_path: Path) -> None:
    """The merge writes a new row's masked forms and blind index with its INSERT and an updated row's with an
    UPDATE after it (services/sync/merge.py): in one batch holding both, each row gets its own."""
    assert pair.key is not None
    old = add_party(pair.lu(), "先到的人")
    rep = apply_bundle(pair.ou(), _send(pair, tmp_path / "a"), receipt_dir=tmp_path / "r1")
    assert rep.receipt_path is not None
    apply_receipt(pair.lu(), rep.receipt_path)
    before = raw_rows(pair.office, "SELECT id_number_index FROM party WHERE uid=?", old)[0][0]
    _edit(pair.lu(), old, address=LAPTOP_ADDRESS, id_number=LAPTOP_NUMBER, phone="13955556666")
    new = add_party(pair.lu(), "后到的人", seq="556")
    number = resident_id(date(1985, 1, 2), "556")
    rep2 = apply_bundle(pair.ou(), _send(pair, tmp_path / "b"), receipt_dir=tmp_path / "r2")
    assert (rep2.total("new"), rep2.total("conflicts"), rep2.total("quarantined")) == (1, 0, 0)
    [(shown, masked_number, masked_phone, index)] = raw_rows(
        pair.office, "SELECT address_masked, id_number_masked, phone_masked, id_number_index FROM party WHERE uid=?",
        old)
    assert shown == mask_address(LAPTOP_ADDRESS)
    assert masked_number == LAPTOP_NUMBER[:6] + "********" + LAPTOP_NUMBER[-4:] and masked_phone == "139****6666"
    assert index == pair.key.blind_index("id_number", LAPTOP_NUMBER) != before
    assert [f.uid for f in party_choices(pair.ou(), LAPTOP_NUMBER)] == [old]
    [(n_masked, n_phone, n_index)] = raw_rows(
        pair.office, "SELECT id_number_masked, phone_masked, id_number_index FROM party WHERE uid=?", new)
    assert n_masked == number[:6] + "********" + number[-4:] and n_index == pair.key.blind_index("id_number", number)
    assert n_phone == ""  # no phone given: the column's default, as the ORM leaves it
    assert [f.uid for f in party_choices(pair.ou(), number)] == [new]
    from services.maintenance.deep import deep_check

    assert deep_check(pair.office).mismatches == ()


def test_a_merged_choice_is_sealed_too(pair: Pair, tmp_path: Path) -> None:
    uid = _conflicting(pair, tmp_path)
    [c] = list_conflicts(pair.ou())
    resolve_conflict(pair.ou(), c.uid, {"address": "金山镇合并路1号"})
    [(address, shown)] = raw_rows(pair.office, "SELECT address, address_masked FROM party WHERE uid=?", uid)
    assert is_sealed(address) and shown == mask_address("金山镇合并路1号")


def test_a_refused_record_is_quarantined_sealed_and_reviewed_opened(pair: Pair, tmp_path: Path) -> None:
    assert pair.laptop.path is not None and pair.key is not None
    uid = add_party(pair.lu(), "被隔离")
    [rec] = bundle_rows(pair.laptop.path, "party", "WHERE t.uid=?", (uid,))
    rec.update(kind="no-such-kind", id_number=LAPTOP_NUMBER, address=LAPTOP_ADDRESS, phone="13955556666")
    bundle = craft_bundle(signer_for(pair.laptop.path), tmp_path / "q" / "bad.edsync", {"party": [rec]}, sequence=1)
    report = apply_bundle(pair.ou(), bundle, receipt_dir=tmp_path / "r")
    assert [q[1] for q in report.quarantined] == [uid]
    [(payload,)] = raw_rows(pair.office, "SELECT payload FROM sync_quarantine WHERE record_uid=?", uid)
    assert is_sealed(payload)
    for clear in (LAPTOP_ADDRESS, LAPTOP_NUMBER, "13955556666"):
        assert clear not in payload
    [seen] = list_quarantine(pair.ou())
    opened = json.loads(seen.payload)
    assert (seen.record_uid, opened["address"], opened["id_number"]) == (uid, LAPTOP_ADDRESS, LAPTOP_NUMBER)
    assert "kind" in seen.reason
    [locked] = list_quarantine(UnitOfWork(pair.office, actor="o", clock=pair.clock))
    assert locked.payload == LOCKED_TEXT


def test_the_upgrade_seals_what_an_older_version_set_aside_in_the_clear(plain_world: World) -> None:
    """A database written before encryption at rest holds its quarantine and conflicts in the clear: sealing it
    (services/maintenance/at_rest.py) seals them too, and they still read opened."""
    from models.sync import SyncConflict, SyncQuarantine
    from services.maintenance.at_rest import needs_sealing, seal_database
    from services.maintenance.deep import deep_check

    w = plain_world
    number = resident_id(date(1990, 2, 3), "418")
    local = {"uid": "r-1", "name": "旧冲突", "address": OFFICE_ADDRESS, "id_number": number, "version": 2}
    incoming = {**local, "address": LAPTOP_ADDRESS}
    with UnitOfWork(w.db, actor="t", clock=w.clock) as u:
        u.session.add(SyncConflict(uid="c-1", tbl="party", record_uid="r-1", local_json=json.dumps(local),
                                   incoming_json=json.dumps(incoming), bundle_uid="b-1", source_uid="d-1",
                                   created_at=w.clock.now()))
        u.session.add(SyncQuarantine(bundle_uid="b-1", tbl="party", record_uid="r-2", reason="取值不在允许范围内",
                                     payload=json.dumps({"uid": "r-2", "phone": "13977778888"}, ensure_ascii=False),
                                     created_at=w.clock.now()))
        u.commit()
    key = encrypt(w.db, w.clock)
    assert needs_sealing(w.db)
    seal_database(w.db, key, clock=w.clock)
    assert not needs_sealing(w.db)
    [(payload,)] = raw_rows(w.db, "SELECT payload FROM sync_quarantine")
    [(lj, ij)] = raw_rows(w.db, "SELECT local_json, incoming_json FROM sync_conflict")
    assert is_sealed(payload) and "13977778888" not in payload
    for text in (lj, ij):
        assert number not in text and OFFICE_ADDRESS not in text and LAPTOP_ADDRESS not in text
    keyed = UnitOfWork(w.db, actor="t", clock=w.clock, data_key=key)
    assert json.loads(list_quarantine(keyed)[0].payload)["phone"] == "13977778888"
    [c] = list_conflicts(UnitOfWork(w.db, actor="t", clock=w.clock, data_key=key))
    assert (c.local["id_number"], c.incoming["address"], c.differing) == (number, LAPTOP_ADDRESS, ("address",))
    assert deep_check(w.db).mismatches == ()


def test_a_cases_place_facts_and_reasons_are_sealed_and_read_opened(world: World) -> None:
    from datetime import timedelta as td

    from services.procedures import cases as c

    w = world
    found = w.clock.today() - td(days=2)
    facts = f"当事人在{OFFICE_ADDRESS}门前人行道堆放砖块约五立方米"
    uid = c.register_clue(w.uow(), c.ClueInput(cause="违法堆放物料", power_item_code="SR-003", party_uid=w.adult,
                                               act_date=found, discovered_on=found, registered_on=found,
                                               place=OFFICE_ADDRESS, facts=facts)).uid
    [(place, stored_facts)] = raw_rows(w.db, "SELECT place, facts FROM penalty_case WHERE uid=?", uid)
    assert is_sealed(place) and is_sealed(stored_facts)
    with w.uow() as u:
        case = c.load_case(u.session, uid)
        assert (case.place, case.facts) == (OFFICE_ADDRESS, facts)


def test_the_places_in_a_cases_records_are_sealed(world: World) -> None:
    """询问地点, 证据来源 and 查封扣押场所 name the scene, often a home: stored sealed (the case's own test above)."""
    from models.enums import CoerciveKind
    from services.procedures import coercion
    from tests.services.test_case_records import at, evidence, interview
    from tests.services.test_cases import MAR2
    from tests.services.test_coercion_trainings import _open_case

    w = world
    uid = _open_case(w)  # an item whose law provides for 查封、扣押
    interview(w, uid, at(MAR2, 9), w.officers[:2])
    evidence(w, uid)
    coercion.impose(w.uow(), uid, kind=CoerciveKind.IMPOUND, on=MAR2, officer_uids=w.officers[:2],
                    items=[coercion.SeizedItem("钢管", "40", "根")], reason="占道堆放", place=OFFICE_ADDRESS,
                    head_approved=True)
    stored = [*raw_rows(w.db, "SELECT place FROM case_interview"), *raw_rows(w.db, "SELECT source FROM evidence_item"),
              *raw_rows(w.db, "SELECT place FROM coercive_measure")]
    assert len(stored) == 3 and all(is_sealed(v) for (v,) in stored), stored
