"""Helpers for the sync tests: an office database, a field laptop provisioned from it, quick edits on either."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from models.enums import DeviceKind, IdType, PartyKind
from services.core.cipher import DataKey
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.people.parties import create_party_record
from services.people.registry import PartyInput
from services.sync.provision import provision_device
from tests.services.conftest import resident_id
from tests.services.unlock import fixture_password, key_of_file


def empty_district(path: Path, clock: FixedClock) -> tuple[Database, Callable[[], UnitOfWork]]:
    """A district database set up as the window does (五通桥区, administrator district-1), and its unit of work
    with the data key unlocked: (database, uow factory). The caller disposes the database."""
    from services.reference.setup import initialise

    district = Database.open(path)
    key = initialise(district, UnitOfWork(district, actor="district", clock=clock), township="五通桥区",
                     squad="区综合行政执法局", device_kind=DeviceKind.DISTRICT, admin_password="district-1",
                     catalogue_effective_from=date(2016, 1, 1)).data_key
    return district, lambda: UnitOfWork(district, actor="district", clock=clock, data_key=key)


def full_bundle(town: Callable[[], UnitOfWork], district: Callable[[], UnitOfWork], folder: Path) -> tuple[Any, Any]:
    """The township trusts the district's key card and writes everything it holds for it: (the written bundle,
    the district's trusted card)."""
    from services.sync import plan_export, trust_key_card, write_bundle
    from services.sync.trust import write_key_card

    write_key_card(district(), folder / "district.card")
    card = trust_key_card(town(), folder / "district.card")
    return write_bundle(town(), plan_export(town(), card.uid, full=True), folder / "usb"), card


@dataclass
class Pair:
    office: Database
    laptop: Database
    clock: FixedClock
    laptop_uid: str
    laptop_code: str
    office_uid: str
    key: DataKey | None = None  # the office's data key; the laptop, a copy of it, has the same

    def ou(self) -> UnitOfWork:
        return UnitOfWork(self.office, actor="office", clock=self.clock, data_key=self.key)

    def lu(self) -> UnitOfWork:
        return UnitOfWork(self.laptop, actor="laptop", clock=self.clock, data_key=self.key)

    def dispose(self) -> None:
        self.laptop.dispose()


def make_pair(office: Database, clock: FixedClock, tmp_path: Path, key: DataKey | None = None) -> Pair:
    """A laptop provisioned from ``office``, unlocked with ``key`` (default: by the fixture's administrator)."""
    if key is None and office.path is not None:
        key = key_of_file(office.path)
    office_uow = UnitOfWork(office, actor="office", clock=clock, data_key=key)
    result = provision_device(office_uow, tmp_path / "laptop.sqlite3", kind=DeviceKind.FIELD,
                              **(laptop_account(office) if key else {}))
    laptop = Database.open(result.path)
    for side in (office, laptop):
        remember_key(side, key)
    return Pair(office, laptop, clock, result.device_uid, result.device_code, office.device_uid, key)


# The data key of each database a pair was made on (keyed by the Database object: a PostgreSQL office has no file
# to find its key by), so edit() unlocks as the pair's units of work do. Held weakly, so a later Database given the
# same id() is not taken for it.
_KEYS: dict[int, tuple[weakref.ref[Database], DataKey | None]] = {}


def remember_key(db: Database, key: DataKey | None) -> None:
    """``db`` opens with ``key`` (e.g. an office moved to PostgreSQL with the same data key)."""
    _KEYS[id(db)] = (weakref.ref(db), key)


def key_of(db: Database) -> DataKey | None:
    """The data key a signed-in user of ``db`` would hold: the pair's, else its fixture administrator's."""
    known = _KEYS.get(id(db))
    if known is not None and known[0]() is db:
        return known[1]
    return key_of_file(db.path) if db.path is not None else None


def laptop_account(office: Database) -> dict[str, str]:
    """provision_device's ``user``/``password`` for a laptop of ``office`` set up by a fixture: an encrypted
    office's laptop keeps one account's slot, the administrator's, with the same password (none when the file is
    not one the fixtures' passwords open)."""
    password = fixture_password(office.path) if office.path is not None else None
    return {"user": "admin", "password": password} if password is not None else {}


def add_party(uow: UnitOfWork, name: str, birth: date = date(1985, 1, 2), seq: str = "555") -> str:
    info = create_party_record(uow, PartyInput(kind=PartyKind.PERSON, name=name, id_type=IdType.RESIDENT_ID,
                                               id_number=resident_id(birth, seq)))
    return info.uid


