"""Day one of a township squad, through the widgets only (issue 13's acceptance): from an empty data folder the
first-run wizard, the administrator's login, two officers, an account for one of them, a committee with two
mediators; that officer's first login (a new password); an inspection of a barbecue stall with both officers that
finds a problem and becomes a clue and a case; the case through filing, prior notice, decision, service and payment
to 结案 with each document issued (制发) on the way; a neighbour's complaint about the smoke mediated to a written
agreement; an encrypted bundle for the district, whose key card is trusted on the 同步 page.

The test clicks and types; it calls no service and writes nothing to the database itself. The other party (the
district) is set up with the command line, and the township's results are read back with it at the end.
Time passes only by the app's own clock (a FixedClock moved forward, as days pass in the office).

The form-filling lives in the ``fill_…`` helpers below and in tests/ui/walk.py, so a change to a form is adapted
in one place.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from models.enums import InspectionResult, ItemResult, MediationPartyRole, PartyKind, Role
from models.mediation_flow import MediationAction
from models.penalty_flow import CaseAction
from models.tz import SHANGHAI
from services.core.clock import FixedClock
from services.core.context import AppContext
from services.core.db import Database
from tests.services.conftest import resident_id
from tests.ui.walk import (
    WAIT_MS,
    Act,
    Modal,
    answer,
    choose_new_password,
    choose_path,
    cli,
    click,
    close_main_windows,
    fill_account,
    fill_committee,
    fill_mediator,
    fill_officer,
    first_login,
    ok,
    open_window,
    read_shown_password,
    run_main,
    run_wizard,
    sign_in,
    snap,
    successor_of,
    switch_user,
    type_text,
)
from ui.cases.case_view import CaseView
from ui.documents.document_dialog import DocumentDialog
from ui.forms.case_form import ClueDialog
from ui.forms.inspection_form import InspectionDialog
from ui.forms.mediation_form import AgreementDialog, MediationDialog
from ui.forms.party_form import PartyDialog, PartyPicker
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.mediation.mediation_view import MediationView
from ui.password_dialog import ChangePasswordDialog
from ui.people.accounts_page import OpenAccountDialog, ShownOnceDialog
from ui.people.committees_page import CommitteeDialog, MediatorDialog
from ui.people.officer_form import OfficerDialog
from ui.widgets.step_dialog import StepDialog

pytestmark = [pytest.mark.gui, pytest.mark.slow,
              # The file dialogs (Qt's own, offscreen) ask the platform to raise them and grab the keyboard.
              pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")]

ADMIN_PASSWORD = "Shiban2026"
OFFICER_PASSWORD = "Zhang2026pw"
STALL_OWNER_ID = resident_id(date(1979, 4, 12), "331")
NEIGHBOUR_ID = resident_id(date(1958, 9, 3), "242")


def cli_json(*args: str) -> Any:
    return json.loads(cli(*args, "--json").stdout)


# -- the forms, as the squad fills them ---------------------------------------------------------------------------


def tick(widget: QListWidget, *names: str) -> None:
    """Tick the rows naming each of ``names`` (officers, mediators) in a checkable list."""
    for name in names:
        [item] = [widget.item(i) for i in range(widget.count()) if name in widget.item(i).text()]
        assert item.flags() & Qt.ItemFlag.ItemIsEnabled, f"{name} cannot be ticked: {item.text()}"
        item.setCheckState(Qt.CheckState.Checked)


def fill_person(name: str, id_number: str, address: str, phone: str) -> Act:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, PartyDialog)
        dialog.kind_buttons[PartyKind.PERSON].click()
        if not dialog.name.text():
            type_text(dialog.name, name)
        type_text(dialog.id_number, id_number)
        assert dialog.message("id_number").startswith("✓"), dialog.message("id_number")
        type_text(dialog.address, address)
        type_text(dialog.phone, phone)
        ok(dialog)
        assert not dialog.isVisible(), dialog.error.text()

    return fill


def pick_party(qtbot: QtBot, picker: PartyPicker, text: str) -> None:
    """Type part of a registered party's name and take the first match the search offers."""
    type_text(picker.edit, text)
    qtbot.waitUntil(lambda: bool(picker._found), timeout=WAIT_MS)  # the search runs once the typing pauses
    picker.choose_row(0)


