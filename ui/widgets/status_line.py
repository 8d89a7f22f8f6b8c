"""Small building blocks of the settings screens: a read-only table and a one-line status message."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QWidget

ERROR_COLOR = "#c62828"
OK_COLOR = "#2e7d32"


def make_table(parent: QWidget, headers: list[str], *, name: str = "", widths: Sequence[int] = (),
               on_select: Callable[[], None] | None = None) -> QTableWidget:
    """A read-only, row-selecting table with a fixed row height (never ResizeToContents on rows); ``name`` its
    object name, ``widths`` its first columns' widths, ``on_select`` called when the selection changes."""
    t = QTableWidget(0, len(headers), parent)
    if name:
        t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.setWordWrap(False)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    t.verticalHeader().setDefaultSectionSize(26)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for col, width in enumerate(widths):
        t.setColumnWidth(col, width)
    if on_select is not None:
        t.itemSelectionChanged.connect(on_select)
    return t


class StatusLine(QLabel):
    """One line under a tab saying what just happened (green) or why it was refused (red)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def ok(self, text: str) -> None:
        self.setStyleSheet(f"color: {OK_COLOR};")
        self.setText(text)

    def fail(self, text: str) -> None:
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        self.setText(text)
