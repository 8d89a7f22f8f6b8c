"""Bulk demo generator at scale 0.01: proportions, valid identifiers, every case and dispute a path of its state
machine through the services' guards, deadlines as recompute computes them, verify and stats pass."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from random import Random
from typing import Any

import pytest

from models.base import SHANGHAI
from models.enums import CaseStatus, DiscretionTierName, MediationStatus, ProposedOutcome
from models.identifiers import check_resident_id, check_uscc
from models.mediation_flow import MediationAction
from models.mediation_flow import check_edge as check_mediation_edge
from models.penalty_flow import CaseAction, check_edge
from services.core.clock import FixedClock
from services.core.db import Database, copy_sqlite
from services.core.errors import AppError
from services.core.uow import UnitOfWork
from services.maintenance.verify import verify_database
from services.read.home import HORIZON_DAYS, work_page
from services.reference.setup import initialise
from services.statistics.yearly import yearly_stats
from tests.services.unlock import data_key
from tools.demo.bulk import generate_township
from tools.demo.bulk.context import uids_from_bits

TODAY = date(2026, 3, 2)
SCALE = 0.01
SEED = 20260302


def _clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI))


def _fresh(path: Path) -> Database:
    db = Database.open(path)
    initialise(db, UnitOfWork(db, actor="tester", clock=_clock()), township="竹根镇", squad="竹根镇综合行政执法中队",
               admin_password="secret123", catalogue_effective_from=date(2016, 1, 1))
    return db


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, dict[str, int]]]:
    db = _fresh(tmp_path_factory.mktemp("bulk") / "bulk.sqlite3")
    stages: list[int] = []
    counts = generate_township(db, seed=SEED, today=TODAY, scale=SCALE, progress=lambda _s, p: stages.append(p),
                               data_key=data_key(db, "admin", "secret123"))
    assert stages and stages[-1] == 100
    yield db, counts
    db.dispose()


def _rows(db: Database, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    assert db.path is not None
    conn = sqlite3.connect(str(db.path))
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _one(db: Database, sql: str, *args: Any) -> Any:
    return _rows(db, sql, *args)[0][0]


def test_uid_matches_uuid4_text() -> None:
    rng = Random(1)
    for _ in range(20):
        bits = rng.getrandbits(128 * 10)
        chunks = [(bits >> (128 * (9 - i))) & ((1 << 128) - 1) for i in range(10)]
        assert uids_from_bits(bits, 10) == [str(uuid.UUID(int=n, version=4)) for n in chunks]


def test_counts_are_proportional(generated: tuple[Database, dict[str, int]]) -> None:
    db, counts = generated
    inspections = _one(db, "SELECT count(*) FROM inspection")
    assert inspections == counts["inspection"] >= 1000
    assert _one(db, "SELECT count(*) FROM penalty_case") >= 200
    assert _one(db, "SELECT count(*) FROM mediation_case") >= 100
    assert 120 <= _one(db, "SELECT count(*) FROM party") <= 200
    assert counts["campaign"] >= 8 * 9
    assert counts["training"] > 0 and counts["training_attendance"] > 0
    assert counts["transfer"] > 0 and counts["coercive_measure"] > 0 and counts["coercive_item"] > 0
    kinds = {r[0] for r in _rows(db, "SELECT DISTINCT kind FROM transfer")}
    assert kinds == {"department", "judiciary"}
    assert _one(db, "SELECT count(*) FROM officer WHERE active=1") >= 10
    assert _one(db, "SELECT count(*) FROM mediation_committee") >= 5
    assert _one(db, "SELECT min(n) FROM (SELECT count(*) n FROM mediator GROUP BY committee_id)") >= 3
    # The last full year carries a realistic share of the work.
    y2025 = _one(db, "SELECT count(*) FROM inspection WHERE inspected_on BETWEEN '2025-01-01' AND '2025-12-31'")
    assert 0.09 * inspections <= y2025 <= 0.16 * inspections


def test_inspections_have_officers_items_and_consistent_results(generated: tuple[Database, dict[str, int]]) -> None:
    db, _ = generated
    assert _one(db, "SELECT count(*) FROM inspection i WHERE (SELECT count(*) FROM inspection_officer o "
                    "WHERE o.inspection_id=i.id) < 2") == 0
    per = _rows(db, "SELECT count(*) FROM inspection_item GROUP BY inspection_id")
    assert min(r[0] for r in per) >= 2 and max(r[0] for r in per) <= 4
    assert _one(db, "SELECT count(*) FROM inspection i WHERE result='passed' AND EXISTS (SELECT 1 FROM inspection_item t "
                    "WHERE t.inspection_id=i.id AND t.result='problem')") == 0
    assert _one(db, "SELECT count(*) FROM inspection i WHERE result!='passed' AND NOT EXISTS (SELECT 1 FROM "
                    "inspection_item t WHERE t.inspection_id=i.id AND t.result='problem')") == 0
    assert _one(db, "SELECT count(*) FROM inspection WHERE result='ordered' AND rectification_deadline IS NULL") == 0
    assert _one(db, "SELECT count(*) FROM inspection WHERE reinspection_of_id IS NOT NULL") > 0
    assert _one(db, "SELECT count(*) FROM inspection_item t JOIN inspection i ON i.id=t.inspection_id "
                    "WHERE i.result='rectified_on_spot' AND t.result='problem' AND t.rectified_on IS NULL") == 0
    results = dict(_rows(db, "SELECT result, count(*) FROM inspection GROUP BY result"))
    assert set(results) == {"passed", "rectified_on_spot", "ordered", "case_opened", "transferred"}
    assert _one(db, "SELECT count(DISTINCT number) = count(*) FROM inspection") == 1


def test_identifiers_are_valid(generated: tuple[Database, dict[str, int]]) -> None:
    """The bulk writer seals the declared personal data (models/sealed.py) as the ORM does: opened with the
    database's key, every number is a valid one."""
    db, _ = generated
    key = data_key(db, "admin", "secret123")
    assert key is not None

    def opened(table: str, column: str, uid: str, value: str) -> str:
        assert not value or value.startswith("ed1:"), (table, column, value)  # nothing in the clear
        return key.open(value, table=table, column=column, uid=uid)

    for uid, kind, id_type, number, operator in _rows(
            db, "SELECT uid, kind, id_type, id_number, operator_id_number FROM party"):
        number, operator = opened("party", "id_number", uid, number), opened("party", "operator_id_number", uid, operator)
        if id_type == "resident_id":
            assert check_resident_id(number, TODAY).ok, number
            assert number.startswith("511112")
        else:
            res = check_uscc(number)
            assert res.ok and not res.warning, (number, res)
            assert number[:8] == ("92511112" if kind == "individual_business" else "91511112")
        if operator:
            assert check_resident_id(operator, TODAY).ok
    for uid, number in _rows(db, "SELECT uid, id_number FROM officer WHERE id_number != ''"):
        assert check_resident_id(opened("officer", "id_number", uid, number), TODAY).ok
    for uid, phone, shown in _rows(db, "SELECT uid, phone, phone_masked FROM party"):
        phone = opened("party", "phone", uid, phone)
        assert len(phone) == 11 and phone.startswith("1")
        assert shown == phone[:3] + "****" + phone[-4:]  # the masked form lists show, written alongside


