"""Unit of work: one Session per user action, rollback unless committed, sync stamps and audit on flush."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session

from models.enums import Role
from services.core.cipher import DataKey
from services.core.clock import Clock, SystemClock
from services.core.db import Database
from services.core.errors import AppError


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — anything not committed is rolled back on exit.

    The session carries who acts (``actor``), on which device, and what clock; the flush hooks use them
    to stamp synced rows (origin device, updated_at) and to append the audit events in the same
    transaction, so a record and its audit entry are written together or not at all.
    """

    def __init__(
        self, db: Database, *, actor: str, clock: Clock | None = None, write: bool = True, role: Role | None = None,
        data_key: DataKey | None = None,
    ) -> None:
        self.db = db
        self.actor = actor
        self.role = role  # None: trusted caller (command line, demo); otherwise checked per step
        self.clock: Clock = clock or SystemClock()
        self.write = write
        self.data_key = data_key  # the unlocked data key (services/core/cipher.py); None: sealed fields stay sealed
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside 'with'")
        return self._session

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("UnitOfWork is not re-entrant; pass the session to helpers instead")
        factory = self.db.write_factory if self.write else self.db.read_factory
        self._session = factory()
        try:
            device = self.db.local("device_uid") or ""
        except Exception as exc:
            self._session.close()
            self._session = None
            self._raise_storage_error(exc)
            raise
        self._session.info.update(actor=self.actor, device_uid=device, clock=self.clock, action="",
                                  reference_version=self.db.local("reference_version") or "",
                                  data_key=self.data_key)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None
        if exc is not None and not isinstance(exc, AppError):
            self._raise_storage_error(exc)

    def _raise_storage_error(self, exc: BaseException) -> None:
        """A full disk, a locked, read-only, vanished or damaged database: the message that says what to do
        (services/core/storage.py) in place of the driver's error; a caller inside the block still sees the
        driver's own (verify lists the damage it catches there)."""
        classified = self.db.storage_error(exc)
        if classified is not None:
            raise classified from exc

    def commit(self) -> None:
        self.session.commit()

    @contextmanager
    def action(self, name: str) -> Iterator[None]:
        """Name the audit action for the writes made inside the block (e.g. ``penalty_case.file``)."""
        previous = self.session.info.get("action", "")
        self.session.info["action"] = name
        try:
            yield
        finally:
            self.session.info["action"] = previous
