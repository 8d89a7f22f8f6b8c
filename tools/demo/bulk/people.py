"""The squad, the committees and the parties of the township demo.

Officers, mediation committees and mediators are few and are made the way a user makes them: through
services.people.registry.register_officer and services.people.committees (one unit of work each, audited), before
the bulk transaction. Parties are thousands: they are bulk rows, each checked and normalised by the party form's own
rules (services.people.registry.validate_party), so gender and birth date come from the ID number as in the window.
"""

from __future__ import annotations

from datetime import date, datetime, time
from random import Random
from typing import Any

from sqlalchemy import select

from models.base import SHANGHAI
from models.enums import CertStatus, IdType, PartyKind, RecordKind, Role
from models.mediation import MediationCommittee, Mediator
from models.org import Officer
from services.core.cipher import DataKey
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.people import committees
from services.people.registry import OfficerInput, PartyInput, register_officer, validate_party
from services.reference.setup import this_township
from tools.demo.bulk import identity as ident
from tools.demo.bulk.context import START, Context
from tools.demo.bulk.vocab import ORG_KINDS, SHOP_KINDS, SHOP_WORDS, VILLAGES

N_PARTIES = 15_000  # at scale 1.0
SQUAD_SIZE = 10
COMMITTEES = 5
MEDIATORS_PER_COMMITTEE = 3  # 人民调解法 art.8: three to nine members


class OfficerRef:
    """An officer's values as the procedure rules read them; ``certified_on`` is the entity's own rule (art.42)."""

    __slots__ = ("id", "uid", "name", "role", "cert_number", "cert_status", "cert_valid_from", "cert_valid_to")

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.id, self.uid, self.name = row[0], row[1], row[2]
        self.role, self.cert_number, self.cert_status = Role(row[3]), row[4], CertStatus(row[5])
        self.cert_valid_from = date.fromisoformat(row[6]) if row[6] else None
        self.cert_valid_to = date.fromisoformat(row[7]) if row[7] else None

    def certified_on(self, day: date) -> bool:
        return Officer.certified_on(self, day)  # type: ignore[arg-type]  # the entity's rule on these values


class Squad:
    """The township's active officers: who investigates, who reviews (art.58), who is certified when."""

    def __init__(self, officers: list[OfficerRef], rng: Random, first: date, last: date) -> None:
        self.all = officers
        self.rng = rng
        self.reviewers = [o for o in officers if o.role is Role.LEGAL_REVIEWER]
        # A legal reviewer never investigates the cases he reviews: investigators are everyone else.
        self.investigators = [o for o in officers if o.role is not Role.LEGAL_REVIEWER] or officers
        # Certified from the first record to today: any two will do (the steps' rules still check each day).
        self.always = all(o.certified_on(first) and o.certified_on(last) for o in self.investigators)

    def pair(self, o: int, rng: Random | None = None) -> tuple[OfficerRef, OfficerRef]:
        """Two distinct investigators certified on day ordinal ``o`` (the rules refuse anyone else)."""
        rng = rng or self.rng
        pool = self.investigators
        i = rng.randrange(len(pool))
        j = rng.randrange(len(pool) - 1)
        a, b = pool[i], pool[j + (j >= i)]
        if self.always:
            return a, b
        day = date.fromordinal(o)
        if a.certified_on(day) and b.certified_on(day):
            return a, b
        valid = [x for x in pool if x.certified_on(day)]
        if len(valid) < 2:
            return a, b  # the rules will refuse, naming who is not certified
        a, b = rng.sample(valid, 2)
        return a, b

    def reviewer(self, o: int) -> OfficerRef | None:
        day = date.fromordinal(o)
        valid = [r for r in self.reviewers if r.certified_on(day)]
        return self.rng.choice(valid) if valid else None


