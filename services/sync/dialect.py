"""The sync importer's raw database access on SQLite or PostgreSQL.

The merge (services/sync/merge.py and friends) writes in bulk through the DB-API connection of the caller's
transaction, using the small part of the sqlite3 API it needs: ``execute`` (returning an iterable cursor with
``fetchone``), ``executemany``, ``total_changes`` and ``getlimit``. On SQLite that *is* the sqlite3 connection —
the fast path stays exactly as measured in bench/bench_sync.py. On PostgreSQL :class:`PgRaw` offers the same
calls over the psycopg 3 connection of the same transaction (so the import stays one all-or-nothing
transaction) and translates what differs:

* ``?`` placeholders → PostgreSQL's own ``$1, $2, …`` (``?`` inside quotes is left alone), run on psycopg's
  ``RawCursor``: the statement goes to the server as written. With ``%s`` psycopg parses every statement text
  for its placeholders on every call, and the merge's multi-row INSERTs carry thousands of them: that parsing
  was half of a PostgreSQL import (4.1 s of 7.9 s for 48,743 rows);
* ``INSERT OR IGNORE`` → ``INSERT … ON CONFLICT DO NOTHING``; ``UPDATE OR IGNORE`` has no PostgreSQL form and a
  unique violation would abort the whole transaction, so every ``OR IGNORE`` statement runs under a SAVEPOINT
  and, if PostgreSQL refuses it (a unique key, a value too long for its column, a number out of range …), is
  retried row by row, each row under its own SAVEPOINT: the refused rows are skipped — as SQLite's OR IGNORE
  skips them — and their reasons kept in ``row_errors`` for the quarantine;
* ``total_changes`` sums the row counts of the writes (SQLite's counter of changed rows);
* dates and times are read back in SQLite's storage form (``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM:SS.ffffff``, the
  form records travel in), so comparisons of (version, updated_at) and the conflict copies are the same on both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from sqlalchemy.engine import Connection

from services.core.errors import AppError

if TYPE_CHECKING:  # psycopg is imported only when a PostgreSQL database is opened
    import psycopg
    from psycopg.abc import Buffer
    from psycopg.adapt import Loader
    from psycopg.rows import TupleRow

# SQLite's limit on ? per statement since 3.32; PostgreSQL allows 65,535 — the same statement sizes on both.
PG_MAX_VARS = 32_766
LOCK_TIMEOUT_S = 10  # as SQLite's busy timeout (services/core/db.py)
# updated_at as SQLite stores it, for statements that copy it into text columns (sync_state.base_updated).
PG_TIME_TEXT = "'YYYY-MM-DD HH24:MI:SS.US'"


class RawCursor(Protocol):
    """What the sync code reads from a statement: a sqlite3 cursor, or psycopg's ``RawCursor``. Rows are
    tuples of driver values (the sqlite3 and psycopg row types differ only in name)."""

    @property
    def rowcount(self) -> int: ...  # the statement's own rows (sqlite3: summed over executemany; no trigger writes)

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class RawConnection(Protocol):
    """The part of the sqlite3 connection API the sync code uses (see the module docstring): the sqlite3
    connection satisfies it as it is, :class:`PgRaw` offers it over psycopg."""

    @property
    def total_changes(self) -> int: ...

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> RawCursor: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> RawCursor: ...

    def getlimit(self, category: int, /) -> int: ...


def raw_for(conn: Connection) -> RawConnection:
    """The raw access object for the merge: the sqlite3 connection itself, or a :class:`PgRaw`."""
    raw = conn.connection.driver_connection
    if raw is None:  # only after the connection was invalidated: no caller continues a transaction then
        raise AppError("数据库连接已断开，请重试")
    name = conn.dialect.name
    if name == "sqlite" and isinstance(raw, sqlite3.Connection):
        return raw
    if name == "postgresql":
        return PgRaw(raw)
    raise AppError(f"同步导入不支持 {name} 数据库（支持 SQLite 与 PostgreSQL）")


def lock_for_import(raw: PgRaw) -> None:
    """PostgreSQL's counterpart of SQLite's BEGIN IMMEDIATE for an import: the synced tables and the bundle log
    are locked against other writers (readers go on) until the transaction ends. Two imports then run one after
    the other, and the explicit ids the merge gives new rows (max(id) + 1 …) cannot be taken meanwhile."""
    import psycopg

    from services.sync.tables import table_names

    names = ", ".join(f'"{t}"' for t in (*table_names(), "imported_bundle", "sync_state"))
    try:
        raw.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_S}s'")
        raw.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")
    except psycopg.errors.LockNotAvailable as exc:
        raise AppError(f"数据库正忙（其他用户正在导入或修改数据，等待 {LOCK_TIMEOUT_S} 秒未果），请稍后重试") from exc


def is_pg(raw: RawConnection) -> TypeGuard[PgRaw]:
    return isinstance(raw, PgRaw)


def time_text(raw: RawConnection, column: str) -> str:
    """SQL for a timestamp column as SQLite's text form (it is that text already on SQLite)."""
    return f"to_char({column}, {PG_TIME_TEXT})" if is_pg(raw) else column


def translate(sql: str, with_params: bool) -> tuple[str, bool]:
    """(PostgreSQL text of a statement written for SQLite, whether it carried OR IGNORE)."""
    ignore = False
    head = sql.lstrip()[:24].upper()
    if head.startswith("INSERT OR IGNORE "):
        sql = "INSERT " + sql.lstrip()[len("INSERT OR IGNORE "):] + " ON CONFLICT DO NOTHING"
        ignore = True
    elif head.startswith("UPDATE OR IGNORE "):
        sql = "UPDATE " + sql.lstrip()[len("UPDATE OR IGNORE "):]
        ignore = True
    if not with_params or "?" not in sql:
        return sql, ignore
    out: list[str] = []
    quote = ""
    n = 0
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
            out.append(ch)
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            n += 1
            out.append(f"${n}")
        else:
            out.append(ch)
    return "".join(out), ignore


