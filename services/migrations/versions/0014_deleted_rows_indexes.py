"""Deleted rows indexes: a partial index of the soft-deleted rows of each listed table, and the party names index

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 16:00:00

A list page counts its records (services/read/queries.py). Counting ``deleted_at IS NULL`` read every row of the
table, and a sealed row is bigger (docs/encryption-data.md): on the township demo the parties list went from 4.3 to
5.4 ms once sealed (bench/README.md, issue 17). Unfiltered, the count is now the table's count (a covering scan of
its smallest index) minus its deleted rows, which this index holds (few: a soft delete is rare). It is partial on
``deleted_at IS NOT NULL`` so that no page (``deleted_at IS NULL``) can use it: a plain or an ``IS NULL`` index
drew SQLite's planner off the sort column's index (the parties page 2.2 → 7.5 ms). models/base.py
``deleted_rows_index`` declares the same.

``ix_party_names`` (name, legal_rep, deleted_at): the party picker's LIKE scans this index, not the table's sealed
rows (services/people/parties.py party_choices; models/party.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables the lists read (services/read/queries.py LISTS), as this revision knew them
TABLES = ("campaign", "inspection", "issued_document", "mediation_case", "officer", "party", "penalty_case",
          "power_item")
DELETED = "deleted_at IS NOT NULL"


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_deleted", table, ["deleted_at"], sqlite_where=sa.text(DELETED),
                        postgresql_where=sa.text(DELETED))
    op.create_index("ix_party_names", "party", ["name", "legal_rep", "deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_party_names", table_name="party")
    for table in TABLES:
        op.drop_index(f"ix_{table}_deleted", table_name=table)
