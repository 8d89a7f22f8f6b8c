"""Open a bundle and verify everything before a single record is looked at.

Order (docs/performance.md §5): size and directory limits → manifest present, parsed, valid → members exactly as listed
→ signature over the exact manifest bytes → format and schema compatibility → addressed to this device → sender
trusted → every member's SHA-256 → decryption key. Any failure raises :class:`BundleRejected` (Chinese message).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.sync import TrustedDevice
from services.core.app_info import SCHEMA_MAJOR
from services.core.db import SCHEMA_HEAD, Database
from services.sync.container import DEFAULT_LIMITS, BundleReader, Limits
from services.sync.crypto import fingerprint, open_stream, recipient_key, verify_signature
from services.sync.errors import BundleRejected, UnknownDevice
from services.sync.jsonl import Decoded, bounded_lines, decode_batch, decode_line, line_batches
from services.sync.manifest import parse_manifest
from services.sync.trust import KeyCard, device_keys

SIG_SIZE = 64


@dataclass
class VerifiedBundle:
    """A bundle that passed every check; members are streamed (decrypted when sealed) on demand."""

    path: Path
    manifest: dict[str, Any]
    manifest_sha256: str
    reader: BundleReader
    key: bytes | None
    peer: TrustedDevice | None  # None: unknown sender accepted with trust_new
    card: KeyCard
    warnings: list[str] = field(default_factory=list)
    plain_read: int = 0  # plaintext bytes read from the members so far (Limits.max_plain_total)

    @property
    def uid(self) -> str:
        return str(self.manifest["bundle_uid"])

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    def has(self, name: str) -> bool:
        return self.reader.has(name)

    def content(self, name: str, budget: int | None = None) -> Iterator[bytes]:
        """The member's plaintext bytes, streamed, within the member size budget (``budget`` when smaller) and
        the bundle's budget for all plaintext read (Limits.max_plain_total)."""
        limits = self.reader.limits
        cap = limits.max_member if budget is None else min(budget, limits.max_member)
        raw = self.reader.chunks(name, budget=cap)
        plain = raw if self.key is None else open_stream(self.key, name, raw, cap)
        return self._counted(plain)

    def _counted(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        total = self.reader.limits.max_plain_total
        for chunk in chunks:
            self.plain_read += len(chunk)
            if self.plain_read > total:
                raise BundleRejected(
                    f"同步包解压后的内容超过上限（{total >> 20} MiB，设置项 sync.max_bundle_mib），已拒绝")
            yield chunk

    def lines(self, name: str) -> Iterator[bytes]:
        """The member's non-empty lines; one longer than jsonl.MAX_LINE is never held whole (it comes back as
        a short line that is no JSON)."""
        return bounded_lines(self.content(name))

    def records(self, name: str) -> Iterator[Decoded]:
        """Parsed JSON objects, or the undecodable line (as text) so the caller can quarantine it."""
        for line in self.lines(name):
            yield decode_line(line)

    def record_batches(self, name: str, size: int) -> Iterator[list[Decoded]]:
        """:meth:`records` in lists of up to ``size`` (services/sync/jsonl.py: same verdicts, less per line)."""
        for lines in line_batches(self.content(name), size):
            yield decode_batch(lines)

    def close(self) -> None:
        self.reader.close()


def open_bundle(session: Session, db: Database, path: Path, *, trust_new: bool = False,
                limits: Limits = DEFAULT_LIMITS, expect: tuple[str, ...] = ("records", "reference")) -> VerifiedBundle:
    reader = BundleReader(path, limits)
    try:
        return _verify(session, db, path, reader, trust_new=trust_new, expect=expect)
    except BaseException:
        reader.close()
        raise


def _verify(session: Session, db: Database, path: Path, reader: BundleReader, *, trust_new: bool,
            expect: tuple[str, ...]) -> VerifiedBundle:
    for name in ("manifest.json", "manifest.sig"):
        if not reader.has(name):
            raise BundleRejected(f"{path.name} 缺少 {name}：不是完整的同步包")
    body = reader.read("manifest.json", reader.limits.max_manifest)
    sig = reader.read("manifest.sig", SIG_SIZE)
    m = parse_manifest(body)
    listed = {e["name"]: e for e in m["members"]}
    present = set(reader.infos) - {"manifest.json", "manifest.sig"}
    if present - set(listed):
        extra = sorted(present - set(listed))[0]
        raise BundleRejected(f"同步包含有清单未列出的成员“{extra}”（可能被篡改），已拒绝")
    if set(listed) - present:
        missing = sorted(set(listed) - present)[0]
        raise BundleRejected(f"同步包缺少成员“{missing}”（文件不完整），已拒绝")
    for name, entry in listed.items():
        if reader.infos[name].file_size != entry["size"]:
            raise BundleRejected(f"成员“{name}”大小与清单不符（文件被改动或损坏）")
    src = m["source"]
    if len(sig) != SIG_SIZE or not verify_signature(src["sign_public_key"], sig, body):
        raise BundleRejected("同步包签名无效：清单被改动，或不是由声称的设备签发，已拒绝")
    if m["kind"] not in expect:
        raise BundleRejected(f"这是{_kind_label(m['kind'])}，不能在这里导入")
    if m["schema_major"] != SCHEMA_MAJOR:
        raise BundleRejected(
            f"同步包的数据结构大版本为 {m['schema_major']}，本程序为 {SCHEMA_MAJOR}，不兼容：请双方升级到同一版本"
        )
    warnings = []
    if m["schema_head"] != SCHEMA_HEAD:
        warnings.append(f"对方数据库结构版本 {m['schema_head']} 与本机 {SCHEMA_HEAD} 不同（兼容，缺少的字段取默认值）")
    my_uid = db.device_uid
    if src["device_uid"] == my_uid:
        raise BundleRejected("这是本机自己导出的同步包，不能导入本机")
    recipient = m.get("recipient")
    if recipient is not None and recipient["device_uid"] != my_uid:
        raise BundleRejected(
            f"此同步包是发给设备 {recipient.get('device_code', '')}（{recipient['device_uid']}）的，不是本机，已拒绝"
        )
    card = KeyCard(src["device_uid"], src["device_code"], "", src["device_kind"], m["township"]["uid"],
                   m["township"]["name"], src["sign_public_key"], src["box_public_key"],
                   fingerprint(src["sign_public_key"]))
    peer = session.scalar(select(TrustedDevice).where(TrustedDevice.uid == src["device_uid"]))
    if peer is None and not trust_new:
        raise UnknownDevice(device_uid=card.device_uid, device_code=card.code, township=card.township_name,
                            fingerprint=card.fingerprint)
    if peer is not None and peer.sign_public_key != src["sign_public_key"]:
        raise BundleRejected(
            f"同步包的签名密钥与已信任的设备 {peer.code} 不符（已信任指纹 {peer.fingerprint}，包内 {card.fingerprint}），已拒绝"
        )
    for name, entry in listed.items():
        sha, size = reader.sha256(name)
        if sha != entry["sha256"] or size != entry["size"]:
            raise BundleRejected(f"成员“{name}”校验失败（SHA-256 不符：内容被改动或损坏），已拒绝")
    key = None
    if m.get("encryption") is not None:
        keys, _device = device_keys(session, db)
        key = recipient_key(keys, m["encryption"], m["bundle_uid"])
    return VerifiedBundle(path, m, hashlib.sha256(body).hexdigest(), reader, key, peer, card, warnings)


def _kind_label(kind: str) -> str:
    return {"records": "记录同步包", "reference": "参考数据包", "receipt": "回执"}.get(kind, kind)
