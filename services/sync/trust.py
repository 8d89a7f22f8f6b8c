"""This device's identity for sync (keys, key card) and the list of trusted peers.

A key card is a small signed JSON file a device hands to its peers (USB, e-mail); trusting it is an explicit act
after comparing the fingerprint over the phone. Trust is local: ``trusted_device`` never syncs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import DeviceKind
from models.org import Device, Township
from models.sync import TrustedDevice
from services.core import keyring
from services.core.cipher import DataKey, Locked
from services.core.db import Database
from services.core.errors import NotFound, SetupError
from services.core.uow import UnitOfWork
from services.reference.setup import this_township
from services.sync.container import write_file_atomic
from services.sync.crypto import (
    DeviceKeys,
    b64,
    fingerprint,
    key_file_path,
    load_or_create_keys,
    seal_key_file,
    unb64,
    verify_signature,
)
from services.sync.errors import BundleRejected
from services.sync.manifest import DEVICE_CODE_RE, UUID_RE, township_name_ok

KEY_RE = re.compile(r"[A-Za-z0-9+/]{43}=\Z")  # base64 of 32 raw bytes

KEYCARD_FORMAT = "enforcedesk-keycard/1"
KEYCARD_MAX_BYTES = 64 * 1024
"""Larger than any card this program writes (a few hundred bytes): anything bigger is refused unread."""


@dataclass(frozen=True, slots=True)
class PeerInfo:
    """A trusted device as the UI lists it."""

    id: int
    uid: str
    code: str
    name: str
    kind: str
    township_name: str
    fingerprint: str
    trusted_at: datetime
    trusted_by: str


@dataclass(frozen=True, slots=True)
class KeyCard:
    device_uid: str
    code: str
    name: str
    kind: str
    township_uid: str
    township_name: str
    sign_public_key: str
    box_public_key: str
    fingerprint: str

    def to_json(self) -> dict[str, Any]:
        return {"format": KEYCARD_FORMAT, "device_uid": self.device_uid, "code": self.code, "name": self.name,
                "kind": self.kind, "township_uid": self.township_uid, "township_name": self.township_name,
                "sign_public_key": self.sign_public_key, "box_public_key": self.box_public_key,
                "fingerprint": self.fingerprint}


def public_key_text(keys: DeviceKeys) -> str:
    """What ``device.public_key`` holds, so peers receiving the Device row see this device's keys."""
    return f"ed25519:{keys.sign_public} x25519:{keys.box_public}"


def key_path(db: Database) -> Path:
    """Where a database's device keys live: next to a database file (``<file>.keys``); for a server database
    (PostgreSQL) in this computer's data folder, named by the device uid (``keys/<uid>.keys``) — the private key
    never goes into a database other users can read. Moving a SQLite district to PostgreSQL (``district
    copy``) keeps the device uid, so copying ``<file>.keys`` there keeps the district's identity."""
    if db.path is not None:
        return key_file_path(db.path)
    from services.core.paths import data_dir

    folder = data_dir() / "keys"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"{db.device_uid}.keys"


def seal_device_keys(db: Database, data_key: DataKey) -> bool:
    """At an unlock: a plain key file left from before the database was encrypted is sealed in place."""
    if not db.local("device_uid"):
        return False  # not set up yet: no keys to seal
    return seal_key_file(key_path(db), db.device_uid, data_key)


def device_keys(session: Session, db: Database) -> tuple[DeviceKeys, Device]:
    """Load (or create on first use) this device's keys; keep its Device row's ``public_key`` in step."""
    device = session.scalar(select(Device).where(Device.uid == db.device_uid))
    if device is None:
        raise SetupError("本机设备记录缺失：数据库未正确初始化")
    # An encrypted database's device keys are sealed under its data key (services/sync/crypto.py): signing or
    # opening a bundle needs the key a login unlocked (the unit of work's).
    data_key = session.info.get("data_key")
    if data_key is None and keyring.is_encrypted(session):
        raise Locked("签名和解密同步包需要本机密钥：数据已加密，须先登录（或用恢复密钥解锁）")
    keys, _created = load_or_create_keys(key_path(db), device.uid, data_key)
    text = public_key_text(keys)
    if device.public_key != text:
        with _action(session, "device.publish_keys"):
            device.public_key = text
            session.flush()
    return keys, device


class _action:  # noqa: N801 - a tiny context manager used like UnitOfWork.action
    def __init__(self, session: Session, name: str) -> None:
        self.session, self.name, self.prev = session, name, ""

    def __enter__(self) -> None:
        self.prev = self.session.info.get("action", "")
        self.session.info["action"] = self.name

    def __exit__(self, *exc: object) -> None:
        self.session.info["action"] = self.prev


