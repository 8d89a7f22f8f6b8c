"""Benchmark: generate one township's ten years of demo data at scale 1.0, against a raw sqlite3 baseline.

    python bench/bench_demo.py [--scale 1.0] [--seed 7] [--keep PATH]

Prints the generator's wall time, rows, database size and the ratio to a bare executemany of the same number of
inspection-sized rows (10 columns) into an index-free table in one transaction, on the same disk.
Not a test: run it by hand when the generator or the schema changes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.base import SHANGHAI  # noqa: E402
from services.core.clock import FixedClock  # noqa: E402
from services.core.db import Database  # noqa: E402
from services.core.uow import UnitOfWork  # noqa: E402
from services.maintenance.verify import verify_database  # noqa: E402
from services.reference.setup import initialise  # noqa: E402
from tools.demo.bulk import generate_township  # noqa: E402

TODAY = date(2026, 3, 2)


def build(path: Path, *, seed: int, scale: float, quiet: bool = False) -> tuple[float, float, dict[str, int]]:
    """Initialise ``path`` and generate into it; returns (seconds for generate_township, of them CPU, row counts)."""
    db = Database.open(path)
    try:
        clock = FixedClock(datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=SHANGHAI))
        initialise(db, UnitOfWork(db, actor="bench", clock=clock), township="竹根镇", squad="竹根镇综合行政执法中队",
                   admin_password="bench-secret-1", catalogue_effective_from=date(2016, 1, 1),
                   encrypt=False)  # the generator's bulk writer runs without a key; bench_sealed.py seals a copy
        t0, c0 = time.perf_counter(), time.process_time()

        def progress(stage: str, percent: int) -> None:
            if not quiet:
                print(f"  {time.perf_counter() - t0:6.1f}s {percent:3d}% {stage}", flush=True)

        counts = generate_township(db, seed=seed, today=TODAY, scale=scale, progress=progress)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    return elapsed, cpu, counts


def baseline(path: Path, rows: int, seed: int) -> tuple[float, float]:
    """Plain executemany of ``rows`` 10-column inspection-like rows in one transaction: (build s, insert s)."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    data = [
        (i, f"{rng.getrandbits(128):032x}", "2025-06-01 02:00:00.000000", "2025-06-01 03:00:00.000000", "2025-06-01",
         f"竹根镇桥沟街{rng.randint(1, 180)}号", "市容环境卫生", rng.choice(("passed", "ordered")), 2, 1)
        for i in range(1, rows + 1)
    ]
    built = time.perf_counter() - t0
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE bare (id INTEGER PRIMARY KEY, uid TEXT, started_at TEXT, ended_at TEXT, "
                     "inspected_on TEXT, place TEXT, domain TEXT, result TEXT, officer_turnout INTEGER, "
                     "vehicle_turnout INTEGER)")
        t1 = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO bare VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", data)
        conn.execute("COMMIT")
        inserted = time.perf_counter() - t1
    finally:
        conn.close()
    return built, inserted


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="copy the generated database here (for bench_queries.py)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="enforcedesk-bench-"))
    try:
        target = tmp / "township.sqlite3"
        print(f"generate_township(scale={args.scale}, seed={args.seed}, today={TODAY}) -> {target}")
        elapsed, cpu, counts = build(target, seed=args.seed, scale=args.scale, quiet=args.quiet)
        rows = sum(counts.values())
        size = target.stat().st_size
        t0 = time.perf_counter()
        check_db = Database.open(target, migrate=False)
        try:
            report = verify_database(check_db)
        finally:
            check_db.dispose()
        verify_s = time.perf_counter() - t0
        print()
        for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"  {name:<22}{n:>10,}")
        print(f"\ngenerate_township: {elapsed:.1f} s ({cpu:.1f} s CPU) for {rows:,} rows ({rows / elapsed:,.0f} rows/s), "
              f"database {size / 2**20:.0f} MiB; verify {'ok' if report.ok else 'FAILED'} in {verify_s:.1f} s")
        built, inserted = baseline(tmp / "baseline.sqlite3", rows, args.seed)
        base_size = (tmp / "baseline.sqlite3").stat().st_size
        print(f"raw baseline: {rows:,} inspection-sized rows (10 columns, no indexes): build {built:.1f} s + "
              f"executemany/commit {inserted:.1f} s = {built + inserted:.1f} s, {base_size / 2**20:.0f} MiB")
        print(f"ratio generate / baseline: {elapsed / (built + inserted):.1f}x "
              f"(vs insert only: {elapsed / inserted:.1f}x); target <= 120 s: "
              f"{'PASS' if elapsed <= 120 else 'FAIL'}")
        if args.keep:
            args.keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(target, args.keep)
            print(f"kept a copy at {args.keep}")
        return 0 if report.ok and elapsed <= 120 else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
