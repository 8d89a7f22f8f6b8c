"""The one operation runner and the one change notification, driven through the screens on the real worker.

取消 while a sync export or a case file is being made says 已取消 and is no bug; a refusal in a task is shown; a bug
in a task (or in what applies its result) reaches the crash handler, once; the document preview and the sync dry
run are made on the worker; an open list shows what the 同步 page imported without F5.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from models.base import SHANGHAI
from models.enums import InspectionResult, ItemResult, Role
from services import sync
from services.core.context import AppContext
from services.core.errors import AppError
from services.people.accounts import UserInfo
from services.procedures import cases
from services.procedures.inspections import ChecklistLine, InspectionInput, record_inspection
from tests.services.conftest import World
from tests.services.sync_helpers import Pair, count, make_pair
from tests.ui.test_document_dialog import _decided_case
from ui import app as ui_app
from ui.data_events import DataEvents
from ui.documents.document_dialog import DocumentDialog
from ui.main_window import MainWindow
from ui.operations import TaskRunner, TaskState
from ui.pages import lazy_pages
from ui.sync_page import SyncPage
from ui.ui_settings import UiSettings

pytestmark = pytest.mark.gui
LEADER = UserInfo("u-leader", "leader", "中队长", Role.SQUAD_LEADER, None)


class HeldRunner(TaskRunner):
    """The real runner, whose worker waits for ``go`` before it starts a task: the test presses 取消 while the
    task is under way, as a user does while a slow export runs."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()

    def run(self, fn: Callable[[TaskState], Any], **kw: Any) -> TaskState:
        def held(state: TaskState) -> Any:
            assert self.go.wait(30)
            return fn(state)

        return super().run(held, **kw)


@pytest.fixture
def crashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path | None]]:
    """The crash handler ui/app.py installs, its dialog recorded instead of shown (tests marked
    ``qt_no_exception_capture``, so that exceptions reach ``sys.excepthook`` as in the program)."""
    shown: list[Path | None] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back whatever was there after the test
    handler = ui_app.CrashHandler(tmp_path / "crash.log", show_dialog=shown.append)
    handler.install()
    handler._previous = lambda *_: None  # the expected tracebacks stay off stderr
    yield shown
    handler.uninstall()


