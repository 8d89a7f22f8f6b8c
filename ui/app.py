"""Start the desktop GUI: QApplication, bundled fonts, the crash handler, login and the main window.

Start-up order (bench/bench_startup.py measures it): Qt and the login dialog come first, and need neither
SQLAlchemy nor the models; ``load`` (cli/gui.py: import the services and screens, open and migrate the database)
runs on a background thread while the user types the password. On 登录, an account that needs no write
(services.core.quick_login: no failures counted, not locked) has its password checked with scrypt on another thread
while this one builds the main window, which is shown only if the password is right; every other case goes to
services.people.accounts.login, which counts failures and locks. On a township database at this program's revision the
window does not wait for ``load``: the 工作台 is read from the file with sqlite3 (services.read.home.FileHomeReader),
the loading pauses until the window has painted (two Python threads would halve each other's speed), and the
record screens and lists are attached when it has finished (or at once, waiting for it, if the user opens one
sooner). Housekeeping that is not needed to work (the daily backup) runs on another thread once everything
has loaded.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QThread, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from services.core import quick_login
from services.core.app_info import APP_NAME, VERSION
from services.core.errors import AppError
from services.core.paths import data_dir, resource_path
from services.people.roles import is_administrator
from ui.login import FirstRunDialog, LoginDialog
from ui.qt_compat import guard_none
from ui.storage_dialog import add_read_only_banner, choose_database
from ui.ui_settings import UiSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from services.core.context import AppContext
    from services.people.roles import SignedIn, UserInfo
    from ui.main_window import Creator, MainWindow, PagesFactory, WindowStart

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
T = TypeVar("T")


@dataclass
class GuiParts:
    """What the main window needs; built by ``load`` on the background thread (cli/gui.py), composed into the
    window by ui/compose.py.

    Attributes:
        ctx: the application context on the opened (migrated) database; the user is set at login.
        creators: forms that create records, per list name (see ``MainWindow``); None: the program's own.
        housekeeping: slow work run on a background thread once the window is shown (the daily backup);
            an exception there is logged, not shown: the program works without it.
        db_label: where the database lives, as the user should see it.
    """

    ctx: AppContext
    creators: dict[str, Creator] | None = None
    housekeeping: Callable[[], None] | None = None
    db_label: str = ""


class Background(Generic[T]):
    """Runs ``job`` once on a thread of its own; ``wait()`` on the GUI thread keeps the screen painted.

    Python code holds the GIL, but the GUI thread mostly sits in Qt's event loop waiting for key presses (the
    GIL is released there), so an import on this thread runs at nearly full speed while the user types; and
    scrypt releases the GIL, so a password check here leaves the GUI thread free to build the window.

    A job that takes a ``checkpoint`` argument can be paused: between two steps it calls ``checkpoint()``,
    which waits while ``pause()`` is in effect. The GUI thread pauses the start-up's loading while it builds
    and paints the main window (two Python threads would share one GIL and each run at half speed), and
    resumes it after the first paint; ``wait()`` resumes it too, and a pause never lasts more than
    ``MAX_PAUSE`` seconds at one checkpoint, so a forgotten ``resume`` only slows the loading.
    """

    MAX_PAUSE = 1.0

    def __init__(self, job: Callable[[], T] | Callable[[Callable[[], None]], T], name: str, *,
                 pausable: bool = False) -> None:
        self._job = job
        self._name = name
        self._pausable = pausable
        self._done = threading.Event()
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._thread: threading.Thread | None = None
        self._result: T | None = None
        self._error: BaseException | None = None

    def start(self) -> Background[T]:
        if self._thread is None:
            # Not a daemon: a half-done migration or backup must not be cut off when the user quits early.
            self._thread = threading.Thread(target=self._run, name=self._name)
            self._thread.start()
        return self

    def _checkpoint(self) -> None:
        self._running.wait(self.MAX_PAUSE)

    def _run(self) -> None:
        try:
            if self._pausable:
                self._result = cast(Callable[[Callable[[], None]], T], self._job)(self._checkpoint)
            else:
                self._result = cast(Callable[[], T], self._job)()
        except BaseException as exc:  # handed to the GUI thread by wait()
            self._error = exc
        finally:
            self._done.set()

    def pause(self) -> None:
        """The job stops at its next checkpoint (for at most ``MAX_PAUSE`` there) until ``resume()``."""
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self) -> T:
        """The job's result (starting it if needed); re-raises what the job raised."""
        self.resume()
        self.start()
        while not self._done.wait(0.02):
            # Repaint (the login dialog says 正在登录…) but take no clicks or keys meanwhile.
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 20)
        if self._error is not None:
            raise self._error
        return cast(T, self._result)

    def join(self) -> None:
        self.resume()
        if self._thread is not None:
            self._thread.join()


