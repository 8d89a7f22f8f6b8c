"""Inspections of the township demo: ~100,000 over ten years, with checklists, officers, re-inspections.

Each one is checked by the inspection form's own rules before it becomes rows: services.procedures.inspections
``validate_inspection`` (times, place, result against checklist, rectification deadline, receiving department),
``check_campaign_day`` and ``check_reinspection_day``, and two officers certified that day (``require_certified``,
art.42). A rectification order gets a re-inspection around its deadline; an order still open today keeps its
deadline and, once that passed, a re-inspection task, as generate_reinspection_tasks makes them.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from models.enums import InspectionResult, ItemResult, RecordKind
from services.people.registry import require_certified
from services.procedures import deadlines as dl
from services.procedures.inspections import (
    ChecklistLine,
    InspectionInput,
    check_campaign_day,
    check_reinspection_day,
    validate_inspection,
)
from tools.demo.bulk import identity as ident
from tools.demo.bulk.activities import Campaigns
from tools.demo.bulk.context import Context
from tools.demo.bulk.people import Parties, PartyRef, Squad
from tools.demo.bulk.vocab import DEPARTMENTS, DOMAIN_CHECKS, DOMAIN_WEIGHTS, GENERIC_CHECKS

N_INSPECTIONS = 106_000  # primary inspections + re-inspections, at scale 1.0
R = InspectionResult


class Insp:
    """One inspection, under the attribute names of the inspection form (InspectionInput) that validates it."""

    __slots__ = (
        "day", "minute", "second", "dur", "result", "domain", "party", "campaign", "deadline", "of", "re", "id",
        "items", "officers", "vehicle_turnout", "businesses_inspected", "place", "started_at", "ended_at", "findings",
        "rectification_deadline", "transfer_to",
    )

    started_at: datetime  # aware, set when the inspection is checked (_check)
    ended_at: datetime

    def __init__(self, day: int, minute: int, result: InspectionResult, domain: str) -> None:
        self.day, self.minute, self.result, self.domain = day, minute, result, domain
        self.second = self.dur = 0
        self.party: PartyRef | None = None
        self.campaign = self.deadline = self.id = 0
        self.of: Insp | None = None  # the inspection this one re-inspects
        self.re: Insp | None = None  # the re-inspection of this one
        self.items: list[ChecklistLine] = []
        self.officers: tuple[Any, Any] = (None, None)
        self.vehicle_turnout, self.businesses_inspected = 0, 1
        self.place = self.findings = self.transfer_to = ""
        self.rectification_deadline: date | None = None


_FORM_FIELDS = tuple(f.name for f in fields(InspectionInput))


def _form(ins: Insp) -> InspectionInput:
    """The draft as the inspection form hands it to record_inspection: every field of InspectionInput the draft
    has, by name; a field it does not have keeps the form's default, so a new form field needs no change here."""
    given = {name: getattr(ins, name) for name in _FORM_FIELDS if name in Insp.__slots__}
    return InspectionInput(officer_uids=[o.uid for o in ins.officers], **given)