def fill_inspection(modal: Modal, place: str, officers: tuple[str, ...], finding: str) -> Act:
    """The barbecue stall: its owner registered from the form, both officers, the smoke line found wrong, 立案."""
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, InspectionDialog)
        type_text(dialog.place, place)
        dialog.domain.setCurrentIndex(dialog.domain.findData("油烟"))
        modal.expect(PartyDialog, fill_person("陈大勇", STALL_OWNER_ID, "石板镇新街23号", "13811112222"))
        dialog.party.new_button.click()
        assert dialog.party.party() is not None and "陈大勇" in dialog.party.edit.text()
        tick(dialog.officers, *officers)
        # Every line is answered (they start unanswered): the smoke line is the problem, the rest are fine.
        for row in range(dialog.checklist.rowCount()):
            dialog.checklist.set_result(row, ItemResult.PROBLEM if row == 0 else ItemResult.OK)
        dialog.findings.setFocus()
        type_text(dialog.findings, finding)
        dialog.result.setCurrentIndex(dialog.result.findData(InspectionResult.CASE_OPENED.value))
        modal.expect(QMessageBox, answer(QMessageBox.StandardButton.Yes))
        modal.expect(ClueDialog, fill_clue("YY-002"))
        ok(dialog)
        assert not dialog.isVisible(), [dialog.message(k) for k in ("place", "officers", "party")]

    return fill


def fill_clue(item_code: str) -> Act:
    """The clue form the inspection hands over: the party, place and facts come from it; the item is chosen."""
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ClueDialog)
        assert dialog.party.party() is not None and dialog.facts.toPlainText()
        dialog.power_item.setCurrentIndex(dialog.power_item.findData(item_code))
        assert dialog.cause.text().startswith("涉嫌")
        ok(dialog)
        assert not dialog.isVisible(), [dialog.message(k) for k in ("party", "power_item", "cause", "act_date")]

    return fill


def fill_step(values: dict[str, Any], ticks: tuple[str, ...] = (), shot: str = "") -> Act:
    """A procedure step's dialog: its fields set as the user sets them, names ticked in its list, then 确定."""
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, StepDialog)
        for key, value in values.items():
            dialog.set_value(key, value)
        for name in ticks:
            [officers] = [w for w in dialog.findChildren(QListWidget) if w.objectName().startswith("field_")]
            tick(officers, name)
        if shot:
            snap(dialog, shot)
        ok(dialog)
        assert not dialog.isVisible(), dialog.error.text()

    return fill


def step(qtbot: QtBot, modal: Modal, view: CaseView | MediationView, action: Any, act: Act) -> None:
    assert action in view.buttons, f"{action} not offered: {list(view.buttons)}"
    modal.expect(StepDialog, act)
    click(qtbot, view.buttons[action])
    modal.done()


def register(qtbot: QtBot, modal: Modal, view: CaseView, button: str, act: Act) -> None:
    """案卷材料: a record of the case file (``button`` names its 登记… button) entered in its dialog."""
    modal.expect(StepDialog, act)
    click(qtbot, view.records.findChild(QPushButton, button))
    modal.done()


def refused(qtbot: QtBot, modal: Modal, view: CaseView | MediationView, name: str) -> str:
    """执法文书… → the document chosen: why it cannot be made yet, as the dialog says."""
    said: list[str] = []

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, DocumentDialog)
        dialog.select(name)
        qtbot.waitUntil(lambda: bool(dialog.pdf) or "缺少" in dialog.message.text(), timeout=WAIT_MS)
        said.append(dialog.message.text())
        snap(dialog, "day_02_document_refused")
        dialog.reject()

    modal.expect(DocumentDialog, read)
    click(qtbot, view.documents_button)
    modal.done()
    return said[0]


