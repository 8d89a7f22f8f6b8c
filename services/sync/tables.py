"""What travels in a bundle and in which form: synced tables in dependency order, their columns and checks.

Rows travel in their SQLite storage form (docs/sync-bundle.md §Records): dates ``YYYY-MM-DD``, datetimes as
naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``, money as integer fen, enums as their value, booleans as JSON
true/false, and every foreign key as the referenced row's ``uid`` (local integer ids never leave the database).
Reading and writing go through the raw sqlite3 connection of the caller's transaction: the ORM unit of work is
~35× slower than executemany (docs/performance.md §2), and a bundle may carry a million rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Enum, Float, Integer, String, Table

from models import column_rules as rules
from models.base import AwareDateTime, Money, SyncMixin
from models.registry import metadata
from models.sealed import derived_columns

# ASCII digits only: \d would also take full-width and other Unicode digits (２０２６-０１-０５).
DATETIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\Z")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
MISSING: Any = object()

# Tables that are pure reference data: they come down from the district and are not sent upward by default.
REFERENCE_TABLES = ("power_item", "discretion_tier", "dispute_category")


def shown(v: Any, width: int = 40) -> str:
    """A value as a reason may quote it: short, and printable whatever it holds (lone surrogates escaped)."""
    text = v if isinstance(v, str) else type(v).__name__ if isinstance(v, dict | list) else repr(v)
    text = text[:width] + ("…" if len(text) > width else "")
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Invalid(Exception):
    """A value that fails its column's check; the message (Chinese) becomes the quarantine reason."""


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    kind: str  # int | bool | str | date | datetime | money | enum | float
    nullable: bool
    default: Any  # MISSING when the column has no scalar default
    fk_table: str | None  # referenced synced table (value travels as its uid)
    check: Callable[[Any], Any]
    choices: frozenset[str] = frozenset()  # an enum's allowed values (the batch check tests them as a set)
    # The column's domain (models/column_rules.py), checked by services/sync/validate.py:
    limit: int = 0  # str / fk: characters at most
    range: rules.Range | None = None  # int / money: inclusive bounds (money in fen)
    dates: rules.DateRange | None = None  # date / datetime: plausible range (depends on today)
    json: rules.JsonText | None = None  # a text column holding one JSON object


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]  # every column except the local ``id``
    uid_i: int  # position of ``uid`` in ``columns``
    names: tuple[str, ...]  # column names, in order (precomputed: read once per row on the hot path)
    bools: tuple[str, ...]  # boolean columns (stored 0/1, travel as true/false)

    @property
    def fks(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.fk_table is not None)


def _check_int(v: Any) -> Any:
    if type(v) is int:
        return v
    raise Invalid("应为整数")


def _check_bool(v: Any) -> Any:
    if v is True or v is False or (type(v) is int and v in (0, 1)):
        return int(v)
    raise Invalid("应为是/否")


def _check_str(v: Any) -> Any:
    if type(v) is str:
        if "\x00" in v:  # PostgreSQL cannot store it; refused on SQLite too, for the same outcome on both
            raise Invalid("含有空字符（U+0000），数据库不能保存")
        return v
    raise Invalid("应为文本")


def _check_date(v: Any) -> Any:
    if type(v) is str and DATE_RE.match(v):
        try:
            date.fromisoformat(v)
        except ValueError:
            raise Invalid(f"“{v}”不是真实的日期") from None
        return v
    raise Invalid("应为日期（YYYY-MM-DD，半角数字）")


def _check_datetime(v: Any) -> Any:
    if type(v) is str and DATETIME_RE.match(v):
        try:
            datetime.fromisoformat(v)
        except ValueError:
            raise Invalid(f"“{v}”不是真实的时间") from None
        return v if len(v) == 26 else v + ".000000"  # one canonical text, so identities compare as strings
    raise Invalid("应为时间（UTC，YYYY-MM-DD HH:MM:SS.ffffff，半角数字）")


def _check_float(v: Any) -> Any:
    if type(v) in (int, float):
        return v
    raise Invalid("应为数值")


def _enum_check(values: frozenset[str]) -> Callable[[Any], Any]:
    def check(v: Any) -> Any:
        if type(v) is str and v in values:
            return v
        raise Invalid(f"取值“{shown(v)}”不在允许范围内")

    return check


def _kind_and_check(col: Any) -> tuple[str, Callable[[Any], Any]]:
    t = col.type
    if isinstance(t, Money):
        return "money", _check_int
    if isinstance(t, AwareDateTime | DateTime):
        return "datetime", _check_datetime
    if isinstance(t, Enum):
        return "enum", _enum_check(frozenset(t.enums))
    if isinstance(t, Boolean):
        return "bool", _check_bool
    if isinstance(t, Date):
        return "date", _check_date
    if isinstance(t, Float):
        return "float", _check_float
    if isinstance(t, Integer):
        return "int", _check_int
    return "str", _check_str


def _default(col: Any) -> Any:
    d = col.default
    if d is None or not getattr(d, "is_scalar", False):
        return None if col.nullable else MISSING
    value = d.arg
    return value.value if hasattr(value, "value") else (int(value) if isinstance(value, bool) else value)


