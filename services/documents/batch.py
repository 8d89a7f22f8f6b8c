"""Batch issuing: e.g. every 责令改正通知书 of a campaign, one unit of work per document, with progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from models.enums import InspectionResult
from models.inspection import Campaign, Inspection
from services.core.errors import AppError, NotFound
from services.core.uow import UnitOfWork
from services.documents.issuing import issue_document


@dataclass(frozen=True, slots=True)
class BatchResult:
    issued: tuple[tuple[str, Path], ...]  # (number, file)
    failed: tuple[tuple[str, str], ...]  # (record, reason in Chinese)
    cancelled: bool = False


def campaign_orders(uow: UnitOfWork, campaign_uid: str) -> list[str]:
    """Inspections of a campaign that ended in 责令限期整改: the ones that need an order each."""
    with uow:
        camp = uow.session.scalar(select(Campaign).where(Campaign.uid == campaign_uid))
        if camp is None:
            raise NotFound(f"找不到专项整治 {campaign_uid}")
        return list(uow.session.scalars(
            select(Inspection.uid).where(Inspection.campaign_id == camp.id, Inspection.deleted_at.is_(None),
                                         Inspection.result == InspectionResult.ORDERED).order_by(Inspection.started_at)))


def issue_batch(make_uow: Callable[[], UnitOfWork], doc_type: str, record_uids: list[str], out_dir: Path, *,
                inputs: dict[str, str] | None = None,
                progress: Callable[[int, int], bool] | None = None) -> BatchResult:
    """Issue one document per record and save each PDF under ``out_dir``.

    Each document is its own unit of work, so one record that lacks a mandatory item is reported and the
    rest are still issued. ``progress(done, total)`` returning False cancels after the current document.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    issued: list[tuple[str, Path]] = []
    failed: list[tuple[str, str]] = []
    total = len(record_uids)
    for i, uid in enumerate(record_uids):
        try:
            info = issue_document(make_uow(), doc_type, uid, inputs)
        except AppError as exc:
            failed.append((uid, exc.message))
        else:
            safe = info.number.replace("/", "_").replace("\\", "_")
            issued.append((info.number, info.save(out_dir / f"{safe}.pdf")))
        if progress is not None and not progress(i + 1, total):
            return BatchResult(tuple(issued), tuple(failed), cancelled=True)
    return BatchResult(tuple(issued), tuple(failed))
