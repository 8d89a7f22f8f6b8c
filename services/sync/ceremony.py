"""The signed-bundle ceremony, written once for the three kinds of bundle this device writes.

Records (services/sync/export.py), reference data (services/sync/reference.py) and receipts
(services/sync/receipts.py) are written the same way: allocate the next sequence number for the (kind,
recipient) pair, draw a fresh bundle uid and, for a known recipient, the member key; write the members, sealed
with that key; build the manifest around what was written, sign its canonical bytes, make the file appear
atomically (read back and verified, services/sync/container.py), and log it in ``sync_bundle`` in the caller's
transaction. What differs is passed in: the kind, the recipient, whether the sequence chains to the previous
bundle's manifest (records), the members, and the kind's own manifest fields.

Crash points (issue 15): the finished file waits under a hidden temp name while the caller commits, and is renamed
into place only after (``commit_and_publish``). A kill before the commit leaves no bundle and no record — the
number is used again by the next bundle, and no file under a bundle's name ever carried it; a kill after the commit
leaves a recorded bundle under its temp name, which the device's next write to that folder puts in place
(``tidy_folder``), so a recorded number is never reused.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from models.base import new_uid
from models.org import Device
from models.sync import SyncBundle, TrustedDevice
from services.core.app_info import SCHEMA_MAJOR, VERSION
from services.core.db import SCHEMA_HEAD, SCRATCH_IDLE_SECONDS, Database
from services.core.errors import AppError, ValidationError
from services.core.paths import BUNDLE_SUFFIX
from services.core.uow import UnitOfWork
from services.sync.container import BundleWriter, MemberWriter, atomic_replace, file_sha256, name_target
from services.sync.crypto import DeviceKeys, Sealer, new_sender_key
from services.sync.history import outgoing_head
from services.sync.leftovers import known_folders, remember_folder
from services.sync.manifest import FORMAT, manifest_bytes
from services.sync.trust import device_keys, township_of

BundleKind = Literal["records", "reference", "receipt"]
log = logging.getLogger(__name__)


class SealedOut:
    """Writes one member, sealing it (services/sync/crypto.py) when the bundle has a key."""

    def __init__(self, w: MemberWriter, key: bytes | None, name: str) -> None:
        self.w = w
        self.sealer = Sealer(key, name) if key else None

    def write(self, data: bytes) -> None:
        if self.sealer is None:
            self.w.write(data)
        else:
            for frame in self.sealer.feed(data):
                self.w.write(frame)

    def close(self) -> None:
        if self.sealer is not None:
            for frame in self.sealer.close():
                self.w.write(frame)


def sealed_member(writer: BundleWriter, key: bytes | None, name: str, chunks: Iterable[bytes], *,
                  compress: bool) -> None:
    """One member from ``chunks``, sealed with ``key`` when there is one (the zip compresses it only when not:
    sealed frames are compressed before encryption and would not shrink again)."""

    def write(w: MemberWriter) -> None:
        out = SealedOut(w, key, name)
        for data in chunks:
            out.write(data)
        out.close()

    writer.member(name, compress=compress, write=write)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A bundle about to be written: who signs it, to whom, its number, uid and member key."""

    kind: BundleKind
    uid: str
    sequence: int
    previous_sha256: str | None  # the previous bundle's manifest hash, for kinds whose sequence chains
    created_at: datetime
    device: Device
    keys: DeviceKeys
    recipient: TrustedDevice | None  # None: a records bundle to anyone (not encrypted)
    key: bytes | None
    encryption: dict[str, str] | None

    def file_name(self) -> str:
        """enforcedesk[-kind]-SENDER-to-RECIPIENT-00001.edsync (records bundles carry no kind in the name)."""
        kind = "" if self.kind == "records" else f"{self.kind}-"
        to = self.recipient.code if self.recipient else "ALL"
        return f"enforcedesk-{kind}{self.device.code}-to-{to}-{self.sequence:05d}{BUNDLE_SUFFIX}"


