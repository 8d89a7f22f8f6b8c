"""Sealed columns on the raw sync paths (the ORM's sealing does not run there: services/core/sealing.py).

A bundle carries personal data in the clear inside its own encryption to the recipient (services/sync/crypto.py):
the exporter opens the sealed columns with this database's key; the importer validates the plaintext, then seals it
under the receiving database's own key (the uid bound in, as the ORM would) and fills the local derived columns
(masked forms, blind indexes). A database without a data key keeps plaintext both ways (its derived masked columns
are still filled: its lists read them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from models.sealed import (
    QUARANTINE,
    SEALED_COLUMNS,
    SealedColumn,
    index_column,
    masked_column,
    quarantine_binding,
)
from services.core.cipher import DataKey, Locked, SealBroken, is_sealed
from services.core.sealing import database_is_encrypted, shown_sealed, stored_forms
from services.sync.dialect import RawConnection
from services.sync.tables import TableSpec

# The derived columns of a batch (masked forms, blind indexes): column name → one value per row of the batch, in
# its order; None where the row has none (its value null, or already sealed: left as the row holds it).
Derived = dict[str, list[str | None]]


def _positions(spec: TableSpec) -> tuple[tuple[int, SealedColumn], ...]:
    return _positions_of(spec.name, spec.names)


@cache
def _positions_of(table: str, names: tuple[str, ...]) -> tuple[tuple[int, SealedColumn], ...]:
    by_name = {c.column: c for c in SEALED_COLUMNS if c.table == table}
    return tuple((i, by_name[n]) for i, n in enumerate(names) if n in by_name)


class FieldSealer:
    """This database's key (None: none unlocked) and whether it has one at all, for one sync transaction."""

    def __init__(self, key: DataKey | None, encrypted: bool) -> None:
        self.key, self.encrypted = key, encrypted

    @classmethod
    def of(cls, session: Session) -> FieldSealer:
        return cls(session.info.get("data_key"), database_is_encrypted(session))

    def needs(self, spec: TableSpec) -> bool:
        return bool(_positions(spec))

    # -- export ------------------------------------------------------------------------------------------------
    def opener(self, spec: TableSpec) -> Callable[[dict[str, Any]], None] | None:
        """A function opening a record's sealed values in place (the bundle's form), or None for a table without
        any. Without the key a sealed value cannot leave: Locked."""
        cols = _positions(spec)
        if not cols:
            return None
        key = self.key

        def open_record(rec: dict[str, Any]) -> None:
            uid = rec["uid"]
            for _i, col in cols:
                value = rec.get(col.column)
                if isinstance(value, str) and is_sealed(value):
                    if key is None:
                        raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能导出")
                    rec[col.column] = key.open(value, table=col.table, column=col.column, uid=uid)

        return open_record

    # -- import ------------------------------------------------------------------------------------------------
    def seal_batch(self, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Any]
                   ) -> tuple[list[dict[str, Any]], Derived]:
        """Seal the batch's sealed columns in ``cols`` (in place) and return the records in their stored form
        (for conflicts and quarantine, which keep what the row holds) and the derived columns (:data:`Derived`).

        Column by column: the values to seal are picked once, then sealed, masked and blind-indexed in one call
        each (DataKey.seal_many, blind_index_many), not one lookup chain per value (bench/README.md)."""
        positions = _positions(spec)
        if not positions:
            return recs, {}
        if self.encrypted and self.key is None:
            raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能导入")
        key = self.key
        uids = cols[spec.uid_i]
        size = len(recs)
        derived: Derived = {}
        stored: list[dict[str, Any]] | None = None
        for i, col in positions:
            column = list(cols[i])
            # a value already in sealed form is refused by validation (validate.py SEALED_FORM); kept out here too
            todo = [n for n, value in enumerate(column) if isinstance(value, str) and not is_sealed(value)]
            if not todo:
                continue
            values = [column[n] for n in todo]
            forms = stored_forms(col, key, values, [uids[n] for n in todo])
            if forms.masked is not None:
                derived[masked_column(col)] = _spread(size, todo, forms.masked)
            if col.index:
                derived[index_column(col)] = _spread(
                    size, todo, forms.index if forms.index is not None else [""] * len(todo))
            if forms.sealed is None:
                continue
            if stored is None:
                stored = [dict(r) for r in recs]
            for n, value in zip(todo, forms.sealed, strict=True):
                if value:  # "" stays "" (DataKey.seal): the record keeps what it had
                    column[n] = value
                    stored[n][col.column] = value
            cols[i] = column
        return (recs if stored is None else stored), derived

    def open_local(self, spec: TableSpec, rec: dict[str, Any]) -> dict[str, Any]:
        """A stored record with its sealed values opened (to compare with an incoming plaintext one)."""
        opener = self.opener(spec) if self.key is not None else None
        if opener is None:
            return rec
        out = dict(rec)
        opener(out)
        return out

    def same_opened(self, spec: TableSpec, stored: dict[str, Any], plain: dict[str, Any]) -> bool:
        """Whether a stored record (sealed values, each with its own nonce) holds exactly ``plain``: two seals
        of one value never compare equal as text, so a record logged again compares by its opened values."""
        if stored == plain:
            return True
        if self.key is None or not self.needs(spec):
            return False
        try:
            return self.open_local(spec, stored) == plain
        except SealBroken:
            return False

    # -- the quarantine (records refused at import, kept for review) ---------------------------------------------
    def seal_payload(self, payload: str, *, bundle_uid: str, table: str, record_uid: str) -> str:
        """A quarantined record's text sealed under this database's key (bound to its bundle, table and uid), in
        the clear without one: the record's values are the sender's personal data as much as a stored row's."""
        if self.key is None:
            return payload
        return self.key.seal(payload, table=QUARANTINE[0], column=QUARANTINE[1],
                             uid=quarantine_binding(bundle_uid, table, record_uid))


