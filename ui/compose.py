"""The one composition root of the main window: the program, the self-test, the screenshots and the benches.

Every collaborator the window is given (the task runner, the change notification, the settings, the forms behind
新建, the extra pages …) is chosen here, once; a caller says only what differs for it (a synchronous runner for the screenshots, a
scratch settings file, a status-bar label). A new collaborator is added here and nowhere else.

Importing this module loads Qt only: the start-up (ui/app.py) builds its early window before the services load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ui.pages import lazy_pages

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from services.core.context import AppContext
    from ui.main_window import Attachment, Creator, MainWindow, PagesFactory, WindowStart
    from ui.operations import TaskRunner
    from ui.ui_settings import UiSettings


def product_creators() -> dict[str, Creator]:
    """The forms behind each list's 新建 button."""
    from ui.forms import default_creators

    return default_creators()


def attachment(ctx: AppContext, creators: dict[str, Creator] | None = None) -> Attachment:
    """What a window built from a :class:`WindowStart` is given once the program has loaded."""
    from ui.main_window import Attachment

    return Attachment(ctx, product_creators() if creators is None else creators)


def main_window(ctx: AppContext | None = None, *, ui_settings: UiSettings, runner: TaskRunner | None = None,
                db_label: str = "", creators: dict[str, Creator] | None = None,
                pages: PagesFactory | None = lazy_pages, start: WindowStart | None = None) -> MainWindow:
    """The main window on ``ctx`` (everything at once), or its shell from ``start`` (attached when loaded).

    Args:
        ctx: the application context, its user signed in; None with ``start``.
        ui_settings: where the window keeps its geometry and list filters.
        runner: slow work off the GUI thread (default: a :class:`TaskRunner`; the screenshots run it inline).
        db_label: where the database lives, as the status bar shows it.
        creators: the forms behind 新建 (default: the program's; ``{}`` for none).
        pages: the extra navigation pages (同步, 设置), built with the context, the runner and the change
            notification when first shown; None for none. With ``start``, its own ``pages`` are used.
        start: the start-up's early window (ui/app.py).
    """
    from ui.data_events import DataEvents
    from ui.main_window import MainWindow
    from ui.operations import TaskRunner

    run = runner if runner is not None else TaskRunner()
    data_events = DataEvents()  # the one change notification, handed by the window to every screen that writes
    if ctx is not None:
        window = MainWindow(ctx, runner=run, ui_settings=ui_settings, data_events=data_events, db_label=db_label,
                            creators=product_creators() if creators is None else creators, pages=pages)
    else:
        window = MainWindow(runner=run, ui_settings=ui_settings, data_events=data_events, db_label=db_label,
                            start=start)
    _close_after_restore(window)
    if ctx is not None and ctx.db.read_only:  # opened read-only at the start (ui/storage_dialog.py)
        from ui.storage_dialog import add_read_only_banner

        add_read_only_banner(window, ctx.db.read_only)
    elif ctx is not None and ctx.user is not None and ctx.data_key is None:
        _say_if_unencrypted(window, ctx)
    page_factory = start.pages if start is not None else pages
    # The next user's window is this one's twin: the same settings file, database label, forms and pages.
    window.switch_user_requested.connect(lambda: switch_user(window, lambda next_ctx: main_window(
        next_ctx, ui_settings=ui_settings, db_label=db_label, creators=window.creators, pages=page_factory)))
    return window


def _say_if_unencrypted(window: MainWindow, ctx: AppContext) -> None:
    """A database made by an earlier version and not yet encrypted: the banner saying who can encrypt it."""
    from services.people.encryption import needs_encryption
    from services.people.roles import is_administrator
    from ui.encrypt_upgrade import add_unencrypted_banner

    if ctx.user is not None and needs_encryption(ctx.uow(write=False)):
        add_unencrypted_banner(window, administrator=is_administrator(ctx.user.role))


def switch_user(window: MainWindow, rebuild: Callable[[AppContext], MainWindow]) -> MainWindow | None:
    """文件 → 切换用户 / 注销: back to the login dialog without quitting; a login replaces ``window`` with the new
    user's (``rebuild``), 退出 closes it (the program ends with its last window).

    Meanwhile the window stays on screen, emptied, under the dialog: the previous user's records are not shown,
    and the program does not see its last window closing while nobody is signed in.
    """
    from ui.login import LoginDialog

    ctx = window.ctx
    assert ctx is not None  # asked only once the window is attached
    ctx.user = None  # signed out: the login below is nobody's act yet
    ctx.data_key = None  # and the data is locked until it (docs/encryption.md)
    central = window.centralWidget()
    if central is not None:
        central.hide()
    window.menuBar().setEnabled(False)
    dialog = LoginDialog(ctx, parent=window)
    if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.user is None:
        window.close()
        return None
    ctx.user = dialog.user
    window.ui_settings.set_last_user(dialog.user.username)
    successor = rebuild(ctx)
    successor.show()
    window.close()
    window.deleteLater()
    return successor


def _close_after_restore(window: MainWindow) -> None:
    """A restored backup replaces the database under the running window: it closes, and the user restarts."""
    from ui.widgets.lazy_page import LazyPage

    def watch_restore(page: QWidget) -> None:
        if hasattr(page, "restored"):
            page.restored.connect(lambda _result: window.close())

    settings_page = window.pages.get("settings")
    if isinstance(settings_page, LazyPage):  # built on first navigation
        settings_page.built.connect(watch_restore)
    elif settings_page is not None:
        watch_restore(settings_page)
