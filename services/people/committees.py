"""People's mediation committees and mediators, with the composition rules of 人民调解法 art.8-9.

A committee is set up by a village or residents' committee (art.8), a township (art.34) or a trade or enterprise;
its members are three to nine, with a chair and a woman, and serve three years (art.9). The rules are shown as
warnings with the committee (:func:`committee_info`), not refusals: a committee is entered while it is still being
filled, and its record must not wait for the last member.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.identifiers import check_phone
from models.mediation import DOC_CODE_MAX, MediationCommittee, Mediator, default_doc_code
from services.core.errors import NotFound, ValidationError
from services.core.uow import UnitOfWork
from services.people.roles import Permission, require_signed_in
from services.reference.setup import this_township

LAW = "《中华人民共和国人民调解法》"
COMMITTEE_KINDS = ("村", "社区", "乡镇", "行业", "企事业单位")  # art.8 and art.34
TERM_YEARS = 3  # art.9
_CODE_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+\Z")  # it is printed inside a number: no spaces or brackets


@dataclass(frozen=True, slots=True)
class CommitteeInfo:
    uid: str
    name: str
    members: int
    mediators: int
    problems: tuple[str, ...]  # composition rules not met (shown as warnings, not refusals)


@dataclass(frozen=True, slots=True)
class CommitteeInput:
    """The 调解委员会 form. ``seal_name`` empty: the seal bears the committee's name. ``doc_code`` empty: a 代字 is
    made from the name (models.mediation.default_doc_code)."""

    name: str
    kind: str = COMMITTEE_KINDS[0]
    seal_name: str = ""
    term_start: date | None = None
    address: str = ""
    doc_code: str = ""


@dataclass(frozen=True, slots=True)
class MediatorInput:
    """The 调解员 form. ``is_member``: a committee member (委员); otherwise a hired mediator (聘任调解员, art.13)."""

    name: str
    gender: str = ""
    ethnicity: str = ""  # not assumed: the composition rule for multi-ethnic areas reads it
    phone: str = ""
    is_chair: bool = False
    is_member: bool = True


@dataclass(frozen=True, slots=True)
class MediatorRow:
    uid: str
    name: str
    gender: str
    ethnicity: str
    phone: str
    is_chair: bool
    is_member: bool
    active: bool

    @property
    def position(self) -> str:
        return "主任" if self.is_chair else "委员" if self.is_member else "调解员"


@dataclass(frozen=True, slots=True)
class CommitteeRow:
    """One committee as the 调解委员会 screen and ``committees list`` show it."""

    uid: str
    name: str
    kind: str
    seal_name: str
    doc_code: str
    term_start: date | None
    term_end: date | None
    address: str
    mediators: tuple[MediatorRow, ...]
    problems: tuple[str, ...]

    @property
    def members(self) -> int:
        return sum(1 for m in self.mediators if m.active and m.is_member)

    def to_json(self) -> dict[str, object]:
        return {"uid": self.uid, "name": self.name, "kind": self.kind, "seal_name": self.seal_name,
                "doc_code": self.doc_code,
                "term_start": self.term_start.isoformat() if self.term_start else None,
                "term_end": self.term_end.isoformat() if self.term_end else None, "members": self.members,
                "mediators": [{"uid": m.uid, "name": m.name, "gender": m.gender, "position": m.position,
                               "active": m.active} for m in self.mediators],
                "problems": list(self.problems)}


def _committee_values(session: Session, data: CommitteeInput, *, other_than: int | None = None) -> dict[str, object]:
    name = data.name.strip()
    if not name:
        raise ValidationError("请填写调解委员会名称", field="name")
    if len(name) > 128:
        raise ValidationError("名称不能超过128个字", field="name")
    if data.kind not in COMMITTEE_KINDS:
        raise ValidationError(f"类别应为：{'、'.join(COMMITTEE_KINDS)}", field="kind")
    seal = data.seal_name.strip() or name
    if len(seal) > 128:
        raise ValidationError("印章名称不能超过128个字", field="seal_name")
    stmt = select(MediationCommittee.id).where(MediationCommittee.name == name, MediationCommittee.deleted_at.is_(None))
    if other_than is not None:
        stmt = stmt.where(MediationCommittee.id != other_than)
    if session.scalar(stmt):
        raise ValidationError(f"调解委员会“{name}”已存在", field="name")
    start = data.term_start
    return {"name": name, "kind": data.kind, "seal_name": seal, "term_start": start,
            "term_end": _term_end(start) if start else None, "address": data.address.strip(),
            "doc_code": _doc_code(session, data.doc_code, name, other_than)}


def _doc_code(session: Session, entered: str, name: str, other_than: int | None) -> str:
    """The committee's 代字: as entered (checked, unique among the township's committees) or made from its name."""
    township = this_township(session)
    stmt = select(MediationCommittee.doc_code).where(MediationCommittee.township_id == township.id,
                                                     MediationCommittee.deleted_at.is_(None))
    if other_than is not None:
        stmt = stmt.where(MediationCommittee.id != other_than)
    taken = set(session.scalars(stmt))
    code = entered.strip()
    if not code:
        return default_doc_code(name, township.name, taken)
    if len(code) > DOC_CODE_MAX:
        raise ValidationError(f"文书代字不能超过{DOC_CODE_MAX}个字", field="doc_code")
    if not _CODE_CHARS.match(code):
        raise ValidationError("文书代字只能由汉字、字母和数字组成（印在文书编号中）", field="doc_code")
    if code in taken:
        raise ValidationError(f"文书代字“{code}”已由其他调解委员会使用，各委员会的文书编号不能相同", field="doc_code")
    return code


def _term_end(start: date) -> date:
    try:
        return start.replace(year=start.year + TERM_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + TERM_YEARS, day=28)


def create_committee(uow: UnitOfWork, *, name: str, kind: str = COMMITTEE_KINDS[0], term_start: date | None = None,
                     address: str = "", seal_name: str = "", doc_code: str = "") -> str:
    """建立调解委员会; returns its uid. The term ends three years after ``term_start`` (art.9)."""
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        values = _committee_values(s, CommitteeInput(name, kind, seal_name, term_start, address, doc_code))
        c = MediationCommittee(township_id=this_township(s).id, **values)
        with uow.action("mediation_committee.create"):
            s.add(c)
            s.flush()
        uow.commit()
        return c.uid


def update_committee(uow: UnitOfWork, ref: str, data: CommitteeInput) -> str:
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        c = find_committee(s, ref)
        values = _committee_values(s, data, other_than=c.id)
        with uow.action("mediation_committee.update"):
            for key, value in values.items():
                setattr(c, key, value)
            s.flush()
        uow.commit()
        return c.uid


def find_committee(session: Session, ref: str) -> MediationCommittee:
    """A committee by uid or name."""
    c = session.scalar(select(MediationCommittee).where(
        MediationCommittee.deleted_at.is_(None), or_(MediationCommittee.uid == ref.strip(),
                                                     MediationCommittee.name == ref.strip())))
    if c is None:
        raise NotFound(f"找不到调解委员会“{ref.strip()}”")
    return c


def _mediator_values(session: Session, committee: MediationCommittee, data: MediatorInput, *,
                     other_than: int | None = None) -> dict[str, object]:
    name = data.name.strip()
    if not name:
        raise ValidationError("请填写调解员姓名", field="name")
    if len(name) > 32:
        raise ValidationError("姓名不能超过32个字", field="name")
    if data.gender not in ("", "男", "女"):
        raise ValidationError("性别应为“男”或“女”", field="gender")
    if len(data.ethnicity.strip()) > 16:
        raise ValidationError("民族不能超过16个字", field="ethnicity")
    if data.is_chair and not data.is_member:
        raise ValidationError("主任应为委员会委员", field="is_chair")
    phone = ""
    if data.phone.strip():
        chk = check_phone(data.phone)
        if not chk.ok:
            raise ValidationError(chk.message, field="phone")
        phone = chk.normalized
    if data.is_chair:
        # art.8: one chair (deputies are members); a second is refused rather than the first silently replaced.
        stmt = select(Mediator.name).where(Mediator.committee_id == committee.id, Mediator.is_chair.is_(True),
                                           Mediator.active.is_(True), Mediator.deleted_at.is_(None))
        if other_than is not None:
            stmt = stmt.where(Mediator.id != other_than)
        chair = session.scalar(stmt)
        if chair is not None:
            raise ValidationError(f"{committee.name}已有主任“{chair}”，请先取消其主任职务", field="is_chair")
    return {"name": name, "gender": data.gender, "ethnicity": data.ethnicity.strip(), "phone": phone,
            "is_chair": data.is_chair, "is_member": data.is_member}


def add_mediator(uow: UnitOfWork, committee_uid: str, *, name: str, gender: str = "", ethnicity: str = "",
                 phone: str = "", is_chair: bool = False, is_member: bool = True) -> str:
    """A mediator in one committee (by uid or name); returns the mediator's uid."""
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        c = find_committee(s, committee_uid)
        values = _mediator_values(s, c, MediatorInput(name, gender, ethnicity, phone, is_chair, is_member))
        m = Mediator(committee_id=c.id, **values)
        with uow.action("mediator.create"):
            s.add(m)
            s.flush()
        uow.commit()
        return m.uid


