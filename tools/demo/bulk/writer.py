"""Ten years of one township in one transaction: the families in order, then the rows into SQLite, fast.

The ORM is far too slow for a million rows (docs/performance.md §2: add_all is ~35× slower than executemany), so
the rows are tuples written with multi-row INSERTs inside ONE transaction on the raw connection, and one audit
event per table is appended to the hash chain in that same transaction. The few people a user registers one by one
(officers, committees, mediators) come first, through the services (people.py). Everything is drawn from
``random.Random(seed)``: the same seed and ``today`` give the same records.
"""

from __future__ import annotations

import gc
import sqlite3
from datetime import date, datetime, time
from random import Random
from typing import Any

from sqlalchemy.engine import Connection

from models.base import SHANGHAI
from models.enums import RecordKind
from models.sealed import index_column, masked_column, sealed_by_table
from services.core.audit import PendingEvent, append_events, digest
from services.core.cipher import DataKey
from services.core.db import WRITE_OPTION, Database
from services.core.errors import AppError
from services.core.sealing import stored_forms
from services.reference.calendar import load_calendar
from services.reference.settings import Settings
from tools.demo.bulk.activities import Campaigns, trainings
from tools.demo.bulk.catalogue import Catalogue
from tools.demo.bulk.context import Context, Progress, Table
from tools.demo.bulk.inspections import Inspections
from tools.demo.bulk.mediation import Mediations
from tools.demo.bulk.penalty import Penalty
from tools.demo.bulk.penalty_rows import write_cases, write_transfers
from tools.demo.bulk.people import Parties, load_committees, load_squad, register_squad_and_committees

ROWS_PER_INSERT = 200  # rows per multi-row INSERT (within SQLite's bound-variable limit)
# Rows reach SQLite parents first only for readability; foreign keys are checked after the load.
ORDER = ("party", "campaign", "training", "training_attendance", "inspection", "inspection_officer",
         "inspection_item", "reinspection_task", "penalty_case", "case_officer", "case_event", "coercive_measure",
         "coercive_item", "transfer", "mediation_case", "mediation_party", "mediation_mediator", "mediation_session",
         "follow_up_visit", "number_block")


def generate_township(
    db: Database, *, seed: int, today: date, progress: Progress | None = None, scale: float = 1.0,
    data_key: DataKey | None = None,
) -> dict[str, int]:
    """Fill an initialised database with 2017-01-01 .. ``today`` of one township's records; returns rows per table.

    Deterministic for a given ``seed`` and ``today``. Refuses a database that already holds penalty cases, and one
    whose catalogue of powers is not in force since 2017 (the cases could not have been registered).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    report: Progress = progress or (lambda _stage, _percent: None)
    with db.engine.connect() as sa:
        if sa.exec_driver_sql("SELECT value FROM local_state WHERE key='township_uid'").first() is None:
            raise AppError("此数据库尚未初始化：请先运行 init 或首次启动向导")
        if sa.exec_driver_sql("SELECT 1 FROM penalty_case LIMIT 1").first() is not None:
            raise AppError("数据库中已有业务数据，不能再生成演示数据")
    rng = Random(seed)
    report("准备", 1)
    register_squad_and_committees(db, rng, today, data_key)
    with db.read_factory() as s:
        settings = Settings(s)
        cal = load_calendar(s)
    with db.engine.connect() as sa:
        raw: sqlite3.Connection = sa.connection.driver_connection  # type: ignore[assignment]
        old_cache = raw.execute("PRAGMA cache_size").fetchone()[0]
        old_sync = raw.execute("PRAGMA synchronous").fetchone()[0]
        # Foreign keys are checked once after the load (PRAGMA foreign_key_check below); the pragma cannot change
        # inside a transaction, so it is switched here and restored before the connection goes back to the pool.
        # synchronous=NORMAL skips the fsync of a ~300 MB WAL at commit: demo data may be lost by a power cut, the
        # database cannot be corrupted by it (WAL mode).
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("PRAGMA cache_size=-262144")
        raw.execute("PRAGMA synchronous=NORMAL")
        # A million long-lived rows and drafts, no reference cycles among them: the cyclic collector's full passes
        # over them find nothing and cost seconds (measured: 3.8 s of CPU at scale 1.0), so it rests meanwhile, and
        # wakes only once they are gone (else its first young-generation pass walks all of them).
        collecting = gc.isenabled()
        gc.disable()
        try:
            conn = sa.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                counts = _load(conn, Context(raw, rng=rng, today=today, scale=scale, settings=settings, cal=cal,
                                             progress=report), data_key)
        finally:
            if collecting:
                gc.enable()
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute(f"PRAGMA cache_size={int(old_cache)}")
            raw.execute(f"PRAGMA synchronous={int(old_sync)}")
    report("完成", 100)
    return counts


def _load(conn: Connection, ctx: Context, key: DataKey | None) -> dict[str, int]:
    """Build every family's rows, write them, check the foreign keys, append the audit events."""
    _build(ctx)
    for t in ctx.tables.values():
        _seal(t, key)
    counts = _write(ctx)
    problems = ctx.conn.execute("PRAGMA foreign_key_check").fetchmany(5)
    if problems:
        raise AssertionError(f"bulk load broke foreign keys: {problems}")
    ctx.report("审计记录", 97)
    _audit(conn, ctx, ctx.today)
    return counts