def fill_squad_contact(qtbot: QtBot, window: MainWindow, address: str, phone: str) -> None:
    """设置 → 本镇信息: the squad's office and phone, which the notices print."""
    window.show_page("settings")
    page = window.pages["settings"].ensure_built()  # type: ignore[attr-defined]
    page.tabs.setCurrentIndex(0)
    page.squad_address.clear()
    type_text(page.squad_address, address)
    page.squad_phone.clear()
    type_text(page.squad_phone, phone)
    click(qtbot, page.contact_button)
    assert "已保存" in page.contact_status.text(), page.contact_status.text()
    snap(window, "day_03_settings_squad_contact")


def open_the_case(window: MainWindow) -> None:
    """行政处罚案件 → a double-click on the day's one case."""
    window.show_page("cases")
    cases = window.lists["cases"]
    assert cases.model.total == 1
    cases.table.doubleClicked.emit(cases.model.index(0, 0))
    assert window.stack.currentWidget() is window.record_page


def issue(qtbot: QtBot, modal: Modal, view: CaseView | MediationView, *names: str) -> list[str]:
    """执法文书… → each document chosen in the list, previewed, 制发; returns the numbers they took."""
    numbers: list[str] = []

    def issue_each(dialog: QWidget) -> None:
        assert isinstance(dialog, DocumentDialog)
        for name in names:
            dialog.select(name)
            # made in the background
            qtbot.waitUntil(lambda: bool(dialog.pdf) or "缺少" in dialog.message.text(), timeout=WAIT_MS)
            assert dialog.pdf, dialog.message.text()
            previewed = dialog.message.text()
            asked: list[str] = []  # 确认制发: the box names the number the document will take
            modal.expect(QMessageBox, answer(QMessageBox.StandardButton.Yes, asked))
            click(qtbot, dialog.issue_button)
            qtbot.waitUntil(lambda shown=previewed: dialog.message.text() != shown,  # 已制发…, or why not
                            timeout=WAIT_MS)
            assert dialog.issued is not None, dialog.message.text()
            assert asked and dialog.issued.number in asked[0]  # the number asked is the number taken
            numbers.append(dialog.issued.number)
        dialog.reject()

    modal.expect(DocumentDialog, issue_each)
    click(qtbot, view.documents_button)
    modal.done()
    return numbers


def add_term(dialog: AgreementDialog, obligor: str, obligee: str, **term: Any) -> None:
    """One row of the agreement's terms: the empty row the table offers, else 添加一项; who owes whom picked by
    name; what, how, by when typed."""
    editor = dialog.obligations
    table = editor.table
    last = table.rowCount() - 1
    if last < 0 or cast(QLineEdit, table.cellWidget(last, 2)).text():
        [add] = [b for b in dialog.findChildren(QPushButton) if b.text() == "添加一项"]
        add.click()
        last = table.rowCount() - 1
    for column, name in ((0, obligor), (1, obligee)):
        who = cast(QComboBox, table.cellWidget(last, column))
        who.setCurrentIndex(who.findText(name))
    editor.set_row(last, **term)


def fill_mediation(qtbot: QtBot, modal: Modal, summary: str) -> Act:
    """The neighbour (registered from the form) against the stall's owner (found by name)."""
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, MediationDialog)
        dialog.category.setCurrentIndex(dialog.category.findText("邻里纠纷"))
        assert dialog.committee.currentText() == "石板镇新华村人民调解委员会"  # the only one: chosen already
        applicant, respondent = dialog.rows
        assert applicant.role.currentData() == MediationPartyRole.APPLICANT.value
        modal.expect(PartyDialog, fill_person("王桂芳", NEIGHBOUR_ID, "石板镇新街25号", "13911113333"))
        applicant.picker.new_button.click()
        pick_party(qtbot, respondent.picker, "陈大")
        dialog.summary.setFocus()
        type_text(dialog.summary, summary)
        ok(dialog)
        assert not dialog.isVisible(), [dialog.message(k) for k in ("category", "parties", "summary")]

    return fill


# -- the day ------------------------------------------------------------------------------------------------------


