"""Storage trouble as messages: the database's own errors classified into ``AppError`` subclasses.

A file that is not a database, a database newer than the program, read-only media, a database another program
holds, a full disk, a file that disappeared (a USB stick pulled out) and a damaged file are situations of the
user's machine, not bugs: each has its own Chinese message that says what to do (issue 13 point 3, issue 15
point 4). :func:`classify` reads sqlite3's result codes (``sqlite_errorcode``, Python 3.11), psycopg's SQLSTATE,
SQLAlchemy's wrappers (``.orig``) and ``OSError`` numbers; the command line turns the result into exit 3 and one
line (main.py), the window into a message with a way on (ui/app.py, ui/storage_dialog.py), and
``Database.open`` and ``UnitOfWork`` raise it in place of the driver's exception.

:func:`check_file` is the start-up's look at a database file before the ORM is loaded: sqlite3 only.

This module imports no SQLAlchemy and no Qt.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from services.core.errors import AppError, SetupError

# SQLite's primary result codes (https://sqlite.org/rescode.html); the extended code's low byte is the primary.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26
_SQLITE_READONLY_DBMOVED = 1032  # the file was moved or deleted while open
_SQLITE_MAGIC = b"SQLite format 3\x00"
_NEARLY_FULL = 512 * 1024  # less free space than this: SQLite's -shm/-wal cannot be made, the disk is full

# What the older sqlite3 module (no result codes) and other wrappers say: the first words of SQLite's messages.
_BY_TEXT = (
    ("file is not a database", "not_a_database"),
    ("file is encrypted", "not_a_database"),
    ("database disk image is malformed", "damaged"),
    ("database or disk is full", "disk_full"),
    ("database is locked", "locked"),
    ("database table is locked", "locked"),
    ("attempt to write a readonly database", "read_only"),
    ("unable to open database file", "cant_open"),
    ("disk i/o error", "io"),
)


class StorageError(AppError):
    """The database (or a file written beside it) cannot be used as it is; ``path`` names it for the user.

    ``read_only_possible``: the window may offer to open the file read-only (its content is readable).
    """

    kind = "storage"
    read_only_possible = False

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class _AboutAFile(StorageError):
    """A situation of one file; the message is ``template`` with the file's path."""

    template = "{path}"

    def __init__(self, path: str) -> None:
        super().__init__(self.template.format(path=path), path)


class NotADatabase(_AboutAFile):
    kind = "not_a_database"
    template = ("{path} 不是 EnforceDesk 的数据库文件（选错了文件，或文件已加密、不完整）："
                "请选择正确的数据库文件，或从备份恢复")


class DatabaseTooNew(StorageError, SetupError):
    kind = "too_new"

    def __init__(self, revision: str, path: str = "") -> None:
        super().__init__(f"数据库版本 {revision} 比本程序新，请升级 EnforceDesk 后再打开", path)


class ReadOnlyStorage(_AboutAFile):
    kind = "read_only"
    read_only_possible = True
    template = "{path} 只能读取、不能写入（U 盘写保护、只读文件或没有写入权限）：请取消写保护或把文件复制到可写的位置后重试"


class DatabaseLocked(_AboutAFile):
    kind = "locked"
    read_only_possible = True  # WAL: it can be read while another program writes
    template = "数据库 {path} 正被另一个程序占用（另一个 EnforceDesk 窗口、命令或备份）：请等它完成或关闭它后重试"


class DiskFull(_AboutAFile):
    kind = "disk_full"
    read_only_possible = True
    template = "磁盘已满，无法写入 {path}：请清理磁盘空间或换一个空间足够的位置后重试（本次操作未完成）"


class StorageMissing(_AboutAFile):
    kind = "missing"
    template = "找不到或无法读写 {path}（U 盘可能已拔出，或文件已被移动、删除）：请插回 U 盘或找回文件后重试"


class DatabaseDamaged(_AboutAFile):
    kind = "damaged"
    template = "数据库文件损坏：{path} 的部分数据页已损坏，请不要继续使用它，从备份恢复（设置 → 备份与恢复）并用 verify 命令检查"


class ReadOnlyMode(StorageError):
    """A write asked of a database the user opened read-only (the window's banner says why)."""

    kind = "read_only_mode"

    def __init__(self, reason: str) -> None:
        super().__init__(f"数据库是只读打开的（{reason}），不能保存修改：请解决后重新启动程序再修改", "")


def classify(exc: BaseException, path: str | Path | None = None) -> StorageError | None:
    """The storage situation behind ``exc`` (and the exceptions it wraps or was raised from), else None.

    Args:
        exc: what was raised: a ``StorageError`` (returned as it is), a sqlite3 or psycopg error, SQLAlchemy's
            ``DBAPIError`` around one, or an ``OSError``.
        path: the database the failing statement ran on (sqlite3's errors do not name it); an ``OSError``
            names its own file.
    """
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        found = _classify_one(current, str(path) if path is not None else "")
        if found is not None:
            return found
        todo.extend(e for e in (getattr(current, "orig", None), current.__cause__, current.__context__)
                    if isinstance(e, BaseException))
    return None


def _classify_one(exc: BaseException, path: str) -> StorageError | None:
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, sqlite3.Error):
        return _sqlite(exc, path)
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str):
        return _postgresql(sqlstate, path)
    if isinstance(exc, OSError) and exc.errno is not None:
        return _os(exc, str(exc.filename) if exc.filename else path)
    return None


