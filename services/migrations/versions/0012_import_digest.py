"""import_digest: the digests of the rows an import wrote, so verify --deep covers imported records

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 11:00:00

An import records one audit event per table, so ``verify --deep`` had nothing to compare a record last written by
an import with and counted it as "not covered" (docs/verify.md §The deep check). The merge now stores the digest
of every row it writes, packed per batch (models/sync.py ``ImportDigest``). Records imported before this
revision have none and stay "not covered".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tbl', sa.String(length=32), nullable=False),
    sa.Column('bundle_uid', sa.String(length=36), nullable=False),
    sa.Column('after_seq', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('ids', sa.LargeBinary(), nullable=False),
    sa.Column('digests', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_digest'))
    )
    with op.batch_alter_table('import_digest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_digest_tbl'), ['tbl'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('import_digest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_digest_tbl'))
    op.drop_table('import_digest')
