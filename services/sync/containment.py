"""No record's content can abort an import (docs/sync-bundle.md §Value checks and limits).

Validation (services/sync/validate.py) refuses every value its column cannot hold, so the merge's bulk statements
should never fail. Should some content still make one raise — a case nobody foresaw, on SQLite or PostgreSQL —
:func:`merge_contained` runs each batch under a SAVEPOINT: the batch is rolled back (the database and the merger's
own bookkeeping: ids, counts, pending rows, receipt lines) and merged again one record at a time, each under its
own savepoint; the record that raises is quarantined with the error's kind and the rest of the bundle applies.
Failures of the environment (disk full, lost connection, a lock) are not a record's doing: they still end the
import of the file, which its transaction rolls back; :func:`file_contained` then reports that file as refused
with the reason, and a folder's import goes on with the next file (services/district/intake.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.core.errors import AppError
from services.sync.errors import BundleRejected
from services.sync.tables import TableSpec, shown

if TYPE_CHECKING:
    from services.sync.merge import Counts, Merger

Column = Sequence[Any]
PAYLOAD_MAX = 64 * 1024  # characters of a quarantined record kept in sync_quarantine


def _environmental(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError | OSError | MemoryError | AppError):
        return True
    return type(exc).__module__.startswith("psycopg") and type(exc).__name__ in (
        "OperationalError", "InterfaceError", "LockNotAvailable", "QueryCanceled", "AdminShutdown", "DiskFull")


@dataclass
class _Mark:
    """What a batch may change besides the database, to put back when it is rolled back."""

    next_id: int
    counts: Counts
    quarantined: int
    conflicts: int
    pending: int
    sink_at: int | None
    ids: dict[str, int | None] | None  # the batch's uids in the table's id map before it


def _mark(m: Merger, spec: TableSpec, uids: Column) -> _Mark:
    idmap = m.ids.maps.get(spec.name)
    return _Mark(m.next_id, replace(m.counts(spec.name)), len(m.result.quarantined), len(m.result.conflicts),
                 len(m.pending), m.sink.tell() if m.sink is not None else None,
                 None if idmap is None else {u: idmap.get(u) for u in uids})


def _restore(m: Merger, spec: TableSpec, mark: _Mark) -> None:
    m.next_id = mark.next_id
    m.result.counts[spec.name] = mark.counts
    del m.result.quarantined[mark.quarantined:]
    del m.result.conflicts[mark.conflicts:]
    del m.pending[mark.pending:]
    if m.sink is not None and mark.sink_at is not None:
        m.sink.seek(mark.sink_at)
        m.sink.truncate()
    idmap = m.ids.maps.get(spec.name)
    if idmap is not None:
        for uid, rid in (mark.ids or {}).items():
            if rid is None:
                idmap.pop(uid, None)
            else:
                idmap[uid] = rid


def _attempt(m: Merger, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Column]) -> BaseException | None:
    """``m._rows`` under a savepoint; the exception a record's content raised (everything undone), or None."""
    mark = _mark(m, spec, cols[spec.uid_i])
    m.raw.execute("SAVEPOINT sync_batch")
    try:
        m._rows(spec, recs, cols)
    except Exception as exc:
        m.raw.execute("ROLLBACK TO SAVEPOINT sync_batch")
        m.raw.execute("RELEASE SAVEPOINT sync_batch")
        _restore(m, spec, mark)
        if _environmental(exc):
            raise
        return exc
    m.raw.execute("RELEASE SAVEPOINT sync_batch")
    return None


def merge_contained(m: Merger, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Column]) -> None:
    """Merge a validated batch; a record whose merge raises is quarantined, the others apply."""
    if not recs or _attempt(m, spec, recs, cols) is None:
        return
    for k, rec in enumerate(recs):
        exc = _attempt(m, spec, [rec], [[c[k]] for c in cols])
        if exc is not None:
            m.quarantine(spec, rec, f"记录内容导致导入出错（{type(exc).__name__}：{shown(str(exc), 80)}），已隔离")


@contextmanager
def file_contained(path: Path) -> Iterator[None]:
    """An unexpected failure while importing ``path`` — after its transaction rolled back — as a refusal of that
    file (BundleRejected, exit code 3) with the reason, so the caller goes on with its next file."""
    try:
        yield
    except AppError:
        raise
    except Exception as exc:
        raise BundleRejected(f"{path.name} 导入时出错（{type(exc).__name__}：{shown(str(exc), 120)}），"
                             "此文件未导入（已全部回滚）") from exc


def quarantine_text(rec: dict[str, Any] | str, dumps: Callable[[Any], str]) -> tuple[str, str]:
    """(uid, payload) of a quarantined record as the databases can store them whatever it holds: a raw U+0000
    (PostgreSQL refuses it) or a lone surrogate (UTF-8 cannot encode it) escaped visibly, and no more than
    PAYLOAD_MAX characters of payload."""
    uid = rec.get("uid", "") if isinstance(rec, dict) else ""
    uid = shown(uid if isinstance(uid, str) else repr(uid), 64)
    try:
        payload = dumps(rec) if isinstance(rec, dict) else rec
    except (ValueError, TypeError, RecursionError):
        payload = shown(repr(rec)[:PAYLOAD_MAX], PAYLOAD_MAX)
    if len(payload) > PAYLOAD_MAX:
        payload = payload[:PAYLOAD_MAX] + f"…（共 {len(payload)} 字符，已截断）"
    payload = payload.encode("utf-8", "backslashreplace").decode("utf-8")
    return uid.replace("\x00", "\\u0000"), payload.replace("\x00", "\\u0000")


def today_of(now_db: str) -> date:
    """The import's date (UTC), from its database time text: the plausible ranges of dates end after it."""
    return date.fromisoformat(now_db[:10])


__all__ = ["file_contained", "merge_contained", "quarantine_text", "today_of"]
