"""Guard rails before what cannot be undone: the documents 结案 needs, a fine outside its discretion band, 备案 only
for on-the-spot decisions, and step fields whose required marker is exactly what the service refuses empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from models.enums import CaseStatus, DiscretionTierName, ProposedOutcome, ServiceMethod
from models.mediation_flow import MediationAction
from models.org import Squad, Township
from models.party import Party
from models.penalty_flow import CaseAction
from services.core.errors import TransitionRefused, ValidationError
from services.documents.issuing import issue_document, number_to_issue
from services.procedures import cases as c
from services.procedures.actions import CASE_FIELDS, MEDIATION_FIELDS, FieldSpec, coerce
from services.procedures.guard_rails import closing_documents
from services.procedures.progress import case_actions
from services.reference.settings import set_setting
from tests.services.conftest import World
from tests.services.test_cases import D, clue, filed, refused, register_evidence

SAMPLE = {"date": date(2026, 3, 2), "money": "100", "int": 10, "text": "某某", "longtext": "事由", "bool": True,
          "officer": "x", "officers": ["x", "y"], "obligations": []}


def _filled(fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    return {f.key: f.choices[0][0] if f.kind == "choice" else SAMPLE[f.kind] for f in fields}


@pytest.mark.parametrize("fields", [*CASE_FIELDS.values(), *MEDIATION_FIELDS.values()])
def test_a_field_is_marked_required_exactly_when_coerce_refuses_it_empty(fields: tuple[FieldSpec, ...]) -> None:
    for values in ({}, {"outcome": "penalty"}, {"outcome": "no_penalty"}):
        # the outcome of a conclusion (penalty / no_penalty), where the step has that choice
        accepts = {f.key: {c for c, _ in f.choices} for f in fields if f.kind == "choice"}
        base = {**_filled(fields), **{k: v for k, v in values.items() if v in accepts.get(k, ())}}
        for f in fields:
            empty = {**base, f.key: [] if f.kind == "officers" else ""}
            if f.is_required(empty):
                with pytest.raises(ValidationError) as info:
                    coerce(fields, empty)
                assert info.value.field == f.key
            else:
                coerce(fields, empty)  # an empty optional field is never refused


def test_nothing_that_states_a_fact_starts_filled_in() -> None:
    for fields in [*CASE_FIELDS.values(), *MEDIATION_FIELDS.values()]:
        for f in fields:
            if f.kind in ("bool", "date"):
                assert not f.default, f.key  # attestations unticked; optional dates empty
            if f.kind == "choice" and f.required:
                assert f.default is None, f.key  # 送达方式, 履行情况, 协议形式 … start on （请选择）
    succeed = {f.key: f for f in MEDIATION_FIELDS[MediationAction.SUCCEED]}
    assert not succeed["performance_deadline"].required and not succeed["all_parties_signed"].default
    conclude = {f.key: f for f in CASE_FIELDS[CaseAction.CONCLUDE]}
    assert conclude["tier"].is_required({"outcome": "penalty"}) and not conclude["tier"].is_required({})
    pay = {f.key: f for f in CASE_FIELDS[CaseAction.PAY]}
    assert pay["receipt_number"].is_required({})


def test_text_that_prints_has_one_limit_for_the_counter_and_the_check() -> None:
    [reason] = [f for f in CASE_FIELDS[CaseAction.TERMINATE] if f.key == "reason"]
    assert reason.limit is not None
    coerce(CASE_FIELDS[CaseAction.TERMINATE], {"on": "2026-03-02", "reason": "字" * reason.limit})
    with pytest.raises(ValidationError, match=f"最多{reason.limit}字") as info:
        coerce(CASE_FIELDS[CaseAction.TERMINATE], {"on": "2026-03-02", "reason": "字" * (reason.limit + 1)})
    assert info.value.field == "reason"


def _conclude(w: World, uid: str, fine: str, deviation: str = "") -> c.CaseSummary:
    return c.conclude_investigation(w.uow(), uid, on=D(2026, 3, 2), data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal(fine),
        reasons="占道面积较大", deviation=deviation))


def test_a_fine_outside_the_tiers_band_needs_a_reason_that_is_kept_for_the_decision(world: World) -> None:
    w = world
    band = c.discretion_for_case(w.uow(), filed(w, w.adult), DiscretionTierName.ORDINARY)
    uid = filed(w, w.adult)
    below = band.fine_min - Decimal(1)
    err = refused(w, lambda: _conclude(w, uid, str(below)), ValidationError, "低于“一般”档次的建议幅度")
    assert err.field == "deviation" and "第三十二条" in err.message
    _conclude(w, uid, str(below), deviation="当事人主动消除违法行为危害后果")
    with w.uow() as u:
        kept = c.load_case(u.session, uid).discretion_reasons
    assert kept.startswith("占道面积较大；罚款数额低于裁量基准“一般”档次的建议幅度")
    assert "当事人主动消除违法行为危害后果" in kept and "第三十二条" in kept
    inside = filed(w, w.adult)
    _conclude(w, inside, str(band.suggested))  # inside the band: no reason asked for
    with w.uow() as u:
        assert c.load_case(u.session, inside).discretion_reasons == "占道面积较大"


def _printable(w: World) -> None:
    """What the documents print that the test world lacks: the party's address, the squad's office and phone."""
    with w.uow() as u:
        u.session.scalars(select(Party).where(Party.uid == w.adult)).one().address = "竹根镇桥沟街12号"
        squad = u.session.scalars(select(Squad)).first()
        assert squad is not None
        squad.address, squad.phone = "竹根镇人民政府一楼", "0833-3300000"
        u.session.scalars(select(Township)).one().district_name = "乐山市五通桥区"  # names the review body
        u.commit()


def test_closing_needs_every_document_the_steps_required(world: World) -> None:
    w = world
    _printable(w)
    uid = clue(w, w.adult, facts="在桥沟街人行道堆放砖块约五立方米", place="桥沟街12号")
    c.file_case(w.uow(), uid, on=D(2026, 3, 2), officer_uids=w.officers[:2])
    band = c.discretion_for_case(w.uow(), uid, DiscretionTierName.ORDINARY)
    _conclude(w, uid, str(band.suggested))
    c.give_prior_notice(w.uow(), uid, on=D(2026, 3, 2))
    w.set_today(D(2026, 3, 10))
    c.waive_statement(w.uow(), uid, on=D(2026, 3, 3), written=True)
    register_evidence(w, uid, D(2026, 3, 2))
    c.decide_penalty(w.uow(), uid, on=D(2026, 3, 10), fine=band.suggested)
    c.serve_decision(w.uow(), uid, on=D(2026, 3, 10), method=ServiceMethod.DIRECT)
    c.record_payment(w.uow(), uid, on=D(2026, 3, 10), amount=band.suggested, receipt_number="SC0001")

    docs = closing_documents(w.uow(), uid)
    assert [d.title for d in docs] == ["立案审批表", "行政处罚事先告知书", "行政处罚决定书", "送达回证"]
    assert not any(d.issued for d in docs)
    err = refused(w, lambda: c.close_case(w.uow(), uid, on=D(2026, 3, 10)), TransitionRefused)
    assert "立案审批表、行政处罚事先告知书、行政处罚决定书、送达回证" in err.message

    numbers = {}
    for d in docs[:-1]:
        numbers[d.doc_type] = issue_document(w.uow(), d.doc_type, uid).number
    err = refused(w, lambda: c.close_case(w.uow(), uid, on=D(2026, 3, 10)), TransitionRefused)
    assert "不能结案：送达回证" in err.message  # only what is still missing
    ahead = number_to_issue(w.uow(), "service_receipt", uid)
    taken = issue_document(w.uow(), "service_receipt", uid)
    assert not ahead.already_issued and ahead.number == taken.number  # 制发 asked with the number it then took
    assert number_to_issue(w.uow(), "service_receipt", uid).already_issued
    assert {d.doc_type: d.number for d in closing_documents(w.uow(), uid)}["penalty_decision"] == \
        numbers["penalty_decision"]
    assert c.close_case(w.uow(), uid, on=D(2026, 3, 10)).status is CaseStatus.CLOSED


def test_the_list_of_documents_is_a_local_setting(world: World) -> None:
    w = world
    uid = filed(w, w.adult)
    assert [d.doc_type for d in closing_documents(w.uow(), uid)] == ["case_filing_form"]
    with w.uow() as u:
        set_setting(u.session, "closing.required_documents", {"file": ["case_filing_form", "interview_record"]})
        u.commit()
    assert [d.title for d in closing_documents(w.uow(), uid)] == ["立案审批表", "询问（调查）笔录"]


def test_summary_filing_is_offered_and_allowed_only_for_an_on_the_spot_decision(world: World) -> None:
    w = world
    uid = filed(w, w.adult)
    with w.uow() as u:  # a general case that reached 执行完毕, where the state machine also allows 备案
        c.load_case(u.session, uid).status = CaseStatus.EXECUTED
        u.commit()
    assert CaseAction.SUMMARY_FILE not in {o.action for o in case_actions(w.uow(), uid)}
    refused(w, lambda: c.file_summary(w.uow(), uid, on=D(2026, 3, 2)), ValidationError, "当场")
