"""Read-only table models of the district screens: a thin QAbstractTableModel over service rows (docs/architecture.md §6).

Each screen declares its columns once (label, display text, raw sort value, colours) and hands over the DTOs a
service returned; the model never queries. District tables are small (townships, one review, one figure's
records), so sorting happens in a ``QSortFilterProxyModel`` on ``SORT_ROLE`` — raw numbers and ISO dates, never
the display text (anti-pattern 11).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the DTO behind a row (any column)
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    """One column: how a row shows in it, what it sorts by, and optional tooltip / colours (``#rrggbb``)."""

    label: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None  # raw value (int, float, str); None: the display text
    right: bool = False  # numbers are right-aligned
    tip: Callable[[Any], str] | None = None
    fg: Callable[[Any], str | None] | None = None
    bg: Callable[[Any], str | None] | None = None
    width: int = 100


class RowTableModel(QAbstractTableModel):
    """Rows are DTOs, columns are ``Column`` specs; ``set_rows`` resets the model (B9: reloads reset)."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []

    @property
    def columns(self) -> list[Column]:
        return self._columns

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Change the columns (a grid of another year, a figure of another kind): a reset, like new rows."""
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def row_at(self, row: int) -> Any | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- Qt overrides -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._columns[section].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (
                0 <= index.column() < len(self._columns)):
            return None
        row, col = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == SORT_ROLE:
            return col.sort(row) if col.sort is not None else col.text(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and col.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col.tip is not None:
            return col.tip(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and col.fg is not None:
            colour = col.fg(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.BackgroundRole and col.bg is not None:
            colour = col.bg(row)
            return QBrush(QColor(colour)) if colour else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def sorting_proxy(model: RowTableModel, parent: Any = None) -> QSortFilterProxyModel:
    """A proxy that sorts on the raw values of ``SORT_ROLE`` (views call ``mapToSource`` before ``row_at``)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


def source_row(view_index: QModelIndex) -> Any | None:
    """The DTO behind an index of a view, whether the view shows the model itself or a proxy of it."""
    return view_index.data(ROW_ROLE) if view_index.isValid() else None
