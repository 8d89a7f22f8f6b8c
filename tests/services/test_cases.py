"""Penalty cases: the general procedure end to end, every legal guard, and that a refusal changes nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import chinese_calendar
import pytest
from sqlalchemy import select

from models.case import PenaltyCase, Transfer
from models.enums import (
    CaseStatus,
    DeadlineKind,
    DiscretionTierName,
    EvidenceKind,
    NoPenaltyGround,
    ProposedOutcome,
    ServiceMethod,
    TransferKind,
)
from services.core.errors import AppError, TransitionRefused, ValidationError
from services.maintenance.verify import verify_database
from services.procedures import cases as c
from services.procedures import deadlines as dl
from services.procedures import records
from services.reference.settings import Settings, set_setting
from tests.services.conftest import World

D = date
MAR2 = date(2026, 3, 2)
MAR20 = date(2026, 3, 20)
FEB20 = date(2026, 2, 20)
FEB25 = date(2026, 2, 25)


@pytest.fixture(autouse=True)
def _closing_without_documents(world: World) -> None:
    """These tests walk the steps, not the documents (the world has no squad address to print): the [L] list of
    documents 结案 needs is emptied here; tests/services/test_guard_rails.py checks that list."""
    with world.uow() as u:
        set_setting(u.session, "closing.required_documents", {})
        u.commit()


def workday_add(start: date, n: int) -> date:
    """n working days after start per chinese_calendar (independent of the app's calendar code)."""
    cur = start
    while n:
        cur += timedelta(days=1)
        if chinese_calendar.is_workday(cur):
            n -= 1
    return cur


def roll(day: date) -> date:
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def refused(w: World, fn: Callable[[], Any], exc: type[AppError] = AppError, match: str | None = None) -> AppError:
    """Call fn, expect exc, and assert the database did not change at all."""
    before = w.snapshot()
    with pytest.raises(exc, match=match) as info:
        fn()
    assert w.snapshot() == before
    return info.value


def clue(w: World, party: str, item: str = "SR-003", act: date = FEB20, discovered: date = FEB25,
         **kw: Any) -> str:
    return c.register_clue(w.uow(), c.ClueInput(cause="违法堆放物料", power_item_code=item, party_uid=party,
                                                act_date=act, discovered_on=discovered,
                                                registered_on=min(discovered + timedelta(days=1), w.clock.today()),
                                                **kw)).uid


def filed(w: World, party: str, item: str = "SR-003", on: date = MAR2, **kw: Any) -> str:
    uid = clue(w, party, item, **kw)
    c.file_case(w.uow(), uid, on=on, officer_uids=w.officers[:2])
    return uid


def concluded(w: World, party: str, item: str, fine: str, tier: DiscretionTierName = DiscretionTierName.ORDINARY,
              on: date = MAR2) -> str:
    uid = filed(w, party, item, on=on)
    c.conclude_investigation(w.uow(), uid, on=on, data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=tier, proposed_fine=Decimal(fine), reasons="情节一般",
        deviation="占道时间较长"))  # used only when the fine lies outside the tier's band (test_guard_rails.py)
    register_evidence(w, uid, on)
    return uid


def register_evidence(w: World, uid: str, on: date) -> None:
    """A decision lists its evidence (art.59(二)): one site photo in the evidence register."""
    records.add_evidence(w.uow(), uid, records.EvidenceInput(EvidenceKind.AUDIOVISUAL, "现场照片", "竹根镇新华路", on,
                                                             "张三", "当事人在道路上堆放物料的事实", "3张"))


def notified(w: World, party: str, item: str, fine: str, on: date = MAR2) -> str:
    uid = concluded(w, party, item, fine, on=on)
    c.give_prior_notice(w.uow(), uid, on=on)
    return uid


def pending(w: World, party: str, item: str = "SR-003", fine: str = "1000") -> str:
    uid = notified(w, party, item, fine)
    w.set_today(D(2026, 3, 10))
    c.end_statement_period(w.uow(), uid, on=D(2026, 3, 10))
    return uid


def decided(w: World, fine: str = "1000") -> str:
    uid = pending(w, w.adult, "SR-003", fine)
    c.decide_penalty(w.uow(), uid, on=D(2026, 3, 10), fine=Decimal(fine))
    return uid


