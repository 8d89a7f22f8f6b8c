"""Driving the window as a user does: the dialogs a click opens with exec(), Chinese typed as key events, and the
people forms filled field by field. Shared by the walkthrough tests (test_people_screens, test_day_one).

Each ``fill_…`` helper returns what ``Modal.expect`` runs on its dialog: the form-filling lives here, in one place,
so a change to a form (validation on leaving a field, required markers, confirmations) is adapted once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
)
from pytestqt.qtbot import QtBot

from models.enums import Role
from services.core.context import AppContext
from ui.compose import main_window
from ui.login import FirstRunDialog, LoginDialog
from ui.main_window import MainWindow
from ui.operations import SyncRunner
from ui.password_dialog import ChangePasswordDialog
from ui.people.accounts_page import OpenAccountDialog, ShownOnceDialog
from ui.people.committees_page import CommitteeDialog, MediatorDialog
from ui.people.officer_form import OfficerDialog
from ui.ui_settings import UiSettings

W = TypeVar("W", bound=QWidget)
Act = Callable[[QWidget], None]


WAIT_MS = 30_000
"""How long a walkthrough waits for anything (a document made in the background, a search, a window): generous
for a loaded machine, and still a failure with a message instead of a hang."""


class Modal:
    """Acts on the dialogs a click opens with exec(): each expected kind, in order, when it becomes the active
    modal widget. While it watches (from the first ``expect`` until ``stop``), a modal dialog nobody expects is
    closed and fails the test with its text: exec() would otherwise block the test for ever. A step that fails
    rejects its dialog and is re-raised by ``done``; after a failure every dialog is closed, so the test fails fast.
    """

    def __init__(self) -> None:
        self.steps: list[tuple[type[QWidget], Callable[[QWidget], None]]] = []
        self.errors: list[BaseException] = []
        self.acting: list[QWidget] = []  # the dialogs whose step runs now (a dialog they open comes next)
        self.watching = False

    def expect(self, kind: type[W], act: Callable[[W], None]) -> None:
        self.steps.append((kind, act))  # type: ignore[arg-type]
        if not self.watching:
            self.watching = True
            QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if not self.watching:
            return
        # A new single-shot timer each time: Qt does not fire a timer again while its slot runs, and a step's
        # dialog runs its own event loop inside this slot (the dialogs it opens are watched from there).
        QTimer.singleShot(10, self._poll)
        widget = QApplication.activeModalWidget()
        if widget is None or widget in self.acting or isinstance(widget, QProgressDialog):
            return  # a progress dialog asks nothing: it closes when the work is done
        if self.errors:
            _close(widget)
            return
        if self.steps and isinstance(widget, self.steps[0][0]):
            _, act = self.steps.pop(0)
            self._act(act, widget)
            return
        waiting = self.steps[0][0].__name__ if self.steps else "no dialog"
        self.errors.append(AssertionError(f"unexpected dialog (waiting for {waiting}): {describe(widget)}"))
        _close(widget)

    def _act(self, act: Callable[[QWidget], None], widget: QWidget) -> None:
        self.acting.append(widget)
        try:
            act(widget)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test by done()
            self.errors.append(exc)
            _close(widget)
        finally:
            self.acting.remove(widget)

    def done(self) -> None:
        """Raise the first failure, or fail when an expected dialog never showed (then start afresh)."""
        errors, steps = self.errors, self.steps
        self.errors, self.steps = [], []
        if errors:
            raise errors[0]
        assert steps == [], f"dialogs never shown: {[k.__name__ for k, _ in steps]}"

    def stop(self) -> None:
        self.watching = False


def describe(widget: QWidget) -> str:
    """What a dialog says: a message box's text, else its title and the labels it shows (an error line)."""
    if isinstance(widget, QMessageBox):
        return f"{type(widget).__name__} «{widget.text()}» {widget.informativeText()}".strip()
    shown = [label for label in widget.findChildren(QLabel) if label.isVisible() and label.text()]
    # The error lines when there are any (a form's field labels and counters say little about what went wrong).
    errors = [label for label in shown if "error" in label.objectName().lower() or label.objectName().startswith("msg_")]
    said = [label.text() for label in errors or shown]
    return f"{type(widget).__name__} «{widget.windowTitle()}» {' | '.join(said)[:600]}"


