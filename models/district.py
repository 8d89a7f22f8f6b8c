"""District-only tables: closed reporting periods and their amendments, case-file reviews (案卷评查).

None of these is synced (no ``SyncMixin``): they describe the district's own work on the townships' records,
which travel upward only. They are audited, because a closed period's figures and a review's scores are
official figures that must not change unseen.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Audited, AwareDateTime, Base, enum_column, new_uid
from models.enums import SheetPart


class PeriodStatus(StrEnum):
    CLOSED = "closed"  # 已关账
    REOPENED = "reopened"  # 已重新打开


class ProblemSource(StrEnum):
    AUTO = "auto"  # 自动预检
    MANUAL = "manual"  # 评查人员


class ProblemStatus(StrEnum):
    OPEN = "open"  # 待整改
    RECTIFIED = "rectified"  # 已整改


class PeriodClose(Audited, Base):
    """A closed month (``month`` 1–12) or year (``month`` None) of the district's figures.

    ``figures`` is the JSON snapshot of every indicator per township at closing (the closed value the report
    keeps); ``watermarks`` holds each table's highest row id at closing, so a record that arrives later is
    recognised as new (ids only grow: rows are never hard-deleted).
    """

    __tablename__ = "period_close"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    year: Mapped[int] = mapped_column(Integer, index=True)
    month: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[PeriodStatus] = enum_column(PeriodStatus, default=PeriodStatus.CLOSED)
    reason: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime] = mapped_column(AwareDateTime)
    closed_by: Mapped[str] = mapped_column(String(32), default="")
    watermarks: Mapped[str] = mapped_column(Text, default="{}")
    figures: Mapped[str] = mapped_column(Text, default="{}")
    reopened_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    reopened_by: Mapped[str] = mapped_column(String(32), default="")
    reopen_reason: Mapped[str] = mapped_column(Text, default="")


class Amendment(Audited, Base):
    """A record that reached the district (or changed) after its period was closed: listed with a reason."""

    __tablename__ = "amendment"
    __table_args__ = (UniqueConstraint("period_close_id", "tbl", "record_uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    period_close_id: Mapped[int] = mapped_column(ForeignKey("period_close.id"), index=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    tbl: Mapped[str] = mapped_column(String(32))
    record_uid: Mapped[str] = mapped_column(String(36))
    record_date: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16), default="late")  # late (new record) | changed
    reason: Mapped[str] = mapped_column(Text, default="")
    detected_at: Mapped[datetime] = mapped_column(AwareDateTime)
    detected_by: Mapped[str] = mapped_column(String(32), default="")


class Review(Audited, Base):
    """One draw of a case-file review: the filters, the seed and the population it was drawn from."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    title: Mapped[str] = mapped_column(String(128), default="")
    year: Mapped[int] = mapped_column(Integer, index=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    domain: Mapped[str] = mapped_column(String(32), default="")
    size: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    population: Mapped[int] = mapped_column(Integer, default=0)
    drawn_at: Mapped[datetime] = mapped_column(AwareDateTime)
    drawn_by: Mapped[str] = mapped_column(String(32), default="")

    files: Mapped[list[ReviewFile]] = relationship(back_populates="review", order_by="ReviewFile.position")


class ReviewFile(Audited, Base):
    """A sampled case file and its scoring sheet (``sheet``: JSON item code → points deducted)."""

    __tablename__ = "review_file"
    __table_args__ = (UniqueConstraint("review_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    prechecked_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    scored_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    scorer: Mapped[str] = mapped_column(String(32), default="")
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    form_score: Mapped[int | None] = mapped_column(Integer)
    content_score: Mapped[int | None] = mapped_column(Integer)
    total_score: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(8), default="")
    sheet: Mapped[str] = mapped_column(Text, default="{}")
    note: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="files")
    problems: Mapped[list[ReviewProblem]] = relationship(back_populates="file", order_by="ReviewProblem.id")


class ReviewProblem(Audited, Base):
    """A defect found in a sampled file (by the pre-check or a reviewer), tracked until rectified."""

    __tablename__ = "review_problem"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    review_file_id: Mapped[int] = mapped_column(ForeignKey("review_file.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))  # pre-check rule or sheet item
    part: Mapped[SheetPart] = enum_column(SheetPart)
    item: Mapped[str] = mapped_column(String(32), default="")  # scoring-sheet item the deduction goes to
    description: Mapped[str] = mapped_column(Text, default="")
    deduction: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[ProblemSource] = enum_column(ProblemSource, default=ProblemSource.AUTO)
    status: Mapped[ProblemStatus] = enum_column(ProblemStatus, default=ProblemStatus.OPEN)
    found_on: Mapped[date] = mapped_column(Date)
    rectified_on: Mapped[date | None] = mapped_column(Date)
    rectification: Mapped[str] = mapped_column(Text, default="")
    rectified_by: Mapped[str] = mapped_column(String(32), default="")

    file: Mapped[ReviewFile] = relationship(back_populates="problems")
