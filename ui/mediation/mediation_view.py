"""Procedure view of one mediation case: parties, sessions, the agreement's terms, deadlines and allowed steps."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.enums import RecordKind
from models.mediation_flow import ACTION_LABELS, MediationAction
from services.core.context import AppContext
from services.procedures import mediation as mediation_service
from services.procedures.actions import MEDIATION_FIELDS, perform_mediation_action
from services.procedures.progress import mediation_actions
from services.read.details import sync_state
from ui.data_events import DataEvents
from ui.forms.mediation_form import AgreementDialog
from ui.i18n import data_text, step_text
from ui.operations import TaskRunner

if TYPE_CHECKING:
    from ui.documents.document_dialog import DocumentDialog
from ui.widgets.attachments_panel import AttachmentsPanel
from ui.widgets.deadline_table import DeadlineTable
from ui.widgets.step_dialog import StepDialog, run_step, step_button


class MediationView(QWidget):
    """A step that succeeded is told to ``data_events`` (the lists and the 工作台 read it again)."""

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, data_events: DataEvents,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner, self.data_events = ctx, runner, data_events
        self.uid = ""
        self.detail: mediation_service.MediationDetail | None = None
        self.header = QLabel(self)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.history = QListWidget(self)
        self.history.setWordWrap(True)  # a long agreement wraps instead of scrolling sideways
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setResizeMode(QListWidget.ResizeMode.Adjust)
        # The agreement as recorded: responsibility, then each term (人民调解法 art.29).
        self.agreement = QLabel(self)
        self.agreement.setWordWrap(True)
        self.terms = QTableWidget(0, 6, self)
        self.terms.setObjectName("terms")
        self.terms.setHorizontalHeaderLabels([self.tr("义务人"), self.tr("权利人"), self.tr("内容"),
                                              self.tr("金额或标的物"), self.tr("履行方式"), self.tr("履行期限")])
        self.terms.verticalHeader().setVisible(False)
        self.terms.setMaximumHeight(130)
        self.blocker = QLabel(self)
        self.blocker.setObjectName("confirmationBlocker")
        self.blocker.setWordWrap(True)
        self.blocker.setStyleSheet("color: #b26a00;")
        self.deadlines = DeadlineTable(self)
        self.documents_button = QPushButton(self.tr("执法文书…"), self)
        self.documents_button.setObjectName("documentsButton")
        self.documents_button.clicked.connect(self.open_documents)
        self.actions_box = QGroupBox(self.tr("可办理的环节"), self)
        self.actions_layout = QGridLayout(self.actions_box)
        self.buttons: dict[MediationAction, QPushButton] = {}
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.addWidget(QLabel(self.tr("调解经过"), left))
        lv.addWidget(self.history)
        lv.addWidget(self.agreement)
        lv.addWidget(self.terms)
        lv.addWidget(self.blocker)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.addWidget(QLabel(self.tr("期限"), right))
        rv.addWidget(self.deadlines)
        rv.addWidget(self.actions_box)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        # Evidence of the dispute (applications, agreements, photos), as on the penalty case view.
        self.attachments = AttachmentsPanel(ctx, RecordKind.MEDIATION_CASE, self)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.header, 1)
        head.addWidget(self.documents_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        layout.addWidget(split, 1)
        layout.addWidget(self.attachments)

    def load(self, uid: str) -> None:
        self.uid = uid
        self.detail = mediation_service.get_mediation(self.ctx.reader(), uid)
        d = self.detail
        self.header.setText(
            f"<b style='font-size:15px'>{d.summary.number}</b>　<span style='color:#1565c0'>{data_text(d.summary.status_label)}"
            f"</span>　{d.summary.category}<br>{self.tr('当事人')}：{'、'.join(d.parties)}　"
            f"{self.tr('调解委员会')}：{d.committee}<br>{d.description}"
            f"<br><span style='color:#666'>{self.tr('同步')}：{sync_state(self.ctx.reader(), RecordKind.MEDIATION_CASE, d.summary.uid)}</span>"
        )
        self.history.clear()
        for line in d.history:
            self.history.addItem(line)
        self.deadlines.set_deadlines([replace(x, label=data_text(x.label)) for x in d.deadlines],
                                     self.ctx.clock.today())
        self._show_terms(d)
        for b in self.buttons.values():
            b.deleteLater()
        self.buttons.clear()
        for i, option in enumerate(mediation_actions(self.ctx.reader(), uid)):
            b = step_button(option, self.actions_box, lambda a=option.action: self.run_action(a))
            self.actions_layout.addWidget(b, i // 4, i % 4)
            self.buttons[option.action] = b
        self.attachments.load(uid)

    def _show_terms(self, d: mediation_service.MediationDetail) -> None:
        parts = [f"{self.tr('争议事项')}：{d.disputed_issues}" if d.disputed_issues else "",
                 f"{self.tr('各方当事人的责任')}：{d.responsibility}" if d.responsibility else ""]
        self.agreement.setText("<br>".join(p for p in parts if p))
        self.agreement.setVisible(any(parts))
        self.terms.setRowCount(len(d.obligations))
        for r, o in enumerate(d.obligations):
            what = o.what + (f"（{data_text(o.concerns)}）" if o.concerns else "")
            thing = "；".join(x for x in (f"{o.amount}元" if o.amount is not None else "", o.subject) if x)
            for c, text in enumerate((o.obligor, o.obligee, what, thing or self.tr("（未写明）"), o.manner,
                                      o.due_on.isoformat())):
                self.terms.setItem(r, c, QTableWidgetItem(text))
        self.terms.setVisible(bool(d.obligations))
        # Told before the parties go to court: what the court would refuse (services decide, the view shows).
        self.blocker.setText(self.tr("不能申请司法确认：{reason}").format(reason=d.confirmation_blocker)
                             if d.confirmation_blocker else "")
        self.blocker.setVisible(bool(d.confirmation_blocker))

    def dialog_for(self, action: MediationAction) -> StepDialog:
        assert self.detail is not None
        if action is MediationAction.SUCCEED:
            return AgreementDialog(step_text(ACTION_LABELS[action]), MEDIATION_FIELDS[action],
                                   today=self.ctx.clock.today(), parties=list(self.detail.party_choices), parent=self)
        return StepDialog(step_text(ACTION_LABELS[action]), MEDIATION_FIELDS[action], today=self.ctx.clock.today(),
                          officers=list(self.detail.mediator_choices), parent=self)

    def run_action(self, action: MediationAction, dialog: StepDialog | None = None) -> bool:
        dlg = dialog or self.dialog_for(action)
        if not run_step(dlg, lambda values: perform_mediation_action(self.ctx.uow(), self.uid, action, values),
                        ask=dialog is None):
            return False
        self.load(self.uid)
        self.data_events.notify("mediations")
        return True

    def document_dialog(self) -> DocumentDialog:
        # Imported on first use: ReportLab and the fonts are not needed to open the window.
        from ui.documents.document_dialog import DocumentDialog

        return DocumentDialog(self.ctx, RecordKind.MEDIATION_CASE, self.uid, runner=self.runner, data_events=self.data_events,
                              parent=self)

    def open_documents(self) -> None:
        self.document_dialog().exec()
