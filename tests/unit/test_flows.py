"""Properties of the penalty and mediation state machines, and a random walk through the case services."""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import mediation_flow as mf
from models import penalty_flow as pf
from models.enums import CaseStatus, MediationStatus

CASE_ACTIONS = list(pf.CaseAction)
MED_ACTIONS = list(mf.MediationAction)


def _reachable(start: object, transitions: dict) -> set:  # type: ignore[type-arg]
    seen = {start}
    todo = deque([start])
    while todo:
        s = todo.popleft()
        for src, dst in transitions.values():
            if s in src:
                for t in dst:
                    if t not in seen:
                        seen.add(t)
                        todo.append(t)
    return seen


# -- penalty flow --------------------------------------------------------------------------------


def test_every_action_has_a_label_and_table_entry() -> None:
    assert set(pf.TRANSITIONS) == set(pf.CaseAction) == set(pf.ACTION_LABELS)
    assert set(mf.TRANSITIONS) == set(mf.MediationAction) == set(mf.ACTION_LABELS)


def test_table_only_names_known_statuses() -> None:
    for src, dst in pf.TRANSITIONS.values():
        assert src <= set(CaseStatus) and dst <= set(CaseStatus) and src and dst
    for src, dst in mf.TRANSITIONS.values():
        assert src <= set(MediationStatus) and dst <= set(MediationStatus) and src and dst


@given(st.lists(st.tuples(st.sampled_from(CASE_ACTIONS), st.integers(0, 20)), max_size=40))
def test_random_walk_stays_in_case_status(steps: list[tuple[pf.CaseAction, int]]) -> None:
    state = CaseStatus.CLUE
    for action, pick in steps:
        targets = sorted(pf.TRANSITIONS[action][1])
        target = targets[pick % len(targets)]
        try:
            pf.check_edge(action, state, target)
        except pf.IllegalTransition:
            continue
        assert action in pf.allowed_actions(state)
        if action in pf._SELF_LOOPS:
            assert target == state
        state = target
        assert state in set(CaseStatus)
        assert state in _reachable(CaseStatus.CLUE, pf.TRANSITIONS)


@pytest.mark.parametrize("status", sorted(pf.TERMINAL - {CaseStatus.ARCHIVED}))
def test_terminal_case_states_have_no_actions(status: CaseStatus) -> None:
    assert pf.allowed_actions(status) == []


def test_archived_has_no_actions() -> None:
    assert pf.allowed_actions(CaseStatus.ARCHIVED) == []


@pytest.mark.parametrize("action", sorted(pf._SELF_LOOPS))
def test_self_loops_never_change_state(action: pf.CaseAction) -> None:
    src, dst = pf.TRANSITIONS[action]
    for s in src:
        for t in dst:
            if t != s:
                with pytest.raises(pf.IllegalTransition):
                    pf.check_edge(action, s, t)
        if s in dst:
            pf.check_edge(action, s, s)


def test_every_non_terminal_status_reachable_from_clue() -> None:
    reach = _reachable(CaseStatus.CLUE, pf.TRANSITIONS)
    assert CaseStatus.ARCHIVED in reach
    # SUMMARY_DECIDED is reachable too (当场处罚 from a clue)
    assert set(CaseStatus) - pf.TERMINAL <= reach
    assert set(CaseStatus) == reach


def test_every_non_terminal_state_can_still_end() -> None:
    ends = pf.TERMINAL | {CaseStatus.CLOSED}
    for s in set(CaseStatus) - pf.TERMINAL:
        assert _reachable(s, pf.TRANSITIONS) & ends, s


@pytest.mark.parametrize("action", CASE_ACTIONS)
def test_check_edge_refuses_every_pair_outside_the_table(action: pf.CaseAction) -> None:
    src, dst = pf.TRANSITIONS[action]
    for s in CaseStatus:
        for t in CaseStatus:
            legal = s in src and t in dst and (action not in pf._SELF_LOOPS or s == t)
            if legal:
                pf.check_edge(action, s, t)
                assert pf.can(action, s)
            else:
                with pytest.raises(pf.IllegalTransition):
                    pf.check_edge(action, s, t)
        assert pf.can(action, s) == (s in src)


# -- mediation flow ------------------------------------------------------------------------------


@given(st.lists(st.tuples(st.sampled_from(MED_ACTIONS), st.integers(0, 20)), max_size=30))
def test_random_mediation_walk(steps: list[tuple[mf.MediationAction, int]]) -> None:
    state = MediationStatus.APPLIED
    for action, pick in steps:
        targets = sorted(mf.TRANSITIONS[action][1])
        target = targets[pick % len(targets)]
        try:
            mf.check_edge(action, state, target)
        except mf.IllegalMediationTransition:
            continue
        if action in mf._SELF_LOOPS:
            assert target == state
        state = target
        assert state in set(MediationStatus)


@pytest.mark.parametrize("action", MED_ACTIONS)
def test_mediation_check_edge_matches_table(action: mf.MediationAction) -> None:
    src, dst = mf.TRANSITIONS[action]
    for s in MediationStatus:
        for t in MediationStatus:
            legal = s in src and t in dst and (action not in mf._SELF_LOOPS or s == t)
            if legal:
                mf.check_edge(action, s, t)
            else:
                with pytest.raises(mf.IllegalMediationTransition):
                    mf.check_edge(action, s, t)


