"""Digests of the rows an import writes, so that ``verify --deep`` can compare a record last written by an import.

An import records one audit event per table (services/sync/importer.py): an event per record, with its digest
computed the way the services' flush hook does (``services.core.audit.digest``: a dict, sorted, JSON), cost about
81 µs a record, +46 % on a township import (docs/verify.md). The digest here is computed from the values the
merge binds anyway, column by column, with C-level calls only:

* the row is the tuple of the table's columns in ``TableSpec`` order, as stored: foreign keys as local ids,
  dates and times as SQLite's text, money as integer fen, booleans as 0/1 (PostgreSQL's ``true`` read back as 1);
* its digest is the first 16 bytes of SHA-256 over ``marshal.dumps(row, 2)``: format version 2 has no object
  references, so equal values give equal bytes whatever objects hold them (the project's interpreter writes and
  reads it; the digests never leave the database);
* the digests of one merge batch (≤ 2,000 rows) are stored packed in one ``import_digest`` row with the rows'
  ids (models/sync.py ``ImportDigest``).

The import's audit event for each table includes a hash of the digests it stored (:func:`rows_anchor`), which
puts them under the audit chain. The digest covers every column — content, foreign keys, version, ``updated_at``, ``deleted_at`` — so a record
changed after the import is found whether or not ``updated_at`` was rewritten with it.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from array import array
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any

from services.core.audit import digest
from services.sync.dialect import RawConnection
from services.sync.tables import TableSpec

DIGEST_BYTES = 16
IMPORT_ACTION = "sync.import_"  # an import's per-table audit event: sync.import_<kind>, then DIGESTED if it stored digests
DIGESTED = "+digests"
MARSHAL_VERSION = 2  # no object references (version 3 and later write a reference for an object seen twice)
_digest = methodcaller("digest")
_cut = itemgetter(slice(0, DIGEST_BYTES))


def _as_int(v: Any) -> Any:
    return v if v is None else int(v)


def _as_float(v: Any) -> Any:
    return v if v is None else float(v)


@cache
def _normalisers(spec: TableSpec) -> tuple[tuple[int, Any], ...]:
    """(column position, normaliser) of the columns whose stored value may come back in another Python type:
    booleans (bound as True or 1, read back as 1 or True) and floats (SQLite's REAL affinity stores 5 as 5.0)."""
    out: list[tuple[int, Any]] = []
    for i, c in enumerate(spec.columns):
        if c.kind == "bool":
            out.append((i, _as_int))
        elif c.kind == "float":
            out.append((i, _as_float))
    return tuple(out)


def _normalised(spec: TableSpec, cols: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    out = list(cols)
    for i, norm in _normalisers(spec):
        out[i] = list(map(norm, cols[i]))
    return out


def pack_digests(spec: TableSpec, cols: Sequence[Sequence[Any]]) -> bytes:
    """The digests of the rows given column by column (every column of ``spec``, as stored), 16 bytes each."""
    rows = zip(*_normalised(spec, cols), strict=True)
    return b"".join(map(_cut, map(_digest, map(hashlib.sha256, map(marshal.dumps, rows, repeat(MARSHAL_VERSION))))))


def row_digest(spec: TableSpec, row: Sequence[Any]) -> bytes:
    """The digest of one stored row (its columns in ``spec`` order, without ``id``), as :func:`pack_digests`."""
    return pack_digests(spec, [[v] for v in row])


def _pack_ids(ids: Sequence[int]) -> bytes:
    packed = array("q", ids)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpack_ids(blob: bytes) -> list[int]:
    packed = array("q")
    packed.frombytes(blob)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tolist()


def store_digests(raw: RawConnection, spec: TableSpec, bundle_uid: str, after_seq: int, ids: Sequence[int],
                  cols: Sequence[Sequence[Any]]) -> None:
    """Record the digests of the rows ``ids`` that a merge has just written with the values ``cols``."""
    if not ids:
        return
    first = ids[0]
    contiguous = isinstance(ids, range) or list(ids) == list(range(first, first + len(ids)))
    raw.execute("INSERT INTO import_digest (tbl, bundle_uid, after_seq, first_id, ids, digests) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (spec.name, bundle_uid, after_seq, first, b"" if contiguous else _pack_ids(ids),
                 pack_digests(spec, cols)))


def chain_head(raw: RawConnection) -> int:
    """The audit chain's last sequence number (0 for none): every event about a record numbered above it was
    written after the import that reads it."""
    row = raw.execute("SELECT max(seq) FROM audit_event").fetchone()
    return int(row[0] or 0)


def stored_digests(raw: RawConnection, table: str) -> dict[int, tuple[int, bytes, str]]:
    """row id → (the chain head when the import that last wrote it began, its digest, that bundle's uid), the
    later import winning where two wrote the same row."""
    out: dict[int, tuple[int, bytes, str]] = {}
    for after_seq, bundle_uid, first, ids, digests in raw.execute(
            "SELECT after_seq, bundle_uid, first_id, ids, digests FROM import_digest WHERE tbl = ? ORDER BY id",
            (table,)):
        blob = bytes(digests)
        n = len(blob) // DIGEST_BYTES
        row_ids: Sequence[int] = _unpack_ids(bytes(ids)) if ids else range(first, first + n)
        out.update(zip(row_ids, zip(repeat(after_seq), _chunks(blob), repeat(bundle_uid)), strict=False))
    return out


def rows_anchor(raw: RawConnection, bundle_uid: str, table: str) -> str:
    """SHA-256 over the packed digests one import stored for ``table``, in the order stored. The import's audit
    event for the table includes it (:func:`import_event_digest`), so the digests are under the audit chain: an
    edit that also rewrote a row's stored digest still shows, unless the whole chain was re-hashed."""
    h = hashlib.sha256()
    for (blob,) in raw.execute("SELECT digests FROM import_digest WHERE bundle_uid = ? AND tbl = ? ORDER BY id",
                               (bundle_uid, table)):
        h.update(bytes(blob))
    return h.hexdigest()


def import_event_digest(source_uid: str, seq: int, counts: dict[str, int], rows: str) -> str:
    """The ``after_digest`` of an import's audit event for one table: the sender, the bundle's number, the
    table's counts (new, updated, unchanged, conflicts, quarantined) and :func:`rows_anchor`."""
    return digest({"source": source_uid, "seq": seq, **counts, "rows": rows})


def _chunks(blob: bytes) -> Iterator[bytes]:
    return (blob[k:k + DIGEST_BYTES] for k in range(0, len(blob), DIGEST_BYTES))


__all__ = ["DIGESTED", "DIGEST_BYTES", "IMPORT_ACTION", "chain_head", "import_event_digest", "pack_digests",
           "row_digest", "rows_anchor", "store_digests", "stored_digests"]
