"""Declarative base, column types and the sync mixin shared by every EnforceDesk table."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import BigInteger, DateTime, Enum, Index, Integer, MetaData, String, TypeDecorator, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from models.tz import SHANGHAI  # re-exported: most modules import it from here

CENT = Decimal("0.01")

# Stable constraint names so Alembic migrations and SQLite batch rebuilds can address them.
E = TypeVar("E", bound=StrEnum)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uid() -> str:
    """A fresh record identity; minted on the device that creates the record, never at sync."""
    return str(uuid.uuid4())


def now_shanghai() -> datetime:
    return datetime.now(SHANGHAI)


def to_yuan(value: Decimal | int | float | str) -> Decimal:
    """Normalise an amount to yuan with exactly two places (half-up, as on fiscal receipts)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


class Money(TypeDecorator[Decimal]):
    """Yuan as Decimal in Python, stored as integer fen so SQLite sums stay exact."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int(to_yuan(value) * 100)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        try:
            return (Decimal(int(value)) / 100).quantize(CENT)
        except (ValueError, TypeError, ArithmeticError):  # damaged stored text (services/core/damaged.py)
            return None


class AwareDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes: stored as naive UTC, returned in Asia/Shanghai."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: EnforceDesk stores timezone-aware times only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text written by bulk loaders
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(SHANGHAI)


def enum_column(enum_cls: type[E], **kw: Any) -> Mapped[E]:
    """An enum stored as its value (not its name) with a CHECK constraint, readable in bundles and SQL."""
    return mapped_column(
        Enum(
            enum_cls,
            native_enum=False,
            create_constraint=True,
            values_callable=lambda e: [m.value for m in e],
            length=32,
            validate_strings=True,
            name=None,  # let the naming convention name each CHECK after its column
        ),
        **kw,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Audited:
    """Marker: every insert/update of this entity is written to the hash-chained audit trail."""

    __audited__ = True


class SyncMixin(Audited):
    """Identity and bookkeeping every synced record carries (UUID, origin device, version, soft delete).

    ``version`` is SQLAlchemy's version counter: each UPDATE increments it and refuses to overwrite a row
    another session changed meanwhile (optimistic concurrency between the GUI and background jobs).
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    origin_device: Mapped[str] = mapped_column(String(36), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now_shanghai)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now_shanghai)
    deleted_at: Mapped[datetime | None] = mapped_column(AwareDateTime, default=None)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy declared_attr convention
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


LISTED_DELETED = "deleted_at IS NOT NULL"


def deleted_rows_index(table: str) -> Index:
    """A partial index of ``table``'s soft-deleted rows (few): a list's unfiltered count is the table's count (a
    covering scan of its smallest index, or SQLite's page count) minus the rows in this index, where counting
    ``deleted_at IS NULL`` scanned the whole table (services/read/queries.py ``_count``; bench/README.md, issue 17).
    Partial on ``IS NOT NULL`` on purpose: a page's ``deleted_at IS NULL`` can never use it, so no page's plan
    changes (a plain or an ``IS NULL`` partial index drew SQLite's planner off the sort column's index)."""
    return Index(f"ix_{table}_deleted", "deleted_at", sqlite_where=text(LISTED_DELETED),
                 postgresql_where=text(LISTED_DELETED))


__all__ = [
    "SHANGHAI",
    "AwareDateTime",
    "Audited",
    "Base",
    "Money",
    "SyncMixin",
    "date",
    "deleted_rows_index",
    "enum_column",
    "new_uid",
    "now_shanghai",
    "to_yuan",
]