class _ResumeAfterPaint(QObject):
    """Resumes the paused loading once the main window has painted (after the paint pass is over)."""

    def __init__(self, job: Background[GuiParts]) -> None:
        super().__init__()
        self._job = job

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._job.resume)
        return False


Load = Callable[[Callable[[], None]], GuiParts]


def run_gui(db_path: Path, load: Load, pages: PagesFactory | None = None, *,
            loader: Callable[[Path, str], Load] | None = None, ask_before_creating: bool = False,
            open_bundle: Path | None = None) -> int:
    """The database file checked (ways on if it cannot be used) → first run (if needed) → login → main window;
    returns the process exit code.

    Args:
        db_path: the database file (it may not exist yet: ``load`` creates it, then the first-run wizard runs).
        load: imports the services and screens and opens the database; run on a background thread while the
            login dialog is up, so it must not touch widgets. It calls its argument between its steps: the
            loading pauses there while the main window is built and painted.
        pages: the extra navigation pages (同步, 设置), given a way to get the context when first shown.
        loader: ``load`` for another file, or for the file opened read-only (the reason): what the user chose
            when the file could not be used as it is (ui/storage_dialog.py).
        ask_before_creating: a file named on the command line that does not exist is created only if the user
            agrees (a typo must not make a second township).
        open_bundle: a sync bundle opened from outside (``main.py FILE.edsync``, a double click): the window
            opens on the 同步 page's import preview of it.
    """
    app = _application()
    register_bundled_fonts()
    crash_handler = CrashHandler(crash_log_path())
    crash_handler.install()
    opening = choose_database(db_path, ask_before_creating=ask_before_creating)
    if opening is None:
        return 0
    if loader is not None and (opening.path != db_path or opening.read_only):
        load = loader(opening.path, opening.read_only)
    db_path = crash_handler.database = opening.path
    if open_bundle is not None and not open_bundle.is_file():
        QMessageBox.warning(None, _tr("无法打开同步包"), _tr("同步包文件不存在：{path}").format(path=open_bundle))
        open_bundle = None
    settings = UiSettings()
    preload: Background[GuiParts] = Background(load, "enforcedesk-preload", pausable=True)
    resume_after_paint = _ResumeAfterPaint(preload)
    housekeeping: list[Background[None]] = []
    window: MainWindow | None = None
    try:
        probe = quick_login.probe(db_path)
        if not probe.initialised:
            # First start (or a database the light check cannot read): the full path decides.
            parts = _wait_or_report(preload)
            if parts is None:
                return 1
            from services.reference.setup import is_initialised

            if not is_initialised(parts.ctx.db):
                wizard = FirstRunDialog(parts.ctx)
                if wizard.exec() != FirstRunDialog.DialogCode.Accepted:
                    return 0

        def authenticate(username: str, password: str) -> SignedIn:
            nonlocal window
            account = quick_login.clean_account(db_path, username)
            if account is not None and account.slot is None and is_administrator(account.role):
                # An administrator on a database not yet encrypted is offered the upgrade once signed in; the
                # window is built after it, from the loaded program, with the key it made.
                account = None
            if account is not None:
                if probe.township_at_head:
                    preload.pause()  # the window comes first: the loading steps aside until it has painted
                # The password checked and the data key unwrapped with it (docs/encryption.md), off this thread.
                check = Background(lambda: account.sign_in(password), "enforcedesk-password").start()
                # Build the window while scrypt runs on the other thread; it is shown only if the password is
                # right, else thrown away unseen. A township database at this program's revision gets it at
                # once, with the 工作台 read from the file, whether or not the rest has loaded yet.
                user = account.user
                try:
                    unlocked: list[SignedIn] = []  # the key reaches the context once the check has given it
                    candidate = _early_window(db_path, user, preload, settings, pages, unlocked) \
                        if probe.township_at_head else None
                    if candidate is None:
                        parts = preload.wait()
                        parts.ctx.user = user
                        candidate = _main_window(settings, parts=parts, pages=pages)
                    signed = check.wait()
                except BaseException:
                    preload.resume()  # no window to paint: the loading must not stay paused
                    raise
                if signed is not None:
                    unlocked.append(signed)
                    if candidate.ctx is not None:
                        candidate.ctx.data_key = signed.data_key
                    window = candidate
                    window.installEventFilter(resume_after_paint)
                    return signed
                preload.resume()
                if candidate.ctx is not None:
                    candidate.ctx.user = None
                candidate.deleteLater()
            # Wrong password, a count or a lock to clear, unknown name, no key slot: the ORM login counts, locks
            # and says what to do.
            parts = preload.wait()
            from services.people.accounts import sign_in

            return sign_in(parts.ctx.uow(), username, password)

        def encrypt(parent: QWidget, signed: SignedIn, password: str) -> SignedIn:
            from ui.encrypt_upgrade import offer_encryption

            # A database migrated at this start (not at head when probed) may have been marked since: migration
            # 0014 marks an encrypted one holding declared values in the clear
            return offer_encryption(parent, lambda: preload.wait().ctx, signed, password,
                                    may_be_unfinished=probe.sealing_unfinished or not probe.township_at_head)

        def recover(parent: QWidget) -> SignedIn | None:
            from ui.login import recover_login

            return recover_login(preload.wait().ctx, parent)

        def open_window(signed: SignedIn) -> None:
            nonlocal window
            user = signed.user
            settings.set_last_user(user.username)
            if window is None:  # signed in through services.people.accounts.sign_in (or the recovery key)
                parts = preload.wait()
                parts.ctx.user, parts.ctx.data_key = user, signed.data_key
                window = _main_window(settings, parts=parts, pages=pages)
            if opening.read_only:
                add_read_only_banner(window, opening.read_only)
            elif signed.data_key is None and not probe.encrypted:
                from ui.encrypt_upgrade import add_unencrypted_banner

                add_unencrypted_banner(window, administrator=is_administrator(user.role))
            window.show()
            if open_bundle is not None:
                QTimer.singleShot(0, lambda: preview_bundle(window, open_bundle))
            QTimer.singleShot(500, preload.resume)  # in case no paint event reaches the filter

        def change_password(username: str, old: str, new: str) -> UserInfo:
            # A password given to its holder is replaced before the window opens (quick_login leaves such an
            # account to the full login above, which reports it).
            from services.core.uow import UnitOfWork
            from services.people.accounts import change_password as change

            ctx = preload.wait().ctx
            return change(UnitOfWork(ctx.db, actor=username, clock=ctx.clock), username, old=old, new=new)

        dialog = LoginDialog(last_user=settings.last_user(), authenticate=authenticate, on_login=open_window,
                             change_password=change_password, recover=recover, encrypt=encrypt)
        preload.start()
        if dialog.exec() != LoginDialog.DialogCode.Accepted or window is None:
            return 0

        def start_housekeeping() -> None:
            # Once everything has loaded: the backup must not slow the start (it reads the whole file).
            if not preload.done:
                return
            timer.stop()
            try:
                parts = preload.wait()
            except Exception:  # the window has told the user why the program could not load
                return
            if parts.housekeeping is not None:
                housekeeping.append(Background(_logged(parts.housekeeping), "enforcedesk-housekeeping").start())

        timer = QTimer(window)
        timer.setInterval(50)
        timer.timeout.connect(start_housekeeping)
        timer.start()
        return app.exec()
    finally:
        preload.join()
        for job in housekeeping:
            job.join()  # a backup cut off half-way would be worse than a few seconds' wait on exit
        if preload.done:
            try:
                preload.wait().ctx.db.dispose()
            except BaseException:  # the load failed: there is nothing to close
                pass


