"""A read-only table model over a SQL-paged list: only the visible pages are ever loaded."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from services.read.queries import ColumnSpec, ListQuery, Marked, Page

PAGE = 200
MAX_PAGES = 64  # cache ~13k rows; older pages are dropped (docs/performance.md §4: 80 MB for a 1M-row paged model)
# A Marked cell's tone (an officer's certificate: 已过期 red, 30 天内到期 amber; 已停用 grey).
TONES = {"alert": "#b00020", "warning": "#b26a00", "muted": "#80868b"}
UID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Fetcher = Callable[[ListQuery], Page]
Index = QModelIndex | QPersistentModelIndex


def display(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class PagedTableModel(QAbstractTableModel):
    """Rows are fetched by page from ``fetcher`` (a service call) as the view asks for them.

    Sorting and filtering are part of the query, so ``sort()`` re-queries instead of sorting in Python.
    """

    def __init__(self, columns: Sequence[ColumnSpec], fetcher: Fetcher, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._fetcher = fetcher
        self._query = ListQuery(limit=PAGE)
        self._total = 0
        self._loaded = False  # no query run yet: nothing shown that could be out of date
        self._pages: OrderedDict[int, tuple[tuple[Any, ...], ...]] = OrderedDict()

    # -- query --------------------------------------------------------------------------------------

    @property
    def query(self) -> ListQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    @property
    def loaded(self) -> bool:
        """Whether a query has run (its rows are on show and can go out of date)."""
        return self._loaded

    def set_query(self, query: ListQuery) -> None:
        """Run ``query`` (offset/limit are managed here) and reset the view to its first page."""
        q = replace(query, offset=0, limit=PAGE)
        first = self._fetcher(q)  # raises AppError on bad filters: the caller shows it, the model is unchanged
        self.beginResetModel()
        self._query = q
        self._total = first.total
        self._loaded = True
        self._pages = OrderedDict({0: first.rows})
        self.endResetModel()

    def refresh(self) -> None:
        self.set_query(self._query)

    def _row(self, row: int) -> tuple[Any, ...] | None:
        page = row // PAGE
        rows = self._pages.get(page)
        if rows is None:
            q = replace(self._query, offset=page * PAGE, limit=PAGE)
            rows = self._fetcher(q).rows
            self._pages[page] = rows
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        offset = row - page * PAGE
        return rows[offset] if offset < len(rows) else None

    def uid_at(self, row: int) -> str | None:
        r = self._row(row)
        return str(r[0]) if r else None

    # -- Qt overrides -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._columns[section].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._total):
            return None
        r = self._row(index.row())
        if r is None:
            return None
        col = self._columns[index.column()]
        value = r[index.column() + 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(value, col.kind)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind in ("money", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and isinstance(value, Marked):
            color = TONES.get(value.tone)
            return QBrush(QColor(color)) if color else None
        if role == UID_ROLE:
            return r[0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        q = replace(self._query, sort=self._columns[column].key, descending=order == Qt.SortOrder.DescendingOrder)
        self.set_query(q)