def test_case_statuses_and_fines_are_consistent(generated: tuple[Database, dict[str, int]]) -> None:
    db, _ = generated
    statuses = {r[0] for r in _rows(db, "SELECT DISTINCT status FROM penalty_case")}
    assert statuses == {s.value for s in CaseStatus}
    out_of_range = _rows(db, "SELECT c.id, c.fine_amount, p.fine_min, p.fine_max FROM penalty_case c "
                             "JOIN power_item p ON p.id=c.power_item_id WHERE c.fine_amount IS NOT NULL AND "
                             "(c.fine_amount < coalesce(p.fine_min, 0) OR c.fine_amount > p.fine_max)")
    assert out_of_range == []
    assert _one(db, "SELECT count(*) FROM penalty_case c JOIN party p ON p.id=c.party_id WHERE c.procedure='summary' "
                    "AND c.fine_amount > CASE p.kind WHEN 'person' THEN 20000 ELSE 300000 END") == 0
    decided = ("decided", "executing", "enforcing", "executed", "closed", "archived")
    q = ",".join(f"'{s}'" for s in decided)
    assert _one(db, f"SELECT count(*) FROM penalty_case WHERE procedure='general' AND status IN ({q}) AND "  # noqa: S608 - constant statuses
                    "no_penalty_ground IS NULL AND (decision_number NOT LIKE '%罚决字%' OR decision_date IS NULL "
                    "OR fine_amount IS NULL OR notified_on IS NULL OR filed_on IS NULL)") == 0
    assert _one(db, "SELECT count(*) FROM penalty_case WHERE procedure='summary' AND "
                    "decision_number NOT LIKE '%当罚字%'") == 0
    assert _one(db, "SELECT count(*) FROM penalty_case WHERE no_penalty_ground IS NOT NULL AND "
                    "decision_number NOT LIKE '%不罚字%'") == 0
    assert _one(db, "SELECT count(*) FROM penalty_case WHERE status IN ('closed','archived') AND closed_on IS NULL") == 0
    assert _one(db, "SELECT count(*) FROM penalty_case WHERE status='archived' AND archived_on IS NULL") == 0
    assert _one(db, "SELECT count(*) FROM penalty_case WHERE filed_on IS NOT NULL AND number NOT LIKE '%立字%'") == 0
    numbers = _rows(db, "SELECT number FROM penalty_case WHERE number != ''")
    assert len(numbers) == len(set(numbers))
    # Filed cases have two officers, and the events replay to the stored status.
    assert _one(db, "SELECT count(*) FROM penalty_case c WHERE filed_on IS NOT NULL AND "
                    "(SELECT count(*) FROM case_officer o WHERE o.case_id=c.id) != 2") == 0
    last_event = _rows(db, "SELECT c.status, (SELECT e.to_status FROM case_event e WHERE e.case_id=c.id "
                           "ORDER BY e.id DESC LIMIT 1) FROM penalty_case c WHERE c.status != 'clue'")
    assert all(status == last for status, last in last_event)
    assert _one(db, "SELECT count(*) FROM transfer WHERE case_id IS NOT NULL") == _one(
        db, "SELECT count(*) FROM penalty_case WHERE status='transferred'")
    # Open statuses cluster in the current year.
    old_open = _one(db, "SELECT count(*) FROM penalty_case WHERE registered_on < '2025-06-01' AND status IN "
                        "('clue','investigating','reviewing','notified','hearing','pending_decision','decided')")
    assert old_open == 0


