"""Reference bundles go down in order, refuse gaps, keep settings the township changed itself, and new cases stamp
the reference version they used."""

from __future__ import annotations

from datetime import date
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


def _statement_due(uow: UnitOfWork, uid: str) -> date:
    from services.procedures import cases

    return next(d.due_on for d in cases.get_case(uow, uid).deadlines if d.kind == "statement_period")


def test_a_reference_bundle_changing_the_statement_period_moves_stored_deadlines(pair: Pair, tmp_path: Path) -> None:
    from decimal import Decimal

    from models.enums import DiscretionTierName, ProposedOutcome
    from services.procedures import cases as c

    # The first reference brings the laptop its number blocks; then a case is notified on the laptop on Monday.
    apply_bundle(pair.lu(), write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r1").path,
                 receipt_dir=tmp_path / "back")
    with pair.laptop.raw() as conn:
        officers = [u for (u,) in conn.execute("SELECT uid FROM officer WHERE role='officer' AND cert_valid_to > "
                                               "'2026-12-31' ORDER BY id LIMIT 2")]
    uid = c.register_clue(pair.lu(), c.ClueInput(cause="占道", power_item_code="SR-003", party_uid=_any_party(pair),
                                                 act_date=date(2026, 2, 20), discovered_on=date(2026, 2, 21),
                                                 registered_on=date(2026, 2, 21))).uid
    c.file_case(pair.lu(), uid, on=date(2026, 3, 2), officer_uids=officers)
    c.conclude_investigation(pair.lu(), uid, on=date(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal("1000")))
    c.give_prior_notice(pair.lu(), uid, on=date(2026, 3, 2))
    assert _statement_due(pair.lu(), uid) == date(2026, 3, 9)  # five working days

    _set(pair.ou(), statement__days=10)  # the district's local template: ten working days
    report = apply_bundle(pair.lu(), write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r2").path,
                          receipt_dir=tmp_path / "back")
    assert _get(pair.laptop, "statement.days") == 10
    assert _statement_due(pair.lu(), uid) == date(2026, 3, 16)  # stored, not only computed on the next step
    assert any("重新计算 1 件" in m for m in report.messages)
    again = apply_bundle(pair.lu(), write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "r3").path,
                         receipt_dir=tmp_path / "back")
    assert not any("重新计算" in m for m in again.messages)  # nothing changed: nothing recomputed
