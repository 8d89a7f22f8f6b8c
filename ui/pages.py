"""The extra navigation pages (调解委员会, 用户账户, 同步, 设置) as placeholders that need the application context only
when shown.

Importing this module loads Qt only: the start-up puts these pages in the main window's navigation before the
services are loaded (ui/app.py), and the real screens are built, with the context, on first navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.widgets.lazy_page import LazyPage

if TYPE_CHECKING:
    from services.core.context import AppContext
    from ui.data_events import DataEvents
    from ui.operations import TaskRunner


def lazy_pages(context: Callable[[], AppContext], runner: TaskRunner, data_events: DataEvents) -> dict[str, QWidget]:
    """调解委员会, 用户账户, 同步 and 设置, each built when first shown with ``context()`` and the window's runner and
    change notification (their imports and queries are not needed to open the 工作台, bench/bench_startup.py). A
    ``main_window.PagesFactory``: the window calls it with its own collaborators."""

    def sync_page() -> QWidget:
        from ui.sync_page import SyncPage

        return SyncPage(context(), runner=runner, data_events=data_events)

    def settings_page() -> QWidget:
        from ui.settings_page import SettingsPage

        return SettingsPage(context(), runner=runner, data_events=data_events)

    def committees_page() -> QWidget:
        from ui.people.committees_page import CommitteesPage

        return CommitteesPage(context(), data_events=data_events)

    def accounts_page() -> QWidget:
        from ui.people.accounts_page import AccountsPage

        return AccountsPage(context(), data_events=data_events)

    # The titles in the pages' own translation contexts, as they set them with self.tr().
    return {"committees": LazyPage(QCoreApplication.translate("CommitteesPage", "调解委员会"), committees_page),
            "accounts": LazyPage(QCoreApplication.translate("AccountsPage", "用户账户"), accounts_page),
            "sync": LazyPage(QCoreApplication.translate("SyncPage", "同步"), sync_page),
            "settings": LazyPage(QCoreApplication.translate("SettingsPage", "设置"), settings_page)}
