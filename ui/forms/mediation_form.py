"""人民调解登记: category, committee, two or more parties with their roles, the dispute in brief."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.enums import MediationPartyRole, MediationSource, RecordKind
from models.labels import label
from services.core.context import AppContext
from services.core.errors import ValidationError
from services.procedures.mediation import MediationInput, MediationSummary, register_mediation
from services.read import choices
from ui.forms.common import FormDialog, date_edit, parse_money, set_combo_data, to_date
from ui.forms.party_form import PartyPicker
from ui.i18n import data_text
from ui.widgets.attachments_panel import AttachmentsPanel


def role_label(r: MediationPartyRole) -> str:
    return data_text(label(r))


class PartyRow(QWidget):
    """One party of the dispute: picker, role and a remove button."""

    def __init__(self, ctx: AppContext, role: MediationPartyRole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = PartyPicker(ctx, self)
        self.role = QComboBox(self)
        for r in MediationPartyRole:
            self.role.addItem(role_label(r), r.value)
        set_combo_data(self.role, role.value)
        self.remove = QPushButton(self.tr("移除"), self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.role)
        row.addWidget(self.picker, 1)
        row.addWidget(self.remove)


class MediationDialog(FormDialog):
    """Register a dispute for mediation. ``result_value`` is the ``MediationSummary`` after 保存."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("人民调解登记"), parent)
        self.category = QComboBox(self)
        self.category.setObjectName("category")
        self.category.addItem(self.tr("（请选择）"), None)
        for code, name in choices.category_choices(ctx.reader()):
            self.category.addItem(name, code)
        self.committee = QComboBox(self)
        self.committee.setObjectName("committee")
        committees = choices.committee_choices(ctx.reader())
        if len(committees) != 1:
            self.committee.addItem(self.tr("（请选择）"), None)
        for uid, name in committees:
            self.committee.addItem(name, uid)
        self.source = QComboBox(self)
        for s in MediationSource:
            self.source.addItem(data_text(label(s)), s.value)
        self.applied = date_edit(self, ctx.clock.today())
        self.parties_box = QWidget(self)
        self.parties_layout = QVBoxLayout(self.parties_box)
        self.parties_layout.setContentsMargins(0, 0, 0, 0)
        self.parties_layout.setSpacing(4)
        self.rows: list[PartyRow] = []
        add = QPushButton(self.tr("添加当事人"), self)
        add.setObjectName("addParty")
        add_row = QHBoxLayout()
        add_row.addWidget(add)
        add_row.addStretch(1)
        self.parties_layout.addLayout(add_row)
        self.summary = QPlainTextEdit(self)
        self.summary.setFixedHeight(90)
        self.summary.setPlaceholderText(self.tr("纠纷的起因、经过和当事人的主要诉求"))
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("不涉及金额的不填"))
        self.amount.setMaximumWidth(200)

        form = self.new_form()
        self.add_row(form, "category", self.tr("纠纷类别"), self.category, required=True)
        self.add_row(form, "committee", self.tr("调解委员会"), self.committee, required=True)
        self.add_row(form, "source", self.tr("纠纷来源"), self.source)
        self.add_row(form, "applied_on", self.tr("申请（受理）日期"), self.applied, required=True)
        self.add_row(form, "parties", self.tr("当事人（两方以上）"), self.parties_box, required=True)
        self.add_row(form, "summary", self.tr("纠纷简要情况"), self.summary, required=True)
        self.add_row(form, "amount", self.tr("涉及金额（元）"), self.amount)
        self.body.addLayout(form)
        # The written application, contracts, photos of the damage: kept with the case from registration on.
        self.evidence = AttachmentsPanel(ctx, RecordKind.MEDIATION_CASE, self)
        self.evidence.hold()
        self.evidence.title.setStyleSheet("font-weight: bold;")  # a section of the form, like 检查项目
        self.body.addWidget(self.field("evidence", self.evidence))
        self.aliases = {"file": "evidence"}
        self.finish(720)

        add.clicked.connect(lambda: self.add_party(MediationPartyRole.OTHER))
        self.add_party(MediationPartyRole.APPLICANT)
        self.add_party(MediationPartyRole.RESPONDENT)
        self.evidence.changed.connect(self._touched)
        self.finished.connect(lambda _code: self.evidence.discard_pending())  # saved files were moved already
        self._dirty = False

    def add_party(self, role: MediationPartyRole) -> PartyRow:
        row = PartyRow(self.ctx, role, self.parties_box)
        self.parties_layout.insertWidget(len(self.rows), row)
        self.rows.append(row)
        row.remove.clicked.connect(lambda: self._remove(row))
        row.picker.party_changed.connect(self._touched)
        self._update_remove_buttons()
        return row

    def _remove(self, row: PartyRow) -> None:
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._update_remove_buttons()
        self._touched()

    def _update_remove_buttons(self) -> None:
        for r in self.rows:
            r.remove.setEnabled(len(self.rows) > 2)

    def value(self) -> MediationInput:
        if self.category.currentData() is None:
            raise ValidationError(self.tr("请选择纠纷类别"), field="category")
        if self.committee.currentData() is None:
            raise ValidationError(self.tr("请选择调解委员会"), field="committee")
        parties: list[tuple[str, MediationPartyRole]] = []
        for r in self.rows:
            if r.picker.has_unresolved_text():
                raise ValidationError(self.tr("请从下拉列表中选择当事人，或点击“新建当事人…”登记"), field="parties")
            uid = r.picker.party_uid()
            if uid:
                parties.append((uid, MediationPartyRole(r.role.currentData())))
        return MediationInput(
            category_code=self.category.currentData(), committee_uid=self.committee.currentData(),
            applied_on=to_date(self.applied.date()), parties=parties, summary=self.summary.toPlainText(),
            source=MediationSource(self.source.currentData()),
            amount_involved=parse_money(self.amount.text(), "amount", required=False),
        )

    def save(self) -> MediationSummary:
        """Register the case and the evidence held on the form in one transaction."""
        summary = register_mediation(self.evidence.saving(self.ctx.uow()), self.value())
        self.evidence.saved(summary.uid)
        return summary
