"""What every record family of the township demo shares: the seeded random source, the calendar and settings, the
township's identity, the rows waiting per table, the deadlines to store and the document numbers to hand out.

Rows are tuples in the column order of their ``Table`` (sync columns first) and reach SQLite in writer.py.
Dates travel as day ordinals until a row or a rule needs them (``iso``, ``day``), times as naive UTC text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from models.base import SHANGHAI
from models.workdays import WorkCalendar
from services.procedures import deadlines as dl
from services.reference.settings import Settings
from tools.demo.bulk.numbers import NumberBook

Progress = Callable[[str, int], None]

START = date(2017, 1, 1)
GROWTH = 0.045  # yearly growth of the workload since 2017
SYNC_COLS = ("id", "uid", "origin_device", "version", "created_at", "updated_at")


_VARIANT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}  # RFC 4122: the variant's top bits are 10


UID_BATCH = 4096


def uids_from_bits(bits: int, k: int) -> list[str]:
    """``k`` record identities from ``bits`` (128 × k random bits), most significant 128 first: each the text of
    ``uuid.UUID(int=chunk, version=4)``, made without UUID objects (a million of them, in batches)."""
    h = f"{bits:0{32 * k}x}"
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-4{h[i + 13:i + 16]}-{_VARIANT[h[i + 16]]}{h[i + 17:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * k, 32)]


class Table:
    """Rows of one table, in the column order of ``cols`` (sync columns first)."""

    def __init__(self, name: str, cols: Sequence[str], *, sync: bool = True) -> None:
        self.name = name
        self.cols = (SYNC_COLS if sync else ()) + tuple(cols)
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = 1

    def sql(self, rows: int = 1) -> str:
        one = f'({", ".join("?" * len(self.cols))})'
        return f'INSERT INTO "{self.name}" ({", ".join(self.cols)}) VALUES {", ".join([one] * rows)}'  # noqa: S608 - the generator's own table and columns


class Context:
    def __init__(self, conn: sqlite3.Connection, *, rng: Random, today: date, scale: float, settings: Settings,
                 cal: WorkCalendar, progress: Progress) -> None:
        self.conn = conn
        self.rng = rng
        self.today = today
        self.t = today.toordinal()
        self.start = START.toordinal()
        self.scale = scale
        self.settings = settings
        self.cal = cal
        self.report = progress
        self._iso: dict[int, str] = {}
        self._day: dict[int, date] = {}
        self._uids: list[str] = []
        self.tables: dict[str, Table] = {}
        self.deadlines: list[tuple[Any, ...]] = []
        c = conn
        self.device_uid: str = c.execute("SELECT value FROM local_state WHERE key='device_uid'").fetchone()[0]
        township_uid = c.execute("SELECT value FROM local_state WHERE key='township_uid'").fetchone()[0]
        row = c.execute("SELECT value FROM local_state WHERE key='reference_version'").fetchone()
        self.reference_version: str = row[0] if row else ""  # stamped on new cases as services/core/hooks.py does
        self.township_id, self.prefix, self.township_name = c.execute(
            "SELECT id, doc_prefix, name FROM township WHERE uid=?", (township_uid,)).fetchone()
        self.numbers = NumberBook(conn, settings, township_id=self.township_id, prefix=self.prefix)
        # ID numbers in use: a made-up one is never a second registration of someone's (create_party refuses that)
        self.ids: set[str] = {r[0] for r in c.execute("SELECT id_number FROM party WHERE id_number != ''")}
        self.ids |= {r[0] for r in c.execute("SELECT id_number FROM officer WHERE id_number != ''")}

    # -- rows ------------------------------------------------------------------------------------------

    def table(self, name: str, cols: Sequence[str], *, sync: bool = True) -> Table:
        t = self.tables.get(name)
        if t is None:
            t = self.tables[name] = Table(name, cols, sync=sync)
            row = self.conn.execute(f'SELECT max(id) FROM "{name}"').fetchone()  # noqa: S608 - the generator's own table
            t.next_id = (row[0] or 0) + 1
        return t

    @staticmethod
    def next_id(t: Table) -> int:
        i = t.next_id
        t.next_id += 1
        return i

    def uid(self) -> str:
        pool = self._uids
        if not pool:
            pool += reversed(uids_from_bits(self.rng.getrandbits(128 * UID_BATCH), UID_BATCH))
        return pool.pop()

    def deadline(self, owner_table: str, owner_id: int, spec: dl.DeadlineSpec) -> None:
        self.deadlines.append((owner_table, owner_id, spec.kind.value, spec.due_on.isoformat(),
                               1 if spec.provisional else 0, spec.met_on.isoformat() if spec.met_on else None,
                               spec.basis))

    # -- dates and times -------------------------------------------------------------------------------

    def iso(self, o: int | None) -> str | None:
        if o is None:
            return None
        s = self._iso.get(o)
        if s is None:
            s = self._iso[o] = date.fromordinal(o).isoformat()
        return s

    def day(self, o: int) -> date:
        d = self._day.get(o)
        if d is None:
            d = self._day[o] = date.fromordinal(o)
        return d

    @staticmethod
    def local(o: int, minute: int, second: int = 0) -> datetime:
        """Local (Asia/Shanghai) time of day ``o`` at ``minute`` past midnight, aware."""
        return (datetime.fromordinal(o) + timedelta(minutes=minute, seconds=second)).replace(tzinfo=SHANGHAI)

    def ts(self, o: int, minute: int, second: int = 0) -> str:
        """How AwareDateTime stores local day ``o`` at ``minute`` past midnight: naive UTC text.

        Half a million of them: formatted from the cached ISO day rather than through datetime (same text as
        ``(local - 8 h).isoformat(" ", "microseconds")``; Asia/Shanghai has kept UTC+8 all year since 1991)."""
        m = minute - 480
        o += m // 1440  # before 08:00 local it is still the day before in UTC
        m %= 1440
        return f"{self.iso(o)} {m // 60:02d}:{m % 60:02d}:{second:02d}.000000"

    def days(self, n: int, growth: float = GROWTH, weekend: float = 0.15) -> list[int]:
        """``n`` sorted day ordinals in [START, today], more on working days and in later years."""
        if n <= 0:
            return []
        ords = range(self.start, self.t + 1)
        cum: list[float] = []
        acc = 0.0
        for o in ords:
            d = date.fromordinal(o)
            w = (1.0 + growth * (d.year - START.year)) * (1.0 if self.cal.is_workday(d) else weekend)
            acc += w
            cum.append(acc)
        return sorted(self.rng.choices(ords, cum_weights=cum, k=n))

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale))
