"""案卷评查: draw a reproducible sample, read the pre-check's defects, score each file on the sheet, track rectification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.enums import SheetPart
from services.core.context import AppContext
from services.core.errors import AppError, NotFound
from services.district.overview import ReviewSummary, list_reviews, township_names
from services.district.review import (
    FileInfo,
    ProblemInfo,
    ReviewFigures,
    ReviewInfo,
    add_problem,
    draw_sample,
    get_review,
    rectify_problem,
    review_figures,
)
from services.district.review_sheet import CONTENT_ITEMS, FORM_ITEMS, VETO_ITEMS, score
from services.read.queries import domains
from ui.data_events import DataEvents
from ui.district import common
from ui.district.item_models import Column, RowTableModel, source_row
from ui.district.review_dialogs import ProblemDialog, ProblemInput, RectifyDialog, RectifyInput
from ui.operations import TaskRunner, TaskState
from ui.qt_compat import emit

GRADE_COLOURS = {"优秀": "#1b5e20", "良好": "#1565c0", "合格": "#6d4c41", "不合格": "#b00020"}


@dataclass(frozen=True, slots=True)
class SheetLine:
    code: str
    title: str
    points: str
    deducted: str
    hit: bool


def sheet_lines(f: FileInfo) -> list[SheetLine]:
    """The scoring sheet of one file: every item, with what this file's problems deduct (capped per item)."""
    sc = score([(p.item, p.deduction) for p in f.problems],
               [p.item for p in f.problems if p.part == SheetPart.VETO.value])
    vetoes = {p.item for p in f.problems if p.part == SheetPart.VETO.value}
    lines = [SheetLine(i.code, i.title, "否决项", "✗" if i.code in vetoes else "", i.code in vetoes)
             for i in VETO_ITEMS]
    lines += [SheetLine(i.code, i.title, str(i.points), f"−{sc.deductions[i.code]}" if sc.deductions.get(i.code) else "",
                        bool(sc.deductions.get(i.code))) for i in (*FORM_ITEMS, *CONTENT_ITEMS)]
    return lines


