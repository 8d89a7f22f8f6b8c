"""The navigation marks the section being shown, also for a record opened from the 工作台 or a list."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from models.enums import MediationPartyRole
from services.procedures import cases
from services.procedures import mediation as med
from tests.services.conftest import World, _template, clock, db, uow, world  # noqa: F401 - pytest fixtures
from tests.ui.test_screen_flows import window  # noqa: F401 - pytest fixture
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _highlighted(w: MainWindow) -> str:
    return str(w.nav.currentItem().data(Qt.ItemDataRole.UserRole))


def test_a_record_opened_from_the_home_page_highlights_its_section_and_back_returns_home(
        window: MainWindow, world: World) -> None:  # noqa: F811
    uid = cases.register_clue(world.uow(), cases.ClueInput(
        cause="占道堆放建筑材料", power_item_code="SR-003", party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21))).uid
    window.show_page("home")
    window.open_record("penalty_case", uid)  # what a 工作台 item does
    assert window.stack.currentWidget() is window.record_page and _highlighted(window) == "cases"
    window.back()
    assert window.stack.currentWidget() is window.pages["home"] and _highlighted(window) == "home"

    mc = med.register_mediation(world.uow(), med.MediationInput(
        category_code="02", committee_uid=world.committee, applied_on=date(2026, 2, 27),
        parties=[(world.adult, MediationPartyRole.APPLICANT), (world.teen16, MediationPartyRole.RESPONDENT)],
        summary="邻里排水纠纷"))
    window.show_page("cases")
    window.open_record("mediations", mc.uid)
    assert _highlighted(window) == "mediations"
    window.back()
    assert window.stack.currentWidget() is window.lists["cases"] and _highlighted(window) == "cases"


def test_at_1366_pixels_the_case_view_shows_every_stage_and_lists_need_no_sideways_scroll(
        window: MainWindow, world: World) -> None:  # noqa: F811
    window.resize(1366, 740)
    uid = cases.register_clue(world.uow(), cases.ClueInput(
        cause="占道堆放建筑材料" * 6, power_item_code="SR-003", party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21))).uid
    window.open_record("cases", uid)
    view = window.case_view
    timeline = view.timeline
    assert timeline.verticalScrollBar().maximum() == 0  # every stage in view
    assert not view.attachments.list.isVisibleTo(view)  # no evidence yet: the panel is its title line only
    window.show_page("cases")
    page = window.lists["cases"]
    page.fit_columns()
    widths = sum(page.table.columnWidth(c) for c in range(page.model.columnCount()))
    assert widths <= page.table.viewport().width() and page.table.horizontalScrollBar().maximum() == 0
