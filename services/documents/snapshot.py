"""The records a document snapshot is built from, as the gather functions write them and the layouts read them.

A snapshot is the JSON document frozen when a document is issued (services/documents/issuing.py): every type
adds its own keys, so the snapshot itself stays a JSON object (:data:`Snapshot`). The pieces several types
share — the party block, the officers, the violation, the remedy clause, the contact — are typed here, so a
gather function and the layouts that print its result agree on their keys.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

Snapshot = dict[str, Any]  # JSON: the document's own keys, with the typed pieces below as values


class SnapshotFonts(TypedDict):
    """The font files the document was set in (paths as configured; empty: the bundled font)."""

    body: str
    title: str


class PartyBlock(TypedDict, total=False):
    """The party's identity block (《行政处罚法》第五十九条: name, address and identity); empty when the record
    has no party. Printed with "/" where an optional item is empty (textfmt.party_lines)."""

    kind: str  # PartyKind value: person, organisation, individual_business
    kind_label: str
    name: str
    id_type: str  # the document name of the ID (居民身份证, 统一社会信用代码 …)
    id_number: str
    address: str
    phone: str
    gender: str  # a person
    birth: str  # a person: 2026年3月2日
    ethnicity: str  # a person
    legal_rep: str  # an organisation or individual business
    legal_rep_title: str  # 法定代表人, 负责人 or 经营者


class MediationParty(PartyBlock, total=False):
    role: str  # 申请人, 被申请人, 其他当事人


class OfficerEntry(TypedDict):
    """An enforcement officer as documents name them (《行政处罚法》第四十二条: name and certificate number)."""

    name: str
    cert: str


class Violation(TypedDict):
    """What the party did and the provisions of the catalogue item the case was filed under."""

    cause: str
    act: str
    act_date: str
    place: str
    facts: str
    breached: str
    basis: str


class Remedy(TypedDict):
    """The remedy clause: the review body, the court and the sentence that names them."""

    review_body: str
    court: str
    text: str


class Contact(TypedDict):
    """The squad's office and phone: where statements are made and whom to call."""

    address: str
    phone: str
    unit: str
    person: NotRequired[str]  # penalty-case notices: the lead officer to ask for


__all__ = ["Contact", "MediationParty", "OfficerEntry", "PartyBlock", "Remedy", "Snapshot", "SnapshotFonts",
           "Violation"]
