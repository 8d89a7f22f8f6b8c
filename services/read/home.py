"""The 工作台 (home): today's deadlines due or overdue across every record, this month's/year's counts, and a new
squad's first steps (officers, accounts, a mediation committee) until they are done.

The queries are plain SQL, written once and run two ways:

* in a unit of work (``home_snapshot``, ``work_page``, ``home_counts``; :class:`UowHomeReader`) through the
  session, on SQLite or PostgreSQL, as every other service reads;
* straight from the database file with ``sqlite3`` (:class:`FileHomeReader`), which is what lets the desktop
  program show the 工作台 the moment the password is checked, while SQLAlchemy and the models (about a second of
  imports) are still loading on another thread (ui/app.py, bench/bench_startup.py). The caller uses it only on a
  township database already at ``SCHEMA_HEAD`` (services.core.quick_login.probe says so).

So this module imports neither SQLAlchemy nor the mapped models at load time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from models.enums import DeadlineKind, RecordKind
from models.labels import label
from services.core.clock import Clock
from services.people.certificates import REMIND_STATES, certificate_status
from services.reference.setting_specs import SPECS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from services.core.uow import UnitOfWork

HORIZON_DAYS = 14  # the work list: everything overdue plus what falls due within two weeks
PAGE_SIZE = 100  # work items read per page (the 工作台 shows 显示更多 for the rest)
_IN_CHUNK = 500  # ids per IN (...) when the titles are read (SQLite's variable limit is far above)

# (statement, named parameters) → rows. Dates go in as ``date``; each runner hands them to its driver.
Query = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]


@dataclass(frozen=True, slots=True)
class WorkItem:
    kind: DeadlineKind
    kind_label: str
    due_on: date
    days_left: int  # negative: overdue by that many days
    provisional: bool
    record_type: str  # penalty_case | mediation_case | inspection | coercive_measure | officer
    record_uid: str
    title: str
    basis: str


@dataclass(frozen=True, slots=True)
class HomeCounts:
    inspections_month: int
    inspections_year: int
    cases_filed_month: int
    cases_filed_year: int
    mediations_month: int
    mediations_year: int
    overdue: int
    due_soon: int


@dataclass(frozen=True, slots=True)
class WorkPage:
    """One page of the 工作台's work items, with the totals over all of them (not just this page)."""

    items: list[WorkItem]
    total: int  # every open deadline due within the horizon (overdue ones included) and expiring certificate
    overdue: int  # of those, the ones already past their day
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


MIN_OFFICERS = 2  # 《行政处罚法》第四十二条: inspections and cases need two officers, so the first step needs two


@dataclass(frozen=True, slots=True)
class FirstSteps:
    """What a new squad sets up before its first inspection or mediation, in order, and how far it has got."""

    officers: int  # active officers
    accounts: int  # active accounts opened for an officer
    committees: int  # people's mediation committees

    @property
    def officers_done(self) -> bool:
        return self.officers >= MIN_OFFICERS

    @property
    def accounts_done(self) -> bool:
        return self.accounts > 0

    @property
    def committees_done(self) -> bool:
        return self.committees > 0

    @property
    def complete(self) -> bool:
        return self.officers_done and self.accounts_done and self.committees_done


@dataclass(frozen=True, slots=True)
class HomeSnapshot:
    """What the 工作台 shows when it opens: the counts, the first page of work items and the first steps, read
    together."""

    counts: HomeCounts
    page: WorkPage
    taken_at: datetime
    first_steps: FirstSteps = FirstSteps(MIN_OFFICERS, 1, 1)


class HomeReader(Protocol):
    """Where the 工作台 screen reads its figures (a unit of work, or the database file at start-up)."""

    def snapshot(self, limit: int = PAGE_SIZE) -> HomeSnapshot: ...

    def page(self, offset: int, limit: int = PAGE_SIZE) -> WorkPage: ...


# -- the SQL ------------------------------------------------------------------------------------------------

# Open deadlines due by :until whose record still exists (a deleted record's deadlines are not work).
# Certificate deadlines are left out: they come from the officers themselves (_certificate_items).
# A window the parties may use rather than a duty (judicial confirmation, 人民调解法 art.33: the parties *may* apply
# within 30 days): shown while it is open, as a reminder to tell them; once past it has lapsed and is not work.
_RECORD_TABLES = (RecordKind.PENALTY_CASE, RecordKind.MEDIATION_CASE, RecordKind.INSPECTION, RecordKind.COERCIVE_MEASURE)
_WINDOWS = (DeadlineKind.JUDICIAL_CONFIRMATION.value,)
# Formatted from the module's constant tables and enum values only (values from outside are :parameters).
_OPEN = ("d.met_on IS NULL AND d.due_on <= :until AND NOT (d.kind IN ("  # noqa: S608
         + ", ".join(f"'{k}'" for k in _WINDOWS) + ") AND d.due_on < :today) AND (" + " OR ".join(
             f"(d.owner_table = '{t}' AND EXISTS (SELECT 1 FROM {t} r WHERE r.id = d.owner_id "  # noqa: S608
             "AND r.deleted_at IS NULL))" for t in _RECORD_TABLES) + ")")

_TOTALS = f"SELECT count(*), count(*) FILTER (WHERE d.due_on < :today) FROM deadline d WHERE {_OPEN}"  # noqa: S608
_ROWS = (f"SELECT d.owner_table, d.owner_id, d.kind, d.due_on, d.provisional, d.basis FROM deadline d "  # noqa: S608
         f"WHERE {_OPEN} ORDER BY d.due_on, d.id LIMIT :n")
_SOON = (f"SELECT count(*) FILTER (WHERE d.due_on < :today), count(*) FILTER (WHERE d.due_on >= :today) "  # noqa: S608
         f"FROM deadline d WHERE {_OPEN}")
# Every active officer's certificate: services.people.certificates decides which are due (a few dozen rows).
_CERTIFICATES = ("SELECT uid, name, cert_number, cert_valid_from, cert_valid_to, cert_status FROM officer "
                 "WHERE active = TRUE AND deleted_at IS NULL ORDER BY cert_valid_to, id")
# This month's and this year's records by one indexed date column, in one range scan.
_COUNT = ("SELECT count(*) FILTER (WHERE {col} >= :month0), count(*) FROM {table} "
          "WHERE {col} >= :year0 AND {col} <= :today AND deleted_at IS NULL")
_COUNTED = ((RecordKind.INSPECTION, "inspected_on"), (RecordKind.PENALTY_CASE, "filed_on"), (RecordKind.MEDIATION_CASE, "applied_on"))
_FIRST_STEPS = ("SELECT (SELECT count(*) FROM officer WHERE active = TRUE AND deleted_at IS NULL), "
                "(SELECT count(*) FROM user_account WHERE active = TRUE AND officer_id IS NOT NULL), "
                "(SELECT count(*) FROM mediation_committee WHERE deleted_at IS NULL)")
# Per record table: (uid, title parts) of the records the listed deadlines belong to.
_TITLES: dict[str, str] = {
    RecordKind.PENALTY_CASE: "SELECT c.id, c.uid, c.number, c.cause, p.name FROM penalty_case c "
                    "LEFT JOIN party p ON p.id = c.party_id WHERE c.deleted_at IS NULL AND c.id IN ({ids})",
    RecordKind.MEDIATION_CASE: "SELECT id, uid, number, summary FROM mediation_case WHERE deleted_at IS NULL AND id IN ({ids})",
    RecordKind.INSPECTION: "SELECT id, uid, number, place FROM inspection WHERE deleted_at IS NULL AND id IN ({ids})",
    RecordKind.COERCIVE_MEASURE: "SELECT id, uid, decision_number, place FROM coercive_measure "
                        "WHERE deleted_at IS NULL AND id IN ({ids})",
}