def _close(widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        if widget.isVisible():
            widget.done(QDialog.DialogCode.Rejected)  # not reject(): it may ask whether to discard
    else:
        widget.close()


def answer(button: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes,
           said: list[str] | None = None) -> Act:
    """A message box (a confirmation): its text noted in ``said``, then ``button`` clicked."""
    def press(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        if said is not None:
            said.append(box.text())
        pressed = box.button(button)
        assert pressed is not None, f"no {button} in «{box.text()}»"
        pressed.click()

    return press


def ok(dialog: QWidget) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def click(qtbot: QtBot, widget: QWidget) -> None:
    """A click in the middle of ``widget`` as laid out on screen: a button just built (a procedure view's steps
    after the previous one) gets its size from the pending layout pass first, as before the user could see it."""
    QApplication.sendPostedEvents()
    assert widget.isVisible() and widget.isEnabled(), widget.toolTip()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying each character, as an input method delivers Chinese (QTest's keyClicks knows ASCII
    only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def snap(widget: QWidget, name: str) -> None:
    """Save what ``widget`` shows as docs/screenshots' PNGs are made, when $ENFORCEDESK_WALK_SHOTS names a
    folder (tools: the walkthrough's screens at a 1366×768 office screen); otherwise nothing."""
    folder = os.environ.get("ENFORCEDESK_WALK_SHOTS")
    if not folder:
        return
    if isinstance(widget, MainWindow):
        widget.resize(1366, 768)
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert widget.grab().save(str(Path(folder) / f"{name}.png"))


def open_window(ctx: AppContext, tmp_path: Path, db_label: str = "test") -> MainWindow:
    """The program's window (its forms and pages) on ``ctx``, at the size of a township's office screen;
    ``db_label``: the database as the status bar names it (the program shows its path)."""
    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    window = main_window(ctx, runner=SyncRunner(), ui_settings=settings, db_label=db_label)
    window.resize(1366, 740)
    window.show()
    return window


def set_up_and_confirm(wizard: FirstRunDialog) -> bool:
    """完成初始化, then the recovery key shown once: 我已妥善保存 and 继续."""
    if not wizard.submit():
        return False
    assert wizard.recovery is not None and wizard.result() != FirstRunDialog.DialogCode.Accepted
    wizard.recovery.saved.setChecked(True)
    return wizard.finish()


def run_wizard(qtbot: QtBot, ctx: AppContext, *, township: str, squad: str, password: str,
               district: str = "") -> FirstRunDialog:
    """The first-run wizard on an empty database: a township office with its administrator's password."""
    wizard = FirstRunDialog(ctx)
    qtbot.addWidget(wizard)
    type_text(wizard.township, township)
    if district:
        type_text(wizard.district, district)
    type_text(wizard.squad, squad)
    type_text(wizard.password, password)
    type_text(wizard.password2, password)
    ok(wizard)
    assert wizard.recovery is not None, wizard.error.text()  # the recovery key, shown once
    wizard.recovery.saved.setChecked(True)
    ok(wizard)
    assert not wizard.isVisible(), wizard.error.text()
    return wizard


def first_login(qtbot: QtBot, ctx: AppContext, username: str, password: str) -> LoginDialog:
    login = LoginDialog(ctx, last_user=username)
    qtbot.addWidget(login)
    type_text(login.password, password)
    ok(login)
    assert login.user is not None, login.error.text()
    return login


def fill_officer(name: str, cert: str, valid_to: str, *, female: bool = False) -> Act:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, OfficerDialog)
        type_text(dialog.name, name)
        dialog.gender.setCurrentIndex(dialog.gender.findData("女" if female else "男"))
        type_text(dialog.cert_number, cert)
        dialog.cert_kind.setCurrentIndex(0)
        dialog.valid_to.setDate(QDate.fromString(valid_to, "yyyy-MM-dd"))  # as picked in its calendar
        dialog.domains.item(0).setCheckState(Qt.CheckState.Checked)
        ok(dialog)
        assert not dialog.isVisible(), dialog.error.text() or [dialog.message(k) for k in ("name", "cert_valid_to")]

    return fill


def fill_account(officer_label: str, username: str, role: Role) -> Act:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, OpenAccountDialog)
        dialog.officer.setCurrentIndex(dialog.officer.findText(officer_label))
        type_text(dialog.username, username)
        dialog.role.setCurrentIndex(dialog.role.findData(role.value))
        ok(dialog)

    return fill


def read_shown_password(into: list[str]) -> Act:
    """The generated password, shown once: noted (as the squad leader writes it down) and acknowledged."""
    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, ShownOnceDialog)
        into.append(dialog.password.text())
        ok(dialog)

    return read