def edit(db: Database, clock: FixedClock, table: str, uid: str, *, data_key: DataKey | None = None,
         **values: Any) -> None:
    """Change a record through the ORM (version + 1, updated_at stamped), like a screen would: unlocked with the
    database's data key (key_of), as a signed-in user's screen is, so sealed columns are written sealed."""
    from models.base import Base

    if data_key is None and db.path is not None:
        data_key = key_of_file(db.path)
    cls = next(m.class_ for m in Base.registry.mappers if getattr(m.class_, "__tablename__", "") == table)
    with UnitOfWork(db, actor="tester", clock=clock, data_key=data_key or key_of(db)) as u:
        from sqlalchemy import select

        obj = u.session.scalar(select(cls).where(cls.uid == uid))
        for k, v in values.items():
            setattr(obj, k, v)
        u.commit()


def plain(db: Database, table: str, uid: str, column: str, key: DataKey | None = None) -> str | None:
    """One sealed column's value as the program shows it: opened with ``key`` (else the database's key, key_of) —
    what a raw read gives is the sealed form (docs/encryption-data.md)."""
    if key is not None:
        remember_key(db, key)
    found = opened_row(db, table, uid, f'"{column}"')
    return None if found is None else found[0]


def row(db: Database, table: str, uid: str, cols: str = "*") -> tuple[Any, ...] | None:
    """One row by uid (SQLite or PostgreSQL)."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        got = conn.execute(text(f'SELECT {cols} FROM "{table}" WHERE uid=:uid'), {"uid": uid}).first()  # noqa: S608 - the test's table, columns
    return None if got is None else tuple(got)


def opened_row(db: Database, table: str, uid: str, cols: str) -> tuple[Any, ...] | None:
    """One row by uid as a signed-in user reads it: its sealed personal data opened with the database's key
    (key_of); a sealed value without the key raises Locked rather than comparing its ``ed1:`` form."""
    from sqlalchemy import text

    from services.core.sealing import open_value

    key = key_of(db)
    with db.engine.connect() as conn:
        got = conn.execute(text(f'SELECT {cols} FROM "{table}" WHERE uid=:uid'), {"uid": uid}).mappings().first()  # noqa: S608 - the test's table, columns
    if got is None:
        return None
    return tuple(open_value(key, v, table=table, column=c, uid=uid) if isinstance(v, str) else v
                 for c, v in got.items())


def count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar() or 0)  # noqa: S608 - the test's table


Advance = Callable[[int], None]


def snap(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (SQLite: of the file, through a fresh connection; PostgreSQL: through the engine)."""
    from sqlalchemy import select

    from services.core.schema import metadata
    from tests.services.conftest import snapshot

    if db.engine.dialect.name == "sqlite":
        return snapshot(db)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for t in metadata.sorted_tables:
            out[t.name] = sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
    return out


# -- bundles signed with a trusted device's own key, content as a hostile insider writes it ----------------------


@dataclass(frozen=True)
class Signer:
    """A device's own signing key and what its manifests say about it: what it signs is genuinely its bundle."""

    keys: Any  # services.sync.crypto.DeviceKeys
    source: dict[str, str]
    township: dict[str, str]

    @property
    def uid(self) -> str:
        return self.source["device_uid"]


def signer_for(path: Path) -> Signer:
    """The signer of a SQLite database file whose keys are next to it (``<file>.keys``)."""
    import sqlite3

    from services.sync.crypto import key_file_path, load_or_create_keys

    conn = sqlite3.connect(str(path))
    try:
        uid = conn.execute("SELECT value FROM local_state WHERE key='device_uid'").fetchone()[0]
        code, kind = conn.execute("SELECT code, kind FROM device WHERE uid=?", (uid,)).fetchone()
        town_uid = conn.execute("SELECT value FROM local_state WHERE key='township_uid'").fetchone()[0]
        town_name = conn.execute("SELECT name FROM township WHERE uid=?", (town_uid,)).fetchone()[0]
    finally:
        conn.close()
    keys, created = load_or_create_keys(key_file_path(path), uid, key_of_file(path))
    assert not created, f"{path} has no keys yet"
    return Signer(keys, {"device_uid": uid, "device_code": code, "device_kind": kind,
                         "sign_public_key": keys.sign_public, "box_public_key": keys.box_public},
                  {"uid": town_uid, "name": town_name})


