"""The crash handler run_gui installs, and bundled font registration."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ui.app import CrashHandler, register_bundled_fonts


def _raise_and_handle(handler: CrashHandler, exc: BaseException) -> None:
    try:
        raise exc
    except BaseException:
        handler(*sys.exc_info())  # type: ignore[arg-type]


@pytest.mark.gui
def test_crash_handler_logs_every_error_and_shows_one_dialog(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", lambda *_: None)  # keep the expected tracebacks off stderr
    shown: list[Path | None] = []
    log_path = tmp_path / "logs" / "crash.log"
    handler = CrashHandler(log_path, show_dialog=shown.append)
    handler.install()
    try:
        assert sys.excepthook is handler
        _raise_and_handle(handler, RuntimeError("first bug"))
        _raise_and_handle(handler, ValueError("second bug"))
    finally:
        handler.uninstall()

    text = log_path.read_text(encoding="utf-8")
    assert "RuntimeError: first bug" in text and "ValueError: second bug" in text
    assert shown == [log_path]
    assert sys.excepthook is not handler


@pytest.mark.gui
def test_crash_handler_without_writable_log_still_tells_the_user(qapp: QApplication, tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")
    shown: list[Path | None] = []
    handler = CrashHandler(blocker / "crash.log", show_dialog=shown.append)
    handler._previous = lambda *_: None

    _raise_and_handle(handler, RuntimeError("bug"))

    assert shown == [None]


def test_no_bundled_fonts_is_not_an_error(tmp_path: Path) -> None:
    assert register_bundled_fonts(tmp_path / "missing") == []


@pytest.mark.gui
def test_qt_dialog_buttons_are_chinese(qapp: QApplication) -> None:
    from PySide6.QtCore import QCoreApplication

    from ui.app import install_qt_translations

    assert install_qt_translations(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
