"""Case-file review (案卷评查): reproducible sample, automatic pre-check, scoring sheet, rectification, figures.

The sample is drawn from the closed penalty-case files of a year (optionally one township or domain), sorted by
uid — uids are minted on the township's device and are the same in every database holding the case, SQLite or
PostgreSQL — with ``random.Random(seed).sample``: the same seed over the same files gives the same sample,
anywhere. The seed, size, filters and population are stored in ``review``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.case import CaseOfficer, CoerciveMeasure, PenaltyCase
from models.district import ProblemSource, ProblemStatus, Review, ReviewFile, ReviewProblem
from models.enums import CaseStatus
from models.org import Township
from services.core.errors import NotFound, ValidationError
from services.core.uow import UnitOfWork
from services.district.common import resolve_township
from services.district.review_checks import precheck
from services.district.review_sheet import ITEMS, score
from services.reference.calendar import load_calendar
from services.reference.settings import Settings

_CLOSED = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


@dataclass(frozen=True, slots=True)
class ProblemInfo:
    uid: str
    code: str
    item: str
    part: str
    deduction: int
    description: str
    source: str
    status: str
    rectified_on: date | None


@dataclass(frozen=True, slots=True)
class FileInfo:
    uid: str
    position: int
    case_uid: str
    case_number: str
    decision_number: str
    township: str
    domain: str
    grade: str
    total_score: int | None
    veto: bool
    problems: tuple[ProblemInfo, ...]


@dataclass(frozen=True, slots=True)
class ReviewInfo:
    uid: str
    title: str
    year: int
    township: str
    domain: str
    size: int
    seed: int
    population: int
    files: tuple[FileInfo, ...]

    @property
    def problems(self) -> int:
        return sum(len(f.problems) for f in self.files)


def population(s: Session, year: int, township_id: int | None, domain: str) -> list[tuple[str, int, int]]:
    """(uid, case id, township id) of every closed file of ``year``, in uid order."""
    stmt = select(PenaltyCase.uid, PenaltyCase.id, PenaltyCase.township_id).where(
        PenaltyCase.status.in_(_CLOSED), PenaltyCase.closed_on >= date(year, 1, 1),
        PenaltyCase.closed_on <= date(year, 12, 31), PenaltyCase.deleted_at.is_(None))
    if township_id is not None:
        stmt = stmt.where(PenaltyCase.township_id == township_id)
    if domain:
        stmt = stmt.where(PenaltyCase.domain == domain)
    # Sorted in Python: a PostgreSQL collation may order '-' differently from SQLite's byte order.
    return sorted(((r[0], int(r[1]), int(r[2])) for r in s.execute(stmt)), key=lambda r: r[0])


def draw_sample(uow: UnitOfWork, year: int, size: int, seed: int, *, township: str | None = None,
                domain: str = "", title: str = "") -> ReviewInfo:
    """Draw, store and pre-check a sample; returns the review with the problems the pre-check found."""
    if size <= 0:
        raise ValidationError("抽取数量应大于 0", field="size")
    with uow:
        s = uow.session
        town = resolve_township(s, township) if township else None
        pool = population(s, year, town.id if town else None, domain.strip())
        if not pool:
            raise NotFound(f"{year}年没有符合条件的已结案案卷")
        chosen = random.Random(seed).sample(pool, min(size, len(pool)))
        review = Review(title=title or f"{year}年度行政处罚案卷评查", year=year, township_id=town.id if town else None,
                        domain=domain.strip(), size=size, seed=seed, population=len(pool), drawn_at=uow.clock.now(),
                        drawn_by=uow.actor)
        with uow.action("review.draw"):
            s.add(review)
            s.flush()
            for pos, (_uid, case_id, tid) in enumerate(chosen, start=1):
                s.add(ReviewFile(review_id=review.id, case_id=case_id, township_id=tid, position=pos))
            s.flush()
        with uow.action("review.precheck"):
            _precheck_all(s, review, uow.clock.today(), uow)
        uid = review.uid
        uow.commit()
    return get_review(uow, uid)


def _precheck_all(s: Session, review: Review, today: date, uow: UnitOfWork) -> None:
    settings, cal = Settings(s), load_calendar(s)
    files = list(s.scalars(select(ReviewFile).where(ReviewFile.review_id == review.id)))
    cases = {c.id: c for c in s.scalars(
        select(PenaltyCase).where(PenaltyCase.id.in_([f.case_id for f in files]))
        .options(selectinload(PenaltyCase.officer_links).selectinload(CaseOfficer.officer),
                 selectinload(PenaltyCase.power_item)))}
    measures: dict[int, list[CoerciveMeasure]] = {}
    for m in s.scalars(select(CoerciveMeasure).where(CoerciveMeasure.case_id.in_(list(cases)))):
        measures.setdefault(m.case_id, []).append(m)
    for f in files:
        findings = precheck(cases[f.case_id], measures.get(f.case_id, []), settings, cal)
        for fd in findings:
            s.add(ReviewProblem(review_file_id=f.id, code=fd.code, part=ITEMS[fd.item].part, item=fd.item,
                                description=fd.description, deduction=fd.deduction, source=ProblemSource.AUTO,
                                found_on=today))
        f.prechecked_at = uow.clock.now()
        _rescore(f, [(fd.item, fd.deduction) for fd in findings], [fd.item for fd in findings])
    s.flush()


def _rescore(f: ReviewFile, deductions: list[tuple[str, int]], items: list[str]) -> None:
    sc = score(deductions, [i for i in items if i.startswith("V")])
    f.form_score, f.content_score, f.total_score = sc.form, sc.content, sc.total
    f.veto, f.grade, f.sheet = sc.veto, sc.grade, json.dumps(sc.deductions, sort_keys=True)


def add_problem(uow: UnitOfWork, file_uid: str, item: str, description: str, deduction: int = 0) -> ProblemInfo:
    """A reviewer's own finding on a file (sheet item code, e.g. ``C02`` or veto ``V05``); rescoring follows."""
    if item not in ITEMS:
        raise ValidationError(f"评分表中没有项目 {item}", field="item")
    if not description.strip():
        raise ValidationError("请写明问题", field="description")
    with uow:
        s = uow.session
        f = s.scalar(select(ReviewFile).where(ReviewFile.uid == file_uid))
        if f is None:
            raise NotFound(f"没有评查案卷 {file_uid}")
        with uow.action("review.problem"):
            p = ReviewProblem(review_file_id=f.id, code=item, part=ITEMS[item].part, item=item,
                              description=description.strip(), deduction=max(0, deduction),
                              source=ProblemSource.MANUAL, found_on=uow.clock.today())
            s.add(p)
            s.flush()
            problems = list(s.scalars(select(ReviewProblem).where(ReviewProblem.review_file_id == f.id)))
            _rescore(f, [(q.item, q.deduction) for q in problems], [q.item for q in problems])
            f.scored_at, f.scorer = uow.clock.now(), uow.actor
            s.flush()
        info = _problem_info(p)
        uow.commit()
    return info