def _mediator(session: Session, uid: str) -> Mediator:
    m = session.scalar(select(Mediator).where(Mediator.uid == uid, Mediator.deleted_at.is_(None)))
    if m is None:
        raise NotFound(f"找不到调解员 {uid}")
    return m


def update_mediator(uow: UnitOfWork, uid: str, data: MediatorInput) -> None:
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        m = _mediator(s, uid)
        committee = s.get(MediationCommittee, m.committee_id)
        assert committee is not None
        values = _mediator_values(s, committee, data, other_than=m.id)
        with uow.action("mediator.update"):
            for key, value in values.items():
                setattr(m, key, value)
            s.flush()
        uow.commit()


def set_mediator_active(uow: UnitOfWork, uid: str, active: bool) -> None:
    """停用 a mediator who left (never deleted: the mediations name them), or take them back."""
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        m = _mediator(s, uid)
        if active and m.is_chair:
            committee = s.get(MediationCommittee, m.committee_id)
            assert committee is not None
            _mediator_values(s, committee, MediatorInput(m.name, m.gender, m.ethnicity, m.phone, True, m.is_member),
                             other_than=m.id)  # refuses a second chair
        with uow.action("mediator.activate" if active else "mediator.deactivate"):
            m.active = active
            s.flush()
        uow.commit()


