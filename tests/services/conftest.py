"""Shared fixtures for service tests: an initialised file database, a fixed clock, people and parties."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from models.base import SHANGHAI
from models.enums import IdType, PartyKind, Role
from models.identifiers import resident_id_check_char
from models.mediation import MediationCommittee, Mediator
from services.core.cipher import DataKey
from services.core.clock import FixedClock
from services.core.db import Database, copy_sqlite
from services.core.uow import UnitOfWork
from services.people.registry import OfficerInput, PartyInput, create_officer, create_party
from services.reference.setup import initialise, this_township
from tests.services.district_helpers import (  # noqa: F401
    any_district,
    district,
    district_template,
    empty_pg_url,
    pg_district_base,
    pg_server,
)
from tests.shared_build import build_once

START = date(2026, 3, 2)
ORG_USCC = "91350100M000100Y43"


def resident_id(birth: date, seq: str = "123") -> str:
    first17 = f"110105{birth:%Y%m%d}{seq}"
    return first17 + resident_id_check_char(first17)


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read through a fresh connection (what a crash would leave on disk)."""
    assert db.path is not None
    conn = sqlite3.connect(str(db.path))
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out: dict[str, list[tuple[Any, ...]]] = {}
        for t in tables:
            rows = conn.execute(f'SELECT * FROM "{t}"').fetchall()  # noqa: S608 - a table of the schema
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


@dataclass
class World:
    db: Database
    clock: FixedClock
    uow: Callable[[], UnitOfWork]
    officers: list[str]  # uids of ordinary certified officers
    reviewer: str  # legal reviewer uid
    expired_officer: str
    adult: str
    teen16: str
    child12: str
    org: str
    committee: str = ""
    mediators: tuple[str, ...] = ()
    key: DataKey | None = None  # the database's unlocked data key (setup created it); account management needs it

    def as_user(self, actor: str, role: Role | None = None) -> UnitOfWork:
        """A unit of work signed in as ``actor`` (with ``role``), the data key unlocked as a login would."""
        return UnitOfWork(self.db, actor=actor, clock=self.clock, role=role, data_key=self.key)

    def set_today(self, day: date) -> None:
        self.clock.set_date(day)

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        return snapshot(self.db)


def _start_clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI))


@dataclass(frozen=True)
class _Template:
    path: Path
    ids: dict[str, Any]
    key: DataKey | None = None


def build_template(path: Path, *, encrypt: bool = True) -> _Template:
    database = Database.open(path)
    clock = _start_clock()
    try:
        result = initialise(database, UnitOfWork(database, actor="tester", clock=clock), township="竹根镇",
                            squad="竹根镇综合行政执法中队", admin_password="secret123", encrypt=encrypt)
        ids = _populate(database, clock, result.data_key)
    finally:
        database.dispose()
    return _Template(path, ids, result.data_key)


def copy_database(template: _Template, target: Path) -> Database:
    return Database.open(copy_sqlite(template.path, target))


def make_world(template: _Template, target: Path) -> World:
    """A fresh copy of the template database with its own clock (callers dispose world.db)."""
    database = copy_database(template, target)
    clock = _start_clock()
    return World(database, clock, lambda: UnitOfWork(database, actor="tester", clock=clock, data_key=template.key),
                 key=template.key, **template.ids)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo (seed 1), generated once per test run (~12 s of CPU; tests/shared_build.py): the modules that
    read or print it each take a copy (copy_demo) instead of generating their own."""
    from tools.demo.small import generate_demo_file

    def build(folder: Path) -> dict[str, Any]:
        generate_demo_file(folder / "demo.sqlite3")
        return {}

    folder, _ = build_once(tmp_path_factory, "demo", build)
    return folder / "demo.sqlite3"


def copy_demo(template: Path, target: Path) -> Path:
    """A private copy of the demo at ``target``: the database, its device keys and its evidence files (they live
    next to the database, services/procedures/attachments.py)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_sqlite(template, target, with_keys=True)
    store = template.parent / "attachments"
    if store.is_dir() and not (target.parent / "attachments").exists():
        shutil.copytree(store, target.parent / "attachments")
    return target


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> _Template:
    """Initialising (migrations, calendar, catalogue) is slow: do it once and copy the file per test."""
    return build_template(tmp_path_factory.mktemp("template") / "template.sqlite3")


