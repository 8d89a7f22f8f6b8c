"""key_slot: the database's data key wrapped per user account and for the recovery key (encryption at rest)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 11:00:00

An empty table: a database upgraded to this revision holds no data key yet. The first administrator who signs in
afterwards creates it and seals the existing personal data (docs/encryption.md §Upgrade).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.base import AwareDateTime

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'key_slot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=64), nullable=False),
        sa.Column('blob', sa.Text(), nullable=False),
        sa.Column('created_at', AwareDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_key_slot')),
        sa.UniqueConstraint('label', name=op.f('uq_key_slot_label')),
    )


def downgrade() -> None:
    op.drop_table('key_slot')