def test_mediation_records(generated: tuple[Database, dict[str, int]]) -> None:
    db, _ = generated
    assert _one(db, "SELECT count(*) FROM mediation_case m WHERE (SELECT count(*) FROM mediation_party p "
                    "WHERE p.case_id=m.id) != 2") == 0
    assert _one(db, "SELECT count(*) FROM mediation_case m WHERE accepted_on IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM mediation_session s WHERE s.case_id=m.id)") == 0
    assert _one(db, "SELECT count(*) FROM mediation_case m WHERE status='closed' AND agreement_form IS NOT NULL "
                    "AND NOT EXISTS (SELECT 1 FROM follow_up_visit v WHERE v.case_id=m.id)") == 0
    assert _one(db, "SELECT count(*) FROM mediation_case WHERE status='closed'") > _one(
        db, "SELECT count(*) FROM mediation_case") // 2


def test_verify_and_audit(generated: tuple[Database, dict[str, int]]) -> None:
    db, counts = generated
    report = verify_database(db)
    assert report.ok, report.problems
    bulk = _rows(db, "SELECT entity, entity_uid FROM audit_event WHERE action='demo.bulk_insert'")
    assert {e for e, _ in bulk} == set(counts) - {"deadline"}
    assert all(uid == f"bulk:{counts[e]}" for e, uid in bulk)
    # Deadlines only for open records.
    assert _one(db, "SELECT count(*) FROM deadline d JOIN penalty_case c ON d.owner_table='penalty_case' AND "
                    "c.id=d.owner_id WHERE c.status IN ('closed','archived','terminated','not_filed')") == 0
    assert _one(db, "SELECT count(*) FROM deadline") > 0


