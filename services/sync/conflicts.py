"""The conflict queue: both versions side by side, and a person's decision (keep local, take incoming, merge).

Whatever is chosen becomes a *new* version (max of both versions + 1, stamped now), and the sender's version
becomes the base shared with the sender: the next bundle tells the sender "this supersedes your version", so it
applies there without a second conflict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select

from models.sync import ConflictStatus, SyncConflict, TrustedDevice
from services.core.audit import PendingEvent, append_events, digest
from services.core.cipher import DataKey, Locked
from services.core.errors import NotFound, ValidationError
from services.core.sealing import LOCKED_TEXT
from services.core.uow import UnitOfWork
from services.sync.dialect import is_pg, raw_for
from services.sync.sealed import Derived, FieldSealer, apply_derived, shown_record
from services.sync.state import db_time
from services.sync.tables import BOOKKEEPING, MISSING, Invalid, row_to_record, select_sql, spec_for


@dataclass(frozen=True, slots=True)
class ConflictInfo:
    uid: str
    table: str
    record_uid: str
    local: dict[str, Any]
    incoming: dict[str, Any]
    differing: tuple[str, ...]  # fields whose values differ (bookkeeping left out)
    source_code: str
    bundle_uid: str
    created_at: datetime
    status: str
    resolution: str


SEALED_SHOWN = LOCKED_TEXT  # a sealed value listed without the key: never its ``ed1:`` form


def _info(c: SyncConflict, codes: dict[str, str], key: DataKey | None) -> ConflictInfo:
    """Both versions as the screen shows them: sealed values opened with the key (a note in their place without
    it), so the fields that differ are those whose values differ, not their seals' nonces."""
    raw_local, raw_incoming = json.loads(c.local_json), json.loads(c.incoming_json)
    local, incoming = shown_record(key, c.tbl, raw_local), shown_record(key, c.tbl, raw_incoming)
    keys = sorted((set(local) | set(incoming)) - BOOKKEEPING)
    # Two values both shown as 已加密 (no key) may differ or not: listed, since nobody can tell without the key.
    diff = tuple(k for k in keys if local.get(k) != incoming.get(k)
                 or (local.get(k) == SEALED_SHOWN and raw_local.get(k) != raw_incoming.get(k)))
    return ConflictInfo(c.uid, c.tbl, c.record_uid, local, incoming, diff, codes.get(c.source_uid, ""), c.bundle_uid,
                        c.created_at, c.status.value, c.resolution)


def list_conflicts(uow: UnitOfWork, *, open_only: bool = True) -> list[ConflictInfo]:
    with uow:
        s = uow.session
        codes = {u: c for u, c in s.execute(select(TrustedDevice.uid, TrustedDevice.code))}
        q = select(SyncConflict).order_by(SyncConflict.created_at, SyncConflict.id)
        if open_only:
            q = q.where(SyncConflict.status == ConflictStatus.OPEN)
        key = s.info.get("data_key")
        return [_info(c, codes, key) for c in s.scalars(q)]


