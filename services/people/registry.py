"""Parties and officers: validated creation (ID / 统一社会信用代码 checksums), the 执法人员 register (new, edit,
停用 — never deleted) and look-ups."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.catalogue import PowerItem
from models.enums import CertStatus, IdType, PartyKind, Role
from models.identifiers import (
    birth_date_from_id,
    check_phone,
    check_resident_id,
    check_uscc,
    gender_from_id,
    mask_phone,
)
from models.labels import label
from models.org import Officer, Squad
from models.party import Party
from services.core.cipher import is_sealed
from services.core.errors import NotFound, ValidationError
from services.core.sealing import exact_match
from services.core.uow import UnitOfWork
from services.people.certificates import CertificateStatus, status_of, warn_days
from services.people.roles import Permission, require_signed_in
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
        # The ID number is sealed at rest: compared through its blind index (services/core/sealing.py)
        same = exact_match(session, str(values["id_number"]), ((Party.id_number, Party.id_number_index),))
        existing = None if same is None else session.scalar(
            select(Party).where(same, Party.deleted_at.is_(None)).limit(1)
        )
        if existing is not None:
            raise ValidationError(
                f"证件号码已登记为当事人“{existing.name}”，请直接选用该当事人", field="id_number"
            )
    party = Party(township_id=township_id, **values)
    session.add(party)
    session.flush()
    return party


DOMAIN_SEPARATOR = "、"  # officer.domains: the 执法领域 joined, as they are printed
CERT_KINDS = ("行政执法证", "综合行政执法证")  # offered by the form; another kind may be typed


@dataclass(frozen=True, slots=True)
class OfficerInput:
    """The 执法人员 form. ``cert_valid_from`` is the issue date (发证日期), ``cert_valid_to`` the last valid day."""

    name: str
    cert_number: str
    cert_valid_from: date | None = None
    cert_valid_to: date | None = None
    role: Role = Role.OFFICER
    gender: str = ""
    id_number: str = ""
    phone: str = ""
    legal_qualification: bool = False
    cert_kind: str = ""  # not assumed (CERT_KINDS are offered by the form)
    domains: tuple[str, ...] = ()


def validate_officer(data: OfficerInput, today: date, *, known_domains: Collection[str] | None = None,
                     ) -> dict[str, object]:
    """Check an officer form; returns normalised column values or raises ValidationError naming the field.

    ``known_domains``: the catalogue's 执法领域; a domain outside it is refused (a typo would never match a case).
    """
    name = data.name.strip()
    if not name:
        raise ValidationError("执法人员姓名不能为空", field="name")
    if len(name) > 32:
        raise ValidationError("姓名不能超过32个字", field="name")
    cert = data.cert_number.strip()
    if not cert:
        raise ValidationError("请填写执法证号", field="cert_number")
    if len(cert) > 32 or not all(c.isascii() and (c.isalnum() or c == "-") for c in cert):
        raise ValidationError("执法证号只能由数字、字母和“-”组成，不超过32位", field="cert_number")
    if data.cert_valid_to is None:
        raise ValidationError("请填写执法证有效期截止日", field="cert_valid_to")
    if data.cert_valid_from is not None:
        if data.cert_valid_from > today:
            raise ValidationError("发证日期不能晚于今天", field="cert_valid_from")
        if data.cert_valid_to < data.cert_valid_from:
            raise ValidationError("执法证有效期截止日不能早于发证日期", field="cert_valid_to")
    if data.gender not in ("", "男", "女"):
        raise ValidationError("性别应为“男”或“女”", field="gender")
    kind = data.cert_kind.strip()
    if len(kind) > 32:
        raise ValidationError("证件种类不能超过32个字", field="cert_kind")
    domains = list(dict.fromkeys(d.strip() for d in data.domains if d.strip()))
    for d in domains:
        if DOMAIN_SEPARATOR in d or (known_domains is not None and d not in known_domains):
            raise ValidationError(f"执法领域“{d}”不在赋权事项清单的领域中", field="domains")
    joined = DOMAIN_SEPARATOR.join(domains)
    if len(joined) > 200:
        raise ValidationError("执法领域选得太多（合计不超过200个字）", field="domains")
    id_number = ""
    if data.id_number.strip():
        chk = check_resident_id(data.id_number, today)
        if not chk.ok:
            raise ValidationError(chk.message, field="id_number")
        id_number = chk.normalized
    phone = ""
    if data.phone.strip():
        phone_chk = check_phone(data.phone)
        if not phone_chk.ok:
            raise ValidationError(phone_chk.message, field="phone")
        phone = phone_chk.normalized
    return {"name": name, "cert_number": cert, "cert_kind": kind, "cert_valid_from": data.cert_valid_from,
            "cert_valid_to": data.cert_valid_to, "role": data.role, "gender": data.gender, "id_number": id_number,
            "phone": phone, "legal_qualification": data.legal_qualification, "domains": joined}


def officer_domains(officer: Officer) -> tuple[str, ...]:
    return tuple(d for d in officer.domains.split(DOMAIN_SEPARATOR) if d)


def _catalogue_domains(session: Session) -> set[str]:
    return set(session.scalars(select(PowerItem.domain).distinct()))


def _refuse_duplicate_cert(session: Session, cert_number: str, *, other_than: int | None = None) -> None:
    stmt = select(Officer.name).where(Officer.cert_number == cert_number, Officer.deleted_at.is_(None))
    if other_than is not None:
        stmt = stmt.where(Officer.id != other_than)
    dup = session.scalar(stmt)
    if dup is not None:
        raise ValidationError(f"执法证号 {cert_number} 已登记给“{dup}”", field="cert_number")


def create_officer(session: Session, data: OfficerInput, *, today: date, township_id: int, squad_id: int | None) -> Officer:
    values = validate_officer(data, today, known_domains=_catalogue_domains(session) if data.domains else None)
    _refuse_duplicate_cert(session, str(values["cert_number"]))
    officer = Officer(township_id=township_id, squad_id=squad_id, cert_status=CertStatus.VALID, **values)
    session.add(officer)
    session.flush()
    return officer


def register_officer(uow: UnitOfWork, data: OfficerInput) -> str:
    """登记执法人员 as the squad leader does it in the 执法人员 screen (the command line, the demo and the
    self-test too): in this township's squad. Returns the officer's uid; the record is audited as
    ``officer.create`` and syncs like every other one."""
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        township = this_township(s)
        squad_id = s.scalar(select(Squad.id).where(Squad.township_id == township.id, Squad.deleted_at.is_(None))
                            .order_by(Squad.id).limit(1))
        with uow.action("officer.create"):
            officer = create_officer(s, data, today=uow.clock.today(), township_id=township.id, squad_id=squad_id)
        uow.commit()
        return officer.uid


def update_officer(uow: UnitOfWork, ref: str, data: OfficerInput) -> str:
    """Correct an officer's record (a renewed certificate, a new phone …); the certificate's stored standing
    (暂扣 / 注销) and whether he is active are kept. Returns the uid."""
    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        officer = find_officer(s, ref)
        values = validate_officer(data, uow.clock.today(),
                                  known_domains=_catalogue_domains(s) if data.domains else None)
        _refuse_duplicate_cert(s, str(values["cert_number"]), other_than=officer.id)
        with uow.action("officer.update"):
            for key, value in values.items():
                setattr(officer, key, value)
            s.flush()
        uow.commit()
        return officer.uid


def set_officer_active(uow: UnitOfWork, ref: str, active: bool) -> str:
    """停用 (never deleted: his inspections and cases keep naming him) or 恢复 an officer. Deactivating also
    disables his user account: he no longer works here. Returns the uid."""
    from services.people.accounts import disable_accounts_of  # accounts import this module

    with uow:
        require_signed_in(uow.role, Permission.MANAGE_USERS)
        s = uow.session
        officer = find_officer(s, ref)
        if officer.active == active:
            raise ValidationError(f"“{officer.name}”已经是{'在岗' if active else '停用'}状态", field="active")
        with uow.action("officer.activate" if active else "officer.deactivate"):
            officer.active = active
            if not active:
                disable_accounts_of(s, officer.id)
            s.flush()
        uow.commit()
        return officer.uid


@dataclass(frozen=True, slots=True)
class OfficerRecord:
    """An officer as the 执法人员 screen and ``officers list`` show him: the form's values, whether he is in
    service, and his certificate's standing today (services.people.certificates)."""

    uid: str
    data: OfficerInput
    active: bool
    status: CertificateStatus
    # The masked phone as stored (models/sealed.py): listed without opening the sealed number, so a command run
    # without unlocking shows 138****5678 and not a mask of the ciphertext.
    phone_masked: str = ""

    def to_json(self) -> dict[str, object]:
        d = self.data
        return {"uid": self.uid, "name": d.name, "sex": d.gender, "role": d.role.value, "role_label": label(d.role),
                "cert": d.cert_number, "cert_kind": d.cert_kind,
                "issued": d.cert_valid_from.isoformat() if d.cert_valid_from else None,
                "valid_until": d.cert_valid_to.isoformat() if d.cert_valid_to else None,
                "status": self.status.state.value, "status_label": self.status.text,
                "days_left": self.status.days_left, "domains": list(d.domains),
                "phone": self.phone_masked or (mask_phone(d.phone) if d.phone and not is_sealed(d.phone) else ""),
                "active": self.active}


