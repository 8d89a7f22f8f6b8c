"""Stored values no valid write produces read as missing, instead of failing every screen that reads them.

Imports check every value against its column's rules (models/column_rules.py, docs/sync-bundle.md §Values and
limits), but a database may hold rows an older version stored unchecked: a date "2026-13-45" in SQLite's text
column, a PostgreSQL date after the year 9999 (Python's last). The drivers refuse to convert those, and the
refusal used to end ``stats``, ``list``, the district grid and supervision on every run. Here the conversion of
such a value gives None — the record still lists, with that field empty — and the readers that compute with
dates or sums skip what is out of range (services/district/figures.py and friends count them as damaged).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, case, event, type_coerce
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.sql import sqltypes

from models import column_rules as rules
from models.base import Money


def _tolerant(inner: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    if inner is None:
        return None

    def process(value: Any) -> Any:
        try:
            return inner(value)
        except (ValueError, TypeError, OverflowError):  # not a calendar value: read as missing
            return None

    return process


class _SqliteDate(sqlite.DATE):
    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        return _tolerant(super().result_processor(dialect, coltype))


class _SqliteDateTime(sqlite.DATETIME):
    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        return _tolerant(super().result_processor(dialect, coltype))


def _pg_loaders(dbapi_conn: Any) -> None:
    """psycopg's date and timestamp loaders, giving None for what Python cannot hold (after 9999, BC, infinity)."""
    import psycopg
    from psycopg.types.datetime import DateLoader, TimestampLoader

    class Lenient:
        def load(self, data: Any) -> Any:
            try:
                return super().load(data)  # type: ignore[misc]
            except psycopg.DataError:
                return None

    class Date(Lenient, DateLoader):
        pass

    class Timestamp(Lenient, TimestampLoader):
        pass

    dbapi_conn.adapters.register_loader("date", Date)
    dbapi_conn.adapters.register_loader("timestamp", Timestamp)


def tolerate_damaged_values(engine: Engine) -> None:
    """Install the tolerant conversions on ``engine`` (before its first statement)."""
    if engine.dialect.name == "sqlite":
        engine.dialect.colspecs = {**engine.dialect.colspecs, sqltypes.Date: _SqliteDate,
                                   sqltypes.DateTime: _SqliteDateTime}
    elif engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        event.listen(engine, "connect", lambda dbapi_conn, _record: _pg_loaders(dbapi_conn))


def in_domain(col: Any) -> ColumnElement[Any]:
    """``col`` where its stored value lies within its column's rule (models/column_rules.py), else NULL: a sum
    over it skips a damaged amount (a negative fine, 2^63 − 1 fen) instead of overflowing or counting it."""
    column = getattr(col, "expression", col)
    money = isinstance(column.type, Money)
    rng = rules.int_range(str(column.table.name), str(column.name), money=money)
    return case((type_coerce(col, BigInteger).between(rng.lo, rng.hi), col), else_=None)


__all__ = ["in_domain", "tolerate_damaged_values"]
