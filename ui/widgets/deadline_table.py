"""A small read-only table of a record's deadlines with days left (overdue in red; a lapsed optional window in grey)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

RED, GREEN, GREY = QColor("#b00020"), QColor("#2e7d32"), QColor("#777777")


class DeadlineTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels([self.tr("期限"), self.tr("到期日"), self.tr("状态"), self.tr("依据")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def set_deadlines(self, deadlines: Any, today: date) -> None:
        """``deadlines``: objects with label, due_on, provisional, met_on, basis and optionally ``lapses`` (services
        DTOs: a window a party may use, shown as lapsed rather than overdue once past)."""
        rows = list(deadlines)
        self.setRowCount(len(rows))
        for r, d in enumerate(rows):
            if d.met_on is not None:
                state, color = self.tr("已完成 {d}").format(d=d.met_on.isoformat()), GREEN
            elif d.lapses and d.due_on < today:
                # a window the parties did not use: it lapsed, nothing is overdue (no red)
                state, color = self.tr("已届满（未使用）"), GREY
            else:
                left = (d.due_on - today).days
                if left < 0:
                    state, color = self.tr("已逾期 {n} 天").format(n=-left), RED
                elif left == 0:
                    state, color = self.tr("今天到期"), RED
                else:
                    state, color = self.tr("剩余 {n} 天").format(n=left), QColor("#000000")
            due = d.due_on.isoformat() + (self.tr("（暂定）") if d.provisional else "")
            for c, text in enumerate((d.label, due, state, d.basis)):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setForeground(QBrush(color))
                if c == 1 and d.provisional:
                    item.setToolTip(self.tr("该年度节假日安排尚未公布，按周一至周五暂定计算，公布后自动重算"))
                    item.setForeground(QBrush(GREY))
                self.setItem(r, c, item)
