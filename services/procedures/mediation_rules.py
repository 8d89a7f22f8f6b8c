"""The guards of people's mediation (人民调解法) as pure functions over a dispute's values (no session, no writes).

services/procedures/mediation.py calls them inside its steps on the ORM case; the township demo generator
(tools/demo/bulk/) calls them on its drafts, so a generated dispute passes the guards one recorded in the window
passes. Each returns nothing (or the value it derived) or raises TransitionRefused / ValidationError.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from models.enums import AgreementForm, PerformanceStatus
from models.workdays import DueDate, WorkCalendar
from services.core.errors import TransitionRefused, ValidationError
from services.reference.settings import Settings

if TYPE_CHECKING:
    from models.mediation import MediationCase

LAW = "《中华人民共和国人民调解法》"
# Disputes the courts will not confirm (SPC 2011 rules): personal status, adoption, marriage.
UNCONFIRMABLE = frozenset({"婚姻家庭"})


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


def check_follow_up(mc: MediationCase, on: date) -> None:
    if mc.agreement_effective_on is not None and on < mc.agreement_effective_on:
        raise ValidationError("回访日期不能早于协议生效日期", field="on")


def confirmation_due(effective_on: date, settings: Settings, cal: WorkCalendar) -> DueDate:
    """art.33: the last day for the joint application for judicial confirmation."""
    return cal.add_calendar_days(effective_on, settings.int("mediation.confirmation_days"))


def check_confirmation(mc: MediationCase, category: str, on: date, *, joint: bool, settings: Settings,
                       cal: WorkCalendar) -> None:
    """Judicial confirmation (art.33): a written agreement, both parties jointly, within the window."""
    if mc.agreement_form is not AgreementForm.WRITTEN or mc.agreement_effective_on is None:
        raise TransitionRefused("只有生效的书面调解协议才能申请司法确认", f"{LAW}第三十三条")
    if not joint:
        raise TransitionRefused("司法确认须由双方当事人共同申请", f"{LAW}第三十三条")
    if category in UNCONFIRMABLE:
        raise TransitionRefused("涉及身份关系、收养、婚姻关系的协议不能申请司法确认",
                                "《最高人民法院关于人民调解协议司法确认程序的若干规定》")
    due = confirmation_due(mc.agreement_effective_on, settings, cal)
    if on > due.due:
        raise TransitionRefused(f"应自调解协议生效之日起三十日内申请司法确认（已于{due.due.isoformat()}届满）",
                                f"{LAW}第三十三条")


def check_ruling(mc: MediationCase, on: date) -> None:
    assert mc.confirmation_applied_on is not None
    if on < mc.confirmation_applied_on:
        raise ValidationError("裁定日期不能早于申请日期", field="on")


def check_close(mc: MediationCase, on: date) -> None:
    """art.31: an agreement still to be performed is closed only after its deadline (and the follow-up)."""
    if mc.performance_status in (PerformanceStatus.PENDING,) and mc.performance_deadline and on <= mc.performance_deadline:
        raise TransitionRefused(f"协议履行期限至{mc.performance_deadline.isoformat()}，请回访确认履行情况后再结案",
                                f"{LAW}第三十一条")
