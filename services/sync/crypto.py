"""Device keys (Ed25519 to sign, X25519 to receive encrypted bundles) and the per-bundle encryption envelope.

The private keys live in a key file next to the database (``<db file>.keys``, mode 0600), never in a synced
table: a copied or restored database must not carry a device's signing key to another machine. On an encrypted
database (docs/encryption.md) the file is sealed under the data key (``DataKey.seal_bytes``, its name and the device
uid bound in): a copied folder yields no signing key without a password or the recovery key. A plain file written
before the database was encrypted is sealed in place at the first unlock (:func:`seal_key_file`).

Envelope (docs/sync-bundle.md §Encryption): an ephemeral X25519 key agrees a secret with the recipient's X25519
key; HKDF-SHA256 (salt = bundle uid, info = label + both public keys) derives one AES-256-GCM key per bundle.
Each member is zlib-compressed, then sealed in frames of ≤1 MiB with the STREAM construction: nonce =
7 random bytes per member ‖ 4-byte frame counter ‖ 1-byte last-frame flag, AAD = the member name. Frames can
be neither reordered, truncated nor moved to another member, and a member never has to fit in memory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.core.cipher import FILE_MAGIC, DataKey, Locked, SealBroken
from services.sync.errors import BundleRejected, KeyFileError

SCHEME = "X25519-HKDF-SHA256-AES256GCM-STREAM"
_INFO = b"enforcedesk-bundle-v1"
FRAME = 1 << 20
_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, size: int | None = None) -> bytes:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise BundleRejected("密钥或签名不是有效的 Base64 编码") from exc
    if size is not None and len(raw) != size:
        raise BundleRejected(f"密钥长度应为 {size} 字节")
    return raw


def fingerprint(sign_public_key_b64: str) -> str:
    """First 16 hex digits of SHA-256 of the raw signing key, in groups of four: read aloud over the phone."""
    h = hashlib.sha256(unb64(sign_public_key_b64, 32)).hexdigest()[:16].upper()
    return " ".join(h[i:i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class DeviceKeys:
    device_uid: str
    sign: Ed25519PrivateKey
    box: X25519PrivateKey

    @property
    def sign_public(self) -> str:
        return b64(self.sign.public_key().public_bytes(_RAW, _RAW_PUB))

    @property
    def box_public(self) -> str:
        return b64(self.box.public_key().public_bytes(_RAW, _RAW_PUB))

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public)

    def signature(self, data: bytes) -> bytes:
        return self.sign.sign(data)


def key_file_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".keys")


def _private_raw(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def _sealed_name(device_uid: str) -> str:
    """The name a device's key file is sealed under: a sealed file renamed to another device does not open."""
    return f"device-keys:{device_uid}"


def _parse(body: bytes, path: Path) -> DeviceKeys:
    try:
        data = json.loads(body.decode("utf-8"))
        return DeviceKeys(
            data["device_uid"],
            Ed25519PrivateKey.from_private_bytes(base64.b64decode(data["ed25519_private"])),
            X25519PrivateKey.from_private_bytes(base64.b64decode(data["x25519_private"])),
        )
    except (ValueError, KeyError, TypeError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise KeyFileError(f"本机密钥文件 {path} 无法读取：{exc}") from exc


def _read(path: Path, device_uid: str, data_key: DataKey | None) -> tuple[DeviceKeys, bool]:
    """The keys in ``path`` and whether the file is sealed."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"本机密钥文件 {path} 无法读取：{exc.strerror or exc}") from exc
    sealed = raw.startswith(FILE_MAGIC)
    if sealed:
        if data_key is None:
            raise Locked("本机的签名和解密密钥已加密保存：须先登录（或用恢复密钥解锁）")
        try:
            raw = data_key.open_bytes(raw, name=_sealed_name(device_uid))
        except SealBroken as exc:
            raise KeyFileError(f"本机密钥文件 {path} 无法解开：已损坏，或属于另一台设备或另一个数据库") from exc
    keys = _parse(raw, path)
    if keys.device_uid != device_uid:
        raise KeyFileError(f"密钥文件 {path} 属于另一台设备（{keys.device_uid}），不能用于本数据库")
    return keys, sealed


def _body(keys: DeviceKeys, data_key: DataKey | None) -> bytes:
    body = json.dumps({"device_uid": keys.device_uid, "ed25519_private": b64(_private_raw(keys.sign)),
                       "x25519_private": b64(_private_raw(keys.box))}, indent=1).encode("utf-8")
    return data_key.seal_bytes(body, name=_sealed_name(keys.device_uid)) if data_key is not None else body


def load_or_create_keys(path: Path, device_uid: str, data_key: DataKey | None = None) -> tuple[DeviceKeys, bool]:
    """The device's keys from ``path``; generated (and written 0600, atomically) on first use.

    With ``data_key`` (an encrypted database, unlocked) a new file is written sealed and a plain one is sealed in
    place; a sealed file without it is :class:`~services.core.cipher.Locked`."""
    if path.exists():
        keys, sealed = _read(path, device_uid, data_key)
        if data_key is not None and not sealed:
            write_private(path, _body(keys, data_key))
        return keys, False
    keys = DeviceKeys(device_uid, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
    write_private(path, _body(keys, data_key))
    return keys, True


def seal_key_file(path: Path, device_uid: str, data_key: DataKey) -> bool:
    """Seal a plain key file in place (the first unlock of an encrypted database); True if it was plain.

    No file yet, or one already sealed: nothing to do. One that cannot be read is left for the sync screens to
    report (signing is where it is needed), not a reason to refuse the login."""
    try:
        if not path.is_file() or path.read_bytes().startswith(FILE_MAGIC):
            return False
        keys, _sealed = _read(path, device_uid, None)
    except (OSError, KeyFileError):
        return False
    write_private(path, _body(keys, data_key))
    return True


def write_private(path: Path, body: bytes) -> None:
    """Write a key file atomically, readable by the owner only from the first byte (temp file, fsync, rename)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, body)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def verify_signature(sign_public_b64: str, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(sign_public_b64, 32)).verify(signature, data)
    except InvalidSignature:
        return False
    return True


