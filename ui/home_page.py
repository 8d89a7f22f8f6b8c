"""工作台: today's work — deadlines due or overdue across all records — this month's/year's counts, and, until they
are done, a new squad's first steps."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.read.home import PAGE_SIZE, FirstSteps, HomeCounts, HomeReader, HomeSnapshot, WorkItem, WorkPage
from ui.i18n import data_text
from ui.qt_compat import emit


class FirstStepsBox(QGroupBox):
    """What a new squad does first, in order, each with the button that opens its screen and a tick when done.

    Signals: requested(page key) — "officers", "accounts" or "committees"."""

    requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("开始使用：请先完成以下三步"), parent)
        self.setObjectName("firstSteps")
        self.marks: dict[str, QLabel] = {}
        self.texts: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        self._why: dict[str, str] = {}
        grid = QGridLayout(self)
        grid.setColumnStretch(2, 1)
        steps = (("officers", self.tr("登记执法人员"), self.tr("至少两名：检查和办案须由两名以上持证人员进行"
                                                             "（《行政处罚法》第四十二条）")),
                 ("accounts", self.tr("开设账户"), self.tr("为每名队员开设登录账户，各自以本人名义办理")),
                 ("committees", self.tr("建立调解委员会"), self.tr("登记人民调解委员会和调解员，才能受理纠纷调解")))
        for row, (key, title, why) in enumerate(steps):
            mark = QLabel(self)
            mark.setObjectName(f"step_{key}_mark")
            text = QLabel(self)
            text.setObjectName(f"step_{key}_text")
            text.setWordWrap(True)
            button = QPushButton(title, self)
            button.setObjectName(f"step_{key}")
            button.clicked.connect(lambda _=False, k=key: emit(self.requested, k))
            grid.addWidget(mark, row, 0)
            grid.addWidget(button, row, 1)
            grid.addWidget(text, row, 2)
            self.marks[key], self.texts[key], self.buttons[key] = mark, text, button
            self._why[key] = why

    def show_progress(self, steps: FirstSteps) -> None:
        """Tick what is done; the box is shown until every step is."""
        done = {"officers": steps.officers_done, "accounts": steps.accounts_done,
                "committees": steps.committees_done}
        counts = {"officers": self.tr("已登记 {n} 名").format(n=steps.officers),
                  "accounts": self.tr("已开设 {n} 个").format(n=steps.accounts),
                  "committees": self.tr("已建立 {n} 个").format(n=steps.committees)}
        for number, key in enumerate(("officers", "accounts", "committees"), start=1):
            self.marks[key].setText("<span style='color:#2e7d32;font-size:16px'>✔</span>" if done[key] else
                                    f"<span style='color:#1565c0;font-size:16px'><b>{number}</b></span>")
            self.texts[key].setText(f"{self._why[key]}<span style='color:#666'>（{counts[key]}）</span>")
        self.setVisible(not steps.complete)


class HomePage(QWidget):
    """Signals: open_requested(record_type, uid) when a work item is activated; first_step_requested(page key)
    when a first step's button is pressed (the window shows that screen).

    The work items are read a page at a time (``PAGE`` rows, then 显示更多); the title gives the full counts.
    ``reader`` is where they are read (the main window switches it from the database file to the units of work
    once the program has loaded); ``snapshot``, figures read a moment ago, is shown by the first ``refresh``.
    """

    open_requested = Signal(str, str)
    first_step_requested = Signal(str)
    PAGE = PAGE_SIZE

    def __init__(self, reader: HomeReader, parent: QWidget | None = None, *,
                 snapshot: HomeSnapshot | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("home")
        self.reader = reader
        self._first = snapshot
        self.items: list[WorkItem] = []
        self.first_steps = FirstStepsBox(self)
        self.first_steps.hide()  # until the first snapshot says what is left to do
        self.first_steps.requested.connect(self.first_step_requested)
        self.cards = QGroupBox(self.tr("本月 / 本年"), self)
        self.card_grid = QGridLayout(self.cards)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("workItems")
        self.table.setHorizontalHeaderLabels([self.tr("到期日"), self.tr("剩余"), self.tr("事项"), self.tr("记录"),
                                              self.tr("依据")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._open)
        self.title = QLabel(self)
        self.more = QPushButton(self)
        self.more.setObjectName("moreWorkItems")
        self.more.clicked.connect(self.load_more)
        self.more.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.first_steps)
        layout.addWidget(self.cards)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.more)

    def refresh(self) -> None:
        snapshot, self._first = self._first, None
        if snapshot is None:
            snapshot = self.reader.snapshot(self.PAGE)
        self.first_steps.show_progress(snapshot.first_steps)
        self._render_counts(snapshot.counts)
        self.items = []
        self.table.setRowCount(0)
        self._append(snapshot.page)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(2)

    def load_more(self) -> None:
        self._append(self.reader.page(len(self.items), self.PAGE))

    def _append(self, page: WorkPage) -> None:
        self.title.setText(self.tr("今日待办：{n} 项将在两周内到期，其中 {o} 项已逾期（双击打开）").format(
            n=page.total, o=page.overdue))
        first = len(self.items)
        self.items.extend(page.items)
        self.table.setRowCount(len(self.items))
        for r, it in enumerate(page.items, start=first):
            left = self.tr("逾期 {n} 天").format(n=-it.days_left) if it.days_left < 0 else (
                self.tr("今天") if it.days_left == 0 else self.tr("{n} 天").format(n=it.days_left))
            due = it.due_on.isoformat() + (self.tr("（暂定）") if it.provisional else "")
            for c, text in enumerate((due, left, data_text(it.kind_label), it.title, it.basis)):
                cell = QTableWidgetItem(text)
                if it.days_left <= 0 and c == 1:
                    cell.setForeground(QBrush(QColor("#b00020")))
                self.table.setItem(r, c, cell)
        remaining = page.total - len(self.items)
        self.more.setText(self.tr("显示更多（还有 {n} 项）").format(n=remaining))
        self.more.setVisible(page.has_more)

    def _render_counts(self, c: HomeCounts) -> None:
        while self.card_grid.count():
            w = self.card_grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        cards = ((self.tr("检查"), c.inspections_month, c.inspections_year),
                 (self.tr("立案"), c.cases_filed_month, c.cases_filed_year),
                 (self.tr("调解受理"), c.mediations_month, c.mediations_year))
        for col, (name, month, year) in enumerate(cards):
            lab = QLabel(f"<div style='font-size:13px'>{name}</div><div style='font-size:22px'><b>{month}</b>"
                         f"<span style='color:#666;font-size:13px'> / {year}</span></div>", self.cards)
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.card_grid.addWidget(lab, 0, col)
        warn = QLabel(self.tr("<div style='font-size:13px'>逾期 / 七日内到期</div><div style='font-size:22px;"
                              "color:#b00020'><b>{o}</b><span style='color:#666;font-size:13px'> / {s}</span></div>")
                      .format(o=c.overdue, s=c.due_soon), self.cards)
        warn.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card_grid.addWidget(warn, 0, len(cards))

    def _open(self, row: int, _col: int) -> None:
        if 0 <= row < len(self.items):
            it = self.items[row]
            emit(self.open_requested, it.record_type, it.record_uid)