def test_day_one_of_a_township_through_the_widgets(qtbot: QtBot, tmp_path: Path, modal: Modal) -> None:
    work = workplace(tmp_path)
    data = work / "data"
    data.mkdir()
    clock = FixedClock(datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI))
    db_path = data / "enforcedesk.sqlite3"
    db = Database.open(db_path)
    try:
        ctx = AppContext(db, clock)
        _day_one(qtbot, work, modal, ctx, clock)
    finally:
        close_main_windows()
        db.dispose()
    _read_back(db_path, work)


def workplace(tmp_path: Path) -> Path:
    """Where the day's files live: the test's own folder; when screenshots are taken, a folder with a neutral name
    instead (the PNGs show the database's and the exported bundle's paths), emptied first."""
    if not os.environ.get("ENFORCEDESK_WALK_SHOTS"):
        return tmp_path
    place = Path(tempfile.gettempdir()) / "石板镇执法"
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir()
    return place


def _day_one(qtbot: QtBot, tmp_path: Path, modal: Modal, ctx: AppContext, clock: FixedClock) -> None:
    run_wizard(qtbot, ctx, township="石板镇", squad="石板镇综合行政执法中队", password=ADMIN_PASSWORD,
               district="乐山市五通桥区")
    ctx.user = first_login(qtbot, ctx, "admin", ADMIN_PASSWORD).user
    # Closed by close_main_windows: 切换用户 deletes it on the way.
    window = open_window(ctx, tmp_path, db_label=str(ctx.db.path))
    steps = window.home.first_steps
    assert steps.isVisible()

    # The people: two officers, an account for one, a committee with two mediators (the first steps' buttons).
    click(qtbot, steps.buttons["officers"])
    modal.expect(OfficerDialog, fill_officer("张建国", "51111220001", "2028-12-31"))
    modal.expect(OfficerDialog, fill_officer("李秀兰", "51111220002", "2029-06-30", female=True))
    click(qtbot, window.lists["officers"].new_button)
    click(qtbot, window.lists["officers"].new_button)
    modal.done()
    assert window.lists["officers"].model.total == 2

    window.show_page("home")
    click(qtbot, steps.buttons["accounts"])
    accounts = window.pages["accounts"].ensure_built()  # type: ignore[attr-defined]
    shown: list[str] = []
    modal.expect(OpenAccountDialog, fill_account("张建国（51111220001）", "zhangjg", Role.OFFICER))
    modal.expect(ShownOnceDialog, read_shown_password(shown))
    click(qtbot, accounts.open_button)
    modal.done()

    window.show_page("home")
    click(qtbot, steps.buttons["committees"])
    committees = window.pages["committees"].ensure_built()  # type: ignore[attr-defined]
    modal.expect(CommitteeDialog, fill_committee("石板镇新华村人民调解委员会", "新华村调委会"))
    modal.expect(MediatorDialog, fill_mediator("李秀英", "女", "chair"))
    modal.expect(MediatorDialog, fill_mediator("王德明", "男", "member"))
    click(qtbot, committees.new_button)
    click(qtbot, committees.add_button)
    click(qtbot, committees.add_button)
    modal.done()
    window.show_page("home")
    assert not steps.isVisible()

    # 张建国 signs in: his first login asks for a password of his own.
    modal.expect(LoginDialog, sign_in("zhangjg", shown))
    modal.expect(ChangePasswordDialog, choose_new_password(OFFICER_PASSWORD))
    switch_user(window)
    modal.done()
    window = successor_of(qtbot, window, register=False)
    assert window.ctx is not None and window.ctx.user is not None and window.ctx.user.username == "zhangjg"

    # The barbecue stall: inspected by both, the smoke line found wrong, 立案 → the clue form → the case opens.
    window.show_page("inspections")
    modal.expect(InspectionDialog, fill_inspection(modal, "石板镇新街23号门前（陈记烧烤摊）", ("张建国", "李秀兰"),
                                                   "晚间在居民楼下露天烧烤，无油烟净化设施，烟气直排"))
    click(qtbot, window.lists["inspections"].new_button)
    modal.done()
    assert window.lists["inspections"].model.total == 1
    view = window.case_view
    assert window.stack.currentWidget() is window.record_page and view.summary is not None
    assert view.summary.status_label == "线索登记"
    assert not view.buttons[CaseAction.FILE].isEnabled()  # 立案 is the squad leader's to approve

    # The squad leader takes the case over: 立案, 决定 and 结案 are his; the case is opened from the list.
    modal.expect(LoginDialog, sign_in("admin", ADMIN_PASSWORD))
    switch_user(window)
    modal.done()
    window = successor_of(qtbot, window, register=False)
    open_the_case(window)
    view = window.case_view
    assert window.stack.currentWidget() is window.record_page and view.summary is not None
    _case(qtbot, modal, window, view, clock)

    # A neighbour's complaint about the smoke, mediated to a written agreement.
    window.back()
    window.show_page("mediations")
    modal.expect(MediationDialog, fill_mediation(qtbot, modal, "烧烤油烟飘入邻居住宅，邻居要求停止夜间烧烤并清洗窗帘"))
    click(qtbot, window.lists["mediations"].new_button)
    modal.done()
    _mediation(qtbot, modal, window, clock)

    # The week's work goes to the district, encrypted for its key card.
    _bundle(qtbot, modal, window, tmp_path)
    window.close()


