"""Benchmark: the case list and the yearly statistics on a township-scale database, ORM vs raw SQL.

    python bench/bench_queries.py [DB_PATH] [--scale 1.0] [--runs 5]

Without DB_PATH a scale-1.0 database is generated first (about a minute; see bench_demo.py --keep to reuse one).
Measures the median of ``--runs`` runs (after one warm-up) of:

(a) a filtered, sorted, paged case list through the SQLAlchemy ORM (open statuses, LIKE on cause or party
    name, filed_on range, ORDER BY filed_on DESC LIMIT 50), against the same SQL through plain sqlite3;
(b) services.statistics.yearly.yearly_stats(UnitOfWork(db, write=False), 2025), against raw SQL computing the same counts;
(c) the inspection list's free-text filter (services.read.queries.list_page: the count plus the first page of 100, what
    the list screen runs when a term is typed) for typical 2–4 character Chinese terms, through the FTS5 search
    index of migration 0004, against the same list with the index switched off (the LIKE scan it replaced) and
    against that LIKE SQL through plain sqlite3; the rows are checked equal.

Targets: list <= 100 ms, stats <= 300 ms. Not a test: run it by hand.
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
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import or_, select  # noqa: E402
from sqlalchemy.orm import contains_eager  # noqa: E402

from models.base import SHANGHAI  # noqa: E402
from models.case import PenaltyCase  # noqa: E402
from models.enums import CaseStatus  # noqa: E402
from models.party import Party  # noqa: E402
from services.core.clock import FixedClock  # noqa: E402
from services.core.db import Database  # noqa: E402
from services.core.uow import UnitOfWork  # noqa: E402
from services.statistics.yearly import yearly_stats  # noqa: E402

OPEN = (
    CaseStatus.INVESTIGATING, CaseStatus.REVIEWING, CaseStatus.NOTIFIED, CaseStatus.HEARING,
    CaseStatus.PENDING_DECISION, CaseStatus.DECIDED, CaseStatus.EXECUTING, CaseStatus.ENFORCING, CaseStatus.EXECUTED,
)
YEAR = 2025
LIST_TARGET_MS = 100
STATS_TARGET_MS = 300
SEARCH_TERMS = ("烧烤", "占道", "垃圾", "广告", "餐饮", "新华", "油烟", "占道经营")


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()  # warm-up: page cache, statement caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


# -- (a) case list ------------------------------------------------------------------------------------------

LIST_SQL = """
SELECT pc.*, p.name AS party_name, p.kind AS party_kind
FROM penalty_case pc JOIN party p ON p.id = pc.party_id
WHERE pc.deleted_at IS NULL AND pc.status IN ({statuses})
  AND (pc.cause LIKE :term OR p.name LIKE :term)
  AND pc.filed_on >= :lo AND pc.filed_on <= :hi
