"""Sync bookkeeping: trusted peers, per-record sync state, bundles written and imported, conflicts, quarantine.

None of these tables is itself synced: they describe *this* database's relation to its peers. Bulk paths in
``services/sync`` write them with Core/executemany; the ORM classes serve the look-ups and the UI.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Audited, AwareDateTime, Base, enum_column
from models.enums import DeviceKind


class ConflictStatus(StrEnum):
    OPEN = "open"  # 待处理
    RESOLVED = "resolved"  # 已处理


class TrustedDevice(Audited, Base):
    """A peer whose bundles this database accepts: its keys, as exchanged out of band (key card + fingerprint).

    Audited, because trusting a key decides whose records may enter the database.
    """

    __tablename__ = "trusted_device"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # the peer's device uid
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[DeviceKind] = enum_column(DeviceKind)
    township_uid: Mapped[str] = mapped_column(String(36), default="")
    township_name: Mapped[str] = mapped_column(String(64), default="")
    sign_public_key: Mapped[str] = mapped_column(String(64))  # Ed25519, base64 of the 32 raw bytes
    box_public_key: Mapped[str] = mapped_column(String(64))  # X25519, base64 of the 32 raw bytes
    fingerprint: Mapped[str] = mapped_column(String(24))  # first 16 hex of SHA-256(signing key), grouped
    trusted_at: Mapped[datetime] = mapped_column(AwareDateTime)
    trusted_by: Mapped[str] = mapped_column(String(32), default="")


class SyncState(Base):
    """Per peer and record: the version last sent, and the last version both sides are known to hold (base).

    Keyed by the local integer row id, not the uid: rows are never hard-deleted, ids are stable, and an id key
    keeps this (possibly million-row) table append-ordered during a bulk import (docs/performance.md §3: a random UUID
    key costs 3–5× on insert). ``peer_id`` is ``trusted_device.id``; 0 stands for bundles addressed to nobody.
    A record is *acknowledged* by a peer when its current (version, updated_at) equals the base.
    """

    __tablename__ = "sync_state"
    __table_args__ = {"sqlite_with_rowid": False}

    peer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tbl: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sent_version: Mapped[int | None] = mapped_column(Integer)
    sent_updated: Mapped[str | None] = mapped_column(String(32))  # updated_at as stored (naive UTC text)
    sent_seq: Mapped[int | None] = mapped_column(Integer)  # sequence number of the bundle that carried it
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    base_version: Mapped[int | None] = mapped_column(Integer)
    base_updated: Mapped[str | None] = mapped_column(String(32))
    acked_at: Mapped[datetime | None] = mapped_column(AwareDateTime)


class SyncBundle(Base):
    """A bundle this database wrote (records, reference data or a receipt): the sender's side of the log."""

    __tablename__ = "sync_bundle"
    __table_args__ = (UniqueConstraint("kind", "recipient_uid", "seq"),)

    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # records | reference | receipt
    peer_id: Mapped[int] = mapped_column(Integer, default=0)
    recipient_uid: Mapped[str] = mapped_column(String(36), default="")
    seq: Mapped[int] = mapped_column(Integer)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    records: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(AwareDateTime)


class ImportedBundle(Base):
    """A bundle applied here: re-importing it is a no-op that reports this row's date."""

    __tablename__ = "imported_bundle"

    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    source_uid: Mapped[str] = mapped_column(String(36), index=True)
    source_code: Mapped[str] = mapped_column(String(8), default="")
    seq: Mapped[int] = mapped_column(Integer)
    # The manifest's recipient: its device uid, or "" for a bundle to nobody; numbers count per sender, recipient
    # and kind. NULL: imported before migration 0008, series unknown.
    recipient_uid: Mapped[str | None] = mapped_column(String(36))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(AwareDateTime)
    imported_by: Mapped[str] = mapped_column(String(32), default="")
    summary: Mapped[str] = mapped_column(Text, default="{}")  # JSON: counts per table and outcome


class SyncConflict(Audited, Base):
    """Both versions of a record changed on two devices since their common version: kept for a person to decide."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    tbl: Mapped[str] = mapped_column(String(32))
    record_uid: Mapped[str] = mapped_column(String(36), index=True)
    local_json: Mapped[str] = mapped_column(Text)
    incoming_json: Mapped[str] = mapped_column(Text)
    bundle_uid: Mapped[str] = mapped_column(String(36))
    source_uid: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    status: Mapped[ConflictStatus] = enum_column(ConflictStatus, default=ConflictStatus.OPEN)
    resolution: Mapped[str] = mapped_column(String(16), default="")  # local | incoming | merged
    resolved_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    resolved_by: Mapped[str] = mapped_column(String(32), default="")


class SyncQuarantine(Base):
    """A record that failed validation on import, with the reason; the rest of its bundle applied."""

    __tablename__ = "sync_quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_uid: Mapped[str] = mapped_column(String(36), index=True)
    tbl: Mapped[str] = mapped_column(String(32))
    record_uid: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)


class ImportDigest(Base):
    """The digests of the rows one merge batch of an import wrote, for ``verify --deep`` (docs/verify.md).

    An import records one audit event per table, not one per record (an event per record would cost the import
    about as much again), so without this a record last written by an import had nothing to be compared with.
    One row per batch of up to 2,000 records instead of one per record: the digests are computed from the values
    the merge binds anyway and stored packed, so a township import (~1M records) writes ~500 rows here.
    ``ids`` packs the local row ids (little-endian int64), empty when they run from ``first_id`` without a gap;
    ``digests`` packs 16 bytes per row in the same order (services/sync/digests.py). ``after_seq`` is the audit
    chain's head when the import began: an event about the record with a higher number is a later write.
    """

    __tablename__ = "import_digest"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tbl: Mapped[str] = mapped_column(String(32), index=True)
    bundle_uid: Mapped[str] = mapped_column(String(36))
    after_seq: Mapped[int] = mapped_column(Integer)
    first_id: Mapped[int] = mapped_column(Integer)
    ids: Mapped[bytes] = mapped_column(LargeBinary)
    digests: Mapped[bytes] = mapped_column(LargeBinary)