def _case(qtbot: QtBot, modal: Modal, window: MainWindow, view: CaseView, clock: FixedClock) -> None:
    def at(day: date, action: CaseAction, values: dict[str, Any] | None = None, ticks: tuple[str, ...] = (),
           shot: str = "") -> None:
        clock.set_date(day)
        step(qtbot, modal, view, action, fill_step({"on": day, **(values or {})}, ticks, shot))

    issued: list[str] = []
    at(date(2026, 11, 3), CaseAction.FILE, ticks=("张建国", "李秀兰"), shot="day_01_step_filing")
    assert view.summary is not None and view.summary.status_label == "调查取证"
    issued += issue(qtbot, modal, view, "case_filing_form")
    # The decision states the facts and the evidence (行政处罚法第五十九条): the photos taken at the stall once
    # the case is filed (evidence is gathered after 立案).
    clock.set_date(date(2026, 11, 4))
    register(qtbot, modal, view, "evidenceButton", fill_step({
        "kind": "audiovisual", "name": "现场照片", "source": "石板镇新街23号门前", "obtained_on": date(2026, 11, 4),
        "collector": "张建国、李秀兰", "proves": "当事人在居民楼下露天烧烤，无油烟净化设施，烟气直排", "quantity": "3张"}))
    at(date(2026, 11, 5), CaseAction.CONCLUDE, {"outcome": "penalty", "tier": "minor", "proposed_fine": "2000",
                                                "reasons": "首次被查处，当场停止烧烤"})
    at(date(2026, 11, 6), CaseAction.NOTIFY)
    # The notice names the squad's office (where to make a statement) and phone, which nothing asked for so far:
    # the dialog says what is missing and where it is entered.
    why = refused(qtbot, modal, view, "prior_notice")
    assert "中队办公地址" in why and "设置 → 本镇信息" in why, why
    fill_squad_contact(qtbot, window, "石板镇人民路8号", "0833-3301234")
    open_the_case(window)
    issued += issue(qtbot, modal, view, "prior_notice")
    at(date(2026, 11, 16), CaseAction.END_STATEMENT)
    at(date(2026, 11, 16), CaseAction.DECIDE)
    assert view.summary.fine_amount is not None
    issued += issue(qtbot, modal, view, "penalty_decision")
    at(date(2026, 11, 17), CaseAction.SERVE, {"method": "direct"})
    issued += issue(qtbot, modal, view, "service_receipt")
    at(date(2026, 11, 20), CaseAction.PAY, {"receipt_number": "SC20261120001"})
    assert view.summary.status_label == "执行完毕"
    at(date(2026, 11, 20), CaseAction.CLOSE)
    assert view.summary.status_label == "已结案", view.summary.status_label
    assert view.tier.currentData() == "minor"  # 裁量辅助 on the tier the conclusion chose, not on 一般
    issued += issue(qtbot, modal, view, "closing_form")  # it states the closing date: made once closed
    snap(window, "day_07_case_closed")
    assert len(set(issued)) == 5, issued