def preview_bundle(window: MainWindow | None, bundle: Path) -> None:
    """The 同步 page, showing what importing ``bundle`` would change (nothing is imported before 导入 is pressed)."""
    if window is None or not window.isVisible():
        return
    window.show_page("sync")
    page = window.pages.get("sync")
    built = getattr(page, "ensure_built", lambda: page)()
    inspect = getattr(built, "inspect", None)
    if inspect is not None:
        inspect(bundle)


def _wait_or_report(preload: Background[GuiParts]) -> GuiParts | None:
    """The loaded parts, or None after telling the user why the database could not be opened."""
    try:
        return preload.wait()
    except AppError as exc:
        QMessageBox.critical(None, _tr("无法打开数据库"), exc.message)
        return None


def _early_window(db_path: Path, user: UserInfo, preload: Background[GuiParts], settings: UiSettings,
                  pages: PagesFactory | None, unlocked: list[SignedIn]) -> MainWindow | None:
    """The main window with the 工作台 read from the database file; the rest is attached when it has loaded.

    None if the file cannot be read that way (the caller then waits for the full load, which reports why).
    """
    from services.core.clock import SystemClock
    from services.read.home import FileHomeReader
    from ui import compose
    from ui.main_window import Attachment, WindowStart

    reader = FileHomeReader(db_path, SystemClock())
    try:
        snapshot = reader.snapshot()
    except sqlite3.Error:
        log.exception("reading the 工作台 from the database file failed")
        return None

    def attachment() -> Attachment:
        parts = preload.wait()
        parts.ctx.user = user
        if unlocked:  # the password check has given the key (it is shown only then)
            parts.ctx.data_key = unlocked[0].data_key
        return compose.attachment(parts.ctx, parts.creators)

    return _main_window(settings, start=WindowStart(user, reader, snapshot, pages, lambda: preload.done, attachment),
                        db_label=str(db_path))


