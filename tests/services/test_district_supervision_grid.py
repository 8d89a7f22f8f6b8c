"""The supervision report and the completeness grid equal a plain check of every record — on SQLite and PostgreSQL.

Both reads take shortcuts at district scale (services/district/supervision.py, completeness.py): the grid reads
the inspections from ``figure_month``, supervision narrows its candidates in SQL and takes each case's last step
before joining its officers. These tests edit and soft-delete records the way imports and forms do and compare
each read with a reference written here the simple way: every record loaded, every rule applied in Python.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update

from models.base import SHANGHAI
from models.case import CaseEvent, CaseOfficer, PenaltyCase
from models.enums import AgreementForm, CaseStatus, InspectionResult, MediationStatus, Procedure
from models.inspection import Inspection
from models.mediation import MediationCase
from models.org import Officer, Township
from services.district import completeness_grid, supervise
from services.district.common import townships
from services.district.completeness import _records_by_month
from services.district.supervision import KINDS, SupervisionRow
from services.reference.calendar import load_calendar
from services.reference.settings import Settings
from services.statistics.figure_table import FIGURE_MONTH as FM
from services.statistics.figures import DIRTY, ensure_fresh, pending_cell_count
from tests.services.district_helpers import YEAR, District

pytestmark = pytest.mark.slow

DELETED = datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)


# -- completeness grid ------------------------------------------------------------------------------------------

def _direct_records(d: District, year: int) -> dict[tuple[str, int], int]:
    """(township uid, month) → live inspections + cases registered + disputes applied for, counted in Python."""
    out: Counter[tuple[str, int]] = Counter()
    with d.uow(write=False) as u:
        s = u.session
        uids = {tid: uid for tid, uid in s.execute(select(Township.id, Township.uid))}
        for model, col in ((Inspection, Inspection.inspected_on), (PenaltyCase, PenaltyCase.registered_on),
                           (MediationCase, MediationCase.applied_on)):
            for tid, day in s.execute(select(model.township_id, col).where(model.deleted_at.is_(None))):
                if day is not None and day.year == year:
                    out[(uids[tid], day.month)] += 1
    return dict(out)


def _grid_records(d: District, year: int) -> dict[tuple[str, int], int]:
    grid = completeness_grid(d.uow(write=False), year)
    return {(r.township_uid, c.month): c.records for r in grid.rows for c in r.cells if c.records}


def _edit_grid_records(d: District) -> None:
    """Moves, soft deletes and a new record in YEAR: the inspections' figure_month cells go dirty."""
    with d.uow() as u:
        s = u.session
        towns = townships(s)
        a, b = towns[0].id, towns[1].id
        live = (Inspection.deleted_at.is_(None), Inspection.inspected_on >= date(YEAR, 1, 1),
                Inspection.inspected_on <= date(YEAR, 12, 31))
        first, second = s.scalars(select(Inspection.id).where(Inspection.township_id == a, *live)
                                  .order_by(Inspection.id).limit(2)).all()
        s.execute(update(Inspection).where(Inspection.id == first)
                  .values(township_id=b, inspected_on=date(YEAR, 12, 30)))  # another township and month
        s.execute(update(Inspection).where(Inspection.id == second).values(deleted_at=DELETED))
        case = s.scalar(select(PenaltyCase.id).where(PenaltyCase.township_id == a, PenaltyCase.deleted_at.is_(None),
                                                     PenaltyCase.registered_on >= date(YEAR, 1, 1),
                                                     PenaltyCase.registered_on <= date(YEAR, 12, 31))
                        .order_by(PenaltyCase.id).limit(1))
        s.execute(update(PenaltyCase).where(PenaltyCase.id == case).values(deleted_at=DELETED))
        dispute = s.scalar(select(MediationCase.id).where(MediationCase.township_id == b,
                                                          MediationCase.applied_on >= date(YEAR, 1, 1),
                                                          MediationCase.applied_on <= date(YEAR, 12, 31))
                           .order_by(MediationCase.id).limit(1))
        s.execute(update(MediationCase).where(MediationCase.id == dispute).values(applied_on=date(YEAR, 2, 3)))
        day = date(YEAR, 7, 14)
        s.add(Inspection(township_id=a, number="补-002", started_at=datetime(YEAR, 7, 14, 9, tzinfo=SHANGHAI),
                         ended_at=datetime(YEAR, 7, 14, 10, tzinfo=SHANGHAI), inspected_on=day, place="补报地点",
                         domain="占道", result=InspectionResult.PASSED, officer_turnout=2))
        u.commit()