def _mediation(qtbot: QtBot, modal: Modal, window: MainWindow, clock: FixedClock) -> None:
    view = window.mediation_view
    assert window.record_stack.currentWidget() is view and view.detail is not None

    def at(day: date, action: MediationAction, values: dict[str, Any], ticks: tuple[str, ...] = ()) -> None:
        clock.set_date(day)
        step(qtbot, modal, view, action, fill_step({"on": day, **values}, ticks))

    at(date(2026, 11, 23), MediationAction.ACCEPT, {}, ticks=("李秀英", "王德明"))
    at(date(2026, 11, 25), MediationAction.SESSION, {"place": "新华村村委会调解室",
                                                      "record": "双方陈述，陈大勇同意改为室内经营并加装净化设施",
                                                      "public": "closed"})
    clock.set_date(date(2026, 11, 25))
    agreement = fill_step({
        "on": date(2026, 11, 25), "form": "written", "effective_on": date(2026, 11, 25),
        "disputed_issues": "烧烤油烟影响邻居生活", "responsibility": "陈大勇夜间露天烧烤，油烟直排，应负主要责任",
        "terms": "陈大勇今后不在居民楼下露天烧烤", "all_parties_signed": True, "committee_sealed": True},
        shot="day_06_step_agreement")

    def agree(dialog: QWidget) -> None:
        assert isinstance(dialog, AgreementDialog)
        # The attestations are ticked by the mediator who saw them done, never assumed by the program.
        assert not dialog.value()["all_parties_signed"] and not dialog.value()["committee_sealed"]
        # An optional date states nothing until it is entered: 履行期限 shows （不填） (the terms' own dates count).
        deadline = dialog.findChild(QDateEdit, "field_performance_deadline")
        assert deadline.text() == "（不填）" and dialog.value()["performance_deadline"] is None, deadline.text()
        add_term(dialog, "陈大勇", "王桂芳", what="赔偿窗帘清洗费", amount="200", manner="现金支付",
                 due_on=date(2026, 12, 10))
        add_term(dialog, "陈大勇", "王桂芳", what="加装油烟净化设施", subject="烧烤摊油烟净化器一台",
                 manner="自行安装", due_on=date(2026, 12, 10))
        agreement(dialog)

    step(qtbot, modal, view, MediationAction.SUCCEED, agree)
    assert view.detail is not None and view.detail.summary.status_label == "调解成功"
    assert len(issue(qtbot, modal, view, "mediation_agreement")) == 1


def _bundle(qtbot: QtBot, modal: Modal, window: MainWindow, tmp_path: Path) -> None:
    district_db, card = tmp_path / "district.sqlite3", tmp_path / "区级密钥卡.edkey"
    (tmp_path / "district-pw").write_text("Qu2026pass\n", encoding="utf-8")
    cli("init", "--db", str(district_db), "--district", "乐山市五通桥区", "--admin-password-file",
        str(tmp_path / "district-pw"))
    # The card is signed with the district's device key, sealed under its data key (docs/encryption.md): its
    # administrator unlocks with the password set at init. Without it the command says so in one line (exit 3).
    bare = run_main("keys", "export", "--db", str(district_db), "--out", str(card))
    assert bare.returncode == 3 and "--user" in bare.stderr and "Traceback" not in bare.stderr, bare.stderr
    assert len(bare.stderr.strip().splitlines()) == 1 and not card.exists()
    cli("keys", "export", "--db", str(district_db), "--out", str(card), "--user", "admin", "--password-file",
        str(tmp_path / "district-pw"))

    window.show_page("sync")
    page = window.pages["sync"].ensure_built()  # type: ignore[attr-defined]
    tabs = {page.tabs.tabText(i): i for i in range(page.tabs.count())}
    page.tabs.setCurrentIndex(tabs["设备与密钥"])
    modal.expect(QFileDialog, choose_path(card))
    click(qtbot, page.trust_card_button)
    modal.done()
    assert "已信任" in page.device_message.text(), page.device_message.text()
    snap(window, "day_04_sync_trusted_district")

    # A new export is encrypted for the district unless the user says otherwise.
    page.tabs.setCurrentIndex(tabs["导出"])
    assert page.recipient.currentData() is not None and "乐山市五通桥区" in page.recipient.currentText()
    stick = tmp_path / "U盘"
    stick.mkdir()
    modal.expect(QFileDialog, choose_path(stick))
    click(qtbot, page.export_button)
    modal.done()
    qtbot.waitUntil(lambda: "已导出" in page.export_message.text() or "失败" in page.export_message.text(),
                    timeout=WAIT_MS)
    assert "已导出第 1 号同步包" in page.export_message.text(), page.export_message.text()
    snap(window, "day_05_sync_export_encrypted")


