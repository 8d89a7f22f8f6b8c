"""Per-record sync state: what is unexported, exported, acknowledged; the guard against losing unsent data.

A record is *acknowledged* by a peer when its current (version, updated_at) equals the base stored for that
peer in ``sync_state``: set by a receipt naming that version, or by importing that version from the peer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from models.base import SHANGHAI
from models.enums import DeviceKind
from models.sync import ConflictStatus, ImportedBundle, SyncBundle, SyncConflict, SyncQuarantine, TrustedDevice
from models.system import LocalState
from services.core.errors import NotFound
from services.core.uow import UnitOfWork
from services.sync.errors import UnsentData
from services.sync.history import ChainNote, chain_notes
from services.sync.tables import spec_for, table_names

REFERENCE_KEY = "reference_version"
PUBLISHED_KEY = "reference_published"


def db_time(dt: datetime) -> str:
    """A timezone-aware time in SQLAlchemy's SQLite storage form (naive UTC text), for raw SQL writes."""
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def from_db_time(text: str | datetime | None) -> datetime | None:
    if not text:
        return None
    naive = text if isinstance(text, datetime) else datetime.fromisoformat(text)  # PostgreSQL: a datetime
    return naive.replace(tzinfo=UTC).astimezone(SHANGHAI)


def peer_ids(conn: Connection) -> list[int]:
    return [0, *conn.execute(select(TrustedDevice.id)).scalars()]


def _mark(conn: Connection) -> str:
    """The driver's placeholder for exec_driver_sql: sqlite3 takes ?, psycopg %s."""
    return "%s" if conn.dialect.name == "postgresql" else "?"


def _updated_text(conn: Connection) -> str:
    """t.updated_at as the text sync_state keeps (SQLite stores it so; PostgreSQL has a timestamp)."""
    if conn.dialect.name == "postgresql":
        return "to_char(t.updated_at, 'YYYY-MM-DD HH24:MI:SS.US')"
    return "t.updated_at"


def _stored_text(value: Any) -> str:
    """An updated_at read through the driver as SQLite's text (PostgreSQL returns a datetime)."""
    if isinstance(value, datetime):
        return value.isoformat(" ", "microseconds")
    return str(value)


def _acked_clause(peers: list[int], conn: Connection | None = None) -> str:
    """The version of row ``t`` is held by one of ``peers``; parameters: the peer ids, then the table name."""
    mark, updated = ("?", "t.updated_at") if conn is None else (_mark(conn), _updated_text(conn))
    ids = ",".join([mark] * len(peers))
    return (f"EXISTS (SELECT 1 FROM sync_state s WHERE s.peer_id IN ({ids}) AND s.tbl={mark} AND s.row_id=t.id "  # noqa: S608 - placeholders and a fixed expression
            f"AND s.base_version=t.version AND s.base_updated={updated})")


def unacknowledged_by_table(conn: Connection, peer_id: int | None) -> dict[str, int]:
    """Rows whose current version no peer (or the given peer) is known to hold."""
    peers = peer_ids(conn) if peer_id is None else [peer_id]
    out: dict[str, int] = {}
    for name in table_names():
        sql = f'SELECT count(*) FROM "{name}" t WHERE NOT {_acked_clause(peers, conn)}'  # noqa: S608 - a table of the models
        n = int(conn.exec_driver_sql(sql, (*peers, name)).scalar() or 0)
        if n:
            out[name] = n
    return out


def unacknowledged_count(uow: UnitOfWork, recipient: str | None = None) -> int:
    """Records no receipt acknowledges: for one recipient (uid or code), or for nobody at all (``None``)."""
    from services.sync.trust import find_peer

    with uow:
        peer = None if recipient is None else find_peer(uow.session, recipient).id
        return sum(unacknowledged_by_table(uow.session.connection(), peer).values())


def unacknowledged_tables(uow: UnitOfWork) -> dict[str, int]:
    """Per table, the records nobody has acknowledged yet (the sync page explains its count with it: on a fresh
    install these are the township, device and reference data made by the setup)."""
    with uow:
        return unacknowledged_by_table(uow.session.connection(), None)


def ensure_nothing_unsent(uow: UnitOfWork, action: str) -> None:
    """Guard for destructive operations (reset the device, remove a township, restore an old backup):
    raises :class:`UnsentData` while records exist that no receipt acknowledges (docs/sync-bundle.md §Design rules
    nos. 1, 6)."""
    n = unacknowledged_count(uow)
    if n:
        raise UnsentData(action, n)


def peer_label(kind: DeviceKind, code: str) -> str:
    if kind is DeviceKind.DISTRICT:
        return "区"
    return f"{'乡镇办公室' if kind is DeviceKind.OFFICE else '外勤机'} {code}"


def record_sync_state(uow: UnitOfWork, table: str, uid: str) -> str:
    """未导出 / 已导出（第N号同步包） / 已确认（区 于 日期） for one record's current version."""
    try:
        spec_for(table)
    except KeyError as exc:
        raise NotFound(f"{table} 不是同步的数据表") from exc
    with uow:
        conn = uow.session.connection()
        mark = _mark(conn)
        row = conn.exec_driver_sql(f'SELECT id, version, updated_at FROM "{table}" WHERE uid={mark}',  # noqa: S608 - a table of the models (spec_for above)
                                   (uid,)).first()
        if row is None:
            raise NotFound(f"找不到记录 {uid}")
        rid, version, updated = row[0], row[1], _stored_text(row[2])
        peers = {p.id: p for p in uow.session.scalars(select(TrustedDevice))}
        ids = [0, *peers]
        states = conn.exec_driver_sql(
            "SELECT peer_id, sent_version, sent_updated, sent_seq, base_version, base_updated, acked_at "  # noqa: S608 - placeholders only
            f"FROM sync_state WHERE peer_id IN ({','.join([mark] * len(ids))}) AND tbl={mark} AND row_id={mark}",
            (*ids, table, rid)).all()
        acked = [s for s in states if (s[4], s[5]) == (version, str(updated))]
        if acked:
            s = max(acked, key=lambda s: s[6] or "")
            when = from_db_time(s[6])
            peer = peers.get(s[0])
            who = peer_label(peer.kind, peer.code) if peer else "接收方"
            return f"已确认（{who} 于 {when:%Y-%m-%d}）" if when else f"已确认（{who}）"
        sent = [s for s in states if (s[1], s[2]) == (version, str(updated))]
        if sent:
            return f"已导出（第{max(s[3] or 0 for s in sent)}号同步包）"
        return "未导出"


