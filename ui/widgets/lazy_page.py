"""A navigation page that builds its real screen the first time it is shown.

The 同步 and 设置 screens import the sync, backup and recompute services (about 0.3 s of imports) and query
the database when built; a start-up that opens on the 工作台 needs neither, so MainWindow gets this
placeholder with the screen's title and builds the screen on first navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.qt_compat import emit


class LazyPage(QWidget):
    """Signals: built(page) once the real screen exists (``build`` gives it its collaborators, ui/pages.py)."""

    built = Signal(QWidget)

    def __init__(self, title: str, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._build = build
        self.page: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure_built(self) -> QWidget:
        """The real screen, built now if it was not yet."""
        if self.page is None:
            page = self._build()
            self._layout.addWidget(page)
            self.page = page
            emit(self.built, page)
        return self.page

    def refresh(self) -> None:
        """MainWindow calls ``refresh`` on the page it navigates to: build, then pass it on."""
        page = self.ensure_built()
        refresh: Callable[[], Any] | None = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()

    def __getattr__(self, name: str) -> Any:
        """Anything else the caller asks of the screen (e.g. 同步's ``show_plan``) builds it and asks it."""
        if name.startswith("_") or name == "page":
            raise AttributeError(name)  # our own state, during __init__: never build for that
        return getattr(self.ensure_built(), name)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.ensure_built()
        super().showEvent(event)
