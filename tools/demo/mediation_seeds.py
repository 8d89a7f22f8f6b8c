"""The demo's people's mediation cases (tools/demo/small.py): every path of 人民调解法 the services allow — refused,
in progress, terminated, failed, escalated, agreed orally or in writing, judicially confirmed or refused, followed
up and closed — one dispute every three weeks, the last five still open on the demo's day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from models.base import SHANGHAI
from models.enums import AgreementForm, MediationPartyRole, PerformanceStatus
from models.mediation import DisputeCategory
from services.procedures import mediation

if TYPE_CHECKING:
    from tools.demo.small import _Demo


def seed_mediation(demo: _Demo, n: int) -> None:
    from tools.demo.small import DEMO_TODAY

    with demo.uow() as u:
        cats = [(c.code, c.name) for c in u.session.scalars(select(DisputeCategory).order_by(DisputeCategory.code))]
    for k in range(n):
        demo.progress("人民调解", 75 + 15 * k // n)
        day = date(2025, 1, 10) + timedelta(days=21 * k)
        if k >= n - 5:
            # The ones still in progress came in over the last weeks: their deadlines lie ahead.
            day = DEMO_TODAY - timedelta(days={n - 5: 24, n - 4: 21, n - 3: 20, n - 2: 12, n - 1: 2}[k])
        code, cat = cats[k % len(cats)]
        committee, mids = demo.committees[k % len(demo.committees)]
        a, b = demo.rng.sample(demo.persons, 2)
        demo.at(day)
        mc = mediation.register_mediation(demo.uow(), mediation.MediationInput(
            category_code=code, committee_uid=committee, applied_on=day,
            parties=[(a, MediationPartyRole.APPLICANT), (b, MediationPartyRole.RESPONDENT)],
            summary=f"双方因{cat}问题发生争执，申请调解", amount_involved=Decimal(demo.rng.randint(1, 50) * 1000)))
        if k == n - 1:
            continue  # one just registered
        if k == n - 2:
            mediation.reject(demo.uow(), mc.uid, on=demo.at(day + timedelta(days=1)), reason="该纠纷已由人民法院受理")
            continue
        d = demo.at(day + timedelta(days=1))
        mediation.accept(demo.uow(), mc.uid, on=d, mediator_uids=mids[:2])
        held = datetime(d.year, d.month, d.day, 14, tzinfo=SHANGHAI)
        mediation.record_session(demo.uow(), mc.uid, on=d, held_at=held, place="村委会调解室",
                                 record="听取双方陈述，释法明理，促成和解")
        if k == n - 3:
            continue  # in progress
        if k == n - 9:
            mediation.terminate(demo.uow(), mc.uid, on=demo.at(d + timedelta(days=3)),
                                reason="申请人撤回调解申请")
            continue
        if k % 11 == 5:
            mediation.fail(demo.uow(), mc.uid, on=demo.at(d + timedelta(days=6)),
                           reason="双方分歧较大，已告知可通过诉讼途径解决")
            mediation.close(demo.uow(), mc.uid, on=demo.at(d + timedelta(days=7)))
            continue
        if k % 13 == 7:
            mediation.flag_escalation(demo.uow(), mc.uid, on=d, criminal=False, note="双方情绪激动，已报告派出所")
        written = k % 4 != 3 or k >= n - 8
        eff = demo.at(d + timedelta(days=5))
        # The terms one by one (人民调解法 art.29): the respondent pays the applicant a sum by a day.
        pay = mediation.ObligationInput(obligor_uid=b, obligee_uid=a, what="支付补偿款", due_on=eff + timedelta(days=20),
                                        manner="一次性银行转账", amount=Decimal(demo.rng.randint(2, 40) * 500))
        mediation.record_agreement(demo.uow(), mc.uid, on=eff, data=mediation.AgreementInput(
            form=AgreementForm.WRITTEN if written else AgreementForm.ORAL, terms="双方就本纠纷不再相互追究",
            effective_on=eff, obligations=(pay,), disputed_issues=f"{cat}引起的损失应否补偿及补偿数额",
            responsibility="被申请人对损失的发生负主要责任，申请人负次要责任"))
        if k == n - 4:
            continue  # agreement reached, follow-up and confirmation window still open
        if k == n - 6:
            mediation.flag_escalation(demo.uow(), mc.uid, on=eff, criminal=True,
                                      note="一方事后持械伤人，已移交公安机关（民转刑）")
        if written and (k % 3 == 0 or k in (n - 5, n - 7, n - 8)):
            # Joint application within the 30-day window, then the court's ruling (art.33).
            applied = demo.at(eff + timedelta(days=10))
            mediation.apply_confirmation(demo.uow(), mc.uid, on=applied, court="乐山市五通桥区人民法院", joint=True)
            if k == n - 5:
                continue  # awaiting the court
            mediation.record_confirmation(demo.uow(), mc.uid, on=demo.at(applied + timedelta(days=12)),
                                          confirmed=k != n - 8)
            if k in (n - 7, n - 8):
                # Confirmed / refused, not yet closed; the follow-up visit after the performance deadline
                # was made (it meets the performance deadline).
                mediation.follow_up(demo.uow(), mc.uid, on=demo.at(eff + timedelta(days=25)), visitor=demo.name(),
                                    performance=PerformanceStatus.PERFORMED, note="已按协议履行")
                continue
        visit = demo.at(eff + timedelta(days=25))
        mediation.follow_up(demo.uow(), mc.uid, on=visit, visitor=demo.name(),
                            performance=PerformanceStatus.PERFORMED, note="已按协议履行")
        mediation.close(demo.uow(), mc.uid, on=demo.at(visit + timedelta(days=12)))
