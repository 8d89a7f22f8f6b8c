"""Trainings of enforcement officers and their attendance (a yearly indicator)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.records import Training, TrainingAttendance
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.people.registry import officers_by_uid
from services.reference.setup import this_township


def validate_training(*, title: str, held_on: date, hours: int, today: date) -> None:
    """The form's rules, without the database (the township demo generator checks its records with them too)."""
    if not title.strip():
        raise ValidationError("请填写培训名称", field="title")
    if held_on > today:
        raise ValidationError("培训日期不能晚于今天", field="held_on")
    if hours <= 0:
        raise ValidationError("培训学时必须大于0", field="hours")


def record_training(uow: UnitOfWork, *, title: str, held_on: date, officer_uids: list[str], organiser: str = "",
                    hours: int = 2, place: str = "") -> str:
    with uow:
        s = uow.session
        validate_training(title=title, held_on=held_on, hours=hours, today=uow.clock.today())
        officers = officers_by_uid(s, list(dict.fromkeys(officer_uids)))
        t = Training(township_id=this_township(s).id, title=title.strip(), held_on=held_on, organiser=organiser,
                     hours=hours, place=place)
        with uow.action("training.record"):
            s.add(t)
            s.flush()
            for o in officers:
                s.add(TrainingAttendance(training_id=t.id, officer_id=o.id))
        uow.commit()
        return t.uid


def attendance(uow: UnitOfWork, training_uid: str) -> list[str]:
    with uow:
        from models.org import Officer

        rows = uow.session.scalars(
            select(Officer.name).join(TrainingAttendance, TrainingAttendance.officer_id == Officer.id)
            .join(Training, Training.id == TrainingAttendance.training_id).where(Training.uid == training_uid)
            .order_by(Officer.name)
        )
        return list(rows)
