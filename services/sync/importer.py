"""Import: ``inspect_bundle`` (verify + dry run) and ``apply_bundle`` (one BEGIN IMMEDIATE transaction).

The dry run is the real merge rolled back at the end, so the preview's counts are exactly what applying would
do. Applying writes the attachments to the blob store first (content-addressed, harmless if the transaction
then fails), merges every table, logs the bundle in ``imported_bundle`` (a second import is a no-op that says
when the first one happened), commits, and then writes the signed receipt for the sender.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from models.sync import ImportedBundle, TrustedDevice
from services.core.audit import PendingEvent, append_events
from services.core.cipher import DataKey, Locked
from services.core.storage import StorageError
from services.core.uow import UnitOfWork
from services.procedures.attachments import attachment_store, blob_path, seal_blob_file
from services.sync.container import DEFAULT_LIMITS, Limits, atomic_replace
from services.sync.containment import file_contained, today_of
from services.sync.dialect import RawConnection, is_pg, lock_for_import, raw_for
from services.sync.digests import DIGESTED, import_event_digest, rows_anchor
from services.sync.errors import BundleRejected
from services.sync.limits import Gap, check_sequence_ahead, gap_ranges, gap_text, import_limits
from services.sync.merge import Counts, Merger, MergeResult
from services.sync.ownership import merge_order
from services.sync.reader import VerifiedBundle, open_bundle
from services.sync.sealed import FieldSealer
from services.sync.state import db_time, in_series, peer_ids, recipient_of
from services.sync.tables import Invalid
from services.sync.trust import add_trusted
from services.sync.validate import value_check

IMPORT_CACHE_KIB = 64 * 1024  # SQLite page cache during an import


@dataclass(frozen=True, slots=True)
class TableSummary:
    table: str
    new: int
    updated: int
    unchanged: int
    conflicts: int
    quarantined: int


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What a bundle holds and what importing it would do (nothing has been written)."""

    bundle_uid: str
    kind: str
    source_uid: str
    source_code: str
    township: str
    sequence: int
    created_at: str
    encrypted: bool
    fingerprint: str
    trusted: bool
    tables: tuple[TableSummary, ...]
    attachments: int
    missing_sequences: tuple[Gap, ...]  # ranges of numbers from this sender never received
    warnings: tuple[str, ...]
    quarantined: tuple[tuple[str, str, str], ...]
    conflicts: tuple[tuple[str, str, str], ...]
    already_imported_at: datetime | None = None
    kept_settings: tuple[tuple[str, str, str], ...] = ()  # reference bundles: (setting, kept local, incoming)

    def total(self, what: str) -> int:
        return sum(getattr(t, what) for t in self.tables)

    @property
    def messages(self) -> list[str]:
        out = [f"{gap_text([g])}同步包未收到" for g in self.missing_sequences] + list(self.warnings)
        if self.already_imported_at is not None:
            out.insert(0, f"该同步包已于 {self.already_imported_at:%Y-%m-%d %H:%M} 导入，本次未做任何改动")
        return out


@dataclass(frozen=True, slots=True)
class ImportReport(ImportPreview):
    """What applying did; ``receipt_path`` is the signed receipt to carry back to the sender."""

    receipt_path: Path | None = None
    receipt_error: str = ""

    @property
    def problems(self) -> bool:
        return bool(self.total("quarantined") or self.total("conflicts"))


