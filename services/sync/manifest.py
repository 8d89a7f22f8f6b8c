"""The bundle manifest: building, canonical bytes, signature, and a hand-written validator.

``docs/sync-manifest.schema.json`` is the published JSON Schema; this validator checks the same rules at
runtime without a jsonschema dependency (the tests validate real manifests against the schema file).
"""

from __future__ import annotations

import json
import re
from typing import Any

from services.sync.errors import BundleRejected

FORMAT = "1.0"
FORMAT_MAJOR = 1
KINDS = ("records", "reference", "receipt")
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
SHA_RE = re.compile(r"[0-9a-f]{64}\Z")
DEVICE_CODE_RE = re.compile(r"[A-Z0-9]{1,8}\Z")  # services/reference/setup.py mints 4 of A–Z, 2–9
MEMBER_RE = re.compile(r"(records|reference|receipt)/[a-z_]+\.(jsonl|json)\Z|attachments/[0-9a-f]{64}\Z")


def township_name_ok(name: str) -> bool:
    """A township's (or device's) name as it may be stored: 1–64 characters, none of them a control character."""
    return 0 < len(name) <= 64 and name.strip() == name and all(ch.isprintable() for ch in name)


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and stored: sorted keys, UTF-8, no insignificant whitespace."""
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _fail(what: str) -> BundleRejected:
    return BundleRejected(f"同步包清单（manifest.json）无效：{what}")


def _need(obj: dict[str, Any], key: str, types: type | tuple[type, ...], where: str = "") -> Any:
    if key not in obj:
        raise _fail(f"缺少字段 {where}{key}")
    value = obj[key]
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
        raise _fail(f"字段 {where}{key} 类型不对")
    return value


def _as_tuple(t: type | tuple[type, ...]) -> tuple[type, ...]:
    return t if isinstance(t, tuple) else (t,)


def _uid(obj: dict[str, Any], key: str, where: str = "") -> str:
    value = _need(obj, key, str, where)
    if not UUID_RE.match(value):
        raise _fail(f"字段 {where}{key} 不是 UUID")
    return str(value)


def parse_manifest(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(f"不是有效的 JSON（{exc}）") from exc
    if not isinstance(data, dict):
        raise _fail("顶层应为对象")
    validate_manifest(data)
    return data


def format_major(value: str) -> int:
    m = re.fullmatch(r"(\d+)\.(\d+)", value)
    if not m:
        raise _fail(f"format 应为“主版本.次版本”，实为“{value}”")
    return int(m.group(1))


def validate_manifest(m: dict[str, Any]) -> None:
    """Structure and types only; what the values mean (trust, versions, hashes) is checked by the importer."""
    fmt = _need(m, "format", str)
    if format_major(fmt) != FORMAT_MAJOR:
        raise BundleRejected(f"同步包格式版本 {fmt} 与本程序（{FORMAT}）不兼容，请双方使用同一大版本的 EnforceDesk")
    if _need(m, "kind", str) not in KINDS:
        raise _fail(f"kind 应为 {', '.join(KINDS)} 之一")
    _uid(m, "bundle_uid")
    _need(m, "app_version", str)
    _need(m, "schema_head", str)
    _need(m, "schema_major", int)
    _need(m, "created_at", str)
    src = _need(m, "source", dict)
    _uid(src, "device_uid", "source.")
    for key in ("device_code", "device_kind", "sign_public_key", "box_public_key"):
        _need(src, key, str, "source.")
    if not DEVICE_CODE_RE.match(src["device_code"]):
        raise _fail("source.device_code 应为 1–8 位大写字母或数字")
    township = _need(m, "township", dict)
    _uid(township, "uid", "township.")
    if not township_name_ok(_need(township, "name", str, "township.")):
        raise _fail("township.name 应为 1–64 个字符，不含控制字符")
    recipient = m.get("recipient", None)
    if recipient is not None:
        if not isinstance(recipient, dict):
            raise _fail("recipient 应为对象或 null")
        _uid(recipient, "device_uid", "recipient.")
    seq = _need(m, "sequence", int)
    if seq < 1:
        raise _fail("sequence 应从 1 开始")
    prev = m.get("previous_bundle_sha256")
    if prev is not None and (not isinstance(prev, str) or not SHA_RE.match(prev)):
        raise _fail("previous_bundle_sha256 应为 SHA-256 或 null")
    _need(m, "reference_version", int)
    counts = _need(m, "counts", dict)
    for k, v in counts.items():
        if not re.fullmatch(r"[a-z_]+", k) or type(v) is not int or v < 0:
            raise _fail(f"counts.{k} 无效")
    enc = m.get("encryption")
    if enc is not None and not isinstance(enc, dict):
        raise _fail("encryption 应为对象或 null")
    members = _need(m, "members", list)
    names: set[str] = set()
    for i, entry in enumerate(members):
        if not isinstance(entry, dict):
            raise _fail(f"members[{i}] 应为对象")
        name = _need(entry, "name", str, f"members[{i}].")
        if not MEMBER_RE.match(name) or name in names:
            raise _fail(f"成员名“{name}”无效或重复")
        names.add(name)
        if not SHA_RE.match(_need(entry, "sha256", str, f"members[{i}].")):
            raise _fail(f"members[{i}].sha256 无效")
        if _need(entry, "size", int, f"members[{i}].") < 0:
            raise _fail(f"members[{i}].size 无效")
    _audit(m.get("audit"))


MAX_CHECKPOINTS = 64  # services/sync/history.py sends at most two lists of 32


def _audit(audit: Any) -> None:
    """``audit`` (optional: bundles of earlier versions have none): the sender's audit-chain head and the
    checkpoints of services/sync/history.py."""
    if audit is None:
        return
    if not isinstance(audit, dict):
        raise _fail("audit 应为对象")
    seq = _need(audit, "seq", int, "audit.")
    if seq < 0 or seq > 2**62:
        raise _fail("audit.seq 超出范围")
    if not SHA_RE.match(_need(audit, "hash", str, "audit.")):
        raise _fail("audit.hash 应为 SHA-256")
    points = _need(audit, "checkpoints", list, "audit.")
    if len(points) > MAX_CHECKPOINTS:
        raise _fail(f"audit.checkpoints 超过 {MAX_CHECKPOINTS} 项")
    for i, p in enumerate(points):
        # A checkpoint may lie beyond the head: a sender whose chain got shorter still says so (history.py).
        if (not isinstance(p, list) or len(p) != 2 or type(p[0]) is not int or not 0 < p[0] <= 2**62
                or not (p[1] is None or (isinstance(p[1], str) and SHA_RE.match(p[1])))):
            raise _fail(f"audit.checkpoints[{i}] 应为 [序号, SHA-256 或 null]")
