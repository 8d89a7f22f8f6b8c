"""Parties (当事人): natural persons, organisations and individual businesses."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SyncMixin, deleted_rows_index, enum_column
from models.enums import IdType, PartyKind
from models.sealed import sealed_text


class Party(SyncMixin, Base):
    __tablename__ = "party"
    # deleted rows: the list's count (models/base.py); the names: the picker's LIKE reads this narrow index instead
    # of the table, whose rows are big once sealed (services/people/parties.py party_choices)
    __table_args__ = (deleted_rows_index("party"), Index("ix_party_names", "name", "legal_rep", "deleted_at"))

    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    kind: Mapped[PartyKind] = enum_column(PartyKind)
    name: Mapped[str] = mapped_column(String(128), index=True)  # 姓名 / 名称 / 字号
    id_type: Mapped[IdType] = enum_column(IdType, default=IdType.NONE)
    # Sealed at rest (models/sealed.py), as address, phone and operator_id_number.
    id_number: Mapped[str] = mapped_column(sealed_text(32), default="", index=True)
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(16), default="")
    address: Mapped[str] = mapped_column(sealed_text(200), default="")
    phone: Mapped[str] = mapped_column(sealed_text(32), default="")
    legal_rep: Mapped[str] = mapped_column(String(32), default="")  # 法定代表人/负责人/经营者
    legal_rep_title: Mapped[str] = mapped_column(String(32), default="")
    operator_id_number: Mapped[str] = mapped_column(sealed_text(18), default="")  # 个体户经营者身份证
    # Local derived columns (never synced, models/sealed.py): what lists show and exact search compares, so a list
    # page opens no sealed value.
    id_number_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")
    id_number_index: Mapped[str] = mapped_column(String(32), default="", server_default="", index=True)
    operator_id_number_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")
    operator_id_number_index: Mapped[str] = mapped_column(String(32), default="", server_default="", index=True)
    phone_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")
    address_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")