def register_squad_and_committees(db: Database, rng: Random, today: date, data_key: DataKey | None = None) -> None:
    """Top the squad up to ten officers and the committees up to five of three mediators, through the services
    (an encrypted database needs its unlocked ``data_key``: officers' and mediators' ID numbers and phones are
    sealed, docs/encryption.md)."""
    clock = FixedClock(datetime.combine(date.fromordinal(START.toordinal() - 30), time(10), tzinfo=SHANGHAI))
    uow = lambda: UnitOfWork(db, actor="demo", clock=clock, data_key=data_key)  # noqa: E731 - fresh per step
    with uow() as u:
        s = u.session
        township = this_township(s)
        have = s.scalars(select(Officer).where(Officer.township_id == township.id, Officer.active.is_(True),
                                               Officer.deleted_at.is_(None))).all()
        roles_had = {o.role for o in have}
        certs = {o.cert_number for o in have}
        names = [c.name for c in s.scalars(select(MediationCommittee).where(
            MediationCommittee.township_id == township.id, MediationCommittee.deleted_at.is_(None))
            .order_by(MediationCommittee.id))]
        town_name = township.name
    roles = [r for r in (Role.SQUAD_LEADER, Role.LEGAL_REVIEWER) if r not in roles_had]
    ids: set[str] = set()
    for k in range(max(0, SQUAD_SIZE - len(have))):
        name, g = ident.person_name(rng)
        role = roles[k] if k < len(roles) else Role.OFFICER
        cert = f"51111{k + 201:03d}"
        if cert in certs:
            continue
        register_officer(uow(), OfficerInput(
            name=name, cert_number=cert, cert_valid_from=date(2016, 7, 1),
            cert_valid_to=date(today.year + 1 + k % 3, 12, 31), role=role, gender=g,
            id_number=ident.resident_id(rng, ident.birth(rng, 1968, 1996), g, ids), phone=ident.phone(rng),
            legal_qualification=role is Role.LEGAL_REVIEWER))
    wanted = [f"{town_name}人民调解委员会"] + [f"{v}人民调解委员会" for v in VILLAGES]
    for name in wanted:
        if len(names) >= COMMITTEES:
            break
        if name not in names:
            town = name.startswith(town_name)
            committees.create_committee(uow(), name=name, kind="乡镇" if town else "村", term_start=date(2024, 1, 1),
                                        address=ident.address(rng, street=town))
            names.append(name)
    with uow() as u:
        rows = u.session.execute(select(MediationCommittee.uid, MediationCommittee.id).where(
            MediationCommittee.name.in_(names), MediationCommittee.deleted_at.is_(None))
            .order_by(MediationCommittee.id)).all()
        counts = {cid: u.session.scalar(select(Mediator.id).where(
            Mediator.committee_id == cid, Mediator.active.is_(True), Mediator.deleted_at.is_(None)).limit(1))
            for _uid, cid in rows}
    for cuid, cid in rows:
        if counts[cid] is not None:
            continue  # a committee with members already is the township's own
        for k, g in enumerate(("女", "男", "男")[:MEDIATORS_PER_COMMITTEE]):  # art.8: a woman among the members
            name, _ = ident.person_name(rng, g)
            committees.add_mediator(uow(), cuid, name=name, gender=g, phone=ident.phone(rng), is_chair=k == 0)


def load_squad(ctx: Context) -> Squad:
    rows = ctx.conn.execute(
        "SELECT id, uid, name, role, cert_number, cert_status, cert_valid_from, cert_valid_to FROM officer "
        "WHERE township_id=? AND active=1 AND deleted_at IS NULL ORDER BY id", (ctx.township_id,)).fetchall()
    officers = [OfficerRef(r) for r in rows]
    if len(officers) < 2:
        raise AssertionError("the township demo needs at least two active officers")
    return Squad(officers, ctx.rng, START, ctx.today)


def load_committees(ctx: Context) -> tuple[list[int], dict[int, list[tuple[int, str, str]]]]:
    """Committee ids (the township's own first) and each one's active mediators (id, uid, name)."""
    committee_ids = [r[0] for r in ctx.conn.execute(
        "SELECT id FROM mediation_committee WHERE township_id=? AND deleted_at IS NULL ORDER BY id", (ctx.township_id,))]
    mediators: dict[int, list[tuple[int, str, str]]] = {}
    for cid in committee_ids:
        mediators[cid] = ctx.conn.execute("SELECT id, uid, name FROM mediator WHERE committee_id=? AND active=1 AND "
                                          "deleted_at IS NULL ORDER BY id", (cid,)).fetchall()
    committee_ids = [c for c in committee_ids if mediators[c]]
    return committee_ids, mediators


# -- parties ---------------------------------------------------------------------------------------------

class PartyRef:
    """A party's values as the families and the procedure rules read them (party_age_on, scope_allows)."""

    __slots__ = ("id", "name", "kind", "address", "birth_date", "id_type", "id_number")

    def __init__(self, pid: int, values: dict[str, Any], id_type: IdType) -> None:
        self.id, self.name, self.kind, self.address = pid, values["name"], values["kind"], values["address"]
        self.birth_date, self.id_type, self.id_number = values["birth_date"], id_type, values["id_number"]