@pytest.fixture(scope="session")
def _plain_template(tmp_path_factory: pytest.TempPathFactory) -> _Template:
    """The same database made without a data key, as before encryption at rest: the upgrade's starting point."""
    return build_template(tmp_path_factory.mktemp("plain-template") / "template.sqlite3", encrypt=False)


@pytest.fixture
def plain_world(tmp_path: Path, _plain_template: _Template) -> Iterator[World]:
    """A world whose database has no data key yet (tests of sealing from a plaintext start, and of the upgrade)."""
    w = make_world(_plain_template, tmp_path / "plain.sqlite3")
    yield w
    w.db.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return _start_clock()


@pytest.fixture
def db(tmp_path: Path, _template: _Template) -> Iterator[Database]:
    database = copy_database(_template, tmp_path / "test.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def uow(db: Database, clock: FixedClock, _template: _Template) -> Callable[[], UnitOfWork]:
    def make() -> UnitOfWork:
        return UnitOfWork(db, actor="tester", clock=clock, data_key=_template.key)

    return make


@pytest.fixture
def world(db: Database, clock: FixedClock, uow: Callable[[], UnitOfWork], _template: _Template) -> World:
    return World(db, clock, uow, key=_template.key, **_template.ids)


def _populate(db: Database, clock: FixedClock, key: DataKey | None) -> dict[str, Any]:
    today = clock.today()
    with UnitOfWork(db, actor="tester", clock=clock, data_key=key) as u:
        s = u.session
        t = this_township(s)

        def officer(name: str, cert: str, role: Role = Role.OFFICER, valid_to: date = date(2027, 12, 31)) -> str:
            o = create_officer(s, OfficerInput(name=name, cert_number=cert, cert_valid_from=date(2024, 1, 1),
                                               cert_valid_to=valid_to, role=role),
                               today=today, township_id=t.id, squad_id=None)
            return o.uid

        officers = [officer("张三", "51000001"), officer("李四", "51000002"), officer("王五", "51000003")]
        reviewer = officer("赵法审", "51000009", Role.LEGAL_REVIEWER)
        expired = officer("钱过期", "51000010", valid_to=date(2025, 12, 31))

        def person(name: str, birth: date, seq: str) -> str:
            return create_party(s, PartyInput(kind=PartyKind.PERSON, name=name, id_type=IdType.RESIDENT_ID,
                                              id_number=resident_id(birth, seq)), today=today, township_id=t.id).uid

        adult = person("孙成年", date(1980, 5, 20), "111")
        teen = person("周少年", date(2009, 6, 1), "222")
        child = person("吴儿童", date(2013, 6, 1), "333")
        org = create_party(s, PartyInput(kind=PartyKind.ORGANISATION, name="竹根建设有限公司", id_type=IdType.USCC,
                                         id_number=ORG_USCC, legal_rep="郑法人"),
                           today=today, township_id=t.id).uid
        committee = MediationCommittee(township_id=t.id, name="竹根村人民调解委员会")
        s.add(committee)
        s.flush()
        m1 = Mediator(committee_id=committee.id, name="冯调解")
        m2 = Mediator(committee_id=committee.id, name="陈调解")
        s.add_all([m1, m2])
        s.flush()
        committee_uid, mediator_uids = committee.uid, (m1.uid, m2.uid)
        u.commit()
    return dict(officers=officers, reviewer=reviewer, expired_officer=expired, adult=adult, teen16=teen,
                child12=child, org=org, committee=committee_uid, mediators=mediator_uids)
