"""Export: plan what goes to a recipient, then write one signed (and, when possible, encrypted) bundle file.

Incremental = every record whose current version the recipient is not known to hold (no receipt, not received
from it); ``full`` = everything. Exporting never alters records: it writes the bundle file atomically and then
records, in the same transaction, which versions went out (``sync_state``) and the bundle itself
(``sync_bundle``). Rows are read in keyset-paged batches so memory stays flat for a million-row bundle.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from models.labels import record_label
from models.sync import SyncBundle, TrustedDevice
from services.core.audit import PendingEvent, append_events, digest
from services.core.errors import AppError, ValidationError
from services.core.integrity import refuse_damage, require_intact
from services.core.paths import BUNDLE_SUFFIX
from services.core.uow import UnitOfWork
from services.procedures.attachments import attachment_store, blob_path, blob_present, read_blob
from services.sync.ceremony import Contents, begin, commit_and_publish, seal, sealed_member
from services.sync.container import BundleWriter
from services.sync.crypto import DeviceKeys
from services.sync.dialect import PG_TIME_TEXT, RawConnection, is_pg, raw_for, time_text
from services.sync.sealed import FieldSealer
from services.sync.state import db_time, reference_version
from services.sync.tables import TableSpec, row_to_record, select_sql, synced_specs
from services.sync.trust import device_keys, find_peer

BATCH = 5000
Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class ExportPlan:
    recipient_uid: str | None
    recipient_code: str
    peer_id: int
    full: bool
    counts: dict[str, int]
    attachments: int
    attachment_bytes: int
    encrypted: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    bundle_uid: str
    sequence: int
    sha256: str
    size: int
    counts: dict[str, int] = field(default_factory=dict)
    attachments: int = 0
    encrypted: bool = False
    recipient_code: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _pending_clause(spec: TableSpec, peer_id: int, full: bool, *, pg: bool = False,
                    mark: str = "?") -> tuple[str, str, str, tuple[Any, ...]]:
    """(extra columns, join, WHERE, the join's parameters) selecting rows the peer does not hold, with the peer's
    base version. ``mark``: the driver's placeholder (the raw connection's ``?``, or psycopg's ``%s`` through
    SQLAlchemy's exec_driver_sql).

    sync_state keeps the (version, updated_at) pairs as SQLite stores them (updated_at as text); on PostgreSQL the
    record's timestamp is compared in that same text form, with the standard null-safe IS DISTINCT FROM."""
    join = f"LEFT JOIN sync_state ss ON ss.peer_id={mark} AND ss.tbl={mark} AND ss.row_id=t.id"
    if full:
        where = ""
    elif pg:
        where = (f"(ss.row_id IS NULL OR ss.base_version IS DISTINCT FROM t.version "
                 f"OR ss.base_updated IS DISTINCT FROM to_char(t.updated_at, {PG_TIME_TEXT}))")
    else:
        where = "(ss.row_id IS NULL OR ss.base_version IS NOT t.version OR ss.base_updated IS NOT t.updated_at)"
    return "ss.base_version, ss.base_updated", join, where, (int(peer_id), spec.name)


def plan_export(uow: UnitOfWork, recipient_uid: str | None, full: bool = False) -> ExportPlan:
    """How many records per table and how many attachment bytes an export would carry (nothing is written)."""
    with refuse_damage("已拒绝导出"), uow:
        s = uow.session
        peer = find_peer(s, recipient_uid) if recipient_uid else None
        peer_id = peer.id if peer else 0
        conn = s.connection()
        pg = conn.dialect.name == "postgresql"
        mark = "%s" if pg else "?"
        counts: dict[str, int] = {}
        for spec in synced_specs():
            _cols, join, where, params = _pending_clause(spec, peer_id, full, pg=pg, mark=mark)
            sql = f'SELECT count(*) FROM "{spec.name}" t {join} {"WHERE " + where if where else ""}'  # noqa: S608 - a table of the models, fixed clauses
            n = int(conn.exec_driver_sql(sql, params).scalar() or 0)
            if n:
                counts[spec.name] = n
        _c, join, where, params = _pending_clause(_attachment_spec(), peer_id, full, pg=pg, mark=mark)
        row = conn.exec_driver_sql(
            "SELECT count(*), coalesce(sum(size), 0) FROM blob WHERE sha256 IN (SELECT t.blob_sha256 FROM "  # noqa: S608 - fixed clauses
            f"attachment t {join} {'WHERE ' + where if where else ''})", params).one()
        return ExportPlan(peer.uid if peer else None, peer.code if peer else "", peer_id, full, counts,
                          int(row[0]), int(row[1]), peer is not None)


def _attachment_spec() -> TableSpec:
    return next(s for s in synced_specs() if s.name == "attachment")


def publish_keys(uow: UnitOfWork) -> DeviceKeys:
    """Create the keys on first use and put them on this device's row, in a unit of work of their own, so
    the export transaction itself never changes a record."""
    with uow:
        keys, _device = device_keys(uow.session, uow.db)
        uow.commit()
        return keys


def bundle_file_name(file_name: str | None) -> str | None:
    """A chosen file name with the bundle suffix (``第3批`` → ``第3批.edsync``): the folder import and the window
    take *.edsync files only, so a bundle saved under another name would never be found."""
    if file_name is None or file_name.lower().endswith(BUNDLE_SUFFIX):
        return file_name
    return file_name + BUNDLE_SUFFIX


def check_file_name(folder: Path, file_name: str | None) -> None:
    """A bundle's chosen file name (None: the generated one) is a plain name, and no file of that name exists:
    an existing file may be an earlier bundle not yet delivered, so it is refused rather than replaced."""
    if file_name is not None and (Path(file_name).name != file_name or not file_name.strip(". ")):
        raise ValidationError(f"文件名“{file_name}”无效", field="out")
    if file_name is not None and (folder / file_name).exists():
        raise ValidationError(f"文件 {folder / file_name} 已存在：请换一个文件名（不覆盖已有的同步包）", field="out")


def write_bundle(uow: UnitOfWork, plan: ExportPlan, folder: Path, progress: Progress | None = None, *,
                 file_name: str | None = None) -> ExportResult:
    """Write the planned bundle into ``folder`` (atomically, verified by reading it back) and log it.

    The file is named after sender, recipient and sequence unless ``file_name`` is given (``export --out FILE``);
    an existing file of that name is refused rather than replaced: it may be an earlier bundle not yet delivered.
    """
    report = progress or (lambda _m, _p: None)
    file_name = bundle_file_name(file_name)
    check_file_name(folder, file_name)
    # A damaged database never leaves the machine: SQLite's quick check first (seconds on a township database,
    # docs/verify.md), and any damage met while reading the records refuses the bundle too (the file is removed).
    require_intact(uow.db, "导出")
    publish_keys(uow)
    with refuse_damage("已拒绝导出"), uow:
        s = uow.session
        conn = s.connection()
        raw = raw_for(conn)  # the sqlite3 connection itself, or the PostgreSQL adapter (services/sync/dialect.py)
        peer = s.get(TrustedDevice, plan.peer_id) if plan.peer_id else None
        # Records bundles to one recipient form a chain: each names the previous one's manifest hash.
        out = begin(uow, "records", peer, chained=True)
        blobs: set[str] = set()
        sent_at = db_time(out.created_at)
        sealer = FieldSealer.of(s)  # sealed columns travel opened, inside the bundle's own encryption

        def members(writer: BundleWriter) -> Contents:
            counts: dict[str, int] = {}
            specs = synced_specs()
            for n, spec in enumerate(specs):
                report(f"导出{record_label(spec.name)}", 5 + 80 * n // len(specs))  # shown in the progress dialog
                count = export_table(raw, writer, out.key, spec, plan, out.sequence, sent_at, blobs,
                                     sealer=sealer)
                if count:
                    counts[spec.name] = count
            attachment_bytes = _export_blobs(raw, writer, out.key, uow, blobs)
            report("写入并校验文件", 95)
            return Contents(counts, reference_version(s), {
                "full": plan.full, "attachments": {"count": len(blobs), "bytes": attachment_bytes}})

        done = seal(uow, out, folder, members, file_name=file_name)
        recipient_uid = peer.uid if peer else ""
        append_events(conn, [PendingEvent("sync_bundle", out.uid, "sync.export", "",
                                          digest({"counts": json.dumps(done.counts, sort_keys=True),
                                                  "seq": out.sequence, "recipient": recipient_uid,
                                                  "sha256": done.sha256}))],
                      at=out.created_at, actor=uow.actor, device_uid=out.device.uid)
        commit_and_publish(uow, done)  # recorded first, then renamed into place (services/sync/ceremony.py)
    report("完成", 100)
    return ExportResult(done.path, out.uid, out.sequence, done.sha256, done.size, done.counts, len(blobs),
                        out.key is not None, peer.code if peer else "")


def export_table(raw: RawConnection, writer: BundleWriter, key: bytes | None, spec: TableSpec, plan: ExportPlan, seq: int,
                 sent_at: str, blobs: set[str], only: str = "", only_params: Sequence[Any] = (), *,
                 sealer: FieldSealer | None = None) -> int:
    """Write one table's pending rows as a member; ``only``: a fixed SQL filter with ``?`` placeholders for
    ``only_params`` (reference bundles: the recipient's own number blocks) — values are always bound."""
    cols, join, where, join_params = _pending_clause(spec, plan.peer_id, plan.full, pg=is_pg(raw))
    if only:
        where = f"({where}) AND ({only})" if where else only
    base_where = f"WHERE t.id > ? {'AND ' + where if where else ''} ORDER BY t.id LIMIT {BATCH}"
    sql = select_sql(spec, base_where, extra_cols=cols, extra_join=join)
    # What went out, per page: read back from the page's id range with the page's own filter in one statement,
    # rather than a Python tuple per row (SQLite runs the SELECT to completion before writing sync_state).
    # Formatted: the table (of the models), its columns and fixed clauses; every value is a bound parameter.
    sent_sql = ("INSERT INTO sync_state (peer_id, tbl, row_id, sent_version, sent_updated, sent_seq, sent_at) "  # noqa: S608
                f'SELECT ?, ?, t.id, t.version, {time_text(raw, "t.updated_at")}, ?, ? FROM "{spec.name}" t {join} '
                f"WHERE t.id > ? AND t.id <= ? {'AND ' + where if where else ''} "
                "ON CONFLICT (peer_id, tbl, row_id) DO UPDATE SET sent_version=excluded.sent_version, "
                "sent_updated=excluded.sent_updated, sent_seq=excluded.sent_seq, "
                # sent_at: when this version first went to the peer (it goes again in every bundle until a
                # receipt names it); a receipt is checked against it (services/sync/receipts.py).
                "sent_at=CASE WHEN sync_state.sent_version = excluded.sent_version AND sync_state.sent_updated = "
                "excluded.sent_updated THEN sync_state.sent_at ELSE excluded.sent_at END")
    first = raw.execute(f"SELECT 1 FROM ({sql}) AS page LIMIT 1", (*join_params, 0, *only_params)).fetchone()  # noqa: S608 - sql: above
    if first is None:
        return 0
    name = f"records/{spec.name}.jsonl"
    count = 0
    is_attachment = spec.name == "attachment"
    encode = _line_encoder()
    open_record = sealer.opener(spec) if sealer is not None else None

    def pages() -> Iterator[bytes]:
        nonlocal count
        last = 0
        ncols = len(spec.columns)
        while True:
            rows = raw.execute(sql, (*join_params, last, *only_params)).fetchall()
            if not rows:
                break
            recs = []
            for row in rows:
                rec = row_to_record(spec, row[1:1 + ncols])
                bv, bu = row[1 + ncols], row[2 + ncols]
                if bv is not None and (bv, bu) != (rec["version"], rec["updated_at"]):
                    rec["_base"] = [bv, bu]  # the last version both sides held: lets the peer tell edits apart
                if open_record is not None:
                    open_record(rec)
                recs.append(rec)
                if is_attachment:
                    blobs.add(rec["blob_sha256"])
            yield ("\n".join(map(encode, recs)) + "\n").encode("utf-8")
            # Resumed once the page is in the member: only then is it recorded as sent.
            raw.execute(sent_sql, (plan.peer_id, spec.name, seq, sent_at, *join_params, last, rows[-1][0],
                                   *only_params))
            count += len(rows)
            last = rows[-1][0]

    sealed_member(writer, key, name, pages(), compress=key is None)
    return count


def _line_encoder() -> Callable[[dict[str, Any]], str]:
    """``json.dumps(rec, ensure_ascii=False, separators=(",", ":"))``, same text, without its Python layers:
    the C encoder json.dumps ends up in, called directly (about 3 µs a record less on a million records).
    No circular-reference check: a record is a flat dict of database values."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the _json accelerator
        return encoder.encode
    c_encode = make(None, encoder.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda rec: "".join(c_encode(rec, 0))


def _export_blobs(raw: RawConnection, writer: BundleWriter, key: bytes | None, uow: UnitOfWork, blobs: set[str]) -> int:
    """Blob rows and files for the attachments in the bundle: stored once each, whatever refers to them."""
    if not blobs:
        return 0
    store = attachment_store(uow.db.path)
    rows = []
    for sha in sorted(blobs):
        r = raw.execute("SELECT sha256, size, mime, created_at FROM blob WHERE sha256=?", (sha,)).fetchone()
        if r is None or not blob_present(store, sha, uow.data_key):
            raise AppError(f"附件文件 {sha[:12]}… 在本机缺失，不能导出不完整的同步包；请先恢复附件文件夹")
        rows.append({"sha256": r[0], "size": r[1], "mime": r[2], "created_at": r[3]})
    total = 0

    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    sealed_member(writer, key, "records/blob.jsonl", [body], compress=key is None)
    for r in rows:
        name = f"attachments/{r['sha256']}"
        clear = blob_path(store, r["sha256"])
        # a file sealed at rest travels opened (inside the bundle's own encryption), checked against its SHA-256
        chunks = _file_chunks(clear) if clear.is_file() else iter([read_blob(store, r["sha256"], uow.data_key)])
        sealed_member(writer, key, name, chunks, compress=False)
        total += int(r["size"])
    return total


def _file_chunks(src: Path) -> Iterator[bytes]:
    with open(src, "rb") as fh:
        while chunk := fh.read(1 << 20):
            yield chunk


def outgoing_count(uow: UnitOfWork) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(SyncBundle)) or 0)
