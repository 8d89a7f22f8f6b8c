"""Reference bundles go down in order, refuse gaps, keep settings the township changed itself, and new cases stamp
the reference version they used."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.enums import Procedure
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.sync import BundleRejected, apply_bundle
from services.sync.reference import write_reference_bundle
from tests.services.sync_helpers import Pair, make_pair


@pytest.fixture
def pair(db: Database, clock: FixedClock, tmp_path: Path) -> Pair:
    p = make_pair(db, clock, tmp_path)
    yield p
    p.dispose()


def test_reference_bundles_apply_in_order_and_stamp_new_records(pair: Pair, tmp_path: Path) -> None:
    first = write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r1")
    second = write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r2")
    assert (first.sequence, second.sequence) == (1, 2) and first.counts["calendar_day"] > 0
    with pytest.raises(BundleRejected, match="缺少第1版"):
        apply_bundle(pair.lu(), second.path)
    rep = apply_bundle(pair.lu(), first.path, receipt_dir=tmp_path / "back")
    assert rep.total("quarantined") == 0 and rep.total("conflicts") == 0
    apply_bundle(pair.lu(), second.path, receipt_dir=tmp_path / "back")
    assert pair.laptop.local("reference_version") == "2"
    from datetime import date

    from services.procedures.cases import ClueInput, register_clue

    case = register_clue(pair.lu(), ClueInput(party_uid=_any_party(pair), power_item_code=_any_code(pair),
                                              cause="测试", act_date=date(2026, 3, 1),
                                              discovered_on=date(2026, 3, 1), registered_on=date(2026, 3, 2)))
    with pair.laptop.raw() as conn:
        got = conn.execute("SELECT reference_version, procedure FROM penalty_case WHERE uid=?",
                           (case.uid,)).fetchone()
    assert got[0] == "2" and got[1] == Procedure.GENERAL.value


def _any_party(pair: Pair) -> str:
    with pair.laptop.raw() as conn:
        return conn.execute("SELECT uid FROM party WHERE kind='person' ORDER BY id LIMIT 1").fetchone()[0]


def _any_code(pair: Pair) -> str:
    with pair.laptop.raw() as conn:
        return conn.execute("SELECT code FROM power_item WHERE party_scope IN ('any', 'person') "
                            "ORDER BY id LIMIT 1").fetchone()[0]


def _set(uow: UnitOfWork, **values: object) -> None:
    from services.reference.settings import set_setting

    with uow as u:
        for key, value in values.items():
            set_setting(u.session, key.replace("__", "."), value)
        u.commit()


def _get(db: Database, key: str) -> int:
    from services.reference.settings import Settings

    with UnitOfWork(db, actor="t", write=False) as u:
        return Settings(u.session).int(key)


def test_a_setting_the_township_changed_since_the_last_reference_is_kept(pair: Pair, tmp_path: Path) -> None:
    _set(pair.ou(), statement__days=7, disclosure__working_days=9)
    first = apply_bundle(pair.lu(), write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r1").path,
                         receipt_dir=tmp_path / "back")
    assert first.kept_settings == () and _get(pair.laptop, "statement.days") == 7

    _set(pair.lu(), statement__days=10)  # the township's own decision (e.g. a local template)
    _set(pair.ou(), statement__days=6, disclosure__working_days=8)
    second = apply_bundle(pair.lu(), write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r2").path,
                          receipt_dir=tmp_path / "back")
    assert _get(pair.laptop, "statement.days") == 10  # kept
    assert _get(pair.laptop, "disclosure.working_days") == 8  # untouched here: follows the publisher
    assert second.kept_settings == (("statement.days", "10", "6"),)
    assert any("statement.days" in m and "保留本机值" in m and "10" in m and "6" in m for m in second.messages)

    third = apply_bundle(pair.lu(), write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r3").path,
                         receipt_dir=tmp_path / "back")
    assert third.kept_settings == (("statement.days", "10", "6"),) and _get(pair.laptop, "statement.days") == 10
    _set(pair.lu(), statement__days=6)  # back in line with the publisher: follows it again
    _set(pair.ou(), statement__days=5)
    apply_bundle(pair.lu(), write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r4").path,
                 receipt_dir=tmp_path / "back")
    assert _get(pair.laptop, "statement.days") == 5


def test_a_setting_set_here_before_any_reference_is_kept(pair: Pair, tmp_path: Path) -> None:
    _set(pair.lu(), statement__days=12)
    _set(pair.ou(), statement__days=7)
    report = apply_bundle(pair.lu(), write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r1").path,
                          receipt_dir=tmp_path / "back")
    assert report.kept_settings == (("statement.days", "12", "7"),) and _get(pair.laptop, "statement.days") == 12
