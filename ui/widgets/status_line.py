"""Small building blocks of the settings screens: a read-only table and a one-line status message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QWidget

ERROR_COLOR = "#c62828"
OK_COLOR = "#2e7d32"


def make_table(parent: QWidget, headers: list[str]) -> QTableWidget:
    """A read-only, row-selecting table with a fixed row height (never ResizeToContents on rows)."""
    t = QTableWidget(0, len(headers), parent)
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
