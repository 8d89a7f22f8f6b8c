"""Start the desktop GUI: QApplication, bundled fonts, the crash handler and the main window."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QThread, QTimer, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from services.app_info import APP_NAME, VERSION
from services.context import AppContext
from services.paths import data_dir, resource_path
from services.setup import is_initialised
from ui.login import FirstRunDialog, LoginDialog
from ui.main_window import Creator, MainWindow
from ui.task_runner import TaskRunner
from ui.ui_settings import UiSettings

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def run_gui(ctx: AppContext, *, db_label: str, creators: dict[str, Creator] | None = None,
            pages: Callable[[AppContext], dict[str, QWidget]] | None = None) -> int:
    """First run (if needed) → login → main window; returns the process exit code.

    Args:
        ctx: the application context built by main.py (database, clock; the user is set at login).
        db_label: where the database lives, as the user should see it.
        creators: forms that create records, per list name (see ``MainWindow``).
        pages: builds extra navigation pages (the 设置 screen) once the user is known.
    """
    app = _application()
    register_bundled_fonts()
    crash_handler = CrashHandler(crash_log_path())
    crash_handler.install()
    settings = UiSettings()
    if not is_initialised(ctx.db):
        wizard = FirstRunDialog(ctx)
        if wizard.exec() != FirstRunDialog.DialogCode.Accepted:
            return 0
    dialog = LoginDialog(ctx, last_user=settings.last_user())
    if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.user is None:
        return 0
    ctx.user = dialog.user
    settings.set_last_user(dialog.user.username)
    try:
        extra = pages(ctx) if pages else {}
        window = MainWindow(ctx, runner=TaskRunner(), ui_settings=settings, db_label=db_label, creators=creators,
                            extra_pages=extra)
        settings_page = extra.get("settings")
        if settings_page is not None and hasattr(settings_page, "restored"):
            # A restored backup replaced the database under the running window: close, the user restarts.
            settings_page.restored.connect(lambda _result: window.close())
    except Exception:
        # No event loop yet, so nothing else would show the dialog; log it the same way and give up.
        crash_handler(*sys.exc_info())  # type: ignore[arg-type]
        return 1
    window.show()
    return app.exec()


def _application() -> QApplication:
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
    translator = QTranslator(app)  # parented: lives as long as the application
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        return app.installTranslator(translator)
    return False


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


def _tr(text: str) -> str:
    return QCoreApplication.translate("CrashHandler", text)


class CrashHandler:
    """A ``sys.excepthook`` for bugs (anything that is not an ``AppError`` handled by the UI).

    Every exception is appended to the crash log and passed on to the previous hook (stderr). Only the
    first one opens a dialog, so a failure repeated on every paint cannot bury the user in message boxes.
    """

    def __init__(
        self, log_path: Path, show_dialog: Callable[[Path | None], None] = show_crash_dialog
    ) -> None:
        self.log_path = log_path
        self._show_dialog = show_dialog
        self._previous: ExceptHook = sys.excepthook
        self.dialog_shown = False

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
        written = self._append_to_log("".join(traceback.format_exception(exc_type, exc, tb)))
        self._previous(exc_type, exc, tb)
        if self.dialog_shown:
            return
        app = QCoreApplication.instance()
        if not isinstance(app, QApplication):
            return  # no GUI (yet, or any more): the log and stderr are all we can do
        self.dialog_shown = True
        shown_path = self.log_path if written else None
        if QThread.currentThread() is app.thread():
            self._show_dialog(shown_path)
        else:
            # Widgets must only be touched on the GUI thread; queue the dialog there.
            QTimer.singleShot(0, app, lambda: self._show_dialog(shown_path))

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
