"""Administrative penalty cases, their procedural events, coercive measures and transfers."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import TypedDict

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import AwareDateTime, Base, Money, SyncMixin, deleted_rows_index, enum_column
from models.catalogue import PowerItem
from models.enums import (
    CaseSource,
    CaseStatus,
    CoerciveKind,
    CoerciveStatus,
    DiscretionTierName,
    NoPenaltyGround,
    Procedure,
    ProposedOutcome,
    ServiceMethod,
    TransferKind,
)
from models.org import Officer
from models.party import Party
from models.sealed import sealed_text


class PenaltyCase(SyncMixin, Base):
    __tablename__ = "penalty_case"
    __table_args__ = (deleted_rows_index("penalty_case"),)  # a listed table: its count (models/base.py)

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    number: Mapped[str] = mapped_column(String(48), default="", index=True)  # 立案编号
    procedure: Mapped[Procedure] = enum_column(Procedure, default=Procedure.GENERAL)
    status: Mapped[CaseStatus] = enum_column(CaseStatus, default=CaseStatus.CLUE, index=True)
    source: Mapped[CaseSource] = enum_column(CaseSource, default=CaseSource.INSPECTION)
    source_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    cause: Mapped[str] = mapped_column(String(200), default="")  # 案由
    power_item_id: Mapped[int | None] = mapped_column(ForeignKey("power_item.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"), index=True)
    domain: Mapped[str] = mapped_column(String(32), default="", index=True)
    place: Mapped[str] = mapped_column(sealed_text(200), default="")  # sealed at rest (models/sealed.py)
    facts: Mapped[str] = mapped_column(Text, default="")

    # Dates that drive guards and deadlines.
    act_date: Mapped[date | None] = mapped_column(Date)  # 违法行为发生日
    act_ended_on: Mapped[date | None] = mapped_column(Date)  # 连续/继续状态终了之日
    discovered_on: Mapped[date | None] = mapped_column(Date)  # 发现之日（时效判断点）
    registered_on: Mapped[date] = mapped_column(Date, index=True)  # 线索登记日
    filed_on: Mapped[date | None] = mapped_column(Date, index=True)  # 立案日
    harmful_consequences: Mapped[bool] = mapped_column(Boolean, default=False)

    # Review flags (art.57, art.58).
    major_public_interest: Mapped[bool] = mapped_column(Boolean, default=False)
    complex_case: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_review_required: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_review_passed_on: Mapped[date | None] = mapped_column(Date, index=True)  # district yearly figures
    collective_required: Mapped[bool] = mapped_column(Boolean, default=False)
    collective_discussed_on: Mapped[date | None] = mapped_column(Date)

    # Investigation result and discretion.
    proposed_outcome: Mapped[ProposedOutcome | None] = enum_column(ProposedOutcome, nullable=True)
    proposed_fine: Mapped[Decimal | None] = mapped_column(Money)
    discretion_tier: Mapped[DiscretionTierName | None] = enum_column(DiscretionTierName, nullable=True)
    discretion_reasons: Mapped[str] = mapped_column(Text, default="")
    party_is_minor: Mapped[bool] = mapped_column(Boolean, default=False)

    # Prior notice, statements and hearing (art.44, 45, 63, 64).
    notice_number: Mapped[str] = mapped_column(String(48), default="")
    notified_on: Mapped[date | None] = mapped_column(Date)  # date the prior notice was served
    notified_fine: Mapped[Decimal | None] = mapped_column(Money)
    hearing_rights: Mapped[bool] = mapped_column(Boolean, default=False)
    statement_waived: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_requested_on: Mapped[date | None] = mapped_column(Date)
    hearing_held_on: Mapped[date | None] = mapped_column(Date, index=True)  # district yearly figures

    # Decision (art.59) and its life after.
    decision_number: Mapped[str] = mapped_column(String(48), default="", index=True)
    decision_date: Mapped[date | None] = mapped_column(Date, index=True)
    fine_amount: Mapped[Decimal | None] = mapped_column(Money)
    confiscation_amount: Mapped[Decimal | None] = mapped_column(Money)  # 没收违法所得
    warning_only: Mapped[bool] = mapped_column(Boolean, default=False)
    no_penalty_ground: Mapped[NoPenaltyGround | None] = enum_column(NoPenaltyGround, nullable=True)
    served_on: Mapped[date | None] = mapped_column(Date)
    service_method: Mapped[ServiceMethod | None] = enum_column(ServiceMethod, nullable=True)
    paid_amount: Mapped[Decimal | None] = mapped_column(Money)
    paid_on: Mapped[date | None] = mapped_column(Date)
    surcharge_paid: Mapped[Decimal | None] = mapped_column(Money)
    receipt_number: Mapped[str] = mapped_column(String(48), default="")  # 财政票据/缴款凭证号
    enforcement_started_on: Mapped[date | None] = mapped_column(Date)
    disclosed_on: Mapped[date | None] = mapped_column(Date, index=True)
    summary_filed_on: Mapped[date | None] = mapped_column(Date)  # 当场处罚备案
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    archived_on: Mapped[date | None] = mapped_column(Date)
    terminated_reason: Mapped[str] = mapped_column(String(200), default="")
    extension_days: Mapped[int] = mapped_column(Integer, default=0)  # approved extensions of the 90 days
    suspended_days: Mapped[int] = mapped_column(Integer, default=0)  # hearing/appraisal time excluded
    reference_version: Mapped[str] = mapped_column(String(32), default="")

    party: Mapped[Party | None] = relationship()
    power_item: Mapped[PowerItem | None] = relationship()
    officer_links: Mapped[list[CaseOfficer]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class CaseOfficer(SyncMixin, Base):
    __tablename__ = "case_officer"

    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)  # 主办 vs 协办

    case: Mapped[PenaltyCase] = relationship(back_populates="officer_links")
    officer: Mapped[Officer] = relationship()


class CaseEventData(TypedDict, total=False):
    """The details of a step, as ``CaseEvent.data`` keeps them (JSON); each step writes only its own keys.

    Amounts are yuan as text ("200.00"), enums their values; the step that writes each key is named after it.
    """

    officers: list[str]  # file: the officers' uids
    number: str  # file, prior notice, decisions, transfer: the number the step gave
    outcome: str  # end of investigation: ProposedOutcome
    tier: str  # end of investigation: DiscretionTierName ("" without a tier)
    fine: str  # end of investigation (proposed), prior notice, decisions
    passed: bool  # legal review
    reviewer: str  # legal review: the reviewer's uid
    participants: list[str]  # collective discussion: names
    hearing_rights: bool  # prior notice
    adopted: bool  # statement: whether the party's statement was adopted
    new_fine: str  # statement: the fine after review ("" when unchanged)
    attended: bool  # hearing: whether the party attended
    ground: str  # no-penalty decision: NoPenaltyGround
    kind: str  # transfer: TransferKind
    to: str  # transfer: the receiving organisation
    method: str  # service: ServiceMethod
    recipient: str  # service: who received the decision
    amount: str  # payment
    surcharge_due: str  # payment: the surcharge owed (《行政处罚法》第七十二条)
    receipt: str  # payment: receipt number
    channel: str  # disclosure
    days: int  # extension, suspension
    approver: str  # extension
    paid_on_spot: bool  # summary decision


class CaseEvent(SyncMixin, Base):
    """One procedural step as it happened: the case's timeline and the record behind each document."""

    __tablename__ = "case_event"

    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[CaseStatus] = enum_column(CaseStatus)
    to_status: Mapped[CaseStatus] = enum_column(CaseStatus)
    on_date: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    actor: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON details of the step: CaseEventData

    case: Mapped[PenaltyCase] = relationship(back_populates="events")

    @property
    def details(self) -> CaseEventData:
        """``data`` decoded (empty for a step that recorded no details)."""
        details: CaseEventData = json.loads(self.data or "{}")
        return details