def _main_window(settings: UiSettings, *, parts: GuiParts | None = None, start: WindowStart | None = None,
                 pages: PagesFactory | None = None, db_label: str = "") -> MainWindow:
    """The main window from the loaded ``parts``, or its shell from ``start`` (then attached when loaded)."""
    from ui.compose import main_window

    if parts is not None:
        return main_window(parts.ctx, ui_settings=settings, db_label=parts.db_label, creators=parts.creators,
                           pages=pages)
    return main_window(ui_settings=settings, db_label=db_label, start=start)


def _logged(job: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("background housekeeping failed")

    return run


def _application() -> QApplication:
    guard_none()  # before the first Qt call that returns nothing (ui/qt_compat.py)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    # QSettings and the per-user folders Qt picks are keyed on these names.
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(VERSION)
    install_qt_translations(app)
    return app


def install_qt_translations(app: QApplication) -> bool:
    """Qt's own buttons and dialogs (file, print, message boxes) in Simplified Chinese, like the rest."""
    from ui.i18n import install_translations  # also EnforceDesk's own .qm; ENFORCEDESK_LANG=en switches both

    return install_translations(app).qt


def register_bundled_fonts(font_dir: Path | None = None) -> list[str]:
    """Register every ``*.ttf``/``*.ttc`` under resources/fonts with Qt.

    Offices on machines without a CJK font (minimal Linux installs) would otherwise see boxes. On Linux the
    font is added to fontconfig's application set, so Qt's glyph fallback finds it without changing the
    default UI font. A missing folder is not an error: the font ships with the documents work.

    Returns:
        The font families that were added (empty if there are none).
    """
    folder = font_dir if font_dir is not None else resource_path("fonts")
    families: list[str] = []
    for path in sorted(folder.glob("*.tt[fc]")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id == -1:
            log.warning("bundled font could not be loaded: %s", path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if families:
        log.info("bundled fonts registered: %s", ", ".join(families))
    return families


def crash_log_path() -> Path:
    return data_dir() / "logs" / "crash.log"


def show_crash_dialog(log_path: Path | None) -> None:
    """The one modal dialog shown after an unexpected error (GUI thread only)."""
    box = QMessageBox(QMessageBox.Icon.Critical, _tr("程序发生意外错误"), _tr("程序发生意外错误。"))
    if log_path is not None:
        box.setInformativeText(
            _tr("错误详情已记录到：\n{path}\n\n请将此文件发送给技术支持人员。").format(path=log_path)
        )
    else:
        box.setInformativeText(_tr("错误详情无法写入日志文件，请截图本窗口并联系技术支持人员。"))
    box.exec()


def show_text_box(text: str, *, error: bool) -> None:
    """What the console-less program would have printed (cli/console.py), in a message box."""
    _application()
    box = QMessageBox(QMessageBox.Icon.Critical if error else QMessageBox.Icon.Information, APP_NAME, text)
    box.exec()


def show_storage_problem(message: str) -> None:
    """Storage trouble met while working (GUI thread only): its own message, not the crash dialog."""
    QMessageBox.warning(None, _tr("无法读写数据库"), message)


def _tr(text: str) -> str:
    return QCoreApplication.translate("CrashHandler", text)


class CrashHandler:
    """A ``sys.excepthook`` for bugs (anything that is not an ``AppError`` handled by the UI).

    Every exception is appended to the crash log and passed on to the previous hook (stderr), and every bug opens
    the crash dialog — except while one is open, so a failure repeated on every paint cannot bury the user in
    message boxes. Storage trouble that reached here (a full disk, a pulled-out stick, a locked or damaged
    database: services/core/storage.py) is not a bug: its own message is shown instead of the crash dialog.
    """

    def __init__(
        self, log_path: Path, show_dialog: Callable[[Path | None], None] = show_crash_dialog,
        show_problem: Callable[[str], None] | None = None,
    ) -> None:
        self.log_path = log_path
        self._show_dialog = show_dialog
        self._show_problem = show_problem or show_storage_problem
        self._previous: ExceptHook = sys.excepthook
        self.dialog_shown = False  # any dialog shown so far
        self._open = False  # a dialog of ours is on screen now
        self.database: Path | None = None  # the file storage errors are about (sqlite3 does not name it)

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        from services.core.storage import classify

        problem = classify(exc, self.database)
        if problem is not None:
            log.warning("storage problem: %s", problem.message, exc_info=(exc_type, exc, tb))
            self._on_gui_thread(lambda: self._show_problem(problem.message))
            return
        written = self._append_to_log("".join(traceback.format_exception(exc_type, exc, tb)))
        self._previous(exc_type, exc, tb)
        shown_path = self.log_path if written else None
        self._on_gui_thread(lambda: self._show_dialog(shown_path))

    def _on_gui_thread(self, show: Callable[[], None]) -> None:
        """Run ``show`` (a modal dialog) on the GUI thread, unless one of ours is open already."""
        app = QCoreApplication.instance()
        if not isinstance(app, QApplication) or self._open:
            return  # no GUI (yet, or any more): the log and stderr are all we can do; or a dialog is up

        def run() -> None:
            self._open = self.dialog_shown = True
            try:
                show()
            finally:
                self._open = False

        if QThread.currentThread() is app.thread():
            run()
        else:
            # Widgets must only be touched on the GUI thread; queue the dialog there.
            self._open = True  # until it has been shown and closed: a second failure meanwhile is only logged
            QTimer.singleShot(0, app, run)

    def _append_to_log(self, text: str) -> bool:
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as f:
                stamp = datetime.now().isoformat(timespec="seconds")
                f.write(f"===== {stamp} {APP_NAME} {VERSION} =====\n{text}\n")
        except OSError:
            log.exception("could not write crash log %s", self.log_path)
            return False
        return True
