"""Pick-lists of the record forms: catalogue items, committees, dispute categories, campaigns, re-inspections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from models.catalogue import PowerItem
from models.enums import InspectionResult, PartyKind
from models.inspection import Campaign, Inspection
from models.mediation import DisputeCategory, MediationCommittee
from models.party import Party
from services.core.uow import UnitOfWork
from services.people.parties import PartyInfo, party_info
from services.reference.catalogue import scope_allows

# -- pick-lists ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PowerItemChoice:
    code: str
    name: str
    domain: str
    range_text: str
    penalty_provision: str
    penalty_types: str
    fine_min: Decimal | None
    fine_max: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}（{self.range_text}）"


def power_item_choices(uow: UnitOfWork, *, on: date, party_kind: PartyKind | None = None,
                       domain: str | None = None) -> list[PowerItemChoice]:
    """Catalogue items in force on ``on`` (the version then in force, art.37) that apply to ``party_kind``."""
    with uow:
        stmt = select(PowerItem).where(PowerItem.deleted_at.is_(None)).order_by(PowerItem.code, PowerItem.item_version)
        latest: dict[str, PowerItem] = {}
        for item in uow.session.scalars(stmt):
            if item.in_force_on(on):
                latest[item.code] = item  # ordered by version: the last one in force wins
        out = []
        for item in latest.values():
            if party_kind is not None and not scope_allows(item, party_kind):
                continue
            if domain and item.domain != domain:
                continue
            out.append(PowerItemChoice(item.code, item.name, item.domain, item.statutory_range_text,
                                       item.penalty_provision, item.penalty_types, item.fine_min, item.fine_max))
        return out


def committee_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(uid, name) of the people's mediation committees."""
    with uow:
        rows = uow.session.execute(
            select(MediationCommittee.uid, MediationCommittee.name)
            .where(MediationCommittee.deleted_at.is_(None)).order_by(MediationCommittee.name)
        ).all()
        return [(uid, name) for uid, name in rows]


def category_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, name) of the active dispute categories, in the district form's order."""
    with uow:
        rows = uow.session.execute(
            select(DisputeCategory.code, DisputeCategory.name)
            .where(DisputeCategory.active.is_(True), DisputeCategory.deleted_at.is_(None))
            .order_by(DisputeCategory.position, DisputeCategory.code)
        ).all()
        return [(code, name) for code, name in rows]


@dataclass(frozen=True, slots=True)
class CampaignChoice:
    uid: str
    name: str
    domain: str
    start_date: date
    end_date: date | None

    @property
    def label(self) -> str:
        end = self.end_date.isoformat() if self.end_date else "至今"
        return f"{self.name}（{self.start_date.isoformat()}—{end}）"


def campaign_choices(uow: UnitOfWork, *, on: date | None = None) -> list[CampaignChoice]:
    """Campaigns running on ``on`` (all campaigns when ``on`` is None), newest first."""
    with uow:
        stmt = select(Campaign).where(Campaign.deleted_at.is_(None))
        if on is not None:
            stmt = stmt.where(Campaign.start_date <= on, (Campaign.end_date.is_(None)) | (Campaign.end_date >= on))
        stmt = stmt.order_by(Campaign.start_date.desc(), Campaign.name)
        return [CampaignChoice(c.uid, c.name, c.domain, c.start_date, c.end_date) for c in uow.session.scalars(stmt)]


@dataclass(frozen=True, slots=True)
class InspectionChoice:
    """An inspection with an open rectification order, offered as the original of a re-inspection."""

    uid: str
    number: str
    inspected_on: date
    place: str
    domain: str
    deadline: date | None
    party: PartyInfo | None

    @property
    def label(self) -> str:
        due = f"，整改期限{self.deadline.isoformat()}" if self.deadline else ""
        who = f" {self.party.name}" if self.party else ""
        return f"{self.number} {self.inspected_on.isoformat()} {self.place}{who}{due}"


def reinspection_candidates(uow: UnitOfWork, *, on: date, party_uid: str | None = None,
                            limit: int = 100) -> list[InspectionChoice]:
    """Inspections ordered to rectify (责令限期整改) on or before ``on`` and not yet re-inspected."""
    with uow:
        s = uow.session
        done = select(Inspection.reinspection_of_id).where(Inspection.reinspection_of_id.is_not(None),
                                                           Inspection.deleted_at.is_(None))
        stmt = (select(Inspection).where(Inspection.result == InspectionResult.ORDERED,
                                         Inspection.deleted_at.is_(None), Inspection.inspected_on <= on,
                                         Inspection.id.not_in(done))
                .order_by(Inspection.rectification_deadline, Inspection.number).limit(max(1, min(limit, 500))))
        if party_uid:
            stmt = stmt.join(Party, Party.id == Inspection.party_id).where(Party.uid == party_uid)
        return [InspectionChoice(i.uid, i.number, i.inspected_on, i.place, i.domain, i.rectification_deadline,
                                 party_info(i.party) if i.party else None) for i in s.scalars(stmt)]


# Four usual checklist lines per enforcement domain (a starting point; officers edit them freely).
_CHECKLISTS: dict[str, tuple[str, ...]] = {
    "市容环境卫生": ("门前三包责任落实", "店外经营、占道情况", "户外广告招牌设置", "垃圾收集容器设置"),
    "占道": ("占用道路经营或堆放", "挖掘道路审批手续", "施工围挡与警示标志", "道路恢复情况"),
    "违法建设": ("乡村建设规划许可证", "按许可内容建设", "施工现场公示牌", "占用耕地情况"),
    "扬尘": ("硬质围挡设置", "裸土覆盖", "车辆冲洗设施", "渣土运输密闭"),
    "油烟": ("油烟净化设施安装", "净化设施运行及清洗记录", "油烟排放口位置", "露天烧烤"),
    "焚烧": ("露天焚烧垃圾、秸秆", "焚烧沥青、塑料等有毒物质", "焚烧痕迹及残留物", "防火宣传告知"),
    "生活垃圾": ("垃圾分类投放", "随意倾倒、堆放情况", "收集容器及清运记录", "门前清扫保洁"),
    "建筑垃圾": ("建筑垃圾处置核准", "运输车辆密闭及备案", "倾倒地点合规", "施工现场暂存与覆盖"),
    "噪声": ("音响设备音量", "作业时间", "夜间施工许可", "降噪措施"),
    "校园周边": ("向未成年人销售烟酒", "营业场所与学校距离", "禁烟标识设置", "周边流动摊贩"),
}
_GENERIC_CHECKLIST = ("经营（施工）许可手续", "现场秩序与卫生", "安全防护措施", "整改要求落实情况")


def checklist_template(domain: str) -> list[str]:
    """The usual checklist lines for ``domain`` (generic lines for a domain without a template)."""
    return list(_CHECKLISTS.get(domain, _GENERIC_CHECKLIST))
