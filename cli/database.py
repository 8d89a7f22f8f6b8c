"""The one way a command opens its database: a file that must exist, or a ``postgresql://`` URL; always disposed.

Every command's ``--db`` is text, so a URL reaches here unchanged (argparse's Path type would fold ``//``).

A command that needs personal data in the clear (print, export, import, provisioning, people) unlocks an encrypted
database here (docs/encryption.md): ``--user NAME`` with the password typed at a prompt or read from
``--password-file``, or ``--recovery-key-file``. The key is held for the ``with`` block only and reaches the
services on each :func:`uow`; commands that need no plaintext (verify, stats, grid, backup) run without it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cli.table import Arg, arg
from services.core.errors import AppError

if TYPE_CHECKING:
    from services.core.cipher import DataKey
    from services.core.db import Database
    from services.core.uow import UnitOfWork

# A password or recovery key file holds one line; anything larger is not one (a wrong file named by mistake).
MAX_SECRET_FILE = 4096
USER = arg("--user", metavar="NAME", help="加密的数据库：以此用户解锁（随后提示输入密码，或用 --password-file）")
RECOVERY_FILE = arg("--recovery-key-file", type=Path, metavar="FILE", help="加密的数据库：用恢复密钥（文件第一行）解锁")
# ``users add/passwd`` already read the new account's password from --password-file: there only the longer name.
UNLOCK_PASSWORD_HELP = "加密的数据库：--user 的密码从文件第一行读取（不给则提示输入）"
UNLOCK: tuple[Arg, ...] = (USER, arg("--password-file", "--user-password-file", dest="unlock_password_file",
                                     type=Path, metavar="FILE", help=UNLOCK_PASSWORD_HELP), RECOVERY_FILE)
UNLOCK_FOR_USERS: tuple[Arg, ...] = (USER, arg("--user-password-file", dest="unlock_password_file", type=Path,
                                               metavar="FILE", help=UNLOCK_PASSWORD_HELP), RECOVERY_FILE)


@dataclass(frozen=True, slots=True)
class Unlock:
    """How a command unlocks an encrypted database: a user and their password (a file, else a prompt), or the
    recovery key in a file."""

    user: str | None = None
    password_file: Path | None = None
    recovery_key_file: Path | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Unlock:
        return cls(getattr(args, "user", None), getattr(args, "unlock_password_file", None),
                   getattr(args, "recovery_key_file", None))


# The unlocked key of each database open in a ``with open_database(…)`` block, for :func:`uow`.
_KEYS: dict[int, DataKey] = {}


def is_url(target: str | Path) -> bool:
    return isinstance(target, str) and "://" in target


@contextmanager
def open_database(target: str | Path, *, create: bool = False, unlock: Unlock | None = None) -> Iterator[Database]:
    """The database at ``target``, migrated to this program's revision; its engine is disposed on leaving.

    A missing file is refused (``AppError``, exit 3) unless ``create`` (``init``); a PostgreSQL server that
    cannot be reached or refuses the login is reported in one line, not as a driver traceback; a file that is not a
    database, is damaged, read-only, locked or on a full disk raises the ``StorageError`` that says so
    (services/core/storage.py: ``Database.open`` classifies them, main.py prints them).

    With ``unlock`` an encrypted database is unlocked before the block runs (a wrong secret: ``AppError``, exit 3);
    a database that is not encrypted needs nothing and the flags are not checked.
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
        if unlock is not None:
            key = _unlocked(db, unlock)
            if key is not None:
                _KEYS[id(db)] = key
        yield db
    finally:
        _KEYS.pop(id(db), None)
        db.dispose()


def uow(db: Database, *, write: bool = True) -> UnitOfWork:
    """A unit of work on ``db`` for the command line (audited as actor ``cli``), with the key if it was unlocked."""
    from services.core.uow import UnitOfWork

    return UnitOfWork(db, actor="cli", write=write, data_key=_KEYS.get(id(db)))


def _unlocked(db: Database, how: Unlock) -> DataKey | None:
    from services.core import keyring
    from services.core.uow import UnitOfWork
    from services.people.accounts import sign_in
    from services.people.recovery import unlock_with_recovery_key

    with UnitOfWork(db, actor="cli", write=False) as u:
        if not keyring.is_encrypted(u.session):
            return None
    if how.recovery_key_file is not None:
        if how.user or how.password_file:
            raise AppError("--recovery-key-file 与 --user/--password-file 只能给一种")
        return unlock_with_recovery_key(uow(db, write=False), read_secret(how.recovery_key_file, "恢复密钥文件"))
    if how.user is None:
        if how.password_file is not None:
            raise AppError("--password-file 须与 --user 用户名 一起给出")
        raise AppError("数据库已加密：请用 --user 用户名（随后输入密码，或加 --password-file 文件）"
                       "或 --recovery-key-file 文件 解锁")
    password = read_secret(how.password_file, "密码文件") if how.password_file else prompt_password(how.user)
    signed = sign_in(uow(db), how.user, password)
    if signed.user.must_change_password:
        raise AppError(f"用户“{signed.user.username}”须先在程序中登录并修改密码，才能在命令行解锁")
    return signed.data_key


def read_secret(path: Path, what: str) -> str:
    """The first line of a small text file holding a password or a recovery key; anything else a clear refusal."""
    try:
        if not path.is_file():
            raise AppError(f"{what}不存在或不是普通文件：{path}")
        if path.stat().st_size > MAX_SECRET_FILE:
            raise AppError(f"{what}过大（应只有一行）：{path}")
        text = path.read_bytes()[:MAX_SECRET_FILE].decode("utf-8-sig")
    except (OSError, ValueError) as exc:  # unreadable, a NUL in the name, not UTF-8 text
        raise AppError(f"无法读取{what}：{path}") from exc
    lines = text.splitlines()
    line = lines[0].strip() if lines else ""
    if not line:
        raise AppError(f"{what}是空的：{path}")
    return line


def prompt_password(user: str, prompt: str = "") -> str:
    """The password typed at a hidden prompt; piped in (no terminal), its first line, without getpass's warning."""
    import getpass
    import sys

    try:
        if sys.stdin is not None and not sys.stdin.isatty():
            password = sys.stdin.readline(MAX_SECRET_FILE).rstrip("\r\n")
        else:
            password = getpass.getpass(prompt or f"用户 {user} 的密码：")
    except (EOFError, KeyboardInterrupt, OSError, ValueError) as exc:
        raise AppError("未输入密码") from exc
    if not password:
        raise AppError("未输入密码")
    return password
