"""One declaration of the rules of each stored column: its type and domain, checked wherever a value comes in.

The base rule of a column comes from its SQLAlchemy type: ``String(n)`` holds at most n characters, ``Text`` at
most :data:`TEXT_MAX`; ``Integer`` fits PostgreSQL's 4-byte INTEGER (so SQLite, whose integers are 8 bytes,
refuses exactly what PostgreSQL refuses); ``Money`` (integer fen in a BIGINT) is non-negative and at most
:data:`MONEY_MAX_YUAN`; a date or a time is a real calendar value, written in ASCII digits, between
:data:`DATE_FLOOR` and a few years after today. The overrides below narrow that per column where a real record has
a narrower domain (a birth date from 1900 and not after today, a year of a document number, a number of days,
a JSON document's depth and size).

Three places check values against these rules, so there is one rule per column:

* bundles from other devices, before the merge (services/sync/tables.py and validate.py, docs/sync-bundle.md
  §Value checks and limits): a value outside its rule quarantines its record with the field and the reason;
* the Excel ledger import (services/district/ledger_import.py): each ledger column names the stored column it
  fills;
* the forms' money and date fields (services/procedures/actions.py ``coerce``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

MONEY_MAX_YUAN = Decimal("10000000000")  # 1e10 yuan: far above any fine or dispute a township handles
MONEY_MAX_FEN = int(MONEY_MAX_YUAN * 100)
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL's INTEGER; SQLite's 64 bits hold it
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
TEXT_MAX = 100_000  # characters of a Text column without an override (a case's facts run to a few thousand)
DATE_FLOOR = date(2000, 1, 1)  # records of township enforcement before this are not kept in the application
YEARS_AHEAD = 5  # a date may lie this many years after today (deadlines, planned dates)
JSON_DEPTH = 32  # nesting of a JSON text column


@dataclass(frozen=True, slots=True)
class Range:
    """An integer range (money: in fen)."""

    lo: int
    hi: int


@dataclass(frozen=True, slots=True)
class DateRange:
    """From ``floor`` to ``ahead`` years after today (0: not after today)."""

    floor: date
    ahead: int

    def bounds(self, today: date) -> tuple[date, date]:
        year = min(today.year + self.ahead, 9999)
        try:
            return self.floor, today.replace(year=year)
        except ValueError:  # 29 February in a year that has none
            return self.floor, date(year, 2, 28)


@dataclass(frozen=True, slots=True)
class JsonText:
    """A text column holding one JSON object, or one JSON list with ``array`` (an empty text reads as empty)."""

    max_chars: int
    depth: int = JSON_DEPTH
    array: bool = False


DEFAULT_DATES = DateRange(DATE_FLOOR, YEARS_AHEAD)
RECORDED = DateRange(DATE_FLOOR, 1)  # times a device stamped when something happened: not years ahead
MONEY = Range(0, MONEY_MAX_FEN)
DAYS = Range(0, 3650)

# Per-column overrides: "table.column", or "column" for every table that has it.
INT_RANGES: dict[str, Range] = {
    "version": Range(1, INT_MAX),
    "year": Range(2000, 2100),
    "seq": Range(0, 9_999_999),
    "number_block.first": Range(1, 9_999_999),
    "number_block.last": Range(1, 9_999_999),
    "number_block.next_seq": Range(1, 10_000_000),
    "position": Range(0, 100_000),
    "rank": Range(0, 1_000),
    "item_version": Range(1, 100_000),
    "training.hours": Range(0, 1_000),
    "officer_turnout": Range(0, 10_000),
    "vehicle_turnout": Range(0, 10_000),
    "businesses_inspected": Range(0, 100_000),
    "extension_days": DAYS,
    "suspended_days": DAYS,
    "period_days": DAYS,
    "extended_days": DAYS,
    "excluded_days": DAYS,
}
DATE_RANGES: dict[str, DateRange] = {
    "party.birth_date": DateRange(date(1900, 1, 1), 0),
    "case_interview.birth_date": DateRange(date(1900, 1, 1), 0),  # the person interviewed (models/case_records.py)
    "officer.cert_valid_from": DateRange(date(1980, 1, 1), 1),
    "officer.cert_valid_to": DateRange(date(1980, 1, 1), 30),
    "mediation_committee.term_start": DateRange(date(1980, 1, 1), 5),
    "mediation_committee.term_end": DateRange(date(1980, 1, 1), 10),
    "power_item.effective_from": DateRange(date(1980, 1, 1), 10),
    "power_item.effective_to": DateRange(date(1980, 1, 1), 50),
    # An offence may have been committed, and found, before the application was in use.
    "penalty_case.act_date": DateRange(date(1990, 1, 1), 0),
    "penalty_case.act_ended_on": DateRange(date(1990, 1, 1), 0),
    "penalty_case.discovered_on": DateRange(date(1990, 1, 1), 0),
    "created_at": RECORDED,
    "updated_at": RECORDED,
    "deleted_at": RECORDED,
    "issued_at": RECORDED,
    "taken_at": RECORDED,
    "case_event.at": RECORDED,
}
JSON_COLUMNS: dict[str, JsonText] = {
    "case_event.data": JsonText(64 * 1024),
    "issued_document.snapshot": JsonText(2 * 1024 * 1024, depth=64),
    # models/case_records.py: officer lists, an interview's questions and answers, a written record's fields
    "case_interview.interviewer_uids": JsonText(64 * 1024, array=True),
    "case_interview.qa": JsonText(512 * 1024, array=True),
    "service_record.server_uids": JsonText(64 * 1024, array=True),
    "case_record.officer_uids": JsonText(64 * 1024, array=True),
    "case_record.content": JsonText(512 * 1024),
}
TEXT_LIMITS: dict[str, int] = {
    "device.public_key": 1_000,
}


T = TypeVar("T")


def _pick(table: str, column: str, rules: dict[str, T]) -> T | None:
    got = rules.get(f"{table}.{column}")
    return got if got is not None else rules.get(column)


def int_range(table: str, column: str, *, money: bool = False, big: bool = False) -> Range:
    if money:
        return MONEY
    return _pick(table, column, INT_RANGES) or (Range(BIGINT_MIN, BIGINT_MAX) if big else Range(INT_MIN, INT_MAX))


def date_range(table: str, column: str) -> DateRange:
    return _pick(table, column, DATE_RANGES) or DEFAULT_DATES


def text_limit(table: str, column: str, length: int | None) -> int:
    """Characters a text column holds: its String(n), else its override, else :data:`TEXT_MAX`."""
    if length:
        return int(length)
    rule = json_rule(table, column)
    return rule.max_chars if rule is not None else _pick(table, column, TEXT_LIMITS) or TEXT_MAX


def json_rule(table: str, column: str) -> JsonText | None:
    return _pick(table, column, JSON_COLUMNS)


# -- checks shared by the forms, the ledger import and the sync validation (Chinese reasons) -----------------


def money_problem(yuan: Decimal) -> str | None:
    """Why an amount in yuan cannot be stored, or None."""
    if not yuan.is_finite():
        return "金额无效"
    if yuan < 0:
        return "金额不能为负数"
    if yuan > MONEY_MAX_YUAN:
        return f"金额超过上限（{MONEY_MAX_YUAN:,.0f} 元）"
    if yuan != yuan.quantize(Decimal("0.01")):
        return "金额最多两位小数"
    return None


def date_problem(day: date, rule: DateRange, today: date) -> str | None:
    """Why a date is outside its column's plausible range, or None."""
    lo, hi = rule.bounds(today)
    if day < lo or day > hi:
        return f"日期 {day.isoformat()} 不在合理范围内（{lo.isoformat()} 至 {hi.isoformat()}）"
    return None


def json_depth(value: object) -> int:
    """Nesting depth of a decoded JSON value, level by level (no recursion however deep)."""
    depth, level = 0, [value]
    while level:
        nxt: list[object] = []
        for v in level:
            if isinstance(v, dict):
                nxt.extend(v.values())
            elif isinstance(v, list):
                nxt.extend(v)
        if nxt:
            depth += 1
        level = nxt
    return depth


def json_problem(text: str, rule: JsonText) -> str | None:
    """Why a JSON text column's value is unusable, or None. The parser gives up (RecursionError) long before a
    deep document could exhaust the stack; the depth of what it returns is then measured without recursion."""
    if len(text) > rule.max_chars:
        return f"内容过长（{len(text)} 字符，上限 {rule.max_chars}）"
    if not text:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return "不是有效的 JSON"
    if rule.array and not isinstance(value, list):
        return "应为 JSON 列表"
    if not rule.array and not isinstance(value, dict):
        return "应为 JSON 对象"
    if text.count("[") + text.count("{") > rule.depth and json_depth(value) > rule.depth:
        return f"JSON 嵌套过深（超过 {rule.depth} 层）"
    return None
