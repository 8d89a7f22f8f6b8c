"""Evidence attached to a record: thumbnails of photos, file names of the rest, and 添加证据."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.attachments import attach_file, attachment_store, list_attachments
from services.context import AppContext
from services.errors import AppError
from ui.qt_compat import emit

THUMB = QSize(96, 72)


class AttachmentsPanel(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, record_table: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.record_table, self.record_uid = ctx, record_table, ""
        self.store = attachment_store(ctx.db.path)
        self.list = QListWidget(self)
        self.list.setObjectName("attachments")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setGridSize(QSize(THUMB.width() + 40, THUMB.height() + 36))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMaximumHeight(THUMB.height() + 48)
        self.add_button = QPushButton(self.tr("添加证据…"), self)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.message = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("证据材料（照片、视频、文件；按内容去重保存）"), self))
        top.addStretch(1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.message)

    def load(self, record_uid: str) -> None:
        self.record_uid = record_uid
        self.list.clear()
        for row in list_attachments(self.ctx.reader(), self.store, record_uid):
            item = QListWidgetItem(row.caption or row.filename)
            item.setToolTip(f"{row.filename}\nSHA-256 {row.sha256}\n{row.size:,} 字节")
            if row.present and row.mime.startswith("image/"):
                pix = QPixmap(str(row.path))
                if not pix.isNull():
                    item.setIcon(QIcon(pix.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation)))
            elif not row.present:
                item.setText(self.tr("{name}（文件待同步）").format(name=row.filename))
            self.list.addItem(item)
        self.message.setText(self.tr("共 {n} 件").format(n=self.list.count()))

    def _on_add_clicked(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择证据文件"), str(Path.home()),
                                                self.tr("图片和文件 (*.jpg *.jpeg *.png *.mp4 *.pdf *.*)"))
        for f in files:
            self.add(Path(f))

    def add(self, path: Path, caption: str = "") -> bool:
        try:
            attach_file(self.ctx.uow(), self.store, record_table=self.record_table, record_uid=self.record_uid,
                        src=path, caption=caption, taken_by=self.ctx.user.display_name if self.ctx.user else "")
        except AppError as exc:
            self.message.setText(exc.message)
            return False
        self.load(self.record_uid)
        emit(self.changed)
        return True
