"""Helpers for the sync tests: an office database, a field laptop provisioned from it, quick edits on either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from models.enums import DeviceKind, IdType, PartyKind
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.people.parties import create_party_record
from services.people.registry import PartyInput
from services.sync.provision import provision_device
from tests.services.conftest import resident_id


@dataclass
class Pair:
    office: Database
    laptop: Database
    clock: FixedClock
    laptop_uid: str
    laptop_code: str
    office_uid: str

    def ou(self) -> UnitOfWork:
        return UnitOfWork(self.office, actor="office", clock=self.clock)

    def lu(self) -> UnitOfWork:
        return UnitOfWork(self.laptop, actor="laptop", clock=self.clock)

    def dispose(self) -> None:
        self.laptop.dispose()


def make_pair(office: Database, clock: FixedClock, tmp_path: Path) -> Pair:
    office_uow = UnitOfWork(office, actor="office", clock=clock)
    result = provision_device(office_uow, tmp_path / "laptop.sqlite3", kind=DeviceKind.FIELD)
    laptop = Database.open(result.path)
    return Pair(office, laptop, clock, result.device_uid, result.device_code, office.device_uid)


def add_party(uow: UnitOfWork, name: str, birth: date = date(1985, 1, 2), seq: str = "555") -> str:
    info = create_party_record(uow, PartyInput(kind=PartyKind.PERSON, name=name, id_type=IdType.RESIDENT_ID,
                                               id_number=resident_id(birth, seq)))
    return info.uid


def edit(db: Database, clock: FixedClock, table: str, uid: str, **values: Any) -> None:
    """Change a record through the ORM (version + 1, updated_at stamped), like a screen would."""
    from models.base import Base

    cls = next(m.class_ for m in Base.registry.mappers if getattr(m.class_, "__tablename__", "") == table)
    with UnitOfWork(db, actor="tester", clock=clock) as u:
        from sqlalchemy import select

        obj = u.session.scalar(select(cls).where(cls.uid == uid))
        for k, v in values.items():
            setattr(obj, k, v)
        u.commit()


def row(db: Database, table: str, uid: str, cols: str = "*") -> tuple[Any, ...] | None:
    """One row by uid (SQLite or PostgreSQL)."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        got = conn.execute(text(f'SELECT {cols} FROM "{table}" WHERE uid=:uid'), {"uid": uid}).first()
    return None if got is None else tuple(got)


def count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar() or 0)


Advance = Callable[[int], None]