class Parties:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.persons: list[PartyRef] = []
        self.shops: list[PartyRef] = []
        self.orgs: list[PartyRef] = []
        self.first_use: dict[int, int] = {}
        self._rows: list[tuple[Any, ...]] = []

    def generate(self) -> None:
        ctx, rng, ids = self.ctx, self.ctx.rng, self.ctx.ids
        t = ctx.table(RecordKind.PARTY, ("township_id", "kind", "name", "id_type", "id_number", "gender", "birth_date",
                                "ethnicity", "address", "phone", "legal_rep", "legal_rep_title",
                                "operator_id_number"))
        for _ in range(ctx.n(N_PARTIES)):
            r = rng.random()
            pid = ctx.next_id(t)
            if r < 0.58:
                name, g = ident.person_name(rng)
                form = PartyInput(PartyKind.PERSON, name, IdType.RESIDENT_ID,
                                  ident.resident_id(rng, ident.birth(rng, 1945, 2002), g, ids), address=ident.address(rng),
                                  phone=ident.phone(rng), ethnicity="汉族" if rng.random() < 0.97 else "彝族")
            elif r < 0.87:
                op, g = ident.person_name(rng)
                form = PartyInput(PartyKind.INDIVIDUAL_BUSINESS,
                                  f"{ctx.township_name}{rng.choice(SHOP_WORDS)}{rng.choice(SHOP_KINDS)}", IdType.USCC,
                                  ident.uscc(rng, "92", ids), address=ident.address(rng, street=True),
                                  phone=ident.phone(rng), legal_rep=op, legal_rep_title="经营者",
                                  operator_id_number=ident.resident_id(rng, ident.birth(rng, 1960, 1998), g, ids))
            else:
                rep, _g = ident.person_name(rng)
                form = PartyInput(PartyKind.ORGANISATION, f"乐山市五通桥区{rng.choice(SHOP_WORDS)}{rng.choice(ORG_KINDS)}",
                                  IdType.USCC, ident.uscc(rng, "91", ids), address=ident.address(rng, street=True),
                                  phone=ident.phone(rng), legal_rep=rep,
                                  legal_rep_title=rng.choice(("法定代表人", "执行董事", "总经理")))
            v = validate_party(form, ctx.today)
            kind = form.kind
            birth: date | None = v["birth_date"]  # type: ignore[assignment]
            self._rows.append((pid, kind.value, v["name"], form.id_type.value, v["id_number"], v["gender"],
                               birth.isoformat() if birth else None, v["ethnicity"], v["address"], v["phone"],
                               v["legal_rep"], v["legal_rep_title"], v["operator_id_number"]))
            (self.persons if kind is PartyKind.PERSON else self.shops if kind is PartyKind.INDIVIDUAL_BUSINESS
             else self.orgs).append(PartyRef(pid, v, form.id_type))
        self.businesses = self.shops + self.orgs

    def use(self, p: PartyRef | None, o: int) -> None:
        """A record of day ``o`` names this party: it was registered by then."""
        if p is not None and o < self.first_use.get(p.id, 1 << 30):
            self.first_use[p.id] = o

    def for_kind(self, kind: PartyKind | None) -> PartyRef:
        """A party of ``kind``; None: anyone, persons and businesses alike."""
        rng = self.ctx.rng
        if kind is PartyKind.PERSON:
            pool = self.persons
        elif kind is PartyKind.ORGANISATION:
            pool = self.orgs or self.shops
        elif kind is PartyKind.INDIVIDUAL_BUSINESS:
            pool = self.shops
        else:
            r = rng.random()
            pool = self.persons if r < 0.45 else self.shops if r < 0.8 else self.orgs
        return rng.choice(pool or self.persons)

    def flush(self) -> None:
        """The party rows, each created on the day of its first record (or any day if it has none)."""
        ctx = self.ctx
        t = ctx.tables[RecordKind.PARTY]
        rng = ctx.rng
        for row in self._rows:
            first = self.first_use.get(row[0])
            o = first if first is not None else rng.randrange(ctx.start, ctx.t + 1)
            created = ctx.ts(o, 480 + rng.randrange(540))
            t.rows.append((row[0], ctx.uid(), ctx.device_uid, 1, created, created, ctx.township_id, *row[1:]))
        self._rows = []
