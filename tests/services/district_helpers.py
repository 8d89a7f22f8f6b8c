"""A district of six demo townships for the district tests: built once per test session, copied per test.

Each township is a freshly initialised database filled by ``services.demo_bulk.generate_township`` at scale
0.01 (≈0.4 s; ~110 inspections, ~22 cases, ~11 disputes a year since 2017) under its own name, exported in
full through services.sync and imported into an empty district database — the real path, bundles and all.
Township 0 gets one extra case that is long past its decision limit (the supervision test looks for it).
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select

from models.base import SHANGHAI
from models.case import PenaltyCase
from models.enums import CaseStatus, DeviceKind, Procedure
from services.clock import FixedClock
from services.db import Database
from services.demo_bulk import generate_township
from services.district.intake import analyze_database
from services.setup import initialise
from services.sync import apply_bundle, plan_export, trust_key_card, write_bundle
from services.sync.trust import write_key_card
from services.uow import UnitOfWork

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


def _seed_overdue_case(db: Database, clock: FixedClock) -> None:
    """A general-procedure case filed 200 days ago and still under investigation: past its 90-day limit."""
    with UnitOfWork(db, actor="tester", clock=clock) as u:
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
    try:
        du = lambda: UnitOfWork(district, actor="district", clock=clock)  # noqa: E731
        initialise(district, du(), township="五通桥区", squad="五通桥区综合行政执法局", district="乐山市五通桥区",
                   device_kind=DeviceKind.DISTRICT, admin_password="district-1",
                   catalogue_effective_from=date(2016, 1, 1))
        card = folder / "district.card"
        write_key_card(du(), card)
        for k, name in enumerate(names):
            path = folder / f"town{k}.sqlite3"
            town = Database.open(path)
            try:
                tu = lambda town=town: UnitOfWork(town, actor="town", clock=clock)  # noqa: E731
                initialise(town, tu(), township=name, squad=f"{name}综合行政执法中队", district="乐山市五通桥区",
                           admin_password="town-1234", catalogue_effective_from=date(2016, 1, 1))
                generate_township(town, seed=100 + k, today=TODAY, scale=0.01)
                if k == 0:
                    _seed_overdue_case(town, clock)
                peer = trust_key_card(tu(), card)
                result = write_bundle(tu(), plan_export(tu(), peer.uid, full=True), folder / "usb")
                bundles[name] = result.path
            finally:
                town.dispose()
            town_paths[name] = path
            report = apply_bundle(du(), result.path, trust_new=True, receipt_dir=folder / "receipts")
            assert report.total("quarantined") == 0 and report.total("conflicts") == 0, report.quarantined[:3]
        analyze_database(district)  # as `district import` does after a folder of bundles
    finally:
        district.dispose()
    return DistrictTemplate(folder / "district.sqlite3", town_paths, bundles)


def copy_file_db(src: Path, dst: Path) -> Path:
    """A consistent copy of a database file, with its device keys (``<file>.keys``) when it has any."""
    a, b = sqlite3.connect(str(src)), sqlite3.connect(str(dst))
    try:
        a.backup(b)
    finally:
        b.close()
        a.close()
    keys = Path(f"{src}.keys")
    if keys.exists():
        shutil.copy2(keys, f"{dst}.keys")
    return dst


@dataclass
class District:
    db: Database
    clock: FixedClock
    template: DistrictTemplate

    def uow(self, write: bool = True) -> UnitOfWork:
        return UnitOfWork(self.db, actor="clerk", clock=self.clock, write=write)

    @property
    def factory(self) -> Callable[[], UnitOfWork]:
        return lambda: self.uow()


# -- fixtures (imported by tests/services/conftest.py) -------------------------------------------------------

PG_ENV = "ENFORCEDESK_PG_URL"  # a PostgreSQL server the tests may create databases on (CI: .ci/run)
_pg_counter = itertools.count(1)


@pytest.fixture(scope="session")
def district_template(tmp_path_factory: pytest.TempPathFactory) -> DistrictTemplate:
    """Six townships built, exported and imported once per test session (~16 s)."""
    return build_district(tmp_path_factory.mktemp("district"))


@pytest.fixture
def district(tmp_path: Path, district_template: DistrictTemplate) -> Iterator[District]:
    """A private SQLite copy of the district database."""
    db = Database.open(copy_file_db(district_template.district, tmp_path / "district.sqlite3"))
    yield District(db, district_clock(), district_template)
    db.dispose()


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests skipped")
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


@pytest.fixture(scope="session")
def pg_district_base(district_template: DistrictTemplate) -> Iterator[str]:
    """A PostgreSQL database holding a copy of the district (the template for each test's own database)."""
    from services.district.transfer import copy_database

    admin_url = _pg_admin_url()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"ed_district_{os.getpid()}"
    with admin.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    src, dst = Database.open(district_template.district), Database.open(url)
    try:
        copy_database(src, dst)
    finally:
        src.dispose()
        dst.dispose()
    yield name
    with admin.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_district(request: pytest.FixtureRequest, tmp_path: Path,
                 district_template: DistrictTemplate) -> Iterator[District]:
    """The district on SQLite, and again on PostgreSQL when ENFORCEDESK_PG_URL names a server."""
    if request.param == "sqlite":
        db = Database.open(copy_file_db(district_template.district, tmp_path / "district.sqlite3"))
        yield District(db, district_clock(), district_template)
        db.dispose()
        return
    base = request.getfixturevalue("pg_district_base")
    admin_url = _pg_admin_url()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{base}_{next(_pg_counter)}"
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')  # a file copy: ~0.1 s
    db = Database.open(make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    try:
        yield District(db, district_clock(), district_template)
    finally:
        db.dispose()
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
