"""Alembic environment: runs on the connection handed over by services.core.db (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from services.core.schema import is_unmodelled, metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # e.g. `alembic revision --autogenerate` from a developer shell
        url = config.get_main_option("sqlalchemy.url") or "sqlite:///alembic-dev.sqlite3"
        with create_engine(url).connect() as conn:
            _migrate(conn)
            conn.commit()
        return
    _migrate(connection)


def _include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    # Raw-SQL tables of migration 0004 (FTS5 index, trigger queue): autogenerate must not try to drop them.
    return not (type_ == "table" and name is not None and is_unmodelled(name))


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER needs table rebuilds
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
