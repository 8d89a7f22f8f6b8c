"""Backups: make one now, list them, check and restore one (the database is replaced, the user restarts)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models.enums import Role
from services.core.db import Database, backup_sqlite
from services.core.errors import AppError, ValidationError
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require

# -- backups ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int
    modified: datetime


def backups_dir(db: Database) -> Path:
    if db.path is None:
        raise AppError("当前数据库不是本机文件，无法备份或恢复")
    return db.path.parent / "backups"


def backup_database(db: Database, dest_dir: Path | None = None, *, reason: str = "manual") -> Path:
    """A consistent copy with SQLite's online backup API (safe while the app is running)."""
    folder = dest_dir or backups_dir(db)
    assert db.path is not None
    try:
        return backup_sqlite(db.path, folder, reason=reason)
    except (OSError, sqlite3.Error) as exc:
        raise AppError(f"备份失败：{exc}。请检查备份文件夹是否可写、磁盘空间是否充足") from exc


def list_backups(db: Database) -> list[BackupInfo]:
    """Backup files in the backups folder, newest first."""
    folder = backups_dir(db)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.glob("*.sqlite3"):
        st = p.stat()
        out.append(BackupInfo(p, st.st_size, datetime.fromtimestamp(st.st_mtime)))
    return sorted(out, key=lambda b: b.modified, reverse=True)


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: Path
    safety_backup: Path


_NOT_OURS = "所选文件不是 EnforceDesk 数据库（或备份），未做任何更改"


def check_backup_file(db: Database, backup_path: Path) -> None:
    """Refuse a file that is not an intact EnforceDesk database this program can open."""
    if not backup_path.is_file():
        raise ValidationError(f"找不到备份文件：{backup_path}", field="path")
    if db.path is not None and backup_path.resolve() == db.path.resolve():
        raise ValidationError("所选文件就是正在使用的数据库，请选择备份文件", field="path")
    try:
        conn = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ValidationError(_NOT_OURS, field="path") from exc
    try:
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "local_state"} <= tables:
                raise ValidationError(_NOT_OURS, field="path")
            check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            device = conn.execute("SELECT value FROM local_state WHERE key='device_uid'").fetchone()
        except sqlite3.DatabaseError as exc:  # "file is not a database", or a damaged header
            raise ValidationError(_NOT_OURS, field="path") from exc
    finally:
        conn.close()
    if check != ["ok"]:
        raise ValidationError(f"备份文件已损坏（完整性检查：{'；'.join(check[:3])}），不能用于恢复", field="path")
    if not revision or not device:
        raise ValidationError("所选数据库尚未初始化，不能用于恢复", field="path")
    from alembic.script import ScriptDirectory  # only when restoring: keeps Alembic out of start-up

    if ScriptDirectory.from_config(db.alembic_config()).get_revision(revision[0]) is None:
        raise ValidationError(f"备份的数据库版本 {revision[0]} 比本程序新，请升级 EnforceDesk 后再恢复", field="path")


def unacknowledged_records(db: Database) -> int:
    """How many records no receipt acknowledges yet: what restoring an older backup would drop from the
    next bundles (asked before the restore, so the user can export first)."""
    from services.sync import unacknowledged_count  # the crypto stack: not needed at start-up

    return unacknowledged_count(UnitOfWork(db, actor="restore", write=False))


def restore_backup(db: Database, backup_path: Path, *, role: Role | None = None,
                   force_after_export: bool = False) -> RestoreResult:
    """Replace the current database with a backup: checks it, first backs up the current file, then copies in.

    Refused with ``UnsentData`` (naming how many) while this database holds records that no receipt
    acknowledges: an older copy would silently drop them from what reaches the office or district (docs/sync-bundle.md
    §Design rules nos. 1, 6). ``force_after_export=True`` is the user's explicit word that they exported them first.
    The copy uses SQLite's backup API page by page into the open database file, so the WAL and other
    connections stay consistent. The program should be restarted afterwards (it re-reads the device identity
    and migrates an older backup on open).
    """
    if role is not None:
        require(role, Permission.SETTINGS)
    if db.path is None:
        raise AppError("当前数据库不是本机文件，无法恢复")
    backup_path = Path(backup_path)
    check_backup_file(db, backup_path)
    if not force_after_export:
        # Imported here: services.sync pulls in the crypto stack, which start-up does not need.
        from services.sync import ensure_nothing_unsent

        ensure_nothing_unsent(UnitOfWork(db, actor="restore", write=False), "从备份恢复")
    safety = backup_database(db, reason="before-restore")
    db.engine.dispose()  # close pooled connections so the copy gets the file to itself
    try:
        src = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(db.path), timeout=10)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise AppError(f"恢复失败：{exc}。当前数据库已先备份到 {safety}") from exc
    db.forget_local_cache()
    return RestoreResult(backup_path, safety)
