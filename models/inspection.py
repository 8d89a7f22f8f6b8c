"""Special campaigns (专项整治), inspections with checklists and turnout, and re-inspection tasks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import AwareDateTime, Base, SyncMixin, deleted_rows_index, enum_column
from models.enums import InspectionResult, ItemResult, TaskStatus
from models.org import Officer
from models.party import Party
from models.sealed import sealed_text


class Campaign(SyncMixin, Base):
    __tablename__ = "campaign"
    __table_args__ = (deleted_rows_index("campaign"),)  # a listed table: its count (models/base.py)

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    domain: Mapped[str] = mapped_column(String(32), default="")
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    lead_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))


class Inspection(SyncMixin, Base):
    __tablename__ = "inspection"
    __table_args__ = (deleted_rows_index("inspection"),)  # a listed table: its count (models/base.py)

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), default="", index=True)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    ended_at: Mapped[datetime] = mapped_column(AwareDateTime)
    inspected_on: Mapped[date] = mapped_column(Date, index=True)  # local date of started_at, for statistics
    place: Mapped[str] = mapped_column(sealed_text(200))  # sealed at rest (models/sealed.py): often a home
    place_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")  # local, derived
    domain: Mapped[str] = mapped_column(String(32), default="", index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    findings: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[InspectionResult] = enum_column(InspectionResult, index=True)
    rectification_deadline: Mapped[date | None] = mapped_column(Date)
    reinspection_of_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    officer_turnout: Mapped[int] = mapped_column(Integer, default=2)  # 出动执法人员人次
    vehicle_turnout: Mapped[int] = mapped_column(Integer, default=0)  # 车辆台次
    businesses_inspected: Mapped[int] = mapped_column(Integer, default=1)  # 检查经营户户次

    party: Mapped[Party | None] = relationship()
    items: Mapped[list[InspectionItem]] = relationship(
        back_populates="inspection", order_by="InspectionItem.position", cascade="all, delete-orphan"
    )
    officer_links: Mapped[list[InspectionOfficer]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan"
    )


class InspectionOfficer(SyncMixin, Base):
    __tablename__ = "inspection_officer"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)

    inspection: Mapped[Inspection] = relationship(back_populates="officer_links")
    officer: Mapped[Officer] = relationship()


class InspectionItem(SyncMixin, Base):
    """One checklist line: what was checked, the result, and when a found problem was rectified."""

    __tablename__ = "inspection_item"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(200))
    result: Mapped[ItemResult] = enum_column(ItemResult, default=ItemResult.OK)
    note: Mapped[str] = mapped_column(String(200), default="")
    rectified_on: Mapped[date | None] = mapped_column(Date, index=True)  # yearly 'problems rectified'

    inspection: Mapped[Inspection] = relationship(back_populates="items")


class ReinspectionTask(SyncMixin, Base):
    """Created when a rectification deadline passes; done when a re-inspection is recorded."""

    __tablename__ = "reinspection_task"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), unique=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[TaskStatus] = enum_column(TaskStatus, default=TaskStatus.OPEN)
    done_by_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))

    inspection: Mapped[Inspection] = relationship(foreign_keys=[inspection_id])
