"""人民调解登记: category, committee, two or more parties with their roles, the dispute in brief; and the agreement's
terms, one per row, for 达成调解协议."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from models.enums import MediationPartyRole, MediationSource, RecordKind, TermConcern
from models.labels import label
from services.core.context import AppContext
from services.core.errors import ValidationError, raise_first
from services.procedures.actions import FieldSpec
from services.procedures.mediation import MediationInput, MediationSummary, mediation_problems, register_mediation
from services.read import choices
from ui.forms.common import FormDialog, date_edit, parse_money, set_combo_data, to_date
from ui.forms.party_form import PartyPicker
from ui.i18n import data_text
from ui.widgets.attachments_panel import AttachmentsPanel
from ui.widgets.step_dialog import StepDialog


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
        self.check_on_leave("category", "committee", "applied_on", "parties", "summary", "amount")
        self.evidence.changed.connect(self._touched)
        self.finished.connect(lambda _code: self.evidence.discard_pending())  # saved files were moved already
        self._dirty = False

    def add_party(self, role: MediationPartyRole) -> PartyRow:
        row = PartyRow(self.ctx, role, self.parties_box)
        self.parties_layout.insertWidget(len(self.rows), row)
        self.rows.append(row)
        row.remove.clicked.connect(lambda: self._remove(row))
        row.picker.party_changed.connect(self._touched)
        if "parties" in self.watched:  # a row added later is checked when left like the first two
            self.check_on_leave("parties")
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

    def _own_problems(self) -> dict[str, str]:
        """What the form itself cannot read: a choice not made, a name typed but not picked, an amount."""
        found: dict[str, str] = {}
        if self.category.currentData() is None:
            found["category"] = self.tr("请选择纠纷类别")
        if self.committee.currentData() is None:
            found["committee"] = self.tr("请选择调解委员会")
        if any(r.picker.has_unresolved_text() for r in self.rows):
            found["parties"] = self.tr("请从下拉列表中选择当事人，或点击“新建当事人…”登记")
        try:
            parse_money(self.amount.text(), "amount", required=False)
        except ValidationError as exc:
            found["amount"] = exc.message
        return found

    def form_problems(self) -> dict[str, str]:
        """The form's own problems, then the registration's rules (services.procedures.mediation)."""
        found = self._own_problems()
        amount = None if "amount" in found else parse_money(self.amount.text(), "amount", required=False)
        for key, message in mediation_problems(self._input(amount), self.ctx.clock.today()).items():
            found.setdefault(key, message)
        return found

    def value(self) -> MediationInput:
        raise_first(self._own_problems())
        return self._input(parse_money(self.amount.text(), "amount", required=False))

    def _input(self, amount: Decimal | None) -> MediationInput:
        parties = [(uid, MediationPartyRole(r.role.currentData())) for r in self.rows if (uid := r.picker.party_uid())]
        return MediationInput(
            category_code=self.category.currentData() or "", committee_uid=self.committee.currentData() or "",
            applied_on=to_date(self.applied.date()), parties=parties, summary=self.summary.toPlainText(),
            source=MediationSource(self.source.currentData()), amount_involved=amount,
        )

    def save(self) -> MediationSummary:
        """Register the case and the evidence held on the form in one transaction."""
        summary = register_mediation(self.evidence.saving(self.ctx.uow()), self.value())
        self.evidence.saved(summary.uid)
        return summary


# A literal table, so the translation tool finds its texts (tools/update_translations.py).
_TERM_COLUMNS = ("义务人", "权利人", "内容", "金额（元）", "标的物或行为", "履行方式", "履行期限", "涉及")


class ObligationsEditor(QWidget):
    """The agreement's terms one per row (人民调解法 art.29 (三)): who owes whom what — an amount or an object —,
    how and by when, and whether the term settles an identity, adoption or marriage relation."""

    def __init__(self, parties: list[tuple[str, str]], today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parties, self.today = parties, today
        self.table = QTableWidget(0, len(_TERM_COLUMNS), self)
        self.table.setObjectName("obligations")
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("ObligationsEditor", _TERM_COLUMNS[i])
                                              for i in range(len(_TERM_COLUMNS))])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(130)
        add = QPushButton(self.tr("添加一项"), self)
        add.setObjectName("addObligation")
        self.remove = QPushButton(self.tr("删除所选"), self)
        add.clicked.connect(lambda: self.add_row())
        self.remove.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        # The usual term: the respondent (second party) owes the applicant (first).
        self.add_row(1 if len(parties) > 1 else 0, 0)

    def _party_combo(self, index: int) -> QComboBox:
        box = QComboBox(self.table)
        for uid, name in self.parties:
            box.addItem(name, uid)
        box.setCurrentIndex(min(index, box.count() - 1))
        return box

    def add_row(self, obligor: int = 1, obligee: int = 0) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setCellWidget(r, 0, self._party_combo(obligor))
        self.table.setCellWidget(r, 1, self._party_combo(obligee))
        for c, hint in ((2, self.tr("如：赔偿医疗费")), (3, "0.00"), (4, self.tr("如：排水沟约20米")),
                        (5, self.tr("如：一次性银行转账"))):
            edit = QLineEdit(self.table)
            edit.setPlaceholderText(hint)
            self.table.setCellWidget(r, c, edit)
        due = QDateEdit(self.table)
        due.setCalendarPopup(True)
        due.setDisplayFormat("yyyy-MM-dd")
        due.setDate(QDate(self.today.year, self.today.month, self.today.day))
        self.table.setCellWidget(r, 6, due)
        concern = QComboBox(self.table)
        for c in TermConcern:
            concern.addItem(data_text(label(c)), c.value)
        self.table.setCellWidget(r, 7, concern)
        return r

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()} or {self.table.currentRow()}, reverse=True)
        for r in rows:
            if r >= 0:
                self.table.removeRow(r)

    def set_row(self, r: int, **values: Any) -> None:
        """Fill a row (tests, scripted use): what, amount, subject, manner (text), due_on (date), concerns."""
        for key, c in (("what", 2), ("amount", 3), ("subject", 4), ("manner", 5)):
            if key in values:
                cast(QLineEdit, self.table.cellWidget(r, c)).setText(str(values[key]))
        if "due_on" in values:
            d: date = values["due_on"]
            cast(QDateEdit, self.table.cellWidget(r, 6)).setDate(QDate(d.year, d.month, d.day))
        if "concerns" in values:
            box = cast(QComboBox, self.table.cellWidget(r, 7))
            box.setCurrentIndex(max(box.findData(TermConcern(values["concerns"]).value), 0))

    def value(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.table.rowCount()):
            texts = [cast(QLineEdit, self.table.cellWidget(r, c)).text().strip() for c in (2, 3, 4, 5)]
            if not any(texts):
                continue  # an empty row left over: not a term
            d = cast(QDateEdit, self.table.cellWidget(r, 6)).date()
            out.append({"obligor_uid": cast(QComboBox, self.table.cellWidget(r, 0)).currentData(),
                        "obligee_uid": cast(QComboBox, self.table.cellWidget(r, 1)).currentData(),
                        "what": texts[0], "amount": texts[1], "subject": texts[2], "manner": texts[3],
                        "due_on": date(d.year(), d.month(), d.day()),
                        "concerns": cast(QComboBox, self.table.cellWidget(r, 7)).currentData()})
        return out


class AgreementDialog(StepDialog):
    """达成调解协议: the step's fields with the terms as a table (the service checks everything)."""

    def __init__(self, title: str, fields: tuple[FieldSpec, ...], *, today: date, parties: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        # 履行期限 is offered empty (（不填）: the service takes the last term's date); the terms are a table below.
        super().__init__(title, tuple(f for f in fields if f.kind != "obligations"), today=today, parent=parent)
        self.setMinimumWidth(960)
        self.obligations = ObligationsEditor(parties, today, self)
        layout = cast(QVBoxLayout, self.layout())
        label = QLabel(self.tr("协议内容（逐项写明义务人、权利人、内容、金额或者标的物、履行方式和期限）"), self)
        layout.insertWidget(layout.count() - 2, label)
        layout.insertWidget(layout.count() - 2, self.obligations)

    def set_value(self, key: str, value: Any) -> None:
        """``obligations``: a list of dicts as ``ObligationsEditor.value`` gives them (tests, scripted use)."""
        if key != "obligations":
            super().set_value(key, value)
            return
        editor = self.obligations
        editor.table.setRowCount(0)
        uids = [uid for uid, _name in editor.parties]
        for term in value:
            r = editor.add_row(uids.index(term["obligor_uid"]), uids.index(term["obligee_uid"]))
            editor.set_row(r, **{k: v for k, v in term.items() if k not in ("obligor_uid", "obligee_uid")})

    def value(self) -> dict[str, Any]:
        return {**super().value(), "obligations": self.obligations.value()}
