"""当事人 form (with ID / 统一社会信用代码 checked as the user types) and the reusable party picker."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QWidget,
)

from models.enums import IdType, PartyKind
from models.identifiers import IdCheck, birth_date_from_id, check_phone, check_resident_id, check_uscc, gender_from_id
from models.labels import label
from services.core.context import AppContext
from services.people import parties
from services.people.parties import PartyInfo
from services.people.registry import PartyInput
from ui.forms.common import FormDialog, set_combo_data
from ui.i18n import data_text
from ui.qt_compat import emit


def id_type_label(t: IdType) -> str:
    return QCoreApplication.translate("IdType", {
        IdType.RESIDENT_ID: "居民身份证", IdType.USCC: "统一社会信用代码", IdType.OTHER: "其他证件",
        IdType.NONE: "无证件",
    }[t])


class PartyDialog(FormDialog):
    """Register a party. ``result_value`` is the new ``PartyInfo`` after 保存."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, name: str = "",
                 kind: PartyKind = PartyKind.PERSON) -> None:
        super().__init__(ctx, self.tr("新建当事人"), parent)
        kinds = QWidget(self)
        row = QHBoxLayout(kinds)
        row.setContentsMargins(0, 0, 0, 0)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[PartyKind, QRadioButton] = {}
        for k in PartyKind:
            b = QRadioButton(data_text(label(k)), kinds)
            b.setObjectName(f"kind_{k.value}")
            self.kind_group.addButton(b)
            self.kind_buttons[k] = b
            row.addWidget(b)
        row.addStretch(1)
        self.name = QLineEdit(name, self)
        self.id_type = QComboBox(self)
        self.id_number = QLineEdit(self)
        self.id_number.setMaxLength(24)
        self.ethnicity = QLineEdit(self)
        self.ethnicity.setPlaceholderText(self.tr("如：汉族、彝族"))
        self.address = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.tr("手机号或固定电话，如 0833-1234567"))
        self.legal_rep = QLineEdit(self)
        self.legal_rep_title = QLineEdit(self)
        self.legal_rep_title.setPlaceholderText(self.tr("如：执行董事、经理"))
        self.operator_id = QLineEdit(self)
        self.operator_id.setMaxLength(24)

        self.form = self.new_form()
        self.add_row(self.form, "kind", self.tr("当事人类型"), kinds, required=True)
        self.add_row(self.form, "name", self.tr("姓名"), self.name, required=True)
        self.add_row(self.form, "id_type", self.tr("证件类型"), self.id_type)
        self.add_row(self.form, "id_number", self.tr("证件号码"), self.id_number)
        self.add_row(self.form, "ethnicity", self.tr("民族"), self.ethnicity)
        self.add_row(self.form, "address", self.tr("住址"), self.address)
        self.add_row(self.form, "phone", self.tr("联系电话"), self.phone)
        self.add_row(self.form, "legal_rep", self.tr("法定代表人"), self.legal_rep, required=True)
        self.add_row(self.form, "legal_rep_title", self.tr("职务"), self.legal_rep_title)
        self.add_row(self.form, "operator_id_number", self.tr("经营者身份证号"), self.operator_id)
        self.body.addLayout(self.form)
        self.finish(560)

        self.kind_group.buttonToggled.connect(self._on_kind_toggled)
        self.id_type.currentIndexChanged.connect(self._on_id_type_changed)
        self.id_number.textChanged.connect(self._check_id_number)
        self.phone.textChanged.connect(self._check_phone)
        self.operator_id.textChanged.connect(self._check_operator_id)
        self.kind_buttons[kind].setChecked(True)
        self._apply_kind(kind)
        self.name.setFocus()

    # -- kind-dependent layout -------------------------------------------------------------------------------

    def kind(self) -> PartyKind:
        for k, b in self.kind_buttons.items():
            if b.isChecked():
                return k
        return PartyKind.PERSON

    def set_kind(self, kind: PartyKind) -> None:
        self.kind_buttons[kind].setChecked(True)

    def _on_kind_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._apply_kind(self.kind())

    def _apply_kind(self, kind: PartyKind) -> None:
        person, org, shop = kind is PartyKind.PERSON, kind is PartyKind.ORGANISATION, kind is PartyKind.INDIVIDUAL_BUSINESS
        self._label("name").setText(self.required_text(
            self.tr("姓名") if person else self.tr("单位名称") if org else self.tr("字号名称")))
        self._label("address").setText(self.tr("住址") if person else self.tr("住所（经营场所）"))
        self._label("legal_rep").setText(self.required_text(self.tr("法定代表人/负责人")) if org
                                         else self.tr("经营者姓名"))
        self.set_row_visible(self.form, "ethnicity", person)
        self.set_row_visible(self.form, "legal_rep", not person)
        self.set_row_visible(self.form, "legal_rep_title", org)
        self.set_row_visible(self.form, "operator_id_number", shop)
        current = self.id_type.currentData()
        self.id_type.blockSignals(True)
        self.id_type.clear()
        for t in parties.id_types_for(kind):
            self.id_type.addItem(id_type_label(t), t.value)
        self.id_type.blockSignals(False)
        set_combo_data(self.id_type, current)
        self.id_type.setEnabled(self.id_type.count() > 1)
        self._on_id_type_changed()

    def _label(self, key: str) -> QWidget:
        lab = self.form.labelForField(self.input(key).parentWidget())
        assert lab is not None
        return lab

    # -- live checks (the service checks again on 保存) ------------------------------------------------------

    def id_kind(self) -> IdType:
        return IdType(self.id_type.currentData() or IdType.NONE.value)

    def _on_id_type_changed(self, *_args: object) -> None:
        t = self.id_kind()
        self.id_number.setEnabled(t is not IdType.NONE)
        if t is IdType.NONE:
            self.id_number.clear()
        self.id_number.setPlaceholderText({
            IdType.RESIDENT_ID: self.tr("18位居民身份证号码"), IdType.USCC: self.tr("18位统一社会信用代码"),
            IdType.OTHER: self.tr("证件名称及号码"), IdType.NONE: "",
        }[t])
        self._check_id_number()

    def _check_id_number(self, *_args: object) -> None:
        text = self.id_number.text().strip()
        t = self.id_kind()
        if not text or t in (IdType.NONE, IdType.OTHER):
            self.set_message("id_number", None)
            return
        if t is IdType.RESIDENT_ID:
            chk = check_resident_id(text, self.ctx.clock.today())
            self._show_check("id_number", chk, self._person_details(chk))
        else:
            self._show_check("id_number", check_uscc(text), self.tr("统一社会信用代码校验通过"))

    def _person_details(self, chk: IdCheck) -> str:
        if not chk.ok:
            return ""
        birth = birth_date_from_id(chk.normalized)
        gender = gender_from_id(chk.normalized) or ""
        return self.tr("身份证号码有效：{gender}，{birth} 出生").format(
            gender=gender, birth=birth.isoformat() if birth else "")

    def _check_phone(self, *_args: object) -> None:
        text = self.phone.text().strip()
        if not text:
            self.set_message("phone", None)
            return
        self._show_check("phone", check_phone(text), self.tr("电话号码格式正确"))

    def _check_operator_id(self, *_args: object) -> None:
        text = self.operator_id.text().strip()
        if not text:
            self.set_message("operator_id_number", None)
            return
        chk = check_resident_id(text, self.ctx.clock.today())
        self._show_check("operator_id_number", chk, self._person_details(chk))

    def _show_check(self, key: str, chk: IdCheck, ok_text: str) -> None:
        if chk.ok:
            self.set_message(key, True, f"{ok_text}{'（' + chk.warning + '）' if chk.warning else ''}")
        else:
            self.set_message(key, False, chk.message)

    # -- saving ----------------------------------------------------------------------------------------------

    def value(self) -> PartyInput:
        kind = self.kind()
        return PartyInput(
            kind=kind, name=self.name.text(), id_type=self.id_kind(), id_number=self.id_number.text(),
            address=self.address.text(), phone=self.phone.text(),
            legal_rep=self.legal_rep.text() if kind is not PartyKind.PERSON else "",
            legal_rep_title=self.legal_rep_title.text() if kind is PartyKind.ORGANISATION else "",
            operator_id_number=self.operator_id.text() if kind is PartyKind.INDIVIDUAL_BUSINESS else "",
            ethnicity=self.ethnicity.text() if kind is PartyKind.PERSON else "",
        )

    def save(self) -> PartyInfo:
        return parties.create_party_record(self.ctx.uow(), self.value())

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None, *, name: str = "") -> PartyInfo | None:
        dlg = cls(ctx, parent, name=name)
        return dlg.result_value if dlg.exec() == FormDialog.DialogCode.Accepted else None


