"""Document numbers per type per year from per-device blocks, so offline devices never collide (docs/numbering.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.enums import DeviceKind
from models.mediation import MediationCommittee, default_doc_code
from models.org import Device, Township
from models.records import NumberBlock
from services.core.errors import NumberingError
from services.reference.settings import Settings


@dataclass(frozen=True, slots=True)
class AllocatedNumber:
    doc_type: str
    year: int
    seq: int
    number: str


# A people's mediation committee numbers these under its own 代字 (人民调解法: its documents are its own, not the
# township government's), each committee in its own sequence.
COMMITTEE_DOC_TYPES = frozenset({"mediation", "mediation_agreement", "follow_up_record", "confirmation_application"})


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who numbers a document other than the township's squad: ``prefix`` replaces the squad's 代字 in the number,
    ``key`` makes the sequence its own (number blocks of doc type ``"<type>@<key>"``)."""

    prefix: str
    key: str


def committee_issuer(committee: MediationCommittee) -> Issuer:
    """The committee numbers under its 代字; one that has none yet (it came from a device not yet upgraded) under the
    code its name gives, as migration 0007 would have given it."""
    code = committee.doc_code.strip() or default_doc_code(committee.name, "", set())
    return Issuer(prefix=code, key=code)


def block_key(doc_type: str, issuer: Issuer | None) -> str:
    """The doc type number blocks are kept under: the type itself, or the type within an issuer's sequence."""
    return f"{doc_type}@{issuer.key}" if issuer is not None else doc_type


def format_number(pattern: str, *, prefix: str, code: str, year: int, seq: int) -> str:
    try:
        return pattern.format(prefix=prefix, code=code, year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise NumberingError(f"文书编号格式“{pattern}”有误：{exc}") from exc


def allocate_block(
    session: Session, township: Township, *, device_uid: str, doc_type: str, year: int, size: int
) -> NumberBlock:
    """Reserve the next ``size`` numbers after every block already handed out for this type and year.

    Only the township office database (or the district) hands out blocks; because the range is taken from
    the blocks it has recorded, two blocks it allocates never overlap.
    """
    if size <= 0:
        raise NumberingError("编号段大小必须为正数")
    top = session.scalar(
        select(func.max(NumberBlock.last)).where(
            NumberBlock.township_id == township.id, NumberBlock.doc_type == doc_type, NumberBlock.year == year
        )
    )
    first = (top or 0) + 1
    block = NumberBlock(
        township_id=township.id, device_uid=device_uid, doc_type=doc_type, year=year, first=first,
        last=first + size - 1, next_seq=first,
    )
    session.add(block)
    session.flush()
    return block


def assign_field_blocks(session: Session, township: Township, settings: Settings, *, device_uid: str,
                        years: tuple[int, ...]) -> list[NumberBlock]:
    """Top up a field device's numbers: for every document type and each of ``years``, a new block of
    ``numbering.field_block_size`` when fewer than half of that are left in its open blocks (as far as this office
    knows: the device's use of its blocks arrives with its bundles). The blocks travel to the device in the next
    reference bundle (services/sync/reference.py) or come with its database when it is provisioned."""
    size = settings.int("numbering.field_block_size")
    if size <= 0:
        raise NumberingError("外勤设备编号段大小必须为正数，请在设置中修改")
    rows = session.execute(
        select(NumberBlock.doc_type, NumberBlock.year, func.sum(NumberBlock.last - NumberBlock.next_seq + 1))
        .where(NumberBlock.township_id == township.id, NumberBlock.device_uid == device_uid,
               NumberBlock.year.in_(years), NumberBlock.next_seq <= NumberBlock.last, NumberBlock.deleted_at.is_(None))
        .group_by(NumberBlock.doc_type, NumberBlock.year))
    left = {(doc_type, year): int(n or 0) for doc_type, year, n in rows}
    added = []
    for key in _block_keys(session, township, settings):
        for year in years:
            if left.get((key, year), 0) * 2 < size:
                added.append(allocate_block(session, township, device_uid=device_uid, doc_type=key, year=year,
                                            size=size))
    return added


def _block_keys(session: Session, township: Township, settings: Settings) -> list[str]:
    """Every sequence a device numbers in: the squad's types, and each committee's own for the committee types."""
    codes = sorted({committee_issuer(c).key for c in session.scalars(select(MediationCommittee).where(
        MediationCommittee.township_id == township.id, MediationCommittee.deleted_at.is_(None)))})
    keys = []
    for doc_type in sorted(settings.dict("numbering.codes")):
        if doc_type in COMMITTEE_DOC_TYPES:
            keys += [block_key(doc_type, Issuer(code, code)) for code in codes]
        else:
            keys.append(doc_type)
    return keys


def field_block_years(today: date) -> tuple[int, ...]:
    """This year, and in December the next one too: a laptop offline over New Year keeps numbering."""
    return (today.year, today.year + 1) if today.month == 12 else (today.year,)


def document_code(settings: Settings, doc_type: str) -> str:
    """The code (代字) a document type's numbers carry, e.g. 罚决字; refused when the settings have none."""
    codes = settings.dict("numbering.codes")
    if doc_type not in codes:
        raise NumberingError(f"未设置“{doc_type}”类文书的代字，请在设置中补充")
    return codes[doc_type]


def _open_block(session: Session, township: Township, *, key: str, year: int,
                device_uid: str) -> NumberBlock | None:
    return session.scalar(
        select(NumberBlock)
        .where(
            NumberBlock.township_id == township.id, NumberBlock.device_uid == device_uid,
            NumberBlock.doc_type == key, NumberBlock.year == year, NumberBlock.next_seq <= NumberBlock.last,
            NumberBlock.deleted_at.is_(None),
        )
        .order_by(NumberBlock.first)
        .limit(1)
    )


def _require_office(session: Session, device_uid: str, year: int, code: str) -> None:
    """Only the office machine reserves a new block; a field device waits for one from the office."""
    device = session.scalar(select(Device).where(Device.uid == device_uid))
    if device is None or device.kind is DeviceKind.FIELD:
        raise NumberingError(
            f"本机没有{year}年“{code}”类文书的可用编号段。外勤设备的编号段由乡镇办公室主机分配，"
            "请先同步一次再继续"
        )


def peek_number(session: Session, township: Township, settings: Settings, *, doc_type: str, year: int,
                device_uid: str, issuer: Issuer | None = None) -> str:
    """The number ``next_number`` would give now, without taking it (制发 asks for confirmation showing it).

    Refused as ``next_number`` is when a field device has no block left; on the office machine the number is the
    first of the block it would reserve.
    """
    code = document_code(settings, doc_type)
    key = block_key(doc_type, issuer)
    block = _open_block(session, township, key=key, year=year, device_uid=device_uid)
    if block is not None:
        seq = block.next_seq
    else:
        _require_office(session, device_uid, year, f"{issuer.prefix if issuer else ''}{code}")
        top = session.scalar(select(func.max(NumberBlock.last)).where(
            NumberBlock.township_id == township.id, NumberBlock.doc_type == key, NumberBlock.year == year))
        seq = (top or 0) + 1
    prefix = issuer.prefix if issuer is not None else township.doc_prefix
    return format_number(settings.str("numbering.pattern"), prefix=prefix, code=code, year=year, seq=seq)


def next_number(
    session: Session, township: Township, settings: Settings, *, doc_type: str, year: int, device_uid: str,
    issuer: Issuer | None = None,
) -> AllocatedNumber:
    """The next number of ``doc_type``: under the squad's prefix, or under ``issuer``'s in its own sequence."""
    code = document_code(settings, doc_type)
    key = block_key(doc_type, issuer)
    block = _open_block(session, township, key=key, year=year, device_uid=device_uid)
    if block is None:
        _require_office(session, device_uid, year, f"{issuer.prefix if issuer else ''}{code}")
        block = allocate_block(
            session, township, device_uid=device_uid, doc_type=key, year=year,
            size=settings.int("numbering.block_size"),
        )
    seq = block.next_seq
    block.next_seq = seq + 1
    prefix = issuer.prefix if issuer is not None else township.doc_prefix
    number = format_number(settings.str("numbering.pattern"), prefix=prefix, code=code, year=year, seq=seq)
    return AllocatedNumber(doc_type, year, seq, number)
