"""People's mediation cases (人民调解法): intake, sessions, agreement, follow-up, judicial confirmation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from models.base import to_yuan
from models.enums import (
    AgreementForm,
    MediationPartyRole,
    MediationSource,
    MediationStatus,
    PerformanceStatus,
    RecordKind,
    TermConcern,
)
from models.labels import label
from models.mediation import (
    DisputeCategory,
    FollowUpVisit,
    MediationCase,
    MediationCommittee,
    MediationMediator,
    MediationObligation,
    MediationParty,
    MediationSession,
    Mediator,
)
from models.mediation_flow import ACTION_LABELS, MediationAction, allowed_actions, check_edge
from models.party import Party
from services.core.errors import NotFound, TransitionRefused, ValidationError, raise_first, required
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require
from services.procedures import cases as dl_info
from services.procedures import deadlines as dl
from services.procedures import mediation_rules as rules
from services.procedures.mediation_rules import LAW
from services.procedures.mediation_rules import UNCONFIRMABLE as UNCONFIRMABLE
from services.reference.calendar import load_calendar
from services.reference.numbering import committee_issuer, next_number
from services.reference.settings import Settings
from services.reference.setup import this_township


@dataclass(frozen=True, slots=True)
class MediationSummary:
    uid: str
    number: str
    status: MediationStatus
    status_label: str
    category: str
    applied_on: date
    agreement_form: AgreementForm | None
    agreement_effective_on: date | None
    allowed_actions: tuple[MediationAction, ...]


def _summary(mc: MediationCase, category: str) -> MediationSummary:
    return MediationSummary(mc.uid, mc.number, mc.status, label(mc.status), category, mc.applied_on,
                            mc.agreement_form, mc.agreement_effective_on, tuple(allowed_actions(mc.status)))


@dataclass(frozen=True, slots=True)
class MediationInput:
    category_code: str
    committee_uid: str
    applied_on: date
    parties: list[tuple[str, MediationPartyRole]]  # (party uid, role)
    summary: str
    source: MediationSource = MediationSource.APPLICATION
    amount_involved: Decimal | None = None
    other_party_refuses: bool = False


def mediation_problems(data: MediationInput, today: date) -> dict[str, str]:
    """Every problem of the registration form's own rules at once (field -> message), without the database: the
    form checks a field when it is left and lists them all on 保存."""
    out: dict[str, str] = {}
    if len({uid for uid, _ in data.parties}) < 2:
        out["parties"] = "人民调解案件至少应有两方当事人"
    if not data.summary.strip():
        out["summary"] = "请填写纠纷简要情况"
    if data.applied_on > today:
        out["applied_on"] = "申请日期不能晚于今天"
    return out


def register_mediation(uow: UnitOfWork, data: MediationInput) -> MediationSummary:
    with uow:
        if uow.role is not None:
            require(uow.role, Permission.RECORD)
        s = uow.session
        if data.other_party_refuses:
            raise TransitionRefused("一方当事人明确拒绝调解的，不得调解", f"{LAW}第十七条")
        raise_first(mediation_problems(data, uow.clock.today()))
        cat = s.scalar(select(DisputeCategory).where(DisputeCategory.code == data.category_code,
                                                     DisputeCategory.active.is_(True)))
        if cat is None:
            raise NotFound(f"纠纷类别“{data.category_code}”不存在或已停用")
        committee = s.scalar(select(MediationCommittee).where(MediationCommittee.uid == data.committee_uid))
        if committee is None:
            raise NotFound(f"找不到调解委员会 {data.committee_uid}")
        parties = {p.uid: p for p in s.scalars(select(Party).where(Party.uid.in_([u for u, _ in data.parties])))}
        missing = [u for u, _ in data.parties if u not in parties]
        if missing:
            raise NotFound(f"找不到当事人：{', '.join(missing)}")
        township = this_township(s)
        # The committee's register, under its own 代字 (not the enforcement squad's).
        number = next_number(s, township, Settings(s), doc_type="mediation", year=data.applied_on.year,
                             device_uid=s.info.get("device_uid", ""), issuer=committee_issuer(committee)).number
        mc = MediationCase(
            township_id=township.id, number=number, status=MediationStatus.APPLIED, source=data.source,
            category_id=cat.id, committee_id=committee.id, summary=data.summary.strip(),
            amount_involved=to_yuan(data.amount_involved) if data.amount_involved is not None else None,
            applied_on=data.applied_on,
        )
        for uid, role in data.parties:
            mc.party_links.append(MediationParty(party_id=parties[uid].id, role=role))
        with uow.action("mediation_case.register"):
            s.add(mc)
            s.flush()
        out = _summary(mc, cat.name)
        uow.commit()
        return out


# Every mediation step needs the RECORD permission (services/people/roles.py): the services refuse it without,
# and services.procedures.actions.mediation_actions greys it out on the mediation screen.
STEP_PERMISSION: Final = Permission.RECORD


@dataclass
class _Ctx:
    uow: UnitOfWork
    case: MediationCase
    category: str
    note: str = ""


def load_mediation(uow: UnitOfWork, ref: str) -> MediationCase:
    """A mediation case by UUID or number."""
    mc = uow.session.scalar(
        select(MediationCase).where(or_(MediationCase.uid == ref, MediationCase.number == ref))
        .where(MediationCase.deleted_at.is_(None))
        .options(selectinload(MediationCase.party_links), selectinload(MediationCase.visits))
    )
    if mc is None:
        raise NotFound(f"找不到调解案件“{ref}”")
    return mc


def _step(uow: UnitOfWork, ref: str, action: MediationAction, on: date,
          fn: Callable[[_Ctx], MediationStatus]) -> MediationSummary:
    with uow:
        if uow.role is not None:
            require(uow.role, STEP_PERMISSION)
        s = uow.session
        mc = load_mediation(uow, ref)
        if action not in allowed_actions(mc.status):
            raise TransitionRefused(f"{ACTION_LABELS[action]}：调解案件当前为“{label(mc.status)}”，不能办理此环节")
        if on > uow.clock.today():
            raise ValidationError("日期不能晚于今天", field="on")
        category = s.scalar(select(DisputeCategory.name).where(DisputeCategory.id == mc.category_id)) or ""
        ctx = _Ctx(uow, mc, category)
        source = mc.status
        with uow.action(f"mediation_case.{action.value}"):
            target = fn(ctx)
            check_edge(action, source, target)
            mc.status = target
            s.flush()
            dl.store(s, RecordKind.MEDIATION_CASE, mc.id, dl.mediation_deadlines(mc, Settings(s), load_calendar(s)))
        out = _summary(mc, category)
        uow.commit()
        return out


def accept(uow: UnitOfWork, ref: str, *, on: date, mediator_uids: list[str]) -> MediationSummary:
    def fn(ctx: _Ctx) -> MediationStatus:
        mc = ctx.case
        rules.check_acceptance(mc, on)
        if not mediator_uids:
            raise ValidationError("请指定调解员", field="mediators")
        found = ctx.uow.session.scalars(select(Mediator).where(Mediator.uid.in_(mediator_uids))).all()
        if len(found) != len(set(mediator_uids)):
            raise NotFound("有调解员不存在")
        for m in found:
            mc.mediator_links.append(MediationMediator(mediator_id=m.id))
        mc.accepted_on = on
        return MediationStatus.MEDIATING

    return _step(uow, ref, MediationAction.ACCEPT, on, fn)


def _ending(status: MediationStatus, on: date, reason: str, message: str) -> Callable[[_Ctx], MediationStatus]:
    """A step that ends the dispute for a stated reason (不予受理, 调解不成功, 终止): without one it is refused."""

    def fn(ctx: _Ctx) -> MediationStatus:
        ctx.case.end_reason = required(reason, message, field="reason")
        ctx.case.ended_on = on
        return status

    return fn


def reject(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> MediationSummary:
    return _step(uow, ref, MediationAction.REJECT, on,
                 _ending(MediationStatus.REJECTED, on, reason, "请写明不予受理的理由（如已由法院、公安受理）"))


def record_session(uow: UnitOfWork, ref: str, *, on: date, held_at: datetime, place: str, record: str,
                   public: bool = False) -> MediationSummary:
    def fn(ctx: _Ctx) -> MediationStatus:
        required(record, "请填写调解记录", field="record")
        if held_at.tzinfo is None:
            raise ValidationError("调解时间须带时区", field="held_at")
        ctx.case.sessions.append(MediationSession(held_at=held_at, place=place, record=record, public=public))
        return ctx.case.status

    return _step(uow, ref, MediationAction.SESSION, on, fn)


@dataclass(frozen=True, slots=True)
class ObligationInput:
    """One term of the agreement (人民调解法 art.29 (三)): ``obligor_uid`` owes ``obligee_uid`` (party uids of the
    dispute) ``what`` — an ``amount`` in yuan and/or a ``subject`` (the object or the act, e.g. 疏通排水沟约20米) —
    in the ``manner`` stated by ``due_on``. ``concerns``: whether it settles an identity, adoption or marriage
    relation (which a court does not confirm)."""

    obligor_uid: str
    obligee_uid: str
    what: str
    due_on: date
    manner: str
    amount: Decimal | None = None
    subject: str = ""
    concerns: TermConcern = TermConcern.NONE


@dataclass(frozen=True, slots=True)
class AgreementInput:
    """``terms``: what the parties agreed besides the obligations (e.g. 双方今后互不追究); may be empty when
    ``obligations`` are given. ``performance_deadline`` empty: the last obligation's ``due_on``."""

    form: AgreementForm
    terms: str
    effective_on: date
    performance_deadline: date | None = None
    all_parties_signed: bool = True
    committee_sealed: bool = True
    obligations: tuple[ObligationInput, ...] = ()
    disputed_issues: str = ""
    responsibility: str = ""


