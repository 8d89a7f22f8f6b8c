"""One way to run work from the UI, and one policy for how it ends.

Every screen hands its slow work (a sync export, a merge dry run, a PDF, a backup) to the window's one
:class:`TaskRunner`, passed to it in its constructor: ``runner.run(fn, on_done=…, parent=…, title=…)``. ``fn`` runs
on a worker thread (no widgets, its own unit of work), with a progress dialog whose 取消 it sees through its
:class:`TaskState`; ``on_done(result)`` runs on the GUI thread. How a task can end is decided here, once:

- an :class:`AppError` (a refusal, bad input, a damaged file) is shown to the user in its Chinese message, on the
  screen's own message line when the caller gives one (``report``), else in one message box (:func:`tell`);
- :class:`Cancelled`, raised by :meth:`TaskState.progress` once the user has pressed 取消, is shown as 已取消:
  the user asked for it, it is not a bug;
- anything else is a bug and goes to ``sys.excepthook``, where ui/app.py installs the crash handler (log and one
  dialog). It is handed over explicitly rather than re-raised into Qt, so it reaches the handler with the
  worker's traceback whether the task ran on the worker or at once (:class:`SyncRunner`), and whatever Qt does
  with an exception escaping a slot.

An exception raised by ``on_done`` follows the same policy.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from services.core.errors import AppError
from ui.qt_compat import emit

ProgressFn = Callable[[int, str], None]
Report = Callable[[str], None]  # where a screen shows a refusal or 已取消: its message line


class Cancelled(Exception):
    """Raised inside a task when the user pressed 取消 (cooperative: the task checks ``cancelled``)."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("TaskRunner", text)


class TaskState:
    """Handed to the task: report progress, and ask whether the user cancelled."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    def progress(self, percent: int, message: str = "") -> None:
        """Move the progress bar; raises :class:`Cancelled` once the user has pressed 取消."""
        if self._cancel.is_set():
            raise Cancelled()
        emit(self._relay.progress, int(percent), message)

    def past_return(self, percent: int, message: str = "") -> None:
        """Move the progress bar past the point where the work can be abandoned (what it did is committed and the
        rest must be finished): from here the dialog offers no 取消, a 取消 pressed meanwhile is ignored, and a
        dialog it hid is shown again — the user must see the work go on to its end."""
        emit(self._relay.uncancellable)
        emit(self._relay.progress, int(percent), message)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


def tell(parent: QWidget | None, title: str, text: str, *, cancelled: bool = False) -> None:
    """The one message box for an operation that was refused (warning) or cancelled (information)."""
    if cancelled:
        QMessageBox.information(parent, title or _tr("操作"), text)
    else:
        QMessageBox.warning(parent, title or _tr("无法完成"), text)


def report_bug(exc: BaseException) -> None:
    """Hand an unexpected exception to the crash handler (ui/app.py installs it as ``sys.excepthook``)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


def settle(exc: BaseException, *, parent: QWidget | None = None, title: str = "", report: Report | None = None) -> None:
    """What every failed operation comes to (GUI thread): shown if known or cancelled, else the crash handler."""
    if isinstance(exc, Cancelled):
        text, cancelled = _tr("已取消"), True
    elif isinstance(exc, AppError):
        text, cancelled = exc.message, False
    else:
        report_bug(exc)
        return
    if report is not None:
        report(text)
    else:
        tell(parent, title, text, cancelled=cancelled)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, str)
    uncancellable = Signal()


class _Job(QRunnable):
    """The task on the worker. It lets go of the task, its state and its relay before it says so (``released``):
    the GUI thread keeps its own references until then, so the last one is always dropped there (see
    TaskRunner.run)."""

    def __init__(self, fn: Callable[[TaskState], Any], relay: _Relay, state: TaskState,
                 released: threading.Event) -> None:
        super().__init__()
        self._task: tuple[Callable[[TaskState], Any], _Relay, TaskState] | None = (fn, relay, state)
        self._released = released

    def run(self) -> None:  # worker thread: no widgets, its own unit of work
        assert self._task is not None
        fn, relay, state = self._task
        self._task = None
        try:
            outcome, signal = fn(state), relay.done
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread, where settle() decides
            outcome, signal = exc, relay.failed
        del fn, state, relay
        emit(signal, outcome)
        del signal, outcome
        self._released.set()