def test_yearly_stats_2025(generated: tuple[Database, dict[str, int]]) -> None:
    db, _ = generated
    stats = yearly_stats(UnitOfWork(db, actor="tester", clock=_clock(), write=False), 2025)
    assert stats.inspections > 0 and stats.cases_filed > 0 and stats.mediation_accepted > 0
    assert stats.summary_procedure_cases > 0 and stats.fines_yuan > 0 and stats.disclosures > 0
    assert 90 <= stats.mediation_success_rate <= 100
    assert stats.problems_found > 0 and stats.problems_rectified > 0 and stats.campaigns > 0
    assert stats.trainings > 0 and stats.certified_officers > 0


def test_refuses_a_database_with_cases(generated: tuple[Database, dict[str, int]]) -> None:
    db, _ = generated
    before = _one(db, "SELECT count(*) FROM audit_event")
    with pytest.raises(AppError, match="已有业务数据"):
        generate_township(db, seed=1, today=TODAY, scale=SCALE, data_key=data_key(db, "admin", "secret123"))
    assert _one(db, "SELECT count(*) FROM audit_event") == before
    with db.engine.connect() as conn:  # the pooled connection got its pragmas back
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -2000


def test_same_seed_same_data(tmp_path: Path, generated: tuple[Database, dict[str, int]]) -> None:
    db, _ = generated
    other = _fresh(tmp_path / "again.sqlite3")
    try:
        generate_township(other, seed=SEED, today=TODAY, scale=SCALE,
                          data_key=data_key(other, "admin", "secret123"))
        sql = "SELECT uid, number, status, fine_amount, decision_number FROM penalty_case ORDER BY id"
        assert _rows(db, sql) == _rows(other, sql)
        sql = "SELECT uid, number, result, inspected_on FROM inspection ORDER BY id"
        assert _rows(db, sql) == _rows(other, sql)
    finally:
        other.dispose()


