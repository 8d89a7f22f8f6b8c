"""The console-less program (EnforceDesk.exe built with console=False, pythonw): every message in a box."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import cli.console
import main


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The message boxes the console-less program shows."""
    shown: list[tuple[str, bool]] = []
    monkeypatch.setattr(cli.console, "show_in_message_box", lambda text, error: shown.append((text, error)))
    return shown


def _without_console(argv: list[str]) -> int:
    """``main.main`` as Windows starts a GUI program: sys.stdout and sys.stderr are None.

    Set inside the test, not in a fixture: pytest puts its own capture back into them when the test starts.
    """
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = None  # type: ignore[assignment]
    try:
        return main.main(argv)
    finally:
        assert sys.stdout is None and sys.stderr is None  # put back as the program had them
        sys.stdout, sys.stderr = saved


def test_a_refusal_is_shown_in_a_box(boxes: list[tuple[str, bool]], tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    assert _without_console(["stats", "--db", str(missing), "--year", "2026"]) == 3
    assert boxes == [(f"错误：数据库文件不存在：{missing}", True)]


def test_a_usage_error_is_shown_in_a_box(boxes: list[tuple[str, bool]]) -> None:
    with pytest.raises(SystemExit) as exited:
        _without_console(["stats", "--year", "2026"])
    assert exited.value.code == 2
    assert len(boxes) == 1 and boxes[0][1] and "--db" in boxes[0][0]


def test_what_a_command_prints_is_shown_in_a_box(boxes: list[tuple[str, bool]]) -> None:
    with pytest.raises(SystemExit) as exited:
        _without_console(["--version"])
    assert exited.value.code == 0
    assert len(boxes) == 1 and boxes[0][0].startswith("EnforceDesk ") and boxes[0][1] is False


def test_with_a_console_nothing_is_boxed(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    shown: list[str] = []
    monkeypatch.setattr(cli.console, "show_in_message_box", lambda text, error: shown.append(text))
    assert main.main(["stats", "--db", str(tmp_path / "typo.sqlite3"), "--year", "2026"]) == 3
    assert shown == [] and capsys.readouterr().err.startswith("错误：数据库文件不存在")


def test_a_bundle_goes_with_no_command() -> None:
    argv = ["--db", "town.sqlite3", "enforcedesk-A1B2-to-C3D4-00001.edsync"]
    assert main._bundle_argument(argv) == Path("enforcedesk-A1B2-to-C3D4-00001.edsync")
    assert argv == ["--db", "town.sqlite3"]
    command = ["sync", "import", "--db", "town.sqlite3", "b.edsync"]
    assert main._bundle_argument(command) is None and len(command) == 5


def test_the_file_association_opens_bundles_with_this_program() -> None:
    from cli.filetype import PROG_ID, association

    keys = dict(association('"C:\\EnforceDesk\\EnforceDesk.exe" "%1"'))
    assert keys["Software\\Classes\\.edsync"] == PROG_ID
    assert keys[f"Software\\Classes\\{PROG_ID}\\shell\\open\\command"].endswith('EnforceDesk.exe" "%1"')


@pytest.mark.skipif(sys.platform == "win32", reason="registers for real on Windows")
def test_registering_the_file_type_elsewhere_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["register-filetype"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("错误：登记文件类型只用于 Windows") and len(err.splitlines()) == 1
