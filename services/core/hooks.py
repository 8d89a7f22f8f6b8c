"""Session flush hooks: stamp synced rows (origin device, timestamps) and append their audit events."""

from __future__ import annotations

from typing import Any, Protocol, cast

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from models.base import SyncMixin
from services.core.audit import append_events, collect_flush_events
from services.core.clock import Clock, SystemClock
from services.core.sealing import install_sealing


class _ReferenceStamped(Protocol):
    """A record kind with a ``reference_version`` column (models/case.py: penalty cases)."""

    reference_version: str


def install_hooks(factory: sessionmaker[Session]) -> None:
    """Called once per session factory by services.core.db.Database."""
    install_sealing()  # sealed columns in and out (mapper events, once per process)
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)


def _before_flush(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    clock: Clock = session.info.get("clock") or SystemClock()
    now = clock.now()
    device = session.info.get("device_uid", "")
    reference = session.info.get("reference_version", "")
    for obj in session.new:
        if isinstance(obj, SyncMixin):
            if not obj.origin_device:
                obj.origin_device = device
            stamped = cast(_ReferenceStamped, obj)
            if reference and hasattr(type(obj), "reference_version") and not stamped.reference_version:
                # the reference-data version (catalogue, discretion standards) the record was created under
                stamped.reference_version = reference
            obj.created_at = obj.created_at or now
            obj.updated_at = now
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            obj.updated_at = now


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    events = collect_flush_events(session)
    if not events:
        return
    clock: Clock = session.info.get("clock") or SystemClock()
    append_events(
        session.connection(),
        events,
        at=clock.now(),
        actor=session.info.get("actor", "system"),
        device_uid=session.info.get("device_uid", ""),
    )
