"""Shared pieces of the district screens: who may do what, the year/township pickers, number display, messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QSpinBox, QTableView, QWidget

from models.enums import RecordKind
from services.core.context import AppContext
from services.people.accounts import Permission

# Which record screen a drill-down or supervision row opens (MainWindow.open_record names), per source table.
# Tables without a screen of their own (an inspection item, a training) are listed but cannot be opened.
OPENABLE: dict[str, str] = {
    RecordKind.INSPECTION: "inspections", RecordKind.PENALTY_CASE: "cases", RecordKind.MEDIATION_CASE: "mediations",
    RecordKind.CAMPAIGN: "campaigns", RecordKind.COERCIVE_MEASURE: "coercive_measure",
}
ERROR_STYLE = "color: #b00020;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("District", text)


def can_manage(ctx: AppContext) -> bool:
    """Import, close and reopen periods, draw samples, record rectifications: the district role (区级管理员)."""
    return ctx.can(Permission.DISTRICT)


def can_score(ctx: AppContext) -> bool:
    """Score a sampled file and record its problems: the district role, or a legal reviewer lent to the review."""
    return ctx.can(Permission.DISTRICT) or ctx.can(Permission.LEGAL_REVIEW)


def deny(widget: QWidget, allowed: bool) -> None:
    """Disable an action the signed-in role may not take, and say why on hover."""
    widget.setEnabled(allowed)
    if not allowed:
        widget.setToolTip(_tr("当前角色无权办理此事项（需区级管理员）"))


def year_box(parent: QWidget, year: int) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(2000, 2100)
    box.setValue(year)
    box.setSuffix(_tr(" 年"))
    box.setKeyboardTracking(False)  # typing "2025" should not query 2, 20, 202 on the way
    return box


def month_combo(parent: QWidget, *, whole_year: str = "全年") -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(_tr(whole_year), None)
    for m in range(1, 13):
        combo.addItem(_tr("{m}月").format(m=m), m)
    return combo


def fill_townships(combo: QComboBox, names: list[str], *, everyone: str = "全区") -> None:
    """Refill a township filter, keeping the current choice when it is still there."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(_tr(everyone), None)
    for n in names:
        combo.addItem(n, n)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def number_text(value: Any) -> str:
    """A figure as a table shows it: counts with thousands separators, money with fen, rates with one decimal."""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:.1f}%"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def sort_number(value: Any) -> float:
    return float(value) if isinstance(value, int | float | Decimal) else 0.0


def change_short(direction: str, pct: int | None, points: Decimal | None = None) -> str:
    """同比 in a table cell: ↑266% / ↓12% / 持平 / — (no previous figure); a rate's change ↑2.4百分点 (the
    tooltip says it in full, "同比上升2.4个百分点")."""
    if direction == "持平":
        return _tr("持平")
    arrow = "↑" if direction == "上升" else "↓"
    if points is not None and direction != "无对比":
        return f"{arrow}{points}{_tr('百分点')}"
    if pct is None:
        return "—"
    return f"{arrow}{pct}%" if pct else f"{arrow}{_tr('不足1%')}"


def setup_table(view: QTableView, *, stretch_last: bool = True, row_height: int = 24) -> None:
    """The district tables: whole-row selection, no editing, fixed row height (never ResizeToContents on rows)."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    vh = view.verticalHeader()
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vh.setDefaultSectionSize(row_height)
    vh.setVisible(False)
    hh = view.horizontalHeader()
    hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    hh.setStretchLastSection(stretch_last)
    hh.setHighlightSections(False)


def set_widths(view: QTableView, widths: list[int]) -> None:
    for col, w in enumerate(widths):
        view.setColumnWidth(col, w)


def error_label(parent: QWidget) -> QLabel:
    lab = QLabel(parent)
    lab.setStyleSheet(ERROR_STYLE)
    lab.setWordWrap(True)
    lab.hide()
    return lab


def ask_reason(parent: QWidget, title: str, prompt: str, default: str = "") -> str | None:
    """One line of text (a reason, a note); None when cancelled. Tests replace this function."""
    text, ok = QInputDialog.getText(parent, title, prompt, text=default)
    return text.strip() if ok else None
