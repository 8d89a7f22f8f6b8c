"""The procedure records of issue 16 as a user meets them on the case view: the step's form, and a warning the
service allowed the step with (a hearing set on a rest day)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from models.enums import DiscretionTierName, ProposedOutcome, Role
from models.penalty_flow import CaseAction
from services.core.context import AppContext
from services.people.accounts import UserInfo
from services.procedures import cases
from tests.services.conftest import World, _template, clock, db, uow, world  # noqa: F401 - pytest fixtures
from tests.ui.test_screen_flows import ScriptedDialogs, dialogs  # noqa: F401 - pytest fixture
from ui.main_window import MainWindow
from ui.operations import SyncRunner
from ui.ui_settings import UiSettings

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, world: World, tmp_path: Any) -> Iterator[MainWindow]:  # noqa: F811
    ctx = AppContext(world.db, world.clock, UserInfo("u1", "leader", "中队长", Role.SQUAD_LEADER, None))
    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ctx, runner=SyncRunner(), ui_settings=settings, db_label="test")
    qtbot.addWidget(w)
    w.show()
    yield w


def _hearing_requested(w: World) -> str:  # noqa: F811
    uid = cases.register_clue(w.uow(), cases.ClueInput(
        cause="餐饮油烟超标排放", power_item_code="YY-001", party_uid=w.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21))).uid
    cases.file_case(w.uow(), uid, on=date(2026, 3, 2), officer_uids=w.officers[:2])
    cases.conclude_investigation(w.uow(), uid, on=date(2026, 3, 2), data=cases.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal("10000"),
        deviation="初次违法且积极配合调查，依照《中华人民共和国行政处罚法》第三十二条从轻处罚"))
    cases.record_legal_review(w.uow(), uid, on=date(2026, 3, 2), passed=True, opinion="同意", reviewer_uid=w.reviewer)
    cases.record_collective_discussion(w.uow(), uid, on=date(2026, 3, 2), conclusion="同意",
                                       participants=["甲", "乙", "丙"])
    cases.give_prior_notice(w.uow(), uid, on=date(2026, 3, 2))
    w.set_today(date(2026, 3, 4))
    cases.request_hearing(w.uow(), uid, on=date(2026, 3, 3))
    return uid


def test_a_hearing_set_on_a_rest_day_is_recorded_with_a_warning(window: MainWindow, world: World,  # noqa: F811
                                                                  dialogs: ScriptedDialogs,  # noqa: F811
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: boxes.append((title, text)))
    uid = _hearing_requested(world)
    window.open_record("penalty_case", uid)
    view = window.case_view
    # too early: refused with the article, nothing recorded, no warning
    dialogs.script.append({"on": date(2026, 3, 4), "hearing_on": date(2026, 3, 10), "place": "会议室",
                           "presider": "赵六", "public": "public"})
    view.buttons[CaseAction.SCHEDULE_HEARING].click()
    assert dialogs.errors and "第六十四条" in dialogs.errors[-1] and not boxes
    # 2026-03-21 is a Saturday: allowed, and the user is told
    dialogs.script.append({"on": date(2026, 3, 4), "hearing_on": date(2026, 3, 21), "place": "会议室",
                           "presider": "赵六", "public": "public"})
    view.buttons[CaseAction.SCHEDULE_HEARING].click()
    assert len(boxes) == 1 and "2026-03-21" in boxes[0][1]
    assert view.summary is not None and view.summary.events[-1].action == "schedule_hearing"