@pytest.fixture
def pair(world: World, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(world.db, world.clock, tmp_path)
    yield p
    p.dispose()


def _documents(qtbot: QtBot, world: World, uid: str, runner: TaskRunner) -> DocumentDialog:
    dlg = DocumentDialog(AppContext(world.db, world.clock, LEADER, data_key=world.key), "penalty_case", uid, runner=runner,
                         data_events=DataEvents())
    qtbot.addWidget(dlg)
    return dlg


def _screen(qtbot: QtBot) -> QWidget:
    """A screen to run tasks for (parent of the progress dialog and of any message box)."""
    screen = QWidget()
    qtbot.addWidget(screen)
    return screen


def _press_cancel(qtbot: QtBot, screen: QWidget) -> None:
    """Click 取消 on the progress dialog the runner shows over ``screen`` (it appears after 400 ms)."""
    dialog = screen.findChild(QProgressDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    button = dialog.findChild(QPushButton)
    assert button is not None and button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# -- 取消 ----------------------------------------------------------------------------------------------------


@pytest.mark.qt_no_exception_capture
def test_cancel_during_an_export_shows_cancelled_and_no_crash_dialog(qtbot: QtBot, pair: Pair, tmp_path: Path,
                                                                     crashes: list[Path | None]) -> None:
    runner = HeldRunner()
    bundles_logged = count(pair.laptop, "sync_bundle")
    page = SyncPage(AppContext(pair.laptop, pair.clock, data_key=pair.key), runner=runner, data_events=DataEvents())
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.recipient.setCurrentIndex(page.recipient.findData(pair.office_uid))
    usb = tmp_path / "usb"
    usb.mkdir()
    page.export_to(usb)
    _press_cancel(qtbot, page)
    runner.go.set()
    qtbot.waitUntil(lambda: page.export_message.text() == "已取消", timeout=20000)
    assert runner.wait()
    assert crashes == [] and not (tmp_path / "crash.log").exists()
    assert list(usb.iterdir()) == []  # nothing half-written is left on the stick
    assert count(pair.laptop, "sync_bundle") == bundles_logged  # and no bundle logged as sent


@pytest.mark.qt_no_exception_capture
def test_cancel_during_a_case_file_build_shows_cancelled(qtbot: QtBot, world: World,
                                                         crashes: list[Path | None]) -> None:
    uid = _decided_case(world)
    runner = HeldRunner()
    dlg = _documents(qtbot, world, uid, runner)
    dlg.show()
    dlg.case_file_button.click()
    _press_cancel(qtbot, dlg)
    runner.go.set()
    qtbot.waitUntil(lambda: dlg.message.text() == "已取消", timeout=20000)
    assert runner.wait()
    assert crashes == [] and not dlg.save_button.isEnabled()  # no case file to save


# -- refusals and bugs ---------------------------------------------------------------------------------------


def test_a_refusal_in_a_task_is_shown_on_the_screen(qtbot: QtBot, world: World) -> None:
    uid = _decided_case(world)
    runner = TaskRunner()
    dlg = _documents(qtbot, world, uid, runner)
    dlg.select("service_receipt")  # not served yet: the service refuses (AppError) on the worker
    qtbot.waitUntil(lambda: "缺少" in dlg.message.text(), timeout=20000)
    assert dlg.pdf == b"" and not dlg.print_button.isEnabled()
    assert runner.wait()


def test_a_refusal_without_a_message_line_gets_the_one_message_box(qtbot: QtBot,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: boxes.append((title, text)))
    screen, runner, done = _screen(qtbot), TaskRunner(), []

    def refused(_state: TaskState) -> None:
        raise AppError("同步包已损坏，无法导入")

    runner.run(refused, on_done=done.append, parent=screen, title="导入同步包")
    qtbot.waitUntil(lambda: bool(boxes), timeout=10000)
    assert boxes == [("导入同步包", "同步包已损坏，无法导入")] and done == []


def _fails_in_task(_state: TaskState) -> None:
    raise RuntimeError("a bug in task")


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize("where", ["task", "on_done"])
def test_a_bug_reaches_the_crash_handler_once(qtbot: QtBot, tmp_path: Path, crashes: list[Path | None],
                                             where: str) -> None:
    screen, runner, shown = _screen(qtbot), TaskRunner(), []

    def apply(_result: object) -> None:
        raise RuntimeError("a bug in on_done")

    if where == "task":
        runner.run(_fails_in_task, on_done=lambda _r: None, parent=screen, title="导出", report=shown.append)
    else:
        runner.run(lambda _state: 42, on_done=apply, parent=screen, title="导出", report=shown.append)
    qtbot.waitUntil(lambda: bool(crashes), timeout=10000)
    assert runner.wait()
    qtbot.wait(50)  # a second report, were there one, would be queued by now
    assert crashes == [tmp_path / "crash.log"] and shown == []  # a bug is not shown as a refusal
    log = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert f"RuntimeError: a bug in {where}" in log
    if where == "task":
        assert "_fails_in_task" in log  # the worker's traceback, not only the GUI thread's


# -- off the GUI thread --------------------------------------------------------------------------------------


def test_the_document_preview_is_rendered_through_the_runner(qtbot: QtBot, world: World) -> None:
    uid = _decided_case(world)
    runner = TaskRunner()
    dlg = _documents(qtbot, world, uid, runner)
    dlg.select("penalty_decision")
    # Nothing was rendered on the GUI thread: the PDF arrives from the worker through the event loop.
    assert dlg.pdf == b"" and dlg.message.text() == "正在生成预览…"
    qtbot.waitUntil(lambda: dlg.pdf.startswith(b"%PDF"), timeout=20000)
    assert dlg._doc is not None and dlg._doc.pageCount() >= 1
    assert dlg.message.text().startswith("预览（未编号）")
    assert runner.wait()


def test_the_sync_dry_run_is_merged_through_the_runner(qtbot: QtBot, world: World, pair: Pair,
                                                       tmp_path: Path) -> None:
    bundle = _laptop_bundle(world, pair, tmp_path)
    runner = TaskRunner()
    page = SyncPage(AppContext(pair.office, pair.clock, LEADER, data_key=pair.key), runner=runner, data_events=DataEvents())
    qtbot.addWidget(page)
    page.inspect(bundle)
    assert page.preview is None and page.import_message.text() == "正在校验同步包…"
    qtbot.waitUntil(lambda: page.preview is not None, timeout=20000)
    assert page.apply_button.isEnabled() and page.preview_table.rowCount() >= 2
    assert runner.wait()


# -- one change notification ---------------------------------------------------------------------------------


def _laptop_bundle(world: World, pair: Pair, tmp_path: Path) -> Path:
    """A case and an inspection recorded on the field laptop (a copy of the office: same officers and parties),
    exported for the office."""
    cases.register_clue(pair.lu(), cases.ClueInput(
        cause="外勤登记的占道经营", power_item_code="SR-003", party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21), place="外勤路1号"))
    start = datetime(2026, 2, 21, 9, tzinfo=SHANGHAI)
    record_inspection(pair.lu(), InspectionInput(
        started_at=start, ended_at=start.replace(minute=30), place="外勤路2号", officer_uids=world.officers[:2],
        result=InspectionResult.PASSED, items=[ChecklistLine("店外经营", ItemResult.OK)]))
    out = tmp_path / "to-office"
    out.mkdir()
    plan = sync.plan_export(pair.lu(), pair.office_uid)
    return sync.write_bundle(pair.lu(), plan, out).path


def test_an_open_list_shows_what_the_sync_page_imported_without_f5(qtbot: QtBot, world: World, pair: Pair,
                                                                    tmp_path: Path) -> None:
    bundle = _laptop_bundle(world, pair, tmp_path)
    runner = TaskRunner()
    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    window = MainWindow(AppContext(pair.office, pair.clock, LEADER, data_key=pair.key), runner=runner, ui_settings=settings,
                        data_events=DataEvents(), pages=lazy_pages)
    qtbot.addWidget(window)
    window.show()
    window.show_page("cases")
    window.show_page("inspections")
    cases_list, inspections = window.lists["cases"], window.lists["inspections"]
    before = cases_list.model.total, inspections.model.total
    assert "parties" not in window.lists.built  # never shown: never queried, before or after

    window.show_page("sync")
    page = window.pages["sync"].ensure_built()  # type: ignore[attr-defined]
    assert isinstance(page, SyncPage)
    page.inspect(bundle)
    qtbot.waitUntil(page.apply_button.isEnabled, timeout=20000)
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已导入" in page.import_message.text(), timeout=20000)
    assert runner.wait()

    # Both lists were read again when the import was told: no F5, not even a visit needed.
    assert (cases_list.model.total, inspections.model.total) == (before[0] + 1, before[1] + 1)
    window.show_page("cases")
    causes = [cases_list.model.index(r, 3).data() for r in range(cases_list.model.rowCount())]
    assert "外勤登记的占道经营" in causes
    assert "parties" not in window.lists.built
