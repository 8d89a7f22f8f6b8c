"""Checks before what cannot be undone: the documents 结案 needs, and a fine outside its discretion band.

结案 closes the file for good (立卷归档 follows), so it is refused while a document the procedure has required so far
is not issued. Which steps require which documents is the [L] setting ``closing.required_documents`` (step value ->
document types): each squad's 案卷评查 standard names its own list (docs/legal-basis.md, 案卷评查).

A fine outside the band of the chosen discretion tier (裁量基准, 《中华人民共和国行政处罚法》第三十四条) needs a
written reason; it is kept with the discretion reasons and so prints in the decision (第五十九条: the decision states
the facts, the basis and the reasons).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.case import PenaltyCase
from models.enums import DiscretionTierName, RecordKind
from models.labels import label
from models.records import IssuedDocument
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures.case_rules import LAW, refuse
from services.reference.catalogue import suggest_fine
from services.reference.settings import Settings

CLOSING_SETTING = "closing.required_documents"


@dataclass(frozen=True, slots=True)
class RequiredDocument:
    """A document 结案 needs: its type, its title and the number it was issued under ('' while missing)."""

    doc_type: str
    title: str
    number: str

    @property
    def issued(self) -> bool:
        return bool(self.number)


def _titles() -> dict[str, str]:
    # Imported on use: the document registry pulls in ReportLab, which the steps do not otherwise need.
    from services.documents.registry import doc_types

    return {t.name: t.title for t in doc_types()}


def required_documents(session: Session, case: PenaltyCase, settings: Settings) -> tuple[RequiredDocument, ...]:
    """The documents the steps this case went through require, in the order of the setting, each with its number."""
    rules: dict[str, Any] = settings.dict(CLOSING_SETTING)
    happened = {e.action for e in case.events}
    wanted: list[str] = []
    for step, types in rules.items():
        if step in happened:
            wanted.extend(t for t in types if t not in wanted)
    if not wanted:
        return ()
    issued = dict(session.execute(
        select(IssuedDocument.doc_type, IssuedDocument.number).where(
            IssuedDocument.record_table == RecordKind.PENALTY_CASE, IssuedDocument.record_uid == case.uid,
            IssuedDocument.doc_type.in_(wanted), IssuedDocument.deleted_at.is_(None))).all())
    titles = _titles()
    return tuple(RequiredDocument(t, titles.get(t, t), issued.get(t, "")) for t in wanted)


def check_closing_documents(session: Session, case: PenaltyCase, settings: Settings) -> None:
    """Refuse 结案 while a required document is not issued, naming every missing one."""
    missing = [d.title for d in required_documents(session, case, settings) if not d.issued]
    if missing:
        raise refuse(f"以下文书尚未制发，不能结案：{'、'.join(missing)}。请在“执法文书”中制发后再结案",
                     "执法案卷应当完整（案卷评查标准）")


def closing_documents(uow: UnitOfWork, ref: str) -> tuple[RequiredDocument, ...]:
    """What the 结案 dialog lists: the documents this case requires so far, issued or not."""
    from services.procedures.cases.common import load_case  # the package imports this module for 结案

    with uow:
        case = load_case(uow.session, ref)
        return required_documents(uow.session, case, Settings(uow.session))


def band_reason(case: PenaltyCase, tier: DiscretionTierName | None, fine: Decimal | None, reasons: str,
                deviation: str, settings: Settings, *, minor_party: bool = False) -> str:
    """The discretion reasons to keep: ``reasons``, plus the reason for a fine outside the tier's band.

    Refused (field ``deviation``) when the fine lies outside the band and no reason is written.
    """
    item = case.power_item
    if tier is None or fine is None or item is None or item.fine_min is None or item.fine_max is None:
        return reasons
    band = suggest_fine(item, tier, settings, minor_party=minor_party)
    if band.fine_min <= fine <= band.fine_max:
        return reasons
    below = fine < band.fine_min
    if not deviation.strip():
        hint = ("从轻或减轻的，请写明《中华人民共和国行政处罚法》第三十二条规定的情形" if below
                else "请写明从重的事实")
        raise ValidationError(
            f"拟罚款{fine}元{'低于' if below else '高于'}“{label(tier)}”档次的建议幅度"
            f"（{band.fine_min}—{band.fine_max}元），须写明理由：{hint}", field="deviation")
    text = (f"罚款数额{'低于' if below else '高于'}裁量基准“{label(tier)}”档次的建议幅度"
            f"（{band.fine_min}元至{band.fine_max}元），理由是：{deviation.strip().rstrip('。')}")
    if below and "第三十二条" not in text:
        text += f"，依照{LAW}第三十二条"
    return "；".join(x for x in (reasons.strip().rstrip("。"), text) if x)