def _record(officer: Officer, today: date, warn_days: int) -> OfficerRecord:
    data = OfficerInput(officer.name, officer.cert_number, officer.cert_valid_from, officer.cert_valid_to,
                        officer.role, officer.gender, officer.id_number, officer.phone, officer.legal_qualification,
                        officer.cert_kind, officer_domains(officer))
    return OfficerRecord(officer.uid, data, officer.active, status_of(officer, today, warn_days),
                         officer.phone_masked or "")


def officer_record(uow: UnitOfWork, ref: str) -> OfficerRecord:
    """One officer (by uid, 执法证号 or name), as the edit form starts from."""
    with uow:
        return _record(find_officer(uow.session, ref), uow.clock.today(), warn_days(uow.session))


def list_officers(uow: UnitOfWork, *, include_inactive: bool = False) -> list[OfficerRecord]:
    """Officers by name, each with his certificate's standing today."""
    with uow:
        s = uow.session
        stmt = select(Officer).where(Officer.deleted_at.is_(None)).order_by(Officer.name, Officer.id)
        if not include_inactive:
            stmt = stmt.where(Officer.active.is_(True))
        today, days = uow.clock.today(), warn_days(s)
        return [_record(o, today, days) for o in s.scalars(stmt)]


def find_officer(session: Session, ref: str) -> Officer:
    """An officer by uid, 执法证号 or name (a name two officers share is refused: give the 执法证号)."""
    ref = ref.strip()
    if not ref:
        raise ValidationError("请指定执法人员（姓名、执法证号或 UID）", field="officer")
    live = Officer.deleted_at.is_(None)
    found = session.scalar(select(Officer).where(live, or_(Officer.uid == ref, Officer.cert_number == ref)))
    if found is not None:
        return found
    named = list(session.scalars(select(Officer).where(live, Officer.name == ref).order_by(Officer.id)))
    if len(named) > 1:
        certs = "、".join(o.cert_number for o in named)
        raise ValidationError(f"有{len(named)}名执法人员叫“{ref}”，请改用执法证号（{certs}）", field="officer")
    if not named:
        raise NotFound(f"找不到执法人员“{ref}”")
    return named[0]


