"""Engine setup (WAL, foreign keys, busy timeout), Alembic migration on open, and SQLite backups."""

from __future__ import annotations

import errno
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from models.system import LocalState
from services.core.damaged import tolerate_damaged_values
from services.core.errors import AppError, SetupError
from services.core.hooks import install_hooks
from services.core.integrity import quick_check_file
from services.core.paths import migrations_path
from services.core.schema_version import SCHEMA_HEAD  # re-exported: sync manifests name it
from services.core.storage import DatabaseTooNew, ReadOnlyMode, StorageError, classify

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)


BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "enforcedesk_write"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(target: str | Path, *, read_only: str = "") -> Engine:
    """Create an engine for a SQLite file path or any SQLAlchemy URL.

    SQLite: WAL with synchronous=FULL (a commit survives power loss, docs/performance.md §1), foreign keys on, and
    transactions begun explicitly, BEGIN IMMEDIATE for writers so a read-then-write unit of work never
    fails half-way with SQLITE_BUSY when it upgrades its lock (docs/performance.md §1). A file is opened as an
    existing one (SQLite's ``mode=rw``): a database that vanished (a stick pulled out) is an error, never a new
    empty file in its place. ``read_only`` (the reason, shown to the user) opens it read-only and refuses every
    write with :class:`~services.core.storage.ReadOnlyMode`.
    """
    url = target if isinstance(target, str) and "://" in target else sqlite_url(Path(target))
    if url.startswith(("postgresql://", "postgres://")):
        # A bare postgresql:// means psycopg2 to SQLAlchemy; the pinned driver is psycopg 3 (requirements.txt).
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, read_only)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    tolerate_damaged_values(engine)  # a damaged stored date reads as missing (services/core/damaged.py)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    # insert=True: ahead of SQLAlchemy's own first-connect set-up, which on a SQL_ASCII database fails with
    # "TypeError: cannot use a string pattern on a bytes-like object" before any check of ours could run.
    @event.listens_for(engine, "first_connect", insert=True)
    def _check_encoding(dbapi_conn: Any, _record: Any) -> None:
        status = getattr(getattr(dbapi_conn, "info", None), "parameter_status", None)  # psycopg 3 and psycopg2
        encoding = (status("server_encoding") or "").upper() if status is not None else ""
        if encoding not in ("", "UTF8"):
            raise SetupError(f"PostgreSQL 数据库 {engine.url.database} 的编码是 {encoding}，无法正确保存中文：请用 "
                             f"CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0 新建一个 UTF8 数据库")


