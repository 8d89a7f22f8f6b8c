"""Read-only detail of an inspection, party, officer, campaign, catalogue item or document."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from services.context import AppContext
from services.details import RecordDetail
from ui.widgets.attachments_panel import AttachmentsPanel


class DetailPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = QLabel(self)
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.lines = QListWidget(self)
        self.attachments = AttachmentsPanel(ctx, "inspection", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.form_host)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.attachments)

    def show_detail(self, detail: RecordDetail) -> None:
        self.title.setText(detail.title)
        while self.form.rowCount():
            self.form.removeRow(0)
        for name, value in detail.fields:
            val = QLabel(value, self.form_host)
            val.setWordWrap(True)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(name + "：", val)
        self.lines.clear()
        self.lines.addItems(list(detail.lines))
        self.lines.setVisible(bool(detail.lines))
        has_files = detail.kind == "inspections"
        self.attachments.setVisible(has_files)
        if has_files:
            self.attachments.load(detail.uid)
