"""People's mediation: intake rules, agreements, judicial confirmation window, follow-up and closing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from models.base import SHANGHAI
from models.enums import AgreementForm, MediationPartyRole, MediationStatus, PerformanceStatus, TermConcern
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


def term(w: World, due: date = MAR20, **kw: Any) -> m.ObligationInput:
    """The respondent clears the drain for the applicant: an act with its object stated."""
    values: dict[str, Any] = dict(obligor_uid=w.teen16, obligee_uid=w.adult, what="疏通排水沟", due_on=due,
                                  manner="自行雇工疏通", subject="两家之间的排水沟约20米")
    values.update(kw)
    return m.ObligationInput(**values)


def agreed(w: World, form: AgreementForm = AgreementForm.WRITTEN, category: str = "02",
           performance: date | None = MAR20, terms: tuple[m.ObligationInput, ...] | None = None) -> str:
    uid = accepted(w, category)
    obligations = terms if terms is not None else ((term(w, performance),) if performance else ())
    m.record_agreement(w.uow(), uid, on=D(2026, 3, 2), data=m.AgreementInput(
        form=form, terms="" if obligations else "双方互不追究", effective_on=D(2026, 3, 2),
        performance_deadline=performance, obligations=obligations, disputed_issues="排水沟应由谁疏通",
        responsibility="被申请人堵塞排水沟，负全部责任"))
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
    assert s.number == "竹根村调字〔2026〕第1号"  # the committee's 代字, not the squad's


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
    loose = m.AgreementInput(form=AgreementForm.WRITTEN, terms="甲方疏通排水沟", effective_on=D(2026, 3, 2))
    refused(w, lambda: m.record_agreement(w.uow(), uid, on=D(2026, 3, 2), data=loose), ValidationError, "各方当事人的责任")
    s = m.record_agreement(w.uow(), uid, on=D(2026, 3, 2), data=m.AgreementInput(
        form=AgreementForm.WRITTEN, terms="", effective_on=D(2026, 3, 2), obligations=(term(w),),
        responsibility="被申请人负全部责任"))
    assert s.status is MediationStatus.SUCCEEDED
    assert s.number == "竹根村调字〔2026〕第1号"
    assert m.get_mediation(w.uow(), uid).summary.uid == uid

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


def test_only_identity_marriage_and_adoption_terms_bar_confirmation(world: World) -> None:
    """SPC rules art.4: confirming an identity, adoption or marriage relation is not accepted; a 婚姻家庭 dispute
    about support payments is (the bar is per term, not per category)."""
    w = world
    support = term(w, what="支付子女抚养费", subject="", amount=Decimal("1500.00"), manner="每月5日前银行转账")
    uid = agreed(w, category="01", terms=(support,))
    s = m.apply_confirmation(w.uow(), uid, on=D(2026, 3, 2), court="五通桥区人民法院", joint=True)
    assert s.status is MediationStatus.CONFIRMATION_PENDING
    for concern, word in ((TermConcern.MARRIAGE, "婚姻"), (TermConcern.ADOPTION, "收养"),
                          (TermConcern.IDENTITY, "身份")):
        uid = agreed(w, category="01", terms=(support, term(w, what="解除关系", concerns=concern)))
        assert word in m.get_mediation(w.uow(), uid).confirmation_blocker
        refused(w, lambda u=uid: m.apply_confirmation(w.uow(), u, on=D(2026, 3, 2), court="法院", joint=True),
                TransitionRefused, f"第2项.*{word}")


def test_terms_without_amount_or_object_are_not_confirmable(world: World) -> None:
    """Unclear content (SPC rules art.7): a term with neither an amount nor an object, or no terms at all."""
    w = world
    vague = agreed(w, terms=(term(w, what="适当补偿", subject=""),))
    refused(w, lambda: m.apply_confirmation(w.uow(), vague, on=D(2026, 3, 2), court="法院", joint=True),
            TransitionRefused, "第1项.*金额或者标的物")
    assert "金额或者标的物" in m.get_mediation(w.uow(), vague).confirmation_blocker
    loose = agreed(w, performance=None)  # free text only: nothing a court could enforce
    refused(w, lambda: m.apply_confirmation(w.uow(), loose, on=D(2026, 3, 2), court="法院", joint=True),
            TransitionRefused, "内容不明确")
    paid = agreed(w, terms=(term(w, what="赔偿修缮费", subject="", amount=Decimal("800")),))
    assert m.get_mediation(w.uow(), paid).confirmation_blocker == ""
    assert m.apply_confirmation(w.uow(), paid, on=D(2026, 3, 2), court="法院",
                                joint=True).status is MediationStatus.CONFIRMATION_PENDING


def test_terms_are_checked_and_kept_one_by_one(world: World) -> None:
    w = world
    uid = accepted(w)

    def agree(*terms: m.ObligationInput, deadline: date | None = None) -> m.MediationSummary:
        return m.record_agreement(w.uow(), uid, on=D(2026, 3, 2), data=m.AgreementInput(
            form=AgreementForm.WRITTEN, terms="", effective_on=D(2026, 3, 2), obligations=terms,
            performance_deadline=deadline, disputed_issues="排水沟由谁疏通", responsibility="被申请人负全部责任"))

    refused(w, lambda: agree(term(w, obligee_uid=w.teen16)), ValidationError, "同一当事人")
    refused(w, lambda: agree(term(w, obligee_uid=w.org)), ValidationError, "本纠纷的当事人")
    refused(w, lambda: agree(term(w, manner="")), ValidationError, "履行方式")
    refused(w, lambda: agree(term(w, what="")), ValidationError, "内容")
    refused(w, lambda: agree(term(w, amount=Decimal("0"))), ValidationError, "金额")
    refused(w, lambda: agree(term(w, due=D(2026, 3, 1))), ValidationError, "履行期限")
    refused(w, lambda: agree(term(w, due=D(2026, 4, 1)), deadline=D(2026, 3, 20)), ValidationError, "履行期限")
    agree(term(w), term(w, obligor_uid=w.adult, obligee_uid=w.teen16, what="分担疏通费用", subject="",
                        amount=Decimal("150.5"), manner="现金支付", due=D(2026, 4, 1)))
    d = m.get_mediation(w.uow(), uid)
    assert [(o.obligor, o.obligee, o.what, o.amount, o.subject, o.due_on) for o in d.obligations] == [
        ("周少年", "孙成年", "疏通排水沟", None, "两家之间的排水沟约20米", D(2026, 3, 20)),
        ("孙成年", "周少年", "分担疏通费用", Decimal("150.50"), "", D(2026, 4, 1))]
    assert (d.disputed_issues, d.responsibility) == ("排水沟由谁疏通", "被申请人负全部责任")
    # the agreement's performance deadline is the last term's
    assert [x.due_on for x in d.deadlines if x.kind == "mediation_performance"] == [D(2026, 4, 1)]


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


def test_each_committee_numbers_under_its_own_code(world: World) -> None:
    """Mediation documents carry the committee's 代字, never the squad's, each committee in its own sequence."""
    from services.people.committees import create_committee, list_committees
    from services.reference.numbering import _block_keys
    from services.reference.settings import Settings
    from services.reference.setup import this_township

    w = world
    other = create_committee(w.uow(), name="竹根镇新华村人民调解委员会")  # no 代字 entered: made from the name
    refused(w, lambda: create_committee(w.uow(), name="竹根镇石桥村人民调解委员会", doc_code="新华村"),
            ValidationError, "已由其他调解委员会使用")
    refused(w, lambda: create_committee(w.uow(), name="竹根镇石桥村人民调解委员会", doc_code="石桥〔村〕"),
            ValidationError, "汉字、字母和数字")
    refused(w, lambda: create_committee(w.uow(), name="竹根镇石桥村人民调解委员会", doc_code="一二三四五六七八九十一"),
            ValidationError, "不能超过10个字")
    create_committee(w.uow(), name="竹根镇石桥村人民调解委员会", doc_code="石桥")
    assert {c.name: c.doc_code for c in list_committees(w.uow())} == {
        "竹根村人民调解委员会": "", "竹根镇新华村人民调解委员会": "新华村", "竹根镇石桥村人民调解委员会": "石桥"}
    first = m.register_mediation(w.uow(), _input(w))
    second = m.register_mediation(w.uow(), _input(w, committee_uid=other))
    third = m.register_mediation(w.uow(), _input(w, committee_uid=other))
    assert (first.number, second.number, third.number) == (
        "竹根村调字〔2026〕第1号", "新华村调字〔2026〕第1号", "新华村调字〔2026〕第2号")
    uid = agreed(w)
    assert m.get_mediation(w.uow(), uid).summary.number == "竹根村调字〔2026〕第2号"
    with w.uow() as u:
        keys = _block_keys(u.session, this_township(u.session), Settings(u.session))
    # a field laptop gets blocks for every committee's own sequence, none for the squad's mediation numbers
    assert {"mediation@竹根村", "mediation@新华村", "mediation@石桥", "mediation_agreement@新华村"} <= set(keys)
    assert "mediation" not in keys and "penalty_decision" in keys


def test_the_confirmation_window_lapses_in_the_mediation_view(world: World) -> None:
    """The view's deadline rows (services first): the window is marked as one that lapses, used only by an
    application (closing the case does not use it); the performance deadline is a duty."""
    w = world
    uid = agreed(w, performance=D(2026, 3, 20))
    w.set_today(D(2026, 3, 21))
    m.follow_up(w.uow(), uid, on=D(2026, 3, 21), visitor="冯调解", performance=PerformanceStatus.PERFORMED)
    m.close(w.uow(), uid, on=D(2026, 3, 21))
    rows = {d.kind: d for d in m.get_mediation(w.uow(), uid).deadlines}
    window = rows["judicial_confirmation"]
    assert window.lapses and window.met_on is None and window.due_on == D(2026, 4, 1)
    assert not rows["mediation_performance"].lapses
    applied = agreed(w)
    m.apply_confirmation(w.uow(), applied, on=D(2026, 3, 21), court="五通桥区人民法院", joint=True)
    assert {d.kind: d for d in m.get_mediation(w.uow(), applied).deadlines}[
        "judicial_confirmation"].met_on == D(2026, 3, 21)
