"""The penalty family's rows: cases, their officers and events, seizures with their item lists, and the transfers
(移送) of cases and inspections. An open case's deadlines are computed from its draft by services.procedures
.deadlines, exactly as a step stores them; a closed one keeps none (as services/procedures/recompute.py treats a
record that arrives closed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from models.base import SHANGHAI
from models.enums import RecordKind
from services.procedures import deadlines as dl
from services.procedures.recompute import OPEN_CASE
from tools.demo.bulk.context import Context
from tools.demo.bulk.penalty_steps import CaseDraft

CASE_COLS = (
    "township_id", "number", "procedure", "status", "source", "source_inspection_id", "cause", "power_item_id",
    "party_id", "domain", "place", "facts", "act_date", "act_ended_on", "discovered_on", "registered_on", "filed_on",
    "harmful_consequences", "major_public_interest", "complex_case", "legal_review_required",
    "legal_review_passed_on", "collective_required", "collective_discussed_on", "proposed_outcome", "proposed_fine",
    "discretion_tier", "discretion_reasons", "party_is_minor", "notice_number", "notified_on", "notified_fine",
    "hearing_rights", "statement_waived", "hearing_requested_on", "hearing_held_on", "decision_number",
    "decision_date", "fine_amount", "confiscation_amount", "warning_only", "no_penalty_ground", "served_on",
    "service_method", "paid_amount", "paid_on", "surcharge_paid", "receipt_number", "enforcement_started_on",
    "disclosed_on", "summary_filed_on", "closed_on", "archived_on", "terminated_reason", "extension_days",
    "suspended_days", "reference_version",
)
_MONEY = frozenset({"proposed_fine", "notified_fine", "fine_amount", "confiscation_amount", "paid_amount",
                    "surcharge_paid"})
_FLAGS = frozenset({"harmful_consequences", "major_public_interest", "complex_case", "legal_review_required",
                    "collective_required", "party_is_minor", "hearing_rights", "statement_waived", "warning_only"})
_DATES = frozenset({"act_date", "act_ended_on", "discovered_on", "registered_on", "filed_on", "legal_review_passed_on",
                    "collective_discussed_on", "notified_on", "hearing_requested_on", "hearing_held_on",
                    "decision_date", "served_on", "paid_on", "enforcement_started_on", "disclosed_on",
                    "summary_filed_on", "closed_on", "archived_on"})


def _column(col: str) -> Callable[[CaseDraft], Any]:
    """How the ORM column types store a draft's value in SQLite: ISO dates, integer fen, 0/1; an enum member is
    its value already (a StrEnum binds as its text)."""
    if col == "power_item_id":
        return lambda c: c.power_item.id
    if col == "party_id":
        return lambda c: c.party.id
    get = attrgetter(col)
    if col in _MONEY:
        return lambda c: None if (v := get(c)) is None else int(v * 100)
    if col in _FLAGS:
        return lambda c: int(get(c))
    if col in _DATES:
        return lambda c: None if (v := get(c)) is None else v.isoformat()
    return get


def write_cases(ctx: Context, cases: list[CaseDraft], transfers: list[dict[str, Any]]) -> None:
    rng, uid, dev = ctx.rng, ctx.uid, ctx.device_uid
    tc = ctx.tables[RecordKind.PENALTY_CASE]
    to = ctx.table(RecordKind.CASE_OFFICER, ("case_id", "officer_id", "lead"))
    te = ctx.table(RecordKind.CASE_EVENT, ("case_id", "action", "from_status", "to_status", "on_date", "at", "actor",
                                  "note", "data"))
    columns = [_column(col) for col in CASE_COLS[1:]]  # township_id first, then the draft's own values
    dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
    for c in cases:
        created = ctx.ts(c.registered_on.toordinal(), 540 + rng.randrange(480), rng.randrange(60))
        updated = created
        actor = (c.officers[0] if c.officers else c.registrar).name  # type: ignore[union-attr]
        for ev in c.events:
            at = ctx.ts(ev.on_date.toordinal(), 540 + rng.randrange(480), rng.randrange(60))
            if at < updated:
                at = updated
            updated = at
            te.rows.append((ctx.next_id(te), uid(), dev, 1, at, at, c.id, ev.action, ev.from_status,
                            ev.to_status, ev.on_date.isoformat(), at, actor, ev.note,
                            dumps(ev.data) if ev.data else "{}"))
        for k, officer in enumerate(c.officers):
            to.rows.append((ctx.next_id(to), uid(), dev, 1, created, created, c.id, officer.id, 1 if k == 0 else 0))
        tc.rows.append((c.id, c.uid, dev, len(c.events) + 1, created, updated, ctx.township_id,
                        *[column(c) for column in columns]))
        if c.status in OPEN_CASE:
            c.updated_at = datetime.fromisoformat(updated).replace(tzinfo=UTC).astimezone(SHANGHAI)  # as loaded
            for spec in dl.case_deadlines(c, ctx.settings, ctx.cal):  # type: ignore[arg-type]
                ctx.deadline(RecordKind.PENALTY_CASE, c.id, spec)
        if c.transfer is not None:
            transfers.append(c.transfer)
    _write_measures(ctx, cases)


def _write_measures(ctx: Context, cases: list[CaseDraft]) -> None:
    uid, dev, iso = ctx.uid, ctx.device_uid, ctx.iso
    tm = ctx.table(RecordKind.COERCIVE_MEASURE, ("case_id", "kind", "decision_number", "started_on", "period_days",
                                        "extended_days", "excluded_days", "place", "reason", "status", "ended_on",
                                        "end_reason"))
    ti = ctx.table(RecordKind.COERCIVE_ITEM, ("measure_id", "position", "name", "spec", "quantity", "unit", "note"))
    end_reasons = {"released": "违法行为已改正，解除查封（扣押）", "confiscated": "依法予以没收",
                   "destroyed": "依法予以销毁", "active": ""}
    for c in cases:
        m = c.measure
        if m is None:
            continue
        mid = ctx.next_id(tm)
        created = ctx.ts(m["start"], 600)
        updated = ctx.ts(m["end"], 600) if m["end"] else created
        tm.rows.append((mid, uid(), dev, 1, created, updated, c.id, m["kind"], m["number"], iso(m["start"]),
                        m["period"], 0, 0, c.place, "为防止证据损毁、便于查清违法事实，依法采取行政强制措施。", m["status"],
                        iso(m["end"]), end_reasons[m["status"]]))
        for pos, good in enumerate(m["goods"]):
            ti.rows.append((ctx.next_id(ti), uid(), dev, 1, created, created, mid, pos, good.name, good.spec,
                            good.quantity, good.unit, ""))
        if m["status"] == "active":
            stand = _Measure(m["period"], ctx.day(m["start"]))
            ctx.deadline(RecordKind.COERCIVE_MEASURE, mid, dl.coercive_deadline(stand, ctx.cal))  # type: ignore[arg-type]


class _Measure:
    """An active measure's values as services.procedures.deadlines.coercive_deadline reads them."""

    __slots__ = ("period_days", "extended_days", "excluded_days", "started_on", "ended_on")

    def __init__(self, period: int, started_on: Any) -> None:
        self.period_days, self.extended_days, self.excluded_days = period, 0, 0
        self.started_on, self.ended_on = started_on, None


def write_transfers(ctx: Context, transfers: list[dict[str, Any]]) -> None:
    """移送 records of cases (TRANSFER step) and of inspections (result 移送), numbered in date order."""
    uid, dev, iso = ctx.uid, ctx.device_uid, ctx.iso
    tt = ctx.table(RecordKind.TRANSFER, ("township_id", "kind", "case_id", "inspection_id", "receiving_org", "memo_reference",
                                "reason", "materials", "number", "transferred_on"))
    transfers.sort(key=lambda tr: (tr["day"], tr["number"]))
    for tr in transfers:
        created = ctx.ts(tr["day"], 600)
        case, ins = tr.get("case"), tr.get("ins")
        tt.rows.append((ctx.next_id(tt), uid(), dev, 1, created, created, ctx.township_id, tr["kind"],
                        case.id if case is not None else None, ins.id if ins is not None else None, tr["org"],
                        tr.get("memo", ""), tr["reason"], "案件材料一宗（含现场检查笔录、照片）" if case is not None else "",
                        tr["number"], iso(tr["day"])))
