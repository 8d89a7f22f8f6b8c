"""mediation in the committee's name: structured agreement terms, responsibility, a committee's own 代字

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 08:00:00

mediation_obligation holds an agreement's terms one by one (人民调解法 art.29 (三)): who owes whom what, the amount
or the object, the manner and the time limit, and whether the term settles an identity, adoption or marriage
relation (which a court does not confirm). mediation_case.disputed_issues and .responsibility are the disputed
issues and each party's responsibility (art.29 (二)). mediation_committee.doc_code is the committee's 代字: its
documents are numbered under it, not under the enforcement squad's prefix.

The new columns and the new table are synced: a bundle from a device not yet upgraded lacks them and the importer
gives them their default (services/sync/validate.py). Existing committees get a 代字 made from their name the way
models.mediation.default_doc_code makes it (copied here: a migration must not change with the code).

issued_document's unique key becomes (township, type, number): committees number in sequences of their own, so
(type, year, seq) repeats across committees while the printed number does not.

Plain ADD COLUMN on both SQLite and PostgreSQL (no table rebuild: the tables' no-delete triggers stay); the new
synced table gets its SQLite no-delete trigger as the tables of migration 0001 have. Changing issued_document's
unique key rebuilds that table on SQLite (batch mode), after which its no-delete trigger is created again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SUFFIX = "人民调解委员会"
_CODE_MAX = 10


def _code(name: str, township: str, taken: set[str]) -> str:
    """The committee's name without the township and the suffix ("竹根镇石桥村人民调解委员会" → "石桥村")."""
    base = name.strip().removesuffix(_SUFFIX).strip()
    if township and base.startswith(township) and len(base) > len(township):
        base = base[len(township):]
    base = (base or township or "人调")[:_CODE_MAX]
    code, n = base, 2
    while code in taken:
        code = f"{base[:_CODE_MAX - len(str(n))]}{n}"
        n += 1
    taken.add(code)
    return code


def upgrade() -> None:
    op.create_table('mediation_obligation',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('obligor_id', sa.Integer(), nullable=False),
    sa.Column('obligee_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.Column('amount', models.base.Money(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('manner', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('concerns', sa.Enum('none', 'identity', 'adoption', 'marriage', name='termconcern', native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin_device', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('updated_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('deleted_at', models.base.AwareDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'],
                            name=op.f('fk_mediation_obligation_case_id_mediation_case')),
    sa.ForeignKeyConstraint(['obligee_id'], ['party.id'], name=op.f('fk_mediation_obligation_obligee_id_party')),
    sa.ForeignKeyConstraint(['obligor_id'], ['party.id'], name=op.f('fk_mediation_obligation_obligor_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_obligation')),
    sa.UniqueConstraint('uid', name=op.f('uq_mediation_obligation_uid'))
    )
    op.create_index(op.f('ix_mediation_obligation_case_id'), 'mediation_obligation', ['case_id'], unique=False)
    op.create_index(op.f('ix_mediation_obligation_obligee_id'), 'mediation_obligation', ['obligee_id'], unique=False)
    op.create_index(op.f('ix_mediation_obligation_obligor_id'), 'mediation_obligation', ['obligor_id'], unique=False)
    op.add_column('mediation_case', sa.Column('disputed_issues', sa.Text(), server_default='', nullable=False))
    op.add_column('mediation_case', sa.Column('responsibility', sa.Text(), server_default='', nullable=False))
    op.add_column('mediation_committee',
                  sa.Column('doc_code', sa.String(length=10), server_default='', nullable=False))
    bind = op.get_bind()
    _issued_document_key(["township_id", "doc_type", "number"])
    if bind.dialect.name == "sqlite":
        op.execute("CREATE TRIGGER mediation_obligation_no_delete BEFORE DELETE ON mediation_obligation "
                   "BEGIN SELECT RAISE(ABORT, 'mediation_obligation: synced rows are soft-deleted, never removed'); END")
    rows = bind.execute(sa.text(
        "SELECT c.id, c.name, c.township_id, t.name FROM mediation_committee c "
        "LEFT JOIN township t ON t.id = c.township_id ORDER BY c.id")).fetchall()
    taken: dict[int, set[str]] = {}
    for cid, name, township_id, township in rows:
        code = _code(name or "", township or "", taken.setdefault(township_id, set()))
        bind.execute(sa.text("UPDATE mediation_committee SET doc_code = :code WHERE id = :id"),
                     {"code": code, "id": cid})


def _issued_document_key(columns: list[str]) -> None:
    """Replace issued_document's unique key (same name); SQLite rebuilds the table and loses its trigger."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS issued_document_no_delete")
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_constraint('uq_issued_document_township_id', type_='unique')
        batch_op.create_unique_constraint('uq_issued_document_township_id', columns)
    if sqlite:
        op.execute("CREATE TRIGGER issued_document_no_delete BEFORE DELETE ON issued_document "
                   "BEGIN SELECT RAISE(ABORT, 'issued_document: synced rows are soft-deleted, never removed'); END")


def downgrade() -> None:
    # Committees' documents may share (type, year, seq): the old key holds only while no two committees did.
    _issued_document_key(["township_id", "doc_type", "year", "seq"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS mediation_obligation_no_delete")
    # DROP COLUMN: SQLite 3.35 and later, PostgreSQL; the columns hold no index or constraint.
    op.drop_column('mediation_committee', 'doc_code')
    op.drop_column('mediation_case', 'responsibility')
    op.drop_column('mediation_case', 'disputed_issues')
    op.drop_index(op.f('ix_mediation_obligation_obligor_id'), table_name='mediation_obligation')
    op.drop_index(op.f('ix_mediation_obligation_obligee_id'), table_name='mediation_obligation')
    op.drop_index(op.f('ix_mediation_obligation_case_id'), table_name='mediation_obligation')
    op.drop_table('mediation_obligation')
