"""调解委员会: the people's mediation committees (kind, name, the name on its seal, term) and their mediators, with
what the committee's composition still lacks under 《人民调解法》第八条、第九条 (the services' messages, shown as
reminders: a committee is entered while it is still being filled)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.context import AppContext
from services.people import committees as C  # noqa: N812 - reads like the steps it drives
from services.people.committees import (
    COMMITTEE_KINDS,
    DOC_CODE_MAX,
    CommitteeInput,
    CommitteeRow,
    MediatorInput,
    MediatorRow,
)
from services.people.roles import Permission
from ui.data_events import DataEvents
from ui.forms.common import FormDialog, set_combo_data
from ui.operations import settle
from ui.people.widgets import OptionalDateEdit, button, tone_brush
from ui.widgets.status_line import StatusLine, make_table


# A mediator is 委员会主任 or 委员 (art.8), or a hired 聘任调解员 (art.13).
def position_labels() -> dict[str, str]:
    return {"chair": QCoreApplication.translate("CommitteesPage", "委员会主任"),
            "member": QCoreApplication.translate("CommitteesPage", "委员"),
            "hired": QCoreApplication.translate("CommitteesPage", "聘任调解员")}


def position_of(m: MediatorRow) -> str:
    return "chair" if m.is_chair else "member" if m.is_member else "hired"


class CommitteeDialog(FormDialog):
    """New or edit a committee. ``result_value``: its uid after 保存."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, row: CommitteeRow | None = None) -> None:
        super().__init__(ctx, self.tr("修改调解委员会") if row else self.tr("建立调解委员会"), parent)
        self.setObjectName("committeeDialog")
        self.row = row
        self.name = QLineEdit(self)
        self.name.setMaxLength(128)
        self.name.setPlaceholderText(self.tr("如：竹根镇新华村人民调解委员会"))
        self.kind = QComboBox(self)
        for kind in COMMITTEE_KINDS:
            self.kind.addItem(kind, kind)
        self.seal_name = QLineEdit(self)
        self.seal_name.setMaxLength(128)
        self.seal_name.setPlaceholderText(self.tr("与名称相同时可不填"))
        self.doc_code = QLineEdit(self)
        self.doc_code.setObjectName("docCode")
        self.doc_code.setMaxLength(DOC_CODE_MAX)
        self.doc_code.setPlaceholderText(self.tr("如：新华村；不填则按名称生成"))
        self.term_start = OptionalDateEdit(self, near=ctx.clock.today())
        self.address = QLineEdit(self)
        form = self.new_form()
        self.add_row(form, "name", self.tr("名称"), self.name, required=True)
        self.add_row(form, "kind", self.tr("类别"), self.kind)
        self.add_row(form, "seal_name", self.tr("印章名称"), self.seal_name)
        self.add_row(form, "doc_code", self.tr("文书代字"), self.doc_code)
        form.addRow("", _hint(self.tr("本委员会的调解文书以此代字编号，如“新华村调协字〔2026〕第1号”"), self))
        self.add_row(form, "term_start", self.tr("本届任期起始"), self.term_start)
        form.addRow("", _hint(self.tr("任期三年，届满应当换届（《人民调解法》第九条）"), self))
        self.add_row(form, "address", self.tr("地址"), self.address)
        self.body.addLayout(form)
        if row is not None:
            self.name.setText(row.name)
            set_combo_data(self.kind, row.kind)
            self.seal_name.setText("" if row.seal_name == row.name else row.seal_name)
            self.doc_code.setText(row.doc_code)
            self.term_start.set_value(row.term_start)
            self.address.setText(row.address)
        self.finish(540)

    def value(self) -> CommitteeInput:
        return CommitteeInput(self.name.text(), self.kind.currentData(), self.seal_name.text(),
                              self.term_start.value(), self.address.text(), self.doc_code.text())

    def save(self) -> str:
        v = self.value()
        if self.row is None:
            return C.create_committee(self.ctx.uow(), name=v.name, kind=v.kind, seal_name=v.seal_name,
                                      term_start=v.term_start, address=v.address, doc_code=v.doc_code)
        return C.update_committee(self.ctx.uow(), self.row.uid, v)


