"""Bundles are numbered per sender, recipient and kind, and the importer checks them the same way.

A laptop's plain records bundle No. 1 (to nobody) and its No. 1 sealed to the office are two series
(docs/sync-bundle.md §The file, Sequence numbers): neither is "the same number, different content" of the other,
and neither fills a gap of the other.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.core.clock import FixedClock
from services.core.db import Database
from services.sync import apply_bundle, inspect_bundle, plan_export, sync_status, write_bundle
from tests.services.sync_helpers import Pair, add_party, make_pair, resigned, signer_for

CLASH = "同号包"


@pytest.fixture
def pair(db: Database, clock: FixedClock, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(db, clock, tmp_path)
    yield p
    p.dispose()


def _bundle(p: Pair, folder: Path, *, sealed: bool) -> tuple[Path, int]:
    result = write_bundle(p.lu(), plan_export(p.lu(), p.office_uid if sealed else None), folder)
    return result.path, result.sequence


@pytest.mark.parametrize("sealed_first", [False, True], ids=["plain-first", "sealed-first"])
def test_a_plain_and_a_sealed_no_1_are_two_bundles_of_two_series(pair: Pair, tmp_path: Path,
                                                                   sealed_first: bool) -> None:
    add_party(pair.lu(), "林外勤")
    plain, n_plain = _bundle(pair, tmp_path / "plain", sealed=False)
    sealed, n_sealed = _bundle(pair, tmp_path / "sealed", sealed=True)
    assert n_plain == n_sealed == 1
    for path in (sealed, plain) if sealed_first else (plain, sealed):
        preview = inspect_bundle(pair.ou(), path)
        assert not any(CLASH in w for w in preview.warnings), preview.warnings
        assert preview.missing_sequences == ()
        report = apply_bundle(pair.ou(), path, receipt_dir=tmp_path / "back")
        assert not any(CLASH in w for w in report.warnings) and report.missing_sequences == ()
    [peer] = [p for p in sync_status(pair.ou()).peers if p.code == pair.laptop_code]
    assert peer.missing == () and peer.last_received == 1


def test_a_gap_in_one_series_is_not_filled_by_the_other(pair: Pair, tmp_path: Path) -> None:
    add_party(pair.lu(), "甲")
    plain1, _ = _bundle(pair, tmp_path / "p1", sealed=False)
    add_party(pair.lu(), "乙", seq="556")
    plain2, _ = _bundle(pair, tmp_path / "p2", sealed=False)
    _bundle(pair, tmp_path / "lost", sealed=True)  # sealed No. 1 never reaches the office
    sealed2, n = _bundle(pair, tmp_path / "s2", sealed=True)
    assert n == 2
    for path in (plain1, plain2):
        assert apply_bundle(pair.ou(), path, receipt_dir=tmp_path / "back").missing_sequences == ()
    report = apply_bundle(pair.ou(), sealed2, receipt_dir=tmp_path / "back")
    assert report.missing_sequences == ((1, 1),) and "第1号同步包未收到" in report.messages
    [peer] = [p for p in sync_status(pair.ou()).peers if p.code == pair.laptop_code]
    assert peer.missing == ((1, 1),) and peer.last_received == 2


def test_the_same_number_with_other_content_in_one_series_is_still_reported(pair: Pair, tmp_path: Path) -> None:
    add_party(pair.lu(), "甲")
    plain, _ = _bundle(pair, tmp_path / "p1", sealed=False)
    assert pair.laptop.path is not None
    other = resigned(plain, tmp_path / "other.edsync", signer_for(pair.laptop.path),
                     lambda m: m.update(bundle_uid=str(uuid.uuid4())))
    apply_bundle(pair.ou(), plain, receipt_dir=tmp_path / "back")
    assert any(CLASH in w for w in inspect_bundle(pair.ou(), other).warnings)


def test_bundles_imported_before_the_series_were_recorded_fill_gaps_and_never_clash(pair: Pair,
                                                                                  tmp_path: Path) -> None:
    add_party(pair.lu(), "甲")
    plain, _ = _bundle(pair, tmp_path / "p1", sealed=False)
    sealed1, _ = _bundle(pair, tmp_path / "s1", sealed=True)
    add_party(pair.lu(), "乙", seq="556")
    sealed2, _ = _bundle(pair, tmp_path / "s2", sealed=True)
    apply_bundle(pair.ou(), plain, receipt_dir=tmp_path / "back")
    with pair.office.raw() as conn:  # as migration 0009 leaves a row imported before it: series unknown
        conn.execute("UPDATE imported_bundle SET recipient_uid = NULL")
        conn.commit()
    assert not any(CLASH in w for w in inspect_bundle(pair.ou(), sealed1).warnings)
    assert inspect_bundle(pair.ou(), sealed2).missing_sequences == ()  # the old No. 1 may have been this one


def test_a_bundle_far_ahead_of_its_own_series_is_refused_whatever_the_other_series_reached(
        pair: Pair, tmp_path: Path) -> None:
    from services.sync.errors import BundleRejected

    add_party(pair.lu(), "甲")
    sealed, _ = _bundle(pair, tmp_path / "s1", sealed=True)
    plain, _ = _bundle(pair, tmp_path / "p1", sealed=False)
    apply_bundle(pair.ou(), sealed, receipt_dir=tmp_path / "back")
    with pair.office.raw() as conn:  # the sealed series has come a long way
        conn.execute("UPDATE imported_bundle SET seq = 5000")
        conn.commit()
    assert pair.laptop.path is not None
    far = resigned(plain, tmp_path / "far.edsync", signer_for(pair.laptop.path),
                   lambda m: m.update(bundle_uid=str(uuid.uuid4()), sequence=1002))
    with pytest.raises(BundleRejected, match="sync.max_sequence_ahead"):
        inspect_bundle(pair.ou(), far)
    assert inspect_bundle(pair.ou(), plain).missing_sequences == ()
