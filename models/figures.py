"""Derived tables: each township's monthly figures (``figure_month``) and the inspection text search index.

``figure_month`` holds, per (township, year, month), every flow of services/statistics/indicators.py counted from
the records themselves: the district adds up 12 × townships rows instead of scanning a year of records (millions
of rows for 200 townships). It is a cache, never a source and never synced: triggers (migration 0004) note every
township-month a write touches in ``figure_dirty``; services/statistics/figures.py recomputes exactly those cells
from the records, and a reader computes any cell still dirty from the records too, so the figures are never stale.
Its columns are the flows of that declaration, so the table is generated there (services/statistics/figure_table.py,
one column per flow named by its key; money as ``Money``, integer fen stored), not declared here: models/ does not
import services/. Rates and stocks (the certified officers on a day) are not stored: they are not sums over months.

Three objects live only in the migration, as raw SQL, because SQLAlchemy cannot declare them: ``figure_dirty``
(the queue the triggers write; its rows must never be copied between databases), the FTS5 table
``inspection_search`` and its helper ``search_seq`` (SQLite only). ``UNMODELLED`` names them so that schema
comparisons (Alembic autogenerate, tests) leave them alone.
"""

from __future__ import annotations

# Tables created by migration 0004 with raw SQL (not in the metadata): the dirty queue, the FTS5 index and the
# tables FTS5 keeps behind it, and the integer sequence the search triggers split text with.
UNMODELLED_PREFIXES = ("figure_dirty", "inspection_search", "search_seq")


def is_unmodelled(table_name: str) -> bool:
    return table_name.startswith(UNMODELLED_PREFIXES)
