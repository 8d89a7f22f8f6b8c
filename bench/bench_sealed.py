"""Benchmark: what sealing personal data at rest costs the screens, on a township database.

    python bench/bench_sealed.py DB_PATH [--runs 7]

DB_PATH: a township-scale demo (``bench/bench_demo.py --keep PATH``), left untouched: two copies are made, one
kept in the clear (no data key) and one sealed with ``services.maintenance.at_rest.seal_database`` (its time is
printed too). On each, with the same code, median of ``--runs`` after a warm-up:

* the parties list's first page (services.read.queries.list_page "parties", 100 rows, masked columns only) and the
  same page's SQL through raw sqlite3 (the baseline);
* the party picker finding one whole ID number (the blind index on the sealed copy, the plain column on the other);
* the 工作台 (services.read.home.home_snapshot);
* a 行政处罚决定书 preview (gather from the ORM, where the sealed values are opened on load, and render).

Target (issue 17): the sealed copy within 10 % of the clear one. Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from models.case import PenaltyCase  # noqa: E402
from models.enums import Procedure  # noqa: E402
from services.core.cipher import DataKey  # noqa: E402
from services.core.db import Database  # noqa: E402
from services.core.keyring import create_data_key  # noqa: E402
from services.core.uow import UnitOfWork  # noqa: E402
from services.documents.issuing import preview_document  # noqa: E402
from services.maintenance.at_rest import seal_database  # noqa: E402
from services.people.parties import party_choices  # noqa: E402
from services.read.home import home_snapshot  # noqa: E402
from services.read.queries import ListQuery, list_page  # noqa: E402
from tools.demo.small import demo_clock  # noqa: E402


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def figures(path: Path, key: DataKey | None, number: str, case_uid: str, runs: int) -> dict[str, float]:
    db = Database.open(path)
    clock = demo_clock()

    def uow() -> UnitOfWork:
        return UnitOfWork(db, actor="bench", clock=clock, data_key=key, write=False)

    def raw_page() -> None:
        conn = sqlite3.connect(str(path))
        try:
            conn.execute("SELECT uid, kind, name, id_number, phone, address, legal_rep FROM party "
                         "WHERE deleted_at IS NULL ORDER BY name DESC, uid DESC LIMIT 100").fetchall()
        finally:
            conn.close()

    try:
        out = {
            "parties page": median_ms(lambda: list_page(uow(), "parties", ListQuery(limit=100)), runs),
            "parties page, raw sqlite3": median_ms(raw_page, runs),
            "picker by ID number": median_ms(lambda: party_choices(uow(), number), runs),
            "工作台": median_ms(lambda: home_snapshot(uow()), runs),
            "decision preview": median_ms(
                lambda: preview_document(UnitOfWork(db, actor="bench", clock=clock, data_key=key),
                                         "penalty_decision", case_uid), max(3, runs // 2)),
        }
        found = party_choices(uow(), number)
        assert len(found) == 1, (number, found)
        return out
    finally:
        db.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path, help="township-scale demo database")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sealed-"))
    try:
        clear, sealed = work / "clear" / "db.sqlite3", work / "sealed" / "db.sqlite3"
        for p in (clear, sealed):
            p.parent.mkdir()
            shutil.copy(args.db, p)
            Database.open(p).dispose()  # migrated before any timing
            with sqlite3.connect(str(p)) as conn:  # the bulk demo names no 区县: the decision needs one
                conn.execute("UPDATE township SET district_name='乐山市五通桥区' WHERE district_name=''")
        db = Database.open(sealed)
        clock = demo_clock()
        with UnitOfWork(db, actor="admin", clock=clock) as u:
            key = create_data_key(u.session, username="admin", password="bench-pass-1", now=clock.now()).key
            u.commit()
        report = seal_database(db, key, clock=clock)
        with db.read_factory() as s:
            case_uid = s.scalars(select(PenaltyCase.uid).where(PenaltyCase.procedure == Procedure.GENERAL,
                                                               PenaltyCase.decision_number != "",
                                                               PenaltyCase.fine_amount.is_not(None))).first()
        db.dispose()
        assert case_uid is not None
        conn = sqlite3.connect(str(clear))
        number = conn.execute("SELECT id_number FROM party WHERE id_type='resident_id' ORDER BY id LIMIT 1 OFFSET 500"
                              ).fetchone()[0]
        parties = conn.execute("SELECT count(*) FROM party").fetchone()[0]
        conn.close()
        print(f"sealing the database: {report.sealed_values} values, {report.records} records, {report.files} files "
              f"in {report.seconds:.1f} s ({parties} parties)")
        plain = figures(clear, None, number, case_uid, args.runs)
        enc = figures(sealed, key, number, case_uid, args.runs)
        print(f"{'':28} {'clear':>10} {'sealed':>10} {'ratio':>7}")
        for name in plain:
            print(f"{name:28} {plain[name]:9.1f}ms {enc[name]:9.1f}ms {enc[name] / plain[name]:6.2f}×")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
