"""Derived tables: each township's monthly figures (``figure_month``) and the inspection text search index.

``figure_month`` holds, per (township, year, month), every flow of services/statistics/indicators.py counted from
the records themselves: the district adds up 12 × townships rows instead of scanning a year of records (millions
of rows for 200 townships). It is a cache, never a source and never synced: triggers (migration 0004) note every
township-month a write touches in ``figure_dirty``; services/statistics/figures.py recomputes exactly those cells
from the records, and a reader computes any cell still dirty from the records too, so the figures are never stale.

Three objects live only in the migration, as raw SQL, because SQLAlchemy cannot declare them: ``figure_dirty``
(the queue the triggers write; its rows must never be copied between databases), the FTS5 table
``inspection_search`` and its helper ``search_seq`` (SQLite only). ``UNMODELLED`` names them so that schema
comparisons (Alembic autogenerate, tests) leave them alone.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Money

# Tables created by migration 0004 with raw SQL (not in the metadata): the dirty queue, the FTS5 index and the
# tables FTS5 keeps behind it, and the integer sequence the search triggers split text with.
UNMODELLED_PREFIXES = ("figure_dirty", "inspection_search", "search_seq")


def is_unmodelled(table_name: str) -> bool:
    return table_name.startswith(UNMODELLED_PREFIXES)


class FigureMonth(Base):
    """One township's figures for one calendar month (dates as services/statistics/indicators.py places them).

    One column per flow of that declaration, named by its key, in its order (migration 0006 renamed ``fines_fen``
    to ``fines_yuan``; tests/services/test_statistics_declaration.py checks the columns against the declaration).
    Money is ``Money`` as in the records: integer fen in the database, Decimal yuan in Python, so sums stay exact.
    Rates and stocks (the certified officers on a day) are not stored: they are not sums over months.
    """

    __tablename__ = "figure_month"

    # Key order year, month, township: the district reads a year (or a month) of every township.
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    month: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    township_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    inspections: Mapped[int] = mapped_column(Integer, default=0)
    officer_turnouts: Mapped[int] = mapped_column(Integer, default=0)
    vehicle_turnouts: Mapped[int] = mapped_column(Integer, default=0)
    businesses_inspected: Mapped[int] = mapped_column(Integer, default=0)
    problems_found: Mapped[int] = mapped_column(Integer, default=0)
    problems_rectified: Mapped[int] = mapped_column(Integer, default=0)
    campaigns: Mapped[int] = mapped_column(Integer, default=0)
    cases_filed: Mapped[int] = mapped_column(Integer, default=0)
    cases_closed: Mapped[int] = mapped_column(Integer, default=0)
    summary_procedure_cases: Mapped[int] = mapped_column(Integer, default=0)
    hearings: Mapped[int] = mapped_column(Integer, default=0)
    fines_yuan: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    no_penalty_decisions: Mapped[int] = mapped_column(Integer, default=0)
    major_decisions_reviewed: Mapped[int] = mapped_column(Integer, default=0)
    disclosures: Mapped[int] = mapped_column(Integer, default=0)
    coercive_measures: Mapped[int] = mapped_column(Integer, default=0)
    transfers_to_departments: Mapped[int] = mapped_column(Integer, default=0)
    transfers_to_judiciary: Mapped[int] = mapped_column(Integer, default=0)
    mediation_accepted: Mapped[int] = mapped_column(Integer, default=0)
    mediation_succeeded: Mapped[int] = mapped_column(Integer, default=0)
    judicial_confirmations: Mapped[int] = mapped_column(Integer, default=0)
    mediation_escalated_to_criminal: Mapped[int] = mapped_column(Integer, default=0)
    trainings: Mapped[int] = mapped_column(Integer, default=0)
    training_attendance: Mapped[int] = mapped_column(Integer, default=0)
