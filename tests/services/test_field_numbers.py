"""A field laptop numbers documents from blocks its office assigns: the first ones come with the provisioned
database, the next ones with each reference bundle (docs/numbering.md)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from models.base import SHANGHAI
from models.mediation import MediationCommittee
from models.records import NumberBlock
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.errors import NumberingError
from services.core.uow import UnitOfWork
from services.reference.numbering import COMMITTEE_DOC_TYPES, committee_issuer, field_block_years, next_number
from services.reference.settings import Settings
from services.reference.setup import this_township
from services.sync import apply_bundle
from services.sync.reference import write_reference_bundle
from tests.services.sync_helpers import Pair, make_pair


@pytest.fixture
def pair(db: Database, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Pair:
    monkeypatch.setenv("ENFORCEDESK_HOME", str(tmp_path / "home"))
    return make_pair(db, clock, tmp_path)


def _blocks(db: Database, device_uid: str) -> list[tuple[str, str, int, int, int, int]]:
    with UnitOfWork(db, actor="t", write=False) as u:
        return [(b.uid, b.doc_type, b.year, b.first, b.last, b.next_seq) for b in u.session.scalars(
            select(NumberBlock).where(NumberBlock.device_uid == device_uid).order_by(NumberBlock.doc_type,
                                                                                      NumberBlock.first))]


def _number(uow: UnitOfWork, device_uid: str, doc_type: str = "summary_decision") -> str:
    with uow as u:
        s = u.session
        got = next_number(s, this_township(s), Settings(s), doc_type=doc_type, year=u.clock.today().year,
                          device_uid=device_uid)
        u.commit()
        return got.number


def test_a_provisioned_laptop_can_number_at_once_and_never_collides_with_the_office(pair: Pair) -> None:
    laptop_blocks = _blocks(pair.laptop, pair.laptop_uid)
    with UnitOfWork(pair.office, actor="t", write=False) as u:
        codes = Settings(u.session).dict("numbering.codes")
        size = Settings(u.session).int("numbering.field_block_size")
        committees = {committee_issuer(c).key for c in u.session.scalars(select(MediationCommittee))}
    year = pair.clock.today().year
    # The squad's types, and each committee's own sequence of the committee's types (under its 代字).
    keys = {t for t in codes if t not in COMMITTEE_DOC_TYPES} | {f"{t}@{c}" for t in COMMITTEE_DOC_TYPES
                                                                 for c in committees}
    assert {(t, y) for _u, t, y, *_ in laptop_blocks} == {(k, year) for k in keys}
    assert all(last - first + 1 == size for *_x, first, last, _n in laptop_blocks)
    assert _blocks(pair.office, pair.laptop_uid) == laptop_blocks  # the same records on both sides

    first = _number(pair.lu(), pair.laptop_uid)
    office = _number(pair.ou(), pair.office_uid)  # the office's own block starts after the laptop's
    laptop_seq = int(first.split("第")[1].rstrip("号"))
    office_seq = int(office.split("第")[1].rstrip("号"))
    assert laptop_seq == 1 and office_seq == size + 1


def test_each_reference_bundle_tops_the_laptop_up_when_it_runs_low(pair: Pair, tmp_path: Path) -> None:
    size = 50
    # The office learns (through the laptop's bundles) that it has used 40 of its 50 penalty decision numbers.
    with UnitOfWork(pair.office, actor="t") as u:
        u.session.execute(update(NumberBlock).where(NumberBlock.device_uid == pair.laptop_uid,
                                                    NumberBlock.doc_type == "summary_decision")
                          .values(next_seq=NumberBlock.first + 40))
        u.commit()
    before = _blocks(pair.office, pair.laptop_uid)
    ref = write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r1")
    after = _blocks(pair.office, pair.laptop_uid)
    added = sorted(set(after) - set(before))
    assert [(t, last - first + 1) for _u, t, _y, first, last, _n in added] == [("summary_decision", size)]
    assert added[0][3] > max(b[4] for b in before if b[1] == "summary_decision")  # after every block so far
    report = apply_bundle(pair.lu(), ref.path)
    assert report.total("quarantined") == 0
    assert added[0][0] in {b[0] for b in _blocks(pair.laptop, pair.laptop_uid)}
    # Nothing runs low now: the next reference bundle adds no block.
    write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r2")
    assert _blocks(pair.office, pair.laptop_uid) == after


def test_blocks_for_the_new_year_come_in_december() -> None:
    assert field_block_years(date(2026, 11, 30)) == (2026,)
    assert field_block_years(date(2026, 12, 1)) == (2026, 2027)


def test_a_laptop_without_blocks_says_to_sync_first(pair: Pair) -> None:
    pair.clock.current = datetime(pair.clock.today().year + 1, 1, 3, 9, tzinfo=SHANGHAI)  # a year with no blocks
    with pytest.raises(NumberingError, match="请先同步一次"):
        _number(pair.lu(), pair.laptop_uid)


def test_nothing_is_committed_to_the_office_while_a_laptop_is_made(db: Database, clock: FixedClock, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A record committed between the copy and the marking of what the laptop holds would be marked held without
    being in the copy, and never sent: the office's write lock is held from the copy to the marking."""
    import sqlite3

    import services.sync.provision as provision

    monkeypatch.setenv("ENFORCEDESK_HOME", str(tmp_path / "home"))
    assert db.path is not None
    office_path = db.path
    attempts: list[str] = []
    real_open = provision.Database.open

    def open_and_try_to_write(target: Path, **kw: object) -> Database:
        # Another program writing to the office database at this moment (after the copy was made).
        other = sqlite3.connect(str(office_path), timeout=0.2)
        try:
            other.execute("UPDATE app_setting SET value = value")
            other.execute("INSERT INTO local_state (key, value) VALUES ('concurrent', 'x')")
            other.commit()
            attempts.append("committed")
        except sqlite3.OperationalError as exc:
            attempts.append(str(exc))
        finally:
            other.close()
        return real_open(target, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(provision.Database, "open", open_and_try_to_write)
    pair = make_pair(db, clock, tmp_path)
    pair.dispose()
    # During provisioning the other writer is refused; when the test helper then opens the laptop's database
    # (the second Database.open) the lock is gone and the same write goes through.
    assert attempts == ["database is locked", "committed"]