def _card(session: Session, db: Database) -> tuple[KeyCard, DeviceKeys]:
    keys, device = device_keys(session, db)
    township = this_township(session)
    card = KeyCard(device.uid, device.code, device.name, device.kind.value, township.uid, township.name,
                   keys.sign_public, keys.box_public, keys.fingerprint)
    return card, keys


def my_key_card(uow: UnitOfWork) -> KeyCard:
    """This device's key card (creating the keys on first use)."""
    with uow:
        card, _keys = _card(uow.session, uow.db)
        uow.commit()
        return card


def write_key_card(uow: UnitOfWork, path: Path) -> KeyCard:
    """Write this device's signed key card to ``path`` for peers to trust."""
    with uow:
        card, keys = _card(uow.session, uow.db)
        uow.commit()
    body: dict[str, Any] = card.to_json()
    payload = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body["signature"] = b64(keys.signature(payload))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomic(path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))
    return card


def read_key_card(path: Path) -> KeyCard:
    """Parse and self-verify a key card file (catches a damaged or edited file, not a forged one)."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(KEYCARD_MAX_BYTES + 1)  # a card is a few hundred bytes: a big file is not one
    except PermissionError as exc:
        raise BundleRejected(f"无法读取密钥卡 {path.name}：没有读取该文件的权限，请把它复制到本机文件夹后再选择") from exc
    except IsADirectoryError as exc:
        raise BundleRejected(f"{path.name} 是文件夹，请选择对方交来的密钥卡文件（.edkey）") from exc
    except OSError as exc:
        raise BundleRejected(f"无法读取密钥卡 {path.name}：{exc.strerror or exc}") from exc
    try:
        if len(raw) > KEYCARD_MAX_BYTES:
            raise ValueError("too big")
        data = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        # A bundle, a photo or a document picked by mistake: say what a key card is, not the parser's complaint.
        raise BundleRejected(f"{path.name} 不是 EnforceDesk 密钥卡：请选择对方在“同步 → 设备与密钥 → 导出本机密钥卡”"
                             "写出的 .edkey 文件（同步包 .edsync 不是密钥卡）") from exc
    if not isinstance(data, dict) or data.get("format") != KEYCARD_FORMAT:
        raise BundleRejected(f"{path.name} 不是 EnforceDesk 密钥卡")
    sig = data.pop("signature", "")
    missing = [k for k in KeyCard.__dataclass_fields__ if k not in data]
    if missing:
        raise BundleRejected(f"密钥卡缺少字段 {missing[0]}")
    wrong = [k for k in KeyCard.__dataclass_fields__ if not isinstance(data[k], str)]
    if wrong or not isinstance(sig, str):
        raise BundleRejected(f"密钥卡字段 {wrong[0] if wrong else 'signature'} 应为文本")
    card = KeyCard(**{k: data[k] for k in KeyCard.__dataclass_fields__})
    check_card(card)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    if not verify_signature(card.sign_public_key, unb64(sig, 64), payload):
        raise BundleRejected("密钥卡签名无效（文件被改动或损坏）")
    return card


def check_card(card: KeyCard) -> None:
    """Every field of a key card (or of the sender named in a manifest) as this program writes it; anything else
    is refused before it comes near the database: these values decide whose records a bundle may carry."""
    if not UUID_RE.match(card.device_uid):
        raise BundleRejected(f"密钥卡的设备编号“{card.device_uid[:40]}”不是 UUID")
    if not DEVICE_CODE_RE.match(card.code):
        raise BundleRejected(f"密钥卡的设备编码“{card.code[:16]}”无效：应为 1–8 位大写字母或数字")
    if card.name and not township_name_ok(card.name):
        raise BundleRejected("密钥卡的设备名称无效：应为 64 个字符以内，不含控制字符")
    if card.kind not in {k.value for k in DeviceKind}:
        raise BundleRejected(f"未知的设备类型：{card.kind[:16]}")
    if not UUID_RE.match(card.township_uid):
        raise BundleRejected(f"密钥卡的乡镇编号“{card.township_uid[:40]}”不是 UUID")
    if not township_name_ok(card.township_name):
        raise BundleRejected("密钥卡的乡镇名称无效：应为 1–64 个字符，不含控制字符")
    for label, key in (("签名公钥", card.sign_public_key), ("加密公钥", card.box_public_key)):
        if not KEY_RE.match(key):
            raise BundleRejected(f"密钥卡的{label}无效：应为 32 字节密钥的 Base64 编码（44 个字符）")
        unb64(key, 32)
    if fingerprint(card.sign_public_key) != card.fingerprint:
        raise BundleRejected("密钥卡中的指纹与密钥不符")


def add_trusted(session: Session, card: KeyCard, *, actor: str, now: datetime) -> TrustedDevice:
    """Trust a peer's keys. A device already trusted with *other* keys is refused, never silently replaced."""
    check_card(card)
    existing = session.scalar(select(TrustedDevice).where(TrustedDevice.uid == card.device_uid))
    if existing is not None:
        if existing.sign_public_key != card.sign_public_key or existing.box_public_key != card.box_public_key:
            raise BundleRejected(
                f"设备 {card.code} 已被信任，但这次出示的密钥不同（原指纹 {existing.fingerprint}，"
                f"新指纹 {card.fingerprint}）。如确属换机，请先移除原信任记录"
            )
        return existing
    same_code = session.scalar(select(TrustedDevice).where(TrustedDevice.code == card.code))
    if same_code is not None:
        raise BundleRejected(
            f"设备编码 {card.code} 已属于已信任的设备 {same_code.uid}（“{same_code.township_name}”，指纹 "
            f"{same_code.fingerprint}），不能再信任编码相同的另一台设备 {card.device_uid}（“{card.township_name}”，"
            f"指纹 {card.fingerprint}）：两台设备的编码相同，同步记录将无法区分")
    own = session.scalar(select(Device.code).where(Device.uid == session.info.get("device_uid", "")))
    if own == card.code:
        raise BundleRejected(f"设备编码 {card.code} 与本机相同，不能信任设备 {card.device_uid}（“{card.township_name}”）")
    peer = TrustedDevice(uid=card.device_uid, code=card.code, name=card.name, kind=DeviceKind(card.kind),
                         township_uid=card.township_uid, township_name=card.township_name,
                         sign_public_key=card.sign_public_key, box_public_key=card.box_public_key,
                         fingerprint=fingerprint(card.sign_public_key), trusted_at=now, trusted_by=actor)
    with _action(session, "sync.trust_device"):
        session.add(peer)
        session.flush()
    return peer


