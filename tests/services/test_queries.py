"""List queries: SQL filters, sorting, paging, masking, and the messages bad filters get."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.enums import Role
from models.party import Party
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.people.registry import OfficerInput, create_officer
from services.procedures import cases
from services.read.details import record_detail
from services.read.queries import LISTS, ListQuery, list_info, list_page
from services.reference.setup import this_township
from tests.services.conftest import World, resident_id


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


def test_soft_deleted_records_are_neither_counted_nor_listed(world: World) -> None:
    """Unfiltered, the total is the table's rows minus its deleted ones (the partial index of deleted rows,
    migration 0014); filtered, the filter's own count: both must leave the deleted parties out."""
    before = list_page(world.uow(), "parties", ListQuery())
    persons = list_page(world.uow(), "parties", ListQuery(status="person")).total
    gone = {world.teen16, world.child12}
    with world.as_user("admin") as u:
        for party in u.session.scalars(select(Party).where(Party.uid.in_(gone))):
            party.deleted_at = world.clock.now()
        u.commit()
    after = list_page(world.uow(), "parties", ListQuery())
    assert after.total == before.total - 2 == len(after.rows) and gone.isdisjoint(r[0] for r in after.rows)
    filtered = list_page(world.uow(), "parties", ListQuery(status="person"))
    assert filtered.total == persons - 2 == len(filtered.rows)
    assert list_page(world.uow(), "parties", ListQuery(text="周少年")).total == 0


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


def _as(world: World, role: Role | None) -> UnitOfWork:
    return world.as_user("t", role)


def _party_id_number(world: World, role: Role | None, *, unmasked: bool) -> str:
    detail = record_detail(_as(world, role), "parties", world.adult, unmasked=unmasked)
    return dict(detail.fields)["证件号码"]


def test_who_reads_id_numbers_in_full_is_decided_by_the_role_not_the_caller(world: World) -> None:
    full = resident_id(date(1980, 5, 20), "111")  # 孙成年's, as created in tests/services/conftest.py
    masked = _party_id_number(world, Role.OFFICER, unmasked=True)  # the screen asks: the officer's role may not
    assert masked != full and "*" in masked and masked[:6] == full[:6] and masked[-4:] == full[-4:]
    assert _party_id_number(world, Role.SQUAD_LEADER, unmasked=False) == full  # decides and needs them
    assert _party_id_number(world, Role.LEGAL_REVIEWER, unmasked=True) == full
    assert _party_id_number(world, None, unmasked=False) == masked  # no signed-in role: only what it asks for
    assert _party_id_number(world, None, unmasked=True) == full


def test_lists_mask_as_the_role_requires_and_the_party_list_for_everyone(world: World) -> None:
    with world.uow() as u:
        create_officer(u.session, OfficerInput(name="电话员", cert_number="51000077", cert_valid_from=date(2024, 1, 1),
                                               cert_valid_to=date(2027, 12, 31), phone="13800138000"),
                       today=world.clock.today(), township_id=this_township(u.session).id, squad_id=None)
        u.commit()

    phone_col = 1 + [c.key for c in list_info("officers").columns].index("phone")  # row[0] is the uid

    def phone(role: Role | None) -> str:
        return list_page(_as(world, role), "officers", ListQuery(text="电话员"), unmasked=True).rows[0][phone_col]

    assert phone(Role.OFFICER) == "138****8000" and phone(Role.SQUAD_LEADER) == "13800138000"
    for role in (Role.OFFICER, Role.SQUAD_LEADER, None):  # a directory of the public: masked for every role
        row = list_page(_as(world, role), "parties", ListQuery(text="孙成年"), unmasked=True).rows[0]
        assert row[3] == _party_id_number(world, Role.OFFICER, unmasked=True)


def test_every_list_answers(world: World) -> None:
    for name in LISTS:
        info = list_info(name)
        page = list_page(world.uow(), name, ListQuery(limit=5))
        assert all(len(r) == len(info.columns) + 1 for r in page.rows), name
    with pytest.raises(ValidationError):
        list_info("nope")
