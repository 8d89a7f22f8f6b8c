"""Hostile bundles as the district meets them: correctly signed with a township's own, legitimately trusted key.

``Insider`` holds a copy of one township of the district template (its database and its ``.keys`` file). It writes
bundles whose members it chooses line by line — records no valid program writes, sequence numbers far ahead,
sealed attachments that inflate — and signs them exactly as the township's program would: the district verifies
the signature, the sender's trust and every member's SHA-256 successfully, so only the content is hostile.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from models.base import new_uid
from services.core.db import Database, copy_sqlite
from services.core.uow import UnitOfWork
from services.sync import plan_export, trusted_devices, write_bundle
from services.sync.crypto import DeviceKeys, Sealer, key_file_path, load_or_create_keys, new_sender_key
from tests.services.district_helpers import District, copy_file_db
from tests.services.sync_helpers import signed_zip

Members = dict[str, bytes]


@dataclass
class Insider:
    """Someone holding one township's database and device keys."""

    district: District
    name: str
    db: Database
    keys: DeviceKeys
    template: dict[str, Any]  # the manifest of a real bundle of this township (source, township, schema …)
    lines: dict[str, list[str]]  # that bundle's records members, line by line

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, actor="insider", clock=self.district.clock)

    def record(self, table: str, k: int = 0) -> dict[str, Any]:
        """The k-th record of ``table`` as the township's program exported it."""
        return dict(json.loads(self.lines[f"records/{table}.jsonl"][k]))

    def bundle(self, dst: Path, members: Members, *, sequence: int | None = None, sealed: bool = False,
               edit: Callable[[dict[str, Any]], None] | None = None) -> Path:
        """A signed bundle of ``members`` (plain bytes; sealed to the district when ``sealed``)."""
        m = json.loads(json.dumps(self.template))
        m["bundle_uid"] = new_uid()
        m["sequence"] = sequence if sequence is not None else self.next_sequence()
        m["previous_bundle_sha256"] = None
        m["counts"] = {n.split("/")[-1].removesuffix(".jsonl"): data.count(b"\n")
                       for n, data in members.items() if n.startswith("records/") and n != "records/blob.jsonl"}
        m["attachments"] = {"count": sum(n.startswith("attachments/") for n in members), "bytes": 0}
        key = None
        if sealed:
            key, m["encryption"] = new_sender_key(self.district_box_key(), m["bundle_uid"])
        else:
            m["encryption"], m["recipient"] = None, None
        stored = {n: _seal(key, n, data) if key else data for n, data in members.items()}
        m["members"] = [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in stored.items()]
        if edit is not None:
            edit(m)
        return signed_zip(dst, stored, m, self.keys)

    def records(self, dst: Path, table: str, recs: list[dict[str, Any] | str], **kw: Any) -> Path:
        """A bundle of one records member: each item a record (dumped as JSON) or a raw line."""
        lines = [r if isinstance(r, str) else json.dumps(r) for r in recs]
        return self.bundle(dst, {f"records/{table}.jsonl": ("\n".join(lines) + "\n").encode("utf-8")}, **kw)

    def next_sequence(self) -> int:
        with self.district.db.engine.connect() as c:
            top = c.execute(text("SELECT max(seq) FROM imported_bundle WHERE source_uid=:u AND kind='records'"),
                            {"u": self.template["source"]["device_uid"]}).scalar()
        return int(top or 0) + 1

    def district_box_key(self) -> str:
        peer = next(p for p in trusted_devices(self.uow()) if p.kind == "district")
        with self.db.engine.connect() as c:
            return str(c.execute(text("SELECT box_public_key FROM trusted_device WHERE uid=:u"),
                                 {"u": peer.uid}).scalar())

    def dispose(self) -> None:
        self.db.dispose()


def _seal(key: bytes, name: str, data: bytes) -> bytes:
    s = Sealer(key, name)
    out = b"".join(s.feed(data))
    return out + b"".join(s.close())


def insider(district: District, tmp_path: Path, k: int = 0) -> Insider:
    """The k-th township of the district template, copied with its keys, and a plain full bundle of its records."""
    name, template = list(district.template.townships.items())[k]
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = copy_file_db(template, tmp_path / f"insider{k}.sqlite3")
    db = Database.open(path)
    key = district.template.town_keys.get(name)  # the township's data key: its device keys are sealed under it
    keys, _ = load_or_create_keys(key_file_path(path), db.device_uid, key)
    cached = _REAL_BUNDLES.get((template, k))
    if cached is None:
        u = lambda: UnitOfWork(db, actor="insider", clock=district.clock, data_key=key)  # noqa: E731
        real = write_bundle(u(), plan_export(u(), None, full=True), tmp_path / f"insider{k}-real").path
        with zipfile.ZipFile(real) as z:
            manifest = json.loads(z.read("manifest.json"))
            lines = {n: z.read(n).decode("utf-8").splitlines() for n in z.namelist() if n.startswith("records/")}
        cached = _REAL_BUNDLES[(template, k)] = (manifest, lines)
    manifest, lines = cached
    return Insider(district, name, db, keys, json.loads(json.dumps(manifest)), {n: list(v) for n, v in lines.items()})


