"""The procedure gaps of issue 16 closed: each refused with its article, each [L] threshold changing the outcome."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from models.catalogue import PowerItem
from models.enums import (
    CaseStatus,
    DiscretionTierName,
    NoPenaltyGround,
    PartyScope,
    ProposedOutcome,
    ServiceMethod,
)
from models.org import Squad
from models.party import Party
from services.core.errors import TransitionRefused, ValidationError
from services.documents.issuing import gather_snapshot, render
from services.documents.registry import get_type
from services.procedures import cases as c
from services.procedures import legal_guards as lg
from services.reference.catalogue import apply_shipped_corrections, current_item
from services.reference.settings import set_setting
from tests.services.conftest import World
from tests.services.test_cases import concluded, decided, filed, refused, served

D = date


def setting(w: World, key: str, value: Any) -> None:
    with w.uow() as u:
        set_setting(u.session, key, value)
        u.commit()


def _hearing_requested(w: World) -> str:
    """A case whose party asked for a hearing on 2026-03-03 (10,000 yuan to a person: hearing rights)."""
    uid = concluded(w, w.adult, "YY-001", "10000")
    c.record_legal_review(w.uow(), uid, on=D(2026, 3, 2), passed=True, opinion="同意", reviewer_uid=w.reviewer)
    c.record_collective_discussion(w.uow(), uid, on=D(2026, 3, 2), conclusion="同意", participants=["甲", "乙", "丙"])
    c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2))
    w.set_today(D(2026, 3, 3))
    c.request_hearing(w.uow(), uid, on=D(2026, 3, 3))
    return uid


# -- 听证通知书: seven working days, tied to the hearing, a warning on a rest day ------------------------------


def test_hearing_notice_needs_seven_working_days_and_fixes_the_hearing_date(world: World) -> None:
    w = world
    uid = _hearing_requested(w)
    w.set_today(D(2026, 3, 10))
    e = refused(w, lambda: c.schedule_hearing(w.uow(), uid, on=D(2026, 3, 10), hearing_on=D(2026, 3, 18),
                                              place="会议室", presider="赵六"), TransitionRefused, "7个工作日")
    assert "第六十四条第（二）项" in e.message and "第八十五条" in e.message and "2026-03-19" in e.message
    s = c.schedule_hearing(w.uow(), uid, on=D(2026, 3, 10), hearing_on=D(2026, 3, 19), place="会议室",
                           presider="赵六")
    assert s.warnings == ()
    w.set_today(D(2026, 3, 20))
    # the hearing is held on the date the notice set; another date needs a new notice
    refused(w, lambda: c.record_hearing(w.uow(), uid, on=D(2026, 3, 20), party_attended=True, minutes="笔录"),
            TransitionRefused, "2026-03-19")
    assert c.record_hearing(w.uow(), uid, on=D(2026, 3, 19), party_attended=True,
                            minutes="笔录").status is CaseStatus.PENDING_DECISION


def test_hearing_on_a_rest_day_is_allowed_with_a_warning(world: World) -> None:
    w = world
    uid = _hearing_requested(w)
    w.set_today(D(2026, 3, 4))
    s = c.schedule_hearing(w.uow(), uid, on=D(2026, 3, 4), hearing_on=D(2026, 3, 21), place="会议室", presider="赵六")
    assert len(s.warnings) == 1 and "2026-03-21" in s.warnings[0] and "休息日" in s.warnings[0]


def test_hearing_notice_period_is_a_setting(world: World) -> None:
    w = world
    uid = _hearing_requested(w)
    w.set_today(D(2026, 3, 10))
    refused(w, lambda: c.schedule_hearing(w.uow(), uid, on=D(2026, 3, 10), hearing_on=D(2026, 3, 13), place="室",
                                          presider="赵六"), TransitionRefused, "第六十四条")
    setting(w, "hearing.notice_working_days", 3)
    assert c.schedule_hearing(w.uow(), uid, on=D(2026, 3, 10), hearing_on=D(2026, 3, 13), place="室",
                              presider="赵六").status is CaseStatus.HEARING


# -- court enforcement after 行政强制法第五十三条、第五十四条 -------------------------------------------------------


def _demanded(w: World) -> str:
    uid = served(w)  # served 2026-03-11, pay by 03-26
    w.set_today(D(2026, 3, 27))
    c.start_enforcement(w.uow(), uid, on=D(2026, 3, 27))  # 催告
    return uid


def test_court_enforcement_waits_for_the_demand_and_the_remedy_periods(world: World) -> None:
    w = world
    uid = _demanded(w)
    w.set_today(D(2026, 3, 28))
    apply = lambda day: c.apply_court_enforcement(w.uow(), uid, on=day, court="五通桥区人民法院")  # noqa: E731
    e = refused(w, lambda: apply(D(2026, 3, 28)), TransitionRefused, "催告书送达10个工作日后")
    assert "《中华人民共和国行政强制法》第五十四条" in e.message
    w.set_today(D(2026, 4, 14))  # ten working days after 03-27 have passed; six months to sue have not
    e = refused(w, lambda: apply(D(2026, 4, 14)), TransitionRefused, "2026-09-11")
    assert "第五十三条" in e.message
    w.set_today(D(2026, 12, 14))  # more than three months after the periods ended
    refused(w, lambda: apply(D(2026, 12, 14)), TransitionRefused, "三个月|3个月")
    w.set_today(D(2026, 9, 14))
    s = apply(D(2026, 9, 14))
    assert s.status is CaseStatus.ENFORCING and s.events[-1].action == "apply_court_enforcement"


def test_court_enforcement_periods_are_settings(world: World) -> None:
    w = world
    uid = _demanded(w)
    w.set_today(D(2026, 4, 14))
    apply = lambda: c.apply_court_enforcement(w.uow(), uid, on=D(2026, 4, 14), court="五通桥区人民法院")  # noqa: E731
    refused(w, apply, TransitionRefused, "第五十三条")
    setting(w, "remedy.litigation_months", 1)  # the periods end 2026-04-11
    assert apply().status is CaseStatus.ENFORCING
    setting(w, "enforcement.demand_working_days", 20)
    refused(w, apply, TransitionRefused, "20个工作日")


# -- 复议/诉讼: recorded, pausing the surcharge and the court application ------------------------------------------


def test_review_pauses_the_surcharge_and_blocks_court_enforcement(world: World) -> None:
    w = world
    uid = served(w)  # pay by 2026-03-26
    w.set_today(D(2026, 3, 20))
    refused(w, lambda: c.record_remedy(w.uow(), uid, on=D(2026, 3, 20), kind="review", filed_on=D(2026, 3, 20),
                                       body=" "), ValidationError, "复议机关")
    c.record_remedy(w.uow(), uid, on=D(2026, 3, 20), kind="review", filed_on=D(2026, 3, 20), body="五通桥区人民政府")
    w.set_today(D(2026, 3, 31))
    c.start_enforcement(w.uow(), uid, on=D(2026, 3, 31))
    # five days past the deadline, but the review is pending: no surcharge, so 1,000 yuan settles the fine
    assert c.record_payment(w.uow(), uid, on=D(2026, 3, 31), amount=Decimal("1000"),
                            receipt_number="R1").status is CaseStatus.EXECUTED


def test_surcharge_runs_again_after_the_review_ends(world: World) -> None:
    w = world
    uid = served(w)
    w.set_today(D(2026, 3, 20))
    c.record_remedy(w.uow(), uid, on=D(2026, 3, 20), kind="review", filed_on=D(2026, 3, 20), body="五通桥区人民政府")
    w.set_today(D(2026, 4, 10))
    c.record_remedy(w.uow(), uid, on=D(2026, 4, 10), kind="review", filed_on=D(2026, 3, 20), body="五通桥区人民政府",
                    ended_on=D(2026, 4, 8), outcome="upheld")
    c.start_enforcement(w.uow(), uid, on=D(2026, 4, 10))
    # 2 days late (04-09, 04-10) at 3 %: 60 yuan; paying only the fine leaves the case enforcing
    refused(w, lambda: c.record_payment(w.uow(), uid, on=D(2026, 4, 10), amount=Decimal("1060.01"),
                                        receipt_number="R"), ValidationError)
    assert c.record_payment(w.uow(), uid, on=D(2026, 4, 10), amount=Decimal("1060"),
                            receipt_number="R1").status is CaseStatus.EXECUTED


def test_pending_litigation_blocks_the_court_application(world: World) -> None:
    w = world
    uid = _demanded(w)
    c.record_remedy(w.uow(), uid, on=D(2026, 3, 27), kind="litigation", filed_on=D(2026, 3, 27), body="五通桥区人民法院")
    w.set_today(D(2026, 9, 14))
    e = refused(w, lambda: c.apply_court_enforcement(w.uow(), uid, on=D(2026, 9, 14), court="五通桥区人民法院"),
                TransitionRefused, "尚未审结")
    assert "第五十三条" in e.message


# -- hearing rights by the kind of penalty (第六十三条) ----------------------------------------------------------


def test_hearing_rights_follow_the_penalty_kind_not_only_the_fine(world: World) -> None:
    w = world
    small = concluded(w, w.adult, "SR-003", "1000")
    assert c.give_prior_notice(w.uow(), small, on=D(2026, 3, 2)).hearing_rights is False
    heavy = concluded(w, w.adult, "SR-003", "1000")
    s = c.give_prior_notice(w.uow(), heavy, on=D(2026, 3, 2), kinds=["suspend_business"])
    assert s.hearing_rights is True
    assert c.request_hearing(w.uow(), heavy, on=D(2026, 3, 2)).status is CaseStatus.HEARING
    odd = concluded(w, w.adult, "SR-003", "1000")
    refused(w, lambda: c.give_prior_notice(w.uow(), odd, on=D(2026, 3, 2), kinds=["flogging"]), ValidationError)


def test_confiscation_of_large_value_gives_hearing_rights_by_setting(world: World) -> None:
    w = world
    a = concluded(w, w.adult, "SR-003", "1000")
    assert c.give_prior_notice(w.uow(), a, on=D(2026, 3, 2), confiscation=Decimal("5000")).hearing_rights is False
    setting(w, "hearing.confiscation_person", "5000")
    b = concluded(w, w.adult, "SR-003", "1000")
    assert c.give_prior_notice(w.uow(), b, on=D(2026, 3, 2), confiscation=Decimal("5000")).hearing_rights is True


# -- facts that forbid a penalty (第三十三条第一款, 第三十一条) ------------------------------------------------------


def test_minor_corrected_facts_block_a_penalty(world: World) -> None:
    w = world
    uid = filed(w, w.adult)
    refused(w, lambda: c.record_exemption_facts(w.uow(), uid, on=D(2026, 3, 2), kind="minor_corrected", facts=" "),
            ValidationError)
    c.record_exemption_facts(w.uow(), uid, on=D(2026, 3, 2), kind="minor_corrected",
                             facts="当场清理堆放物料，未造成危害后果")
    c.conclude_investigation(w.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.MINOR, proposed_fine=Decimal("100")))
    e = refused(w, lambda: c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2)), TransitionRefused, "不予行政处罚")
    assert "第三十三条第一款" in e.message
    s = c.decide_no_penalty(w.uow(), uid, on=D(2026, 3, 2), ground=NoPenaltyGround.MINOR_CORRECTED,
                            reasons="违法行为轻微并及时改正，已批评教育")
    assert s.status is CaseStatus.NO_PENALTY


def test_incapacity_facts_block_the_decision(world: World) -> None:
    w = world
    uid = concluded(w, w.adult, "SR-003", "1000")
    c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2))
    c.record_exemption_facts(w.uow(), uid, on=D(2026, 3, 2), kind="incapacity", facts="精神疾病司法鉴定意见书")
    w.set_today(D(2026, 3, 10))
    c.end_statement_period(w.uow(), uid, on=D(2026, 3, 10))
    e = refused(w, lambda: c.decide_penalty(w.uow(), uid, on=D(2026, 3, 10), fine=Decimal("1000")),
                TransitionRefused, "不予行政处罚")
    assert "第三十一条" in e.message


# -- 噪声污染防治法第八十二条: 说服教育, 责令改正, 拒不改正 --------------------------------------------------------------


def test_noise_penalty_needs_the_order_and_the_refusal_on_record(world: World) -> None:
    w = world
    uid = concluded(w, w.adult, "ZS-001", "500")
    e = refused(w, lambda: c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2)), TransitionRefused, "拒不改正")
    assert "《中华人民共和国噪声污染防治法》第八十二条" in e.message
    refused(w, lambda: c.record_refusal(w.uow(), uid, on=D(2026, 3, 2), educated=False, ordered_on=D(2026, 2, 25),
                                        order_number="竹综执责改字〔2026〕第3号", refused_on=D(2026, 2, 27),
                                        facts="复查时仍在使用高音喇叭"), ValidationError, "说服教育")
    c.record_refusal(w.uow(), uid, on=D(2026, 3, 2), educated=True, ordered_on=D(2026, 2, 25),
                     order_number="竹综执责改字〔2026〕第3号", refused_on=D(2026, 2, 27), facts="复查时仍在使用高音喇叭")
    assert c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2)).status is CaseStatus.NOTIFIED
    with w.uow() as u:
        ev = [e for e in c.load_case(u.session, uid).events if e.action == "record_refusal"][0]
        details: dict[str, Any] = dict(ev.details)
        assert details["order_number"] == "竹综执责改字〔2026〕第3号" and details["refused_on"] == "2026-02-27"


# -- 首违不罚 looks at the party's earlier decisions on the same item ------------------------------------------------


def _first_violation_case(w: World, item: str = "SR-003") -> str:
    uid = filed(w, w.adult, item, on=D(2026, 3, 12), act=D(2026, 3, 11), discovered=D(2026, 3, 12))
    c.conclude_investigation(w.uow(), uid, on=D(2026, 3, 12), data=c.ConclusionInput(
        outcome=ProposedOutcome.NO_PENALTY, no_penalty_ground=NoPenaltyGround.FIRST_VIOLATION))
    return uid


def test_first_violation_refused_when_the_party_was_decided_on_the_same_item(world: World) -> None:
    w = world
    earlier = decided(w)  # 孙成年, SR-003, decided 2026-03-10
    w.set_today(D(2026, 3, 12))
    uid = _first_violation_case(w)
    e = refused(w, lambda: c.decide_no_penalty(w.uow(), uid, on=D(2026, 3, 12), ground=NoPenaltyGround.FIRST_VIOLATION,
                                               reasons="初次违法"), TransitionRefused, "不属于初次违法")
    assert "第三十三条第一款" in e.message and c.get_case(w.uow(), earlier).decision_number in e.message
    other = _first_violation_case(w, "SR-002")  # another item: a first violation of that one
    assert c.decide_no_penalty(w.uow(), other, on=D(2026, 3, 12), ground=NoPenaltyGround.FIRST_VIOLATION,
                               reasons="初次违法，已教育").status is CaseStatus.NO_PENALTY


def test_first_violation_look_back_is_a_setting(world: World) -> None:
    w = world
    decided(w)
    w.set_today(D(2026, 3, 12))
    uid = _first_violation_case(w)
    decide = lambda: c.decide_no_penalty(w.uow(), uid, on=D(2026, 3, 12),  # noqa: E731
                                         ground=NoPenaltyGround.FIRST_VIOLATION, reasons="初次违法")
    refused(w, decide, TransitionRefused, "365日内")
    setting(w, "first_violation.lookback_days", 0)  # only decisions since the act (2026-03-11) count
    assert decide().status is CaseStatus.NO_PENALTY


# -- service (第六十一条): electronic consent, late service --------------------------------------------------------


def test_electronic_service_needs_the_recorded_consent(world: World) -> None:
    w = world
    uid = decided(w)
    serve = lambda: c.serve_decision(w.uow(), uid, on=D(2026, 3, 10), method=ServiceMethod.ELECTRONIC)  # noqa: E731
    e = refused(w, serve, TransitionRefused, "确认书")
    assert "第六十一条第二款" in e.message
    refused(w, lambda: c.record_service_consent(w.uow(), uid, on=D(2026, 3, 10), address="sun@example.cn",
                                                signed=False), TransitionRefused, "第六十一条")
    c.record_service_consent(w.uow(), uid, on=D(2026, 3, 10), address="sun@example.cn", signed=True)
    s = serve()
    assert s.status is CaseStatus.EXECUTING
    assert "sun@example.cn" in s.events[-1].note


def test_late_service_needs_a_reason_and_the_period_is_a_setting(world: World) -> None:
    w = world
    uid = decided(w)  # decided 2026-03-10: seven working days end 03-19
    w.set_today(D(2026, 3, 20))
    serve = lambda reason="": c.serve_decision(w.uow(), uid, on=D(2026, 3, 20),  # noqa: E731
                                               method=ServiceMethod.POST, late_reason=reason)
    e = refused(w, serve, TransitionRefused, "逾期送达")
    assert "第六十一条第一款" in e.message and "2026-03-19" in e.message
    setting(w, "service.working_days", 10)
    assert serve().status is CaseStatus.EXECUTING


def test_late_service_with_a_reason_is_recorded(world: World) -> None:
    w = world
    uid = decided(w)
    w.set_today(D(2026, 3, 20))
    s = c.serve_decision(w.uow(), uid, on=D(2026, 3, 20), method=ServiceMethod.POST, late_reason="当事人外出务工，多次联系未果")
    assert "逾期送达原因：当事人外出务工" in s.events[-1].note


# -- the order of review, discussion and notice dates --------------------------------------------------------------


def test_review_discussion_and_notice_dates_follow_the_procedure_order(world: World) -> None:
    w = world
    w.set_today(D(2026, 3, 9))
    uid = concluded(w, w.org, "YC-001", "100000", tier=DiscretionTierName.GRAVE, on=D(2026, 3, 5))
    e = refused(w, lambda: c.record_legal_review(w.uow(), uid, on=D(2026, 3, 4), passed=True, opinion="同意",
                                                 reviewer_uid=w.reviewer), TransitionRefused, "调查终结日期")
    assert "第五十八条" in e.message
    e = refused(w, lambda: c.record_collective_discussion(w.uow(), uid, on=D(2026, 3, 6), conclusion="同意",
                                                          participants=["甲", "乙", "丙"]), TransitionRefused, "先法制审核")
    assert "第五十八条第一款" in e.message
    c.record_legal_review(w.uow(), uid, on=D(2026, 3, 6), passed=True, opinion="同意", reviewer_uid=w.reviewer)
    refused(w, lambda: c.record_collective_discussion(w.uow(), uid, on=D(2026, 3, 5), conclusion="同意",
                                                      participants=["甲", "乙", "丙"]), TransitionRefused, "2026-03-06")
    c.record_collective_discussion(w.uow(), uid, on=D(2026, 3, 7), conclusion="同意", participants=["甲", "乙", "丙"])
    e = refused(w, lambda: c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 6)), TransitionRefused, "集体讨论日期")
    assert "第四十四条" in e.message
    assert c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 9)).status is CaseStatus.NOTIFIED


# -- what the documents print of these records ---------------------------------------------------------------------


def _printed(w: World, doc_type: str, uid: str) -> tuple[dict[str, Any], str]:
    with w.uow() as u:  # the addresses and the squad's office every document prints
        for party in u.session.scalars(select(Party)):
            party.address = party.address or "五通桥区竹根镇新华村1组"
        for squad in u.session.scalars(select(Squad)):
            squad.address, squad.phone = "竹根镇人民政府一楼", "0833-3301234"
        set_setting(u.session, "remedy.review_body", "乐山市五通桥区人民政府")
        set_setting(u.session, "remedy.court", "乐山市五通桥区人民法院")
        u.commit()
    with w.uow() as u:
        snapshot = gather_snapshot(u.session, get_type(doc_type), c.load_case(u.session, uid))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(snapshot))).pages))
    return snapshot, text


def test_electronic_service_receipt_states_the_consent_instead_of_a_signature(world: World) -> None:
    w = world
    uid = decided(w)
    c.record_service_consent(w.uow(), uid, on=D(2026, 3, 10), address="sun@example.cn", signed=True)
    c.serve_decision(w.uow(), uid, on=D(2026, 3, 10), method=ServiceMethod.ELECTRONIC)
    snapshot, text = _printed(w, "service_receipt", uid)
    assert snapshot["electronic"] == {"address": "sun@example.cn", "consented_on": "2026年3月10日"}
    assert "同意电子送达并签订确认书" in text and "sun@example.cn" in text and "签收日期" not in text


def test_hearing_summons_prints_the_hearing_it_scheduled(world: World) -> None:
    w = world
    uid = _hearing_requested(w)
    w.set_today(D(2026, 3, 4))
    c.schedule_hearing(w.uow(), uid, on=D(2026, 3, 4), hearing_on=D(2026, 3, 16), hearing_time="09:30",
                       place="竹根镇人民政府三楼会议室", presider="赵六", clerk="钱七")
    snapshot, text = _printed(w, "hearing_summons", uid)
    assert snapshot["date_iso"] == "2026-03-04"  # the notice's own date, not the party's request
    assert "2026年3月16日9时30分" in text and "竹根镇人民政府三楼会议室" in text and "赵六" in text


# -- catalogue corrections reach a database set up before them -------------------------------------------------------


def test_shipped_corrections_reach_an_existing_database_as_new_versions(world: World) -> None:
    w = world
    with w.uow() as u:  # FS-001 as the catalogue shipped it before the check
        old = u.session.scalar(select(PowerItem).where(PowerItem.code == "FS-001"))
        assert old is not None
        old.breached_provision, old.party_scope = "《中华人民共和国大气污染防治法》第七十七条", PartyScope.ANY
        u.commit()
    assert apply_shipped_corrections(w.uow(), on=D(2026, 3, 2)) == ["FS-001"]
    with w.uow() as u:
        before, after = current_item(u.session, "FS-001", D(2026, 3, 1)), current_item(u.session, "FS-001", D(2026, 3, 2))
        assert before.breached_provision.endswith("第七十七条")  # a case of that time keeps its text (第三十七条)
        assert after.breached_provision.endswith("第八十二条第一款") and after.party_scope is PartyScope.PERSON
        assert after.item_version == 2 and after.supersedes_uid == before.uid
    assert apply_shipped_corrections(w.uow(), on=D(2026, 3, 2)) == []  # nothing left to correct


def test_on_the_spot_decision_warns_of_the_surcharge_and_owes_it_when_late(world: World) -> None:
    w = world
    s = c.summary_penalty(w.uow(), c.SummaryInput(
        party_uid=w.adult, power_item_code="SR-001", officer_uids=w.officers[:2], act_date=D(2026, 3, 2),
        decided_on=D(2026, 3, 2), fine=Decimal("100"), cause="乱扔烟头", place="竹根镇新华街",
        facts="当事人在新华街乱扔烟头"))
    snapshot, text = _printed(w, "summary_decision", s.uid)
    assert "加处罚款" in snapshot["payment"] and "每日按罚款数额的百分之三加处罚款" in text
    w.set_today(D(2026, 3, 19))  # due 2026-03-17: two days late at 3 % of 100 yuan (第七十二条)
    refused(w, lambda: c.record_payment(w.uow(), s.uid, on=D(2026, 3, 19), amount=Decimal("106.01"),
                                        receipt_number="R"), ValidationError, "106.00")
    assert c.record_payment(w.uow(), s.uid, on=D(2026, 3, 19), amount=Decimal("106"),
                            receipt_number="R1").status is CaseStatus.EXECUTED


def test_on_the_spot_noise_penalty_needs_the_order_and_refusal_with_it(world: World) -> None:
    w = world
    data = c.SummaryInput(party_uid=w.adult, power_item_code="ZS-001", officer_uids=w.officers[:2],
                          act_date=D(2026, 3, 2), decided_on=D(2026, 3, 2), fine=Decimal("200"),
                          cause="广场舞音响音量过大", place="竹根镇滨河广场", facts="当事人在滨河广场使用音响音量过大")
    e = refused(w, lambda: c.summary_penalty(w.uow(), data), TransitionRefused, "拒不改正")
    assert "《中华人民共和国噪声污染防治法》第八十二条" in e.message
    s = c.summary_penalty(w.uow(), replace(data, ordered_on=D(2026, 3, 2), order_number="现场责改〔2026〕0302号",
                                           refusal_facts="经劝说并责令调低音量，当事人拒不调低"))
    assert s.status is CaseStatus.SUMMARY_DECIDED
    with w.uow() as u:
        record = lg.refusal_record(c.load_case(u.session, s.uid))
        assert record is not None and record["order_number"] == "现场责改〔2026〕0302号"


def test_notices_print_the_heavier_kind_and_the_hearing_ground_it_gives(world: World) -> None:
    w = world
    uid = filed(w, w.adult, "SR-003", place="桥沟街", facts="当事人在桥沟街两侧堆放建筑材料")
    c.conclude_investigation(w.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal("1000")))
    c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2), kinds=["suspend_business"])
    _, notice = _printed(w, "prior_notice", uid)
    assert "责令停产停业" in notice
    snapshot, text = _printed(w, "hearing_notice", uid)
    assert snapshot["hearing_grounds"] == ["责令停产停业"]
    assert "第六十三条规定的责令停产停业" in text and "较大数额罚款" not in text
