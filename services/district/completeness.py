"""Completeness grid: townships × months — which bundles arrived, gaps in their numbering, receipts sent back.

A bundle is logged in ``imported_bundle`` under its source device; the device belongs to a township through
``trusted_device.township_uid`` (set when its key was trusted) or, failing that, the synced ``device`` row.
A month's cell shows the bundles imported in it and the records dated in it (inspections, penalty cases
registered, mediation applications): a township that sent nothing, or sent bundles but no records for a month,
stands out as a gap before the figures are closed.

Inspections, the bulk of the records (2 million a year at 200 township-years), are read from the townships'
monthly figures (``figure_month.inspections`` counts exactly the live inspections by ``inspected_on``, see
services/statistics/figures.py), brought up to date first as the statistics are; cells still dirty are counted
from the records. Cases by registration date and disputes by application date have no such column and are
counted from the records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from models.base import SHANGHAI
from models.case import PenaltyCase
from models.district import PeriodClose, PeriodStatus
from models.inspection import Inspection
from models.mediation import MediationCase
from models.org import Device, Township
from models.sync import ImportedBundle, SyncBundle, TrustedDevice
from services.core.uow import UnitOfWork
from services.district.common import townships
from services.statistics.figure_table import FIGURE_MONTH
from services.statistics.figures import IN_LIST_MAX, dirty_cells, ensure_fresh
from services.sync.history import chain_notes
from services.sync.limits import gap_ranges, gap_text
from services.sync.state import in_series


@dataclass(frozen=True, slots=True)
class DeviceLine:
    uid: str
    code: str
    bundles: int
    last_seq: int
    missing: tuple[tuple[int, int], ...]  # ranges of sequence numbers never received ("第3–7号")
    last_imported_at: datetime | None
    last_receipt_seq: int
    last_receipt_at: datetime | None
    # Its audit chain did not extend what the district saw before: "审计记录被改写：…" (services/sync/history.py).
    history: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GridCell:
    month: int
    bundles: int  # record bundles imported during the month
    records: int  # inspections + cases registered + mediation applications dated in the month
    closed: bool

    @property
    def status(self) -> str:
        if self.records:
            return "有数据"
        return "仅同步包" if self.bundles else "无数据"


@dataclass(frozen=True, slots=True)
class GridRow:
    township_uid: str
    township: str
    devices: tuple[DeviceLine, ...]
    cells: tuple[GridCell, ...]  # 12, January first

    @property
    def gaps(self) -> list[str]:
        out = [f"设备{d.code}缺{gap_text(d.missing)}同步包" for d in self.devices if d.missing]
        if not self.devices:
            out.append("尚未收到任何同步包")
        out += [f"设备{d.code}{h}" for d in self.devices for h in d.history]
        return out


@dataclass(frozen=True, slots=True)
class CompletenessGrid:
    year: int
    rows: tuple[GridRow, ...]
    closed_months: tuple[int, ...]
    year_closed: bool

    def to_json(self) -> dict[str, object]:
        return {
            "year": self.year, "year_closed": self.year_closed, "closed_months": list(self.closed_months),
            "townships": [{
                "uid": r.township_uid, "name": r.township, "gaps": r.gaps,
                "devices": [{"uid": d.uid, "code": d.code, "bundles": d.bundles, "last_seq": d.last_seq,
                             "missing": list(d.missing),
                             "last_imported_at": d.last_imported_at.isoformat() if d.last_imported_at else None,
                             "last_receipt_seq": d.last_receipt_seq,
                             "last_receipt_at": d.last_receipt_at.isoformat() if d.last_receipt_at else None,
                             "history": list(d.history)}
                            for d in r.devices],
                "months": [{"month": c.month, "bundles": c.bundles, "records": c.records, "closed": c.closed,
                            "status": c.status} for c in r.cells]}
                for r in self.rows],
        }


def _device_townships(s: Session) -> dict[str, str]:
    """Source device uid → township uid."""
    out = {uid: t for uid, t in s.execute(
        select(Device.uid, Township.uid).join(Township, Township.id == Device.township_id))}
    out.update({uid: t for uid, t in s.execute(select(TrustedDevice.uid, TrustedDevice.township_uid)) if t})
    return out


def _inspections_by_month(s: Session, year: int) -> dict[tuple[int, int], int]:
    """Live inspections per (township id, month) by ``inspected_on``: ``figure_month`` for the clean cells, a
    count from the records for the cells the triggers marked dirty since the last refresh."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    dirty = {(tid, m) for tid, _y, m in dirty_cells(s, start, end)}
    out: dict[tuple[int, int], int] = defaultdict(int)
    fm = FIGURE_MONTH.c
    for tid, m, n in s.execute(select(fm.township_id, fm.month, fm.inspections).where(fm.year == year)):
        if (tid, m) not in dirty and n:
            out[(int(tid), int(m))] += int(n)
    if dirty:
        months = sorted({m for _t, m in dirty})
        tids = sorted({t for t, _m in dirty})
        first = date(year, months[0], 1)
        last = date(year, 12, 31) if months[-1] == 12 else date(year, months[-1] + 1, 1) - timedelta(days=1)
        month = extract("month", Inspection.inspected_on)
        where = [Inspection.inspected_on >= first, Inspection.inspected_on <= last, Inspection.deleted_at.is_(None)]
        if len(tids) <= IN_LIST_MAX:
            where.append(Inspection.township_id.in_(tids))
        for tid, m, n in s.execute(select(Inspection.township_id, month, func.count()).where(*where)
                                   .group_by(Inspection.township_id, month)):
            if (int(tid), int(m)) in dirty:
                out[(int(tid), int(m))] += int(n)
    return out


