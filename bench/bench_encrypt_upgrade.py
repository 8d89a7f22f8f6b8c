"""Benchmark: how long the squad leader waits at the login while an old database is encrypted (issue 17 item 5).

    python bench/bench_encrypt_upgrade.py [DB_PATH] [--scale small|township]

DB_PATH: a database made without a data key (``bench/bench_demo.py --keep PATH`` of an earlier version, or any
plaintext copy; its ``attachments`` folder is copied along), left untouched; without it a demo is generated in the
clear (``--scale``, default small; township takes minutes). Its administrator must be ``admin`` with the demo's
password. Two copies are timed in the same run:

* the raw baseline: what any upgrade must do to the file anyway — SQLite's online backup of it and a VACUUM
  (sqlite3 only, no program code);
* the upgrade itself: services.people.encryption.encrypt_database (password check, key slots, backup, every
  declared value sealed with its audit event, the attachment files sealed, VACUUM).

Prints the absolute times and the ratio. Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.core.db import Database  # noqa: E402
from services.core.uow import UnitOfWork  # noqa: E402
from services.people.encryption import encrypt_database  # noqa: E402
from tools.demo.small import demo_clock, generate_demo_file  # noqa: E402

ADMIN = ("admin", "demo12345")  # the demo's administrator (tools/demo)


def _copy(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    target = folder / src.name
    with sqlite3.connect(str(src)) as s, sqlite3.connect(str(target)) as t:
        s.backup(t)
    store = src.parent / "attachments"
    if store.is_dir():
        shutil.copytree(store, folder / "attachments")
    return target


def raw_baseline(path: Path) -> float:
    """Seconds for an online backup of the file and a VACUUM of it, with sqlite3 alone."""
    started = time.perf_counter()
    conn = sqlite3.connect(str(path))
    try:
        with sqlite3.connect(str(path.with_name("baseline-backup.sqlite3"))) as dest:
            conn.backup(dest)
        conn.execute("VACUUM")
    finally:
        conn.close()
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path, nargs="?", help="a database made without a data key (default: a new demo)")
    ap.add_argument("--scale", choices=("small", "township"), default="small")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-encrypt-"))
    try:
        source = args.db
        if source is None:
            source = work / "demo" / "demo.sqlite3"
            source.parent.mkdir()
            t = time.perf_counter()
            generate_demo_file(source, scale=args.scale, encrypt=False)
            print(f"demo ({args.scale}, in the clear) generated in {time.perf_counter() - t:.1f} s")
        base = _copy(source, work / "baseline")
        upgraded = _copy(source, work / "upgrade")
        Database.open(base).dispose()  # migrated to this revision before any timing, both alike
        db = Database.open(upgraded)
        size = upgraded.stat().st_size / 1e6
        files = sum(1 for p in (upgraded.parent / "attachments").rglob("*") if p.is_file())
        baseline = raw_baseline(base)
        t = time.perf_counter()
        done = encrypt_database(UnitOfWork(db, actor=ADMIN[0], clock=demo_clock()), *ADMIN)
        seconds = time.perf_counter() - t
        db.dispose()
        r = done.report
        print(f"database {size:.1f} MB, {files} attachment files")
        print(f"raw baseline (backup + VACUUM, sqlite3): {baseline:.2f} s")
        print(f"upgrade (encrypt_database): {seconds:.2f} s = {seconds / baseline:.1f}× the baseline; "
              f"{r.sealed_values} values in {r.records} records, {r.files} files sealed"
              + (f"; UNFINISHED: {r.unfinished}" if r.unfinished else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