def _spec(table: Table, synced: set[str]) -> TableSpec:
    cols = []
    local = derived_columns(str(table.name))  # masked forms, blind indexes: each database derives its own
    for col in table.columns:
        if col.name == "id" or col.name in local:
            continue
        kind, check = _kind_and_check(col)
        fk_table = None
        for fk in col.foreign_keys:
            if fk.column.table.name in synced and fk.column.name == "id":
                fk_table = fk.column.table.name
        if fk_table is not None:
            kind, check = "fk", _check_str
        choices = frozenset(col.type.enums) if kind == "enum" and isinstance(col.type, Enum) else frozenset()
        # Plain str, not SQLAlchemy's quoted_name (a str subclass): sqlite3 looks for an adapter (__conform__)
        # on every bound value that is not exactly str, which cost ~1 µs per row in the import.
        cols.append(ColumnSpec(str(col.name), kind, bool(col.nullable), _default(col),
                               None if fk_table is None else str(fk_table), check, choices,
                               **_domain(str(table.name), str(col.name), kind, col)))
    names = tuple(c.name for c in cols)
    return TableSpec(str(table.name), tuple(cols), names.index("uid"), names,
                     tuple(c.name for c in cols if c.kind == "bool"))


def column_spec(table: str, column: str) -> ColumnSpec:
    """One column of any table with its check and rules, foreign keys aside (the blob table's, which does not
    sync, for the attachment listing of a bundle)."""
    col = metadata.tables[table].c[column]
    kind, check = _kind_and_check(col)
    choices = frozenset(col.type.enums) if kind == "enum" and isinstance(col.type, Enum) else frozenset()
    return ColumnSpec(column, kind, bool(col.nullable), _default(col), None, check, choices,
                      **_domain(table, column, kind, col))


def _domain(table: str, name: str, kind: str, col: Any) -> dict[str, Any]:
    """The column's rules from models/column_rules.py, as ColumnSpec fields."""
    if kind == "fk":
        return {"limit": 36}  # a uid
    if kind == "str":
        length = col.type.length if isinstance(col.type, String) else None
        return {"limit": rules.text_limit(table, name, length), "json": rules.json_rule(table, name)}
    if kind in ("int", "money"):
        return {"range": rules.int_range(table, name, money=kind == "money",
                                         big=isinstance(col.type, BigInteger))}
    if kind in ("date", "datetime"):
        return {"dates": rules.date_range(table, name)}
    return {}


@cache
def synced_specs() -> tuple[TableSpec, ...]:
    """Every synced table, parents before children (metadata's topological order)."""
    from models.base import Base

    synced = {m.local_table.name for m in Base.registry.mappers
              if issubclass(m.class_, SyncMixin) and isinstance(m.local_table, Table)}
    return tuple(_spec(t, synced) for t in metadata.sorted_tables if t.name in synced)


@cache
def spec_for(name: str) -> TableSpec:
    for s in synced_specs():
        if s.name == name:
            return s
    raise KeyError(name)


def table_names() -> tuple[str, ...]:
    return tuple(s.name for s in synced_specs())


def select_sql(spec: TableSpec, where: str = "", *, extra_cols: str = "", extra_join: str = "") -> str:
    """SELECT of a table's bundle form: foreign keys joined to the referenced row's uid; ``t.id`` comes first,
    then the columns of ``spec``, then ``extra_cols``."""
    parts, joins = ["t.id"], [extra_join]
    for i, c in enumerate(spec.columns):
        if c.fk_table is None:
            parts.append(f't."{c.name}"')
        else:
            parts.append(f"j{i}.uid")
            joins.append(f'LEFT JOIN "{c.fk_table}" j{i} ON j{i}.id = t."{c.name}"')
    if extra_cols:
        parts.append(extra_cols)
    # The table, columns and joins come from the models; ``where`` and ``extra_*`` are the callers' fixed clauses
    # (values in them are ``?`` placeholders).
    return f'SELECT {", ".join(parts)} FROM "{spec.name}" t {" ".join(joins)} {where}'  # noqa: S608


def row_to_record(spec: TableSpec, row: tuple[Any, ...]) -> dict[str, Any]:
    """A row from :func:`select_sql` (without its leading id) as the JSON object of the bundle."""
    rec = dict(zip(spec.names, row, strict=True))
    for name in spec.bools:
        if rec[name] is not None:
            rec[name] = bool(rec[name])
    return rec


def identity(rec: dict[str, Any]) -> tuple[int, str]:
    """(version, updated_at): two devices never write the same pair for different content."""
    return int(rec["version"]), str(rec["updated_at"])


BOOKKEEPING = frozenset({"created_at", "updated_at", "origin_device", "version"})


def same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal apart from bookkeeping (e.g. the same catalogue row seeded on two devices)."""
    keys = (set(a) | set(b)) - BOOKKEEPING - {"_base"}
    return all(_norm(a.get(k)) == _norm(b.get(k)) for k in keys)


def _norm(v: Any) -> Any:
    return int(v) if isinstance(v, bool) else v
