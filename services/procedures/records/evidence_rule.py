"""The evidence a decision rests on (《中华人民共和国行政处罚法》第四十条、第五十九条第二项), read by the decision step
and by the documents; imports no procedure module, so the case steps can use it without an import cycle."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.case import PenaltyCase
from models.case_records import EvidenceItem
from services.core.errors import ValidationError

EVIDENCE_ARTICLE = "《中华人民共和国行政处罚法》第五十九条第二项"


def registered_evidence(session: Session, case: PenaltyCase) -> list[EvidenceItem]:
    """The case's evidence register in its order (soft-deleted entries left out)."""
    return list(session.scalars(select(EvidenceItem).where(
        EvidenceItem.case_id == case.id, EvidenceItem.deleted_at.is_(None)).order_by(EvidenceItem.seq, EvidenceItem.id)))


def require_evidence(session: Session, case: PenaltyCase) -> None:
    """A penalty decision lists its evidence and what each item proves: without a registered item it is refused."""
    if not registered_evidence(session, case):
        raise ValidationError(f"案件尚未登记任何证据，不能作出行政处罚决定：决定书应当载明违法事实和证据"
                              f"（{EVIDENCE_ARTICLE}），请先在证据清单中登记证据及其证明对象", field="evidence")
