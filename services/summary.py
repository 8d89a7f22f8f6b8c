"""The placeholder home screen's figures: township, record counts and overdue deadlines."""

from __future__ import annotations

from sqlalchemy import func, select

from models.case import PenaltyCase
from models.inspection import Inspection
from models.mediation import MediationCase
from models.system import Deadline
from services.setup import this_township
from services.uow import UnitOfWork


def home_summary(uow: UnitOfWork) -> list[tuple[str, str]]:
    with uow:
        s = uow.session
        t = this_township(s)
        today = uow.clock.today()

        def count(model: type) -> int:
            return s.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None))) or 0

        overdue = s.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.met_on.is_(None), Deadline.due_on < today)) or 0
        due_week = s.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.met_on.is_(None), Deadline.due_on >= today, Deadline.due_on <= today.fromordinal(
                today.toordinal() + 7))) or 0
        return [
            ("乡镇", t.name), ("文书落款机关", t.agency_name),
            ("检查记录", f"{count(Inspection):,}"), ("行政处罚案件", f"{count(PenaltyCase):,}"),
            ("人民调解案件", f"{count(MediationCase):,}"),
            ("七日内到期事项", f"{due_week:,}"), ("已逾期事项", f"{overdue:,}"),
        ]
