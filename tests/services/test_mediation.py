"""People's mediation: intake rules, agreements, judicial confirmation window, follow-up and closing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from models.base import SHANGHAI
from models.enums import AgreementForm, MediationPartyRole, MediationStatus, PerformanceStatus
from services.core.errors import AppError, NotFound, TransitionRefused, ValidationError
from services.procedures import mediation as m
from services.statistics.yearly import yearly_stats
from tests.services.conftest import World

D = date
MAR2 = date(2026, 3, 2)
MAR20 = date(2026, 3, 20)
FEB20 = date(2026, 2, 20)
FEB25 = date(2026, 2, 25)


def refused(w: World, fn: Callable[[], Any], exc: type[AppError] = AppError, match: str | None = None) -> None:
    before = w.snapshot()
    with pytest.raises(exc, match=match):
        fn()
    assert w.snapshot() == before


def _input(w: World, category: str = "02", **kw: Any) -> m.MediationInput:
    values: dict[str, Any] = dict(category_code=category, committee_uid=w.committee, applied_on=D(2026, 3, 2),
                                  parties=[(w.adult, MediationPartyRole.APPLICANT),
                                           (w.teen16, MediationPartyRole.RESPONDENT)],
                                  summary="相邻排水纠纷")
    values.update(kw)
    return m.MediationInput(**values)


def accepted(w: World, category: str = "02") -> str:
    uid = m.register_mediation(w.uow(), _input(w, category)).uid
    m.accept(w.uow(), uid, on=D(2026, 3, 2), mediator_uids=list(w.mediators))
    return uid


def agreed(w: World, form: AgreementForm = AgreementForm.WRITTEN, category: str = "02",
           performance: date | None = MAR20) -> str:
    uid = accepted(w, category)
    m.record_agreement(w.uow(), uid, on=D(2026, 3, 2), data=m.AgreementInput(
        form=form, terms="甲方疏通排水沟", effective_on=D(2026, 3, 2), performance_deadline=performance))
    return uid


def test_register_needs_two_parties_and_willingness(world: World) -> None:
    w = world
    refused(w, lambda: m.register_mediation(w.uow(), _input(w, parties=[(w.adult, MediationPartyRole.APPLICANT)])),
            ValidationError, "两方")
    refused(w, lambda: m.register_mediation(w.uow(), _input(w, parties=[(w.adult, MediationPartyRole.APPLICANT),
                                                                         (w.adult, MediationPartyRole.RESPONDENT)])),
            ValidationError, "两方")
    refused(w, lambda: m.register_mediation(w.uow(), _input(w, other_party_refuses=True)), TransitionRefused, "第十七条")
    refused(w, lambda: m.register_mediation(w.uow(), _input(w, category="XX")), NotFound)
    refused(w, lambda: m.register_mediation(w.uow(), _input(w, applied_on=D(2026, 3, 3))), ValidationError)
    s = m.register_mediation(w.uow(), _input(w))
    assert s.status is MediationStatus.APPLIED
    assert s.number == "竹综执调字〔2026〕第1号"


def test_full_written_agreement_with_confirmation(world: World) -> None:
    w = world
    uid = m.register_mediation(w.uow(), _input(w)).uid
    refused(w, lambda: m.accept(w.uow(), uid, on=D(2026, 3, 2), mediator_uids=[]), ValidationError)
    assert m.accept(w.uow(), uid, on=D(2026, 3, 2), mediator_uids=list(w.mediators)).status is MediationStatus.MEDIATING
    refused(w, lambda: m.accept(w.uow(), uid, on=D(2026, 3, 2), mediator_uids=list(w.mediators)), TransitionRefused)
    s = m.record_session(w.uow(), uid, on=D(2026, 3, 2), held_at=datetime(2026, 3, 2, 9, tzinfo=SHANGHAI),
                         place="村委会", record="双方陈述")
    assert s.status is MediationStatus.MEDIATING
    refused(w, lambda: m.record_session(w.uow(), uid, on=D(2026, 3, 2), held_at=datetime(2026, 3, 2, 9),
                                        place="村委会", record="x"), ValidationError, "时区")
    unsigned = m.AgreementInput(form=AgreementForm.WRITTEN, terms="疏通", effective_on=D(2026, 3, 2),
                                all_parties_signed=False)
    refused(w, lambda: m.record_agreement(w.uow(), uid, on=D(2026, 3, 2), data=unsigned), TransitionRefused, "签名")
    unsealed = m.AgreementInput(form=AgreementForm.WRITTEN, terms="疏通", effective_on=D(2026, 3, 2),
                                committee_sealed=False)
    refused(w, lambda: m.record_agreement(w.uow(), uid, on=D(2026, 3, 2), data=unsealed), TransitionRefused)
    s = m.record_agreement(w.uow(), uid, on=D(2026, 3, 2), data=m.AgreementInput(
        form=AgreementForm.WRITTEN, terms="甲方疏通排水沟", effective_on=D(2026, 3, 2),
        performance_deadline=D(2026, 3, 20)))
    assert s.status is MediationStatus.SUCCEEDED

    w.set_today(D(2026, 3, 10))
    refused(w, lambda: m.apply_confirmation(w.uow(), uid, on=D(2026, 3, 10), court="五通桥区法院", joint=False),
            TransitionRefused, "共同申请")
    s = m.apply_confirmation(w.uow(), uid, on=D(2026, 3, 10), court="五通桥区法院", joint=True)
    assert s.status is MediationStatus.CONFIRMATION_PENDING
    refused(w, lambda: m.close(w.uow(), uid, on=D(2026, 3, 10)), TransitionRefused)
    w.set_today(D(2026, 3, 15))
    s = m.record_confirmation(w.uow(), uid, on=D(2026, 3, 15), confirmed=True)
    assert s.status is MediationStatus.CONFIRMED
    # performance still pending and its deadline not passed: cannot close yet
    refused(w, lambda: m.close(w.uow(), uid, on=D(2026, 3, 15)), TransitionRefused, "2026-03-20")
    s = m.follow_up(w.uow(), uid, on=D(2026, 3, 15), visitor="冯调解", performance=PerformanceStatus.PERFORMED)
    assert s.status is MediationStatus.CONFIRMED
    assert m.close(w.uow(), uid, on=D(2026, 3, 15), archive_number="2026-调-1").status is MediationStatus.CLOSED

    st = yearly_stats(w.uow(), 2026)
    assert (st.mediation_accepted, st.mediation_succeeded, st.judicial_confirmations) == (1, 1, 1)
    assert st.mediation_success_rate == 100.0


def test_confirmation_window_is_thirty_days(world: World) -> None:
    w = world
    uid = agreed(w)
    w.set_today(D(2026, 4, 2))
    # 3-2 + 30 days = 4-1 (a Wednesday)
    refused(w, lambda: m.apply_confirmation(w.uow(), uid, on=D(2026, 4, 2), court="法院", joint=True),
            TransitionRefused, "2026-04-01")
    assert m.apply_confirmation(w.uow(), uid, on=D(2026, 4, 1), court="法院",
                                joint=True).status is MediationStatus.CONFIRMATION_PENDING


def test_oral_agreement_cannot_be_confirmed(world: World) -> None:
    w = world
    uid = agreed(w, form=AgreementForm.ORAL, performance=None)
    refused(w, lambda: m.apply_confirmation(w.uow(), uid, on=D(2026, 3, 2), court="法院", joint=True),
            TransitionRefused, "书面")
    # no performance deadline: performed, may close at once
    assert m.close(w.uow(), uid, on=D(2026, 3, 2)).status is MediationStatus.CLOSED


def test_marriage_family_cannot_be_confirmed(world: World) -> None:
    w = world
    uid = agreed(w, category="01")
    refused(w, lambda: m.apply_confirmation(w.uow(), uid, on=D(2026, 3, 2), court="法院", joint=True),
            TransitionRefused, "婚姻")


def test_close_allowed_after_performance_deadline(world: World) -> None:
    w = world
    uid = agreed(w)
    refused(w, lambda: m.close(w.uow(), uid, on=D(2026, 3, 2)), TransitionRefused)
    w.set_today(D(2026, 3, 21))
    assert m.close(w.uow(), uid, on=D(2026, 3, 21)).status is MediationStatus.CLOSED


def test_failed_and_rejected(world: World) -> None:
    w = world
    uid = accepted(w)
    refused(w, lambda: m.fail(w.uow(), uid, on=D(2026, 3, 2), reason=""), ValidationError)
    assert m.fail(w.uow(), uid, on=D(2026, 3, 2), reason="告知诉讼途径").status is MediationStatus.FAILED
    refused(w, lambda: m.follow_up(w.uow(), uid, on=D(2026, 3, 2), visitor="冯", performance=PerformanceStatus.PERFORMED),
            TransitionRefused)
    uid2 = m.register_mediation(w.uow(), _input(w)).uid
    assert m.reject(w.uow(), uid2, on=D(2026, 3, 2), reason="已由法院受理").status is MediationStatus.REJECTED
    s = m.flag_escalation(w.uow(), uid, on=D(2026, 3, 2), criminal=True, note="有激化风险")
    assert s.status is MediationStatus.FAILED
    st = yearly_stats(w.uow(), 2026)
    assert st.mediation_escalated_to_criminal == 1
    assert st.mediation_succeeded == 0


def test_the_confirmation_window_is_a_reminder_while_open_and_lapses_after(world: World) -> None:
    """Judicial confirmation is the parties' option (art.33): the 工作台 reminds while the window is open, and
    a window that passed unused is not overdue work."""
    from models.enums import DeadlineKind
    from services.read.home import work_page

    w = world
    uid = agreed(w, performance=D(2026, 6, 30))  # agreement effective 3-2: the window ends 4-1

    def window_items() -> list[tuple[str, int]]:
        page = work_page(w.uow(), limit=500)
        return [(i.record_uid, i.days_left) for i in page.items if i.kind is DeadlineKind.JUDICIAL_CONFIRMATION]

    w.set_today(D(2026, 3, 25))
    assert window_items() == [(uid, 7)]
    w.set_today(D(2026, 4, 1))
    assert window_items() == [(uid, 0)]  # the last day
    w.set_today(D(2026, 4, 2))
    assert window_items() == []  # lapsed: no longer listed, not counted overdue
