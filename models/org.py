"""Organisation entities: township, squad, devices, officers with certificates, user accounts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ColumnElement, Date, ForeignKey, String, Text, and_, or_
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Audited, AwareDateTime, Base, SyncMixin, deleted_rows_index, enum_column
from models.enums import CertStatus, DeviceKind, Role
from models.sealed import sealed_text


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
    __table_args__ = (deleted_rows_index("officer"),)  # a listed table: its count (models/base.py)

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    squad_id: Mapped[int | None] = mapped_column(ForeignKey("squad.id"))
    name: Mapped[str] = mapped_column(String(32))
    gender: Mapped[str] = mapped_column(String(2), default="")
    id_number: Mapped[str] = mapped_column(sealed_text(18), default="")  # sealed at rest (models/sealed.py)
    phone: Mapped[str] = mapped_column(sealed_text(20), default="")
    id_number_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")  # local, derived
    phone_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")
    role: Mapped[Role] = enum_column(Role, default=Role.OFFICER)
    cert_number: Mapped[str] = mapped_column(String(32), default="", index=True)  # 执法证号
    cert_kind: Mapped[str] = mapped_column(String(32), default="", server_default="")  # 证件种类, e.g. 行政执法证
    cert_valid_from: Mapped[date | None] = mapped_column(Date)  # 发证日期 (None: not recorded)
    cert_valid_to: Mapped[date | None] = mapped_column(Date)  # 有效期至
    cert_status: Mapped[CertStatus] = enum_column(CertStatus, default=CertStatus.VALID)
    legal_qualification: Mapped[bool] = mapped_column(Boolean, default=False)  # 法律职业资格 (art.58)
    # 执法领域 the certificate covers, in the catalogue's words, joined by DOMAIN_SEPARATOR (services.people.registry)
    domains: Mapped[str] = mapped_column(String(200), default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @classmethod
    def certified_clause(cls, day: date) -> ColumnElement[bool]:
        """:meth:`certified_on` as a SQL condition (the statistics count certified officers with it)."""
        return and_(cls.cert_number != "", cls.cert_status == CertStatus.VALID, cls.cert_valid_to.is_not(None),
                    or_(cls.cert_valid_from.is_(None), cls.cert_valid_from <= day), cls.cert_valid_to >= day)

    def certified_on(self, day: date) -> bool:
        """Holds a valid enforcement certificate on ``day`` (art.42 requires it of both officers)."""
        return (
            bool(self.cert_number)
            and self.cert_status is CertStatus.VALID
            and self.cert_valid_to is not None
            and (self.cert_valid_from is None or self.cert_valid_from <= day)  # an issue date not recorded
            and day <= self.cert_valid_to
        )


class UserAccount(Audited, Base):
    """A local login. Passwords are hashed with scrypt (memory-hard); accounts are per database and never synced:
    a password (even its hash) stays on the computer where it was set."""

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
    # Set when the password was given to the holder by someone else (generated by init or opened / reset by the
    # squad leader): the login asks for a new one before the window opens (services.people.accounts).
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
