"""Which stored values are personal data sealed at rest (services/core/cipher.py, docs/encryption.md §What is sealed).

One declaration: the flush and load hooks, the upgrade that seals an existing database, the sync exporter (which
opens them) and importer (which seals them under the receiving database's key), the raw-bytes test and the docs all
read this table. ``index`` columns also keep a keyed blind index for exact search; ``mask`` columns keep the masked
form lists show, so a list page decrypts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Masking(StrEnum):
    NONE = "none"
    ID_NUMBER = "id_number"  # models.identifiers.mask_id
    PHONE = "phone"  # models.identifiers.mask_phone


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    index: bool = False  # exact search by a keyed blind index
    mask: Masking = Masking.NONE


SEALED_COLUMNS: tuple[SealedColumn, ...] = (
    # 当事人: natural persons' and individual businesses' operators' identity, reachability and home
    SealedColumn("party", "id_number", index=True, mask=Masking.ID_NUMBER),
    SealedColumn("party", "operator_id_number", index=True, mask=Masking.ID_NUMBER),
    SealedColumn("party", "phone", mask=Masking.PHONE),
    SealedColumn("party", "address"),
    # 执法人员: their own ID numbers and private phones
    SealedColumn("officer", "id_number", mask=Masking.ID_NUMBER),
    SealedColumn("officer", "phone", mask=Masking.PHONE),
    # 调解员
    SealedColumn("mediator", "phone", mask=Masking.PHONE),
    # 询问笔录: the interviewee's identity block and the questions and answers that repeat it
    SealedColumn("case_interview", "id_number", mask=Masking.ID_NUMBER),
    SealedColumn("case_interview", "phone", mask=Masking.PHONE),
    SealedColumn("case_interview", "address"),
    SealedColumn("case_interview", "qa"),
    # 送达回证: the address where a person was served
    SealedColumn("service_record", "address"),
)


def sealed_by_table() -> dict[str, tuple[SealedColumn, ...]]:
    out: dict[str, list[SealedColumn]] = {}
    for col in SEALED_COLUMNS:
        out.setdefault(col.table, []).append(col)
    return {table: tuple(cols) for table, cols in out.items()}