class MediatorDialog(FormDialog):
    """A mediator of ``committee``: new, or edit ``mediator``."""

    def __init__(self, ctx: AppContext, committee: CommitteeRow, parent: QWidget | None = None, *,
                 mediator: MediatorRow | None = None) -> None:
        super().__init__(ctx, self.tr("修改调解员") if mediator else self.tr("添加调解员"), parent)
        self.setObjectName("mediatorDialog")
        self.committee, self.mediator = committee, mediator
        self.name = QLineEdit(self)
        self.name.setMaxLength(32)
        self.gender = QComboBox(self)
        for text, value in ((self.tr("（未填）"), ""), (self.tr("男"), "男"), (self.tr("女"), "女")):
            self.gender.addItem(text, value)
        self.ethnicity = QLineEdit(self)
        self.ethnicity.setPlaceholderText(self.tr("如：汉族、彝族"))
        self.position = QComboBox(self)
        for value, text in position_labels().items():
            self.position.addItem(text, value)
        set_combo_data(self.position, "member")
        self.phone = QLineEdit(self)
        form = self.new_form()
        form.addRow(self.tr("调解委员会"), QLabel(committee.name, self))
        self.add_row(form, "name", self.tr("姓名"), self.name, required=True)
        self.add_row(form, "gender", self.tr("性别"), self.gender)
        self.add_row(form, "ethnicity", self.tr("民族"), self.ethnicity)
        self.add_row(form, "is_chair", self.tr("职务"), self.position)
        self.add_row(form, "phone", self.tr("电话"), self.phone)
        self.aliases = {"is_member": "is_chair"}
        self.body.addLayout(form)
        if mediator is not None:
            self.name.setText(mediator.name)
            set_combo_data(self.gender, mediator.gender)
            self.ethnicity.setText(mediator.ethnicity)
            set_combo_data(self.position, position_of(mediator))
            self.phone.setText(mediator.phone)
        self.finish(480)

    def value(self) -> MediatorInput:
        position = self.position.currentData()
        return MediatorInput(self.name.text(), self.gender.currentData(), self.ethnicity.text(), self.phone.text(),
                             is_chair=position == "chair", is_member=position != "hired")

    def save(self) -> str:
        v = self.value()
        if self.mediator is None:
            return C.add_mediator(self.ctx.uow(), self.committee.uid, name=v.name, gender=v.gender,
                                  ethnicity=v.ethnicity, phone=v.phone, is_chair=v.is_chair, is_member=v.is_member)
        C.update_mediator(self.ctx.uow(), self.mediator.uid, v)
        return self.mediator.uid


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6368;")
    return label


