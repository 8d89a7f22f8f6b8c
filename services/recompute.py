"""Recompute stored deadlines when their inputs change outside a procedure step (calendar, settings)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.case import CoerciveMeasure, PenaltyCase
from models.mediation import MediationCase
from models.system import Deadline
from services import deadlines as dl
from services.calendar import load_calendar
from services.settings import Settings
from services.uow import UnitOfWork


def recompute_owners(session: Session, owners: set[tuple[str, int]]) -> int:
    """Recompute the deadlines of the given (owner_table, owner_id) records; returns how many were redone."""
    settings, cal = Settings(session), load_calendar(session)
    done = 0
    case_ids = [i for t, i in owners if t == "penalty_case"]
    for case in session.scalars(select(PenaltyCase).where(PenaltyCase.id.in_(case_ids))
                                .options(selectinload(PenaltyCase.events))):
        dl.store(session, "penalty_case", case.id, dl.case_deadlines(case, settings, cal))
        done += 1
    med_ids = [i for t, i in owners if t == "mediation_case"]
    for mc in session.scalars(select(MediationCase).where(MediationCase.id.in_(med_ids))
                              .options(selectinload(MediationCase.visits))):
        dl.store(session, "mediation_case", mc.id, dl.mediation_deadlines(mc, settings, cal))
        done += 1
    for m in session.scalars(select(CoerciveMeasure).where(
            CoerciveMeasure.id.in_([i for t, i in owners if t == "coercive_measure"]))):
        dl.store(session, "coercive_measure", m.id, [dl.coercive_deadline(m, cal)])
        done += 1
    return done


def recompute_provisional(uow: UnitOfWork) -> int:
    """Redo every deadline computed provisionally (a year without official holiday data).

    Called after a year's arrangement is loaded or edited, so "暂定" deadlines become final (domain.md §9).
    """
    with uow:
        owners = {(t, i) for t, i in uow.session.execute(
            select(Deadline.owner_table, Deadline.owner_id).where(Deadline.provisional.is_(True)))}
        n = recompute_owners(uow.session, owners)
        uow.commit()
        return n


def recompute_open(uow: UnitOfWork) -> int:
    """Redo the deadlines of every record that still has an unmet one (after a settings change)."""
    with uow:
        owners = {(t, i) for t, i in uow.session.execute(
            select(Deadline.owner_table, Deadline.owner_id).where(Deadline.met_on.is_(None)))}
        n = recompute_owners(uow.session, owners)
        uow.commit()
        return n