# The township's real full bundle, once per template township and test process: the templates do not change during
# a session (tests get copies), and a full export was a third of each hostile test's time. Each Insider gets its
# own copy of the manifest and lines.
_REAL_BUNDLES: dict[tuple[Path, int], tuple[dict[str, Any], dict[str, list[str]]]] = {}


def content_digest(db: Database, *, except_township: str | None = None) -> dict[str, tuple[Any, ...]]:
    """uid → the row's content as the driver returns it, for every row of every synced table (of townships other than
    ``except_township``, by name, where the table has a township)."""
    from services.sync.tables import synced_specs

    out: dict[str, tuple[Any, ...]] = {}
    with db.engine.connect() as c:
        skip = None
        if except_township is not None:
            skip = c.execute(text("SELECT id FROM township WHERE name=:n"), {"n": except_township}).scalar()
        sqlite = c.dialect.name == "sqlite"
        # The driver's own cursor, and the rows kept as its plain tuples (compared, not hashed): called twice per test
        # over some 60,000 rows, SQLAlchemy's row objects and a sha256 of each row's repr made this helper half of
        # tests/services/test_sync_values.py's time.
        cursor = c.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            for spec in synced_specs():
                sql = f'SELECT * FROM "{spec.name}"'  # noqa: S608 - the models' tables
                params: tuple[Any, ...] = ()
                if "township_id" in spec.names and skip:
                    sql += ' WHERE "township_id" IS NOT ?' if sqlite else ' WHERE "township_id" IS DISTINCT FROM %s'
                    params = (skip,)
                cursor.execute(sql, params)
                at = [d[0] for d in cursor.description].index("uid")
                for row in cursor.fetchall():
                    out[f"{spec.name}:{row[at]}"] = tuple(row)
        finally:
            cursor.close()
    return out


@dataclass
class Kept:
    """What a hostile bundle must leave as it was: every synced row (of the townships other than
    ``except_township``), taken before the import; :meth:`changed` names the rows that differ after it.

    On SQLite the database file is copied (the backup API) and compared in SQL, both ways with EXCEPT, so the 60,000
    rows never pass through Python; on PostgreSQL the rows are read into a dict (:func:`content_digest`)."""

    db: Database
    except_township: str | None
    snapshot: Path | None = None
    rows: dict[str, tuple[Any, ...]] | None = None

    def changed(self) -> list[str]:
        if self.rows is not None:
            now = content_digest(self.db, except_township=self.except_township)
            return sorted(k for k in set(now) | set(self.rows) if now.get(k) != self.rows.get(k))
        from services.sync.tables import synced_specs

        assert self.db.path is not None and self.snapshot is not None
        out: list[str] = []
        conn = sqlite3.connect(str(self.db.path))
        try:
            conn.execute("ATTACH DATABASE ? AS snap", (str(self.snapshot),))
            skip = conn.execute("SELECT id FROM township WHERE name=?", (self.except_township,)).fetchone() \
                if self.except_township is not None else None
            for spec in synced_specs():
                cond, params = "1", ()
                if "township_id" in spec.names and skip:
                    cond, params = '"township_id" IS NOT ?', (skip[0],)
                for a, b in (("snap", "main"), ("main", "snap")):
                    sql = (f'SELECT uid FROM (SELECT * FROM {a}."{spec.name}" WHERE {cond} '  # noqa: S608 - tables
                           f'EXCEPT SELECT * FROM {b}."{spec.name}" WHERE {cond}) LIMIT 5')
                    out += [f"{spec.name}:{uid}" for (uid,) in conn.execute(sql, params * 2)]
        finally:
            conn.close()
        return sorted(set(out))


def kept(db: Database, folder: Path, *, except_township: str | None = None) -> Kept:
    """The synced rows as they are now, to compare after an import (:class:`Kept`)."""
    if db.engine.dialect.name != "sqlite" or db.path is None:
        return Kept(db, except_township, rows=content_digest(db, except_township=except_township))
    folder.mkdir(parents=True, exist_ok=True)
    return Kept(db, except_township, snapshot=copy_sqlite(db.path, folder / "kept-before.sqlite3"))


def sqlite_rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
