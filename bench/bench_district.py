"""Benchmark: yearly district statistics and the annual report over many townships, against raw SQL.

    python bench/bench_district.py [--townships 20] [--scale 0.1]
        [--clone-to 200] [--runs 3] [--keep DIR] [--db DISTRICT.sqlite3 [--in-place]] [--check] [--pg postgresql://…]

1. Builds ``--townships`` township databases (``init`` + ``tools.demo.bulk.generate_township`` at ``--scale``; 1.0 is ten
   years of one township, 0.1 about one year of rows spread over ten), exports each in full and imports it into
   one district database through services.sync — the real path.
2. ``--clone-to N`` then copies the measured year's rows of the heaviest tables (inspections with their items,
   penalty cases, mediation cases) of one generated township at a time into synthetic townships, with plain
   INSERT … SELECT (new uids, the schema's triggers firing as on any write), until the year holds N × one
   township-year of rows (one township-year = 10,600 inspections, 2,100 cases, 1,060 disputes). N = 200 is the
   issue's district; with ``--scale 1.0`` every synthetic township holds one whole township-year.
3. Runs the post-import step (``figure_month`` refresh of the township-months the imports touched) and times it;
   ``--check`` compares figure_month with a count from scratch over the year and the one before.
4. Measures (median of ``--runs`` after a warm-up) ``district_stats`` for the year (per township, total, 同比),
   ``monthly_stats``, ``supervise``, and ``build_report`` + each renderer; and a raw-SQL baseline counting the
   same per-township figures from the records with plain sqlite3 (what the statistics cost without
   figure_month), checked equal figure by figure, township by township.
5. ``--pg URL`` (an empty PostgreSQL database) copies the district there, refreshes and times ``district_stats``.

Target: yearly district stats ≤ 2 s (exit code 1 when missed). Not a test: run it by hand.
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
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.base import SHANGHAI  # noqa: E402
from models.registry import metadata  # noqa: E402
from services.core.clock import FixedClock  # noqa: E402
from services.core.db import Database  # noqa: E402
from services.district import build_report, district_stats, monthly_stats, supervise  # noqa: E402
from services.district.report_render import render_docx, render_pdf, render_xlsx  # noqa: E402
from services.statistics.figures import check, refresh_figures  # noqa: E402
from tests.services.district_helpers import build_district  # noqa: E402

YEAR = 2025
TARGET_S = 2.0
TOWNSHIP_YEAR = {"inspection": 10_600, "penalty_case": 2_100, "mediation_case": 1_060}
CLOCK = FixedClock(datetime(2026, 11, 21, 9, tzinfo=SHANGHAI))
NAMES = "竹根牛华西坝金山石麟冠英辉山新云蔡金杨柳桥沟石溪永祥福来马踏凤凰龙泉青平花溪白马金粟普兴"


def median_s(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def uow(db: Database, write: bool = False) -> Any:
    from services.core.uow import UnitOfWork

    return UnitOfWork(db, actor="bench", clock=CLOCK, write=write)


# -- cloning the year's rows into synthetic townships ------------------------------------------------------

CLONE_CACHE_KIB = 1_048_576  # 1 GiB page cache while cloning: the district's ~60 indexes stay in memory


def _select_list(table: str, k: int, tag: int, remap: dict[str, str]) -> tuple[str, str]:
    cols = [c.name for c in metadata.tables[table].columns]
    exprs = []
    for c in cols:
        if c == "uid":
            # New uids that sort after every real one ('z' > any hex digit) and in clone order: the unique uid
            # index grows at its right edge instead of at random pages (a bench shortcut; still 36 characters).
            exprs.append(f"printf('zz%06x-%04x-4000-8000-%012x', {k}, {tag}, id)")
        else:
            exprs.append(remap.get(c, f'"{c}"'))
    return ", ".join(f'"{c}"' for c in cols), ", ".join(exprs)


def clone_year(path: Path, target_township_years: float) -> int:
    """Copy the year's heavy rows of the generated townships into new townships until the target volume.

    Plain INSERT … SELECT per table and clone, so the schema's triggers run as on any write (figure_dirty marks,
    the inspection search index); the figures are brought up to date afterwards by the post-import step."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute(f"PRAGMA cache_size=-{CLONE_CACHE_KIB}")
    start, end = f"{YEAR}-01-01", f"{YEAR}-12-31"
    own = conn.execute("SELECT value FROM local_state WHERE key='township_uid'").fetchone()[0]
    sources = [r[0] for r in conn.execute("SELECT id FROM township WHERE uid != ? AND uid NOT LIKE 'zz%' ORDER BY id",
                                          (own,))]
    per_source = {src: conn.execute("SELECT count(*) FROM inspection WHERE township_id = ? AND inspected_on "
                                    "BETWEEN ? AND ?", (src, start, end)).fetchone()[0] for src in sources}
    have = conn.execute("SELECT count(*) FROM inspection WHERE inspected_on BETWEEN ? AND ?", (start, end)).fetchone()[0]
    want = int(target_township_years * TOWNSHIP_YEAR["inspection"])
    k = conn.execute("SELECT count(*) FROM township WHERE uid LIKE 'zz%'").fetchone()[0]
    t0 = time.perf_counter()
    while have < want:
        k += 1
        src = sources[(k - 1) % len(sources)]
        conn.execute("BEGIN")
        tid = conn.execute(
            "INSERT INTO township (uid, origin_device, version, created_at, updated_at, name, division_code, "
            "district_name, agency_name, doc_prefix) SELECT printf('zz%06x-ffff-4000-8000-%012x', ?, id), "
            "origin_device, 1, created_at, updated_at, '合成' || ? || '号镇', '', district_name, '', '' FROM township "
            "WHERE id = ?", (k, k, src)).lastrowid
        offs = {t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]  # noqa: S608 - constant tables
                for t in ("inspection", "inspection_item", "penalty_case", "mediation_case")}
        cols, sel = _select_list("inspection", k, 1, {"id": f"id + {offs['inspection']}", "township_id": str(tid),
                                                      "reinspection_of_id": "NULL", "campaign_id": "NULL"})
        # Formatted: the models' columns and integers computed here (id offsets, the new township's id); the
        # source township and the dates are bound.
        conn.execute(f"INSERT INTO inspection ({cols}) SELECT {sel} FROM inspection WHERE township_id = ? "  # noqa: S608
                     "AND inspected_on BETWEEN ? AND ? ORDER BY id", (src, start, end))
        cols, sel = _select_list("inspection_item", k, 2, {"id": f"id + {offs['inspection_item']}",
                                                           "inspection_id": f"inspection_id + {offs['inspection']}"})
        conn.execute(f"INSERT INTO inspection_item ({cols}) SELECT {sel} FROM inspection_item WHERE inspection_id IN "  # noqa: S608
                     "(SELECT id FROM inspection WHERE township_id = ? AND inspected_on BETWEEN ? AND ?) ORDER BY id",
                     (src, start, end))
        cols, sel = _select_list("penalty_case", k, 3, {"id": f"id + {offs['penalty_case']}", "township_id": str(tid),
                                                        "source_inspection_id": "NULL"})
        conn.execute(f"INSERT INTO penalty_case ({cols}) SELECT {sel} FROM penalty_case WHERE township_id = ? "  # noqa: S608
                     "AND registered_on BETWEEN ? AND ? ORDER BY id", (src, f"{YEAR - 1}-07-01", end))
        cols, sel = _select_list("mediation_case", k, 4, {"id": f"id + {offs['mediation_case']}",
                                                          "township_id": str(tid)})
        conn.execute(f"INSERT INTO mediation_case ({cols}) SELECT {sel} FROM mediation_case WHERE township_id = ? "  # noqa: S608
                     "AND applied_on BETWEEN ? AND ? ORDER BY id", (src, f"{YEAR - 1}-07-01", end))
        conn.execute("COMMIT")
        have += per_source[src]
        if k % 25 == 0:
            print(f"  … {k} clones, {have / TOWNSHIP_YEAR['inspection']:.0f} township-years, "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
    conn.execute("PRAGMA analysis_limit=1000")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return k


# -- raw SQL baseline: the same per-township figures with plain sqlite3 --------------------------------------

RAW = {
    "insp": "SELECT township_id, count(*), sum(officer_turnout), sum(vehicle_turnout), sum(businesses_inspected) "
            "FROM inspection WHERE inspected_on BETWEEN :s AND :e AND deleted_at IS NULL GROUP BY township_id",
    "found": "SELECT i.township_id, count(*) FROM inspection_item t JOIN inspection i ON i.id = t.inspection_id "
             "WHERE i.inspected_on BETWEEN :s AND :e AND t.result = 'problem' AND t.deleted_at IS NULL "
             "AND i.deleted_at IS NULL GROUP BY i.township_id",
    "fixed": "SELECT i.township_id, count(*) FROM inspection_item t JOIN inspection i ON i.id = t.inspection_id "
             "WHERE t.rectified_on BETWEEN :s AND :e AND t.result = 'problem' AND t.deleted_at IS NULL "
             "AND i.deleted_at IS NULL GROUP BY i.township_id",
    "filed": "SELECT township_id, count(*) FROM penalty_case WHERE filed_on BETWEEN :s AND :e AND deleted_at IS NULL "
             "GROUP BY township_id",
    "closed": "SELECT township_id, count(*) FROM penalty_case WHERE closed_on BETWEEN :s AND :e "
              "AND status IN ('closed', 'archived') AND deleted_at IS NULL GROUP BY township_id",
    "decided": "SELECT township_id, count(*) FILTER (WHERE procedure = 'summary'), "
               "sum(fine_amount) FILTER (WHERE no_penalty_ground IS NULL), "
               "count(*) FILTER (WHERE no_penalty_ground IS NOT NULL) FROM penalty_case "
               "WHERE decision_date BETWEEN :s AND :e AND deleted_at IS NULL GROUP BY township_id",
    "hearing": "SELECT township_id, count(*) FROM penalty_case WHERE hearing_held_on BETWEEN :s AND :e "
               "AND deleted_at IS NULL GROUP BY township_id",
    "review": "SELECT township_id, count(*) FROM penalty_case WHERE legal_review_passed_on BETWEEN :s AND :e "
              "AND deleted_at IS NULL GROUP BY township_id",
    "disclosed": "SELECT township_id, count(*) FROM penalty_case WHERE disclosed_on BETWEEN :s AND :e "
                 "AND deleted_at IS NULL GROUP BY township_id",
    "accepted": "SELECT township_id, count(*) FROM mediation_case WHERE accepted_on BETWEEN :s AND :e "
                "AND deleted_at IS NULL GROUP BY township_id",
    "succeeded": "SELECT township_id, count(*) FROM mediation_case WHERE ended_on BETWEEN :s AND :e "
                 "AND agreement_form IS NOT NULL AND deleted_at IS NULL GROUP BY township_id",
    "confirmed": "SELECT township_id, count(*) FROM mediation_case WHERE confirmation_decided_on BETWEEN :s AND :e "
                 "AND confirmation_granted = 1 AND deleted_at IS NULL GROUP BY township_id",
    "campaign": "SELECT township_id, count(*) FROM campaign WHERE start_date BETWEEN :s AND :e AND deleted_at IS NULL "
                "GROUP BY township_id",
    "training": "SELECT township_id, count(*) FROM training WHERE held_on BETWEEN :s AND :e AND deleted_at IS NULL "
                "GROUP BY township_id",
    "transfer": "SELECT township_id, kind, count(*) FROM transfer WHERE transferred_on BETWEEN :s AND :e "
                "AND deleted_at IS NULL GROUP BY township_id, kind",
    "coercive": "SELECT c.township_id, count(*) FROM coercive_measure m JOIN penalty_case c ON c.id = m.case_id "
                "WHERE m.started_on BETWEEN :s AND :e AND m.deleted_at IS NULL AND c.deleted_at IS NULL "
                "GROUP BY c.township_id",
}


# which indicator keys each raw query yields, in column order after the township id ("transfer" is by kind)
RAW_KEYS = {
    "insp": ("inspections", "officer_turnouts", "vehicle_turnouts", "businesses_inspected"),
    "found": ("problems_found",), "fixed": ("problems_rectified",), "filed": ("cases_filed",),
    "closed": ("cases_closed",), "decided": ("summary_procedure_cases", "fines_yuan", "no_penalty_decisions"),
    "hearing": ("hearings",), "review": ("major_decisions_reviewed",), "disclosed": ("disclosures",),
    "accepted": ("mediation_accepted",), "succeeded": ("mediation_succeeded",), "confirmed": ("judicial_confirmations",),
    "escalated": ("mediation_escalated_to_criminal",), "campaign": ("campaigns",), "training": ("trainings",),
    "attendance": ("training_attendance",), "coercive": ("coercive_measures",),
}
RAW["escalated"] = ("SELECT township_id, count(*) FROM mediation_case WHERE applied_on BETWEEN :s AND :e "
                    "AND escalated_to_criminal = 1 AND deleted_at IS NULL GROUP BY township_id")
RAW["attendance"] = ("SELECT g.township_id, count(*) FROM training_attendance a JOIN training g ON g.id = a.training_id "
                     "WHERE g.held_on BETWEEN :s AND :e AND a.deleted_at IS NULL AND g.deleted_at IS NULL "
                     "GROUP BY g.township_id")


def raw_figures(path: Path, year: int) -> dict[int, dict[str, Any]]:
    """Both years (the district figures carry 同比), per township, from the records with plain sqlite3 (what the
    district statistics cost without figure_month); returns the current year's figures per township id."""
    conn = sqlite3.connect(str(path))
    out: dict[int, dict[str, Any]] = {}
    try:
        for y in (year, year - 1):
            args = {"s": f"{y}-01-01", "e": f"{y}-12-31"}
            for key, sql in RAW.items():
                for row in conn.execute(sql, args):
                    if y != year:
                        continue
                    fig = out.setdefault(int(row[0]), {})
                    if key == "transfer":
                        kind = "transfers_to_departments" if row[1] == "department" else "transfers_to_judiciary"
                        fig[kind] = int(row[2])
                        continue
                    for k, v in zip(RAW_KEYS[key], row[1:], strict=True):
                        fig[k] = (Decimal(int(v or 0)) / 100).quantize(Decimal("0.01")) if k == "fines_yuan" \
                            else int(v or 0)
    finally:
        conn.close()
    return out


def same_figures(raw: dict[int, dict[str, Any]], ds: Any) -> list[str]:
    """Per township and indicator: the raw counts against district_stats (absent in raw = 0)."""
    bad = []
    for tf in ds.townships:
        mine = raw.get(tf.township.id, {})
        for k, v in tf.figures.items():
            if k in ("mediation_success_rate", "certified_officers"):
                continue
            if mine.get(k, 0) != v:
                bad.append(f"{tf.township.name} {k}: raw {mine.get(k, 0)} stats {v}")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--townships", type=int, default=20)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--clone-to", type=float, default=0.0, help="township-years of rows in the measured year")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep the district database in this folder")
    ap.add_argument("--db", type=Path, help="use this district database instead of building one")
    ap.add_argument("--in-place", action="store_true", help="with --db: measure (and clone into) it, not a copy")
    ap.add_argument("--check", action="store_true", help="also compare figure_month with a count from scratch")
    ap.add_argument("--pg", help="empty PostgreSQL database to copy the district into and measure again")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-district-"))
    try:
        if args.db is None:
            import tests.services.district_helpers as helpers

            names = tuple(f"{NAMES[2 * (k % 20):2 * (k % 20) + 2]}{'' if k < 20 else k // 20}镇"
                          for k in range(args.townships))
            real = helpers.generate_township
            helpers.generate_township = lambda db, seed, today, scale: real(db, seed=seed, today=today, scale=args.scale)
            t0 = time.perf_counter()
            template = build_district(tmp / "build", names=names)
            print(f"built {args.townships} townships at scale {args.scale} through sync: {time.perf_counter() - t0:.1f} s")
            path = template.district
        elif args.in_place:
            path = args.db
        else:
            path = tmp / "district.sqlite3"
            shutil.copy2(args.db, path)
        if args.clone_to:
            t0 = time.perf_counter()
            k = clone_year(path, args.clone_to)
            print(f"cloned the {YEAR} rows into {k} synthetic townships: {time.perf_counter() - t0:.1f} s")
        conn = sqlite3.connect(str(path))
        year_rows = {t: conn.execute(f"SELECT count(*) FROM {t} WHERE {c} BETWEEN ? AND ?",  # noqa: S608 - constant tables, columns
                                     (f"{YEAR}-01-01", f"{YEAR}-12-31"))
                     .fetchone()[0] for t, c in (("inspection", "inspected_on"), ("penalty_case", "filed_on"),
                                                 ("mediation_case", "accepted_on"))}
        towns = conn.execute("SELECT count(*) - 1 FROM township").fetchone()[0]
        conn.close()
        township_years = year_rows["inspection"] / TOWNSHIP_YEAR["inspection"]
        print(f"district: {towns} townships; {YEAR}: {year_rows} = {township_years:.1f} township-years; "
              f"file {path.stat().st_size / 2**20:.0f} MiB")
        db = Database.open(path)
        try:
            # the post-import step: recount the township-months the imports (and clones) touched
            t0 = time.perf_counter()
            cells = refresh_figures(uow(db, write=True))
            t_refresh = time.perf_counter() - t0
            print(f"post-import step: figure_month refresh of {cells} township-months in {t_refresh:.1f} s")
            if args.check:
                t0 = time.perf_counter()
                with uow(db) as u:
                    problems = check(u.session, start=date(YEAR - 1, 1, 1), end=date(YEAR, 12, 31))
                print(f"check: figure_month {YEAR - 1}–{YEAR} against a count from scratch: "
                      f"{len(problems)} differences ({time.perf_counter() - t0:.1f} s)")
                assert not problems, problems[:5]
            t_stats, ds = median_s(lambda: district_stats(uow(db), YEAR), args.runs)
            t_raw, raw = median_s(lambda: raw_figures(path, YEAR), args.runs)
            bad = same_figures(raw, ds)
            assert not bad, bad[:5]
            t_month, _ = median_s(lambda: monthly_stats(uow(db), YEAR), args.runs)
            t_sup, rows = median_s(lambda: supervise(uow(db)), 1)
            t_build, data = median_s(lambda: build_report(uow(db), YEAR), 1)
            t_pdf, _ = median_s(lambda: render_pdf(data), 1)
            t_docx, _ = median_s(lambda: render_docx(data), 1)
            t_xlsx, _ = median_s(lambda: render_xlsx(data), 1)
        finally:
            db.dispose()
        print(f"district_stats({YEAR}) incl. 同比: {t_stats * 1000:.0f} ms   raw sqlite3 from the records: "
              f"{t_raw * 1000:.0f} ms   ratio {t_stats / t_raw:.3f}×   target ≤ {TARGET_S:.0f} s "
              f"({'met' if t_stats <= TARGET_S else 'NOT met'}; {township_years:.0f} township-years, every figure "
              f"of every township equal)")
        print(f"monthly_stats({YEAR}) ×2 years: {t_month * 1000:.0f} ms;  supervise: {t_sup * 1000:.0f} ms "
              f"({len(rows)} rows)")
        print(f"report: data {t_build * 1000:.0f} ms, PDF {t_pdf * 1000:.0f} ms, Word {t_docx * 1000:.0f} ms, "
              f"Excel {t_xlsx * 1000:.0f} ms")
        if args.pg:
            from services.district.transfer import copy_database

            src, dst = Database.open(path), Database.open(args.pg)
            try:
                t0 = time.perf_counter()
                copy_database(src, dst)
                print(f"copied to PostgreSQL in {time.perf_counter() - t0:.1f} s")
                t0 = time.perf_counter()
                cells = refresh_figures(uow(dst, write=True))
                print(f"PostgreSQL post-copy figure_month refresh: {cells} township-months in "
                      f"{time.perf_counter() - t0:.1f} s")
                t_pg, ds_pg = median_s(lambda: district_stats(uow(dst), YEAR), args.runs)
                assert ds_pg.total == ds.total
                print(f"PostgreSQL district_stats({YEAR}): {t_pg * 1000:.0f} ms ({t_pg / t_stats:.2f}× SQLite, "
                      f"{t_pg / t_raw:.3f}× the raw SQLite count)")
            finally:
                src.dispose()
                dst.dispose()
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, args.keep / "district.sqlite3")
        return 0 if t_stats <= TARGET_S else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
