"""The quarantine review: the records an import refused (``sync_quarantine``), with the reason and the record.

The record's text is sealed under this database's key when it has one (services/sync/merge.py ``quarantine``;
docs/encryption-data.md): it holds the sender's personal data as a stored row would. The review opens it with the
key of the signed-in session and shows a short note in its place without it, never the sealed text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from models.sync import SyncQuarantine
from services.core.uow import UnitOfWork
from services.sync.sealed import shown_payload

REVIEW_MAX = 500  # the newest rows a review lists (a hostile bundle may have had thousands refused)


@dataclass(frozen=True, slots=True)
class QuarantineInfo:
    bundle_uid: str
    table: str
    record_uid: str
    reason: str
    payload: str  # the record as it arrived (JSON text), opened; （已加密）without the key
    created_at: datetime


def list_quarantine(uow: UnitOfWork, *, limit: int = REVIEW_MAX) -> list[QuarantineInfo]:
    """The newest quarantined records first, at most ``limit`` (1 … REVIEW_MAX)."""
    with uow:
        s = uow.session
        key = s.info.get("data_key")
        q = select(SyncQuarantine).order_by(SyncQuarantine.id.desc()).limit(max(1, min(limit, REVIEW_MAX)))
        return [QuarantineInfo(r.bundle_uid, r.tbl, r.record_uid, r.reason,
                               shown_payload(key, r.payload, bundle_uid=r.bundle_uid, table=r.tbl,
                                             record_uid=r.record_uid), r.created_at)
                for r in s.scalars(q)]


__all__ = ["QuarantineInfo", "list_quarantine"]