def _problems(c: MediationCommittee, people: list[Mediator], today: date, multi_ethnic_area: bool) -> tuple[str, ...]:
    """Members 3–9 incl. a chair and a woman; a minority member in multi-ethnic areas (art.8); term (art.9)."""
    members = [m for m in people if m.is_member and m.active]
    problems: list[str] = []
    if not 3 <= len(members) <= 9:
        problems.append(f"委员会委员应为三至九人，现有{len(members)}人（{LAW}第八条）")
    if not any(m.is_chair for m in members):
        problems.append(f"委员会应设主任（{LAW}第八条）")
    if not any(m.gender == "女" for m in members):
        problems.append(f"委员会应当有妇女成员（{LAW}第八条）")
    if multi_ethnic_area and not any(m.ethnicity not in ("", "汉族") for m in members):
        problems.append(f"多民族居住地区应当有人数较少民族的成员（{LAW}第八条）")
    if c.term_end is not None and c.term_end < today:
        problems.append(f"委员会任期已于{c.term_end.isoformat()}届满，应当换届（{LAW}第九条）")
    return tuple(problems)


def _people(session: Session, committee_id: int) -> list[Mediator]:
    return list(session.scalars(select(Mediator).where(Mediator.committee_id == committee_id,
                                                       Mediator.deleted_at.is_(None)).order_by(Mediator.id)))


def committee_info(uow: UnitOfWork, committee_uid: str, *, multi_ethnic_area: bool = False) -> CommitteeInfo:
    with uow:
        s = uow.session
        c = find_committee(s, committee_uid)
        people = [m for m in _people(s, c.id) if m.active]
        return CommitteeInfo(c.uid, c.name, sum(1 for m in people if m.is_member), len(people),
                             _problems(c, people, uow.clock.today(), multi_ethnic_area))


def list_committees(uow: UnitOfWork, *, multi_ethnic_area: bool = False) -> list[CommitteeRow]:
    """Every committee with its mediators (the ones who left too, marked) and what its composition lacks."""
    with uow:
        s = uow.session
        today = uow.clock.today()
        out = []
        for c in s.scalars(select(MediationCommittee).where(MediationCommittee.deleted_at.is_(None))
                           .order_by(MediationCommittee.name)):
            people = _people(s, c.id)
            rows = tuple(MediatorRow(m.uid, m.name, m.gender, m.ethnicity, m.phone, m.is_chair, m.is_member,
                                     m.active) for m in people)
            out.append(CommitteeRow(c.uid, c.name, c.kind, c.seal_name or c.name, c.doc_code, c.term_start, c.term_end,
                                    c.address, rows, _problems(c, people, today, multi_ethnic_area)))
        return out
