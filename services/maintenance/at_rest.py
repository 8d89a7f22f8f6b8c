"""The upgrade of a database written in the clear: seal its personal data under the (new) data key.

``seal_database`` makes a backup first, then in one transaction seals every value the declaration
(models/sealed.py) names, fills the local derived columns (masked forms, blind indexes) and records one audit event
per changed record (its new digest: ``verify --deep`` keeps matching the stored form); then it seals the attachment
files, and finally VACUUMs and truncates the WAL so that no page of the file still holds a value in the clear.
The backups made before it (the one it makes included) still do: the report names them, so the message can say
so (docs/encryption-data.md §升级).

Idempotent: a value already sealed, a file already sealed, is left as it is; a second run changes nothing.
Written with Core statements inside one unit of work: the ORM's flush would seal too, but record by record at
~35× the cost (docs/performance.md §2), and this runs over every party of a township at the first login.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from models.base import Base
from models.records import Blob
from models.registry import metadata
from models.sealed import (
    QUARANTINE,
    SEALED_COLUMNS,
    Masking,
    SealedColumn,
    index_column,
    masked,
    masked_column,
    quarantine_binding,
    sealed_by_table,
)
from models.system import LocalState
from services.core.audit import PendingEvent, append_events, digest
from services.core.cipher import FIELD_PREFIX, DataKey, is_sealed
from services.core.clock import Clock
from services.core.db import Database
from services.core.errors import AppError
from services.core.sealing import stored_forms
from services.core.uow import UnitOfWork
from services.maintenance.backup import backup_database, list_backups
from services.procedures.attachments import attachment_store, blob_path, seal_blob_file

log = logging.getLogger(__name__)

BATCH = 2000  # rows per UPDATE round trip
SEAL_ACTION = "maintenance.seal"


@dataclass(frozen=True)
class SealReport:
    sealed_values: int  # field values sealed now
    records: int  # records changed (one audit event each)
    files: int  # attachment files sealed now
    backup: Path | None  # the copy made just before (still in the clear)
    earlier_backups: tuple[Path, ...]  # copies made before that, also in the clear: to be kept safe or deleted
    seconds: float
    unfinished: str = ""  # why sealing the files or compacting stopped after the values were sealed; "" when done


def _clear_rows_exist(conn: Connection) -> bool:
    for table_name, cols in sealed_by_table().items():
        t = metadata.tables[table_name]
        for col in cols:
            c = t.c[col.column]
            if conn.execute(select(t.c.id).where(c != "", ~c.startswith(FIELD_PREFIX)).limit(1)).first():
                return True
    q = metadata.tables["sync_quarantine"]
    if conn.execute(select(q.c.id).where(q.c.payload != "", ~q.c.payload.startswith(FIELD_PREFIX)).limit(1)).first():
        return True
    return any(_conflict_changes(None, tbl, record_uid, (local, incoming))
               for _id, tbl, record_uid, local, incoming in _conflicts(conn))


def _clear_files(db: Database) -> bool:
    store = attachment_store(db.path)
    if not store.is_dir():
        return False
    with db.engine.connect() as conn:
        shas = list(conn.execute(select(Blob.sha256)).scalars())
    return any(blob_path(store, sha).is_file() for sha in shas)


def needs_sealing(db: Database) -> bool:
    """Does the database (or its attachment store) still hold a declared value or a file in the clear?"""
    with db.engine.connect() as conn:
        if _clear_rows_exist(conn):
            return True
    return _clear_files(db)


def _mapped_columns(table: Table) -> list[tuple[str, Any]]:
    """(attribute key, column) of the model mapped to ``table``: the model form of the audit digest."""
    for m in Base.registry.mappers:
        if m.local_table is table:
            return [(a.key, a.columns[0]) for a in m.column_attrs]
    return []


def _seal_table(conn: Connection, key: DataKey, table_name: str, cols: tuple[SealedColumn, ...]
                ) -> tuple[int, list[PendingEvent]]:
    t = metadata.tables[table_name]
    keys = _mapped_columns(t)
    names = [k for k, _c in keys]
    audited = bool(keys) and "uid" in names
    sealed_n = 0
    events: list[PendingEvent] = []
    rows = conn.execute(select(t.c.id, t.c.uid, *[t.c[c.column] for c in cols])).all()
    uids = [str(r[1]) for r in rows]
    changes: list[dict[str, Any]] = [{} for _ in rows]
    for i, col in enumerate(cols, start=2):
        todo = [n for n, r in enumerate(rows) if r[i] and not is_sealed(r[i])]
        if not todo:
            continue
        forms = stored_forms(col, key, [rows[n][i] for n in todo], [uids[n] for n in todo])
        for name, out in ((col.column, forms.sealed), (masked_column(col), forms.masked),
                          (index_column(col), forms.index)):
            if out is not None:
                for n, v in zip(todo, out, strict=True):
                    changes[n][name] = v
        sealed_n += len(todo)
    updates: list[dict[str, Any]] = []
    changed_ids: list[int] = []
    for (rid, *_r), change in zip(rows, changes, strict=True):
        if change:
            updates.append({"rid": rid, **{f"v_{k}": v for k, v in change.items()}, "_cols": tuple(change)})
            changed_ids.append(rid)
    # one statement shape per set of changed columns (most rows change the same columns)
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for u in updates:
        shapes.setdefault(u.pop("_cols"), []).append(u)
    for shape, params in shapes.items():
        stmt = update(t).where(t.c.id == bindparam("rid")).values({c: bindparam(f"v_{c}") for c in shape})
        for k in range(0, len(params), BATCH):
            conn.execute(stmt, params[k:k + BATCH])
    if audited and changed_ids:
        events = _events(conn, t, changed_ids)
    return sealed_n, events


def _events(conn: Connection, t: Table, ids: list[int]) -> list[PendingEvent]:
    """One audit event per changed record of ``t`` with its new digest (the model form: services/core/audit.py)."""
    keys = _mapped_columns(t)
    names = [k for k, _c in keys]
    events: list[PendingEvent] = []
    for k in range(0, len(ids), 500):
        for row in conn.execute(select(*[c for _k, c in keys]).where(t.c.id.in_(ids[k:k + 500]))):
            record = dict(zip(names, row, strict=True))
            events.append(PendingEvent(str(t.name), str(record["uid"]), SEAL_ACTION, "", digest(record)))
    return events


# -- what the sync set aside: quarantined records and both versions of a conflict ---------------------------------

def _conflicts(conn: Connection) -> list[Any]:
    c = metadata.tables["sync_conflict"]
    tables = list(sealed_by_table())
    return list(conn.execute(select(c.c.id, c.c.tbl, c.c.record_uid, c.c.local_json, c.c.incoming_json)
                             .where(c.c.tbl.in_(tables))))


def _conflict_changes(key: DataKey | None, table: str, record_uid: str, texts: tuple[str, ...]
                      ) -> tuple[str, ...] | None:
    """The conflict's versions with their declared values sealed (as the merge stores them now), or None when
    nothing is in the clear; ``key`` None only asks."""
    cols = sealed_by_table().get(table, ())
    out: list[str] = []
    changed = False
    for text in texts:
        try:
            rec = json.loads(text)
        except ValueError:
            out.append(text)
            continue
        if not isinstance(rec, dict):
            out.append(text)
            continue
        for col in cols:
            value = rec.get(col.column)
            if isinstance(value, str) and value and not is_sealed(value):
                changed = True
                if key is not None:
                    rec[col.column] = key.seal(value, table=table, column=col.column, uid=record_uid)
        out.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    return tuple(out) if changed else None


def _seal_set_aside(conn: Connection, key: DataKey) -> tuple[int, list[PendingEvent]]:
    """Seal the quarantined payloads (whole, bound to bundle, table and uid: services/sync/sealed.py) and the
    declared values inside the conflicts' versions (bound to their record, as in the record's own row)."""
    n = 0
    q = metadata.tables["sync_quarantine"]
    rows = conn.execute(select(q.c.id, q.c.bundle_uid, q.c.tbl, q.c.record_uid, q.c.payload)
                        .where(q.c.payload != "", ~q.c.payload.startswith(FIELD_PREFIX))).all()
    params = [{"rid": rid, "v": key.seal(payload, table=QUARANTINE[0], column=QUARANTINE[1],
                                         uid=quarantine_binding(bundle, tbl, uid))}
              for rid, bundle, tbl, uid, payload in rows]
    if params:
        conn.execute(update(q).where(q.c.id == bindparam("rid")).values(payload=bindparam("v")), params)
        n += len(params)
    c = metadata.tables["sync_conflict"]
    changed: list[dict[str, Any]] = []
    for rid, tbl, record_uid, local, incoming in _conflicts(conn):
        sealed = _conflict_changes(key, tbl, record_uid, (local, incoming))
        if sealed is not None:
            changed.append({"rid": rid, "l": sealed[0], "i": sealed[1]})
    if changed:
        conn.execute(update(c).where(c.c.id == bindparam("rid")).values(local_json=bindparam("l"),
                                                                         incoming_json=bindparam("i")), changed)
        n += len(changed)
    return n, _events(conn, c, [p["rid"] for p in changed]) if changed else []


# How far the work has come, for a progress bar: (percent, what is being done). It is called between steps;
# what it raises before :data:`COMMITTED` (a user's 取消) abandons the sealing: the transaction is rolled back and
# the backup made for it removed, so nothing has changed. From :data:`COMMITTED` on the values are sealed and the
# rest (files, compaction) must be finished: there it is only told, and must not raise (a caller with a 取消
# button ignores it from then on).
Progress = Callable[[int, str], None]
COMMITTED = 70
UNFINISHED = "sealing_unfinished"  # LocalState: set with the sealed values, removed once files and compaction are done
# What the progress bar calls the tables of models/sealed.py.
_TABLE_NAMES = {"party": "当事人", "officer": "执法人员", "mediator": "调解员", "case_interview": "询问笔录",
                "service_record": "送达回证", "issued_document": "已制发文书"}


def seal_database(db: Database, key: DataKey, *, clock: Clock, actor: str = "system",
                  within: Callable[[Session], None] | None = None, progress: Progress | None = None) -> SealReport:
    """Seal what is in the clear (fields, derived columns, attachment files), after a backup; then compact the
    file so no page keeps the plaintext. Returns what was done and which backups still hold the plaintext.

    ``within`` runs in the sealing's own transaction before the first value is sealed: the upgrade writes the key
    slots there, so the slots and the sealed values are committed together or not at all (a database with slots
    but values in the clear, or sealed values without a slot, must never be left behind). If anything fails
    before the commit the database is unchanged and the backup made for it is removed (it would only be a
    second copy of the same plaintext)."""
    started = time.perf_counter()
    sealed_n, records, backup, earlier = _backup_and_seal(db, key, clock=clock, actor=actor, within=within,
                                                          progress=progress)
    files, unfinished = _finish(db, key, progress)
    return SealReport(sealed_n, records, files, backup, earlier, time.perf_counter() - started, unfinished)


def _backup_and_seal(db: Database, key: DataKey, *, clock: Clock, actor: str,
                     within: Callable[[Session], None] | None, progress: Progress | None
                     ) -> tuple[int, int, Path | None, tuple[Path, ...]]:
    """A backup, then the values sealed in one transaction; the backup removed if that fails (it would only be a
    second copy of the same plaintext). (values, records, backup, earlier backups)."""
    tell = progress or (lambda _percent, _message: None)
    tell(0, "正在备份数据库…")
    earlier = tuple(b.path for b in list_backups(db)) if db.path is not None else ()
    backup = backup_database(db, reason="before-sealing") if db.path is not None else None
    try:
        sealed_n, records = _seal_values(db, key, clock=clock, actor=actor, within=within, tell=tell)
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    return sealed_n, records, backup, earlier


def _finish(db: Database, key: DataKey, progress: Progress | None) -> tuple[int, str]:
    """After the commit: the files sealed and the file compacted, then the mark of an unfinished sealing removed.
    (files sealed, "" or why it stopped): it does not raise, because the values are sealed under a key whose
    recovery key the caller has yet to show — an exception here would lose it. What stopped it is logged and
    said; :func:`finish_sealing` (at the administrator's next login, or ``main.py encrypt``) carries on."""
    files = 0
    try:
        files = seal_files(db, key, progress=progress)
        if progress is not None:
            progress(95, "正在压缩数据库文件（清除明文残留）…")
        compact(db)
        with db.engine.begin() as conn:
            conn.execute(delete(LocalState).where(LocalState.key == UNFINISHED))
    except Exception as exc:  # noqa: BLE001 - whatever it is, the caller must still get the recovery key out
        log.exception("sealing: the files or the compaction did not finish")
        why = exc.message if isinstance(exc, AppError) else f"{type(exc).__name__}: {exc}"
        return files, f"个人信息已加密，但证据附件的加密或数据库文件的压缩没有完成（{why}）；文件中可能还留有明文。" \
                      "请排除问题后由中队长重新登录（或运行 main.py encrypt）继续完成"
    if progress is not None:
        progress(100, "完成")
    return files, ""


def sealing_unfinished(db: Database) -> bool:
    """The values were sealed but the files or the compaction did not finish (see :func:`finish_sealing`)."""
    with db.engine.connect() as conn:
        return conn.scalar(select(LocalState.value).where(LocalState.key == UNFINISHED)) is not None


def finish_sealing(db: Database, key: DataKey, *, clock: Clock, actor: str = "system",
                   progress: Progress | None = None) -> SealReport:
    """Carry on an upgrade whose files or compaction did not finish. Values still in the clear are sealed first,
    after a backup, as :func:`seal_database` does: a column declared sealed after this database was encrypted
    (the places of migration 0013; migration 0014 marks such a database unfinished). Nothing is re-sealed; with
    no value in the clear no backup is made."""
    started = time.perf_counter()
    with db.engine.connect() as conn:
        clear = _clear_rows_exist(conn)
    sealed_n, records, backup, earlier = _backup_and_seal(
        db, key, clock=clock, actor=actor, within=None, progress=progress) if clear else (0, 0, None, ())
    files, unfinished = _finish(db, key, progress)
    return SealReport(sealed_n, records, files, backup, earlier, time.perf_counter() - started, unfinished)


def _seal_values(db: Database, key: DataKey, *, clock: Clock, actor: str,
                 within: Callable[[Session], None] | None, tell: Progress) -> tuple[int, int]:
    """The one transaction: ``within``, then every declared value sealed with its audit event; (values, records)."""
    sealed_n = 0
    events: list[PendingEvent] = []
    tables = sealed_by_table()
    with UnitOfWork(db, actor=actor, clock=clock, data_key=key) as uow:
        conn = uow.session.connection()
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA secure_delete=ON")  # freed pages are zeroed, not left with old values
        if within is not None:
            within(uow.session)
        # Cleared once the files are sealed and the file compacted: until then the clear text may linger.
        uow.session.merge(LocalState(key=UNFINISHED, value=clock.now().isoformat()))
        uow.session.flush()
        for i, (table_name, cols) in enumerate(tables.items()):
            what = _TABLE_NAMES.get(table_name, table_name)
            tell(5 + (COMMITTED - 10) * i // len(tables), f"正在加密个人信息（{what}）…")
            n, evs = _seal_table(conn, key, table_name, cols)
            sealed_n += n
            events.extend(evs)
        n, evs = _seal_set_aside(conn, key)
        sealed_n += n
        events.extend(evs)
        if events:
            append_events(conn, events, at=clock.now(), actor=actor, device_uid=db.device_uid)
        tell(COMMITTED - 5, "正在保存…")  # the last moment a 取消 is heard
        uow.commit()
    return sealed_n, len(events)


def seal_files(db: Database, key: DataKey, *, progress: Progress | None = None) -> int:
    """Seal the attachment files still in the clear (each complete under its keyed name before the clear one is
    removed); how many. Idempotent."""
    if db.path is None:
        return 0
    store = attachment_store(db.path)
    with db.engine.connect() as conn:
        shas = list(conn.execute(select(Blob.sha256)).scalars())
    files = 0
    for i, sha in enumerate(shas):
        if progress is not None and i % 20 == 0:
            progress(COMMITTED + (95 - COMMITTED) * i // max(len(shas), 1), "正在加密证据附件…")
        files += seal_blob_file(store, sha, key)
    return files


def fill_masked(db: Database) -> int:
    """Fill the masked columns of rows written around the ORM (the demo's bulk writer) from their plaintext;
    returns how many values. Sealed values are left to :func:`seal_database`, which fills them as it seals."""
    n = 0
    with db.engine.begin() as conn:
        for col in SEALED_COLUMNS:
            if col.mask is Masking.NONE:
                continue
            t = metadata.tables[col.table]
            value, shown = t.c[col.column], t.c[masked_column(col)]
            rows = conn.execute(select(t.c.id, value).where(shown == "", value != "",
                                                            ~value.startswith(FIELD_PREFIX))).all()
            params = [{"rid": rid, "v": masked(col, v)} for rid, v in rows]
            if params:
                conn.execute(update(t).where(t.c.id == bindparam("rid")).values({shown.name: bindparam("v")}),
                             params)
                n += len(params)
    return n


def compact(db: Database) -> None:
    """SQLite: VACUUM (the file is rewritten: no free page keeps an old value) and a WAL checkpoint that
    truncates the log (it held the pages as written before). PostgreSQL: VACUUM FULL of the sealed tables."""
    if db.engine.dialect.name == "sqlite":
        with db.raw() as raw:
            raw.execute("PRAGMA secure_delete=ON")
            raw.execute("VACUUM")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table_name in sealed_by_table():
            conn.exec_driver_sql(f'VACUUM FULL "{table_name}"')  # a table of the models, not outside text


__all__ = ["COMMITTED", "UNFINISHED", "Progress", "SealReport", "compact", "fill_masked", "finish_sealing",
           "needs_sealing", "seal_database", "seal_files", "sealing_unfinished"]
