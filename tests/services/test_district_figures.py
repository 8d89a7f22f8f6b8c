"""figure_month, the district's per-township monthly figures: exact after imports, edits and soft deletes.

The table is a cache of the records (services/statistics/figures.py). These tests change records the way imports
and forms do — dates moved to another month, a record moved to another township, soft deletes of parents whose
children count elsewhere — and check that (1) the triggers mark the old and the new township-months, (2) a reader
that finds cells still dirty counts them itself, (3) after a refresh the table equals a count from scratch and
every township's district figures equal a direct count of the same records (tests/services/direct_counts.py).
On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from models.base import SHANGHAI
from models.case import CoerciveMeasure, PenaltyCase
from models.enums import ItemResult
from models.inspection import Inspection, InspectionItem
from models.mediation import MediationCase
from models.records import Training
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.district import district_stats, monthly_stats, record_amendments
from services.district.common import townships
from services.district.stats import compute_district
from services.statistics.counting import live_cells
from services.statistics.figures import (
    check,
    dirty_cells,
    ensure_fresh,
    grouped_figures,
    pending_cell_count,
    refresh_figures,
    stored_cell_count,
)
from services.statistics.indicators import Period
from tests.services.direct_counts import direct_figures, load
from tests.services.district_helpers import YEAR, District

pytestmark = pytest.mark.slow

DELETED = datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def _assert_equals_direct_count(d: District, years: tuple[int, ...] = (YEAR - 1, YEAR, YEAR + 1)) -> None:
    """Every township's district figures (from figure_month) equal a direct count of the same records."""
    with d.uow(write=False) as u:
        rec, today = load(u.session), u.clock.today()
    for year in years:
        ds = district_stats(d.uow(write=False), year)
        p = Period(year)
        for tf in ds.townships:
            want = direct_figures(rec, p.start, p.end, today=today, township_id=tf.township.id)
            assert tf.figures == want, (year, tf.township.name)


def test_figures_equal_a_count_from_scratch_after_the_import(any_district: District) -> None:
    d = any_district
    assert ensure_fresh(d.uow(write=False)) >= 0
    with d.uow(write=False) as u:
        assert pending_cell_count(u.session) == 0
        assert stored_cell_count(u.session) > 12 * 6  # six townships, years of months
        assert check(u.session) == []
    _assert_equals_direct_count(d)


def _edit_records(d: District) -> dict[str, object]:
    """Edits that move figures between months and townships; returns what was moved where."""
    with d.uow() as u:
        s = u.session
        towns = townships(s)
        a, b = towns[0].id, towns[1].id
        # an inspection of township A with a rectified problem: moved to township B and to another month
        insp, rect = s.execute(
            select(Inspection, InspectionItem.rectified_on).join(InspectionItem, InspectionItem.inspection_id == Inspection.id)
            .where(Inspection.township_id == a, InspectionItem.result == ItemResult.PROBLEM,
                   InspectionItem.rectified_on.is_not(None), Inspection.inspected_on >= date(YEAR, 1, 1),
                   Inspection.inspected_on <= date(YEAR, 10, 31), Inspection.deleted_at.is_(None))
            .order_by(Inspection.id).limit(1)).one()
        old_day = insp.inspected_on
        new_day = date(YEAR, 12, 15) if old_day.month != 12 else date(YEAR, 1, 15)
        s.execute(update(Inspection).where(Inspection.id == insp.id).values(township_id=b, inspected_on=new_day))
        # a problem item of another inspection becomes "ok" (found and rectified both drop)
        item_id = s.scalar(select(InspectionItem.id).join(Inspection, Inspection.id == InspectionItem.inspection_id)
                           .where(Inspection.township_id == b, InspectionItem.result == ItemResult.PROBLEM,
                                  Inspection.inspected_on >= date(YEAR, 1, 1), Inspection.id != insp.id)
                           .order_by(InspectionItem.id).limit(1))
        s.execute(update(InspectionItem).where(InspectionItem.id == item_id).values(result=ItemResult.OK))
        # a case with a coercive measure soft-deleted: the measure's month drops too (it counts through its case)
        case_id = s.scalar(select(CoerciveMeasure.case_id).join(PenaltyCase, PenaltyCase.id == CoerciveMeasure.case_id)
                           .where(CoerciveMeasure.started_on >= date(YEAR, 1, 1), CoerciveMeasure.deleted_at.is_(None))
                           .order_by(CoerciveMeasure.id).limit(1))
        if case_id is not None:
            s.execute(update(PenaltyCase).where(PenaltyCase.id == case_id).values(deleted_at=DELETED))
        # a case decided in YEAR: its decision moves a month later and its fine changes
        case = s.scalar(select(PenaltyCase).where(PenaltyCase.decision_date >= date(YEAR, 2, 1),
                                                  PenaltyCase.decision_date <= date(YEAR, 11, 1),
                                                  PenaltyCase.fine_amount.is_not(None), PenaltyCase.deleted_at.is_(None))
                        .order_by(PenaltyCase.id).limit(1))
        assert case is not None and case.decision_date is not None
        s.execute(update(PenaltyCase).where(PenaltyCase.id == case.id)
                  .values(decision_date=case.decision_date + timedelta(days=31), fine_amount=12345))
        # a mediation ends a year later; a training is soft-deleted (its attendance drops with it)
        med = s.scalar(select(MediationCase.id).where(MediationCase.ended_on >= date(YEAR, 1, 1),
                                                      MediationCase.ended_on <= date(YEAR, 12, 31))
                       .order_by(MediationCase.id).limit(1))
        s.execute(update(MediationCase).where(MediationCase.id == med).values(ended_on=date(YEAR + 1, 3, 3)))
        training = s.scalar(select(Training.id).where(Training.held_on >= date(YEAR, 1, 1),
                                                     Training.held_on <= date(YEAR, 12, 31)).order_by(Training.id))
        if training is not None:
            s.execute(update(Training).where(Training.id == training).values(deleted_at=DELETED))
        u.commit()
    return {"a": a, "b": b, "old": old_day, "new": new_day, "rect": rect}