def served(w: World) -> str:
    uid = decided(w)
    w.set_today(D(2026, 3, 11))
    c.serve_decision(w.uow(), uid, on=D(2026, 3, 11), method=ServiceMethod.DIRECT, recipient="孙成年")
    return uid


def status(w: World, uid: str) -> CaseStatus:
    return c.get_case(w.uow(), uid).status


# -- the happy path ------------------------------------------------------------------------------


def test_general_procedure_happy_path(world: World) -> None:
    w = world
    uid = clue(w, w.adult)
    s = c.get_case(w.uow(), uid)
    assert s.status is CaseStatus.CLUE and s.number == ""

    s = c.file_case(w.uow(), uid, on=D(2026, 3, 2), officer_uids=w.officers[:2])
    assert s.status is CaseStatus.INVESTIGATING
    assert s.number == "竹综执立字〔2026〕第1号"
    limit = {d.kind: d for d in s.deadlines}["decision_limit"]
    assert limit.due_on == roll(D(2026, 3, 2) + timedelta(days=90))
    assert limit.due_on == D(2026, 6, 1)  # 5-31 is a Sunday
    register_evidence(w, uid, D(2026, 3, 2))

    s = c.conclude_investigation(w.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal("1000")))
    assert s.status is CaseStatus.REVIEWING

    s = c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2))
    assert s.status is CaseStatus.NOTIFIED
    dls = {d.kind: d for d in s.deadlines}
    assert dls["statement_period"].due_on == workday_add(D(2026, 3, 2), 5) == D(2026, 3, 9)
    assert "hearing_request" not in dls

    w.set_today(D(2026, 3, 10))
    s = c.end_statement_period(w.uow(), uid, on=D(2026, 3, 10))
    assert s.status is CaseStatus.PENDING_DECISION

    s = c.decide_penalty(w.uow(), uid, on=D(2026, 3, 10), fine=Decimal("1000"))
    assert s.status is CaseStatus.DECIDED
    assert s.decision_number == "竹综执罚决字〔2026〕第1号"
    assert s.fine_amount == Decimal("1000.00")
    dls = {d.kind: d for d in s.deadlines}
    assert dls["service"].due_on == workday_add(D(2026, 3, 10), 7)
    assert dls["disclosure"].due_on == workday_add(D(2026, 3, 10), 7)
    assert dls["decision_limit"].met_on == D(2026, 3, 10)
    assert dls["statement_period"].met_on == D(2026, 3, 10)

    w.set_today(D(2026, 3, 11))
    s = c.serve_decision(w.uow(), uid, on=D(2026, 3, 11), method=ServiceMethod.DIRECT)
    assert s.status is CaseStatus.EXECUTING
    dls = {d.kind: d for d in s.deadlines}
    assert dls["payment"].due_on == roll(D(2026, 3, 11) + timedelta(days=15)) == D(2026, 3, 26)
    assert dls["service"].met_on == D(2026, 3, 11)
    assert dls["payment"].met_on is None

    w.set_today(D(2026, 3, 12))
    s = c.disclose(w.uow(), uid, on=D(2026, 3, 12))
    assert s.status is CaseStatus.EXECUTING
    s = c.record_payment(w.uow(), uid, on=D(2026, 3, 12), amount=Decimal("1000"), receipt_number="NO.0001")
    assert s.status is CaseStatus.EXECUTED
    dls = {d.kind: d for d in s.deadlines}
    assert dls["payment"].met_on == D(2026, 3, 12)
    assert dls["disclosure"].met_on == D(2026, 3, 12)

    s = c.close_case(w.uow(), uid, on=D(2026, 3, 12))
    assert s.status is CaseStatus.CLOSED
    s = c.archive_case(w.uow(), uid, on=D(2026, 3, 12))
    assert s.status is CaseStatus.ARCHIVED
    assert [e.action for e in s.events] == [
        "file", "conclude_investigation", "prior_notice", "end_statement_period", "decide_penalty", "serve",
        "disclose", "record_payment", "close", "archive"]

    # the case is found by its number and its decision number
    assert c.get_case(w.uow(), "竹综执罚决字〔2026〕第1号").uid == uid
    # a second case gets the next number
    uid2 = filed(w, w.adult)
    assert c.get_case(w.uow(), uid2).number == "竹综执立字〔2026〕第2号"

    report = verify_database(w.db)
    assert report.ok, report.problems
    with w.db.raw() as conn:
        actions = {r[0] for r in conn.execute("SELECT action FROM audit_event")}
    assert {"penalty_case.register_clue", "penalty_case.file", "penalty_case.decide_penalty",
            "penalty_case.record_payment", "penalty_case.archive"} <= actions


