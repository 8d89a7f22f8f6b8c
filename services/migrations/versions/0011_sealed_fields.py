"""Sealed personal data: the local derived columns (masked forms, blind indexes) and room for sealed values

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 11:30:00

* ``<column>_masked`` (what lists show) and ``<column>_index`` (keyed blind index for exact search) beside the
  columns models/sealed.py declares. They are local: never synced, each database fills its own. The masked forms
  are filled here from the values as they are (a database at 0010 holds them in the clear); the blind indexes need
  the data key and are filled when the database is sealed (services/maintenance/at_rest.py).
* PostgreSQL: the sealed columns become TEXT (a sealed value is longer than VARCHAR(n) holds). SQLite stores any
  length in any column, so its declared types stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.sealed import SEALED_COLUMNS, Masking, index_column, masked, masked_column

# The columns this revision knew (models/sealed.py has grown since: 0013 adds the places, with its own columns)
_AT_0011 = frozenset({("party", "id_number"), ("party", "operator_id_number"), ("party", "phone"), ("party", "address"),
                      ("officer", "id_number"), ("officer", "phone"), ("mediator", "phone"),
                      ("case_interview", "id_number"), ("case_interview", "phone"), ("case_interview", "address"),
                      ("case_interview", "qa"), ("service_record", "address"), ("issued_document", "snapshot")})
COLUMNS = tuple(c for c in SEALED_COLUMNS if (c.table, c.column) in _AT_0011)

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    for col in COLUMNS:
        if bind.dialect.name == "postgresql":
            op.alter_column(col.table, col.column, type_=sa.Text(), existing_nullable=False)
        if col.mask is not Masking.NONE:
            op.add_column(col.table, sa.Column(masked_column(col), sa.String(length=32), server_default='',
                                               nullable=False))
        if col.index:
            name = index_column(col)
            op.add_column(col.table, sa.Column(name, sa.String(length=32), server_default='', nullable=False))
            op.create_index(op.f(f'ix_{col.table}_{name}'), col.table, [name], unique=False)
    _fill_masked(bind)


def _fill_masked(bind: sa.engine.Connection) -> None:
    """The masked forms of the values already stored (in the clear: no database at 0010 is sealed)."""
    for col in COLUMNS:
        if col.mask is Masking.NONE:
            continue
        table = sa.table(col.table, sa.column('id'), sa.column(col.column), sa.column(masked_column(col)))
        rows = bind.execute(sa.select(table.c.id, table.c[col.column]).where(table.c[col.column] != '')).all()
        updates = [{"rid": rid, "shown": masked(col, value)} for rid, value in rows if value]
        if updates:
            bind.execute(table.update().where(table.c.id == sa.bindparam("rid"))
                         .values({masked_column(col): sa.bindparam("shown")}), updates)


def downgrade() -> None:
    for col in reversed(COLUMNS):
        if col.index:
            op.drop_index(op.f(f'ix_{col.table}_{index_column(col)}'), table_name=col.table)
            op.drop_column(col.table, index_column(col))
        if col.mask is not Masking.NONE:
            op.drop_column(col.table, masked_column(col))
