"""Receipts: the signed acknowledgement an importer writes for the sender, and applying it at the sender.

A receipt names every record version the receiver now holds (applied, or already identical), the quarantined
records with their reasons and the conflicts. Applying it sets, per record, the base the two devices share, so
those versions count as acknowledged (已确认) and are not sent again; nothing else changes.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from models.sync import ImportedBundle, SyncBundle, SyncConflict, SyncQuarantine, TrustedDevice
from services.core.uow import UnitOfWork
from services.sync.ceremony import Contents, begin, commit_and_publish, seal, sealed_member
from services.sync.container import BundleWriter
from services.sync.dialect import RawConnection, is_pg, raw_for, time_text
from services.sync.errors import BundleRejected
from services.sync.manifest import UUID_RE
from services.sync.merge import Counts, MergeResult
from services.sync.reader import VerifiedBundle, open_bundle
from services.sync.state import db_time, recipient_of, reference_version
from services.sync.tables import TableSpec, row_to_record, same_content, select_sql, synced_specs, table_names

ACK_BATCH = 5000
HELD_BATCH = 500  # uids per IN (…): within SQLite's oldest limit of 999 bound variables


@dataclass(frozen=True, slots=True)
class ReceiptReport:
    bundle_uid: str  # the bundle this receipt acknowledges
    receiver_code: str
    acknowledged: int
    quarantined: tuple[tuple[str, str, str], ...]
    conflicts: tuple[tuple[str, str], ...]
    already_applied_at: datetime | None = None
    refused: int = 0  # lines naming a record version not sent to the receiver in that bundle: ignored
    warnings: tuple[str, ...] = ()  # what was refused, and the receiver's audit chain (services/sync/history.py)


def write_receipt(uow: UnitOfWork, bundle: VerifiedBundle, merge: MergeResult, applied: IO[str],
                  folder: Path) -> Path:
    """Write the receipt for an applied bundle, encrypted to its sender; returns the file path."""
    m = bundle.manifest
    with uow:
        s = uow.session
        peer = s.scalar(select(TrustedDevice).where(TrustedDevice.uid == m["source"]["device_uid"]))
        assert peer is not None  # trusted by the import that just committed
        out = begin(uow, "receipt", peer)
        device = out.device
        summary = {
            "bundle_uid": bundle.uid, "bundle_manifest_sha256": bundle.manifest_sha256,
            "imported_at": out.created_at.isoformat(),
            "receiver": {"device_uid": device.uid, "device_code": device.code, "device_kind": device.kind.value},
            "counts": {t: {"new": c.new, "updated": c.updated, "unchanged": c.unchanged, "conflicts": c.conflicts,
                           "quarantined": c.quarantined} for t, c in merge.counts.items()},
            "quarantined": [list(q) for q in merge.quarantined], "conflicts": [[t, u] for t, u, _c in merge.conflicts],
        }

        def members(writer: BundleWriter) -> Contents:
            sealed_member(writer, out.key, "receipt/receipt.json", [json.dumps(summary, ensure_ascii=False).encode()],
                          compress=out.key is None)
            sealed_member(writer, out.key, "receipt/applied.jsonl", iter(lambda: applied.read(1 << 20).encode(), b""),
                          compress=out.key is None)
            return Contents({}, reference_version(s))

        done = seal(uow, out, folder, members)
        commit_and_publish(uow, done)
    return done.path


def rewrite_receipt(uow: UnitOfWork, path: Path, folder: Path) -> Path:
    """The receipt of a bundle applied earlier, written again: its first one was lost, or the import was killed
    between its commit and its receipt (issue 15).

    What the receiver holds is read back: every record version of the bundle that this database still holds, or
    holds a later version of, except the bundle's conflicts and quarantined records (``sync_conflict``,
    ``sync_quarantine``); the counts are the import's own (``imported_bundle.summary``). The sender honours only
    lines for versions it sent in that bundle, and honours them once (services/sync/receipts.py ``_acknowledge``)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as sink:
        with uow:
            s = uow.session
            raw = raw_for(s.connection())
            v = open_bundle(s, uow.db, path)
            try:
                prior = s.get(ImportedBundle, v.uid)
                if prior is None:
                    raise BundleRejected("该同步包尚未导入：请先导入，导入时会写出回执")
                merge = _stored_result(s, v.uid, prior.summary)
                _held_lines(raw, v, merge, sink)
            finally:
                v.close()
        sink.seek(0)
        return write_receipt(uow, v, merge, sink, folder)


