"""uid → local id of the rows that other synced tables refer to, for the import's foreign-key mapping.

Foreign keys travel as the referenced row's uid (docs/sync-bundle.md §Records). Parents are merged before their
children, so by the time a child table is read every parent it may name is either in this database already or
was just written by this import. One dict per *referenced* table answers those look-ups with one C-level
``map(dict.get, column)`` per batch; tables nobody refers to (inspection_item, case_event …, most of a bundle's
rows) keep no map at all, which is what bounds the import's memory.

A table small enough (``LOAD_ALL``) is loaded whole with one query the first time it is needed; a larger one
(a district holding many townships) is looked up by uid, 500 at a time, for the uids a batch names that the
map does not know yet. Either way the rows this import inserts are added as they are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from services.sync.dialect import RawConnection
from services.sync.tables import TableSpec

LOAD_ALL = 250_000  # rows: a full map of this many uids is ~45 MiB; above it, look-ups by uid
CHUNK = 500  # uids per IN (…) look-up (SQLite's default limit is 32,766 variables; 500 keeps statements cached)


def referenced_tables(specs: Iterable[TableSpec]) -> frozenset[str]:
    return frozenset(c.fk_table for s in specs for c in s.columns if c.fk_table is not None)


class IdMaps:
    def __init__(self, raw: RawConnection, referenced: frozenset[str]) -> None:
        self.raw = raw
        self.referenced = referenced
        self.maps: dict[str, dict[str, int]] = {}
        self.complete: set[str] = set()  # maps holding every row of their table

    def resolve(self, table: str, uids: Sequence[str | None]) -> dict[str, int]:
        """The map of ``table``, holding at least every uid of ``uids`` that exists in it."""
        m = self.maps.get(table)
        if m is None:
            m = self.maps[table] = {}
            top = self.raw.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0] or 0  # noqa: S608 - a table of the models
            if top <= LOAD_ALL:  # ids are dense (rows are never deleted), so max(id) bounds the row count
                m.update(self.raw.execute(f'SELECT uid, id FROM "{table}"'))  # noqa: S608 - a table of the models
                self.complete.add(table)
        if table in self.complete:
            return m
        wanted = set(uids)
        wanted.discard(None)
        missing = list(wanted.difference(m))
        for k in range(0, len(missing), CHUNK):
            part = missing[k:k + CHUNK]
            m.update(self.raw.execute(f'SELECT uid, id FROM "{table}" WHERE uid IN ({",".join("?" * len(part))})',  # noqa: S608 - a table of the models, placeholders
                                      part))
        return m

    def add(self, table: str, pairs: Iterable[tuple[str, int]]) -> None:
        """Rows just written to ``table`` (only kept for referenced tables whose map exists already: a map
        created later reads them from the database)."""
        m = self.maps.get(table)
        if m is not None:
            m.update(pairs)
