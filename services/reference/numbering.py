"""Document numbers per type per year from per-device blocks, so offline devices never collide (docs/numbering.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.enums import DeviceKind
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
    for doc_type in sorted(settings.dict("numbering.codes")):
        for year in years:
            if left.get((doc_type, year), 0) * 2 < size:
                added.append(allocate_block(session, township, device_uid=device_uid, doc_type=doc_type, year=year,
                                            size=size))
    return added


def field_block_years(today: date) -> tuple[int, ...]:
    """This year, and in December the next one too: a laptop offline over New Year keeps numbering."""
    return (today.year, today.year + 1) if today.month == 12 else (today.year,)


def document_code(settings: Settings, doc_type: str) -> str:
    """The code (代字) a document type's numbers carry, e.g. 罚决字; refused when the settings have none."""
    codes = settings.dict("numbering.codes")
    if doc_type not in codes:
        raise NumberingError(f"未设置“{doc_type}”类文书的代字，请在设置中补充")
    return codes[doc_type]


def next_number(
    session: Session, township: Township, settings: Settings, *, doc_type: str, year: int, device_uid: str
) -> AllocatedNumber:
    code = document_code(settings, doc_type)
    block = session.scalar(
        select(NumberBlock)
        .where(
            NumberBlock.township_id == township.id, NumberBlock.device_uid == device_uid,
            NumberBlock.doc_type == doc_type, NumberBlock.year == year, NumberBlock.next_seq <= NumberBlock.last,
            NumberBlock.deleted_at.is_(None),
        )
        .order_by(NumberBlock.first)
        .limit(1)
    )
    if block is None:
        device = session.scalar(select(Device).where(Device.uid == device_uid))
        if device is None or device.kind is DeviceKind.FIELD:
            raise NumberingError(
                f"本机没有{year}年“{code}”类文书的可用编号段。外勤设备的编号段由乡镇办公室主机分配，"
                "请先同步一次再继续"
            )
        block = allocate_block(
            session, township, device_uid=device_uid, doc_type=doc_type, year=year,
            size=settings.int("numbering.block_size"),
        )
    seq = block.next_seq
    block.next_seq = seq + 1
    number = format_number(settings.str("numbering.pattern"), prefix=township.doc_prefix, code=code, year=year, seq=seq)
    return AllocatedNumber(doc_type, year, seq, number)