# -- refusals leave no trace ---------------------------------------------------------------------


def test_decide_from_clue_is_refused(world: World) -> None:
    uid = clue(world, world.adult)
    refused(world, lambda: c.decide_penalty(world.uow(), uid, on=D(2026, 3, 2), fine=Decimal("100")),
            TransitionRefused, "线索登记|不能办理")


def test_future_date_is_refused(world: World) -> None:
    uid = clue(world, world.adult)
    refused(world, lambda: c.file_case(world.uow(), uid, on=D(2026, 3, 3), officer_uids=world.officers[:2]),
            ValidationError, "晚于今天")


def test_filing_needs_two_officers(world: World) -> None:
    uid = clue(world, world.adult)
    refused(world, lambda: c.file_case(world.uow(), uid, on=D(2026, 3, 2), officer_uids=world.officers[:1]),
            ValidationError, "两名以上")
    # the same officer twice is still one officer
    refused(world, lambda: c.file_case(world.uow(), uid, on=D(2026, 3, 2),
                                       officer_uids=[world.officers[0], world.officers[0]]),
            ValidationError, "两名以上")


def test_filing_with_expired_certificate_is_refused(world: World) -> None:
    uid = clue(world, world.adult)
    refused(world, lambda: c.file_case(world.uow(), uid, on=D(2026, 3, 2),
                                       officer_uids=[world.officers[0], world.expired_officer]),
            ValidationError, "钱过期")


def test_filing_past_limitation_is_refused(world: World) -> None:
    uid = clue(world, world.adult, act=D(2023, 1, 1), discovered=D(2026, 2, 1))
    err = refused(world, lambda: c.file_case(world.uow(), uid, on=D(2026, 3, 2), officer_uids=world.officers[:2]),
                  TransitionRefused, "追责时效")
    assert "第三十六条" in err.message
    assert status(world, uid) is CaseStatus.CLUE


def test_statement_cannot_raise_the_fine(world: World) -> None:
    uid = notified(world, world.adult, "SR-003", "1000")
    refused(world, lambda: c.record_statement(world.uow(), uid, on=D(2026, 3, 2), text="申辩", adopted=False,
                                              new_fine=Decimal("1500")), TransitionRefused, "第四十五条")
    s = c.record_statement(world.uow(), uid, on=D(2026, 3, 2), text="申辩", adopted=True, new_fine=Decimal("800"))
    assert s.status is CaseStatus.NOTIFIED


def test_decision_above_notified_fine_is_refused(world: World) -> None:
    uid = pending(world, world.adult, "SR-003", "1000")
    refused(world, lambda: c.decide_penalty(world.uow(), uid, on=D(2026, 3, 10), fine=Decimal("1000.01")),
            TransitionRefused, "高于事先告知")
    assert c.decide_penalty(world.uow(), uid, on=D(2026, 3, 10), fine=Decimal("900")).status is CaseStatus.DECIDED


def test_major_decision_needs_legal_review_by_reviewer_and_collective_discussion(world: World) -> None:
    w = world
    uid = concluded(w, w.org, "YC-001", "100000", tier=DiscretionTierName.GRAVE)
    c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2))
    w.set_today(D(2026, 3, 10))
    c.end_statement_period(w.uow(), uid, on=D(2026, 3, 10))
    decide = lambda: c.decide_penalty(w.uow(), uid, on=D(2026, 3, 10), fine=Decimal("100000"))  # noqa: E731
    refused(w, decide, TransitionRefused, "法制审核")
    # an investigating officer cannot review their own case
    refused(w, lambda: c.record_legal_review(w.uow(), uid, on=D(2026, 3, 10), passed=True, opinion="同意",
                                             reviewer_uid=w.officers[0]), TransitionRefused, "承办人员")
    # an officer who is not a legal reviewer cannot either
    refused(w, lambda: c.record_legal_review(w.uow(), uid, on=D(2026, 3, 10), passed=True, opinion="同意",
                                             reviewer_uid=w.officers[2]), TransitionRefused, "不是法制审核人员")
    c.record_legal_review(w.uow(), uid, on=D(2026, 3, 10), passed=True, opinion="同意", reviewer_uid=w.reviewer)
    refused(w, decide, TransitionRefused, "集体讨论")
    refused(w, lambda: c.record_collective_discussion(w.uow(), uid, on=D(2026, 3, 10), conclusion="同意",
                                                      participants=["甲", "乙"]), ValidationError, "三名")
    c.record_collective_discussion(w.uow(), uid, on=D(2026, 3, 10), conclusion="同意", participants=["甲", "乙", "丙"])
    s = decide()
    assert s.status is CaseStatus.DECIDED
    with w.uow() as u:
        case = c.load_case(u.session, uid)
        assert case.legal_review_required and case.collective_required and case.hearing_rights