class Inspections:
    def __init__(self, ctx: Context, squad: Squad, parties: Parties, campaigns: Campaigns) -> None:
        self.ctx, self.squad, self.parties, self.campaigns = ctx, squad, parties, campaigns
        self.all: list[Insp] = []
        self.to_cases: list[Insp] = []  # result 立案: each becomes a penalty case
        self._lines: dict[tuple[str, ItemResult, str], ChecklistLine] = {}
        self._camps = {cid: SimpleNamespace(name=str(cid), start_date=ctx.day(s), end_date=ctx.day(e), start=s, end=e)
                       for s, e, cid, _d, _u in campaigns.spans}

    def line(self, text: str, result: ItemResult, note: str = "") -> ChecklistLine:
        key = (text, result, note)
        ln = self._lines.get(key)
        if ln is None:
            ln = self._lines[key] = ChecklistLine(text, result, note)
        return ln

    def _fill(self, ins: Insp) -> None:
        rng = self.ctx.rng
        rand = rng.random
        parties = self.parties
        if ins.party is None and ins.of is None:
            r = rand()
            if r < 0.72:
                ins.party = rng.choice(parties.businesses or parties.persons)
            elif r < 0.86:
                ins.party = rng.choice(parties.persons)
        ins.place = ins.party.address if ins.party is not None else (ins.place or ident.address(rng, street=True))
        parties.use(ins.party, ins.day)
        ins.dur = rng.randint(20, 150)
        ins.officers = self.squad.pair(ins.day)
        r = rand()
        ins.vehicle_turnout = 0 if r < 0.35 else 1 if r < 0.9 else 2
        r = rand()
        ins.businesses_inspected = 1 if r < 0.55 else 2 if r < 0.75 else 3 if r < 0.88 else 4 if r < 0.95 else 5
        checks = DOMAIN_CHECKS.get(ins.domain, GENERIC_CHECKS)
        texts = rng.sample(checks, rng.randint(2, min(4, len(checks))))
        ok, na, problem = ItemResult.OK, ItemResult.NOT_APPLICABLE, ItemResult.PROBLEM
        if ins.result is R.PASSED:
            ins.items = [self.line(tx, ok if i == 0 or rand() < 0.95 else na) for i, tx in enumerate(texts)]
        else:
            problems = 1 + (rand() < 0.35) + (rand() < 0.1)
            note = "已当场整改" if ins.result is R.RECTIFIED_ON_SPOT else "存在问题"
            ins.items = [self.line(tx, problem, note) if i < problems else self.line(tx, ok) for i, tx in enumerate(texts)]

    def plan(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        rand = rng.random
        total = ctx.n(N_INSPECTIONS)
        domains = sorted(DOMAIN_WEIGHTS)
        cum_dw: list[float] = []
        acc = 0.0
        for d in domains:
            acc += DOMAIN_WEIGHTS[d]
            cum_dw.append(acc)
        insps: list[Insp] = []
        t = ctx.t
        for o in ctx.days(max(1, round(total / 1.125))):
            r = rand()
            result = (R.PASSED if r < 0.60 else R.RECTIFIED_ON_SPOT if r < 0.80 else R.ORDERED if r < 0.95
                      else R.CASE_OPENED if r < 0.99 else R.TRANSFERRED)
            ins = Insp(o, 510 + rng.randrange(480), result, rng.choices(domains, cum_weights=cum_dw)[0])
            if rand() < 0.36:
                camp = self.campaigns.on(o)
                if camp is not None:
                    ins.campaign, ins.domain = camp[0], camp[1]
            self._fill(ins)
            insps.append(ins)
            if result is not R.ORDERED:
                continue
            ins.deadline = o + rng.choice((3, 5, 7, 7, 10, 15, 15, 30))
            if ins.deadline >= t:
                continue
            # The squad re-inspects around the deadline (a few days early to a couple of days late); one not yet
            # due for its re-inspection, or a rare straggler of the last three months, is still open today. Older
            # ones were all re-inspected: a years-old open rectification would be a squad not doing its work.
            ro = max(o + 1, ins.deadline + rng.randint(-3, 2))
            if ro > t or (ins.deadline >= t - 90 and rand() < 0.01):
                continue
            re = Insp(ro, 510 + rng.randrange(480), R.PASSED if rand() < 0.93 else R.CASE_OPENED, ins.domain)
            re.party, re.place, re.of = ins.party, ins.place, ins
            running = self._camps.get(ins.campaign)
            if running is not None and running.start <= ro <= running.end:  # a campaign over by then no longer counts it
                re.campaign = ins.campaign
            self._fill(re)
            # The re-inspection checks the same lines: put right, or (a case opened) the first still wrong.
            lines = [self.line(ln.text, ItemResult.OK if ln.result is ItemResult.PROBLEM or re.result is R.PASSED
                               else ln.result or ItemResult.OK) for ln in ins.items]  # the demo answers every line
            if re.result is R.CASE_OPENED:
                lines[0] = self.line(lines[0].text, ItemResult.PROBLEM, "存在问题")
            re.items = lines
            ins.re = re
            insps.append(re)
        insps.sort(key=lambda i: (i.day, i.minute))
        for ins in insps:
            self._check(ins)
        self.all = insps
        ctx.report("检查记录", 25)

    def _check(self, ins: Insp) -> None:
        """The inspection form's rules and the officers' certificates, as record_inspection applies them."""
        ctx, rng = self.ctx, self.ctx.rng
        ins.second = rng.randrange(60)
        ins.started_at = ctx.local(ins.day, ins.minute, ins.second)
        ins.ended_at = ins.started_at + timedelta(minutes=ins.dur)
        problems = [ln.text for ln in ins.items if ln.result is ItemResult.PROBLEM]
        what = "、".join(problems)
        if ins.result is R.PASSED:
            ins.findings = "检查未发现违法违规问题。" if ins.of is None else "复查：已按要求整改到位。"
        elif ins.result is R.RECTIFIED_ON_SPOT:
            ins.findings = f"发现{what}问题，已当场整改。"
        elif ins.result is R.ORDERED:
            ins.rectification_deadline = ctx.day(ins.deadline)
            ins.findings = f"发现{what}问题，责令于{ctx.iso(ins.deadline)}前整改完毕。"
        elif ins.result is R.CASE_OPENED:
            ins.findings = f"发现{what}问题，涉嫌违法，登记案件线索。"
        else:
            ins.findings = f"发现{what}问题，不属本机关管辖，移送有关部门。"
            ins.transfer_to = rng.choice(DEPARTMENTS)
        validate_inspection(_form(ins), ctx.today)
        day = ctx.day(ins.day)
        require_certified(ins.officers, day, what="行政执法检查")  # type: ignore[arg-type]  # a pair reads as a list
        if ins.campaign:
            check_campaign_day(self._camps[ins.campaign], day)  # type: ignore[arg-type]
        if ins.of is not None:
            check_reinspection_day(ctx.day(ins.of.day), day)

    def write(self, transfers: list[dict[str, Any]]) -> None:
        """The rows; an inspection's 移送 joins ``transfers`` (numbered with the cases' transfers)."""
        ctx = self.ctx
        ti = ctx.table(RecordKind.INSPECTION, ("township_id", "number", "started_at", "ended_at", "inspected_on", "place",
                                      "domain", "party_id", "campaign_id", "findings", "result",
                                      "rectification_deadline", "reinspection_of_id", "officer_turnout",
                                      "vehicle_turnout", "businesses_inspected"))
        to = ctx.table(RecordKind.INSPECTION_OFFICER, ("inspection_id", "officer_id"))
        tt = ctx.table(RecordKind.INSPECTION_ITEM, ("inspection_id", "position", "text", "result", "note", "rectified_on"))
        tr = ctx.table(RecordKind.REINSPECTION_TASK, ("inspection_id", "due_on", "status", "done_by_inspection_id"))
        for ins in self.all:
            ins.id = ctx.next_id(ti)
        numbers: dict[int, Any] = {}
        dev, tid, uid, iso, next_id = ctx.device_uid, ctx.township_id, ctx.uid, ctx.iso, ctx.next_id
        fixed_by = (R.PASSED, R.RECTIFIED_ON_SPOT)  # a re-inspection that settles the original (_settle_original)
        for ins in self.all:
            year = ins.started_at.year
            take = numbers.get(year)
            if take is None:
                take = numbers[year] = ctx.numbers.sequence("inspection", year)
            started = ctx.ts(ins.day, ins.minute, ins.second)
            ended = ctx.ts(ins.day, ins.minute + ins.dur, ins.second)
            if ins.result is R.CASE_OPENED:
                self.to_cases.append(ins)
            elif ins.result is R.TRANSFERRED:  # record_inspection's Transfer: to the department named, for the findings
                moved = dict(case=None, ins=ins, kind="department", day=ins.day, org=ins.transfer_to,
                             reason=ins.findings, number="")
                ctx.numbers.request("transfer", ins.day, -ins.id, (moved, "number"))
                transfers.append(moved)
            party_id = ins.party.id if ins.party is not None else None
            ti.rows.append((
                ins.id, uid(), dev, 1, ended, ended, tid, take(), started, ended, iso(ins.day), ins.place, ins.domain,
                party_id, ins.campaign or None, ins.findings, ins.result, iso(ins.deadline) if ins.deadline else None,
                ins.of.id if ins.of is not None else None, len(ins.officers), ins.vehicle_turnout, ins.businesses_inspected,
            ))
            for officer in ins.officers:
                to.rows.append((next_id(to), uid(), dev, 1, ended, ended, ins.id, officer.id))
            if ins.result is R.RECTIFIED_ON_SPOT:
                fixed = iso(ins.day)
            elif ins.result is R.ORDERED and ins.re is not None and ins.re.result in fixed_by:
                fixed = iso(ins.re.day)
            else:
                fixed = None
            for pos, ln in enumerate(ins.items):
                problem = ln.result is ItemResult.PROBLEM
                tt.rows.append((next_id(tt), uid(), dev, 1, ended, ended, ins.id, pos, ln.text, ln.result, ln.note,
                                fixed if problem else None))
            if ins.result is R.ORDERED and ins.re is None:
                # Open: its rectification deadline is stored; a passed deadline also has a re-inspection task.
                for spec in dl.inspection_deadlines(ins, None):  # type: ignore[arg-type]
                    ctx.deadline(RecordKind.INSPECTION, ins.id, spec)
                if ins.deadline < ctx.t:
                    created = ctx.ts(ins.deadline + 1, 480)
                    tr.rows.append((next_id(tr), uid(), dev, 1, created, created, ins.id, iso(ins.deadline + 1),
                                    "open", None))
        ctx.report("检查记录", 35)
