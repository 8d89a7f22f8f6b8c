"""汇总情况: the completeness grid (townships × months), each township's devices and gaps, period close and amendments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.labels import record_label
from services.core.context import AppContext
from services.core.errors import AppError
from services.district.closing import (
    AmendmentInfo,
    CloseInfo,
    close_period,
    list_amendments,
    list_closes,
    reopen_period,
    set_amendment_reason,
)
from services.district.completeness import CompletenessGrid, DeviceLine, GridRow, completeness_grid
from ui.data_events import DataEvents
from ui.district import common
from ui.district.item_models import Column, RowTableModel, source_row
from ui.i18n import data_text
from ui.operations import TaskRunner, TaskState

HAS_DATA, ONLY_BUNDLES, NOTHING, FUTURE = "#e6f4ea", "#fff4d6", "#fde7e9", "#f3f3f3"


def _when(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d}" if at else "—"


class GridPage(QWidget):
    """A period closed or reopened is told to ``data_events`` (the statistics show the closed figures)."""

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, data_events: DataEvents,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("districtGrid")
        self.setWindowTitle(self.tr("汇总情况"))
        self.ctx, self.runner, self.data_events = ctx, runner, data_events
        self.grid: CompletenessGrid | None = None
        today = ctx.clock.today()

        self.year = common.year_box(self, today.year)
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.period = common.month_combo(self)
        self.period.setCurrentIndex(max(today.month - 1, 0))  # last month: the one usually closed next
        self.close_button = QPushButton(self.tr("关账…"), self)
        self.close_button.setObjectName("closeButton")
        self.reopen_button = QPushButton(self.tr("重新打开…"), self)
        self.reopen_button.setObjectName("reopenButton")
        for b in (self.close_button, self.reopen_button):
            common.deny(b, common.can_manage(ctx))
        legend = QLabel(self.tr(
            "<span style='background:{a}'>&nbsp;有数据&nbsp;</span> <span style='background:{b}'>&nbsp;仅收到同步包"
            "&nbsp;</span> <span style='background:{c}'>&nbsp;无数据&nbsp;</span>　格内：记录条数 · 当月收到的同步包").format(
            a=HAS_DATA, b=ONLY_BUNDLES, c=NOTHING), self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("年度"), self))
        bar.addWidget(self.year)
        bar.addWidget(self.refresh_button)
        bar.addSpacing(12)
        bar.addWidget(legend, 1)
        bar.addWidget(QLabel(self.tr("期间"), self))
        bar.addWidget(self.period)
        bar.addWidget(self.close_button)
        bar.addWidget(self.reopen_button)

        self.summary = QLabel(self)
        self.summary.setObjectName("gridSummary")
        self.summary.setWordWrap(True)
        self.message = common.error_label(self)

        self.model = RowTableModel([], self)
        self.table = QTableView(self)
        self.table.setObjectName("gridTable")
        self.table.setModel(self.model)
        common.setup_table(self.table, row_height=26)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)

        self.devices_model = RowTableModel(self._device_columns(), self)
        self.devices = self._small_table(self.devices_model, "devicesTable")
        self.closes_model = RowTableModel(self._close_columns(), self)
        self.closes = self._small_table(self.closes_model, "closesTable")
        self.amend_model = RowTableModel(self._amendment_columns(), self)
        self.amendments = self._small_table(self.amend_model, "amendmentsTable")
        self.reason_button = QPushButton(self.tr("填写补报原因…"), self)
        common.deny(self.reason_button, common.can_manage(ctx))
        amend = QWidget(self)
        av = QVBoxLayout(amend)
        av.setContentsMargins(0, 0, 0, 0)
        av.addWidget(self.amendments, 1)
        ab = QHBoxLayout()
        self.amend_label = QLabel(amend)
        ab.addWidget(self.amend_label, 1)
        ab.addWidget(self.reason_button)
        av.addLayout(ab)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.devices, self.tr("设备与同步包"))
        self.tabs.addTab(self.closes, self.tr("关账记录"))
        self.tabs.addTab(amend, self.tr("关账后补报"))

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.period.currentIndexChanged.connect(lambda _i: self._load_amendments())
        self.close_button.clicked.connect(self._on_close_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.reason_button.clicked.connect(self._on_reason_clicked)

    def _small_table(self, model: RowTableModel, name: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        common.setup_table(view)
        common.set_widths(view, [c.width for c in model.columns])
        return view

    # -- columns -------------------------------------------------------------------------------------

    def _grid_columns(self, grid: CompletenessGrid) -> list[Column]:
        today = self.ctx.clock.today()

        def future(m: int) -> bool:
            return (grid.year, m) > (today.year, today.month)

        def cell(m: int) -> Column:
            def text(r: GridRow) -> str:
                c = r.cells[m - 1]
                if future(m) and not c.records and not c.bundles:
                    return ""
                return f"{c.records}" + (f" · {c.bundles}包" if c.bundles else "")

            def tip(r: GridRow) -> str:
                c = r.cells[m - 1]
                return self.tr("{t} {m}月：记录 {n} 条（检查、立案、调解申请），当月收到同步包 {b} 个{closed}").format(
                    t=r.township, m=m, n=c.records, b=c.bundles, closed=self.tr("；已关账") if c.closed else "")

            def bg(r: GridRow) -> str:
                c = r.cells[m - 1]
                if c.records:
                    return HAS_DATA
                if c.bundles:
                    return ONLY_BUNDLES
                return FUTURE if future(m) else NOTHING

            closed = grid.year_closed or m in grid.closed_months
            label = self.tr("{m}月").format(m=m) + (self.tr("\n已关账") if closed else "\n")
            return Column(label, text, sort=lambda r: r.cells[m - 1].records, right=True, tip=tip, bg=bg, width=64)

        def received(r: GridRow) -> Any:
            return max((d.last_imported_at for d in r.devices if d.last_imported_at), default=None)

        def receipt(r: GridRow) -> str:
            done = [d for d in r.devices if d.last_receipt_seq]
            if not done:
                return self.tr("未发回执") if r.devices else "—"
            return "、".join(self.tr("第{n}号").format(n=d.last_receipt_seq) for d in done)

        return [
            Column(self.tr("乡镇"), lambda r: r.township, tip=lambda r: "；".join(r.gaps), width=84),
            *(cell(m) for m in range(1, 13)),
            Column(self.tr("最近收到"), lambda r: _when(received(r)), sort=lambda r: _when(received(r)), width=88),
            Column(self.tr("回执"), receipt, width=70),
            Column(self.tr("缺号 / 说明"), lambda r: "；".join(r.gaps) or "—", tip=lambda r: "；".join(r.gaps),
                   fg=lambda r: "#b00020" if r.gaps else None, width=160),
        ]

    def _gaps(self, gaps: tuple[tuple[int, int], ...]) -> str:
        """Sequence numbers never received, as ranges: 第3–7号、第9号."""
        return "、".join(self.tr("第{n}号").format(n=a) if a == b else self.tr("第{a}–{b}号").format(a=a, b=b)
                        for a, b in gaps)

    def _device_columns(self) -> list[Column]:
        return [
            Column(self.tr("设备"), lambda d: d.code, width=70),
            Column(self.tr("同步包"), lambda d: str(d.bundles), right=True, width=60),
            Column(self.tr("最新序号"), lambda d: self.tr("第{n}号").format(n=d.last_seq), width=80),
            Column(self.tr("缺号"), lambda d: self._gaps(d.missing) or "—",
                   fg=lambda d: "#b00020" if d.missing else None, width=120),
            Column(self.tr("最近导入"), lambda d: f"{d.last_imported_at:%Y-%m-%d %H:%M}" if d.last_imported_at else "—",
                   width=130),
            Column(self.tr("回执"), lambda d: (self.tr("第{n}号（{at}）").format(n=d.last_receipt_seq,
                                                                              at=_when(d.last_receipt_at))
                                             if d.last_receipt_seq else self.tr("未发回执")), width=160),
            Column(self.tr("审计链"), lambda d: "；".join(d.history) or self.tr("接续"), tip=lambda d: "\n".join(d.history),
                   fg=lambda d: "#b00020" if d.history else None, width=200),
        ]

    def _close_columns(self) -> list[Column]:
        return [
            Column(self.tr("期间"), lambda c: c.period, sort=lambda c: (c.year * 100 + (c.month or 0)), width=100),
            Column(self.tr("状态"), lambda c: self.tr("已关账") if c.status == "closed" else self.tr("已重新打开"),
                   fg=lambda c: "#1565c0" if c.status == "closed" else "#757575", width=80),
            Column(self.tr("关账时间"), lambda c: f"{c.closed_at:%Y-%m-%d %H:%M}", width=130),
            Column(self.tr("关账人"), lambda c: c.closed_by, width=80),
            Column(self.tr("补报"), lambda c: str(c.amendments), right=True, width=50),
            Column(self.tr("原因"), lambda c: c.reason, width=200),
        ]

    def _amendment_columns(self) -> list[Column]:
        return [
            Column(self.tr("乡镇"), lambda a: a.township, width=80),
            Column(self.tr("数据"), lambda a: data_text(record_label(a.table)), width=80),
            Column(self.tr("记录日期"), lambda a: a.record_date, width=90),
            Column(self.tr("类型"), lambda a: self.tr("关账后补报") if a.kind == "late" else self.tr("关账后更正"),
                   width=90),
            Column(self.tr("发现时间"), lambda a: f"{a.detected_at:%Y-%m-%d %H:%M}", width=130),
            Column(self.tr("原因"), lambda a: a.reason, width=200),
        ]

    # -- loading -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        year = self.year.value()

        def work(_state: TaskState) -> tuple[CompletenessGrid, list[CloseInfo]]:
            return completeness_grid(self.ctx.reader(), year), list_closes(self.ctx.reader(), year)

        self.runner.run(work, on_done=self._show, parent=self, title=self.tr("正在汇总各乡镇报送情况…"),
                        report=self._fail)

    def _fail(self, text: str) -> None:
        self.message.setStyleSheet(common.ERROR_STYLE)
        self.message.setText(text)
        self.message.show()

    def _show(self, result: Any) -> None:
        grid, closes = result
        self.message.hide()
        self.grid = grid
        current = self._current_row()
        self.model.set_columns(self._grid_columns(grid))
        self.model.set_rows(grid.rows)
        common.set_widths(self.table, [c.width for c in self.model.columns])
        self.closes_model.set_rows(closes)
        gaps = [r for r in grid.rows if r.gaps]
        closed = self.tr("全年已关账") if grid.year_closed else (
            self.tr("已关账：{m}").format(m="、".join(self.tr("{m}月").format(m=m) for m in grid.closed_months))
            if grid.closed_months else self.tr("尚无关账月份"))
        self.summary.setText(self.tr("{y}年：共 {n} 个乡镇；{g} 个乡镇有缺号或尚未报送；{c}。选中乡镇可在下方查看其设备与同步包。").format(
            y=grid.year, n=len(grid.rows), g=len(gaps), c=closed))
        if not grid.rows:  # a new district's first screen: an empty table must say how it fills
            self.summary.setText(self.tr("{y}年：尚无任何乡镇的数据。请到“数据导入”页，选择各乡镇报送的同步包所在的文件夹导入；"
                                         "尚未使用本软件的乡镇可导入 Excel 台账。").format(y=grid.year))
        row = next((i for i, r in enumerate(grid.rows) if current and r.township_uid == current.township_uid), 0)
        if grid.rows:
            self.table.selectRow(row)
        else:
            self.devices_model.set_rows([])
        self._load_amendments()

    def _current_row(self) -> GridRow | None:
        row = source_row(self.table.currentIndex())
        return row if isinstance(row, GridRow) else None

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = source_row(current)
        self.devices_model.set_rows(list(row.devices) if isinstance(row, GridRow) else [])

    def _load_amendments(self) -> None:
        year, month = self.year.value(), self.period.currentData()
        try:
            items = list_amendments(self.ctx.reader(), year, month)
        except AppError as exc:
            self._fail(exc.message)
            return
        self.amend_model.set_rows(items)
        label = self.tr("{y}年{m}").format(y=year, m=self.period.currentText() if month else self.tr("全年"))
        self.amend_label.setText(self.tr("{p}关账后补报或更正的记录：{n} 条").format(p=label, n=len(items)))

    def devices_shown(self) -> list[DeviceLine]:
        return list(self.devices_model.rows)

    # -- close / reopen ------------------------------------------------------------------------------

    def ask_reason(self, title: str, prompt: str, default: str = "") -> str | None:
        return common.ask_reason(self, title, prompt, default)

    def _period_label(self) -> str:
        month = self.period.currentData()
        return self.tr("{y}年{m}月").format(y=self.year.value(), m=month) if month else self.tr("{y}年全年").format(
            y=self.year.value())

    def _on_close_clicked(self) -> None:
        label = self._period_label()
        reason = self.ask_reason(self.tr("关账"), self.tr("关账后{p}的数据锁定，迟到的记录将列为补报。请写明关账原因：").format(
            p=label), self.tr("{p}报表已报送").format(p=label))
        if reason is not None:
            self.close_selected(reason)

    def _on_reopen_clicked(self) -> None:
        reason = self.ask_reason(self.tr("重新打开"), self.tr("重新打开{p}，请写明原因（将记入审计日志）：").format(
            p=self._period_label()))
        if reason is not None:
            self.reopen_selected(reason)

    def close_selected(self, reason: str) -> None:
        self._period_action(close_period, reason, self.tr("{p}已关账：数据已锁定，此后到达的记录列为补报"),
                            self.tr("正在关账（锁定各乡镇的数据）…"))

    def reopen_selected(self, reason: str) -> None:
        self._period_action(reopen_period, reason, self.tr("{p}已重新打开"), self.tr("正在重新打开…"))

    def _period_action(self, fn: Any, reason: str, done_text: str, title: str) -> None:
        """Close or reopen the chosen period in the background (a close snapshots every township's figures)."""
        if not common.can_manage(self.ctx):
            return
        year, month = self.year.value(), self.period.currentData()

        def work(_state: TaskState) -> CloseInfo:
            return fn(self.ctx.uow(), year, month, reason)

        def done(info: Any) -> None:
            assert isinstance(info, CloseInfo)
            self.refresh()
            self.message.setText(done_text.format(p=info.period))
            self.message.setStyleSheet("color: #1b5e20;")
            self.message.show()
            self.data_events.notify("figures")

        self.runner.run(work, on_done=done, parent=self, title=title, report=self._fail)

    def _on_reason_clicked(self) -> None:
        row = source_row(self.amendments.currentIndex())
        if not isinstance(row, AmendmentInfo):
            self.amend_label.setText(self.tr("请先在表中选中一条补报记录"))
            return
        reason = self.ask_reason(self.tr("补报原因"), self.tr("该记录关账后才报送或更正的原因："), row.reason)
        if reason is None:
            return
        try:
            set_amendment_reason(self.ctx.uow(), row.uid, reason)
        except AppError as exc:
            self.amend_label.setText(exc.message)
            return
        self._load_amendments()
