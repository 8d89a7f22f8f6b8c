"""figure_month: every column named by its statistic's key (fines_fen → fines_yuan)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00

One name per datum: a ``figure_month`` column is named by the key of the flow it stores
(services/statistics/indicators.py), the name the ``stats`` output and the district JSON use. The only column
that differed was ``fines_fen``; it becomes ``fines_yuan`` with the ``Money`` type of the records it sums
(integer fen in the database as before, Decimal yuan in Python), so the stored values are unchanged and no
month is recounted. ``figure_month`` is derived data, never synced: no bundle or peer sees the rename.

Nothing else refers to the column: the marking triggers of migration 0004 name only the counted tables' own
columns (their dates, township and parent keys) and ``figure_dirty``, so they stay as they are on SQLite and
PostgreSQL; tests/services/test_statistics_declaration.py checks them at this head on both.

Kept on purpose: ``inspection.vehicle_turnout`` (and ``officer_turnout``) — one inspection's own count, a synced
column. Bundles carry records field by field under the column's name, and the importer ignores fields it does
not know and gives missing ones their default (services/sync/validate.py): renamed, every bundle from a device
not yet upgraded would import its inspections with 0 vehicles, silently, and such a device would drop the new
name. The statistic summing it over a period is ``vehicle_turnouts``: the plural names the sum, not the record.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain rename on both (SQLite ≥ 3.25 has ALTER TABLE … RENAME COLUMN): no table rebuild, the rows stay.
    op.alter_column("figure_month", "fines_fen", new_column_name="fines_yuan")


def downgrade() -> None:
    op.alter_column("figure_month", "fines_yuan", new_column_name="fines_fen")
