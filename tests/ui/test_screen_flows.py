"""The main flows as a user walks them: lists, filters, the case and mediation procedure views."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models.enums import MediationPartyRole, Role
from models.mediation_flow import MediationAction
from models.party import Party
from models.penalty_flow import CaseAction
from services.core.context import AppContext
from services.documents.issuing import issue_document
from services.people.accounts import UserInfo
from services.procedures import cases
from services.procedures import mediation as med
from services.read.queries import ColumnSpec, ListQuery, Page
from services.reference.settings import set_setting
from tests.services.conftest import World, _template, clock, db, uow, world  # noqa: F401 - pytest fixtures
from ui.item_models.paged_model import PAGE, PagedTableModel
from ui.main_window import MainWindow
from ui.operations import SyncRunner
from ui.ui_settings import UiSettings
from ui.widgets.step_dialog import StepDialog

pytestmark = pytest.mark.gui


class ScriptedDialogs:
    """Stands in for the user in front of each step dialog: fills the next scripted values and presses OK.

    When the script is used up the "user" presses 取消, so a refused step (dialog kept open with the reason)
    ends instead of looping; the reason shown is kept in ``errors``.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.script: list[dict[str, Any]] = []
        self.errors: list[str] = []
        outer = self

        def fake_exec(dialog: StepDialog) -> int:
            if dialog.error.isVisibleTo(dialog) and dialog.error.text():
                outer.errors.append(dialog.error.text())
            if not outer.script:
                return StepDialog.DialogCode.Rejected.value
            for key, value in outer.script.pop(0).items():
                dialog.set_value(key, value)
            return StepDialog.DialogCode.Accepted.value

        monkeypatch.setattr(StepDialog, "exec", fake_exec)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> ScriptedDialogs:
    return ScriptedDialogs(monkeypatch)


@pytest.fixture
def window(qtbot: QtBot, world: World, tmp_path: Any) -> Iterator[MainWindow]:  # noqa: F811
    # Signed in: the login unlocked the data key (docs/encryption.md), which the screens pass on.
    ctx = AppContext(world.db, world.clock, UserInfo("u1", "leader", "中队长", Role.SQUAD_LEADER, None),
                     data_key=world.key)
    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ctx, runner=SyncRunner(), ui_settings=settings, db_label="test")
    qtbot.addWidget(w)
    w.show()
    yield w


def _new_case(world: World) -> str:  # noqa: F811
    return cases.register_clue(world.uow(), cases.ClueInput(
        cause="占道堆放建筑材料", power_item_code="SR-003", party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21), place="桥沟街",
        facts="在桥沟街人行道上堆放建筑材料约二十平方米")).uid