def test_failed_legal_review_blocks_decision(world: World) -> None:
    w = world
    uid = concluded(w, w.org, "YC-001", "100000", tier=DiscretionTierName.GRAVE)
    c.record_legal_review(w.uow(), uid, on=D(2026, 3, 2), passed=False, opinion="证据不足", reviewer_uid=w.reviewer)
    c.record_collective_discussion(w.uow(), uid, on=D(2026, 3, 2), conclusion="同意", participants=["甲", "乙", "丙"])
    c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2))
    w.set_today(D(2026, 3, 10))
    c.end_statement_period(w.uow(), uid, on=D(2026, 3, 10))
    refused(w, lambda: c.decide_penalty(w.uow(), uid, on=D(2026, 3, 10), fine=Decimal("100000")),
            TransitionRefused, "法制审核")


def test_end_statement_period_before_deadline_is_refused(world: World) -> None:
    uid = notified(world, world.adult, "SR-003", "1000")
    world.set_today(D(2026, 3, 9))
    refused(world, lambda: c.end_statement_period(world.uow(), uid, on=D(2026, 3, 9)), TransitionRefused, "2026-03-09")
    # the party may waive in writing, but not orally
    refused(world, lambda: c.waive_statement(world.uow(), uid, on=D(2026, 3, 9), written=False), TransitionRefused)
    assert c.waive_statement(world.uow(), uid, on=D(2026, 3, 9), written=True).status is CaseStatus.PENDING_DECISION


def test_request_hearing_without_rights_is_refused(world: World) -> None:
    uid = notified(world, world.adult, "SR-003", "1000")
    refused(world, lambda: c.request_hearing(world.uow(), uid, on=D(2026, 3, 2)), TransitionRefused, "听证标准")


def test_request_hearing_after_window_is_refused(world: World) -> None:
    uid = notified(world, world.adult, "YY-001", "10000")
    world.set_today(D(2026, 3, 10))
    refused(world, lambda: c.request_hearing(world.uow(), uid, on=D(2026, 3, 10)), TransitionRefused, "五个工作日")
    assert c.request_hearing(world.uow(), uid, on=D(2026, 3, 9)).status is CaseStatus.HEARING


def test_no_penalty_for_a_twelve_year_old(world: World) -> None:
    uid = filed(world, world.child12, "SR-001")
    refused(world, lambda: c.conclude_investigation(world.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.MINOR, proposed_fine=Decimal("50"))),
        TransitionRefused, "第三十条")
    c.conclude_investigation(world.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.NO_PENALTY, no_penalty_ground=NoPenaltyGround.UNDER_14))
    s = c.decide_no_penalty(world.uow(), uid, on=D(2026, 3, 2), ground=NoPenaltyGround.UNDER_14, reasons="责令监护人管教")
    assert s.status is CaseStatus.NO_PENALTY


def test_under_14_ground_refused_for_an_adult(world: World) -> None:
    uid = filed(world, world.adult, "SR-001")
    c.conclude_investigation(world.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.NO_PENALTY, no_penalty_ground=NoPenaltyGround.UNDER_14))
    refused(world, lambda: c.decide_no_penalty(world.uow(), uid, on=D(2026, 3, 2), ground=NoPenaltyGround.UNDER_14,
                                               reasons="x"), TransitionRefused, "第三十条")


def test_sixteen_year_old_needs_a_lenient_tier(world: World) -> None:
    uid = filed(world, world.teen16, "SR-001")
    for tier in (DiscretionTierName.ORDINARY, DiscretionTierName.SERIOUS, DiscretionTierName.GRAVE):
        refused(world, lambda t=tier: c.conclude_investigation(world.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
            outcome=ProposedOutcome.PENALTY, tier=t, proposed_fine=Decimal("50"))), TransitionRefused, "从轻或者减轻")
    s = c.conclude_investigation(world.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.MINOR, proposed_fine=Decimal("50")))
    assert s.status is CaseStatus.REVIEWING
    with world.uow() as u:
        assert c.load_case(u.session, uid).party_is_minor is True


