"""People's mediation of the township demo: ~10,000 disputes over ten years, each a path of the mediation state
machine (models/mediation_flow.py) through the guards of services/procedures/mediation_rules.py.

A ``MediationDraft`` carries a dispute's values under the names of models.mediation.MediationCase; its steps are
taken in date order as services/procedures/mediation.py takes them (受理, 调解, 协议 or 不成功, 回访, 司法确认, 结案)
and its status is wherever the machine's edges lead. An open dispute's deadlines come from
services.procedures.deadlines.mediation_deadlines on the draft itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from models.enums import AgreementForm, MediationStatus, PerformanceStatus, RecordKind
from models.mediation import default_doc_code
from models.mediation_flow import ACTION_LABELS, TRANSITIONS, MediationAction, check_edge
from services.core.errors import AppError
from services.procedures import deadlines as dl
from services.procedures import mediation_rules as rules
from services.procedures.recompute import OPEN_MEDIATION
from services.reference.numbering import Issuer
from tools.demo.bulk.context import Context
from tools.demo.bulk.people import Parties
from tools.demo.bulk.vocab import MEDIATION_SUMMARIES

N_MEDIATIONS = 10_600  # at scale 1.0
COURT = "乐山市五通桥区人民法院"
M = MediationStatus
A = MediationAction
CATEGORY_WEIGHTS = (14, 18, 9, 6, 4, 8, 6, 2, 5, 1, 5, 2, 3, 4, 3, 3)  # in the dictionary's order; others 2
SOURCES, SOURCE_WEIGHTS = ("application", "initiative", "court", "police", "petition", "other_department"), \
    (55, 25, 4, 9, 5, 2)
MONEY_CATEGORIES = {"合同纠纷", "损害赔偿", "劳动争议", "道路交通事故", "生产经营", "医疗纠纷", "消费纠纷", "房屋宅基地"}
BUSINESS_CATEGORIES = ("合同纠纷", "劳动争议", "消费纠纷", "物业纠纷")
# The demo's family agreements settle personal matters the parties do not take to court (a choice of the demo: the
# law bars only terms confirming identity, adoption or marriage, services/procedures/mediation_rules.py).
FAMILY_KEPT_OUT_OF_COURT = frozenset({"婚姻家庭"})


class Visit:
    __slots__ = ("visited_on",)

    def __init__(self, on: date) -> None:
        self.visited_on = on


class MediationDraft:
    """MediationCase's attribute names, plus the rows hanging off it."""

    def __init__(self, mid: int, applied_on: date, category: str) -> None:
        self.id, self.applied_on, self.category, self.status = mid, applied_on, category, M.APPLIED
        self.accepted_on: date | None = None
        self.ended_on: date | None = None
        self.end_reason = self.agreement_terms = self.agreement_number = self.confirmation_court = ""
        self.agreement_form: AgreementForm | None = None
        self.agreement_effective_on: date | None = None
        self.performance_deadline: date | None = None
        self.performance_status: PerformanceStatus | None = None
        self.confirmation_applied_on: date | None = None
        self.confirmation_decided_on: date | None = None
        self.confirmation_granted: bool | None = None
        self.escalation_risk = self.escalated_to_criminal = False
        self.closed_on: date | None = None
        self.archive_number = ""
        self.visits: list[Visit] = []
        self.actions: list[tuple[MediationAction, M, M, date]] = []  # the path taken (checked, kept for tests)
        self.updated = ""
        self.row: dict[str, Any] = {}  # what the row needs besides (committee, category, number, created …)

    def take(self, action: MediationAction, on: date, step: Callable[[], M]) -> None:
        """One step as _step in services/procedures/mediation.py runs it: allowed from here, guarded, an edge."""
        source = self.status
        if source not in TRANSITIONS[action][0]:  # allowed_actions(source), without listing them all
            raise AssertionError(f"demo dispute {self.id}: {ACTION_LABELS[action]} is not a step from {source}")
        try:
            target = step()
        except AppError as exc:
            raise AssertionError(f"demo dispute {self.id}: {ACTION_LABELS[action]} on {on} refused: {exc}") from exc
        check_edge(action, source, target)
        self.actions.append((action, source, target, on))
        self.status = target


