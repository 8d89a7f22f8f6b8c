"""A list screen: filter bar (text, status, dates, domain, officer; 乡镇 at the district), a SQL-paged table and a
count."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.enums import Procedure
from models.labels import LABELS
from services.core.errors import AppError
from services.read.queries import ColumnSpec, ListInfo, ListQuery, Page, label_procedure
from ui.i18n import data_text
from ui.item_models.paged_model import Fetcher, Index, PagedTableModel
from ui.qt_compat import emit

NO_DATE = QDate(2000, 1, 1)  # QDateEdit's special value: shown as "不限"
# Fixed initial widths (never ResizeToContents on a paged model: it would fetch every page to measure).
_KIND_WIDTHS = {"date": 96, "money": 110, "int": 80, "status": 96}
_WIDTHS = {"number": 200, "cause": 240, "place": 220, "name": 220, "party": 200, "address": 240,
           "provision": 280, "parties": 180, "category": 110, "procedure": 80, "domain": 100, "kind": 110,
           "id_number": 170, "cert": 130, "record": 120, "township": 110,
           # "list.key" where one list's column is narrower than the same key elsewhere
           "officers.name": 90, "gender": 50, "role": 90, "cert_kind": 110, "cert_status": 110, "officers.phone": 120}

# Cell texts the services fill in from labels (status, kind, role, procedure…): only these are translated, so a
# party or place that happens to be spelt like a column header is never changed.
_LABEL_CELLS = frozenset(LABELS.values()) | {label_procedure(p) for p in Procedure}


class LabelledTableModel(PagedTableModel):
    """The paged model with the service-provided labels (headers, status cells) in the interface language."""

    def __init__(self, columns: Sequence[ColumnSpec], fetcher: Fetcher, parent: Any = None) -> None:
        super().__init__([replace(c, label=data_text(c.label)) for c in columns], fetcher, parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if role == Qt.ItemDataRole.DisplayRole and value in _LABEL_CELLS:
            return data_text(value)
        return value


class ListPage(QWidget):
    """Everything comes from ``fetch`` (a service call); the page holds no SQL and no rules.

    Signals:
        open_requested(uid): the user double-clicked or pressed Enter on a row.
        new_requested(): the user pressed 新建.
        query_changed(ListQuery): the filter changed (the window stores it per list).
    """

    open_requested = Signal(str)
    new_requested = Signal()
    query_changed = Signal(object)

    def __init__(self, info: ListInfo, fetch: Callable[[ListQuery], Page], *, domains: list[str] | None = None,
                 officers: list[tuple[str, str]] | None = None, townships: list[tuple[str, str]] | None = None,
                 can_create: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setObjectName(f"list_{info.name}")
        self.setWindowTitle(data_text(info.title))  # the list's name in the interface language
        self.model = LabelledTableModel(info.columns, fetch, self)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("搜索编号、名称、地点…"))
        self.search.setClearButtonEnabled(True)
        # The district's lists hold every township's records: one township at a time ((uid, name) choices).
        self.township = QComboBox(self)
        self.township.setObjectName("townshipFilter")
        self.township.addItem(self.tr("全部乡镇"), None)
        for uid, name in (townships or []) if info.has_township else []:
            self.township.addItem(name, uid)
        self.township.setVisible(info.has_township and bool(townships))
        self.status = QComboBox(self)
        self.status.addItem(self.tr("全部状态"), None)
        for value, text in info.statuses:
            self.status.addItem(data_text(text), value)
        self.status.setVisible(bool(info.statuses))
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        for w in (self.date_from, self.date_to):
            w.setVisible(info.has_dates)
        # A list without that filter keeps its combo hidden and empty ("全部" only): filling it would cost
        # a few milliseconds per page at start-up for nothing (bench/bench_startup.py).
        self.domain = QComboBox(self)
        self.domain.addItem(self.tr("全部领域"), None)
        for d in (domains or []) if info.has_domain else []:
            self.domain.addItem(d, d)
        self.domain.setVisible(info.has_domain and bool(domains))
        self.officer = QComboBox(self)
        self.officer.addItem(self.tr("全部人员"), None)
        for uid, text in (officers or []) if info.has_officer else []:
            self.officer.addItem(text, uid)
        self.officer.setVisible(info.has_officer and bool(officers))
        self.new_button = QPushButton(self.tr("新建(&N)"), self)
        self.new_button.setVisible(can_create)
        self.count_label = QLabel(self)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020;")

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.township, 1)
        bar.addWidget(self.status, 1)
        if info.has_dates:
            bar.addWidget(QLabel(self.tr("日期"), self))
            bar.addWidget(self.date_from)
            bar.addWidget(QLabel("—", self))
            bar.addWidget(self.date_to)
        bar.addWidget(self.domain, 1)
        bar.addWidget(self.officer, 1)
        bar.addWidget(self.new_button)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Fixed row height: ResizeToContents on rows took 31 s at 10k rows (docs/performance.md §4).
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(26)
        vh.setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        hh.setSortIndicatorShown(True)
        hh.setSectionsClickable(True)
        hh.sectionClicked.connect(self._on_header_clicked)
        for col, spec in enumerate(info.columns):
            width = _WIDTHS.get(f"{info.name}.{spec.key}", _WIDTHS.get(spec.key, _KIND_WIDTHS.get(spec.kind, 150)))
            self.table.setColumnWidth(col, width)
        self.model.modelReset.connect(self.fit_columns)
        self.table.doubleClicked.connect(lambda idx: self._open(idx.row()))
        self.table.activated.connect(lambda idx: self._open(idx.row()))

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.error_label.hide()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)  # typing should not fire a query per key press
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.township, self.status, self.domain, self.officer):
            combo.currentIndexChanged.connect(self.apply_filters)
        for w in (self.date_from, self.date_to):
            w.dateChanged.connect(self.apply_filters)
        self.new_button.clicked.connect(self.new_requested)
        self._sort_key = info.default_sort
        self._descending = True

    def _date_edit(self) -> QDateEdit:
        w = QDateEdit(self)
        w.setCalendarPopup(True)
        w.setDisplayFormat("yyyy-MM-dd")
        w.setMinimumDate(NO_DATE)
        w.setSpecialValueText(self.tr("不限"))
        w.setDate(NO_DATE)
        return w

    @staticmethod
    def _date_value(w: QDateEdit) -> date | None:
        d = w.date()
        return None if d == NO_DATE else date(d.year(), d.month(), d.day())

    def current_query(self) -> ListQuery:
        return ListQuery(
            text=self.search.text().strip(), status=self.status.currentData(),
            date_from=self._date_value(self.date_from), date_to=self._date_value(self.date_to),
            domain=self.domain.currentData(), officer_uid=self.officer.currentData(),
            township_uid=self.township.currentData(),
            sort=self._sort_key, descending=self._descending,
        )

    def restore(self, q: ListQuery) -> None:
        """Put a stored filter back into the widgets (without firing a query per widget)."""
        widgets = (self.search, self.township, self.status, self.domain, self.officer, self.date_from, self.date_to)
        for w in widgets:
            w.blockSignals(True)
        self.search.setText(q.text)
        # A value no longer offered (an officer gone, a township filter stored by a district session and restored in
        # a township database) falls back to "全部".
        for combo, value in ((self.township, q.township_uid), (self.status, q.status), (self.domain, q.domain),
                             (self.officer, q.officer_uid)):
            i = combo.findData(value)
            combo.setCurrentIndex(max(i, 0))
        for w, d in ((self.date_from, q.date_from), (self.date_to, q.date_to)):
            w.setDate(QDate(d.year, d.month, d.day) if d else NO_DATE)
        if q.sort in self.info.sortable:
            self._sort_key, self._descending = q.sort, q.descending
        for w in widgets:
            w.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        q = self.current_query()
        try:
            self.model.set_query(q)
        except AppError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            return
        self.error_label.hide()
        self.count_label.setText(self.tr("共 {n} 条").format(n=f"{self.model.total:,}"))
        keys = [c.key for c in self.info.columns]
        if self._sort_key in keys:
            order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
            self.table.horizontalHeader().setSortIndicator(keys.index(self._sort_key), order)
        emit(self.query_changed, q)

    def fit_columns(self) -> None:
        """Columns as wide as their header and the rows on screen need, then narrowed, widest first, until the
        table needs no horizontal scroll (a long 案由 is elided: the whole text is in the record). Only the rows
        already fetched are measured: never ResizeToContents on a paged model."""
        header = self.table.horizontalHeader()
        columns = self.model.columnCount()
        if not columns:
            return
        metrics = self.table.fontMetrics()
        pad = 18
        wanted = []
        for col in range(columns):
            head = metrics.horizontalAdvance(str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")) + 24
            wanted.append(max(head, min(self.table.sizeHintForColumn(col) + pad, 420)))
        room = self.table.viewport().width()
        bar = self.table.verticalScrollBar()
        if not bar.isVisible():  # it appears once the rows arrive: leave it its width now
            room -= bar.sizeHint().width()
        if room > 200:
            while sum(wanted) > room:
                widest = max(range(columns), key=lambda c: wanted[c])
                floor = metrics.horizontalAdvance(str(self.model.headerData(widest, Qt.Orientation.Horizontal)
                                                      or "")) + 24
                if wanted[widest] <= max(floor, 90):
                    break
                wanted[widest] -= min(wanted[widest] - max(floor, 90), sum(wanted) - room, 40) or 1
        header.setStretchLastSection(False)
        for col, width in enumerate(wanted):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_columns()

    def _on_header_clicked(self, section: int) -> None:
        key = self.info.columns[section].key
        if key not in self.info.sortable:
            return  # only indexed/sortable columns sort (in SQL)
        self._descending = not self._descending if key == self._sort_key else True
        self._sort_key = key
        self.apply_filters()

    def _open(self, row: int) -> None:
        uid = self.model.uid_at(row)
        if uid:
            emit(self.open_requested, uid)

    def refresh(self) -> None:
        self.apply_filters()
