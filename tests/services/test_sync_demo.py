"""The demo township database round-trips into an empty district database: same records, same statistics."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from models.base import SHANGHAI
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.statistics.yearly import yearly_stats
from services.sync import apply_bundle, apply_receipt, unacknowledged_count
from services.sync.tables import table_names
from tests.services.conftest import snapshot
from tests.services.sync_helpers import empty_district, full_bundle
from tests.services.unlock import data_key
from tools.demo.small import generate_demo_file

pytestmark = pytest.mark.slow


def _counts(db: Database) -> dict[str, int]:
    with db.raw() as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in table_names()}  # noqa: S608 - model tables


def test_demo_township_round_trips_into_a_district_database(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 21, 9, tzinfo=SHANGHAI))
    town_path = tmp_path / "town.sqlite3"
    generate_demo_file(town_path, scale="small")
    town = Database.open(town_path)
    district, du = empty_district(tmp_path / "district.sqlite3", clock)
    try:
        town_key = data_key(town)
        tu = lambda: UnitOfWork(town, actor="town", clock=clock, data_key=town_key)  # noqa: E731
        before = _counts(town)
        bundle, district_card = full_bundle(tu, du, tmp_path)
        assert bundle.total == sum(before.values())
        report = apply_bundle(du(), bundle.path, trust_new=True, receipt_dir=tmp_path / "back")
        assert report.total("quarantined") == 0 and report.total("conflicts") == 0, report.quarantined[:3]
        after = _counts(district)
        for table, n in before.items():
            own = 1 if table in ("township", "squad", "device") else 0  # the district's own identity rows
            assert after[table] == n + own, table
        for year in (2025, 2026):
            assert yearly_stats(du(), year) == yearly_stats(tu(), year)
        # the district's copy of a record is the township's, byte for byte, apart from local ids
        assert report.receipt_path is not None
        apply_receipt(tu(), report.receipt_path)
        assert unacknowledged_count(tu(), district_card.uid) == 0
        snap = snapshot(district)
        assert apply_bundle(du(), bundle.path).already_imported_at is not None
        assert snapshot(district) == snap
    finally:
        town.dispose()
        district.dispose()
