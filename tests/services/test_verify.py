"""Database verification: the audit chain detects edits and gaps, and the guard triggers block tampering."""

from __future__ import annotations

import sqlite3

import pytest

from services.core.db import Database
from services.maintenance.verify import synced_tables, verify_database


def _exec(db: Database, *sql: str) -> None:
    assert db.path is not None
    conn = sqlite3.connect(str(db.path), isolation_level=None)
    try:
        for stmt in sql:
            conn.execute(stmt)
    finally:
        conn.close()


def test_fresh_database_verifies(db: Database) -> None:
    report = verify_database(db)
    assert report.ok, report.problems
    assert report.audit_events > 5
    assert verify_database(db, quick=True).ok


def test_edited_audit_row_is_reported(db: Database) -> None:
    _exec(db, "DROP TRIGGER audit_event_no_update", "UPDATE audit_event SET actor='x' WHERE seq=5")
    report = verify_database(db)
    assert not report.ok
    messages = [p.message for p in report.problems]
    assert any("第5条" in m and "改动" in m for m in messages), messages
    assert any(p.check == "guards" and "audit_event_no_update" in p.message for p in report.problems)
    # only row 5 is named: the chain after it still links (its stored hash was not touched)
    assert not any("第6条" in m for m in messages)


def test_deleted_audit_row_is_reported(db: Database) -> None:
    _exec(db, "DROP TRIGGER audit_event_no_delete", "DELETE FROM audit_event WHERE seq=5")
    report = verify_database(db)
    messages = [p.message for p in report.problems]
    assert any("不连续" in m and "第5条" in m for m in messages), messages
    assert any("audit_event_no_delete" in m for m in messages)


def test_audit_update_and_delete_are_rejected_by_sqlite(db: Database) -> None:
    with pytest.raises(sqlite3.DatabaseError):
        _exec(db, "UPDATE audit_event SET actor='x' WHERE seq=5")
    with pytest.raises(sqlite3.DatabaseError):
        _exec(db, "DELETE FROM audit_event WHERE seq=5")
    assert verify_database(db).ok


@pytest.mark.parametrize("table", ["township", "party", "officer"])
def test_hard_delete_of_synced_rows_is_rejected(db: Database, table: str) -> None:
    assert table in synced_tables()
    with pytest.raises(sqlite3.DatabaseError):
        _exec(db, f"DELETE FROM {table}")  # noqa: S608 - a synced table (the test's parameter)
    assert verify_database(db).ok


def test_schema_head_constant_matches_the_migrations(db: Database) -> None:
    """services.core.db.SCHEMA_HEAD lets start-up skip Alembic; it must name the real head revision."""
    from services.core.db import SCHEMA_HEAD

    assert db.head_revision() == SCHEMA_HEAD == db.current_revision()


def test_migrations_build_exactly_the_models_schema(db: Database) -> None:
    """What Alembic creates is what the models declare: no drift between migrations and models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from services.core.schema import is_unmodelled, metadata

    def include_name(name: str | None, type_: str, _parents: object) -> bool:
        # the raw-SQL tables of migration 0004 (FTS5 index, trigger queue) are not models, on purpose
        return not (type_ == "table" and name is not None and is_unmodelled(name))

    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []
