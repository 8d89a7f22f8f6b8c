"""What the record services share: the case a record is added to, the officers it names, the DTO returned."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.case import PenaltyCase
from models.enums import RecordKind
from models.org import Officer
from services.core.errors import TransitionRefused, ValidationError, required
from services.core.uow import UnitOfWork
from services.people.roles import Permission, require_signed_in


@dataclass(frozen=True, slots=True)
class RecordInfo:
    """One record of the case file as the case view lists it."""

    uid: str
    table: RecordKind  # CASE_INTERVIEW, EVIDENCE_ITEM, SERVICE_RECORD or CASE_RECORD
    kind: str  # the record kind, evidence kind or served document type
    title: str
    on_date: date
    summary: str


def open_case(uow: UnitOfWork, ref: str, permission: Permission = Permission.RECORD) -> PenaltyCase:
    """The filed case a record is added to; a clue or a refused filing has no case file yet."""
    # Imported here: the case steps import evidence_rule from this package, and the package loads this module.
    from services.procedures.cases.common import load_case

    require_signed_in(uow.role, permission)
    case = load_case(uow.session, ref)
    if case.filed_on is None:  # a clue, a refused filing or an on-the-spot decision has no case file
        raise TransitionRefused("案件尚未立案，不能录入案卷材料（《中华人民共和国行政处罚法》第五十四条）")
    return case


def check_day(uow: UnitOfWork, case: PenaltyCase, day: date, what: str) -> None:
    """A record is dated between the case's start and today."""
    if day > uow.clock.today():
        raise ValidationError(f"{what}的日期不能晚于今天", field="on")
    start = case.filed_on or case.registered_on
    if day < start:
        raise ValidationError(f"{what}的日期（{day:%Y-%m-%d}）早于立案日期（{start:%Y-%m-%d}）：调查取证应在立案之后"
                              "（《中华人民共和国行政处罚法》第五十四条）", field="on")


def officers_by_uid(session: Session, case: PenaltyCase, uids: Sequence[str], what: str) -> list[Officer]:
    """The officers named, in the order given; each must be an officer of the case's township."""
    wanted = list(dict.fromkeys(u for u in uids if u))
    rows = {o.uid: o for o in session.scalars(select(Officer).where(
        Officer.uid.in_(wanted), Officer.township_id == case.township_id, Officer.deleted_at.is_(None)))}
    unknown = [u for u in wanted if u not in rows]
    if unknown:
        raise ValidationError(f"{what}中有不属于本乡镇的执法人员", field="officers")
    return [rows[u] for u in wanted]


def uid_list(officers: Sequence[Officer]) -> str:
    return json.dumps([o.uid for o in officers])


def need_text(value: str, label: str, field: str) -> str:
    return required(value, f"请填写{label}", field=field).strip()
