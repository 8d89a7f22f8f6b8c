"""Document numbers for the township demo by the numbering rules of services/reference/numbering.py.

A record asks for a number when its step happens (``request``); once every family has planned its records the
numbers are handed out per type and year in date order (``assign``), which is the order a squad working day by day
takes them in, with the code and pattern of the settings (``document_code``, ``format_number``). The numbers are
recorded as the office device's blocks of ``numbering.block_size``, each starting after the blocks already handed
out (as ``allocate_block`` does), the last one with its unused rest still open for the next number.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from services.reference.numbering import Issuer, block_key, document_code, format_number
from services.reference.settings import Settings

# A record's fields that receive the number: (mapping or object, key) pairs.
Target = tuple[Any, str]


class NumberBook:
    def __init__(self, conn: sqlite3.Connection, settings: Settings, *, township_id: int, prefix: str) -> None:
        self.settings = settings
        self.prefix = prefix
        self.pattern = settings.str("numbering.pattern")
        self._codes: dict[str, str] = {}
        # (block key, year) -> requests; block key -> (doc type, issuer): see services.reference.numbering.block_key
        self._requests: dict[tuple[str, int], list[tuple[int, int, tuple[Target, ...]]]] = {}
        self._kinds: dict[str, tuple[str, Issuer | None]] = {}
        rows = conn.execute("SELECT doc_type, year, max(last) FROM number_block WHERE township_id=? "
                            "GROUP BY doc_type, year", (township_id,)).fetchall()
        self._top: dict[tuple[str, int], int] = {(r[0], r[1]): r[2] for r in rows}
        self.used: dict[tuple[str, int], int] = {}  # (type, year) -> numbers handed out here

    def code(self, doc_type: str) -> str:
        c = self._codes.get(doc_type)
        if c is None:
            c = self._codes[doc_type] = document_code(self.settings, doc_type)
        return c

    def request(self, doc_type: str, o: int, key: int, *targets: Target, issuer: Issuer | None = None) -> None:
        """Ask for a number of ``doc_type`` on day ordinal ``o``; ``key`` orders requests of the same day."""
        self.code(doc_type)  # an unknown type is refused now, where its record is made
        bkey = block_key(doc_type, issuer)
        self._kinds[bkey] = (doc_type, issuer)
        self._requests.setdefault((bkey, date.fromordinal(o).year), []).append((o, key, targets))

    def sequence(self, doc_type: str, year: int, issuer: Issuer | None = None) -> Callable[[], str]:
        """Numbers of one type and year handed out one by one, in the caller's (date) order."""
        bkey = block_key(doc_type, issuer)
        code, top = self.code(doc_type), self._top.get((bkey, year), 0)
        prefix = issuer.prefix if issuer else self.prefix
        state = [top]

        def take() -> str:
            state[0] += 1
            self.used[(bkey, year)] = state[0] - top
            return format_number(self.pattern, prefix=prefix, code=code, year=year, seq=state[0])

        return take

    def assign(self) -> None:
        for (bkey, year), reqs in self._requests.items():
            reqs.sort(key=lambda q: (q[0], q[1]))
            doc_type, issuer = self._kinds[bkey]
            take = self.sequence(doc_type, year, issuer)
            for _o, _key, targets in reqs:
                number = take()
                for target, field in targets:
                    if type(target) is dict:
                        target[field] = number
                    else:
                        setattr(target, field, number)
        self._requests = {}

    def blocks(self) -> list[tuple[str, int, int, int, int]]:
        """(block key, year, first, last, next_seq) of the blocks that hold the numbers handed out (the key is the
        doc type, or ``<type>@<代字>`` for a committee's own sequence)."""
        size = self.settings.int("numbering.block_size")
        out = []
        for (doc_type, year), n in sorted(self.used.items()):
            top = self._top.get((doc_type, year), 0)
            first, used_to = top + 1, top + n
            while first <= used_to:
                last = first + size - 1
                out.append((doc_type, year, first, last, min(used_to, last) + 1))
                first = last + 1
        return out
