"""People's mediation (人民调解): committees, mediators, cases, sessions, follow-up visits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Final

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import AwareDateTime, Base, Money, SyncMixin, deleted_rows_index, enum_column
from models.enums import (
    AgreementForm,
    MediationPartyRole,
    MediationSource,
    MediationStatus,
    PerformanceStatus,
    TermConcern,
)
from models.party import Party
from models.sealed import sealed_text

# A committee's 代字 is part of its number-block key ("mediation_agreement@石桥村", number_block.doc_type is 32 long).
DOC_CODE_MAX: Final = 10
_SUFFIX = "人民调解委员会"


def default_doc_code(name: str, township: str, taken: set[str]) -> str:
    """The 代字 a committee gets when none is entered: its name without the township and the suffix
    ("竹根镇石桥村人民调解委员会" → "石桥村"), the township's name for the township's own committee; a number is
    appended when another committee has it already. Migration 0007 gives existing committees theirs the same way."""
    base = name.strip().removesuffix(_SUFFIX).strip()
    if township and base.startswith(township) and len(base) > len(township):
        base = base[len(township):]
    base = (base or township or "人调")[:DOC_CODE_MAX]
    code, n = base, 2
    while code in taken:
        code = f"{base[:DOC_CODE_MAX - len(str(n))]}{n}"
        n += 1
    return code


class DisputeCategory(SyncMixin, Base):
    """Editable dictionary of dispute types, mapped to the district's reporting form column."""

    __tablename__ = "dispute_category"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(32))
    report_group: Mapped[str] = mapped_column(String(32), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MediationCommittee(SyncMixin, Base):
    __tablename__ = "mediation_committee"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16), default="村")  # services.people.committees.COMMITTEE_KINDS
    seal_name: Mapped[str] = mapped_column(String(128), default="", server_default="")  # the name on its seal
    # 代字: its documents are numbered under it ("石桥村调协字〔2026〕第1号"), never under the squad's prefix.
    doc_code: Mapped[str] = mapped_column(String(DOC_CODE_MAX), default="", server_default="")
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)  # 任期三年 (art.9)
    address: Mapped[str] = mapped_column(String(200), default="")


