"""新建检查记录: time, place, officers certified that day, a checklist, the result, and “open a case” after 立案."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.enums import CaseSource, InspectionResult, ItemResult, RecordKind
from models.labels import label
from services.core.context import AppContext
from services.core.errors import ValidationError
from services.procedures.cases import CaseSummary
from services.procedures.inspections import (
    ChecklistLine,
    InspectionInput,
    InspectionSummary,
    inspection_problems,
    record_inspection,
)
from services.read import choices, queries
from services.read.choices import CampaignChoice, InspectionChoice
from ui.forms.case_form import ClueDefaults, ClueDialog
from ui.forms.common import (
    HINT_COLOR,
    FormDialog,
    OfficerChecklist,
    date_edit,
    datetime_edit,
    set_combo_data,
    to_date,
    to_datetime,
)
from ui.forms.party_form import PartyPicker
from ui.i18n import data_text
from ui.qt_compat import emit
from ui.widgets.attachments_panel import AttachmentsPanel

_ITEM_RESULTS = {ItemResult.OK: "无问题", ItemResult.PROBLEM: "有问题", ItemResult.NOT_APPLICABLE: "不适用"}


def item_result_label(r: ItemResult) -> str:
    return QCoreApplication.translate("ItemResult", _ITEM_RESULTS[r])


class ChecklistTable(QTableWidget):
    """检查项目: what was checked, the result (combo) and a note. Fixed row height."""

    TEXT, RESULT, NOTE = range(3)
    edited = Signal()  # the user changed a text, a result or a note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.itemChanged.connect(lambda _item: emit(self.edited))
        self.setObjectName("checklist")
        self.setHorizontalHeaderLabels([self.tr("检查内容"), self.tr("结果"), self.tr("备注")])
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(28)
        hh = self.horizontalHeader()
        hh.setSectionResizeMode(self.TEXT, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(self.RESULT, QHeaderView.ResizeMode.Fixed)
        hh.setSectionResizeMode(self.NOTE, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(self.RESULT, 96)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

    def add_line(self, text: str = "", result: ItemResult | None = None, note: str = "") -> int:
        """A line; its result starts unanswered (（请选择）): 无问题 is a finding, stated line by line."""
        row = self.rowCount()
        self.insertRow(row)
        self.setItem(row, self.TEXT, QTableWidgetItem(text))
        combo = QComboBox(self)
        combo.addItem(self.tr("（请选择）"), None)
        for r in ItemResult:
            combo.addItem(item_result_label(r), r.value)
        if result is not None:
            set_combo_data(combo, result.value)
        combo.activated.connect(lambda _i: emit(self.edited))
        self.setCellWidget(row, self.RESULT, combo)
        self.setItem(row, self.NOTE, QTableWidgetItem(note))
        return row

    def set_lines(self, texts: list[str]) -> None:
        self.setRowCount(0)
        for t in texts:
            self.add_line(t)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.selectedIndexes()}, reverse=True):
            self.removeRow(row)

    def result_combo(self, row: int) -> QComboBox:
        w = self.cellWidget(row, self.RESULT)
        assert isinstance(w, QComboBox)
        return w

    def set_result(self, row: int, result: ItemResult) -> None:
        set_combo_data(self.result_combo(row), result.value)

    def texts(self) -> list[str]:
        return [(self.item(r, self.TEXT).text() if self.item(r, self.TEXT) else "") for r in range(self.rowCount())]

    def lines(self) -> list[ChecklistLine]:
        out = []
        for r in range(self.rowCount()):
            text = self.item(r, self.TEXT).text().strip() if self.item(r, self.TEXT) else ""
            note = self.item(r, self.NOTE).text().strip() if self.item(r, self.NOTE) else ""
            if not text:
                continue  # an empty line added by mistake is not a checklist item
            answer = self.result_combo(r).currentData()
            out.append(ChecklistLine(text, ItemResult(answer) if answer is not None else None, note))
        return out

    def untouched(self, template: list[str]) -> bool:
        """Still the prefilled lines, none answered (so a new domain may replace them)."""
        return self.texts() == template and all(
            self.result_combo(r).currentData() is None and not (self.item(r, self.NOTE) and
                                                                self.item(r, self.NOTE).text())
            for r in range(self.rowCount()))


class InspectionDialog(FormDialog):
    """Record one inspection. ``result_value`` is the ``InspectionSummary`` after 保存."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("新建检查记录"), parent)
        now = ctx.clock.now()
        start = (now - timedelta(hours=1)).replace(minute=now.minute - now.minute % 10, second=0, microsecond=0)
        self.started = datetime_edit(self, start)
        self.ended = datetime_edit(self, now.replace(second=0, microsecond=0))
        times = QWidget(self)
        tl = QHBoxLayout(times)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.started)
        tl.addWidget(QLabel(self.tr("至"), self))
        tl.addWidget(self.ended)
        tl.addStretch(1)
        self.place = QLineEdit(self)
        self.place.setPlaceholderText(self.tr("如：竹根镇桥沟街12号门前"))
        self.domain = QComboBox(self)
        self.domain.setObjectName("domain")
        self.domain.addItem(self.tr("（不限领域）"), "")
        for d in queries.domains(ctx.reader()):
            self.domain.addItem(d, d)
        self.party = PartyPicker(ctx, self)
        self.campaign = QComboBox(self)
        self.campaign.setObjectName("campaign")
        self.reinspection = QComboBox(self)
        self.reinspection.setObjectName("reinspection")
        self.reinspection.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reinspection.setMinimumContentsLength(20)
        self.officers = OfficerChecklist(self)
        self.officers.setFixedHeight(132)
        officer_hint = QLabel(self.tr("检查当日执法证无效的人员（红色）不能选择"), self)
        officer_hint.setStyleSheet(f"color: {HINT_COLOR};")
        self.vehicles = QSpinBox(self)
        self.vehicles.setRange(0, 99)
        self.vehicles.setSuffix(self.tr(" 台次"))
        self.businesses = QSpinBox(self)
        self.businesses.setRange(0, 9999)
        self.businesses.setValue(1)
        self.businesses.setSuffix(self.tr(" 户次"))
        counts = QWidget(self)
        cl = QHBoxLayout(counts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.vehicles)
        cl.addSpacing(8)
        cl.addWidget(QLabel(self.tr("检查经营户"), self))
        cl.addWidget(self.businesses)
        cl.addStretch(1)

        left = self.new_form()
        self.add_row(left, "started_at", self.tr("检查时间"), times, required=True)
        self._inputs["started_at"] = self.started
        self.add_row(left, "place", self.tr("检查地点"), self.place, required=True)
        self.add_row(left, "domain", self.tr("检查领域"), self.domain)
        self.add_row(left, "party", self.tr("被检查人"), self.party)
        self.add_row(left, "campaign", self.tr("专项整治"), self.campaign)
        self.add_row(left, "reinspection_of", self.tr("复查原检查"), self.reinspection)
        right = self.new_form()
        self.add_row(right, "officers", self.tr("执法人员"), self.officers, required=True)
        right.addRow("", officer_hint)
        self.add_row(right, "vehicle_turnout", self.tr("出动车辆"), counts)
        self._inputs["vehicle_turnout"] = self.vehicles
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addSpacing(16)
        top.addLayout(right, 2)
        self.body.addLayout(top)

        self.checklist = ChecklistTable(self)
        self.checklist.setMinimumHeight(150)
        add = QPushButton(self.tr("添加一行"), self)
        remove = QPushButton(self.tr("删除所选行"), self)
        refill = QPushButton(self.tr("按领域重新填入"), self)
        buttons = QVBoxLayout()
        for b in (add, remove, refill):
            buttons.addWidget(b)
        buttons.addStretch(1)
        checks = QWidget(self)
        check_row = QHBoxLayout(checks)
        check_row.setContentsMargins(0, 0, 0, 0)
        check_row.addWidget(self.checklist, 1)
        check_row.addLayout(buttons)
        title = QLabel(self.tr("检查项目"), self)
        title.setStyleSheet("font-weight: bold;")
        self.body.addWidget(title)
        self.body.addWidget(self.field("items", checks))
        self._inputs["items"] = self.checklist

        self.findings = QPlainTextEdit(self)
        self.findings.setPlaceholderText(self.tr("检查发现的问题、现场整改情况等"))
        self.findings.setFixedHeight(64)
        self.result = QComboBox(self)
        self.result.setObjectName("result")
        self.result.addItem(self.tr("（请选择）"), None)  # a verdict: the officers give it, never assumed 合格
        for r in InspectionResult:
            self.result.addItem(data_text(label(r)), r.value)
        today = ctx.clock.today()
        self.deadline = date_edit(self, today + timedelta(days=7))
        self.transfer_to = QLineEdit(self)
        self.transfer_to.setPlaceholderText(self.tr("如：区市场监督管理局"))
        bottom_left = self.new_form()
        self.add_row(bottom_left, "findings", self.tr("发现的问题"), self.findings)
        bottom_right = self.new_form()
        self.add_row(bottom_right, "result", self.tr("检查结论"), self.result, required=True)
        self.add_row(bottom_right, "rectification_deadline", self.tr("整改期限"), self.deadline)
        self.add_row(bottom_right, "transfer_to", self.tr("接收部门"), self.transfer_to)
        bottom = QHBoxLayout()
        bottom.addLayout(bottom_left, 3)
        bottom.addSpacing(16)
        bottom.addLayout(bottom_right, 2)
        self.body.addLayout(bottom)
        # Evidence taken on the spot is added while recording; it is stored in the same save as the inspection.
        self.evidence = AttachmentsPanel(ctx, RecordKind.INSPECTION, self)
        self.evidence.hold()
        self.evidence.title.setStyleSheet("font-weight: bold;")  # a section of the form, like 检查项目
        self.body.addWidget(self.field("evidence", self.evidence))
        self.aliases = {"ended_at": "started_at", "businesses_inspected": "vehicle_turnout", "campaign": "campaign",
                        "file": "evidence"}
        self.finish(980)
        self.check_on_leave("started_at", "place", "party", "vehicle_turnout", "findings", "result",
                            "rectification_deadline", "transfer_to")
        self.check_on_leave("officers", lines=2)  # art.42's message takes two lines in the narrow column
        self.check_on_leave("items")  # the table (its answers are checked again on 保存)

        self._template: list[str] = []
        self._campaigns: list[CampaignChoice] = []
        self._candidates: list[InspectionChoice] = []
        self.checklist.edited.connect(self._touched)
        add.clicked.connect(lambda: self.checklist.add_line())
        remove.clicked.connect(self.checklist.remove_selected)
        refill.clicked.connect(lambda: self._fill_checklist(force=True))
        self.started.dateTimeChanged.connect(lambda _d: self._on_day_changed())
        self.domain.currentIndexChanged.connect(lambda _i: self._fill_checklist())
        self.campaign.activated.connect(self._on_campaign_activated)
        self.reinspection.activated.connect(self._on_reinspection_activated)
        self.party.party_changed.connect(lambda _p: self._reload_candidates())
        self.result.currentIndexChanged.connect(self._on_result_changed)
        self.evidence.changed.connect(self._touched)
        self.finished.connect(lambda _code: self.evidence.discard_pending())  # saved files were moved already
        self._day: date | None = None
        self._on_day_changed()
        self._fill_checklist(force=True)
        self._on_result_changed()
        self._dirty = False

    # -- reactions -------------------------------------------------------------------------------------------

    def day(self) -> date:
        return to_date(self.started.date())

    def _on_day_changed(self) -> None:
        day = self.day()
        if day == self._day:
            return
        self._day = day
        self.officers.set_officers(queries.officer_picks(self.ctx.reader(), on=day))
        keep = self.campaign.currentData()
        self._campaigns = choices.campaign_choices(self.ctx.reader(), on=day)
        self.campaign.clear()
        self.campaign.addItem(self.tr("（不属于专项整治）"), None)
        for c in self._campaigns:
            self.campaign.addItem(c.label, c.uid)
        set_combo_data(self.campaign, keep)
        self._reload_candidates()

    def _reload_candidates(self) -> None:
        keep = self.reinspection.currentData()
        self._candidates = choices.reinspection_candidates(self.ctx.reader(), on=self.day(),
                                                           party_uid=self.party.party_uid())
        self.reinspection.clear()
        self.reinspection.addItem(self.tr("（不是复查）"), None)
        for c in self._candidates:
            self.reinspection.addItem(c.label, c.uid)
        set_combo_data(self.reinspection, keep)

    def _fill_checklist(self, *, force: bool = False) -> None:
        template = choices.checklist_template(self.domain.currentData() or "")
        if force or self.checklist.rowCount() == 0 or self.checklist.untouched(self._template):
            self.checklist.set_lines(template)
            self._template = template

    def _on_campaign_activated(self, _index: int) -> None:
        uid = self.campaign.currentData()
        chosen = next((c for c in self._campaigns if c.uid == uid), None)
        if chosen is not None and chosen.domain:
            set_combo_data(self.domain, chosen.domain)

    def _on_reinspection_activated(self, _index: int) -> None:
        uid = self.reinspection.currentData()
        original = next((c for c in self._candidates if c.uid == uid), None)
        if original is None:
            return
        if not self.place.text().strip():
            self.place.setText(original.place)
        if original.domain:
            set_combo_data(self.domain, original.domain)
        if original.party is not None and self.party.party() is None:
            self.party.blockSignals(True)  # keep the list of originals as it is
            self.party.set_party(original.party)
            self.party.blockSignals(False)

    def _chosen_result(self) -> InspectionResult | None:
        data = self.result.currentData()
        return InspectionResult(data) if data is not None else None

    def _on_result_changed(self, *_args: object) -> None:
        result = self._chosen_result()
        self.deadline.setEnabled(result is InspectionResult.ORDERED)
        self.transfer_to.setEnabled(result is InspectionResult.TRANSFERRED)
        if result is not InspectionResult.ORDERED:
            self.set_message("rectification_deadline", None)
        if result is not InspectionResult.TRANSFERRED:
            self.set_message("transfer_to", None)

    # -- saving ----------------------------------------------------------------------------------------------

    def _unresolved_party(self) -> str:
        if not self.party.has_unresolved_text():
            return ""
        return self.tr("请从下拉列表中选择被检查人，或点击“新建当事人…”登记；没有被检查人的请清空")

    def form_problems(self) -> dict[str, str]:
        """The inspection's rules (services.procedures.inspections) on what is entered, and a party name typed but
        not picked."""
        found = inspection_problems(self._input(), self.ctx.clock.today())
        if self._unresolved_party():
            found.setdefault("party", self._unresolved_party())
        return found

    def value(self) -> InspectionInput:
        if self._unresolved_party():
            raise ValidationError(self._unresolved_party(), field="party")
        return self._input()

    def _input(self) -> InspectionInput:
        tz = self.ctx.clock.now().tzinfo
        result = self._chosen_result()
        return InspectionInput(
            started_at=to_datetime(self.started.dateTime(), tz), ended_at=to_datetime(self.ended.dateTime(), tz),
            place=self.place.text(), officer_uids=self.officers.checked_uids(), result=result,
            items=self.checklist.lines(), domain=self.domain.currentData() or "", party_uid=self.party.party_uid(),
            campaign_uid=self.campaign.currentData(), findings=self.findings.toPlainText().strip(),
            rectification_deadline=to_date(self.deadline.date()) if result is InspectionResult.ORDERED else None,
            reinspection_of_uid=self.reinspection.currentData(), vehicle_turnout=self.vehicles.value(),
            businesses_inspected=self.businesses.value(),
            transfer_to=self.transfer_to.text().strip() if result is InspectionResult.TRANSFERRED else "",
        )

    def save(self) -> InspectionSummary:
        """Record the inspection and the evidence held on the form in one transaction."""
        summary = record_inspection(self.evidence.saving(self.ctx.uow()), self.value())
        self.evidence.saved(summary.uid)
        return summary

    def clue_defaults(self) -> ClueDefaults:
        """What a case opened from the saved inspection starts with."""
        summary = self.result_value
        assert isinstance(summary, InspectionSummary)
        return ClueDefaults(party=self.party.party(), source=CaseSource.INSPECTION, source_inspection_uid=summary.uid,
                            domain=self.domain.currentData() or "", place=summary.place,
                            facts=self.findings.toPlainText().strip(), act_date=summary.inspected_on)


def ask_open_case(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("InspectionForm", "登记案件"),
        QCoreApplication.translate("InspectionForm", "检查结论为“立案”。是否现在根据本次检查登记案件线索？"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


def offer_case(ctx: AppContext, parent: QWidget, dialog: InspectionDialog, *,
               confirm: Callable[[QWidget], bool] = ask_open_case) -> CaseSummary | None:
    """After an inspection concluded 立案: offer the clue form prefilled from it; returns the new case or None."""
    summary = dialog.result_value
    if not isinstance(summary, InspectionSummary) or summary.result is not InspectionResult.CASE_OPENED:
        return None
    if not confirm(parent):
        return None
    clue = ClueDialog(ctx, parent, dialog.clue_defaults())
    if clue.exec() != ClueDialog.DialogCode.Accepted:
        return None
    result = clue.result_value
    return result if isinstance(result, CaseSummary) else None
