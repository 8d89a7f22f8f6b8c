"""Validation of incoming records, compiled once per table from its metadata (services/sync/tables.py).

Every value is checked against its column's declared type *and domain* (models/column_rules.py): text within its
``String(n)`` (or Text) length, valid UTF-8 without U+0000; integers within PostgreSQL's INTEGER (money: 0 … 1e10
yuan in fen) and the column's plausible range; dates and times real calendar values in ASCII digits within the
column's plausible years; enums in their set; JSON text columns parsed, within their size and depth. A value
outside its rule quarantines its record with the field and the reason (docs/sync-bundle.md §Value checks and limits).

A batch is checked column by column with C-level helpers (``map``, ``set``, ``min``/``max``, stride slices of one
joined string) instead of a Python loop over every field of every record: for the ~1M rows of a township bundle
the per-field loop was a third of the import (bench/README.md). The fast check accepts exactly what the
per-record check (:meth:`TableValidator.convert`) accepts: a batch in which one column does not pass as a whole
is re-checked record by record, and only that path produces the Chinese reason of each failing record. So the
fast path can make a valid batch cheaper, never an invalid record pass. Whatever a record's content makes the
per-record check raise — not only :class:`Invalid` — quarantines that record alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache, partial
from itertools import repeat
from operator import add, is_not, itemgetter, methodcaller
from typing import Any

from models import column_rules as rules
from models.sealed import SEALED_COLUMNS
from services.core.cipher import FIELD_PREFIX
from services.sync.tables import MISSING, UUID_TEXT, ColumnSpec, Invalid, TableSpec, column_spec, shown

NoneType = type(None)
Column = Sequence[Any]
ColumnCheck = Callable[[Column], bool]
ValueCheck = Callable[[Any], Any]
Checked = tuple[list[dict[str, Any]], list[Column], list[tuple[dict[str, Any], str]]]

_not_none = partial(is_not, None)
_scan_once: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_DATE_PART = itemgetter(slice(0, 10))


def _typed(allowed: frozenset[type]) -> ColumnCheck:
    def check(col: Column) -> bool:
        return set(map(type, col)) <= allowed

    return check


def _utf8(joined: str) -> bool:
    """Text the databases can store: no lone surrogate (JSON's "\\ud800"), which UTF-8 cannot encode, and no
    U+0000 (PostgreSQL refuses it). The NUL is looked for in the encoded bytes: memchr, not a scan of the str."""
    try:
        return b"\x00" not in joined.encode("utf-8")
    except UnicodeEncodeError:
        return False


def _json_ok(values: list[str], rule: rules.JsonText) -> bool:
    """Every value (non-empty text) one JSON object (a list with ``rule.array``) within the rule's depth: what
    rules.json_problem accepts."""
    try:
        found = list(map(_scan_once, values, repeat(0)))  # a StopIteration ends map early: caught by the length
    except (ValueError, RecursionError):
        return False
    if len(found) != len(values):
        return False
    parsed, ends = zip(*found, strict=True)
    if list(ends) != list(map(len, values)) or not set(map(type, parsed)) <= {list if rule.array else dict}:
        return False
    shallow = max(map(add, map(str.count, values, repeat("{")), map(str.count, values, repeat("[")))) <= rule.depth
    return shallow or all(rules.json_depth(p) <= rule.depth for p in parsed)


def _text(allowed: frozenset[type], limit: int, json_rule: rules.JsonText | None, sealed: bool = False
          ) -> ColumnCheck:
    """Text within ``limit`` characters, without U+0000 (PostgreSQL cannot store it, so it is refused on SQLite
    too: the same outcome on both), valid UTF-8. One C-level join per column and batch, not a test per value.
    A sealed column (models/sealed.py) holds no value already in sealed form (:data:`SEALED_FORM`)."""
    def check(col: Column) -> bool:
        if not set(map(type, col)) <= allowed:
            return False
        values = list(filter(None, col))
        if not values:
            return True
        if max(map(len, values)) > limit:
            return False
        if not _utf8("\x01".join(values)):
            return False
        if sealed and any(map(methodcaller("startswith", FIELD_PREFIX), values)):
            return False
        return json_rule is None or _json_ok(values, json_rule)

    return check


# A bundle carries sealed columns in the clear inside its own encryption (services/sync/sealed.py): a value in
# sealed form (``ed1:…``) was sealed under some other database's key. Stored as it came, the receiver could never
# open it, and its own verify would report the row as damaged — one township's key making the district's
# database look damaged. The ORM's sealing treats such a text as sealed too, so no record can hold it as plaintext.
SEALED_FORM = "是加密后的形式：同步包中的个人信息应为明文（由发送方导出时解密），本机无法打开"


def _ranged(allowed: frozenset[type], lo: int, hi: int) -> ColumnCheck:
    def check(col: Column) -> bool:
        if not set(map(type, col)) <= allowed:
            return False
        values = list(filter(_not_none, col)) if NoneType in allowed else col
        return not values or (lo <= min(values) and max(values) <= hi)

    return check


# The fixed layouts of the patterns in services/sync/tables.py: "d" is an ASCII digit (not a full-width or other
# Unicode digit, which str.isdecimal alone would take), "h" a lower-case hex digit, anything else that literal
# character. A datetime without microseconds is valid but not canonical: it fails here and convert normalises it.
_LAYOUTS = {
    "date": "dddd-dd-dd",  # DATE_RE
    "datetime": "dddd-dd-dd dd:dd:dd.dddddd",  # DATETIME_RE, canonical form
    "uid": "hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh",  # UUID_TEXT
}
_HEX = b"0123456789abcdef"
# (month tens, month units, day tens, day units) of every day some year has, as the stride slices of the joined
# text give them; 29 February is then checked against its year.
_MONTH_DAYS = frozenset((f"{m:02d}"[0], f"{m:02d}"[1], f"{d:02d}"[0], f"{d:02d}"[1])
                        for m, last in enumerate((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), start=1)
                        for d in range(1, last + 1))
_FEB_29 = ("0", "2", "2", "9")
_HOURS = frozenset((f"{h:02d}"[0], f"{h:02d}"[1]) for h in range(24))


def _layout_check(layout: str) -> Callable[[Column], str | None]:
    """Whether every value (all str) has exactly ``layout``, for a whole column at once with C string methods
    instead of one regex match per value: each value has the width; each separator position holds its
    separator in every value (a stride slice); the separator occurs nowhere else (total count); and what is
    left once the separators are removed is all ASCII digits (or hex digits). Returns the values joined (for
    the calendar check's stride slices), or None."""
    width = len(layout)
    seps = [(i, ch) for i, ch in enumerate(layout) if ch not in "dh"]
    per_value = {ch: layout.count(ch) for _i, ch in seps}
    hexadecimal = "h" in layout

    def check(values: Column) -> str | None:
        n = len(values)
        if not set(map(len, values)) <= {width}:
            return None
        joined = "".join(values)
        if any(joined[i::width].count(ch) != n for i, ch in seps):
            return None
        if any(joined.count(ch) != k * n for ch, k in per_value.items()):
            return None
        digits = joined
        for ch in per_value:
            digits = digits.replace(ch, "")
        if not hexadecimal:
            return joined if digits.isascii() and digits.isdecimal() else None
        try:  # deleting every hex digit leaves nothing: a C loop over bytes (non-ASCII cannot be hex anyway)
            return None if digits.encode("ascii").translate(None, _HEX) else joined
        except UnicodeEncodeError:
            return None

    return check


def _calendar(values: Column, joined: str, width: int) -> bool:
    """Real calendar values (all of the layout), from stride slices of the joined text: the month-and-day digits
    of every value one of a calendar's (29 February parsed with its year, each distinct date once, only where it
    occurs), hours below 24 (their pairs looked at only when some hour is 20 or more), minutes and seconds
    below 60."""
    md = set(zip(joined[5::width], joined[6::width], joined[8::width], joined[9::width], strict=True))
    if not md <= _MONTH_DAYS:
        return False
    if _FEB_29 in md:
        try:
            set(map(date.fromisoformat, set(values) if width == 10 else set(map(_DATE_PART, values))))
        except ValueError:
            return False
    if width > 10:
        if not set(joined[11::width]) <= {"0", "1"} and not set(zip(joined[11::width], joined[12::width], strict=True)) <= _HOURS:
            return False
        if max(set(joined[14::width])) > "5" or max(set(joined[17::width])) > "5":
            return False
    return True


def _dated(allowed: frozenset[type], form: str, bounds: tuple[str, str] | None) -> ColumnCheck:
    """Text of the fixed ``form`` (see _LAYOUTS), a real date or time within ``bounds``; null where allowed."""
    layout = _layout_check(_LAYOUTS[form])
    width = len(_LAYOUTS[form])

    def check(col: Column) -> bool:
        if not set(map(type, col)) <= allowed:
            return False
        values = list(filter(_not_none, col)) if NoneType in allowed else col
        if not values:
            return True
        joined = layout(values)
        if joined is None:
            return False
        if form == "uid":
            return True
        if bounds is not None and (min(values) < bounds[0] or max(values) > bounds[1]):
            return False
        return _calendar(values, joined, width)

    return check


def _member(allowed: frozenset[Any], types: frozenset[type]) -> ColumnCheck:
    """Every value one of ``allowed`` (enums, booleans); unhashable values (JSON lists, objects) fail."""

    def check(col: Column) -> bool:
        try:
            return set(map(type, col)) <= types and set(col) <= allowed
        except TypeError:
            return False

    return check


def _bounds(c: ColumnSpec, today: date) -> tuple[str, str] | None:
    """The column's plausible range as texts comparable with its values (whole years: see DateRange)."""
    if c.dates is None:
        return None
    lo, hi = c.dates.bounds(today)
    if c.kind == "datetime":
        return f"{lo.isoformat()} 00:00:00.000000", f"{hi.isoformat()} 23:59:59.999999"
    return lo.isoformat(), hi.isoformat()


def _column_check(c: ColumnSpec, *, is_uid: bool, today: date, sealed: bool = False) -> ColumnCheck:
    null = frozenset({NoneType}) if c.nullable else frozenset()
    if is_uid:  # the uid is also a canonical lower-case UUID (checked last in convert; same verdict here)
        return _dated(frozenset({str}) | null, "uid", None)
    if c.kind in ("str", "fk"):
        return _text(frozenset({str}) | null, c.limit or rules.TEXT_MAX, c.json, sealed)
    if c.kind in ("int", "money"):  # exactly int: JSON true/false (bool) is refused, as in convert
        rng = c.range or rules.Range(rules.BIGINT_MIN, rules.BIGINT_MAX)
        return _ranged(frozenset({int}) | null, rng.lo, rng.hi)
    if c.kind == "float":
        return lambda _col: False  # no synced column is a float: the record-by-record check decides
    if c.kind == "bool":  # true/false or 0/1; SQLite stores True as the integer 1, so no conversion is needed
        return _member(frozenset({0, 1}) | ({None} if c.nullable else set()), frozenset({bool, int}) | null)
    if c.kind in ("date", "datetime"):
        return _dated(frozenset({str}) | null, c.kind, _bounds(c, today))
    if c.kind == "enum":
        if not c.choices:  # an enum without its value set: the record-by-record check decides
            return lambda _col: False
        return _member(c.choices | ({None} if c.nullable else set()), frozenset({str}) | null)
    return lambda _col: False  # an unknown kind: the record-by-record check decides


def _value_check(c: ColumnSpec, today: date, sealed: bool = False) -> ValueCheck:
    """One value of the column, the type check of tables.py followed by the column's domain (Chinese reasons)."""
    typed = c.check
    if c.kind in ("str", "fk"):
        limit, json_rule = c.limit or rules.TEXT_MAX, c.json

        def text(v: Any) -> Any:
            v = typed(v)
            if len(v) > limit:
                raise Invalid(f"文本过长（{len(v)} 字符，上限 {limit}）")
            if not _utf8(v):  # U+0000 was refused by the type check already
                raise Invalid("含有无效的 Unicode 字符（孤立的代理项），数据库不能保存")
            if sealed and v.startswith(FIELD_PREFIX):
                raise Invalid(SEALED_FORM)
            if json_rule is not None:
                problem = rules.json_problem(v, json_rule)
                if problem:
                    raise Invalid(problem)
            return v

        return text
    if c.kind in ("int", "money"):
        rng = c.range or rules.Range(rules.BIGINT_MIN, rules.BIGINT_MAX)
        money = c.kind == "money"

        def ranged(v: Any) -> Any:
            v = typed(v)
            if rng.lo <= v <= rng.hi:
                return v
            if money:
                yuan = f"{v / 100:,.2f}" if abs(v) < 10**30 else shown(v)
                raise Invalid("金额不能为负数" if v < 0 else
                              f"金额 {yuan} 元超过上限（{rules.MONEY_MAX_YUAN:,.0f} 元）")
            raise Invalid(f"数值 {shown(v)} 超出允许范围（{rng.lo}–{rng.hi}）")

        return ranged
    bounds = _bounds(c, today)
    if bounds is not None:
        lo, hi = bounds[0][:10], bounds[1][:10]

        def dated(v: Any) -> Any:
            v = typed(v)
            if not bounds[0] <= v <= bounds[1]:
                raise Invalid(f"{shown(v)} 不在合理范围内（{lo} 至 {hi}）")
            return v

        return dated
    return typed


def value_check(table: str, column: str, today: date) -> ValueCheck:
    """One column's check, type then domain, for a value outside a synced record (an attachment listing fills
    the blob table, which does not sync)."""
    return _value_check(column_spec(table, column), today)


class TableValidator:
    """The checks of one table's columns, built once per day (``validator_for``) and applied per batch."""

    def __init__(self, spec: TableSpec, today: date) -> None:
        if len(spec.names) < 2:
            raise ValueError(f"{spec.name}: a synced table has at least uid and version")
        self.spec = spec
        self.columns = spec.columns
        self.uid_i = spec.uid_i
        self.getter = itemgetter(*spec.names)  # one C call per record gives the row in column order
        sealed = {c.column for c in SEALED_COLUMNS if c.table == spec.name}
        self.checks = tuple(_column_check(c, is_uid=i == spec.uid_i, today=today, sealed=c.name in sealed)
                            for i, c in enumerate(spec.columns))
        self.values = tuple(_value_check(c, today, c.name in sealed) for c in spec.columns)
        # Columns a sender on an older schema may leave out: their scalar defaults (docs: missing → default).
        self.defaults = {c.name: c.default for c in spec.columns if c.default is not MISSING}

    def check(self, recs: list[dict[str, Any]]) -> Checked:
        """(valid records, their values column by column, [(invalid record, reason)]), in the records' order."""
        if not recs:
            return [], [()] * len(self.columns), []
        try:
            rows = list(map(self.getter, recs))
        except KeyError:
            try:  # older sender: fill the defaults; the record's own values (even null) still win
                filled = self.defaults
                rows = [self.getter(filled | r) for r in recs]
            except KeyError:  # a column without a default is missing: convert names it
                return self._one_by_one(recs)
        cols: list[Column] = list(zip(*rows, strict=True))
        try:
            for check, col in zip(self.checks, cols, strict=True):
                if not check(col):
                    return self._one_by_one(recs)
        except Exception:  # whatever a value makes a batch check raise: the record-by-record check decides
            return self._one_by_one(recs)
        return recs, cols, []

    def _one_by_one(self, recs: list[dict[str, Any]]) -> Checked:
        good, rows, bad = [], [], []
        for rec in recs:
            try:
                rows.append(self.convert(rec))
                good.append(rec)
            except Invalid as exc:
                bad.append((rec, str(exc)))
            except Exception as exc:  # noqa: BLE001 - no content may abort an import: this record alone is refused
                bad.append((rec, f"记录内容无法处理（{type(exc).__name__}）"))
        cols: list[Column] = list(zip(*rows, strict=True)) if rows else [()] * len(self.columns)
        return good, cols, bad

    def convert(self, rec: dict[str, Any]) -> tuple[Any, ...]:
        """One record's values in column order, or :class:`Invalid` with the reason of its first bad field."""
        values: list[Any] = []
        for c, check in zip(self.columns, self.values, strict=True):
            v = rec.get(c.name, MISSING)
            if v is MISSING:
                if c.default is MISSING:
                    raise Invalid(f"缺少字段 {c.name}")
                v = c.default
            if v is None:
                if not c.nullable:
                    raise Invalid(f"字段 {c.name} 不能为空")
                values.append(None)
                continue
            try:
                values.append(check(v))
            except Invalid as exc:
                raise Invalid(f"字段 {c.name}：{exc}") from None
        if not UUID_TEXT.match(values[self.uid_i]):
            raise Invalid("uid 不是有效的 UUID")
        return tuple(values)


@lru_cache(maxsize=128)
def validator_for(spec: TableSpec, today: date) -> TableValidator:
    return TableValidator(spec, today)


def incoming_base(rec: dict[str, Any]) -> tuple[int, str] | None:
    """The record's ``_base`` ([version, updated_at], docs/sync-bundle.md §Records) when well formed, else None
    (a malformed one counts as absent: it can only make a conflict of what would otherwise update)."""
    ib = rec.get("_base")
    if (type(ib) is list and len(ib) == 2 and type(ib[0]) is int and type(ib[1]) is str and len(ib[1]) <= 32
            and rules.INT_MIN <= ib[0] <= rules.INT_MAX):
        return ib[0], ib[1]
    return None
