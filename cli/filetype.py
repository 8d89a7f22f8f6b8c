"""``register-filetype``: on Windows, a double-clicked ``.edsync`` bundle opens EnforceDesk on its import preview.

The association is written for the current user only (``HKEY_CURRENT_USER\\Software\\Classes``): no
administrator rights, as the one-folder install needs none either (README.md, 打包与安装). The command it
registers is ``EnforceDesk.exe "%1"``, which main.py routes to the 同步 page (issue 13 point 9).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.output import EXIT_OK
from services.core.errors import AppError
from services.core.paths import BUNDLE_SUFFIX

PROG_ID = "EnforceDesk.Bundle"
SUFFIX = BUNDLE_SUFFIX


def open_command() -> str:
    """How Windows is to start this program with a bundle: the built EnforceDesk.exe, or pythonw and main.py."""
    if getattr(sys, "frozen", False):
        return f'"{sys.executable}" "%1"'
    pythonw = Path(sys.executable).with_name("pythonw.exe")
    main = Path(__file__).resolve().parents[1] / "main.py"
    return f'"{pythonw}" "{main}" "%1"'


def association(command: str) -> list[tuple[str, str]]:
    """The registry keys under HKEY_CURRENT_USER and their default values, parents first."""
    classes = "Software\\Classes"
    return [(f"{classes}\\{SUFFIX}", PROG_ID),
            (f"{classes}\\{PROG_ID}", "EnforceDesk 同步包"),
            (f"{classes}\\{PROG_ID}\\shell\\open\\command", command)]


def cmd_register_filetype(args: argparse.Namespace) -> int:
    if sys.platform != "win32":
        raise AppError("登记文件类型只用于 Windows；其他系统请在文件管理器中把 .edsync 文件的打开方式设为本程序")
    import winreg

    keys = association(open_command())
    if args.undo:
        for key, _value in reversed(keys):
            try:
                winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
            except FileNotFoundError:
                pass
        print("已取消 .edsync 文件类型的登记")
    else:
        for key, value in keys:
            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
                winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, value)
        print(f"已登记 .edsync 文件类型：双击同步包将用 {keys[-1][1]} 打开其导入预览")
    return EXIT_OK