def _day(value: Any) -> date | None:
    """A DATE column: a ``date`` from PostgreSQL, ISO text from SQLite; None for a stored value that is no
    calendar date (written by an older version: the item is left out rather than the 工作台 failing)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _title(table: str, row: Sequence[Any]) -> str:
    if table == RecordKind.PENALTY_CASE:
        _id, _uid, number, cause, party = row
        return f"{number or '未立案'} {party or ''} {cause}".strip()
    if table == RecordKind.MEDIATION_CASE:
        return f"{row[2]} {str(row[3])[:24]}"
    return f"{row[2]} {row[3]}"


def _setting_int(q: Query, key: str) -> int:
    rows = q("SELECT value FROM app_setting WHERE key = :key", {"key": key})
    return int(json.loads(rows[0][0]) if rows else SPECS[key].default)


def _certificate_items(q: Query, today: date) -> list[WorkItem]:
    """Certificates expired or due for renewal, as the 执法人员 list shows them (the same function decides)."""
    warn_days = _setting_int(q, "certificate.warn_days")
    kind = DeadlineKind.CERTIFICATE_EXPIRY
    items = []
    for uid, name, cert_number, valid_from, valid_to, stored in q(_CERTIFICATES, {}):
        if valid_to is None:
            continue  # nothing to fall due (the list shows it as 未登记执法证)
        day = _day(valid_to)
        if day is None:
            continue  # a damaged stored date (services/core/damaged.py): left out, not a crash
        status = certificate_status(cert_number=cert_number or "", valid_to=day, today=today, stored=stored,
                                    valid_from=_day(valid_from), warn_days=warn_days)
        if status.state in REMIND_STATES:
            items.append(WorkItem(kind, label(kind), day, (day - today).days, False, RecordKind.OFFICER, uid,
                                  f"{name}（执法证 {cert_number}，{status.text}）", "执法证件管理"))
    return items


def _titles(q: Query, owners: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, str]]:
    by_table: dict[str, list[int]] = {}
    for table, owner_id in owners:
        by_table.setdefault(table, []).append(int(owner_id))
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for table, ids in by_table.items():
        sql = _TITLES.get(table)
        if sql is None:
            continue
        unique = sorted(set(ids))
        for start in range(0, len(unique), _IN_CHUNK):
            chunk = unique[start:start + _IN_CHUNK]
            params = {f"i{n}": v for n, v in enumerate(chunk)}
            for row in q(sql.format(ids=", ".join(f":i{n}" for n in range(len(chunk)))), params):
                out[(table, int(row[0]))] = (str(row[1]), _title(table, row))
    return out


def _work_page(q: Query, today: date, horizon_days: int, offset: int, limit: int) -> WorkPage:
    until = today + timedelta(days=horizon_days)
    total, overdue = q(_TOTALS, {"until": until, "today": today})[0]
    # Certificates are few (one per officer): the deadlines up to the end of this page are merged with them.
    certificates = _certificate_items(q, today)
    rows = list(q(_ROWS, {"until": until, "today": today, "n": offset + limit}))
    wanted = rows if certificates else rows[offset:]
    titles = _titles(q, ((r[0], r[1]) for r in wanted))
    items = []
    for table, owner_id, kind, due, provisional, basis in wanted:
        if (table, int(owner_id)) not in titles:
            continue
        day, k = _day(due), DeadlineKind(kind)
        if day is None:
            continue
        items.append(WorkItem(k, label(k), day, (day - today).days, bool(provisional), table,
                              *titles[(table, int(owner_id))], basis))
    if certificates:
        items = sorted(items + certificates, key=lambda i: i.due_on)[offset:]  # stable: a day keeps its order
    return WorkPage(items[:limit], int(total) + len(certificates),
                    int(overdue) + sum(1 for c in certificates if c.days_left < 0), offset)


def _counts(q: Query, today: date) -> HomeCounts:
    bounds = {"today": today, "month0": today.replace(day=1), "year0": today.replace(month=1, day=1)}
    figures: list[int] = []
    for table, col in _COUNTED:
        month, year = q(_COUNT.format(table=table, col=col), bounds)[0]
        figures += [int(month), int(year)]
    overdue, soon = q(_SOON, {"until": today + timedelta(days=7), "today": today})[0]
    # Expiring enforcement certificates count too, as they do in the work list.
    for cert in _certificate_items(q, today):
        overdue += cert.days_left < 0
        soon += 0 <= cert.days_left <= 7
    (insp_month, insp_year), (cases_month, cases_year), (med_month, med_year) = (
        figures[0:2], figures[2:4], figures[4:6])
    return HomeCounts(insp_month, insp_year, cases_month, cases_year, med_month, med_year, int(overdue), int(soon))


def _first_steps(q: Query) -> FirstSteps:
    officers, accounts, committees = q(_FIRST_STEPS, {})[0]
    return FirstSteps(int(officers), int(accounts), int(committees))


def _snapshot(q: Query, clock: Clock, limit: int) -> HomeSnapshot:
    today = clock.today()
    return HomeSnapshot(_counts(q, today), _work_page(q, today, HORIZON_DAYS, 0, limit), clock.now(),
                        _first_steps(q))


def _check_page(offset: int, limit: int) -> None:
    if offset < 0 or limit < 1:
        raise ValueError("offset must be >= 0 and limit >= 1")


# -- through a unit of work ----------------------------------------------------------------------------------


def _session_query(session: Session) -> Query:
    from sqlalchemy import text

    sqlite = session.get_bind().dialect.name == "sqlite"

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return session.execute(text(sql), _sqlite_params(params) if sqlite else dict(params)).all()

    return run


def work_page(uow: UnitOfWork, *, horizon_days: int = HORIZON_DAYS, offset: int = 0, limit: int = PAGE_SIZE) -> WorkPage:
    """Open deadlines due within ``horizon_days`` (and all overdue ones) and expiring enforcement certificates,
    soonest first, one page at a time: the list is read from SQL with LIMIT, so a township with a thousand
    forgotten deadlines still opens its 工作台 at once.
    """
    _check_page(offset, limit)
    with uow:
        return _work_page(_session_query(uow.session), uow.clock.today(), horizon_days, offset, limit)


def home_counts(uow: UnitOfWork) -> HomeCounts:
    with uow:
        return _counts(_session_query(uow.session), uow.clock.today())


def home_snapshot(uow: UnitOfWork, *, limit: int = PAGE_SIZE) -> HomeSnapshot:
    """The counts and the first ``limit`` work items in one read transaction (one consistent view)."""
    with uow:
        return _snapshot(_session_query(uow.session), uow.clock, limit)


@dataclass(frozen=True, slots=True)
class UowHomeReader:
    """The 工作台's figures through the application's units of work (``ctx.reader``)."""

    reader: Callable[[], UnitOfWork]

    def snapshot(self, limit: int = PAGE_SIZE) -> HomeSnapshot:
        return home_snapshot(self.reader(), limit=limit)

    def page(self, offset: int, limit: int = PAGE_SIZE) -> WorkPage:
        return work_page(self.reader(), offset=offset, limit=limit)


# -- straight from the file, before the ORM is loaded ---------------------------------------------------------


def _sqlite_params(params: Mapping[str, Any]) -> dict[str, Any]:
    # SQLAlchemy stores a Date as ISO text on SQLite; sqlite3's own date adapter is deprecated.
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}


@dataclass(frozen=True, slots=True)
class FileHomeReader:
    """The 工作台's figures read with ``sqlite3`` from a township database file at ``SCHEMA_HEAD``.

    ``query_only``: it cannot change the database; a reader never blocks the program's writers (WAL). Each call
    is one read transaction, as in a unit of work.
    """

    path: Path
    clock: Clock

    def _read(self, job: Callable[[Query], Any]) -> Any:
        conn = sqlite3.connect(str(self.path), timeout=10)
        with closing(conn):
            conn.execute("PRAGMA query_only = 1")
            conn.execute("BEGIN")  # one snapshot for every statement of the job

            def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
                return conn.execute(sql, _sqlite_params(params)).fetchall()

            return job(run)

    def snapshot(self, limit: int = PAGE_SIZE) -> HomeSnapshot:
        result: HomeSnapshot = self._read(lambda q: _snapshot(q, self.clock, limit))
        return result

    def page(self, offset: int, limit: int = PAGE_SIZE) -> WorkPage:
        _check_page(offset, limit)
        result: WorkPage = self._read(
            lambda q: _work_page(q, self.clock.today(), HORIZON_DAYS, offset, limit))
        return result