class CommitteesPage(QWidget):
    """Committees on the left; the selected one's mediators and composition reminders on the right."""

    def __init__(self, ctx: AppContext, *, data_events: DataEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.data_events = ctx, data_events
        self.setWindowTitle(self.tr("调解委员会"))
        self.setObjectName("committeesPage")
        self.rows: list[CommitteeRow] = []
        self.can_manage = ctx.can(Permission.MANAGE_USERS)
        self.committees = make_table(self, [self.tr("名称"), self.tr("类别"), self.tr("委员"), self.tr("任期至")])
        self.committees.setObjectName("committees")
        header = self.committees.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes what the others leave
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.committees.itemSelectionChanged.connect(self._show_selected)
        self.new_button = button(self, self.tr("建立调解委员会…"), "newCommittee", self.new_committee)
        self.edit_button = button(self, self.tr("修改…"), "editCommittee", self.edit_committee)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lbar = QHBoxLayout()
        lbar.addWidget(self.new_button)
        lbar.addWidget(self.edit_button)
        lbar.addStretch(1)
        lv.addLayout(lbar)
        lv.addWidget(self.committees, 1)

        self.header = QLabel(self)
        self.header.setObjectName("committeeHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.problems = QLabel(self)
        self.problems.setObjectName("compositionProblems")
        self.problems.setWordWrap(True)
        self.mediators = make_table(self, [self.tr("姓名"), self.tr("性别"), self.tr("民族"), self.tr("职务"),
                                           self.tr("电话"), self.tr("状态")],
                                    name="mediators", widths=(90, 50, 70, 100, 120), on_select=self._update_buttons)
        self.add_button = button(self, self.tr("添加调解员…"), "addMediator", self.add_mediator)
        self.edit_mediator_button = button(self, self.tr("修改调解员…"), "editMediator", self.edit_mediator)
        self.toggle_button = button(self, self.tr("停用"), "toggleMediator", self.toggle_mediator)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.header)
        rv.addWidget(self.problems)
        rbar = QHBoxLayout()
        for b in (self.add_button, self.edit_mediator_button, self.toggle_button):
            rbar.addWidget(b)
        rbar.addStretch(1)
        rv.addLayout(rbar)
        rv.addWidget(self.mediators, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([440, 700])
        self.status = StatusLine(self)
        self.status.setObjectName("committeesStatus")
        layout = QVBoxLayout(self)
        layout.addWidget(_hint(self.tr("人民调解委员会由委员三至九人组成，设主任一人，应当有妇女成员，多民族居住地区应当有人数较少"
                                       "民族的成员；每届任期三年（《人民调解法》第八条、第九条）。"), self))
        if not self.can_manage:
            note = QLabel(self.tr("只有中队长（管理员）可以建立和修改调解委员会。"), self)
            note.setObjectName("readOnlyNote")
            note.setStyleSheet("color: #b26a00;")
            layout.addWidget(note)
            for b in (self.new_button, self.edit_button, self.add_button, self.edit_mediator_button,
                      self.toggle_button):
                b.hide()
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self._update_buttons()

    # -- reading ------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current()
        self.rows = C.list_committees(self.ctx.reader())
        self.committees.setRowCount(len(self.rows))
        for r, c in enumerate(self.rows):
            for col, text in enumerate((c.name, c.kind, str(c.members),
                                        c.term_end.isoformat() if c.term_end else "—")):
                item = QTableWidgetItem(text)
                if col == 0 and c.problems:
                    item.setForeground(tone_brush("warning") or item.foreground())
                self.committees.setItem(r, col, item)
        self.select(current.uid if current else (self.rows[0].uid if self.rows else ""))
        self._show_selected()

    def current(self) -> CommitteeRow | None:
        row = self.committees.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select(self, uid: str) -> None:
        for r, c in enumerate(self.rows):
            if c.uid == uid:
                self.committees.selectRow(r)
                return

    def current_mediator(self) -> MediatorRow | None:
        c, row = self.current(), self.mediators.currentRow()
        return c.mediators[row] if c is not None and 0 <= row < len(c.mediators) and \
            self.mediators.selectedItems() else None

    def _show_selected(self) -> None:
        c = self.current()
        if c is None:
            self.header.setText(self.tr("还没有调解委员会。点“建立调解委员会…”开始。") if not self.rows else "")
            self.problems.clear()
            self.mediators.setRowCount(0)
            self._update_buttons()
            return
        term = (self.tr("本届任期 {a} 至 {b}").format(a=c.term_start.isoformat(), b=c.term_end.isoformat())
                if c.term_start and c.term_end else self.tr("任期未填写"))
        self.header.setText(f"<b style='font-size:14px'>{c.name}</b>　{c.kind}<br>"
                            f"{self.tr('印章名称')}：{c.seal_name}　{self.tr('文书代字')}：{c.doc_code or '—'}　{term}")
        if c.problems:
            self.problems.setStyleSheet("color: #b26a00;")
            self.problems.setText("\n".join(f"• {p}" for p in c.problems))
        else:
            self.problems.setStyleSheet("color: #2e7d32;")
            self.problems.setText(self.tr("✓ 组成符合《人民调解法》第八条"))
        self.mediators.setRowCount(len(c.mediators))
        labels = position_labels()
        for r, m in enumerate(c.mediators):
            cells = (m.name, m.gender or "—", m.ethnicity or "—", labels[position_of(m)], m.phone or "—",
                     self.tr("在任") if m.active else self.tr("已停用"))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not m.active:
                    item.setForeground(tone_brush("muted") or item.foreground())
                self.mediators.setItem(r, col, item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        c, m = self.current(), self.current_mediator()
        self.edit_button.setEnabled(c is not None)
        self.add_button.setEnabled(c is not None)
        self.edit_mediator_button.setEnabled(m is not None)
        self.toggle_button.setEnabled(m is not None)
        self.toggle_button.setText(self.tr("恢复") if m is not None and not m.active else self.tr("停用"))

    # -- changing -----------------------------------------------------------------------------------------------

    def new_committee(self) -> str | None:
        return self._committee_dialog(None)

    def edit_committee(self) -> str | None:
        return self._committee_dialog(self.current())

    def _committee_dialog(self, row: CommitteeRow | None) -> str | None:
        dialog = CommitteeDialog(self.ctx, self, row=row)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        uid: str = dialog.result_value
        self._changed()
        self.select(uid)
        self.status.ok(self.tr("已保存调解委员会"))
        return uid

    def add_mediator(self) -> str | None:
        return self._mediator_dialog(None)

    def edit_mediator(self) -> str | None:
        return self._mediator_dialog(self.current_mediator())

    def _mediator_dialog(self, mediator: MediatorRow | None) -> str | None:
        c = self.current()
        if c is None:
            return None
        dialog = MediatorDialog(self.ctx, c, self, mediator=mediator)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        self._changed()
        self.status.ok(self.tr("已保存调解员"))
        uid: str = dialog.result_value
        return uid

    def toggle_mediator(self) -> bool:
        m = self.current_mediator()
        if m is None:
            return False
        return self._run(lambda: C.set_mediator_active(self.ctx.uow(), m.uid, not m.active),
                         self.tr("已恢复 {n}") if not m.active else self.tr("已停用 {n}"), m.name)

    def _run(self, action: Callable[[], object], done: str, name: str) -> bool:
        """A quick step: done (green), or how it ended by the one policy (ui/operations.py)."""
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - settled by the one policy
            settle(exc, parent=self, report=self.status.fail)
            return False
        self._changed()
        self.status.ok(done.format(n=name))
        return True

    def _changed(self) -> None:
        """After a write: read the committees again, and say so (the 工作台's first steps count them; the mediation
        form offers them)."""
        self.refresh()
        self.data_events.notify("committees")
