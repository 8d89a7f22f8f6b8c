"""Issue 14: the screens and commands that read stored records survive rows no valid write produces.

Imports now refuse such values (tests/services/test_sync_values.py), but a district may hold rows an older version
stored unchecked. They are written here straight into the database — with sqlite3 on SQLite and with psycopg on
PostgreSQL, each what its column type lets through — and every reader must still run: ``stats``, ``list``,
``district grid``, ``supervise``, the report, the drill-down, the 工作台 and the list pages.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

import main
from services.read import home, queries
from tests.cli_unlock import main_unlocked
from tests.services.district_helpers import District

# (table, column, value, WHERE) — one row each; SQLite keeps any text in any column
SQLITE_DAMAGE: list[tuple[str, str, Any, str]] = [
    ("penalty_case", "fine_amount", 2**63 - 1, "fine_amount IS NOT NULL"),
    ("penalty_case", "fine_amount", -50_000, "fine_amount IS NOT NULL"),
    ("penalty_case", "registered_on", "9999-12-31", "1"),
    ("penalty_case", "decision_date", "2026-13-45", "decision_date IS NOT NULL"),
    ("penalty_case", "filed_on", "２０２６-０１-０５", "filed_on IS NOT NULL"),
    ("penalty_case", "number", "号" * 200_000, "1"),
    ("penalty_case", "extension_days", 2**62, "1"),
    ("penalty_case", "served_on", "9999-12-31", "served_on IS NOT NULL"),
    ("penalty_case", "paid_amount", "abc", "paid_amount IS NOT NULL"),
    ("case_event", "data", "[" * 100_000, "1"),
    ("case_event", "data", "{not json", "1"),
    ("case_event", "on_date", "2026-02-30", "1"),
    ("inspection", "inspected_on", "2026-02-30", "1"),
    ("inspection", "officer_turnout", "abc", "1"),
    ("inspection", "started_at", "garbage", "1"),
    ("mediation_case", "applied_on", "abc", "1"),
    ("mediation_case", "amount_involved", 2**63 - 1, "1"),
    ("mediation_case", "performance_deadline", "9999-12-31", "1"),
    ("officer", "cert_valid_to", "0000-00-00", "1"),
    ("party", "birth_date", "1850-13-01", "1"),
    ("coercive_measure", "started_on", "9999-12-31", "1"),
    ("township", "name", "镇" * 100_000, "1"),
]
# What PostgreSQL's column types let through: out of range, not out of type.
PG_DAMAGE: list[tuple[str, str, Any, str]] = [
    ("penalty_case", "fine_amount", 2**63 - 1, "fine_amount IS NOT NULL"),
    ("penalty_case", "fine_amount", -50_000, "fine_amount IS NOT NULL"),
    ("penalty_case", "registered_on", "10000-01-01", "TRUE"),
    ("penalty_case", "decision_date", "9999-12-31", "decision_date IS NOT NULL"),
    ("penalty_case", "served_on", "0001-01-01 BC", "served_on IS NOT NULL"),
    ("penalty_case", "extension_days", 2**31 - 1, "TRUE"),
    ("case_event", "data", "[" * 100_000, "TRUE"),
    ("case_event", "data", "{not json", "TRUE"),
    ("inspection", "inspected_on", "12345-06-07", "TRUE"),
    ("inspection", "officer_turnout", 2**31 - 1, "TRUE"),
    ("inspection", "started_at", "infinity", "TRUE"),
    ("mediation_case", "applied_on", "9999-12-31", "TRUE"),
    ("mediation_case", "amount_involved", 2**63 - 1, "TRUE"),
    ("officer", "cert_valid_to", "20000-01-01", "TRUE"),
    ("party", "birth_date", "0001-01-01", "TRUE"),
    ("coercive_measure", "started_on", "9999-12-31", "TRUE"),
]


def _damage(d: District) -> None:
    """Each value into its own row (the k-th row of its table matching WHERE), bypassing the application."""
    used: dict[str, int] = {}
    if d.dialect == "sqlite":
        assert d.db.path is not None
        conn = sqlite3.connect(str(d.db.path))
        try:
            for table, col, value, where in SQLITE_DAMAGE:
                k = used[table] = used.get(table, -1) + 1
                rid = conn.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT 1 OFFSET ?",  # noqa: S608 - constant tables and clauses
                                   (k,)).fetchone()[0]
                conn.execute(f'UPDATE {table} SET "{col}"=? WHERE id=?', (value, rid))  # noqa: S608 - constant tables
            conn.commit()
        finally:
            conn.close()
        return
    import psycopg

    with psycopg.connect(d.target) as conn:
        for table, col, value, where in PG_DAMAGE:
            k = used[table] = used.get(table, -1) + 1
            row = conn.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT 1 OFFSET %s",  # noqa: S608 - constant tables and clauses
                               (k,)).fetchone()
            assert row is not None
            conn.execute(f'UPDATE {table} SET "{col}"=%s WHERE id=%s', (value, row[0]))  # noqa: S608 - constant tables
        conn.commit()


def test_readers_survive_rows_an_older_version_stored_unchecked(any_district: District, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    d = any_district
    _damage(d)
    db = d.target
    for year in ("2025", "2026"):
        assert main.main(["stats", "--db", db, "--year", year, "--by-township"]) == 0
        assert main.main(["district", "grid", "--db", db, "--year", year]) in (0, 1)
        # the report prints names: it unlocks the (encrypted) district as its administrator (district_helpers)
        assert main_unlocked(["report", "--db", db, "--year", year, "--out", str(tmp_path / f"r{year}.pdf")],
                             "district-1") == 0
        assert main.main(["district", "drill", "--db", db, "--year", year, "--key", "fines_yuan"]) == 0
    assert main.main(["supervise", "--db", db]) in (0, 1)
    if d.dialect == "sqlite":
        assert main.main(["stats", "--db", db, "--year", "2026"]) == 0
        capsys.readouterr()
        for kind in ("cases", "inspections", "mediations", "parties", "documents"):
            assert main.main(["list", "--db", db, kind]) == 0
        assert "（日期损坏）" in capsys.readouterr().out  # 2026-02-30 and "abc" listed as damaged, not a crash
    snap = home.home_snapshot(d.uow(write=False))
    assert snap.counts is not None
    for name in ("inspections", "cases", "mediations", "parties", "officers"):
        page = queries.list_page(d.uow(write=False), name, queries.ListQuery(limit=500), district=True)
        assert page.total > 0


def test_sums_skip_damaged_amounts(any_district: District) -> None:
    """A fine of 2^63 − 1 fen or a negative one is not counted (it neither overflows nor lowers the total)."""
    from services.district.stats import district_stats

    d = any_district
    before = district_stats(d.uow(write=False), 2025).total["fines_yuan"]
    _damage(d)
    after = district_stats(d.uow(write=False), 2025).total["fines_yuan"]
    assert 0 <= after <= before