def _stored_result(s: Any, bundle_uid: str, summary: str) -> MergeResult:
    """The import's counts, conflicts and quarantined records, as stored when it was applied."""
    result = MergeResult()
    for table, c in (json.loads(summary or "{}") or {}).items():
        result.counts[table] = Counts(**{k: int(c.get(k, 0)) for k in ("new", "updated", "unchanged", "conflicts",
                                                                       "quarantined")})
    result.quarantined = [(q.tbl, q.record_uid, q.reason) for q in s.scalars(
        select(SyncQuarantine).where(SyncQuarantine.bundle_uid == bundle_uid).order_by(SyncQuarantine.id))]
    result.conflicts = [(c.tbl, c.record_uid, c.uid) for c in s.scalars(
        select(SyncConflict).where(SyncConflict.bundle_uid == bundle_uid).order_by(SyncConflict.id))]
    return result


def _held_lines(raw: RawConnection, v: VerifiedBundle, merge: MergeResult, sink: IO[str]) -> None:
    """Receipt lines for the bundle's record versions this database holds: the same version, a later one, or the
    same content under other bookkeeping (what the merge counted as unchanged, services/sync/merge.py)."""
    left_out = {(t, u) for t, u, _r in merge.quarantined} | {(t, u) for t, u, _c in merge.conflicts}
    for spec in synced_specs():
        name = f"records/{spec.name}.jsonl"
        if not v.has(name):
            continue
        for batch in v.record_batches(name, HELD_BATCH):
            recs = {}
            for rec in batch:
                if not isinstance(rec, dict) or (spec.name, rec.get("uid")) in left_out:
                    continue
                ver, upd = rec.get("version"), rec.get("updated_at")
                if isinstance(rec.get("uid"), str) and type(ver) is int and isinstance(upd, str):
                    recs[rec["uid"]] = (ver, upd if len(upd) == 26 else upd + ".000000", rec)
            if not recs:
                continue
            marks = ",".join("?" * len(recs))
            local = {u: (lv, str(lu), rid) for u, lv, lu, rid in raw.execute(
                f'SELECT uid, version, {time_text(raw, "updated_at")}, id FROM "{spec.name}" '  # noqa: S608 - a table of the models
                f"WHERE uid IN ({marks})", tuple(recs)).fetchall()}
            lines = []
            for uid, (ver, upd, rec) in recs.items():
                mine = local.get(uid)
                if mine is None:
                    continue
                if mine[0] > ver or (mine[0], mine[1]) == (ver, upd) or same_content(_record(raw, spec, mine[2]), rec):
                    lines.append(json.dumps([spec.name, uid, ver, upd]) + "\n")
            sink.writelines(lines)


def _record(raw: RawConnection, spec: TableSpec, rid: int) -> dict[str, Any]:
    row = raw.execute(select_sql(spec, "WHERE t.id=?"), (rid,)).fetchone()
    return row_to_record(spec, row[1:])


def apply_receipt(uow: UnitOfWork, path: Path) -> ReceiptReport:
    """Mark the versions a receipt names as acknowledged by its sender (``sync receipt``)."""
    with uow:
        s = uow.session
        conn = s.connection()
        raw = raw_for(conn)
        v = open_bundle(s, uow.db, path, expect=("receipt",))
        try:
            assert v.peer is not None  # open_bundle refuses unknown senders without trust_new
            prior = s.get(ImportedBundle, v.uid)
            summary = _summary(v)
            quarantined = tuple(tuple(q) for q in summary.get("quarantined", []))
            conflicts = tuple(tuple(c) for c in summary.get("conflicts", []))
            if prior is not None:
                return ReceiptReport(summary["bundle_uid"], v.peer.code, 0, quarantined, conflicts,
                                     prior.imported_at)
            sent = s.get(SyncBundle, summary["bundle_uid"])
            if sent is None or sent.recipient_uid not in (v.peer.uid, "") or sent.kind == "receipt":
                raise BundleRejected("这份回执对应的同步包不是本机发给该设备的，已拒绝")
            now = uow.clock.now()
            from services.sync.history import check_head

            warnings = check_head(raw, v, now)
            n, refused = _acknowledge(raw, v, v.peer.id, db_time(now), sent)
            if refused:
                warnings.insert(0, f"回执中有 {refused} 条确认的记录版本不是本机在这个同步包里发给 {v.peer.code} 的，"
                                   "已忽略（只确认实际发给该设备的记录）")
            sent.acknowledged_at = now
            s.add(ImportedBundle(uid=v.uid, kind="receipt", source_uid=v.peer.uid, source_code=v.peer.code,
                                 seq=v.manifest["sequence"], recipient_uid=recipient_of(v.manifest),
                                 manifest_sha256=v.manifest_sha256, imported_at=now,
                                 imported_by=uow.actor, summary=json.dumps({"acknowledged": n, "refused": refused})))
            s.flush()
            from services.core.audit import PendingEvent, append_events, digest

            append_events(conn, [PendingEvent("sync_bundle", sent.uid, "sync.receipt", "",
                                              digest({"acknowledged": n, "receipt": v.uid}))],
                          at=now, actor=uow.actor, device_uid=uow.db.device_uid)
            uow.commit()
            return ReceiptReport(sent.uid, v.peer.code, n, quarantined, conflicts, refused=refused,
                                 warnings=tuple(warnings))
        finally:
            v.close()


