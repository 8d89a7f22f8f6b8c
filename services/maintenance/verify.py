"""Database verification: SQLite integrity, foreign keys, schema revision, guards and the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text

from models.base import Base, SyncMixin
from models.system import AuditEvent
from services.core.audit import verify_chain
from services.core.db import Database


@dataclass(frozen=True, slots=True)
class Problem:
    check: str
    message: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    problems: tuple[Problem, ...]
    audit_events: int

    @property
    def ok(self) -> bool:
        return not self.problems


def synced_tables() -> list[str]:
    return sorted(m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, SyncMixin))


def verify_database(db: Database, *, quick: bool = False) -> VerifyReport:
    """Every check runs even when an earlier one fails, so the report lists all problems at once."""
    problems: list[Problem] = []
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            pragma = "quick_check" if quick else "integrity_check"
            rows = [r[0] for r in conn.exec_driver_sql(f"PRAGMA {pragma}")]
            if rows != ["ok"]:
                problems += [Problem("integrity", f"数据库文件损坏：{r}") for r in rows[:20]]
            for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(Problem("foreign_keys", f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在"))
            triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
            expected = {"audit_event_no_update", "audit_event_no_delete"} | {f"{t}_no_delete" for t in synced_tables()}
            for name in sorted(expected - triggers):
                problems.append(Problem("guards", f"保护触发器 {name} 缺失（审计记录或同步记录可能被改动或删除）"))
        current, head = db.current_revision(), db.head_revision()
        if current != head:
            problems.append(Problem("schema", f"数据库结构版本 {current} 与程序要求的 {head} 不一致"))
        count = conn.execute(text("SELECT count(*) FROM audit_event")).scalar() or 0
    audit = AuditEvent.__table__
    with db.engine.connect() as conn:
        # Core rows streamed in seq order: the chain can grow to millions of events over the years.
        rows = conn.execution_options(yield_per=5000).execute(select(audit).order_by(audit.c.seq))
        for p in verify_chain(rows):
            problems.append(Problem("audit", p.message))
    return VerifyReport(tuple(problems), int(count))
