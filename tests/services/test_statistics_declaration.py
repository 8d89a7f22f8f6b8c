"""What is written outside the declaration of the statistics, checked against it.

services/statistics/indicators.py declares each statistic once. Three things cannot be derived from it and are
held to it here: the ``figure_month`` columns (the model, and what the migrations build on SQLite and
PostgreSQL), the marking triggers of migration 0004 (raw SQL frozen in the migration: for every table a flow
counts, the township and date of every figure a written row can move, on both databases) and the dates by which
a late record is listed as an amendment of a closed period (services/district/closing.py).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import BigInteger, FromClause, Integer, Join, Table, inspect, text

from models.base import Money
from services.core.db import Database
from services.district.closing import AMENDABLE
from services.statistics.figure_table import FIGURE_MONTH
from services.statistics.indicators import FLOWS, SUMMED_KEYS, Flow

VERSIONS = Path(__file__).resolve().parents[2] / "services" / "migrations" / "versions"
KEY_COLUMNS = ["year", "month", "township_id"]
SUFFIXES = ("ins", "upd", "del")


def _migration(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, VERSIONS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _latest(attribute: str) -> Any:
    """``attribute`` of the newest migration defining it: a later migration that rebuilds the marking triggers
    (for a new date column, say) states its own ``MARKS``, and that is the one the databases run."""
    found = None
    for path in sorted(VERSIONS.glob("0*.py")):
        found = getattr(_migration(path.stem), attribute, found)
    assert found is not None
    return found


def _tables(source: FromClause) -> list[str]:
    if isinstance(source, Join):
        return _tables(source.left) + _tables(source.right)
    assert isinstance(source, Table)
    return [source.name]


def _column(expr: Any) -> tuple[str, str]:
    col = getattr(expr, "expression", expr)  # an ORM attribute, or a column of a table
    return col.table.name, col.name


def _literal(cond: Any) -> str:
    return str(cond.compile(compile_kwargs={"literal_binds": True}))


def counted_tables() -> set[str]:
    return {t for f in FLOWS for t in _tables(f.base.source())}


# -- figure_month ---------------------------------------------------------------------------------------------

def test_figure_month_has_one_column_per_flow_named_by_its_key() -> None:
    cols = FIGURE_MONTH.columns
    # as sets: a flow declared later gets its column appended by its migration, wherever the declaration puts it
    assert [c.name for c in cols][:3] == KEY_COLUMNS and {c.name for c in cols} == {*KEY_COLUMNS, *SUMMED_KEYS}
    for f in FLOWS:
        kind = cols[f.key].type
        assert isinstance(kind, Money) if f.money else isinstance(kind, Integer), f.key


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database migrated to the head, on SQLite and on PostgreSQL."""
    target = str(tmp_path / "empty.sqlite3") if request.param == "sqlite" else request.getfixturevalue("empty_pg_url")
    db = Database.open(target)
    try:
        yield db
    finally:
        db.dispose()


def test_the_migrations_build_figure_month_from_the_flows_and_mark_every_counted_table(migrated: Database) -> None:
    db = migrated
    columns = inspect(db.engine).get_columns("figure_month")
    assert [c["name"] for c in columns][:3] == KEY_COLUMNS
    assert {c["name"] for c in columns} == {*KEY_COLUMNS, *SUMMED_KEYS}
    money = {f.key for f in FLOWS if f.money}
    for c in columns:  # money as integer fen (Money's storage), so a sum over the district stays exact
        assert isinstance(c["type"], BigInteger if c["name"] in money else Integer), c
    if db.engine.dialect.name == "sqlite":
        sql = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
    else:  # a statement trigger and the function it runs
        sql = ("SELECT t.tgname, c.relname, p.prosrc FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
               "JOIN pg_proc p ON p.oid = t.tgfoid")
    with db.engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    triggers = {name: (table, body) for name, table, body in rows if name.startswith("figure_mark_")}
    wanted = {f"figure_mark_{t}_{s}": t for t in counted_tables() for s in SUFFIXES}
    assert {n: t for n, (t, _b) in triggers.items()} == wanted
    for f in FLOWS:  # each body writes the marks and reads the date that places the flow's rows
        table, column = _column(f.on)
        for t in _tables(f.base.source()):
            for s in SUFFIXES:
                body = triggers[f"figure_mark_{t}_{s}"][1]
                assert "figure_dirty" in body and re.search(rf"\.{column}\b", body), (f.key, t, s)