ORDER BY pc.filed_on DESC
LIMIT 50
"""


def orm_list(db: Database, statuses: tuple[CaseStatus, ...] | None, term: str, lo: date, hi: date) -> list[Any]:
    conds = [PenaltyCase.deleted_at.is_(None), or_(PenaltyCase.cause.like(term), Party.name.like(term)),
             PenaltyCase.filed_on >= lo, PenaltyCase.filed_on <= hi]
    if statuses:
        conds.append(PenaltyCase.status.in_(statuses))
    stmt = (select(PenaltyCase).join(PenaltyCase.party).options(contains_eager(PenaltyCase.party)).where(*conds)
            .order_by(PenaltyCase.filed_on.desc()).limit(50))
    with db.read_factory() as s:
        cases = list(s.scalars(stmt).unique())
        return [(c.number, c.status, c.party.name if c.party else "", c.filed_on) for c in cases]


def raw_list(conn: sqlite3.Connection, statuses: tuple[CaseStatus, ...] | None, term: str, lo: date,
             hi: date) -> list[Any]:
    sql = LIST_SQL.format(statuses=", ".join(f"'{s.value}'" for s in statuses) if statuses else "pc.status")
    if not statuses:
        sql = sql.replace("AND pc.status IN (pc.status)", "")
    rows = conn.execute(sql, {"term": term, "lo": lo.isoformat(), "hi": hi.isoformat()}).fetchall()
    return [(r["number"], r["status"], r["party_name"], r["filed_on"]) for r in rows]


# -- (b) yearly statistics ----------------------------------------------------------------------------------

STATS_SQL: dict[str, str] = {
    "inspections": "SELECT count(*), coalesce(sum(officer_turnout), 0), coalesce(sum(vehicle_turnout), 0), "
                   "coalesce(sum(businesses_inspected), 0) FROM inspection "
                   "WHERE inspected_on BETWEEN :lo AND :hi AND deleted_at IS NULL",
    "problems": "SELECT count(*) FROM inspection_item WHERE inspection_id IN (SELECT id FROM inspection "
                "WHERE inspected_on BETWEEN :lo AND :hi AND deleted_at IS NULL) AND result = 'problem' "
                "AND deleted_at IS NULL",
    "rectified": "SELECT count(*) FROM inspection_item i JOIN inspection n ON n.id = i.inspection_id "
                 "WHERE i.rectified_on BETWEEN :lo AND :hi AND i.result = 'problem' "
                 "AND i.deleted_at IS NULL AND n.deleted_at IS NULL",
    "cases": "SELECT sum(filed_on BETWEEN :lo AND :hi), "
             "sum(closed_on BETWEEN :lo AND :hi AND status IN ('closed', 'archived')), "
             "sum(decision_date BETWEEN :lo AND :hi AND procedure = 'summary'), "
             "sum(hearing_held_on BETWEEN :lo AND :hi), "
             "coalesce(sum(CASE WHEN decision_date BETWEEN :lo AND :hi AND no_penalty_ground IS NULL "
             "THEN fine_amount END), 0), "
             "sum(decision_date BETWEEN :lo AND :hi AND no_penalty_ground IS NOT NULL), "
             "sum(legal_review_passed_on BETWEEN :lo AND :hi), sum(disclosed_on BETWEEN :lo AND :hi) "
             "FROM penalty_case WHERE deleted_at IS NULL",
    "coercive": "SELECT count(*) FROM coercive_measure m JOIN penalty_case c ON c.id = m.case_id "
                "WHERE m.started_on BETWEEN :lo AND :hi AND m.deleted_at IS NULL AND c.deleted_at IS NULL",
    "transfers": "SELECT kind, count(*) FROM transfer WHERE transferred_on BETWEEN :lo AND :hi AND deleted_at IS NULL "
                 "GROUP BY kind",
    "mediation": "SELECT sum(accepted_on BETWEEN :lo AND :hi), "
                 "sum(ended_on BETWEEN :lo AND :hi AND agreement_form IS NOT NULL), "
                 "sum(confirmation_decided_on BETWEEN :lo AND :hi AND confirmation_granted = 1), "
                 "sum(applied_on BETWEEN :lo AND :hi AND escalated_to_criminal = 1) "
                 "FROM mediation_case WHERE deleted_at IS NULL",
    "trainings": "SELECT count(*), (SELECT count(*) FROM training_attendance a WHERE a.deleted_at IS NULL AND "
                 "a.training_id IN (SELECT id FROM training WHERE held_on BETWEEN :lo AND :hi "
                 "AND deleted_at IS NULL)) FROM training WHERE held_on BETWEEN :lo AND :hi AND deleted_at IS NULL",
    "officers": "SELECT count(*) FROM officer WHERE cert_status = 'valid' AND active = 1 AND cert_number != '' "
                "AND cert_valid_from <= :ref AND cert_valid_to >= :ref AND deleted_at IS NULL",
    "campaigns": "SELECT count(*) FROM campaign WHERE start_date BETWEEN :lo AND :hi AND deleted_at IS NULL",
}


def raw_stats(conn: sqlite3.Connection, year: int, today: date, timings: dict[str, float] | None = None) -> dict[str, Any]:
    params = {"lo": f"{year}-01-01", "hi": f"{year}-12-31", "ref": min(date(year, 12, 31), today).isoformat()}
    out: dict[str, Any] = {}
    for name, sql in STATS_SQL.items():
        t0 = time.perf_counter()
        out[name] = [tuple(r) for r in conn.execute(sql, params).fetchall()]
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + (time.perf_counter() - t0) * 1000
    insp, cases, med, tr = out["inspections"][0], out["cases"][0], out["mediation"][0], dict(out["transfers"])
    accepted, succeeded = med[0] or 0, med[1] or 0
    return {
        "inspections": insp[0], "officer_turnouts": insp[1], "vehicle_turnouts": insp[2],
        "businesses_inspected": insp[3], "problems_found": out["problems"][0][0],
        "problems_rectified": out["rectified"][0][0], "campaigns": out["campaigns"][0][0],
        "cases_filed": cases[0] or 0, "cases_closed": cases[1] or 0, "summary_procedure_cases": cases[2] or 0,
        "hearings": cases[3] or 0, "fines_yuan": f"{(cases[4] or 0) / 100:.2f}", "no_penalty_decisions": cases[5] or 0,
        "major_decisions_reviewed": cases[6] or 0, "disclosures": cases[7] or 0,
        "coercive_measures": out["coercive"][0][0], "transfers_to_departments": tr.get("department", 0),
        "transfers_to_judiciary": tr.get("judiciary", 0), "mediation_accepted": accepted,
        "mediation_succeeded": succeeded,
        "mediation_success_rate": round(succeeded * 100 / accepted, 1) if accepted else 0.0,
        "judicial_confirmations": med[2] or 0, "mediation_escalated_to_criminal": med[3] or 0,
        "trainings": out["trainings"][0][0], "training_attendance": out["trainings"][0][1],
        "certified_officers": out["officers"][0][0],
    }


# -- (c) inspection list free text -------------------------------------------------------------------------

RAW_SEARCH_COUNT = """
SELECT count(*) FROM inspection WHERE deleted_at IS NULL AND (number LIKE :p OR place LIKE :p OR findings LIKE :p
  OR party_id IN (SELECT id FROM party WHERE name LIKE :p))
