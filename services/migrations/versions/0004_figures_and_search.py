"""district monthly figures (figure_month + dirty queue triggers), inspection text search (FTS5, SQLite)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 13:06:21.635002

figure_month: each township's summable indicators per calendar month (models/figures.py), a cache the district
statistics add up instead of scanning a year of records. Triggers on every table an indicator counts note the
(township, year, month) cells a write touches in figure_dirty; services/statistics/figures.py recomputes exactly
those cells from the records. Which dates and townships a row touches mirrors services/statistics/indicators.py
(a test compares the cache with a from-scratch computation after inserts, updates and soft deletes).
SQLite: row triggers. PostgreSQL: statement triggers with transition tables (one INSERT ... SELECT per statement,
so a COPY of a million rows marks its months once, not a million times).

inspection_search (SQLite only): an FTS5 index of each inspection's number, place and findings, one token per
character, so a 2-character Chinese term ("烧烤") is found through the index (the trigram tokenizer needs 3).
services/read/queries.py asks it for the candidates and keeps the LIKE on them, so results equal the plain LIKE.
The triggers split text with search_seq (1..SEQ_MAX): trigger bodies cannot use recursive CTEs. Text longer
than SEQ_MAX gets the token "zzlong" and is always a candidate. Existing rows are indexed and all their months
marked dirty here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# -- which township-months a row touches --------------------------------------------------------------------
# Per table: (extra FROM item, condition, township expression, date expression); {r} is the written row.
# Rows of inspection_item, coercive_measure and training_attendance count in their parent's township (and an
# item's "problems found" in its inspection's month), so moving or deleting a parent marks its children's months.
_CASE_DATES = ("filed_on", "closed_on", "decision_date", "hearing_held_on", "legal_review_passed_on", "disclosed_on")
_MEDIATION_DATES = ("accepted_on", "ended_on", "confirmation_decided_on", "applied_on")
MARKS: dict[str, list[tuple[str, str, str, str]]] = {
    "inspection": [
        ("", "", "{r}.township_id", "{r}.inspected_on"),
        ("inspection_item t", "t.inspection_id = {r}.id AND t.result = 'problem'", "{r}.township_id", "t.rectified_on"),
    ],
    "inspection_item": [
        ("inspection i", "i.id = {r}.inspection_id AND {r}.result = 'problem'", "i.township_id", "i.inspected_on"),
        ("inspection i", "i.id = {r}.inspection_id AND {r}.result = 'problem'", "i.township_id", "{r}.rectified_on"),
    ],
    "campaign": [("", "", "{r}.township_id", "{r}.start_date")],
    "penalty_case": [("", "", "{r}.township_id", "{r}." + c) for c in _CASE_DATES] + [
        ("coercive_measure m", "m.case_id = {r}.id", "{r}.township_id", "m.started_on"),
    ],
    "coercive_measure": [("penalty_case c", "c.id = {r}.case_id", "c.township_id", "{r}.started_on")],
    "transfer": [("", "", "{r}.township_id", "{r}.transferred_on")],
    "mediation_case": [("", "", "{r}.township_id", "{r}." + c) for c in _MEDIATION_DATES],
    "training": [("", "", "{r}.township_id", "{r}.held_on")],
    "training_attendance": [("training g", "g.id = {r}.training_id", "g.township_id", "g.held_on")],
}

SEQ_MAX = 2048
LONG_TOKEN = "zzlong"


def _sources(table: str, ref: str, rowset: str | None) -> list[str]:
    """SELECT (tw, d) of each mark source; ``rowset`` is the PostgreSQL transition table (None: SQLite NEW/OLD)."""
    out = []
    for extra, cond, town, day in MARKS[table]:
        froms = ([f"{rowset} {ref}"] if rowset else []) + ([extra] if extra else [])
        sql = f"SELECT {town.format(r=ref)} AS tw, {day.format(r=ref)} AS d"
        if froms:
            sql += " FROM " + ", ".join(froms)
        if cond:
            sql += " WHERE " + cond.format(r=ref)
        out.append(sql)
    return out


def _sqlite_mark(table: str, refs: tuple[str, ...]) -> str:
    union = " UNION ALL ".join(s for ref in refs for s in _sources(table, ref, None))
    y, m = "CAST(substr(s.d, 1, 4) AS INTEGER)", "CAST(substr(s.d, 6, 2) AS INTEGER)"
    # DISTINCT + NOT EXISTS instead of OR IGNORE: the conflict clause of the statement that fires a trigger
    # overrides the trigger's own, so an OR IGNORE here would not be reliable.
    return (f"INSERT INTO figure_dirty (township_id, year, month) SELECT DISTINCT s.tw, {y}, {m} FROM ({union}) AS s "
            f"WHERE s.d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM figure_dirty f WHERE f.township_id = s.tw "
            f"AND f.year = {y} AND f.month = {m})")


def _pg_mark(table: str, rowsets: tuple[str, ...]) -> str:
    union = " UNION ALL ".join(s for rs in rowsets for s in _sources(table, "r", rs))
    return ("INSERT INTO figure_dirty (township_id, year, month) SELECT DISTINCT s.tw, "
            "EXTRACT(YEAR FROM s.d)::integer, EXTRACT(MONTH FROM s.d)::integer "
            f"FROM ({union}) AS s WHERE s.d IS NOT NULL ON CONFLICT DO NOTHING")


_OPS = (("ins", "INSERT", ("NEW",)), ("upd", "UPDATE", ("OLD", "NEW")), ("del", "DELETE", ("OLD",)))


# SQLite: rows that cannot count anywhere skip the trigger program altogether (an "ok" checklist line is two
# thirds of inspection_item; the program's set-up costs more than its body).
WHEN = {"inspection_item": "{r}.result = 'problem'"}


def _install_marks(dialect: str) -> None:
    for table in MARKS:
        for suffix, event, refs in _OPS:
            name = f"figure_mark_{table}_{suffix}"
            if dialect == "sqlite":
                when = " OR ".join(WHEN[table].format(r=r) for r in refs) if table in WHEN else ""
                op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} {f'WHEN {when} ' if when else ''}"
                           f"BEGIN {_sqlite_mark(table, refs)}; END")
                continue
            rowsets = tuple("new_rows" if r == "NEW" else "old_rows" for r in refs)
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       f"{_pg_mark(table, rowsets)}; RETURN NULL; END $$")
            referencing = " ".join(f"{'NEW' if rs == 'new_rows' else 'OLD'} TABLE AS {rs}" for rs in rowsets)
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")


def _drop_marks(dialect: str) -> None:
    for table in MARKS:
        for suffix, _event, _refs in _OPS:
            name = f"figure_mark_{table}_{suffix}"
            if dialect == "sqlite":
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
            else:
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _mark_existing(dialect: str) -> None:
    """Every township-month that already has records is dirty: the first refresh computes it."""
    for table in MARKS:
        union = " UNION ALL ".join(_sources(table, "r", table))
        if dialect == "sqlite":
            op.execute(f"INSERT OR IGNORE INTO figure_dirty (township_id, year, month) SELECT DISTINCT s.tw, "
                       f"CAST(substr(s.d, 1, 4) AS INTEGER), CAST(substr(s.d, 6, 2) AS INTEGER) FROM ({union}) AS s "
                       f"WHERE s.d IS NOT NULL")
        else:
            op.execute(_pg_mark(table, (table,)))


# -- inspection text search (SQLite) -----------------------------------------------------------------------------

def _search_body(ref: str) -> str:
    """The indexed text of row ``ref``: number, place and findings, lower-cased (LIKE ignores ASCII case), one
    character per token."""
    text = f"lower(coalesce({ref}.number, '') || ' ' || coalesce({ref}.place, '') || ' ' || coalesce({ref}.findings, ''))"
    return (f"(SELECT group_concat(substr(x.v, q.n, 1), ' ') || (CASE WHEN length(x.v) > {SEQ_MAX} "
            f"THEN ' {LONG_TOKEN}' ELSE '' END) FROM (SELECT {text} AS v) AS x JOIN search_seq AS q "
            f"ON q.n <= length(x.v))")


def _install_search() -> None:
    op.execute("CREATE TABLE search_seq (n INTEGER PRIMARY KEY)")
    op.execute(f"INSERT INTO search_seq (n) WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k "
               f"WHERE n < {SEQ_MAX}) SELECT n FROM k")
    # contentless (the text lives in inspection), no positions (queries are AND of single characters)
    op.execute("CREATE VIRTUAL TABLE inspection_search USING fts5(body, content='', detail='none', "
               "tokenize='unicode61')")
    op.execute(f"INSERT INTO inspection_search (rowid, body) SELECT i.id, {_search_body('i')} FROM inspection i")
    delete_old = f"INSERT INTO inspection_search (inspection_search, rowid, body) VALUES ('delete', OLD.id, {_search_body('OLD')})"
    insert_new = f"INSERT INTO inspection_search (rowid, body) VALUES (NEW.id, {_search_body('NEW')})"
    op.execute(f"CREATE TRIGGER inspection_search_ins AFTER INSERT ON inspection BEGIN {insert_new}; END")
    op.execute("CREATE TRIGGER inspection_search_upd AFTER UPDATE OF number, place, findings ON inspection "
               "WHEN OLD.number IS NOT NEW.number OR OLD.place IS NOT NEW.place OR OLD.findings IS NOT NEW.findings "
               f"BEGIN {delete_old}; {insert_new}; END")
    op.execute(f"CREATE TRIGGER inspection_search_del AFTER DELETE ON inspection BEGIN {delete_old}; END")


def _drop_search() -> None:
    for name in ("inspection_search_ins", "inspection_search_upd", "inspection_search_del"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS inspection_search")
    op.execute("DROP TABLE IF EXISTS search_seq")


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('figure_month',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('township_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('inspections', sa.Integer(), nullable=False),
    sa.Column('officer_turnouts', sa.Integer(), nullable=False),
    sa.Column('vehicle_turnouts', sa.Integer(), nullable=False),
    sa.Column('businesses_inspected', sa.Integer(), nullable=False),
    sa.Column('problems_found', sa.Integer(), nullable=False),
    sa.Column('problems_rectified', sa.Integer(), nullable=False),
    sa.Column('campaigns', sa.Integer(), nullable=False),
    sa.Column('cases_filed', sa.Integer(), nullable=False),
    sa.Column('cases_closed', sa.Integer(), nullable=False),
    sa.Column('summary_procedure_cases', sa.Integer(), nullable=False),
    sa.Column('hearings', sa.Integer(), nullable=False),
    sa.Column('fines_fen', sa.BigInteger(), nullable=False),
    sa.Column('no_penalty_decisions', sa.Integer(), nullable=False),
    sa.Column('major_decisions_reviewed', sa.Integer(), nullable=False),
    sa.Column('disclosures', sa.Integer(), nullable=False),
    sa.Column('coercive_measures', sa.Integer(), nullable=False),
    sa.Column('transfers_to_departments', sa.Integer(), nullable=False),
    sa.Column('transfers_to_judiciary', sa.Integer(), nullable=False),
    sa.Column('mediation_accepted', sa.Integer(), nullable=False),
    sa.Column('mediation_succeeded', sa.Integer(), nullable=False),
    sa.Column('judicial_confirmations', sa.Integer(), nullable=False),
    sa.Column('mediation_escalated_to_criminal', sa.Integer(), nullable=False),
    sa.Column('trainings', sa.Integer(), nullable=False),
    sa.Column('training_attendance', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', 'month', 'township_id', name=op.f('pk_figure_month'))
    )
    # ### end Alembic commands ###

    # Not in the models (models/figures.py UNMODELLED_PREFIXES): the queue only triggers write, never copied.
    op.create_table('figure_dirty',
    sa.Column('township_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('township_id', 'year', 'month', name=op.f('pk_figure_dirty'))
    )
    dialect = op.get_bind().dialect.name
    _install_marks(dialect)
    _mark_existing(dialect)
    if dialect == "sqlite":
        _install_search()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_search()
    _drop_marks(dialect)
    op.drop_table('figure_dirty')
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table('figure_month')
    # ### end Alembic commands ###
