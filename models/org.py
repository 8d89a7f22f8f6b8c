"""Organisation entities: township, squad, devices, officers with certificates, user accounts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Audited, AwareDateTime, Base, SyncMixin, enum_column
from models.enums import CertStatus, DeviceKind, Role


class Township(SyncMixin, Base):
    __tablename__ = "township"

    name: Mapped[str] = mapped_column(String(64))  # e.g. 竹根镇
    division_code: Mapped[str] = mapped_column(String(12), default="")  # 行政区划代码
    district_name: Mapped[str] = mapped_column(String(64), default="")  # e.g. 乐山市五通桥区
    agency_name: Mapped[str] = mapped_column(String(128), default="")  # 文书落款机关，如 竹根镇人民政府
    doc_prefix: Mapped[str] = mapped_column(String(16), default="")  # 机关代字，如 竹综执


class Squad(SyncMixin, Base):
    __tablename__ = "squad"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(128), default="")

    township: Mapped[Township] = relationship()


class Device(SyncMixin, Base):
    """A computer running EnforceDesk; its uid is minted on first run and stamps every record it creates."""

    __tablename__ = "device"

    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    code: Mapped[str] = mapped_column(String(8), unique=True)  # short human code, e.g. D7K2
    name: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[DeviceKind] = enum_column(DeviceKind, default=DeviceKind.OFFICE)
    public_key: Mapped[str] = mapped_column(Text, default="")  # filled by the sync issue


class Officer(SyncMixin, Base):
    __tablename__ = "officer"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    squad_id: Mapped[int | None] = mapped_column(ForeignKey("squad.id"))
    name: Mapped[str] = mapped_column(String(32))
    gender: Mapped[str] = mapped_column(String(2), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    role: Mapped[Role] = enum_column(Role, default=Role.OFFICER)
    cert_number: Mapped[str] = mapped_column(String(32), default="", index=True)  # 执法证号
    cert_valid_from: Mapped[date | None] = mapped_column(Date)
    cert_valid_to: Mapped[date | None] = mapped_column(Date)
    cert_status: Mapped[CertStatus] = enum_column(CertStatus, default=CertStatus.VALID)
    legal_qualification: Mapped[bool] = mapped_column(Boolean, default=False)  # 法律职业资格 (art.58)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def certified_on(self, day: date) -> bool:
        """Holds a valid enforcement certificate on ``day`` (art.42 requires it of both officers)."""
        return (
            bool(self.cert_number)
            and self.cert_status is CertStatus.VALID
            and self.cert_valid_from is not None
            and self.cert_valid_to is not None
            and self.cert_valid_from <= day <= self.cert_valid_to
        )


class UserAccount(Audited, Base):
    """A local login. Passwords are hashed with scrypt (memory-hard); accounts are per database."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(32), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = enum_column(Role)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(AwareDateTime)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