def shown_payload(key: DataKey | None, payload: str, *, bundle_uid: str, table: str, record_uid: str) -> str:
    """A quarantined payload for review: opened with the key, a short note without it (or when damaged)."""
    return shown_sealed(key, payload, table=QUARANTINE[0], column=QUARANTINE[1],
                        uid=quarantine_binding(bundle_uid, table, record_uid))


def shown_record(key: DataKey | None, table: str, rec: dict[str, Any]) -> dict[str, Any]:
    """A stored record (a conflict's version) for the screen: its sealed values opened with the key, a short note
    in their place without it or when one does not open. Never raises."""
    cols = [c for c in SEALED_COLUMNS if c.table == table]
    if not cols:
        return rec
    out = dict(rec)
    uid = str(rec.get("uid", ""))
    for col in cols:
        value = out.get(col.column)
        if isinstance(value, str):
            out[col.column] = shown_sealed(key, value, table=table, column=col.column, uid=uid)
    return out


def _spread(size: int, at: list[int], values: list[str]) -> list[str | None]:
    out: list[str | None] = [None] * size
    for n, value in zip(at, values, strict=True):
        out[n] = value
    return out


def insert_columns(derived: Derived, rows: Sequence[int] | None = None) -> tuple[tuple[str, ...], list[list[str]]]:
    """The derived columns as extra columns of an INSERT of the batch's rows ``rows`` (all when None): a row
    without a derived value gets "", the columns' default (models: ``server_default=""``), what it held before
    when they were written by an UPDATE after the INSERT. Written with the row, the inspection search index
    (migration 0013 indexes ``place_masked``) and the indexes see one write per row instead of two."""
    names = tuple(derived)
    out = []
    for name in names:
        column = derived[name] if rows is None else [derived[name][n] for n in rows]
        out.append(["" if v is None else v for v in column])
    return names, out


def apply_derived(raw: RawConnection, spec: TableSpec, derived: Derived, rows: Sequence[int],
                  uids: Sequence[str]) -> None:
    """Write the derived columns of the batch's rows ``rows`` (positions in the batch; ``uids`` theirs), those the
    merge updated, leaving a column a row has no derived value for as it is."""
    by_shape: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for n, uid in zip(rows, uids, strict=True):
        names = tuple(name for name in sorted(derived) if derived[name][n] is not None)
        if names:
            by_shape.setdefault(names, []).append((*(derived[name][n] for name in names), uid))
    for names, values in by_shape.items():
        sets = ", ".join(f'"{n}"=?' for n in names)
        raw.executemany(f'UPDATE "{spec.name}" SET {sets} WHERE uid=?', values)  # noqa: S608 - a table of the models, its derived columns
