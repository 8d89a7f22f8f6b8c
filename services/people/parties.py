"""Parties for the forms: create one, look one up, pick one by name (ID numbers masked)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, union_all

from models.enums import IdType, PartyKind
from models.identifiers import mask_id
from models.labels import label
from models.party import Party
from services.core.cipher import is_sealed
from services.core.errors import NotFound
from services.core.sealing import exact_match
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require
from services.people.registry import PartyInput, create_party
from services.reference.setup import this_township

# -- parties ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartyInfo:
    """A party as pickers show it (the ID number masked)."""

    uid: str
    name: str
    kind: PartyKind
    id_masked: str
    label: str


def party_info(p: Party) -> PartyInfo:
    # The masked form is derived when the row is stored (models/sealed.py) and needs no key; a party not yet
    # flushed has none yet, and its number is still the plaintext just entered.
    masked = p.id_number_masked or (mask_id(p.id_number) if p.id_number and not is_sealed(p.id_number) else "")
    text = f"{p.name}（{label(p.kind)}{'，' + masked if masked else ''}）"
    return PartyInfo(p.uid, p.name, p.kind, masked, text)


# Which identity documents a form offers per kind of party (validate_party enforces the same).
_ID_TYPES: dict[PartyKind, tuple[IdType, ...]] = {
    PartyKind.PERSON: (IdType.RESIDENT_ID, IdType.OTHER, IdType.NONE),
    PartyKind.ORGANISATION: (IdType.USCC,),
    PartyKind.INDIVIDUAL_BUSINESS: (IdType.USCC, IdType.RESIDENT_ID, IdType.OTHER, IdType.NONE),
}


def id_types_for(kind: PartyKind) -> tuple[IdType, ...]:
    """The identity document types a party of ``kind`` may be registered with (first = usual)."""
    return _ID_TYPES[kind]


def create_party_record(uow: UnitOfWork, data: PartyInput) -> PartyInfo:
    """Register a party (checksums, duplicates by ID number) in one unit of work."""
    with uow:
        if uow.role is not None:
            require(uow.role, Permission.RECORD)
        township = this_township(uow.session)
        with uow.action("party.create"):
            party = create_party(uow.session, data, today=uow.clock.today(), township_id=township.id)
        info = party_info(party)
        uow.commit()
        return info


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def party_choices(uow: UnitOfWork, text: str = "", limit: int = 20) -> list[PartyInfo]:
    """Parties whose name or legal representative contains ``text``, or whose ID number is exactly ``text``
    (for the picker; ID numbers are sealed at rest, found through their blind index, services/core/sealing.py)."""
    limit = max(1, min(limit, 200))
    with uow:
        stmt = select(Party).where(Party.deleted_at.is_(None))
        text = "".join(text.split())
        if text:
            pattern = _like(text)
            live = Party.deleted_at.is_(None)
            # The rows are found first by id, so the LIKE scans the covering index of names (ix_party_names) and the
            # ID number is looked up in its blind index; only the matches are read whole. A scan of the table read
            # every sealed row (the picker 1.2× slower sealed than clear on the township demo; bench/README.md).
            found = select(Party.id).where(live, Party.name.like(pattern, escape="\\")
                                           | Party.legal_rep.like(pattern, escape="\\"))
            exact = exact_match(uow.session, text, ((Party.id_number, Party.id_number_index),
                                                    (Party.operator_id_number, Party.operator_id_number_index)))
            ids = found if exact is None else union_all(found, select(Party.id).where(live, exact))
            stmt = select(Party).where(Party.id.in_(ids))
        stmt = stmt.order_by(Party.updated_at.desc(), Party.name).limit(limit)
        return [party_info(p) for p in uow.session.scalars(stmt)]


def get_party(uow: UnitOfWork, uid: str) -> PartyInfo:
    with uow:
        p = uow.session.scalar(select(Party).where(Party.uid == uid, Party.deleted_at.is_(None)))
        if p is None:
            raise NotFound(f"找不到当事人 {uid}")
        return party_info(p)