@dataclass(frozen=True, slots=True)
class Contents:
    """What the members written add to the manifest."""

    counts: dict[str, int]
    reference_version: int
    extra: dict[str, Any] = field(default_factory=dict)  # the kind's own manifest fields (records: full, attachments)


@dataclass(frozen=True, slots=True)
class Written:
    """The finished file, logged in ``sync_bundle``; at ``path`` once published (``commit_and_publish``)."""

    path: Path
    sha256: str
    size: int
    counts: dict[str, int]
    writer: BundleWriter | None = field(default=None, compare=False, repr=False)


def begin(uow: UnitOfWork, kind: BundleKind, recipient: TrustedDevice | None, *, chained: bool = False) -> Outgoing:
    """Allocate the next sequence number of ``kind`` for ``recipient`` (inside the caller's unit of work)."""
    s = uow.session
    keys, device = device_keys(s, uow.db)
    recipient_uid = recipient.uid if recipient else ""
    last = s.execute(select(SyncBundle.seq, SyncBundle.manifest_sha256).where(
        SyncBundle.kind == kind, SyncBundle.recipient_uid == recipient_uid)
        .order_by(SyncBundle.seq.desc()).limit(1)).first()
    uid = new_uid()
    key, enc = new_sender_key(recipient.box_public_key, uid) if recipient else (None, None)
    return Outgoing(kind, uid, (last[0] if last else 0) + 1, last[1] if last and chained else None,
                    uow.clock.now(), device, keys, recipient, key, enc)


def seal(uow: UnitOfWork, out: Outgoing, folder: Path, members: Callable[[BundleWriter], Contents], *,
         file_name: str | None = None) -> Written:
    """Write ``members``, then the signed manifest; commit the file and log it (the caller commits the unit of
    work). A failure anywhere removes the partial file."""
    s = uow.session
    township = township_of(s)
    name = file_name or out.file_name()
    remember_folder(uow.db, folder)  # before the temp file exists: a kill from here on leaves a known folder
    if any(p.name == name for p in tidy_folder(uow, folder, out.device.code)):
        raise ValidationError(f"文件 {folder / name} 已存在（上次中断的导出已补全为此文件）：请换一个文件名", field="out")
    writer = BundleWriter(folder, name, owner=out.device.code)
    try:
        contents = members(writer)
        peer = out.recipient
        manifest = {
            "format": FORMAT, "kind": out.kind, "bundle_uid": out.uid, "app_version": VERSION,
            "schema_head": SCHEMA_HEAD, "schema_major": SCHEMA_MAJOR, "created_at": out.created_at.isoformat(),
            "source": {"device_uid": out.device.uid, "device_code": out.device.code,
                       "device_kind": out.device.kind.value, "sign_public_key": out.keys.sign_public,
                       "box_public_key": out.keys.box_public},
            "township": {"uid": township.uid, "name": township.name},
            "recipient": {"device_uid": peer.uid, "device_code": peer.code} if peer else None,
            "sequence": out.sequence, "previous_bundle_sha256": out.previous_sha256,
            "reference_version": contents.reference_version, "counts": contents.counts,
            "encryption": out.encryption, "members": writer.members, **contents.extra,
            # The sender's audit-chain head and checkpoints (services/sync/history.py): history edited since an
            # earlier bundle then shows at the receiver.
            "audit": outgoing_head(s, peer.uid if peer else ""),
        }
        body = manifest_bytes(manifest)
        writer.raw("manifest.json", body)
        writer.raw("manifest.sig", out.keys.signature(body))
        sha, size = writer.finish()
        s.add(SyncBundle(uid=out.uid, kind=out.kind, peer_id=peer.id if peer else 0,
                         recipient_uid=peer.uid if peer else "", seq=out.sequence,
                         manifest_sha256=hashlib.sha256(body).hexdigest(), file_sha256=sha, file_name=writer.final.name,
                         size=size, records=sum(contents.counts.values()), created_at=out.created_at))
        s.flush()
    except BaseException as exc:
        writer.abort()
        if isinstance(exc, OSError):  # a full stick: the bundle's name, not the database's (container.name_target)
            name_target(exc, writer.tmp, writer.final)
        raise
    return Written(writer.final, sha, size, contents.counts, writer)


