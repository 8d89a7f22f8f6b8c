"""Transparent sealing in the ORM: application code reads and writes plaintext attributes (``party.id_number``);
what reaches the database is sealed under the data key (services/core/cipher.py) when the database has one.

How (mapper and session events, installed once with the flush hooks):

* **write** — ``before_insert``/``before_update`` replace each changed sealed attribute by its sealed form (with
  the row's uid bound in) and fill the local derived columns (masked form, blind index; models/sealed.py), so the
  INSERT/UPDATE carries the sealed value. The flush's audit digests (services/core/audit.py) therefore cover the
  stored form, the form ``verify --deep`` recomputes from the file without the key. ``after_flush_postexec`` puts
  the plaintext back as the attribute's committed value: the object reads as before the flush.
* **read** — ``load``/``refresh`` open sealed values with the session's key. Without a key they stay sealed
  (``ed1:…``); a value that does not open (damaged, or moved from another row) stays sealed too and verify names
  it: neither is ever shown as someone's data. :func:`plaintext` refuses a sealed value where plaintext must be
  printed or exported (documents, exports), with :class:`~services.core.cipher.Locked`.
* A database without a data key (not yet upgraded) keeps its values in the clear; the masked forms are filled all
  the same (lists read them). Writing a sealed column of an encrypted database without the key is refused with
  ``Locked`` before anything is written.

The stored forms of the sealed attributes are kept in the object's ``InstanceState.info`` (``stored``: as the
database holds them since the last load or flush; ``written``: what this flush writes) for the audit digests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import InstanceState, Mapper, Session, attributes

from models.base import Base, new_uid
from models.sealed import Masking, SealedColumn, index_column, index_kind, masked, masked_column, sealed_by_table
from models.system import KeySlot
from services.core.cipher import DataKey, Locked, SealBroken, is_sealed, normalize_for_index

_STORED, _WRITTEN, _PLAIN = "sealed_stored", "sealed_written", "sealed_plain"
_PENDING = "sealing_pending"  # session.info: states whose plaintext goes back after this flush
_ENCRYPTED = "sealing_encrypted"  # session.info: cached answer of "has this database a data key?"
_installed = False


def install_sealing() -> None:
    """Listen on the declarative base (propagated to every model, also those imported later; the handlers return
    at once for a table without sealed columns). Once per process: mapper events are global."""
    global _installed
    if _installed:
        return
    _installed = True
    for name, handler in (("before_insert", _seal), ("before_update", _seal), ("load", _on_load),
                          ("refresh", _on_refresh)):
        event.listen(Base, name, handler, propagate=True)
    event.listen(Session, "after_flush_postexec", _restore_plaintext)
    event.listen(Session, "after_soft_rollback", _forget_pending)


_TABLES = sealed_by_table()


@dataclass(frozen=True, slots=True)
class StoredForms:
    """What the database stores for some plaintext values of one sealed column, one entry per value in order.

    ``sealed``: the sealed values (None without a key: the values are stored as they are); ``masked``: the masked
    forms (None for a column without one); ``index``: the blind indexes (None for a column without one, or without
    a key). An empty value stays "" in each."""

    sealed: list[str] | None
    masked: list[str] | None
    index: list[str] | None


def stored_forms(col: SealedColumn, key: DataKey | None, values: Sequence[str], uids: Sequence[str]) -> StoredForms:
    """The stored forms of ``values`` (plaintext, none already sealed) of ``col`` in the rows ``uids``: the one
    computation behind the ORM's flush (:func:`_seal`), the upgrade (services/maintenance/at_rest.py), the sync
    import (services/sync/sealed.py) and the demo's bulk writer. Batched (DataKey.seal_many, blind_index_many: the
    sync import's speed rests on them, bench/README.md); a repeated value is masked once."""
    shown: list[str] | None = None
    if col.mask is not Masking.NONE:
        cache = {v: masked(col, v) for v in set(values)}  # a batch repeats places and streets
        shown = list(map(cache.__getitem__, values))
    if key is None:
        return StoredForms(None, shown, None)
    index = key.blind_index_many(index_kind(col), values) if col.index else None
    return StoredForms(key.seal_many(values, table=col.table, column=col.column, uids=uids), shown, index)


def _columns(obj: Any) -> tuple[SealedColumn, ...]:
    return _TABLES.get(getattr(obj, "__tablename__", ""), ())


def database_is_encrypted(session: Session, connection: Connection | None = None) -> bool:
    """Has this database a data key? Asked once per session (inside its transaction), then remembered."""
    if session.info.get("data_key") is not None:
        return True
    cached = session.info.get(_ENCRYPTED)
    if cached is None:
        conn = connection if connection is not None else session.connection()
        cached = conn.execute(select(KeySlot.id).limit(1)).first() is not None
        session.info[_ENCRYPTED] = cached
    return bool(cached)