def rectify_problem(uow: UnitOfWork, problem_uid: str, note: str, on: date | None = None) -> ProblemInfo:
    """Record that the township rectified a problem (整改): date and what was done."""
    if not note.strip():
        raise ValidationError("请写明整改情况", field="note")
    with uow:
        s = uow.session
        p = s.scalar(select(ReviewProblem).where(ReviewProblem.uid == problem_uid))
        if p is None:
            raise NotFound(f"没有评查问题 {problem_uid}")
        if p.status is ProblemStatus.RECTIFIED:
            raise ValidationError(f"该问题已于 {p.rectified_on:%Y-%m-%d} 整改")
        with uow.action("review.rectify"):
            p.status, p.rectified_on = ProblemStatus.RECTIFIED, on or uow.clock.today()
            p.rectification, p.rectified_by = note.strip(), uow.actor
            s.flush()
        info = _problem_info(p)
        uow.commit()
    return info


def _problem_info(p: ReviewProblem) -> ProblemInfo:
    return ProblemInfo(p.uid, p.code, p.item, p.part.value, p.deduction, p.description, p.source.value,
                       p.status.value, p.rectified_on)


def get_review(uow: UnitOfWork, review_uid: str | None = None) -> ReviewInfo:
    """One review (the latest when no uid is given) with its files and problems."""
    with uow:
        s = uow.session
        stmt = select(Review).options(selectinload(Review.files).selectinload(ReviewFile.problems))
        r = (s.scalar(stmt.where(Review.uid == review_uid)) if review_uid
             else s.scalar(stmt.order_by(Review.id.desc()).limit(1)))
        if r is None:
            raise NotFound("还没有评查抽样" if review_uid is None else f"没有评查 {review_uid}")
        names = dict(s.execute(select(Township.id, Township.name)).all())
        cases = {c.id: c for c in s.scalars(select(PenaltyCase).where(
            PenaltyCase.id.in_([f.case_id for f in r.files])))}
        files = tuple(FileInfo(f.uid, f.position, cases[f.case_id].uid, cases[f.case_id].number,
                               cases[f.case_id].decision_number, names.get(f.township_id, ""),
                               cases[f.case_id].domain, f.grade, f.total_score, f.veto,
                               tuple(_problem_info(p) for p in f.problems)) for f in r.files)
        return ReviewInfo(r.uid, r.title, r.year, names.get(r.township_id, "") if r.township_id else "", r.domain,
                          r.size, r.seed, r.population, files)