class CoerciveMeasure(SyncMixin, Base):
    """查封/扣押 (行政强制法 art.24-28): ≤30 days, +≤30 with approval; item list in CoerciveItem."""

    __tablename__ = "coercive_measure"

    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    kind: Mapped[CoerciveKind] = enum_column(CoerciveKind)
    decision_number: Mapped[str] = mapped_column(String(48), default="")
    started_on: Mapped[date] = mapped_column(Date, index=True)
    period_days: Mapped[int] = mapped_column(Integer, default=30)
    extended_days: Mapped[int] = mapped_column(Integer, default=0)
    excluded_days: Mapped[int] = mapped_column(Integer, default=0)  # 检测、鉴定期间
    place: Mapped[str] = mapped_column(sealed_text(200), default="")  # sealed at rest (models/sealed.py)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CoerciveStatus] = enum_column(CoerciveStatus, default=CoerciveStatus.ACTIVE)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(String(200), default="")

    items: Mapped[list[CoerciveItem]] = relationship(
        back_populates="measure", order_by="CoerciveItem.position", cascade="all, delete-orphan"
    )


class CoerciveItem(SyncMixin, Base):
    __tablename__ = "coercive_item"

    measure_id: Mapped[int] = mapped_column(ForeignKey("coercive_measure.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(128))
    spec: Mapped[str] = mapped_column(String(64), default="")
    quantity: Mapped[str] = mapped_column(String(16), default="1")
    unit: Mapped[str] = mapped_column(String(8), default="件")
    note: Mapped[str] = mapped_column(String(128), default="")

    measure: Mapped[CoerciveMeasure] = relationship(back_populates="items")


class Transfer(SyncMixin, Base):
    """案件移送: to a competent department (协作备忘录) or to the police as a suspected crime (两法衔接)."""

    __tablename__ = "transfer"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    kind: Mapped[TransferKind] = enum_column(TransferKind)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    receiving_org: Mapped[str] = mapped_column(String(128))
    memo_reference: Mapped[str] = mapped_column(String(128), default="")  # 协作备忘录
    reason: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[str] = mapped_column(String(48), default="")
    transferred_on: Mapped[date] = mapped_column(Date, index=True)
    receipt_on: Mapped[date | None] = mapped_column(Date)  # 回执
    accepted: Mapped[bool | None] = mapped_column(Boolean)
