"""Parties and officers: validated creation (ID / 统一社会信用代码 checksums) and look-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import CertStatus, IdType, PartyKind, Role
from models.identifiers import birth_date_from_id, check_phone, check_resident_id, check_uscc, gender_from_id
from models.org import Officer, Squad
from models.party import Party
from services.core.errors import NotFound, ValidationError
from services.core.uow import UnitOfWork
from services.people.roles import Permission, require
from services.reference.setup import this_township


@dataclass(frozen=True, slots=True)
class PartyInput:
    kind: PartyKind
    name: str
    id_type: IdType = IdType.NONE
    id_number: str = ""
    address: str = ""
    phone: str = ""
    legal_rep: str = ""
    legal_rep_title: str = ""
    operator_id_number: str = ""
    ethnicity: str = ""


def validate_party(data: PartyInput, today: date) -> dict[str, object]:
    """Check a party form; returns normalised column values or raises ValidationError naming the field."""
    name = data.name.strip()
    if not name:
        raise ValidationError("当事人姓名或名称不能为空", field="name")
    values: dict[str, object] = {
        "kind": data.kind, "name": name, "id_type": data.id_type, "address": data.address.strip(),
        "legal_rep": data.legal_rep.strip(), "legal_rep_title": data.legal_rep_title.strip(),
        "ethnicity": data.ethnicity.strip(), "id_number": "", "gender": "", "birth_date": None,
        "operator_id_number": "",
    }
    number = data.id_number.strip()
    if data.id_type is IdType.RESIDENT_ID:
        chk = check_resident_id(number, today)
        if not chk.ok:
            raise ValidationError(chk.message, field="id_number")
        values.update(id_number=chk.normalized, gender=gender_from_id(chk.normalized) or "",
                      birth_date=birth_date_from_id(chk.normalized))
    elif data.id_type is IdType.USCC:
        chk = check_uscc(number)
        if not chk.ok:
            raise ValidationError(chk.message, field="id_number")
        values["id_number"] = chk.normalized
    elif data.id_type is IdType.OTHER:
        if not number:
            raise ValidationError("请填写证件号码", field="id_number")
        values["id_number"] = number
    if data.kind is PartyKind.ORGANISATION:
        if data.id_type is not IdType.USCC:
            raise ValidationError("法人或其他组织须填写统一社会信用代码", field="id_type")
        if not values["legal_rep"]:
            raise ValidationError("请填写法定代表人或负责人", field="legal_rep")
    if data.kind is PartyKind.PERSON and data.id_type is IdType.USCC:
        raise ValidationError("自然人不能使用统一社会信用代码", field="id_type")
    if data.operator_id_number:
        chk = check_resident_id(data.operator_id_number, today)
        if not chk.ok:
            raise ValidationError(f"经营者身份证：{chk.message}", field="operator_id_number")
        values["operator_id_number"] = chk.normalized
    if data.phone.strip():
        chk = check_phone(data.phone)
        if not chk.ok:
            raise ValidationError(chk.message, field="phone")
        values["phone"] = chk.normalized
    else:
        values["phone"] = ""
    return values


def create_party(session: Session, data: PartyInput, *, today: date, township_id: int | None) -> Party:
    values = validate_party(data, today)
    if values["id_number"]:
        existing = session.scalar(
            select(Party).where(Party.id_number == values["id_number"], Party.deleted_at.is_(None))
        )
        if existing is not None:
            raise ValidationError(
                f"证件号码已登记为当事人“{existing.name}”，请直接选用该当事人", field="id_number"
            )
    party = Party(township_id=township_id, **values)
    session.add(party)
    session.flush()
    return party


@dataclass(frozen=True, slots=True)
class OfficerInput:
    name: str
    cert_number: str
    cert_valid_from: date
    cert_valid_to: date
    role: Role = Role.OFFICER
    gender: str = ""
    id_number: str = ""
    phone: str = ""
    legal_qualification: bool = False


def create_officer(session: Session, data: OfficerInput, *, today: date, township_id: int, squad_id: int | None) -> Officer:
    if not data.name.strip():
        raise ValidationError("执法人员姓名不能为空", field="name")
    if not data.cert_number.strip():
        raise ValidationError("请填写执法证号", field="cert_number")
    if data.cert_valid_to < data.cert_valid_from:
        raise ValidationError("执法证有效期截止日不能早于起始日", field="cert_valid_to")
    dup = session.scalar(
        select(Officer.name).where(Officer.cert_number == data.cert_number.strip(), Officer.deleted_at.is_(None))
    )
    if dup is not None:
        raise ValidationError(f"执法证号 {data.cert_number} 已登记给“{dup}”", field="cert_number")
    id_number = ""
    if data.id_number:
        chk = check_resident_id(data.id_number, today)
        if not chk.ok:
            raise ValidationError(chk.message, field="id_number")
        id_number = chk.normalized
    officer = Officer(
        township_id=township_id, squad_id=squad_id, name=data.name.strip(), gender=data.gender,
        id_number=id_number, phone=data.phone, role=data.role, cert_number=data.cert_number.strip(),
        cert_valid_from=data.cert_valid_from, cert_valid_to=data.cert_valid_to, cert_status=CertStatus.VALID,
        legal_qualification=data.legal_qualification,
    )
    session.add(officer)
    session.flush()
    return officer


def register_officer(uow: UnitOfWork, data: OfficerInput) -> str:
    """登记执法人员 as the squad leader does it (the demo and the self-test too): in this township's squad.

    Returns the officer's uid; the record is audited as ``officer.create`` and syncs like every other one."""
    with uow:
        if uow.role is not None:
            require(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        township = this_township(s)
        squad_id = s.scalar(select(Squad.id).where(Squad.township_id == township.id, Squad.deleted_at.is_(None))
                            .order_by(Squad.id).limit(1))
        with uow.action("officer.create"):
            officer = create_officer(s, data, today=uow.clock.today(), township_id=township.id, squad_id=squad_id)
        uow.commit()
        return officer.uid


def officers_by_uid(session: Session, uids: list[str]) -> list[Officer]:
    found = {o.uid: o for o in session.scalars(select(Officer).where(Officer.uid.in_(uids)))}
    missing = [u for u in uids if u not in found]
    if missing:
        raise NotFound(f"找不到执法人员：{', '.join(missing)}")
    return [found[u] for u in uids]


def require_certified(officers: list[Officer], day: date, *, minimum: int = 2, what: str = "执法") -> None:
    """art.42: at least two officers, each holding an enforcement certificate valid on ``day``."""
    distinct = {o.id: o for o in officers}.values()
    if len(distinct) < minimum:
        raise ValidationError(f"{what}须由两名以上执法人员进行（《中华人民共和国行政处罚法》第四十二条）", field="officers")
    bad = [o.name for o in distinct if not o.certified_on(day)]
    if bad:
        raise ValidationError(
            f"{'、'.join(bad)}在{day.isoformat()}没有有效的行政执法证件，不能参与{what}（《中华人民共和国行政处罚法》第四十二条）",
            field="officers",
        )
