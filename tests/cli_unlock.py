"""For tests that run commands on an encrypted database: the unlock flags (cli/database.py) added to exactly the
commands that take them, read from the parser table, so a test states its command as a user would and unlocks as
the administrator it set up."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from cli.commands import COMMANDS
from cli.table import Arg, Command, OneOf


def _leaves(commands: Sequence[Command], prefix: tuple[str, ...] = ()
            ) -> Iterator[tuple[tuple[str, ...], tuple[Arg | OneOf, ...]]]:
    for c in commands:
        if c.sub:
            yield from _leaves(c.sub, (*prefix, c.name))
        else:
            yield (*prefix, c.name), c.args


def _password_flags() -> dict[tuple[str, ...], str]:
    """Command path → the flag that names the unlocking password's file (``users add/passwd`` use the long one)."""
    out: dict[tuple[str, ...], str] = {}
    for path, args in _leaves(COMMANDS):
        flags = {f: a for a in args if isinstance(a, Arg) for f in a.flags}
        if "--user" in flags:
            own = flags.get("--password-file")
            unlocks = own is not None and own.options.get("dest") == "unlock_password_file"
            out[path] = "--password-file" if unlocks else "--user-password-file"
    return out


UNLOCKING = _password_flags()


def unlocked(argv: Sequence[str], password_file: Path, user: str = "admin") -> list[str]:
    """``argv`` with ``--user USER`` and the password file added when its command takes them."""
    words = [w for w in argv if not w.startswith("-")]
    for n in (2, 1):
        flag = UNLOCKING.get(tuple(words[:n]))
        if flag is not None and "--user" not in argv and "--recovery-key-file" not in argv:
            return [*argv, "--user", user, flag, str(password_file)]
    return list(argv)


def main_with_password_beside_db(argv: Sequence[str]) -> int:
    """``main.main`` unlocking as ``admin`` with the password file the test wrote beside its database
    (``DB`` → ``DB.pw``, as the sync tests' ``_init`` does); without such a file, ``argv`` as it is."""
    from main import main

    words = list(argv)
    if "--db" in words[:-1]:
        password_file = Path(words[words.index("--db") + 1]).with_suffix(".pw")
        if password_file.is_file():
            return main(unlocked(words, password_file))
    return main(words)


def main_unlocked(argv: Sequence[str], password: str, user: str = "admin") -> int:
    """``main.main`` unlocking as ``user`` with ``password`` (written to a scratch file the command reads)."""
    import tempfile

    from main import main

    with tempfile.TemporaryDirectory(prefix="enforcedesk-pw-") as folder:
        password_file = Path(folder) / "password"
        password_file.write_text(password, encoding="utf-8")
        return main(unlocked(argv, password_file, user))


def main_as_fixture_admin(argv: Sequence[str]) -> int:
    """``main.main`` unlocking the ``--db`` file as its administrator, whose password is one the test fixtures
    set (tests/services/unlock.py FIXTURE_PASSWORDS); a command that takes no unlock flags runs as it is."""
    from main import main
    from services.core.quick_login import clean_login
    from tests.services.unlock import FIXTURE_PASSWORDS

    words = list(argv)
    if "--db" in words[:-1] and unlocked(words, Path("-")) != words:
        path = Path(words[words.index("--db") + 1])
        for password in FIXTURE_PASSWORDS:
            if path.is_file() and clean_login(path, "admin", password) is not None:
                return main_unlocked(words, password)
    return main(words)
