"""What the procedure screens offer, decided by the services: the steps a role may do (and the same refusal when it
does one anyway), and the case's timeline from models/penalty_flow.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from models.enums import MediationPartyRole, NoPenaltyGround, ProposedOutcome, Role
from models.mediation_flow import MediationAction
from models.penalty_flow import STAGES, CaseAction
from services.core.errors import PermissionDenied
from services.core.uow import UnitOfWork
from services.procedures import cases as c
from services.procedures import mediation as m
from services.procedures.actions import CASE_FIELDS, FieldSpec, perform_case_action
from services.procedures.progress import case_actions, case_timeline, mediation_actions
from tests.services.conftest import World

MAR2 = date(2026, 3, 2)


def _as(world: World, role: Role) -> UnitOfWork:
    return UnitOfWork(world.db, actor=role.value, clock=world.clock, role=role)


def _clue(world: World) -> str:
    return c.register_clue(world.uow(), c.ClueInput(
        cause="违法堆放物料", power_item_code="SR-003", party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 25), registered_on=date(2026, 2, 26))).uid


def _filed(world: World) -> str:
    uid = _clue(world)
    c.file_case(world.uow(), uid, on=MAR2, officer_uids=world.officers[:2])
    return uid


def _values(world: World, fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """Well-formed values for a step's form, so that only the role can stop the step."""
    sample = {"date": MAR2.isoformat(), "money": "100", "int": "10", "text": "某某", "longtext": "事由",
              "bool": True, "officer": world.reviewer, "officers": world.officers[:2]}
    return {f.key: f.choices[0][0] if f.kind == "choice" else sample[f.kind] for f in fields}


def _no_penalty_conclusion() -> c.ConclusionInput:
    return c.ConclusionInput(outcome=ProposedOutcome.NO_PENALTY, no_penalty_ground=NoPenaltyGround.FIRST_VIOLATION,
                             complex_case=True)


def test_an_officer_sees_the_leaders_steps_greyed_out_and_the_services_refuse_them(world: World) -> None:
    uid = _filed(world)
    options = case_actions(_as(world, Role.OFFICER), uid)
    assert [o.action for o in options] == [CaseAction.CONCLUDE, CaseAction.TRANSFER, CaseAction.TERMINATE,
                                           CaseAction.EXTEND, CaseAction.SUSPEND, CaseAction.RECORD_EXEMPTION,
                                           CaseAction.RECORD_CONSENT]
    assert {o.action for o in options if o.allowed} == {CaseAction.CONCLUDE, CaseAction.SUSPEND, CaseAction.RECORD_EXEMPTION,
                                                       CaseAction.RECORD_CONSENT}
    assert all(o.label and not o.why_not for o in options if o.allowed)
    before = world.snapshot()
    for option in (o for o in options if not o.allowed):
        assert "执法队员" in option.why_not and "无权" in option.why_not
        with pytest.raises(PermissionDenied) as refused:
            perform_case_action(_as(world, Role.OFFICER), uid, option.action,
                                _values(world, CASE_FIELDS[option.action]))
        assert refused.value.message == option.why_not
    assert world.snapshot() == before
    assert all(o.allowed for o in case_actions(_as(world, Role.SQUAD_LEADER), uid))
    assert all(o.allowed for o in case_actions(world.uow(), uid))  # no signed-in role: a trusted caller


def test_filing_is_for_the_squad_leader_and_review_for_the_legal_reviewer(world: World) -> None:
    uid = _clue(world)
    leader = {o.action: o.allowed for o in case_actions(_as(world, Role.SQUAD_LEADER), uid)}
    reviewer = {o.action: o.allowed for o in case_actions(_as(world, Role.LEGAL_REVIEWER), uid)}
    assert leader[CaseAction.FILE] and not reviewer[CaseAction.FILE]
    assert CaseAction.SUMMARY_DECIDE not in leader  # starts a case: not a step of an existing one
    with pytest.raises(PermissionDenied):
        c.file_case(_as(world, Role.LEGAL_REVIEWER), uid, on=MAR2, officer_uids=world.officers[:2])
    c.file_case(world.uow(), uid, on=MAR2, officer_uids=world.officers[:2])
    c.conclude_investigation(world.uow(), uid, on=MAR2, data=_no_penalty_conclusion())  # complex: needs a review
    review = {o.action: o for o in case_actions(_as(world, Role.LEGAL_REVIEWER), uid)}
    officer = {o.action: o for o in case_actions(_as(world, Role.OFFICER), uid)}
    assert review[CaseAction.LEGAL_REVIEW].allowed and not officer[CaseAction.LEGAL_REVIEW].allowed


def test_mediation_steps_follow_the_state_and_every_recording_role(world: World) -> None:
    uid = m.register_mediation(world.uow(), m.MediationInput(
        category_code="02", committee_uid=world.committee, applied_on=MAR2, summary="相邻排水纠纷",
        parties=[(world.adult, MediationPartyRole.APPLICANT), (world.teen16, MediationPartyRole.RESPONDENT)])).uid
    options = mediation_actions(_as(world, Role.OFFICER), uid)
    assert [o.action for o in options] == [MediationAction.ACCEPT, MediationAction.REJECT,
                                           MediationAction.FLAG_ESCALATION]
    assert all(o.allowed and o.label for o in options)
    m.accept(world.uow(), uid, on=MAR2, mediator_uids=list(world.mediators))
    assert MediationAction.SUCCEED in {o.action for o in mediation_actions(world.uow(), uid)}


def _titles(summary: c.CaseSummary) -> list[tuple[str, str]]:
    return [(t.title, "done" if t.done else "current" if t.current else "") for t in case_timeline(summary)]


def test_the_timeline_follows_the_procedures_stages(world: World) -> None:
    uid = _clue(world)
    clue = _titles(c.get_case(world.uow(), uid))
    assert clue[:3] == [("线索登记", "done"), ("立案", "current"), ("调查终结", "")]
    assert [t for t, _ in clue] == [s.title for s in STAGES if not s.optional]  # no review needed yet
    c.file_case(world.uow(), uid, on=MAR2, officer_uids=world.officers[:2])
    c.conclude_investigation(world.uow(), uid, on=MAR2, data=_no_penalty_conclusion())  # complex: review, discussion
    concluded = _titles(c.get_case(world.uow(), uid))
    assert concluded[:6] == [("线索登记", "done"), ("立案", "done"), ("调查终结", "done"), ("法制审核", "current"),
                             ("集体讨论", ""), ("事先告知", "")]
    assert [t for t, _ in concluded] == [s.title for s in STAGES]


def test_a_summary_decision_is_decided_and_served_at_once(world: World) -> None:
    s = c.summary_penalty(world.uow(), c.SummaryInput(
        party_uid=world.adult, power_item_code="SR-003", officer_uids=world.officers[:2], act_date=MAR2,
        decided_on=MAR2, fine=Decimal("200"), cause="乱堆物料", place="竹根街", facts="当场发现"))
    states = dict(_titles(c.get_case(world.uow(), s.uid)))
    assert states["作出决定"] == states["送达"] == "done" and states["立案"] == "current"
