"""Which stored values are personal data sealed at rest (services/core/cipher.py, docs/encryption.md §What is sealed).

One declaration: the flush and load hooks, the upgrade that seals an existing database, the sync exporter (which
opens them) and importer (which seals them under the receiving database's key), the raw-bytes test and the docs all
read this table. ``index`` columns also keep a keyed blind index for exact search; ``mask`` columns keep the masked
form lists show, so a list page decrypts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import String, Text

from models.identifiers import mask_id, mask_phone


class Masking(StrEnum):
    NONE = "none"
    ID_NUMBER = "id_number"  # models.identifiers.mask_id
    PHONE = "phone"  # models.identifiers.mask_phone
    ADDRESS = "address"  # mask_address below: the 乡镇 it is in, not the house


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
    SealedColumn("party", "address", mask=Masking.ADDRESS),
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
    # 已制发文书: the frozen content of every issued document repeats the parties' identity blocks
    SealedColumn("issued_document", "snapshot"),
    # Places: where a natural person was inspected or broke the rules is, as often as not, their home or their
    # stall (the demo's 1 in 4 inspections): the address of a member of the public. The inspections list shows
    # the place opened (with the key) or down to its 乡镇 (without); its text search reads the masked form.
    SealedColumn("inspection", "place", mask=Masking.ADDRESS),
    SealedColumn("penalty_case", "place"),  # 违法地点: shown on the case and in its documents only
    # Free text, where practical: a case's 违法事实 names the party and where (当事人张某在某街某号…), and the
    # 裁量理由 begins with the facts (services/reference/catalogue.py). Both are read through the case only (no
    # list, search or statistic reads them), so they are sealed. Text that lists search (检查情况, 纠纷简要情况)
    # and the structured records stay in the clear: docs/encryption-data.md says which and why.
    SealedColumn("penalty_case", "facts"),
    SealedColumn("penalty_case", "discretion_reasons"),
    SealedColumn("evidence_item", "source"),  # 证据来源或取证地点: the scene, i.e. the same place
    # the places written into the case's records: 询问地点 (often the party's home), the scene of a 现场笔录 or
    # 勘验笔录, where things were sealed up or seized (查封扣押场所); read through their records only
    SealedColumn("case_interview", "place"),
    SealedColumn("case_record", "place"),
    SealedColumn("coercive_measure", "place"),
)

# A record the sync refused (``sync_quarantine.payload``, the record's JSON text as it arrived) is sealed whole:
# it holds the same personal data as a stored row. Its row has no uid: the seal is bound to the bundle, the table
# and the record's uid it names (services/sync/merge.py seals, services/sync/quarantine.py opens).
QUARANTINE = ("sync_quarantine", "payload")


def quarantine_binding(bundle_uid: str, table: str, record_uid: str) -> str:
    return f"{bundle_uid}/{table}/{record_uid}"


# The local columns derived from a sealed one (never synced: each database fills its own, the blind index under
# its own key). Named after the sealed column, so the declaration above is the only list.
MASKED_SUFFIX, INDEX_SUFFIX = "_masked", "_index"


def masked_column(col: SealedColumn) -> str:
    return col.column + MASKED_SUFFIX


def index_column(col: SealedColumn) -> str:
    return col.column + INDEX_SUFFIX


def index_kind(col: SealedColumn) -> str:
    """What a blind index is computed as: every ID-number column as ``id_number``, so one search digest finds a
    number whichever column holds it (a party's own, an individual business's operator's)."""
    return "id_number" if col.mask is Masking.ID_NUMBER else col.column


def derived_columns(table: str) -> frozenset[str]:
    """The local derived columns of ``table`` (masked forms, blind indexes)."""
    out: set[str] = set()
    for col in SEALED_COLUMNS:
        if col.table == table:
            if col.mask is not Masking.NONE:
                out.add(masked_column(col))
            if col.index:
                out.add(index_column(col))
    return frozenset(out)


def masked(col: SealedColumn, plaintext: str) -> str:
    """The masked form lists show (models/identifiers.py), "" for a column without one or an empty value."""
    if not plaintext or col.mask is Masking.NONE:
        return ""
    if col.mask is Masking.ADDRESS:
        return mask_address(plaintext)
    shown = mask_id(plaintext) if col.mask is Masking.ID_NUMBER else mask_phone(plaintext)
    return shown[-32:]  # the derived column holds 32 characters; the tail is what a mask shows


_PLACE_LEVELS = ("街道", "镇", "乡")
_ADDRESS_SHOWN = 12  # characters of the address kept at most (the 区县 and 乡镇 part)


def mask_address(value: str) -> str:
    """The part of an address naming the 乡镇 (or 街道) it is in, the rest starred: ``五通桥区竹根镇****``. Lists
    show this (a directory of members of the public, where a house number has no business); without a 乡镇 in the
    first characters, the first four (a street name without its number)."""
    text = "".join(value.split())
    if len(text) <= 6:
        return "*" * len(text)
    cut = 0
    for level in _PLACE_LEVELS:
        at = text.find(level, 0, _ADDRESS_SHOWN)
        if at >= 0:
            cut = max(cut, at + len(level))
    cut = cut or 4
    return text[:cut] + ("****" if cut < len(text) else "")


def sealed_text(length: int) -> String:
    """The type of a sealed column: String(length) (the plaintext's limit, which forms and the sync checks read;
    SQLite stores any length), TEXT on PostgreSQL, where a sealed value (~4/3 of the plaintext's UTF-8 bytes plus
    ~40 characters) would not fit in VARCHAR(length)."""
    return String(length).with_variant(Text(), "postgresql")


def sealed_by_table() -> dict[str, tuple[SealedColumn, ...]]:
    out: dict[str, list[SealedColumn]] = {}
    for col in SEALED_COLUMNS:
        out.setdefault(col.table, []).append(col)
    return {table: tuple(cols) for table, cols in out.items()}
