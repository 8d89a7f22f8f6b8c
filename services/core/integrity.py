"""Damage to the database file: telling SQLite's damage errors apart, and the quick check before data leaves.

SQLite reports a damaged file through its own errors — "database disk image is malformed", "file is not a
database", and, from Python's driver, "Could not decode to UTF-8 column …" for text whose bytes were broken.
``is_damage`` recognises them (also wrapped by SQLAlchemy), ``damage_message`` says them in Chinese, and
``refuse_damage`` turns them into :class:`DamagedDatabase` (an ``AppError``: exit 3 on the command line, a message
in the window). ``require_intact`` runs ``PRAGMA quick_check`` before a bundle, a field laptop's database or a
district copy is written, so a damaged database never spreads its damage (docs/verify.md).

Other storage failures (disk full, read-only media, a locked file) are not damage and pass through unchanged.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from services.core.errors import AppError

if TYPE_CHECKING:
    from services.core.db import Database

log = logging.getLogger(__name__)

# Longest a quick check before an export may take (a shared office PC): past it the check stops unfinished and
# the export goes ahead — ``verify`` is the thorough check. The township demo's check takes well under it.
QUICK_CHECK_SECONDS = 60.0
RECOVERY_HINT = "请运行 verify 查看详情，并从最近的备份恢复（设置 → 备份与恢复 → 从备份恢复）"

# SQLite's own words for a damaged file (sqlite3.DatabaseError / OperationalError), lower-cased.
_DAMAGE_WORDS = ("malformed", "not a database", "could not decode", "corrupt")


class DamagedDatabase(AppError):
    """The database file is damaged: what was asked was refused, nothing was written or sent."""


def _driver_error(exc: BaseException) -> BaseException:
    return exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc


def is_damage(exc: BaseException) -> bool:
    """Is ``exc`` SQLite saying that the file itself is damaged (not full, read-only or locked)?"""
    cause = _driver_error(exc)
    if isinstance(cause, UnicodeDecodeError):  # text decoded outside the driver's own fetch
        return True
    return isinstance(cause, sqlite3.DatabaseError) and any(w in str(cause).lower() for w in _DAMAGE_WORDS)


def damage_detail(exc: BaseException) -> str:
    """What is damaged, in Chinese, with SQLite's own words after it (they are what a technician searches for)."""
    cause = _driver_error(exc)
    text = " ".join(str(cause).split())
    low = text.lower()
    if "not a database" in low:
        what = "文件头已损坏或不是数据库文件"
    elif "could not decode" in low or isinstance(cause, UnicodeDecodeError):
        what = "记录中的文字无法解码（字节被改动）"
    else:
        what = "数据页结构损坏"
    if len(text) > 160:
        text = text[:160] + "…"
    return f"{what}（{text}）"


def damage_message(exc: BaseException) -> str:
    return f"数据库文件损坏：{damage_detail(exc)}"


@contextmanager
def refuse_damage(outcome: str) -> Iterator[None]:
    """Inside the block, a damage error from the database becomes ``DamagedDatabase`` saying ``outcome``
    (``已拒绝导出``, ``无法打开`` …)."""
    try:
        yield
    except (sqlite3.DatabaseError, DBAPIError, UnicodeDecodeError) as exc:
        if not is_damage(exc):
            raise
        raise DamagedDatabase(f"数据库文件损坏，{outcome}：{damage_detail(exc)}。{RECOVERY_HINT}") from exc


def quick_check(db: Database, *, seconds: float = QUICK_CHECK_SECONDS) -> list[str]:
    """``PRAGMA quick_check`` (b-tree structure, page use, record formats; not the index contents) within
    ``seconds``; the problems it lists, empty when it found none or ran out of time. PostgreSQL: nothing to check
    here (the server keeps its own pages)."""
    if db.engine.dialect.name != "sqlite":
        return []
    deadline = time.monotonic() + seconds
    try:
        with db.raw() as conn:
            # Asked every 10,000 virtual-machine steps; a true return interrupts the statement.
            conn.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
            try:
                rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check(20)")]
            finally:
                conn.set_progress_handler(None, 0)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc).lower():
            log.warning("quick_check stopped after %.0f s without finding damage", seconds)
            return []
        if is_damage(exc):
            return [damage_detail(exc)]
        raise
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        if is_damage(exc):
            return [damage_detail(exc)]
        raise
    return [] if rows == ["ok"] else rows


def require_intact(db: Database, action: str) -> None:
    """Refuse ``action`` (``DamagedDatabase``) when the quick check finds damage; a damage error while the rest
    of ``action`` reads the database is refused the same way (wrap it in ``refuse_damage``)."""
    problems = quick_check(db)
    if problems:
        shown = "；".join(problems[:3]) + (f" 等 {len(problems)} 处" if len(problems) > 3 else "")
        raise DamagedDatabase(f"数据库文件损坏，已拒绝{action}：{shown}。{RECOVERY_HINT}")


__all__ = ["DamagedDatabase", "damage_detail", "damage_message", "is_damage", "quick_check", "refuse_damage",
           "require_intact"]