def resolve_conflict(uow: UnitOfWork, conflict_uid: str,
                     choice: Literal["local", "incoming"] | dict[str, Any]) -> ConflictInfo:
    """Decide an open conflict. ``choice`` is "local", "incoming" or a merged record (field → value)."""
    with uow:
        s = uow.session
        c = s.scalar(select(SyncConflict).where(SyncConflict.uid == conflict_uid))
        if c is None:
            raise NotFound(f"找不到冲突记录 {conflict_uid}")
        if c.status is not ConflictStatus.OPEN:
            raise ValidationError("该冲突已处理过")
        spec = spec_for(c.tbl)
        conn = s.connection()
        raw = raw_for(conn)
        row = raw.execute(select_sql(spec, "WHERE t.uid=?"), (c.record_uid,)).fetchone()
        if row is None:
            raise NotFound(f"找不到记录 {c.record_uid}")
        rid, stored_local = row[0], row_to_record(spec, row[1:])
        # Sealed values (both versions are kept sealed) are chosen, checked and compared as plaintext, then sealed
        # again for the row with its derived columns (masked forms, blind indexes) following the chosen values.
        sealer = FieldSealer.of(s)
        if sealer.needs(spec) and sealer.encrypted and sealer.key is None:
            raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能处理冲突")
        local = sealer.open_local(spec, stored_local)
        incoming = sealer.open_local(spec, json.loads(c.incoming_json))
        if choice == "local":
            chosen, resolution = local, "local"
        elif choice == "incoming":
            chosen, resolution = incoming, "incoming"
        elif isinstance(choice, dict):
            chosen, resolution = {**local, **{k: v for k, v in choice.items() if k not in BOOKKEEPING}}, "merged"
        else:
            raise ValidationError(f"无效的处理方式：{choice}")
        now = uow.clock.now()
        chosen = {**chosen, "uid": c.record_uid, "version": max(int(local["version"]), int(incoming["version"])) + 1,
                  "updated_at": db_time(now), "created_at": local["created_at"], "origin_device": local["origin_device"]}
        values = _values(raw, spec, chosen)
        derived: Derived = {}
        written = chosen
        if sealer.needs(spec):
            cols: list[Any] = [[v] for v in values]
            [written], derived = sealer.seal_batch(spec, [chosen], cols)
            values = [v[0] for v in cols]
        sets = ", ".join(f'"{n}"=?' for n in spec.names)
        raw.execute(f'UPDATE "{spec.name}" SET {sets} WHERE id=?', (*values, rid))  # noqa: S608 - a table of the models, its columns
        if derived:
            apply_derived(raw, spec, derived, [0], [c.record_uid])
        peer = s.scalar(select(TrustedDevice).where(TrustedDevice.uid == c.source_uid))
        if peer is not None:  # we have now seen the sender's version: it is the base our next bundle supersedes
            raw.execute(
                "INSERT INTO sync_state (peer_id, tbl, row_id, base_version, base_updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (peer_id, tbl, row_id) DO UPDATE SET base_version=excluded.base_version, "
                "base_updated=excluded.base_updated, acked_at=NULL",
                (peer.id, spec.name, rid, int(incoming["version"]), str(incoming["updated_at"])))
        append_events(conn, [PendingEvent(spec.name, c.record_uid, "sync.resolve_conflict", digest(stored_local),
                                          digest(written))], at=now, actor=uow.actor, device_uid=uow.db.device_uid)
        c.status, c.resolution, c.resolved_at, c.resolved_by = ConflictStatus.RESOLVED, resolution, now, uow.actor
        s.flush()
        info = _info(c, {peer.uid: peer.code} if peer else {}, sealer.key)
        uow.commit()
        return info


def _values(raw: Any, spec: Any, rec: dict[str, Any]) -> list[Any]:
    out = []
    for col in spec.columns:
        v = rec.get(col.name, MISSING)
        if v is MISSING or v is None:
            if not col.nullable and (v is None or col.default is MISSING):
                raise ValidationError(f"字段 {col.name} 不能为空", field=col.name)
            out.append(None if v is None else col.default)
            continue
        try:
            v = col.check(v)
        except Invalid as exc:
            raise ValidationError(f"字段 {col.name}：{exc}", field=col.name) from None
        if col.fk_table is not None:
            found = raw.execute(f'SELECT id FROM "{col.fk_table}" WHERE uid=?', (v,)).fetchone()  # noqa: S608 - a table of the models
            if found is None:
                raise ValidationError(f"字段 {col.name} 引用的记录 {v} 不存在", field=col.name)
            v = found[0]
        elif col.kind == "bool" and is_pg(raw):  # PostgreSQL's boolean takes no 0/1
            v = bool(v)
        out.append(v)
    return out
