"""The record merge of one verified bundle, inside the caller's write transaction (bulk, not the ORM).

Per table, parents first, in batches: validate every record (types, enums, required fields; failures are
quarantined), map foreign-key uids to local ids (rows earlier in the bundle included; a row pointing at a row of
its own table further on waits until the end of the table), then

* unknown uid → insert (``INSERT OR IGNORE``: a row refused by a UNIQUE constraint is quarantined, not fatal);
* known uid → compare (version, updated_at) with the local row and the common base (``decide``): newer updates,
  equal or older is ignored, both changed since the base → the local row stays and the incoming version goes
  to ``sync_conflict``.

Afterwards the peer's base is recorded for every version both sides now hold, and the receipt lines are
written to ``sink``. One audit event per table sums up the bundle (services.audit.append_events).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import IO, Any

from models.base import new_uid
from services.sync.reader import VerifiedBundle
from services.sync.tables import MISSING, UUID_TEXT, Invalid, TableSpec, row_to_record, same_content, select_sql

BATCH = 2000
CACHE_MAX = 300_000
Ident = tuple[int, str]


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


_DEADLINE_OWNERS = {"penalty_case", "mediation_case", "coercive_measure"}


class Merger:
    def __init__(self, raw: Any, bundle: VerifiedBundle, *, peer_id: int, peers: list[int], now_db: str,
                 sink: IO[str] | None) -> None:
        self.raw = raw
        self.b = bundle
        self.peer_id = peer_id
        self.peers = ",".join(str(p) for p in peers)
        self.now = now_db
        self.sink = sink
        self.result = MergeResult()
        self.cache: dict[str, dict[str, int]] = {}
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    # -- bookkeeping -----------------------------------------------------------------------------------

    def counts(self, table: str) -> Counts:
        return self.result.counts.setdefault(table, Counts())

    def quarantine(self, spec: TableSpec, rec: dict[str, Any] | str, reason: str) -> None:
        uid = str(rec.get("uid", "")) if isinstance(rec, dict) else ""
        payload = self.dumps(rec) if isinstance(rec, dict) else rec
        self.raw.execute("INSERT INTO sync_quarantine (bundle_uid, tbl, record_uid, reason, payload, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (self.b.uid, spec.name, uid[:64], reason, payload, self.now))
        self.counts(spec.name).quarantined += 1
        if len(self.result.quarantined) < 1000:
            self.result.quarantined.append((spec.name, uid, reason))

    def receipt(self, table: str, rows: list[tuple[str, int, str]]) -> None:
        if self.sink is not None and rows:
            self.sink.write("".join(json.dumps([table, u, v, m]) + "\n" for u, v, m in rows))

    def set_base(self, table: str, rows: list[tuple[int, int, str]]) -> None:
        self.raw.executemany(
            "INSERT INTO sync_state (peer_id, tbl, row_id, base_version, base_updated, acked_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (peer_id, tbl, row_id) DO UPDATE SET "
            "base_version=excluded.base_version, base_updated=excluded.base_updated, acked_at=excluded.acked_at",
            [(self.peer_id, table, i, v, m, self.now) for i, v, m in rows])

    # -- look-ups --------------------------------------------------------------------------------------

    def ids_for(self, table: str, uids: set[str]) -> dict[str, int]:
        cache = self.cache.setdefault(table, {})
        out = {u: cache[u] for u in uids if u in cache}
        missing = [u for u in uids if u not in out]
        for i in range(0, len(missing), 500):
            part = missing[i:i + 500]
            q = f'SELECT uid, id FROM "{table}" WHERE uid IN ({",".join("?" * len(part))})'
            for uid, rid in self.raw.execute(q, part):
                out[uid] = rid
        if len(cache) > CACHE_MAX:
            cache.clear()
        cache.update(out)
        return out

    # -- one table -------------------------------------------------------------------------------------

    def table(self, spec: TableSpec) -> None:
        name = f"records/{spec.name}.jsonl"
        if not self.b.has(name):
            return
        self.counts(spec.name)
        top = self.raw.execute(f'SELECT max(id) FROM "{spec.name}"').fetchone()[0]
        self.next_id = (top or 0) + 1
        self.was_empty = top is None
        self.pending: list[tuple[dict[str, Any], list[Any]]] = []
        batch: list[dict[str, Any] | str] = []
        for rec in self.b.records(name):
            batch.append(rec)
            if len(batch) >= BATCH:
                self._batch(spec, batch)
                batch = []
        if batch:
            self._batch(spec, batch)
        while self.pending:  # rows that point at rows of their own table further on in the bundle
            waiting, self.pending = self.pending, []
            self._rows(spec, waiting, last_round=False)
            if len(self.pending) == len(waiting):
                for rec, _values in self.pending:
                    self.quarantine(spec, rec, "引用的同表记录在本库和同步包中都不存在")
                self.pending = []

    def _batch(self, spec: TableSpec, batch: list[dict[str, Any] | str]) -> None:
        rows: list[tuple[dict[str, Any], list[Any]]] = []
        for rec in batch:
            if isinstance(rec, str):
                self.quarantine(spec, rec, "不是有效的 JSON 记录")
                continue
            try:
                rows.append((rec, self._convert(spec, rec)))
            except Invalid as exc:
                self.quarantine(spec, rec, str(exc))
        self._rows(spec, rows, last_round=True)

    def _convert(self, spec: TableSpec, rec: dict[str, Any]) -> list[Any]:
        values = []
        for c in spec.columns:
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
        if not UUID_TEXT.match(values[spec.uid_i]):
            raise Invalid("uid 不是有效的 UUID")
        return values

    def _rows(self, spec: TableSpec, rows: list[tuple[dict[str, Any], list[Any]]], *, last_round: bool) -> None:
        if not rows:
            return
        fk_idx = [(i, c) for i, c in enumerate(spec.columns) if c.fk_table is not None]
        maps = {}
        for i, c in fk_idx:
            uids = {vals[i] for _r, vals in rows if vals[i] is not None}
            maps[i] = self.ids_for(c.fk_table, uids) if uids else {}  # type: ignore[arg-type]
        blob_idx = spec.names.index("blob_sha256") if spec.name == "attachment" else -1
        known_blobs: set[str] = set()
        if blob_idx >= 0:
            shas = list({vals[blob_idx] for _r, vals in rows})
            for k in range(0, len(shas), 500):
                part = shas[k:k + 500]
                known_blobs |= {r[0] for r in self.raw.execute(
                    f"SELECT sha256 FROM blob WHERE sha256 IN ({','.join('?' * len(part))})", part)}
        ready: list[tuple[dict[str, Any], list[Any]]] = []
        for rec, vals in rows:
            bad = None
            for i, c in fk_idx:
                u = vals[i]
                if u is None:
                    continue
                rid = maps[i].get(u)
                if rid is None:
                    if c.fk_table == spec.name and last_round:
                        bad = "pending"
                        break
                    bad = f"引用的 {c.fk_table} 记录 {u} 在本库和同步包中都不存在（或已被隔离）"
                    break
            if bad == "pending":
                self.pending.append((rec, vals))
                continue
            if bad is None and blob_idx >= 0 and vals[blob_idx] not in known_blobs:
                bad = f"附件文件 {vals[blob_idx][:12]}… 不在本库和同步包中"
            if bad is not None:
                self.quarantine(spec, rec, bad)
                continue
            mapped = list(vals)
            for i, _c in fk_idx:
                if mapped[i] is not None:
                    mapped[i] = maps[i][mapped[i]]
            ready.append((rec, mapped))
        existing: dict[str, tuple[int, int, str]] = {}
        if not self.was_empty:  # a table empty before this bundle: duplicates are caught by INSERT OR IGNORE
            uids = [vals[spec.uid_i] for _r, vals in ready]
            for k in range(0, len(uids), 500):
                part = uids[k:k + 500]
                for uid, rid, ver, upd in self.raw.execute(
                        f'SELECT uid, id, version, updated_at FROM "{spec.name}" WHERE uid IN '
                        f'({",".join("?" * len(part))})', part):
                    existing[uid] = (rid, ver, str(upd))
        new = [(r, v) for r, v in ready if v[spec.uid_i] not in existing]
        old = [(r, v) for r, v in ready if v[spec.uid_i] in existing]
        self._insert(spec, new)
        if old:
            self._update(spec, old, existing)

    def _insert(self, spec: TableSpec, rows: list[tuple[dict[str, Any], list[Any]]]) -> None:
        if not rows:
            return
        cols = ", ".join(f'"{n}"' for n in ("id", *spec.names))
        sql = f'INSERT OR IGNORE INTO "{spec.name}" ({cols}) VALUES ({", ".join("?" * (len(spec.names) + 1))})'
        params, first = [], self.next_id
        for _rec, vals in rows:
            params.append((self.next_id, *vals))
            self.next_id += 1
        before = self.raw.total_changes
        self.raw.executemany(sql, params)
        ok = [True] * len(rows)
        if self.raw.total_changes - before != len(rows):  # some rows refused by a UNIQUE constraint
            wanted = {p[0]: p[1 + spec.uid_i] for p in params}
            ids = list(wanted)
            present: set[int] = set()
            for k in range(0, len(ids), 500):
                part = ids[k:k + 500]
                q = f'SELECT id, uid FROM "{spec.name}" WHERE id IN ({",".join("?" * len(part))})'
                present |= {rid for rid, uid in self.raw.execute(q, part) if uid == wanted[rid]}
            for n, (rec, _vals) in enumerate(rows):
                if params[n][0] not in present:
                    ok[n] = False
                    self.quarantine(spec, rec, "与本库已有记录冲突（唯一约束：UUID、编码或文号重复）")
        cache = self.cache.setdefault(spec.name, {})
        base, receipt = [], []
        ver_i, upd_i = spec.names.index("version"), spec.names.index("updated_at")
        for n, (_rec, vals) in enumerate(rows):
            if not ok[n]:
                continue
            rid = first + n
            cache[vals[spec.uid_i]] = rid
            base.append((rid, vals[ver_i], vals[upd_i]))
            receipt.append((vals[spec.uid_i], vals[ver_i], vals[upd_i]))
            if spec.name in _DEADLINE_OWNERS:
                self.result.owners.add((spec.name, rid))
        self.counts(spec.name).new += len(base)
        self.set_base(spec.name, base)
        self.receipt(spec.name, receipt)

    def _update(self, spec: TableSpec, rows: list[tuple[dict[str, Any], list[Any]]],
                existing: dict[str, tuple[int, int, str]]) -> None:
        ids = [existing[v[spec.uid_i]][0] for _r, v in rows]
        bases: dict[tuple[int, int], Ident] = {}
        q = (f"SELECT peer_id, row_id, base_version, base_updated FROM sync_state WHERE peer_id IN ({self.peers}) "
             f"AND tbl=? AND row_id IN ({','.join('?' * len(ids))})")
        for pid, rid, bv, bu in self.raw.execute(q, (spec.name, *ids)):
            if bv is not None:
                bases[(pid, rid)] = (bv, str(bu))
        ver_i, upd_i = spec.names.index("version"), spec.names.index("updated_at")
        updates, base, receipt = [], [], []
        c = self.counts(spec.name)
        for rec, vals in rows:
            rid, lv, lu = existing[vals[spec.uid_i]]
            local, incoming = (lv, lu), (vals[ver_i], vals[upd_i])
            ib = rec.get("_base")
            inc_base = (ib[0], str(ib[1])) if isinstance(ib, list) and len(ib) == 2 else None
            shared = any(b == local for (_p, r), b in bases.items() if r == rid)
            outcome = decide(local, incoming, inc_base, bases.get((self.peer_id, rid)), shared=shared,
                             same=lambda rid=rid, rec=rec: same_content(self._local(spec, rid), rec))
            if outcome is Outcome.UPDATED:
                updates.append((rec, vals, rid))
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
            self.raw.executemany(f'UPDATE OR IGNORE "{spec.name}" SET {sets} WHERE id=?',
                                 [(*vals, rid) for _r, vals, rid in updates])
            refused: set[int] = set()
            if self.raw.total_changes - before != len(updates):
                for _rec, vals, rid in updates:
                    got = self.raw.execute(f'SELECT version, updated_at FROM "{spec.name}" WHERE id=?',
                                           (rid,)).fetchone()
                    if (got[0], str(got[1])) != (vals[ver_i], vals[upd_i]):
                        refused.add(rid)
            for rec, vals, rid in updates:
                if rid in refused:
                    self.quarantine(spec, rec, "更新与本库已有记录冲突（唯一约束：编码或文号重复）")
                    continue
                c.updated += 1
                base.append((rid, vals[ver_i], vals[upd_i]))
                receipt.append((vals[spec.uid_i], vals[ver_i], vals[upd_i]))
                if spec.name in _DEADLINE_OWNERS:
                    self.result.owners.add((spec.name, rid))
        self.set_base(spec.name, base)
        self.receipt(spec.name, receipt)

    def _local(self, spec: TableSpec, rid: int) -> dict[str, Any]:
        row = self.raw.execute(select_sql(spec, "WHERE t.id=?"), (rid,)).fetchone()
        return row_to_record(spec, row[1:])

    def _conflict(self, spec: TableSpec, rec: dict[str, Any], rid: int) -> None:
        uid = rec["uid"]
        incoming = self.dumps({k: v for k, v in rec.items() if k != "_base"})
        dup = self.raw.execute("SELECT uid FROM sync_conflict WHERE record_uid=? AND status='open' AND incoming_json=?",
                               (uid, incoming)).fetchone()
        cuid = dup[0] if dup else new_uid()
        if dup is None:
            local = self.dumps(self._local(spec, rid))
            self.raw.execute(
                "INSERT INTO sync_conflict (uid, tbl, record_uid, local_json, incoming_json, bundle_uid, source_uid, "
                "created_at, status, resolution, resolved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', '', '')",
                (cuid, spec.name, uid, local, incoming, self.b.uid, self.b.card.device_uid, self.now))
        self.counts(spec.name).conflicts += 1
        if len(self.result.conflicts) < 1000:
            self.result.conflicts.append((spec.name, uid, cuid))