def _configure_sqlite(engine: Engine, read_only: str) -> None:
    is_file = engine.url.database not in (None, "", ":memory:")

    if is_file:
        @event.listens_for(engine, "do_connect")
        def _connect(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> sqlite3.Connection:
            return sqlite3.connect(_file_uri(Path(cargs[0]), read_only), *cargs[1:], **{**cparams, "uri": True})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (pysqlite's implicit BEGIN is broken)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if is_file and not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Read-only: a writer's unit of work may still read (a clean login writes nothing); what it would change
        # is refused at the flush (Database._refuse_writes).
        write = conn.get_execution_options().get(WRITE_OPTION, False) and not read_only
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _file_uri(path: Path, read_only: str) -> str:
    """SQLite's URI for an existing file: ``mode=rw``; read-only ``mode=ro``, or ``immutable=1`` where that fails.

    Where SQLite cannot create the -shm file a WAL database is read through (a write-protected stick, a full
    disk), ``mode=ro`` cannot open it; ``immutable`` reads the file as it is, which is right when nothing else
    can change it.
    """
    uri = path.resolve().as_uri()
    if not read_only:
        return f"{uri}?mode=rw"
    try:
        with closing(sqlite3.connect(f"{uri}?mode=ro", uri=True)) as probe:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return f"{uri}?immutable=1"
    return f"{uri}?mode=ro"


@dataclass
class Database:
    """One database: its engine and the two session factories (read, write) the services use."""

    engine: Engine
    path: Path | None
    read_only: str = ""  # why the database was opened read-only ("" when it can be written)

    def __post_init__(self) -> None:
        self._local_cache: dict[str, str] = {}
        self.read_factory: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        self.write_factory: sessionmaker[Session] = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        if self.read_only:
            for factory in (self.read_factory, self.write_factory):
                event.listen(factory, "before_flush", self._refuse_writes, insert=True)
        install_hooks(self.read_factory)
        install_hooks(self.write_factory)

    def _refuse_writes(self, session: Session, _flush: Any, _instances: Any) -> None:
        """Opened read-only: a flush that would change anything is refused with the reason the user was given."""
        if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
            raise ReadOnlyMode(self.read_only)

    @classmethod
    def open(cls, target: str | Path, *, migrate: bool = True, backup_dir: Path | None = None,
             create: bool = True, read_only: str = "") -> Database:
        """Open and bring the schema to the current revision; a missing file is created only with ``create``.

        The database's own errors (not a database, damaged, read-only media, locked, disk full, vanished) are
        raised as the ``StorageError`` that says what to do (services/core/storage.py). ``read_only`` (the reason)
        opens a file read-only: writes are refused, and a database that would need migrating is refused too.
        """
        is_url = isinstance(target, str) and "://" in target
        path = None if is_url else Path(target)
        label = _label(target)
        try:
            if path is not None and not path.exists():
                if not create or read_only:
                    raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
                path.parent.mkdir(parents=True, exist_ok=True)
                sqlite3.connect(str(path)).close()  # an empty file: the engine opens only existing ones
            db = cls(make_engine(target, read_only=read_only), path, read_only)
        except AppError:
            raise
        except Exception as exc:
            classified = classify(exc, label)
            if classified is not None:
                raise classified from exc
            raise
        if migrate:
            try:
                if read_only:
                    db._refuse_migration_when_read_only()
                else:
                    db.upgrade(backup_dir=backup_dir)  # damage met here is classified below (storage.py)
            except BaseException as exc:
                db.dispose()  # a refused PostgreSQL database must not leave its pooled connection to the GC
                classified = None if isinstance(exc, AppError) else classify(exc, label)
                if classified is not None:
                    raise classified from exc
                raise
        return db

    @property
    def label(self) -> str:
        """Where the database lives, as the user may be told: the file, or the server and database name."""
        return _label(str(self.engine.url) if self.path is None else self.path)

    def storage_error(self, exc: BaseException) -> StorageError | None:
        """``exc`` as the storage situation it is on this database (services/core/storage.py), else None."""
        return classify(exc, self.label)

    def _refuse_migration_when_read_only(self) -> None:
        """Read-only: a database at this program's revision opens; one to migrate or set up first cannot."""
        current = self._stored_revision()
        if current == SCHEMA_HEAD:
            return
        if current is None:
            raise SetupError("此数据库尚未初始化，只读打开时无法初始化：请选择已初始化的数据库文件")
        from alembic.script import ScriptDirectory

        if not _known_revision(ScriptDirectory.from_config(self.alembic_config()), current):
            raise DatabaseTooNew(current, self.label)
        raise StorageError(f"数据库 {self.label} 须先升级到本程序的版本，只读打开时不能升级：请取消写保护或把文件"
                           f"复制到可写的位置后再打开", self.label)

    def dispose(self) -> None:
        self.engine.dispose()

    # -- schema -------------------------------------------------------------------------------------

    def alembic_config(self) -> Config:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(migrations_path()))
        return cfg

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self.alembic_config()).get_current_head()

    def _stored_revision(self) -> str | None:
        """The alembic_version row read with plain SQL (no Alembic import); None if there is none yet."""
        with self.engine.connect() as conn:
            if self.engine.dialect.has_table(conn, "alembic_version"):
                return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return None

    def upgrade(self, backup_dir: Path | None = None) -> Path | None:
        """Migrate to head. An existing database is first copied with the backup API; returns that copy."""
        if self._stored_revision() == SCHEMA_HEAD:
            return None
        from alembic import command
        from alembic.script import ScriptDirectory

        current, head = self.current_revision(), self.head_revision()
        if current == head:
            return None
        script = ScriptDirectory.from_config(self.alembic_config())
        if current is not None and not _known_revision(script, current):
            raise DatabaseTooNew(current, self.label)
        copy: Path | None = None
        if current is not None and self.path is not None:
            copy = backup_sqlite(self.path, backup_dir or self.path.parent / "backups", reason=f"before-{head}")
        cfg = self.alembic_config()
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except ProgrammingError as exc:
            # PostgreSQL 15 no longer lets every user create tables in "public": say what the DBA must grant.
            if self.engine.dialect.name == "postgresql" and getattr(exc.orig, "sqlstate", "") == "42501":
                user, name = self.engine.url.username or "", self.engine.url.database or ""
                raise SetupError(f"PostgreSQL 用户 {user} 无权在数据库 {name} 中建表：请数据库管理员执行 "
                                 f'ALTER DATABASE "{name}" OWNER TO "{user}" 后重试') from exc
            raise
        log.info("database migrated %s -> %s", current, head)
        return copy

    # -- local state --------------------------------------------------------------------------------

    def local(self, key: str) -> str | None:
        """A LocalState value; cached, because every unit of work asks for the device uid."""
        if key not in self._local_cache:
            with self.read_factory() as s:
                value = s.scalar(select(LocalState.value).where(LocalState.key == key))
            if value is None:
                return None
            self._local_cache[key] = value
        return self._local_cache[key]

    def forget_local_cache(self) -> None:
        self._local_cache.clear()

    @property
    def device_uid(self) -> str:
        value = self.local("device_uid")
        if not value:
            raise SetupError("此数据库尚未初始化：请先运行 init 或首次启动向导")
        return value

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """A raw DB-API connection (bulk loaders, PRAGMA checks)."""
        conn = self.engine.raw_connection()
        try:
            yield conn.driver_connection  # type: ignore[misc]
        finally:
            conn.close()


def _label(target: str | Path) -> str:
    """A database's name for the user: its path, or a URL without the password."""
    if isinstance(target, str) and "://" in target:
        return target.split("@")[-1]
    return str(target)


