"""History that cannot be rewritten quietly: the sender's audit-chain head in every bundle, checked by the receiver.

Each database keeps a hash-chained audit trail (services/core/audit.py): event *n* carries the SHA-256 of its
content and of event *n − 1*, so ``verify`` on the township catches an edited event. Someone who edits an event
and then recomputes every later hash passes ``verify``; what gives them away is a hash somebody else saw before.

* **Sender.** Every bundle's signed manifest carries ``audit``: the chain head when the bundle was written
  (``seq``, ``hash``) and ``checkpoints`` — the hash the chain holds *now* at the head of each of the last
  bundles this device wrote to the same recipient (and to nobody in particular), ``[seq, hash]`` pairs, at most
  :data:`MAX_CHECKPOINTS`; ``null`` where the chain no longer reaches that far. The sender remembers those sequence
  numbers only (``local_state`` ``audit_sent:<recipient>``); the hashes are read from the chain as it is.
* **Receiver.** Keeps, per sender, the last head it saw (``local_state`` ``audit_head:<device uid>``: sequence,
  hash, and the checkpoints that came with it). A new bundle *extends* it when its checkpoint at the stored
  sequence has the stored hash: the events the receiver saw are still there, unchanged. Otherwise the bundle is
  flagged — not refused, its records apply — and the flag stays (``audit_flag:<device uid>``), shown by
  ``sync status``, the 同步 page and the district's completeness grid:

  - **改写** (rewritten): the checkpoint at the stored sequence, or the head at the same sequence, has another
    hash — history before it was edited and re-hashed;
  - **截短** (truncated): the head is below the stored one (and is not one of the stored checkpoints: a bundle
    written earlier and imported late is not a truncation), or the chain no longer reaches the stored sequence
    (a restored old backup also shows so);
  - **无法核对** (unverifiable): the bundle carries no checkpoint at the stored sequence — an honest sender
    always does unless more than :data:`MAX_CHECKPOINTS` of its bundles in a row never arrived.

  Bundles of versions before this field carry no ``audit``: nothing is compared or stored.

The receiver never needs the sender's audit rows: one hash per bundle written suffices, because the sender
recomputes nothing — it reports what its chain holds at sequence numbers it chose earlier.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from models.system import AuditEvent, LocalState
from services.core.audit import GENESIS, chain_head
from services.sync.dialect import RawConnection
from services.sync.reader import VerifiedBundle

MAX_CHECKPOINTS = 32  # per list (the recipient's, and bundles to nobody): both travel, 64 pairs at most
MAX_FLAGS = 20  # per sender: the latest are kept
SENT_PREFIX = "audit_sent:"
HEAD_PREFIX = "audit_head:"
FLAG_PREFIX = "audit_flag:"
ANYONE = "*"  # the list of bundles written to no particular recipient
KIND_LABELS = {"rewritten": "审计记录被改写", "truncated": "审计记录被截短", "unverifiable": "无法核对审计链是否接续"}


# -- sender ------------------------------------------------------------------------------------------------------


def outgoing_head(session: Session, recipient_uid: str) -> dict[str, Any]:
    """The ``audit`` manifest field of a bundle about to be written to ``recipient_uid`` ("" for nobody), and
    its head remembered for the next bundles' checkpoints (in the caller's transaction)."""
    conn = session.connection()
    seq, head = chain_head(conn)
    mine = SENT_PREFIX + (recipient_uid or ANYONE)
    lists = {key: _sent(session, key) for key in {mine, SENT_PREFIX + ANYONE}}
    seqs = sorted({s for v in lists.values() for s in v})
    audit = AuditEvent.metadata.tables[AuditEvent.__tablename__]
    found = dict(conn.execute(select(audit.c.seq, audit.c.hash).where(audit.c.seq.in_(seqs))).all()) if seqs else {}
    checkpoints = [[s, found.get(s)] for s in seqs]
    if seq:
        kept = sorted(set(lists[mine]) | {seq})[-MAX_CHECKPOINTS:]
        session.execute(delete(LocalState).where(LocalState.key == mine))
        session.execute(insert(LocalState).values(key=mine, value=json.dumps(kept)))
    return {"seq": seq, "hash": head, "checkpoints": checkpoints}


def _sent(session: Session, key: str) -> list[int]:
    value = session.scalar(select(LocalState.value).where(LocalState.key == key))
    try:
        got = json.loads(value) if value else []
    except ValueError:
        return []
    return [s for s in got if type(s) is int and s > 0] if isinstance(got, list) else []


# -- receiver ------------------------------------------------------------------------------------------------------


def check_head(raw: RawConnection, bundle: VerifiedBundle, now: datetime) -> list[str]:
    """Compare the bundle's audit head with the last one seen from its sender; store the new head and any flag
    (in the import's transaction). Returns the warning for the import report, if any."""
    audit = bundle.manifest.get("audit")
    if not isinstance(audit, dict):
        return []
    src = bundle.manifest["source"]
    sender = str(src["device_uid"])
    seq, head = int(audit["seq"]), str(audit["hash"])
    checkpoints = {int(s): h for s, h in audit.get("checkpoints", [])}
    new = {"seq": seq, "hash": head, "checkpoints": {str(s): h for s, h in checkpoints.items()},
           "bundle": bundle.uid, "seen_at": now.isoformat()}
    prev = _load(raw, HEAD_PREFIX + sender)
    kind, detail = _verdict(prev, seq, head, checkpoints)
    if kind == "late":  # a bundle written before the one seen last: the stored head stays
        return []
    _store(raw, HEAD_PREFIX + sender, new)
    if kind is None:
        return []
    who = f"设备 {src['device_code']}（“{bundle.manifest['township']['name']}”）"
    message = f"{who}{KIND_LABELS[kind]}：{detail}"
    flags = _load(raw, FLAG_PREFIX + sender)
    items = flags.get("items", []) if isinstance(flags.get("items"), list) else []
    items.append({"kind": kind, "message": message, "detail": detail, "bundle": bundle.uid, "at": now.isoformat(),
                  "code": str(src["device_code"])})
    _store(raw, FLAG_PREFIX + sender, {"items": items[-MAX_FLAGS:]})
    return [message]


def _verdict(prev: dict[str, Any], seq: int, head: str, checkpoints: dict[int, str | None]
             ) -> tuple[str | None, str]:
    """(None | "late" | one of KIND_LABELS, what was seen)."""
    if "seq" not in prev:
        return None, ""
    s0, h0 = int(prev["seq"]), str(prev["hash"])
    shown = f"本机上次看到第{s0}条（哈希 {h0[:12]}…）"
    if seq == s0:
        return (None, "") if head == h0 else ("rewritten", f"{shown}，这次第{s0}条的哈希是 {head[:12]}…，历史记录被改动后重新计算了哈希")
    if seq > s0:
        if s0 == 0 or h0 == GENESIS:
            return None, ""
        if s0 not in checkpoints:
            return "unverifiable", f"{shown}，这次的同步包没有给出第{s0}条处的哈希（可能连续多个同步包未送达）"
        at = checkpoints[s0]
        if at is None:
            return "truncated", f"{shown}，对方的审计链已不到第{s0}条（记录被删除，或恢复了旧备份）"
        if at != h0:
            return "rewritten", f"{shown}，对方现在第{s0}条处的哈希是 {at[:12]}…：这之前的历史记录被改动后重新计算了哈希"
        return None, ""
    earlier = prev.get("checkpoints", {})
    if isinstance(earlier, dict) and earlier.get(str(seq)) == head:
        return "late", ""
    return "truncated", f"{shown}，这次只到第{seq}条：审计链变短了（记录被删除，或恢复了旧备份）"


def _load(raw: RawConnection, key: str) -> dict[str, Any]:
    row = raw.execute("SELECT value FROM local_state WHERE key=?", (key,)).fetchone()
    try:
        data = json.loads(row[0]) if row else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _store(raw: RawConnection, key: str, value: dict[str, Any]) -> None:
    raw.execute("INSERT INTO local_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                (key, json.dumps(value, ensure_ascii=False, sort_keys=True)))


# -- what the screens show ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainNote:
    """A sender whose audit chain did not extend what this database saw before."""

    device_uid: str
    device_code: str
    kind: str  # rewritten | truncated | unverifiable
    label: str  # 审计记录被改写 …
    message: str  # who, what, and what was seen (the import report's warning)
    detail: str  # what was seen only (where the device and the label are shown already)
    bundle_uid: str
    at: str  # when the bundle was imported (ISO 8601)


@dataclass(frozen=True, slots=True)
class ChainHead:
    device_uid: str
    seq: int
    hash: str


def chain_notes(session: Session) -> list[ChainNote]:
    """Every flag kept, oldest first per sender."""
    out = []
    for key, value in session.execute(select(LocalState.key, LocalState.value)
                                      .where(LocalState.key.startswith(FLAG_PREFIX, autoescape=True)).order_by(LocalState.key)):
        try:
            items = json.loads(value).get("items", [])
        except (ValueError, AttributeError):
            continue
        uid = key[len(FLAG_PREFIX):]
        for it in items if isinstance(items, list) else []:
            if isinstance(it, dict) and it.get("kind") in KIND_LABELS:
                out.append(ChainNote(uid, str(it.get("code", "")), str(it["kind"]), KIND_LABELS[str(it["kind"])],
                                     str(it.get("message", "")), str(it.get("detail", "")),
                                     str(it.get("bundle", "")), str(it.get("at", ""))))
    return out


def chain_heads(session: Session) -> dict[str, ChainHead]:
    """The last audit head seen per sender (device uid → head)."""
    out = {}
    for key, value in session.execute(select(LocalState.key, LocalState.value)
                                      .where(LocalState.key.startswith(HEAD_PREFIX, autoescape=True))):
        try:
            data = json.loads(value)
            out[key[len(HEAD_PREFIX):]] = ChainHead(key[len(HEAD_PREFIX):], int(data["seq"]), str(data["hash"]))
        except (ValueError, KeyError, TypeError):
            continue
    return out


__all__ = ["MAX_CHECKPOINTS", "ChainHead", "ChainNote", "chain_heads", "chain_notes", "check_head", "outgoing_head"]
