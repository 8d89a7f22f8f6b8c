"""imported_bundle.recipient_uid: bundles are numbered per sender, recipient and kind

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 09:00:00

A sender numbers its bundles 1, 2, 3 … per recipient and kind (services/sync/ceremony.py ``begin``): its plain
records bundles (to nobody) and those sealed to this device are two series, both starting at No. 1. The importer
compared numbers per sender and kind only, so a plain and a sealed No. 1 looked like "the same number, different
content", and the gaps of one series were filled by the other (docs/sync-bundle.md §The file, Sequence numbers).

The column keeps the manifest's recipient: the recipient device's uid, or "" for a bundle to nobody. Rows
imported before this revision stay NULL — their manifests are not kept, so their series is unknown; they count
as received in either series when gaps are looked for, and are never compared as "the same number".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column without a default: ADD COLUMN on both SQLite and PostgreSQL, no table rebuild.
    op.add_column('imported_bundle', sa.Column('recipient_uid', sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('imported_bundle', schema=None) as batch_op:
        batch_op.drop_column('recipient_uid')
