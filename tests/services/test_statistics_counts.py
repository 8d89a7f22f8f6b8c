"""Every statistic of the declaration against a direct count of the records — on SQLite and PostgreSQL.

The declaration (services/statistics/indicators.py) drives every path that produces a figure: the township's
yearly figures (``stats``), the district's figures per township and month (read from ``figure_month``), a range
of days counted from the records, and the drill-down. Each path is compared here, figure by figure and township
by township, with tests/services/direct_counts.py, which counts the same rows in Python without the declaration:
a statistic cannot drift from what it means without one of these failing.

Generated records are well-formed, so on their own they cannot tell a condition from none (no no-penalty decision
carries a fine, nothing is soft-deleted). ``_awkward`` first gives every statistic rows it must not count: a
soft-deleted row (and parent) behind each figure, a fine on a no-penalty decision, a rectification date on an
"ok" checklist line, a closing date on a case not closed, officers inactive, suspended, deleted or without a
certificate number.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from main import main
from models.base import SHANGHAI
from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.enums import CaseStatus, CertStatus, ItemResult, TransferKind
from models.inspection import Inspection, InspectionItem
from models.mediation import MediationCase
from models.org import Officer
from models.records import Training, TrainingAttendance
from models.registry import metadata
from services.district import district_stats, monthly_stats
from services.district.common import townships
from services.statistics.counting import drill_rows
from services.statistics.figures import grouped_figures
from services.statistics.indicators import DERIVED_KEYS, FLOWS, Period, empty_figures
from services.statistics.yearly import compute_year
from tests.services.direct_counts import STATS_KEYS, direct_figures, load
from tests.services.district_helpers import YEAR, District

pytestmark = pytest.mark.slow

YEARS = (YEAR - 1, YEAR, YEAR + 1)
DELETED = datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)


def _first(s: Any, stmt: Any) -> Any:
    found = s.scalar(stmt.limit(1))
    assert found is not None, str(stmt)
    return found


def _awkward(d: District) -> None:
    """Rows every statistic must leave out (see the module docstring); every statistic keeps rows it counts."""
    in_year = (date(YEAR, 1, 1), date(YEAR, 12, 31))
    with d.uow() as u:
        s, today = u.session, u.clock.today()
        # Rare in the generated district: no dispute turned criminal, hardly a transfer to the judiciary. Two of
        # each in the year, so that one can be soft-deleted below and one still counts.
        m, tr = MediationCase, Transfer
        for uid in s.scalars(select(m.uid).where(m.deleted_at.is_(None), m.applied_on.between(*in_year))
                             .order_by(m.id).limit(2)):
            s.execute(update(m).where(m.uid == uid).values(escalated_to_criminal=True))
        for uid in s.scalars(select(tr.uid).where(tr.deleted_at.is_(None), tr.kind == TransferKind.DEPARTMENT,
                                                  tr.transferred_on.between(*in_year)).order_by(tr.id).limit(2)):
            s.execute(update(tr).where(tr.uid == uid).values(kind=TransferKind.JUDICIARY))
        for year in YEARS:  # of each flow's rows in each year, one soft-deleted (when another still counts)
            p = Period(year)
            for flow in FLOWS:
                rows = drill_rows(s, flow.key, p.start, p.end, today=today)
                if len(rows) >= 2:
                    row = rows[len(rows) // 2]  # the middle one: not a parent soft-deleted below
                    table = metadata.tables[row.table]
                    s.execute(update(table).where(table.c.uid == row.uid).values(deleted_at=DELETED))
        i, it, pc = Inspection, InspectionItem, PenaltyCase
        live_i = (i.deleted_at.is_(None), i.inspected_on.between(*in_year))
        # parents soft-deleted: an inspection with a problem found and rectified in the year, a case with a
        # coercive measure of the year, a training of the year with its attendance
        parent = _first(s, select(i.id).join(it, it.inspection_id == i.id).where(
            *live_i, it.result == ItemResult.PROBLEM, it.deleted_at.is_(None), it.rectified_on.between(*in_year)))
        s.execute(update(i).where(i.id == parent).values(deleted_at=DELETED))
        case = _first(s, select(CoerciveMeasure.case_id).join(pc, pc.id == CoerciveMeasure.case_id).where(
            pc.deleted_at.is_(None), CoerciveMeasure.deleted_at.is_(None),
            CoerciveMeasure.started_on.between(*in_year)))
        s.execute(update(pc).where(pc.id == case).values(deleted_at=DELETED))
        training = _first(s, select(Training.id).join(TrainingAttendance).where(
            Training.deleted_at.is_(None), TrainingAttendance.deleted_at.is_(None), Training.held_on.between(*in_year)))
        s.execute(update(Training).where(Training.id == training).values(deleted_at=DELETED))
        # conditions: a fine on a no-penalty decision, a rectification date on an "ok" line, a closing date on a
        # case still being decided
        no_penalty = _first(s, select(pc.id).where(pc.deleted_at.is_(None), pc.no_penalty_ground.is_not(None),
                                                   pc.decision_date.between(*in_year)))
        s.execute(update(pc).where(pc.id == no_penalty).values(fine_amount=Decimal("123.45")))
        ok_line = _first(s, select(it.id).join(i, i.id == it.inspection_id).where(*live_i, it.result == ItemResult.OK,
                                                                                 it.deleted_at.is_(None)))
        s.execute(update(it).where(it.id == ok_line).values(rectified_on=date(YEAR, 6, 1)))
        open_case = _first(s, select(pc.id).where(pc.deleted_at.is_(None), pc.status == CaseStatus.INVESTIGATING))
        s.execute(update(pc).where(pc.id == open_case).values(closed_on=date(YEAR, 6, 2)))
        # officers with a certificate valid all year who no longer count
        certified = list(s.scalars(select(Officer.id).where(
            Officer.township_id == townships(s)[0].id, Officer.deleted_at.is_(None), Officer.active.is_(True),
            Officer.cert_status == CertStatus.VALID, Officer.cert_number != "",
            Officer.cert_valid_from <= in_year[0], Officer.cert_valid_to >= today).order_by(Officer.id).limit(5)))
        assert len(certified) == 5
        for oid, change in zip(certified[:4], ({"deleted_at": DELETED}, {"active": False},
                                               {"cert_status": CertStatus.SUSPENDED}, {"cert_number": ""}), strict=True):
            s.execute(update(Officer).where(Officer.id == oid).values(**change))
        # and one whose issue date was never recorded, who still counts
        s.execute(update(Officer).where(Officer.id == certified[4]).values(cert_valid_from=None))
        u.commit()


@pytest.fixture
def awkward(any_district: District) -> Iterator[District]:
    _awkward(any_district)
    yield any_district


def typed(fig: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """Values with their types: 3 and 3.0 or Decimal("3") must not pass for one another in printed figures."""
    return {k: (type(v).__name__, v) for k, v in fig.items()}


def test_yearly_figures_equal_a_direct_count(awkward: District) -> None:
    d = awkward
    with d.uow(write=False) as u:
        s, today = u.session, u.clock.today()
        rec = load(s)
        towns = townships(s)
        for year in YEARS:
            p = Period(year)
            whole = compute_year(s, year, today=today)
            assert list(whole.to_json()) == ["year", *STATS_KEYS]  # the stats command's keys, in its order
            assert typed(dict(whole.figures)) == typed(direct_figures(rec, p.start, p.end, today=today)), year
            for t in towns:
                own = compute_year(s, year, today=today, township_id=t.id)
                want = direct_figures(rec, p.start, p.end, today=today, township_id=t.id)
                assert typed(dict(own.figures)) == typed(want), (year, t.name)
        assert whole["inspections"] > 0 and whole["fines_yuan"] > 0 and whole["mediation_success_rate"] > 0


def test_the_stats_command_prints_the_direct_count(awkward: District, capsys: pytest.CaptureFixture[str]) -> None:
    d = awkward
    with d.uow(write=False) as u:
        want = direct_figures(load(u.session), date(YEAR, 1, 1), date(YEAR, 12, 31), today=u.clock.today())
    assert main(["stats", "--db", d.target, "--year", str(YEAR)]) == 0
    lines = capsys.readouterr().out.splitlines()
    shown = {k: v for k, v in (line.split(": ", 1) for line in lines)}
    assert list(shown) == ["year", *STATS_KEYS]
    for key in STATS_KEYS:
        value = want[key]
        assert shown[key] == (f"{value:.2f}" if isinstance(value, Decimal) else str(value)), key


def test_district_figures_per_township_and_month_equal_a_direct_count(awkward: District) -> None:
    d = awkward
    with d.uow(write=False) as u:
        rec, today = load(u.session), u.clock.today()
    for year in (YEAR, YEAR + 1):
        ds = district_stats(d.uow(write=False), year)
        p = Period(year)
        for tf in ds.townships:
            tid = tf.township.id
            assert typed(tf.figures) == typed(direct_figures(rec, p.start, p.end, today=today, township_id=tid))
            prev = p.previous_year()  # 同比
            assert typed(tf.previous) == typed(direct_figures(rec, prev.start, prev.end, today=today, township_id=tid))
    name = ds.townships[1].township.name
    tid = ds.townships[1].township.id
    months = monthly_stats(d.uow(write=False), YEAR, township=name)
    for m in range(1, 13):
        p = Period(YEAR, m)
        assert typed(months.months[m - 1]) == typed(direct_figures(rec, p.start, p.end, today=today,
                                                                   township_id=tid)), m


def test_a_range_of_days_is_counted_from_the_records(awkward: District) -> None:
    """Not whole months: figure_month cannot answer, the records are counted (the same declaration)."""
    d = awkward
    start, end = date(YEAR, 3, 15), date(YEAR, 8, 10)
    with d.uow(write=False) as u:
        s, today = u.session, u.clock.today()
        rec = load(s)
        got = grouped_figures(s, start, end, today=today)
        for t in townships(s):
            want = direct_figures(rec, start, end, today=today, township_id=t.id)
            assert typed(got.get((t.id, 0), empty_figures())) == typed(want), t.name


def test_the_drill_down_lists_exactly_what_a_figure_counts(awkward: District) -> None:
    d = awkward
    p = Period(YEAR)
    with d.uow(write=False) as u:
        s, today = u.session, u.clock.today()
        rec = load(s)
        t = townships(s)[2]
        want = direct_figures(rec, p.start, p.end, today=today, township_id=t.id)
        for key in STATS_KEYS:
            if key in DERIVED_KEYS:
                with pytest.raises(KeyError):
                    drill_rows(s, key, p.start, p.end, today=today)
                continue
            rows = drill_rows(s, key, p.start, p.end, today=today, township_ids=[t.id])
            assert {r.township_id for r in rows} <= {t.id}
            assert sum((r.value for r in rows), Decimal(0) if key == "fines_yuan" else 0) == want[key], key
            assert len({(r.table, r.uid) for r in rows}) == len(rows), key  # each record once