def _sqlite(exc: sqlite3.Error, path: str) -> StorageError | None:
    code = getattr(exc, "sqlite_errorcode", None)
    kind = _by_code(code) if isinstance(code, int) else None
    if kind is None:
        text = str(exc).lower()
        kind = next((k for words, k in _BY_TEXT if text.startswith(words)), None)
    where = path or "数据库文件"
    if kind == "cant_open" or kind == "io":
        return _cant_open(path, where)
    return _make(kind, where)


def _cant_open(path: str, where: str) -> StorageError:
    """SQLite cannot tell a full disk or a read-only folder (a WAL database needs its -shm file beside it) from a
    vanished file; the file system can."""
    if not path or not Path(path).exists():
        return StorageMissing(where)
    folder = Path(path).parent
    try:
        if shutil.disk_usage(folder).free < _NEARLY_FULL:
            return DiskFull(where)
    except OSError:
        return StorageMissing(where)
    return StorageMissing(where) if writable(Path(path)) else ReadOnlyStorage(where)


def _by_code(code: int) -> str | None:
    if code == _SQLITE_READONLY_DBMOVED:
        return "missing"
    return {_SQLITE_NOTADB: "not_a_database", _SQLITE_CORRUPT: "damaged", _SQLITE_FULL: "disk_full",
            _SQLITE_BUSY: "locked", _SQLITE_LOCKED: "locked", _SQLITE_READONLY: "read_only",
            _SQLITE_CANTOPEN: "cant_open", _SQLITE_IOERR: "io"}.get(code & 0xFF)


def _postgresql(sqlstate: str, path: str) -> StorageError | None:
    where = path or "数据库"
    kind = {"53100": "disk_full", "25006": "read_only", "55P03": "locked", "XX001": "damaged",
            "XX002": "damaged"}.get(sqlstate)
    return _make(kind, where)


def _os(exc: OSError, path: str) -> StorageError | None:
    kinds = {errno.ENOSPC: "disk_full", errno.EROFS: "read_only", errno.EACCES: "read_only",
             errno.EPERM: "read_only", errno.ENOENT: "missing", errno.EIO: "missing"}
    if hasattr(errno, "EDQUOT"):
        kinds[errno.EDQUOT] = "disk_full"
    return _make(kinds.get(exc.errno or 0), path or "文件")


def _make(kind: str | None, where: str) -> StorageError | None:
    factories = {"not_a_database": NotADatabase, "damaged": DatabaseDamaged, "disk_full": DiskFull,
                 "locked": DatabaseLocked, "read_only": ReadOnlyStorage, "missing": StorageMissing}
    factory = factories.get(kind or "")
    return factory(where) if factory is not None else None


def write_output(out: Path, data: bytes) -> None:
    """``data`` as the file ``out`` (its folder made if needed), through a temp file renamed into place. A full
    or write-protected disk raises the :class:`StorageError` that names ``out`` (a failed ``write`` names no file)
    and leaves neither a partial ``out`` nor the temp file behind."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # write-protected: nothing was written
        exc.filename = str(out)
        classified = classify(exc, out)
        if classified is not None:
            raise classified from exc
        raise AppError(f"无法写入 {out}：{exc.strerror or exc}") from exc


def writable(path: Path) -> bool:
    """Can this program write the database file and create its -wal/-shm files beside it?

    Tries it (a scratch file in the folder, the file opened for appending) rather than asking ``os.access``,
    which on Windows ignores a write-protected stick and which root passes everywhere.
    """
    folder = path.parent if path.parent != Path("") else Path(".")
    try:
        fd, scratch = tempfile.mkstemp(prefix=".enforcedesk-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(scratch)
    if path.exists():
        try:
            with path.open("ab"):
                pass
        except OSError:
            return False
    return True


def check_file(path: Path, *, timeout_s: float = 2.0) -> StorageError | None:
    """What stands in the way of working in the database file at ``path``, before the ORM is loaded; None: nothing.

    A missing file is not reported here (the caller decides whether to create one). Checked in order: the file
    can be read and is a SQLite database, it can be written (medium, file and folder), no other program holds
    its write lock longer than ``timeout_s`` (a write lock taken and released at once: nothing is written), and
    its schema revision is one this program knows (not written by a newer version).
    """
    where = str(path)
    try:
        with path.open("rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        return _os(exc, where) or StorageMissing(where)
    if head and head != _SQLITE_MAGIC:
        return NotADatabase(where)
    if not writable(path):
        return _cant_open(str(path), where)
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, timeout=timeout_s,
                                     isolation_level=None)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = conn.execute("SELECT max(version_num) FROM alembic_version").fetchone()[0] \
                if "alembic_version" in tables else None
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return _sqlite(exc, where) or DatabaseDamaged(where)
    if version is not None and version not in known_revisions():
        return DatabaseTooNew(str(version), where)
    return None


def known_revisions() -> set[str]:
    """The schema revisions this program can open: its migration scripts are named ``<revision>_<what>.py``."""
    from services.core.paths import migrations_path

    return {p.name.split("_", 1)[0] for p in (migrations_path() / "versions").glob("*_*.py")}
