"""Record forms driven like a user would, against a real initialised database (nothing is faked but dialogs)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from models.enums import InspectionResult, ItemResult, MediationPartyRole, PartyKind
from services.core.context import AppContext
from services.people import parties
from services.read import choices
from services.read.queries import ListQuery, list_page
from tests.services.conftest import ORG_USCC, World, resident_id
from ui import forms
from ui.data_events import DataEvents
from ui.forms.campaign_form import CampaignDialog
from ui.forms.case_form import ClueDefaults, ClueDialog, SummaryDialog
from ui.forms.inspection_form import InspectionDialog, offer_case
from ui.forms.mediation_form import MediationDialog
from ui.forms.party_form import PartyDialog, PartyPicker

pytestmark = pytest.mark.gui

GOOD_ID = resident_id(date(1985, 7, 9), "456")


def total(ctx: AppContext, name: str, text: str = "") -> int:
    return list_page(ctx.reader(), name, ListQuery(text=text, limit=1)).total


def type_chinese(widget: QWidget, text: str) -> None:
    """What an input method does when the user picks characters (QTest.keyClicks only types Latin-1)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def bad_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


# -- 当事人 ------------------------------------------------------------------------------------------------


def test_party_form_checks_the_id_as_typed_and_refuses_a_bad_one(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = PartyDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.name.setText("林晓明")
    before, rows = world.snapshot(), total(ctx, "parties")

    qtbot.keyClicks(dlg.id_number, bad_check_digit(GOOD_ID))
    assert "校验位错误" in dlg.message("id_number")
    assert not dlg.submit()  # OK refused: the dialog stays open, nothing written
    assert dlg.result() != QDialog.DialogCode.Accepted and "校验位" in dlg.message("id_number")
    assert world.snapshot() == before and total(ctx, "parties") == rows

    dlg.id_number.clear()
    qtbot.keyClicks(dlg.id_number, GOOD_ID)
    assert dlg.message("id_number").startswith("✓") and "1985-07-09" in dlg.message("id_number")
    qtbot.keyClicks(dlg.phone, "1381234")
    assert dlg.message("phone").startswith("✗")
    qtbot.keyClicks(dlg.phone, "5678")
    assert dlg.message("phone").startswith("✓")
    assert dlg.submit()
    assert total(ctx, "parties", "林晓明") == 1 and dlg.result_value.name == "林晓明"


def test_party_form_kind_switches_fields_and_shows_duplicates(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = PartyDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.legal_rep.isVisible()
    qtbot.mouseClick(dlg.kind_buttons[PartyKind.ORGANISATION], Qt.MouseButton.LeftButton)
    assert dlg.legal_rep.isVisible() and not dlg.ethnicity.isVisible()
    assert [dlg.id_type.itemData(i) for i in range(dlg.id_type.count())] == ["uscc"]
    dlg.name.setText("另一家建设公司")
    qtbot.keyClicks(dlg.id_number, ORG_USCC)
    assert dlg.message("id_number").startswith("✓")
    assert not dlg.submit()  # 法定代表人 missing
    assert "法定代表人" in dlg.message("legal_rep")
    dlg.legal_rep.setText("钱经理")
    before = world.snapshot()
    assert not dlg.submit()  # the USCC is already registered
    assert "竹根建设有限公司" in dlg.message("id_number")
    assert world.snapshot() == before
    qtbot.mouseClick(dlg.kind_buttons[PartyKind.INDIVIDUAL_BUSINESS], Qt.MouseButton.LeftButton)
    assert dlg.operator_id.isVisible() and dlg.id_type.count() > 1


@pytest.mark.qt_log_ignore("This plugin does not support")  # the completer popup, offscreen
def test_party_picker_searches_and_creates_in_place(qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    picker = PartyPicker(ctx)
    qtbot.addWidget(picker)
    picker.show()
    type_chinese(picker.edit, "孙成")
    qtbot.waitUntil(lambda: picker.model.rowCount() == 1, timeout=2000)
    with qtbot.waitSignal(picker.party_changed):
        picker.choose_row(0)
    assert picker.party() is not None and picker.party().name == "孙成年"
    picker.edit.clear()
    qtbot.keyClicks(picker.edit, "110105198005")  # by ID number; typing again cleared the choice
    assert picker.party_uid() is None and picker.has_unresolved_text()
    qtbot.waitUntil(lambda: picker.model.rowCount() == 1, timeout=2000)
    picker.edit.clear()
    type_chinese(picker.edit, "不存在的人")

    def fake_exec(dlg: PartyDialog) -> int:
        assert dlg.name.text() == picker.edit.text()  # what was typed is carried into the new form
        dlg.name.setText("新当事人甲")
        assert not dlg.submit() and "身份证号码" in dlg.message("id_number")  # 居民身份证 is the default type
        dlg.id_type.setCurrentIndex(dlg.id_type.findData("none"))
        assert not dlg.id_number.isEnabled()
        assert dlg.submit()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PartyDialog, "exec", fake_exec)
    qtbot.mouseClick(picker.new_button, Qt.MouseButton.LeftButton)
    assert picker.party() is not None and picker.party().name == "新当事人甲"


# -- 检查记录 ----------------------------------------------------------------------------------------------


def _fill_inspection(dlg: InspectionDialog, world: World) -> None:
    dlg.place.setText("竹根镇桥沟街12号")
    dlg.domain.setCurrentIndex(dlg.domain.findData("扬尘"))
    for row in range(dlg.checklist.rowCount()):  # each line answered, as the officers do
        dlg.checklist.set_result(row, ItemResult.OK)
    dlg.result.setCurrentIndex(dlg.result.findData(InspectionResult.PASSED.value))  # the verdict is chosen too


def test_inspection_with_one_officer_is_refused_with_article_42(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = InspectionDialog(ctx)
    qtbot.addWidget(dlg)
    _fill_inspection(dlg, world)
    assert dlg.checklist.rowCount() == 4  # prefilled for 扬尘
    assert dlg.checklist.texts() == choices.checklist_template("扬尘")
    items = {dlg.officers.item(i).data(Qt.ItemDataRole.UserRole): dlg.officers.item(i)
             for i in range(dlg.officers.count())}
    expired = items[world.expired_officer]  # shown, as in the 执法人员 list, but not certified that day
    assert expired.text() == "钱过期（51000010，已过期）" and not expired.flags() & Qt.ItemFlag.ItemIsEnabled
    dlg.officers.set_checked([world.expired_officer])
    assert dlg.officers.checked_uids() == []  # cannot be ticked
    dlg.officers.set_checked(world.officers[:1])
    before, rows = world.snapshot(), total(ctx, "inspections")
    assert not dlg.submit()
    assert "第四十二条" in dlg.message("officers")
    assert world.snapshot() == before and total(ctx, "inspections") == rows

    dlg.officers.set_checked(world.officers[:2])
    assert dlg.submit()
    assert total(ctx, "inspections") == rows + 1
    assert dlg.result_value.result is InspectionResult.PASSED


def test_checklist_lines_start_unanswered_and_saving_names_those_left(
        qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = InspectionDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.place.setText("竹根镇桥沟街12号")
    dlg.domain.setCurrentIndex(dlg.domain.findData("扬尘"))
    dlg.officers.set_checked(world.officers[:2])
    lines = dlg.checklist.texts()
    assert all(dlg.checklist.result_combo(r).currentText() == "（请选择）" for r in range(len(lines)))
    assert dlg.result.currentText() == "（请选择）"  # 检查结论 too: no verdict assumed
    dlg.result.setCurrentIndex(dlg.result.findData(InspectionResult.PASSED.value))
    for row in range(1, len(lines) - 1):
        dlg.checklist.set_result(row, ItemResult.OK)
    before, rows = world.snapshot(), total(ctx, "inspections")
    assert not dlg.submit()
    said = dlg.message("items")
    assert f"“{lines[0]}”" in said and f"“{lines[-1]}”" in said and f"“{lines[1]}”" not in said, said
    assert world.snapshot() == before and total(ctx, "inspections") == rows  # nothing written
    dlg.checklist.set_result(0, ItemResult.NOT_APPLICABLE)
    dlg.checklist.set_result(len(lines) - 1, ItemResult.OK)
    assert dlg.submit(), dlg.message("items")
    assert total(ctx, "inspections") == rows + 1


def test_inspection_result_fields_and_rectification(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = InspectionDialog(ctx)
    qtbot.addWidget(dlg)
    _fill_inspection(dlg, world)
    dlg.officers.set_checked(world.officers[:2])
    assert not dlg.deadline.isEnabled() and not dlg.transfer_to.isEnabled()
    dlg.result.setCurrentIndex(dlg.result.findData(InspectionResult.TRANSFERRED.value))
    assert dlg.transfer_to.isEnabled() and not dlg.deadline.isEnabled()
    dlg.result.setCurrentIndex(dlg.result.findData(InspectionResult.ORDERED.value))
    assert dlg.deadline.isEnabled() and not dlg.transfer_to.isEnabled()
    assert not dlg.submit()  # 责令整改 without any problem recorded
    assert "发现的问题" in dlg.message("findings")
    dlg.checklist.set_result(1, ItemResult.PROBLEM)
    assert dlg.submit()
    original = dlg.result_value

    # The re-inspection form offers the order as “复查原检查” and takes over its place.
    re = InspectionDialog(ctx)
    qtbot.addWidget(re)
    assert re.reinspection.findData(original.uid) > 0
    re.reinspection.setCurrentIndex(re.reinspection.findData(original.uid))
    re.reinspection.activated.emit(re.reinspection.currentIndex())  # what choosing it with the mouse sends
    assert re.place.text() == "竹根镇桥沟街12号"


def test_inspection_concluding_case_opens_a_clue_from_it(qtbot: QtBot, ctx: AppContext, world: World,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    dlg = InspectionDialog(ctx)
    qtbot.addWidget(dlg)
    _fill_inspection(dlg, world)
    dlg.officers.set_checked(world.officers[:2])
    dlg.party.set_party(parties.get_party(ctx.reader(), world.org))
    dlg.result.setCurrentIndex(dlg.result.findData(InspectionResult.CASE_OPENED.value))
    dlg.checklist.set_result(0, ItemResult.PROBLEM)
    dlg.findings.setPlainText("工地东侧未设置硬质围挡，裸土未覆盖")
    assert dlg.submit()
    parent = QWidget()
    qtbot.addWidget(parent)
    assert offer_case(ctx, parent, dlg, confirm=lambda _p: False) is None

    seen: list[ClueDialog] = []

    def fake_exec(clue: ClueDialog) -> int:
        seen.append(clue)
        assert clue.party.party_uid() == world.org and clue.place.text() == "竹根镇桥沟街12号"
        assert all(it.domain == "扬尘" for it in clue.power_item.items)  # the inspection's domain
        assert "YC-001" in [it.code for it in clue.power_item.items]  # organisation-only item offered
        clue.power_item.select_code("YC-001")
        assert clue.cause.text().startswith("涉嫌")
        return QDialog.DialogCode.Accepted if clue.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ClueDialog, "exec", fake_exec)
    cases = total(ctx, "cases")
    case = offer_case(ctx, parent, dlg, confirm=lambda _p: True)
    assert case is not None and seen and total(ctx, "cases") == cases + 1
    assert case.party_name == "竹根建设有限公司"


# -- 案件 --------------------------------------------------------------------------------------------------


def test_clue_form_filters_items_by_party_kind_and_saves(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = ClueDialog(ctx)
    qtbot.addWidget(dlg)
    assert not dlg.submit() and dlg.message("party")  # no party yet
    dlg.party.set_party(parties.get_party(ctx.reader(), world.org))
    codes = [it.code for it in dlg.power_item.items]
    assert "YC-001" in codes and "SR-001" not in codes  # 随地吐痰 is for natural persons only
    dlg.party.set_party(parties.get_party(ctx.reader(), world.adult))
    codes = [it.code for it in dlg.power_item.items]
    assert "SR-001" in codes and "YC-001" not in codes
    dlg.power_item.select_code("SR-001")
    assert "200" in dlg.item_hint.text()
    dlg.discovered.setDate(dlg.act_date.date().addDays(-3))  # discovered before the act: refused by the service
    before = world.snapshot()
    assert not dlg.submit()
    assert "发现日期" in dlg.message("discovered_on")
    assert world.snapshot() == before
    dlg.discovered.setDate(dlg.act_date.date())
    assert dlg.submit()
    assert total(ctx, "cases", "随地吐痰") == 1


def test_summary_penalty_over_the_cap_is_refused(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = SummaryDialog(ctx)
    qtbot.addWidget(dlg)
    assert not dlg.dirty  # the officers' standing coloured in the picker is not the user's input
    dlg.party.set_party(parties.get_party(ctx.reader(), world.adult))
    dlg.power_item.select_code("SR-001")
    dlg.officers.set_checked(world.officers[:2])
    dlg.place.setText("菜市街口")
    dlg.facts.setPlainText("随地吐痰")
    dlg.fine.setText("abc")
    assert not dlg.submit() and "数字" in dlg.message("fine")
    dlg.fine.setText("300")
    before = world.snapshot()
    assert not dlg.submit()
    assert "第五十一条" in dlg.error.text() or "第五十一条" in dlg.message("fine")
    assert world.snapshot() == before
    dlg.fine.setText("50")
    assert dlg.submit()
    assert dlg.result_value.fine_amount == 50


def test_mediation_needs_two_parties(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = MediationDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.category.setCurrentIndex(dlg.category.findData("02"))
    assert dlg.committee.currentData() == world.committee  # the only committee is preselected
    dlg.summary.setPlainText("两家因排水沟堵塞发生争执")
    dlg.rows[0].picker.set_party(parties.get_party(ctx.reader(), world.adult))
    before = world.snapshot()
    assert not dlg.submit()
    assert "两方" in dlg.message("parties")
    assert world.snapshot() == before
    dlg.rows[1].picker.set_party(parties.get_party(ctx.reader(), world.teen16))
    dlg.add_party(MediationPartyRole.OTHER)
    assert all(r.remove.isEnabled() for r in dlg.rows)
    dlg.amount.setText("1,200")
    assert dlg.submit()  # the empty third row is ignored
    assert total(ctx, "mediations") == 1


def test_campaign_form(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    dlg = CampaignDialog(ctx)
    qtbot.addWidget(dlg)
    assert not dlg.submit() and "名称" in dlg.message("name")
    dlg.name.setText("春季扬尘专项整治")
    dlg.end.setDate(dlg.start.date().addDays(-1))
    assert not dlg.submit() and "结束日期" in dlg.message("start_date")
    dlg.has_end.setChecked(False)
    assert dlg.submit()
    assert total(ctx, "campaigns", "春季扬尘") == 1


# -- the creators MainWindow calls ------------------------------------------------------------------------


def test_default_creators_and_unsaved_input(qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    creators = forms.default_creators()
    assert set(creators) == {"inspections", "campaigns", "cases", "mediations", "parties", "officers"}
    parent = QWidget()
    parent.ctx = ctx  # type: ignore[attr-defined] - MainWindow carries .ctx
    qtbot.addWidget(parent)

    def fake_exec(dlg: PartyDialog) -> int:
        dlg.name.setText("创建器测试")
        dlg.id_number.setText(GOOD_ID)
        return QDialog.DialogCode.Accepted if dlg.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(PartyDialog, "exec", fake_exec)
    events = DataEvents()
    told: list[frozenset[str]] = []
    events.changed.connect(told.append)
    uid = creators["parties"](parent, events)
    assert uid and parties.get_party(ctx.reader(), uid).name == "创建器测试"
    assert told == [frozenset({"parties"})]  # the open 当事人 list reads it again

    dlg = CampaignDialog(ctx)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.name, "abc")
    asked: list[bool] = []
    monkeypatch.setattr(CampaignDialog, "confirm_discard", lambda self: asked.append(True) or False)
    dlg.show()
    dlg.reject()  # Esc with typed input: asks, and stays open when the user says no
    assert asked and dlg.isVisible()


def test_clue_defaults_carry_over(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    party = parties.get_party(ctx.reader(), world.adult)
    dlg = ClueDialog(ctx, None, ClueDefaults(party=party, domain="噪声", place="滨河路", facts="音响音量过大",
                                             act_date=date(2026, 3, 1)))
    qtbot.addWidget(dlg)
    assert dlg.party.party_uid() == world.adult and dlg.facts.toPlainText() == "音响音量过大"
    assert {it.domain for it in dlg.power_item.items} == {"噪声"}
