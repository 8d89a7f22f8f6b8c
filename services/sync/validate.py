"""Validation of incoming records, compiled once per table from its metadata (services/sync/tables.py).

A batch is checked column by column with C-level helpers (``map``, ``set``, compiled regexes, ``itemgetter``)
instead of a Python loop over every field of every record: for the ~1M rows of a township bundle the per-field
loop was a third of the import (bench/README.md). The fast check accepts exactly what the per-record check
(:meth:`TableValidator.convert`, the rules of docs/sync-bundle.md §Records) accepts: a batch in which one
column does not pass as a whole is re-checked record by record, and only that path produces the Chinese
reason of each failing record. So the fast path can make a valid batch cheaper, never an invalid record pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, partial
from operator import is_not, itemgetter
from typing import Any

from services.sync.tables import MISSING, UUID_TEXT, ColumnSpec, Invalid, TableSpec

NoneType = type(None)
Column = Sequence[Any]
ColumnCheck = Callable[[Column], bool]
Checked = tuple[list[dict[str, Any]], list[Column], list[tuple[dict[str, Any], str]]]

_not_none = partial(is_not, None)


def _typed(allowed: frozenset[type]) -> ColumnCheck:
    def check(col: Column) -> bool:
        return set(map(type, col)) <= allowed

    return check


def _text(allowed: frozenset[type]) -> ColumnCheck:
    """Text without U+0000: PostgreSQL cannot store it, so it is refused on SQLite too (the same outcome on
    both). One C-level join per column and batch instead of a test per value."""
    def check(col: Column) -> bool:
        return set(map(type, col)) <= allowed and "\x00" not in "\x01".join(filter(None, col))

    return check


# The fixed layouts of the patterns in services/sync/tables.py: "d" is a decimal digit (regex \d on str: Unicode
# category Nd, which is what str.isdecimal tests), "h" a lower-case hex digit, anything else that literal character.
# A datetime without microseconds is valid but not canonical: it fails here and convert normalises it.
_LAYOUTS = {
    "date": "dddd-dd-dd",  # DATE_RE
    "datetime": "dddd-dd-dd dd:dd:dd.dddddd",  # DATETIME_RE, canonical form
    "uid": "hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh",  # UUID_TEXT
}
_HEX = b"0123456789abcdef"


def _layout_check(layout: str) -> Callable[[Column], bool]:
    """Whether every value (all str) has exactly ``layout``, for a whole column at once with C string methods
    instead of one regex match per value: each value has the width; each separator position holds its
    separator in every value (a stride slice); the separator occurs nowhere else (total count); and what is
    left once the separators are removed is all digits (or all hex digits)."""
    width = len(layout)
    seps = [(i, ch) for i, ch in enumerate(layout) if ch not in "dh"]
    per_value = {ch: layout.count(ch) for _i, ch in seps}
    hexadecimal = "h" in layout

    def check(values: Column) -> bool:
        n = len(values)
        if not set(map(len, values)) <= {width}:
            return False
        joined = "".join(values)
        if any(joined[i::width].count(ch) != n for i, ch in seps):
            return False
        if any(joined.count(ch) != k * n for ch, k in per_value.items()):
            return False
        for ch in per_value:
            joined = joined.replace(ch, "")
        if not hexadecimal:
            return joined.isdecimal()
        try:  # deleting every hex digit leaves nothing: a C loop over bytes (non-ASCII cannot be hex anyway)
            return not joined.encode("ascii").translate(None, _HEX)
        except UnicodeEncodeError:
            return False

    return check


def _patterned(allowed: frozenset[type], form: str) -> ColumnCheck:
    """Text of the fixed ``form`` (see _LAYOUTS); null where the column allows it."""
    layout = _layout_check(_LAYOUTS[form])

    def check(col: Column) -> bool:
        if not set(map(type, col)) <= allowed:
            return False
        values = list(filter(_not_none, col)) if NoneType in allowed else col
        return not values or layout(values)

    return check


def _member(allowed: frozenset[Any], types: frozenset[type]) -> ColumnCheck:
    """Every value one of ``allowed`` (enums, booleans); unhashable values (JSON lists, objects) fail."""

    def check(col: Column) -> bool:
        try:
            return set(map(type, col)) <= types and set(col) <= allowed
        except TypeError:
            return False

    return check


def _column_check(c: ColumnSpec, *, is_uid: bool) -> ColumnCheck:
    null = frozenset({NoneType}) if c.nullable else frozenset()
    if is_uid:  # the uid is also a canonical lower-case UUID (checked last in convert; same verdict here)
        return _patterned(frozenset({str}) | null, "uid")
    if c.kind in ("str", "fk"):
        return _text(frozenset({str}) | null)
    if c.kind in ("int", "money"):
        return _typed(frozenset({int}) | null)  # exactly int: JSON true/false (bool) is refused, as in convert
    if c.kind == "float":
        return _typed(frozenset({int, float}) | null)
    if c.kind == "bool":  # true/false or 0/1; SQLite stores True as the integer 1, so no conversion is needed
        return _member(frozenset({0, 1}) | ({None} if c.nullable else set()), frozenset({bool, int}) | null)
    if c.kind == "date":
        return _patterned(frozenset({str}) | null, "date")
    if c.kind == "datetime":
        return _patterned(frozenset({str}) | null, "datetime")
    if c.kind == "enum":
        if not c.choices:  # an enum without its value set: the record-by-record check decides
            return lambda _col: False
        return _member(c.choices | ({None} if c.nullable else set()), frozenset({str}) | null)
    return lambda _col: False  # an unknown kind: the record-by-record check decides


class TableValidator:
    """The checks of one table's columns, built once (``validator_for``) and applied per batch."""

    def __init__(self, spec: TableSpec) -> None:
        if len(spec.names) < 2:
            raise ValueError(f"{spec.name}: a synced table has at least uid and version")
        self.spec = spec
        self.columns = spec.columns
        self.uid_i = spec.uid_i
        self.getter = itemgetter(*spec.names)  # one C call per record gives the row in column order
        self.checks = tuple(_column_check(c, is_uid=i == spec.uid_i) for i, c in enumerate(spec.columns))
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
        for check, col in zip(self.checks, cols, strict=True):
            if not check(col):
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
        cols: list[Column] = list(zip(*rows, strict=True)) if rows else [()] * len(self.columns)
        return good, cols, bad

    def convert(self, rec: dict[str, Any]) -> tuple[Any, ...]:
        """One record's values in column order, or :class:`Invalid` with the reason of its first bad field."""
        values: list[Any] = []
        for c in self.columns:
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
                values.append(c.check(v))
            except Invalid as exc:
                raise Invalid(f"字段 {c.name}：{exc}") from None
        if not UUID_TEXT.match(values[self.uid_i]):
            raise Invalid("uid 不是有效的 UUID")
        return tuple(values)


@cache
def validator_for(spec: TableSpec) -> TableValidator:
    return TableValidator(spec)
