"""Copy a whole database into another (a SQLite district into PostgreSQL) through SQLAlchemy Core.

A city or province that outgrows one PC moves its district database to PostgreSQL. Bundles are imported into
SQLite (the sync importer writes through the raw sqlite3 connection for speed, docs/sync-bundle.md); this copies
every table, parents first and rows in id order, with ids, uids and the audit chain unchanged, so the copy
verifies (``verify``) and answers every district query exactly as the original. On PostgreSQL the id sequences
are moved past the copied ids afterwards. The device keys go along (``<file>.keys`` → this computer's
``keys/<device uid>.keys`` for a server database, services/sync/trust.py ``key_path``): the copy keeps the
district's device uid, and without its keys the first bundle import would make new ones — an identity the
townships do not know, so bundles encrypted to the district could no longer be opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Boolean, Connection, Table, func, insert, select, text

from services.core.db import Database
from services.core.errors import AppError
from services.core.integrity import refuse_damage, require_intact
from services.core.schema import metadata

BATCH = 5000


@dataclass(frozen=True, slots=True)
class CopyResult:
    tables: int
    rows: int


def copy_database(src: Database, dst: Database, progress: Callable[[str, int], None] | None = None) -> CopyResult:
    """Copy every row of ``src`` into the empty, migrated ``dst``, in one transaction on ``dst``."""
    if src.current_revision() != dst.current_revision():
        raise AppError(f"两个数据库的结构版本不同（{src.current_revision()} / {dst.current_revision()}）：请先升级")
    require_intact(src, "复制")  # a damaged database is not copied on (docs/verify.md)
    total = 0
    tables = list(metadata.sorted_tables)
    keys = _keys_to_carry(src, dst)
    with refuse_damage("已拒绝复制"), src.engine.connect() as rd, dst.engine.begin() as wr:
        if wr.execute(select(func.count()).select_from(metadata.tables["township"])).scalar():
            raise AppError("目标数据库已有数据：只能复制到新建的空数据库")
        pg = dst.engine.dialect.name == "postgresql"
        for n, table in enumerate(tables):
            total += _copy_pg(rd, wr, table) if pg and src.engine.dialect.name == "sqlite" else _copy_core(rd, wr, table)
            if progress is not None:
                progress(table.name, int((n + 1) * 100 / len(tables)))
        if dst.engine.dialect.name == "postgresql":
            for table in tables:
                if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement in (True, "auto"):
                    wr.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - a table of the models
                                    f"coalesce((SELECT max(id) FROM \"{table.name}\"), 0) + 1, false)"))
    dst.forget_local_cache()
    if keys is not None:
        _write_private(keys[1], keys[0].read_bytes())
    from services.district.intake import analyze_database

    analyze_database(dst)
    return CopyResult(len(tables), total)


def _copy_core(rd: Connection, wr: Connection, table: Table) -> int:
    """Any dialect to any dialect: rows go through the column types (read, then bound again)."""
    n = 0
    rows = rd.execution_options(yield_per=BATCH).execute(select(table).order_by(*table.primary_key.columns))
    for batch in rows.partitions(BATCH):
        wr.execute(insert(table), [dict(r._mapping) for r in batch])
        n += len(batch)
    return n


def _copy_pg(rd: Connection, wr: Connection, table: Table) -> int:
    """SQLite to PostgreSQL with COPY: SQLite's storage form (ISO text dates and times, integer fen, enum values,
    0/1 booleans) is exactly what PostgreSQL's text input accepts, so rows are streamed as read (~20× faster
    than INSERTs through the types)."""
    cols = [c.name for c in table.columns]
    bools = {i for i, c in enumerate(table.columns) if isinstance(c.type, Boolean)}
    quoted = ", ".join(f'"{c}"' for c in cols)
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
    cur = rd.exec_driver_sql(f'SELECT {quoted} FROM "{table.name}" ORDER BY {order}')  # noqa: S608 - a table of the models, its columns
    raw = wr.connection.driver_connection
    assert raw is not None  # an open psycopg connection (the writer was checked to be PostgreSQL)
    n = 0
    with raw.cursor() as pg, pg.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        while batch := cur.fetchmany(BATCH):
            for row in batch:
                copy.write_row([bool(v) if i in bools and v is not None else v for i, v in enumerate(row)])
            n += len(batch)
    return n


def _key_file(db: Database, device_uid: str) -> Path:
    """services.sync.trust.key_path for ``db`` holding ``device_uid`` (asked before the copy, when the target
    does not hold the uid yet)."""
    from services.core.paths import data_dir
    from services.sync.crypto import key_file_path

    return key_file_path(db.path) if db.path is not None else data_dir() / "keys" / f"{device_uid}.keys"


def _keys_to_carry(src: Database, dst: Database) -> tuple[Path, Path] | None:
    """(source, target) key files when the source has keys the target must get; refuses, before anything is
    copied, a target that already holds different keys for the same device (they would be overwritten)."""
    uid = src.device_uid
    source, target = _key_file(src, uid), _key_file(dst, uid)
    if not source.exists() or source == target:
        return None
    if target.exists():
        if target.read_bytes() == source.read_bytes():
            return None
        raise AppError(f"本机已有该区级设备（{uid}）的另一份密钥文件 {target}：请先确认并移走它，再复制")
    return source, target


def _write_private(path: Path, body: bytes) -> None:
    """The key file in an owner-only folder, written as services.sync.crypto writes keys."""
    from services.sync.crypto import write_private

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(path, body)
