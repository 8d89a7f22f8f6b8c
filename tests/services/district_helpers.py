"""A district of six demo townships for the district tests: built once per test session, copied per test.

Each township is a freshly initialised database filled by ``tools.demo.bulk.generate_township`` at scale
0.01 (≈0.4 s; ~110 inspections, ~22 cases, ~11 disputes a year since 2017) under its own name, exported in
full through services.sync and imported into an empty district database — the real path, bundles and all.
Township 0 gets one extra case that is long past its decision limit (the supervision test looks for it).
``any_district`` gives each test that district on SQLite and again on PostgreSQL: copied once per session with
``copy_database`` (what ``district copy`` does), then cloned per test with CREATE DATABASE … TEMPLATE. Where the
server comes from: see ``pg_server`` below.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy import create_engine, make_url, select

from models.base import SHANGHAI
from models.case import PenaltyCase
from models.enums import CaseStatus, DeviceKind, Procedure
from services.core.cipher import DataKey
from services.core.clock import FixedClock
from services.core.db import Database, copy_sqlite
from services.core.uow import UnitOfWork
from services.district.intake import analyze_database
from services.reference.setup import initialise
from services.statistics.figures import refresh_figures
from services.sync import apply_bundle, plan_export, trust_key_card, write_bundle
from services.sync.trust import write_key_card
from tests.shared_build import build_once
from tools.demo.bulk import generate_township

TOWNSHIPS = ("竹根镇", "牛华镇", "西坝镇", "金山镇", "石麟镇", "冠英镇")
TODAY = date(2026, 11, 20)
YEAR = 2025
OVERDUE_CASE_NUMBER = "竹综执立〔2026〕第9001号"


def district_clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 21, 9, tzinfo=SHANGHAI))


@dataclass(frozen=True)
class DistrictTemplate:
    district: Path
    townships: dict[str, Path]  # name → township database (after export)
    bundles: dict[str, Path]
    key: DataKey | None = None  # the district database's data key (its copies, on PostgreSQL too, share it)
    town_keys: dict[str, DataKey | None] = field(default_factory=dict)


def _seed_overdue_case(db: Database, clock: FixedClock, key: DataKey | None) -> None:
    """A general-procedure case filed 200 days ago and still under investigation: past its 90-day limit."""
    with UnitOfWork(db, actor="tester", clock=clock, data_key=key) as u:
        s = u.session
        template = s.scalar(select(PenaltyCase).where(PenaltyCase.procedure == Procedure.GENERAL)
                            .order_by(PenaltyCase.id).limit(1))
        assert template is not None
        s.add(PenaltyCase(township_id=template.township_id, number=OVERDUE_CASE_NUMBER, procedure=Procedure.GENERAL,
                          status=CaseStatus.INVESTIGATING, cause="占道经营", domain="占道", place="竹根镇新华路",
                          registered_on=date(2026, 4, 30), filed_on=date(2026, 5, 4), act_date=date(2026, 4, 30),
                          discovered_on=date(2026, 4, 30)))
        u.commit()


def build_district(folder: Path, *, names: tuple[str, ...] = TOWNSHIPS) -> DistrictTemplate:
    folder.mkdir(parents=True, exist_ok=True)
    clock = district_clock()
    district = Database.open(folder / "district.sqlite3")
    town_paths: dict[str, Path] = {}
    bundles: dict[str, Path] = {}
    town_keys: dict[str, DataKey | None] = {}
    try:
        key = initialise(district, UnitOfWork(district, actor="district", clock=clock), township="五通桥区",
                         squad="五通桥区综合行政执法局", district="乐山市五通桥区", device_kind=DeviceKind.DISTRICT,
                         admin_password="district-1", catalogue_effective_from=date(2016, 1, 1)).data_key
        du = lambda: UnitOfWork(district, actor="district", clock=clock, data_key=key)  # noqa: E731
        card = folder / "district.card"
        write_key_card(du(), card)
        for k, name in enumerate(names):
            path = folder / f"town{k}.sqlite3"
            town = Database.open(path)
            try:
                town_key = town_keys[name] = initialise(
                    town, UnitOfWork(town, actor="town", clock=clock), township=name,
                    squad=f"{name}综合行政执法中队", district="乐山市五通桥区", admin_password="town-1234",
                    catalogue_effective_from=date(2016, 1, 1)).data_key
                tu = lambda town=town, tk=town_key: UnitOfWork(town, actor="town", clock=clock, data_key=tk)  # noqa: E731
                generate_township(town, seed=100 + k, today=TODAY, scale=0.01, data_key=town_key)
                if k == 0:
                    _seed_overdue_case(town, clock, town_key)
                peer = trust_key_card(tu(), card)
                result = write_bundle(tu(), plan_export(tu(), peer.uid, full=True), folder / "usb")
                bundles[name] = result.path
            finally:
                town.dispose()
            town_paths[name] = path
            report = apply_bundle(du(), result.path, trust_new=True, receipt_dir=folder / "receipts")
            assert report.total("quarantined") == 0 and report.total("conflicts") == 0, report.quarantined[:3]
        # as `district import` does after a folder of bundles: planner statistics, then the township-months the
        # imports marked are recounted (services/district/intake.py), so no test pays that recount again
        analyze_database(district)
        refresh_figures(du())
    finally:
        district.dispose()
    return DistrictTemplate(folder / "district.sqlite3", town_paths, bundles, key, town_keys)


def copy_file_db(src: Path, dst: Path) -> Path:
    """A consistent copy of a database file, with its device keys (``<file>.keys``) when it has any."""
    return copy_sqlite(src, dst, with_keys=True)


@dataclass
class District:
    db: Database
    clock: FixedClock
    template: DistrictTemplate
    target: str = ""  # what `--db` takes on the command line: the file path, or the postgresql:// URL

    def uow(self, write: bool = True) -> UnitOfWork:
        return UnitOfWork(self.db, actor="clerk", clock=self.clock, write=write, data_key=self.template.key)

    @property
    def factory(self) -> Callable[[], UnitOfWork]:
        return lambda: self.uow()

    @property
    def dialect(self) -> str:
        return self.db.engine.dialect.name


# -- PostgreSQL server for the tests ----------------------------------------------------------------------------
#
# Where the PostgreSQL half of the district tests gets its server, in this order:
#  1. ENFORCEDESK_PG_URL names one (CI: .ci/run starts a throwaway cluster on loopback and exports it). The role
#     must be allowed to create and drop databases; each test works on its own database, dropped afterwards.
#  2. Otherwise, when the PostgreSQL server programs are installed (initdb on PATH, or Debian's
#     /usr/lib/postgresql/<version>/bin) and we are not root, the session starts its own throwaway cluster in a
#     temporary folder: loopback only, a free port, trust auth, no fsync (~1 s), stopped at the end of the session.
#     So `python -m pytest` runs the district tests on both databases on a developer's machine too. Root is left
#     out on purpose: initdb refuses to run as root, and switching users from inside a test run is the CI
#     script's business, not the test suite's.
#  3. Otherwise the PostgreSQL tests are skipped — except under CI (CI=true), where they fail: a CI run that
#     silently skipped them would claim a PostgreSQL support it never tested.
# ENFORCEDESK_PG_URL=skip skips them on purpose (outside CI only).

PG_ENV = "ENFORCEDESK_PG_URL"
_pg_counter = itertools.count(1)


def _pg_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, if the server programs are installed."""
    found = shutil.which("initdb")
    if found:
        folder = Path(found).resolve().parent  # /usr/local/bin/initdb may be a link into the real bin folder
        if (folder / "pg_ctl").exists():
            return folder
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    versions.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return versions[-1] if versions else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class _Cluster:
    bindir: Path
    data: Path
    url: str

    @classmethod
    def start(cls, bindir: Path, folder: Path) -> _Cluster:
        data, log = folder / "data", folder / "server.log"
        subprocess.run([str(bindir / "initdb"), "-D", str(data), "-U", "enforcedesk", "-A", "trust", "-E", "UTF8",
                        "--no-locale", "--no-sync"], check=True, capture_output=True)
        port = _free_port()
        # No Unix socket (its default folder may not be ours to write); TCP on 127.0.0.1 only.
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off"
        subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "30",
                        "start"], check=True, capture_output=True)
        return cls(bindir, data, f"postgresql://enforcedesk@127.0.0.1:{port}/postgres")

    def stop(self) -> None:
        subprocess.run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                       check=False, capture_output=True)


