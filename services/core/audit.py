"""The hash-chained audit trail: row digests, appending events during flush, and verifying the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from models.system import AuditEvent
from services.core.sealing import stored_form

GENESIS = "0" * 64
_AUDIT = AuditEvent.metadata.tables[AuditEvent.__tablename__]  # the Table itself, as Core's insert() wants


def plain(value: Any) -> Any:
    """JSON-safe, stable representation used in digests (and later in sync bundles)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def digest(values: dict[str, Any]) -> str:
    blob = json.dumps({k: plain(v) for k, v in sorted(values.items())}, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def row_values(obj: Any) -> dict[str, Any]:
    """The row as this flush writes it: sealed columns in their stored form (services/core/sealing.py), the
    form ``verify --deep`` recomputes from the file without the data key."""
    state = inspect(obj)
    out = {attr.key: state.dict.get(attr.key) for attr in state.mapper.column_attrs}
    out.update(stored_form(state, before=False))
    return out


def committed_values(obj: Any) -> dict[str, Any]:
    """The row as it was before this flush (attribute history still holds the old values)."""
    state = inspect(obj)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.deleted:
            out[attr.key] = hist.deleted[0]
        elif hist.unchanged:
            out[attr.key] = hist.unchanged[0]
        else:
            out[attr.key] = state.dict.get(attr.key)
    out.update(stored_form(state, before=True))
    return out


def event_hash(
    seq: int, at: datetime, actor: str, device_uid: str, entity: str, entity_uid: str, action: str,
    before: str, after: str, prev_hash: str,
) -> str:
    fields = [seq, plain(at), actor, device_uid, entity, entity_uid, action, before, after, prev_hash]
    blob = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PendingEvent:
    entity: str
    entity_uid: str
    action: str
    before: str
    after: str


def chain_head(conn: Connection) -> tuple[int, str]:
    row = conn.execute(select(_AUDIT.c.seq, _AUDIT.c.hash).order_by(_AUDIT.c.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def append_events(
    conn: Connection, events: Sequence[PendingEvent], *, at: datetime, actor: str, device_uid: str
) -> int:
    """Append events to the chain inside the caller's (write-locked) transaction; returns the last seq."""
    if not events:
        return chain_head(conn)[0]
    seq, prev = chain_head(conn)
    rows = []
    for ev in events:
        seq += 1
        h = event_hash(seq, at, actor, device_uid, ev.entity, ev.entity_uid, ev.action, ev.before, ev.after, prev)
        rows.append(
            {
                "seq": seq, "at": at, "actor": actor, "device_uid": device_uid, "entity": ev.entity,
                "entity_uid": ev.entity_uid, "action": ev.action, "before_digest": ev.before,
                "after_digest": ev.after, "prev_hash": prev, "hash": h,
            }
        )
        prev = h
    conn.execute(insert(_AUDIT), rows)
    return seq


def entity_uid(obj: Any) -> str:
    return str(getattr(obj, "uid", "") or "")


def collect_flush_events(session: Session) -> list[PendingEvent]:
    """Audit events for everything this flush writes (called from the after_flush hook)."""
    action = session.info.get("action", "")
    events: list[PendingEvent] = []
    for obj in session.new:
        if getattr(obj, "__audited__", False):
            events.append(PendingEvent(obj.__tablename__, entity_uid(obj), action or "create", "", digest(row_values(obj))))
    for obj in session.dirty:
        if not getattr(obj, "__audited__", False) or not session.is_modified(obj, include_collections=False):
            continue
        before = committed_values(obj)
        after = row_values(obj)
        kind = "delete" if before.get("deleted_at") is None and after.get("deleted_at") is not None else "update"
        events.append(PendingEvent(obj.__tablename__, entity_uid(obj), action or kind, digest(before), digest(after)))
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            events.append(PendingEvent(obj.__tablename__, entity_uid(obj), "remove", digest(row_values(obj)), ""))
    return events


@dataclass(frozen=True, slots=True)
class AuditProblem:
    seq: int
    message: str


def verify_chain(rows: Iterable[Any]) -> list[AuditProblem]:
    """Recompute every hash in order; report each row whose content or link does not match."""
    problems: list[AuditProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    for r in rows:
        if r.seq != expected_seq:
            problems.append(AuditProblem(r.seq, f"审计记录序号不连续：应为第{expected_seq}条，实为第{r.seq}条（记录被删除或插入）"))
        if r.prev_hash != expected_prev:
            problems.append(AuditProblem(r.seq, f"审计记录第{r.seq}条的前序哈希与第{r.seq - 1}条不符（链条断裂）"))
        h = event_hash(
            r.seq, r.at, r.actor, r.device_uid, r.entity, r.entity_uid, r.action, r.before_digest,
            r.after_digest, r.prev_hash,
        )
        if h != r.hash:
            problems.append(AuditProblem(r.seq, f"审计记录第{r.seq}条内容被改动（哈希不符：{r.entity} {r.action} {r.entity_uid}）"))
        expected_prev = r.hash
        expected_seq = r.seq + 1
    return problems