def test_mediation_reachability_and_closed_is_final() -> None:
    reach = _reachable(MediationStatus.APPLIED, mf.TRANSITIONS)
    assert reach == set(MediationStatus)
    assert mf.allowed_actions(MediationStatus.CLOSED) == []
    # a pending confirmation cannot be closed until the court decides
    assert mf.MediationAction.CLOSE not in mf.allowed_actions(MediationStatus.CONFIRMATION_PENDING)


# -- services: random sequences of steps on one case ---------------------------------------------

_BASE = date(2026, 3, 2)


@pytest.fixture(scope="module")
def world_factory(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.services.conftest import build_template, make_world

    template = build_template(tmp_path_factory.mktemp("flows") / "template.sqlite3")
    made = []

    def make():  # type: ignore[no-untyped-def]
        w = make_world(template, tmp_path_factory.mktemp("walk") / "db.sqlite3")
        made.append(w)
        return w

    yield make
    for w in made:
        w.db.dispose()


def _evidence(w: object, uid: str, day: date) -> None:
    from models.enums import EvidenceKind
    from services.procedures import records

    records.add_evidence(w.uow(), uid, records.EvidenceInput(  # type: ignore[attr-defined]
        EvidenceKind.AUDIOVISUAL, "现场照片", "现场", day, "张三", "违法事实"))


def _call(step: str, w: object, uid: str, day: date) -> None:  # noqa: C901 - a dispatch table
    from models.enums import DiscretionTierName, NoPenaltyGround, ProposedOutcome, ServiceMethod, TransferKind
    from services.procedures import cases as c

    u = w.uow()  # type: ignore[attr-defined]
    if step == "file":
        c.file_case(u, uid, on=day, officer_uids=w.officers[:2])  # type: ignore[attr-defined]
        _evidence(w, uid, day)  # a decision needs registered evidence (art.59(二))
    elif step == "refuse_filing":
        c.refuse_filing(u, uid, on=day, reason="不构成违法")
    elif step == "conclude":
        c.conclude_investigation(u, uid, on=day, data=c.ConclusionInput(
            outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal("1000")))
    elif step == "conclude_no_penalty":
        c.conclude_investigation(u, uid, on=day, data=c.ConclusionInput(
            outcome=ProposedOutcome.NO_PENALTY, no_penalty_ground=NoPenaltyGround.FIRST_VIOLATION))
    elif step == "notify":
        c.give_prior_notice(u, uid, on=day)
    elif step == "statement":
        c.record_statement(u, uid, on=day, text="申辩", adopted=False, new_fine=Decimal("1500"))
    elif step == "waive":
        c.waive_statement(u, uid, on=day, written=True)
    elif step == "end_statement":
        c.end_statement_period(u, uid, on=day)
    elif step == "request_hearing":
        c.request_hearing(u, uid, on=day)
    elif step == "decide":
        c.decide_penalty(u, uid, on=day, fine=Decimal("1000"))
    elif step == "decide_no_penalty":
        c.decide_no_penalty(u, uid, on=day, ground=NoPenaltyGround.FIRST_VIOLATION, reasons="首违不罚")
    elif step == "transfer":
        c.transfer_case(u, uid, on=day, kind=TransferKind.DEPARTMENT, receiving_org="住建局", reason="不属管辖")
    elif step == "serve":
        c.serve_decision(u, uid, on=day, method=ServiceMethod.DIRECT)
    elif step == "pay":
        c.record_payment(u, uid, on=day, amount=Decimal("1000"), receipt_number="R")
    elif step == "enforce":
        c.start_enforcement(u, uid, on=day)
    elif step == "close":
        c.close_case(u, uid, on=day)
    elif step == "archive":
        c.archive_case(u, uid, on=day)
    elif step == "terminate":
        c.terminate_case(u, uid, on=day, reason="当事人死亡")
    elif step == "return":
        c.return_for_investigation(u, uid, on=day, reason="补充证据")
    elif step == "review":
        c.record_legal_review(u, uid, on=day, passed=True, opinion="同意", reviewer_uid=w.reviewer)  # type: ignore[attr-defined]
    elif step == "extend":
        c.extend_limit(u, uid, on=day, days=10, approver="镇长", reason="复杂")
    elif step == "disclose":
        c.disclose(u, uid, on=day)
    else:  # pragma: no cover
        raise AssertionError(step)


_STEPS = ["file", "refuse_filing", "conclude", "conclude_no_penalty", "notify", "statement", "waive", "end_statement",
          "request_hearing", "decide", "decide_no_penalty", "transfer", "serve", "pay", "enforce", "close", "archive",
          "terminate", "return", "review", "extend", "disclose"]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_STEPS), st.integers(0, 30)), min_size=1, max_size=14))
def test_random_service_sequences(world_factory, steps: list[tuple[str, int]]) -> None:  # type: ignore[no-untyped-def]
    from services.core.errors import AppError
    from services.procedures import cases as c

    w = world_factory()
    uid = c.register_clue(w.uow(), c.ClueInput(
        cause="违法堆放", power_item_code="SR-003", party_uid=w.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 25), registered_on=date(2026, 2, 26))).uid
    reachable = _reachable(CaseStatus.CLUE, pf.TRANSITIONS)
    state = CaseStatus.CLUE
    day = _BASE
    for step, advance in steps:
        day = day + timedelta(days=advance)
        w.set_today(day)
        before = w.snapshot()
        try:
            _call(step, w, uid, day)
        except AppError:
            assert w.snapshot() == before, f"refused {step} changed the database"
            assert c.get_case(w.uow(), uid).status is state
            continue
        new = c.get_case(w.uow(), uid).status
        assert new in reachable
        assert any(state in src and new in dst for src, dst in pf.TRANSITIONS.values()), (step, state, new)
        state = new
