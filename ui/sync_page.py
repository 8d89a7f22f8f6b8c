"""同步 screen: export to a folder/USB, import by file picker or drag-and-drop, receipts, conflicts, devices.

Writing a bundle, checking one (the merge dry run) and importing one run on the window's runner
(ui/operations.py); an import or a resolved conflict is told to the change notification, so every open list and
the 工作台 show what came in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.enums import DeviceKind
from models.labels import label_of, record_label
from services import sync
from services.core.context import AppContext
from services.core.errors import AppError
from services.people.accounts import Permission
from ui.data_events import DataEvents
from ui.i18n import data_text
from ui.laptop_account import LaptopAccountDialog
from ui.operations import TaskRunner, TaskState


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(t: QTableWidget, rows: list[list[Any]]) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            t.setItem(r, c, QTableWidgetItem("" if v is None else str(v)))


class SyncPage(QWidget):
    """All the work is done by services.sync; slow steps go through ``runner`` with progress; ``data_events`` is told
    what was imported."""

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, data_events: DataEvents,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("同步"))
        self.setAcceptDrops(True)
        self.ctx, self.runner, self.data_events = ctx, runner, data_events
        self.preview: sync.ImportPreview | None = None
        self.preview_path: Path | None = None
        self.trust_new = False
        self._recipient_picked = False  # the user chose a recipient: refreshing keeps it
        self.tabs = QTabWidget(self)
        self._build_export()
        self._build_import()
        self._build_conflicts()
        self._build_quarantine()
        self._build_devices()
        self.history = QListWidget(self)
        self.tabs.addTab(self.history, self.tr("同步记录"))
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("syncStatus")
        layout.addWidget(self.status)
        self.unacked_note = QLabel(self)
        self.unacked_note.setWordWrap(True)
        self.unacked_note.setObjectName("unackedNote")
        self.unacked_note.setStyleSheet("color: #666666;")
        layout.addWidget(self.unacked_note)
        # Senders whose audit chain did not extend what this database saw before (services/sync/history.py).
        self.history_warning = QLabel(self)
        self.history_warning.setWordWrap(True)
        self.history_warning.setObjectName("historyWarning")
        self.history_warning.setStyleSheet("color: #b00020;")
        self.history_warning.setVisible(False)
        layout.addWidget(self.history_warning)
        layout.addWidget(self.tabs, 1)

    # -- export ------------------------------------------------------------------------------------------

    def _build_export(self) -> None:
        w = QWidget(self)
        self.recipient = QComboBox(w)
        self.recipient.setObjectName("recipient")
        self.recipient.activated.connect(lambda _i: setattr(self, "_recipient_picked", True))
        self.full = QCheckBox(self.tr("全量导出（包括对方已确认的记录）"), w)
        self.plan_button = QPushButton(self.tr("查看将导出的内容"), w)
        self.export_button = QPushButton(self.tr("导出到文件夹/U盘…"), w)
        self.reference_button = QPushButton(self.tr("下发参考数据…"), w)
        self.reference_button.setToolTip(self.tr("把权力事项清单、纠纷类别、节假日、地方参数（以及外勤笔记本的文书编号段）"
                                                 "写成参考数据包，交给所选接收方导入"))
        self.plan_table = _table([self.tr("数据"), self.tr("条数")], w)
        self.export_message = QLabel(w)
        self.export_message.setWordWrap(True)
        self.peers = _table([self.tr("设备"), self.tr("乡镇"), self.tr("已发送至"), self.tr("已收到至"),
                             self.tr("缺号"), self.tr("未确认"), self.tr("待处理冲突")], w)
        self.plan_button.clicked.connect(self.show_plan)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.reference_button.clicked.connect(self._on_reference_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("接收方"), w))
        top.addWidget(self.recipient, 1)
        top.addWidget(self.full)
        top.addWidget(self.plan_button)
        top.addWidget(self.export_button)
        top.addWidget(self.reference_button)
        self.peers_hint = QLabel(self.tr("尚无往来设备：先在“设备与密钥”页与对方交换并信任密钥卡，导出时即可选择对方为接收方"
                                         "（同步包为对方加密）。"), w)
        self.peers_hint.setObjectName("peersHint")
        self.peers_hint.setWordWrap(True)
        self.peers_hint.setStyleSheet("color: #5f6368;")
        v = QVBoxLayout(w)
        v.addWidget(QLabel(self.tr("各设备同步情况"), w))
        v.addWidget(self.peers_hint)
        v.addWidget(self.peers, 1)
        v.addLayout(top)
        v.addWidget(self.plan_table, 1)
        v.addWidget(self.export_message)
        self.tabs.addTab(w, self.tr("导出"))

    def _unacked_note(self, total: int) -> str:
        """What the records nobody confirmed yet are, table by table (on a fresh install: the setup's own data)."""
        if not total:
            return ""
        try:
            tables = sync.unacknowledged_tables(self.ctx.reader())
        except AppError as exc:
            return exc.message
        biggest = sorted(tables.items(), key=lambda x: -x[1])
        parts = "、".join(f"{record_label(t)} {n}" for t, n in biggest[:6]) + ("等" if len(biggest) > 6 else "")
        return self.tr("未被确认的记录是尚未有接收方确认收到的记录（{parts}），包括初始化时建立的乡镇、设备和"
                       "权力事项清单等基础数据；导出同步包并导入对方的回执后清零。").format(parts=parts)

    def _recipient_uid(self) -> str | None:
        return self.recipient.currentData()

    def show_plan(self) -> sync.ExportPlan | None:
        try:
            plan = sync.plan_export(self.ctx.reader(), self._recipient_uid(), full=self.full.isChecked())
        except AppError as exc:
            self.export_message.setText(exc.message)
            return None
        rows = [[record_label(t), n] for t, n in sorted(plan.counts.items()) if n]
        rows.append([self.tr("证据文件"), f"{plan.attachments}（{plan.attachment_bytes / 1024 / 1024:.1f} MB）"])
        _fill(self.plan_table, rows)
        enc = self.tr("将加密给接收方") if plan.encrypted else self.tr("未指定接收方或对方公钥未知：不加密，请妥善保管U盘")
        self.export_message.setText(self.tr("共 {n} 条记录；{enc}").format(n=plan.total, enc=enc))
        return plan

    def _on_export_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择导出位置（U盘或文件夹）"), str(Path.home()))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        plan = self.show_plan()
        if plan is None:
            return

        def work(state: TaskState) -> sync.ExportResult:
            return sync.write_bundle(self.ctx.uow(), plan, folder,
                                     progress=lambda message, percent: state.progress(percent, message))

        def done(result: object) -> None:
            assert isinstance(result, sync.ExportResult)
            self.export_message.setText(self.tr("已导出第 {seq} 号同步包：{path}（{n} 条记录，{kb} KB，已核对写入无误）").format(
                seq=result.sequence, path=result.path, n=result.total, kb=result.size // 1024))
            self.refresh()

        self.runner.run(work, on_done=done, parent=self, title=self.tr("导出同步包"),
                        report=self.export_message.setText)

    def _on_reference_clicked(self) -> None:
        if self._recipient_uid() is None:
            self.export_message.setText(self.tr("请先在“接收方”中选择要下发参考数据的设备"))
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择参考数据包的保存位置（U盘或文件夹）"),
                                                  str(Path.home()))
        if folder:
            self.send_reference(Path(folder))

    def send_reference(self, folder: Path) -> None:
        """The reference bundle for the chosen recipient (the service tops up a field laptop's number blocks)."""
        recipient = self._recipient_uid()
        if recipient is None:
            self.export_message.setText(self.tr("请先在“接收方”中选择要下发参考数据的设备"))
            return

        def work(_state: TaskState) -> sync.ExportResult:
            from services.sync.reference import write_reference_bundle

            return write_reference_bundle(self.ctx.uow(), recipient, folder)

        def done(result: object) -> None:
            assert isinstance(result, sync.ExportResult)
            blocks = result.counts.get("number_block", 0)
            self.export_message.setText(self.tr(
                "已写入第 {seq} 版参考数据包：{path}（{kb} KB{blocks}）。请交给 {code} 在“导入”中导入。").format(
                seq=result.sequence, path=result.path, kb=max(result.size // 1024, 1), code=result.recipient_code,
                blocks=self.tr("，含文书编号段 {n} 个").format(n=blocks) if blocks else ""))
            self.refresh()

        self.runner.run(work, on_done=done, parent=self, title=self.tr("下发参考数据"),
                        report=self.export_message.setText)

    # -- import ------------------------------------------------------------------------------------------

    def _build_import(self) -> None:
        w = QWidget(self)
        self.pick_button = QPushButton(self.tr("选择同步包…（也可把文件拖到此页）"), w)
        self.apply_button = QPushButton(self.tr("确认导入"), w)
        self.apply_button.setEnabled(False)
        self.receipt_button = QPushButton(self.tr("导入回执…"), w)
        # Offered for a bundle imported before: its receipt was lost, or the import stopped before writing it.
        self.again_button = QPushButton(self.tr("重新写出回执"), w)
        self.again_button.setEnabled(False)
        self.preview_table = _table([self.tr("数据"), self.tr("新增"), self.tr("更新"), self.tr("无变化"),
                                     self.tr("冲突"), self.tr("隔离")], w)
        self.import_message = QLabel(w)
        self.import_message.setWordWrap(True)
        self.import_message.setObjectName("importMessage")
        self.pick_button.clicked.connect(self._on_pick_clicked)
        self.apply_button.clicked.connect(self.apply_previewed)
        self.receipt_button.clicked.connect(self._on_receipt_clicked)
        self.again_button.clicked.connect(self.write_receipt_again)
        row = QHBoxLayout()
        for b in (self.pick_button, self.apply_button, self.again_button, self.receipt_button):
            row.addWidget(b)
        v = QVBoxLayout(w)
        v.addLayout(row)
        v.addWidget(self.import_message)
        v.addWidget(self.preview_table, 1)
        self.tabs.addTab(w, self.tr("导入"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        urls = event.mimeData().urls()
        if urls:
            self.tabs.setCurrentIndex(1)
            self.inspect(Path(urls[0].toLocalFile()))

    def _on_pick_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择同步包"), str(Path.home()),
                                              self.tr("同步包 (*.edsync);;所有文件 (*)"))
        if path:
            self.inspect(Path(path))

    def ask_trust(self, exc: sync.UnknownDevice) -> bool:
        """Shown once per unknown device: the fingerprint is checked with the sender by phone."""
        text = self.tr("此同步包来自尚未信任的设备：\n\n设备编码：{code}\n乡镇：{town}\n指纹：{fp}\n\n"
                       "请与对方电话核对指纹一致后再信任。是否信任该设备？").format(
            code=exc.device_code, town=exc.township, fp=exc.fingerprint)
        return QMessageBox.question(self, self.tr("信任新设备"), text) == QMessageBox.StandardButton.Yes

    def inspect(self, path: Path, *, trust_new: bool = False) -> None:
        """Verify everything and dry-run the merge on the runner, then show the summary; nothing is written.

        A bundle from a device not trusted yet asks the user (fingerprint checked by phone) and is checked again.
        """
        self.preview, self.preview_path, self.trust_new = None, None, trust_new
        self.apply_button.setEnabled(False)
        self.again_button.setEnabled(False)
        make_uow = self.ctx.uow

        def work(_state: TaskState) -> sync.ImportPreview | sync.UnknownDevice:
            try:
                return sync.inspect_bundle(make_uow(), path, trust_new=trust_new)
            except sync.UnknownDevice as exc:
                return exc  # not a refusal yet: the user is asked on the GUI thread

        def done(result: sync.ImportPreview | sync.UnknownDevice) -> None:
            if isinstance(result, sync.UnknownDevice):
                if not trust_new and self.ask_trust(result):
                    self.inspect(path, trust_new=True)
                else:
                    self.import_message.setText(result.message)
                return
            self._show_preview(path, result)

        def refused(text: str) -> None:
            self.import_message.setText(text)
            _fill(self.preview_table, [])

        self.import_message.setText(self.tr("正在校验同步包…"))
        self.runner.run(work, on_done=done, parent=self, title=self.tr("校验同步包"), report=refused)

    def _show_preview(self, path: Path, preview: sync.ImportPreview) -> None:
        self.preview, self.preview_path = preview, path
        _fill(self.preview_table, [[record_label(t.table), t.new, t.updated, t.unchanged, t.conflicts,
                                    t.quarantined] for t in preview.tables if t.new or t.updated or t.conflicts
                                   or t.quarantined or t.unchanged])
        lines = [self.tr("来自 {code}（{town}）第 {seq} 号同步包，{enc}").format(
            code=preview.source_code, town=preview.township, seq=preview.sequence,
            enc=self.tr("已加密") if preview.encrypted else self.tr("未加密"))] + preview.messages
        if preview.already_imported_at is not None:
            lines.append(self.tr("对方没有收到回执时，可点“重新写出回执”。"))
        self.import_message.setText("\n".join(lines))
        self.apply_button.setEnabled(preview.already_imported_at is None)
        self.again_button.setEnabled(preview.already_imported_at is not None)

    def apply_previewed(self) -> None:
        if self.preview_path is None:
            return
        path, trust = self.preview_path, self.trust_new

        def work(_state: TaskState) -> sync.ImportReport:
            return sync.apply_bundle(self.ctx.uow(), path, trust)

        def done(report: object) -> None:
            assert isinstance(report, sync.ImportReport)
            text = self.tr("已导入：新增 {new} 条，更新 {upd} 条，冲突 {c} 条（待处理），隔离 {q} 条。").format(
                new=report.total("new"), upd=report.total("updated"), c=report.total("conflicts"),
                q=report.total("quarantined"))
            if report.receipt_path:
                text += self.tr("\n回执已生成：{p}（请带回给对方导入）").format(p=report.receipt_path)
            if report.receipt_error:
                text += "\n" + report.receipt_error
            self.import_message.setText(text)
            self.apply_button.setEnabled(False)
            self.refresh()
            self.data_events.notify()  # records of any kind, settings, the calendar: every list may show other rows

        self.runner.run(work, on_done=done, parent=self, title=self.tr("导入同步包"),
                        report=self.import_message.setText)

    def write_receipt_again(self) -> None:
        """The previewed bundle was imported before: write its receipt again (nothing else changes)."""
        if self.preview_path is None:
            return
        path, trust = self.preview_path, self.trust_new

        def work(_state: TaskState) -> sync.ImportReport:
            return sync.apply_bundle(self.ctx.uow(), path, trust, receipt_again=True)

        def done(report: object) -> None:
            assert isinstance(report, sync.ImportReport)
            if report.receipt_path:
                self.import_message.setText(self.tr("回执已重新生成：{p}（请带回给对方导入）").format(
                    p=report.receipt_path))
            else:
                self.import_message.setText(report.receipt_error)
            self.again_button.setEnabled(False)

        self.runner.run(work, on_done=done, parent=self, title=self.tr("重新写出回执"),
                        report=self.import_message.setText)

    def _on_receipt_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择回执"), str(Path.home()),
                                              self.tr("回执 (*receipt*.edsync);;所有文件 (*)"))
        if path:
            self.apply_receipt_file(Path(path))

    def apply_receipt_file(self, path: Path) -> bool:
        try:
            r = sync.apply_receipt(self.ctx.uow(), path)
        except AppError as exc:
            self.import_message.setText(exc.message)
            return False
        self.import_message.setText("\n".join([self.tr("回执已导入：{n} 条记录已被 {code} 确认").format(
            n=r.acknowledged, code=r.receiver_code), *r.warnings]))
        self.refresh()
        return True

    # -- conflicts ---------------------------------------------------------------------------------------

    def _build_conflicts(self) -> None:
        w = QWidget(self)
        self.conflict_list = QListWidget(w)
        self.conflict_list.setObjectName("conflicts")
        self.compare = _table([self.tr("字段"), self.tr("本机版本"), self.tr("对方版本")], w)
        self.keep_local = QPushButton(self.tr("保留本机版本"), w)
        self.take_incoming = QPushButton(self.tr("采用对方版本"), w)
        self.keep_local.clicked.connect(lambda: self.resolve("local"))
        self.take_incoming.clicked.connect(lambda: self.resolve("incoming"))
        self.conflict_list.currentRowChanged.connect(self._show_conflict)
        right = QWidget(w)
        rv = QVBoxLayout(right)
        rv.addWidget(self.compare, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_local)
        buttons.addWidget(self.take_incoming)
        rv.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal, w)
        split.addWidget(self.conflict_list)
        split.addWidget(right)
        v = QVBoxLayout(w)
        v.addWidget(QLabel(self.tr("两边都修改过的记录：两个版本都已保留，请选择以哪个为准（不会自动覆盖）"), w))
        v.addWidget(split, 1)
        self.tabs.addTab(w, self.tr("冲突"))
        self.conflicts: list[sync.ConflictInfo] = []

    def _show_conflict(self, row: int) -> None:
        if not 0 <= row < len(self.conflicts):
            _fill(self.compare, [])
            return
        c = self.conflicts[row]
        keys = list(c.differing) + [k for k in sorted(c.local) if k not in c.differing and k not in ("id",)]
        _fill(self.compare, [[k, c.local.get(k), c.incoming.get(k)] for k in keys[:40]])
        for r in range(len(c.differing)):
            for col in (1, 2):
                item = self.compare.item(r, col)
                if item is not None:
                    item.setBackground(Qt.GlobalColor.yellow)

    def resolve(self, choice: str) -> bool:
        row = self.conflict_list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return False
        try:
            sync.resolve_conflict(self.ctx.uow(), self.conflicts[row].uid, choice)  # type: ignore[arg-type]
        except AppError as exc:
            QMessageBox.warning(self, self.tr("处理冲突"), exc.message)
            return False
        self.refresh()
        self.data_events.notify()  # the record now holds the version chosen, whatever its kind
        return True

    # -- quarantine ---------------------------------------------------------------------------------------

    def _build_quarantine(self) -> None:
        """The records imports refused, newest first: the reason, and the record as it arrived (opened with the
        signed-in user's key: services/sync/quarantine.py), for a person to follow up with the sender."""
        w = QWidget(self)
        self.quarantine_table = _table([self.tr("时间"), self.tr("记录类型"), self.tr("记录"), self.tr("原因")], w)
        self.quarantine_table.setObjectName("quarantine")
        self.quarantine_record = QPlainTextEdit(w)
        self.quarantine_record.setObjectName("quarantineRecord")
        self.quarantine_record.setReadOnly(True)
        self.quarantine_table.currentCellChanged.connect(lambda row, *_: self._show_quarantined(row))
        split = QSplitter(Qt.Orientation.Vertical, w)
        split.addWidget(self.quarantine_table)
        split.addWidget(self.quarantine_record)
        v = QVBoxLayout(w)
        v.addWidget(QLabel(self.tr("导入时被拒收的记录（已隔离，未写入本库）：请与发送方核对后让其修正重发"), w))
        v.addWidget(split, 1)
        self.tabs.addTab(w, self.tr("隔离"))
        self.quarantine_tab = w
        self.quarantined: list[sync.QuarantineInfo] = []

    def _show_quarantined(self, row: int) -> None:
        if not 0 <= row < len(self.quarantined):
            self.quarantine_record.setPlainText("")
            return
        payload = self.quarantined[row].payload
        try:  # one field a line; a line that was no JSON at all (or the locked note) as it is
            payload = json.dumps(json.loads(payload), ensure_ascii=False, indent=2)
        except ValueError:
            pass
        self.quarantine_record.setPlainText(payload)

    # -- devices -----------------------------------------------------------------------------------------

    def _build_devices(self) -> None:
        w = QWidget(self)
        self.my_card = QLabel(w)
        self.my_card.setWordWrap(True)
        self.my_card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.devices = _table([self.tr("设备编码"), self.tr("名称"), self.tr("类型"), self.tr("乡镇"), self.tr("指纹"),
                               self.tr("信任时间"), self.tr("确认人")], w)
        self.write_card_button = QPushButton(self.tr("导出本机密钥卡…"), w)
        self.trust_card_button = QPushButton(self.tr("信任对方密钥卡…"), w)
        self.provision_button = QPushButton(self.tr("制作外勤笔记本数据库…"), w)
        self.provision_button.setToolTip(self.tr("复制本机数据库给一台外勤笔记本：新设备有自己的编码和密钥，"
                                                 "与本机互相信任，并带有第一批文书编号段"))
        # A new office trusts nobody yet: the empty table says what the two buttons are for and in which order.
        self.devices_hint = QLabel(self.tr(
            "尚未信任任何设备。与区里、乡镇或外勤笔记本互传同步包前：① 点“导出本机密钥卡…”，把写出的 .edkey 文件交给对方；"
            "② 点“信任对方密钥卡…”，选择对方交来的 .edkey 文件；双方电话核对指纹一致后再使用。"), w)
        self.devices_hint.setObjectName("devicesHint")
        self.devices_hint.setWordWrap(True)
        self.devices_hint.setStyleSheet("color: #5f6368;")
        self.device_message = QLabel(w)
        self.device_message.setWordWrap(True)
        self.device_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.write_card_button.clicked.connect(self._on_write_card)
        self.trust_card_button.clicked.connect(self._on_trust_card)
        self.provision_button.clicked.connect(self._on_provision_clicked)
        row = QHBoxLayout()
        row.addWidget(self.write_card_button)
        row.addWidget(self.trust_card_button)
        row.addWidget(self.provision_button)
        row.addStretch(1)
        v = QVBoxLayout(w)
        v.addWidget(self.my_card)
        v.addLayout(row)
        v.addWidget(self.devices_hint)
        v.addWidget(self.devices, 1)
        v.addWidget(self.device_message)
        self.tabs.addTab(w, self.tr("设备与密钥"))

    def _on_write_card(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存密钥卡"), str(Path.home() / "密钥卡.edkey"),
                                              self.tr("密钥卡 (*.edkey)"))
        if path:
            try:
                sync.write_key_card(self.ctx.uow(), Path(path))
                self.device_message.setText(self.tr("已保存：{p}").format(p=path))
            except AppError as exc:
                self.device_message.setText(exc.message)

    def _on_trust_card(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择对方密钥卡"), str(Path.home()),
                                              self.tr("密钥卡 (*.edkey *.json);;所有文件 (*)"))
        if path:
            try:
                peer = sync.trust_key_card(self.ctx.uow(), Path(path))
                self.device_message.setText(self.tr("已信任 {code}（指纹 {fp}）").format(code=peer.code, fp=peer.fingerprint))
            except AppError as exc:
                self.device_message.setText(exc.message)
            self.refresh()

    def _on_provision_clicked(self) -> None:
        laptop = self.ask_laptop_account()
        if laptop is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("新外勤笔记本数据库的保存位置（如 U 盘）"),
                                              str(Path.home() / "enforcedesk.sqlite3"),
                                              self.tr("数据库 (*.sqlite3)"))
        if path:
            self.provision(Path(path), user=laptop[0], password=laptop[1])

    def ask_laptop_account(self) -> tuple[str, str] | None:
        """On an encrypted database: the laptop's account and its holder's password (checked by the service before
        the dialog closes); ("", "") on a database that is not encrypted; None when cancelled or refused."""
        from services.sync.provision import check_laptop_account, provision_options

        try:
            options = provision_options(self.ctx.reader())
        except AppError as exc:
            self.device_message.setText(exc.message)
            return None
        if not options.encrypted:
            return "", ""
        me = self.ctx.user.username if self.ctx.user is not None else ""
        dialog = LaptopAccountDialog(options.accounts, lambda user, password: check_laptop_account(
            self.ctx.uow(), user, password), preferred=me, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.account is None:
            return None
        return dialog.account.username, dialog.password

    def provision(self, path: Path, *, user: str = "", password: str = "") -> None:
        """A field laptop's database made from this office's (services.sync.provision), in the background; on an
        encrypted office it opens with ``user``'s ``password`` only (the service checks it)."""

        def work(_state: TaskState) -> object:
            from services.sync.provision import provision_device

            return provision_device(self.ctx.uow(), path, user=user, password=password)

        def done(result: object) -> None:
            from services.sync.provision import ProvisionResult

            assert isinstance(result, ProvisionResult)
            text = self.tr(
                "已制作外勤笔记本 {code} 的数据库：\n{path}\n{keys}\n"
                "把这两个文件一起复制到笔记本的数据文件夹（改名时两个一起改，如 enforcedesk.sqlite3 与 "
                "enforcedesk.sqlite3.keys），在笔记本上启动本程序即可使用。两台设备已互相信任；笔记本已带有文书编号段，"
                "以后随参考数据补充。已有记录的附件文件不随之复制。").format(
                code=result.device_code, path=result.path, keys=result.key_file)
            if result.user:
                text += "\n" + self.tr(
                    "数据库和密钥文件都已加密：在笔记本上只能用账户“{user}”（{name}）的密码登录，本机其他账户的密码"
                    "打不开它；忘记密码时用本单位的恢复密钥解锁。").format(user=result.user, name=result.user_name)
            self.device_message.setText(text)
            self.refresh()

        self.runner.run(work, on_done=done, parent=self, title=self.tr("制作外勤笔记本数据库"),
                        report=self.device_message.setText)

    # -- common ------------------------------------------------------------------------------------------

    def _show_history(self, notes: tuple[Any, ...]) -> None:
        lines = [self.tr("⚠ 设备 {code}：{label}（{at} 导入的同步包）：{detail}").format(
            code=n.device_code, label=n.label, at=n.at[:16].replace("T", " "), detail=n.detail) for n in notes]
        self.history_warning.setText("\n".join(lines))
        self.history_warning.setVisible(bool(lines))

    def _gaps(self, gaps: tuple[tuple[int, int], ...]) -> str:
        """Sequence numbers never received, as ranges: 第3–7号、第9号."""
        return "、".join(self.tr("第{n}号").format(n=a) if a == b else self.tr("第{a}–{b}号").format(a=a, b=b)
                        for a, b in gaps)

    def refresh(self) -> None:
        try:
            st = sync.sync_status(self.ctx.reader())
            peers = sync.trusted_devices(self.ctx.reader())
            self.conflicts = sync.list_conflicts(self.ctx.reader())
            self.quarantined = sync.list_quarantine(self.ctx.reader())
            card = sync.my_key_card(self.ctx.reader())
            hist = sync.history(self.ctx.reader())
        except AppError as exc:
            self.status.setText(exc.message)
            return
        self.status.setText(self.tr("本机 {code}；参考数据第 {ref} 版；未被确认的记录 {u} 条；待处理冲突 {c} 条；隔离 {q} 条").format(
            code=st.device_code, ref=st.reference_version, u=st.unacknowledged, c=st.open_conflicts,
            q=st.quarantined))
        self.unacked_note.setText(self._unacked_note(st.unacknowledged))
        self.unacked_note.setVisible(bool(st.unacknowledged))
        self._show_history(st.history)
        # Until the user picks a recipient, a bundle is encrypted for the trusted office or district.
        current = self.recipient.currentData() if self._recipient_picked else sync.default_recipient(peers, card.kind)
        self.recipient.blockSignals(True)
        self.recipient.clear()
        self.recipient.addItem(self.tr("不指定接收方（不加密）"), None)
        for p in peers:
            self.recipient.addItem(f"{p.code} {p.township_name} {p.name}", p.uid)
        self.recipient.setCurrentIndex(max(self.recipient.findData(current), 0))
        self.recipient.blockSignals(False)
        _fill(self.peers, [[p.code, p.township, p.last_sent, p.last_received,
                            self._gaps(p.missing) or "—", p.unacknowledged, p.open_conflicts]
                           for p in st.peers])
        _fill(self.devices, [[p.code, p.name, data_text(label_of(DeviceKind, p.kind)), p.township_name, p.fingerprint,
                              f"{p.trusted_at:%Y-%m-%d %H:%M}", p.trusted_by] for p in peers])
        self.devices_hint.setVisible(not peers)
        self.peers_hint.setVisible(not st.peers and not peers)
        # Only an office makes laptops; a field laptop publishes no reference data (the services refuse it too).
        self.provision_button.setVisible(card.kind == DeviceKind.OFFICE.value and self.ctx.can(Permission.SETTINGS))
        self.reference_button.setVisible(card.kind != DeviceKind.FIELD.value)
        self.my_card.setText(self.tr("本机：{code} {name}\n指纹：{fp}（对方信任本机前请电话核对）").format(
            code=card.code, name=card.name, fp=getattr(card, "fingerprint", "")))
        self.conflict_list.clear()
        for c in self.conflicts:
            self.conflict_list.addItem(self.tr("{record} {uid}… 来自 {source}：{fields}").format(
                record=record_label(c.table), uid=c.record_uid[:8], source=c.source_code,
                fields="、".join(c.differing[:4])))
        _fill(self.quarantine_table, [[f"{q.created_at:%Y-%m-%d %H:%M}", record_label(q.table), q.record_uid, q.reason]
                                      for q in self.quarantined])
        self._show_quarantined(self.quarantine_table.currentRow())
        self.history.clear()
        # The manifest's kinds (services/sync/manifest.py KINDS) as the office calls them, never the raw word.
        kinds = {"records": self.tr("同步包"), "reference": self.tr("参考数据"), "receipt": self.tr("回执")}
        for h in hist:
            kind = kinds.get(h["kind"], h["kind"])
            if h["direction"] == "out":
                line = self.tr("{at}  → 导出 第{seq}号（{kind}），{n} 条，{ack}").format(
                    at=f"{h['at']:%Y-%m-%d %H:%M}", seq=h["seq"], kind=kind, n=h["records"],
                    ack=self.tr("已确认") if h.get("acknowledged_at") else self.tr("未确认"))
            else:
                line = self.tr("{at}  ← 导入 第{seq}号（{kind}），来自 {source}").format(
                    at=f"{h['at']:%Y-%m-%d %H:%M}", seq=h["seq"], kind=kind, source=h.get("source", ""))
            self.history.addItem(line)
        if not hist:  # an empty list says what will appear in it
            hint = QListWidgetItem(self.tr("尚无同步记录：导出或导入同步包后，每个同步包在这里列出一行（序号、条数、是否已确认）。"))
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.history.addItem(hint)
