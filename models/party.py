"""Parties (当事人): natural persons, organisations and individual businesses."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SyncMixin, enum_column
from models.enums import IdType, PartyKind


class Party(SyncMixin, Base):
    __tablename__ = "party"

    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    kind: Mapped[PartyKind] = enum_column(PartyKind)
    name: Mapped[str] = mapped_column(String(128), index=True)  # 姓名 / 名称 / 字号
    id_type: Mapped[IdType] = enum_column(IdType, default=IdType.NONE)
    id_number: Mapped[str] = mapped_column(String(32), default="", index=True)
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(16), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    legal_rep: Mapped[str] = mapped_column(String(32), default="")  # 法定代表人/负责人/经营者
    legal_rep_title: Mapped[str] = mapped_column(String(32), default="")
    operator_id_number: Mapped[str] = mapped_column(String(18), default="")  # 个体户经营者身份证