def _seal(_mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    cols = _columns(target)
    if not cols:
        return
    state: InstanceState[Any] = inspect(target)
    session = state.session
    if session is None:
        return
    key: DataKey | None = session.info.get("data_key")
    inserting = state.key is None
    if inserting and getattr(target, "uid", None) is None:
        target.uid = new_uid()  # the column default comes only with the INSERT: the seal binds the uid first
    written: dict[str, str] = {}
    plain: dict[str, str] = {}
    for col in cols:
        if not inserting and not state.attrs[col.column].history.has_changes():
            continue
        value = state.dict.get(col.column)
        if value is None:
            continue  # a default still to apply
        written[col.column] = value
        if is_sealed(value):
            continue  # a stored form set as it is (a copy): left to verify to judge
        if key is None and value and database_is_encrypted(session, connection):
            raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能保存个人信息")
        # without a key (a database not yet upgraded) the value stays in the clear; its masked form is filled
        forms = stored_forms(col, key, [value], [str(target.uid)])
        if forms.masked is not None and getattr(target, masked_column(col)) != forms.masked[0]:
            setattr(target, masked_column(col), forms.masked[0])
        if not value:
            if col.index and getattr(target, index_column(col)):
                setattr(target, index_column(col), "")
            continue
        if forms.sealed is None:
            continue
        if forms.index is not None:
            setattr(target, index_column(col), forms.index[0])
        setattr(target, col.column, forms.sealed[0])
        written[col.column], plain[col.column] = forms.sealed[0], value
    if written:
        state.info[_WRITTEN], state.info[_PLAIN] = written, plain
        session.info.setdefault(_PENDING, []).append(state)


def _restore_plaintext(session: Session, _ctx: Any) -> None:
    """After the flush: the stored forms are remembered, the attributes read as plaintext again."""
    for state in session.info.pop(_PENDING, []):
        written = state.info.pop(_WRITTEN, {})
        plain = state.info.pop(_PLAIN, {})
        stored = state.info.setdefault(_STORED, {})
        stored.update({k: v for k, v in written.items() if is_sealed(v)})
        for name in [k for k, v in written.items() if not is_sealed(v)]:
            stored.pop(name, None)
        obj = state.obj()
        if obj is not None:
            for name, value in plain.items():
                attributes.set_committed_value(obj, name, value)


def _forget_pending(session: Session, _previous: Any) -> None:
    for state in session.info.pop(_PENDING, []):
        state.info.pop(_WRITTEN, None)
        state.info.pop(_PLAIN, None)


def _open_state(state: InstanceState[Any], session: Session | None, names: Any = None) -> None:
    key: DataKey | None = session.info.get("data_key") if session is not None else None
    obj = state.obj()
    for col in _columns(obj):
        if names is not None and col.column not in names:
            continue
        value = state.dict.get(col.column)
        if not isinstance(value, str) or not is_sealed(value):
            state.info.get(_STORED, {}).pop(col.column, None)
            continue
        state.info.setdefault(_STORED, {})[col.column] = value
        if key is None:
            continue
        try:
            state.dict[col.column] = key.open(value, table=col.table, column=col.column, uid=str(state.dict.get("uid")))
        except SealBroken:
            continue  # stays sealed: never shown as anyone's data; verify reports it


def _on_load(target: Any, context: Any) -> None:
    if _columns(target):
        _open_state(inspect(target), context.session)


def _on_refresh(target: Any, context: Any, attrs: Any) -> None:
    if _columns(target):
        # A bulk ``update()`` synchronising the session's objects refreshes them with no query context (None):
        # the object's own session holds the key then.
        state = inspect(target)
        _open_state(state, context.session if context is not None else state.session, attrs)


def stored_form(state: InstanceState[Any], *, before: bool) -> dict[str, Any]:
    """The sealed attributes as the database holds them (after this flush, or ``before`` it) where they differ
    from what the object shows: the audit digests use these (services/core/audit.py)."""
    stored: dict[str, Any] = state.info.get(_STORED, {})
    if before:
        return dict(stored)
    return {**stored, **state.info.get(_WRITTEN, {})}


def plaintext(value: str, what: str = "个人信息") -> str:
    """``value`` where its plaintext must be used (printed, exported): a value still sealed (no key, or damaged)
    is refused rather than printed as ``ed1:…``."""
    if is_sealed(value):
        raise Locked(f"{what}已加密，需要先登录或用恢复密钥解锁")
    return value


def open_value(key: DataKey | None, value: str, *, table: str, column: str, uid: str) -> str:
    """One stored value as plaintext (raw SQL paths: the sync exporter, copies); sealed without a key → Locked."""
    if not is_sealed(value):
        return value
    if key is None:
        raise Locked()
    return key.open(value, table=table, column=column, uid=uid)


def exact_match(session: Session, text: str, pairs: Sequence[tuple[Any, Any]], *, kind: str = "id_number") -> Any:
    """A condition finding ``text`` exactly (after normalize_for_index) in the sealed columns of ``pairs``
    ((plaintext column, blind-index column) …), or None when nothing can be compared (empty text; an encrypted
    database without the key). Encrypted: the keyed blind index; not yet upgraded: the plaintext itself.

    A substring (LIKE) search on a sealed column cannot work: only whole values are found (docs/encryption.md)."""
    norm = normalize_for_index(text)
    if not norm or not pairs:
        return None
    key: DataKey | None = session.info.get("data_key")
    if key is not None:
        digest = key.blind_index(kind, norm)
        return or_(*(index == digest for _plain, index in pairs))
    if database_is_encrypted(session):
        return None
    return or_(*(plain == norm for plain, _index in pairs))


LOCKED_TEXT = "（已加密）"
BROKEN_TEXT = "（已损坏）"


def shown_sealed(key: DataKey | None, value: str, *, table: str, column: str, uid: str) -> str:
    """One stored value for the screen: plaintext when it opens, else a short note (no key, or damaged). Never
    raises: a list page shows what it can."""
    if not is_sealed(value):
        return value
    if key is None:
        return LOCKED_TEXT
    try:
        return key.open(value, table=table, column=column, uid=uid)
    except SealBroken:
        return BROKEN_TEXT
