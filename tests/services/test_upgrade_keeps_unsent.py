"""An app upgrade never loses records nobody has received yet (docs/sync-bundle.md §Design rules no. 6: KoboCollect
moved unsent data to "deleted" on upgrade): a database at the previous schema revision, holding unexported records, is backed up
and migrated on open, and every record — and what is still to be sent — is exactly as before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from services.core.db import SCHEMA_HEAD, Database
from services.core.uow import UnitOfWork
from services.sync import plan_export, unacknowledged_count
from tools.demo.small import demo_clock, generate_demo_file

# Business tables whose rows must come through an upgrade untouched (a migration may add tables of its own).
KEPT = ("party", "inspection", "inspection_item", "penalty_case", "case_event", "mediation_case", "officer",
        "power_item", "audit_event", "deadline")


def _columns(path: Path) -> dict[str, list[str]]:
    """The columns each kept table has in this file (the previous revision lacks the ones the upgrade adds)."""
    conn = sqlite3.connect(path)
    try:
        return {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in KEPT}
    finally:
        conn.close()


def _table_sizes(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names}  # noqa: S608 - its own names
    finally:
        conn.close()


def _rows(path: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f'SELECT {", ".join(columns[t])} FROM "{t}"').fetchall(),  # noqa: S608 - constant tables and columns
                          key=repr) for t in KEPT}
    finally:
        conn.close()


@pytest.mark.slow  # a demo of its own, downgraded and migrated again
def test_opening_a_previous_revision_with_unsent_records_backs_up_and_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "town.sqlite3"
    generate_demo_file(path, seed=5)  # every kind of record, none ever exported
    clock = demo_clock()
    db = Database.open(path)
    unsent = unacknowledged_count(UnitOfWork(db, actor="tester", clock=clock))
    to_send = plan_export(UnitOfWork(db, actor="tester", clock=clock), None).counts
    assert unsent > 1000 and to_send.get("penalty_case", 0) > 0
    sizes = _table_sizes(path)

    # Take the file back to the revision the previous release shipped, as an old install would have it.
    cfg = db.alembic_config()
    previous = ScriptDirectory.from_config(cfg).get_revision(SCHEMA_HEAD).down_revision
    assert isinstance(previous, str)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, previous)
    db.dispose()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == previous
    conn.close()
    # What the old install holds (columns and tables the upgrade adds are not there yet, nor their records).
    columns = _columns(path)
    before = _rows(path, columns)
    added = set(sizes) - set(_table_sizes(path))
    unsent -= sum(sizes[t] for t in added if t != "key_slot")  # key slots are never synced: none is unsent
    to_send = {t: n for t, n in to_send.items() if t not in added}

    upgraded = Database.open(path)  # what starting the new version does
    try:
        backups = list((path.parent / "backups").glob(f"*before-{SCHEMA_HEAD}*"))
        assert len(backups) == 1  # the old file, copied before anything changed
        conn = sqlite3.connect(backups[0])
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == previous
        conn.close()
        assert _rows(path, columns) == before
        uow = UnitOfWork(upgraded, actor="tester", clock=clock)
        assert unacknowledged_count(uow) == unsent
        assert plan_export(UnitOfWork(upgraded, actor="tester", clock=clock), None).counts == to_send
    finally:
        upgraded.dispose()
