"""The two small forms of the 案卷评查 screen: a problem found on a file, and its rectification (docs/architecture.md §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.enums import SheetPart
from services.district.review_sheet import CONTENT_ITEMS, FORM_ITEMS, ITEMS, VETO_ITEMS


@dataclass(frozen=True, slots=True)
class ProblemInput:
    item: str  # sheet item code (V.., F.., C..)
    deduction: int
    description: str


@dataclass(frozen=True, slots=True)
class RectifyInput:
    note: str
    on: date


def _buttons(dlg: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dlg)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(dlg.tr("确定"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(dlg.tr("取消"))
    box.accepted.connect(dlg.accept)
    box.rejected.connect(dlg.reject)
    return box


class ProblemDialog(QDialog):
    """A sheet item, the points it costs (capped at the item's points; none for a veto item) and what was wrong."""

    def __init__(self, parent: QWidget | None = None, *, item: str | None = None, case_label: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记评查问题"))
        self.setMinimumWidth(520)
        self.item = QComboBox(self)
        self.item.setObjectName("problemItem")
        for group, items in ((self.tr("否决项"), VETO_ITEMS), (self.tr("形式"), FORM_ITEMS),
                             (self.tr("内容"), CONTENT_ITEMS)):
            for it in items:
                points = self.tr("否决") if it.part is SheetPart.VETO else self.tr("{p}分").format(p=it.points)
                self.item.addItem(f"{it.code} {group}·{it.title}（{points}）", it.code)
        self.deduction = QSpinBox(self)
        self.deduction.setObjectName("problemDeduction")
        self.deduction.setSuffix(self.tr(" 分"))
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("problemDescription")
        self.description.setPlaceholderText(self.tr("写明问题，如“调查询问笔录未由当事人逐页签名”"))
        self.description.setFixedHeight(90)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        if case_label:
            form.addRow(self.tr("案卷"), QLabel(case_label, self))
        form.addRow(self.tr("评分表项目"), self.item)
        form.addRow(self.tr("扣分"), self.deduction)
        form.addRow(self.tr("问题"), self.description)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self))
        self.item.currentIndexChanged.connect(self._on_item_changed)
        if item is not None:
            self.item.setCurrentIndex(max(self.item.findData(item), 0))
        self._on_item_changed()

    def _on_item_changed(self, _index: int = 0) -> None:
        it = ITEMS[self.item.currentData()]
        veto = it.part is SheetPart.VETO
        self.deduction.setRange(0, 0 if veto else it.points)
        self.deduction.setEnabled(not veto)
        if not veto and self.deduction.value() == 0:
            self.deduction.setValue(min(2, it.points))
        self.deduction.setToolTip(self.tr("否决项不扣分：案卷直接评为不合格") if veto else "")

    def accept(self) -> None:
        if not self.description.toPlainText().strip():
            self.error.setText(self.tr("请写明问题"))
            return
        super().accept()

    def value(self) -> ProblemInput:
        return ProblemInput(self.item.currentData(), self.deduction.value(), self.description.toPlainText().strip())

    @classmethod
    def ask(cls, parent: QWidget, *, item: str | None = None, case_label: str = "") -> ProblemInput | None:
        dlg = cls(parent, item=item, case_label=case_label)
        return dlg.value() if dlg.exec() == QDialog.DialogCode.Accepted else None


class RectifyDialog(QDialog):
    """What the township did about a problem, and when."""

    def __init__(self, parent: QWidget | None = None, *, problem: str = "", today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记整改"))
        self.setMinimumWidth(480)
        day = today or date.today()
        self.on = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setMaximumDate(QDate(day.year, day.month, day.day))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("rectifyNote")
        self.note.setPlaceholderText(self.tr("写明整改情况，如“已补充当事人签名并重新装订”"))
        self.note.setFixedHeight(90)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        if problem:
            lab = QLabel(problem, self)
            lab.setWordWrap(True)
            form.addRow(self.tr("问题"), lab)
        form.addRow(self.tr("整改日期"), self.on)
        form.addRow(self.tr("整改情况"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self))

    def accept(self) -> None:
        if not self.note.toPlainText().strip():
            self.error.setText(self.tr("请写明整改情况"))
            return
        super().accept()

    def value(self) -> RectifyInput:
        d = self.on.date()
        return RectifyInput(self.note.toPlainText().strip(), date(d.year(), d.month(), d.day()))

    @classmethod
    def ask(cls, parent: QWidget, *, problem: str = "", today: date | None = None) -> RectifyInput | None:
        dlg = cls(parent, problem=problem, today=today)
        return dlg.value() if dlg.exec() == QDialog.DialogCode.Accepted else None