def trust_key_card(uow: UnitOfWork, path: Path) -> PeerInfo:
    """``sync trust --key-file``: trust the device described by a key card file."""
    card = read_key_card(path)
    with uow:
        if card.device_uid == uow.db.device_uid:
            raise BundleRejected("这是本机自己的密钥卡，无需信任")
        peer = add_trusted(uow.session, card, actor=uow.actor, now=uow.clock.now())
        info = peer_info(peer)
        uow.commit()
        return info


def peer_info(p: TrustedDevice) -> PeerInfo:
    return PeerInfo(p.id, p.uid, p.code, p.name, p.kind.value, p.township_name, p.fingerprint, p.trusted_at,
                    p.trusted_by)


def trusted_devices(uow: UnitOfWork) -> list[PeerInfo]:
    with uow:
        return [peer_info(p) for p in uow.session.scalars(select(TrustedDevice).order_by(TrustedDevice.trusted_at))]


def default_recipient(peers: list[PeerInfo], own_kind: str) -> str | None:
    """Who a new bundle is encrypted for unless the user picks otherwise: a field laptop's office, an office's
    district (else another office), the newest trusted first. None when no office or district is trusted."""
    order = ([DeviceKind.OFFICE.value, DeviceKind.DISTRICT.value] if own_kind == DeviceKind.FIELD.value
             else [DeviceKind.DISTRICT.value, DeviceKind.OFFICE.value])
    for kind in order:
        chosen = [p for p in peers if p.kind == kind]
        if chosen:
            return max(chosen, key=lambda p: p.trusted_at).uid
    return None


def find_peer(session: Session, ref: str) -> TrustedDevice:
    """A trusted device by uid or four-letter code (case-insensitive)."""
    ref = ref.strip()
    peer = session.scalar(select(TrustedDevice).where(TrustedDevice.uid == ref))
    if peer is None:
        peers = list(session.scalars(select(TrustedDevice).where(TrustedDevice.code == ref.upper())))
        if len(peers) > 1:
            raise NotFound(f"有多台已信任设备的编码为 {ref}，请改用设备 UUID")
        peer = peers[0] if peers else None
    if peer is None:
        raise NotFound(f"找不到已信任的接收设备“{ref}”：请先用 sync trust 导入对方的密钥卡")
    return peer


def township_of(session: Session) -> Township:
    return this_township(session)