def fill_committee(name: str, seal_name: str) -> Act:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, CommitteeDialog)
        type_text(dialog.name, name)
        type_text(dialog.seal_name, seal_name)
        ok(dialog)

    return fill


def fill_mediator(name: str, gender: str, position: str) -> Act:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, MediatorDialog)
        type_text(dialog.name, name)
        dialog.gender.setCurrentIndex(dialog.gender.findData(gender))
        dialog.position.setCurrentIndex(dialog.position.findData(position))
        ok(dialog)
        assert not dialog.isVisible(), dialog.error.text()

    return fill


def sign_in(username: str, password: list[str] | str) -> Act:
    """The login dialog: ``password`` may be a list filled by an earlier step (read when the dialog shows)."""
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, LoginDialog)
        dialog.username.clear()
        type_text(dialog.username, username)
        type_text(dialog.password, password if isinstance(password, str) else password[0])
        ok(dialog)

    return fill


def choose_new_password(password: str) -> Act:
    """The first login's 设置新密码 (no old password asked: the one just typed was checked)."""
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ChangePasswordDialog)
        assert dialog.old.isHidden()
        type_text(dialog.new, password)
        type_text(dialog.new2, password)
        ok(dialog)
        assert not dialog.isVisible(), dialog.error.text()

    return fill


def switch_user(window: MainWindow) -> None:
    """文件 → 切换用户 / 注销."""
    actions = {a.objectName(): a for a in window.findChildren(type(window.menuBar().actions()[0]))}
    actions["switchUserAction"].trigger()


def successor_of(qtbot: QtBot, window: MainWindow, *, register: bool = True) -> MainWindow:
    """The new user's window that replaced ``window`` after 切换用户. ``register=False`` for a walk that switches
    again: a window deleted by the next switch must not be left to qtbot to close (see ``close_main_windows``)."""
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    [successor] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if register:
        qtbot.addWidget(successor)
    return successor


def close_main_windows() -> None:
    """Close the program windows still open (only live ones are listed: those 切换用户 replaced are gone)."""
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow) and w.isVisible():
            w.close()


# -- the command line and the file dialogs, as the operator uses them ----------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    """``python main.py …`` as an operator types it, in a process of its own with the product's costs, whatever
    its exit code (a refusal is checked by the caller)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=600, check=False)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """:func:`run_main` where the command must succeed (the other party's set-up, reading the results back)."""
    done = run_main(*args)
    assert done.returncode == 0, done.stderr
    return done


def choose_path(path: Path) -> Act:
    """A file dialog (open, save or folder): the path typed in, then 打开/保存/选择."""
    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(path))  # its folder; the name too, unless the name line has the focus (Qt's rule)
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        if name is not None:
            name.setText(path.name)  # so typed there, as the user does, whichever widget has the focus
        assert Path(dialog.selectedFiles()[0]) == path, dialog.selectedFiles()
        dialog.accept()

    return choose
