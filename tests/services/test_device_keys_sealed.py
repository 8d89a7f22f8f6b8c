"""Issue 17: the device's private keys (the ``.keys`` file next to the database) are sealed under the data key; a
plain file left from before is sealed at the first unlock; without the key, or with a damaged file, a clear
refusal instead of a traceback."""

from __future__ import annotations

import base64

import pytest

from services.core.cipher import FILE_MAGIC, Locked
from services.core.uow import UnitOfWork
from services.people.accounts import sign_in
from services.sync.crypto import _private_raw, load_or_create_keys
from services.sync.errors import KeyFileError
from services.sync.trust import key_path, my_key_card
from tests.services.conftest import World


def _secrets(world: World) -> list[bytes]:
    """The private key bytes as they would appear in a plain file: raw and base64."""
    keys, _ = load_or_create_keys(key_path(world.db), world.db.device_uid, world.key)
    raw = [_private_raw(keys.sign), _private_raw(keys.box)]
    return [*raw, *(base64.b64encode(r) for r in raw), b"ed25519_private", b"x25519_private"]


def test_the_key_file_is_sealed_and_holds_no_private_key(world: World) -> None:
    card = my_key_card(world.uow())
    blob = key_path(world.db).read_bytes()
    assert blob.startswith(FILE_MAGIC)
    assert not any(secret in blob for secret in _secrets(world))
    assert my_key_card(world.uow()).fingerprint == card.fingerprint  # the same keys, opened again


def test_a_plain_key_file_is_sealed_at_the_first_unlock(world: World) -> None:
    path = key_path(world.db)
    plain, created = load_or_create_keys(path, world.db.device_uid)  # as written before the upgrade
    assert created and b"ed25519_private" in path.read_bytes()
    signed = sign_in(world.uow(), "admin", "secret123")
    blob = path.read_bytes()
    assert blob.startswith(FILE_MAGIC) and not any(secret in blob for secret in _secrets(world))
    assert signed.data_key is not None
    again, _ = load_or_create_keys(path, world.db.device_uid, signed.data_key)
    assert again.sign_public == plain.sign_public and again.box_public == plain.box_public


def test_without_the_key_or_with_a_damaged_file_a_clear_refusal(world: World) -> None:
    my_key_card(world.uow())
    path = key_path(world.db)
    with pytest.raises(Locked, match="须先登录"):
        my_key_card(UnitOfWork(world.db, actor="nobody", clock=world.clock))
    with pytest.raises(Locked, match="已加密保存"):
        load_or_create_keys(path, world.db.device_uid)
    with pytest.raises(KeyFileError, match="另一台设备"):  # the name bound in: another device's file
        load_or_create_keys(path, "00000000-0000-0000-0000-000000000000", world.key)
    damaged = bytearray(path.read_bytes())
    damaged[-3] ^= 0x01
    path.write_bytes(bytes(damaged))
    with pytest.raises(KeyFileError, match="无法解开"):
        my_key_card(world.uow())
