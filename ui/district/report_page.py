"""年度报告: preview the enforcement and mediation part of the yearly report, and write it as PDF, Word or Excel."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from services.core.context import AppContext
from services.core.errors import AppError
from services.district.report import ReportData, build_report
from services.district.report_render import FORMATS, cell_text, write_report
from ui.district import common
from ui.operations import TaskRunner, TaskState

FORMAT_LABELS = {"pdf": "PDF（存档、打印）", "docx": "Word（可编辑）", "xlsx": "Excel（表格）"}


def partial_path(out: Path) -> Path:
    """Where the report is written first: a cancelled or failed run never leaves a half file under the real name."""
    return out.with_name(f"~{out.stem}.part{out.suffix}")


class ReportPage(QWidget):
    def __init__(self, ctx: AppContext, *, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("districtReport")
        self.setWindowTitle(self.tr("年度报告"))
        self.ctx, self.runner = ctx, runner
        self.data: ReportData | None = None
        self.written: Path | None = None
        self.year = common.year_box(self, ctx.clock.today().year - 1)  # the report is written for the year just ended
        self.format = QComboBox(self)
        self.format.setObjectName("reportFormat")
        for f in FORMATS:
            self.format.addItem(self.tr(FORMAT_LABELS[f]), f)
        self.preview_button = QPushButton(self.tr("预览"), self)
        self.preview_button.setObjectName("previewButton")
        self.save_button = QPushButton(self.tr("生成并保存…"), self)
        self.save_button.setObjectName("saveReportButton")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("年度"), self))
        bar.addWidget(self.year)
        bar.addWidget(self.preview_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("格式"), self))
        bar.addWidget(self.format)
        bar.addWidget(self.save_button)
        bar.addStretch(1)
        self.message = QLabel(self)
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("reportPreview")
        self.preview.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.preview, 1)
        self.preview_button.clicked.connect(self.refresh)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.save_button.clicked.connect(self._on_save_clicked)

    def refresh(self) -> None:
        year = self.year.value()

        def work(_state: TaskState) -> ReportData:
            return build_report(self.ctx.reader(), year)

        self.runner.run(work, on_done=self._show_preview, parent=self, title=self.tr("正在汇总全年数据…"),
                        report=self._fail)

    def _fail(self, text: str) -> None:
        self.message.setStyleSheet(common.ERROR_STYLE)
        self.message.setText(text)

    def _note(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _show_preview(self, result: Any) -> None:
        assert isinstance(result, ReportData)
        self.data = d = result
        parts = [f"<h3 style='text-align:center'>{html.escape(d.title)}</h3>"]
        for sec in d.sections:  # one paragraph per section, 一是/二是 leads in bold, as in the Word file
            body = "".join(f"<b>{html.escape(i.lead)}</b>{html.escape(i.text)}" for i in sec.items)
            parts.append(f"<p style='line-height:150%'>　　<b>{html.escape(sec.head)}</b>{body}</p>")
        for t in d.tables:
            parts.append(f"<p><b>{html.escape(t.title)}</b></p><table border='1' cellspacing='0' cellpadding='3'>")
            parts.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in t.header) + "</tr>")
            for r in t.rows:
                cells = "".join(f"<td align='{'left' if isinstance(v, str) else 'right'}'>{html.escape(cell_text(v))}"
                                "</td>" for v in r)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</table>")
        parts.append("<p><b>说明</b></p>" + "".join(f"<p style='color:#555'>{html.escape(n)}</p>" for n in d.notes))
        self.preview.setHtml("".join(parts))
        if not self.written:
            self._note(self.tr("{y}年报告预览（{n} 段文字、{t} 张表）。选择格式后点“生成并保存…”。").format(
                y=d.year, n=len(d.sections), t=len(d.tables)))

    def _on_save_clicked(self) -> None:
        fmt = self.format.currentData()
        name = f"{self.year.value()}年度综合行政执法和人民调解工作情况.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存年度报告"), str(Path.home() / name),
                                              self.tr("{f} (*.{e})").format(f=FORMAT_LABELS[fmt], e=fmt))
        if path:
            out = Path(path)
            self.save(out if out.suffix.lower() == f".{fmt}" else out.with_name(out.name + f".{fmt}"))

    def save(self, out: Path) -> None:
        """Write the report of the chosen year to ``out`` in the background; cancel leaves no file behind."""
        year = self.year.value()
        part = partial_path(out)
        started = self.tr("正在汇总 {y} 年全区数据并生成 {f}…").format(y=year, f=out.suffix.lstrip(".").upper())
        writing = self.tr("正在保存…")
        unwritable = self.tr("无法保存 {p}：{e}")

        def work(state: TaskState) -> ReportData:
            state.progress(5, started)
            try:
                data = write_report(self.ctx.uow(), year, part)
                state.progress(95, writing)  # raises Cancelled when the user pressed 取消 meanwhile
                part.replace(out)
            except OSError as exc:  # a full USB stick, a read-only folder: said, not a bug
                part.unlink(missing_ok=True)
                raise AppError(unwritable.format(p=out, e=exc.strerror or exc)) from exc
            except BaseException:
                part.unlink(missing_ok=True)
                raise
            return data

        def done(result: Any) -> None:
            assert isinstance(result, ReportData)
            self.written = out
            self._show_preview(result)
            self._note(self.tr("已保存：{p}（{n} 段文字、{t} 张表）").format(p=out, n=len(result.sections),
                                                                       t=len(result.tables)))

        self.written = None
        self._note(started)
        self.runner.run(work, on_done=done, parent=self, title=self.tr("生成年度报告"), report=self._fail)