def _build(ctx: Context) -> None:
    catalogue = Catalogue(ctx)
    squad = load_squad(ctx)
    committee_ids, mediators = load_committees(ctx)
    parties = Parties(ctx)
    parties.generate()
    campaigns = Campaigns(ctx)
    campaigns.generate()
    trainings(ctx, squad)
    ctx.report("参与人和专项行动", 10)
    inspections = Inspections(ctx, squad, parties, campaigns)
    inspections.plan()
    transfers: list[dict[str, Any]] = []
    inspections.write(transfers)
    penalty = Penalty(ctx, squad, parties, catalogue)
    penalty.plan(inspections.to_cases)
    mediation = Mediations(ctx, parties, committee_ids, mediators)
    mediation.generate()
    ctx.numbers.assign()
    write_cases(ctx, penalty.cases, transfers)
    write_transfers(ctx, transfers)
    ctx.report("行政处罚案件", 70)
    mediation.write()
    parties.flush()
    _number_blocks(ctx)
    ctx.tables = {name: ctx.tables[name] for name in ORDER if name in ctx.tables} | {
        k: v for k, v in ctx.tables.items() if k not in ORDER}


def _number_blocks(ctx: Context) -> None:
    t = ctx.table(RecordKind.NUMBER_BLOCK, ("township_id", "device_uid", "doc_type", "year", "first", "last", "next_seq"))
    for doc_type, year, first, last, next_seq in ctx.numbers.blocks():
        created = ctx.ts(min(ctx.t, date(year, 12, 31).toordinal()), 1020)
        t.rows.append((ctx.next_id(t), ctx.uid(), ctx.device_uid, 1, created, created, ctx.township_id,
                       ctx.device_uid, doc_type, year, first, last, next_seq))


def _seal(t: Table, key: DataKey | None) -> None:
    """The declared personal data of ``t``'s rows (models/sealed.py) as the ORM would store it: sealed under the
    database's key with the row's uid bound in, plus the masked form lists show and the blind index exact search
    uses (docs/encryption-data.md). Done on the tuples before the INSERT, so no plaintext page of them ever reaches
    the file or its WAL. Without a key (a database made the old way) the values stay as they are and only the
    masked forms are added."""
    cols = [c for c in sealed_by_table().get(t.name, ()) if c.column in t.cols]
    if not cols or not t.rows:
        return
    uid_at = t.cols.index("uid")
    uids = [str(row[uid_at]) for row in t.rows]
    columns = [list(col) for col in zip(*t.rows, strict=True)]
    extra: list[str] = []
    derived: list[list[str]] = []
    for c in cols:
        at = t.cols.index(c.column)
        forms = stored_forms(c, key, [v or "" for v in columns[at]], uids)
        if forms.sealed is not None:
            columns[at] = list(forms.sealed)
        for name, out in ((masked_column(c), forms.masked), (index_column(c), forms.index)):
            if out is not None:
                extra.append(name)
                derived.append(out)
    t.cols = (*t.cols, *extra)
    t.rows = list(zip(*columns, *derived, strict=True))


def _check_columns(ctx: Context) -> None:
    for t in ctx.tables.values():
        info = ctx.conn.execute(f'PRAGMA table_info("{t.name}")').fetchall()
        names = {r[1] for r in info}
        unknown = set(t.cols) - names
        missing = {r[1] for r in info if r[3] and r[4] is None and not r[5]} - set(t.cols)
        if unknown or missing:
            raise AssertionError(f"{t.name}: unknown columns {sorted(unknown)}, NOT NULL not filled {sorted(missing)}")


def _write(ctx: Context) -> dict[str, int]:
    _check_columns(ctx)
    counts: dict[str, int] = {}
    cur = ctx.conn.cursor()
    tables = [t for t in ctx.tables.values() if t.rows]
    total = sum(len(t.rows) for t in tables) or 1
    done = 0
    limit = int(ctx.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    for t in tables:
        # Many rows per statement, not executemany's one: every statement that fires the triggers of migration
        # 0004 opens a statement journal, and the FTS5 search index flushes its pending terms to disk at each
        # one; per row that cost ~100 µs per inspection (measured), per 200 rows it is negligible.
        per = max(1, min(ROWS_PER_INSERT, limit // len(t.cols)))
        full = t.sql(per)
        for start in range(0, len(t.rows), per):
            part = t.rows[start:start + per]
            cur.execute(full if len(part) == per else t.sql(len(part)), [v for row in part for v in row])
        counts[t.name] = len(t.rows)
        done += len(t.rows)
        ctx.report(f"写入 {t.name}", 75 + 20 * done // total)
    if ctx.deadlines:
        cur.executemany("INSERT INTO deadline (owner_table, owner_id, kind, due_on, provisional, met_on, basis) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", ctx.deadlines)
        counts["deadline"] = len(ctx.deadlines)
    cur.close()
    return counts


def _audit(conn: Connection, ctx: Context, today: date) -> None:
    events = []
    for t in ctx.tables.values():
        if not t.rows:
            continue
        first, last = t.rows[0][1], t.rows[-1][1]
        after = digest({"count": len(t.rows), "first_uid": first, "last_uid": last,
                        "first_id": t.rows[0][0], "last_id": t.rows[-1][0]})
        events.append(PendingEvent(t.name, f"bulk:{len(t.rows)}", "demo.bulk_insert", "", after))
    at = datetime.combine(today, time(20, 0), tzinfo=SHANGHAI)
    append_events(conn, events, at=at, actor="demo", device_uid=ctx.device_uid)
