"""EnforceDesk entry point: the desktop window, or one command of the command line (cli/commands.py).

Exit codes: 0 ok, 1 problems found, 2 usage error, 3 input rejected (cli/output.py). A refusal the user can act
on (``AppError``), and storage trouble (a full disk, read-only media, a locked, damaged or vanished database, a file
that is not a database: services/core/storage.py), is one line ``错误：…`` on stderr, never a traceback. The
window is composed by ui/compose.py.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from cli.commands import parser
from cli.output import EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED, EXIT_USAGE, UsageError, err, survive_console
from services.core.errors import AppError

BUNDLE_SUFFIX = ".edsync"  # services/sync/ceremony.py names every bundle so
__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_REJECTED", "EXIT_USAGE", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``argv`` (default: the process's arguments); returns the exit code.

    ``main.py FILE.edsync`` (how the system opens a bundle that was double-clicked) opens the window on the 同步
    page's import preview of that file. Without a console, what would be printed is shown in a message box.
    """
    from cli.console import console_or_message_box

    with console_or_message_box():
        return _run(list(sys.argv[1:] if argv is None else argv))


def _bundle_argument(argv: list[str]) -> Path | None:
    """The bundle opened from outside, taken out of ``argv``: ``FILE.edsync`` first, or last after options only
    (``--db DB FILE.edsync``); a command's own files (``sync import … FILE.edsync``) are left to it."""
    if argv and argv[0].lower().endswith(BUNDLE_SUFFIX):
        return Path(argv.pop(0))
    if len(argv) > 1 and argv[0].startswith("-") and argv[-1].lower().endswith(BUNDLE_SUFFIX):
        return Path(argv.pop())
    return None


def _run(argv: list[str]) -> int:
    survive_console()
    bundle = _bundle_argument(argv)
    args = parser().parse_args(argv)
    try:
        if args.handler is not None:
            if bundle is not None:
                raise UsageError(f"同步包 {bundle} 只能单独打开；导入请用 sync import")
            return int(args.handler(args))
        if args.screenshots is not None:
            from cli.gui import cmd_screenshots

            return cmd_screenshots(args)
        from cli.gui import run_gui
        from services.core.paths import default_db_path

        return run_gui(args.db or default_db_path(), named=args.db is not None, bundle=bundle)
    except AppError as exc:
        err(exc.message)
        return exc.exit_code
    except Exception as exc:
        from services.core.storage import classify

        db = getattr(args, "db", None)  # the file the driver's error is about (sqlite3 does not name it)
        classified = classify(exc, db if db is None or "://" not in str(db) else str(db).split("@")[-1])
        if classified is None:
            raise  # a bug: the traceback is what a developer needs
        err(classified.message)
        return classified.exit_code


if __name__ == "__main__":
    sys.exit(main())