class TaskRunner(QObject):
    """Runs tasks one at a time on a single worker (database writes stay serial, docs/architecture.md §7) and
    settles how they end."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._stuck: list[object] = []

    def run(
        self,
        fn: Callable[[TaskState], Any],
        *,
        on_done: Callable[[Any], None],
        parent: QWidget | None = None,
        title: str = "",
        show_progress: bool = True,
        report: Report | None = None,
    ) -> TaskState:
        """Run ``fn(state)`` on the worker; then ``on_done(result)`` on the GUI thread, or the policy above.

        Args:
            parent: the screen asking; the progress dialog (with 取消) and any message box are shown over it.
            title: the operation's name, for the progress dialog and the message box.
            show_progress: False for quick work the screen shows itself (a preview): no dialog, no 取消.
            report: where a refusal or 已取消 is written (a message line); None: a message box over ``parent``.
        """
        # Nothing Qt-connected may be torn down on the worker: a relay, a closure or a bound method whose last
        # reference goes there is disconnected or deleted on the wrong thread (seen: a segmentation fault in
        # QMetaObject::Connection::~Connection on the worker). So the closures below hold the task, its state
        # and its relay until the worker has let go of them (``released``, waited for in _finish); the relay is
        # deleted on this thread (deleteLater); 取消 is connected through a closure, never as the bound method
        # ``state.cancel``, which PySide tracks by a weak reference. The relay has no Qt parent: a runner
        # deleted before the relay's deferred deletion must not delete it a second time.
        relay = _Relay()
        state = TaskState(relay)
        released = threading.Event()
        dialog: QProgressDialog | None = None
        if show_progress and parent is not None:
            dialog = QProgressDialog(title or self.tr("正在处理…"), self.tr("取消"), 0, 100, parent)
            dialog.setWindowTitle(title or self.tr("请稍候"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)  # quick tasks finish before the dialog would flash

            def _cancel() -> None:
                if late:
                    _show_again()
                    return
                state.cancel()

            dialog.canceled.connect(_cancel)

        late: list[bool] = []  # TaskState.past_return was called

        def _show_again() -> None:
            # Past the point of no return the dialog hid itself (the close box, Esc, a 取消 just before): shown
            # again once Qt has finished hiding it, or the rest (minutes of compaction) runs unseen.
            def show() -> None:
                if dialog is not None and shiboken6.isValid(dialog) and not finished:
                    dialog.show()
                    if shown_at:
                        dialog.setValue(shown_at[-1])  # hiding reset the bar

            QTimer.singleShot(0, show)

        @Slot()
        def _uncancellable() -> None:
            if late:
                return
            late.append(True)
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.setCancelButton(None)  # Qt: no button
                dialog.rejected.connect(_show_again)  # Esc hides a dialog without a 取消 too
                if dialog.wasCanceled():
                    _show_again()

        shown_at: list[int] = []  # the last percent shown

        @Slot(int, str)
        def _progress(percent: int, message: str) -> None:
            shown_at[:] = [percent]
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.setValue(percent)
                if message:
                    dialog.setLabelText(message)

        finished: list[bool] = []

        def _finish() -> None:
            finished.append(True)
            # The worker emitted its last signal and is letting go of the task: a matter of microseconds.
            if not released.wait(10):
                self._stuck.append((fn, state))  # never dropped rather than dropped on the worker
            if dialog is not None and shiboken6.isValid(dialog):  # gone with its screen if that was closed
                dialog.reset()
                dialog.deleteLater()
            relay.deleteLater()  # after the signals already queued (its last ones), on this thread; with it go
            # these closures, and with them the GUI thread's references to the task

        def _done(result: object) -> None:
            _finish()
            self._end(lambda: on_done(result), parent, title, report)

        def _failed(exc: object) -> None:
            _finish()
            assert isinstance(exc, BaseException)
            self._end(None, parent, title, report, exc)

        relay.progress.connect(_progress)
        relay.uncancellable.connect(_uncancellable)
        relay.done.connect(_done)
        relay.failed.connect(_failed)
        self._pool.start(_Job(fn, relay, state, released))
        return state

    @staticmethod
    def _end(apply: Callable[[], None] | None, parent: QWidget | None, title: str, report: Report | None,
             failure: BaseException | None = None) -> None:
        """GUI thread: the result applied, or the failure settled (an exception while applying, too)."""
        if parent is not None and not shiboken6.isValid(parent):
            # The screen was closed meanwhile: nothing left to show the result, a refusal or 已取消 on; a bug is
            # still a bug.
            if failure is not None and not isinstance(failure, AppError | Cancelled):
                report_bug(failure)
            return
        try:
            if failure is None and apply is not None:
                apply()
        except BaseException as exc:  # noqa: BLE001 - the screen's own code failing: the same policy
            failure = exc
        if failure is not None:
            settle(failure, parent=parent, title=title, report=report)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


class SyncRunner(TaskRunner):
    """Runs the task at once on the calling thread (tests, and the screenshot renderer); same policy."""

    def run(self, fn: Callable[[TaskState], Any], *, on_done: Callable[[Any], None], parent: QWidget | None = None,
            title: str = "", show_progress: bool = True, report: Report | None = None) -> TaskState:
        state = TaskState(_Relay())
        try:
            result = fn(state)
        except BaseException as exc:  # noqa: BLE001 - settled like the worker's
            self._end(None, parent, title, report, exc)
        else:
            self._end(lambda: on_done(result), parent, title, report)
        return state
