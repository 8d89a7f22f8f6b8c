"""Penalty cases of the township demo: ~21,000 over ten years, from clue to archive, every one a path of the
procedure's state machine through the guards the services apply (penalty_steps.py).

A case's life is planned and taken at once, step by step in date order: each date is drawn after the rules' own
dates (the statement period's end, the payment deadline, the hearing notice's seven working days, the decision
limit), each step is then checked by those rules. Everything a life draws comes from its own random source, so a
case whose status must be shown (every status appears at least once) can be lived again with its dates moved so
that it reaches that status just before today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from random import Random
from types import SimpleNamespace
from typing import Any

from models.enums import (
    CaseSource,
    CaseStatus,
    CoerciveStatus,
    NoPenaltyGround,
    PartyKind,
    ProposedOutcome,
    RecordKind,
    ServiceMethod,
    TransferKind,
)
from models.labels import label
from services.procedures import case_rules as rules
from services.procedures import deadlines as dl
from services.procedures.coercion import SeizedItem, check_end, check_imposition
from services.reference.catalogue import scope_allows, statute_facts
from tools.demo.bulk.catalogue import Catalogue, party_kind_for, pick_fine
from tools.demo.bulk.context import Context
from tools.demo.bulk.inspections import Insp
from tools.demo.bulk.penalty_rows import CASE_COLS
from tools.demo.bulk.penalty_steps import CaseDraft, ItemRef, Steps
from tools.demo.bulk.people import Parties, PartyRef, Squad
from tools.demo.bulk.vocab import (
    COERCIVE_GOODS,
    DEPARTMENTS,
    NO_PENALTY_GROUNDS,
    POLICE,
    SERVICE_METHODS,
    TERMINATION_REASONS,
)

N_CASES = 21_000  # at scale 1.0
S = CaseStatus
NEVER = date.max.toordinal()


class _Horizon(Exception):
    """The next step lies beyond the life's horizon (today), or the status to show has been reached."""


