"""The row triggers of an INSERT, applied once per merge batch instead of once per row (SQLite).

Two kinds of AFTER INSERT triggers run on every synced row a township bundle adds (migrations 0004, 0013):

* ``figure_mark_<table>_ins`` notes in ``figure_dirty`` the township-months a new row touches (the district's
  monthly figures recompute exactly those);
* ``inspection_search_ins`` adds a new inspection to the text search (FTS5, one token per character).

Fired per row, a trigger's program is set up for every row: a township bundle's 108,000 inspections and 323,000
checklist lines, inserted one row per statement, took 18–22 s with the triggers and 7–8.5 s with the same work
done as one statement per 2,000-row batch; in the import, which inserts 200 rows per statement, the difference is
about a second of CPU (bench/README.md "Stop 22", issue 14). So the import's merge drops those triggers inside its
own transaction, does their work for each batch it inserts (:meth:`Deferred.inserted`: the same rows, the same
expressions, bound to the batch's id range instead of ``NEW``), and creates them again from their stored text
before anything else is written (:meth:`Deferred.restore`). A failure anywhere rolls the transaction back,
triggers included; other connections never see the database without them (SQLite's DDL is transactional).

A trigger is deferred only when its stored text is exactly what its migration generates (0004's marks, 0013's
search over ``place_masked``); anything else — a later migration's trigger, a hand-made one — stays in place and
fires per row as before. PostgreSQL needs none of this: its marking triggers are per statement.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

from services.core.paths import migrations_path
from services.sync.dialect import RawConnection

_MARKS_MIGRATION = "0004_figures_and_search"  # MARKS, _sources, _sqlite_mark, WHEN: the marking triggers' source
_SEARCH_MIGRATION = "0013_sealed_places"  # _search_body: the search trigger's indexed text (over place_masked)
_BATCH = '(SELECT * FROM "{table}" WHERE id >= ? AND id < ?)'  # the batch's rows, standing for NEW


@cache
def _migration(name: str) -> ModuleType | None:
    """A migration module loaded from disk as Alembic loads it (None if it is missing)."""
    path = migrations_path() / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_enforcedesk_{name}", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except (OSError, ImportError):
        return None
    return module


def _marks() -> ModuleType | None:
    return _migration(_MARKS_MIGRATION)


def _marks_trigger(m: ModuleType, table: str) -> str:
    """The text migration 0004 stores for ``figure_mark_<table>_ins`` (what sqlite_master holds)."""
    when = f"WHEN {m.WHEN[table].format(r='NEW')} " if table in m.WHEN else ""
    return (f"CREATE TRIGGER figure_mark_{table}_ins AFTER INSERT ON {table} {when}"
            f"BEGIN {m._sqlite_mark(table, ('NEW',))}; END")


def _marks_batch(m: ModuleType, table: str) -> tuple[str, int]:
    """(statement, number of id ranges it binds): the marks of a batch's rows, as the trigger makes them per row."""
    sources = m._sources(table, "NEW", _BATCH.format(table=table))
    y, mo = "CAST(substr(s.d, 1, 4) AS INTEGER)", "CAST(substr(s.d, 6, 2) AS INTEGER)"
    sql = (f"INSERT OR IGNORE INTO figure_dirty (township_id, year, month) SELECT DISTINCT s.tw, {y}, {mo} "  # noqa: S608 - the migration's declaration
           f"FROM ({' UNION ALL '.join(sources)}) AS s WHERE s.d IS NOT NULL")
    return sql, len(sources)


@dataclass
class Deferred:
    """The INSERT triggers dropped for this import: their statements per table and their texts to restore."""

    raw: RawConnection
    statements: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # table → (sql, id ranges bound)
    texts: list[str] = field(default_factory=list)

    @classmethod
    def suspend(cls, raw: RawConnection) -> Deferred:
        """Drop the INSERT triggers this module knows how to run per batch (inside the caller's transaction)."""
        out = cls(raw)
        found = raw.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND (name LIKE 'figure_mark_%' OR name = 'inspection_search_ins') ORDER BY name"
                            ).fetchall()
        marks = _marks()
        for name, table, sql in found:
            batch = _batch_statement(marks, str(name), str(table), str(sql))
            if batch is None:
                continue
            raw.execute(f'DROP TRIGGER "{name}"')
            out.statements.setdefault(str(table), []).append(batch)
            out.texts.append(str(sql))
        return out

    def inserted(self, table: str, first: int, end: int) -> None:
        """Do the dropped triggers' work for the rows ``first`` ≤ id < ``end`` of ``table`` just inserted."""
        for sql, ranges in self.statements.get(table, ()):
            self.raw.execute(sql, (first, end) * ranges)

    def restore(self) -> None:
        """Create the dropped triggers again, from the text they were stored with."""
        for sql in self.texts:
            self.raw.execute(sql)
        self.statements, self.texts = {}, []


def _batch_statement(marks: ModuleType | None, name: str, table: str, sql: str) -> tuple[str, int] | None:
    """The per-batch statement standing for trigger ``name``, or None to leave the trigger firing per row."""
    if name == "inspection_search_ins":
        search = _migration(_SEARCH_MIGRATION)
        try:
            body = search._search_body("NEW", "place_masked") if search is not None else None
        except (AttributeError, TypeError):
            body = None
        if body is None or table != "inspection":
            return None
        expected = ("CREATE TRIGGER inspection_search_ins AFTER INSERT ON inspection BEGIN "  # noqa: S608 - compared, not run
                    f"INSERT INTO inspection_search (rowid, body) VALUES (NEW.id, {body}); END")
        if sql != expected:
            return None
        return (f"INSERT INTO inspection_search (rowid, body) SELECT NEW.id, {body} "  # noqa: S608 - the migration's expression
                f"FROM {_BATCH.format(table=table)} AS NEW"), 1
    if marks is None or name != f"figure_mark_{table}_ins" or table not in getattr(marks, "MARKS", {}):
        return None
    try:
        expected = _marks_trigger(marks, table)
    except (AttributeError, KeyError, TypeError):
        return None
    if sql != expected:
        return None
    return _marks_batch(marks, table)


def suspend_insert_triggers(raw: RawConnection, *, pg: bool) -> Deferred | None:
    """:meth:`Deferred.suspend` on SQLite; None on PostgreSQL (statement triggers: nothing to gain)."""
    return None if pg else Deferred.suspend(raw)


__all__ = ["Deferred", "suspend_insert_triggers"]