UID_ROLE = Qt.ItemDataRole.UserRole + 1


class PartyPicker(QWidget):
    """Search-as-you-type over registered parties, plus 新建当事人… in place.

    Signals:
        party_changed(object): the chosen ``PartyInfo``, or None when the choice is cleared.
    """

    party_changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._choice: PartyInfo | None = None
        self._found: list[PartyInfo] = []
        self.edit = QLineEdit(self)
        self.edit.setObjectName("partySearch")
        self.edit.setPlaceholderText(self.tr("输入姓名、名称或证件号查找…"))
        self.edit.setClearButtonEnabled(True)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.edit.setCompleter(self.completer)
        self.drop = QToolButton(self)
        self.drop.setText("▾")
        self.drop.setToolTip(self.tr("列出最近的当事人"))
        self.new_button = QPushButton(self.tr("新建当事人…"), self)
        self.new_button.setObjectName("newParty")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.edit, 1)
        row.addWidget(self.drop)
        row.addWidget(self.new_button)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)  # one query per pause in typing, not per key
        self._debounce.timeout.connect(lambda: self.search(self.edit.text(), popup=True))
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.completer.activated[QModelIndex].connect(self._on_completer_activated)
        self.drop.clicked.connect(lambda: self.search(self.edit.text() if self._choice is None else "", popup=True))
        self.new_button.clicked.connect(self.create_new)

    # -- searching -------------------------------------------------------------------------------------------

    def _on_edit_text_edited(self, _text: str) -> None:
        if self._choice is not None:
            self._choice = None
            emit(self.party_changed, None)
        self._debounce.start()

    def search(self, text: str, *, popup: bool = False) -> list[PartyInfo]:
        self._found = parties.party_choices(self.ctx.reader(), text, 20)
        self.model.clear()
        for p in self._found:
            item = QStandardItem(p.label)
            item.setData(p.uid, UID_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        if popup and self._found and self.isVisible():
            self.completer.setCompletionPrefix("")
            self.completer.complete()
        return self._found

    def _on_completer_activated(self, index: QModelIndex) -> None:
        uid = index.data(UID_ROLE)
        for p in self._found:
            if p.uid == uid:
                self.set_party(p)
                return

    def choose_row(self, row: int) -> None:
        """Pick the ``row``-th search result (what clicking it in the popup does)."""
        self.set_party(self._found[row])

    # -- the choice ------------------------------------------------------------------------------------------

    def set_party(self, party: PartyInfo | None) -> None:
        self._choice = party
        self.edit.setText(party.label if party else "")
        self.edit.setCursorPosition(0)
        emit(self.party_changed, party)

    def party(self) -> PartyInfo | None:
        return self._choice

    def party_uid(self) -> str | None:
        return self._choice.uid if self._choice else None

    def has_unresolved_text(self) -> bool:
        """Text typed but no party chosen from the list (the form asks the user to pick one)."""
        return self._choice is None and bool(self.edit.text().strip())

    def create_new(self) -> PartyInfo | None:
        typed = self.edit.text().strip() if self._choice is None else ""
        info = PartyDialog.ask(self.ctx, self.window(), name=typed)
        if info is not None:
            self.set_party(info)
        return info