class Life:
    """One case's steps in date order; side steps (公示, a seizure and its end) wait for their day."""

    def __init__(self, penalty: Penalty, c: CaseDraft, horizon: int, stop: S | None) -> None:
        self.p, self.c, self.horizon, self.stop = penalty, c, horizon, stop
        self.pending: list[tuple[int, Callable[[date], None]]] = []

    def at(self, d: int, step: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        """Take ``step`` on day ordinal ``d`` (after the side steps due by then), unless that is past the horizon."""
        self._side(d)
        if d > self.horizon:
            raise _Horizon
        step(self.c, self.p.ctx.day(d), *args, **kwargs)
        if self.stop is not None and self.c.status is self.stop:
            raise _Horizon

    def later(self, d: int, fn: Callable[[date], None]) -> None:
        self.pending.append((d, fn))
        self.pending.sort(key=lambda p: p[0])

    def _side(self, up_to: int) -> None:
        while self.pending and self.pending[0][0] <= min(up_to, self.horizon):
            d, fn = self.pending.pop(0)
            fn(self.p.ctx.day(d))

    def finish(self) -> None:
        """The life ended by itself (not cut short): side steps due by the horizon still happen."""
        self._side(self.horizon)


class Penalty:
    def __init__(self, ctx: Context, squad: Squad, parties: Parties, catalogue: Catalogue) -> None:
        self.ctx, self.squad, self.parties, self.catalogue = ctx, squad, parties, catalogue
        self.steps = Steps(ctx.settings, ctx.cal)
        self.cases: list[CaseDraft] = []
        self._key = 0
        s = ctx.settings
        self.summary_cap = {True: s.decimal("summary.max_fine_person"), False: s.decimal("summary.max_fine_org")}
        self.cash_max = s.decimal("summary.cash_max")
        self.filing_days = s.int("summary.filing_working_days")

    # -- the cases ---------------------------------------------------------------------------------------

    def plan(self, from_inspections: list[Insp]) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        cases: list[CaseDraft] = []
        for ins in from_inspections:
            cases.append(self.new_case(min(ctx.t, ins.day + rng.choice((0, 0, 0, 1, 2))), ins))
        for o in ctx.days(max(0, ctx.n(N_CASES) - len(cases))):
            cases.append(self.new_case(o, None))
        present = {c.status for c in cases}
        for st in CaseStatus:
            if st not in present:
                cases.append(self.new_case(ctx.t, None, force=st))
        cases.sort(key=lambda c: (c.registered_on, c.key))
        # Small scales must still show every kind of record.
        transfers = [c for c in cases if c.transfer is not None]
        if transfers and all(c.transfer["kind"] != TransferKind.JUDICIARY.value for c in transfers):  # type: ignore[index]
            self._to_police(transfers[-1])
        if all(c.measure is None for c in cases):
            for c in cases[len(cases) // 2:] + cases[:len(cases) // 2]:
                if self._late_measure(c):
                    break
        tc = ctx.table(RecordKind.PENALTY_CASE, CASE_COLS)
        for c in cases:
            c.id, c.uid = ctx.next_id(tc), ctx.uid()
            for doc_type, o, targets in c.number_requests:
                ctx.numbers.request(doc_type, o, c.key, *targets)
        self.cases = cases
        ctx.report("行政处罚案件", 50)

    def new_case(self, o: int, ins: Insp | None, *, force: S | None = None) -> CaseDraft:
        rng = self.ctx.rng
        self._key += 1
        key = self._key
        summary = force is S.SUMMARY_DECIDED or (force is None and rng.random() < (0.08 if ins else 0.42))
        outcome = {S.NOT_FILED: "not_filed", S.TRANSFERRED: "transfer", S.TERMINATED: "terminate",
                   S.NO_PENALTY: "no_penalty"}.get(force or S.CLUE, "penalty")
        if force is None and not summary:
            x = rng.random()
            outcome = ("not_filed" if x < 0.03 else "transfer" if x < 0.065 else "terminate" if x < 0.085
                       else "no_penalty" if x < 0.165 else "penalty")
        seed = rng.getrandbits(64)
        late, hearing = force is S.ENFORCING, force is S.HEARING
        if force is None:
            return self._live(key, seed, o, ins, outcome, summary, hearing, late, self.ctx.t, None)
        if force is S.CLUE:
            return self._live(key, seed, o, ins, outcome, summary, hearing, late, o - 1, None)
        # Put the step that reaches the forced status a few days before today: live once to measure, then again
        # with the dates moved (working-day rules move them a little when the start moves: until it fits). A life
        # that never gets there (a case closed but not archived) is drawn again.
        base = self.ctx.t - 400
        for _ in range(50):
            trial = self._live(key, seed, base, ins, outcome, summary, hearing, late, NEVER, force)
            reached = next((e.on_date.toordinal() for e in trial.events if e.to_status is force), None)
            if reached is not None:
                break
            seed = rng.getrandbits(64)
        else:
            raise AssertionError(f"demo case {key}: no life reaches {force}")
        o = self.ctx.t - rng.randint(0, 3) - (reached - base)
        for _ in range(10):
            c = self._live(key, seed, o, ins, outcome, summary, hearing, late, NEVER, force)
            late_by = max(e.on_date.toordinal() for e in c.events) - self.ctx.t
            if late_by <= 0:
                return c
            o -= late_by
        raise AssertionError(f"demo case {key}: no start date brings it to {force} by today")

    def _live(self, key: int, seed: int, o: int, ins: Insp | None, outcome: str, summary: bool, hearing: bool,
              late: bool, horizon: int, stop: S | None) -> CaseDraft:
        r = Random(seed)
        c = self._clue(r, key, o, ins, summary, hearing)
        life = Life(self, c, horizon, stop)
        try:
            if c.plan == "summary":
                self._summary(r, life)
            else:
                self._general(r, life, outcome, hearing, late)
            life.finish()
        except _Horizon:
            pass
        return c

    def _clue(self, r: Random, key: int, o: int, ins: Insp | None, summary: bool, hearing: bool) -> CaseDraft:
        """线索登记 as register_clue checks it: an item in force on the act date that the party's kind allows."""
        ctx, cat, parties = self.ctx, self.catalogue, self.parties
        act = ctx.day(o - r.randint(0, 10))
        party: PartyRef | None = None
        item: ItemRef | None = None
        plan = "summary" if summary else "general"
        if hearing:
            item, party = self._hearing_pick(r, act)
        elif summary:
            for _ in range(30):
                item = cat.pick(r, act, domain=ins.domain if ins else None)
                party = parties.for_kind(party_kind_for(item))
                if (item.fine_min or 0) <= self.summary_cap[party.kind is PartyKind.PERSON]:
                    break
            else:
                plan = "general"
        if item is None:
            item = cat.pick(r, act, domain=ins.domain if ins else None)
        if party is None or not rules_allow(item, party):
            party = ins.party if ins is not None and ins.party is not None and rules_allow(item, ins.party) else \
                parties.for_kind(party_kind_for(item))
            if not rules_allow(item, party):
                item = cat.pick(r, act, kind=party.kind)
        c = CaseDraft(key, party, item, ctx.day(o), act)
        c.plan = plan
        if ins is not None:
            c.source, c.source_inspection_id = CaseSource.INSPECTION, ins.id
        else:
            x = r.random()
            c.source = (CaseSource.COMPLAINT if x < 0.45 else CaseSource.INSPECTION if x < 0.75 else CaseSource.SUPERIOR
                        if x < 0.85 else CaseSource.TRANSFER_IN if x < 0.9 else CaseSource.MEDIA if x < 0.93
                        else CaseSource.OTHER)
        c.place = ins.place if ins is not None else party.address
        c.cause = f"{party.name}{item.name}案"[:200]
        c.domain = item.domain
        c.facts = f"{ctx.iso(o)}，执法人员在{c.place}发现当事人{party.name}{item.name}。"
        c.reference_version = ctx.reference_version
        c.registrar = self.squad.pair(o, r)[0]
        parties.use(party, o)
        return c

    def _hearing_pick(self, r: Random, act: date) -> tuple[ItemRef, PartyRef]:
        """An item and a party for which a fine can reach the hearing threshold (art.63)."""
        parties = self.parties
        for pool in (parties.persons, parties.orgs, parties.shops):
            for item in self.catalogue.all:
                if not pool or not item.in_force_on(act) or not rules_allow(item, pool[0]):
                    continue
                probe = SimpleNamespace(party=pool[0], power_item=item)
                if item.fine_max is not None and item.fine_max >= rules.threshold(probe, "hearing", self.ctx.settings):  # type: ignore[arg-type]
                    return item, r.choice(pool)
        item = self.catalogue.pick(r, act)
        return item, self.parties.for_kind(party_kind_for(item))

    # -- the two procedures --------------------------------------------------------------------------

    def _summary(self, r: Random, life: Life) -> None:
        c, st, ri = life.c, self.steps, r.randint
        o = c.registered_on.toordinal()
        person = c.party.kind is PartyKind.PERSON
        item = c.power_item
        lo = max(item.fine_min or Decimal(0), Decimal(20) if person else Decimal(200))
        hi = min(item.fine_max or Decimal(0), self.summary_cap[person])
        amounts = (20, 50, 100, 200) if person else (200, 500, 1000, 2000, 3000)
        choices = [Decimal(v) for v in amounts if lo <= v <= hi] or [max(item.fine_min or Decimal(0), min(hi, Decimal(50)))]
        fine = r.choice(choices).quantize(Decimal("0.01"))
        on_spot = fine <= self.cash_max and r.random() < 0.5  # art.68: cash on the spot only for small fines
        receipt = _receipt(r, o)
        life.at(o, st.summary_decide, self.squad.pair(o, r), fine, on_spot, receipt if on_spot else "")
        paid = o if on_spot else o + ri(1, 15)
        filed = self.ctx.cal.add_workdays(c.registered_on, ri(1, self.filing_days)).due.toordinal()
        later = [(filed, 1, st.summary_file, ())] + ([] if on_spot else [(paid, 0, st.pay, (fine, receipt))])
        for d, _k, step, args in sorted(later, key=lambda x: (x[0], x[1])):
            life.at(d, step, *args)
        life.at(max(paid, filed) + ri(1, 20), st.close)

    def _general(self, r: Random, life: Life, outcome: str, hearing: bool, late: bool) -> None:
        c, st, ri, ctx = life.c, self.steps, r.randint, self.ctx
        o = c.registered_on.toordinal()
        if outcome == "not_filed":
            life.at(o + ri(1, 7), st.refuse_filing, "经核查，违法事实不能成立，不予立案")
            return
        filed = o + ri(0, 5)
        life.at(filed, st.file, self.squad.pair(filed, r))
        if c.power_item is not None and statute_facts(c.power_item.code).refusal_first:
            life.at(filed, st.refusal)  # before any penalty may be notified (噪声污染防治法第八十二条)
        if outcome in ("penalty", "transfer") and r.random() < 0.05 and _may_seize(c):
            self._plan_measure(r, life, filed + ri(0, 3))
        if outcome == "transfer":
            judiciary = r.random() < 0.3
            org = POLICE if judiciary else r.choice(DEPARTMENTS)
            life.at(filed + ri(5, 40), st.transfer, TransferKind.JUDICIARY if judiciary else TransferKind.DEPARTMENT,
                    org, "当事人涉嫌犯罪，依照《中华人民共和国行政处罚法》第二十七条移送司法机关。" if judiciary
                    else "经调查，该违法行为不属于本机关管辖，依法移送有关部门处理。",
                    "" if judiciary else f"{ctx.township_name}与{org}行政执法协作备忘录")
            return
        if outcome == "terminate" and r.random() < 0.5:
            life.at(filed + ri(5, 60), st.terminate, r.choice(TERMINATION_REASONS))
            return
        concl = filed + ri(8, 40)
        if outcome == "no_penalty":
            ground = NoPenaltyGround(r.choice(NO_PENALTY_GROUNDS))
            life.at(concl, st.conclude, ProposedOutcome.NO_PENALTY, ground=ground)
            d = concl + ri(1, 10)
            life.at(d, st.decide_no_penalty, ground, "当事人违法行为轻微并及时改正，已对其进行批评教育")
            s = d + ri(0, 6)
            life.at(s, st.serve, ServiceMethod(r.choice(SERVICE_METHODS)))
            self._close(r, life, s)
            return
        minor = (age := rules.party_age_on(c, c.act_date)) is not None and age < 18  # type: ignore[arg-type]
        need = rules.threshold(c, "hearing", ctx.settings) if hearing else Decimal(0)  # type: ignore[arg-type]
        fine, tier = pick_fine(r, c.power_item, at_least=need, minor=minor)
        major = fine >= rules.threshold(c, "major", ctx.settings)  # type: ignore[arg-type]
        life.at(concl, st.conclude, ProposedOutcome.PENALTY, tier=tier, fine=fine,
                reasons=f"违法情节属“{label(tier)}”档次，依照裁量基准提出处罚建议。", complex_case=major and r.random() < .3)
        if outcome == "terminate":
            life.at(concl + ri(1, 10), st.terminate, r.choice(TERMINATION_REASONS))
            return
        d = concl
        if c.legal_review_required:
            d += ri(2, 6)
            life.at(d, st.legal_review, self._reviewer(d))
        if c.collective_required:
            d += ri(1, 5)
            life.at(d, st.collective)
        n = d + ri(1, 5)
        life.at(n, st.notify)
        if c.hearing_rights and (hearing or r.random() < 0.3):
            rq = n + ri(1, 4)
            life.at(rq, st.request_hearing)
            served = ctx.day(rq + ri(1, 3))  # the hearing notice, seven working days ahead at least (art.64)
            h = ctx.cal.add_workdays(served, rules.HEARING_NOTICE_WORKING_DAYS + ri(0, 5)).due.toordinal()
            life.at(served.toordinal(), st.schedule_hearing, ctx.day(h))
            life.at(h, st.hold_hearing, served)
            life.at(h, st.suspend, h - rq, "组织听证，听证期间不计入办案期限")
            pend = h + ri(1, 4)
            life.at(pend, st.legal_review, self._reviewer(pend))  # after the hearing (art.58 ¶1(2))
        else:
            x = r.random()
            if x < 0.25:
                pend = n + ri(0, 2)
                life.at(pend, st.waive)
            else:
                if x < 0.45:
                    new_fine = None
                    if r.random() < 0.6:  # defence adopted on review: a lower fine, never a higher one (art.45)
                        lo = max(c.power_item.fine_min or Decimal(0), min(Decimal(50), c.power_item.fine_max or Decimal(0)))
                        new_fine = max(lo, (fine * 8 / 10).quantize(Decimal(1))).quantize(Decimal("0.01"))
                    life.at(n + ri(1, 3), st.statement, "当事人提出陈述申辩，请求从轻处罚", new_fine)
                end = rules.statement_period_end(c, ctx.settings, ctx.cal).due.toordinal()  # type: ignore[arg-type]
                pend = end + ri(1, 3)
                life.at(pend, st.end_statement)
        limit = dl.decision_limit(c, ctx.settings, ctx.cal)  # type: ignore[arg-type]
        dec = min(pend + ri(1, 7), limit.due.toordinal()) if limit is not None else pend + ri(1, 7)
        fine = c.proposed_fine or fine
        life.at(dec, st.decide, fine)
        if r.random() < 0.9:
            life.later(dec + ri(1, 7), lambda on: st.disclose(c, on))
        srv = dec + ri(0, 5)
        life.at(srv, st.serve, ServiceMethod(r.choice(SERVICE_METHODS)))
        due = dl.payment_deadline(ctx.day(srv), ctx.settings, ctx.cal).due.toordinal()
        if late or r.random() < 0.05:
            enf = due + ri(10, 40)
            life.at(enf, st.enforce)
            # Still with the court: a recent application only; the court's enforcement of older ones has been
            # collected (the payment below), so no fine stays unpaid on the 工作台 for years.
            if late or (r.random() < 0.08 and enf >= ctx.t - 240):
                return
            paid = enf + ri(10, 60)  # the court's enforcement collects within weeks, with the surcharge (art.72)
            owed = st.surcharge_owed(c, ctx.day(paid))
            life.at(paid, st.pay, fine + owed, _receipt(r, paid))
        else:
            paid = srv + ri(1, 14)  # within the 15 days (art.67)
            life.at(paid, st.pay, fine, _receipt(r, paid))
        self._close(r, life, paid)

    def _close(self, r: Random, life: Life, after: int) -> None:
        close = after + r.randint(2, 20)
        life.at(close, self.steps.close)
        if r.random() < 0.93:
            life.at(close + r.randint(10, 120), self.steps.archive)

    def _reviewer(self, d: int) -> Any:
        reviewer = self.squad.reviewer(d)
        if reviewer is None:
            raise AssertionError("the township demo needs a certified legal reviewer (法制审核人员)")
        return reviewer

    # -- seizure and impoundment (查封、扣押) -------------------------------------------------------------

    def _plan_measure(self, r: Random, life: Life, start: int) -> None:
        c = life.c
        goods = [SeizedItem(name, str(r.randint(1, 6)), unit, spec) for name, spec, unit in
                 (r.choice(COERCIVE_GOODS) for _ in range(r.randint(1, 4)))]
        end, kind = start + r.randint(5, 30), "seal" if r.random() < 0.3 else "impound"
        x = r.random()
        outcome = "released" if x < 0.6 else "confiscated" if x < 0.9 else "destroyed"
        officers = self.squad.pair(start, r)

        def impose(on: date) -> None:
            period = check_imposition(c.status, list(officers), on, goods, self.ctx.settings,  # type: ignore[arg-type]
                                      head_approved=True, period_days=None, party_present=True, witness="",
                                      reason="为防止证据损毁、便于查清违法事实，依法采取行政强制措施。")
            c.measure = dict(case=c, kind=kind, start=on.toordinal(), period=period, goods=goods, status="active",
                             end=None, number="")
            c.number_requests.append(("coercive_decision", on.toordinal(), ((c.measure, "number"),)))

        def release(on: date) -> None:
            m = c.measure
            if m is None:
                return
            stand = SimpleNamespace(status=CoerciveStatus.ACTIVE, started_on=self.ctx.day(m["start"]))
            check_end(stand, on, CoerciveStatus(outcome))  # type: ignore[arg-type]
            m["status"], m["end"] = outcome, on.toordinal()

        life.later(start, impose)
        life.later(min(end, start + 30), release)

    def _late_measure(self, c: CaseDraft) -> bool:
        """A measure the day after filing, when the scale was too small to draw one: the rules check it against the
        case's status that day."""
        if c.filed_on is None or c.plan != "general" or not _may_seize(c):
            return False
        start = c.filed_on.toordinal() + 1
        if start >= self.ctx.t:
            return False
        status_then = next((e.from_status for e in c.events if e.on_date.toordinal() > start), c.status)
        now, c.status = c.status, status_then
        life = Life(self, c, self.ctx.t, None)
        self._plan_measure(Random(c.key), life, start)
        life.finish()
        c.status = now
        return c.measure is not None

    def _to_police(self, c: CaseDraft) -> None:
        """A transfer made to the police instead (art.27), as its step would have recorded it."""
        tr = c.transfer
        assert tr is not None
        reason = "当事人涉嫌犯罪，依照《中华人民共和国行政处罚法》第二十七条移送司法机关。"
        tr.update(kind=TransferKind.JUDICIARY.value, org=POLICE, reason=reason, memo="")
        ev = next(e for e in c.events if e.to_status is S.TRANSFERRED)
        ev.note = reason
        ev.data.update(kind=TransferKind.JUDICIARY.value, to=POLICE)


def rules_allow(item: ItemRef, party: PartyRef) -> bool:
    return scope_allows(item, party.kind)  # type: ignore[arg-type]


def _receipt(r: Random, o: int) -> str:
    """A 非税收入 receipt number (罚缴分离: the bank's, not the squad's)."""
    return f"川非税{date.fromordinal(o).year}{r.randrange(10**8):08d}"


def _may_seize(c: Any) -> bool:
    """Only items whose law authorises 查封/扣押 get a measure (《中华人民共和国行政强制法》第十条)."""
    return c.power_item is not None and bool(statute_facts(c.power_item.code).coercive)