def test_edits_mark_old_and_new_months_and_the_figures_stay_exact(any_district: District) -> None:
    d = any_district
    ensure_fresh(d.uow(write=False))
    moved = _edit_records(d)
    a, b, old, new, rect = moved["a"], moved["b"], moved["old"], moved["new"], moved["rect"]
    assert isinstance(old, date) and isinstance(new, date) and isinstance(rect, date)
    with d.uow(write=False) as u:
        dirty = dirty_cells(u.session)
        # the inspection left A's old month for B's new one; its rectified problem left A for B
        for cell in ((a, *_ym(old)), (b, *_ym(new)), (a, *_ym(rect)), (b, *_ym(rect))):
            assert cell in dirty, cell
        # before any refresh, a reader counts the dirty cells from the records itself
        assert check(u.session) == []
        stored = grouped_figures(u.session, date(YEAR, 1, 1), date(YEAR, 12, 31), today=u.clock.today())
        live = live_cells(u.session, date(YEAR, 1, 1), date(YEAR, 12, 31))
        for tid in (a, b):
            for key in ("inspections", "problems_found", "problems_rectified", "fines_yuan"):
                assert stored[(tid, 0)][key] == sum(f[key] for c, f in live.items() if c[0] == tid), (tid, key)
    _assert_equals_direct_count(d)  # runs ensure_fresh first: the refresh path
    with d.uow(write=False) as u:
        assert pending_cell_count(u.session) == 0
        assert check(u.session) == []


def test_a_reader_that_cannot_refresh_still_gets_exact_figures(any_district: District) -> None:
    d = any_district
    ensure_fresh(d.uow(write=False))
    _edit_records(d)
    with d.uow(write=False) as u:  # no ensure_fresh: straight to the read path with dirty cells
        assert pending_cell_count(u.session) > 0
        rec, today, p = load(u.session), u.clock.today(), Period(YEAR)
        ds = compute_district(u.session, p, today=today, scope=townships(u.session))
        for tf in ds.townships:
            assert tf.figures == direct_figures(rec, p.start, p.end, today=today, township_id=tf.township.id)
        assert pending_cell_count(u.session) > 0  # nothing was written by the read


def test_months_from_the_table_add_up_to_the_year(any_district: District) -> None:
    d = any_district
    ds = district_stats(d.uow(write=False), YEAR)
    ms = monthly_stats(d.uow(write=False), YEAR)
    for key in ("inspections", "problems_found", "cases_filed", "fines_yuan", "mediation_accepted"):
        assert sum(ms.series(key)) == ds.total[key], key


def test_the_post_import_step_leaves_nothing_to_recompute(district: District) -> None:
    d = district
    _edit_records(d)
    with d.uow(write=False) as u:
        assert pending_cell_count(u.session) > 0
    record_amendments(d.uow(), "测试")
    with d.uow(write=False) as u:
        assert pending_cell_count(u.session) == 0
        assert check(u.session) == []


def test_migrating_an_existing_database_recounts_its_figures(district: District, tmp_path: Path) -> None:
    """Downgrade to 0003 (tables and triggers gone) and upgrade again: every month with records is dirty, and the
    first refresh rebuilds the same figures."""
    from alembic import command

    d = district
    assert refresh_figures(d.uow()) >= 0
    before = district_stats(d.uow(write=False), YEAR).to_json()
    cfg = d.db.alembic_config()
    with d.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with d.db.engine.connect() as conn:
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    assert not {n for n in tables if n.startswith(("figure_", "inspection_search", "search_seq"))}
    d.db.dispose()
    db = Database.open(d.db.path or tmp_path, backup_dir=tmp_path / "backups")
    try:
        with UnitOfWork(db, actor="t", clock=d.clock, write=False) as u:
            assert pending_cell_count(u.session) > 0 and stored_cell_count(u.session) == 0
        assert district_stats(UnitOfWork(db, actor="t", clock=d.clock, write=False), YEAR).to_json() == before
        with UnitOfWork(db, actor="t", clock=d.clock, write=False) as u:
            assert pending_cell_count(u.session) == 0
            assert check(u.session) == []
    finally:
        db.dispose()
