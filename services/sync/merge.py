"""The record merge of one verified bundle, inside the caller's write transaction (bulk, not the ORM).

Per table, parents first, in batches: validate every record (types, enums, required fields; failures are
quarantined), map foreign-key uids to local ids (rows earlier in the bundle included; a row pointing at a row of
its own table further on waits until the end of the table), then

* unknown uid → insert (``INSERT OR IGNORE``: a row refused by a UNIQUE constraint is quarantined, not fatal);
* known uid → compare (version, updated_at) with the local row and the common base (``decide``): newer updates,
  equal or older is ignored, both changed since the base → the local row stays and the incoming version goes
  to ``sync_conflict``.

Afterwards the peer's base is recorded for every version both sides now hold, and the receipt lines are
written to ``sink``. One audit event per table sums up the bundle (services.core.audit.append_events); the digest
of every row written goes to ``import_digest`` (services/sync/digests.py), for ``verify --deep``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from itertools import chain
from typing import IO, Any, cast

from models.base import new_uid
from models.enums import RecordKind
from services.sync.containment import merge_contained, quarantine_text, today_of
from services.sync.deferred import suspend_insert_triggers
from services.sync.dialect import RawConnection, is_pg, time_text
from services.sync.digests import chain_head, store_digests
from services.sync.idmap import IdMaps, referenced_tables
from services.sync.ownership import Column as _Col
from services.sync.ownership import Owners, keep_rows
from services.sync.reader import VerifiedBundle
from services.sync.sealed import Derived, FieldSealer, apply_derived, insert_columns
from services.sync.tables import TableSpec, row_to_record, same_content, select_sql, synced_specs
from services.sync.validate import incoming_base, validator_for

BATCH = 2000  # records per batch: bounds memory (one batch of dicts and columns at a time) and statement sizes
ROWS_PER_INSERT = 200  # rows per multi-row INSERT (within SQLite's limit on bound variables)
Ident = tuple[int, str]
Column = Sequence[Any]
Pending = tuple[dict[str, Any], tuple[Any, ...], str]  # record, its values (uids unmapped), reason if it never fits


class Outcome(Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


def decide(local: Ident, incoming: Ident, incoming_base: Ident | None, peer_base: Ident | None, *,
           shared: bool, same: Callable[[], bool]) -> Outcome:
    """Whether an incoming version of a known record updates it, is ignored, or is a conflict.

    ``peer_base``: the last version this database and the sender are known to share; ``incoming_base``: the
    sender's idea of it (travels as ``_base``); ``shared``: the local version is held by some peer (it carries
    no unexported local edit); ``same``: contents equal apart from bookkeeping (lazy: it costs a read).
    """
    if incoming == local:
        # Same version and timestamp normally means the same record; two edits made on two devices at the
        # same instant (or with a shared test clock) must still not be silently dropped.
        return Outcome.UNCHANGED if same() else Outcome.CONFLICT
    if local in (peer_base, incoming_base):  # nothing changed here since the sender last saw our version
        return Outcome.UPDATED if incoming[0] > local[0] else Outcome.UNCHANGED
    if incoming == peer_base:  # the sender re-sent what we both had; ours is newer
        return Outcome.UNCHANGED
    if peer_base is None and incoming_base is None:  # no common history with this sender
        if same():
            return Outcome.UNCHANGED
        if shared:
            return Outcome.UPDATED if incoming[0] > local[0] else Outcome.UNCHANGED
    return Outcome.CONFLICT


def same_shared_columns(local: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Whether a record version is "unchanged": equal in the columns both sides have, apart from bookkeeping.

    A sender on a newer schema sends a column this database does not have, one on an older schema lacks one it
    has (docs/sync-bundle.md §Import): neither is a change of the record. Compared over the union instead, one new
    column would turn every re-sent record into a conflict at a receiver that has not upgraded. Only the merge's
    verdict "unchanged" (nothing written) rests on this; the ownership checks keep comparing every column.
    """
    shared = local.keys() & incoming.keys()
    return same_content({k: local[k] for k in shared}, {k: incoming[k] for k in shared})


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    quarantined: int = 0

    def total(self) -> int:
        return self.new + self.updated + self.unchanged + self.conflicts + self.quarantined


@dataclass
class MergeResult:
    counts: dict[str, Counts] = field(default_factory=dict)
    quarantined: list[tuple[str, str, str]] = field(default_factory=list)  # table, uid, reason (first 1000)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # table, uid, conflict uid
    owners: set[tuple[str, int]] = field(default_factory=set)  # rows whose derived deadlines need recomputing


