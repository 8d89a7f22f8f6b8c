"""People's mediation committees and mediators, with the composition rules of 人民调解法 art.8-9."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models.mediation import MediationCommittee, Mediator
from services.core.errors import NotFound, ValidationError
from services.core.uow import UnitOfWork
from services.reference.setup import this_township

LAW = "《中华人民共和国人民调解法》"


@dataclass(frozen=True, slots=True)
class CommitteeInfo:
    uid: str
    name: str
    members: int
    mediators: int
    problems: tuple[str, ...]  # composition rules not met (shown as warnings, not refusals)


def create_committee(uow: UnitOfWork, *, name: str, kind: str = "村", term_start: date | None = None,
                     address: str = "") -> str:
    with uow:
        if not name.strip():
            raise ValidationError("请填写调解委员会名称", field="name")
        s = uow.session
        if s.scalar(select(MediationCommittee.id).where(MediationCommittee.name == name.strip(),
                                                        MediationCommittee.deleted_at.is_(None))):
            raise ValidationError(f"调解委员会“{name}”已存在", field="name")
        term_end = term_start.replace(year=term_start.year + 3) if term_start else None  # art.9: 3-year term
        c = MediationCommittee(township_id=this_township(s).id, name=name.strip(), kind=kind, term_start=term_start,
                               term_end=term_end, address=address)
        with uow.action("mediation_committee.create"):
            s.add(c)
            s.flush()
        uow.commit()
        return c.uid


def add_mediator(uow: UnitOfWork, committee_uid: str, *, name: str, gender: str, ethnicity: str = "汉族",
                 phone: str = "", is_chair: bool = False, is_member: bool = True) -> str:
    with uow:
        s = uow.session
        c = s.scalar(select(MediationCommittee).where(MediationCommittee.uid == committee_uid))
        if c is None:
            raise NotFound(f"找不到调解委员会 {committee_uid}")
        if not name.strip():
            raise ValidationError("请填写调解员姓名", field="name")
        if gender not in ("男", "女"):
            raise ValidationError("请选择性别", field="gender")
        m = Mediator(committee_id=c.id, name=name.strip(), gender=gender, ethnicity=ethnicity, phone=phone,
                     is_chair=is_chair, is_member=is_member)
        with uow.action("mediator.create"):
            s.add(m)
            s.flush()
        uow.commit()
        return m.uid


def committee_info(uow: UnitOfWork, committee_uid: str, *, multi_ethnic_area: bool = False) -> CommitteeInfo:
    """Members 3–9 incl. a chair and a woman; a minority member in multi-ethnic areas (art.8); term (art.9)."""
    with uow:
        s = uow.session
        c = s.scalar(select(MediationCommittee).where(MediationCommittee.uid == committee_uid))
        if c is None:
            raise NotFound(f"找不到调解委员会 {committee_uid}")
        people = s.scalars(select(Mediator).where(Mediator.committee_id == c.id, Mediator.active.is_(True),
                                                  Mediator.deleted_at.is_(None))).all()
        members = [m for m in people if m.is_member]
        problems: list[str] = []
        if not 3 <= len(members) <= 9:
            problems.append(f"委员会委员应为三至九人，现有{len(members)}人（{LAW}第八条）")
        if not any(m.is_chair for m in members):
            problems.append(f"委员会应设主任（{LAW}第八条）")
        if not any(m.gender == "女" for m in members):
            problems.append(f"委员会应当有妇女成员（{LAW}第八条）")
        if multi_ethnic_area and not any(m.ethnicity not in ("", "汉族") for m in members):
            problems.append(f"多民族居住地区应当有人数较少民族的成员（{LAW}第八条）")
        if c.term_end is not None and c.term_end < uow.clock.today():
            problems.append(f"委员会任期已于{c.term_end.isoformat()}届满，应当换届（{LAW}第九条）")
        return CommitteeInfo(c.uid, c.name, len(members), len(people), tuple(problems))
