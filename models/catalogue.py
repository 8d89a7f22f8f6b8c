"""The powers catalogue (权力事项清单) with versioned discretion standards (裁量基准)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Money, SyncMixin, deleted_rows_index, enum_column
from models.enums import DiscretionTierName, ListType, PartyScope


class PowerItem(SyncMixin, Base):
    """One catalogue row. A new legal text gives a new row (new version) that supersedes the old one:
    codes are never edited in place, because cases keep the version they were decided under (art.37)."""

    __tablename__ = "power_item"
    __table_args__ = (deleted_rows_index("power_item"),)  # a listed table: its count (models/base.py)

    code: Mapped[str] = mapped_column(String(32), index=True)
    item_version: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(String(200))
    list_type: Mapped[ListType] = enum_column(ListType)
    domain: Mapped[str] = mapped_column(String(32), index=True)  # 市容环境卫生, 扬尘, 噪声 ...
    source_department: Mapped[str] = mapped_column(String(64), default="")
    breached_provision: Mapped[str] = mapped_column(Text, default="")  # 违反条款
    penalty_provision: Mapped[str] = mapped_column(Text, default="")  # 处罚依据
    penalty_types: Mapped[str] = mapped_column(String(128), default="")  # 警告、罚款 ...
    party_scope: Mapped[PartyScope] = enum_column(PartyScope, default=PartyScope.ANY)
    fine_min: Mapped[Decimal | None] = mapped_column(Money)
    fine_max: Mapped[Decimal | None] = mapped_column(Money)
    statutory_range_text: Mapped[str] = mapped_column(String(200), default="")
    safety_related: Mapped[bool] = mapped_column(Boolean, default=False)  # art.36: 5-year limitation
    major_threshold: Mapped[Decimal | None] = mapped_column(Money)  # fine at or above → 重大, legal review [L]
    hearing_threshold_person: Mapped[Decimal | None] = mapped_column(Money)  # overrides settings [L]
    hearing_threshold_org: Mapped[Decimal | None] = mapped_column(Money)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    supersedes_uid: Mapped[str | None] = mapped_column(String(36))

    tiers: Mapped[list[DiscretionTier]] = relationship(
        back_populates="item", order_by="DiscretionTier.rank", cascade="all, delete-orphan"
    )

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class DiscretionTier(SyncMixin, Base):
    __tablename__ = "discretion_tier"

    item_id: Mapped[int] = mapped_column(ForeignKey("power_item.id"), index=True)
    tier: Mapped[DiscretionTierName] = enum_column(DiscretionTierName)
    rank: Mapped[int] = mapped_column(default=0)
    fine_min: Mapped[Decimal | None] = mapped_column(Money)
    fine_max: Mapped[Decimal | None] = mapped_column(Money)
    criteria: Mapped[str] = mapped_column(Text, default="")  # 适用情形
    reasons_template: Mapped[str] = mapped_column(Text, default="")  # 裁量理由

    item: Mapped[PowerItem] = relationship(back_populates="tiers")
