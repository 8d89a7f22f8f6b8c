"""An independent bundle reader, written from docs/sync-bundle.md and its test vectors only.

It stands for a third party (a provincial platform ingesting bundles): the standard library and ``cryptography``,
nothing of this program — tests/services/test_bundle_contract.py checks that this module imports nothing else.
Where it agrees with the program, the docs were enough to implement the format.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CHUNK = 1 << 20
SCHEME = "X25519-HKDF-SHA256-AES256GCM-STREAM"
INFO = b"enforcedesk-bundle-v1"
MEMBER_NAME = re.compile(r"(records|reference|receipt)/[a-z_]+\.(jsonl|json)\Z|attachments/[0-9a-f]{64}\Z")


class Refused(Exception):
    """The bundle (or key card) is not what the docs say it must be."""


def canonical(obj: dict[str, Any]) -> bytes:
    """Sorted keys, no whitespace, non-ASCII as itself, UTF-8."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def raw_key(text: str) -> bytes:
    data = base64.b64decode(text, validate=True)
    if len(data) != 32:
        raise Refused("a public key is 32 bytes")
    return data


def fingerprint(sign_public: bytes) -> str:
    h = hashlib.sha256(sign_public).hexdigest()[:16].upper()
    return " ".join(h[i:i + 4] for i in range(0, 16, 4))


def read_card(path: Path) -> dict[str, str]:
    """A key card, its self-signature and fingerprint checked."""
    card = json.loads(path.read_text(encoding="utf-8"))
    if card.get("format") != "enforcedesk-keycard/1":
        raise Refused("not a key card")
    signature = base64.b64decode(card.pop("signature"), validate=True)
    sign_public = raw_key(card["sign_public_key"])
    Ed25519PublicKey.from_public_bytes(sign_public).verify(signature, canonical(card))
    if fingerprint(sign_public) != card["fingerprint"]:
        raise Refused("fingerprint")
    return card


def read_box_private(key_file: Path, opened: bytes | None = None) -> bytes:
    """The X25519 private key from a key file (``<database>.keys``); ``opened``: the file's content when it is
    sealed at rest under its database's data key (docs/encryption.md), as the program opened it."""
    data = json.loads(opened if opened is not None else key_file.read_text(encoding="utf-8"))
    return base64.b64decode(data["x25519_private"], validate=True)


def bundle_key(box_private: bytes, encryption: dict[str, str], bundle_uid: str) -> bytes:
    if encryption["scheme"] != SCHEME:
        raise Refused("scheme")
    me = X25519PrivateKey.from_private_bytes(box_private)
    my_public = me.public_key().public_bytes_raw()
    if raw_key(encryption["recipient_box_key"]) != my_public:
        raise Refused("sealed to another recipient")
    ephemeral = raw_key(encryption["ephemeral_public_key"])
    shared = me.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=bundle_uid.encode("ascii"),
                info=INFO + ephemeral + my_public).derive(shared)


def unseal(key: bytes, name: str, sealed: bytes) -> bytes:
    """7-byte prefix, then frames ``len (4, big-endian, with the tag) ‖ ciphertext ‖ tag``; nonce = prefix ‖
    frame counter (4, big-endian) ‖ 1 for the last frame else 0; AAD = the member name; one zlib stream."""
    aead, aad = AESGCM(key), name.encode("utf-8")
    prefix, pos, n = sealed[:7], 7, 0
    inflate = zlib.decompressobj()
    out = []
    while True:
        if pos + 4 > len(sealed):
            raise Refused(f"{name}: truncated")
        (size,) = struct.unpack(">I", sealed[pos:pos + 4])
        frame = sealed[pos + 4:pos + 4 + size]
        if len(frame) != size:
            raise Refused(f"{name}: truncated")
        pos += 4 + size
        last = pos == len(sealed)
        out.append(inflate.decompress(aead.decrypt(prefix + struct.pack(">IB", n, int(last)), frame, aad)))
        n += 1
        if last:
            break
    out.append(inflate.flush())
    if not inflate.eof:
        raise Refused(f"{name}: the zlib stream does not end")
    return b"".join(out)


def seal(key: bytes, name: str, prefix: bytes, compressed: bytes) -> bytes:
    """The writer's side of :func:`unseal`, for the test vector: 1 MiB chunks, the last one 1 … 1 MiB."""
    aead, aad = AESGCM(key), name.encode("utf-8")
    chunks = [compressed[k:k + CHUNK] for k in range(0, len(compressed), CHUNK)]
    parts = [prefix]
    for n, chunk in enumerate(chunks):
        ct = aead.encrypt(prefix + struct.pack(">IB", n, int(n == len(chunks) - 1)), chunk, aad)
        parts.append(struct.pack(">I", len(ct)) + ct)
    return b"".join(parts)


@dataclass
class Read:
    manifest: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)  # records per table, counted from the members
    attachments: int = 0
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    other: dict[str, bytes] = field(default_factory=dict)  # reference/ and receipt/ members, opened


def read_bundle(path: Path, sender_card: dict[str, str], box_private: bytes | None) -> Read:
    """Verify, decrypt and count a bundle as docs/sync-bundle.md §Reading a bundle without the program says."""
    with zipfile.ZipFile(path) as z:
        names = [i.filename for i in z.infolist()]
        if len(set(names)) != len(names):
            raise Refused("duplicate member names")
        body, signature = z.read("manifest.json"), z.read("manifest.sig")
        manifest = json.loads(body)
        if not manifest["format"].startswith("1."):
            raise Refused("format major")
        if manifest["source"]["sign_public_key"] != sender_card["sign_public_key"] \
                or manifest["source"]["device_uid"] != sender_card["device_uid"]:
            raise Refused("not the sender of the key card")
        Ed25519PublicKey.from_public_bytes(raw_key(sender_card["sign_public_key"])).verify(signature, body)
        listed = {m["name"]: m for m in manifest["members"]}
        if set(names) - {"manifest.json", "manifest.sig"} != set(listed):
            raise Refused("members differ from the manifest")
        key = None
        if manifest["encryption"] is not None:
            if box_private is None:
                raise Refused("sealed: a key file is needed")
            key = bundle_key(box_private, manifest["encryption"], manifest["bundle_uid"])
        result = Read(manifest)
        for name, entry in listed.items():
            if not MEMBER_NAME.match(name):
                raise Refused(f"member name {name}")
            stored = z.read(name)
            if len(stored) != entry["size"] or hashlib.sha256(stored).hexdigest() != entry["sha256"]:
                raise Refused(f"{name}: size or SHA-256 differs from the manifest")
            plain = stored if key is None else unseal(key, name, stored)
            if name.startswith("attachments/"):
                if hashlib.sha256(plain).hexdigest() != name.split("/", 1)[1]:
                    raise Refused(f"{name}: content differs from its SHA-256")
                result.attachments += 1
            elif name.startswith("records/") and name != "records/blob.jsonl":
                table = name[len("records/"):-len(".jsonl")]
                rows = [json.loads(line) for line in plain.split(b"\n") if line]
                result.records[table] = rows
                result.counts[table] = len(rows)
            elif not name.startswith("records/"):
                result.other[name] = plain
    return result