class Mediations:
    def __init__(self, ctx: Context, parties: Parties, committee_ids: list[int],
                 mediators: dict[int, list[tuple[int, str, str]]]) -> None:
        self.ctx, self.parties, self.committee_ids, self.mediators = ctx, parties, committee_ids, mediators
        # Each committee numbers its documents under its own 代字 (services/reference/numbering.py).
        self.issuers = {cid: Issuer(code, code) for cid, code in (
            (r[0], r[1] or default_doc_code(r[2], "", set())) for r in ctx.conn.execute(
                "SELECT id, doc_code, name FROM mediation_committee WHERE township_id=?", (ctx.township_id,)))}
        self.drafts: list[MediationDraft] = []

    def generate(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        categories = [(r[0], r[1]) for r in ctx.conn.execute(
            "SELECT id, name FROM dispute_category WHERE deleted_at IS NULL AND active=1 ORDER BY position, id")]
        if not categories:
            raise AppError("纠纷类别字典为空，无法生成调解案件")
        if not self.committee_ids:
            raise AssertionError("the township demo needs a mediation committee with mediators")
        cat_w = (list(CATEGORY_WEIGHTS) + [2] * len(categories))[:len(categories)]
        committee_w = [4 if k == 0 else 1 for k in range(len(self.committee_ids))]
        tc = ctx.table(RecordKind.MEDIATION_CASE, _COLS)
        tp = ctx.table(RecordKind.MEDIATION_PARTY, ("case_id", "party_id", "role"))
        self._tm = ctx.table(RecordKind.MEDIATION_MEDIATOR, ("case_id", "mediator_id"))
        self._ts = ctx.table(RecordKind.MEDIATION_SESSION, ("case_id", "held_at", "place", "public", "record"))
        self._tv = ctx.table(RecordKind.FOLLOW_UP_VISIT, ("case_id", "visited_on", "visitor", "method", "performance_status",
                                                "note"))
        parties = self.parties
        for a in ctx.days(ctx.n(N_MEDIATIONS), weekend=0.35):
            cat_id, cat_name = rng.choices(categories, weights=cat_w)[0]
            committee = rng.choices(self.committee_ids, weights=committee_w)[0]
            mc = MediationDraft(ctx.next_id(tc), ctx.day(a), cat_name)
            mc.row = {"category_id": cat_id, "committee_id": committee,
                      "source": rng.choices(SOURCES, weights=SOURCE_WEIGHTS)[0],
                      "amount": rng.randrange(500, 200_000) * 100 if cat_name in MONEY_CATEGORIES else None,
                      "number": ""}
            ctx.numbers.request("mediation", a, mc.id, (mc.row, "number"), issuer=self.issuers[committee])
            applicant = rng.choice(parties.persons)
            respondent = rng.choice(parties.businesses if cat_name in BUSINESS_CATEGORIES and parties.businesses
                                    else parties.persons)
            parties.use(applicant, a)
            parties.use(respondent, a)
            created = ctx.ts(a, 540 + rng.randrange(480), rng.randrange(60))
            mc.updated = created
            mc.row["created"] = created
            for pid, role in ((applicant.id, "applicant"), (respondent.id, "respondent")):
                tp.rows.append((ctx.next_id(tp), ctx.uid(), ctx.device_uid, 1, created, created, mc.id, pid, role))
            self._life(mc, a, self.mediators[committee])
            self.drafts.append(mc)
        ctx.report("人民调解", 60)

    def _life(self, mc: MediationDraft, a: int, mediators: list[tuple[int, str, str]]) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        ri, rand, t, day, uid, dev = rng.randint, rng.random, ctx.t, ctx.day, ctx.uid, ctx.device_uid
        accepted = a + rng.choice((0, 0, 1, 1, 2, 3))
        if rand() < 0.015:
            if accepted <= t:
                reason = "不属于人民调解受理范围，告知当事人通过其他途径解决"
                mc.take(A.REJECT, day(accepted), lambda: self._ended(mc, accepted, reason, M.REJECTED))
                mc.updated = ctx.ts(accepted, 600)
            return
        if accepted > t:
            return
        chosen = rng.sample(mediators, 1 if rand() < 0.6 or len(mediators) < 2 else 2)

        def accept() -> M:
            rules.check_acceptance(mc, day(accepted))  # type: ignore[arg-type]
            mc.accepted_on = day(accepted)
            return M.MEDIATING
        mc.take(A.ACCEPT, day(accepted), accept)
        for m_id, _uid, _name in chosen:
            self._tm.rows.append((ctx.next_id(self._tm), uid(), dev, 1, mc.updated, mc.updated, mc.id, m_id))
        x = rand()
        ended = accepted + (ri(0, 6) if x < 0.6 else ri(7, 20) if x < 0.95 else ri(21, 29))
        # Committees conclude before the year-end report: a case accepted in a year ends in that year.
        ended = min(ended, date(day(accepted).year, 12, 31).toordinal())
        n_sessions = 1 if x < 0.6 else 2 if rand() < 0.75 else 3
        place = rng.choice(("村委会调解室", "镇人民调解委员会调解室", "当事人家中", "纠纷现场"))
        for sd in sorted([accepted] + [ri(accepted, ended) for _ in range(n_sessions - 1)]):
            if sd > t:
                break
            at = ctx.ts(sd, 540 + rng.randrange(480))
            mc.take(A.SESSION, day(sd), lambda: mc.status)
            self._ts.rows.append((ctx.next_id(self._ts), uid(), dev, 1, at, at, mc.id, at, place,
                                  1 if rand() < 0.1 else 0, "调解员向双方释法说理，听取双方陈述，引导双方互谅互让。"))
            mc.updated = max(mc.updated, at)
        y = rand()
        outcome = "success" if y < 0.98 else "failed" if y < 0.99 else "terminated"
        if ended > t:
            return
        mc.updated = max(mc.updated, ctx.ts(ended, 960))
        if outcome != "success":
            failed = outcome == "failed"
            reason = "双方分歧较大，未能达成调解协议" if failed else "一方当事人明确拒绝继续调解"
            mc.take(A.FAIL if failed else A.TERMINATE, day(ended),
                    lambda: self._ended(mc, ended, reason, M.FAILED if failed else M.TERMINATED))
            if rand() < 0.3:  # art.25: the risk of escalation is flagged and reported
                criminal = rand() < 0.15
                mc.take(A.FLAG_ESCALATION, day(ended), lambda: self._flag(mc, criminal))
            return
        self._agreement(mc, ended, mediators)

    @staticmethod
    def _ended(mc: MediationDraft, o: int, reason: str, status: M) -> M:
        mc.ended_on, mc.end_reason = date.fromordinal(o), reason
        return status

    @staticmethod
    def _flag(mc: MediationDraft, criminal: bool) -> M:
        mc.escalation_risk = True
        mc.escalated_to_criminal = mc.escalated_to_criminal or criminal
        return mc.status

    def _agreement(self, mc: MediationDraft, ended: int, mediators: list[tuple[int, str, str]]) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        ri, rand, t, day = rng.randint, rng.random, ctx.t, ctx.day
        written = rand() < 0.72
        # Terms a township committee writes: payment within days or weeks, rarely a month.
        perf = ended + rng.choice((0, 7, 10, 15, 15, 20, 30)) if written else None

        def succeed() -> M:
            form = AgreementForm.WRITTEN if written else AgreementForm.ORAL
            deadline = day(perf) if perf is not None else None
            mc.performance_status = rules.check_agreement(mc, form, day(ended), deadline,  # type: ignore[arg-type]
                                                          all_parties_signed=True, committee_sealed=True)
            mc.agreement_form, mc.agreement_effective_on, mc.performance_deadline = form, day(ended), deadline
            mc.agreement_terms = "双方自愿达成如下协议：一、……；二、……；三、本协议自双方签字之日起生效。"
            mc.ended_on = day(ended)
            ctx.numbers.request("mediation_agreement", ended, mc.id, (mc, "agreement_number"),
                                issuer=self.issuers[mc.row["committee_id"]])
            return M.SUCCEEDED
        mc.take(A.SUCCEED, day(ended), succeed)
        # The follow-up visit comes soon after the agreed date, and the case is closed soon after that, so an open
        # case's performance (and judicial confirmation) window rarely lies weeks behind it.
        visit = (perf if perf is not None else ended) + ri(0, 4)
        confirm = written and mc.category not in FAMILY_KEPT_OUT_OF_COURT and rand() < 0.08
        steps: list[tuple[int, int, MediationAction, Callable[[], M]]] = []
        last = visit
        if confirm:
            capp, settings, cal = ended + ri(1, 20), ctx.settings, ctx.cal
            cdec = capp + ri(5, 15)
            last = max(visit, cdec)
            granted = rand() < 0.96

            def apply() -> M:
                rules.check_confirmation(mc, day(capp), joint=True,  # type: ignore[arg-type]
                                         settings=settings, cal=cal)
                mc.confirmation_applied_on, mc.confirmation_court = day(capp), COURT
                return M.CONFIRMATION_PENDING

            def rule() -> M:
                rules.check_ruling(mc, day(cdec))  # type: ignore[arg-type]
                mc.confirmation_decided_on, mc.confirmation_granted = day(cdec), granted
                return M.CONFIRMED if granted else M.CONFIRMATION_REFUSED
            steps += [(capp, 1, A.APPLY_CONFIRMATION, apply), (cdec, 2, A.RECORD_CONFIRMATION, rule)]
        z = rand()
        performance = (PerformanceStatus.PERFORMED if z < 0.94 else PerformanceStatus.PARTLY if z < 0.98
                       else PerformanceStatus.NOT_PERFORMED)
        visitor, method = rng.choice(mediators)[2], rng.choice(("上门", "上门", "电话"))

        def follow_up() -> M:
            rules.check_follow_up(mc, day(visit))  # type: ignore[arg-type]
            mc.visits.append(Visit(day(visit)))
            mc.performance_status = performance
            vat = ctx.ts(visit, 600)
            self._tv.rows.append((ctx.next_id(self._tv), ctx.uid(), ctx.device_uid, 1, vat, vat, mc.id, ctx.iso(visit),
                                  visitor, method, performance.value,
                                  "回访了解协议履行情况，当事人表示满意。" if performance is PerformanceStatus.PERFORMED
                                  else "督促当事人按协议履行。"))
            return mc.status
        steps.append((visit, 0, A.FOLLOW_UP, follow_up))
        close = last + ri(1, 6)
        if not confirm or rand() < 0.5:
            def close_step() -> M:
                rules.check_close(mc, day(close))  # type: ignore[arg-type]
                mc.closed_on = day(close)
                mc.archive_number = f"调档〔{day(close).year}〕{mc.id}号"
                return M.CLOSED
            steps.append((close, 3, A.CLOSE, close_step))
        for d, _k, action, step in sorted(steps, key=lambda s: (s[0], s[1])):
            if d > t:
                break
            mc.take(action, day(d), step)
            mc.updated = max(mc.updated, ctx.ts(d, 900 if action is A.RECORD_CONFIRMATION else 600))

    def write(self) -> None:
        ctx = self.ctx
        tc = ctx.tables[RecordKind.MEDIATION_CASE]
        for mc in self.drafts:
            r = mc.row
            tc.rows.append((
                mc.id, ctx.uid(), ctx.device_uid, 1, r["created"], mc.updated, ctx.township_id, r["number"],
                mc.status.value, r["source"], r["category_id"], r["committee_id"], _summary(mc.category), r["amount"],
                _d(mc.applied_on), _d(mc.accepted_on), _d(mc.ended_on), mc.end_reason,
                mc.agreement_form.value if mc.agreement_form else None, mc.agreement_number, mc.agreement_terms,
                _d(mc.agreement_effective_on), _d(mc.performance_deadline),
                mc.performance_status.value if mc.performance_status else None, _d(mc.confirmation_applied_on),
                mc.confirmation_court, _d(mc.confirmation_decided_on),
                None if mc.confirmation_granted is None else int(mc.confirmation_granted), int(mc.escalation_risk),
                int(mc.escalated_to_criminal), _d(mc.closed_on), mc.archive_number,
            ))
            if mc.status in OPEN_MEDIATION:
                for spec in dl.mediation_deadlines(mc, ctx.settings, ctx.cal):  # type: ignore[arg-type]
                    ctx.deadline(RecordKind.MEDIATION_CASE, mc.id, spec)


def _d(v: date | None) -> str | None:
    return v.isoformat() if v is not None else None


def _summary(category: str) -> str:
    return MEDIATION_SUMMARIES.get(category, "双方因民间纠纷发生争执，申请调解")


_COLS = (
    "township_id", "number", "status", "source", "category_id", "committee_id", "summary", "amount_involved",
    "applied_on", "accepted_on", "ended_on", "end_reason", "agreement_form", "agreement_number", "agreement_terms",
    "agreement_effective_on", "performance_deadline", "performance_status", "confirmation_applied_on",
    "confirmation_court", "confirmation_decided_on", "confirmation_granted", "escalation_risk",
    "escalated_to_criminal", "closed_on", "archive_number",
)
