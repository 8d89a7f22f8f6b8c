"""Read-only detail of an inspection, party, officer, campaign, catalogue item or document."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.enums import RecordKind
from models.labels import LABELS
from services.core.context import AppContext
from services.core.errors import AppError
from services.read.details import RecordDetail
from ui.data_events import DataEvents
from ui.i18n import data_text
from ui.operations import TaskRunner, TaskState
from ui.widgets.attachments_panel import AttachmentsPanel

_ENUM_LABELS = frozenset(LABELS.values())  # values translated: a status, a kind, a role; never names or places


def _title(title: str) -> str:
    """"检查记录 2024-001" → the record kind in the interface language, the number as it is."""
    head, sep, rest = title.partition(" ")
    return data_text(head) + sep + rest if sep else title


class DetailPage(QWidget):
    """``runner`` issues a campaign's orders in the background; ``data_events`` is told when documents were issued."""

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, data_events: DataEvents,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner, self.data_events = ctx, runner, data_events
        self.title = QLabel(self)
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.lines = QListWidget(self)
        self.attachments = AttachmentsPanel(ctx, RecordKind.INSPECTION, self)
        self.uid = ""
        self.batch_button = QPushButton(self.tr("批量制发本专项整治的责令改正通知书…"), self)
        self.batch_button.clicked.connect(self._on_batch_clicked)
        self.batch_message = QLabel(self)
        self.batch_message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.form_host)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.attachments)
        layout.addWidget(self.batch_button)
        layout.addWidget(self.batch_message)

    def show_detail(self, detail: RecordDetail) -> None:
        self.uid = detail.uid
        self.batch_button.setVisible(detail.kind == "campaigns")
        self.batch_message.clear()
        self.title.setText(_title(detail.title))
        while self.form.rowCount():
            self.form.removeRow(0)
        for name, value in detail.fields:
            val = QLabel(data_text(value) if value in _ENUM_LABELS else value, self.form_host)
            val.setWordWrap(True)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(data_text(name) + "：", val)
        self.lines.clear()
        self.lines.addItems(list(detail.lines))
        self.lines.setVisible(bool(detail.lines))
        has_files = detail.kind == "inspections"
        self.attachments.setVisible(has_files)
        if has_files:
            self.attachments.load(detail.uid)

    def _on_batch_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存文书的文件夹（可为U盘）"), str(Path.home()))
        if not folder:
            return
        code, ok = QInputDialog.getText(self, self.tr("赋权事项"),
                                        self.tr("未关联案件的检查记录按哪个事项编码制发（如 SR-003）："))
        if ok:
            self.run_batch(Path(folder), {"item_code": code.strip()} if code.strip() else {})

    def run_batch(self, folder: Path, inputs: dict[str, str]) -> None:
        """Issue every order of the campaign in the background; one refusal does not stop the others."""
        from services.documents.batch import BatchResult, campaign_orders, issue_batch  # ReportLab on first use

        try:
            uids = campaign_orders(self.ctx.reader(), self.uid)
        except AppError as exc:
            self.batch_message.setText(exc.message)
            return
        if not uids:
            self.batch_message.setText(self.tr("本专项整治没有责令限期整改的检查记录"))
            return

        def work(state: TaskState) -> BatchResult:
            def tick(done: int, total: int) -> bool:
                if state.cancelled:
                    return False
                state.progress(int(100 * done / total), f"已制发 {done}/{total}")
                return True

            return issue_batch(self.ctx.uow, "rectification_order", uids, folder, inputs=inputs, progress=tick)

        def done(result: object) -> None:
            assert isinstance(result, BatchResult)
            text = self.tr("已制发 {n} 份，保存在 {folder}").format(n=len(result.issued), folder=folder)
            if result.failed:
                text += self.tr("；{m} 份未制发：").format(m=len(result.failed)) + "；".join(
                    reason for _uid, reason in result.failed[:3])
            if result.cancelled:
                text += self.tr("（已取消其余）")
            self.batch_message.setText(text)
            if result.issued:
                self.data_events.notify("documents")

        self.runner.run(work, on_done=done, parent=self, title=self.tr("批量制发责令改正通知书"),
                        report=self.batch_message.setText)
