"""A banner above a main window's pages (read-only opening, a database not yet encrypted): one per kind and window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

BANNER_STYLE = "background: #fff4e5; color: #8a4b00; border: 1px solid #f0c36d; padding: 6px;"


def window_banner(window: QMainWindow, object_name: str, text: str) -> tuple[QLabel, bool]:
    """The banner named ``object_name`` above ``window``'s pages, made with ``text`` if it is not there yet;
    (banner, made now). The pages move into a holder below it, so two kinds of banner stack."""
    existing = window.findChild(QLabel, object_name)
    if existing is not None:
        return existing, False
    banner = QLabel(text, window)
    banner.setObjectName(object_name)
    banner.setWordWrap(True)
    banner.setStyleSheet(BANNER_STYLE)
    holder = QWidget(window)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    central = window.takeCentralWidget()
    if central is not None:
        layout.addWidget(central, 1)
    window.setCentralWidget(holder)
    return banner, True
