"""Plain record lists for the command line (``python main.py list``): id, number, status; IDs and phones masked."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

from sqlalchemy import select

from models.case import PenaltyCase
from models.inspection import Inspection
from models.labels import label
from models.mediation import MediationCase
from models.party import Party
from models.records import IssuedDocument
from services.core.cipher import is_sealed
from services.core.uow import UnitOfWork

ListKind = Literal["inspections", "cases", "mediations", "parties", "documents"]
KINDS: tuple[str, ...] = ("inspections", "cases", "mediations", "parties", "documents")


@dataclass(frozen=True, slots=True)
class RecordRow:
    id: str
    number: str
    status: str
    name: str = ""
    date: str = ""
    extra: str = ""

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def list_records(uow: UnitOfWork, kind: ListKind, *, limit: int | None = None) -> list[RecordRow]:
    """Rows of one kind, oldest first. Personal identifiers are masked (PIPL: show only what is needed): a list of
    parties masks them for every role, as the 当事人 list does (services/read/queries.py ``full_identifiers``); only a
    party's own detail shows them in full, to a role that may see them (services.people.roles.sees_full_identifiers)."""
    with uow:
        s = uow.session
        rows: list[RecordRow] = []
        if kind == "inspections":
            for i in s.scalars(select(Inspection).where(Inspection.deleted_at.is_(None)).order_by(Inspection.id)
                               .limit(limit)):
                # The place is sealed at rest (models/sealed.py): opened when the command was unlocked, else the
                # masked form the 检查记录 list shows (the 乡镇 part), never the stored ``ed1:`` form.
                place = i.place_masked if is_sealed(i.place) else i.place
                rows.append(RecordRow(i.uid, i.number, label(i.result), place, _day(i.inspected_on), i.domain))
        elif kind == "cases":
            for c in s.scalars(select(PenaltyCase).where(PenaltyCase.deleted_at.is_(None)).order_by(PenaltyCase.id)
                               .limit(limit)):
                rows.append(RecordRow(c.uid, c.number or c.decision_number, label(c.status), c.cause,
                                      _day(c.registered_on), c.decision_number))
        elif kind == "mediations":
            for m in s.scalars(select(MediationCase).where(MediationCase.deleted_at.is_(None))
                               .order_by(MediationCase.id).limit(limit)):
                rows.append(RecordRow(m.uid, m.number, label(m.status), _brief(m.summary), _day(m.applied_on),
                                      m.agreement_number))
        elif kind == "parties":
            for p in s.scalars(select(Party).where(Party.deleted_at.is_(None)).order_by(Party.id).limit(limit)):
                rows.append(RecordRow(p.uid, p.id_number_masked, label(p.kind), p.name, "", p.phone_masked))
        else:
            for d in s.scalars(select(IssuedDocument).where(IssuedDocument.deleted_at.is_(None))
                               .order_by(IssuedDocument.id).limit(limit)):
                superseded = s.scalar(select(IssuedDocument.number).where(IssuedDocument.supersedes_uid == d.uid))
                rows.append(RecordRow(d.uid, d.number, f"已被{superseded}更正" if superseded else "有效", d.doc_type,
                                      _day(d.issued_at.date() if d.issued_at else None), d.record_uid))
        return rows


DAMAGED = "（日期损坏）"
BRIEF_CHARS = 30


def _brief(text: str) -> str:
    """A mediation has no name of its own: its row is named by the dispute in brief (the summary's first line)."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= BRIEF_CHARS else line[:BRIEF_CHARS] + "…"


def _day(day: date | None) -> str:
    """A required date; None means the stored value is no calendar date (services/core/damaged.py)."""
    return day.isoformat() if day is not None else DAMAGED