def _summary_input(w: World, fine: str, party: str | None = None, **kw: Any) -> c.SummaryInput:
    return c.SummaryInput(party_uid=party or w.adult, power_item_code="SR-003", officer_uids=w.officers[:2],
                          act_date=D(2026, 3, 2), decided_on=D(2026, 3, 2), fine=Decimal(fine), cause="乱堆物料",
                          place="竹根街", facts="当场发现", **kw)


def test_summary_penalty_above_200_for_a_person_is_refused(world: World) -> None:
    w = world
    refused(w, lambda: c.summary_penalty(w.uow(), _summary_input(w, "200.01")), TransitionRefused, "第五十一条")
    with w.uow() as u:
        assert u.session.scalar(select(PenaltyCase.id)) is None
    s = c.summary_penalty(w.uow(), _summary_input(w, "200"))
    assert s.status is CaseStatus.SUMMARY_DECIDED
    assert s.number == s.decision_number == "竹综执当罚字〔2026〕第1号"
    # not paid, not filed: closing is refused
    refused(w, lambda: c.close_case(w.uow(), s.uid, on=D(2026, 3, 2)), TransitionRefused, "尚未缴清")
    c.record_payment(w.uow(), s.uid, on=D(2026, 3, 2), amount=Decimal("200"), receipt_number="R1")
    assert status(w, s.uid) is CaseStatus.EXECUTED


def test_paid_summary_case_cannot_close_before_filing(world: World) -> None:
    w = world
    s = c.summary_penalty(w.uow(), _summary_input(w, "200"))
    c.record_payment(w.uow(), s.uid, on=D(2026, 3, 2), amount=Decimal("200"), receipt_number="R1")
    refused(w, lambda: c.close_case(w.uow(), s.uid, on=D(2026, 3, 2)), TransitionRefused, "备案")


def test_summary_cash_above_100_refused(world: World) -> None:
    w = world
    refused(w, lambda: c.summary_penalty(w.uow(), _summary_input(w, "150", paid_on_spot=True, receipt_number="R")),
            TransitionRefused, "第六十八条")
    s = c.summary_penalty(w.uow(), _summary_input(w, "100", paid_on_spot=True, receipt_number="R"))
    assert c.file_summary(w.uow(), s.uid, on=D(2026, 3, 2)).status is CaseStatus.SUMMARY_DECIDED
    assert c.close_case(w.uow(), s.uid, on=D(2026, 3, 2)).status is CaseStatus.CLOSED


def test_fine_outside_statutory_range_at_conclusion(world: World) -> None:
    uid = filed(world, world.adult, "SR-003")  # 100–2000
    for fine in ("2000.01", "99", "-1"):
        refused(world, lambda f=fine: c.conclude_investigation(world.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
            outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal(f))),
            ValidationError)
    # below the minimum is allowed only when mitigated
    s = c.conclude_investigation(world.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.MITIGATED, proposed_fine=Decimal("50")))
    assert s.status is CaseStatus.REVIEWING


def test_decision_after_limit_needs_extension(world: World) -> None:
    w = world
    uid = pending(w, w.adult)
    w.set_today(D(2026, 6, 10))
    decide = lambda: c.decide_penalty(w.uow(), uid, on=D(2026, 6, 10), fine=Decimal("1000"))  # noqa: E731
    refused(w, decide, TransitionRefused, "办案期限")
    # an extension after the limit expired is refused too
    refused(w, lambda: c.extend_limit(w.uow(), uid, on=D(2026, 6, 10), days=30, approver="镇长", reason="复杂"),
            TransitionRefused, "届满")
    refused(w, lambda: c.extend_limit(w.uow(), uid, on=D(2026, 5, 20), days=31, approver="镇长", reason="复杂"),
            ValidationError)
    s = c.extend_limit(w.uow(), uid, on=D(2026, 5, 20), days=30, approver="镇长", reason="案情复杂")
    assert {d.kind: d for d in s.deadlines}["decision_limit"].due_on == roll(D(2026, 3, 2) + timedelta(days=120))
    assert decide().status is CaseStatus.DECIDED