# -- the marks of migration 0004 (or of a later migration that rebuilds them) -----------------------------------------------------------------------------------

def _resolve(ref_col: str, table: str, extra: str) -> tuple[str, str]:
    """``{r}.col`` is the written row's table; ``alias.col`` the extra FROM item ``other alias``."""
    ref, col = ref_col.split(".")
    if ref == "{r}":
        return table, col
    other, alias = extra.split()
    assert ref == alias, (ref_col, extra)
    return other, col


def _filters(cond: str, table: str, extra: str) -> set[str]:
    """The row filters of a mark's condition (``x.col = 'value'``), as the declaration's SQL writes them."""
    out = set()
    for piece in cond.split(" AND ") if cond else []:
        m = re.fullmatch(r"(\S+\.\w+) = ('[^']*')", piece.strip())
        if m:
            t, col = _resolve(m.group(1), table, extra)
            out.add(f"{t}.{col} = {m.group(2)}")
    return out


def _served(marks: dict[str, list[tuple[str, str, str, str]]], f: Flow, table: str) -> list[tuple[str, str, str, str]]:
    """The marks on ``table`` that note ``f``'s cell: its township column and its date column."""
    want = (_column(f.base.township), _column(f.on))
    return [m for m in marks.get(table, []) if (_resolve(m[2], table, m[0]), _resolve(m[3], table, m[0])) == want]


def test_migration_0004_marks_the_cell_of_every_flow_from_every_table_it_counts() -> None:
    """A write to any table behind a figure (the row itself, its parent, a child that counts through it) must
    mark the township-month the figure places the row in: else figure_month keeps a stale cell."""
    marks = _latest("MARKS")
    assert set(marks) == counted_tables()
    used: set[tuple[str, int]] = set()
    for f in FLOWS:
        conds = {_literal(c) for c in f.conds}
        for table in _tables(f.base.source()):
            served = _served(marks, f, table)
            assert served, f"{f.key}: no mark on {table} for {_column(f.on)}"
            for m in served:
                used.add((table, marks[table].index(m)))
                # a mark may skip rows, but only rows the flow does not count
                assert _filters(m[1], table, m[0]) <= conds, (f.key, table, m)
    assert used == {(t, i) for t, ms in marks.items() for i in range(len(ms))}, "a mark no statistic needs"


def test_migration_0004_skips_a_table_only_for_rows_no_flow_counts() -> None:
    when = _latest("WHEN")  # SQLite: rows failing this do not run the trigger
    for table, cond in when.items():
        for f in FLOWS:
            if table in _tables(f.base.source()):
                assert _filters(cond, table, "") <= {_literal(c) for c in f.conds}, (table, f.key)


def test_migration_0006_renames_only_figure_month_columns() -> None:
    """figure_month is derived, never synced: its columns may be renamed; synced columns never are."""
    source = (VERSIONS / "0006_figure_month_keys.py").read_text(encoding="utf-8")
    renamed = re.findall(r'alter_column\("(\w+)", "(\w+)", new_column_name="(\w+)"\)', source)
    assert renamed and {t for t, _old, _new in renamed} == {"figure_month"}
    assert ("figure_month", "fines_fen", "fines_yuan") in renamed


# -- amendments -----------------------------------------------------------------------------------------------

def test_amendments_watch_the_dates_of_every_single_table_flow() -> None:
    """A record arriving after a close is listed when one of its dates falls in the closed period: those dates
    are the dates the flows counting that table's own rows place them by."""
    declared: dict[str, set[str]] = {}
    for f in FLOWS:
        tables = _tables(f.base.source())
        if len(tables) == 1 and _column(f.on)[0] == tables[0]:
            declared.setdefault(tables[0], set()).add(_column(f.on)[1])
    assert {m.__tablename__: set(cols) for m, cols in AMENDABLE} == declared