def commit_and_publish(uow: UnitOfWork, done: Written) -> None:
    """Commit the caller's unit of work (the bundle is recorded), then rename the file into place. A failed commit
    removes the file: an unrecorded bundle must not appear."""
    assert done.writer is not None
    try:
        uow.commit()
    except BaseException:
        done.writer.abort()
        raise
    done.writer.publish(done.sha256)


_TEMP = re.compile(r"\.(?P<final>.+)\.(?P<owner>[^.]+)\.[0-9a-f]{8}\.part\Z")


def tidy_folder(uow: UnitOfWork, folder: Path, device_code: str, *, idle: float = 0.0) -> list[Path]:
    """This device's leftovers in ``folder`` from a write that was killed: a temp file whose bundle is recorded
    (killed between the commit and the rename) is put in place — those are returned — and any other is deleted
    (killed before the commit: nothing refers to it). Only files untouched for ``idle`` seconds and older than
    this call: an export running meanwhile in another process writes its file continuously (the start-up and
    ``verify`` pass services/sync/leftovers.py's idle time; an export passes 0, as its own file does not exist
    yet). Other devices' temp files are left alone."""
    if not folder.is_dir():
        return []
    placed = []
    started = time.time()
    for tmp in folder.glob(".*.part"):
        m = _TEMP.match(tmp.name)
        if m is None or m["owner"] != device_code:
            continue
        final = folder / m["final"]
        try:
            if started - tmp.stat().st_mtime < idle:
                continue
            sha = file_sha256(tmp)
            recorded = uow.session.scalar(select(SyncBundle.file_name).where(SyncBundle.file_sha256 == sha))
            if recorded == final.name and not final.exists():
                atomic_replace(tmp, final)
                placed.append(final)
                log.warning("bundle %s recovered from its temp file (a write was killed after its commit)", final)
            else:
                tmp.unlink()
                log.warning("unfinished bundle %s removed (a write was killed before its commit)", tmp)
        except OSError as exc:  # a stick pulled meanwhile: the next write tries again
            log.warning("could not tidy %s: %s", tmp, exc)
    return placed


def tidy_known_folders(uow: UnitOfWork) -> list[Path]:
    """:func:`tidy_folder` over every folder this device has written bundles to (services/sync/leftovers.py),
    for temp files untouched for ``SCRATCH_IDLE_SECONDS``: at the program's start and at ``verify``. Returns the
    bundles put in place; what is deleted is logged."""
    code = uow.session.scalar(select(Device.code).where(Device.uid == uow.db.device_uid))
    if not code:
        return []
    placed: list[Path] = []
    for folder in known_folders(uow.db):
        try:
            placed += tidy_folder(uow, folder, code, idle=SCRATCH_IDLE_SECONDS)
        except OSError as exc:  # a stick no longer there, a folder no longer readable
            log.warning("could not tidy %s: %s", folder, exc)
    return placed


def tidy_leftover_bundles(db: Database) -> list[Path]:
    """:func:`tidy_known_folders` in a read-only unit of work of its own (nothing in the database changes; files
    are renamed or removed). A database that cannot be read is left to ``verify``'s report: housekeeping never
    stops the start or the check."""
    try:
        with UnitOfWork(db, actor="system", write=False) as u:
            return tidy_known_folders(u)
    except (AppError, SQLAlchemyError, OSError) as exc:
        log.warning("leftover bundles not tidied: %s", exc)
        return []


__all__ = ["BundleKind", "Contents", "Outgoing", "SealedOut", "Written", "begin", "commit_and_publish", "seal",
           "sealed_member", "tidy_folder", "tidy_known_folders",
           "tidy_leftover_bundles"]