@dataclass(frozen=True, slots=True)
class ReviewFigures:
    """What the yearly report says about the reviews of a year."""

    year: int
    reviews: int
    files: int  # distinct files sampled
    townships: int
    problems: int
    rectified: int
    failed_files: int  # 不合格卷 (veto)
    by_township: tuple[tuple[str, int, int, int], ...]  # name, files, problems, rectified


def review_figures(uow: UnitOfWork, year: int) -> ReviewFigures:
    with uow:
        return compute_review_figures(uow.session, year)


def compute_review_figures(s: Session, year: int) -> ReviewFigures:
    rows = s.execute(select(ReviewFile.id, ReviewFile.case_id, ReviewFile.township_id, ReviewFile.veto)
                     .join(Review, Review.id == ReviewFile.review_id).where(Review.year == year)).all()
    reviews = s.scalar(select(func.count()).select_from(Review).where(Review.year == year)) or 0
    probs = s.execute(select(ReviewFile.township_id, ReviewProblem.status, func.count())
                      .join(ReviewFile, ReviewFile.id == ReviewProblem.review_file_id)
                      .join(Review, Review.id == ReviewFile.review_id).where(Review.year == year)
                      .group_by(ReviewFile.township_id, ReviewProblem.status)).all()
    names = dict(s.execute(select(Township.id, Township.name)).all())
    files_by: dict[int, set[int]] = {}
    failed: set[int] = set()
    for _fid, case_id, tid, veto in rows:
        files_by.setdefault(int(tid), set()).add(int(case_id))
        if veto:
            failed.add(int(case_id))
    found: dict[int, int] = {}
    fixed: dict[int, int] = {}
    for tid, status, n in probs:
        found[int(tid)] = found.get(int(tid), 0) + int(n)
        if status is ProblemStatus.RECTIFIED:
            fixed[int(tid)] = fixed.get(int(tid), 0) + int(n)
    towns = sorted(files_by, key=lambda t: names.get(t, ""))
    by_town = tuple((names.get(t, ""), len(files_by[t]), found.get(t, 0), fixed.get(t, 0)) for t in towns)
    return ReviewFigures(year, int(reviews), sum(len(v) for v in files_by.values()), len(files_by),
                         sum(found.values()), sum(fixed.values()), len(failed), by_township=by_town)
