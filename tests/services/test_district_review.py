"""Case-file review: reproducible samples, the automatic pre-check, scoring, rectification and the report's figures."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from main import main
from models.case import CaseOfficer, PenaltyCase
from models.district import Review
from models.enums import CaseStatus, Procedure
from models.org import Township
from services.core.errors import NotFound, ValidationError
from services.district import add_problem, draw_sample, get_review, rectify_problem, review_figures
from services.district.review_sheet import CONTENT_TOTAL, FORM_TOTAL, score
from tests.services.district_helpers import YEAR, District

pytestmark = pytest.mark.slow


def test_scoring_sheet_caps_deductions_and_veto_fails_the_file() -> None:
    assert FORM_TOTAL == 20 and CONTENT_TOTAL == 80
    s = score([("C09", 2), ("C09", 9), ("F2", 1)])
    assert s.deductions == {"C09": 5, "F2": 1} and s.total == 94 and s.grade == "优秀" and not s.veto
    assert score([("C02", 12), ("C07", 10)]).grade == "良好"
    assert score([("C02", 12), ("C07", 10), ("C05", 8), ("C08", 6)], ["V03"]).grade == "不合格"
    with pytest.raises(KeyError):
        score([("X1", 1)])


def test_same_seed_same_files_and_the_seed_is_recorded(any_district: District) -> None:
    d = any_district
    a = draw_sample(d.uow(), YEAR, 25, seed=2025)
    b = draw_sample(d.uow(), YEAR, 25, seed=2025)
    c = draw_sample(d.uow(), YEAR, 25, seed=7)
    assert [f.case_uid for f in a.files] == [f.case_uid for f in b.files]
    assert [f.case_uid for f in a.files] != [f.case_uid for f in c.files]
    assert len(a.files) == 25 and a.population > 25 and a.seed == 2025
    with d.uow(write=False) as u:
        stored = u.session.scalar(select(Review).where(Review.uid == a.uid))
        assert (stored.seed, stored.size, stored.year, stored.population) == (2025, 25, YEAR, a.population)
    one = draw_sample(d.uow(), YEAR, 5, seed=1, township="石麟镇")
    assert {f.township for f in one.files} == {"石麟镇"}
    dom = draw_sample(d.uow(), YEAR, 100, seed=1, domain="占道")
    assert {f.domain for f in dom.files} == {"占道"} and len(dom.files) == dom.population
    with pytest.raises(NotFound):
        draw_sample(d.uow(), 2001, 5, seed=1)
    with pytest.raises(ValidationError):
        draw_sample(d.uow(), YEAR, 0, seed=1)


def _spoil_a_closed_file(d: District) -> str:
    """A closed 2025 general-procedure case with one officer and the decision served 20 days late."""
    with d.uow() as u:
        s = u.session
        tid = s.scalar(select(Township.id).where(Township.name == "竹根镇"))
        case = s.scalar(select(PenaltyCase).where(
            PenaltyCase.township_id == tid, PenaltyCase.status.in_((CaseStatus.CLOSED, CaseStatus.ARCHIVED)),
            PenaltyCase.procedure == Procedure.GENERAL, PenaltyCase.decision_date.is_not(None),
            PenaltyCase.closed_on >= date(YEAR, 1, 1), PenaltyCase.closed_on <= date(YEAR, 12, 31),
            PenaltyCase.no_penalty_ground.is_(None)).order_by(PenaltyCase.uid).limit(1))
        assert case is not None
        links = list(s.scalars(select(CaseOfficer).where(CaseOfficer.case_id == case.id)))
        for link in links[1:]:
            link.deleted_at = u.clock.now()
        case.served_on = case.decision_date + timedelta(days=20)
        uid = case.uid
        u.commit()
    return uid


def test_precheck_finds_the_seeded_defects_and_problems_are_tracked_to_rectification(
        any_district: District, capsys: pytest.CaptureFixture[str]) -> None:
    d = any_district
    spoiled = _spoil_a_closed_file(d)
    review = draw_sample(d.uow(), YEAR, 500, seed=3, township="竹根镇")  # every closed file of the township
    f = next(f for f in review.files if f.case_uid == spoiled)
    codes = {p.code for p in f.problems}
    assert {"officers_fewer_than_two", "service_late"} <= codes
    assert f.veto and f.grade == "不合格"
    late = next(p for p in f.problems if p.code == "service_late")
    assert late.item == "C09" and late.deduction == 2 and late.status == "open"
    manual = add_problem(d.uow(), f.uid, "F5", "卷内目录页码与实际页码不符", 1)
    assert manual.source == "manual"
    before = review_figures(d.uow(write=False), YEAR)
    assert before.problems == review.problems + 1 and before.rectified == 0
    rectify_problem(d.uow(), late.uid, "已重新送达并补充说明")
    with pytest.raises(ValidationError):
        rectify_problem(d.uow(), late.uid, "again")
    after = review_figures(d.uow(write=False), YEAR)
    assert after.rectified == 1 and after.files == len(review.files) and after.townships == 1
    assert after.failed_files >= 1
    shown = get_review(d.uow(write=False), review.uid)
    assert next(p for fi in shown.files for p in fi.problems if p.uid == late.uid).status == "rectified"
    # the command line: sample, show, rectify
    path = d.target
    assert main(["review", "sample", "--db", path, "--year", str(YEAR), "--size", "10", "--seed", "42", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["review", "sample", "--db", path, "--year", str(YEAR), "--size", "10", "--seed", "42", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert [f["case_uid"] for f in first["files"]] == [f["case_uid"] for f in second["files"]]
    assert first["seed"] == 42 and first["figures"]["files"] >= 10
    assert main(["review", "show", "--db", path]) == 0
    assert "种子 42" in capsys.readouterr().out
    assert main(["review", "rectify", "--db", path, "--problem", manual.uid, "--note", "已重编页码"]) == 0
