"""数据导入: a folder of township bundles (USB stick, e-mail attachments) and the Excel ledgers of paper townships."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.core.context import AppContext
from services.core.errors import AppError
from services.district.intake import IntakeReport, import_folder
from services.district.ledger_import import BadRow, LedgerReport, detect_kind, import_ledger
from services.district.ledger_spec import KINDS, ledger_kind, write_template
from services.district.overview import township_names
from ui.data_events import DataEvents
from ui.district import common
from ui.district.item_models import Column, RowTableModel
from ui.operations import Cancelled, TaskRunner, TaskState


@dataclass(frozen=True, slots=True)
class BundleLine:
    """One bundle of an intake as the table shows it: imported (with counts) or refused (with the reason)."""

    file: str
    township: str
    sequence: int | None
    new: int
    updated: int
    problems: int
    message: str
    refused: bool = False


def bundle_lines(rep: IntakeReport) -> list[BundleLine]:
    held = QCoreApplication.translate("IntakePage", "{n} 条未写入，原因见“同步 → 隔离/冲突”")
    lines = [BundleLine(o.file, o.township, o.sequence, o.new, o.updated, o.problems,
                        o.message or (held.format(n=o.problems) if o.problems else "—"))
             for o in rep.outcomes]
    lines += [BundleLine(name, "—", None, 0, 0, 0, why, refused=True) for name, why in rep.refused]
    return lines


class IntakePage(QWidget):
    """Whatever was imported is told to ``data_events`` (the lists and the other district screens read it again)."""

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, data_events: DataEvents,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("districtIntake")
        self.setWindowTitle(self.tr("数据导入"))
        self.ctx, self.runner, self.data_events = ctx, runner, data_events
        self.last_intake: IntakeReport | None = None
        self.last_ledger: LedgerReport | None = None
        allowed = common.can_manage(ctx)

        # -- bundles -------------------------------------------------------------------------------------
        bundles = QGroupBox(self.tr("同步包（乡镇办公室、外勤机报送）"), self)
        self.folder_button = QPushButton(self.tr("选择同步包所在文件夹并导入…"), bundles)
        self.folder_button.setObjectName("folderButton")
        self.trust_new = QCheckBox(self.tr("信任首次报送的设备（已与乡镇电话核对指纹）"), bundles)
        common.deny(self.folder_button, allowed)
        help_text = QLabel(self.tr(
            "文件夹中的全部同步包（*.edsync）按发送设备和序号依次导入，逐包校验签名；某个包被拒绝不影响其他包。"
            "已导入过的包不会重复导入。回执写在同步包旁边，请带回给乡镇导入。导入后自动登记关账后补报的记录。"), bundles)
        help_text.setWordWrap(True)
        self.bundle_model = RowTableModel(self._bundle_columns(), self)
        self.bundle_table = QTableView(bundles)
        self.bundle_table.setObjectName("bundleTable")
        self.bundle_table.setModel(self.bundle_model)
        common.setup_table(self.bundle_table)
        common.set_widths(self.bundle_table, [c.width for c in self.bundle_model.columns])
        self.bundle_message = QLabel(bundles)
        self.bundle_message.setObjectName("bundleMessage")
        self.bundle_message.setWordWrap(True)
        bv = QVBoxLayout(bundles)
        row = QHBoxLayout()
        row.addWidget(self.folder_button)
        row.addWidget(self.trust_new)
        row.addStretch(1)
        bv.addLayout(row)
        bv.addWidget(help_text)
        bv.addWidget(self.bundle_message)
        bv.addWidget(self.bundle_table, 1)

        # -- Excel ledgers ------------------------------------------------------------------------------
        ledgers = QGroupBox(self.tr("Excel 台账（尚未使用本软件的乡镇）"), self)
        self.township = QComboBox(ledgers)
        self.township.setEditable(True)  # a township that never sent a bundle is typed in (and then created)
        self.township.setObjectName("ledgerTownship")
        self.township.setMinimumWidth(130)
        self.township.lineEdit().setPlaceholderText(self.tr("选择或输入乡镇名称"))
        self.kind = QComboBox(ledgers)
        self.kind.addItem(self.tr("按文件内容识别"), None)
        for k in KINDS:
            self.kind.addItem(ledger_kind(k).title, k)
        self.ledger_button = QPushButton(self.tr("选择台账文件并导入…"), ledgers)
        self.ledger_button.setObjectName("ledgerButton")
        common.deny(self.ledger_button, allowed)
        self.template_button = QPushButton(self.tr("生成空白模板…"), ledgers)
        self.ledger_message = QLabel(ledgers)
        self.ledger_message.setObjectName("ledgerMessage")
        self.ledger_message.setWordWrap(True)
        self.bad_model = RowTableModel([
            Column(self.tr("行号"), lambda b: str(b.row), sort=lambda b: b.row, right=True, width=56),
            Column(self.tr("有误的行（未导入）"), lambda b: b.reason, fg=lambda _b: "#b00020", tip=lambda b: b.reason,
                   width=300),
        ], self)
        self.bad_table = QTableView(ledgers)
        self.bad_table.setObjectName("badRows")
        self.bad_table.setModel(self.bad_model)
        common.setup_table(self.bad_table)
        common.set_widths(self.bad_table, [56, 300])
        ledger_help = QLabel(self.tr(
            "请使用“生成空白模板”得到的 .xlsx。有误的行列出行号和原因，不导入；其余行照常导入。"
            "改正后可重复导入同一文件：按编号识别，不会重复。"), ledgers)
        ledger_help.setWordWrap(True)
        lv = QVBoxLayout(ledgers)
        form = QHBoxLayout()
        form.addWidget(QLabel(self.tr("乡镇"), ledgers))
        form.addWidget(self.township, 1)
        form.addWidget(QLabel(self.tr("台账"), ledgers))
        form.addWidget(self.kind, 1)
        lv.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ledger_button)
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        lv.addLayout(buttons)
        lv.addWidget(ledger_help)
        lv.addWidget(self.ledger_message)
        lv.addWidget(self.bad_table, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(bundles)
        split.addWidget(ledgers)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)

        self.folder_button.clicked.connect(self._on_folder_clicked)
        self.ledger_button.clicked.connect(self._on_ledger_clicked)
        self.template_button.clicked.connect(self._on_template_clicked)

    def _bundle_columns(self) -> list[Column]:
        red = lambda b: "#b00020" if b.refused or b.problems else None  # noqa: E731
        return [
            Column(self.tr("同步包"), lambda b: b.file, fg=red, tip=lambda b: b.file, width=250),
            Column(self.tr("乡镇"), lambda b: b.township, width=64),
            Column(self.tr("序号"), lambda b: str(b.sequence) if b.sequence is not None else "—", right=True, width=40),
            Column(self.tr("新增"), lambda b: f"{b.new:,}", sort=lambda b: b.new, right=True, width=60),
            Column(self.tr("更新"), lambda b: f"{b.updated:,}", sort=lambda b: b.updated, right=True, width=52),
            Column(self.tr("隔离/冲突"), lambda b: str(b.problems), sort=lambda b: b.problems, right=True, fg=red,
                   width=64),
            Column(self.tr("说明"), lambda b: (self.tr("拒绝：") if b.refused else "") + b.message, fg=red,
                   tip=lambda b: b.message, width=120),
        ]

    def refresh(self) -> None:
        try:
            names = township_names(self.ctx.reader())
        except AppError as exc:
            self.ledger_message.setText(exc.message)
            return
        text = self.township.currentText()
        self.township.blockSignals(True)
        self.township.clear()
        self.township.addItems(names)
        self.township.setEditText(text)
        self.township.blockSignals(False)

    # -- bundles ---------------------------------------------------------------------------------------

    def _on_folder_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择同步包所在文件夹（U盘或邮件附件保存处）"),
                                                  str(Path.home()))
        if folder:
            self.import_bundles(Path(folder))

    def ask_trust(self, reasons: list[str]) -> bool:
        """Asked once per intake when bundles came from devices never trusted: their fingerprints, then yes/no."""
        text = self.tr("以下同步包来自尚未信任的设备：\n\n{r}\n\n请与各乡镇电话核对指纹一致后再信任。是否信任这些设备并导入？").format(
            r="\n".join(reasons[:8]))
        return QMessageBox.question(self, self.tr("信任新设备"), text) == QMessageBox.StandardButton.Yes

    def import_bundles(self, folder: Path, *, trust_new: bool | None = None) -> None:
        """Import the folder in the background; refused bundles of unknown devices are offered for trust once."""
        if not common.can_manage(self.ctx):
            return
        trust = self.trust_new.isChecked() if trust_new is None else trust_new
        self.bundle_message.setText(self.tr("正在导入 {f} …").format(f=folder))

        note = self.tr("正在逐个校验并导入同步包（每个同步包一个事务）…")  # tr() here: work() runs on the worker

        def work(state: TaskState) -> IntakeReport:
            state.progress(0, note)

            def step(done: int, total: int, name: str) -> bool:
                # Cancel takes effect between two bundles (each is its own transaction): what was imported stays.
                if state.cancelled:
                    return False
                try:
                    state.progress(5 + 90 * done // max(total, 1), f"{note}\n{done}/{total}  {name}")
                except Cancelled:
                    return False
                return True

            return import_folder(self.ctx.uow, folder, trust_new=trust, progress=step)

        def done(result: Any) -> None:
            assert isinstance(result, IntakeReport)
            self._show_intake(result)
            if result.outcomes:
                self.refresh()  # a township first met in these bundles is offered for its ledger, not asked as new
                self.data_events.notify()
            unknown = [f"{name}：{why}" for name, why in result.untrusted]
            if unknown and not trust and self.ask_trust(unknown):
                self.import_bundles(folder, trust_new=True)

        self.runner.run(work, on_done=done, parent=self, title=self.tr("导入同步包"), report=self.bundle_message.setText)

    def _show_intake(self, rep: IntakeReport) -> None:
        self.last_intake = rep
        self.bundle_model.set_rows(bundle_lines(rep))
        text = self.tr("导入 {n} 个同步包：新增 {new:,} 条、更新 {upd:,} 条记录；拒绝 {r} 个；关账后补报 {a} 条。").format(
            n=len(rep.outcomes), new=sum(o.new for o in rep.outcomes), upd=sum(o.updated for o in rep.outcomes),
            r=len(rep.refused), a=rep.amendments)
        held = sum(o.problems for o in rep.outcomes)
        if held:
            # Red numbers in the table alone leave the clerk guessing: say that they were not written, and where
            # each one's reason is (the 同步 page lists every held record with why).
            text += self.tr("\n其中 {n} 条记录未写入（被隔离或与本机记录冲突）：到“同步”页的“隔离”“冲突”中查看每条的原因，"
                            "需要时请乡镇更正后重新报送。").format(n=held)
        if rep.stopped:
            text += self.tr("\n已按要求停止：已导入的同步包保留，其余未导入，可再次导入该文件夹。")
        if rep.skipped:
            text += self.tr("\n跳过本机生成的回执 {n} 份。").format(n=len(rep.skipped))
        if rep.receipts:
            text += self.tr("\n已生成回执 {n} 份（在同步包旁边），请带回给乡镇导入。").format(n=len(rep.receipts))
        self.bundle_message.setText(text)

    # -- ledgers ---------------------------------------------------------------------------------------

    def _on_ledger_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择 Excel 台账"), str(Path.home()),
                                              self.tr("Excel 台账 (*.xlsx)"))
        if path:
            self.import_ledger_file(Path(path))

    def confirm_new_township(self, name: str) -> bool:
        text = self.tr("区级数据库中还没有乡镇“{n}”。导入后将新建该乡镇。\n\n名称无误，继续导入？").format(n=name)
        return QMessageBox.question(self, self.tr("新乡镇"), text) == QMessageBox.StandardButton.Yes

    def import_ledger_file(self, path: Path) -> None:
        if not common.can_manage(self.ctx):
            return
        name = self.township.currentText().strip()
        if not name:
            self.ledger_message.setText(self.tr("请先选择或输入台账所属的乡镇"))
            return
        if self.township.findText(name) < 0:
            # A file that is no ledger at all is said so first: asking whether to create the township, and then
            # refusing the file, would ask for nothing.
            try:
                detect_kind(path)
            except AppError as exc:
                self.ledger_message.setText(self.tr("未导入：{t}").format(t=exc.message))
                return
            if not self.confirm_new_township(name):
                return
        kind = self.kind.currentData()
        self.ledger_message.setText(self.tr("正在导入 {f} …").format(f=path.name))
        self.bad_model.set_rows([])

        note = self.tr("正在逐行检查并导入台账…")

        def work(state: TaskState) -> LedgerReport:
            state.progress(0, note)
            return import_ledger(self.ctx.uow(), kind, name, path)

        def failed(text: str) -> None:
            self.ledger_message.setText(self.tr("未导入：{t}").format(t=text))

        self.runner.run(work, on_done=self._show_ledger, parent=self, title=self.tr("导入 Excel 台账"), report=failed)

    def _show_ledger(self, result: Any) -> None:
        assert isinstance(result, LedgerReport)
        self.last_ledger = result
        self.bad_model.set_rows(result.bad)
        made = self.tr("（新建乡镇）") if result.created_township else ""
        text = self.tr("{t}{m} {k}：共 {n} 行，新增 {new}，更新 {upd}，未变 {same}，有误 {bad} 行").format(
            t=result.township, m=made, k=ledger_kind(result.kind).title, n=result.rows, new=result.new,
            upd=result.updated, same=result.unchanged, bad=len(result.bad))
        if result.amendments:
            text += self.tr("；关账后补报 {a} 条").format(a=result.amendments)
        if result.bad:
            text += self.tr("。有误的行未导入，见下表。")
        self.ledger_message.setText(text)
        if result.new or result.updated:
            self.refresh()
            self.data_events.notify()

    def bad_rows(self) -> list[BadRow]:
        return list(self.bad_model.rows)

    def _on_template_clicked(self) -> None:
        kind = self.kind.currentData() or KINDS[0]
        title = ledger_kind(kind).title
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存空白模板"), str(Path.home() / f"{title}.xlsx"),
                                              self.tr("Excel 文件 (*.xlsx)"))
        if path:
            self.write_template_file(kind, Path(path))

    def write_template_file(self, kind: str, path: Path) -> bool:
        try:
            path.write_bytes(write_template(kind))
        except OSError as exc:
            self.ledger_message.setText(self.tr("无法写入 {p}：{e}").format(p=path, e=exc.strerror or exc))
            return False
        self.ledger_message.setText(self.tr("已生成{t}模板：{p}（发给乡镇填写，收回后在此导入）").format(
            t=ledger_kind(kind).title, p=path))
        return True
