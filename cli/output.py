"""What every command prints the same way: exit codes, ``错误：…`` lines, JSON, figures, import reports.

Exit codes: 0 ok, 1 problems found, 2 usage error, 3 input rejected (an ``AppError``'s own code).
"""

from __future__ import annotations

import codecs
import io
import json
import sys
from typing import TYPE_CHECKING

from services.core.errors import AppError

if TYPE_CHECKING:
    from services.sync import ImportPreview

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_REJECTED = 0, 1, 2, 3


class UsageError(AppError):
    """Arguments that do not fit together (argparse cannot say so): ``错误：…`` and exit code 2."""

    exit_code = EXIT_USAGE


# What a console's code page may lack, in characters every Chinese code page has (cp936 has √ and ×); anything
# else it cannot encode becomes "?". 🔒 is printed by ``district grid``, ✔/✘ by record details.
_STAND_INS = {"✔": "√", "✓": "√", "✘": "×", "✗": "×", "🔒": "[锁]", "▶": ">", "○": "o", "—": "-"}


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    out = "".join(_STAND_INS.get(ch, "?") for ch in text)
    try:
        out.encode(error.encoding)
    except UnicodeEncodeError:
        out = "?" * len(text)
    return out, error.end


codecs.register_error("enforcedesk-stand-in", _stand_in)


def survive_console() -> None:
    """Output that any console or redirected file takes: what its encoding lacks is replaced, never an error.

    On a Chinese Windows (cp936), output redirected to a file is encoded in the code page, which has no 🔒 or ✔:
    Python would stop the command with ``UnicodeEncodeError`` half-way through its output.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(errors="enforcedesk-stand-in")


def err(message: str) -> None:
    """The one line a command writes to stderr for a refusal."""
    print(f"错误：{message}", file=sys.stderr)


def deprecated(old: str, new: str) -> None:
    """One line on stderr naming the new spelling of a spelling that still works for this release."""
    print(f"提示：{old} 是旧写法，请改用 {new}（下一版本起旧写法不再可用）", file=sys.stderr)


def print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1, default=str))


def print_figures(data: dict[str, object], *, as_json: bool) -> None:
    """The stats command's output: JSON, or one ``key: value`` line per figure."""
    if as_json:
        print_json(data)
    else:
        for k, v in data.items():
            print(f"{k}: {v}")


def print_import(rep: ImportPreview) -> None:
    """What a bundle import did (or, on a dry run, would do), table by table."""
    for msg in rep.messages:
        print(msg)
    print(f"来自设备 {rep.source_code}（{rep.township}），第{rep.sequence}号{'，已加密' if rep.encrypted else ''}")
    print("表\t新增\t更新\t未变\t冲突\t隔离")
    for t in rep.tables:
        print(f"{t.table}\t{t.new}\t{t.updated}\t{t.unchanged}\t{t.conflicts}\t{t.quarantined}")
    for table, uid, reason in rep.quarantined:
        print(f"隔离：{table} {uid}：{reason}")
    for table, uid, cuid in rep.conflicts:
        print(f"冲突：{table} {uid}（冲突编号 {cuid}）")
