"""Demo data: ``small`` drives the real services through every procedure and outcome; ``township`` adds
ten years of one township in bulk (tools/demo/bulk/). Deterministic per seed; never reads the wall clock."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select

from models.base import SHANGHAI
from models.case import PenaltyCase
from models.catalogue import PowerItem
from models.enums import (
    CoerciveKind,
    CoerciveStatus,
    DiscretionTierName,
    IdType,
    InspectionResult,
    ItemResult,
    NoPenaltyGround,
    PartyKind,
    ProposedOutcome,
    RecordKind,
    Role,
    ServiceMethod,
    TransferKind,
)
from models.identifiers import resident_id_check_char, uscc_check_char
from models.labels import label
from services.core.cipher import DataKey
from services.core.clock import FixedClock
from services.core.db import Database, copy_sqlite
from services.core.errors import AppError
from services.core.uow import UnitOfWork
from services.documents.issuing import issue_document
from services.people import accounts, committees, trainings
from services.people.parties import create_party_record
from services.people.registry import OfficerInput, PartyInput, register_officer
from services.procedures import cases as C  # noqa: N812 - reads like the procedure steps it drives
from services.procedures import coercion, inspections
from services.procedures.attachments import attachment_store
from services.procedures.guard_rails import closing_documents
from services.reference.catalogue import scope_allows, statute_facts
from services.reference.org import set_squad_contact
from services.reference.setup import initialise, is_initialised
from tools.demo.case_records import CaseRecords
from tools.demo.mediation_seeds import seed_mediation

DEMO_TODAY = date(2026, 11, 20)
DEMO_PASSWORD = "demo12345"  # the demo administrator's (admin); `demo` prints it, README gives it
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "晓东", "海燕", "玉兰", "德明", "春梅", "国庆", "红梅"]
VILLAGES = ["新华村", "桥沟村", "石板村", "盐井村", "杨柳村", "金粟村", "青龙村", "茶花村"]
STREETS = ["桥沟街", "新华路", "盐码头街", "竹根大道", "菜市街", "滨河路", "工农街"]
SHOPS = ["小吃店", "烧烤店", "建材经营部", "五金店", "副食店", "茶馆", "餐馆", "理发店", "家电维修部", "水果店"]
COMPANIES = ["建筑工程有限公司", "混凝土有限公司", "物流有限公司", "餐饮管理有限公司", "环保科技有限公司"]
CHECKLISTS = {
    "市容环境卫生": ["门前三包落实情况", "店外经营、占道情况", "广告招牌设置", "垃圾收集容器"],
    "扬尘": ["围挡设置", "裸土覆盖", "车辆冲洗", "渣土运输密闭"],
    "油烟": ["油烟净化设施", "设施运行记录", "露天烧烤"],
    "噪声": ["音响音量", "作业时间", "夜间施工许可"],
    "生活垃圾": ["垃圾分类投放", "随意倾倒情况"],
    "校园周边": ["烟酒销售", "经营场所距离", "禁烟标识"],
}


@dataclass(frozen=True)
class DemoResult:
    scale: str
    seed: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    # The administrator the demo created ({"username", "password"}), None when the database was set up before.
    login: dict[str, str] | None = None
    # The recovery key of the data key the demo's set-up created (docs/encryption.md), None as ``login``.
    recovery_key: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class _Demo:
    def __init__(self, db: Database, seed: int, progress: Callable[[str, int], None] | None,
                 data_key: DataKey | None = None) -> None:
        self.db = db
        self.data_key = data_key  # the database's unlocked key: the demo writes as a signed-in administrator
        self.rng = random.Random(seed)
        self.clock = FixedClock(datetime(2024, 12, 1, 9, tzinfo=SHANGHAI))
        self.progress = progress or (lambda _m, _p: None)
        self.officers: list[str] = []
        self.reviewer = ""
        self.persons: list[str] = []
        self.orgs: list[str] = []
        self.businesses: list[str] = []
        self.items: list[tuple[str, str, Decimal | None, Decimal | None, str]] = []  # code, domain, min, max, scope
        self.committees: list[tuple[str, list[str]]] = []
        self.seq = 0
        self.records = CaseRecords(self.uow, "")

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, actor="demo", clock=self.clock, data_key=self.data_key)

    def close(self, uid: str, *, on: date) -> None:
        """结案 as a squad does it in the window: first every document the case's steps require is issued
        (services/procedures/guard_rails.py), then the case is closed."""
        for doc in closing_documents(self.uow(), uid):
            if not doc.issued:
                issue_document(self.uow(), doc.doc_type, uid)
        C.close_case(self.uow(), uid, on=on)

    def at(self, day: date) -> date:
        """Move the demo clock to ``day`` (steps refuse dates in the future) and return it."""
        if day > DEMO_TODAY:
            raise AssertionError(f"demo step dated {day} is after the demo's today {DEMO_TODAY}")
        self.clock.set_date(day)
        return day

    # -- people ----------------------------------------------------------------------------------------

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def resident_id(self, birth: date) -> str:
        self.seq += 1
        first17 = f"511112{birth:%Y%m%d}{self.seq % 1000:03d}"
        return first17 + resident_id_check_char(first17)

    def uscc(self, prefix: str) -> str:
        self.seq += 1
        org = f"{self.rng.randrange(10**7, 10**8)}"
        body = f"{prefix}511112MA{org[:6]}{self.seq % 10}"
        body = body[:17]
        return body + uscc_check_char(body)

    def phone(self) -> str:
        return f"1{self.rng.choice('358')}{self.rng.randrange(10**8, 10**9)}"

    def address(self) -> str:
        if self.rng.random() < 0.5:
            return f"五通桥区竹根镇{self.rng.choice(VILLAGES)}{self.rng.randint(1, 9)}组"
        return f"五通桥区竹根镇{self.rng.choice(STREETS)}{self.rng.randint(1, 180)}号"

    def seed_people(self) -> None:
        # Officers are registered one by one, as the squad leader does it in the 执法人员 screen.
        for i in range(12):
            valid_to = date(2028, 6, 30)
            if i == 10:
                valid_to = DEMO_TODAY + timedelta(days=20)  # expiring soon: shows on the home screen
            if i == 11:
                # Expired last month, renewal under way: refused by the guards, overdue on the 工作台.
                valid_to = DEMO_TODAY - timedelta(days=26)
            uid = register_officer(self.uow(), OfficerInput(
                name=self.name(), cert_number=f"5111122{i:05d}", cert_valid_from=date(2023, 7, 1),
                cert_valid_to=valid_to, role=Role.SQUAD_LEADER if i == 0 else Role.OFFICER,
                gender=self.rng.choice("男女"), phone=self.phone()))
            if i < 10:
                self.officers.append(uid)
        self.reviewer = register_officer(self.uow(), OfficerInput(
            name=self.name(), cert_number="511112900001", cert_valid_from=date(2023, 7, 1),
            cert_valid_to=date(2028, 6, 30), role=Role.LEGAL_REVIEWER, legal_qualification=True))
        self.records.reviewer_uid = self.reviewer
        # Parties through the party form's service (create_party_record), one at a time as they are met.
        party = lambda data: create_party_record(self.uow(), data).uid  # noqa: E731 - one unit of work each
        for _ in range(60):
            birth = date(self.rng.randint(1950, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28))
            self.persons.append(party(PartyInput(PartyKind.PERSON, self.name(), IdType.RESIDENT_ID,
                                                 self.resident_id(birth), address=self.address(), phone=self.phone())))
        self.minor = party(PartyInput(PartyKind.PERSON, self.name(), IdType.RESIDENT_ID,
                                      self.resident_id(date(2009, 4, 3)), address=self.address()))
        for _ in range(15):
            self.orgs.append(party(PartyInput(
                PartyKind.ORGANISATION, f"乐山市五通桥区{self.name()[0]}{self.rng.choice('鑫盛达兴源华')}"
                f"{self.rng.choice(COMPANIES)}", IdType.USCC, self.uscc("91"), address=self.address(),
                phone=self.phone(), legal_rep=self.name(), legal_rep_title="总经理")))
        for _ in range(20):
            owner = self.name()
            self.businesses.append(party(PartyInput(
                PartyKind.INDIVIDUAL_BUSINESS, f"五通桥区{owner}{self.rng.choice(SHOPS)}", IdType.USCC,
                self.uscc("92"), address=self.address(), phone=self.phone(), legal_rep=owner,
                legal_rep_title="经营者")))
        with self.uow() as u:
            for it in u.session.scalars(select(PowerItem).order_by(PowerItem.code)):
                self.items.append((it.code, it.domain, it.fine_min, it.fine_max, it.party_scope.value))
        for v in VILLAGES[:4]:
            cuid = committees.create_committee(self.uow(), name=f"竹根镇{v}人民调解委员会", term_start=date(2024, 1, 1))
            mids = [committees.add_mediator(self.uow(), cuid, name=self.name(), gender=g, is_chair=(k == 0))
                    for k, g in enumerate(("男", "女", "男"))]
            self.committees.append((cuid, mids))

    # -- helpers --------------------------------------------------------------------------------------

    def pair(self) -> list[str]:
        return self.rng.sample(self.officers, 2)

    def item_for(self, party_uid: str, *, fined: bool = True, cap: Decimal | None = None) -> tuple[str, Decimal, Decimal]:
        kind = PartyKind.PERSON if party_uid in self.persons or party_uid == getattr(self, "minor", "") else (
            PartyKind.ORGANISATION if party_uid in self.orgs else PartyKind.INDIVIDUAL_BUSINESS)
        with self.uow() as u:
            candidates = []
            for code, _dom, lo, hi, _scope in self.items:
                item = u.session.scalar(select(PowerItem).where(PowerItem.code == code))
                assert item is not None
                if not scope_allows(item, kind) or (fined and (lo is None or hi is None)):
                    continue
                if cap is not None and (lo or Decimal(0)) > cap:
                    continue
                candidates.append((code, lo or Decimal(0), hi or Decimal(0)))
        return self.rng.choice(candidates)

    def fine_in(self, lo: Decimal, hi: Decimal, frac: float = 0.5) -> Decimal:
        raw = lo + (hi - lo) * Decimal(str(frac))
        step = Decimal(100) if hi >= 2000 else Decimal(10)
        value = (raw / step).to_integral_value() * step
        return min(max(value, lo), hi)

    def party(self) -> str:
        return self.rng.choice(self.persons + self.businesses + self.orgs)

    # -- inspections -----------------------------------------------------------------------------------

    def seed_inspections(self, n: int) -> list[str]:
        camps = []
        for name, start, dom in (("国道213线扬尘整治", date(2025, 3, 1), "扬尘"),
                                 ("校园周边食品安全整治", date(2025, 8, 20), "校园周边"),
                                 ("夜间市容市貌集中管理", date(2026, 5, 1), "市容环境卫生"),
                                 ("露天烧烤专项整治", date(2026, 6, 1), "油烟")):
            self.at(start)
            camps.append((inspections.create_campaign(self.uow(), inspections.CampaignInput(
                name=name, start_date=start, end_date=start + timedelta(days=90), domain=dom)), start, dom))
        days = sorted(date(2025, 1, 2) + timedelta(days=self.rng.randrange(0, 680)) for _ in range(n))
        # The last few days' orders to rectify: their re-inspections fall due in the coming days (the 工作台).
        recent = [DEMO_TODAY - timedelta(days=d) for d in (9, 6, 4, 2)]
        days[-len(recent):] = recent
        ordered: list[tuple[str, date, str, str]] = []
        for k, day in enumerate(days):
            if k % 25 == 0:
                self.progress("检查记录", 10 + 30 * k // n)
            camp = next(((c, st, d) for c, st, d in camps if st <= day <= st + timedelta(days=90)), None)
            domain = camp[2] if camp and self.rng.random() < 0.7 else self.rng.choice(list(CHECKLISTS))
            roll = self.rng.random()
            result = (InspectionResult.PASSED if roll < 0.6 else InspectionResult.RECTIFIED_ON_SPOT if roll < 0.8
                      else InspectionResult.ORDERED if roll < 0.97 else InspectionResult.TRANSFERRED)
            if k >= n - len(recent):
                result = InspectionResult.ORDERED
            lines = CHECKLISTS[domain]
            bad = self.rng.randrange(len(lines)) if result is not InspectionResult.PASSED else -1
            start = datetime(day.year, day.month, day.day, self.rng.randint(8, 20), self.rng.choice((0, 15, 30)),
                             tzinfo=SHANGHAI)
            self.at(day)
            summary_party = self.rng.choice(self.businesses + self.orgs)
            summary = inspections.record_inspection(self.uow(), inspections.InspectionInput(
                started_at=start, ended_at=start + timedelta(minutes=self.rng.randint(20, 90)),
                place=self.address(), officer_uids=self.pair(), result=result, domain=domain,
                items=[inspections.ChecklistLine(t, ItemResult.PROBLEM if i == bad else ItemResult.OK,
                                                 "现场发现问题" if i == bad else "") for i, t in enumerate(lines)],
                party_uid=summary_party,
                campaign_uid=camp[0] if camp and domain == camp[2] else None,
                findings="" if bad < 0 else f"{lines[bad]}不符合要求",
                rectification_deadline=day + timedelta(days=7) if result is InspectionResult.ORDERED else None,
                vehicle_turnout=self.rng.randint(0, 2), businesses_inspected=self.rng.randint(1, 4),
                transfer_to="区市场监督管理局" if result is InspectionResult.TRANSFERRED else "",
            ))
            if result is InspectionResult.ORDERED:
                ordered.append((summary.uid, day, summary.place, summary_party))
        self.at(DEMO_TODAY - timedelta(days=40))
        for uid, day, place, party in ordered:
            re_day = day + timedelta(days=self.rng.randint(6, 12))
            if re_day >= DEMO_TODAY or (re_day >= DEMO_TODAY - timedelta(days=30) and self.rng.random() < 0.15):
                continue  # not yet re-inspected (due soon or a few days late): the home screen's open work
            start = datetime(re_day.year, re_day.month, re_day.day, 10, tzinfo=SHANGHAI)
            self.at(re_day)
            inspections.record_inspection(self.uow(), inspections.InspectionInput(
                started_at=start, ended_at=start + timedelta(minutes=30), place=place, officer_uids=self.pair(),
                party_uid=party,
                result=InspectionResult.PASSED, items=[inspections.ChecklistLine("整改落实情况", ItemResult.OK)],
                reinspection_of_uid=uid, findings=""))
        self.at(DEMO_TODAY)
        inspections.generate_reinspection_tasks(self.uow())
        return [u for u, *_ in ordered]

    # -- penalty cases -----------------------------------------------------------------------------------

    def clue(self, party: str, day: date, code: str, cause: str = "") -> str:
        self.at(day)
        if not cause:
            with self.uow() as u:
                name = u.session.scalar(select(PowerItem.name).where(PowerItem.code == code)) or code
            cause = name.split("（")[0][:60]
        c = C.register_clue(self.uow(), C.ClueInput(
            cause=cause, power_item_code=code, party_uid=party,
            act_date=day - timedelta(days=self.rng.randint(0, 5)), discovered_on=day, registered_on=day,
            place=self.address(), facts="执法人员巡查发现当事人实施上述行为，经现场检查和询问属实。"))
        return c.uid

    def general(self, day: date, *, stop: str, fine_frac: float = 0.5, party: str | None = None) -> str:
        """Drive one general-procedure case up to the step named ``stop``."""
        party = party or self.rng.choice(self.persons + self.businesses)
        code, lo, hi = self.item_for(party)
        uid = self.clue(party, day, code)
        if stop == "clue":
            return uid
        d = self.at(day + timedelta(days=1))
        C.file_case(self.uow(), uid, on=d, officer_uids=self.pair())
        self.records.investigation(uid, d)
        if stop == "investigating":
            return uid
        if statute_facts(code).refusal_first:  # 噪声污染防治法第八十二条: ordered on the spot, refused at the recheck
            C.record_refusal(self.uow(), uid, on=d, educated=True, ordered_on=day, order_number=f"现场责改〔{day.year}〕"
                             f"{day:%m%d}号", refused_on=d, facts="执法人员说服教育并责令当场改正，次日复查时当事人仍未改正")
        fine = self.fine_in(lo, hi, fine_frac)
        d = self.at(d + timedelta(days=10))
        # The tier whose band the fine falls in (裁量基准: 从轻 below 30 % of the range, 从重 above 70 %); a fine the
        # catalogue's own bands put elsewhere carries the reason the window would ask for.
        tier = (DiscretionTierName.MINOR if fine_frac < 0.3 else DiscretionTierName.ORDINARY if fine_frac <= 0.7
                else DiscretionTierName.SERIOUS)
        C.conclude_investigation(self.uow(), uid, on=d, data=C.ConclusionInput(
            ProposedOutcome.PENALTY, tier, fine, reasons=f"违法情节{label(tier)}",
            deviation="违法行为持续时间、涉及面积与同类案件相比有所不同，经集体研究酌定"))
        self.records.report(uid, d, f"建议依法给予罚款{fine}元的行政处罚。")
        if stop == "reviewing":
            return uid
        d = self.at(d + timedelta(days=2))
        if stop != "notified":
            self._reviews(uid, d)
        C.give_prior_notice(self.uow(), uid, on=d)
        self.records.notices(uid, d)
        if stop == "notified":
            return uid
        d = self.at(self._after_statement_period(uid))
        C.end_statement_period(self.uow(), uid, on=d)
        if stop == "pending":
            return uid
        self._reviews(uid, d)
        C.decide_penalty(self.uow(), uid, on=d, fine=fine)
        if stop == "decided":
            return uid
        d = self.at(d + timedelta(days=2))
        C.serve_decision(self.uow(), uid, on=d, method=ServiceMethod.DIRECT)
        self.records.serve(uid, "penalty_decision", d)
        if stop != "undisclosed":
            C.disclose(self.uow(), uid, on=d)
        if stop in ("executing", "undisclosed"):
            return uid
        if stop == "enforcing":
            d = self.at(d + timedelta(days=20))
            C.start_enforcement(self.uow(), uid, on=d)
            return uid
        d = self.at(d + timedelta(days=8))
        C.record_payment(self.uow(), uid, on=d, amount=fine, receipt_number=f"SC{self.rng.randrange(10**9):09d}")
        if stop == "executed":
            return uid
        d = self.at(d + timedelta(days=3))
        self.close(uid, on=d)
        if stop == "closed":
            return uid
        d = self.at(d + timedelta(days=10))
        C.archive_case(self.uow(), uid, on=d)
        return uid

    def _after_statement_period(self, uid: str) -> date:
        """The first day the statement (and hearing request) period has run out."""
        dues = [d.due_on for d in C.get_case(self.uow(), uid).deadlines
                if d.kind in ("statement_period", "hearing_request")]
        return max(dues) + timedelta(days=1)

    def _reviews(self, uid: str, d: date) -> None:
        """Legal review and collective discussion when the case needs them (art.57-58)."""
        with self.uow() as u:
            case = C.load_case(u.session, uid)
            need_review = case.legal_review_required and case.legal_review_passed_on is None
            need_collective = case.collective_required and case.collective_discussed_on is None
        if need_review:
            C.record_legal_review(self.uow(), uid, on=d, passed=True, opinion="事实清楚，证据确凿，程序合法，适用依据正确，同意",
                                  reviewer_uid=self.reviewer)
        if need_collective:
            C.record_collective_discussion(self.uow(), uid, on=d, conclusion="同意按拟定意见作出处罚决定",
                                           participants=["镇长", "分管副镇长", "中队长"])
        self.records.reviews(uid, d, legal=need_review, collective=need_collective)

    def seed_cases(self) -> int:
        n = 0
        base = date(2025, 1, 6)
        plan = ["archived"] * 8 + ["closed"] * 4 + ["executed", "enforcing", "executing", "undisclosed", "decided",
                                                     "pending", "notified", "reviewing", "investigating", "clue"]
        for k, stop in enumerate(plan):
            self.progress("行政处罚案件", 45 + k)
            day = base + timedelta(days=25 * k) if stop in ("archived", "closed", "executed") else (
                DEMO_TODAY - timedelta(days={"enforcing": 60, "executing": 42, "undisclosed": 40, "decided": 32,
                                             "pending": 30, "notified": 16, "reviewing": 15}.get(stop, 5)))
            self.general(day, stop=stop, fine_frac=self.rng.random())
            n += 1
        # A large organisation fine: legal review, collective discussion, hearing rights (art.58, 57, 63).
        org = self.rng.choice(self.orgs)
        self.hearing_case(date(2025, 9, 1), org)
        self.general(date(2025, 10, 8), stop="archived", fine_frac=1.0, party=org)
        n += 2
        # No penalty (first violation), transfers, termination, refused filing, minor.
        d0 = date(2025, 11, 3)
        uid = self.clue(self.rng.choice(self.businesses), d0, self.item_for(self.businesses[0])[0])
        C.file_case(self.uow(), uid, on=self.at(d0 + timedelta(days=1)), officer_uids=self.pair())
        self.records.investigation(uid, d0 + timedelta(days=1))
        C.conclude_investigation(self.uow(), uid, on=self.at(d0 + timedelta(days=8)), data=C.ConclusionInput(
            ProposedOutcome.NO_PENALTY, no_penalty_ground=NoPenaltyGround.FIRST_VIOLATION))
        self.records.report(uid, d0 + timedelta(days=8), "当事人系初次违法，危害后果轻微并及时改正，建议不予行政处罚。")
        C.decide_no_penalty(self.uow(), uid, on=self.at(d0 + timedelta(days=8)), ground=NoPenaltyGround.FIRST_VIOLATION,
                            reasons="当事人系初次违法，危害后果轻微并及时改正，已对其进行批评教育")
        C.serve_decision(self.uow(), uid, on=self.at(d0 + timedelta(days=9)), method=ServiceMethod.DIRECT)
        self.records.serve(uid, "no_penalty_decision", d0 + timedelta(days=9))
        self.close(uid, on=self.at(d0 + timedelta(days=12)))
        for kind, org_name, day in ((TransferKind.JUDICIARY, "乐山市公安局五通桥区分局", date(2026, 2, 9)),
                                    (TransferKind.DEPARTMENT, "五通桥区市场监督管理局", date(2026, 4, 13))):
            uid = self.clue(self.rng.choice(self.orgs), day, self.item_for(self.orgs[0])[0])
            C.file_case(self.uow(), uid, on=self.at(day + timedelta(days=1)), officer_uids=self.pair())
            self.records.investigation(uid, day + timedelta(days=1))
            self.records.report(uid, self.at(day + timedelta(days=5)), f"建议将本案移送{org_name}依法处理。")
            C.transfer_case(self.uow(), uid, on=self.at(day + timedelta(days=5)), kind=kind, receiving_org=org_name,
                            reason="涉嫌犯罪，依法移送" if kind is TransferKind.JUDICIARY else "不属于本机关管辖",
                            memo_reference="" if kind is TransferKind.JUDICIARY else "《协作备忘录》")
            if kind is TransferKind.DEPARTMENT:
                # The receiving department acknowledged it: the case is closed (its 办案期限 stays met by the
                # transfer, services/procedures/deadlines.py). The police transfer stays open awaiting their answer.
                self.close(uid, on=self.at(day + timedelta(days=20)))
        # Open at each remaining stage: a hearing requested, a no-penalty decision awaiting service, a transfer.
        org2 = self.rng.choice(self.orgs)
        uid = self.clue(org2, DEMO_TODAY - timedelta(days=30), "YC-001", cause="施工工地未采取有效防尘降尘措施")
        C.file_case(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=29)), officer_uids=self.pair())
        C.conclude_investigation(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=20)), data=C.ConclusionInput(
            ProposedOutcome.PENALTY, DiscretionTierName.GRAVE, Decimal(100000), reasons="重污染天气应急期间违法"))
        self._reviews(uid, DEMO_TODAY - timedelta(days=20))
        C.give_prior_notice(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=6)))
        C.request_hearing(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=4)))
        uid = self.clue(self.rng.choice(self.businesses), DEMO_TODAY - timedelta(days=9),
                        self.item_for(self.businesses[0])[0])
        C.file_case(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=8)), officer_uids=self.pair())
        C.conclude_investigation(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=3)), data=C.ConclusionInput(
            ProposedOutcome.NO_PENALTY, no_penalty_ground=NoPenaltyGround.MINOR_CORRECTED))
        C.decide_no_penalty(self.uow(), uid, on=DEMO_TODAY - timedelta(days=3), ground=NoPenaltyGround.MINOR_CORRECTED,
                            reasons="违法行为轻微并及时改正，没有造成危害后果，已批评教育")
        uid = self.clue(self.rng.choice(self.orgs), DEMO_TODAY - timedelta(days=14), self.item_for(self.orgs[0])[0])
        C.file_case(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=13)), officer_uids=self.pair())
        C.transfer_case(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=7)), kind=TransferKind.JUDICIARY,
                        receiving_org="乐山市公安局五通桥区分局", reason="倾倒建筑垃圾数量巨大，涉嫌污染环境罪")
        n += 3
        uid = self.general(date(2026, 6, 1), stop="investigating")
        C.terminate_case(self.uow(), uid, on=self.at(date(2026, 6, 20)), reason="当事人死亡，案件终止调查")
        uid = self.clue(self.rng.choice(self.persons), date(2026, 7, 6), self.item_for(self.persons[0])[0])
        C.refuse_filing(self.uow(), uid, on=self.at(date(2026, 7, 7)), reason="经核查违法事实不成立，不予立案")
        # A 17-year-old party: only the 轻微/减轻 tiers are allowed (art.30). Recent, so it is still within its
        # 办案期限 while it waits for the decision.
        code, lo, hi = self.item_for(self.minor)
        uid = self.clue(self.minor, DEMO_TODAY - timedelta(days=50), code)
        C.file_case(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=49)), officer_uids=self.pair())
        C.conclude_investigation(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=43)), data=C.ConclusionInput(
            ProposedOutcome.PENALTY, DiscretionTierName.MINOR, lo, reasons="当事人系未成年人，依法从轻处罚"))
        n += 6
        # Coercive measure on an open case, on an item whose law authorises it (行政强制法第十条; YY-002: 大气污染防治法
        # 第三十条).
        uid = self.clue(self.rng.choice(self.businesses), DEMO_TODAY - timedelta(days=12), "YY-002")
        C.file_case(self.uow(), uid, on=self.at(DEMO_TODAY - timedelta(days=11)), officer_uids=self.pair())
        self.at(DEMO_TODAY - timedelta(days=10))
        m = coercion.impose(self.uow(), uid, kind=CoerciveKind.IMPOUND, on=DEMO_TODAY - timedelta(days=10),
                            officer_uids=self.pair(), items=[coercion.SeizedItem("烧烤炉", "2", "台"),
                                                              coercion.SeizedItem("液化气罐", "1", "个")],
                            reason="露天烧烤，经劝阻拒不改正", place="滨河路", head_approved=True)
        del m
        n += 1
        self.court_case(date(2025, 12, 1))
        n += 1
        n += self.seed_summary()
        return n

    def court_case(self, day: date) -> str:
        """A fine never paid: 催告, then the application to the court once the six months for a lawsuit have run
        (行政诉讼法第四十六条; 《行政强制法》第五十三条); with a site photo and a 先行登记保存 in its file."""
        uid = self.general(day, stop="enforcing", party=self.rng.choice(self.persons))
        with self.uow() as u:
            case = C.load_case(u.session, uid)
            filed, served = case.filed_on, case.served_on
        assert filed is not None and served is not None
        self.records.site_evidence(uid, filed, attachment_store(self.db.path))
        self.records.court_application(uid, self.at(served + timedelta(days=190)))
        return uid

    def hearing_case(self, day: date, org: str) -> str:
        """A complete general case with a hearing: every record of its file entered (tools/demo/case_records.py)."""
        code, hi = "YC-001", Decimal(100000)
        uid = self.clue(org, day, code, cause="施工工地未采取有效防尘降尘措施")
        C.file_case(self.uow(), uid, on=self.at(day + timedelta(days=1)), officer_uids=self.pair())
        self.records.investigation(uid, day + timedelta(days=1))
        C.conclude_investigation(self.uow(), uid, on=self.at(day + timedelta(days=9)), data=C.ConclusionInput(
            ProposedOutcome.PENALTY, DiscretionTierName.GRAVE, hi, reasons="重污染天气期间违法", complex_case=True))
        self.records.report(uid, day + timedelta(days=9), "建议依法给予罚款十万元的行政处罚。")
        C.give_prior_notice(self.uow(), uid, on=self.at(day + timedelta(days=10)))
        self.records.notices(uid, day + timedelta(days=10))
        self.records.statement(uid, self.at(day + timedelta(days=11)))
        C.request_hearing(self.uow(), uid, on=self.at(day + timedelta(days=12)))
        presider = next(o for o in self.officers if o not in self.records.officers(uid))
        held = datetime.combine(day + timedelta(days=30), datetime.min.time(), SHANGHAI).replace(hour=9, minute=30)
        C.schedule_hearing(self.uow(), uid, on=self.at(day + timedelta(days=14)), hearing_on=held.date(),
                           hearing_time="09:30", place="镇政府三楼会议室",
                           presider=self.records.names([presider])[0], clerk="党政办工作人员")
        self.records.summons(uid, self.at(day + timedelta(days=14)), held, presider)
        C.record_hearing(self.uow(), uid, on=self.at(held.date()), party_attended=True,
                         minutes="当事人对事实无异议，请求从轻处罚")
        self.records.hearing(uid, held, presider)
        self._reviews(uid, self.at(day + timedelta(days=33)))
        C.decide_penalty(self.uow(), uid, on=self.at(day + timedelta(days=33)), fine=Decimal(80000))
        C.serve_decision(self.uow(), uid, on=self.at(day + timedelta(days=35)), method=ServiceMethod.DIRECT)
        self.records.serve(uid, "penalty_decision", day + timedelta(days=35))
        C.disclose(self.uow(), uid, on=self.at(day + timedelta(days=36)))
        C.record_payment(self.uow(), uid, on=self.at(day + timedelta(days=45)), amount=Decimal(80000),
                         receipt_number="SC000080000")
        self.close(uid, on=self.at(day + timedelta(days=50)))
        return uid

    def seed_summary(self) -> int:
        n = 0
        for k in range(8):
            # The last one was decided this week: its filing and payment fall due in the coming days.
            day = date(2025, 2, 3) + timedelta(days=70 * k) if k < 7 else DEMO_TODAY - timedelta(days=3)
            party = self.rng.choice(self.persons)
            code, lo, hi = self.item_for(party, cap=Decimal(200))
            fine = min(hi, Decimal(200), max(lo, Decimal(50)))
            on_spot = fine <= 100 and k % 2 == 0
            self.at(day)
            refusal_first = statute_facts(code).refusal_first  # 噪声污染防治法第八十二条: ordered, then refused
            c = C.summary_penalty(self.uow(), C.SummaryInput(
                party_uid=party, power_item_code=code, officer_uids=self.pair(), act_date=day, decided_on=day,
                fine=fine, cause="当场查获违法行为", place=self.address(), facts="当事人对违法事实无异议",
                paid_on_spot=on_spot, receipt_number=f"PJ{k:06d}" if on_spot else "",
                ordered_on=day if refusal_first else None,
                order_number=f"现场责改〔{day.year}〕{day:%m%d}号" if refusal_first else "",
                refusal_facts="经说服教育并责令当场改正，当事人拒不改正" if refusal_first else ""))
            if k == 7:
                n += 1
                continue  # an unfiled, unpaid on-the-spot decision: shows up as due
            C.file_summary(self.uow(), c.uid, on=self.at(day + timedelta(days=1)))
            if not on_spot:
                C.record_payment(self.uow(), c.uid, on=self.at(day + timedelta(days=6)), amount=fine,
                                 receipt_number=f"SC{k:09d}")
            self.close(c.uid, on=self.at(day + timedelta(days=7)))
            n += 1
        return n

    def seed_mediation(self, n: int) -> None:
        seed_mediation(self, n)  # tools/demo/mediation_seeds.py

    def seed_accounts(self) -> None:
        """Accounts for the squad leader and the legal reviewer, as the 用户账户 screen opens them: the demo's
        password, to be changed at their first login."""
        for username, officer, role in (("duizhang", self.officers[0], Role.SQUAD_LEADER),
                                        ("fashen", self.reviewer, Role.LEGAL_REVIEWER)):
            accounts.open_account(self.uow(), username=username, role=role, officer=officer, password=DEMO_PASSWORD)

    def seed_trainings(self) -> None:
        for k, title in enumerate(("《行政处罚法》专题培训", "执法文书规范制作培训", "执法记录仪使用培训",
                                   "人民调解业务培训", "扬尘治理执法培训", "“通法堂”法治讲座")):
            day = date(2025, 3, 10) + timedelta(days=95 * k)
            self.at(day)
            trainings.record_training(self.uow(), title=title, held_on=day,
                                      officer_uids=self.rng.sample(self.officers, self.rng.randint(5, 10)),
                                      organiser="区司法局", hours=self.rng.choice((2, 3, 4)))


def generate_demo(db: Database, *, scale: Literal["small", "township"] = "small", seed: int = 1,
                  progress: Callable[[str, int], None] | None = None, data_key: DataKey | None = None,
                  encrypt: bool = True) -> DemoResult:
    """Fill a database with demo records. Refuses a database that already holds cases.

    A database set up here gets its data key here (``encrypt=False``: none, as earlier versions made it — the
    upgrade's tests start from that); one set up before needs its unlocked ``data_key``."""
    started = time.perf_counter()
    demo = _Demo(db, seed, progress, data_key)
    login, recovery = None, None
    if not is_initialised(db):
        login = {"username": "admin", "password": DEMO_PASSWORD}
        made = initialise(db, demo.uow(), township="竹根镇", squad="竹根镇综合行政执法中队", district="乐山市五通桥区",
                   division_code="511112", doc_prefix="竹综执", admin_username=login["username"],
                   admin_password=DEMO_PASSWORD,
                   catalogue_effective_from=date(2016, 1, 1),  # ten years of history need the items in force
                   encrypt=encrypt)
        demo.data_key, recovery = made.data_key, made.recovery_key
        # Documents print the squad's office as the place for statements and its phone as the contact: set as the
        # squad leader sets them in 设置 → 本镇信息.
        set_squad_contact(demo.uow(), address="乐山市五通桥区竹根镇新华路8号", phone="0833-3301234")
    with demo.uow() as u:
        if (u.session.scalar(select(func.count()).select_from(PenaltyCase)) or 0) > 0:
            raise AppError("数据库中已有业务数据，不能再生成演示数据；请指定一个新的数据库文件")
    counts: dict[str, int] = {}
    if scale == "township":
        # Ten years in bulk first (it refuses a database that already has cases), then the
        # service-driven records on top, so every screen also has fresh cases in every state.
        from tools.demo.bulk import generate_township

        demo.progress("乡镇十年数据（批量）", 3)
        counts.update(generate_township(db, seed=seed, today=DEMO_TODAY, progress=progress,
                                        data_key=demo.data_key))
        from services.maintenance.at_rest import fill_masked

        fill_masked(db)  # the bulk writer inserts around the ORM: lists read the masked columns
    demo.progress("人员与当事人", 5)
    demo.seed_people()
    demo.seed_accounts()
    demo.seed_inspections(200)
    demo.seed_cases()
    demo.seed_mediation(30)
    demo.seed_trainings()
    with db.engine.connect() as conn:
        for table in (RecordKind.INSPECTION, RecordKind.PENALTY_CASE, RecordKind.MEDIATION_CASE, RecordKind.PARTY,
                      RecordKind.OFFICER, RecordKind.CAMPAIGN, RecordKind.TRAINING, RecordKind.COERCIVE_MEASURE,
                      RecordKind.TRANSFER, "audit_event"):
            counts[table] = int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0)  # noqa: S608 - a constant table name
    demo.progress("完成", 100)
    return DemoResult(scale, seed, round(time.perf_counter() - started, 2), counts, login, recovery)


def demo_clock() -> FixedClock:
    """A clock standing on the demo's "today" (screenshots and tests of demo data)."""
    return FixedClock(datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 9, tzinfo=SHANGHAI))


def generate_demo_file(path: Path, *, scale: Literal["small", "township"] = "small", seed: int = 1,
                       progress: Callable[[str, int], None] | None = None, encrypt: bool = True) -> DemoResult:
    """Generate into a scratch copy and copy it over ``path`` only when everything succeeded.

    A failure half-way (disk full, a refused step) therefore leaves the target database as it was.
    """
    scratch = path.with_name(path.name + ".demo-tmp")
    for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
        leftover.unlink(missing_ok=True)
    if path.exists():
        copy_sqlite(path, scratch)
    db = Database.open(scratch)
    try:
        result = generate_demo(db, scale=scale, seed=seed, progress=progress, encrypt=encrypt)
    except BaseException:
        db.dispose()
        for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    db.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    copy_sqlite(scratch, path)
    for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
        leftover.unlink(missing_ok=True)
    return result


__all__ = ["CoerciveStatus", "DemoResult", "generate_demo", "generate_demo_file"]
