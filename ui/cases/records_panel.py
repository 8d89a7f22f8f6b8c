"""案卷材料: the records of a case file entered in the case view — interviews, evidence, service, and the other
written records — each through a dialog built from the record forms (services/procedures/records/forms.py)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from services.core.context import AppContext
from services.core.errors import AppError
from services.procedures import records
from services.procedures.records.forms import PRESERVATION_DECISION, RECORD_FORMS, perform_record
from services.read.queries import officer_choices
from ui.widgets.step_dialog import StepDialog, run_step, tr_label

OTHER_FORMS = ("investigation_report", "legal_review", "collective", "statement", "hearing", "preservation",
               "enforcement_application")


class RecordsPanel(QGroupBox):
    """The case's records by date; buttons open the form of each kind of record."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("案卷材料（笔录、证据、送达回证）"))
        self.ctx = ctx
        self.uid = ""
        self.list = QListWidget(self)
        self.list.setObjectName("recordsList")
        self.list.setMaximumHeight(150)
        self.other = QComboBox(self)
        self.other.setObjectName("otherRecord")
        for form in OTHER_FORMS:
            self.other.addItem(tr_label(RECORD_FORMS[form][0]), form)
        buttons = [(self.tr("询问笔录…"), "interviewButton", lambda: self.open_form("interview")),
                   (self.tr("登记证据…"), "evidenceButton", lambda: self.open_form("evidence")),
                   (self.tr("登记送达…"), "serviceButton", lambda: self.open_form("service")),
                   (self.tr("录入…"), "otherButton", lambda: self.open_form(self.other.currentData())),
                   (self.tr("保存处理决定…"), "preservationButton", self.decide_preservation)]
        grid = QGridLayout(self)
        grid.addWidget(self.list, 0, 0, 1, 6)
        for i, (text, name, slot) in enumerate(buttons):
            b = QPushButton(text, self)
            b.setObjectName(name)
            b.clicked.connect(slot)
            grid.addWidget(b, 1, i if i < 3 else i + 1)
            if i == 2:
                grid.addWidget(self.other, 1, 3)

    def load(self, uid: str) -> None:
        self.uid = uid
        self.list.clear()
        try:
            rows = records.list_records(self.ctx.reader(), uid)
        except AppError as exc:
            self.list.addItem(exc.message)
            self.setEnabled(False)
            return
        self.setEnabled(True)
        for r in rows:
            item = QListWidgetItem(f"{r.on_date}  {r.title}  {r.summary}")
            item.setData(Qt.ItemDataRole.UserRole, (r.uid, r.kind))
            self.list.addItem(item)
        if not rows:
            self.list.addItem(self.tr("尚未录入笔录、证据或送达回证"))

    def dialog_for(self, form: str) -> StepDialog:
        title, fields = RECORD_FORMS[form]
        today = self.ctx.clock.today()
        if form == "evidence":  # the photos of the case's evidence panel, to print on the 粘贴单
            photos = tuple(records.case_photos(self.ctx.reader(), self.uid))
            fields = tuple(replace(f, choices=photos) if f.key == "attachment" else f for f in fields)
        return StepDialog(tr_label(title), fields, today=today, officers=officer_choices(self.ctx.reader(), on=today),
                          parent=self)

    def open_form(self, form: str, dialog: StepDialog | None = None) -> bool:
        """Ask for the record and call its service; a refusal keeps the dialog open with the reason."""
        dlg = dialog or self.dialog_for(form)
        if not run_step(dlg, lambda v: perform_record(self.ctx.uow(), self.uid, form, v), ask=dialog is None):
            return False
        self.load(self.uid)
        return True

    def selected_preservation(self) -> str:
        item = self.list.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return data[0] if data and data[1] == "preservation" else ""

    def decide_preservation(self, dialog: StepDialog | None = None) -> bool:
        record_uid = self.selected_preservation()
        if not record_uid:
            self.list.setToolTip(self.tr("请先在列表中选中一条先行登记保存记录"))
            return False
        dlg = dialog or StepDialog(tr_label("先行登记保存处理决定"), PRESERVATION_DECISION,
                                   today=self.ctx.clock.today(), parent=self)
        ok = run_step(dlg, lambda v: records.decide_preservation(self.ctx.uow(), record_uid, on=v["on"],
                                                                 handling=v["handling"]), ask=dialog is None)
        if ok:
            self.load(self.uid)
        return ok