def _obligations(ctx: _Ctx, data: AgreementInput) -> list[MediationObligation]:
    """The terms as rows, checked: both sides parties of this dispute (art.29 (三))."""
    s = ctx.uow.session
    ids = {p.uid: p.id for link in ctx.case.party_links for p in [s.get(Party, link.party_id)] if p is not None}
    for o in data.obligations:
        for uid in (o.obligor_uid, o.obligee_uid):
            if uid not in ids:
                raise ValidationError("协议内容中的义务人和权利人应为本纠纷的当事人", field="obligations")
    rules.check_terms(data.obligations, [(o.obligor_uid, o.obligee_uid) for o in data.obligations],
                      data.effective_on)
    return [MediationObligation(position=n, obligor_id=ids[o.obligor_uid], obligee_id=ids[o.obligee_uid],
                                what=o.what.strip(), amount=to_yuan(o.amount) if o.amount is not None else None,
                                subject=o.subject.strip(), manner=o.manner.strip(), due_on=o.due_on,
                                concerns=o.concerns)
            for n, o in enumerate(data.obligations, start=1)]


def record_agreement(uow: UnitOfWork, ref: str, *, on: date, data: AgreementInput) -> MediationSummary:
    """art.28-30: a written agreement takes effect once every party and the mediator signed and it is sealed.

    art.29: a written agreement states the disputed issues and each party's responsibility, and its content as
    terms (who owes whom what, how, by when); the agreement is numbered under the committee's own 代字."""

    def fn(ctx: _Ctx) -> MediationStatus:
        mc = ctx.case
        last = rules.terms_deadline(data.obligations)
        deadline = data.performance_deadline or last
        performance = rules.check_agreement(mc, data.form, data.effective_on, deadline,
                                            all_parties_signed=data.all_parties_signed,
                                            committee_sealed=data.committee_sealed)
        if not data.terms.strip() and not data.obligations:
            raise ValidationError("请逐项填写协议内容（义务人、权利人、内容、金额或标的物、履行方式和期限）",
                                  field="obligations")
        if data.form is AgreementForm.WRITTEN and not data.responsibility.strip():
            raise ValidationError(f"请写明各方当事人的责任（{LAW}第二十九条）", field="responsibility")
        obligations = _obligations(ctx, data)
        if deadline is not None and last is not None and deadline < last:
            raise ValidationError("履行期限不能早于各项协议内容的履行期限", field="performance_deadline")
        mc.agreement_form = data.form
        mc.agreement_terms = data.terms.strip()
        mc.disputed_issues = data.disputed_issues.strip()
        mc.responsibility = data.responsibility.strip()
        mc.obligations = obligations
        mc.agreement_effective_on = data.effective_on
        mc.performance_deadline = deadline
        mc.performance_status = performance
        mc.ended_on = on
        s = ctx.uow.session
        committee = s.get(MediationCommittee, mc.committee_id)
        assert committee is not None
        mc.agreement_number = next_number(s, this_township(s), Settings(s), doc_type="mediation_agreement",
                                          year=on.year, device_uid=s.info.get("device_uid", ""),
                                          issuer=committee_issuer(committee)).number
        return MediationStatus.SUCCEEDED

    return _step(uow, ref, MediationAction.SUCCEED, on, fn)