@dataclass
class _Run:
    bundle: VerifiedBundle
    now: datetime
    merge: MergeResult = field(default_factory=MergeResult)
    missing: list[Gap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    already: datetime | None = None
    attachments: int = 0
    kept_settings: list[tuple[str, str, str]] = field(default_factory=list)


def inspect_bundle(uow: UnitOfWork, path: Path, *, trust_new: bool = False,
                   limits: Limits = DEFAULT_LIMITS) -> ImportPreview:
    """Verify everything and dry-run the merge; raises BundleRejected / UnknownDevice when it would be refused."""
    with file_contained(path):
        run = _execute(uow, path, trust_new=trust_new, dry_run=True, limits=limits, sink=None)
    return _preview(run, ImportPreview)


def apply_bundle(uow: UnitOfWork, path: Path, trust_new: bool = False, *, receipt_dir: Path | None = None,
                 limits: Limits = DEFAULT_LIMITS, receipt_again: bool = False) -> ImportReport:
    """Apply a records or reference bundle in one transaction, then write the receipt (next to the bundle
    unless ``receipt_dir`` is given). A bundle applied before changes nothing; with ``receipt_again`` its receipt
    is written again (the first was lost, or the import was killed between its commit and its receipt)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as sink:
        with file_contained(path):
            run = _execute(uow, path, trust_new=trust_new, dry_run=False, limits=limits, sink=sink)
        receipt, error = None, ""
        from services.sync.receipts import rewrite_receipt, write_receipt

        try:
            if run.already is None:
                sink.seek(0)
                receipt = write_receipt(uow, run.bundle, run.merge, sink, receipt_dir or path.parent)
            elif receipt_again:
                receipt = rewrite_receipt(uow, path, receipt_dir or path.parent)
        except (OSError, StorageError) as exc:  # the import stands; the receipt can be written again (re-import)
            # A write-protected or full stick beside the bundle arrives classified (the receipt's unit of work
            # turns the OSError into a StorageError): it must not read as a refused import.
            why = exc.message.removesuffix("（本次操作未完成）") if isinstance(exc, StorageError) else exc.strerror or str(exc)
            error = f"回执未能写入：{why}（导入已完成；再次导入该同步包可重新写出回执）"
    report = _preview(run, ImportReport)
    return ImportReport(**{**{f: getattr(report, f) for f in ImportPreview.__dataclass_fields__},
                           "receipt_path": receipt, "receipt_error": error})


def _preview(run: _Run, cls: type[Any]) -> Any:
    m = run.bundle.manifest
    tables = tuple(TableSummary(t, c.new, c.updated, c.unchanged, c.conflicts, c.quarantined)
                   for t, c in run.merge.counts.items())
    return cls(m["bundle_uid"], m["kind"], m["source"]["device_uid"], m["source"]["device_code"],
               m["township"]["name"], m["sequence"], m["created_at"], m.get("encryption") is not None,
               run.bundle.card.fingerprint, run.bundle.peer is not None, tables, run.attachments,
               tuple(run.missing), tuple(run.bundle.warnings + run.warnings), tuple(run.merge.quarantined),
               tuple(run.merge.conflicts), run.already, tuple(run.kept_settings))


def _execute(uow: UnitOfWork, path: Path, *, trust_new: bool, dry_run: bool, limits: Limits,
             sink: IO[str] | None) -> _Run:
    with uow:
        s = uow.session
        conn = s.connection()  # BEGIN IMMEDIATE: the whole verify-and-merge holds the write lock
        raw = raw_for(conn)
        sqlite = not is_pg(raw)
        old_cache = 0
        if is_pg(raw):
            lock_for_import(raw)
        else:
            old_cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            # Random-uuid index inserts want their index pages in memory (docs/performance.md §3). Measured on a
            # township import (bench_sync.py): 2 MiB → 16 MiB → 64 MiB took 54 → 47 → 36–44 s, and 256 MiB
            # was no faster than 64 MiB while adding ~200 MiB to the peak RSS.
            raw.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        bundle = open_bundle(s, uow.db, path, trust_new=trust_new, limits=import_limits(s, limits))
        run = _Run(bundle, uow.clock.now())
        try:
            prior = s.get(ImportedBundle, bundle.uid)
            if prior is not None:
                run.already = prior.imported_at
                run.merge = MergeResult()
                return run
            check_sequence_ahead(s, bundle.manifest)
            peer = bundle.peer or add_trusted(s, bundle.card, actor=uow.actor, now=run.now)
            _authorise(uow, raw, run, peer)
            _sequence_checks(s, run)
            if bundle.kind == "reference":
                from services.sync.reference import check_order

                check_order(s, bundle)
            now_db = db_time(run.now)
            sealer = FieldSealer.of(s)
            if sealer.encrypted and sealer.key is None and not dry_run:
                raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能导入（导入的个人信息要用本库的密钥加密保存）")
            run.attachments = _blobs(raw, bundle, attachment_store(uow.db.path), now_db, write=not dry_run,
                                     key=sealer.key)
            merger = Merger(raw, bundle, peer_id=peer.id, peers=peer_ids(conn), now_db=now_db, sink=sink,
                            sealer=sealer)
            with gc_paused():
                for spec in merge_order():  # township and device first: they decide who owns the rest
                    merger.table(spec)
            merger.close()
            run.merge = merger.result
            if bundle.kind == "reference":
                from services.sync.reference import apply_extras

                extras = apply_extras(s, raw, bundle)
                run.warnings += extras.warnings
                run.kept_settings = extras.kept
            _finish(uow, raw, run, peer.uid)
            if not dry_run:
                uow.commit()
                uow.db.forget_local_cache()  # the reference version may have changed
            return run
        finally:
            bundle.close()
            if sqlite:
                raw.execute(f"PRAGMA cache_size={int(old_cache)}")


_gc_lock = threading.Lock()
_gc_pauses = 0  # gc_paused() blocks running now (imports run on a worker thread of the UI)
_gc_restore = False  # whether the outermost block found the collector on


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during the merge.

    The merge allocates a few container objects per record (decoded dicts, row tuples) and frees them by
    reference counting; the cyclic collector finds nothing to free there but, triggered every few hundred
    allocations, kept re-scanning them and the long-lived objects: 5–7 s of CPU in a township import
    (bench/README.md). The switch is process-wide, hence the counter: the last overlapping block restores it.
    """
    global _gc_pauses, _gc_restore
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_restore = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_restore:
                gc.enable()


def _authorise(uow: UnitOfWork, raw: RawConnection, run: _Run, peer: TrustedDevice) -> None:
    """Who the sender may speak for and whether it may send this kind (services/sync/ownership.py), then the
    sender's audit-chain head against the one seen before (services/sync/history.py): before any merge."""
    from services.sync.history import check_head
    from services.sync.ownership import authorise

    authorise(uow.session, uow.db, raw, run.bundle, peer)
    run.warnings += check_head(raw, run.bundle, run.now)


def _sequence_checks(s: Any, run: _Run) -> None:
    """Gaps and clashes within the bundle's own series: its sender, recipient and kind (a sender's plain No. 1 and
    its No. 1 sealed to this device are two bundles of two series: docs/sync-bundle.md §The file)."""
    m = run.bundle.manifest
    series = select(ImportedBundle.seq, ImportedBundle.manifest_sha256, ImportedBundle.recipient_uid).where(
        ImportedBundle.source_uid == m["source"]["device_uid"], ImportedBundle.kind == m["kind"],
        in_series(recipient_of(m), legacy=True))
    found = s.execute(series).all()
    rows = {seq: sha for seq, sha, recipient in found if recipient is not None}
    if m["kind"] == "records":
        run.missing = list(gap_ranges((seq for seq, _sha, _r in found), upto=m["sequence"]))
    if m["sequence"] in rows:
        run.warnings.append(f"来自该设备的第{m['sequence']}号同步包此前已导入过另一份（内容不同的同号包）")
    prev = rows.get(m["sequence"] - 1)
    if prev is not None and m.get("previous_bundle_sha256") not in (None, prev):
        run.warnings.append(f"第{m['sequence']}号同步包声明的上一包与本机导入的第{m['sequence'] - 1}号不一致")


def _blobs(raw: Any, bundle: VerifiedBundle, store: Path, now_db: str, *, write: bool,
           key: DataKey | None = None) -> int:
    """Verify each attachment file by its SHA-256 and put it in the blob store; a missing one refuses the bundle."""
    if not bundle.has("records/blob.jsonl"):
        return 0
    n = 0
    for rec in bundle.records("records/blob.jsonl"):
        if not isinstance(rec, dict) or not isinstance(rec.get("sha256"), str) or len(rec["sha256"]) != 64:
            raise BundleRejected("附件清单（records/blob.jsonl）格式错误，已拒绝")
        sha = rec["sha256"].lower()
        name = f"attachments/{sha}"
        if not bundle.has(name):
            raise BundleRejected(f"附件 {sha[:12]}… 缺失：同步包不完整，已拒绝（不接受缺附件的同步包）")
        final = blob_path(store, sha)
        h = hashlib.sha256()
        size = 0
        tmp: Path | None = None
        out = None
        if write and not final.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, name_tmp = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
            tmp, out = Path(name_tmp), os.fdopen(fd, "wb")
        try:
            for chunk in bundle.content(name, budget=bundle.reader.limits.max_attachment):
                h.update(chunk)
                size += len(chunk)
                if out is not None:
                    out.write(chunk)
            if h.hexdigest() != sha:
                raise BundleRejected(f"附件 {sha[:12]}… 内容与其 SHA-256 不符（被改动或损坏），已拒绝")
            if out is not None and tmp is not None:
                out.flush()
                os.fsync(out.fileno())
                out.close()
                out = None
                atomic_replace(tmp, final)
                tmp = None
            if write and key is not None:
                seal_blob_file(store, sha, key)  # stored sealed under this database's key, like its own files
        finally:
            if out is not None:
                out.close()
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        # The listing's size, type and stamp are the sender's word: the size stored is the bytes counted (a
        # listing claiming 1 byte for 500 MB says nothing), the type and stamp only where they pass the rules of
        # the columns they fill (models/column_rules.py), else a neutral type and the time of this import.
        raw.execute("INSERT OR IGNORE INTO blob (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)",
                    (sha, size, _listed(rec, "mime", "application/octet-stream", now_db),
                     _listed(rec, "created_at", now_db, now_db)))
        n += 1
    return n


def _listed(rec: dict[str, Any], column: str, fallback: str, now_db: str) -> str:
    """An attachment listing's ``column`` checked as the blob column it fills, or ``fallback``."""
    try:
        return str(value_check("blob", column, today_of(now_db))(rec.get(column)))
    except Invalid:
        return fallback


def _counts(c: Counts) -> dict[str, int]:
    """One table's outcome as ``imported_bundle.summary`` and the import's audit event hold it."""
    return {"new": c.new, "updated": c.updated, "unchanged": c.unchanged, "conflicts": c.conflicts,
            "quarantined": c.quarantined}


def _finish(uow: UnitOfWork, raw: RawConnection, run: _Run, source_uid: str) -> None:
    """Audit (one event per table), derived deadlines, and the imported_bundle row, in the same transaction."""
    s = uow.session
    m = run.bundle.manifest
    # The action names the digests of the rows written (services/sync/digests.py): an import event without
    # the suffix comes from a version that stored none, and the deep check leaves what it wrote uncovered.
    events = [PendingEvent(t, f"bundle:{run.bundle.uid}", f"sync.import_{m['kind']}{DIGESTED}", "",
                           import_event_digest(source_uid, m["sequence"], _counts(c),
                                               rows_anchor(raw, run.bundle.uid, t)))
              for t, c in run.merge.counts.items() if c.total()]
    append_events(s.connection(), events, at=run.now, actor=uow.actor,
                  device_uid=uow.db.device_uid)
    if run.merge.owners:  # every case the bundle added or changed: bulk, ~20 µs a record (services/procedures/recompute.py)
        from services.procedures.recompute import recompute_bulk

        recompute_bulk(s, run.merge.owners)
    summary = {t: _counts(c) for t, c in run.merge.counts.items()}
    s.add(ImportedBundle(uid=run.bundle.uid, kind=m["kind"], source_uid=m["source"]["device_uid"],
                         source_code=m["source"]["device_code"], seq=m["sequence"], recipient_uid=recipient_of(m),
                         manifest_sha256=run.bundle.manifest_sha256, imported_at=run.now, imported_by=uow.actor,
                         summary=json.dumps(summary, ensure_ascii=False)))
    s.flush()
