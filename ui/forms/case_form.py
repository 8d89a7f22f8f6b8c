"""新建案件线索 (general procedure) and 当场处罚 (summary procedure) forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from models.enums import CaseSource, PartyKind
from models.labels import label
from services.core.context import AppContext
from services.core.errors import ValidationError
from services.people.parties import PartyInfo
from services.procedures import cases as case_service
from services.procedures.cases import CaseSummary, ClueInput, SummaryInput
from services.read import choices, queries
from services.read.choices import PowerItemChoice
from ui.forms.common import (
    HINT_COLOR,
    FormDialog,
    OfficerChecklist,
    date_edit,
    parse_money,
    set_combo_data,
    to_date,
)
from ui.forms.party_form import PartyPicker
from ui.i18n import data_text
from ui.qt_compat import emit


def source_label(s: CaseSource) -> str:
    return data_text(label(s))


class PowerItemCombo(QComboBox):
    """Catalogue items as “code name（statutory range）”; type to search (matches anywhere in the text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("powerItem")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.view().setMinimumWidth(560)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lineEdit().setPlaceholderText(self.tr("输入编码或名称查找赋权事项"))
        self.items: list[PowerItemChoice] = []

    def set_items(self, items: list[PowerItemChoice]) -> None:
        keep = self.code()
        self.blockSignals(True)
        self.clear()
        self.items = list(items)
        for it in self.items:
            self.addItem(it.label, it.code)
        self.setCurrentIndex(-1)
        self.blockSignals(False)
        if keep:
            i = self.findData(keep)
            self.setCurrentIndex(i)
        if self.currentIndex() < 0:
            self.setEditText("")
        emit(self.currentIndexChanged, self.currentIndex())

    def current(self) -> PowerItemChoice | None:
        i = self.currentIndex()
        if i < 0 or self.currentText() != self.itemText(i):
            return None  # typed text that matches no item
        return self.items[i]

    def code(self) -> str | None:
        item = self.current()
        return item.code if item else None

    def select_code(self, code: str) -> None:
        self.setCurrentIndex(self.findData(code))


@dataclass(frozen=True)
class ClueDefaults:
    """What an inspection hands over when a case is opened from it."""

    party: PartyInfo | None = None
    source: CaseSource = CaseSource.INSPECTION
    source_inspection_uid: str | None = None
    domain: str = ""
    place: str = ""
    facts: str = ""
    act_date: date | None = None


class _CaseForm(FormDialog):
    """The fields both case forms share: party, domain filter, catalogue item and cause."""

    def _build_common(self, form: QFormLayout) -> None:
        self.party = PartyPicker(self.ctx, self)
        self.domain = QComboBox(self)
        self.domain.setObjectName("domain")
        self.domain.addItem(self.tr("全部领域"), None)
        for d in queries.domains(self.ctx.reader()):
            self.domain.addItem(d, d)
        self.power_item = PowerItemCombo(self)
        self.item_hint = QLabel(self)
        self.item_hint.setObjectName("itemHint")
        self.item_hint.setWordWrap(True)
        self.item_hint.setStyleSheet(f"color: {HINT_COLOR};")
        item_box = QWidget(self)
        ib = QHBoxLayout(item_box)
        ib.setContentsMargins(0, 0, 0, 0)
        ib.addWidget(self.domain)
        ib.addWidget(self.power_item, 1)
        self.cause = QLineEdit(self)
        self.cause.setPlaceholderText(self.tr("如：涉嫌在禁止时段露天烧烤食品"))
        self.add_row(form, "party", self.tr("当事人"), self.party, required=True)
        self.add_row(form, "power_item", self.tr("赋权事项"), item_box, required=True)
        self._inputs["power_item"] = self.power_item
        form.addRow("", self.item_hint)
        self.add_row(form, "cause", self.tr("案由"), self.cause, required=True)
        self._auto_cause = ""
        self.party.party_changed.connect(lambda _p: self.reload_items())
        self.domain.currentIndexChanged.connect(lambda _i: self.reload_items())
        self.power_item.currentIndexChanged.connect(self._on_power_item_changed)

    def item_date(self) -> date:
        raise NotImplementedError

    def reload_items(self) -> None:
        party = self.party.party()
        kind: PartyKind | None = party.kind if party else None
        self.power_item.set_items(choices.power_item_choices(self.ctx.reader(), on=self.item_date(), party_kind=kind,
                                                             domain=self.domain.currentData()))

    def _on_power_item_changed(self, _index: int) -> None:
        item = self.power_item.current()
        if item is None:
            self.item_hint.setText(self.tr("事项按当事人类型和违法行为发生时有效的版本列出"))
            return
        self.item_hint.setText(self.tr("法定幅度：{range}；处罚种类：{types}\n处罚依据：{basis}").format(
            range=item.range_text, types=item.penalty_types or "—", basis=item.penalty_provision or "—"))
        if not self.cause.text().strip() or self.cause.text() == self._auto_cause:
            self._auto_cause = self.tr("涉嫌{name}").format(name=item.name)
            self.cause.setText(self._auto_cause)
            self.cause.setCursorPosition(0)

    def _party_uid(self) -> str:
        if self.party.has_unresolved_text():
            raise ValidationError(self.tr("请从下拉列表中选择当事人，或点击“新建当事人…”登记"), field="party")
        uid = self.party.party_uid()
        if not uid:
            raise ValidationError(self.tr("请选择当事人"), field="party")
        return uid

    def _item_code(self) -> str:
        code = self.power_item.code()
        if not code:
            raise ValidationError(self.tr("请从列表中选择赋权事项"), field="power_item")
        return code


class ClueDialog(_CaseForm):
    """线索登记: ``result_value`` is the new case's ``CaseSummary``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, defaults: ClueDefaults | None = None) -> None:
        super().__init__(ctx, self.tr("新建案件线索"), parent)
        d = defaults or ClueDefaults(source=CaseSource.COMPLAINT)
        today = ctx.clock.today()
        self.defaults = d
        form = self.new_form()
        self._build_common(form)
        self.act_date = date_edit(self, d.act_date or today)
        self.continuing = QCheckBox(self.tr("行为有连续或继续状态，终了于"), self)
        self.act_ended = date_edit(self, d.act_date or today)
        self.act_ended.setEnabled(False)
        act_box = QWidget(self)
        ab = QHBoxLayout(act_box)
        ab.setContentsMargins(0, 0, 0, 0)
        ab.addWidget(self.act_date)
        ab.addSpacing(12)
        ab.addWidget(self.continuing)
        ab.addWidget(self.act_ended)
        ab.addStretch(1)
        self.discovered = date_edit(self, d.act_date or today)
        self.registered = date_edit(self, today)
        dates = QWidget(self)
        db = QHBoxLayout(dates)
        db.setContentsMargins(0, 0, 0, 0)
        db.addWidget(self.discovered)
        db.addSpacing(12)
        db.addWidget(QLabel(self.tr("登记日期"), self))
        db.addWidget(self.registered)
        db.addStretch(1)
        self.source = QComboBox(self)
        for s in CaseSource:
            self.source.addItem(source_label(s), s.value)
        set_combo_data(self.source, d.source.value)
        self.place = QLineEdit(d.place, self)
        self.facts = QPlainTextEdit(d.facts, self)
        self.facts.setFixedHeight(80)
        self.facts.setPlaceholderText(self.tr("违法行为的时间、地点、经过及现场情况"))
        self.harm = QCheckBox(self.tr("已造成危害后果（涉及公民生命健康安全、金融安全的，追责时效为五年）"), self)
        self.add_row(form, "act_date", self.tr("违法行为发生日期"), act_box, required=True)
        self._inputs["act_date"] = self.act_date
        self.add_row(form, "discovered_on", self.tr("发现日期"), dates, required=True)
        self._inputs["discovered_on"] = self.discovered
        self.aliases = {"registered_on": "discovered_on", "act_ended_on": "act_date"}
        self.add_row(form, "source", self.tr("案件来源"), self.source)
        self.add_row(form, "place", self.tr("违法地点"), self.place)
        self.add_row(form, "facts", self.tr("违法事实"), self.facts)
        self.add_row(form, "harm", "", self.harm)
        self.body.addLayout(form)
        self.finish(680)
        self.check_on_leave("party", "power_item", "cause", "act_date", "discovered_on")

        self.continuing.toggled.connect(self.act_ended.setEnabled)
        self.act_date.dateChanged.connect(lambda _d: self.reload_items())
        if d.domain:
            set_combo_data(self.domain, d.domain)
        if d.party is not None:
            self.party.set_party(d.party)  # also reloads the items
        else:
            self.reload_items()

    def item_date(self) -> date:
        return to_date(self.act_date.date())

    def form_problems(self) -> dict[str, str]:
        """The party and the item (as the form reads them), then the clue's rules (services: register_clue)."""
        found: dict[str, str] = {}
        for key, read in (("party", self._party_uid), ("power_item", self._item_code)):
            try:
                read()
            except ValidationError as exc:
                found[key] = exc.message
        for key, message in case_service.clue_problems(self._input("", ""), self.ctx.clock.today()).items():
            found.setdefault(key, message)
        return found

    def value(self) -> ClueInput:
        return self._input(self._party_uid(), self._item_code())  # the party first: it decides the items offered

    def _input(self, party_uid: str, item_code: str) -> ClueInput:
        return ClueInput(
            party_uid=party_uid, power_item_code=item_code, cause=self.cause.text(),
            act_date=to_date(self.act_date.date()), discovered_on=to_date(self.discovered.date()),
            registered_on=to_date(self.registered.date()), source=CaseSource(self.source.currentData()),
            act_ended_on=to_date(self.act_ended.date()) if self.continuing.isChecked() else None,
            place=self.place.text().strip(), facts=self.facts.toPlainText().strip(),
            harmful_consequences=self.harm.isChecked(), source_inspection_uid=self.defaults.source_inspection_uid,
        )

    def save(self) -> CaseSummary:
        return case_service.register_clue(self.ctx.uow(), self.value())


class SummaryDialog(_CaseForm):
    """当场处罚 (简易程序): ``result_value`` is the decided case's ``CaseSummary``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("当场处罚（简易程序）"), parent)
        today = ctx.clock.today()
        form = self.new_form()
        intro = QLabel(self.tr("违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款"
                               "或者警告的，可以当场作出行政处罚决定（《中华人民共和国行政处罚法》第五十一条）。"), self)
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {HINT_COLOR};")
        self.body.addWidget(intro)
        self._build_common(form)
        self.officers = OfficerChecklist(self)
        self.officers.setFixedHeight(96)
        self.act_date = date_edit(self, today)
        self.decided = date_edit(self, today)
        dates = QWidget(self)
        db = QHBoxLayout(dates)
        db.setContentsMargins(0, 0, 0, 0)
        db.addWidget(self.act_date)
        db.addSpacing(12)
        db.addWidget(QLabel(self.tr("决定日期"), self))
        db.addWidget(self.decided)
        db.addStretch(1)
        self.fine = QLineEdit(self)
        self.fine.setPlaceholderText(self.tr("填 0 为警告"))
        self.fine.setMaximumWidth(160)
        self.paid = QCheckBox(self.tr("当场收缴罚款"), self)
        self.receipt = QLineEdit(self)
        self.receipt.setPlaceholderText(self.tr("财政部门统一制发的罚款收据号"))
        self.receipt.setEnabled(False)
        fine_box = QWidget(self)
        fb = QHBoxLayout(fine_box)
        fb.setContentsMargins(0, 0, 0, 0)
        fb.addWidget(self.fine)
        fb.addSpacing(12)
        fb.addWidget(self.paid)
        fb.addWidget(self.receipt, 1)
        self.place = QLineEdit(self)
        self.facts = QPlainTextEdit(self)
        self.facts.setFixedHeight(64)
        self.add_row(form, "officers", self.tr("执法人员（两名以上）"), self.officers, required=True)
        self.add_row(form, "act_date", self.tr("违法行为发生日期"), dates, required=True)
        self._inputs["act_date"] = self.act_date
        self.add_row(form, "fine", self.tr("罚款（元）"), fine_box, required=True)
        self._inputs["fine"] = self.fine
        self.add_row(form, "place", self.tr("违法地点"), self.place, required=True)
        self.add_row(form, "facts", self.tr("违法事实"), self.facts, required=True)
        # 噪声污染防治法第八十二条 items: the on-the-spot order to correct and the refusal, made the same day
        self.order_number = QLineEdit(self)
        self.order_number.setPlaceholderText(self.tr("仅噪声类事项：说服教育后当场责令改正的文书编号"))
        self.refusal_facts = QLineEdit(self)
        self.refusal_facts.setPlaceholderText(self.tr("仅噪声类事项：当事人拒不改正的情况"))
        self.add_row(form, "order_number", self.tr("责令改正文号"), self.order_number)
        self.add_row(form, "refusal_facts", self.tr("拒不改正情况"), self.refusal_facts)
        self.aliases = dict(on="act_date", decided_on="act_date", receipt_number="fine", discovered_on="act_date",
                            registered_on="act_date", refused_on="refusal_facts", ordered_on="order_number")
        self.body.addLayout(form)
        self.finish(680)

        self.paid.toggled.connect(self.receipt.setEnabled)
        self.decided.dateChanged.connect(lambda _d: self._reload_officers())
        self.act_date.dateChanged.connect(lambda _d: self.reload_items())
        self._reload_officers()
        self.reload_items()

    def item_date(self) -> date:
        return to_date(self.act_date.date())

    def _reload_officers(self) -> None:
        self.officers.set_officers(queries.officer_picks(self.ctx.reader(), on=to_date(self.decided.date())))

    def value(self) -> SummaryInput:
        return SummaryInput(
            party_uid=self._party_uid(), power_item_code=self._item_code(), officer_uids=self.officers.checked_uids(),
            act_date=to_date(self.act_date.date()), decided_on=to_date(self.decided.date()),
            fine=self._fine(),
            cause=self.cause.text(), place=self.place.text().strip(), facts=self.facts.toPlainText().strip(),
            paid_on_spot=self.paid.isChecked(), receipt_number=self.receipt.text().strip(),
            ordered_on=to_date(self.decided.date()) if self.order_number.text().strip() else None,
            order_number=self.order_number.text().strip(), refusal_facts=self.refusal_facts.text().strip(),
        )

    def _fine(self) -> Decimal:
        fine = parse_money(self.fine.text(), "fine")
        assert fine is not None  # required: parse_money refuses an empty amount
        return fine

    def save(self) -> CaseSummary:
        if not self.place.text().strip():
            raise ValidationError(self.tr("请填写违法地点"), field="place")
        if not self.facts.toPlainText().strip():
            raise ValidationError(self.tr("请填写违法事实"), field="facts")
        return case_service.summary_penalty(self.ctx.uow(), self.value())


def ask_case_kind(parent: QWidget) -> str | None:
    """Which procedure a new case follows: 'clue' (普通程序), 'summary' (当场处罚) or None (cancelled)."""
    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("CaseForm", "新建案件"),
                      QCoreApplication.translate("CaseForm", "请选择办案程序："), QMessageBox.StandardButton.Cancel,
                      parent)
    clue = box.addButton(QCoreApplication.translate("CaseForm", "登记案件线索（普通程序）"),
                         QMessageBox.ButtonRole.AcceptRole)
    summary = box.addButton(QCoreApplication.translate("CaseForm", "当场处罚（简易程序）"),
                            QMessageBox.ButtonRole.AcceptRole)
    box.button(QMessageBox.StandardButton.Cancel).setText(QCoreApplication.translate("CaseForm", "取消"))
    box.setDefaultButton(clue)
    box.exec()
    clicked = box.clickedButton()
    return "clue" if clicked is clue else "summary" if clicked is summary else None
