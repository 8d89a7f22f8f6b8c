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
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from services.core.errors import AppError

if TYPE_CHECKING:
    from services.core.db import Database

log = logging.getLogger(__name__)

# Longest a quick check before an export may take (a shared office PC): past it the check stops unfinished and
# the export goes ahead — ``verify`` is the thorough check. The township demo's check takes well under it.
QUICK_CHECK_SECONDS = 60.0
RECOVERY_HINT = "请从最近的备份恢复（设置 → 备份与恢复 → 从备份恢复）；详情可用命令 verify 查看"

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
    elif isinstance(cause, ValueError):  # a stored time or amount the program can no longer read (verify only)
        what = "记录中的值格式不对，无法读取（被改动）"
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
    with db.raw() as conn:
        problems = _quick_check(conn, seconds)
    wal = wal_damage(db.path) if db.path is not None else None
    return problems + ([wal] if wal else [])


def quick_check_file(path: Path, *, seconds: float = QUICK_CHECK_SECONDS) -> list[str]:
    """:func:`quick_check` of a database file, opened read-only with the plain driver (before a daily backup)."""
    wal = wal_damage(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [damage_detail(exc)] if is_damage(exc) else []
    try:
        return _quick_check(conn, seconds) + ([wal] if wal else [])
    finally:
        conn.close()


def _quick_check(conn: sqlite3.Connection, seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    try:
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
    return [] if rows == ["ok"] else flat_lines(rows)


def flat_lines(rows: list[str]) -> list[str]:
    """integrity_check / quick_check rows as single lines (a row can hold several, headed by the schema name)."""
    return [line.strip() for r in rows for line in r.splitlines() if line.strip() and not line.startswith("***")]


# -- the write-ahead log ---------------------------------------------------------------------------------------

_WAL_MAGIC = (0x377F0682, 0x377F0683)  # the low bit: checksums computed on big-endian words
_WAL_HEADER, _FRAME_HEADER = 32, 24


def _wal_checksum(data: bytes, big: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    """SQLite's WAL checksum (https://sqlite.org/fileformat2.html#walformat, 4.2) over ``data``, from (s0, s1)."""
    words = struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_damage(db_path: Path) -> str | None:
    """Damage in the database's write-ahead log (``<file>-wal``), or None.

    SQLite ignores a WAL frame whose checksum fails and every frame after it, silently: the commits they hold are
    lost when the log is next read. A torn last frame is what a crash mid-commit leaves and is not damage (that
    commit never completed); a bad frame followed by frames that check against their own predecessors is: those
    committed changes are on disk but no longer readable."""
    path = Path(f"{db_path}-wal")
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) <= _WAL_HEADER:
        return None
    magic, _fmt, page, _ckpt, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:_WAL_HEADER])
    if magic not in _WAL_MAGIC or page < 512 or page & (page - 1):
        return "日志文件（-wal）的文件头已损坏，其中已提交的改动无法读取（已丢失）"
    big = bool(magic & 1)
    if _wal_checksum(data[:24], big) != (c1, c2):
        return "日志文件（-wal）的文件头校验和不符，其中已提交的改动无法读取（已丢失）"
    size = _FRAME_HEADER + page
    frames = (len(data) - _WAL_HEADER) // size
    seed = (c1, c2)
    bad = None
    for i in range(frames):
        at = _WAL_HEADER + i * size
        head = struct.unpack(">6I", data[at:at + _FRAME_HEADER])
        if (head[2], head[3]) != (salt1, salt2):
            break  # frames of an earlier generation of the log: not in use
        sums = _wal_checksum(data[at + _FRAME_HEADER:at + size], big, *_wal_checksum(data[at:at + 8], big, *seed))
        if bad is None and sums != (head[4], head[5]):
            bad = i
        elif bad is not None and head[1] and sums == (head[4], head[5]):
            # a commit frame after the bad one, intact against its own predecessor: committed data was lost
            return (f"日志文件（-wal）第 {bad + 1} 帧已损坏，其后已提交的改动（至第 {i + 1} 帧）SQLite 将无法读取"
                    "（已丢失）")
        seed = (head[4], head[5])
    return None


def require_intact(db: Database, action: str) -> None:
    """Refuse ``action`` (``DamagedDatabase``) when the quick check finds damage; a damage error while the rest
    of ``action`` reads the database is refused the same way (wrap it in ``refuse_damage``)."""
    problems = quick_check(db)
    if problems:
        shown = "；".join(problems[:3]) + (f" 等 {len(problems)} 处" if len(problems) > 3 else "")
        raise DamagedDatabase(f"数据库文件损坏，已拒绝{action}：{shown}。{RECOVERY_HINT}")


__all__ = ["DamagedDatabase", "damage_detail", "damage_message", "is_damage", "quick_check", "quick_check_file",
           "refuse_damage", "require_intact", "wal_damage"]