class ReviewPage(QWidget):
    """Signals: open_requested(record_type, uid) to open a sampled case.

    A draw or a change is told to ``data_events``.
    """

    open_requested = Signal(str, str)

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, data_events: DataEvents,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("districtReview")
        self.setWindowTitle(self.tr("案卷评查"))
        self.ctx, self.runner, self.data_events = ctx, runner, data_events
        self.review: ReviewInfo | None = None
        today = ctx.clock.today()

        draw = QGroupBox(self.tr("随机抽取已结案案卷（同一种子、同一范围，抽取结果相同）"), self)
        self.year = common.year_box(draw, today.year - 1)
        self.size = QSpinBox(draw)
        self.size.setObjectName("sampleSize")
        self.size.setRange(1, 500)
        self.size.setValue(10)
        self.size.setSuffix(self.tr(" 件"))
        self.seed = QSpinBox(draw)
        self.seed.setObjectName("sampleSeed")
        self.seed.setRange(0, 2_147_483_647)
        self.seed.setValue(int(today.strftime("%Y%m%d")))  # a seed the clerk can read out and write down
        self.township = QComboBox(draw)
        common.fill_townships(self.township, [])
        self.domain = QComboBox(draw)
        self.domain.addItem(self.tr("全部领域"), "")
        self.draw_button = QPushButton(self.tr("抽取并自动预检"), draw)
        self.draw_button.setObjectName("drawButton")
        common.deny(self.draw_button, common.can_manage(ctx))
        dl = QHBoxLayout(draw)
        for text, w in ((self.tr("年度"), self.year), (self.tr("数量"), self.size), (self.tr("种子"), self.seed),
                        (self.tr("乡镇"), self.township), (self.tr("领域"), self.domain)):
            dl.addWidget(QLabel(text, draw))
            dl.addWidget(w)
        dl.addWidget(self.draw_button)
        dl.addStretch(1)

        self.reviews = QComboBox(self)
        self.reviews.setObjectName("reviewChoice")
        self.reviews.setMinimumWidth(360)
        self.info = QLabel(self)
        self.info.setObjectName("reviewInfo")
        self.info.setWordWrap(True)
        self.message = common.error_label(self)
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("评查批次"), self))
        pick.addWidget(self.reviews)
        pick.addWidget(self.info, 1)

        self.files_model = RowTableModel(self._file_columns(), self)
        self.files = QTableView(self)
        self.files.setObjectName("reviewFiles")
        self.files.setModel(self.files_model)
        common.setup_table(self.files)
        common.set_widths(self.files, [c.width for c in self.files_model.columns])

        self.problems_model = RowTableModel(self._problem_columns(), self)
        self.problems = QTableView(self)
        self.problems.setObjectName("reviewProblems")
        self.problems.setModel(self.problems_model)
        common.setup_table(self.problems)
        common.set_widths(self.problems, [c.width for c in self.problems_model.columns])
        self.add_button = QPushButton(self.tr("登记问题…"), self)
        self.add_button.setObjectName("addProblemButton")
        common.deny(self.add_button, common.can_score(ctx))
        self.rectify_button = QPushButton(self.tr("登记整改…"), self)
        self.rectify_button.setObjectName("rectifyButton")
        common.deny(self.rectify_button, common.can_manage(ctx))
        self.open_button = QPushButton(self.tr("打开案件（只读）"), self)
        self.file_label = QLabel(self)
        self.file_label.setWordWrap(True)
        self.file_label.setObjectName("fileLabel")
        problems_box = QWidget(self)
        pv = QVBoxLayout(problems_box)
        pv.setContentsMargins(0, 0, 0, 0)
        pv.addWidget(self.problems, 1)
        pb = QHBoxLayout()
        pb.addWidget(self.add_button)
        pb.addWidget(self.rectify_button)
        pb.addStretch(1)
        pb.addWidget(self.open_button)
        pv.addLayout(pb)
        self.sheet_model = RowTableModel([
            Column(self.tr("代码"), lambda s: s.code, width=50),
            Column(self.tr("评分项目"), lambda s: s.title, fg=lambda s: "#b00020" if s.hit else None, width=260),
            Column(self.tr("分值"), lambda s: s.points, right=True, width=60),
            Column(self.tr("扣分"), lambda s: s.deducted, right=True, fg=lambda s: "#b00020" if s.hit else None,
                   width=60),
        ], self)
        self.sheet = QTableView(self)
        self.sheet.setObjectName("reviewSheet")
        self.sheet.setModel(self.sheet_model)
        common.setup_table(self.sheet, row_height=22)
        common.set_widths(self.sheet, [50, 260, 60, 60])
        self.sheet.setToolTip(self.tr("双击某一项，在该项下登记问题并扣分"))
        self.sheet_label = QLabel(self)
        self.sheet_label.setObjectName("sheetLabel")
        self.sheet_label.setWordWrap(True)
        sheet_box = QWidget(self)
        sv = QVBoxLayout(sheet_box)
        sv.setContentsMargins(0, 0, 0, 0)
        sv.addWidget(self.sheet_label)
        sv.addWidget(self.sheet, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(problems_box, self.tr("问题与整改"))
        self.tabs.addTab(sheet_box, self.tr("评分表"))
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.file_label)
        rv.addWidget(self.tabs, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.files)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setSizes([640, 550])
        layout = QVBoxLayout(self)
        layout.addWidget(draw)
        layout.addLayout(pick)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self.draw_button.clicked.connect(self._on_draw_clicked)
        self.reviews.activated.connect(lambda _i: self.load(self.reviews.currentData()))
        self.files.selectionModel().currentRowChanged.connect(self._on_file_changed)
        self.files.doubleClicked.connect(lambda _i: self._open_case())
        self.open_button.clicked.connect(self._open_case)
        self.add_button.clicked.connect(lambda: self.add_problem_dialog())
        self.rectify_button.clicked.connect(self._on_rectify_clicked)
        self.sheet.doubleClicked.connect(self._on_sheet_activated)

    # -- columns -------------------------------------------------------------------------------------

    def _file_columns(self) -> list[Column]:
        def problems(f: FileInfo) -> str:
            done = sum(1 for p in f.problems if p.status == "rectified")
            return self.tr("{n} 个（已整改 {d}）").format(n=len(f.problems), d=done) if f.problems else "—"

        return [
            Column(self.tr("序号"), lambda f: str(f.position), sort=lambda f: f.position, right=True, width=40),
            Column(self.tr("乡镇"), lambda f: f.township, width=64),
            Column(self.tr("案号 / 决定书号"), lambda f: f.case_number or f.decision_number or self.tr("（当场处罚）"),
                   tip=lambda f: f.decision_number, width=186),
            Column(self.tr("领域"), lambda f: f.domain, width=92),
            Column(self.tr("得分"), lambda f: "" if f.total_score is None else str(f.total_score),
                   sort=lambda f: f.total_score or 0, right=True, width=44),
            Column(self.tr("等级"), lambda f: f.grade, fg=lambda f: GRADE_COLOURS.get(f.grade), width=50),
            Column(self.tr("问题"), problems, fg=lambda f: "#b00020" if any(p.status != "rectified" for p in f.problems)
                   else None, width=120),
        ]

    def _problem_columns(self) -> list[Column]:
        return [
            Column(self.tr("项目"), lambda p: p.item, width=46),
            Column(self.tr("扣分"), lambda p: self.tr("否决") if p.part == SheetPart.VETO.value else str(p.deduction),
                   right=True, width=44),
            Column(self.tr("问题"), lambda p: p.description, tip=lambda p: p.description, width=250),
            Column(self.tr("来源"), lambda p: self.tr("自动预检") if p.source == "auto" else self.tr("评查人员"), width=70),
            Column(self.tr("整改"), lambda p: (self.tr("已整改 {d}").format(d=p.rectified_on) if p.status == "rectified"
                                             else self.tr("待整改")),
                   fg=lambda p: "#1b5e20" if p.status == "rectified" else "#b00020", width=120),
        ]

    # -- loading -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the pickers and the review shown (the latest when none was chosen yet)."""
        try:
            names = township_names(self.ctx.reader())
            doms = domains(self.ctx.reader())
            reviews = list_reviews(self.ctx.reader())
        except AppError as exc:
            self._fail(exc.message)
            return
        common.fill_townships(self.township, names)
        current = self.domain.currentData()
        self.domain.clear()
        self.domain.addItem(self.tr("全部领域"), "")
        for d in doms:
            self.domain.addItem(d, d)
        self.domain.setCurrentIndex(max(self.domain.findData(current), 0))
        self._fill_reviews(reviews)
        uid = self.review.uid if self.review else (reviews[0].uid if reviews else None)
        if uid:
            self.load(uid)
        else:
            self._show(None)

    def _fill_reviews(self, reviews: list[ReviewSummary]) -> None:
        self.reviews.clear()
        for r in reviews:
            where = r.township or self.tr("全区")
            self.reviews.addItem(self.tr("{t}（{w}，{n} 件，种子 {s}，{at}）").format(
                t=r.title, w=where, n=r.files, s=r.seed, at=f"{r.drawn_at:%Y-%m-%d}"), r.uid)
        if not reviews:
            self.reviews.addItem(self.tr("尚未抽取"), None)

    def load(self, uid: str | None) -> None:
        if not uid:
            return
        try:
            info = get_review(self.ctx.reader(), uid)
            figures = review_figures(self.ctx.reader(), info.year)
        except NotFound:
            self._show(None)
            return
        except AppError as exc:
            self._fail(exc.message)
            return
        self._show(info, figures)

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show(self, info: ReviewInfo | None, figures: ReviewFigures | None = None) -> None:
        self.message.hide()
        selected = self._current_file()
        self.review = info
        if info is None:
            self.files_model.set_rows([])
            self.info.setText(self.tr("尚未抽取案卷：选择年度、数量和种子后点“抽取并自动预检”。"))
            self._show_file(None)
            return
        i = self.reviews.findData(info.uid)
        if i >= 0:
            self.reviews.setCurrentIndex(i)
        where = info.township or self.tr("全区")
        text = self.tr("{w}{d}：种子 {s}，从 {p} 件已结案案卷中抽取 {n} 件，问题 {q} 个。").format(
            w=where, d=f"·{info.domain}" if info.domain else "", s=info.seed, p=info.population, n=len(info.files),
            q=info.problems)
        if figures is not None:
            text += self.tr("{y}年评查合计：案卷 {f} 件，问题 {p} 个，已整改 {r} 个，不合格卷 {x} 件。").format(
                y=figures.year, f=figures.files, p=figures.problems, r=figures.rectified, x=figures.failed_files)
        self.info.setText(text)
        self.files_model.set_rows(info.files)
        row = next((k for k, f in enumerate(info.files) if selected and f.uid == selected.uid), 0)
        if info.files:
            self.files.selectRow(row)
        self._show_file(info.files[row] if info.files else None)

    def _current_file(self) -> FileInfo | None:
        row = source_row(self.files.currentIndex())
        return row if isinstance(row, FileInfo) else None

    def _on_file_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = source_row(current)
        self._show_file(row if isinstance(row, FileInfo) else None)

    def _show_file(self, f: FileInfo | None) -> None:
        self.problems_model.set_rows(list(f.problems) if f else [])
        lines = sheet_lines(f) if f else []
        self.sheet_model.set_rows(lines)
        first_hit = next((i for i, s in enumerate(lines) if s.hit), None)
        if first_hit is not None:
            self.sheet.scrollTo(self.sheet_model.index(first_hit, 0), QTableView.ScrollHint.PositionAtCenter)
        for b in (self.add_button, self.open_button):
            b.setVisible(f is not None)
        self.rectify_button.setVisible(f is not None)
        if f is None:
            self.file_label.setText("")
            self.sheet_label.setText("")
            return
        veto = self.tr("；有否决项，评为不合格卷") if f.veto else ""
        sc = score([(p.item, p.deduction) for p in f.problems],
                   [p.item for p in f.problems if p.part == SheetPart.VETO.value])
        self.sheet_label.setText(self.tr("形式 {fm}/20 分，内容 {ct}/80 分，合计 {tot} 分，{g}{v}。双击某一项，在该项下登记问题并扣分。").format(
            fm=sc.form, ct=sc.content, tot=sc.total, g=sc.grade, v=veto))
        self.file_label.setText(self.tr("<b>第{pos}卷</b>　{t}　{n}　{d}　<b>{s}分 {g}</b>{v}").format(
            pos=f.position, t=f.township, n=f.case_number or f.decision_number, d=f.domain,
            s=f.total_score if f.total_score is not None else "—", g=f.grade, v=veto))

    # -- actions -------------------------------------------------------------------------------------

    def _on_draw_clicked(self) -> None:
        self.draw(self.year.value(), self.size.value(), self.seed.value(), township=self.township.currentData(),
                  domain=self.domain.currentData() or "")

    def draw(self, year: int, size: int, seed: int, *, township: str | None = None, domain: str = "") -> None:
        """Draw and pre-check a sample in the background; the new review is shown when it is stored."""
        if not common.can_manage(self.ctx):
            return

        note = self.tr("正在抽取并逐卷预检…")  # tr() here: work() runs on the worker

        def work(state: TaskState) -> ReviewInfo:
            state.progress(0, note)
            return draw_sample(self.ctx.uow(), year, size, seed, township=township, domain=domain)

        def done(info: Any) -> None:
            assert isinstance(info, ReviewInfo)
            self.review = info
            self.refresh()
            self.data_events.notify("reviews")

        self.runner.run(work, on_done=done, parent=self, title=self.tr("抽取案卷"), report=self._fail)

    def ask_problem(self, item: str | None, case_label: str) -> ProblemInput | None:
        return ProblemDialog.ask(self, item=item, case_label=case_label)

    def ask_rectification(self, problem: str) -> RectifyInput | None:
        return RectifyDialog.ask(self, problem=problem, today=self.ctx.clock.today())

    def add_problem_dialog(self, item: str | None = None) -> bool:
        f = self._current_file()
        if f is None or not common.can_score(self.ctx):
            return False
        value = self.ask_problem(item, f"{f.township} {f.case_number or f.decision_number}")
        if value is None:
            return False
        try:
            add_problem(self.ctx.uow(), f.uid, value.item, value.description, value.deduction)
        except AppError as exc:
            self._fail(exc.message)
            return False
        self._changed()
        return True

    def _on_sheet_activated(self, index: QModelIndex) -> None:
        line = source_row(index)
        if isinstance(line, SheetLine):
            self.add_problem_dialog(line.code)

    def _on_rectify_clicked(self) -> None:
        p = source_row(self.problems.currentIndex())
        if not isinstance(p, ProblemInfo):
            self._fail(self.tr("请先在表中选中一个问题"))
            return
        self.rectify(p)

    def rectify(self, p: ProblemInfo) -> bool:
        if not common.can_manage(self.ctx):
            return False
        value = self.ask_rectification(p.description)
        if value is None:
            return False
        try:
            rectify_problem(self.ctx.uow(), p.uid, value.note, value.on)
        except AppError as exc:
            self._fail(exc.message)
            return False
        self._changed()
        return True

    def _changed(self) -> None:
        if self.review is not None:
            self.load(self.review.uid)
        self.data_events.notify("reviews")

    def _open_case(self) -> None:
        f = self._current_file()
        if f is not None:
            emit(self.open_requested, "cases", f.case_uid)
