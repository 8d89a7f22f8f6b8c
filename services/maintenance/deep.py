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

A bundle import records one event per table (``bundle:…``): an event per record would cost the import about as
much again (docs/verify.md). It stores the digest of every row it writes in ``import_digest`` instead
(services/sync/digests.py: the stored row, every column, packed per batch), with the audit chain's head when it
began; a record whose last write was an import — no event about it numbered above that head — is compared with
that digest. Every form covers ``updated_at``: rewriting it along with an edit hides nothing.

Counted as not covered, not as a problem:

* a record with neither an event of its own nor an import digest (the demo generator's bulk insert, ``bulk:…``);
* a record that differs from its last event when an import from a version that stored no digests (an import
  event without the ``+digests`` suffix) wrote its table after that event: that import may have replaced it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection

from models.base import Base, SyncMixin
from models.sync import ImportedBundle
from models.system import AuditEvent
from services.core.audit import digest
from services.core.db import Database
from services.sync.dialect import RawConnection, raw_for
from services.sync.digests import (
    DIGESTED,
    IMPORT_ACTION,
    import_event_digest,
    pack_digests,
    rows_anchor,
    stored_digests,
)
from services.sync.tables import TableSpec, row_to_record, select_sql, spec_for

UIDS_PER_SELECT = 500  # within SQLite's oldest limit of 999 bound variables
SHOWN = 50  # records named one by one; past that, one line with the count
RECORD_FORM_PREFIX = "sync."
ROWS_PER_FETCH = 2000


@dataclass(frozen=True, slots=True)
class Mismatch:
    table: str
    uid: str
    seq: int  # the audit event whose digest the record no longer matches (0: an import's digest)
    bundle: str = ""  # the bundle whose import's digest the record no longer matches


@dataclass(frozen=True, slots=True)
class DeepResult:
    checked: int
    uncovered: int  # records without a digest of their own (see the module docstring)
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


def _imports(conn: Connection, raw: RawConnection, table: str) -> tuple[int, list[Mismatch]]:
    """The imports of ``table``: the last event of one by a version that stored no row digests (0: none), and
    the imports whose stored digests no longer hash to what their audit event recorded (rewritten since)."""
    a, b = AuditEvent.__table__, ImportedBundle.__table__
    legacy, changed = 0, []
    for seq, bundle_ref, action, after in conn.execute(select(a.c.seq, a.c.entity_uid, a.c.action, a.c.after_digest)
                                                       .where(a.c.entity == table, a.c.action.startswith(IMPORT_ACTION))):
        if not action.endswith(DIGESTED):
            legacy = max(legacy, seq)
            continue
        bundle = bundle_ref.removeprefix("bundle:")
        logged = conn.execute(select(b.c.source_uid, b.c.seq, b.c.summary).where(b.c.uid == bundle)).first()
        expected = None
        if logged is not None:
            try:
                expected = import_event_digest(logged.source_uid, logged.seq, json.loads(logged.summary)[table],
                                               rows_anchor(raw, bundle, table))
            except (ValueError, KeyError, TypeError):  # a log row edited into nonsense: the event cannot match
                expected = None
        if expected != after:
            changed.append(Mismatch(table, "", seq, bundle))
    return legacy, changed


def _model_rows(conn: Connection, table: Table, keys: list[tuple[str, Any]], uids: list[str]
                ) -> Iterator[tuple[str, str]]:
    """(uid, model-form digest) of the rows with these uids (the records that have events: rows without one are
    only counted, so a bulk-written demo costs nothing here)."""
    cols = [c for _k, c in keys]
    names = [k for k, _c in keys]
    uid_at = names.index("uid")
    for k in range(0, len(uids), UIDS_PER_SELECT):
        for row in conn.execute(select(*cols).where(table.c.uid.in_(uids[k:k + UIDS_PER_SELECT]))):
            yield row[uid_at], digest(dict(zip(names, row, strict=True)))


def _imported_rows(raw: RawConnection, spec: TableSpec, imported: dict[int, tuple[int, bytes, str]],
                   events: dict[str, tuple[int, str, str, datetime]]) -> Iterator[tuple[str, bool, str]]:
    """(uid, matches, bundle uid) of every record whose last write was an import: it has an import digest and
    no event about it numbered above the chain head at which that import began. Read as stored, in id order."""
    names = ", ".join(f'"{n}"' for n in spec.names)
    rows = iter(raw.execute(f'SELECT id, {names} FROM "{spec.name}" ORDER BY id'))  # noqa: S608 - a table of the models
    uid_at = 1 + spec.uid_i
    while chunk := list(islice(rows, ROWS_PER_FETCH)):
        picked = []
        for row in chunk:
            got = imported.get(row[0])
            if got is None:
                continue
            ev = events.get(row[uid_at])
            if ev is None or ev[0] <= got[0]:
                picked.append((row, got))
        if not picked:
            continue
        found = pack_digests(spec, list(zip(*(row[1:] for row, _got in picked), strict=True)))
        for k, (row, (_after, stored, bundle)) in enumerate(picked):
            yield row[uid_at], found[16 * k:16 * k + 16] == stored, bundle


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
        raw = raw_for(conn)
        for table, keys in _synced_tables():
            if progress is not None:
                progress(table.name)
            spec = spec_for(table.name)
            events = {u: ev for u, ev in _last_events(conn, table.name).items() if ev[1]}
            record_form = _record_digest(conn, spec)
            rows = int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
            by_import: set[str] = set()
            imported = stored_digests(raw, table.name)
            if imported:
                for uid, same, bundle in _imported_rows(raw, spec, imported, events):
                    by_import.add(uid)
                    checked += 1
                    if not same:
                        mismatches.append(Mismatch(table.name, uid, 0, bundle))
            legacy, changed = _imports(conn, raw, table.name)
            mismatches += changed
            seen = len(by_import)
            for uid, model_digest in _model_rows(conn, table, keys, [u for u in events if u not in by_import]):
                seen += 1
                seq, after, action, _at = events[uid]
                found = record_form(uid) if action.startswith(RECORD_FORM_PREFIX) else model_digest
                if found == after:
                    checked += 1
                elif seq < legacy:
                    uncovered += 1  # an import that stored no digests may have written it since
                else:
                    checked += 1
                    mismatches.append(Mismatch(table.name, uid, seq))
            uncovered += rows - seen  # neither an event of its own nor an import digest (a bulk-written demo)
    return DeepResult(checked, uncovered, tuple(mismatches))


def _message(m: Mismatch) -> str:
    if not m.uid:
        return f"导入记录的行摘要与审计记录不符：{m.table}（同步包 {m.bundle}，第{m.seq}条审计记录之后被改动）"
    if m.seq and not m.bundle:
        return f"记录内容与审计记录不符：{m.table} {m.uid}（第{m.seq}条审计记录之后被改动或损坏）"
    return f"记录内容与导入时不符：{m.table} {m.uid}（同步包 {m.bundle} 导入之后被改动或损坏）"


def mismatch_messages(result: DeepResult) -> list[str]:
    out = [_message(m) for m in result.mismatches[:SHOWN]]
    if len(result.mismatches) > SHOWN:
        out.append(f"另有 {len(result.mismatches) - SHOWN} 条记录的内容与审计记录不符")
    return out


__all__ = ["DeepResult", "Mismatch", "deep_check", "mismatch_messages"]