# -- other paths ---------------------------------------------------------------------------------


def test_hearing_path(world: World) -> None:
    w = world
    uid = concluded(w, w.adult, "YY-001", "10000")
    # a review and a discussion before the hearing
    c.record_legal_review(w.uow(), uid, on=D(2026, 3, 2), passed=True, opinion="同意", reviewer_uid=w.reviewer)
    c.record_collective_discussion(w.uow(), uid, on=D(2026, 3, 2), conclusion="同意", participants=["甲", "乙", "丙"])
    s = c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2))
    dls = {d.kind: d for d in s.deadlines}
    assert dls["hearing_request"].due_on == workday_add(D(2026, 3, 2), 5)
    with w.uow() as u:
        assert c.load_case(u.session, uid).hearing_rights is True
    w.set_today(D(2026, 3, 3))
    assert c.request_hearing(w.uow(), uid, on=D(2026, 3, 3)).status is CaseStatus.HEARING
    w.set_today(D(2026, 3, 10))
    refused(w, lambda: c.schedule_hearing(w.uow(), uid, on=D(2026, 3, 10), hearing_on=D(2026, 3, 16), place="会议室",
                                          presider="赵六"), TransitionRefused, "7个工作日")
    w.set_today(D(2026, 3, 16))
    refused(w, lambda: c.record_hearing(w.uow(), uid, on=D(2026, 3, 16), party_attended=True, minutes="笔录"),
            TransitionRefused, "听证通知书")
    c.schedule_hearing(w.uow(), uid, on=D(2026, 3, 4), hearing_on=D(2026, 3, 16), place="会议室", presider="赵六")
    s = c.record_hearing(w.uow(), uid, on=D(2026, 3, 16), party_attended=True, minutes="听证笔录")
    assert s.status is CaseStatus.PENDING_DECISION
    decide = lambda: c.decide_penalty(w.uow(), uid, on=D(2026, 3, 16), fine=Decimal("10000"))  # noqa: E731
    refused(w, decide, TransitionRefused, "听证之后")
    c.record_legal_review(w.uow(), uid, on=D(2026, 3, 16), passed=True, opinion="听证后审核同意",
                          reviewer_uid=w.reviewer)
    assert decide().status is CaseStatus.DECIDED


def test_no_penalty_first_violation_path(world: World) -> None:
    w = world
    uid = filed(w, w.adult)
    c.conclude_investigation(w.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.NO_PENALTY, no_penalty_ground=NoPenaltyGround.FIRST_VIOLATION))
    refused(w, lambda: c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2)), TransitionRefused, "无需事先告知")
    refused(w, lambda: c.decide_no_penalty(w.uow(), uid, on=D(2026, 3, 2), ground=NoPenaltyGround.FIRST_VIOLATION,
                                           reasons=" "), ValidationError)
    s = c.decide_no_penalty(w.uow(), uid, on=D(2026, 3, 2), ground=NoPenaltyGround.FIRST_VIOLATION,
                            reasons="首次违法、危害后果轻微并及时改正，已批评教育")
    assert s.status is CaseStatus.NO_PENALTY
    assert s.decision_number == "竹综执不罚字〔2026〕第1号"
    assert "disclosure" not in {d.kind for d in s.deadlines}
    s = c.serve_decision(w.uow(), uid, on=D(2026, 3, 2), method=ServiceMethod.DIRECT)
    assert s.status is CaseStatus.EXECUTED
    assert c.close_case(w.uow(), uid, on=D(2026, 3, 2)).status is CaseStatus.CLOSED


def test_transfer_to_judiciary(world: World) -> None:
    w = world
    uid = filed(w, w.adult)
    refused(w, lambda: c.transfer_case(w.uow(), uid, on=D(2026, 3, 2), kind=TransferKind.JUDICIARY,
                                       receiving_org=" ", reason="涉嫌犯罪"), ValidationError)
    s = c.transfer_case(w.uow(), uid, on=D(2026, 3, 2), kind=TransferKind.JUDICIARY, receiving_org="五通桥区公安分局",
                        reason="涉嫌犯罪")
    assert s.status is CaseStatus.TRANSFERRED
    with w.uow() as u:
        case_id = c.load_case(u.session, uid).id
        t = u.session.scalar(select(Transfer).where(Transfer.case_id == case_id))
        assert t is not None and t.kind is TransferKind.JUDICIARY
        assert t.number == "竹综执移字〔2026〕第1号"
    # Closed months later, beyond the 90-day limit: the limit stays met by the transfer, never overdue.
    w.set_today(D(2026, 7, 20))
    closed = c.close_case(w.uow(), uid, on=D(2026, 7, 20))
    assert closed.status is CaseStatus.CLOSED
    [limit] = [d for d in closed.deadlines if d.kind == DeadlineKind.DECISION_LIMIT]
    assert limit.met_on == D(2026, 3, 2)
    # The state machine lets a closed case be disclosed, but a transferred one has no decision to disclose.
    refused(w, lambda: c.disclose(w.uow(), uid, on=D(2026, 7, 20)), TransitionRefused, "未作出行政处罚决定")


