"""Who may write what (docs/sync-bundle.md §Who may write what): the authorisation of what a trusted sender says.

A signature proves who sent a bundle; it does not make the sender the owner of what the bundle carries. Every
synced record has one owner:

* a township's records — the township row itself, and every row of a table with ``township_id`` — belong to that
  township; rows of the other tables (case events, inspection items, mediators …) to the township of the device
  that minted them (``origin_device``). Only that township writes them, through its office or its field laptops;
* reference data (the powers catalogue, discretion tiers, dispute categories) belongs to whoever issues reference
  data to this database: nobody above the district, the district for a township office, the office for its
  field laptops.

A sender therefore creates, updates or soft-deletes only rows of its own township (the township its key card
names, which the manifest must repeat), claiming as origin only itself or a device of its township this database
knows, and never under another township's row; reference rows only as the issuer, or as an identical copy.
Anything else is quarantined with the owner named (:class:`Owners`), never applied and never acknowledged; a
version number never decides it. Reference bundles come only from the issuer (:func:`authorise`).

The checks run inside the merge's transaction on the raw connection (services/sync/dialect.py), batch by batch,
with C-level set operations on the whole column on the common path, so a legitimate bundle costs next to
nothing more (bench/bench_sync.py). Table names formatted into SQL here are the models' own (``spec.name`` of
services/sync/tables.py); every value from a bundle is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from models.enums import DeviceKind
from models.labels import record_label
from models.sync import TrustedDevice
from services.core.db import Database
from services.sync.dialect import RawConnection
from services.sync.errors import BundleRejected
from services.sync.reader import VerifiedBundle
from services.sync.tables import REFERENCE_TABLES, TableSpec, row_to_record, same_content, select_sql, spec_for
from services.sync.tables import synced_specs as _synced_specs

REFERENCE = frozenset(REFERENCE_TABLES)
# What a reference bundle may carry besides the reference tables: the recipient's own document-number blocks.
REFERENCE_EXTRA = frozenset({"number_block"})
CHUNK = 500  # ids or uids per IN (…) look-up, as services/sync/idmap.py
Column = Sequence[Any]
Refusals = dict[int, str]  # row of the batch → reason


def merge_order() -> tuple[TableSpec, ...]:
    """The synced tables in the order the import merges them: ``township`` and ``device`` first (what every
    other row's owner is decided by), ``attachment`` last (an attachment names its record by uid, so the record
    must be in place first); the rest in dependency order (parents before children)."""
    specs = _synced_specs()
    first = [s for s in specs if s.name in ("township", "device")]
    last = [s for s in specs if s.name == "attachment"]
    return (*first, *(s for s in specs if s not in first and s not in last), *last)


# -- who issues reference data to this database (direction) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Me:
    device_uid: str
    kind: str  # DeviceKind value
    township_uid: str


def this_device(raw: RawConnection, device_uid: str) -> Me:
    row = raw.execute("SELECT kind FROM device WHERE uid=?", (device_uid,)).fetchone()
    town = raw.execute("SELECT value FROM local_state WHERE key='township_uid'").fetchone()
    return Me(device_uid, str(row[0]) if row else "", str(town[0]) if town else "")


def issues_to(me: Me, kind: str, township_uid: str) -> bool:
    """Whether a device of ``kind`` in ``township_uid`` issues reference data to ``me``: the district to a
    township office, the office to its own field laptops, nobody to the district."""
    if me.kind == DeviceKind.OFFICE.value:
        return kind == DeviceKind.DISTRICT.value
    if me.kind == DeviceKind.FIELD.value:
        return kind == DeviceKind.OFFICE.value and township_uid == me.township_uid
    return False


def issuer_label(me: Me) -> str:
    return {DeviceKind.OFFICE.value: "区", DeviceKind.FIELD.value: "乡镇办公室"}.get(me.kind, "区（本机）")


def authorise(session: Session, db: Database, raw: RawConnection, bundle: VerifiedBundle,
              peer: TrustedDevice) -> None:
    """Refuse, before anything is merged, a bundle whose manifest speaks for another township than the one its
    sender was trusted for, and a reference bundle from any device but the one that issues reference data here."""
    m = bundle.manifest
    claimed = m["township"]
    if not peer.township_uid:
        raise BundleRejected(f"已信任的设备 {peer.code} 没有登记所属乡镇，无法判断它可以写哪些记录：请重新导入它的密钥卡后再导入")
    if m["source"]["device_code"] != peer.code:
        raise BundleRejected(f"同步包中的设备编码 {m['source']['device_code']} 与已信任的设备 {peer.code}（{peer.uid}）不符，已拒绝")
    if claimed["uid"] != peer.township_uid:
        raise BundleRejected(
            f"同步包声称来自“{claimed['name']}”（{claimed['uid']}），但发送设备 {peer.code} 是作为"
            f"“{peer.township_name}”的设备被信任的：一个乡镇的密钥只能代表本乡镇，已拒绝")
    if bundle.kind != "reference":
        return
    me = this_device(raw, db.device_uid)
    if not issues_to(me, peer.kind.value, peer.township_uid):
        raise BundleRejected(
            f"参考数据只能由向本机下发参考数据的{issuer_label(me)}发来；{peer.code}（“{peer.township_name}”，"
            f"{_kind_label(peer.kind.value)}）不是，这个参考数据包已拒绝，本机数据未作任何改动")


def _kind_label(kind: str) -> str:
    return {"office": "乡镇办公室", "field": "外勤笔记本", "district": "区级"}.get(kind, kind)


# -- the per-record checks of one import ------------------------------------------------------------------------


@dataclass
class _Known:
    """This database's townships, devices and trusted peers (small tables), read when the owners may have
    changed: at the start of each table, after ``township`` and ``device`` went in."""

    townships: dict[str, tuple[int, str]] = field(default_factory=dict)  # uid → (id, name)
    names_by_id: dict[int, str] = field(default_factory=dict)
    devices: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # uid → (code, township id)
    trusted: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # uid → (code, township uid, name)


class Owners:
    """Ownership checks of one bundle's records, called by the merge (services/sync/merge.py) per batch:

    * :meth:`admit` — what a record claims: its origin device, its ``township_id``, the township or device row
      it is; reference rows (issuer, or identical copies only); what a reference bundle may hold;
    * :meth:`parents` — the rows a record is written under (its foreign keys) belong to the sender too;
    * :meth:`existing` — a uid this database already holds belongs to the sender's township.
    """

    def __init__(self, raw: RawConnection, bundle: VerifiedBundle) -> None:
        self.raw = raw
        self.kind = bundle.kind
        src = bundle.manifest["source"]
        self.sender_uid = str(src["device_uid"])
        self.sender_code = str(src["device_code"])
        row = raw.execute("SELECT kind, township_uid, township_name FROM trusted_device WHERE uid=?",
                          (self.sender_uid,)).fetchone()
        self.sender_kind = str(row[0]) if row else str(src["device_kind"])
        self.town_uid = str(row[1]) if row and row[1] else str(bundle.manifest["township"]["uid"])
        self.town_name = str(row[2]) if row and row[2] else str(bundle.manifest["township"]["name"])
        here = raw.execute("SELECT value FROM local_state WHERE key='device_uid'").fetchone()
        self.me = this_device(raw, str(here[0]) if here else "")
        self.issuer = issues_to(self.me, self.sender_kind, self.town_uid)
        self.known = _Known()
        self.tid: int | None = None  # local id of the sender's township row (None until it is here)
        self.devices: frozenset[str] = frozenset()  # origin devices the sender may claim
        self.current = ""
        # Rows with an id above these were written by this import, after passing these checks: owned.
        self.top: dict[str, int] = {}
        for name in {c.fk_table for s in _synced_specs() for c in s.fks} - REFERENCE - {"township"}:
            if name is not None:
                self.top[name] = int(raw.execute(f'SELECT coalesce(max(id), 0) FROM "{name}"').fetchone()[0])  # noqa: S608 - a table name of the models
        self.owned: dict[str, set[int]] = {}

    # -- what the database knows ---------------------------------------------------------------------------

    def _refresh(self) -> None:
        k = _Known()
        for tid, uid, name in self.raw.execute("SELECT id, uid, name FROM township"):
            k.townships[str(uid)] = (int(tid), str(name))
            k.names_by_id[int(tid)] = str(name)
        for uid, code, tid in self.raw.execute("SELECT uid, code, township_id FROM device"):
            k.devices[str(uid)] = (str(code), None if tid is None else int(tid))
        for uid, code, tuid, tname in self.raw.execute(
                "SELECT uid, code, township_uid, township_name FROM trusted_device"):
            k.trusted[str(uid)] = (str(code), str(tuid or ""), str(tname or ""))
        self.known = k
        own = k.townships.get(self.town_uid)
        self.tid = own[0] if own else None
        # A device row may name any township; one trusted here as another township's device is not the sender's.
        mine = {u for u, (_c, t) in k.devices.items() if t is not None and t == self.tid
                and k.trusted.get(u, ("", self.town_uid, ""))[1] in ("", self.town_uid)}
        self.devices = frozenset(mine | {self.sender_uid})

    def _begin(self, spec: TableSpec) -> None:
        if spec.name != self.current:
            self.current = spec.name
            self._refresh()

    def _town(self, uid: str) -> str:
        found = self.known.townships.get(uid)
        return f"“{found[1]}”" if found else f"另一乡镇（{uid}）"

    def _device_owner(self, uid: str) -> str:
        """Who a device belongs to, for a reason text."""
        trusted = self.known.trusted.get(uid)
        if trusted is not None and trusted[1] and trusted[1] != self.town_uid:
            return f"设备 {trusted[0]} 属于“{trusted[2]}”"
        dev = self.known.devices.get(uid)
        if dev is not None:
            town = self.known.names_by_id.get(dev[1]) if dev[1] is not None else None
            return f"设备 {dev[0]} 属于“{town}”" if town else f"设备 {dev[0]} 不属于任何乡镇"
        return "本机不认识这台设备"

    @property
    def sender(self) -> str:
        return f"发送方 {self.sender_code}（“{self.town_name}”）"

    # -- 1. what each record claims --------------------------------------------------------------------------

    def admit(self, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Column]) -> Refusals:
        """Rows of a validated batch the sender may not write, with the reason (naming the owner)."""
        if not recs:
            return {}
        self._begin(spec)
        name = spec.name
        if self.kind == "reference":
            return self._reference_bundle(spec, cols)
        if name in REFERENCE:
            return {} if self.issuer else self._reference_copy(spec, recs)
        out: Refusals = {}
        origin = cols[spec.names.index("origin_device")]
        if not set(origin) <= self.devices:
            uids = cols[spec.uid_i]
            for n, dev in enumerate(origin):
                # A device mints its own row (a new field laptop's row names the laptop as its origin); whose
                # device it is, the row's township_id says, checked below.
                if dev not in self.devices and not (name == "device" and dev == uids[n]):
                    out[n] = (f"记录注明的来源设备 {dev or '（空）'} 不是{self.sender}，也不是本机已知的“{self.town_name}”设备"
                              f"（{self._device_owner(dev)}）：一个乡镇只能写本乡镇设备产生的记录")
        if "township_id" in spec.names:
            towns = cols[spec.names.index("township_id")]
            if towns.count(self.town_uid) != len(towns):
                for n, t in enumerate(towns):
                    if t != self.town_uid and n not in out:
                        owner = self._town(t) if t else "任何乡镇"
                        out[n] = f"这条{record_label(name)}记录属于{owner}，{self.sender}只能新增、修改或删除本乡镇的记录"
        if name == "township":
            for n, uid in enumerate(cols[spec.uid_i]):
                if uid != self.town_uid and n not in out:
                    out[n] = f"乡镇记录 {uid} 是{self._town(uid)}的，{self.sender}只能写本乡镇的乡镇记录"
        elif name == "device":
            self._devices(spec, recs, cols, out)
        elif name == "attachment":
            self._attachments(spec, cols, out)
        return out

    def _devices(self, spec: TableSpec, recs: list[dict[str, Any]], cols: list[Column], out: Refusals) -> None:
        """A device trusted here as another township's is not the sender's to describe; this device's own row
        is written only here (its kind decides who issues reference data to it): an identical copy passes."""
        mine: list[int] = []
        for n, uid in enumerate(cols[spec.uid_i]):
            trusted = self.known.trusted.get(uid)
            if n in out:
                continue
            if trusted is not None and trusted[1] != self.town_uid:
                out[n] = (f"设备记录 {uid} 是本机信任的“{trusted[2]}”设备 {trusted[0]}，"
                          f"{self.sender}只能写本乡镇的设备记录")
            elif uid == self.me.device_uid:
                mine.append(n)
        if mine:
            local = self._local(spec, [recs[n]["uid"] for n in mine])
            for n in mine:
                here = local.get(recs[n]["uid"])
                if here is None or not same_content(here, recs[n]):
                    out[n] = f"设备记录 {recs[n]['uid']} 是本机自己的，只由本机修改；{self.sender}发来的版本与本机不同，不予接收"

    def _local(self, spec: TableSpec, uids: Sequence[Any]) -> dict[str, dict[str, Any]]:
        """The stored rows of these uids in their bundle form (uid → record)."""
        local: dict[str, dict[str, Any]] = {}
        for k in range(0, len(uids), CHUNK):
            part = list(uids[k:k + CHUNK])
            for row in self.raw.execute(select_sql(spec, f"WHERE t.uid IN ({','.join('?' * len(part))})"), part):
                rec = row_to_record(spec, row[1:])
                local[str(rec["uid"])] = rec
        return local

    def _reference_bundle(self, spec: TableSpec, cols: list[Column]) -> Refusals:
        """A reference bundle (its sender is the issuer: :func:`authorise`) carries reference rows and this
        device's own number blocks, nothing else."""
        n_rows = len(cols[spec.uid_i])
        if spec.name in REFERENCE:
            return {}
        if spec.name not in REFERENCE_EXTRA:
            return {n: f"参考数据包只能含参考数据和本机的文书编号段，{record_label(spec.name)}记录不予接收"
                    for n in range(n_rows)}
        out: Refusals = {}
        devices = cols[spec.names.index("device_uid")]
        towns = cols[spec.names.index("township_id")]
        for n in range(n_rows):
            if devices[n] != self.me.device_uid or towns[n] != self.me.township_uid:
                out[n] = f"编号段是发给设备 {devices[n]}（{self._town(towns[n])}）的，不是本机的，不予接收"
        return out

    def _reference_copy(self, spec: TableSpec, recs: list[dict[str, Any]]) -> Refusals:
        """Reference rows from a sender that does not issue them: only a copy identical (apart from
        bookkeeping) to the row here passes — a township's copy of the catalogue it was sent."""
        local = self._local(spec, [r.get("uid") for r in recs])
        out: Refusals = {}
        for n, rec in enumerate(recs):
            mine = local.get(str(rec.get("uid")))
            if mine is None or not same_content(mine, rec):
                what = "新增" if mine is None else "修改"
                # The table's Chinese name: the reason is read by the clerk on the 同步 → 隔离 page.
                out[n] = (f"{record_label(spec.name)}是参考数据，由{issuer_label(self.me)}下发；{self.sender}不能{what}"
                          f"（只接受与本机相同的副本）")
        return out

    def _attachments(self, spec: TableSpec, cols: list[Column], out: Refusals) -> None:
        """An attachment belongs to its record: the record must be here (merged before attachments) and the
        sender's township's."""
        tables = cols[spec.names.index("record_table")]
        uids = cols[spec.names.index("record_uid")]
        wanted: dict[str, set[str]] = {}
        known = {s.name for s in _synced_specs()} - {"attachment"}
        for n, (t, u) in enumerate(zip(tables, uids, strict=True)):
            if n in out:
                continue
            if t not in known:
                out[n] = f"附件所属的表“{t}”不是同步的数据表"
            else:
                wanted.setdefault(t, set()).add(u)
        found: dict[tuple[str, str], int] = {}
        for t, group in wanted.items():
            part_all = sorted(group)
            for k in range(0, len(part_all), CHUNK):
                part = part_all[k:k + CHUNK]
                found.update(((t, str(u)), int(i)) for u, i in self.raw.execute(
                    f'SELECT uid, id FROM "{t}" WHERE uid IN ({",".join("?" * len(part))})', part))  # noqa: S608 - t is a synced table's name (checked above)
        by_table: dict[str, list[int]] = {}
        for (t, _u), rid in found.items():
            by_table.setdefault(t, []).append(rid)
        foreign: dict[tuple[str, int], str] = {}
        for t, ids in by_table.items():
            foreign.update(((t, i), why) for i, why in self._foreign_ids(t, ids).items())
        for n, (t, u) in enumerate(zip(tables, uids, strict=True)):
            if n in out or t not in known:
                continue
            at = found.get((t, u))
            if at is None:
                out[n] = f"附件所属的{record_label(t)}记录 {u} 在本库和同步包中都不存在（或已被隔离）"
            elif (t, at) in foreign:
                out[n] = f"附件所属的{record_label(t)}记录 {u} {foreign[(t, at)]}，{self.sender}不能为其他乡镇的记录添加附件"

    # -- 2. the rows a record is written under ---------------------------------------------------------------

    def parents(self, spec: TableSpec, given: list[Column], mapped: list[Column],
                bad: dict[int, tuple[bool, str]]) -> None:
        """Rows whose foreign keys (mapped to local ids) point at a row of another township: added to ``bad``
        (the merge quarantines them). Parents this import wrote passed these checks (their ids are above
        ``top``), so a legitimate bundle needs no look-up at all."""
        if self.kind == "reference" or spec.name in REFERENCE:
            return
        for i, c in enumerate(spec.columns):
            table = c.fk_table
            if table is None or table not in self.top:
                continue
            col = mapped[i]
            ids = set(col)
            ids.discard(None)
            top = self.top[table]
            if not ids or min(ids) > top:
                continue
            owned = self.owned.setdefault(table, set())
            unsure = [x for x in ids if x <= top and x not in owned]
            if not unsure:
                continue
            foreign = self._foreign_ids(table, unsure)
            owned.update(x for x in unsure if x not in foreign)
            if not foreign:
                continue
            for n, rid in enumerate(col):
                if rid in foreign and n not in bad:
                    bad[n] = (False, f"引用的{record_label(table)}记录 {given[i][n]} {foreign[rid]}，{self.sender}"
                                     f"不能在其他乡镇的记录下新增或修改记录")

    # -- 3. a uid this database already holds ------------------------------------------------------------------

    def existing(self, spec: TableSpec, existing: dict[str, tuple[int, int, str]]) -> dict[str, str]:
        """Of the uids this database already holds (uid → (id, version, updated_at)), those belonging to another
        owner, with the reason. Whatever the incoming version says: a version number never decides ownership."""
        if self.kind == "reference" or spec.name in REFERENCE or not existing:
            return {}  # reference rows: the issuer's (authorise), or identical copies (admit)
        by_id = {rid: uid for uid, (rid, _v, _u) in existing.items()}
        foreign = self._foreign_ids(spec.name, list(by_id))
        return {by_id[rid]: (f"UUID {by_id[rid]} 已是本库中的{record_label(spec.name)}记录，{why}；{self.sender}不能改写或删除它"
                             "（版本号不决定归属）") for rid, why in foreign.items()}

    # -- the owner of stored rows ---------------------------------------------------------------------------------

    def _foreign_ids(self, table: str, ids: Sequence[int]) -> dict[int, str]:
        """Of the ids of ``table`` given, those not owned by the sender's township → "属于“X”" (the owner)."""
        spec = spec_for(table)
        owned: set[int] = set()
        if self.tid is not None:
            for k in range(0, len(ids), CHUNK):
                part = list(ids[k:k + CHUNK])
                sql, params = self._owned_sql(spec, len(part))
                owned.update(int(r[0]) for r in self.raw.execute(sql, [*part, *params]))
        rest = [i for i in ids if i not in owned]
        return {i: self._owner_of(spec, i) for i in rest}

    def _owned_sql(self, spec: TableSpec, n: int) -> tuple[str, list[Any]]:
        """SELECT of the given ids (``n`` placeholders) that belong to the sender's township."""
        marks = ",".join("?" * n)
        head = f'SELECT id FROM "{spec.name}" WHERE id IN ({marks}) AND '  # noqa: S608 - a table name of the models
        if spec.name == "township":
            return head + "id = ?", [self.tid]
        if "township_id" in spec.names:
            return head + "township_id = ?", [self.tid]
        devices = sorted(self.devices)
        return head + f"origin_device IN ({','.join('?' * len(devices))})", devices

    def _owner_of(self, spec: TableSpec, rid: int) -> str:
        """"属于“X”" for a stored row not owned by the sender (read only for refusals: rare)."""
        if spec.name == "township":
            name = self.known.names_by_id.get(rid)
            return f"属于“{name}”" if name else "属于另一乡镇"
        if "township_id" in spec.names:
            row = self.raw.execute(f'SELECT township_id FROM "{spec.name}" WHERE id=?', (rid,)).fetchone()  # noqa: S608 - a table name of the models
            name = self.known.names_by_id.get(row[0]) if row and row[0] is not None else None
            return f"属于“{name}”" if name else "不属于任何已知乡镇"
        row = self.raw.execute(f'SELECT origin_device FROM "{spec.name}" WHERE id=?', (rid,)).fetchone()  # noqa: S608 - a table name of the models
        dev = str(row[0]) if row else ""
        found = self.known.devices.get(dev)
        if found is not None and found[1] is not None and found[1] in self.known.names_by_id:
            return f"属于“{self.known.names_by_id[found[1]]}”（由设备 {found[0]} 产生）"
        return f"的来源设备 {dev or '（空）'} 不是“{self.town_name}”的设备，归属无法确认"


Quarantine = Callable[[TableSpec, dict[str, Any], str], None]


def keep_rows(recs: list[dict[str, Any]], cols: list[Column], refused: Refusals, spec: TableSpec,
              quarantine: Quarantine) -> tuple[list[dict[str, Any]], list[Column]]:
    """Quarantine the refused rows of a batch; the rest, records and columns alike."""
    if not refused:
        return recs, cols
    for n in sorted(refused):
        quarantine(spec, recs[n], refused[n])
    keep = [n for n in range(len(recs)) if n not in refused]
    return [recs[n] for n in keep], [[c[n] for n in keep] for c in cols]


__all__ = ["Me", "Owners", "authorise", "issues_to", "keep_rows", "merge_order", "this_device"]