def officers_by_uid(session: Session, uids: list[str]) -> list[Officer]:
    found = {o.uid: o for o in session.scalars(select(Officer).where(Officer.uid.in_(uids)))}
    missing = [u for u in uids if u not in found]
    if missing:
        raise NotFound(f"找不到执法人员：{', '.join(missing)}")
    return [found[u] for u in uids]


def too_few_officers(count: int, *, what: str = "执法", minimum: int = 2) -> str:
    """art.42's count (what a form says before the certificates are looked up); '' when there are enough."""
    if count >= minimum:
        return ""
    return f"{what}须由两名以上执法人员进行（《中华人民共和国行政处罚法》第四十二条）"


def require_certified(officers: list[Officer], day: date, *, minimum: int = 2, what: str = "执法") -> None:
    """art.42: at least two officers, each holding an enforcement certificate valid on ``day``."""
    distinct = {o.id: o for o in officers}.values()
    few = too_few_officers(len(distinct), what=what, minimum=minimum)
    if few:
        raise ValidationError(few, field="officers")
    bad = [o.name for o in distinct if not o.certified_on(day)]
    if bad:
        raise ValidationError(
            f"{'、'.join(bad)}在{day.isoformat()}没有有效的行政执法证件，不能参与{what}（《中华人民共和国行政处罚法》第四十二条）",
            field="officers",
        )
