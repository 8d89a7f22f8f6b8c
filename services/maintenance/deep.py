"""The deep check: every synced record against the digest its last audit event recorded.

The audit chain (services/core/audit.py) proves that no event was changed; this check proves that the records
still hold what the events say they were written with. A record whose bytes were damaged on disk, or edited by
hand outside the program, no longer matches and is named (table, uid).

Two digest forms are in use, both exact:

* **model form** — what the flush hook records for every write through the services: ``digest`` of the mapped
  attributes as the ORM holds them (services/core/audit.py ``row_values``); recomputed here from a Core
  ``SELECT`` of the same columns, which yields the same typed values;
* **record form** — what the sync paths record (``sync.*`` events: an import's records, a resolved conflict):
  ``digest`` of the record as it travels in a bundle (services/sync/tables.py ``row_to_record``: foreign keys as
  the referenced uid, no local id).

Not every write records a digest per record. The demo generator's bulk insert (``bulk:…``) and a bundle import
(``bundle:…``, one event per table: a digest and an event per record would cost the import about as much again,
docs/verify.md) record one event for many rows. Such a record is counted as not covered, not as a problem:

* it has no event of its own (a demo row); or
* its content differs from its last event's digest *and* its ``updated_at`` is not that event's time: a later
  write without a digest of its own (an import of the sender's newer version) replaced it. A write through the
  services stamps ``updated_at`` and records its event in the same flush, so a record still as its last event left
  it carries that event's time; content changed on disk or by hand under an unchanged ``updated_at`` is found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection

from models.base import Base, SyncMixin
from models.system import AuditEvent
from services.core.audit import digest
from services.core.db import Database
from services.sync.tables import TableSpec, row_to_record, select_sql, spec_for

UIDS_PER_SELECT = 500  # within SQLite's oldest limit of 999 bound variables
SHOWN = 50  # records named one by one; past that, one line with the count
RECORD_FORM_PREFIX = "sync."
# updated_at and the event's time are two readings of the same clock in one flush (services/core/hooks.py)
SAME_WRITE = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class Mismatch:
    table: str
    uid: str
    seq: int  # the audit event whose digest the record no longer matches


@dataclass(frozen=True, slots=True)
class DeepResult:
    checked: int
    uncovered: int  # records whose last event summarises many rows (no digest of their own)
    mismatches: tuple[Mismatch, ...]


def _synced_tables() -> list[tuple[Table, list[tuple[str, Any]]]]:
    out = []
    for m in Base.registry.mappers:
        if issubclass(m.class_, SyncMixin) and isinstance(m.local_table, Table):
            out.append((m.local_table, [(a.key, a.columns[0]) for a in m.column_attrs]))
    return sorted(out, key=lambda t: t[0].name)


def _last_events(conn: Connection, table: str) -> dict[str, tuple[int, str, str, datetime]]:
    """uid → (seq, after digest, action, time) of the last event about each record of ``table``."""
    a = AuditEvent.__table__
    rows = conn.execute(select(a.c.entity_uid, a.c.seq, a.c.after_digest, a.c.action, a.c.at)
                        .where(a.c.entity == table).order_by(a.c.seq))
    return {uid: (seq, after, action, at) for uid, seq, after, action, at in rows}


def _model_rows(conn: Connection, table: Table, keys: list[tuple[str, Any]], uids: list[str]
                ) -> Iterator[tuple[str, str, datetime | None]]:
    """(uid, model-form digest, updated_at) of the rows with these uids (the records that have events: rows
    without one are only counted, so a bulk-written demo costs nothing here)."""
    cols = [c for _k, c in keys]
    names = [k for k, _c in keys]
    uid_at, updated_at = names.index("uid"), names.index("updated_at")
    for k in range(0, len(uids), UIDS_PER_SELECT):
        for row in conn.execute(select(*cols).where(table.c.uid.in_(uids[k:k + UIDS_PER_SELECT]))):
            yield row[uid_at], digest(dict(zip(names, row, strict=True))), row[updated_at]


def _record_digest(conn: Connection, spec: TableSpec) -> Callable[[str], str | None]:
    """The record-form digest of one row by uid (asked only for rows whose last event is a sync event)."""
    sql = select_sql(spec, "WHERE t.uid = ?").replace("?", ":uid")

    def one(uid: str) -> str | None:
        row = conn.execute(text(sql), {"uid": uid}).first()
        return None if row is None else digest(row_to_record(spec, tuple(row[1:])))

    return one


def deep_check(db: Database, progress: Callable[[str], None] | None = None) -> DeepResult:
    """Compare every synced record with the digest of its last audit event."""
    checked = uncovered = 0
    mismatches: list[Mismatch] = []
    with db.engine.connect() as conn:
        for table, keys in _synced_tables():
            if progress is not None:
                progress(table.name)
            events = {u: ev for u, ev in _last_events(conn, table.name).items() if ev[1]}
            record_form = _record_digest(conn, spec_for(table.name))
            rows = int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
            seen = 0
            for uid, model_digest, updated in _model_rows(conn, table, keys, list(events)):
                seen += 1
                seq, after, action, at = events[uid]
                found = record_form(uid) if action.startswith(RECORD_FORM_PREFIX) else model_digest
                if found == after:
                    checked += 1
                elif updated is not None and abs(updated - at) > SAME_WRITE:
                    uncovered += 1  # written since by an import (no digest per record)
                else:
                    checked += 1
                    mismatches.append(Mismatch(table.name, uid, seq))
            uncovered += rows - seen  # no event of their own (a bulk-written demo)
    return DeepResult(checked, uncovered, tuple(mismatches))


def mismatch_messages(result: DeepResult) -> list[str]:
    out = [f"记录内容与审计记录不符：{m.table} {m.uid}（第{m.seq}条审计记录之后被改动或损坏）"
           for m in result.mismatches[:SHOWN]]
    if len(result.mismatches) > SHOWN:
        out.append(f"另有 {len(result.mismatches) - SHOWN} 条记录的内容与审计记录不符")
    return out


__all__ = ["DeepResult", "Mismatch", "deep_check", "mismatch_messages"]
