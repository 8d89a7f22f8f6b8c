"""The guards of people's mediation (人民调解法) as pure functions over a dispute's values (no session, no writes).

services/procedures/mediation.py calls them inside its steps on the ORM case; the township demo generator
(tools/demo/bulk/) calls them on its drafts, so a generated dispute passes the guards one recorded in the window
passes. Each returns nothing (or the value it derived) or raises TransitionRefused / ValidationError.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from models.enums import AgreementForm, PerformanceStatus, TermConcern
from models.labels import label
from models.workdays import DueDate, WorkCalendar
from services.core.errors import TransitionRefused, ValidationError
from services.reference.settings import Settings

if TYPE_CHECKING:
    from models.mediation import MediationCase

LAW = "《中华人民共和国人民调解法》"
SPC_RULES = "《最高人民法院关于人民调解协议司法确认程序的若干规定》"
# 2023 revision (in force 2024-01-01), 第十五章第七节 确认调解协议案件: art.205 the joint application within 30 days to
# the basic court of a party's domicile, the object's location or the committee's location; art.206 the ruling.
CIVIL_PROCEDURE = "《中华人民共和国民事诉讼法》"
CIVIL_PROCEDURE_ARTICLES = "第二百零五条、第二百零六条"
# What the court does not accept (SPC rules art.4 (二)–(四)): confirming an identity, adoption or marriage relation.
# A term that only pays or does something — support after a divorce, the costs of an adoption — is confirmable, so
# the bar is per term, not per dispute category (a 婚姻家庭 dispute about support payments may be confirmed).
UNCONFIRMABLE: frozenset[TermConcern] = frozenset({TermConcern.IDENTITY, TermConcern.ADOPTION, TermConcern.MARRIAGE})


class Term(Protocol):
    """One obligation of an agreement, as the rules read it (an ORM row or a form's input)."""

    @property
    def what(self) -> str: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def subject(self) -> str: ...
    @property
    def manner(self) -> str: ...
    @property
    def due_on(self) -> date: ...
    @property
    def concerns(self) -> TermConcern: ...


def check_acceptance(mc: MediationCase, on: date) -> None:
    if on < mc.applied_on:
        raise ValidationError("受理日期不能早于申请日期", field="on")


def check_agreement(mc: MediationCase, form: AgreementForm, effective_on: date, performance_deadline: date | None,
                    *, all_parties_signed: bool, committee_sealed: bool) -> PerformanceStatus:
    """art.28-30: a written agreement takes effect once every party and the mediator signed and it is sealed.

    Returns the performance status the agreement starts with (pending while a deadline lies ahead)."""
    if form is AgreementForm.WRITTEN and not (all_parties_signed and committee_sealed):
        raise TransitionRefused("书面调解协议须各方当事人签名、调解员签名并加盖调解委员会印章后方生效", f"{LAW}第二十九条")
    if performance_deadline is not None and performance_deadline < effective_on:
        raise ValidationError("履行期限不能早于协议生效日期", field="performance_deadline")
    if mc.accepted_on is not None and effective_on < mc.accepted_on:
        raise ValidationError("协议生效日期不能早于受理日期", field="effective_on")
    return PerformanceStatus.PENDING if performance_deadline else PerformanceStatus.PERFORMED


def check_terms(terms: Sequence[Term], parties: Sequence[tuple[str, str]], effective_on: date) -> None:
    """art.29 (三): each term names who owes whom (two different parties of the dispute), what, how and by when.

    ``parties``: (obligor, obligee) party references of each term, in the order of ``terms``, checked by the caller
    to be parties of the dispute. A term without an amount or an object is still recorded (the parties agreed on
    it); :func:`check_confirmable_terms` refuses it for judicial confirmation."""
    for n, (t, (obligor, obligee)) in enumerate(zip(terms, parties, strict=True), start=1):
        where = f"第{n}项协议内容"
        if not t.what.strip():
            raise ValidationError(f"{where}：请写明给付或者履行的内容", field="obligations")
        if obligor == obligee:
            raise ValidationError(f"{where}：履行义务人与权利人不能是同一当事人", field="obligations")
        if t.amount is not None and t.amount <= 0:
            raise ValidationError(f"{where}：金额应大于零", field="obligations")
        if not t.manner.strip():
            raise ValidationError(f"{where}：请写明履行方式（{LAW}第二十九条）", field="obligations")
        if t.due_on < effective_on:
            raise ValidationError(f"{where}：履行期限不能早于协议生效日期", field="obligations")


def terms_deadline(terms: Sequence[Term]) -> date | None:
    """The agreement's performance deadline: the last term's."""
    return max((t.due_on for t in terms), default=None)


def check_confirmable_terms(terms: Sequence[Term]) -> None:
    """What the court would refuse (SPC rules art.4 and art.7 (五)), refused before the parties file.

    No structured terms, or a term with neither an amount nor an object, is unclear content (art.7 (五)); a term
    confirming an identity, adoption or marriage relation is not accepted (art.4)."""
    if not terms:
        raise TransitionRefused("调解协议没有逐项载明给付内容，内容不明确的协议不能申请司法确认", f"{SPC_RULES}第七条")
    for n, t in enumerate(terms, start=1):
        if t.concerns in UNCONFIRMABLE:
            raise TransitionRefused(
                f"第{n}项协议内容（{t.what}）属于{label(t.concerns)}，人民法院不受理此类司法确认申请",
                f"{SPC_RULES}第四条")
        if t.amount is None and not t.subject.strip():
            raise TransitionRefused(f"第{n}项协议内容（{t.what}）没有写明金额或者标的物，内容不明确，人民法院不予确认",
                                    f"{SPC_RULES}第七条")


def check_follow_up(mc: MediationCase, on: date) -> None:
    if mc.agreement_effective_on is not None and on < mc.agreement_effective_on:
        raise ValidationError("回访日期不能早于协议生效日期", field="on")


def confirmation_due(effective_on: date, settings: Settings, cal: WorkCalendar) -> DueDate:
    """art.33: the last day for the joint application for judicial confirmation."""
    return cal.add_calendar_days(effective_on, settings.int("mediation.confirmation_days"))


def check_confirmation(mc: MediationCase, on: date, *, joint: bool, settings: Settings, cal: WorkCalendar) -> None:
    """Judicial confirmation (art.33): a written agreement, both parties jointly, within the window. The terms
    themselves are checked by :func:`check_confirmable_terms`."""
    if mc.agreement_form is not AgreementForm.WRITTEN or mc.agreement_effective_on is None:
        raise TransitionRefused("只有生效的书面调解协议才能申请司法确认", f"{LAW}第三十三条")
    if not joint:
        raise TransitionRefused("司法确认须由双方当事人共同申请",
                                f"{LAW}第三十三条、{CIVIL_PROCEDURE}第二百零五条")
    due = confirmation_due(mc.agreement_effective_on, settings, cal)
    if on > due.due:
        raise TransitionRefused(f"应自调解协议生效之日起三十日内申请司法确认（已于{due.due.isoformat()}届满）",
                                f"{LAW}第三十三条、{CIVIL_PROCEDURE}第二百零五条")


def check_ruling(mc: MediationCase, on: date) -> None:
    assert mc.confirmation_applied_on is not None
    if on < mc.confirmation_applied_on:
        raise ValidationError("裁定日期不能早于申请日期", field="on")


def check_close(mc: MediationCase, on: date) -> None:
    """art.31: an agreement still to be performed is closed only after its deadline (and the follow-up)."""
    if mc.performance_status in (PerformanceStatus.PENDING,) and mc.performance_deadline and on <= mc.performance_deadline:
        raise TransitionRefused(f"协议履行期限至{mc.performance_deadline.isoformat()}，请回访确认履行情况后再结案",
                                f"{LAW}第三十一条")