def _unavailable(why: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI: {why} (.ci/run should have started a server)")
    pytest.skip(f"PostgreSQL tests skipped: {why}")


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The admin URL of a PostgreSQL server the tests may create and drop databases on (see above)."""
    url = os.environ.get(PG_ENV, "").strip()
    if url.lower() == "skip" and os.environ.get("CI", "").lower() != "true":
        pytest.skip(f"{PG_ENV}=skip: PostgreSQL tests skipped on purpose")
    if url and url.lower() != "skip":
        yield url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
        return
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable(f"{PG_ENV} is not set and the PostgreSQL server programs (initdb, pg_ctl) are not installed")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        _unavailable(f"{PG_ENV} is not set, and running as root the tests do not start their own server")
    folder = Path(tempfile.mkdtemp(prefix="ed-pg-"))  # short: not under pytest's deep tmp folders
    try:
        cluster = _Cluster.start(bindir, folder)
    except (OSError, subprocess.CalledProcessError) as exc:
        log = folder / "server.log"
        detail = getattr(exc, "stderr", b"") or b""
        tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"could not start a throwaway cluster with {bindir}: {exc} {detail.decode(errors='replace')}"
                     f"{tail}")
    try:
        yield cluster.url.replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def pg_database(admin_url: str, name: str, template: str | None = None, options: str = "") -> Iterator[str]:
    """A new database on the server (a file copy of ``template`` if given), dropped afterwards; yields its URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
                              + (f" {options}" if options else ""))
        try:
            yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as c:
                c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def pg_cli_url(url: str) -> str:
    """The URL as a user types it after ``--db`` (plain postgresql://, no driver name)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


# -- fixtures (imported by tests/services/conftest.py) -------------------------------------------------------


@pytest.fixture(scope="session")
def district_template(tmp_path_factory: pytest.TempPathFactory) -> DistrictTemplate:
    """Six townships built, exported and imported once per test run (~9 s; tests/shared_build.py)."""
    folder, facts = build_once(tmp_path_factory, "district", lambda f: _facts(build_district(f), f))
    return DistrictTemplate(
        folder / facts["district"], {n: folder / p for n, p in facts["townships"].items()},
        {n: folder / p for n, p in facts["bundles"].items()}, _key(facts["key"]),
        {n: _key(k) for n, k in facts["town_keys"].items()})


def _facts(t: DistrictTemplate, folder: Path) -> dict[str, Any]:
    """The template as JSON for the other workers (tests/shared_build.py): paths within ``folder``, keys as hex."""
    rel = lambda p: str(p.relative_to(folder))  # noqa: E731
    return {"district": rel(t.district), "townships": {n: rel(p) for n, p in t.townships.items()},
            "bundles": {n: rel(p) for n, p in t.bundles.items()}, "key": t.key.raw.hex() if t.key else None,
            "town_keys": {n: k.raw.hex() if k else None for n, k in t.town_keys.items()}}


def _key(raw: str | None) -> DataKey | None:
    return DataKey(bytes.fromhex(raw)) if raw else None


def _sqlite_district(tmp_path: Path, template: DistrictTemplate) -> Iterator[District]:
    path = copy_file_db(template.district, tmp_path / "district.sqlite3")
    db = Database.open(path)
    try:
        yield District(db, district_clock(), template, str(path))
    finally:
        db.dispose()


@pytest.fixture
def district(tmp_path: Path, district_template: DistrictTemplate) -> Iterator[District]:
    """A private SQLite copy of the district database (for what works on SQLite only: bundle import)."""
    yield from _sqlite_district(tmp_path, district_template)


@pytest.fixture(scope="session")
def pg_district_base(pg_server: str, district_template: DistrictTemplate) -> Iterator[str]:
    """A PostgreSQL database holding a copy of the district (the template for each test's own database),
    made the way a district moves to PostgreSQL: ``copy_database`` from the SQLite district."""
    from services.district.transfer import copy_database

    with pg_database(pg_server, f"ed_district_{os.getpid()}") as url:
        src, dst = Database.open(district_template.district), Database.open(url)
        try:
            copy_database(src, dst)
        finally:
            src.dispose()
            dst.dispose()
        yield make_url(url).database or ""


@pytest.fixture(params=["sqlite", "postgresql"])
def any_district(request: pytest.FixtureRequest, tmp_path: Path,
                 district_template: DistrictTemplate) -> Iterator[District]:
    """The district on SQLite, and again on PostgreSQL (a private database per test, see pg_server)."""
    if request.param == "sqlite":
        yield from _sqlite_district(tmp_path, district_template)
        return
    base = request.getfixturevalue("pg_district_base")
    admin_url = request.getfixturevalue("pg_server")
    with pg_database(admin_url, f"{base}_{next(_pg_counter)}", template=base) as url:  # a file copy: ~0.1 s
        db = Database.open(url)
        try:
            yield District(db, district_clock(), district_template, pg_cli_url(url))
        finally:
            db.dispose()


@pytest.fixture
def empty_pg_url(pg_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (no schema yet), dropped after the test."""
    with pg_database(pg_server, f"ed_empty_{os.getpid()}_{next(_pg_counter)}") as url:
        yield url