def bundle_rows(path: Path, table: str, where: str = "", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Rows of a SQLite database in their bundle form (services/sync/tables.py: foreign keys as uids; sealed
    personal data opened with the file's key, as the exporter does: services/sync/sealed.py)."""
    import sqlite3

    from services.sync.sealed import FieldSealer
    from services.sync.tables import row_to_record, select_sql, spec_for
    from tests.services.unlock import key_of_file

    spec = spec_for(table)
    key = key_of_file(path)
    open_record = FieldSealer(key, key is not None).opener(spec)
    conn = sqlite3.connect(str(path))
    try:
        recs = [row_to_record(spec, r[1:]) for r in conn.execute(select_sql(spec, where), params)]
    finally:
        conn.close()
    if open_record is not None:
        for rec in recs:
            open_record(rec)
    return recs


def craft_bundle(signer: Signer, dst: Path, tables: dict[str, list[dict[str, Any]]], *, kind: str = "records",
                 sequence: int = 2, recipient: dict[str, str] | None = None,
                 blobs: dict[str, bytes] | None = None, reference: dict[str, list[dict[str, Any]]] | None = None,
                 edit_manifest: Callable[[dict[str, Any]], None] | None = None) -> Path:
    """A plain (unencrypted) bundle holding exactly ``tables`` (table → records), signed with ``signer``'s key:
    every size, digest and the signature are right — only what it says is hostile."""
    import hashlib
    import json
    from datetime import UTC, datetime

    from models.base import new_uid
    from services.core.app_info import SCHEMA_MAJOR, VERSION
    from services.core.db import SCHEMA_HEAD
    from services.sync.manifest import FORMAT

    members: dict[str, bytes] = {}
    for table, recs in tables.items():
        members[f"records/{table}.jsonl"] = "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in recs).encode()
    for name, recs in (reference or {}).items():
        members[f"reference/{name}.jsonl"] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode()
    if blobs:
        now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        members["records/blob.jsonl"] = "".join(json.dumps({
            "sha256": hashlib.sha256(b).hexdigest(), "size": len(b), "mime": "image/jpeg", "created_at": now}) + "\n"
            for b in blobs.values()).encode()
        for b in blobs.values():
            members[f"attachments/{hashlib.sha256(b).hexdigest()}"] = b
    manifest: dict[str, Any] = {
        "format": FORMAT, "kind": kind, "bundle_uid": new_uid(), "app_version": VERSION, "schema_head": SCHEMA_HEAD,
        "schema_major": SCHEMA_MAJOR, "created_at": datetime.now(UTC).isoformat(), "source": dict(signer.source),
        "township": dict(signer.township), "recipient": recipient, "sequence": sequence,
        "previous_bundle_sha256": None, "reference_version": 0, "full": False,
        "counts": {t: len(r) for t, r in tables.items()}, "attachments": {"count": len(blobs or {}), "bytes": 0},
        "encryption": None,
        "members": [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()],
    }
    if edit_manifest is not None:
        edit_manifest(manifest)
    return signed_zip(dst, members, manifest, signer.keys)


def signed_zip(dst: Path, members: dict[str, bytes], manifest: dict[str, Any], keys: Any) -> Path:
    """The bundle file: the members as given, then the manifest and its signature by ``keys`` (DeviceKeys)."""
    import zipfile

    from services.sync.manifest import manifest_bytes

    body = manifest_bytes(manifest)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        z.writestr("manifest.json", body)
        z.writestr("manifest.sig", keys.signature(body))
    return dst


def resigned(src: Path, dst: Path, signer: Signer, edit_manifest: Callable[[dict[str, Any]], None]) -> Path:
    """``src`` with its manifest edited and signed again with ``signer``'s (the sender's own) key; the members,
    sealed or not, are left as they are."""
    import json
    import zipfile

    from services.sync.manifest import manifest_bytes

    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(members["manifest.json"])
    edit_manifest(manifest)
    members["manifest.json"] = manifest_bytes(manifest)
    members["manifest.sig"] = signer.keys.signature(members["manifest.json"])
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return dst


def rewrite_audit(path: Path, *, edit_seq: int | None = None, cut_after: int | None = None) -> None:
    """What someone with the database file and a SQL tool does to hide a past action from ``verify``: drop the
    audit guards, change event ``edit_seq`` (or delete every event after ``cut_after``), recompute every later
    hash so the chain verifies again, and put the guards back."""
    import sqlite3
    from datetime import UTC, datetime

    from services.core.audit import GENESIS, event_hash

    conn = sqlite3.connect(str(path))
    try:
        guards = conn.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_event'"
                              ).fetchall()
        for name, _sql in guards:
            conn.execute(f'DROP TRIGGER "{name}"')
        if cut_after is not None:
            conn.execute("DELETE FROM audit_event WHERE seq > ?", (cut_after,))
        if edit_seq is not None:
            conn.execute("UPDATE audit_event SET actor = 'someone-else' WHERE seq = ?", (edit_seq,))
            prev = conn.execute("SELECT hash FROM audit_event WHERE seq = ?", (edit_seq - 1,)).fetchone()
            prev_hash = prev[0] if prev else GENESIS
            rows = conn.execute("SELECT seq, at, actor, device_uid, entity, entity_uid, action, before_digest, "
                                "after_digest FROM audit_event WHERE seq >= ? ORDER BY seq", (edit_seq,)).fetchall()
            for seq, at, *rest in rows:
                when = datetime.fromisoformat(at).replace(tzinfo=UTC)
                h = event_hash(seq, when, *rest, prev_hash)
                conn.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE seq = ?", (prev_hash, h, seq))
                prev_hash = h
        for _name, sql in guards:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