def _records_by_month(s: Session, year: int) -> dict[tuple[int, int], int]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    out = _inspections_by_month(s, year)
    for model, col in ((PenaltyCase, PenaltyCase.registered_on), (MediationCase, MediationCase.applied_on)):
        month = extract("month", col)
        stmt = (select(model.township_id, month, func.count()).where(col >= start, col <= end,
                                                                       model.deleted_at.is_(None))
                .group_by(model.township_id, month))
        for tid, m, n in s.execute(stmt):
            out[(int(tid), int(m))] += int(n)
    return out


def completeness_grid(uow: UnitOfWork, year: int) -> CompletenessGrid:
    ensure_fresh(uow)  # as district_stats does: the inspection counts come from figure_month
    with uow:
        s = uow.session
        dev_town = _device_townships(s)
        bundles = s.execute(select(ImportedBundle.source_uid, ImportedBundle.source_code, ImportedBundle.seq,
                                   ImportedBundle.imported_at).where(
            ImportedBundle.kind == "records", in_series(uow.db.device_uid, legacy=True))).all()  # sent to the district
        receipts = s.execute(select(SyncBundle.recipient_uid, SyncBundle.seq, SyncBundle.created_at)
                             .where(SyncBundle.kind == "receipt")).all()
        records = _records_by_month(s, year)
        flags: dict[str, list[str]] = defaultdict(list)
        for note in chain_notes(s):
            flags[note.device_uid].append(f"{note.label}：{note.detail}")
        closes = s.execute(select(PeriodClose.month).where(PeriodClose.year == year,
                                                           PeriodClose.status == PeriodStatus.CLOSED)).scalars().all()
        year_closed = None in closes
        closed_months = tuple(sorted(m for m in closes if m is not None))
        by_device: dict[str, list[tuple[str, int, datetime]]] = defaultdict(list)
        for src, code, seq, at in bundles:
            by_device[src].append((code, int(seq), at))
        last_receipt: dict[str, tuple[int, datetime]] = {}
        for dst, seq, at in receipts:
            if dst not in last_receipt or seq > last_receipt[dst][0]:
                last_receipt[dst] = (int(seq), at)
        rows: list[GridRow] = []
        for t in townships(s):
            devices: list[DeviceLine] = []
            per_month: dict[int, int] = defaultdict(int)
            for dev_uid in sorted(u for u, tu in dev_town.items() if tu == t.uid and u in by_device):
                items = by_device[dev_uid]
                seqs = {seq for _c, seq, _a in items}
                top = max(seqs)
                rec = last_receipt.get(dev_uid)
                devices.append(DeviceLine(dev_uid, items[0][0], len(items), top,
                                          gap_ranges(seqs),
                                          max(a for _c, _s, a in items), rec[0] if rec else 0,
                                          rec[1] if rec else None, tuple(flags.get(dev_uid, ()))))
                for _c, _s, at in items:
                    local = at.astimezone(SHANGHAI)
                    if local.year == year:
                        per_month[local.month] += 1
            cells = tuple(GridCell(m, per_month.get(m, 0), records.get((t.id, m), 0),
                                   year_closed or m in closed_months) for m in range(1, 13))
            rows.append(GridRow(t.uid, t.name, tuple(devices), cells))
        return CompletenessGrid(year, tuple(rows), closed_months, year_closed)