_OBJECTS = frozenset({dict})  # a decoded line that is a JSON object (a str stands for a line that is not)
_DEADLINE_OWNERS = {RecordKind.PENALTY_CASE, RecordKind.MEDIATION_CASE, RecordKind.COERCIVE_MEASURE}


class Merger:
    def __init__(self, raw: RawConnection, bundle: VerifiedBundle, *, peer_id: int, peers: list[int], now_db: str,
                 sink: IO[str] | None, sealer: FieldSealer | None = None) -> None:
        self.raw = raw
        # Sealed columns arrive in the clear (validated so), are sealed under this database's key before they are
        # written, and get their local derived columns (services/sync/sealed.py).
        self.sealer = sealer
        self._derived: Derived = {}  # of the batch being merged, by its rows' positions
        self._plain: dict[str, dict[str, Any]] = {}
        self.b = bundle
        self.peer_id = peer_id
        self.peers = tuple(peers)  # trusted_device ids (bound as parameters)
        self.now = now_db
        self.sink = sink
        self.result = MergeResult()
        self.ids = IdMaps(raw, referenced_tables(synced_specs()))
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self.pending: list[Pending] = []
        # SQLite's limit on ? per statement: 32,766 since 3.32, 999 before (Windows Pythons bundle their own).
        self.max_vars = int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        self.pg = is_pg(raw)
        self.updated_text = time_text(raw, "updated_at")  # sync_state keeps updated_at as SQLite's text
        self.owners = Owners(raw, bundle)  # who may write what (services/sync/ownership.py)
        self.after_seq = chain_head(raw)  # events numbered above it were written after this import
        # SQLite's per-row INSERT triggers (figure marks, text search) run once per batch instead (deferred.py);
        # close() creates them again.
        self.deferred = suspend_insert_triggers(raw, pg=self.pg)

    def close(self) -> None:
        """After the last table: the INSERT triggers back in place (before anything else writes a row)."""
        if self.deferred is not None:
            self.deferred.restore()
            self.deferred = None

    # -- bookkeeping -----------------------------------------------------------------------------------

    def counts(self, table: str) -> Counts:
        return self.result.counts.setdefault(table, Counts())

    def quarantine(self, spec: TableSpec, rec: dict[str, Any] | str, reason: str) -> None:
        if isinstance(rec, dict) and self._plain:  # refused after sealing: kept as it arrived, then sealed whole
            rec = self._plain.get(str(rec.get("uid")), rec)
        uid, payload = quarantine_text(rec, self.dumps)
        if self.sealer is not None:  # the receiving database's key, bound to this row (docs/encryption-data.md)
            payload = self.sealer.seal_payload(payload, bundle_uid=self.b.uid, table=spec.name, record_uid=uid[:64])
        self.raw.execute("INSERT INTO sync_quarantine (bundle_uid, tbl, record_uid, reason, payload, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (self.b.uid, spec.name, uid[:64], reason, payload, self.now))
        self.counts(spec.name).quarantined += 1
        if len(self.result.quarantined) < 1000:
            self.result.quarantined.append((spec.name, uid, reason))

    def receipt(self, table: str, uids: Column, versions: Column, updated: Column) -> None:
        """Receipt lines ``[table, uid, version, updated_at]``. The values passed validation (uid: a UUID,
        version: an int, updated_at: the datetime pattern), so formatting needs no JSON escaping."""
        if self.sink is not None and uids:
            line = ('["' + table + '","{}",{},"{}"]\n').format
            self.sink.write("".join(map(line, uids, versions, updated)))

    def set_base(self, table: str, rows: list[tuple[int, int, str]]) -> None:
        self.raw.executemany(
            "INSERT INTO sync_state (peer_id, tbl, row_id, base_version, base_updated, acked_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (peer_id, tbl, row_id) DO UPDATE SET "
            "base_version=excluded.base_version, base_updated=excluded.base_updated, acked_at=excluded.acked_at",
            [(self.peer_id, table, i, v, m, self.now) for i, v, m in rows])

    # -- one table -------------------------------------------------------------------------------------

    def table(self, spec: TableSpec) -> None:
        name = f"records/{spec.name}.jsonl"
        if not self.b.has(name):
            return
        self.counts(spec.name)
        top = self.raw.execute(f'SELECT max(id) FROM "{spec.name}"').fetchone()[0]  # noqa: S608 - a table of the models
        self.next_id = (top or 0) + 1
        self.was_empty = top is None
        self.pending = []
        validator = validator_for(spec, today_of(self.now))
        for items in self.b.record_batches(name, BATCH):
            if set(map(type, items)) <= _OBJECTS:  # the usual batch: one C-level pass instead of a loop per line
                recs = cast(list[dict[str, Any]], items)
            else:
                recs = []
                for rec in items:
                    if isinstance(rec, str):  # services/sync/jsonl.py: not JSON, or too long to read
                        self.quarantine(spec, rec, getattr(rec, "reason", "不是有效的 JSON 记录"))
                    else:
                        recs.append(rec)
            good, cols, bad = validator.check(recs)
            for rec, reason in bad:
                self.quarantine(spec, rec, reason)
            good, cols = self._owned(spec, good, cols)
            merge_contained(self, spec, good, cols)
        while self.pending:  # rows that point at rows of their own table further on in the bundle
            waiting, self.pending = self.pending, []
            merge_contained(self, spec, [w[0] for w in waiting], list(zip(*(w[1] for w in waiting), strict=True)))
            if len(self.pending) == len(waiting):  # no progress: what they point at is in neither place
                for rec, _values, reason in self.pending:
                    self.quarantine(spec, rec, reason)
                self.pending = []
        if self.pg and self.next_id > (top or 0) + 1:
            # Rows went in with explicit ids: move the id sequence past them (SQLite needs nothing: its rowid
            # follows max(id)), so the next record made here through the ORM gets a free id.
            self.raw.execute(f"SELECT setval(pg_get_serial_sequence('{spec.name}', 'id'), "  # noqa: S608 - a table of the models
                             f'coalesce((SELECT max(id) FROM "{spec.name}"), 0) + 1, false)')

    def _rows(self, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Column]) -> None:
        """Map foreign keys, set aside what cannot be placed, then insert the new rows and merge the known."""
        if not recs:
            return
        given = cols
        cols = list(cols)
        bad: dict[int, tuple[bool, str]] = {}  # row → (waits for a row of its own table, reason)
        for i, c in enumerate(spec.columns):
            if c.fk_table is None:
                continue
            col = given[i]
            mapped = list(map(self.ids.resolve(c.fk_table, col).get, col))
            if mapped.count(None) != col.count(None):  # some uid is neither here nor earlier in the bundle
                for n, (u, rid) in enumerate(zip(col, mapped, strict=True)):
                    if rid is None and u is not None and n not in bad:
                        bad[n] = (c.fk_table == spec.name,
                                  f"引用的 {c.fk_table} 记录 {u} 在本库和同步包中都不存在（或已被隔离）")
            cols[i] = mapped
        self.owners.parents(spec, given, cols, bad)  # written under another township's row: refused
        if self.pg and spec.bools:  # PostgreSQL's boolean takes no 0/1 (SQLite stores them so)
            for i, c in enumerate(spec.columns):
                if c.kind == "bool":
                    cols[i] = [None if v is None else bool(v) for v in cols[i]]
        if spec.name == "attachment":
            self._missing_blobs(spec, given, bad)
        if bad:
            for n, (waits, reason) in sorted(bad.items()):
                if waits:
                    self.pending.append((recs[n], tuple(c[n] for c in given), reason))
                else:
                    self.quarantine(spec, recs[n], reason)
            keep = [n for n in range(len(recs)) if n not in bad]
            recs, cols = [recs[n] for n in keep], [[c[n] for n in keep] for c in cols]
            if not recs:
                return
        existing: dict[str, tuple[int, int, str]] = {}
        if not self.was_empty:  # a table empty before this bundle: duplicates are caught by INSERT OR IGNORE
            uids = list(cols[spec.uid_i])
            for k in range(0, len(uids), 500):
                part = uids[k:k + 500]
                for uid, rid, ver, upd in self.raw.execute(
                        f'SELECT uid, id, version, updated_at FROM "{spec.name}" WHERE uid IN '  # noqa: S608 - a table of the models, placeholders
                        f'({",".join("?" * len(part))})', part):
                    existing[uid] = (rid, ver, str(upd))
            recs, cols = self._not_foreign(spec, recs, cols, existing)
        if self.sealer is not None and self.sealer.needs(spec):
            plain = recs
            recs, self._derived = self.sealer.seal_batch(spec, recs, cols)
            self._plain = {p["uid"]: p for p in plain}
        else:
            self._derived, self._plain = {}, {}
        if not existing:
            self._insert(spec, recs, cols, insert_columns(self._derived))
            return
        uid_col = cols[spec.uid_i]
        new = [n for n, u in enumerate(uid_col) if u not in existing]
        old = [n for n, u in enumerate(uid_col) if u in existing]
        self._insert(spec, [recs[n] for n in new], [[c[n] for n in new] for c in cols],
                     insert_columns(self._derived, new))
        rows = list(zip(*cols, strict=True))
        self._update(spec, [(recs[n], rows[n], n) for n in old], existing)

    # -- ownership (services/sync/ownership.py) ------------------------------------------------------------

    def _owned(self, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Column]
               ) -> tuple[list[dict[str, Any]], list[_Col]]:
        """The batch without the rows the sender may not write (quarantined with the owner named)."""
        return keep_rows(recs, list(cols), self.owners.admit(spec, recs, cols), spec, self.quarantine)

    def _not_foreign(self, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Column],
                     existing: dict[str, tuple[int, int, str]]) -> tuple[list[dict[str, Any]], list[Column]]:
        """Rows whose uid is already another owner's record here: quarantined, and dropped from ``existing``."""
        foreign = self.owners.existing(spec, existing)
        if not foreign:
            return recs, cols
        uid_col = cols[spec.uid_i]
        refused = {n: foreign[u] for n, u in enumerate(uid_col) if u in foreign}
        for u in foreign:
            existing.pop(u, None)
        return keep_rows(recs, cols, refused, spec, self.quarantine)

    def _missing_blobs(self, spec: TableSpec, cols: list[Column], bad: dict[int, tuple[bool, str]]) -> None:
        col = cols[spec.names.index("blob_sha256")]
        shas = list(set(col))
        known: set[str] = set()
        for k in range(0, len(shas), 500):
            part = shas[k:k + 500]
            known |= {r[0] for r in self.raw.execute(
                f"SELECT sha256 FROM blob WHERE sha256 IN ({','.join('?' * len(part))})", part)}  # noqa: S608 - placeholders only
        for n, sha in enumerate(col):
            if sha not in known and n not in bad:
                bad[n] = (False, f"附件文件 {sha[:12]}… 不在本库和同步包中")

    def _insert(self, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Column],
                derived: tuple[tuple[str, ...], list[list[str]]] = ((), [])) -> None:
        """Insert new rows; ``derived``: the local derived columns (names, values) written with them."""
        n = len(recs)
        if not n:
            return
        first, end = self.next_id, self.next_id + n
        self.next_id = end
        extra, extra_cols = derived
        self._insert_rows(spec, list(chain.from_iterable(zip(range(first, end), *cols, *extra_cols, strict=True))),
                          extra)
        uids, vers, upds = cols[spec.uid_i], cols[spec.names.index("version")], cols[spec.names.index("updated_at")]
        ids: Sequence[int] = range(first, end)
        # The rows present, counted (ids ≥ first are this batch's only): SQLite's change counter also counts the
        # writes of a trigger that still fires per row, which could make up for rows refused.
        present_n = self.raw.execute(f'SELECT count(*) FROM "{spec.name}" WHERE id >= ? AND id < ?',  # noqa: S608 - a table of the models
                                     (first, end)).fetchone()[0]
        if present_n != n:  # some rows refused by a UNIQUE constraint (a duplicate number)
            present = {r[0] for r in self.raw.execute(f'SELECT id FROM "{spec.name}" WHERE id >= ? AND id < ?',  # noqa: S608 - a table of the models
                                                      (first, end))}  # ids ≥ first are this batch's only
            keep = [k for k in range(n) if first + k in present]
            refused = getattr(self.raw, "row_errors", {})  # PostgreSQL: rows it refused for another reason
            for k in range(n):
                if first + k not in present:
                    why = refused.get(first + k)
                    self.quarantine(spec, recs[k], f"数据库拒绝写入：{why}" if why else
                                    "与本库已有记录冲突（唯一约束：UUID、编码或文号重复）")
            ids = [first + k for k in keep]
            uids, vers, upds = [uids[k] for k in keep], [vers[k] for k in keep], [upds[k] for k in keep]
            cols = [[c[k] for k in keep] for c in cols]
        if self.deferred is not None:
            self.deferred.inserted(spec.name, first, end)
        store_digests(self.raw, spec, self.b.uid, self.after_seq, ids, cols)
        self.counts(spec.name).new += len(ids)
        # The shared base of the new rows, read back from the rows themselves in one statement (no Python rows).
        self.raw.execute(
            "INSERT INTO sync_state (peer_id, tbl, row_id, base_version, base_updated, acked_at) "  # noqa: S608 - a table of the models
            f'SELECT ?, ?, id, version, {self.updated_text}, ? FROM "{spec.name}" WHERE id >= ? AND id < ? '
            "ON CONFLICT (peer_id, tbl, row_id) DO UPDATE SET base_version=excluded.base_version, "
            "base_updated=excluded.base_updated, acked_at=excluded.acked_at",
            (self.peer_id, spec.name, self.now, first, end))
        self.receipt(spec.name, uids, vers, upds)
        if spec.name in self.ids.referenced:
            self.ids.add(spec.name, zip(uids, ids, strict=True))
        if spec.name in _DEADLINE_OWNERS:
            self.result.owners.update((spec.name, i) for i in ids)

    def _insert_rows(self, spec: TableSpec, flat: list[Any], extra: tuple[str, ...] = ()) -> None:
        """INSERT OR IGNORE of rows given as one flat list (id, the columns of ``spec``, then ``extra``, row after row),
        ``per`` rows per statement. Several rows per statement rather than executemany's one: SQLite then runs
        the enum CHECK constraints' IN (…) set-up and the statement's start and reset once per statement
        instead of once per row, about 40 % less time per row (bench/README.md), with every constraint still on."""
        width = len(spec.names) + 1 + len(extra)
        per = max(1, min(ROWS_PER_INSERT, self.max_vars // width))
        names = ", ".join(f'"{c}"' for c in ("id", *spec.names, *extra))
        head = f'INSERT OR IGNORE INTO "{spec.name}" ({names}) VALUES '  # noqa: S608 - a table of the models, its columns
        one = f"({','.join('?' * width)})"
        full = head + ",".join([one] * per)
        step = per * width
        for k in range(0, len(flat), step):
            part = flat[k:k + step]
            self.raw.execute(full if len(part) == step else head + ",".join([one] * (len(part) // width)), part)

    def _update(self, spec: TableSpec, rows: list[tuple[dict[str, Any], tuple[Any, ...], int]],
                existing: dict[str, tuple[int, int, str]]) -> None:
        """Merge known records: (record, its values, its position in the batch) each."""
        ids = [existing[v[spec.uid_i]][0] for _r, v, _n in rows]
        bases: dict[tuple[int, int], Ident] = {}
        for k in range(0, len(ids), 500):
            part = ids[k:k + 500]
            q = ("SELECT peer_id, row_id, base_version, base_updated FROM sync_state WHERE peer_id IN "  # noqa: S608 - placeholders only
                 f"({','.join('?' * len(self.peers))}) AND tbl=? AND row_id IN ({','.join('?' * len(part))})")
            for pid, rid, bv, bu in self.raw.execute(q, (*self.peers, spec.name, *part)):
                if bv is not None:
                    bases[(pid, rid)] = (bv, str(bu))
        held: dict[int, set[Ident]] = {}  # row → versions some peer holds
        for (_p, rid), b in bases.items():
            held.setdefault(rid, set()).add(b)
        ver_i, upd_i = spec.names.index("version"), spec.names.index("updated_at")
        updates, base, receipt = [], [], []
        c = self.counts(spec.name)
        for rec, vals, at in rows:
            rid, lv, lu = existing[vals[spec.uid_i]]
            local, incoming = (lv, lu), (vals[ver_i], vals[upd_i])
            outcome = decide(local, incoming, incoming_base(rec), bases.get((self.peer_id, rid)),
                             shared=local in held.get(rid, ()),
                             same=partial(self._same, spec, rid, rec))
            if outcome is Outcome.UPDATED:
                updates.append((rec, vals, rid, at))
            elif outcome is Outcome.UNCHANGED:
                c.unchanged += 1
                receipt.append((vals[spec.uid_i], *incoming))
                if incoming == local:
                    base.append((rid, *incoming))
            else:
                self._conflict(spec, rec, rid)
        if updates:
            sets = ", ".join(f'"{n}"=?' for n in spec.names)
            before = self.raw.total_changes
            cur = self.raw.executemany(f'UPDATE OR IGNORE "{spec.name}" SET {sets} WHERE id=?',  # noqa: S608 - a table of the models, its columns
                                       [(*vals, rid) for _r, vals, rid, _n in updates])
            # SQLite: the statement's own rows (rowcount); its change counter would add what the UPDATE triggers
            # (figure marks, text search) wrote, and could make up for rows refused. PostgreSQL's counter (PgRaw)
            # sums the statements' own row counts already.
            changed = self.raw.total_changes - before if self.pg else cur.rowcount
            refused: set[int] = set()
            if changed != len(updates):
                for _rec, vals, rid, _n in updates:
                    got = self.raw.execute(f'SELECT version, updated_at FROM "{spec.name}" WHERE id=?',  # noqa: S608 - a table of the models
                                           (rid,)).fetchone()
                    if (got[0], str(got[1])) != (vals[ver_i], vals[upd_i]):
                        refused.add(rid)
            written = [(rid, vals) for _rec, vals, rid, _n in updates if rid not in refused]
            if written:
                store_digests(self.raw, spec, self.b.uid, self.after_seq, [w[0] for w in written],
                              list(zip(*(w[1] for w in written), strict=True)))
            derived_at: list[int] = []  # the updated rows' positions in the batch (their derived columns)
            derived_uids: list[str] = []
            for rec, vals, rid, at in updates:
                if rid in refused:
                    self.quarantine(spec, rec, "更新与本库已有记录冲突（唯一约束：编码或文号重复）")
                    continue
                c.updated += 1
                derived_at.append(at)
                derived_uids.append(vals[spec.uid_i])
                base.append((rid, vals[ver_i], vals[upd_i]))
                receipt.append((vals[spec.uid_i], vals[ver_i], vals[upd_i]))
                if spec.name in _DEADLINE_OWNERS:
                    self.result.owners.add((spec.name, rid))
            if self._derived:  # one statement per shape for the batch, not one per row
                apply_derived(self.raw, spec, self._derived, derived_at, derived_uids)
        self.set_base(spec.name, base)
        if receipt:
            self.receipt(spec.name, *zip(*receipt, strict=True))

    def _same(self, spec: TableSpec, rid: int, rec: dict[str, Any]) -> bool:
        """Whether the stored row equals ``rec`` (read only when :func:`decide` needs to know)."""
        if self.sealer is not None and self._plain:  # sealed values compare by their plaintext
            return same_shared_columns(self.sealer.open_local(spec, self._local(spec, rid)),
                                       self._plain.get(rec["uid"], rec))
        return same_shared_columns(self._local(spec, rid), rec)

    def _local(self, spec: TableSpec, rid: int) -> dict[str, Any]:
        row = self.raw.execute(select_sql(spec, "WHERE t.id=?"), (rid,)).fetchone()
        return row_to_record(spec, row[1:])

    def _conflict(self, spec: TableSpec, rec: dict[str, Any], rid: int) -> None:
        uid = rec["uid"]
        incoming = self.dumps({k: v for k, v in rec.items() if k != "_base"})  # the stored (sealed) form
        dup = self._logged(spec, uid, incoming)
        cuid = dup or new_uid()
        if dup is None:
            local = self.dumps(self._local(spec, rid))
            self.raw.execute(
                "INSERT INTO sync_conflict (uid, tbl, record_uid, local_json, incoming_json, bundle_uid, source_uid, "
                "created_at, status, resolution, resolved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', '', '')",
                (cuid, spec.name, uid, local, incoming, self.b.uid, self.b.card.device_uid, self.now))
        self.counts(spec.name).conflicts += 1
        if len(self.result.conflicts) < 1000:
            self.result.conflicts.append((spec.name, uid, cuid))

    def _logged(self, spec: TableSpec, uid: str, incoming: str) -> str | None:
        """The open conflict already holding this incoming version of ``uid``, if any. Sealed values carry a fresh
        nonce at every import, so the same version logged again compares by its opened values, not its text."""
        plain = None
        if self.sealer is not None and uid in self._plain:
            plain = {k: v for k, v in self._plain[uid].items() if k != "_base"}
        for cuid, text in self.raw.execute("SELECT uid, incoming_json FROM sync_conflict "
                                           "WHERE record_uid=? AND status='open' ORDER BY id", (uid,)):
            if text == incoming:
                return str(cuid)
            if plain is not None and self.sealer is not None and self.sealer.same_opened(spec, json.loads(text), plain):
                return str(cuid)
        return None