def test_case_from_clue_to_closed_through_the_view(window: MainWindow, world: World,  # noqa: F811
                                                    dialogs: ScriptedDialogs) -> None:
    uid = _new_case(world)
    window.show_page("cases")
    page = window.lists["cases"]
    page.refresh()
    assert page.model.total == 1
    page._open(0)  # what a double-click on the row does
    view = window.case_view
    assert window.stack.currentWidget() is window.record_page and view.uid == uid
    assert CaseAction.FILE in view.buttons and CaseAction.DECIDE not in view.buttons

    steps: list[tuple[CaseAction, dict[str, Any], str | None]] = [
        (CaseAction.FILE, {"on": date(2026, 2, 23), "officer_uids": world.officers[:2]}, "调查取证"),
        (CaseAction.CONCLUDE, {"on": date(2026, 2, 27), "outcome": "penalty", "tier": "ordinary",
                               "proposed_fine": "1000", "reasons": "占道面积较大"}, "案件审核"),
        (CaseAction.NOTIFY, {"on": date(2026, 3, 2)}, "事先告知"),
    ]
    for action, values, status_label in steps:
        dialogs.script.append(values)
        view.buttons[action].click()
        assert view.summary is not None and view.summary.status_label == status_label, dialogs.errors

    # The interview and the evidence, entered in the 案卷材料 panel: a decision lists its evidence (art.59(二)).
    interview = {"on": date(2026, 2, 24), "start": "09:00", "end": "09:30", "place": "执法队询问室", "name": "孙成年",
                 "relation": "当事人本人", "interviewers": world.officers[:2], "recorder": world.officers[1],
                 "qa": "问：你是否在桥沟街堆放砖块？\n答：是的，堆了三天。"}
    dialogs.script.append(interview)
    view.records.findChild(QPushButton, "interviewButton").click()
    dialogs.script.append({"kind": "audiovisual", "name": "现场照片", "source": "桥沟街", "obtained_on": date(2026, 2, 23),
                           "collector": "张三", "proves": "当事人占道堆放砖块的事实"})
    view.records.findChild(QPushButton, "evidenceButton").click()
    assert view.records.list.count() == 2, dialogs.errors
    # The same officers in an interview at an overlapping time: refused in the dialog, nothing added.
    dialogs.script.append({**interview, "start": "09:15", "end": "09:45"})
    view.records.findChild(QPushButton, "interviewButton").click()
    assert dialogs.errors and "同时参加" in dialogs.errors[-1] and view.records.list.count() == 2

    # Refused: the statement period has not run out; the dialog shows the law's reason and nothing changes.
    dialogs.script.append({"on": date(2026, 3, 2)})
    view.buttons[CaseAction.END_STATEMENT].click()
    assert dialogs.errors and "期满后方可" in dialogs.errors[-1]
    assert view.summary.status_label == "事先告知"

    world.set_today(date(2026, 3, 16))
    for action, values, status_label in [
        (CaseAction.END_STATEMENT, {"on": date(2026, 3, 16)}, "待决定"),
        (CaseAction.DECIDE, {"on": date(2026, 3, 16)}, "已决定"),  # fine prefilled from the proposal
        (CaseAction.SERVE, {"on": date(2026, 3, 16), "method": "direct"}, "执行中"),
        (CaseAction.PAY, {"on": date(2026, 3, 16), "receipt_number": "SC0001"}, "执行完毕"),
    ]:
        dialogs.script.append(values)
        view.buttons[action].click()
        assert view.summary.status_label == status_label, dialogs.errors

    # 结案 lists the documents the steps so far require and is refused while one is not issued.
    required = ["立案审批表", "行政处罚事先告知书", "行政处罚决定书", "送达回证"]
    intro = view.dialog_for(CaseAction.CLOSE).intro.text()
    assert all(f"✗ {title}" in intro for title in required)
    dialogs.script.append({"on": date(2026, 3, 16)})
    view.buttons[CaseAction.CLOSE].click()
    assert "、".join(required) in dialogs.errors[-1] and view.summary.status_label == "执行完毕"
    with world.uow() as u:  # the documents print the party's address
        u.session.scalars(select(Party).where(Party.uid == world.adult)).one().address = "竹根镇桥沟街1号"
        # The list is a local setting ([L]); this squad's file standard asks for the filing form only.
        set_setting(u.session, "closing.required_documents", {"file": ["case_filing_form"]})
        u.commit()
    issued = issue_document(world.uow(), "case_filing_form", uid)
    intro = view.dialog_for(CaseAction.CLOSE).intro.text()
    assert "✗" not in intro and f"✓ 立案审批表　{issued.number}" in intro
    dialogs.script.append({"on": date(2026, 3, 16)})
    view.buttons[CaseAction.CLOSE].click()
    assert view.summary.status_label == "已结案", dialogs.errors
    assert view.summary.fine_amount == Decimal("1000.00")
    assert "竹综执罚决字〔2026〕第1号" == view.summary.decision_number
    labels = [view.events.item(i).text() for i in range(view.events.count())]
    assert any("作出处罚决定" in t for t in labels) and any("结案" in t for t in labels)

    window.back()
    assert window.stack.currentWidget() is page
    assert page.model.data(page.model.index(0, 1)) == "已结案"  # list refreshed after the steps


