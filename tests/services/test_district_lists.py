"""The district's record lists: each record's township (乡镇 column), one township's filter, sorting by township.

Run on the six-township test district, on SQLite and on PostgreSQL (``any_district``). The expected values are
read straight from the tables (record → township_id → township name), not through the list code.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models.case import PenaltyCase
from models.enums import CaseStatus
from models.inspection import Inspection
from models.org import Township
from services.core.errors import ValidationError
from services.read import queries
from services.read.queries import LISTS, ListQuery, list_info, list_page, township_choices
from tests.services.district_helpers import TOWNSHIPS, District

RECORD_LISTS = ("inspections", "campaigns", "cases", "mediations", "officers")


def _expected(d: District, name: str) -> dict[str, str]:
    """uid → township name of every live record the list holds."""
    table = LISTS[name].table
    with d.uow(write=False) as u:
        rows = u.session.execute(select(table.uid, Township.name).join(Township, Township.id == table.township_id)
                                 .where(table.deleted_at.is_(None))).all()
    return {uid: town for uid, town in rows}


def _all_rows(d: District, name: str, q: ListQuery, limit: int = 150) -> tuple[int, list[tuple[Any, ...]]]:
    first = list_page(d.uow(write=False), name, ListQuery(**{**_fields(q), "offset": 0, "limit": limit}),
                      district=True)
    rows = list(first.rows)
    while len(rows) < first.total:
        page = list_page(d.uow(write=False), name, ListQuery(**{**_fields(q), "offset": len(rows), "limit": limit}),
                         district=True)
        assert page.total == first.total and page.rows, "paging must reach the total"
        rows.extend(page.rows)
    return first.total, rows


def _fields(q: ListQuery) -> dict[str, Any]:
    return {k: getattr(q, k) for k in q.__slots__}  # type: ignore[attr-defined]


def test_township_choices_are_the_synced_townships(any_district: District) -> None:
    choices = township_choices(any_district.uow(write=False))
    assert [n for _, n in choices] == sorted(TOWNSHIPS)  # the district's own identity row is not offered
    with any_district.uow(write=False) as u:
        uids = dict(u.session.execute(select(Township.name, Township.uid)).all())
    assert choices == [(uids[n], n) for n in sorted(TOWNSHIPS)]


@pytest.mark.parametrize("name", RECORD_LISTS)
def test_each_row_shows_its_records_township(any_district: District, name: str) -> None:
    info = list_info(name, district=True)
    assert info.has_township and info.columns[0].key == "township" and "township" in info.sortable
    assert info.columns[1:] == LISTS[name].columns
    expected = _expected(any_district, name)
    page = list_page(any_district.uow(write=False), name, ListQuery(limit=500), district=True)
    assert page.total == len(expected) > 0
    assert all(len(r) == len(info.columns) + 1 for r in page.rows)
    assert {r[0]: r[1] for r in page.rows} == {uid: expected[uid] for uid in (r[0] for r in page.rows)}
    assert len({r[1] for r in page.rows}) > 1  # the lists really mix townships


@pytest.mark.parametrize("name", ["cases", "inspections", "mediations"])
def test_township_filter_narrows_to_exactly_one_townships_records(any_district: District, name: str) -> None:
    expected = _expected(any_district, name)
    uid, town = township_choices(any_district.uow(write=False))[2]
    total, rows = _all_rows(any_district, name, ListQuery(township_uid=uid))
    mine = {u for u, t in expected.items() if t == town}
    assert total == len(mine) == len(rows) > 0
    assert {r[0] for r in rows} == mine and {r[1] for r in rows} == {town}
    # With the list's own filters too: the same as filtering the township's rows by hand.
    if name == "cases":
        with any_district.uow(write=False) as u:
            closed = set(u.session.scalars(select(PenaltyCase.uid).where(PenaltyCase.status == CaseStatus.CLOSED)))
        n, both = _all_rows(any_district, name, ListQuery(township_uid=uid, status=CaseStatus.CLOSED.value))
        assert n == len(both) == len(mine & closed) > 0 and {r[0] for r in both} == mine & closed


@pytest.mark.parametrize("name", ["cases", "inspections"])
def test_sort_by_township_pages_every_record_once_in_township_order(any_district: District, name: str) -> None:
    expected = _expected(any_district, name)
    date_col = 7 if name == "cases" else 3  # registered_on / inspected_on, after the uid and the township
    for descending in (False, True):
        total, rows = _all_rows(any_district, name, ListQuery(sort="township", descending=descending), limit=70)
        assert total == len(rows) == len(expected)
        assert sorted(r[0] for r in rows) == sorted(expected)  # each record exactly once across the pages
        towns = [r[1] for r in rows]
        assert towns == sorted(towns, reverse=descending)  # code-point order on both databases
        assert all(r[1] == expected[r[0]] for r in rows)
        for town in set(towns):  # within a township: newest first, as the list usually is
            dates = [r[date_col] for r in rows if r[1] == town]
            assert dates == sorted(dates, reverse=True)


def test_sort_by_township_with_a_filter_and_an_offset_inside_a_township(any_district: District) -> None:
    expected = _expected(any_district, "inspections")
    choices = township_choices(any_district.uow(write=False))
    uid, town = choices[1]
    total, rows = _all_rows(any_district, "inspections", ListQuery(sort="township", descending=False,
                                                                   township_uid=uid), limit=33)
    assert total == len(rows) == sum(1 for t in expected.values() if t == town)
    everything = _all_rows(any_district, "inspections", ListQuery(sort="township", descending=False), limit=500)[1]
    # A page starting in the middle of a township, spanning into the next one, equals the same slice of the whole.
    first_town = sum(1 for t in expected.values() if t == choices[0][1])
    page = list_page(any_district.uow(write=False), "inspections",
                     ListQuery(sort="township", descending=False, offset=first_town - 5, limit=20), district=True)
    assert list(page.rows) == everything[first_town - 5:first_town + 15]
    assert {r[1] for r in page.rows} == {choices[0][1], choices[1][1]}


def test_township_lists_are_unchanged(any_district: District) -> None:
    for name, spec in LISTS.items():
        info = list_info(name)
        assert not info.has_township and info.columns == spec.columns and "township" not in info.sortable
    page = list_page(any_district.uow(write=False), "cases", ListQuery(limit=5))
    assert all(len(r) == len(LISTS["cases"].columns) + 1 for r in page.rows)
    with any_district.uow(write=False) as u:
        numbers = set(u.session.scalars(select(PenaltyCase.number)))
    assert page.rows[0][1] in numbers | {"（未立案）"}  # the case number, not a township, follows the uid
    uid = township_choices(any_district.uow(write=False))[0][0]
    with pytest.raises(ValidationError):  # no township filter outside the district's lists
        list_page(any_district.uow(write=False), "cases", ListQuery(township_uid=uid))
    with pytest.raises(ValidationError):
        list_page(any_district.uow(write=False), "cases", ListQuery(sort="township"))
    # The catalogue is the district's own, shared by every township: no township column there either.
    assert not list_info("catalogue", district=True).has_township
    with pytest.raises(ValidationError):
        list_page(any_district.uow(write=False), "cases", ListQuery(township_uid="no-such-township"), district=True)


def test_deleted_records_stay_out_of_the_township_counts(any_district: District) -> None:
    uid, town = township_choices(any_district.uow(write=False))[0]
    before = list_page(any_district.uow(write=False), "inspections", ListQuery(township_uid=uid, limit=1),
                       district=True).total
    with any_district.uow() as u:
        ins = u.session.scalar(select(Inspection).join(Township, Township.id == Inspection.township_id)
                               .where(Township.uid == uid).limit(1))
        assert ins is not None
        ins.deleted_at = ins.updated_at
        u.commit()
    for q in (ListQuery(township_uid=uid, limit=1), ListQuery(sort="township", township_uid=uid, limit=1)):
        assert list_page(any_district.uow(write=False), "inspections", q, district=True).total == before - 1


def test_a_big_townships_page_walked_by_the_sort_index_is_the_same(any_district: District,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    uid = township_choices(any_district.uow(write=False))[0][0]
    queries_ = [ListQuery(township_uid=uid, limit=40, offset=off) for off in (0, 40, 80)]
    queries_.append(ListQuery(township_uid=uid, limit=40, sort="number", descending=False))
    pages = [list_page(any_district.uow(write=False), "inspections", q, district=True) for q in queries_]
    # Every township counts as big, and any offset as cheap to walk: SQLite takes the sort column's index.
    monkeypatch.setattr(queries, "TOWNSHIP_WALK_MIN", 1)
    monkeypatch.setattr(queries, "TOWNSHIP_WALK_ROWS", 10**12)
    walked = [list_page(any_district.uow(write=False), "inspections", q, district=True) for q in queries_]
    assert walked == pages and all(p.rows for p in pages)
