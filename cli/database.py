"""The one way a command opens its database: a file that must exist, or a ``postgresql://`` URL; always disposed.

Every command's ``--db`` is text, so a URL reaches here unchanged (argparse's Path type would fold ``//``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from services.core.errors import AppError

if TYPE_CHECKING:
    from services.core.db import Database
    from services.core.uow import UnitOfWork


def is_url(target: str | Path) -> bool:
    return isinstance(target, str) and "://" in target


@contextmanager
def open_database(target: str | Path, *, create: bool = False) -> Iterator[Database]:
    """The database at ``target``, migrated to this program's revision; its engine is disposed on leaving.

    A missing file is refused (``AppError``, exit 3) unless ``create`` (``init``); a PostgreSQL server that
    cannot be reached or refuses the login is reported in one line, not as a driver traceback; a file that is not a
    database, is damaged, read-only, locked or on a full disk raises the ``StorageError`` that says so
    (services/core/storage.py: ``Database.open`` classifies them, main.py prints them).
    """
    from services.core.db import Database

    if is_url(target):
        text = str(target)
        try:
            db = Database.open(text)
        except AppError:
            raise  # already a clear message (not UTF8, no right to create tables, newer schema)
        except Exception as exc:  # driver errors (refused connection, bad password) are the user's to fix
            cause = getattr(exc, "orig", None) or exc  # the driver's own words, without SQLAlchemy's wrapping
            detail = " ".join(str(cause).split())  # one line: the driver's message spans several
            raise AppError(f"无法连接数据库 {text.split('@')[-1]}：{type(cause).__name__}: {detail}") from exc
    else:
        path = Path(target)
        if not create and not path.exists():
            raise AppError(f"数据库文件不存在：{path}")
        db = Database.open(path, create=create)
    try:
        yield db
    finally:
        db.dispose()


def uow(db: Database, *, write: bool = True) -> UnitOfWork:
    """A unit of work on ``db`` for the command line (audited as actor ``cli``)."""
    from services.core.uow import UnitOfWork

    return UnitOfWork(db, actor="cli", write=write)
