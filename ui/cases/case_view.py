"""Procedure view of one penalty case: steps as a timeline, deadlines with days left, the allowed actions."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.enums import DiscretionTierName, RecordKind
from models.labels import label
from models.penalty_flow import ACTION_LABELS, CaseAction
from services.core.context import AppContext
from services.core.errors import AppError
from services.procedures import cases as case_service
from services.procedures.actions import CASE_FIELDS, perform_case_action
from services.procedures.guard_rails import closing_documents
from services.procedures.progress import ActionOption, case_actions, case_timeline
from services.read.details import sync_state
from services.read.queries import officer_choices
from ui.data_events import DataEvents
from ui.i18n import data_text, step_text
from ui.operations import TaskRunner
from ui.widgets.status_line import ERROR_COLOR, OK_COLOR

if TYPE_CHECKING:
    from ui.documents.document_dialog import DocumentDialog
from ui.cases.records_panel import RecordsPanel
from ui.widgets.attachments_panel import AttachmentsPanel
from ui.widgets.deadline_table import DeadlineTable
from ui.widgets.step_dialog import StepDialog, run_step, step_button


class CaseView(QWidget):
    """A step that succeeded is told to ``data_events`` (the lists and the 工作台 read it again)."""

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, data_events: DataEvents,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner, self.data_events = ctx, runner, data_events
        self.uid = ""
        self.summary: case_service.CaseSummary | None = None
        self.options: tuple[ActionOption[CaseAction], ...] = ()  # the steps offered, as the services allow them
        self.sync_state = ""
        self.header = QLabel(self)
        self.header.setObjectName("caseHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.timeline = QListWidget(self)
        self.timeline.setObjectName("timeline")
        self.events = QListWidget(self)
        self.events.setObjectName("events")
        # Long entries wrap instead of scrolling sideways (a 1366-pixel screen).
        self.events.setWordWrap(True)
        self.events.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.events.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.timeline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.deadlines = DeadlineTable(self)
        self.documents_button = QPushButton(self.tr("执法文书…"), self)
        self.documents_button.setObjectName("documentsButton")
        self.documents_button.clicked.connect(self.open_documents)
        self.actions_box = QGroupBox(self.tr("可办理的环节"), self)
        self.actions_layout = QGridLayout(self.actions_box)
        self.buttons: dict[CaseAction, QPushButton] = {}

        disc = QGroupBox(self.tr("裁量辅助"), self)
        self.tier = QComboBox(disc)
        for t in DiscretionTierName:
            self.tier.addItem(data_text(label(t)), t.value)
        self.tier.setCurrentIndex(1)
        self.suggestion = QLabel(disc)
        self.suggestion.setWordWrap(True)
        self.suggestion.setObjectName("suggestion")
        form = QFormLayout(disc)
        form.addRow(self.tr("裁量档次"), self.tier)
        form.addRow(self.suggestion)
        self.tier.currentIndexChanged.connect(self._update_suggestion)

        self.attachments = AttachmentsPanel(ctx, RecordKind.PENALTY_CASE, self)
        self.records = RecordsPanel(ctx, self)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.addWidget(QLabel(self.tr("办案流程"), left))
        lv.addWidget(self.timeline)
        lv.addWidget(QLabel(self.tr("办理记录"), left))
        lv.addWidget(self.events, 1)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.addWidget(QLabel(self.tr("法定期限"), right))
        rv.addWidget(self.deadlines, 1)  # the deadlines take the height the fixed boxes below leave
        rv.addWidget(disc)
        rv.addWidget(self.actions_box)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([380, 620])
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.header, 1)
        head.addWidget(self.documents_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        layout.addWidget(split, 1)
        below = QHBoxLayout()
        below.addWidget(self.records, 1)
        below.addWidget(self.attachments, 1)
        layout.addLayout(below)

    def load(self, uid: str) -> None:
        self.uid = uid
        self.summary = case_service.get_case(self.ctx.reader(), uid)
        self.options = case_actions(self.ctx.reader(), uid)
        self.sync_state = sync_state(self.ctx.reader(), RecordKind.PENALTY_CASE, self.summary.uid)
        self._render()
        self.attachments.load(uid)
        self.records.load(uid)

    def _render(self) -> None:
        s = self.summary
        assert s is not None
        fine = f"{s.fine_amount:,.2f} 元" if s.fine_amount is not None else "—"
        flags = []
        if s.legal_review_required:
            flags.append(self.tr("需法制审核") + (f"（{s.legal_review_passed_on}已通过）" if s.legal_review_passed_on else ""))
        if s.collective_required:
            flags.append(self.tr("需集体讨论") + (f"（{s.collective_discussed_on}）" if s.collective_discussed_on else ""))
        if s.hearing_rights:
            flags.append(self.tr("当事人享有听证权利"))
        if s.party_is_minor:
            flags.append(self.tr("当事人为未成年人：应当从轻或减轻"))
        self.header.setText(
            f"<b style='font-size:15px'>{s.number or self.tr('（未立案）')}</b>　"
            f"<span style='color:#1565c0'>{data_text(s.status_label)}</span>　{s.cause}<br>"
            f"{self.tr('当事人')}：{s.party_name}　{self.tr('事项')}：{s.power_item}　"
            f"{self.tr('罚款')}：{fine}　{s.decision_number}<br>"
            f"<span style='color:#b26a00'>{'；'.join(flags)}</span>"
            f"<br><span style='color:#666'>{self.tr('同步')}：{self.sync_state}</span>"
        )
        self.timeline.clear()
        for stage in case_timeline(s):
            mark = "✔" if stage.done else ("▶" if stage.current else "○")
            item = QListWidgetItem(f"{mark}  {stage.title}")
            if not stage.done:
                item.setForeground(Qt.GlobalColor.darkGray)
            self.timeline.addItem(item)
        # Every stage in view without scrolling: the procedure is what the page is about.
        rows = self.timeline.count()
        self.timeline.setFixedHeight(rows * max(self.timeline.sizeHintForRow(0), 16) + 2 * self.timeline.frameWidth()
                                     + 4)
        self.events.clear()
        for e in s.events:
            text = (f"{e.on_date}  {step_text(e.label)}（{data_text(e.from_status)}→{data_text(e.to_status)}）"
                    f"  {e.actor}")
            if e.note:
                text += f"\n    {e.note}"
            self.events.addItem(text)
        self.deadlines.set_deadlines([replace(d, label=data_text(d.label)) for d in s.deadlines],
                                     self.ctx.clock.today())
        self._render_actions()
        if s.discretion_tier is not None:  # the helper starts on the tier the conclusion chose, not on 一般
            self.tier.blockSignals(True)
            self.tier.setCurrentIndex(max(self.tier.findData(s.discretion_tier.value), 0))
            self.tier.blockSignals(False)
        self._update_suggestion()

    def _render_actions(self) -> None:
        for b in self.buttons.values():
            b.deleteLater()
        self.buttons.clear()
        for i, option in enumerate(self.options):
            b = step_button(option, self.actions_box, lambda a=option.action: self.run_action(a))
            self.actions_layout.addWidget(b, i // 4, i % 4)
            self.buttons[option.action] = b
        if not self.options:
            lab = QLabel(self.tr("案件已办结，没有可办理的环节"), self.actions_box)
            self.actions_layout.addWidget(lab, 0, 0)

    def _update_suggestion(self) -> None:
        if not self.uid:
            return
        try:
            sug = case_service.discretion_for_case(self.ctx.reader(), self.uid,
                                                   DiscretionTierName(self.tier.currentData()))
        except AppError as exc:
            self.suggestion.setText(exc.message)
            return
        self.suggestion.setText(self.tr("建议罚款 {lo} — {hi} 元（建议 {mid} 元）；法定幅度：{stat}\n理由：{why}").format(
            lo=f"{sug.fine_min:,.2f}", hi=f"{sug.fine_max:,.2f}", mid=f"{sug.suggested:,.2f}",
            stat=sug.statutory_text, why=sug.reasons))

    def dialog_for(self, action: CaseAction) -> StepDialog:
        today = self.ctx.clock.today()
        role = "legal_reviewer" if action is CaseAction.LEGAL_REVIEW else None
        officers = officer_choices(self.ctx.reader(), on=today if role is None else None, role=role)
        intro = self.closing_intro() if action is CaseAction.CLOSE else ""
        dlg = StepDialog(step_text(ACTION_LABELS[action]), CASE_FIELDS[action], today=today, officers=officers,
                         intro=intro, parent=self)
        s = self.summary
        if s is not None and action is CaseAction.DECIDE and s.proposed_fine is not None:
            dlg.set_value("fine", f"{s.proposed_fine:.2f}")
        if s is not None and action is CaseAction.PAY and s.fine_amount is not None:
            dlg.set_value("amount", f"{s.fine_amount:.2f}")
        return dlg

    def closing_intro(self) -> str:
        """The documents 结案 needs (services/procedures/guard_rails.py): issued ones with their number, missing
        ones in red — the service refuses 结案 while one is missing."""
        docs = closing_documents(self.ctx.reader(), self.uid)
        if not docs:
            return ""
        lines = [f"<span style='color:{OK_COLOR}'>✓ {d.title}　{d.number}</span>" if d.issued else
                 f"<span style='color:{ERROR_COLOR}'>✗ {d.title}　{self.tr('尚未制发')}</span>" for d in docs]
        return self.tr("结案前须制发的文书：") + "<br>" + "<br>".join(lines)

    def run_action(self, action: CaseAction, dialog: StepDialog | None = None) -> bool:
        """Ask for the step's fields and call the service; a refusal keeps the dialog open with the reason."""
        dlg = dialog or self.dialog_for(action)
        done: list[case_service.CaseSummary] = []
        if not run_step(dlg, lambda values: done.append(perform_case_action(self.ctx.uow(), self.uid, action, values)),
                        ask=dialog is None):
            return False
        self.load(self.uid)
        self.data_events.notify("cases")
        warnings = done[-1].warnings if done else ()
        if warnings:  # allowed, but worth a second look (e.g. a hearing set on a holiday)
            QMessageBox.warning(self, self.tr("请注意"), "\n".join(warnings))
        return True

    def confirm(self, text: str) -> bool:
        return QMessageBox.question(self, self.tr("请确认"), text) == QMessageBox.StandardButton.Yes




    def document_dialog(self) -> DocumentDialog:
        # Imported on first use: ReportLab and the fonts are not needed to open the window.
        from ui.documents.document_dialog import DocumentDialog

        return DocumentDialog(self.ctx, RecordKind.PENALTY_CASE, self.uid, runner=self.runner, data_events=self.data_events,
                              parent=self)

    def open_documents(self) -> None:
        self.document_dialog().exec()