class Mediator(SyncMixin, Base):
    __tablename__ = "mediator"

    committee_id: Mapped[int] = mapped_column(ForeignKey("mediation_committee.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    gender: Mapped[str] = mapped_column(String(2), default="")
    ethnicity: Mapped[str] = mapped_column(String(16), default="汉族")
    phone: Mapped[str] = mapped_column(sealed_text(20), default="")  # sealed at rest (models/sealed.py)
    phone_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")  # local, derived
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    is_member: Mapped[bool] = mapped_column(Boolean, default=True)  # 委员 vs 聘任调解员
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MediationCase(SyncMixin, Base):
    __tablename__ = "mediation_case"
    __table_args__ = (deleted_rows_index("mediation_case"),)  # a listed table: its count (models/base.py)

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    number: Mapped[str] = mapped_column(String(48), default="", index=True)
    status: Mapped[MediationStatus] = enum_column(MediationStatus, default=MediationStatus.APPLIED, index=True)
    source: Mapped[MediationSource] = enum_column(MediationSource, default=MediationSource.APPLICATION)
    category_id: Mapped[int] = mapped_column(ForeignKey("dispute_category.id"), index=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("mediation_committee.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")  # 纠纷简要情况
    amount_involved: Mapped[Decimal | None] = mapped_column(Money)
    applied_on: Mapped[date] = mapped_column(Date, index=True)
    accepted_on: Mapped[date | None] = mapped_column(Date, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date, index=True)  # success/failure/termination date
    end_reason: Mapped[str] = mapped_column(String(200), default="")
    agreement_form: Mapped[AgreementForm | None] = enum_column(AgreementForm, nullable=True)
    agreement_number: Mapped[str] = mapped_column(String(48), default="")
    agreement_terms: Mapped[str] = mapped_column(Text, default="")  # other agreed content besides the obligations
    # 人民调解法 art.29 (二): the disputed issues and each party's responsibility (the main facts are ``summary``).
    disputed_issues: Mapped[str] = mapped_column(Text, default="", server_default="")
    responsibility: Mapped[str] = mapped_column(Text, default="", server_default="")
    agreement_effective_on: Mapped[date | None] = mapped_column(Date)
    performance_deadline: Mapped[date | None] = mapped_column(Date)
    performance_status: Mapped[PerformanceStatus | None] = enum_column(PerformanceStatus, nullable=True)
    confirmation_applied_on: Mapped[date | None] = mapped_column(Date)
    confirmation_court: Mapped[str] = mapped_column(String(64), default="")
    confirmation_decided_on: Mapped[date | None] = mapped_column(Date, index=True)
    confirmation_granted: Mapped[bool | None] = mapped_column(Boolean)  # 裁定有效 / 驳回
    escalation_risk: Mapped[bool] = mapped_column(Boolean, default=False)  # 激化风险 (art.25)
    escalated_to_criminal: Mapped[bool] = mapped_column(Boolean, default=False)  # 民转刑
    closed_on: Mapped[date | None] = mapped_column(Date)
    archive_number: Mapped[str] = mapped_column(String(48), default="")

    party_links: Mapped[list[MediationParty]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    mediator_links: Mapped[list[MediationMediator]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[MediationSession]] = relationship(
        back_populates="case", order_by="MediationSession.held_at", cascade="all, delete-orphan"
    )
    visits: Mapped[list[FollowUpVisit]] = relationship(
        back_populates="case", order_by="FollowUpVisit.visited_on", cascade="all, delete-orphan"
    )
    obligations: Mapped[list[MediationObligation]] = relationship(
        back_populates="case", order_by="MediationObligation.position", cascade="all, delete-orphan"
    )


class MediationParty(SyncMixin, Base):
    __tablename__ = "mediation_party"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    role: Mapped[MediationPartyRole] = enum_column(MediationPartyRole)

    case: Mapped[MediationCase] = relationship(back_populates="party_links")
    party: Mapped[Party] = relationship()


class MediationMediator(SyncMixin, Base):
    __tablename__ = "mediation_mediator"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediator.id"), index=True)

    case: Mapped[MediationCase] = relationship(back_populates="mediator_links")


class MediationSession(SyncMixin, Base):
    __tablename__ = "mediation_session"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    held_at: Mapped[datetime] = mapped_column(AwareDateTime)
    place: Mapped[str] = mapped_column(String(128), default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    record: Mapped[str] = mapped_column(Text, default="")  # 调解记录

    case: Mapped[MediationCase] = relationship(back_populates="sessions")


class FollowUpVisit(SyncMixin, Base):
    __tablename__ = "follow_up_visit"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16), default="上门")  # 上门/电话
    performance_status: Mapped[PerformanceStatus] = enum_column(PerformanceStatus)
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[MediationCase] = relationship(back_populates="visits")


class MediationObligation(SyncMixin, Base):
    """One term of an agreement (人民调解法 art.29 (三)): who owes whom what — an amount or an object — how and by when.

    A term with neither an amount nor an object is unclear content, which a court refuses to confirm; ``concerns``
    marks the terms that settle identity, adoption or marriage, which it does not accept at all.
    """

    __tablename__ = "mediation_obligation"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    obligor_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)  # who owes
    obligee_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)  # to whom
    what: Mapped[str] = mapped_column(String(200))  # 给付内容, e.g. 赔偿医疗费、修复围墙
    amount: Mapped[Decimal | None] = mapped_column(Money)  # yuan
    subject: Mapped[str] = mapped_column(String(200), default="")  # 标的物或者行为的具体内容
    manner: Mapped[str] = mapped_column(String(200), default="")  # 履行方式, e.g. 一次性银行转账
    due_on: Mapped[date] = mapped_column(Date)  # 履行期限
    concerns: Mapped[TermConcern] = enum_column(TermConcern, default=TermConcern.NONE)

    case: Mapped[MediationCase] = relationship(back_populates="obligations")