def _known_revision(script: ScriptDirectory, revision: str) -> bool:
    """Does this program know the database's schema revision? (Alembic raises for one it has never seen.)"""
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def copy_sqlite(src: Path, dst: Path, *, with_keys: bool = False) -> Path:
    """A consistent copy of a SQLite database file, made with SQLite's online backup API; returns ``dst``.

    A plain file copy of a live WAL database can be torn (docs/performance.md §1); the backup API never is. With
    ``with_keys`` the device's key file beside it (``<file>.keys``, services.sync.crypto) is copied too, readable by
    the owner only, when there is one: a copy that is to sign or open sync bundles needs it.
    """
    if not src.is_file():  # sqlite3.connect would create an empty database there, and copy that
        raise FileNotFoundError(f"数据库文件不存在：{src}")
    source = sqlite3.connect(str(src))
    try:
        target = sqlite3.connect(str(dst))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    if with_keys:
        from services.sync.crypto import key_file_path, write_private

        keys = key_file_path(src)
        if keys.exists():
            write_private(key_file_path(dst), keys.read_bytes())
    return dst


# A backup is written as ``.<final name>.part`` and renamed when complete: a copy killed half-way is never
# listed, restored or counted as a kept backup. Temp files untouched this long belong to no live copy (the backup
# API writes its target continuously) and are removed by the next backup or start-up.
SCRATCH_IDLE_SECONDS = 120
_BACKUP_NAME = r"-\d{8}-\d{6}-\d{6}-"


def backup_sqlite(db_path: Path, dest_dir: Path, *, reason: str, keep: int = 10) -> Path:
    """Consistent copy of a live database (:func:`copy_sqlite`) into ``dest_dir`` under a temp name, renamed
    when complete; then rotate old copies."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    tidy_scratch(db_path, dest_dir)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = dest_dir / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        copy_sqlite(db_path, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    rotate_backups(dest_dir, db_path.stem, reason_suffix=reason.split("-")[0], keep=keep)
    return dest


def rotate_backups(dest_dir: Path, stem: str, *, reason_suffix: str, keep: int) -> list[Path]:
    """Delete the oldest backups of one kind beyond ``keep``; returns the deleted paths. Only files named as
    :func:`backup_sqlite` names them count: a temp file, or anything else put in the folder, is neither kept nor
    deleted."""
    pattern = re.compile(re.escape(stem) + _BACKUP_NAME + re.escape(reason_suffix) + r"(-[\w.-]+)?\.sqlite3\Z")
    kind = sorted(p for p in dest_dir.glob(f"{stem}-*.sqlite3") if pattern.match(p.name))
    doomed = kind[:-keep] if keep > 0 else []
    for p in doomed:
        p.unlink(missing_ok=True)
    return doomed


def tidy_scratch(db_path: Path, backup_dir: Path | None = None) -> list[Path]:
    """Remove what a killed run left beside the database: the demo generator's ``<file>.demo-tmp`` (with its WAL),
    unfinished backups (``backups/.*.part``) and attachment files an import or an upload had not finished
    (``attachments/.incoming-*``, services/procedures/attachments.py), once idle for :data:`SCRATCH_IDLE_SECONDS`.
    Returns what went."""
    now = time.time()
    demo = db_path.with_name(db_path.name + ".demo-tmp")
    candidates = [demo, Path(f"{demo}-wal"), Path(f"{demo}-shm")]
    folder = backup_dir or db_path.parent / "backups"
    if folder.is_dir():
        candidates += folder.glob(f".{db_path.stem}-*.part")
    store = db_path.parent / "attachments"  # services/procedures/attachments.py attachment_store
    if store.is_dir():
        candidates += [*store.glob(".incoming-*"), *store.glob("*/.incoming-*")]
    removed = []
    for p in candidates:
        try:
            if p.is_file() and now - p.stat().st_mtime > SCRATCH_IDLE_SECONDS:
                p.unlink()
                removed.append(p)
        except OSError as exc:  # removed meanwhile, or not ours to remove: the next start tries again
            log.warning("could not remove %s: %s", p, exc)
    return removed


def daily_backup(db_path: Path, dest_dir: Path, *, keep: int = 14) -> Path | None:
    """At most one 'daily' backup per calendar day; keeps the newest ``keep``; none of a damaged database (the
    quick check first). Run at each start of the window, it also removes a killed run's leftovers
    (:func:`tidy_scratch`)."""
    tidy_scratch(db_path, dest_dir)
    today = datetime.now().strftime("%Y%m%d")
    if any(dest_dir.glob(f"{db_path.stem}-{today}-*-daily.sqlite3")):
        return None
    # A damaged database is not copied over the kept days: fourteen daily copies of a damage would push out every
    # good backup there is to restore from (docs/verify.md).
    damage = quick_check_file(db_path)
    if damage:
        log.error("daily backup skipped, the database is damaged: %s", "; ".join(damage[:3]))
        return None
    return backup_sqlite(db_path, dest_dir, reason="daily", keep=keep)
