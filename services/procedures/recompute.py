"""Recompute stored deadlines when their inputs change outside a procedure step (calendar, settings, sync)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from models.case import CaseEvent, CoerciveMeasure, PenaltyCase
from models.enums import CaseStatus, CoerciveStatus, MediationStatus, RecordKind
from models.mediation import FollowUpVisit, MediationCase
from models.system import Deadline
from services.core.errors import ValidationError
from services.procedures import deadlines as dl
from services.reference.calendar import load_calendar
from services.reference.settings import Settings


def recompute_owners(session: Session, owners: set[tuple[str, int]]) -> int:
    """Recompute the deadlines of the given (owner_table, owner_id) records; returns how many were redone."""
    settings, cal = Settings(session), load_calendar(session)
    done = 0
    case_ids = [i for t, i in owners if t == RecordKind.PENALTY_CASE]
    for case in session.scalars(select(PenaltyCase).where(PenaltyCase.id.in_(case_ids))
                                .options(selectinload(PenaltyCase.events))):
        dl.store(session, RecordKind.PENALTY_CASE, case.id, dl.case_deadlines(case, settings, cal))
        done += 1
    med_ids = [i for t, i in owners if t == RecordKind.MEDIATION_CASE]
    for mc in session.scalars(select(MediationCase).where(MediationCase.id.in_(med_ids))
                              .options(selectinload(MediationCase.visits))):
        dl.store(session, RecordKind.MEDIATION_CASE, mc.id, dl.mediation_deadlines(mc, settings, cal))
        done += 1
    for m in session.scalars(select(CoerciveMeasure).where(
            CoerciveMeasure.id.in_([i for t, i in owners if t == RecordKind.COERCIVE_MEASURE]))):
        dl.store(session, RecordKind.COERCIVE_MEASURE, m.id, [dl.coercive_deadline(m, cal)])
        done += 1
    return done


def recompute_after_rule_change(session: Session) -> int:
    """Redo, in the caller's unit of work, the stored deadlines a changed setting or holiday calendar may move.

    Called by every writer of those inputs — services.reference.settings_admin.update_setting, the calendar
    changes of services.reference.calendar_admin and the apply side of a reference bundle
    (services.sync.reference.apply_extras) — before it commits, so the new rule and the deadlines computed with
    it are stored together or not at all. Which records: every one with an unmet deadline (periods and working
    days decide when it falls due) or a provisional one (a year whose holiday arrangement was missing: "暂定",
    docs/legal-basis.md §3); a record whose deadlines are all met and final keeps them as they were. Through the
    bulk path below (a township's open records in well under a second). A rule that puts a deadline past the last
    representable date (an absurd period) is refused. Returns how many records were recomputed.
    """
    owners = {(t, i) for t, i in session.execute(
        select(Deadline.owner_table, Deadline.owner_id).where(or_(Deadline.met_on.is_(None),
                                                                  Deadline.provisional.is_(True))))}
    try:
        return recompute_bulk(session, owners)
    except OverflowError as exc:  # date arithmetic past 9999-12-31
        raise ValidationError("按此数值计算的期限超出可表示的日期范围，请检查填写的期限天数") from exc


# -- bulk: thousands of records at once (a sync import) ------------------------------------------------------

# Records whose deadlines are live. A closed record keeps no stored deadlines of its own (the township demo
# generator, tools/demo/bulk/, uses these sets: tests/services/test_demo_bulk.py recomputes its deadlines).
OPEN_CASE = frozenset(CaseStatus) - {CaseStatus.NOT_FILED, CaseStatus.TRANSFERRED, CaseStatus.CLOSED,
                                     CaseStatus.ARCHIVED, CaseStatus.TERMINATED}
OPEN_MEDIATION = frozenset({MediationStatus.APPLIED, MediationStatus.MEDIATING, MediationStatus.SUCCEEDED,
                            MediationStatus.CONFIRMATION_PENDING})
OPEN_COERCIVE = frozenset({CoerciveStatus.ACTIVE})

# The attributes services.procedures.deadlines reads, per owner table. The stand-ins are SimpleNamespaces, so a deadline
# rule that starts reading another attribute fails loudly (AttributeError) in tests/services/test_recompute.py
# rather than silently computing from a missing value.
_CASE_COLS = ("procedure", "status", "filed_on", "extension_days", "suspended_days", "decision_date", "closed_on",
              "updated_at", "notified_on", "hearing_requested_on", "hearing_rights", "served_on", "disclosed_on",
              "no_penalty_ground", "summary_filed_on", "fine_amount", "paid_amount", "paid_on")
_MEDIATION_COLS = ("accepted_on", "ended_on", "agreement_form", "agreement_effective_on", "confirmation_applied_on",
                   "closed_on", "performance_deadline", "performance_status")
_COERCIVE_COLS = ("started_on", "period_days", "extended_days", "excluded_days", "ended_on")
CHUNK = 900  # ids per IN (…): under SQLite's smallest variable limit (999)


def recompute_bulk(session: Session, owners: Iterable[tuple[str, int]]) -> int:
    """Recompute the deadlines of many (owner_table, owner_id) records after a sync import or a rule change, with
    the rules of services.procedures.deadlines but without the ORM unit of work (which costs ~10 ms a record).

    Which records: every *open* one (OPEN_CASE …), and a closed one only if it has stored deadlines (they were
    computed while it was open here and would otherwise stay unmet for ever); a record that arrives closed
    gets none. Per table, the columns the rules read are loaded with one SELECT per 900 ids through SQLAlchemy
    Core (money, dates, times and enums arrive exactly as the ORM gives them), each record becomes a lightweight
    stand-in with its events or visits in the relationship's order, and its old rows are replaced: one DELETE
    per 900 ids, one executemany. Returns how many records were recomputed.
    """
    settings, cal = Settings(session), load_calendar(session)
    ids: dict[str, list[int]] = defaultdict(list)
    for table, rid in owners:
        ids[table].append(rid)
    out: list[tuple[Any, ...]] = []
    case_ids = _live(session, RecordKind.PENALTY_CASE, PenaltyCase, OPEN_CASE, ids.get(RecordKind.PENALTY_CASE, []))
    cases = _stand_ins(session, PenaltyCase, _CASE_COLS, case_ids)
    events = _children(session, CaseEvent.case_id, (CaseEvent.from_status, CaseEvent.to_status, CaseEvent.on_date),
                       case_ids, order=(CaseEvent.id,))
    for rid, case in cases.items():
        case.events = events.get(rid, [])
        out += _rows(RecordKind.PENALTY_CASE, rid, dl.case_deadlines(case, settings, cal))
    med_ids = _live(session, RecordKind.MEDIATION_CASE, MediationCase, OPEN_MEDIATION, ids.get(RecordKind.MEDIATION_CASE, []))
    meds = _stand_ins(session, MediationCase, _MEDIATION_COLS, med_ids)
    visits = _children(session, FollowUpVisit.case_id, (FollowUpVisit.visited_on,), med_ids,
                       order=(FollowUpVisit.visited_on, FollowUpVisit.id))
    for rid, mc in meds.items():
        mc.visits = visits.get(rid, [])
        out += _rows(RecordKind.MEDIATION_CASE, rid, dl.mediation_deadlines(mc, settings, cal))
    measure_ids = _live(session, RecordKind.COERCIVE_MEASURE, CoerciveMeasure, OPEN_COERCIVE, ids.get(RecordKind.COERCIVE_MEASURE, []))
    measures = _stand_ins(session, CoerciveMeasure, _COERCIVE_COLS, measure_ids)
    for rid, m in measures.items():
        out += _rows(RecordKind.COERCIVE_MEASURE, rid, [dl.coercive_deadline(m, cal)])
    conn = session.connection()
    mark = "?"
    if conn.dialect.name == "postgresql":  # psycopg's placeholder, and a real boolean for ``provisional``
        mark = "%s"
        out = [(t, i, kind, due, bool(p), met, basis) for t, i, kind, due, p, met, basis in out]
    for table, keys in ((RecordKind.PENALTY_CASE, case_ids), (RecordKind.MEDIATION_CASE, med_ids), (RecordKind.COERCIVE_MEASURE, measure_ids)):
        for k in range(0, len(keys), CHUNK):
            part = keys[k:k + CHUNK]
            marks = ",".join([mark] * len(part))
            conn.exec_driver_sql(f"DELETE FROM deadline WHERE owner_table={mark} AND owner_id IN ({marks})",  # noqa: S608 - placeholders only
                                 (table, *part))
    if out:
        conn.exec_driver_sql("INSERT INTO deadline (owner_table, owner_id, kind, due_on, provisional, met_on, basis) "  # noqa: S608 - placeholders only
                             f"VALUES ({', '.join([mark] * 7)})", out)
    return len(cases) + len(meds) + len(measures)


def _live(session: Session, table: str, model: Any, open_statuses: frozenset[Any], ids: list[int]) -> list[int]:
    """The ids to recompute: open records, and closed ones that still have stored deadlines."""
    live: list[int] = []
    closed: list[int] = []
    for k in range(0, len(ids), CHUNK):
        for rid, status in session.execute(select(model.id, model.status).where(model.id.in_(ids[k:k + CHUNK]))):
            (live if status in open_statuses else closed).append(rid)
    for k in range(0, len(closed), CHUNK):
        part = closed[k:k + CHUNK]
        live += session.scalars(select(Deadline.owner_id).distinct().where(
            Deadline.owner_table == table, Deadline.owner_id.in_(part)))
    return live


def _stand_ins(session: Session, model: Any, cols: Sequence[str], ids: list[int]) -> dict[int, Any]:
    """id → a SimpleNamespace of ``cols`` as the ORM would load them, for the rows of ``model`` with these ids."""
    out: dict[int, Any] = {}
    attrs = [getattr(model, c) for c in cols]
    for k in range(0, len(ids), CHUNK):
        for row in session.execute(select(model.id, *attrs).where(model.id.in_(ids[k:k + CHUNK]))):
            out[row[0]] = SimpleNamespace(**dict(zip(cols, row[1:], strict=True)))
    return out


def _children(session: Session, parent: InstrumentedAttribute[int], cols: Sequence[InstrumentedAttribute[Any]],
              ids: list[int], *, order: Sequence[InstrumentedAttribute[Any]]) -> dict[int, list[Any]]:
    """parent id → its child rows, in the relationship's order (SQLAlchemy rows read like attributes too)."""
    out: dict[int, list[Any]] = defaultdict(list)
    for k in range(0, len(ids), CHUNK):
        for row in session.execute(select(parent, *cols).where(parent.in_(ids[k:k + CHUNK])).order_by(*order)):
            out[row[0]].append(row)
    return out


def _rows(table: str, rid: int, specs: list[dl.DeadlineSpec]) -> list[tuple[Any, ...]]:
    """The deadline rows in their SQLite storage form (what dl.store's ORM insert writes)."""
    return [(table, rid, s.kind.value, s.due_on.isoformat(), 1 if s.provisional else 0,
             s.met_on.isoformat() if s.met_on else None, s.basis) for s in specs]