def fail(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> MediationSummary:
    """art.26: end the mediation and tell the parties of arbitration, administrative and judicial routes."""

    return _step(uow, ref, MediationAction.FAIL, on,
                 _ending(MediationStatus.FAILED, on, reason, "请写明调解不成功的原因及告知的其他解决途径"))


def terminate(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> MediationSummary:
    return _step(uow, ref, MediationAction.TERMINATE, on,
                 _ending(MediationStatus.TERMINATED, on, reason, "请写明终止调解的理由"))


def follow_up(uow: UnitOfWork, ref: str, *, on: date, visitor: str, performance: PerformanceStatus,
              method: str = "上门", note: str = "") -> MediationSummary:
    def fn(ctx: _Ctx) -> MediationStatus:
        mc = ctx.case
        required(visitor, "请填写回访人", field="visitor")
        rules.check_follow_up(mc, on)
        mc.visits.append(FollowUpVisit(visited_on=on, visitor=visitor, method=method, performance_status=performance,
                                       note=note))
        mc.performance_status = performance
        return mc.status

    return _step(uow, ref, MediationAction.FOLLOW_UP, on, fn)


def apply_confirmation(uow: UnitOfWork, ref: str, *, on: date, court: str, joint: bool) -> MediationSummary:
    """Judicial confirmation (art.33): both parties jointly, within 30 days of the agreement taking effect."""

    def fn(ctx: _Ctx) -> MediationStatus:
        mc = ctx.case
        s = ctx.uow.session
        rules.check_confirmation(mc, on, joint=joint, settings=Settings(s), cal=load_calendar(s))
        rules.check_confirmable_terms(mc.obligations)
        required(court, "请填写受理法院", field="court")
        mc.confirmation_applied_on = on
        mc.confirmation_court = court.strip()
        return MediationStatus.CONFIRMATION_PENDING

    return _step(uow, ref, MediationAction.APPLY_CONFIRMATION, on, fn)


def record_confirmation(uow: UnitOfWork, ref: str, *, on: date, confirmed: bool) -> MediationSummary:
    def fn(ctx: _Ctx) -> MediationStatus:
        mc = ctx.case
        rules.check_ruling(mc, on)
        mc.confirmation_decided_on = on
        mc.confirmation_granted = confirmed
        return MediationStatus.CONFIRMED if confirmed else MediationStatus.CONFIRMATION_REFUSED

    return _step(uow, ref, MediationAction.RECORD_CONFIRMATION, on, fn)


def flag_escalation(uow: UnitOfWork, ref: str, *, on: date, criminal: bool, note: str) -> MediationSummary:
    """art.25: risk of escalation is flagged and reported; ``criminal`` records a 民转刑 case."""

    def fn(ctx: _Ctx) -> MediationStatus:
        ctx.case.escalation_risk = True
        ctx.case.escalated_to_criminal = ctx.case.escalated_to_criminal or criminal
        ctx.note = note
        return ctx.case.status

    return _step(uow, ref, MediationAction.FLAG_ESCALATION, on, fn)


def close(uow: UnitOfWork, ref: str, *, on: date, archive_number: str = "") -> MediationSummary:
    def fn(ctx: _Ctx) -> MediationStatus:
        mc = ctx.case
        rules.check_close(mc, on)
        mc.closed_on = on
        mc.archive_number = archive_number
        return MediationStatus.CLOSED

    return _step(uow, ref, MediationAction.CLOSE, on, fn)




@dataclass(frozen=True, slots=True)
class ObligationRow:
    """One term of the agreement as the mediation view lists it."""

    obligor: str
    obligee: str
    what: str
    amount: Decimal | None
    subject: str
    manner: str
    due_on: date
    concerns: str  # label; "" for a term about money, property or an act


@dataclass(frozen=True, slots=True)
class MediationDetail:
    """``confirmation_blocker``: why the court would not confirm the agreement's terms ("" when nothing does)."""

    summary: MediationSummary
    parties: tuple[str, ...]
    committee: str
    description: str
    history: tuple[str, ...]
    deadlines: tuple[dl_info.DeadlineInfo, ...]
    mediator_choices: tuple[tuple[str, str], ...]
    party_choices: tuple[tuple[str, str], ...] = ()  # (uid, name): who may owe or be owed in a term
    disputed_issues: str = ""
    responsibility: str = ""
    obligations: tuple[ObligationRow, ...] = ()
    confirmation_blocker: str = ""


def _blocker(mc: MediationCase) -> str:
    if mc.agreement_form is not AgreementForm.WRITTEN:
        return ""
    try:
        rules.check_confirmable_terms(mc.obligations)
    except TransitionRefused as exc:
        return str(exc)
    return ""


def get_mediation(uow: UnitOfWork, ref: str) -> MediationDetail:
    with uow:
        s = uow.session
        mc = load_mediation(uow, ref)
        cat = s.scalar(select(DisputeCategory.name).where(DisputeCategory.id == mc.category_id)) or ""
        committee = s.get(MediationCommittee, mc.committee_id)
        parties = tuple(
            f"{p.name}（{'申请人' if link.role is MediationPartyRole.APPLICANT else '被申请人'}）"
            for link in mc.party_links for p in [s.get(Party, link.party_id)] if p is not None
        )
        history: list[str] = [f"{mc.applied_on}  登记申请（{label(mc.source)}）"]
        if mc.accepted_on:
            history.append(f"{mc.accepted_on}  受理")
        history += [f"{x.held_at:%Y-%m-%d}  调解：{x.record}" for x in mc.sessions]
        if mc.agreement_form is not None and mc.agreement_effective_on:
            form = "书面协议" if mc.agreement_form is AgreementForm.WRITTEN else "口头协议"
            items = f"（协议内容{len(mc.obligations)}项）" if mc.obligations else ""
            other = f"：{mc.agreement_terms}" if mc.agreement_terms else ""
            history.append(f"{mc.agreement_effective_on}  达成{form}{items}{other}")
        if mc.ended_on and mc.agreement_form is None:
            history.append(f"{mc.ended_on}  {label(mc.status)}：{mc.end_reason}")
        if mc.confirmation_applied_on:
            history.append(f"{mc.confirmation_applied_on}  向{mc.confirmation_court}申请司法确认")
        if mc.confirmation_decided_on:
            history.append(f"{mc.confirmation_decided_on}  法院裁定：{'协议有效' if mc.confirmation_granted else '驳回申请'}")
        history += [f"{v.visited_on}  回访（{v.method}，{v.visitor}）：{label(v.performance_status)} {v.note}"
                    for v in mc.visits]
        if mc.escalated_to_criminal:
            history.append("已转为刑事案件（民转刑）")
        elif mc.escalation_risk:
            history.append("存在矛盾激化风险，已采取预防措施")
        if mc.closed_on:
            history.append(f"{mc.closed_on}  结案归档 {mc.archive_number}")
        # The confirmation window is the parties' option: used when they applied (closing the case does not use
        # it), and past its day without an application it has lapsed — it is not overdue work.
        deadlines = tuple(
            dl_info.DeadlineInfo(d.kind.value, label(d.kind), d.due_on, d.provisional,
                                 mc.confirmation_applied_on if window else d.met_on, d.basis, lapses=window)
            for d in dl.stored(s, RecordKind.MEDIATION_CASE, mc.id) for window in [d.kind in dl.OPTIONAL_WINDOWS]
        )
        mediators = tuple((m.uid, m.name) for m in s.scalars(
            select(Mediator).where(Mediator.committee_id == mc.committee_id, Mediator.active.is_(True))))
        people = {link.party_id: s.get(Party, link.party_id) for link in mc.party_links}
        names = {pid: p.name for pid, p in people.items() if p is not None}
        terms = tuple(ObligationRow(names.get(o.obligor_id, ""), names.get(o.obligee_id, ""), o.what, o.amount,
                                    o.subject, o.manner, o.due_on,
                                    "" if o.concerns is TermConcern.NONE else label(o.concerns))
                      for o in mc.obligations if o.deleted_at is None)
        return MediationDetail(_summary(mc, cat), parties, committee.name if committee else "", mc.summary,
                               tuple(history), deadlines, mediators,
                               tuple((p.uid, p.name) for p in people.values() if p is not None),
                               mc.disputed_issues, mc.responsibility, terms, _blocker(mc))
