"""One background task runner: slow work off the GUI thread, progress dialog with cancel, results on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.qt_compat import emit

ProgressFn = Callable[[int, str], None]


class Cancelled(Exception):
    """Raised inside a task when the user pressed 取消 (cooperative: the task checks ``cancelled``)."""


class TaskState:
    """Handed to the task: report progress, and ask whether the user cancelled."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    def progress(self, percent: int, message: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        emit(self._relay.progress, int(percent), message)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[TaskState], Any], relay: _Relay, state: TaskState) -> None:
        super().__init__()
        self._fn, self._relay, self._state = fn, relay, state

    def run(self) -> None:  # worker thread: no widgets, its own unit of work
        try:
            result = self._fn(self._state)
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread, which decides
            emit(self._relay.failed, exc)
        else:
            emit(self._relay.done, result)


class TaskRunner(QObject):
    """Runs tasks one at a time on a single worker (database writes stay serial, docs/architecture.md §7)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._live: set[_Relay] = set()  # keep relays referenced until their job ends

    def run(
        self,
        fn: Callable[[TaskState], Any],
        *,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
        title: str = "",
        show_progress: bool = True,
    ) -> TaskState:
        relay = _Relay()
        state = TaskState(relay)
        dialog: QProgressDialog | None = None
        if show_progress and parent is not None:
            dialog = QProgressDialog(title or self.tr("正在处理…"), self.tr("取消"), 0, 100, parent)
            dialog.setWindowTitle(title or self.tr("请稍候"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)  # quick tasks finish before the dialog would flash
            dialog.canceled.connect(state.cancel)

        @Slot(int, str)
        def _progress(percent: int, message: str) -> None:
            if dialog is not None:
                dialog.setValue(percent)
                if message:
                    dialog.setLabelText(message)

        def _finish() -> None:
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()
            self._live.discard(relay)

        def _done(result: object) -> None:
            _finish()
            on_done(result)

        def _failed(exc: object) -> None:
            _finish()
            assert isinstance(exc, BaseException)
            on_error(exc)

        relay.progress.connect(_progress)
        relay.done.connect(_done)
        relay.failed.connect(_failed)
        self._live.add(relay)
        self._pool.start(_Job(fn, relay, state))
        return state

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


class SyncRunner(TaskRunner):
    """Runs the task at once on the calling thread (tests, and the --screenshots renderer)."""

    def run(self, fn: Callable[[TaskState], Any], *, on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None], parent: QWidget | None = None, title: str = "",
            show_progress: bool = True) -> TaskState:
        state = TaskState(_Relay())
        try:
            result = fn(state)
        except BaseException as exc:  # noqa: BLE001
            on_error(exc)
        else:
            on_done(result)
        return state
