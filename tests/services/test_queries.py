"""List queries: SQL filters, sorting, paging, masking, and the messages bad filters get."""

from __future__ import annotations

from datetime import date

import pytest

from services.core.errors import ValidationError
from services.procedures import cases
from services.read.queries import LISTS, ListQuery, list_info, list_page
from tests.services.conftest import World


def _clue(w: World, cause: str, day: date) -> str:
    return cases.register_clue(w.uow(), cases.ClueInput(
        cause=cause, power_item_code="SR-003", party_uid=w.adult, act_date=day, discovered_on=day,
        registered_on=day)).uid


def test_text_status_date_filters_and_paging(world: World) -> None:
    for i in range(7):
        _clue(world, f"占道经营第{i}起", date(2026, 2, 1 + i))
    _clue(world, "收费50%_折扣", date(2026, 2, 20))
    page = list_page(world.uow(), "cases", ListQuery(limit=3))
    assert page.total == 8 and len(page.rows) == 3
    assert [r[6] for r in page.rows] == [date(2026, 2, 20), date(2026, 2, 7), date(2026, 2, 6)]  # newest first
    second = list_page(world.uow(), "cases", ListQuery(limit=3, offset=3))
    assert {r[0] for r in second.rows}.isdisjoint({r[0] for r in page.rows})
    assert list_page(world.uow(), "cases", ListQuery(text="第3起")).total == 1
    assert list_page(world.uow(), "cases", ListQuery(text="50%_")).total == 1  # % and _ are literal
    assert list_page(world.uow(), "cases", ListQuery(text="%")).total == 1
    assert list_page(world.uow(), "cases", ListQuery(text="孙成年")).total == 8  # party name via subquery
    ranged = list_page(world.uow(), "cases", ListQuery(date_from=date(2026, 2, 2), date_to=date(2026, 2, 4)))
    assert ranged.total == 3
    assert list_page(world.uow(), "cases", ListQuery(status="clue")).total == 8
    asc = list_page(world.uow(), "cases", ListQuery(sort="registered_on", descending=False, limit=1))
    assert asc.rows[0][6] == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (ListQuery(status="nonsense"), "不是行政处罚案件的有效状态"),
        (ListQuery(date_from=date(2026, 3, 1), date_to=date(2026, 2, 1)), "起始日期不能晚于截止日期"),
        (ListQuery(sort="facts"), "不能按“facts”排序"),
        (ListQuery(limit=0), "每页条数"),
    ],
)
def test_bad_filters_are_refused_with_a_message(world: World, query: ListQuery, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        list_page(world.uow(), "cases", query)


def test_party_ids_and_phones_are_masked_unless_the_role_needs_them(world: World) -> None:
    masked = list_page(world.uow(), "parties", ListQuery(text="孙成年")).rows[0]
    full = list_page(world.uow(), "parties", ListQuery(text="孙成年"), unmasked=True).rows[0]
    assert "*" in masked[3] and masked[3][:6] == full[3][:6] and masked[3][-4:] == full[3][-4:]
    assert "*" not in full[3]


def test_every_list_answers(world: World) -> None:
    for name in LISTS:
        info = list_info(name)
        page = list_page(world.uow(), name, ListQuery(limit=5))
        assert all(len(r) == len(info.columns) + 1 for r in page.rows), name
    with pytest.raises(ValidationError):
        list_info("nope")
