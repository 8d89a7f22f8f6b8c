"""Acceptance of encryption at rest (issue 17, the data half): the demo database sealed with a data key, then a
daily backup and a new attachment — and no ID number, mobile number or party's home address in the raw bytes of
the file, its WAL, the backup or the attachment store. Plus lists, exact search, verify and the upgrade itself."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from models.identifiers import check_resident_id
from models.party import Party
from services.core.cipher import DataKey, is_sealed
from services.core.db import Database
from services.core.keyring import create_data_key
from services.core.uow import UnitOfWork
from services.maintenance.at_rest import needs_sealing, seal_database
from services.maintenance.backup import backup_database
from services.maintenance.deep import deep_check
from services.maintenance.verify import verify_database
from services.people.parties import party_choices
from services.procedures.attachments import attach_file, attachment_store, read_blob, stored_blob_path
from services.read.queries import ListQuery, list_page
from tools.demo.small import demo_clock, generate_demo_file

# A second demo of its own, made the old way and then sealed (≈ 13 s of setup on the 2-core VM): slow by the rule of
# docs/architecture.md §8, so it runs in the full suite (CI) and not in the fast loop. The fast loop keeps the
# sealing's own tests (test_sealing.py, test_encryption_upgrade.py, test_sealed_gaps.py).
pytestmark = pytest.mark.slow

ID_RE = re.compile(rb"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
MOBILE_RE = re.compile(rb"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")


@dataclass
class Sealed:
    db: Database
    key: DataKey
    ids: set[str]
    phones: set[str]
    home_addresses: set[str]  # every party's address
    backup: Path
    earlier: tuple[Path, ...]
    attached_sha: str


def _plain(path: Path) -> tuple[set[str], set[str], set[str]]:
    conn = sqlite3.connect(str(path))
    try:
        ids = {r[0] for r in conn.execute("SELECT id_number FROM party WHERE id_type='resident_id' "
                                          "UNION SELECT operator_id_number FROM party WHERE operator_id_number != '' "
                                          "UNION SELECT id_number FROM case_interview WHERE id_number != ''")}
        phones = {r[0] for r in conn.execute("SELECT phone FROM party WHERE phone != '' UNION "
                                             "SELECT phone FROM case_interview WHERE phone != ''")}
        # every party's address, with no exception: the places and evidence sources that repeat them are sealed too
        addresses = {r[0] for r in conn.execute("SELECT address FROM party WHERE address != ''")}
        assert conn.execute("SELECT count(*) FROM inspection i JOIN party p ON instr(i.place, p.address) > 0 "
                            "WHERE p.address != ''").fetchone()[0] > 0  # the demo has such places
    finally:
        conn.close()
    return ids, phones, addresses


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sealed]:
    path = tmp_path_factory.mktemp("atrest") / "demo.sqlite3"
    generate_demo_file(path, scale="small", seed=7, encrypt=False)  # as an earlier version made it
    ids, phones, homes = _plain(path)
    clock = demo_clock()
    db = Database.open(path)
    assert needs_sealing(db)
    with UnitOfWork(db, actor="admin", clock=clock) as u:
        key = create_data_key(u.session, username="admin", password="secret123", now=clock.now()).key
        u.commit()
    report = seal_database(db, key, clock=clock)
    assert report.sealed_values > 0 and report.files > 0 and report.backup is not None
    assert not needs_sealing(db)
    daily = backup_database(db, reason="daily")
    # a new attachment: a scanned page that carries a party's ID number and phone
    party_id, party_phone = sorted(ids)[0], sorted(phones)[0]
    scan = path.parent / "scan.txt"
    scan.write_text(f"身份证号 {party_id} 电话 {party_phone}", encoding="utf-8")
    uow = UnitOfWork(db, actor="admin", clock=clock, data_key=key)
    with UnitOfWork(db, actor="admin", clock=clock, data_key=key) as u:
        case_uid = u.session.execute(select(Party.uid)).scalars().first()
    assert case_uid is not None
    info = attach_file(uow, attachment_store(path), record_table="party", record_uid=case_uid, src=scan)
    scan.unlink()
    # and a write through the services after sealing (it goes to the WAL first)
    with UnitOfWork(db, actor="admin", clock=clock, data_key=key) as u:
        p = u.session.scalar(select(Party).where(Party.phone_masked != "").limit(1))
        assert p is not None
        p.phone = "13987654321"
        u.commit()
    yield Sealed(db, key, ids, phones | {"13987654321"}, homes, daily, (report.backup, *report.earlier_backups),
                 info.sha256)
    db.dispose()


def _files(s: Sealed) -> list[Path]:
    assert s.db.path is not None
    store = attachment_store(s.db.path)
    out = [s.db.path, s.backup, *[p for p in store.rglob("*") if p.is_file()]]
    wal = Path(f"{s.db.path}-wal")
    if wal.exists():
        out.append(wal)
    return out


def test_no_personal_data_in_the_raw_bytes(sealed: Sealed) -> None:
    assert sealed.home_addresses, "the demo has home addresses to look for"
    wal = Path(f"{sealed.db.path}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the write after sealing is in it
    for path in _files(sealed):
        data = path.read_bytes()
        ids = [m.decode() for m in ID_RE.findall(data) if check_resident_id(m.decode()).ok]
        assert ids == [], (path.name, ids[:3])
        assert MOBILE_RE.findall(data) == [], (path.name, MOBILE_RE.findall(data)[:3])
        for needle in sealed.ids | sealed.phones | sealed.home_addresses:
            assert needle.encode("utf-8") not in data, (path.name, needle)


def test_the_backups_made_before_are_named(sealed: Sealed) -> None:
    before = sealed.earlier[0]
    assert before.exists() and "before-sealing" in before.name
    assert any(i.encode() in before.read_bytes() for i in sealed.ids)  # it does hold them: hence the message


def test_lists_show_masked_values_and_a_whole_id_number_finds_its_party(sealed: Sealed) -> None:
    clock = demo_clock()
    number = sorted(sealed.ids)[0]
    uow = UnitOfWork(sealed.db, actor="admin", clock=clock, data_key=sealed.key)
    page = list_page(uow, "parties", ListQuery(text=number, limit=20))
    assert page.total == 1
    row = page.rows[0]
    assert row[3] == number[:6] + "********" + number[-4:]
    assert str(row[5]).endswith("****") and not is_sealed(str(row[5]))  # the address's masked form
    found = party_choices(UnitOfWork(sealed.db, actor="admin", clock=clock, data_key=sealed.key), number)
    assert [f.id_masked for f in found] == [row[3]]
    # a part of a number finds nothing: sealed values cannot be searched by substring
    assert list_page(UnitOfWork(sealed.db, actor="admin", clock=clock, data_key=sealed.key), "parties",
                     ListQuery(text=number[:10], limit=20)).total == 0


def test_verify_deep_matches_the_sealed_records(sealed: Sealed) -> None:
    result = deep_check(sealed.db)
    assert result.mismatches == ()


def test_the_attachment_reads_back_with_the_key_only(sealed: Sealed) -> None:
    assert sealed.db.path is not None
    store = attachment_store(sealed.db.path)
    data = read_blob(store, sealed.attached_sha, sealed.key)
    assert data.startswith("身份证号".encode())
    with pytest.raises(Exception, match="加密"):
        read_blob(store, sealed.attached_sha, None)


def test_verify_checks_the_sealed_files_with_the_key_and_their_sizes_without(sealed: Sealed) -> None:
    assert verify_database(sealed.db, deep=True, data_key=sealed.key).ok
    assert verify_database(sealed.db, deep=True).ok
    assert sealed.db.path is not None
    target = stored_blob_path(attachment_store(sealed.db.path), sealed.attached_sha, sealed.key)
    original = target.read_bytes()
    try:
        target.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))  # one bit: same size
        with_key = verify_database(sealed.db, deep=True, data_key=sealed.key)
        assert [p.check for p in with_key.problems] == ["attachments"]
        target.write_bytes(original + b"x")  # grown: seen without the key too
        assert [p.check for p in verify_database(sealed.db, deep=True).problems] == ["attachments"]
    finally:
        target.write_bytes(original)


def test_sealing_again_changes_nothing(sealed: Sealed) -> None:
    report = seal_database(sealed.db, sealed.key, clock=demo_clock())
    assert (report.sealed_values, report.records, report.files) == (0, 0, 0)