"""
RAW_SEARCH_PAGE = """
SELECT i.uid, i.number, i.inspected_on, i.place, i.domain, pa.name, i.result, i.rectification_deadline, c.name
FROM inspection i LEFT JOIN party pa ON pa.id = i.party_id LEFT JOIN campaign c ON c.id = i.campaign_id
WHERE i.deleted_at IS NULL AND (i.number LIKE :p OR i.place LIKE :p OR i.findings LIKE :p
  OR i.party_id IN (SELECT id FROM party WHERE name LIKE :p))
ORDER BY i.inspected_on DESC, i.uid DESC LIMIT 100
"""


def search_list(db: Database, term: str, indexed: bool) -> Any:
    import dataclasses

    from services.read.queries import LISTS, ListQuery, list_page

    spec = LISTS["inspections"]
    LISTS["inspections"] = spec if indexed else dataclasses.replace(spec, indexed_filter=None)
    try:
        return list_page(UnitOfWork(db, actor="bench", write=False), "inspections", ListQuery(text=term, limit=100))
    finally:
        LISTS["inspections"] = spec


def raw_search(conn: sqlite3.Connection, term: str) -> tuple[int, list[str]]:
    p = f"%{term}%"
    total = conn.execute(RAW_SEARCH_COUNT, {"p": p}).fetchone()[0]
    return total, [r[0] for r in conn.execute(RAW_SEARCH_PAGE, {"p": p})]


def bench_search(db: Database, raw: sqlite3.Connection, runs: int) -> bool:
    if not raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'inspection_search'").fetchone():
        print("(c) skipped: this database has no inspection_search index yet (open it once with main.py to migrate)")
        return True
    print("(c) inspection list, free text (count + first page of 100): search index | LIKE scan | raw LIKE sqlite3")
    ok, worst = True, 0.0
    for term in SEARCH_TERMS:
        fast_ms, fast = median_ms(lambda t=term: search_list(db, t, True), runs)
        like_ms, like = median_ms(lambda t=term: search_list(db, t, False), runs)
        raw_ms, (raw_total, raw_uids) = median_ms(lambda t=term: raw_search(raw, t), runs)
        same = fast == like and fast.total == raw_total and [r[0] for r in fast.rows] == raw_uids
        worst = max(worst, fast_ms)
        ok &= same and fast_ms <= LIST_TARGET_MS
        print(f"  {term:<6} {fast.total:>6} rows  index {fast_ms:6.1f} ms | LIKE {like_ms:6.1f} ms | raw {raw_ms:6.1f} ms"
              f" | index ÷ raw LIKE {fast_ms / raw_ms:4.2f}x | same rows: {same}")
    print(f"  slowest term through the index {worst:.1f} ms: target <= {LIST_TARGET_MS} ms: "
          f"{'PASS' if worst <= LIST_TARGET_MS else 'FAIL'}")
    return ok


# -- driver -------------------------------------------------------------------------------------------------


def build_db(scale: float, tmp: Path) -> Path:
    from bench_demo import build  # only when no database was given

    path = tmp / "township.sqlite3"
    print(f"building a scale-{scale} township database in {path} ...", flush=True)
    seconds, _cpu, counts = build(path, seed=7, scale=scale, quiet=True)
    print(f"  built in {seconds:.1f} s ({sum(counts.values()):,} rows)")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", nargs="?", type=Path, help="township-scale database (built when omitted)")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--term", default="%字%", help="LIKE pattern for cause / party name")
    ap.add_argument("--today", type=date.fromisoformat, default=date(2026, 3, 2))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="enforcedesk-bench-"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        path = args.db or build_db(args.scale, tmp)
        db = Database.open(path, migrate=False)
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        raw.row_factory = sqlite3.Row
        try:
            n_cases = raw.execute("SELECT count(*) FROM penalty_case").fetchone()[0]
            n_insp = raw.execute("SELECT count(*) FROM inspection").fetchone()[0]
            print(f"database {path}: {n_cases:,} penalty cases, {n_insp:,} inspections; median of {args.runs} runs\n")
            ok = True
            lo, hi = date(YEAR, 1, 1), args.today
            for label, statuses, term in (
                ("(a) case list: open statuses, LIKE term, filed_on range", OPEN, args.term),
                ("(a') case list: any status, LIKE '%镇%' (many matches)", None, "%镇%"),
            ):
                orm_ms, orm_rows = median_ms(lambda s=statuses, t=term: orm_list(db, s, t, lo, hi), args.runs)
                raw_ms, raw_rows = median_ms(lambda s=statuses, t=term: raw_list(raw, s, t, lo, hi), args.runs)
                same = [(r[0], str(r[1]), r[2], r[3].isoformat()) for r in orm_rows] == \
                    [(r[0], r[1], r[2], r[3]) for r in raw_rows]
                verdict = "PASS" if orm_ms <= LIST_TARGET_MS else "FAIL"
                ok &= orm_ms <= LIST_TARGET_MS
                print(f"{label}\n  ORM {orm_ms:7.1f} ms | raw sqlite3 {raw_ms:7.1f} ms | ratio {orm_ms / raw_ms:4.1f}x | "
                      f"{len(orm_rows)} rows, same rows: {same} | target <= {LIST_TARGET_MS} ms: {verdict}")
            clock = FixedClock(datetime(args.today.year, args.today.month, args.today.day, 12, tzinfo=SHANGHAI))
            uow = UnitOfWork(db, actor="bench", write=False, clock=clock)
            orm_ms, stats = median_ms(lambda: yearly_stats(uow, YEAR), args.runs)
            timings: dict[str, float] = {}
            raw_ms, raw_result = median_ms(lambda: raw_stats(raw, YEAR, args.today, timings), args.runs)
            orm_json = stats.to_json()
            orm_json.pop("year")
            same = orm_json == raw_result
            verdict = "PASS" if orm_ms <= STATS_TARGET_MS else "FAIL"
            ok &= orm_ms <= STATS_TARGET_MS
            print(f"(b) yearly_stats({YEAR})\n  ORM {orm_ms:7.1f} ms | raw sqlite3 {raw_ms:7.1f} ms | ratio "
                  f"{orm_ms / raw_ms:4.1f}x | same figures: {same} | target <= {STATS_TARGET_MS} ms: {verdict}")
            if not same:
                diff = {k: (orm_json.get(k), raw_result.get(k)) for k in raw_result if orm_json.get(k) != raw_result[k]}
                print(f"  differences (orm, raw): {diff}")
            runs = args.runs + 1
            parts = ", ".join(f"{k} {v / runs:.1f}" for k, v in sorted(timings.items(), key=lambda kv: -kv[1]))
            print(f"  raw breakdown (ms per run): {parts}")
            print(f"  {YEAR}: {stats.inspections} inspections, {stats.cases_filed} cases filed, "
                  f"{stats.mediation_accepted} mediations accepted ({stats.mediation_success_rate}% succeeded)")
            ok &= bench_search(db, raw, args.runs)
            return 0 if ok else 1
        finally:
            raw.close()
            db.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
