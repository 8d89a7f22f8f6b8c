"""The steps of a penalty case for the township demo, taken the way services/procedures/cases/ takes them.

A ``CaseDraft`` carries a case's values under the names of models.case.PenaltyCase, so the procedure's own rules
read it: each step first asks the state machine (models/penalty_flow.py) whether it exists from the current status,
then applies the guards of services/procedures/case_rules.py (thresholds and periods from the [L] settings,
working days from the holiday calendar), records what the service records (dates, amounts, the event with its note
and data, a document number request) and moves the status along the edge the machine checks. A refusal here is a
bug in the generator's plan, never user input: ``Steps.take`` turns it into an AssertionError naming the step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from models.catalogue import PowerItem
from models.enums import (
    CaseSource,
    CaseStatus,
    DiscretionTierName,
    NoPenaltyGround,
    PartyScope,
    Procedure,
    ProposedOutcome,
    ServiceMethod,
    TransferKind,
)
from models.penalty_flow import ACTION_LABELS, CaseAction, can, check_edge
from models.workdays import WorkCalendar
from services.core.errors import AppError
from services.procedures import case_rules as rules
from services.procedures import legal_guards as lg
from services.reference.catalogue import statute_facts
from services.reference.settings import Settings
from tools.demo.bulk.people import OfficerRef, PartyRef

S = CaseStatus
A = CaseAction


class ItemRef:
    """A catalogue item version's values (models.catalogue.PowerItem names); ``in_force_on`` is the entity's rule."""

    __slots__ = ("id", "code", "name", "domain", "party_scope", "fine_min", "fine_max", "penalty_provision",
                 "safety_related", "major_threshold", "hearing_threshold_person", "hearing_threshold_org",
                 "effective_from", "effective_to", "tiers", "weight")

    def __init__(self, row: tuple[Any, ...]) -> None:
        (self.id, self.code, self.name, self.domain, scope, lo, hi, self.penalty_provision, safety, major, hp, ho,
         start, end) = row
        self.party_scope = PartyScope(scope)
        self.fine_min, self.fine_max = _yuan(lo), _yuan(hi)
        self.safety_related = bool(safety)
        self.major_threshold, self.hearing_threshold_person, self.hearing_threshold_org = _yuan(major), _yuan(hp), _yuan(ho)
        self.effective_from = date.fromisoformat(start)
        self.effective_to = date.fromisoformat(end) if end else None
        self.tiers: list[tuple[DiscretionTierName, Decimal, Decimal]] = []
        self.weight = 2

    def in_force_on(self, day: date) -> bool:
        return PowerItem.in_force_on(self, day)  # type: ignore[arg-type]  # the entity's rule on these values


def _yuan(fen: int | None) -> Decimal | None:
    """Money as models.base.Money loads it: integer fen to Decimal yuan with two places."""
    return None if fen is None else Decimal(fen).scaleb(-2)


class Event:
    """A CaseEvent to be: what services.procedures.deadlines reads of it, and what the row stores."""

    __slots__ = ("action", "from_status", "to_status", "on_date", "note", "data")

    def __init__(self, action: CaseAction, source: S, target: S, on: date, note: str, data: dict[str, Any]) -> None:
        self.action, self.from_status, self.to_status, self.on_date, self.note, self.data = \
            action, source, target, on, note, data


class CaseDraft:
    """A penalty case being made: PenaltyCase's attribute names, plus what the generator needs to write it."""

    def __init__(self, key: int, party: PartyRef, item: ItemRef, registered: date, act_date: date) -> None:
        self.key = key  # orders same-day number requests
        self.plan = "general"  # or "summary": the procedure the generator means it to take
        self.id = 0
        self.uid = ""
        self.procedure = Procedure.GENERAL
        self.status = S.CLUE
        self.source = CaseSource.INSPECTION
        self.source_inspection_id: int | None = None
        self.party, self.power_item = party, item
        self.cause = self.place = self.facts = self.domain = ""
        self.act_date, self.act_ended_on = act_date, None
        self.discovered_on = self.registered_on = registered
        self.harmful_consequences = self.major_public_interest = self.complex_case = False
        self.legal_review_required = self.collective_required = self.party_is_minor = False
        self.hearing_rights = self.statement_waived = self.warning_only = False
        self.filed_on: date | None = None
        self.legal_review_passed_on: date | None = None
        self.collective_discussed_on: date | None = None
        self.proposed_outcome: ProposedOutcome | None = None
        self.proposed_fine: Decimal | None = None
        self.discretion_tier: DiscretionTierName | None = None
        self.discretion_reasons = ""
        self.number = self.notice_number = self.decision_number = self.receipt_number = self.terminated_reason = ""
        self.notified_on: date | None = None
        self.notified_fine: Decimal | None = None
        self.hearing_requested_on: date | None = None
        self.hearing_held_on: date | None = None
        self.decision_date: date | None = None
        self.fine_amount: Decimal | None = None
        self.confiscation_amount: Decimal | None = None
        self.no_penalty_ground: NoPenaltyGround | None = None
        self.served_on: date | None = None
        self.service_method: ServiceMethod | None = None
        self.paid_amount: Decimal | None = None
        self.paid_on: date | None = None
        self.surcharge_paid: Decimal | None = None
        self.enforcement_started_on: date | None = None
        self.disclosed_on: date | None = None
        self.summary_filed_on: date | None = None
        self.closed_on: date | None = None
        self.archived_on: date | None = None
        self.extension_days = self.suspended_days = 0
        self.reference_version = ""
        self.events: list[Event] = []
        self.updated_at: datetime | None = None  # set when written (the last event's time)
        self.officers: tuple[OfficerRef, ...] = ()  # the investigators, lead first (case_officer)
        self.registrar: OfficerRef | None = None  # who registered the clue
        self.measure: dict[str, Any] | None = None  # a seizure or impoundment (coercion.py)
        self.transfer: dict[str, Any] | None = None  # the 移送 record (coercion.py)
        self.number_requests: list[tuple[str, int, tuple[tuple[Any, str], ...]]] = []


