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
def test_crash_handler_logs_every_error_and_shows_a_dialog_for_each(
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
    assert shown == [log_path, log_path]  # the second bug is not hidden behind the first
    assert sys.excepthook is not handler


@pytest.mark.gui
def test_a_bug_while_the_crash_dialog_is_open_is_logged_without_a_second_dialog(
    qapp: QApplication, tmp_path: Path
) -> None:
    """A failure repeated on every paint behind the open dialog must not stack dialogs."""
    shown: list[Path | None] = []
    log_path = tmp_path / "crash.log"

    def dialog(path: Path | None) -> None:
        shown.append(path)
        _raise_and_handle(handler, RuntimeError("again, while the dialog is open"))

    handler = CrashHandler(log_path, show_dialog=dialog)
    handler._previous = lambda *_: None
    _raise_and_handle(handler, RuntimeError("bug"))
    assert shown == [log_path]
    assert "again, while the dialog is open" in log_path.read_text(encoding="utf-8")
    _raise_and_handle(handler, RuntimeError("a later bug"))
    assert len(shown) == 2


@pytest.mark.gui
def test_storage_trouble_is_a_message_not_the_crash_dialog(qapp: QApplication, tmp_path: Path) -> None:
    """A real sqlite3 error: the database file vanished (a stick pulled out) before the next connection."""
    import sqlite3

    gone = tmp_path / "stick" / "township.sqlite3"
    shown: list[Path | None] = []
    problems: list[str] = []
    handler = CrashHandler(tmp_path / "crash.log", show_dialog=shown.append, show_problem=problems.append)
    handler.database = gone
    handler._previous = lambda *_: None
    try:
        sqlite3.connect(gone.as_uri() + "?mode=rw", uri=True)
    except sqlite3.Error:
        handler(*sys.exc_info())  # type: ignore[arg-type]
    assert shown == [] and not (tmp_path / "crash.log").exists()
    assert len(problems) == 1 and "U 盘可能已拔出" in problems[0] and str(gone) in problems[0]


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
