"""Benchmark: export a township-scale database as one encrypted bundle and import it into a district database.

    cd /work/main && /work/venv/bin/python bench/bench_sync.py [--keep-dir DIR] [--db EXISTING_TOWNSHIP_DB]

Builds the township demo (services.demo generate_demo_file(scale="township"), about a minute) unless --db is
given, initialises an empty district database, exchanges keys, then times plan + write_bundle (export) and
apply_bundle (verify + merge + receipt: import), and a raw sqlite3 executemany baseline of the same number of
10-column rows into an index-free table in one transaction, on the same disk, in the same run.
Target (perf.md §7): ≥ 30k rows/s end-to-end for the import. Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.base import SHANGHAI  # noqa: E402
from models.enums import DeviceKind  # noqa: E402
from services.clock import FixedClock  # noqa: E402
from services.db import Database  # noqa: E402
from services.demo import generate_demo_file  # noqa: E402
from services.setup import initialise  # noqa: E402
from services.sync import apply_bundle, plan_export, trust_key_card, write_bundle, write_key_card  # noqa: E402
from services.uow import UnitOfWork  # noqa: E402


def baseline(path: Path, rows: int) -> float:
    """Seconds for executemany of ``rows`` inspection-like 10-column tuples (built beforehand, not timed)."""
    rng = random.Random(7)
    data = [(f"{rng.getrandbits(128):032x}", "2026-03-02 02:00:00.000000", "竹根镇", "张三", f"竹综执检〔2026〕{i}号",
             rng.random() * 1000, rng.random(), i % 7, i, "门前三包落实情况良好，未发现占道经营问题") for i in range(rows)]
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, uid TEXT, at TEXT, town TEXT, officer TEXT, number TEXT, "
                 "a REAL, b REAL, c INTEGER, d INTEGER, note TEXT)")
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t (uid, at, town, officer, number, a, b, c, d, note) VALUES (?,?,?,?,?,?,?,?,?,?)",
                     data)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, help="an existing township-scale database (copied, not changed)")
    ap.add_argument("--keep-dir", type=Path, help="keep the databases and the bundle here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    clock = FixedClock(datetime(2026, 11, 21, 9, tzinfo=SHANGHAI))
    try:
        town_path = work / "town.sqlite3"
        if args.db:
            shutil.copy(args.db, town_path)
        else:
            t0 = time.perf_counter()
            generate_demo_file(town_path, scale="township")
            print(f"build township demo: {time.perf_counter() - t0:.1f} s")
        town, district = Database.open(town_path), Database.open(work / "district.sqlite3")
        tu = lambda: UnitOfWork(town, actor="bench", clock=clock)  # noqa: E731
        du = lambda: UnitOfWork(district, actor="bench", clock=clock)  # noqa: E731
        initialise(district, du(), township="五通桥区", squad="区综合行政执法局", device_kind=DeviceKind.DISTRICT,
                   admin_password="bench-12345", catalogue_effective_from=date(2016, 1, 1))
        write_key_card(du(), work / "district.card")
        card = trust_key_card(tu(), work / "district.card")

        t0 = time.perf_counter()
        plan = plan_export(tu(), card.uid, full=True)
        t_plan = time.perf_counter() - t0
        result = write_bundle(tu(), plan, work / "usb")
        t_export = time.perf_counter() - t0
        rows = result.total
        print(f"export: {rows} rows, {result.size / 2**20:.1f} MiB encrypted, plan {t_plan:.1f} s, "
              f"total {t_export:.1f} s = {rows / t_export:,.0f} rows/s")

        t0 = time.perf_counter()
        report = apply_bundle(du(), result.path, trust_new=True, receipt_dir=work / "back")
        t_import = time.perf_counter() - t0
        print(f"import: new {report.total('new')}, unchanged {report.total('unchanged')}, "
              f"conflicts {report.total('conflicts')}, quarantined {report.total('quarantined')}; "
              f"{t_import:.1f} s = {rows / t_import:,.0f} rows/s (verify + merge + receipt)")
        town.dispose()
        district.dispose()

        t_base = baseline(work / "baseline.sqlite3", rows)
        print(f"baseline: raw executemany of {rows} rows: {t_base:.1f} s = {rows / t_base:,.0f} rows/s")
        print(f"import rate / baseline rate = {t_base / t_import:.2f} (issue target ≥ 0.3); "
              f"import ≥ 30k rows/s: {'yes' if rows / t_import >= 30_000 else 'NO'}")
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        if args.keep_dir:
            shutil.copytree(work, args.keep_dir, dirs_exist_ok=True)
        return 0 if report.total("quarantined") == 0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
