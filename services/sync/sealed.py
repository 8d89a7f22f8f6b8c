"""Sealed columns on the raw sync paths (the ORM's sealing does not run there: services/core/sealing.py).

A bundle carries personal data in the clear inside its own encryption to the recipient (services/sync/crypto.py):
the exporter opens the sealed columns with this database's key; the importer validates the plaintext, then seals it
under the receiving database's own key (the uid bound in, as the ORM would) and fills the local derived columns
(masked forms, blind indexes). A database without a data key keeps plaintext both ways (its derived masked columns
are still filled: its lists read them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from models.sealed import (
    QUARANTINE,
    SEALED_COLUMNS,
    Masking,
    SealedColumn,
    index_column,
    index_kind,
    masked,
    masked_column,
    quarantine_binding,
)
from services.core.cipher import DataKey, Locked, SealBroken, is_sealed
from services.core.sealing import database_is_encrypted, shown_sealed
from services.sync.dialect import RawConnection
from services.sync.tables import TableSpec


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
                   ) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
        """Seal the batch's sealed columns in ``cols`` (in place) and return the records in their stored form
        (for conflicts and quarantine, which keep what the row holds) and the derived columns per uid."""
        positions = _positions(spec)
        if not positions:
            return recs, {}
        if self.encrypted and self.key is None:
            raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能导入")
        uids = cols[spec.uid_i]
        derived: dict[str, dict[str, str]] = {}
        stored = [dict(r) for r in recs]
        for i, col in positions:
            column = list(cols[i])
            for n, (value, uid) in enumerate(zip(column, uids, strict=True)):
                if not isinstance(value, str) or is_sealed(value):
                    continue
                d = derived.setdefault(uid, {})
                if col.mask is not Masking.NONE:
                    d[masked_column(col)] = masked(col, value)
                if self.key is None or not value:
                    if col.index:
                        d[index_column(col)] = ""
                    continue
                if col.index:
                    d[index_column(col)] = self.key.blind_index(index_kind(col), value)
                column[n] = self.key.seal(value, table=col.table, column=col.column, uid=uid)
                stored[n][col.column] = column[n]
            cols[i] = column
        return stored, derived

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


def apply_derived(raw: RawConnection, spec: TableSpec, derived: dict[str, dict[str, str]], uids: Any) -> None:
    """Write the derived columns of the rows ``uids`` (those the merge inserted or updated)."""
    by_shape: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for uid in uids:
        d = derived.get(uid)
        if d:
            names = tuple(sorted(d))
            by_shape.setdefault(names, []).append((*(d[n] for n in names), uid))
    for names, rows in by_shape.items():
        sets = ", ".join(f'"{n}"=?' for n in names)
        raw.executemany(f'UPDATE "{spec.name}" SET {sets} WHERE uid=?', rows)  # noqa: S608 - a table of the models, its derived columns
