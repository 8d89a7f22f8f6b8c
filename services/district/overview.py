"""Read-only look-ups the district screens need and the other district modules do not offer.

The CLI gets these from its arguments; the GUI has to offer choices: the filters list the townships, and the
案卷评查 screen lists earlier reviews to reopen one. (Whether a database is a district one at all is asked in
``services.read.district_mode``, outside this package, so a township window does not import it.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from models.district import Review, ReviewFile
from models.org import Township
from services.core.uow import UnitOfWork
from services.district.common import townships


def township_names(uow: UnitOfWork) -> list[str]:
    """The townships whose records the district holds (not the district's own identity row), in name order."""
    with uow:
        return [t.name for t in townships(uow.session)]


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    uid: str
    title: str
    year: int
    township: str  # "" when drawn over the whole district
    domain: str
    size: int
    seed: int
    population: int
    files: int
    drawn_at: datetime
    drawn_by: str


def list_reviews(uow: UnitOfWork, year: int | None = None) -> list[ReviewSummary]:
    """Every case-file review drawn (of ``year``, when given), newest first."""
    with uow:
        s = uow.session
        files = (select(ReviewFile.review_id, func.count().label("n")).group_by(ReviewFile.review_id).subquery())
        stmt = (select(Review, Township.name, func.coalesce(files.c.n, 0))
                .outerjoin(Township, Township.id == Review.township_id)
                .outerjoin(files, files.c.review_id == Review.id)
                .order_by(Review.id.desc()))
        if year is not None:
            stmt = stmt.where(Review.year == year)
        return [ReviewSummary(r.uid, r.title, r.year, name or "", r.domain, r.size, r.seed, r.population, int(n),
                              r.drawn_at, r.drawn_by) for r, name, n in s.execute(stmt)]