# -- envelope ---------------------------------------------------------------------------------------------


def _derive(shared: bytes, bundle_uid: str, eph_pub: bytes, recipient_pub: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=bundle_uid.encode("ascii"),
                info=_INFO + eph_pub + recipient_pub).derive(shared)


def new_sender_key(recipient_box_b64: str, bundle_uid: str) -> tuple[bytes, dict[str, str]]:
    """(AES key, the manifest's ``encryption`` block) for a bundle to the holder of ``recipient_box_b64``."""
    recipient = unb64(recipient_box_b64, 32)
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(_RAW, _RAW_PUB)
    key = _derive(eph.exchange(X25519PublicKey.from_public_bytes(recipient)), bundle_uid, eph_pub, recipient)
    return key, {"scheme": SCHEME, "ephemeral_public_key": b64(eph_pub), "recipient_box_key": recipient_box_b64}


def recipient_key(keys: DeviceKeys, block: dict[str, str], bundle_uid: str) -> bytes:
    if block.get("scheme") != SCHEME:
        raise BundleRejected(f"不支持的加密方式：{block.get('scheme')}")
    if block.get("recipient_box_key") != keys.box_public:
        raise BundleRejected("此同步包加密给了另一台设备，本机无法解密")
    eph_pub = unb64(block.get("ephemeral_public_key", ""), 32)
    shared = keys.box.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    return _derive(shared, bundle_uid, eph_pub, unb64(keys.box_public, 32))


class Sealer:
    """Compress and encrypt one member incrementally: ``feed`` plaintext, ``close`` for the final frame."""

    def __init__(self, key: bytes, name: str, *, prefix: bytes | None = None) -> None:
        self._aead = AESGCM(key)
        self._aad = name.encode("utf-8")
        # ``prefix`` is given only by the published test vector (docs/sync-bundle.md §Test vectors): a member's
        # 7 bytes are random, and must never repeat under one key.
        self._prefix = secrets.token_bytes(7) if prefix is None else prefix
        self._zip = zlib.compressobj(3)
        self._buf = bytearray()
        self._n = 0
        self._started = False

    def _frames(self, final: bool) -> Iterator[bytes]:
        if not self._started:
            self._started = True
            yield self._prefix
        while len(self._buf) > FRAME or (final and self._buf is not None):
            chunk, last = bytes(self._buf[:FRAME]), final and len(self._buf) <= FRAME
            del self._buf[:FRAME]
            nonce = self._prefix + struct.pack(">IB", self._n, 1 if last else 0)
            self._n += 1
            sealed = self._aead.encrypt(nonce, chunk, self._aad)
            yield struct.pack(">I", len(sealed)) + sealed
            if last:
                return

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._buf += self._zip.compress(data)
        return self._frames(False)

    def close(self) -> Iterator[bytes]:
        self._buf += self._zip.flush()
        return self._frames(True)


def open_stream(key: bytes, name: str, chunks: Iterable[bytes], max_plain: int) -> Iterator[bytes]:
    """Decrypt and decompress a sealed member; never yields more than ``max_plain`` bytes (zip-bomb budget)."""
    aead, aad = AESGCM(key), name.encode("utf-8")
    buf = bytearray()
    it = iter(chunks)
    inflater = zlib.decompressobj()
    produced, n, prefix, done = 0, 0, b"", False

    def need(k: int) -> bool:
        while len(buf) < k:
            nxt = next(it, None)
            if nxt is None:
                return False
            buf.extend(nxt)
        return True

    if not need(7):
        raise BundleRejected(f"{name}：加密内容不完整")
    prefix = bytes(buf[:7])
    del buf[:7]
    while not done:
        if not need(4):
            raise BundleRejected(f"{name}：加密内容被截断")
        (size,) = struct.unpack(">I", buf[:4])
        if size > FRAME + 16 or not need(4 + size):
            raise BundleRejected(f"{name}：加密分块长度异常")
        sealed = bytes(buf[4:4 + size])
        del buf[:4 + size]
        last = not need(1)
        try:
            chunk = aead.decrypt(prefix + struct.pack(">IB", n, 1 if last else 0), sealed, aad)
        except InvalidTag as exc:
            raise BundleRejected(f"{name}：解密失败（内容被改动、截断或密钥不符）") from exc
        n += 1
        done = last
        # At most FRAME bytes of plaintext at a time: a 1 MiB frame of zeros inflates to a gigabyte, which must
        # never be in memory at once (docs/sync-bundle.md §Value checks and limits).
        while chunk:
            try:
                plain = inflater.decompress(chunk, min(FRAME, max_plain - produced + 1))
            except zlib.error as exc:
                raise BundleRejected(f"{name}：解压失败") from exc
            produced += len(plain)
            if produced > max_plain:
                raise BundleRejected(f"{name}：解压后超过大小上限（疑似压缩炸弹）")
            chunk = inflater.unconsumed_tail
            if plain:
                yield plain
            elif chunk:  # no output from remaining input: a corrupted stream, not progress
                raise BundleRejected(f"{name}：解压失败")
    tail = inflater.flush()
    if produced + len(tail) > max_plain:
        raise BundleRejected(f"{name}：解压后超过大小上限（疑似压缩炸弹）")
    if tail:
        yield tail
