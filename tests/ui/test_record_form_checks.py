"""The record forms (检查记录, 案件线索, 人民调解登记) check a field when it is left, as the step dialogs do: the
message in its reserved line (nothing moves), green once corrected; 保存 lists every problem at once with the
cursor in the first, and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from services.core.context import AppContext
from services.people import parties
from tests.services.conftest import World
from ui.forms.case_form import ClueDialog
from ui.forms.common import FormDialog
from ui.forms.inspection_form import InspectionDialog
from ui.forms.mediation_form import MediationDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def shown(qtbot: QtBot) -> Iterator[Callable[[FormDialog], FormDialog]]:
    """Shows a form as the active window; at the end closes it without the “放弃输入?” its typed input would ask."""
    opened: list[FormDialog] = []

    def show(dlg: FormDialog) -> FormDialog:
        opened.append(dlg)  # not qtbot.addWidget: its close() would run reject() and the question
        dlg.show()
        qtbot.waitExposed(dlg)
        dlg.activateWindow()
        qtbot.waitUntil(dlg.isActiveWindow)  # focus moves (and FocusOut arrives) only in the active window
        return dlg

    yield show
    for dlg in opened:
        dlg.done(FormDialog.DialogCode.Rejected)
        dlg.deleteLater()


def _leave(qtbot: QtBot, dlg: FormDialog, key: str, into: QWidget) -> None:
    """Focus in field ``key``, then out of it into ``into``."""
    dlg.input(key).setFocus()
    qtbot.waitUntil(lambda: dlg.input(key).hasFocus() or dlg.input(key).isAncestorOf(dlg.focusWidget()))
    into.setFocus()


def test_the_inspection_place_is_checked_when_left_and_clears_when_corrected(
        qtbot: QtBot, ctx: AppContext, world: World,
        shown: Callable[[FormDialog], FormDialog]) -> None:
    dlg = shown(InspectionDialog(ctx))
    assert isinstance(dlg, InspectionDialog)
    below = dlg.findings.mapTo(dlg, dlg.findings.rect().topLeft())
    assert dlg.message("place") == ""  # nothing said before the field was visited
    _leave(qtbot, dlg, "place", dlg.findings)
    qtbot.waitUntil(lambda: dlg.message("place").startswith("✗"))
    assert "检查地点" in dlg.message("place")
    assert dlg.findings.mapTo(dlg, dlg.findings.rect().topLeft()) == below  # its line was reserved: nothing moved
    assert dlg.message("officers") == ""  # a field not visited says nothing yet
    dlg.place.setFocus()
    qtbot.keyClicks(dlg.place, "Qiaogou 12")
    assert dlg.message("place").startswith("✓")  # corrected: said in green while typing
    assert dlg.findChild(QLabel, "msg_place").styleSheet().endswith("#2e7d32;")


def test_the_officers_count_is_checked_when_the_list_is_left(qtbot: QtBot, ctx: AppContext, world: World,
        shown: Callable[[FormDialog], FormDialog]) -> None:
    dlg = shown(InspectionDialog(ctx))
    assert isinstance(dlg, InspectionDialog)
    dlg.officers.set_checked(world.officers[:1])
    _leave(qtbot, dlg, "officers", dlg.place)
    qtbot.waitUntil(lambda: "第四十二条" in dlg.message("officers"))
    dlg.officers.set_checked(world.officers[:2])
    assert dlg.message("officers").startswith("✓")


@pytest.mark.parametrize(("make", "expected", "first"), [
    (InspectionDialog, {"place": "检查地点", "officers": "两名以上"}, "place"),
    (ClueDialog, {"party": "当事人", "power_item": "赋权事项", "cause": "案由"}, "party"),
    (MediationDialog, {"category": "纠纷类别", "parties": "两方", "summary": "简要情况"}, "category"),
], ids=["inspection", "clue", "mediation"])
def test_save_lists_every_problem_at_once_with_the_cursor_in_the_first(
        qtbot: QtBot, ctx: AppContext, world: World, make: Callable[[AppContext], FormDialog],
        expected: dict[str, str], first: str, shown: Callable[[FormDialog], FormDialog]) -> None:
    dlg = shown(make(ctx))
    before = world.snapshot()
    assert not dlg.submit()
    for key, said in expected.items():
        assert dlg.message(key).startswith("✗") and said in dlg.message(key), (key, dlg.message(key))
    focused = dlg.focusWidget()
    qtbot.waitUntil(lambda: dlg.focusWidget() is not focused or dlg.input(first).hasFocus() or
                    dlg.input(first).isAncestorOf(dlg.focusWidget()))
    assert dlg.input(first) is dlg.focusWidget() or dlg.input(first).isAncestorOf(dlg.focusWidget())
    assert world.snapshot() == before  # nothing written


def test_a_clue_discovered_before_the_act_is_said_when_the_date_is_left(
        qtbot: QtBot, ctx: AppContext, world: World,
        shown: Callable[[FormDialog], FormDialog]) -> None:
    dlg = shown(ClueDialog(ctx))
    assert isinstance(dlg, ClueDialog)
    dlg.party.set_party(parties.get_party(ctx.reader(), world.adult))
    dlg.discovered.setDate(dlg.act_date.date().addDays(-3))
    _leave(qtbot, dlg, "discovered_on", dlg.place)
    qtbot.waitUntil(lambda: "发现日期" in dlg.message("discovered_on"))
    assert dlg.message("party") == ""  # a party picked is no problem
