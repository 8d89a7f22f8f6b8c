"""Benchmark: what sealing personal data at rest costs the screens, on a township database.

    python bench/bench_sealed.py DB_PATH [--runs 7]

DB_PATH: a township-scale demo (``bench/bench_demo.py --keep PATH``), left untouched: two copies are made, one
kept in the clear (no data key) and one sealed with ``services.maintenance.at_rest.seal_database`` (its time is
printed too). With the same code, the two copies run alternately (median of ``--runs`` each, after a warm-up):

* the parties list's first page (services.read.queries.list_page "parties", 100 rows, masked columns only) and the
  same page's SQL through raw sqlite3 (the baseline);
* the inspections list's first page (100 rows: the place is sealed, opened per row on the sealed copy);
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


def paired_ms(a: Callable[[], Any], b: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` run alternately (a, b, a, b …) after a warm-up of each: a machine whose load
    changes during the run slows both alike."""
    a()
    b()
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(runs):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return statistics.median(ta), statistics.median(tb)


class Side:
    """One copy of the database with the key it is read with (None: the copy in the clear)."""

    def __init__(self, path: Path, key: DataKey | None) -> None:
        self.path, self.key, self.db = path, key, Database.open(path)
        self.clock = demo_clock()

    def uow(self, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.db, actor="bench", clock=self.clock, data_key=self.key, write=write)

    def raw_page(self) -> None:
        conn = sqlite3.connect(str(self.path))
        try:
            # the count as services/read/queries.py _count makes it (all rows minus the deleted ones)
            conn.execute("SELECT (SELECT count(*) FROM party) - "
                         "(SELECT count(*) FROM party WHERE deleted_at IS NOT NULL)").fetchone()
            conn.execute("SELECT uid, kind, name, id_number, phone, address, legal_rep FROM party "
                         "WHERE deleted_at IS NULL ORDER BY name DESC, uid DESC LIMIT 100").fetchall()
        finally:
            conn.close()

    def tasks(self, number: str, case_uid: str) -> dict[str, Callable[[], Any]]:
        return {
            "parties page": lambda: list_page(self.uow(), "parties", ListQuery(limit=100)),
            "parties page, raw sqlite3": self.raw_page,
            "inspections page": lambda: list_page(self.uow(), "inspections", ListQuery(limit=100)),
            "picker by ID number": lambda: party_choices(self.uow(), number),
            "工作台": lambda: home_snapshot(self.uow()),
            "decision preview": lambda: preview_document(self.uow(write=True), "penalty_decision", case_uid),
        }


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
        plain, enc = Side(clear, None), Side(sealed, key)
        try:
            assert [f.uid for f in party_choices(enc.uow(), number)] == [f.uid for f in party_choices(plain.uow(),
                                                                                                       number)]
            print(f"{'':28} {'clear':>10} {'sealed':>10} {'ratio':>7}")
            a_tasks, b_tasks = plain.tasks(number, case_uid), enc.tasks(number, case_uid)
            for name in a_tasks:
                runs = args.runs if name != "decision preview" else max(3, args.runs // 3)
                ta, tb = paired_ms(a_tasks[name], b_tasks[name], runs)
                print(f"{name:28} {ta:9.1f}ms {tb:9.1f}ms {tb / ta:6.2f}×")
        finally:
            plain.db.dispose()
            enc.db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
