"""The import's INSERT triggers run once per batch (services/sync/deferred.py): every one of them deferred on a
database of this revision, restored verbatim, a trigger of any other text left firing per row, and an imported
bundle marked and indexed exactly as the per-row triggers do."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from models.base import SHANGHAI
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.sync import apply_bundle, inspect_bundle
from services.sync.deferred import Deferred, _marks
from tests.services.conftest import copy_demo
from tests.services.sync_helpers import empty_district, full_bundle
from tests.services.unlock import data_key

MARKED = {"inspection", "inspection_item", "campaign", "penalty_case", "coercive_measure", "transfer",
          "mediation_case", "training", "training_attendance"}


def _triggers(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    Database.open(tmp_path / "fresh.sqlite3").dispose()  # migrated to this revision
    conn = sqlite3.connect(tmp_path / "fresh.sqlite3", isolation_level=None)
    yield conn
    conn.close()


def test_every_insert_trigger_of_this_revision_is_deferred_and_restored_verbatim(fresh: sqlite3.Connection) -> None:
    before = _triggers(fresh)
    fresh.execute("BEGIN IMMEDIATE")
    deferred = Deferred.suspend(fresh)
    # a later migration that rewrites one of these triggers makes this fail: teach deferred.py its new text
    assert set(deferred.statements) == MARKED  # inspection: its marks and its text search
    assert len(deferred.statements["inspection"]) == 2
    gone = set(before) - set(_triggers(fresh))
    assert gone == {f"figure_mark_{t}_ins" for t in MARKED} | {"inspection_search_ins"}
    deferred.restore()
    fresh.execute("COMMIT")
    assert _triggers(fresh) == before
    # a trigger's WHEN only skips rows its statements would not mark anyway: the per-batch statement has no WHEN
    marks = _marks()
    assert marks is not None
    for table, when in marks.WHEN.items():
        assert all(when in cond for _extra, cond, _town, _day in marks.MARKS[table]), table


def test_a_trigger_of_any_other_text_keeps_firing_per_row(fresh: sqlite3.Connection) -> None:
    marks = _marks()
    assert marks is not None
    fresh.execute("DROP TRIGGER figure_mark_campaign_ins")
    odd = ("CREATE TRIGGER figure_mark_campaign_ins AFTER INSERT ON campaign BEGIN "
           "INSERT OR IGNORE INTO figure_dirty (township_id, year, month) VALUES (NEW.township_id, 1999, 1); END")
    fresh.execute(odd)
    fresh.execute("DROP TRIGGER inspection_search_ins")
    fresh.execute("CREATE TRIGGER inspection_search_ins AFTER INSERT ON inspection BEGIN "  # the shape, not the text
                  "INSERT INTO inspection_search (rowid, body) VALUES (NEW.id, 'x'); END")
    fresh.execute("BEGIN IMMEDIATE")
    deferred = Deferred.suspend(fresh)
    assert "campaign" not in deferred.statements and len(deferred.statements["inspection"]) == 1
    left = _triggers(fresh)
    assert left["figure_mark_campaign_ins"] == odd and "inspection_search_ins" in left
    deferred.restore()
    fresh.execute("ROLLBACK")


def _fts_terms(conn: sqlite3.Connection, table: str) -> dict[str, list[int]]:
    """Every term of a contentless FTS5 table with the rows it finds (what a search by one character returns)."""
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_v USING fts5vocab(main, {table}, 'row')")
    terms = [t for (t,) in conn.execute(f"SELECT term FROM temp.{table}_v")]  # noqa: S608 - the test's own tables
    return {t: [r for (r,) in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid",  # noqa: S608 - the test's own tables
                                            ('"' + t.replace('"', '""') + '"',))] for t in terms}


@pytest.mark.slow
def test_an_imported_bundle_is_marked_and_indexed_as_the_row_triggers_would(
        tmp_path: Path, demo_template: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 21, 9, tzinfo=SHANGHAI))
    town = Database.open(copy_demo(demo_template, tmp_path / "town" / "town.sqlite3"))
    district, du = empty_district(tmp_path / "district.sqlite3", clock)
    try:
        bundle = full_bundle(lambda: UnitOfWork(town, actor="town", clock=clock, data_key=data_key(town)), du,
                             tmp_path)[0].path
        with sqlite3.connect(tmp_path / "district.sqlite3") as conn:
            triggers = _triggers(conn)
            conn.execute("DELETE FROM figure_dirty")  # set-up's own marks: only the import's are compared
        inspect_bundle(du(), bundle, trust_new=True)  # a dry run: rolled back, triggers and all
        report = apply_bundle(du(), bundle, trust_new=True, receipt_dir=tmp_path / "back")
        assert report.total("new") > 1000 and report.total("quarantined") == 0
    finally:
        town.dispose()
        district.dispose()
    conn = sqlite3.connect(tmp_path / "district.sqlite3")
    try:
        assert _triggers(conn) == triggers
        marks = _marks()
        assert marks is not None
        # the district held no records: the per-row triggers would have marked every month of every record
        expected: set[tuple[int, int, int]] = set()
        for table in marks.MARKS:
            union = " UNION ALL ".join(marks._sources(table, "r", table))
            expected |= set(conn.execute(
                f"SELECT DISTINCT s.tw, CAST(substr(s.d, 1, 4) AS INTEGER), CAST(substr(s.d, 6, 2) AS INTEGER) "  # noqa: S608 - the migration's declaration
                f"FROM ({union}) AS s WHERE s.d IS NOT NULL"))
        assert len(expected) > 20
        assert set(conn.execute("SELECT township_id, year, month FROM figure_dirty")) == expected
        # the text search holds what rebuilding it from the rows gives, term by term and row by row
        body = marks._search_body("i").replace("i.place", "i.place_masked")
        conn.execute("CREATE VIRTUAL TABLE rebuilt USING fts5(body, content='', detail='none', tokenize='unicode61')")
        conn.execute(f"INSERT INTO rebuilt (rowid, body) SELECT i.id, {body} FROM inspection i")  # noqa: S608 - the migration's expression
        got, want = _fts_terms(conn, "inspection_search"), _fts_terms(conn, "rebuilt")
        assert len(want) > 50 and sum(map(len, want.values())) > 1000
        assert got == want
    finally:
        conn.close()