def test_terminate_and_refuse_filing(world: World) -> None:
    w = world
    uid = filed(w, w.adult)
    refused(w, lambda: c.terminate_case(w.uow(), uid, on=D(2026, 3, 2), reason=""), ValidationError)
    assert c.terminate_case(w.uow(), uid, on=D(2026, 3, 2), reason="当事人死亡").status is CaseStatus.TERMINATED
    refused(w, lambda: c.close_case(w.uow(), uid, on=D(2026, 3, 2)), TransitionRefused)
    uid2 = clue(w, w.adult)
    refused(w, lambda: c.refuse_filing(w.uow(), uid2, on=D(2026, 3, 2), reason=""), ValidationError)
    s = c.refuse_filing(w.uow(), uid2, on=D(2026, 3, 2), reason="违法事实不成立")
    assert s.status is CaseStatus.NOT_FILED and s.allowed_actions == ()
    refused(w, lambda: c.file_case(w.uow(), uid2, on=D(2026, 3, 2), officer_uids=w.officers[:2]), TransitionRefused)


def test_enforcement_only_after_payment_deadline_and_surcharge(world: World) -> None:
    w = world
    uid = served(w)  # served 03-11, pay by 03-26
    w.set_today(D(2026, 3, 26))
    refused(w, lambda: c.start_enforcement(w.uow(), uid, on=D(2026, 3, 26)), TransitionRefused, "2026-03-26")
    w.set_today(D(2026, 3, 27))
    assert c.start_enforcement(w.uow(), uid, on=D(2026, 3, 27)).status is CaseStatus.ENFORCING
    # one day late: 3 % surcharge; paying more than fine + surcharge is refused
    refused(w, lambda: c.record_payment(w.uow(), uid, on=D(2026, 3, 27), amount=Decimal("1030.01"),
                                        receipt_number="R"), ValidationError)
    assert c.record_payment(w.uow(), uid, on=D(2026, 3, 27), amount=Decimal("1000"),
                            receipt_number="R1").status is CaseStatus.ENFORCING
    assert c.record_payment(w.uow(), uid, on=D(2026, 3, 27), amount=Decimal("30"),
                            receipt_number="R2").status is CaseStatus.EXECUTED


def test_surcharge_paid_in_two_instalments(world: World) -> None:
    w = world
    uid = served(w)
    w.set_today(D(2026, 3, 27))
    c.start_enforcement(w.uow(), uid, on=D(2026, 3, 27))
    c.record_payment(w.uow(), uid, on=D(2026, 3, 27), amount=Decimal("1000"), receipt_number="R1")
    c.record_payment(w.uow(), uid, on=D(2026, 3, 27), amount=Decimal("15"), receipt_number="R2")
    s = c.record_payment(w.uow(), uid, on=D(2026, 3, 27), amount=Decimal("15"), receipt_number="R3")
    assert s.status is CaseStatus.EXECUTED


def test_surcharge_function(world: World) -> None:
    due = D(2026, 3, 26)
    with world.uow() as u:
        st = Settings(u.session)
        assert dl.surcharge(Decimal("1000"), due, due + timedelta(days=10), st) == Decimal("300.00")
        assert dl.surcharge(Decimal("1000"), due, due + timedelta(days=40), st) == Decimal("1000")
        assert dl.surcharge(Decimal("1000"), due, due, st) == Decimal("0")
        assert dl.surcharge(Decimal("1000"), due, due - timedelta(days=3), st) == Decimal("0")


def test_audit_rows_cannot_be_updated(world: World) -> None:
    with world.db.raw() as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE audit_event SET actor='x' WHERE seq=1")