def test_home_shows_a_realistic_state_of_work(generated: tuple[Database, dict[str, int]]) -> None:
    """Ten years of records, yet the 工作台 shows the current work: past re-inspections, payments, disclosures and
    follow-ups were done, so only a few recent items are overdue; some fall due in the next two weeks."""
    db, _ = generated
    page = work_page(UnitOfWork(db, actor="tester", clock=_clock(), write=False), limit=1000)
    assert len(page.items) == page.total
    overdue = [i for i in page.items if i.days_left < 0]
    assert len(overdue) == page.overdue <= max(3, page.total // 5), [(i.days_left, i.kind) for i in overdue]
    assert all(i.days_left >= -400 for i in overdue), [(i.days_left, i.kind) for i in overdue]
    assert sum(0 <= i.days_left <= HORIZON_DAYS for i in page.items) >= 3
    # No deadline of a record from before last year is left open (enforcement included).
    assert _one(db, "SELECT count(*) FROM deadline WHERE met_on IS NULL AND owner_table != 'officer' "
                    "AND due_on < '2025-01-01'") == 0


def test_every_case_is_a_path_of_the_state_machine(generated: tuple[Database, dict[str, int]]) -> None:
    """Each case's stored events, in order, are edges of models/penalty_flow.py from 线索 to the case's status."""
    db, _ = generated
    events: dict[int, list[tuple[str, str, str, str]]] = {}
    for case_id, action, frm, to, on in _rows(db, "SELECT case_id, action, from_status, to_status, on_date "
                                                  "FROM case_event ORDER BY case_id, id"):
        events.setdefault(case_id, []).append((action, frm, to, on))
    statuses = dict(_rows(db, "SELECT id, status FROM penalty_case"))
    assert len(statuses) >= 200
    for case_id, status in statuses.items():
        current, last_day = CaseStatus.CLUE, ""
        for action, frm, to, on in events.get(case_id, []):
            assert CaseStatus(frm) is current, (case_id, action, frm, current)
            check_edge(CaseAction(action), current, CaseStatus(to))
            assert on >= last_day and on <= TODAY.isoformat(), (case_id, action, on)
            current, last_day = CaseStatus(to), on
        assert current is CaseStatus(status), case_id


def test_every_dispute_is_a_path_of_the_mediation_machine(generated: tuple[Database, dict[str, int]]) -> None:
    """A dispute's stored dates, read as the steps that wrote them, walk models/mediation_flow.py to its status."""
    db, _ = generated
    sessions: dict[int, list[str]] = {}
    for case_id, held in _rows(db, "SELECT case_id, held_at FROM mediation_session"):
        sessions.setdefault(case_id, []).append(str(held)[:10])
    visits: dict[int, list[str]] = {}
    for case_id, on in _rows(db, "SELECT case_id, visited_on FROM follow_up_visit"):
        visits.setdefault(case_id, []).append(on)
    rows = _rows(db, "SELECT id, status, accepted_on, ended_on, agreement_form, confirmation_applied_on, "
                     "confirmation_decided_on, confirmation_granted, closed_on FROM mediation_case")
    M, A = MediationStatus, MediationAction  # noqa: N806 - read like the flow module's own names
    for mid, status, accepted, ended, form, applied, decided, granted, closed in rows:
        steps: list[tuple[str, int, MediationAction, MediationStatus | None]] = []
        if status == M.REJECTED:
            steps.append((ended, 0, A.REJECT, M.REJECTED))
        if accepted:
            steps.append((accepted, 0, A.ACCEPT, M.MEDIATING))
        steps += [(day, 1, A.SESSION, None) for day in sessions.get(mid, [])]
        if ended and status != M.REJECTED:
            end = (A.SUCCEED, M.SUCCEEDED) if form else (A.FAIL, M.FAILED) if status == M.FAILED else (
                A.TERMINATE, M.TERMINATED)
            steps.append((ended, 2, *end))
        steps += [(day, 3, A.FOLLOW_UP, None) for day in visits.get(mid, [])]
        if applied:
            steps.append((applied, 4, A.APPLY_CONFIRMATION, M.CONFIRMATION_PENDING))
        if decided:
            steps.append((decided, 5, A.RECORD_CONFIRMATION, M.CONFIRMED if granted else M.CONFIRMATION_REFUSED))
        if closed:
            steps.append((closed, 6, A.CLOSE, M.CLOSED))
        current = M.APPLIED
        for _day, _k, action, target in sorted(steps, key=lambda s: (s[0], s[1])):
            check_mediation_edge(action, current, target or current)
            current = target or current
        assert current is M(status), (mid, status, steps)


def test_deadlines_are_what_recompute_computes(tmp_path: Path, generated: tuple[Database, dict[str, int]]) -> None:
    """On a copy: services/procedures/recompute.py redoes every record's deadlines (the bulk path for all of them,
    the ORM path for the open ones) and finds exactly what the generator stored."""
    from services.procedures.recompute import recompute_bulk, recompute_owners

    db, _ = generated
    assert db.path is not None
    copy = Database.open(copy_sqlite(db.path, tmp_path / "copy.sqlite3"))
    sql = "SELECT owner_table, owner_id, kind, due_on, provisional, met_on, basis FROM deadline ORDER BY 1, 2, 3, 4"
    try:
        stored = _rows(copy, sql)
        owners = {(t, i) for t in ("penalty_case", "mediation_case", "coercive_measure")
                  for (i,) in _rows(copy, f"SELECT id FROM {t}")}  # noqa: S608 - constant table names
        open_owners = {(t, i) for t, i, *_ in stored if t != "inspection"}
        assert len(owners) > 300 and len(open_owners) > 10
        with UnitOfWork(copy, actor="tester", clock=_clock()) as u:
            recompute_bulk(u.session, owners)
            u.commit()
        assert _rows(copy, sql) == stored
        with UnitOfWork(copy, actor="tester", clock=_clock()) as u:
            assert recompute_owners(u.session, open_owners) == len(open_owners)
            u.commit()
        assert _rows(copy, sql) == stored
    finally:
        copy.dispose()


def test_stored_cases_pass_the_services_guards(generated: tuple[Database, dict[str, int]]) -> None:
    """The decided, heard, enforced and closed cases, loaded by the ORM as the services load them, pass again the
    guards of the step that decided, heard, enforced or closed them (the fields they read do not change later)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from models.case import PenaltyCase
    from services.procedures import case_rules as rules
    from services.reference.calendar import load_calendar
    from services.reference.settings import Settings

    db, _ = generated
    checked = {"decision": 0, "hearing": 0, "enforcement": 0, "summary": 0, "minor": 0}
    with UnitOfWork(db, actor="tester", clock=_clock(), write=False) as u:
        s = u.session
        settings, cal = Settings(s), load_calendar(s)
        for case in s.scalars(select(PenaltyCase).options(selectinload(PenaltyCase.party),
                                                          selectinload(PenaltyCase.power_item))):
            if case.decision_date is not None and case.no_penalty_ground is None and case.procedure.value == "general":
                assert case.fine_amount is not None
                rules.check_decision(case, case.decision_date, case.fine_amount, settings, cal)
                checked["decision"] += 1
            if case.hearing_requested_on is not None:
                rules.check_hearing_request(case, case.hearing_requested_on, settings, cal)
                checked["hearing"] += 1
            if case.enforcement_started_on is not None:
                rules.check_enforcement(case, case.enforcement_started_on, settings, cal)
                checked["enforcement"] += 1
            if case.procedure.value == "summary" and case.closed_on is not None:
                rules.check_close(case)
                checked["summary"] += 1
            if case.party_is_minor and case.discretion_tier is not None:
                assert case.discretion_tier.value in ("minor", "mitigated"), case.uid
                checked["minor"] += 1
            if case.notified_fine is not None:
                assert case.hearing_rights == rules.hearing_rights(case, case.notified_fine, settings), case.uid
    assert checked["decision"] > 50 and checked["hearing"] > 0 and checked["enforcement"] > 0, checked
    assert checked["summary"] > 10, checked


def test_a_plan_against_the_rules_is_refused() -> None:
    """The generator's steps check the state machine and the guards: a decision without prior notice, or one
    beyond the decision limit, stops the generator instead of writing a case the window could not make."""
    from decimal import Decimal

    from models.enums import CertStatus, IdType, PartyKind, Role
    from models.workdays import WorkCalendar
    from services.reference.settings import Settings
    from tools.demo.bulk.penalty_steps import CaseDraft, ItemRef, Steps
    from tools.demo.bulk.people import OfficerRef, PartyRef

    settings = Settings.__new__(Settings)
    settings._values = {}  # the defaults
    steps = Steps(settings, WorkCalendar({}, frozenset()))
    item = ItemRef((1, "SR-003", "占道经营", "占道", "any", 5000, 200000, "第X条", 0, None, None, None,
                    "2016-01-01", None))
    party = PartyRef(1, {"name": "王伟", "kind": PartyKind.PERSON, "address": "竹根镇", "birth_date": date(1980, 1, 1),
                         "id_number": ""}, IdType.NONE)
    officers = tuple(OfficerRef((k, f"u{k}", f"员{k}", Role.OFFICER.value, f"c{k}", CertStatus.VALID.value,
                                 "2016-01-01", "2030-12-31")) for k in (1, 2))
    c = CaseDraft(1, party, item, date(2025, 3, 3), date(2025, 3, 1))
    steps.file(c, date(2025, 3, 4), officers)
    with pytest.raises(AssertionError, match="作出处罚决定 is not a step"):
        steps.decide(c, date(2025, 3, 20), Decimal(500))
    steps.conclude(c, date(2025, 3, 10), ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, fine=Decimal(500))
    steps.notify(c, date(2025, 3, 11))
    steps.end_statement(c, date(2025, 3, 19))
    with pytest.raises(AssertionError, match="refused: 已超过办案期限"):
        steps.decide(c, date(2025, 6, 30), Decimal(500))
    assert [e.action.value for e in c.events] == ["file", "conclude_investigation", "prior_notice",
                                                  "end_statement_period"]