@dataclass(frozen=True, slots=True)
class PeerStatus:
    code: str
    kind: str
    township: str
    last_sent: int  # sequence of the last records bundle written to this peer
    last_received: int  # highest sequence imported from this peer
    missing: tuple[tuple[int, int], ...]  # ranges of sequences from this peer not received ("第3–7号")
    unacknowledged: int
    open_conflicts: int


@dataclass(frozen=True, slots=True)
class SyncStatus:
    device_code: str
    reference_version: int
    unacknowledged: int
    open_conflicts: int
    quarantined: int
    peers: tuple[PeerStatus, ...]
    # Senders whose audit chain did not extend what this database saw before (services/sync/history.py).
    history: tuple[ChainNote, ...] = ()

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def recipient_of(manifest: dict[str, Any]) -> str:
    """The series a bundle is numbered in, besides sender and kind: its recipient's device uid, "" for nobody."""
    recipient = manifest.get("recipient")
    return str(recipient["device_uid"]) if isinstance(recipient, dict) else ""


def in_series(recipient_uid: str, *, legacy: bool) -> ColumnElement[bool]:
    """``imported_bundle`` rows of the series addressed to ``recipient_uid`` ("" = to nobody); with ``legacy``
    also the rows imported before migration 0009, whose series is unknown (they fill gaps, never prove a clash)."""
    same = ImportedBundle.recipient_uid == recipient_uid
    return or_(same, ImportedBundle.recipient_uid.is_(None)) if legacy else same


def missing_sequences(session: Session, source_uid: str, kind: str = "records", *,
                      recipient_uid: str) -> tuple[tuple[int, int], ...]:
    """Ranges of the sequence numbers below the highest received that never arrived, in one series (sender,
    recipient, kind; services/sync/limits.py)."""
    from services.sync.limits import gap_ranges

    return gap_ranges(session.scalars(select(ImportedBundle.seq).where(
        ImportedBundle.source_uid == source_uid, ImportedBundle.kind == kind, in_series(recipient_uid, legacy=True))))


def reference_version(session: Session) -> int:
    value = session.scalar(select(LocalState.value).where(LocalState.key == REFERENCE_KEY))
    return int(value) if value else 0


def sync_status(uow: UnitOfWork) -> SyncStatus:
    """``sync status``: per peer the last sequences, gaps, unacknowledged and conflict counts."""
    from models.org import Device

    with uow:
        s = uow.session
        conn = s.connection()
        device = s.scalar(select(Device).where(Device.uid == uow.db.device_uid))
        peers = []
        for p in s.scalars(select(TrustedDevice).order_by(TrustedDevice.id)):
            last_sent = s.scalar(select(func.max(SyncBundle.seq)).where(
                SyncBundle.recipient_uid == p.uid, SyncBundle.kind == "records")) or 0
            last_recv = s.scalar(select(func.max(ImportedBundle.seq)).where(
                ImportedBundle.source_uid == p.uid, ImportedBundle.kind == "records",
                in_series(uow.db.device_uid, legacy=True))) or 0
            conflicts = s.scalar(select(func.count()).select_from(SyncConflict).where(
                SyncConflict.source_uid == p.uid, SyncConflict.status == ConflictStatus.OPEN)) or 0
            unacked = sum(unacknowledged_by_table(conn, p.id).values())
            peers.append(PeerStatus(p.code, p.kind.value, p.township_name, int(last_sent), int(last_recv),
                                    missing_sequences(s, p.uid, recipient_uid=uow.db.device_uid), unacked,
                                    int(conflicts)))
        total = sum(unacknowledged_by_table(conn, None).values())
        open_c = s.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.status == ConflictStatus.OPEN)) or 0
        quarantined = s.scalar(select(func.count()).select_from(SyncQuarantine)) or 0
        return SyncStatus(device.code if device else "", reference_version(s), total, int(open_c),
                          int(quarantined), tuple(peers), tuple(chain_notes(s)))


def history(uow: UnitOfWork, limit: int = 200) -> list[dict[str, Any]]:
    """Bundles written and imported, newest first, for the 同步 screen's history list."""
    with uow:
        s = uow.session
        out: list[dict[str, Any]] = []
        for b in s.scalars(select(SyncBundle).order_by(SyncBundle.created_at.desc()).limit(limit)):
            out.append({"direction": "out", "kind": b.kind, "uid": b.uid, "seq": b.seq, "at": b.created_at,
                        "file": b.file_name, "records": b.records, "acknowledged_at": b.acknowledged_at})
        for i in s.scalars(select(ImportedBundle).order_by(ImportedBundle.imported_at.desc()).limit(limit)):
            out.append({"direction": "in", "kind": i.kind, "uid": i.uid, "seq": i.seq, "at": i.imported_at,
                        "source": i.source_code, "summary": json.loads(i.summary or "{}")})
        out.sort(key=lambda r: r["at"], reverse=True)
        return out[:limit]
