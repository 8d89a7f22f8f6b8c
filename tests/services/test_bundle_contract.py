"""The bundle contract (docs/sync-bundle.md) against the code, and read by an independent reader.

The test vectors are parsed from the docs themselves, so the published bytes and the program cannot drift apart:
each is recomputed with services/sync, and the independent reader (tests/services/bundle_reader.py, the standard
library and ``cryptography`` only) reproduces them and reads a bundle the program wrote, getting its counts.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import sys
import zlib
from datetime import date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from models.base import SHANGHAI
from models.enums import DeviceKind
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.procedures.attachments import attach_file, attachment_store
from services.reference.setup import initialise
from services.sync import apply_bundle, inspect_bundle, plan_export, trust_key_card, write_bundle, write_key_card
from services.sync.crypto import DeviceKeys, Sealer, key_file_path, open_stream, recipient_key, verify_signature
from services.sync.manifest import manifest_bytes, validate_manifest
from services.sync.trust import read_key_card
from tests.services import bundle_reader as reader
from tests.services.unlock import data_key

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "sync-bundle.md"


def _vectors() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8").split("## Test vectors", 1)[1]
    block = text.split("```text\n", 1)[1].split("```", 1)[0]
    return dict(line.split(": ", 1) for line in block.splitlines())


V = _vectors()
_RAW, _PUB = serialization.Encoding.Raw, serialization.PublicFormat.Raw


def _test_stream(n: int) -> bytes:
    out, i = bytearray(), 0
    while len(out) < n:
        out += hashlib.sha256(b"enforcedesk-test-vector" + i.to_bytes(4, "big")).digest()
        i += 1
    return bytes(out[:n])


def _stored(path: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name)


def _keys() -> DeviceKeys:
    card = json.loads(V["card_payload"])
    return DeviceKeys(card["device_uid"], Ed25519PrivateKey.from_private_bytes(bytes.fromhex(V["signing_seed"])),
                      X25519PrivateKey.from_private_bytes(bytes.fromhex(V["box_private"])))


def _sealed_by_the_program(key: bytes) -> bytes:
    sealer = Sealer(key, V["member_name"], prefix=bytes.fromhex(V["nonce_prefix"]))
    plain = _test_stream(int(V["plain_length"]))
    return b"".join([*sealer.feed(plain), *sealer.close()])


def _check_sealed(sealed: bytes) -> None:
    assert len(sealed) == int(V["sealed_length"])
    assert hashlib.sha256(sealed).hexdigest() == V["sealed_sha256"]
    head = bytes.fromhex(V["sealed_head"])
    assert sealed[:len(head)] == head
    frame1 = bytes.fromhex(V["frame1"])
    assert sealed.endswith(frame1)
    assert sealed[-len(frame1) - 16:-len(frame1)] == bytes.fromhex(V["frame0_tag"])


def test_the_vectors_are_what_the_program_computes() -> None:
    keys = _keys()
    assert base64.b64decode(keys.sign_public).hex() == V["sign_public"]
    assert base64.b64decode(keys.box_public).hex() == V["box_public"]
    assert keys.fingerprint == V["fingerprint"]
    # key card: the program signs the payload to the vector's bytes and accepts a card file carrying them
    payload = V["card_payload"].encode("utf-8")
    assert keys.signature(payload).hex() == V["card_signature"]
    # manifest: canonical bytes, signature, and a manifest the program's validator accepts
    manifest = json.loads(V["manifest_bytes"])
    validate_manifest(manifest)
    import jsonschema

    jsonschema.validate(manifest, json.loads((ROOT / "docs" / "sync-manifest.schema.json").read_text("utf-8")))
    body = manifest_bytes(manifest)
    assert body == V["manifest_bytes"].encode("utf-8")
    assert hashlib.sha256(body).hexdigest() == V["manifest_sha256"]
    assert keys.signature(body).hex() == V["manifest_signature"]
    assert verify_signature(keys.sign_public, bytes.fromhex(V["manifest_signature"]), body)
    # the member key the recipient derives from the manifest's encryption block
    eph = X25519PrivateKey.from_private_bytes(bytes.fromhex(V["ephemeral_private"]))
    assert eph.public_key().public_bytes(_RAW, _PUB).hex() == V["ephemeral_public"]
    assert base64.b64decode(manifest["encryption"]["ephemeral_public_key"]).hex() == V["ephemeral_public"]
    assert eph.exchange(keys.box.public_key()).hex() == V["shared_secret"]
    key = recipient_key(keys, manifest["encryption"], V["bundle_uid"])
    assert key.hex() == V["bundle_key"]
    # a two-frame member, sealed and opened by the program
    sealed = _sealed_by_the_program(key)
    _check_sealed(sealed)
    assert manifest["members"][0] == {"name": V["member_name"], "sha256": V["sealed_sha256"], "size": len(sealed)}
    plain = b"".join(open_stream(key, V["member_name"], [sealed], 1 << 30))
    assert hashlib.sha256(plain).hexdigest() == V["plain_sha256"]


def test_the_program_reads_the_vector_key_card(tmp_path: Path) -> None:
    card = json.loads(V["card_payload"])
    card["signature"] = base64.b64encode(bytes.fromhex(V["card_signature"])).decode("ascii")
    path = tmp_path / "vector.card"
    path.write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
    assert read_key_card(path).fingerprint == V["fingerprint"]
    assert reader.read_card(path)["code"] == "AB12"


def test_the_independent_reader_reproduces_every_vector() -> None:
    card = json.loads(V["card_payload"])
    sign_public = bytes.fromhex(V["sign_public"])
    assert reader.fingerprint(sign_public) == V["fingerprint"]
    assert reader.canonical(card) == V["card_payload"].encode("utf-8")
    manifest = json.loads(V["manifest_bytes"])
    assert reader.canonical(manifest) == V["manifest_bytes"].encode("utf-8")
    key = reader.bundle_key(bytes.fromhex(V["box_private"]), manifest["encryption"], manifest["bundle_uid"])
    assert key.hex() == V["bundle_key"]
    plain = _test_stream(int(V["plain_length"]))
    assert hashlib.sha256(plain).hexdigest() == V["plain_sha256"]
    compressed = zlib.compress(plain, 3)
    assert (len(compressed), hashlib.sha256(compressed).hexdigest()) == (int(V["zlib_length"]), V["zlib_sha256"])
    sealed = reader.seal(key, V["member_name"], bytes.fromhex(V["nonce_prefix"]), compressed)
    _check_sealed(sealed)
    assert reader.unseal(key, V["member_name"], sealed) == plain
    with pytest.raises(Exception):  # noqa: B017 - any failure: the member name is the frames' associated data
        reader.unseal(key, "records/officer.jsonl", sealed)
    with pytest.raises(Exception):  # noqa: B017 - the last frame carries the flag: a cut member never opens
        reader.unseal(key, V["member_name"], sealed[:-len(bytes.fromhex(V["frame1"]))])


def test_the_independent_reader_uses_no_code_of_the_program() -> None:
    tree = ast.parse(Path(reader.__file__).read_text(encoding="utf-8"))
    roots = {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    roots |= {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert roots - {"__future__"} <= set(sys.stdlib_module_names) | {"cryptography"}


@pytest.mark.slow
def test_the_independent_reader_counts_a_demo_bundle_as_the_program_does(tmp_path: Path) -> None:
    from tools.demo.small import generate_demo_file

    clock = FixedClock(datetime(2026, 11, 21, 9, tzinfo=SHANGHAI))
    town_path, district_path = tmp_path / "town.sqlite3", tmp_path / "district" / "district.sqlite3"
    district_path.parent.mkdir()
    generate_demo_file(town_path, scale="small")
    town, district = Database.open(town_path), Database.open(district_path)
    try:
        town_key = data_key(town)
        tu = lambda: UnitOfWork(town, actor="town", clock=clock, data_key=town_key)  # noqa: E731
        district_key = initialise(district, UnitOfWork(district, actor="district", clock=clock), township="五通桥区",
                                  squad="区综合行政执法局", device_kind=DeviceKind.DISTRICT, admin_password="district-1",
                                  catalogue_effective_from=date(2016, 1, 1)).data_key
        du = lambda: UnitOfWork(district, actor="district", clock=clock, data_key=district_key)  # noqa: E731
        with town.raw() as conn:
            inspection = conn.execute("SELECT uid FROM inspection ORDER BY id LIMIT 1").fetchone()[0]
        photo = tmp_path / "photo.jpg"
        photo.write_bytes(b"\xff\xd8\xff\xe0 evidence " * 500)
        attach_file(tu(), attachment_store(town_path), record_table="inspection", record_uid=inspection, src=photo)
        write_key_card(du(), tmp_path / "district.card")
        write_key_card(tu(), tmp_path / "town.card")
        district_card = trust_key_card(tu(), tmp_path / "district.card")
        sealed = write_bundle(tu(), plan_export(tu(), district_card.uid, full=True), tmp_path / "usb" / "a")
        plain = write_bundle(tu(), plan_export(tu(), None, full=True), tmp_path / "usb" / "b")

        town_card = reader.read_card(tmp_path / "town.card")
        # The district's key file is sealed under its data key (docs/encryption.md): opened with it, then read.
        assert district_key is not None
        opened = district_key.open_bytes(key_file_path(district_path).read_bytes(),
                                         name=f"device-keys:{district.device_uid}")
        got = reader.read_bundle(sealed.path, town_card,
                                 reader.read_box_private(key_file_path(district_path), opened))
        # the demo's own evidence photos and the one attached above
        assert got.manifest["encryption"] is not None and got.attachments == got.manifest["attachments"]["count"] >= 2
        preview = inspect_bundle(du(), sealed.path, trust_new=True)
        program = {t.table: t.new + t.updated + t.unchanged + t.conflicts + t.quarantined for t in preview.tables}
        assert got.counts == program == got.manifest["counts"] == sealed.counts
        assert sum(got.counts.values()) == sealed.total > 1000
        assert got.attachments == preview.attachments

        unsealed = reader.read_bundle(plain.path, town_card, None)
        assert unsealed.counts == plain.counts and unsealed.attachments == got.attachments
        # the records are the same whichever way they travelled
        assert unsealed.records["penalty_case"] == got.records["penalty_case"]
        # a bundle sealed to the district cannot be read with another key
        other = X25519PrivateKey.generate().private_bytes(_RAW, serialization.PrivateFormat.Raw,
                                                          serialization.NoEncryption())
        with pytest.raises(reader.Refused):
            reader.read_bundle(sealed.path, town_card, other)

        # the receipt, read with the town's key as docs/sync-bundle.md §Import describes its members
        report = apply_bundle(du(), sealed.path, trust_new=True, receipt_dir=tmp_path / "back")
        assert report.receipt_path is not None
        assert town_key is not None
        town_keys = town_key.open_bytes(key_file_path(town_path).read_bytes(), name=f"device-keys:{town.device_uid}")
        back = reader.read_bundle(report.receipt_path, reader.read_card(tmp_path / "district.card"),
                                  reader.read_box_private(key_file_path(town_path), town_keys))
        assert back.manifest["kind"] == "receipt" and back.manifest["recipient"]["device_uid"] == town_card["device_uid"]
        summary = json.loads(back.other["receipt/receipt.json"])
        assert set(summary) == {"bundle_uid", "bundle_manifest_sha256", "imported_at", "receiver", "counts",
                                "quarantined", "conflicts"}
        assert summary["bundle_uid"] == got.manifest["bundle_uid"]
        assert summary["bundle_manifest_sha256"] == hashlib.sha256(_stored(sealed.path, "manifest.json")).hexdigest()
        applied = [json.loads(line) for line in back.other["receipt/applied.jsonl"].splitlines()]
        held = sum(t.new + t.updated + t.unchanged for t in report.tables)
        assert len(applied) == held and {len(a) for a in applied} == {4}
        assert {(t, u) for t, u, _v, _m in applied} >= {("penalty_case", r["uid"]) for r in got.records["penalty_case"]}
    finally:
        town.dispose()
        district.dispose()
