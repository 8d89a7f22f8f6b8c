"""Benchmark: the district supervision report and the completeness grid on an existing district database.

    python bench/bench_supervision_grid.py --db DISTRICT.sqlite3 [--year 2025]
        [--runs 5] [--today 2026-11-21] [--copy-to DIR]

Give it a district database, e.g. one kept by ``bench/bench_district.py --clone-to 200 --keep DIR`` (200
township-years). Both reads run as the CLI runs them (``python main.py supervise`` and ``district grid``), with the
clock fixed at ``--today`` so that runs on different days compare. Note that ``completeness_grid``, like
``district_stats``, first refreshes ``figure_month`` when the triggers left dirty township-months: that writes to
the database given; ``--copy-to DIR`` measures a copy there instead (SQLite backup API; a large file takes a
while).

It prints, for ``--runs`` runs after one warm-up (every run's time, then the median):

- **raw baselines**, measured in the same run with plain ``sqlite3``: ``SELECT count(*) FROM inspection`` (the
  ratios are against it), a full scan ``SELECT count(*) FROM penalty_case WHERE deleted_at IS NULL`` (the floor of
  any read that must look at every case row, as the unpublished-decision check does: no index covers it), and
  the grid's former direct count (inspections, cases by registration date, disputes by application date per
  township and month, grouped SQL);
- ``supervise()`` (all five checks) and each check alone; ``completeness_grid(year)``;
- each read's median as a ratio of the raw ``count(*)``, and whether it meets the 1 s target.

It also checks that every cell's record count of the grid equals the former direct count. Exit code 1 when a
target is missed or a count differs. Not a test: run it by hand, and compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.base import SHANGHAI  # noqa: E402
from services.core.clock import FixedClock  # noqa: E402
from services.core.db import Database  # noqa: E402
from services.core.uow import UnitOfWork  # noqa: E402
from services.district.completeness import completeness_grid  # noqa: E402
from services.district.supervision import KINDS, supervise  # noqa: E402

TARGET_S = 1.0

# The grid's records per (township, month) as it counted them before figure_month: three grouped scans.
FORMER_GRID_SQL = [
    f"SELECT township_id, CAST(strftime('%m', {col}) AS INTEGER), count(*) FROM {table} "  # noqa: S608 - constant tables, columns
    f"WHERE {col} >= :s AND {col} <= :e AND deleted_at IS NULL GROUP BY 1, 2"
    for table, col in (("inspection", "inspected_on"), ("penalty_case", "registered_on"),
                       ("mediation_case", "applied_on"))]


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    result = fn()  # warm-up (page cache, compiled statements, figure_month refresh if any)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def show(label: str, times: list[float], raw: float | None = None, target: float | None = None) -> str:
    med = statistics.median(times)
    runs = " ".join(f"{t * 1000:.0f}" for t in times)
    line = f"{label:<34} median {med * 1000:7.0f} ms   runs [{runs}] ms"
    if raw:
        line += f"   {med / raw:5.2f}× raw count(*)"
    if target is not None:
        line += f"   target ≤ {target:.0f} s {'met' if med <= target else 'NOT met'}"
    print(line, flush=True)
    return line


def raw_count(path: Path, sql: str = "SELECT count(*) FROM inspection") -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def former_grid_counts(path: Path, year: int) -> dict[tuple[int, int], int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out: dict[tuple[int, int], int] = {}
    try:
        for sql in FORMER_GRID_SQL:
            for tid, m, n in conn.execute(sql, {"s": f"{year}-01-01", "e": f"{year}-12-31"}):
                out[(int(tid), int(m))] = out.get((int(tid), int(m)), 0) + int(n)
    finally:
        conn.close()
    return out


def copy_db(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / src.name
    t0 = time.perf_counter()
    with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as a, sqlite3.connect(str(dst)) as b:
        a.backup(b)
    print(f"copied {src} to {dst} in {time.perf_counter() - t0:.0f} s")
    return dst


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="district database (SQLite file)")
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 21))
    ap.add_argument("--copy-to", type=Path, help="measure a copy of --db made in this folder")
    args = ap.parse_args()
    path = copy_db(args.db, args.copy_to) if args.copy_to else args.db
    clock = FixedClock(datetime(args.today.year, args.today.month, args.today.day, 9, tzinfo=SHANGHAI))
    ok = True
    db = Database.open(path)
    try:
        def uow() -> UnitOfWork:
            return UnitOfWork(db, actor="bench", clock=clock, write=False)

        t_raw, n_insp = timed(lambda: raw_count(path), args.runs)
        raw = statistics.median(t_raw)
        print(f"{path}: {n_insp} inspections; year {args.year}; today {args.today}")
        show("raw sqlite3 count(*) inspection", t_raw)
        t_scan, _ = timed(lambda: raw_count(path, "SELECT count(*) FROM penalty_case WHERE deleted_at IS NULL"),
                          args.runs)
        show("raw full scan of penalty_case", t_scan, raw)
        t_former, former = timed(lambda: former_grid_counts(path, args.year), max(1, args.runs // 2))
        show("raw former grid count (3 scans)", t_former, raw)
        t_grid, grid = timed(lambda: completeness_grid(uow(), args.year), args.runs)
        show(f"completeness_grid({args.year})", t_grid, raw, TARGET_S)
        cells = {(r.township_uid, c.month): c.records for r in grid.rows for c in r.cells}
        ids = _township_ids(db)
        bad = [(uid, m, n, former.get((ids[uid], m), 0)) for (uid, m), n in cells.items()
               if n != former.get((ids[uid], m), 0)]
        print(f"grid records per township-month equal to the former direct count: "
              f"{'yes' if not bad else f'NO, {len(bad)} cells differ, e.g. {bad[:3]}'} ({len(cells)} cells)")
        ok &= not bad
        t_sup, rows = timed(lambda: supervise(uow()), args.runs)
        ok &= TARGET_S >= statistics.median(t_sup)
        ok &= TARGET_S >= statistics.median(t_grid)
        show("supervise() all checks", t_sup, raw, TARGET_S)
        for kind in KINDS:
            t_kind, part = timed(lambda k=kind: supervise(uow(), kinds=(k,)), args.runs)  # type: ignore[misc]
            show(f"  {kind} ({len(part)} rows)", t_kind, raw)
        print(f"supervise: {len(rows)} rows")
    finally:
        db.dispose()
    return 0 if ok else 1


def _township_ids(db: Database) -> dict[str, int]:
    """Township uid → id (the grid reports uids, the raw count ids)."""
    from sqlalchemy import select

    from models.org import Township

    with db.engine.connect() as conn:
        return {uid: int(tid) for tid, uid in conn.execute(select(Township.id, Township.uid))}


if __name__ == "__main__":
    sys.exit(main())
