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

An encrypted database whose declared sealed columns still hold values in the clear (encrypted by an intermediate
version, before the places of migration 0013 or the case's facts were declared) is marked ``sealing_unfinished``:
the next administrator login (or ``main.py encrypt``) seals them (services/people/encryption.py
finish_encryption), where nothing would have asked for it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The declared sealed columns as this revision knew them (models/sealed.py SEALED_COLUMNS grows; a later
# revision's columns may not exist yet when this one runs)
SEALED = (("party", "id_number"), ("party", "operator_id_number"), ("party", "phone"), ("party", "address"),
          ("officer", "id_number"), ("officer", "phone"), ("mediator", "phone"), ("case_interview", "id_number"),
          ("case_interview", "phone"), ("case_interview", "address"), ("case_interview", "qa"),
          ("service_record", "address"), ("issued_document", "snapshot"), ("inspection", "place"),
          ("penalty_case", "place"), ("penalty_case", "facts"), ("penalty_case", "discretion_reasons"),
          ("evidence_item", "source"), ("case_interview", "place"), ("case_record", "place"),
          ("coercive_measure", "place"))
SEALED_PREFIX, UNFINISHED = "ed1:", "sealing_unfinished"  # services/core/cipher.py, services/maintenance/at_rest.py

# The tables the lists read (services/read/queries.py LISTS), as this revision knew them
TABLES = ("campaign", "inspection", "issued_document", "mediation_case", "officer", "party", "penalty_case",
          "power_item")
DELETED = "deleted_at IS NOT NULL"


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_deleted", table, ["deleted_at"], sqlite_where=sa.text(DELETED),
                        postgresql_where=sa.text(DELETED))
    op.create_index("ix_party_names", "party", ["name", "legal_rep", "deleted_at"])
    _mark_values_in_the_clear()


def _mark_values_in_the_clear() -> None:
    """An encrypted database (it has key slots) with a declared value in the clear: marked for the next
    administrator login to seal. A database not yet encrypted is sealed whole by its upgrade anyway."""
    bind = op.get_bind()
    if bind.execute(sa.select(sa.table("key_slot", sa.column("id")).c.id).limit(1)).first() is None:
        return
    state = sa.table("local_state", sa.column("key"), sa.column("value"))
    if bind.execute(sa.select(state.c.key).where(state.c.key == UNFINISHED)).first() is not None:
        return
    for table, column in SEALED:
        t = sa.table(table, sa.column("id"), sa.column(column))
        value = t.c[column]
        if bind.execute(sa.select(t.c.id).where(value != "", ~value.startswith(SEALED_PREFIX)).limit(1)).first():
            bind.execute(state.insert().values(key=UNFINISHED, value="migration 0014: declared values in the clear"))
            return


def downgrade() -> None:
    op.drop_index("ix_party_names", table_name="party")
    for table in TABLES:
        op.drop_index(f"ix_{table}_deleted", table_name=table)