def _sqlite_timestamp_loader() -> type[Loader]:
    from psycopg.adapt import Loader

    class SqliteTimestamp(Loader):
        """PostgreSQL's text output of a timestamp (fraction trimmed of zeros) in SQLite's form."""

        def load(self, data: Buffer) -> str:
            s = bytes(data).decode()
            if len(s) == 26:
                return s
            if len(s) == 19:
                return s + ".000000"
            return s.ljust(26, "0")

    return SqliteTimestamp


def _text_loader() -> type[Loader]:
    from psycopg.adapt import Loader

    class Text(Loader):
        def load(self, data: Buffer) -> str:
            return bytes(data).decode()

    return Text


class PgRaw:
    """The sqlite3-like calls of the merge over a psycopg 3 connection (see the module docstring)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self.total_changes = 0
        self.row_errors: dict[Any, str] = {}  # first value of a refused row (its id) → PostgreSQL's reason
        self._sql: dict[tuple[str, bool], tuple[str, bool]] = {}
        self._savepoints = 0
        self._loaders = _loaders()

    def getlimit(self, _category: int) -> int:
        return PG_MAX_VARS

    def _plain_cursor(self) -> psycopg.RawCursor[TupleRow]:
        """A cursor of the transaction's connection whose dates and times read as SQLite's text (the
        connection's own adapters, which SQLAlchemy relies on, are left alone)."""
        import psycopg

        cur = psycopg.RawCursor(self.conn)  # $n placeholders, the text sent as it is (see the module docstring)
        for name, loader in self._loaders:
            cur.adapters.register_loader(name, loader)
        return cur

    def _translated(self, sql: str, with_params: bool) -> tuple[str, bool]:
        key = (sql, with_params)
        got = self._sql.get(key)
        if got is None:
            if len(self._sql) > 2000:  # statements are built per table and batch size: a bounded set in practice
                self._sql.clear()
            got = self._sql[key] = translate(sql, with_params)
        return got

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> psycopg.RawCursor[TupleRow]:
        text, ignore = self._translated(sql, bool(params))
        if ignore:
            self._ignoring(text, [params], multi_row=text.startswith("INSERT "))
            return self._plain_cursor()
        cur = self._plain_cursor()
        cur.execute(text, params or None)
        if cur.rowcount > 0 and not text.lstrip()[:6].upper().startswith("SELECT"):
            self.total_changes += cur.rowcount
        return cur

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> psycopg.RawCursor[TupleRow]:
        rows = list(rows)
        cur = self._plain_cursor()
        if not rows:
            return cur
        text, ignore = self._translated(sql, True)
        if ignore:
            self._ignoring(text, rows, multi_row=False)
            return cur
        cur.executemany(text, rows)
        if cur.rowcount > 0:
            self.total_changes += cur.rowcount
        return cur

    # -- OR IGNORE: savepoint, and row by row when PostgreSQL refuses the statement ------------------------

    def _ignoring(self, text: str, param_sets: list[Sequence[Any]], *, multi_row: bool) -> None:
        import psycopg

        cur = self._plain_cursor()
        name = self._savepoint(cur)
        try:
            if len(param_sets) == 1:
                cur.execute(text, param_sets[0] or None)
            else:
                cur.executemany(text, param_sets)
        except (psycopg.IntegrityError, psycopg.DataError):
            cur.execute(f"ROLLBACK TO SAVEPOINT {name}")
            cur.execute(f"RELEASE SAVEPOINT {name}")
            self._one_by_one(cur, text, param_sets, multi_row=multi_row)
            return
        cur.execute(f"RELEASE SAVEPOINT {name}")
        if cur.rowcount > 0:
            self.total_changes += cur.rowcount

    def _one_by_one(self, cur: psycopg.RawCursor[TupleRow], text: str, param_sets: list[Sequence[Any]], *, multi_row: bool) -> None:
        import psycopg

        single, rows = text, param_sets
        if multi_row:  # INSERT … VALUES (…),(…) ON CONFLICT DO NOTHING: split into single-row statements
            head, _sep, rest = text.partition(" VALUES ")
            group = rest[:rest.index(")") + 1]  # the first row's ($1, …, $width): a statement of its own
            width = group.count("$")
            single = f"{head} VALUES {group} ON CONFLICT DO NOTHING"
            rows = [p[k:k + width] for p in param_sets for k in range(0, len(p), width)]
        for row in rows:
            name = self._savepoint(cur)
            try:
                cur.execute(single, row)
            except (psycopg.IntegrityError, psycopg.DataError) as exc:
                cur.execute(f"ROLLBACK TO SAVEPOINT {name}")
                diag = getattr(exc, "diag", None)
                self.row_errors[row[0] if row else None] = (getattr(diag, "message_primary", None) or str(exc))[:200]
            else:
                if cur.rowcount > 0:
                    self.total_changes += cur.rowcount
            cur.execute(f"RELEASE SAVEPOINT {name}")

    def _savepoint(self, cur: psycopg.RawCursor[TupleRow]) -> str:
        self._savepoints += 1
        name = f"sync_ignore_{self._savepoints}"
        cur.execute(f"SAVEPOINT {name}")
        return name


_LOADERS: list[tuple[str, type[Loader]]] = []


def _loaders() -> list[tuple[str, type[Loader]]]:
    """Built on first use: the SQLite-only program never imports psycopg."""
    if not _LOADERS:
        _LOADERS.extend([("timestamp", _sqlite_timestamp_loader()), ("date", _text_loader())])
    return _LOADERS
