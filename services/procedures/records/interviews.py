"""询问（调查）笔录 as entered: the interviewee's identity, the questions and answers, who asked and who wrote.

An officer cannot be in two places at once: an interview whose interviewers or recorder are already in another
interview at an overlapping time is refused (a frequent 案卷评查 defect, "同一执法人员在时间重叠的两份笔录中").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from models.base import SHANGHAI
from models.case_records import CaseInterview
from models.enums import RecordKind
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.people.registry import require_certified
from services.procedures.records.common import (
    RecordInfo,
    check_day,
    need_text,
    officers_by_uid,
    open_case,
    uid_list,
)

ARTICLE = "《中华人民共和国行政处罚法》第四十二条、第五十五条"


@dataclass(frozen=True, slots=True)
class InterviewInput:
    started_at: datetime
    ended_at: datetime
    place: str
    name: str
    relation: str  # 与本案关系: 当事人本人, 当事人的法定代表人, 证人 …
    interviewer_uids: Sequence[str]
    recorder_uid: str
    qa: Sequence[tuple[str, str]]
    sex: str = ""
    birth_date: date | None = None
    id_number: str = ""
    work_unit: str = ""
    post: str = ""
    address: str = ""
    phone: str = ""


def _check_times(data: InterviewInput) -> None:
    if data.started_at.tzinfo is None or data.ended_at.tzinfo is None:
        raise ValidationError("询问起止时间须带时区", field="started_at")
    if data.ended_at <= data.started_at:
        raise ValidationError("询问结束时间须晚于开始时间", field="ended_at")
    if data.ended_at.astimezone(SHANGHAI).date() != data.started_at.astimezone(SHANGHAI).date():
        raise ValidationError("一份询问笔录记录同一天内的一次询问，跨日的请分次记录", field="ended_at")


def _check_qa(qa: Sequence[tuple[str, str]]) -> list[list[str]]:
    pairs = [[q.strip(), a.strip()] for q, a in qa]
    if not pairs:
        raise ValidationError("请录入询问的问答内容", field="qa")
    for i, (q, a) in enumerate(pairs, 1):
        if not q or not a:
            raise ValidationError(f"第{i}组问答的问题和回答都要填写（被询问人未回答的，记录“未回答”）", field="qa")
    return pairs


def _check_overlap(uow: UnitOfWork, township_id: int, data: InterviewInput, names: dict[str, str]) -> None:
    """Refuse an officer who is already in an interview whose time overlaps this one."""
    mine = set(names)
    others = uow.session.scalars(select(CaseInterview).where(
        CaseInterview.township_id == township_id, CaseInterview.deleted_at.is_(None),
        CaseInterview.started_at < data.ended_at, CaseInterview.ended_at > data.started_at))
    for other in others:
        shared = mine & (set(other.interviewers) | {other.recorder_uid})
        if shared:
            who = "、".join(names[u] for u in names if u in shared)
            span = f"{other.started_at:%Y-%m-%d %H:%M}至{other.ended_at:%H:%M}"
            raise ValidationError(f"执法人员{who}在{span}已参加对{other.name}的询问，同一执法人员不能同时参加两次询问"
                                  f"（{ARTICLE}）", field="interviewer_uids")


def add_interview(uow: UnitOfWork, case_ref: str, data: InterviewInput) -> RecordInfo:
    """Record one interview of the case; 第X次 counts this interviewee's interviews in the case."""
    with uow:
        s = uow.session
        case = open_case(uow, case_ref)
        _check_times(data)
        day = data.started_at.astimezone(SHANGHAI).date()
        check_day(uow, case, day, "询问")
        name = need_text(data.name, "被询问人姓名", "name")
        relation = need_text(data.relation, "被询问人与本案的关系", "relation")
        place = need_text(data.place, "询问地点", "place")
        interviewers = officers_by_uid(s, case, data.interviewer_uids, "询问人")
        require_certified(interviewers, day, what="询问")
        recorder = officers_by_uid(s, case, [need_text(data.recorder_uid, "记录人", "recorder_uid")], "记录人")[0]
        names = {o.uid: o.name for o in [*interviewers, recorder]}
        _check_overlap(uow, case.township_id, data, names)
        pairs = _check_qa(data.qa)
        earlier = s.scalars(select(CaseInterview).where(CaseInterview.case_id == case.id,
                                                        CaseInterview.name == name,
                                                        CaseInterview.deleted_at.is_(None))).all()
        row = CaseInterview(
            township_id=case.township_id, case_id=case.id, seq=len(earlier) + 1, started_at=data.started_at,
            ended_at=data.ended_at, place=place, name=name, sex=data.sex.strip(), birth_date=data.birth_date,
            id_number=data.id_number.strip(), work_unit=data.work_unit.strip(), post=data.post.strip(),
            address=data.address.strip(), phone=data.phone.strip(), relation=relation,
            interviewer_uids=uid_list(interviewers), recorder_uid=recorder.uid,
            qa=json.dumps(pairs, ensure_ascii=False))
        with uow.action("case_interview.add"):
            s.add(row)
            s.flush()
        info = RecordInfo(row.uid, RecordKind.CASE_INTERVIEW, "interview", "询问（调查）笔录", day,
                          f"第{row.seq}次询问{name}（{relation}），{len(pairs)}组问答")
        uow.commit()
        return info
