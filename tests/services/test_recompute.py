"""Stored deadlines follow their inputs: the holiday calendar and the settings (recomputed by the services that
change them, in the same unit of work) and sync imports (the bulk path)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from models.base import SHANGHAI
from models.workdays import DayKind
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures import cases
from services.reference import calendar_admin, settings_admin
from services.reference.settings import Settings
from tests.services.conftest import World
from tests.services.unlock import data_key


def _limit(world: World, uid: str) -> tuple[date, bool]:
    d = next(x for x in cases.get_case(world.uow(), uid).deadlines if x.kind == "decision_limit")
    return d.due_on, d.provisional


def _filed(world: World, filed_on: date) -> str:
    c = cases.register_clue(world.uow(), cases.ClueInput(
        cause="占道", power_item_code="SR-003", party_uid=world.adult, act_date=filed_on - timedelta(days=10),
        discovered_on=filed_on - timedelta(days=9), registered_on=filed_on - timedelta(days=9)))
    cases.file_case(world.uow(), c.uid, on=filed_on, officer_uids=world.officers[:2])
    return c.uid


def test_provisional_deadline_is_recomputed_when_the_year_arrives(world: World) -> None:
    world.set_today(date(2026, 12, 1))
    uid = _filed(world, date(2026, 12, 1))
    assert _limit(world, uid) == (date(2027, 3, 1), True)  # 2027 is not in the holiday data
    # The district publishes 2027: suppose 2027-03-01 became a (hypothetical) day off.
    day = calendar_admin.save_calendar_day(world.uow(), date(2027, 3, 1), DayKind.LOCAL_HOLIDAY, "彝族年（示例）")
    assert day.recomputed == 1 and _limit(world, uid) == (date(2027, 3, 2), True)  # moved, still provisional
    assert calendar_admin.mark_calendar_year_official(world.uow(), 2027) == 1
    assert _limit(world, uid) == (date(2027, 3, 2), False)


def test_a_calendar_day_added_or_removed_through_the_service_moves_the_deadlines_it_touches(world: World) -> None:
    uid = _filed(world, date(2026, 2, 23))
    assert _limit(world, uid) == (date(2026, 5, 25), False)  # 90 days: Sunday 24 May rolls to Monday
    assert calendar_admin.save_calendar_day(world.uow(), date(2026, 5, 25), DayKind.LOCAL_HOLIDAY, "地方节日").recomputed
    assert _limit(world, uid) == (date(2026, 5, 26), False)
    assert calendar_admin.remove_calendar_day(world.uow(), date(2026, 5, 25)) >= 1
    assert _limit(world, uid) == (date(2026, 5, 25), False)


def test_a_settings_change_recomputes_open_deadlines_in_the_same_unit_of_work(world: World) -> None:
    uid = _filed(world, date(2026, 2, 23))
    assert _limit(world, uid)[0] == date(2026, 5, 25)
    row = settings_admin.update_setting(world.uow(), "decision.limit_days", "60")
    assert row.recomputed == 1 and _limit(world, uid)[0] == date(2026, 4, 24)


def test_a_failed_recompute_leaves_the_setting_and_the_deadlines_as_they_were(world: World) -> None:
    uid = _filed(world, date(2026, 2, 23))
    before = world.snapshot()
    # A limit past the last date Python can represent: the recompute of the open case cannot finish.
    with pytest.raises(ValidationError, match="超出可表示的日期范围") as refused:
        settings_admin.update_setting(world.uow(), "decision.limit_days", "4000000")
    assert refused.value.field == "value"
    assert world.snapshot() == before
    with world.uow() as u:
        assert Settings(u.session).int("decision.limit_days") == 90
    assert _limit(world, uid)[0] == date(2026, 5, 25)


def test_new_catalogue_version_applies_to_later_acts_only(world: World) -> None:
    from decimal import Decimal

    from services.reference.catalogue import ItemVersionInput, current_item, supersede_item

    supersede_item(world.uow(), "SR-003", ItemVersionInput(effective_from=date(2026, 1, 1), fine_max=Decimal(5000),
                                                           reason="地方性法规修订"))
    with world.uow() as u:
        old, new = current_item(u.session, "SR-003", date(2025, 6, 1)), current_item(u.session, "SR-003", date(2026, 2, 1))
        assert (old.item_version, old.fine_max, old.effective_to) == (1, Decimal("2000.00"), date(2025, 12, 31))
        assert (new.item_version, new.fine_max, new.supersedes_uid) == (2, Decimal("5000.00"), old.uid)
        assert len(new.tiers) == len(old.tiers)
    with pytest.raises(ValidationError, match="下限不能高于上限"):
        supersede_item(world.uow(), "SR-003", ItemVersionInput(effective_from=date(2026, 3, 1), fine_min=Decimal(9000)))


def _township(tmp_path: Path, seed: int) -> Database:
    """A small bulk township (tools/demo/bulk): cases, disputes and measures in every state."""
    from services.reference.setup import initialise
    from tools.demo.bulk import generate_township

    db = Database.open(tmp_path / f"town{seed}.sqlite3")
    initialise(db, _uow(db), township="竹根镇", squad="竹根镇综合行政执法中队", admin_password="secret123",
               catalogue_effective_from=date(2016, 1, 1))
    generate_township(db, seed=seed, today=date(2026, 3, 2), scale=0.01, data_key=data_key(db, "admin", "secret123"))
    return db


def _uow(db: Database) -> UnitOfWork:
    return UnitOfWork(db, actor="tester", clock=FixedClock(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)))


def test_bulk_recompute_matches_the_orm_path(tmp_path: Path) -> None:
    """services.procedures.recompute.recompute_bulk (sync imports) against recompute_owners (ORM) on a small township:
    cases, disputes and coercive measures in every state, every closed one given a stale deadline row first so
    the bulk path recomputes it too."""
    from sqlalchemy import text

    from services.procedures.recompute import recompute_bulk, recompute_owners

    db = _township(tmp_path, 5)
    with db.raw() as conn:
        owners = {(t, i) for t in ("penalty_case", "mediation_case", "coercive_measure")
                  for (i,) in conn.execute(f"SELECT id FROM {t}")}  # noqa: S608 - constant tables
    assert len(owners) > 300

    def deadlines(bulk: bool) -> list[tuple[object, ...]]:
        with _uow(db) as u:
            conn = u.session.connection()
            for t in ("penalty_case", "mediation_case", "coercive_measure"):
                conn.execute(text(f"INSERT INTO deadline (owner_table, owner_id, kind, due_on, provisional, basis) "  # noqa: S608 - constant tables
                                  f"SELECT '{t}', id, 'payment', '2000-01-01', 0, 'stale' FROM {t} WHERE id NOT IN "
                                  f"(SELECT owner_id FROM deadline WHERE owner_table='{t}')"))
            if bulk:
                assert recompute_bulk(u.session, owners) > 200
            else:
                recompute_owners(u.session, owners)
            rows = conn.execute(text("SELECT owner_table, owner_id, kind, due_on, provisional, met_on, basis "
                                     "FROM deadline ORDER BY 1, 2, 3")).all()
        return [tuple(r) for r in rows]  # uncommitted: the unit of work rolls back

    try:
        orm = deadlines(bulk=False)
        assert deadlines(bulk=True) == orm and len(orm) > 500 and all(r[6] != "stale" for r in orm)
    finally:
        db.dispose()


def test_bulk_recompute_skips_records_that_arrive_closed(tmp_path: Path) -> None:
    from services.procedures.recompute import recompute_bulk

    db = _township(tmp_path, 6)
    try:
        with db.raw() as conn:
            before = conn.execute("SELECT owner_table, owner_id, kind, due_on, provisional, met_on, basis "
                                  "FROM deadline ORDER BY 1, 2, 3").fetchall()
            owners = {("penalty_case", i) for (i,) in conn.execute("SELECT id FROM penalty_case")}
        with _uow(db) as u:  # the generator stored deadlines for open cases only, as the bulk path computes them
            recompute_bulk(u.session, owners)
            u.commit()
        with db.raw() as conn:
            after = conn.execute("SELECT owner_table, owner_id, kind, due_on, provisional, met_on, basis "
                                 "FROM deadline ORDER BY 1, 2, 3").fetchall()
        assert after == before
    finally:
        db.dispose()
