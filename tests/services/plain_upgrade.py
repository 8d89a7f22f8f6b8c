"""A database as an earlier version left it, for the tests of its upgrade to encryption at rest (services and
window): the service fixtures' plain world with a party's phone and address, a scanned page carrying them, an
officer's account and a daily backup, all written without a data key; and an encrypted database as an intermediate
version left it, with a case's place and facts still in the clear (:func:`prepare_intermediate`)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from models.enums import Role
from models.party import Party
from services.core.uow import UnitOfWork
from services.maintenance.backup import backup_database
from services.people.accounts import create_user
from services.procedures.attachments import attach_file, attachment_store
from services.sync.trust import device_keys
from tests.services.conftest import World

PHONE = "13912345678"
ADDRESS = "四川省乐山市五通桥区竹根镇新华村三组十二号"
RECOVERY_RE = re.compile(r"^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}-[0-9A-Z]$")
OFFICER = ("zhangsan", "officer123")


@dataclass
class Plain:
    world: World
    id_number: str
    attachment_sha: str
    daily: Path  # a backup made before the upgrade: it holds the plaintext and must be named


def prepare_plain(w: World) -> Plain:
    """A party with a phone and an address, a scanned page carrying them, an officer's account, the device's key
    file and a daily backup, all written the old way (no data key)."""
    assert w.db.path is not None
    with UnitOfWork(w.db, actor="admin", clock=w.clock) as u:
        p = u.session.scalar(select(Party).where(Party.uid == w.adult))
        assert p is not None
        p.phone, p.address = PHONE, ADDRESS
        id_number = p.id_number
        create_user(u.session, w.clock, username=OFFICER[0], password=OFFICER[1], role=Role.OFFICER)
        u.commit()
    scan = w.db.path.parent / "scan.txt"
    scan.write_text(f"身份证号 {id_number} 电话 {PHONE} 住址 {ADDRESS}", encoding="utf-8")
    info = attach_file(UnitOfWork(w.db, actor="admin", clock=w.clock), attachment_store(w.db.path),
                       record_table="party", record_uid=w.adult, src=scan)
    scan.unlink()
    with UnitOfWork(w.db, actor="admin", clock=w.clock) as u:  # the device's key file, written in the clear
        device_keys(u.session, w.db)
        u.commit()
    return Plain(w, id_number, info.sha256, backup_database(w.db, reason="daily"))


def raw_files(path: Path) -> list[Path]:
    """The database file, its WAL and every file of its attachment store: what a lost laptop gives away."""
    out = [path, *[p for p in attachment_store(path).rglob("*") if p.is_file()]]
    wal = Path(f"{path}-wal")
    return [*out, wal] if wal.exists() else out


@dataclass
class Intermediate:
    case_uid: str
    facts: str


def prepare_intermediate(w: World) -> Intermediate:
    """The encrypted world as a version before migrations 0013/0014 left it: a case whose place and facts (declared
    sealed since) are in the clear, the schema at 0013 (0014's indexes dropped). ``w.db`` is disposed: the caller
    opens the file again, which migrates it."""
    from services.procedures import cases as c

    assert w.db.path is not None
    day = w.clock.today()
    facts = f"当事人在{ADDRESS}门前堆放砖块"
    uid = c.register_clue(w.uow(), c.ClueInput(cause="违法堆放物料", power_item_code="SR-003", party_uid=w.adult,
                                               act_date=day, discovered_on=day, registered_on=day,
                                               place=ADDRESS, facts=facts)).uid
    w.db.dispose()
    conn = sqlite3.connect(str(w.db.path))
    try:
        conn.execute("UPDATE penalty_case SET place = ?, facts = ? WHERE uid = ?", (ADDRESS, facts, uid))
        conn.execute("UPDATE alembic_version SET version_num = '0013'")
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                    "(name LIKE 'ix\\_%\\_deleted' ESCAPE '\\' OR name = 'ix_party_names')"
                                    ).fetchall():
            conn.execute(f'DROP INDEX "{name}"')
        conn.commit()
    finally:
        conn.close()
    return Intermediate(uid, facts)
