"""The ``figure_month`` table, generated from the declaration: one column per flow of
services/statistics/indicators.py, named by its key, in its order — never written out by hand.

models/figures.py says what the table is (a cache of the records, never synced) and why; it cannot hold the table
itself because models/ does not import services/. A new flow therefore gets its column here by being declared; the
migration that brings the flow adds the column to existing databases, and tests/services/test_verify.py holds the
migrations and this table equal. Money flows have the ``Money`` type (integer fen stored, Decimal yuan read), so
sums stay exact. The table joins ``Base.metadata``: services/core/schema.py is the complete schema to read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, Table

from models.base import Base, Money
from services.statistics.indicators import FLOWS, Flow


def _flow_column(flow: Flow) -> Column[Any]:
    return Column(flow.key, Money() if flow.money else Integer(), nullable=False, default=flow.zero())


# Key order year, month, township: the district reads a year (or a month) of every township.
FIGURE_MONTH = Table(
    "figure_month",
    Base.metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("month", Integer, primary_key=True, autoincrement=False),
    Column("township_id", Integer, primary_key=True, autoincrement=False),
    *(_flow_column(f) for f in FLOWS),
)
