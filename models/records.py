"""Trainings, issued documents with their numbers, evidence attachments, and number blocks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import AwareDateTime, Base, SyncMixin, deleted_rows_index


class Training(SyncMixin, Base):
    __tablename__ = "training"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    organiser: Mapped[str] = mapped_column(String(64), default="")
    hours: Mapped[int] = mapped_column(Integer, default=2)
    place: Mapped[str] = mapped_column(String(128), default="")


class TrainingAttendance(SyncMixin, Base):
    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("training_id", "officer_id"),)

    training_id: Mapped[int] = mapped_column(ForeignKey("training.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)


class NumberBlock(SyncMixin, Base):
    """A range of document sequence numbers reserved for one device, so offline devices never collide."""

    __tablename__ = "number_block"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    device_uid: Mapped[str] = mapped_column(String(36), index=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    next_seq: Mapped[int] = mapped_column(Integer)


class IssuedDocument(SyncMixin, Base):
    """A numbered document as issued: never edited; a correction is a new document that supersedes it."""

    __tablename__ = "issued_document"
    # The printed number is the document's identity: a mediation committee numbers in a sequence of its own under
    # its own 代字 (services/reference/numbering.py), so (type, year, seq) repeats across committees, the number not.
    __table_args__ = (UniqueConstraint("township_id", "doc_type", "number"), deleted_rows_index("issued_document"))

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), index=True)
    record_table: Mapped[str] = mapped_column(String(32))
    record_uid: Mapped[str] = mapped_column(String(36), index=True)
    issued_at: Mapped[datetime] = mapped_column(AwareDateTime)
    issued_by: Mapped[str] = mapped_column(String(32), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    snapshot: Mapped[str] = mapped_column(Text, default="{}")
    supersedes_uid: Mapped[str | None] = mapped_column(String(36))


class Blob(Base):
    """Content-addressed evidence file: stored once under its SHA-256, whatever record it is attached to."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(64), default="application/octet-stream")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)


class Attachment(SyncMixin, Base):
    __tablename__ = "attachment"

    record_table: Mapped[str] = mapped_column(String(32))
    record_uid: Mapped[str] = mapped_column(String(36), index=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    caption: Mapped[str] = mapped_column(String(200), default="")
    taken_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    taken_by: Mapped[str] = mapped_column(String(32), default="")