def _read_back(db_path: Path, tmp_path: Path) -> None:
    """What the day left in the township's database and on the USB stick, read with the command line."""
    db = str(db_path)
    [inspection] = cli_json("list", "inspections", "--db", db)
    assert (inspection["status"], inspection["date"]) == ("立案", "2026-11-02")
    # `list` runs without unlocking: the sealed place shows its masked form (the 乡镇 part), never ed1:… or the rest
    assert inspection["name"].startswith("石板镇") and "新街23号" not in inspection["name"], inspection["name"]
    assert inspection["number"] == "石综执检字〔2026〕第1号"
    [case] = cli_json("list", "cases", "--db", db)
    assert case["status"] == "已结案" and case["extra"] == "石综执罚决字〔2026〕第1号" and "露天烧烤" in case["name"]
    [mediation] = cli_json("list", "mediations", "--db", db)
    assert mediation["status"] == "调解成功" and mediation["extra"].endswith("调协字〔2026〕第1号")
    assert mediation["name"].startswith("烧烤油烟飘入邻居住宅")
    assert sorted(p["name"] for p in cli_json("list", "parties", "--db", db)) == ["王桂芳", "陈大勇"]
    documents = cli_json("list", "documents", "--db", db)
    assert sorted(d["name"] for d in documents) == sorted([
        "case_filing_form", "prior_notice", "penalty_decision", "service_receipt", "closing_form",
        "mediation_agreement"])
    assert {d["status"] for d in documents} == {"有效"}
    assert len({d["number"] for d in documents}) == len(documents)  # each took its own number
    stats = cli_json("stats", "--db", db, "--year", "2026")
    assert {k: stats[k] for k in ("inspections", "officer_turnouts", "problems_found", "cases_filed", "cases_closed",
                                  "fines_yuan", "mediation_accepted", "mediation_succeeded", "certified_officers")} == {
        "inspections": 1, "officer_turnouts": 2, "problems_found": 1, "cases_filed": 1, "cases_closed": 1,
        "fines_yuan": "2000.00", "mediation_accepted": 1, "mediation_succeeded": 1, "certified_officers": 2}
    assert sorted(o["name"] for o in cli_json("officers", "list", "--db", db)) == ["张建国", "李秀兰"]
    users = {u["username"]: u for u in cli_json("users", "list", "--db", db)}
    assert users["zhangjg"]["officer"] == "张建国" and not users["zhangjg"]["must_change_password"]

    # The bundle on the stick: for the district's key and no other, nothing in it readable without that key.
    [bundle] = (tmp_path / "U盘").iterdir()
    card = json.loads((tmp_path / "区级密钥卡.edkey").read_text(encoding="utf-8"))
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        payload = b"".join(z.read(n) for n in z.namelist() if n.startswith("records/"))
    assert manifest["recipient"]["device_uid"] == card["device_uid"]
    assert manifest["encryption"]["recipient_box_key"] == card["box_public_key"]
    assert "陈大勇".encode() not in payload and b"case_filing_form" not in payload
    # The district opens it (a dry run: checked and decrypted, nothing written).
    shown = cli("sync", "import", "--db", str(tmp_path / "district.sqlite3"), "--dry-run", "--trust-new", str(bundle),
                "--user", "admin", "--password-file", str(tmp_path / "district-pw"))
    assert "石板镇" in shown.stdout, shown.stdout
