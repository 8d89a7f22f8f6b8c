"""Evidence attached to a record: thumbnails of photos, file names of the rest, and 添加证据.

Two modes. On a saved record (``load(uid)``) a chosen file is attached at once. On a form for a new record
(``hold()``: no uid yet) chosen files are staged — checked, hashed and copied aside by the service — and shown
with “待保存”; the form passes ``saving(uow)`` to its record service so they are attached in the same save, then
calls ``saved(uid)``. Closing the form without saving discards them (``discard_pending``).
"""

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
    QStyle,
    QVBoxLayout,
    QWidget,
)

from services.core.context import AppContext
from services.core.errors import AppError
from services.core.uow import UnitOfWork
from services.people.accounts import Permission
from services.procedures.attachments import (
    StagedFile,
    attach_file,
    attachment_store,
    discard_staged,
    list_attachments,
    read_blob,
    stage_file,
    with_attachments,
)
from ui.qt_compat import emit
from ui.widgets.status_line import ERROR_COLOR

THUMB = QSize(96, 72)
PENDING_ROLE = Qt.ItemDataRole.UserRole + 1  # index into the held files, on items not yet saved


class AttachmentsPanel(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, record_table: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.record_table, self.record_uid = ctx, record_table, ""
        self.store = attachment_store(ctx.db.path)
        self._pending: list[StagedFile] = []
        self._holding = False
        self.list = QListWidget(self)
        self.list.setObjectName("attachments")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setGridSize(QSize(THUMB.width() + 48, THUMB.height() + 44))  # two lines of name under it
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setFixedHeight(THUMB.height() + 56)
        self.add_button = QPushButton(self.tr("添加证据…"), self)
        self.add_button.setObjectName("addEvidence")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.add_button.setEnabled(ctx.can(Permission.RECORD))
        self.remove_button = QPushButton(self.tr("移除所选"), self)
        self.remove_button.setObjectName("removeEvidence")
        self.remove_button.setToolTip(self.tr("只能移除尚未保存的文件；已保存的证据不能删除"))
        self.remove_button.clicked.connect(self.remove_selected_pending)
        self.remove_button.hide()
        self.list.itemSelectionChanged.connect(self._update_remove_button)
        self.message = QLabel(self)
        self.message.setObjectName("evidenceMessage")
        self.message.setWordWrap(True)
        self.title = QLabel(self.tr("证据材料（照片、视频、文件；按内容去重保存）"), self)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.message)

    # -- saved record --------------------------------------------------------------------------------------

    def load(self, record_uid: str) -> None:
        """Show the evidence of a saved record; files added from now on are attached at once."""
        self._holding = False
        self.record_uid = record_uid
        self.remove_button.hide()
        self._refresh()

    # -- new record ----------------------------------------------------------------------------------------

    def hold(self) -> None:
        """For a form whose record does not exist yet: keep chosen files until the form is saved."""
        self._holding = True
        self.record_uid = ""
        self.remove_button.show()
        self._refresh()

    @property
    def holding(self) -> bool:
        return self._holding

    def pending(self) -> list[StagedFile]:
        return list(self._pending)

    def saving(self, uow: UnitOfWork) -> UnitOfWork:
        """The unit of work to give the record service: it attaches the held files in the same transaction."""
        taken_by = self.ctx.user.display_name if self.ctx.user else ""
        return with_attachments(uow, self.store, record_table=self.record_table, files=self._pending,
                                taken_by=taken_by)

    def saved(self, record_uid: str) -> None:
        """The record (and with it the held files) was saved: show what is now stored."""
        done, self._pending = self._pending, []
        discard_staged(done)  # already moved into the store; removes copies of bytes that were stored before
        self.load(record_uid)

    def discard_pending(self) -> None:
        """The form was closed without saving: drop the staged copies."""
        dropped, self._pending = self._pending, []
        discard_staged(dropped)
        if self._holding:
            self._refresh()

    def remove_selected_pending(self) -> None:
        chosen = {i.data(PENDING_ROLE) for i in self.list.selectedItems() if i.data(PENDING_ROLE) is not None}
        if not chosen:
            return
        dropped = [f for n, f in enumerate(self._pending) if n in chosen]
        self._pending = [f for n, f in enumerate(self._pending) if n not in chosen]
        discard_staged(dropped)
        self._refresh()
        emit(self.changed)

    # -- adding --------------------------------------------------------------------------------------------

    def _on_add_clicked(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择证据文件"), str(Path.home()),
            self.tr("图片和视频 (*.jpg *.jpeg *.png *.bmp *.gif *.heic *.mp4 *.mov *.3gp);;PDF 文件 (*.pdf);;所有文件 (*)"))
        self.add_files([Path(f) for f in files])

    def add_files(self, paths: list[Path]) -> int:
        """Add several files; one refused file does not stop the others. Returns how many were added."""
        added, problems = 0, []
        for p in paths:
            try:
                self._add(p)
                added += 1
            except AppError as exc:
                problems.append(exc.message)
        self._refresh()
        if problems:
            self._show_problem("\n".join(problems))
        if added:
            emit(self.changed)
        return added

    def add(self, path: Path, caption: str = "") -> bool:
        """Add one file (attach it, or hold it on a new record's form); False with the reason shown if refused."""
        try:
            self._add(path, caption)
        except AppError as exc:
            self._refresh()
            self._show_problem(exc.message)
            return False
        self._refresh()
        emit(self.changed)
        return True

    def _add(self, path: Path, caption: str = "") -> None:
        if self._holding:
            staged = stage_file(self.store, path, caption)
            twin = next((f for f in self._pending if f.sha256 == staged.sha256), None)
            if twin is not None:
                discard_staged([staged])
                raise AppError(self.tr("“{name}”与已添加的“{twin}”内容相同，无需重复添加").format(
                    name=path.name, twin=twin.filename))
            self._pending.append(staged)
            return
        attach_file(self.ctx.uow(), self.store, record_table=self.record_table, record_uid=self.record_uid,
                    src=path, caption=caption, taken_by=self.ctx.user.display_name if self.ctx.user else "")

    # -- display -------------------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.list.clear()
        saved = 0
        if self.record_uid:
            for row in list_attachments(self.ctx.reader(), self.store, self.record_uid):
                item = QListWidgetItem(row.caption or row.filename)
                item.setToolTip(self.tr("{name}\nSHA-256 {sha}\n{size} 字节").format(
                    name=row.filename, sha=row.sha256, size=f"{row.size:,}"))
                if not row.present:
                    item.setText(self.tr("{name}（文件待同步）").format(name=row.filename))
                item.setIcon(self._icon(None, row.mime, self._stored_bytes(row.sha256, row.mime, row.present)))
                self.list.addItem(item)
                saved += 1
        for n, f in enumerate(self._pending):
            item = QListWidgetItem(self.tr("{name}\n（待保存）").format(name=f.caption or f.filename))
            item.setToolTip(self.tr("{name}\n{size} 字节，保存记录时一并存入").format(name=f.filename,
                                                                                size=f"{f.size:,}"))
            item.setData(PENDING_ROLE, n)
            item.setIcon(self._icon(f.temp, f.mime))
            self.list.addItem(item)
        self._update_remove_button()
        self.list.setVisible(self.list.count() > 0)  # an empty panel collapses to its title line
        self.message.setStyleSheet("")
        if self._holding:
            self.message.setText(self.tr("已选 {n} 件，保存时一并存入").format(n=len(self._pending)) if self._pending
                                 else self.tr("可添加现场照片、视频或文件，保存记录时一并存入"))
        else:
            self.message.setText(self.tr("共 {n} 件").format(n=saved))

    def _stored_bytes(self, sha256: str, mime: str, present: bool) -> bytes | None:
        """A stored photo's bytes for its thumbnail (opened when sealed at rest); None when it cannot be read."""
        if not present or not mime.startswith("image/"):
            return None
        try:
            return read_blob(self.store, sha256, self.ctx.data_key)
        except AppError:
            return None

    def _icon(self, path: Path | None, mime: str, data: bytes | None = None) -> QIcon:
        """A thumbnail for a readable photo; the platform's file icon for everything else."""
        if (path is not None or data is not None) and mime.startswith("image/"):
            pix = QPixmap()
            if data is not None:
                pix.loadFromData(data)
            else:
                pix.load(str(path))  # the format is probed from the content: staged copies have no suffix
            if not pix.isNull():
                return QIcon(pix.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation))
        return self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def _show_problem(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.setText(text)

    def _update_remove_button(self) -> None:
        self.remove_button.setEnabled(any(i.data(PENDING_ROLE) is not None for i in self.list.selectedItems()))

    def thumbnails(self) -> list[QIcon]:
        """The icons shown, in order (tests and screenshots check photos got a real thumbnail)."""
        return [self.list.item(i).icon() for i in range(self.list.count())]
