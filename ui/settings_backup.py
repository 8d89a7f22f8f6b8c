"""备份与恢复 tab of the 设置 screen: make a backup now, list the backups, restore one (then restart)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.context import AppContext
from services.core.errors import AppError
from services.maintenance import backup as backup_service
from services.maintenance.backup import RestoreResult
from ui.operations import TaskRunner, TaskState
from ui.qt_compat import emit
from ui.widgets.status_line import StatusLine, make_table


class BackupTab(QWidget):
    """Signals: restored(RestoreResult) after a backup replaced the database (the program must restart)."""

    restored = Signal(object)

    def __init__(self, ctx: AppContext, *, editable: bool, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.editable, self.runner = ctx, editable, runner
        page = self
        self.backup_button = QPushButton(self.tr("立即备份"), page)
        self.backup_button.setObjectName("backupNow")
        self.restore_button = QPushButton(self.tr("从备份恢复…"), page)
        self.restore_button.setObjectName("restore")
        self.restore_button.setEnabled(self.editable)
        self.backup_folder = QLabel(page)
        self.backup_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backups_table = make_table(page, [self.tr("备份文件"), self.tr("时间"), self.tr("大小")])
        self.backups_table.setObjectName("backupsTable")
        self.backups_table.setColumnWidth(0, 520)
        self.backups_table.setColumnWidth(1, 160)
        self.backup_status = StatusLine(page)
        self.backup_status.setObjectName("backupStatus")
        intro = QLabel(self.tr("程序每天首次启动时自动备份一次。重要操作前、更换电脑前请“立即备份”，"
                               "并把备份文件另存到U盘等其他位置。恢复会用备份替换当前数据，恢复前自动再备份一次当前数据。"),
                       page)
        intro.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.backup_button)
        bar.addWidget(self.restore_button)
        bar.addStretch(1)
        folder = QHBoxLayout()
        folder.addWidget(QLabel(self.tr("备份文件夹："), page))
        folder.addWidget(self.backup_folder, 1)
        v = QVBoxLayout(page)
        v.addWidget(intro)
        v.addLayout(bar)
        v.addWidget(self.backup_status)
        v.addLayout(folder)
        v.addWidget(self.backups_table, 1)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(lambda: self.restore_from_file())

    def load(self) -> None:
        try:
            self.backup_folder.setText(str(backup_service.backups_dir(self.ctx.db)))
            backups = backup_service.list_backups(self.ctx.db)
        except AppError as exc:
            self.backup_status.fail(exc.message)
            backups = []
        t = self.backups_table
        t.setRowCount(len(backups))
        for r, b in enumerate(backups):
            for c, text in enumerate((b.path.name, b.modified.strftime("%Y-%m-%d %H:%M"), _size(b.size))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(b.path))
                t.setItem(r, c, item)

    def backup_now(self) -> None:
        db, message = self.ctx.db, self.tr("正在备份数据库…")

        def task(state: TaskState) -> Path:  # worker thread: no widgets
            state.progress(5, message)
            # No progress call after the work: it would raise Cancelled for a 取消 pressed too late to stop it.
            return backup_service.backup_database(db)

        self.backup_button.setEnabled(False)
        self.backup_status.ok(self.tr("正在备份…"))
        self.runner.run(task, on_done=self._on_backup_done, parent=self, title=self.tr("正在备份数据库…"),
                        report=self._failed)

    def _on_backup_done(self, path: Path) -> None:
        self.backup_button.setEnabled(True)
        self.backup_status.ok(self.tr("已备份到 {path}").format(path=path))
        self.load()

    def _failed(self, text: str) -> None:
        """A backup or restore refused or cancelled: nothing changed, either can be tried again."""
        self.backup_button.setEnabled(True)
        self.restore_button.setEnabled(self.editable)
        self.backup_status.fail(text)

    def ask_backup_file(self) -> Path | None:
        try:
            start = str(backup_service.backups_dir(self.ctx.db))
        except AppError:
            start = ""
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("选择要恢复的备份"), start,
                                                    self.tr("EnforceDesk 数据库 (*.sqlite3 *.db);;所有文件 (*)"))
        return Path(name) if name else None

    def restore_from_file(self, path: Path | None = None) -> None:
        if not self.editable:
            return
        path = path or self.ask_backup_file()
        if path is None:
            return
        try:
            backup_service.check_backup_file(self.ctx.db, path)  # refuse a wrong file before asking anything
        except AppError as exc:
            self.backup_status.fail(exc.message)
            return
        if not self.confirm(self.tr("从备份恢复"), self.tr(
                "将用备份“{name}”替换当前全部数据。\n当前数据会先自动备份。恢复后需要重新启动程序。\n\n确定恢复吗？")
                .format(name=path.name)):
            return
        # Records no receipt acknowledges would vanish from the next bundles with an older copy (docs/sync-bundle.md
        # §Design rules no. 1):
        # the service refuses unless the user says they exported them; ask with the count, default No.
        unsent = backup_service.unacknowledged_records(self.ctx.db)
        if unsent and not self.confirm(self.tr("还有未确认的记录"), self.tr(
                "本机还有 {n} 条记录尚未被接收方确认（未导出或未收到回执）。\n"
                "恢复旧备份后，这些记录的最新内容将不在本机，也不会再随同步包发出。\n\n"
                "请先到“同步”页导出同步包并交给接收方。已经导出、仍要恢复吗？").format(n=unsent)):
            self.backup_status.fail(self.tr("已取消恢复：请先导出同步包（还有 {n} 条记录未确认）").format(n=unsent))
            return
        db, role, message = self.ctx.db, self.ctx.role, self.tr("正在恢复…")

        def task(state: TaskState) -> RestoreResult:  # worker thread: no widgets
            state.progress(5, message)
            return backup_service.restore_backup(db, path, role=role, force_after_export=bool(unsent))

        self.restore_button.setEnabled(False)
        self.backup_button.setEnabled(False)
        self.runner.run(task, on_done=self._on_restored, parent=self, title=self.tr("正在从备份恢复…"),
                        report=self._failed)

    def _on_restored(self, result: RestoreResult) -> None:
        self.backup_status.ok(self.tr("已从“{name}”恢复。恢复前的数据已备份到 {safety}。请关闭并重新启动程序。").format(
            name=result.restored_from.name, safety=result.safety_backup))
        self.load()
        emit(self.restored, result)
        self.tell_restart(result)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def tell_restart(self, result: RestoreResult) -> None:
        QMessageBox.information(self, self.tr("恢复完成"), self.tr(
            "数据已从备份恢复。\n恢复前的数据已另存为：{safety}\n\n请关闭并重新启动程序后继续工作。").format(safety=result.safety_backup))


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