def test_grid_records_equal_a_direct_count_after_edits_and_soft_deletes(any_district: District,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    d = any_district
    ensure_fresh(d.uow(write=False))
    for year in (YEAR, YEAR + 1):
        assert _grid_records(d, year) == _direct_records(d, year), year
    _edit_grid_records(d)
    # a reader that cannot refresh (another import holds the lock, a read-only copy): it counts the dirty cells
    monkeypatch.setattr("services.district.completeness.ensure_fresh", lambda uow: 0)
    with d.uow(write=False) as u:
        assert pending_cell_count(u.session) > 0
    assert _grid_records(d, YEAR) == _direct_records(d, YEAR)
    with d.uow(write=False) as u:
        assert pending_cell_count(u.session) > 0  # the read wrote nothing
    monkeypatch.undo()
    # the normal path: the grid refreshes figure_month first, as the statistics do
    assert _grid_records(d, YEAR) == _direct_records(d, YEAR)
    with d.uow(write=False) as u:
        assert pending_cell_count(u.session) == 0


def test_grid_reads_inspections_from_figure_month_and_never_a_stale_cell(any_district: District) -> None:
    """A wrong figure_month cell shows in the grid (so the tests above check the fast path, not a recount)
    until the cell is marked dirty, which the triggers do on every write: then it is counted from the records."""
    d = any_district
    ensure_fresh(d.uow(write=False))
    expected = _direct_records(d, YEAR)
    with d.uow() as u:
        s = u.session
        tid, month = s.execute(select(FM.c.township_id, FM.c.month)
                               .where(FM.c.year == YEAR, FM.c.inspections > 0)
                               .order_by(FM.c.township_id, FM.c.month).limit(1)).one()
        uid = s.scalar(select(Township.uid).where(Township.id == tid))
        s.execute(update(FM).where(FM.c.year == YEAR, FM.c.month == month, FM.c.township_id == tid)
                  .values(inspections=FM.c.inspections + 1000))
        u.commit()
    grid = _grid_records(d, YEAR)
    assert grid[(uid, month)] == expected[(uid, month)] + 1000
    with d.uow() as u:
        u.session.execute(insert(DIRTY).values(township_id=tid, year=YEAR, month=month))
        u.commit()
    with d.uow(write=False) as u:
        assert _records_by_month(u.session, YEAR)[(tid, month)] == expected[(uid, month)]  # dirty: recounted
    assert _grid_records(d, YEAR) == expected  # and after the refresh the grid runs first


# -- supervision --------------------------------------------------------------------------------------------------

def _reference(d: District, township: str | None = None, lookback_days: int = 365) -> list[SupervisionRow]:
    """Every rule of supervision.py's docstring applied to every record in Python, no SQL filtering."""
    rows: list[SupervisionRow] = []
    with d.uow(write=False) as u:
        s = u.session
        today = u.clock.today()
        since = today - timedelta(days=lookback_days)
        cal, st = load_calendar(s), Settings(s)
        names = {tid: name for tid, name in s.execute(select(Township.id, Township.name))}
        wanted = None if township is None else next(t.id for t in townships(s) if township in (t.name, t.uid))

        def row(kind: str, tid: int, table: str, uid: str, number: str, due: date, until: date,
                detail: str) -> SupervisionRow:
            return SupervisionRow(kind, KINDS[kind], names[tid], table, uid, number, due, (until - due).days, detail)

        cases = [c for c in s.scalars(select(PenaltyCase)) if c.deleted_at is None
                 and (wanted is None or c.township_id == wanted)]
        before = (CaseStatus.INVESTIGATING, CaseStatus.REVIEWING, CaseStatus.NOTIFIED, CaseStatus.HEARING,
                  CaseStatus.PENDING_DECISION)
        limit = st.int("decision.limit_days")
        per_kind: dict[str, list[SupervisionRow]] = {k: [] for k in KINDS}
        for c in cases:
            if (c.procedure == Procedure.GENERAL and c.filed_on is not None and c.decision_date is None
                    and c.status in before):
                due = cal.add_calendar_days(c.filed_on, limit + c.extension_days + c.suspended_days).due
                if today > due:
                    per_kind["decision_limit"].append(row(
                        "decision_limit", c.township_id, "penalty_case", c.uid, c.number, due, today,
                        f"立案 {c.filed_on:%Y-%m-%d}，延期 {c.extension_days} 日，扣除 {c.suspended_days} 日"))
        pay = st.int("payment.days")
        for c in cases:
            unpaid = c.paid_on is None or (c.paid_amount is not None and c.fine_amount is not None
                                           and c.paid_amount < c.fine_amount)
            if (c.fine_amount is not None and c.fine_amount > 0 and c.served_on is not None and unpaid
                    and c.status in (CaseStatus.DECIDED, CaseStatus.EXECUTING, CaseStatus.ENFORCING)):
                due = cal.add_calendar_days(c.served_on, pay).due
                if today > due:
                    note = f"罚款 {c.fine_amount} 元，已缴 {c.paid_amount or 0} 元"
                    note += (f"；已于 {c.enforcement_started_on:%Y-%m-%d} 启动强制执行" if c.enforcement_started_on
                             else "；尚未催告或申请强制执行")
                    per_kind["unpaid_fine"].append(row("unpaid_fine", c.township_id, "penalty_case", c.uid, c.number,
                                                       due, today, note))
        wd = st.int("disclosure.working_days")
        procedures = {Procedure.GENERAL} | ({Procedure.SUMMARY} if st.bool("disclosure.summary_required") else set())
        for c in cases:
            if (c.decision_date is None or c.no_penalty_ground is not None or c.status == CaseStatus.NO_PENALTY
                    or c.procedure not in procedures):
                continue
            due = cal.add_workdays(c.decision_date, wd).due
            number = c.decision_number or c.number
            if c.disclosed_on is None and today > due:
                per_kind["disclosure"].append(row("disclosure", c.township_id, "penalty_case", c.uid, number, due,
                                                  today, f"决定 {c.decision_date:%Y-%m-%d}，至今未公示"))
            elif (c.disclosed_on is not None and c.decision_date >= since - timedelta(days=30)
                  and c.disclosed_on > due and c.disclosed_on >= since):
                per_kind["disclosure"].append(row(
                    "disclosure", c.township_id, "penalty_case", c.uid, number, due, c.disclosed_on,
                    f"决定 {c.decision_date:%Y-%m-%d}，{c.disclosed_on:%Y-%m-%d} 才公示"))
        events: dict[int, list[date]] = {}
        for e in s.scalars(select(CaseEvent)):
            if e.deleted_at is None:
                events.setdefault(e.case_id, []).append(e.on_date)
        officers = {o.id: o for o in s.scalars(select(Officer))}
        by_id = {c.id: c for c in cases}
        steps: dict[tuple[Any, ...], date] = {}
        for link in s.scalars(select(CaseOfficer)):
            c, o = by_id.get(link.case_id), officers[link.officer_id]
            if link.deleted_at is not None or c is None or o.cert_valid_to is None:
                continue
            after = [day for day in events.get(c.id, []) if day > o.cert_valid_to and day >= since]
            if after:
                key = (c.uid, c.number, names[c.township_id], o.name, o.cert_number, o.cert_valid_to, c.township_id)
                steps[key] = max(max(after), steps.get(key, date.min))
        for (uid, number, _town, officer, cert, valid_to, tid), last in sorted(steps.items()):
            per_kind["expired_certificate"].append(row(
                "expired_certificate", tid, "penalty_case", uid, number, valid_to, last,
                f"执法人员{officer}（证号{cert}）证件 {valid_to:%Y-%m-%d} 到期，{last:%Y-%m-%d} 仍参与办案"))
        days = st.int("mediation.confirmation_days")
        for m in s.scalars(select(MediationCase)):
            applied = m.confirmation_applied_on
            if (m.deleted_at is not None or m.agreement_form != AgreementForm.WRITTEN
                    or m.agreement_effective_on is None or (wanted is not None and m.township_id != wanted)
                    or not (m.status == MediationStatus.SUCCEEDED or (applied is not None and applied >= since))):
                continue
            due = cal.add_calendar_days(m.agreement_effective_on, days).due
            if applied is None and today > due:
                per_kind["confirmation_window"].append(row(
                    "confirmation_window", m.township_id, "mediation_case", m.uid, m.number, due, today,
                    f"协议 {m.agreement_effective_on:%Y-%m-%d} 生效，未申请司法确认，也未结案"))
            elif applied is not None and applied > due:
                per_kind["confirmation_window"].append(row(
                    "confirmation_window", m.township_id, "mediation_case", m.uid, m.number, due, applied,
                    f"协议 {m.agreement_effective_on:%Y-%m-%d} 生效，{applied:%Y-%m-%d} 才申请司法确认"))
        for kind in KINDS:
            rows += sorted(per_kind[kind], key=lambda r: (-r.days_overdue, r.township, r.number))
    return rows


def _same(actual: list[SupervisionRow], expected: list[SupervisionRow]) -> None:
    """Equal as lists, up to the order of rows that tie on (kind, days, township, number)."""
    def key(r: SupervisionRow) -> tuple[Any, ...]:
        return (list(KINDS).index(r.kind), -r.days_overdue, r.township, r.number)

    assert [key(r) for r in actual] == [key(r) for r in expected]
    assert sorted(actual, key=lambda r: (key(r), r.uid, r.detail)) == \
        sorted(expected, key=lambda r: (key(r), r.uid, r.detail))


def _edit_supervised_records(d: District) -> dict[str, str]:
    """Disclosures on, just after and outside the rules' edges; an expired certificate on cases with deleted
    steps and a deleted officer link. Returns the uids the assertions look for."""
    with d.uow() as u:
        s = u.session
        today = u.clock.today()
        since = today - timedelta(days=365)
        wd = Settings(s).int("disclosure.working_days")
        cal = load_calendar(s)
        decided = [c for c in s.scalars(
            select(PenaltyCase).where(PenaltyCase.deleted_at.is_(None), PenaltyCase.procedure == Procedure.GENERAL,
                                      PenaltyCase.decision_date.is_not(None), PenaltyCase.no_penalty_ground.is_(None),
                                      PenaltyCase.status != CaseStatus.NO_PENALTY).order_by(PenaltyCase.id).limit(5))]
        assert len(decided) == 5
        on_time, late, old, deleted, before = decided
        day = date(2026, 10, 9)
        due = cal.add_workdays(day, wd).due
        plans: list[tuple[PenaltyCase, dict[str, Any]]] = [
            (on_time, {"decision_date": day, "disclosed_on": due}),
            (late, {"decision_date": day, "disclosed_on": due + timedelta(days=1)}),
            # decided before the look-back (minus its 30-day margin): history even though published late
            (old, {"decision_date": since - timedelta(days=31), "disclosed_on": since + timedelta(days=60)}),
            (deleted, {"decision_date": day, "disclosed_on": None, "deleted_at": DELETED}),
            (before, {"decision_date": since - timedelta(days=29), "disclosed_on": since - timedelta(days=1)}),
        ]
        for case, values in plans:
            s.execute(update(PenaltyCase).where(PenaltyCase.id == case.id).values(**values))
        # an officer whose certificate ended on 2026-01-31, on a case with steps after; its last step deleted
        case_id, officer_id = s.execute(
            select(CaseOfficer.case_id, CaseOfficer.officer_id).join(CaseEvent, CaseEvent.case_id == CaseOfficer.case_id)
            .where(CaseEvent.on_date >= date(2026, 3, 1), CaseEvent.deleted_at.is_(None),
                   CaseOfficer.deleted_at.is_(None))
            .group_by(CaseOfficer.case_id, CaseOfficer.officer_id)
            .having(func.count() >= 2).order_by(CaseOfficer.case_id).limit(1)).one()
        s.execute(update(Officer).where(Officer.id == officer_id).values(cert_valid_to=date(2026, 1, 31)))
        last_event = s.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case_id, CaseEvent.deleted_at.is_(None))
                              .order_by(CaseEvent.on_date.desc(), CaseEvent.id.desc()).limit(1))
        s.execute(update(CaseEvent).where(CaseEvent.id == last_event).values(deleted_at=DELETED))
        other_link = s.scalar(select(CaseOfficer.id).join(CaseEvent, CaseEvent.case_id == CaseOfficer.case_id)
                              .where(CaseOfficer.officer_id == officer_id, CaseOfficer.case_id != case_id,
                                     CaseEvent.on_date >= date(2026, 3, 1), CaseOfficer.deleted_at.is_(None))
                              .order_by(CaseOfficer.id).limit(1))
        if other_link is not None:
            s.execute(update(CaseOfficer).where(CaseOfficer.id == other_link).values(deleted_at=DELETED))
        uids = {"on_time": on_time.uid, "late": late.uid, "old": old.uid, "deleted": deleted.uid,
                "before": before.uid, "expired_case": s.scalar(select(PenaltyCase.uid)
                                                               .where(PenaltyCase.id == case_id)) or ""}
        u.commit()
    return uids


def test_supervision_equals_a_check_of_every_record(any_district: District) -> None:
    d = any_district
    _same(supervise(d.uow(write=False)), _reference(d))
    uids = _edit_supervised_records(d)
    rows = supervise(d.uow(write=False))
    _same(rows, _reference(d))
    disclosed = {r.uid: r for r in rows if r.kind == "disclosure"}
    assert uids["late"] in disclosed and disclosed[uids["late"]].days_overdue == 1
    assert not {uids["on_time"], uids["old"], uids["deleted"], uids["before"]} & set(disclosed)
    assert uids["expired_case"] in {r.uid for r in rows if r.kind == "expired_certificate"}
    for town in ("竹根镇", "牛华镇"):  # one township: the same rows, that township's only
        _same(supervise(d.uow(write=False), township=town), _reference(d, town))
    _same(supervise(d.uow(write=False), lookback_days=30), _reference(d, lookback_days=30))
