"""设置: township and squad details, the [L] settings, the holiday calendar, and backups (make / restore)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.context import AppContext
from services.core.errors import AppError
from services.people.accounts import Permission
from services.reference import calendar_admin, settings_admin
from services.reference import org as org_info
from services.reference.calendar_admin import CalendarDayInfo
from services.reference.settings_admin import SettingRow
from ui.data_events import DataEvents
from ui.forms.common import HINT_COLOR, OK_COLOR
from ui.forms.settings_forms import CalendarDayDialog, SettingEditDialog, day_kind_label, weekday_label
from ui.operations import TaskRunner
from ui.settings_backup import BackupTab
from ui.widgets.status_line import StatusLine, make_table


class SettingsPage(QWidget):
    """Signals: restored(RestoreResult) after a backup replaced the database: the program must restart.

    Backups go through ``runner``; a saved setting or holiday (the service recomputes the deadlines it moves) is
    told to ``data_events``.
    """

    restored = Signal(object)

    def __init__(self, ctx: AppContext, *, runner: TaskRunner, data_events: DataEvents,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner, self.data_events = ctx, runner, data_events
        self.setWindowTitle(self.tr("设置"))
        self.setObjectName("settingsPage")
        self.editable = ctx.can(Permission.SETTINGS)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_org(), self.tr("本镇信息"))
        self.tabs.addTab(self._build_settings(), self.tr("办案参数"))
        self.tabs.addTab(self._build_calendar(), self.tr("节假日安排"))
        self.backups = BackupTab(ctx, editable=self.editable, runner=self.runner, parent=self)
        self.backups.restored.connect(self.restored)
        self.tabs.addTab(self.backups, self.tr("备份与恢复"))
        layout = QVBoxLayout(self)
        if not self.editable:
            note = QLabel(self.tr("当前角色只能查看设置；如需修改，请由中队长或区级管理员登录。"), self)
            note.setObjectName("readOnlyNote")
            note.setStyleSheet("color: #b26a00;")
            layout.addWidget(note)
        layout.addWidget(self.tabs, 1)
        self._rows: list[SettingRow] = []
        self._days: list[CalendarDayInfo] = []

    # -- 本镇信息 ---------------------------------------------------------------------------------------------

    def _build_org(self) -> QWidget:
        page = QWidget(self)
        self.org_form = QFormLayout()
        self.org_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.org_form.setHorizontalSpacing(16)
        self.org_form.setVerticalSpacing(10)
        self.org_labels: dict[str, QLabel] = {}
        for key, text in (("township", self.tr("乡镇")), ("district", self.tr("所属区县")),
                          ("division_code", self.tr("行政区划代码")), ("agency", self.tr("文书落款机关")),
                          ("doc_prefix", self.tr("文书机关代字")), ("squads", self.tr("执法中队")),
                          ("device", self.tr("本机")), ("database", self.tr("数据库文件"))):
            lab = QLabel(page)
            lab.setObjectName(f"org_{key}")
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lab.setWordWrap(True)
            self.org_labels[key] = lab
            self.org_form.addRow(text, lab)
        hint = QLabel(self.tr("乡镇、中队和本机信息在首次使用时设定，随数据同步到区级；如需更正，请联系区级管理员。"), page)
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {HINT_COLOR};")
        v = QVBoxLayout(page)
        v.addLayout(self.org_form)
        v.addSpacing(12)
        v.addWidget(hint)
        v.addSpacing(12)
        v.addWidget(self._build_contact(page))
        v.addStretch(1)
        return page

    def _build_contact(self, page: QWidget) -> QWidget:
        """The squad's office and phone: the 事先告知书 and 决定书 cannot be made without them (where a statement is
        made, whom to call), and nothing else in the program asks for them."""
        box = QGroupBox(self.tr("中队办公地址与联系电话（打印在告知书、决定书上）"), page)
        self.squad_address = QLineEdit(box)
        self.squad_address.setObjectName("squadAddress")
        self.squad_address.setPlaceholderText(self.tr("当事人陈述申辩的地点，如：石板镇人民路8号综合执法中队"))
        self.squad_address.setMaxLength(org_info.ADDRESS_MAX)
        self.squad_phone = QLineEdit(box)
        self.squad_phone.setObjectName("squadPhone")
        self.squad_phone.setPlaceholderText(self.tr("如：0833-3301234"))
        self.contact_button = QPushButton(self.tr("保存"), box)
        self.contact_button.setObjectName("saveContact")
        self.contact_button.clicked.connect(self.save_contact)
        self.contact_status = StatusLine(box)
        form = QFormLayout(box)
        form.addRow(self.tr("办公地址"), self.squad_address)
        form.addRow(self.tr("联系电话"), self.squad_phone)
        row = QHBoxLayout()
        row.addWidget(self.contact_button)
        row.addWidget(self.contact_status, 1)
        form.addRow("", row)
        for w in (self.squad_address, self.squad_phone, self.contact_button):
            w.setEnabled(self.editable)
        return box

    def save_contact(self) -> None:
        try:
            org = org_info.set_squad_contact(self.ctx.uow(), address=self.squad_address.text(),
                                             phone=self.squad_phone.text())
        except AppError as exc:
            self.contact_status.fail(exc.message)
            return
        self._show_org(org)
        self.contact_status.ok(self.tr("已保存中队办公地址和联系电话"))

    def _load_org(self) -> None:
        org = org_info.org_summary(self.ctx.reader())
        self._show_org(org)
        if org.squads:
            _name, phone, address = org.squads[0]
            self.squad_address.setText(address)
            self.squad_phone.setText(phone)

    def _show_org(self, org: org_info.OrgSummary) -> None:
        none = self.tr("（未填写）")
        values = {
            "township": org.township, "district": org.district or none, "division_code": org.division_code or none,
            "agency": org.agency or none, "doc_prefix": org.doc_prefix or none,
            "squads": "\n".join("　".join(x for x in sq if x) for sq in org.squads) or none,
            "device": self.tr("{code}　{name}（{kind}）").format(code=org.device_code, name=org.device_name,
                                                             kind=org.device_kind),
            "database": str(self.ctx.db.path or ""),
        }
        for key, text in values.items():
            self.org_labels[key].setText(text)

    # -- 办案参数 ---------------------------------------------------------------------------------------------

    def _build_settings(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr("依据栏注明“地方可调整”的数值由省、区或本镇规定（听证标准、文书编号格式等），可按当地规定修改；"
                               "修改只影响此后办理的环节。"), page)
        intro.setWordWrap(True)
        self.show_all = QCheckBox(self.tr("同时显示法定期限等其他设置项"), page)
        self.settings_table = make_table(page, [self.tr("设置项"), self.tr("当前值"), self.tr("依据")])
        self.settings_table.setObjectName("settingsTable")
        hh = self.settings_table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.settings_table.setColumnWidth(0, 400)
        self.settings_table.setColumnWidth(1, 240)
        self.edit_button = QPushButton(self.tr("修改…"), page)
        self.edit_button.setObjectName("editSetting")
        self.edit_button.setEnabled(self.editable)
        self.settings_status = StatusLine(page)
        bar = QHBoxLayout()
        bar.addWidget(self.show_all)
        bar.addStretch(1)
        bar.addWidget(self.edit_button)
        v = QVBoxLayout(page)
        v.addWidget(intro)
        v.addLayout(bar)
        v.addWidget(self.settings_table, 1)
        v.addWidget(self.settings_status)
        self.show_all.toggled.connect(lambda _on: self._load_settings())
        self.edit_button.clicked.connect(lambda: self.edit_setting(self.current_setting_key()))
        self.settings_table.doubleClicked.connect(lambda _i: self.edit_setting(self.current_setting_key()))
        return page

    def _load_settings(self) -> None:
        self._rows = settings_admin.settings_rows(self.ctx.reader(), local_only=not self.show_all.isChecked())
        t = self.settings_table
        t.setRowCount(len(self._rows))
        bold = QFont(t.font())
        bold.setBold(True)
        for r, row in enumerate(self._rows):
            value = row.value_text if row.is_default else self.tr("{value}（已修改）").format(value=row.value_text)
            for c, text in enumerate((row.label, value, row.basis)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, row.key)
                if c == 1 and not row.is_default:
                    item.setFont(bold)
                t.setItem(r, c, item)

    def current_setting_key(self) -> str | None:
        row = self.settings_table.currentRow()
        return self._rows[row].key if 0 <= row < len(self._rows) else None

    def select_setting(self, key: str) -> None:
        for r, row in enumerate(self._rows):
            if row.key == key:
                self.settings_table.selectRow(r)
                return

    def setting_dialog(self, key: str) -> SettingEditDialog:
        row = next(r for r in self._rows if r.key == key)
        return SettingEditDialog(self.ctx, row, self)

    def edit_setting(self, key: str | None) -> None:
        if key is None or not self.editable:
            return
        dlg = self.setting_dialog(key)
        if dlg.exec() == SettingEditDialog.DialogCode.Accepted:
            self.after_setting_saved(dlg.result_value)

    def after_setting_saved(self, row: SettingRow) -> None:
        self._load_settings()
        self.select_setting(row.key)
        saved = self.tr("已保存：{label} = {value}").format(label=row.label, value=row.value_text)
        self._rule_saved(self.settings_status, saved, row.recomputed)

    def _rule_saved(self, status: StatusLine, saved: str, n: int) -> None:
        """A setting or a day saved with the deadlines it moves: say so, and tell the 工作台 (its due dates)."""
        status.ok(self.recomputed(saved, n))
        self.data_events.notify("deadlines")

    def recomputed(self, saved: str, n: int) -> str:
        """The service recomputed the deadlines the change moves, with the change itself: say so."""
        return self.tr("{saved}；已按新数值重新计算 {n} 件记录的期限").format(saved=saved, n=n)

    # -- 节假日安排 -------------------------------------------------------------------------------------------

    def _build_calendar(self) -> QWidget:
        page = QWidget(self)
        self.year = QSpinBox(page)
        self.year.setObjectName("calendarYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(self.ctx.clock.today().year)
        self.year.setSuffix(self.tr(" 年"))
        self.year_state = QLabel(page)
        self.year_state.setObjectName("yearState")
        self.add_day_button = QPushButton(self.tr("添加…"), page)
        self.change_day_button = QPushButton(self.tr("修改…"), page)
        self.remove_day_button = QPushButton(self.tr("删除"), page)
        self.official_button = QPushButton(self.tr("确认为正式安排"), page)
        for b in (self.add_day_button, self.change_day_button, self.remove_day_button, self.official_button):
            b.setEnabled(self.editable)
        self.days_table = make_table(page, [self.tr("日期"), self.tr("星期"), self.tr("安排"), self.tr("名称"),
                                        self.tr("来源")])
        self.days_table.setObjectName("daysTable")
        for c, w in enumerate((110, 70, 110, 200)):
            self.days_table.setColumnWidth(c, w)
        self.calendar_status = StatusLine(page)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度"), page))
        top.addWidget(self.year)
        top.addWidget(self.year_state, 1)
        buttons = QVBoxLayout()
        for b in (self.add_day_button, self.change_day_button, self.remove_day_button):
            buttons.addWidget(b)
        buttons.addSpacing(16)
        buttons.addWidget(self.official_button)
        buttons.addStretch(1)
        mid = QHBoxLayout()
        mid.addWidget(self.days_table, 1)
        mid.addLayout(buttons)
        hint = QLabel(self.tr("表中只列出与“周一至周五上班”不同的日子。国家节假日安排随程序载入；"
                              "地方性假日（如彝族年）和临时调整可在此添加。"), page)
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {HINT_COLOR};")
        v = QVBoxLayout(page)
        v.addLayout(top)
        v.addLayout(mid, 1)
        v.addWidget(hint)
        v.addWidget(self.calendar_status)
        self.year.valueChanged.connect(lambda _y: self._load_calendar())
        self.add_day_button.clicked.connect(lambda: self.edit_day(None))
        self.change_day_button.clicked.connect(lambda: self.edit_day(self.current_day()))
        self.days_table.doubleClicked.connect(lambda _i: self.edit_day(self.current_day()))
        self.remove_day_button.clicked.connect(lambda: self.remove_day(self.current_day()))
        self.official_button.clicked.connect(self.mark_official)
        return page

    def _load_calendar(self) -> None:
        try:
            info = calendar_admin.calendar_days(self.ctx.reader(), self.year.value())
        except AppError as exc:
            self.calendar_status.fail(exc.message)
            return
        self._days = list(info.days)
        sources = {"chinesecalendar": self.tr("国务院安排"), "manual": self.tr("本机添加")}
        if info.official:
            self.year_state.setText(self.tr("已载入正式节假日安排（{source}）").format(
                source=sources.get(info.source, info.source)))
            self.year_state.setStyleSheet(f"color: {OK_COLOR};")
        else:
            self.year_state.setText(self.tr("尚无正式安排：期限按周一至周五及固定日期节日暂定计算"))
            self.year_state.setStyleSheet("color: #b26a00;")
        self.official_button.setEnabled(self.editable and not info.official)
        t = self.days_table
        t.setRowCount(len(self._days))
        for r, d in enumerate(self._days):
            for c, text in enumerate((d.day.isoformat(), weekday_label(d.day), day_kind_label(d.kind), d.name,
                                      sources.get(d.source, d.source))):
                t.setItem(r, c, QTableWidgetItem(text))

    def current_day(self) -> CalendarDayInfo | None:
        row = self.days_table.currentRow()
        return self._days[row] if 0 <= row < len(self._days) else None

    def day_dialog(self, existing: CalendarDayInfo | None) -> CalendarDayDialog:
        today = self.ctx.clock.today()
        first = today if today.year == self.year.value() else date(self.year.value(), 1, 1)
        return CalendarDayDialog(self.ctx, first, existing, self)

    def edit_day(self, existing: CalendarDayInfo | None) -> None:
        if not self.editable:
            return
        dlg = self.day_dialog(existing)
        if dlg.exec() == CalendarDayDialog.DialogCode.Accepted:
            self.after_day_saved(dlg.result_value)

    def after_day_saved(self, info: CalendarDayInfo) -> None:
        if info.day.year != self.year.value():
            self.year.setValue(info.day.year)  # reloads
        else:
            self._load_calendar()
        saved = self.tr("已保存：{day} {kind} {name}").format(day=info.day.isoformat(), kind=day_kind_label(info.kind),
                                                          name=info.name)
        self._rule_saved(self.calendar_status, saved, info.recomputed)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def remove_day(self, info: CalendarDayInfo | None) -> None:
        if info is None or not self.editable:
            return
        if not self.confirm(self.tr("删除特殊日期"), self.tr("将 {day} 恢复为普通日子（周一至周五上班、周末休息）？").format(
                day=info.day.isoformat())):
            return
        try:
            n = calendar_admin.remove_calendar_day(self.ctx.uow(), info.day)
        except AppError as exc:
            self.calendar_status.fail(exc.message)
            return
        self._load_calendar()
        self._rule_saved(self.calendar_status, self.tr("已删除 {day}").format(day=info.day.isoformat()), n)

    def mark_official(self) -> None:
        year = self.year.value()
        if not self.confirm(self.tr("确认正式安排"), self.tr("确认 {year} 年的节假日安排已完整录入？确认后该年度的期限不再标注“暂定”。")
                            .format(year=year)):
            return
        try:
            n = calendar_admin.mark_calendar_year_official(self.ctx.uow(), year)
        except AppError as exc:
            self.calendar_status.fail(exc.message)
            return
        self._load_calendar()
        self._rule_saved(self.calendar_status, self.tr("{year} 年已确认为正式安排").format(year=year), n)

    # -- all -------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._load_org()
        self._load_settings()
        self._load_calendar()
        self.backups.load()


