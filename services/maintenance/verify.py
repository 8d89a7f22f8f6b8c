"""Database verification: SQLite integrity, foreign keys, guards, schema revision, the audit chain and (deep)
every synced record against its last audit digest.

Each check runs on its own and catches the database's own errors: a damaged file is reported as
"数据库文件损坏：…" in the list, never as a traceback, and the remaining checks still run (docs/verify.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.exc import DBAPIError

from models.base import Base, SyncMixin
from models.system import AuditEvent
from services.core.audit import verify_chain
from services.core.cipher import DataKey
from services.core.db import Database
from services.core.integrity import damage_message, flat_lines, is_damage, wal_damage

INTEGRITY_SHOWN = 20  # lines of PRAGMA integrity_check listed


@dataclass(frozen=True, slots=True)
class Problem:
    check: str
    message: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    problems: tuple[Problem, ...]
    audit_events: int
    deep_checked: int = 0  # records compared with their audit digest (deep check)
    deep_uncovered: int = 0  # records without a digest of their own (bulk demo rows, older imports)

    @property
    def ok(self) -> bool:
        return not self.problems


def damaged_report(exc: BaseException) -> VerifyReport:
    """The report for a file that cannot even be opened (header destroyed, cut short)."""
    return VerifyReport((Problem("integrity", damage_message(exc)),), 0)


def synced_tables() -> list[str]:
    return sorted(m.local_table.name for m in Base.registry.mappers
                  if issubclass(m.class_, SyncMixin) and isinstance(m.local_table, Table))


def _sqlite_integrity(db: Database, quick: bool) -> list[Problem]:
    # The log first: SQLite reads past a damaged frame without a word (services/core/integrity.py wal_damage).
    wal = wal_damage(db.path) if db.path is not None else None
    problems = [Problem("integrity", f"数据库文件损坏：{wal}")] if wal else []
    with db.engine.connect() as conn:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA {pragma}({INTEGRITY_SHOWN})")]
    if rows != ["ok"]:
        problems += [Problem("integrity", f"数据库文件损坏：{line}") for line in flat_lines(rows)]
    return problems


def _foreign_keys(db: Database) -> list[Problem]:
    with db.engine.connect() as conn:
        return [Problem("foreign_keys", f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在")
                for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check")]


def _guards(db: Database) -> list[Problem]:
    with db.engine.connect() as conn:
        triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
    expected = {"audit_event_no_update", "audit_event_no_delete"} | {f"{t}_no_delete" for t in synced_tables()}
    return [Problem("guards", f"保护触发器 {name} 缺失（审计记录或同步记录可能被改动或删除）")
            for name in sorted(expected - triggers)]


def _schema(db: Database) -> list[Problem]:
    current, head = db.current_revision(), db.head_revision()
    if current != head:
        return [Problem("schema", f"数据库结构版本 {current} 与程序要求的 {head} 不一致")]
    return []


class _Undecodable:
    """A sqlite3 ``text_factory`` that never raises: undecodable bytes are counted and shown as U+FFFD."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.count += 1
            return data.decode("utf-8", "replace")


def _audit_chain(db: Database) -> tuple[list[Problem], int]:
    audit = AuditEvent.__table__
    undecodable = _Undecodable()
    damaged_rows: list[int] = []

    def watch(rows: Iterable[Any]) -> Iterator[Any]:
        for r in rows:
            if undecodable.count and any(isinstance(v, str) and "\ufffd" in v for v in r):
                damaged_rows.append(r.seq)
            yield r

    with db.engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM audit_event")).scalar() or 0)
        driver: Any = conn.connection.driver_connection
        sqlite = isinstance(driver, sqlite3.Connection)
        if sqlite:
            # The chain walk reads every event: one byte changed in a text value must not stop it.
            old_factory, driver.text_factory = driver.text_factory, undecodable
        try:
            # Core rows streamed in seq order: the chain can grow to millions of events over the years.
            rows = conn.execution_options(yield_per=5000).execute(select(audit).order_by(audit.c.seq))
            problems = [Problem("audit", p.message) for p in verify_chain(watch(rows))]
        finally:
            if sqlite:
                driver.text_factory = old_factory
    if damaged_rows:
        shown = "、".join(f"第{n}条" for n in damaged_rows[:10])
        problems.insert(0, Problem("audit", f"数据库文件损坏：审计记录{shown}{'等' if len(damaged_rows) > 10 else ''}"
                                            "中的文字无法解码（字节被改动）"))
    return problems, count


_LABELS = {"integrity": "完整性检查", "foreign_keys": "外键检查", "guards": "保护触发器检查", "schema": "结构版本检查",
           "audit": "审计链检查", "content": "记录内容核对"}


def _guarded(problems: list[Problem], check: str, run: Callable[[], Any]) -> Any:
    """Run one check; the database's own damage errors become a problem of that check, not a traceback."""
    try:
        return run()
    except (sqlite3.DatabaseError, DBAPIError, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, ValueError) and not isinstance(exc, UnicodeDecodeError):
            if check not in ("audit", "content"):  # a stored time or amount that no longer parses when typed
                raise
        elif not is_damage(exc):
            raise
        problems.append(Problem(check, f"{damage_message(exc)}（{_LABELS[check]}未能完成）"))
        return None


def _attachments(db: Database, key: DataKey | None) -> list[Problem]:
    from models.records import Blob
    from services.procedures.attachments import attachment_store, check_blob_files

    with db.engine.connect() as conn:
        blobs = [(sha, int(size)) for sha, size in conn.execute(select(Blob.sha256, Blob.size))]
    return [Problem("attachments", m) for m in check_blob_files(attachment_store(db.path), blobs, key)]


def verify_database(db: Database, *, quick: bool = False, deep: bool = False,
                    data_key: DataKey | None = None) -> VerifyReport:
    """Every check runs even when an earlier one fails, so the report lists all problems at once. ``data_key``
    (unlocked): the deep check also opens every sealed attachment file and compares its SHA-256."""
    problems: list[Problem] = []

    def add(check: str, run: Callable[[], list[Problem]]) -> None:
        found = _guarded(problems, check, run)
        problems.extend(found or [])

    if db.engine.dialect.name == "sqlite":
        add("integrity", lambda: _sqlite_integrity(db, quick))
        add("foreign_keys", lambda: _foreign_keys(db))
        add("guards", lambda: _guards(db))
    add("schema", lambda: _schema(db))
    chain = _guarded(problems, "audit", lambda: _audit_chain(db))
    count = 0
    if chain is not None:
        problems.extend(chain[0])
        count = chain[1]
    checked = uncovered = 0
    if deep:
        from services.maintenance.deep import deep_check, mismatch_messages

        result = _guarded(problems, "content", lambda: deep_check(db))
        if result is not None:
            problems.extend(Problem("content", m) for m in mismatch_messages(result))
            checked, uncovered = result.checked, result.uncovered
        if db.path is not None:
            add("attachments", lambda: _attachments(db, data_key))
    return VerifyReport(tuple(problems), count, checked, uncovered)
