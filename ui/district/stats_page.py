"""统计分析: every indicator for the district and per township, with 同比, charts and the records behind a figure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
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
from services.district.stats import DistrictStats, DrillItem, MonthlyStats, district_stats, drill_down, monthly_stats
from services.district.wording import Change
from services.statistics.indicators import DERIVED_KEYS, INDICATOR_KEYS, LABELS, UNITS
from ui.district import common
from ui.district.charts import Bar, BarChart, LineChart, Series
from ui.district.item_models import Column, RowTableModel, source_row
from ui.i18n import data_text
from ui.operations import TaskRunner, TaskState
from ui.qt_compat import emit

DRILL_LIMIT = 5000  # records listed behind one figure; the count says when there are more


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    key: str
    label: str
    unit: str
    current: Any
    previous: Any
    change: Change
    closed: Any | None  # the figure as closed, when the period is closed


@dataclass(frozen=True, slots=True)
class TownshipRow:
    name: str  # "合计" for the total row
    township: str | None  # None for the total: drill-downs and the monthly chart then cover the whole district
    current: Any
    previous: Any
    change: Change
    share: float | None  # percent of the district total


class StatsPage(QWidget):
    """Signals: open_requested(record_type, uid) when a record behind a figure is opened."""

    open_requested = Signal(str, str)

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("districtStats")
        self.setWindowTitle(self.tr("统计分析"))
        self.ctx, self.runner = ctx, runner
        self.stats: DistrictStats | None = None
        self.monthly: dict[tuple[int, str], MonthlyStats] = {}  # (year, township or "") → months, per refresh
        self.drilled: list[DrillItem] = []
        self.key = INDICATOR_KEYS[0]

        self.year = common.year_box(self, ctx.clock.today().year)
        self.month = common.month_combo(self)
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.drill_button = QPushButton(self.tr("查看明细记录"), self)
        self.drill_button.setObjectName("drillButton")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("年度"), self))
        bar.addWidget(self.year)
        bar.addWidget(QLabel(self.tr("期间"), self))
        bar.addWidget(self.month)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.drill_button)
        self.notice = QLabel(self)
        self.notice.setObjectName("statsNotice")
        self.notice.setWordWrap(True)
        self.message = common.error_label(self)

        self.indicator_model = RowTableModel(self._indicator_columns(), self)
        self.indicators = QTableView(self)
        self.indicators.setObjectName("indicatorTable")
        self.indicators.setModel(self.indicator_model)
        common.setup_table(self.indicators, stretch_last=False)
        common.set_widths(self.indicators, [c.width for c in self.indicator_model.columns])
        self.indicators.setMinimumWidth(360)
        self.town_model = RowTableModel(self._town_columns(), self)
        self.towns = QTableView(self)
        self.towns.setObjectName("townshipTable")
        self.towns.setModel(self.town_model)
        common.setup_table(self.towns)
        common.set_widths(self.towns, [c.width for c in self.town_model.columns])

        self.bars = BarChart(self)
        self.line = LineChart(self)
        self.drill_model = RowTableModel(self._drill_columns(), self)
        self.drill = QTableView(self)
        self.drill.setObjectName("drillTable")
        self.drill.setModel(self.drill_model)
        common.setup_table(self.drill)
        common.set_widths(self.drill, [c.width for c in self.drill_model.columns])
        self.drill_label = QLabel(self)
        self.drill_label.setWordWrap(True)
        drill_box = QWidget(self)
        dv = QVBoxLayout(drill_box)
        dv.setContentsMargins(0, 0, 0, 0)
        dv.addWidget(self.drill_label)
        dv.addWidget(self.drill, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.bars, self.tr("分乡镇柱状图"))
        self.tabs.addTab(self.line, self.tr("逐月走势"))
        self.tabs.addTab(drill_box, self.tr("明细记录"))

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.towns)
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.indicators)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([470, 720])  # the indicator table whole (without the 关账数 column), the rest for charts
        self.split = split
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.month.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.indicators.selectionModel().currentRowChanged.connect(self._on_indicator_changed)
        self.towns.selectionModel().currentRowChanged.connect(self._on_town_changed)
        self.towns.doubleClicked.connect(lambda _i: self.drill_selected())
        self.indicators.doubleClicked.connect(lambda _i: self.drill_selected(whole_district=True))
        self.drill_button.clicked.connect(lambda: self.drill_selected())
        self.drill.doubleClicked.connect(self._on_drill_activated)
        self.drill.activated.connect(self._on_drill_activated)
        self.bars.bar_clicked.connect(self.select_township)

    # -- columns -------------------------------------------------------------------------------------

    def _change_col(self) -> Column:
        # Arrows only, no red/green: whether more hearings or transfers is good news is not the table's to say.
        # A rate's change is in 百分点 (services.district.wording.change), never a percentage of a percentage.
        return Column(self.tr("同比"), lambda r: common.change_short(r.change.direction, r.change.pct, r.change.points),
                      sort=lambda r: float(r.change.points if r.change.points is not None else r.change.pct or 0),
                      right=True, tip=lambda r: r.change.text, width=92)

    def _indicator_columns(self) -> list[Column]:
        return [
            Column(self.tr("指标"), lambda r: f"{r.label}（{r.unit}）", width=168),
            Column(self.tr("本期"), lambda r: common.number_text(r.current), right=True, width=96),
            Column(self.tr("上年同期"), lambda r: common.number_text(r.previous), right=True, width=96),
            self._change_col(),
            Column(self.tr("关账数"), lambda r: common.number_text(r.closed) if r.closed is not None else "",
                   right=True, tip=lambda _r: self.tr("关账时锁定的数；与本期之差为关账后补报"), width=92),
        ]

    def _town_columns(self) -> list[Column]:
        bold_total = lambda r: "#0d47a1" if r.township is None else None  # noqa: E731
        return [
            Column(self.tr("乡镇"), lambda r: r.name, fg=bold_total, width=110),
            Column(self.tr("本期"), lambda r: common.number_text(r.current), right=True, fg=bold_total, width=100),
            Column(self.tr("上年同期"), lambda r: common.number_text(r.previous), right=True, width=100),
            self._change_col(),
            Column(self.tr("占全区"), lambda r: f"{r.share:.1f}%" if r.share is not None else "—", right=True,
                   width=70),
        ]

    def _drill_columns(self) -> list[Column]:
        return [
            Column(self.tr("乡镇"), lambda d: d.township, width=80),
            Column(self.tr("类型"), lambda d: data_text(record_label(d.table)), width=80),
            Column(self.tr("编号 / 名称"), lambda d: d.number or self.tr("（无编号）"), width=220),
            Column(self.tr("日期"), lambda d: d.on, width=96),
            Column(self.tr("计数"), lambda d: d.value, right=True, width=80),
        ]

    # -- loading -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        year, month = self.year.value(), self.month.currentData()

        def work(_state: TaskState) -> tuple[DistrictStats, MonthlyStats]:
            # The district's months come along: the line chart shows them first, without a second wait.
            return district_stats(self.ctx.reader(), year, None, month), monthly_stats(self.ctx.reader(), year)

        self.runner.run(work, on_done=self._show, parent=self, title=self.tr("正在汇总全区指标…"), report=self._fail)

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show(self, result: Any) -> None:
        ds, months = result
        self.message.hide()
        self.stats = ds
        self.monthly = {(months.year, ""): months}
        closed = ds.closed
        rows = [IndicatorRow(k, LABELS[k], UNITS[k], ds.total[k], ds.previous_total[k], ds.change(k),
                             closed.total[k] if closed is not None else None) for k in INDICATOR_KEYS]
        self.indicator_model.set_rows(rows)
        self.indicators.setColumnHidden(4, closed is None)
        if closed is not None and self.split.sizes()[0] < 560:
            self.split.setSizes([560, max(self.split.width() - 560, 400)])  # room for the 关账数 column
        label = ds.period.label
        if closed is not None:
            self.notice.setText(self.tr("{p}已于 {at} 关账（{why}）。表中“本期”为实时数，“关账数”为关账时锁定的数，"
                                        "年度报告按关账数填写；关账后补报或更正 {n} 条。").format(
                p=label, at=closed.closed_at[:16].replace("T", " "), why=closed.reason, n=closed.amendments))
        else:
            self.notice.setText(self.tr("{p}：{n} 个乡镇，实时数（尚未关账）。选中左侧指标查看分乡镇情况；双击数字查看背后的记录。").format(
                p=label, n=len(ds.townships)))
            if not ds.townships:
                self.notice.setText(self.tr("{p}：尚无任何乡镇的数据，各项均为 0。请先到“数据导入”页导入各乡镇报送的同步包或 "
                                            "Excel 台账。").format(p=label))
        self.indicators.selectRow(INDICATOR_KEYS.index(self.key))
        self._show_indicator()

    def _on_indicator_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = source_row(current)
        if isinstance(row, IndicatorRow) and row.key != self.key:
            self.key = row.key
            self._show_indicator()

    def select_indicator(self, key: str) -> None:
        self.indicators.selectRow(INDICATOR_KEYS.index(key))

    def township_rows(self) -> list[TownshipRow]:
        return list(self.town_model.rows)

    def _show_indicator(self) -> None:
        ds, key = self.stats, self.key
        if ds is None:
            return
        selected = self._selected_township()
        total = ds.total[key]
        additive = key not in DERIVED_KEYS and total  # a rate has no share of a total
        rows = [TownshipRow(t.township.name, t.township.name, t.figures[key], t.previous[key], t.change(key),
                            float(t.figures[key]) * 100 / float(total) if additive else None) for t in ds.townships]
        rows.append(TownshipRow(self.tr("合计"), None, total, ds.previous_total[key], ds.change(key),
                                100.0 if additive else None))
        self.town_model.set_rows(rows)
        self.bars.set_bars(self.tr("{p}各乡镇{l}").format(p=ds.period.label, l=LABELS[key]), UNITS[key],
                           [Bar(r.name, common.sort_number(r.current), common.number_text(r.current), r.name)
                            for r in rows if r.township is not None])
        index = next((i for i, r in enumerate(rows) if r.township == selected), len(rows) - 1)
        self.towns.selectRow(index)
        self._show_monthly()

    def _selected_township(self) -> str | None:
        row = source_row(self.towns.currentIndex())
        return row.township if isinstance(row, TownshipRow) else None

    def select_township(self, name: str) -> None:
        for i, r in enumerate(self.town_model.rows):
            if r.township == name:
                self.towns.selectRow(i)
                return

    def _on_town_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_monthly()

    def _show_monthly(self) -> None:
        township = self._selected_township()
        self.bars.highlight = township or ""
        self.bars.update()
        if self.stats is None:
            return
        year = self.stats.period.year
        monthly = self.monthly.get((year, township or ""))
        if monthly is None:
            try:
                monthly = self.monthly[(year, township or "")] = monthly_stats(self.ctx.reader(), year, township)
            except AppError as exc:
                self._fail(exc.message)
                return
        today = self.ctx.clock.today()
        shown = today.month if year == today.year else 12  # months still to come are not zeros
        cur = [common.sort_number(v) for v in monthly.series(self.key)][:shown]
        prev = [common.sort_number(m[self.key]) for m in monthly.previous]
        self.line.set_series(self.tr("{y}年{l}逐月（{t}）").format(y=year, l=LABELS[self.key], t=township or self.tr("全区")),
                             UNITS[self.key], [self.tr("{m}月").format(m=m) for m in range(1, 13)],
                             [Series(self.tr("{y}年").format(y=year), tuple(cur), "#1e6fb8"),
                              Series(self.tr("{y}年").format(y=year - 1), tuple(prev), "#9e9e9e", dashed=True)])

    # -- drill-down ----------------------------------------------------------------------------------

    def drill_selected(self, *, whole_district: bool = False) -> list[DrillItem]:
        """List the records behind the selected figure (a township's, or the district's) in the 明细记录 tab."""
        township = None if whole_district else self._selected_township()
        year, month = self.year.value(), self.month.currentData()
        where = township or self.tr("全区")
        if self.key == "certified_officers":  # a head count at the year's end, not records dated in the period
            self.drill_label.setText(self.tr("持证执法人员是各乡镇在册且执法证有效的人数：请在“执法人员”列表中查看"))
            self.drill_model.set_rows([])
            self.tabs.setCurrentIndex(2)
            return []
        try:
            items = drill_down(self.ctx.reader(), self.key, year, township, month, limit=DRILL_LIMIT + 1)
        except AppError as exc:
            self.drill_label.setText(exc.message)
            self.drill_model.set_rows([])
            self.tabs.setCurrentIndex(2)
            return []
        more = len(items) > DRILL_LIMIT
        self.drilled = items[:DRILL_LIMIT]
        self.drill_model.set_rows(self.drilled)
        period = self.stats.period.label if self.stats is not None else f"{year}年"
        text = self.tr("{w} {p}“{l}”背后的记录：{n} 条").format(w=where, p=period, l=LABELS[self.key],
                                                            n=len(self.drilled)) + (self.tr("（仅列出前 {m} 条）").format(
                                                                m=DRILL_LIMIT) if more else "")
        self.drill_label.setText(text + self.tr("。双击一条打开（只读）。"))
        self.tabs.setCurrentIndex(2)
        return self.drilled

    def _on_drill_activated(self, index: QModelIndex) -> None:
        item = source_row(index)
        if not isinstance(item, DrillItem):
            return
        kind = common.OPENABLE.get(item.table)
        if kind is None:
            self.drill_label.setText(self.tr("{t}没有单独的详情页：请打开其所属的检查记录或案件").format(
                t=data_text(record_label(item.table))))
            return
        emit(self.open_requested, kind, item.uid)
