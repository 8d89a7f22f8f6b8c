"""Sealed places: the places of inspections, cases, evidence, interviews, records and coercive measures

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 13:00:00

Where a natural person was inspected or broke the rules is often their home or stall: those columns carried
parties' addresses in the clear (docs/encryption-data.md §加密了什么). This revision makes room for them sealed:

* PostgreSQL: those columns become TEXT (a sealed value is longer than VARCHAR(200) holds);
* ``inspection.place_masked`` (local, derived: what the inspections list shows without the key, and what its text
  search reads), filled here from the values as they are (in the clear: no earlier revision sealed them);
* SQLite: the inspection text search (migration 0004) indexes ``place_masked`` instead of ``place`` (a sealed value
  would index base64 characters), rebuilt for the rows present.

The values themselves are sealed by services/maintenance/at_rest.py, which needs the data key: a database opened
after this revision reports ``needs_sealing`` until then.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.sealed import mask_address

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEALED = (("inspection", "place"), ("penalty_case", "place"), ("evidence_item", "source"), ("case_interview", "place"),
          ("case_record", "place"), ("coercive_measure", "place"))
SEQ_MAX, LONG_TOKEN = 2048, "zzlong"  # as migration 0004 made search_seq and the index
_TRIGGERS = ("inspection_search_ins", "inspection_search_upd", "inspection_search_del")


def _search_body(ref: str, place: str) -> str:
    """Migration 0004's indexed text (number, place, findings; lower case, one character per token) with the
    place read from ``place``."""
    text = (f"lower(coalesce({ref}.number, '') || ' ' || coalesce({ref}.{place}, '') || ' ' || "
            f"coalesce({ref}.findings, ''))")
    return (f"(SELECT group_concat(substr(x.v, q.n, 1), ' ') || (CASE WHEN length(x.v) > {SEQ_MAX} "
            f"THEN ' {LONG_TOKEN}' ELSE '' END) FROM (SELECT {text} AS v) AS x JOIN search_seq AS q "
            f"ON q.n <= length(x.v))")


def _search_on(place: str) -> None:
    """(Re)install the search triggers over ``place`` and rebuild the contentless index from the rows."""
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("INSERT INTO inspection_search (inspection_search) VALUES ('delete-all')")
    op.execute(f"INSERT INTO inspection_search (rowid, body) SELECT i.id, {_search_body('i', place)} FROM inspection i")
    delete_old = ("INSERT INTO inspection_search (inspection_search, rowid, body) "
                  f"VALUES ('delete', OLD.id, {_search_body('OLD', place)})")
    insert_new = f"INSERT INTO inspection_search (rowid, body) VALUES (NEW.id, {_search_body('NEW', place)})"
    op.execute(f"CREATE TRIGGER inspection_search_ins AFTER INSERT ON inspection BEGIN {insert_new}; END")
    op.execute(f"CREATE TRIGGER inspection_search_upd AFTER UPDATE OF number, {place}, findings ON inspection "
               f"WHEN OLD.number IS NOT NEW.number OR OLD.{place} IS NOT NEW.{place} OR "
               f"OLD.findings IS NOT NEW.findings BEGIN {delete_old}; {insert_new}; END")
    op.execute(f"CREATE TRIGGER inspection_search_del AFTER DELETE ON inspection BEGIN {delete_old}; END")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, column in SEALED:
            op.alter_column(table, column, type_=sa.Text(), existing_nullable=False)
    op.add_column('inspection', sa.Column('place_masked', sa.String(length=32), server_default='', nullable=False))
    t = sa.table('inspection', sa.column('id'), sa.column('place'), sa.column('place_masked'))
    rows = bind.execute(sa.select(t.c.id, t.c.place).where(t.c.place != '', ~t.c.place.startswith('ed1:'))).all()
    updates = [{"rid": rid, "shown": mask_address(place)} for rid, place in rows]
    if updates:
        bind.execute(t.update().where(t.c.id == sa.bindparam("rid")).values(place_masked=sa.bindparam("shown")),
                     updates)
    if bind.dialect.name == "sqlite":
        _search_on("place_masked")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _search_on("place")
    op.drop_column('inspection', 'place_masked')