def _summary(v: VerifiedBundle) -> dict[str, Any]:
    try:
        data = json.loads(b"".join(v.content("receipt/receipt.json")))
    except ValueError as exc:
        raise BundleRejected("回执内容不是有效的 JSON") from exc
    if not isinstance(data, dict) or not UUID_RE.match(str(data.get("bundle_uid", ""))):
        raise BundleRejected("回执缺少所确认的同步包编号")
    return data


def _acknowledge(raw: RawConnection, v: VerifiedBundle, peer_id: int, now_db: str, sent: SyncBundle
                 ) -> tuple[int, int]:
    """Set the shared base of every record version the receipt names that this database sent to the receiver in
    that bundle; (versions acknowledged, lines refused).

    What was sent is in ``sync_state``: per record, the version last sent to that peer (peer 0 for bundles to
    nobody) and when that version first went (services/sync/export.py keeps the first time while the version stays
    the same; it goes again in every bundle until a receipt names it). A line is honoured when it names that version
    and the version had gone by the time of the bundle the receipt answers. A line naming an older version than the
    one since sent is outdated (a receipt overtaken by a newer bundle) and quietly skipped; any other line — a record
    or version never sent to that device, or sent only later — is refused and counted.
    """
    tables = set(table_names())
    pg = is_pg(raw)
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS sync_ack (tbl TEXT, uid TEXT, v INTEGER, m TEXT)")
    raw.execute("DELETE FROM sync_ack")
    batch: list[tuple[str, str, int, str]] = []
    total = refused = 0
    sent_peer, sent_at = sent.peer_id, db_time(sent.created_at)

    def flush() -> tuple[int, int]:
        raw.executemany("INSERT INTO sync_ack VALUES (?, ?, ?, ?)", batch)
        n = bad = 0
        for t in {b[0] for b in batch}:  # t: a table name of the models (checked against table_names() below)
            before = raw.total_changes
            raw.execute(
                "INSERT INTO sync_state (peer_id, tbl, row_id, base_version, base_updated, acked_at) "  # noqa: S608 - t: a table of the models
                f'SELECT ?, ?, t.id, a.v, a.m, ? FROM sync_ack a JOIN "{t}" t ON t.uid = a.uid '
                "JOIN sync_state s ON s.peer_id = ? AND s.tbl = ? AND s.row_id = t.id AND s.sent_version = a.v "
                "AND s.sent_updated = a.m AND s.sent_at <= ? WHERE a.tbl = ? "
                "ON CONFLICT (peer_id, tbl, row_id) DO UPDATE SET base_version=excluded.base_version, "
                "base_updated=excluded.base_updated, acked_at=excluded.acked_at "
                "WHERE sync_state.base_version IS NULL OR excluded.base_version >= sync_state.base_version",
                (peer_id, t, now_db, sent_peer, t, sent_at, t))
            n += raw.total_changes - before
            # Refused: neither honoured above nor outdated by a newer version sent since.
            bad += raw.execute(
                f'SELECT count(*) FROM sync_ack a LEFT JOIN "{t}" t ON t.uid = a.uid '  # noqa: S608 - t: a table of the models
                "LEFT JOIN sync_state s ON s.peer_id = ? AND s.tbl = ? AND s.row_id = t.id WHERE a.tbl = ? "
                "AND NOT (s.sent_version IS NOT NULL AND (s.sent_version > a.v OR (s.sent_version = a.v "
                "AND s.sent_updated = a.m AND s.sent_at <= ?)))",
                (sent_peer, t, t, sent_at)).fetchone()[0]
        raw.execute("DELETE FROM sync_ack")
        batch.clear()
        return n, bad

    for line in v.lines("receipt/applied.jsonl"):
        try:
            t, uid, ver, upd = json.loads(line)
        except (ValueError, TypeError):
            raise BundleRejected("回执的确认清单格式错误") from None
        if t not in tables or type(ver) is not int or not isinstance(upd, str) or not isinstance(uid, str):
            raise BundleRejected(f"回执的确认清单含有无效条目：{line[:80]!r}")
        batch.append((t, uid, ver, upd))
        if len(batch) >= ACK_BATCH:
            got = flush()
            total, refused = total + got[0], refused + got[1]
    if batch:
        got = flush()
        total, refused = total + got[0], refused + got[1]
    raw.execute(f"DROP TABLE IF EXISTS {'pg_temp' if pg else 'temp'}.sync_ack")
    return total, refused


__all__ = ["ReceiptReport", "apply_receipt", "rewrite_receipt", "write_receipt"]