def test_role_without_permission_sees_disabled_button(qtbot: QtBot, world: World, tmp_path: Any) -> None:  # noqa: F811
    ctx = AppContext(world.db, world.clock, UserInfo("u2", "officer", "队员", Role.OFFICER, None),
                     data_key=world.key)
    w = MainWindow(ctx, runner=SyncRunner(),
                   ui_settings=UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    uid = _new_case(world)
    w.open_record("cases", uid)
    button = w.case_view.buttons[CaseAction.FILE]
    assert not button.isEnabled() and "无权" in button.toolTip()


def test_an_officer_sees_a_partys_id_number_masked_a_leader_in_full(
        qtbot: QtBot, window: MainWindow, world: World, tmp_path: Any) -> None:  # noqa: F811
    officer = MainWindow(AppContext(world.db, world.clock, UserInfo("u2", "officer", "队员", Role.OFFICER, None),
                                    data_key=world.key),
                         runner=SyncRunner(),
                         ui_settings=UiSettings(QSettings(str(tmp_path / "o.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(officer)
    shown = {}
    for name, w in (("leader", window), ("officer", officer)):
        w.open_record("parties", world.adult)
        form = w.detail_page.form
        rows = {form.itemAt(r, form.ItemRole.LabelRole).widget().text():
                form.itemAt(r, form.ItemRole.FieldRole).widget().text() for r in range(form.rowCount())}
        shown[name] = rows["证件号码："]
    assert "*" in shown["officer"] and "*" not in shown["leader"] and shown["officer"][-4:] == shown["leader"][-4:]


def test_filters_narrow_the_list_and_are_kept(window: MainWindow, world: World, tmp_path: Any) -> None:  # noqa: F811
    _new_case(world)
    other = cases.register_clue(world.uow(), cases.ClueInput(
        cause="露天烧烤", power_item_code="YY-002", party_uid=world.adult, act_date=date(2026, 2, 25),
        discovered_on=date(2026, 2, 26), registered_on=date(2026, 2, 26)))
    cases.file_case(world.uow(), other.uid, on=date(2026, 2, 27), officer_uids=world.officers[:2])
    window.show_page("cases")
    page = window.lists["cases"]
    page.refresh()
    assert page.model.total == 2
    page.search.setText("烧烤")
    page.apply_filters()
    assert page.model.total == 1
    page.status.setCurrentIndex(page.status.findData("clue"))
    assert page.model.total == 0  # 露天烧烤 is already filed
    stored = window.ui_settings.list_query("cases")
    assert stored is not None and stored.text == "烧烤" and stored.status == "clue"
    page.date_from.setDate(page.date_from.date().addYears(30))
    page.date_to.setDate(page.date_to.date().addYears(29))
    assert "起始日期不能晚于截止日期" in page.error_label.text()


def test_mediation_to_written_agreement(window: MainWindow, world: World, dialogs: ScriptedDialogs) -> None:  # noqa: F811
    mc = med.register_mediation(world.uow(), med.MediationInput(
        category_code="02", committee_uid=world.committee, applied_on=date(2026, 2, 27),
        parties=[(world.adult, MediationPartyRole.APPLICANT), (world.teen16, MediationPartyRole.RESPONDENT)],
        summary="邻里排水纠纷"))
    window.open_record("mediations", mc.uid)
    view = window.mediation_view
    for action, values in [
        (MediationAction.ACCEPT, {"on": date(2026, 2, 28), "mediator_uids": list(world.mediators)}),
        (MediationAction.SESSION, {"on": date(2026, 3, 1), "place": "村委会", "record": "双方同意各让一步",
                                   "public": "closed"}),
        (MediationAction.SUCCEED, {"on": date(2026, 3, 2), "form": "written", "terms": "双方互不追究",
                                   "effective_on": date(2026, 3, 2), "responsibility": "双方均有责任",
                                   "obligations": [{"obligor_uid": world.teen16, "obligee_uid": world.adult,
                                                    "what": "分担疏通费用", "amount": "300", "manner": "现金支付",
                                                    "due_on": date(2026, 3, 20)},
                                                   {"obligor_uid": world.adult, "obligee_uid": world.teen16,
                                                    "what": "疏通排水沟", "subject": "屋后排水沟约20米",
                                                    "manner": "自行疏通", "due_on": date(2026, 3, 10)}],
                                   "all_parties_signed": True, "committee_sealed": True}),  # start unticked
    ]:
        dialogs.script.append(values)
        view.buttons[action].click()
    assert view.detail is not None and view.detail.summary.status_label == "调解成功", dialogs.errors
    assert any("达成书面协议" in line for line in view.detail.history)
    kinds = {d.kind for d in view.detail.deadlines}
    assert {"judicial_confirmation", "mediation_performance"} <= kinds
    # the terms as entered, the performance deadline the last term's, nothing barring confirmation
    assert [view.terms.item(r, 2).text() for r in range(view.terms.rowCount())] == ["分担疏通费用", "疏通排水沟"]
    assert view.terms.item(0, 3).text() == "300.00元" and view.terms.item(1, 3).text() == "屋后排水沟约20米"
    assert next(d.due_on for d in view.detail.deadlines if d.kind == "mediation_performance") == date(2026, 3, 20)
    assert view.blocker.isHidden()
    # 4-1 was the confirmation window's last day: a day later it has lapsed (grey), it is not 逾期 (red)
    world.set_today(date(2026, 4, 2))
    view.load(mc.uid)
    row = next(r for r in range(view.deadlines.rowCount()) if view.deadlines.item(r, 0).text() == "司法确认申请期限")
    state = view.deadlines.item(row, 2)
    assert state.text() == "已届满（未使用）" and state.foreground().color().name() == "#777777"
    perf = next(r for r in range(view.deadlines.rowCount()) if view.deadlines.item(r, 0).text() == "协议履行期限")
    assert "已逾期" in view.deadlines.item(perf, 2).text()  # a duty is still overdue work


def test_paged_model_contract(qtmodeltester: Any) -> None:
    data = [(f"uid{i}", f"第{i}号", i) for i in range(PAGE * 3 + 7)]
    calls: list[ListQuery] = []

    def fetch(q: ListQuery) -> Page:
        calls.append(q)
        rows = data[::-1] if q.descending else data
        return Page(len(data), tuple(rows[q.offset:q.offset + q.limit]))

    model = PagedTableModel((ColumnSpec("number", "编号"), ColumnSpec("n", "数", "int")), fetch)
    model.set_query(ListQuery())
    qtmodeltester.check(model)
    assert model.rowCount() == len(data)
    assert model.uid_at(PAGE * 3 + 1) == data[::-1][PAGE * 3 + 1][0]
    assert {q.offset for q in calls} == {0, PAGE * 3}  # only the pages looked at are fetched


def test_evidence_photo_attached_to_a_case_shows_a_thumbnail(window: MainWindow, world: World,  # noqa: F811
                                                             tmp_path: Any) -> None:
    from PySide6.QtGui import QColor, QImage

    uid = _new_case(world)
    window.open_record("cases", uid)
    panel = window.case_view.attachments
    photo = tmp_path / "现场照片.png"
    img = QImage(64, 48, QImage.Format.Format_RGB32)
    img.fill(QColor("#3366cc"))
    assert img.save(str(photo))
    assert panel.add(photo, "占道现场")
    assert panel.list.count() == 1 and not panel.list.item(0).icon().isNull()
    assert not panel.add(photo)  # the same file twice on one record is refused with a message
    assert "已作为" in panel.message.text() and panel.list.count() == 1


def test_home_work_item_opens_the_record(window: MainWindow, world: World) -> None:  # noqa: F811
    from datetime import datetime

    from models.base import SHANGHAI
    from models.enums import InspectionResult, ItemResult
    from services.procedures.inspections import ChecklistLine, InspectionInput, record_inspection

    start = datetime(2026, 2, 20, 9, tzinfo=SHANGHAI)
    record_inspection(world.uow(), InspectionInput(
        started_at=start, ended_at=start.replace(hour=10), place="桥沟街12号", officer_uids=world.officers[:2],
        result=InspectionResult.ORDERED, items=[ChecklistLine("门前三包", ItemResult.PROBLEM)],
        findings="店外占道经营", rectification_deadline=date(2026, 2, 27)))
    window.show_page("home")
    home = window.home
    row = next(i for i, it in enumerate(home.items) if it.kind_label == "整改复查期限")
    assert home.items[row].days_left < 0  # 2026-02-27 has passed on 2026-03-02
    home._open(row, 0)
    detail = window.detail_page
    assert window.record_stack.currentWidget() is detail and "桥沟街12号" in detail.title.text() + "".join(
        detail.form.itemAt(i).widget().text() for i in range(detail.form.count()) if detail.form.itemAt(i).widget())
    assert any("门前三包" in detail.lines.item(i).text() for i in range(detail.lines.count()))


def test_opening_a_list_reads_it_once(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """show_page on another list: one query (navigation used to run the page twice: select, then refresh)."""
    from services.read import queries

    calls: list[str] = []
    real = queries.list_page

    def counted(unit: Any, name: str, q: Any, **kw: Any) -> Any:
        calls.append(name)
        return real(unit, name, q, **kw)

    monkeypatch.setattr(queries, "list_page", counted)
    window.show_page("officers")
    assert calls == ["officers"]
    window.show_page("officers")  # asked again while shown: refreshed, once more
    assert calls == ["officers", "officers"]

