"""执法监督: what is overdue across the townships today, filtered by kind and township, each row a click from its case."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from services.core.context import AppContext
from services.district.overview import township_names
from services.district.supervision import KINDS, SupervisionRow, supervise
from ui.district import common
from ui.district.item_models import Column, RowTableModel, sorting_proxy, source_row
from ui.operations import TaskRunner, TaskState
from ui.qt_compat import emit


class SupervisionPage(QWidget):
    """Signals: open_requested(record_type, uid) when a row is activated."""

    open_requested = Signal(str, str)

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("districtSupervision")
        self.setWindowTitle(self.tr("执法监督"))
        self.ctx, self.runner = ctx, runner
        self.kind = QComboBox(self)
        self.kind.setObjectName("supervisionKind")
        self.kind.addItem(self.tr("全部类型"), None)
        for key, text in KINDS.items():
            self.kind.addItem(text, key)
        self.township = QComboBox(self)
        self.township.setObjectName("supervisionTownship")
        common.fill_townships(self.township, [], everyone="全部乡镇")
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("类型"), self))
        bar.addWidget(self.kind, 2)
        bar.addWidget(QLabel(self.tr("乡镇"), self))
        bar.addWidget(self.township, 1)
        bar.addWidget(self.refresh_button)
        bar.addStretch(2)
        self.summary = QLabel(self)
        self.summary.setObjectName("supervisionSummary")
        self.summary.setWordWrap(True)
        self.message = common.error_label(self)

        self.model = RowTableModel([
            Column(self.tr("类型"), lambda r: r.label, width=170),
            Column(self.tr("乡镇"), lambda r: r.township, width=80),
            Column(self.tr("编号"), lambda r: r.number or self.tr("（未编号）"), tip=lambda r: r.uid, width=210),
            Column(self.tr("应办日期"), lambda r: r.due_on.isoformat(), width=96),
            Column(self.tr("逾期"), lambda r: self.tr("{n} 日").format(n=r.days_overdue), sort=lambda r: r.days_overdue,
                   right=True, fg=lambda r: "#b00020" if r.days_overdue > 30 else None, width=70),
            Column(self.tr("情况"), lambda r: r.detail, tip=lambda r: r.detail, width=360),
        ], self)
        self.proxy = sorting_proxy(self.model, self)
        self.table = QTableView(self)
        self.table.setObjectName("supervisionTable")
        self.table.setModel(self.proxy)
        common.setup_table(self.table)
        common.set_widths(self.table, [c.width for c in self.model.columns])
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # worst first
        self.count = QLabel(self)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.township.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.table.doubleClicked.connect(self._on_activated)
        self.table.activated.connect(self._on_activated)

    def refresh(self) -> None:
        kind, township = self.kind.currentData(), self.township.currentData()

        def work(_state: TaskState) -> tuple[list[str], list[SupervisionRow]]:
            names = township_names(self.ctx.reader())
            return names, supervise(self.ctx.reader(), township=township, kinds=(kind,) if kind else None)

        self.runner.run(work, on_done=self._show, parent=self, title=self.tr("正在检查各乡镇的期限…"),
                        report=self._fail)

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show(self, result: Any) -> None:
        names, rows = result
        self.message.hide()
        self.township.blockSignals(True)
        common.fill_townships(self.township, names, everyone="全部乡镇")
        self.township.blockSignals(False)
        self.model.set_rows(rows)
        by_kind = Counter(r.kind for r in rows)
        parts = [f"{KINDS[k]} {by_kind[k]} 项" for k in KINDS if by_kind.get(k)]
        self.summary.setText(self.tr("截至 {d}：{p}").format(d=self.ctx.clock.today().isoformat(),
                                                            p="；".join(parts) or self.tr("没有逾期事项")))
        self.count.setText(self.tr("共 {n} 项（双击打开案件，只读）").format(n=len(rows)))
        if not names:  # "没有逾期事项" would read as all in order when nothing has been imported to check
            self.summary.setText(self.tr("尚无任何乡镇的数据：到“数据导入”页导入各乡镇报送的同步包后，在此列出超期未决定、"
                                         "罚款逾期未缴等逾期事项。"))

    def rows(self) -> list[SupervisionRow]:
        return list(self.model.rows)

    def _on_activated(self, index: QModelIndex) -> None:
        row = source_row(index)
        if isinstance(row, SupervisionRow):
            kind = common.OPENABLE.get(row.table)
            if kind is None:
                self.message.setText(self.tr("该记录没有详情页"))
                self.message.show()
                return
            emit(self.open_requested, kind, row.uid)

    def select(self, *, kind: str | None = None, township: str | None = None) -> None:
        """Set both filters and reload once (tests, and links from other screens)."""
        for combo, value in ((self.kind, kind), (self.township, township)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.refresh()
