"""新建专项整治: name, period, domain and what the campaign is about."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from services.core.context import AppContext
from services.procedures.inspections import CampaignInput, create_campaign
from services.read import queries
from ui.forms.common import FormDialog, date_edit, to_date


class CampaignDialog(FormDialog):
    """``result_value`` is the new campaign's uid after 保存."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("新建专项整治"), parent)
        today = ctx.clock.today()
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("如：2026年春季建筑工地扬尘专项整治"))
        self.start = date_edit(self, today)
        self.has_end = QCheckBox(self.tr("结束日期"), self)
        self.has_end.setChecked(True)
        self.end = date_edit(self, today + timedelta(days=30))
        period = QWidget(self)
        pl = QHBoxLayout(period)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.start)
        pl.addSpacing(12)
        pl.addWidget(self.has_end)
        pl.addWidget(self.end)
        pl.addStretch(1)
        self.domain = QComboBox(self)
        self.domain.setObjectName("domain")
        self.domain.addItem(self.tr("（综合，不限领域）"), "")
        for d in queries.domains(ctx.reader()):
            self.domain.addItem(d, d)
        self.description = QPlainTextEdit(self)
        self.description.setFixedHeight(110)
        self.description.setPlaceholderText(self.tr("整治目标、范围、工作安排"))
        form = self.new_form()
        self.add_row(form, "name", self.tr("名称"), self.name, required=True)
        self.add_row(form, "start_date", self.tr("开始日期"), period, required=True)
        self._inputs["start_date"] = self.start
        self.add_row(form, "domain", self.tr("领域"), self.domain)
        self.add_row(form, "description", self.tr("说明"), self.description)
        self.aliases = {"end_date": "start_date"}
        self.body.addLayout(form)
        self.finish(560)
        self.has_end.toggled.connect(self.end.setEnabled)

    def value(self) -> CampaignInput:
        return CampaignInput(
            name=self.name.text(), start_date=to_date(self.start.date()),
            end_date=to_date(self.end.date()) if self.has_end.isChecked() else None,
            domain=self.domain.currentData() or "", description=self.description.toPlainText().strip(),
        )

    def save(self) -> str:
        return create_campaign(self.ctx.uow(), self.value())
