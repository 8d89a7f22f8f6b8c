"""Infrastructure tables: audit trail, holiday calendar, [L] settings, deadlines and local device state."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Audited, AwareDateTime, Base, enum_column
from models.enums import DeadlineKind
from models.workdays import DayKind


class AuditEvent(Base):
    """Append-only, hash-chained: ``hash`` covers this row's fields and the previous row's hash."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    actor: Mapped[str] = mapped_column(String(32))
    device_uid: Mapped[str] = mapped_column(String(36), default="")
    entity: Mapped[str] = mapped_column(String(32))
    entity_uid: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    before_digest: Mapped[str] = mapped_column(String(64), default="")
    after_digest: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CalendarDay(Audited, Base):
    """Exceptions to Mon–Fri: holidays on weekdays, make-up working weekends, local (e.g. 彝族年) holidays."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[DayKind] = enum_column(DayKind)
    name: Mapped[str] = mapped_column(String(32), default="")
    source: Mapped[str] = mapped_column(String(32), default="chinesecalendar")

    @property
    def uid(self) -> str:
        return self.day.isoformat()


class CalendarYear(Base):
    """Years whose official holiday arrangement is loaded; deadlines in other years are provisional."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32), default="chinesecalendar")


class AppSetting(Audited, Base):
    """A configurable [L] value (thresholds, periods, number patterns), JSON-encoded."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    @property
    def uid(self) -> str:
        return self.key


class LocalState(Base):
    """Per-database facts that never sync, such as which device this database belongs to."""

    __tablename__ = "local_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class KeySlot(Base):
    """The database's data key wrapped under one secret (services/core/cipher.py, docs/encryption.md): one slot per
    user account (``user:<username>``) and one for the recovery key (``recovery``). Never synced, never exported:
    a slot opens only the database it sits in."""

    __tablename__ = "key_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(64), unique=True)
    blob: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)


class Deadline(Base):
    """A computed legal deadline of one record. Derived data: recomputed from the record, never synced."""

    __tablename__ = "deadline"
    __table_args__ = (UniqueConstraint("owner_table", "owner_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_table: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[DeadlineKind] = enum_column(DeadlineKind)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    met_on: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(128), default="")  # e.g. 《行政处罚法》第六十条