class Steps:
    """Each public method is one step of services/procedures/cases/ on a draft, on day ``on``."""

    def __init__(self, settings: Settings, cal: WorkCalendar) -> None:
        self.settings, self.cal = settings, cal

    def take(self, c: CaseDraft, action: CaseAction, on: date, step: Callable[[], tuple[S, str, dict[str, Any]]]) -> None:
        """Run one step as _apply_step does: the machine's edge, the step's guards, the event."""
        source = c.status
        if not can(action, source):
            raise AssertionError(f"demo case {c.key}: {ACTION_LABELS[action]} is not a step from {source}")
        try:
            target, note, data = step()
        except AppError as exc:
            raise AssertionError(f"demo case {c.key}: {ACTION_LABELS[action]} on {on} refused: {exc}") from exc
        check_edge(action, source, target)
        c.events.append(Event(action, source, target, on, note, data))
        c.status = target

    @staticmethod
    def _number(c: CaseDraft, doc_type: str, on: date, *targets: tuple[Any, str]) -> None:
        """Ask for the number next_number would give on ``on`` (handed out once the case's plan is final)."""
        c.number_requests.append((doc_type, on.toordinal(), targets))

    # -- the steps, in procedure order ---------------------------------------------------------------

    def file(self, c: CaseDraft, on: date, officers: tuple[OfficerRef, ...]) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_filing(c, list(officers), on, self.settings)  # type: ignore[arg-type]
            c.filed_on, c.officers = on, officers
            data: dict[str, Any] = {"officers": [o.uid for o in officers], "number": ""}
            self._number(c, "case_filing", on, (c, "number"), (data, "number"))
            return S.INVESTIGATING, "", data
        self.take(c, A.FILE, on, step)

    def refuse_filing(self, c: CaseDraft, on: date, reason: str) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            c.closed_on = on
            return S.NOT_FILED, reason, {}
        self.take(c, A.REFUSE_FILING, on, step)

    def conclude(self, c: CaseDraft, on: date, outcome: ProposedOutcome, *, tier: DiscretionTierName | None = None,
                 fine: Decimal | None = None, reasons: str = "", complex_case: bool = False,
                 ground: NoPenaltyGround | None = None) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            c.party_is_minor = rules.check_conclusion(c, on, outcome, tier, fine, ground)  # type: ignore[arg-type]
            if outcome is ProposedOutcome.PENALTY:
                c.proposed_fine = fine
            c.proposed_outcome, c.discretion_tier, c.discretion_reasons = outcome, tier, reasons
            c.complex_case = complex_case
            c.no_penalty_ground = ground if outcome is ProposedOutcome.NO_PENALTY else None
            rules.refresh_review_flags(c, self.settings)  # type: ignore[arg-type]
            return S.REVIEWING, "", {"outcome": outcome.value, "fine": str(c.proposed_fine or ""),
                                     "tier": tier.value if tier else ""}
        self.take(c, A.CONCLUDE, on, step)

    def legal_review(self, c: CaseDraft, on: date, reviewer: OfficerRef) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_legal_reviewer(reviewer, (o.id for o in c.officers))  # type: ignore[arg-type]
            c.legal_review_passed_on = on
            return c.status, "事实清楚，证据确凿，程序合法，适用依据正确，同意", {"passed": True, "reviewer": reviewer.uid}
        self.take(c, A.LEGAL_REVIEW, on, step)

    def collective(self, c: CaseDraft, on: date) -> None:
        participants = ["镇长", "分管副镇长", "综合行政执法中队长"]

        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_collective(participants)
            c.collective_discussed_on = on
            return c.status, "同意按拟定意见作出处罚决定", {"participants": participants}
        self.take(c, A.COLLECTIVE, on, step)

    def notify(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            amount = rules.check_notice(c, c.proposed_fine)  # type: ignore[arg-type]
            c.notified_fine = c.proposed_fine = amount
            c.notified_on = on
            c.hearing_rights = rules.hearing_rights(c, amount, self.settings)  # type: ignore[arg-type]
            rules.refresh_review_flags(c, self.settings)  # type: ignore[arg-type]
            data: dict[str, Any] = {"fine": str(amount), "hearing_rights": c.hearing_rights, "number": ""}
            self._number(c, "prior_notice", on, (c, "notice_number"), (data, "number"))
            return S.NOTIFIED, "", data
        self.take(c, A.NOTIFY, on, step)

    def statement(self, c: CaseDraft, on: date, text: str, new_fine: Decimal | None = None) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            if new_fine is not None:
                rules.check_statement_fine(c, new_fine)  # type: ignore[arg-type]
                c.proposed_fine = new_fine
            return c.status, text, {"adopted": new_fine is not None,
                                    "new_fine": str(new_fine) if new_fine is not None else ""}
        self.take(c, A.STATEMENT, on, step)

    def waive(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_waiver(True)  # the party's written waiver is on file
            c.statement_waived = True
            return S.PENDING_DECISION, "", {}
        self.take(c, A.WAIVE, on, step)

    def request_hearing(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_hearing_request(c, on, self.settings, self.cal)  # type: ignore[arg-type]
            c.hearing_requested_on = on
            return S.HEARING, "", {}
        self.take(c, A.REQUEST_HEARING, on, step)

    def hold_hearing(self, c: CaseDraft, on: date, notice_served_on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_hearing_notice(notice_served_on, on, self.cal)
            c.hearing_held_on = on
            rules.refresh_review_flags(c, self.settings)  # type: ignore[arg-type]
            return S.PENDING_DECISION, "当事人对违法事实无异议，请求从轻处罚", {"attended": True}
        self.take(c, A.HOLD_HEARING, on, step)

    def suspend(self, c: CaseDraft, on: date, days: int, reason: str) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            c.suspended_days += days
            return c.status, reason, {"days": days}
        self.take(c, A.SUSPEND, on, step)

    def end_statement(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_statement_period_over(c, on, self.settings, self.cal)  # type: ignore[arg-type]
            return S.PENDING_DECISION, "", {}
        self.take(c, A.END_STATEMENT, on, step)

    def decide(self, c: CaseDraft, on: date, fine: Decimal) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_decision(c, on, fine, self.settings, self.cal)  # type: ignore[arg-type]
            c.decision_date, c.fine_amount, c.warning_only = on, fine, fine == 0
            data: dict[str, Any] = {"fine": str(fine), "number": ""}
            self._number(c, "penalty_decision", on, (c, "decision_number"), (data, "number"))
            return S.DECIDED, "", data
        self.take(c, A.DECIDE, on, step)

    def decide_no_penalty(self, c: CaseDraft, on: date, ground: NoPenaltyGround, reasons: str) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_no_penalty(c, on, ground, self.settings, self.cal)  # type: ignore[arg-type]
            c.no_penalty_ground, c.decision_date = ground, on
            data: dict[str, Any] = {"ground": ground.value, "number": ""}
            self._number(c, "no_penalty_decision", on, (c, "decision_number"), (data, "number"))
            return S.NO_PENALTY, reasons, data
        self.take(c, A.DECIDE_NO_PENALTY, on, step)

    def transfer(self, c: CaseDraft, on: date, kind: TransferKind, org: str, reason: str, memo: str) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            data: dict[str, Any] = {"kind": kind.value, "to": org, "number": ""}
            c.transfer = dict(case=c, ins=None, kind=kind.value, day=on.toordinal(), org=org, reason=reason, memo=memo)
            self._number(c, "transfer", on, (c.transfer, "number"), (data, "number"))
            c.closed_on = None
            return S.TRANSFERRED, reason, data
        self.take(c, A.TRANSFER, on, step)

    def serve(self, c: CaseDraft, on: date, method: ServiceMethod) -> None:
        if method is ServiceMethod.ELECTRONIC and lg.service_consent(c, on) is None:  # type: ignore[arg-type]
            # the party signs the 电子送达确认书 when the decision is announced (第六十一条第二款)
            address = f"party{c.party.id}@example.cn" if c.party is not None else "party@example.cn"
            self.take(c, A.RECORD_CONSENT, on, lambda: (c.status, "", {"address": address, "signed": True}))

        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_dated_after_decision(c, on, "送达")  # type: ignore[arg-type]
            data: dict[str, Any] = {"method": method.value, "recipient": ""}
            note = ""
            if method is ServiceMethod.ELECTRONIC:
                consent = lg.check_electronic_service(c, on)  # type: ignore[arg-type]
                note = f"当事人同意电子送达并签订确认书，确认的送达地址：{consent['address']}"
                data["address"] = consent["address"]
            c.served_on, c.service_method = on, method
            return rules.status_after_service(c), note, data  # type: ignore[arg-type]
        self.take(c, A.SERVE, on, step)

    def refusal(self, c: CaseDraft, on: date) -> None:
        """噪声污染防治法第八十二条: persuaded and ordered to correct when found, refused at the recheck."""
        ordered = c.registered_on

        def step() -> tuple[S, str, dict[str, Any]]:
            facts = "执法人员当场说服教育并责令改正，复查时当事人仍未改正"
            number = f"现场责改〔{ordered.year}〕{ordered:%m%d}号"
            lg.check_refusal_input(on=on, ordered_on=ordered, order_number=number, deadline=None, refused_on=on,
                                   educated=True, facts=facts)
            return c.status, facts, {"educated": True, "ordered_on": ordered.isoformat(), "order_number": number,
                                     "deadline": "", "refused_on": on.isoformat()}
        self.take(c, A.RECORD_REFUSAL, on, step)

    def schedule_hearing(self, c: CaseDraft, on: date, hearing_on: date) -> None:
        """听证通知书: the hearing's date fixed when the notice is served (第六十四条第（二）项)."""
        def step() -> tuple[S, str, dict[str, Any]]:
            lg.check_hearing_schedule(on, hearing_on, self.settings, self.cal)
            return c.status, "", {"hearing_on": hearing_on.isoformat(), "time": "09:30",
                                  "place": "镇人民政府会议室", "presider": "", "clerk": "", "members": "",
                                  "public": True}
        self.take(c, A.SCHEDULE_HEARING, on, step)

    def surcharge_owed(self, c: CaseDraft, on: date) -> Decimal:
        return rules.surcharge_owed(c, on, self.settings, self.cal)  # type: ignore[arg-type]

    def pay(self, c: CaseDraft, on: date, amount: Decimal, receipt: str) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            owed = self.surcharge_owed(c, on)
            target = rules.apply_payment(c, amount, receipt, owed)  # type: ignore[arg-type]
            c.paid_on, c.receipt_number = on, receipt
            return target, "", {"amount": str(amount), "surcharge_due": str(owed), "receipt": receipt}
        self.take(c, A.PAY, on, step)

    def enforce(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_enforcement(c, on, self.settings, self.cal)  # type: ignore[arg-type]
            c.enforcement_started_on = on
            return S.ENFORCING, "", {}
        self.take(c, A.ENFORCE, on, step)

    def close(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_close(c)  # type: ignore[arg-type]
            c.closed_on = on
            return S.CLOSED, "", {}
        self.take(c, A.CLOSE, on, step)

    def archive(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            c.archived_on = on
            return S.ARCHIVED, "", {}
        self.take(c, A.ARCHIVE, on, step)

    def disclose(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            rules.check_dated_after_decision(c, on, "公示")  # type: ignore[arg-type]
            c.disclosed_on = on
            return c.status, "", {"channel": "政府门户网站"}
        self.take(c, A.DISCLOSE, on, step)

    def terminate(self, c: CaseDraft, on: date, reason: str) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            c.terminated_reason, c.closed_on = reason, on
            return S.TERMINATED, reason, {}
        self.take(c, A.TERMINATE, on, step)

    def summary_decide(self, c: CaseDraft, on: date, officers: tuple[OfficerRef, ...], fine: Decimal,
                       paid_on_spot: bool, receipt: str) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            c.procedure = Procedure.SUMMARY
            rules.check_summary(c, list(officers), on, fine, paid_on_spot, receipt, self.settings)  # type: ignore[arg-type]
            c.officers = officers
            c.decision_date = c.served_on = on
            c.service_method = ServiceMethod.DIRECT
            c.fine_amount, c.warning_only = fine, fine == 0
            if paid_on_spot:
                c.paid_amount, c.paid_on, c.receipt_number = fine, on, receipt
            data: dict[str, Any] = {"fine": str(fine), "number": "", "paid_on_spot": paid_on_spot}
            if c.power_item is not None and statute_facts(c.power_item.code).refusal_first:
                # 噪声污染防治法第八十二条: ordered on the spot and refused, kept with the decision (summary_refusal)
                data["refusal"] = {"educated": True, "ordered_on": on.isoformat(),
                                   "order_number": f"现场责改〔{on.year}〕{on:%m%d}号", "refused_on": on.isoformat(),
                                   "facts": "经说服教育并责令当场改正，当事人拒不改正"}
            # The on-the-spot decision's number is also the case's number (summary_penalty).
            self._number(c, "summary_decision", on, (c, "decision_number"), (c, "number"), (data, "number"))
            return S.SUMMARY_DECIDED, "", data
        self.take(c, A.SUMMARY_DECIDE, on, step)

    def summary_file(self, c: CaseDraft, on: date) -> None:
        def step() -> tuple[S, str, dict[str, Any]]:
            c.summary_filed_on = on
            return c.status, "", {}
        self.take(c, A.SUMMARY_FILE, on, step)
